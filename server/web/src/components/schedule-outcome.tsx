/** After saving: scheduled, waiting for an approver, or offered to the communes; with the way to its report. */
import { useLocale, useT } from '../i18n/index.js';
import type { SavedBroadcast } from '../lib/compose-types.js';
import { warningText, whenText } from './schedule-check.js';

export function ScheduleOutcome({ broadcast }: { broadcast: SavedBroadcast }) {
  const t = useT();
  const { locale } = useLocale();
  const state = broadcast.distribution === 'offered' ? 'offered' : broadcast.approvalState === 'pending' ? 'pending' : 'scheduled';
  return (
    <div class={state === 'pending' ? 'notice warn' : 'notice ok'} role="status" data-testid="schedule-outcome" data-state={state} data-broadcast-id={broadcast.id}>
      <p>
        <strong>{t(`compose.outcome.${state}`)}</strong>
        {state === 'scheduled' && broadcast.startAt && <> {t('compose.outcome.startsAt', { time: whenText(broadcast.startAt, locale) })}</>}
      </p>
      {(broadcast.warnings ?? []).length > 0 && (
        <ul>
          {(broadcast.warnings ?? []).map((warning, index) => (
            <li key={index}>{warningText(t, warning, locale)}</li>
          ))}
        </ul>
      )}
      <a href={`#/reports/broadcast/${encodeURIComponent(broadcast.id)}`} data-testid="schedule-outcome-report">
        {t('compose.outcome.report')}
      </a>
    </div>
  );
}
