/**
 * What saving would do, asked of the server (POST /api/broadcasts/check) while the form changes:
 * how many receivers it reaches, its next plays in Vietnam time, whether it waits for an approver
 * or goes to the communes to decide, and every clash in plain words.
 */
import { useLocale, useT, type Locale, type Translate } from '../i18n/index.js';
import type { BroadcastCheck, BroadcastWarning } from '../lib/compose-types.js';
import { formatNumber, formatTimeWithSeconds, formatWeekday } from '../lib/format.js';

export type CheckView =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'failed' }
  | { readonly kind: 'ready'; readonly check: BroadcastCheck };

export function whenText(iso: string, locale: Locale): string {
  return `${formatTimeWithSeconds(iso, locale)} · ${formatWeekday(iso, locale)}`;
}

const WARNING_CODES = ['OVERLAP', 'PREEMPTS', 'PREEMPTED', 'QUIET_HOURS'] as const;

export function warningText(t: Translate, warning: BroadcastWarning, locale: Locale): string {
  const code = (WARNING_CODES as readonly string[]).includes(warning.code) ? (warning.code as (typeof WARNING_CODES)[number]) : null;
  if (!code) return warning.message;
  return t(`compose.warning.${code}`, {
    title: warning.withTitle || t('compose.warning.another'),
    time: warning.at ? whenText(warning.at, locale) : '—',
    count: formatNumber(warning.deviceCount ?? 0, locale),
  });
}

export function ScheduleCheck({ view }: { view: CheckView }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <section class="schedule-check" aria-live="polite" aria-labelledby="schedule-check-title" data-testid="schedule-check" data-state={view.kind}>
      <h3 id="schedule-check-title">{t('compose.check.title')}</h3>
      {view.kind === 'incomplete' && <p class="muted">{t('compose.check.incomplete')}</p>}
      {view.kind === 'checking' && <p class="muted">{t('compose.check.checking')}</p>}
      {view.kind === 'failed' && <p class="error">{t('compose.check.failed')}</p>}
      {view.kind === 'ready' && <CheckFacts check={view.check} locale={locale} />}
    </section>
  );
}

function CheckFacts({ check, locale }: { check: BroadcastCheck; locale: Locale }) {
  const t = useT();
  return (
    <>
      <p class="schedule-reach" data-testid="schedule-check-receivers" data-count={check.receiverCount}>
        {t('compose.check.receivers', { count: formatNumber(check.receiverCount, locale) })}
      </p>
      {check.distribution === 'offered' ? (
        <p class="notice" data-testid="schedule-check-offered">
          {t('compose.check.offered')}
        </p>
      ) : check.approvalState === 'pending' ? (
        <p class="notice warn" data-testid="schedule-check-approval">
          {t('compose.check.pending')}
        </p>
      ) : (
        <p class="muted small" data-testid="schedule-check-approval">
          {t('compose.check.approved')}
        </p>
      )}
      <h4>{t('compose.check.next')}</h4>
      {check.nextStarts.length === 0 ? (
        <p class="notice warn" data-testid="schedule-check-none">
          {t('compose.check.noPlays')}
        </p>
      ) : (
        <ol class="schedule-next" data-testid="schedule-check-next">
          {check.nextStarts.map((start) => (
            <li key={start}>{whenText(start, locale)}</li>
          ))}
        </ol>
      )}
      {check.warnings.length === 0 ? (
        <p class="muted small" data-testid="schedule-check-clear">
          {t('compose.check.noWarnings')}
        </p>
      ) : (
        <ul class="schedule-warnings" data-testid="schedule-check-warnings">
          {check.warnings.map((warning, index) => (
            <li key={`${warning.code}:${warning.withBroadcastId ?? index}`} class={`notice warn warning-${warning.code.toLowerCase()}`} data-code={warning.code}>
              {warningText(t, warning, locale)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
