/** The approver's queue: every pending broadcast of the area, the soonest to play first. */
import { useLocale, useT } from '../i18n/index.js';
import { isOwn } from '../lib/approval-queue.js';
import type { BroadcastListItem } from '../lib/approval-types.js';
import { formatDateTime } from '../lib/format.js';
import { PriorityBadge, ScheduleText, TargetText } from './approval-facts.js';

export function detailHref(id: string): string {
  return `#/approvals/${encodeURIComponent(id)}`;
}

export function ApprovalQueue({ queue, userId }: { queue: readonly BroadcastListItem[]; userId: string }) {
  const t = useT();
  const { locale } = useLocale();
  if (queue.length === 0) return <p class="notice ok" data-testid="approval-queue-empty">{t('approvals.queue.empty')}</p>;
  return (
    <ul class="approval-list" data-testid="approval-queue">
      {queue.map((item) => (
        <li key={item.id} class={`approval-card priority-${item.priority}`} data-testid="approval-item" data-broadcast-id={item.id}>
          <div class="approval-card-head">
            <a class="approval-title" href={detailHref(item.id)} data-testid="approval-open">
              {item.title}
            </a>
            <PriorityBadge priority={item.priority} />
          </div>
          <dl class="approval-facts">
            <dt>{t('approvals.fact.when')}</dt>
            <dd>
              <ScheduleText startAt={item.startAt} recurrence={item.recurrence} repeat={item.repeat} />
            </dd>
            <dt>{t('approvals.fact.target')}</dt>
            <dd>
              <TargetText target={item.target} />
            </dd>
            <dt>{t('approvals.fact.author')}</dt>
            <dd>{item.author ?? t('approvals.unknownAuthor')}</dd>
            <dt>{t('approvals.fact.created')}</dt>
            <dd>{formatDateTime(item.createdAt, locale)}</dd>
          </dl>
          {isOwn(item, userId) ? (
            <p class="notice small approval-own">{t('approvals.queue.own')}</p>
          ) : (
            <a class="button-link primary" href={detailHref(item.id)}>
              {t('approvals.queue.review')}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
