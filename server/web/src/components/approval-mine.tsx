/** The author's side: what they submitted, where each stands, and the reviewer's decision and reason. */
import { useLocale, useT } from '../i18n/index.js';
import { outcomeOf } from '../lib/approval-queue.js';
import type { BroadcastListItem } from '../lib/approval-types.js';
import { formatDateTime } from '../lib/format.js';
import { PriorityBadge, ScheduleText, TargetText } from './approval-facts.js';
import { detailHref } from './approval-queue.js';

const OUTCOME_BADGE = { waiting: 'pending', approved: 'approved', rejected: 'rejected', cancelled: 'cancelled', 'no-review': 'approved' } as const;

export function MySubmissions({ items }: { items: readonly BroadcastListItem[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (items.length === 0) return <p class="muted" data-testid="approval-mine-empty">{t('approvals.mine.empty')}</p>;
  return (
    <ul class="approval-list" data-testid="approval-mine">
      {items.map((item) => {
        const outcome = outcomeOf(item);
        const decision = item.decision;
        return (
          <li key={item.id} class={`approval-card outcome-${outcome}`} data-testid="approval-mine-item" data-broadcast-id={item.id} data-outcome={outcome}>
            <div class="approval-card-head">
              <a class="approval-title" href={detailHref(item.id)}>
                {item.title}
              </a>
              <PriorityBadge priority={item.priority} />
              <span class={`badge ${OUTCOME_BADGE[outcome]}`} data-testid="approval-outcome">
                {t(`approvals.outcome.${outcome}`)}
              </span>
            </div>
            {decision && (outcome === 'approved' || outcome === 'rejected' || outcome === 'cancelled') && (
              <div class={decision.to === 'rejected' ? 'approval-decision-box rejected' : 'approval-decision-box'} data-testid="approval-decision">
                <p>
                  {t(decision.to === 'rejected' ? 'approvals.mine.rejectedBy' : 'approvals.mine.approvedBy', {
                    name: decision.username ?? t('approvals.unknownAuthor'),
                    time: formatDateTime(decision.at, locale),
                  })}
                </p>
                {decision.reason && (
                  <p class="approval-reason" data-testid="approval-reason">
                    <strong>{t(decision.to === 'rejected' ? 'approvals.mine.reason' : 'approvals.mine.note')}</strong> {decision.reason}
                  </p>
                )}
                {decision.to === 'rejected' && outcome === 'rejected' && <p class="muted small">{t('approvals.mine.rejectedHint')}</p>}
              </div>
            )}
            <dl class="approval-facts">
              <dt>{t('approvals.fact.when')}</dt>
              <dd>
                <ScheduleText startAt={item.startAt} recurrence={item.recurrence} repeat={item.repeat} />
              </dd>
              <dt>{t('approvals.fact.target')}</dt>
              <dd>
                <TargetText target={item.target} />
              </dd>
              <dt>{t('approvals.fact.created')}</dt>
              <dd>{formatDateTime(item.createdAt, locale)}</dd>
            </dl>
            {outcome !== 'waiting' && outcome !== 'rejected' && (
              <a href={`#/reports/broadcast/${encodeURIComponent(item.id)}`}>{t('approvals.openReport')}</a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
