/**
 * The second step before an emergency goes on air: what will happen, in large type, with one
 * button that broadcasts and one that goes back. Nothing is sent until the confirm button.
 */
import { useEffect, useRef } from 'preact/hooks';
import { useLocale, useT } from '../i18n/index.js';
import { formatNumber } from '../lib/format.js';

export interface EmergencyConfirmation {
  readonly areaNames: readonly string[];
  readonly receivers: number;
  /** Empty when the emergency plays no attention signal. */
  readonly signal: string;
  readonly hazard: string;
  readonly message: string;
  readonly repeat: number;
  /** Set for a standing alert. */
  readonly cadence: string;
}

interface Props {
  readonly confirmation: EmergencyConfirmation;
  readonly sending: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function EmergencyConfirm({ confirmation, sending, onConfirm, onCancel }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  // The step replaces the form: bring it into view and give it focus so a screen reader announces it.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, []);
  const { areaNames, receivers, signal, hazard, message, repeat, cadence } = confirmation;
  return (
    <section class="emergency-confirm" data-testid="emergency-confirm-step" aria-labelledby="emergency-confirm-heading">
      <h2 id="emergency-confirm-heading" ref={heading} tabIndex={-1}>
        {t('emergency.confirm.title')}
      </h2>
      <dl class="emergency-confirm-facts">
        <dt>{t('emergency.confirm.areas')}</dt>
        <dd data-testid="emergency-confirm-areas">{areaNames.join(', ')}</dd>
        <dt>{t('emergency.confirm.receivers')}</dt>
        <dd data-testid="emergency-confirm-receivers">{t('areas.receivers', { count: formatNumber(receivers, locale) })}</dd>
        <dt>{t('emergency.confirm.signal')}</dt>
        <dd>{signal || t('emergency.signal.none')}</dd>
        {hazard && (
          <>
            <dt>{t('emergency.confirm.hazard')}</dt>
            <dd>{hazard}</dd>
          </>
        )}
        <dt>{t('emergency.confirm.message')}</dt>
        <dd class="emergency-confirm-message" lang="vi" data-testid="emergency-confirm-message">
          “{message}”
        </dd>
        <dt>{t('emergency.confirm.repeat')}</dt>
        <dd>{t('emergency.confirm.times', { count: repeat })}</dd>
        {cadence && (
          <>
            <dt>{t('emergency.confirm.cadence')}</dt>
            <dd>{cadence}</dd>
          </>
        )}
      </dl>
      {receivers === 0 && <p class="notice warn">{t('emergency.confirm.noReceivers')}</p>}
      <div class="emergency-confirm-actions">
        <button type="button" class="danger emergency-confirm-button" data-testid="emergency-confirm" disabled={sending} onClick={onConfirm}>
          {sending ? t('emergency.confirm.sending') : t('emergency.confirm.go')}
        </button>
        <button type="button" data-testid="emergency-cancel" disabled={sending} onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </section>
  );
}
