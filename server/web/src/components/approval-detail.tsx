/**
 * `#/approvals/<id>`: one broadcast as the reviewer must judge it: the bulletin's text and audio,
 * when and where it plays, its history, and the decision (or why there is none to make here).
 */
import { useState } from 'preact/hooks';
import { useLocale, useT } from '../i18n/index.js';
import { authorOf, historyStep } from '../lib/approval-queue.js';
import type { BroadcastDetail, Bulletin } from '../lib/approval-types.js';
import { weekStartAt } from '../lib/calendar-week.js';
import { formatDateTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import { ApprovalDecision } from './approval-decision.js';
import { PriorityBadge, ScheduleText, TargetText } from './approval-facts.js';
import { BulletinContent } from './approval-content.js';

const STATE_BADGE: Readonly<Record<string, string>> = { pending: 'pending', approved: 'approved', rejected: 'rejected' };

export function ApprovalDetail({ id }: { id: string }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const broadcast = useApi<BroadcastDetail>(`/api/broadcasts/${encodeURIComponent(id)}`);
  const data = broadcast.data;
  const bulletin = useApi<Bulletin>(data ? `/api/bulletins/${encodeURIComponent(data.bulletinId)}` : null);
  const [decided, setDecided] = useState<'approved' | 'rejected' | null>(null);

  if (broadcast.error && !data) {
    return (
      <section class="approval-detail">
        <BackLink />
        <p class="notice error" role="alert">
          {broadcast.error.code === 'NOT_FOUND' ? t('approvals.problem.gone') : t('app.error', { message: broadcast.error.message })}
        </p>
      </section>
    );
  }
  if (!data) return <p>{t('app.loading')}</p>;

  const title = bulletin.data?.title ?? '…';
  const cancelled = data.status === 'cancelled';
  const pending = data.approvalState === 'pending' && !cancelled;
  const own = data.createdBy === session.user.id;
  const lastDecision = [...data.approvals].reverse().find((transition) => historyStep(transition) === 'rejected' || historyStep(transition) === 'approved');

  return (
    <section class="approval-detail" data-testid="approval-detail" data-broadcast-id={data.id} data-approval={data.approvalState}>
      <BackLink />
      <div class="approval-card-head">
        <h1 class="approval-detail-title">{title}</h1>
        <PriorityBadge priority={data.priority} />
        <span class={`badge ${cancelled ? 'cancelled' : (STATE_BADGE[data.approvalState] ?? '')}`} data-testid="approval-state">
          {cancelled ? t('approvals.outcome.cancelled') : t(`approvals.state.${data.approvalState === 'approved' || data.approvalState === 'rejected' ? data.approvalState : 'pending'}`)}
        </span>
      </div>

      {decided && (
        <p class="notice ok" role="status" data-testid="approval-done">
          {t(decided === 'approved' ? 'approvals.decide.approvedDone' : 'approvals.decide.rejectedDone')}
        </p>
      )}
      {data.approvalState === 'rejected' && lastDecision?.reason && (
        <div class="approval-decision-box rejected">
          <p>
            <strong>{t('approvals.mine.reason')}</strong> {lastDecision.reason}
          </p>
        </div>
      )}

      <dl class="approval-facts wide">
        <dt>{t('approvals.fact.when')}</dt>
        <dd data-testid="approval-when">
          <ScheduleText startAt={data.startAt} recurrence={data.recurrence} repeat={data.repeat} />
        </dd>
        <dt>{t('approvals.fact.target')}</dt>
        <dd>
          <TargetText target={data.target} />
        </dd>
        <dt>{t('approvals.fact.author')}</dt>
        <dd>{authorOf(data.approvals) ?? t('approvals.unknownAuthor')}</dd>
        <dt>{t('approvals.fact.created')}</dt>
        <dd>{formatDateTime(data.createdAt, locale)}</dd>
      </dl>
      <p class="approval-links">
        {data.startAt && <a href={`#/schedule?week=${weekStartAt(data.startAt)}`}>{t('approvals.openCalendar')}</a>}
        {data.approvalState !== 'rejected' && <a href={`#/reports/broadcast/${encodeURIComponent(data.id)}`}>{t('approvals.openReport')}</a>}
      </p>

      <section class="card">
        <h2>{t('approvals.content.title')}</h2>
        {bulletin.error && (
          <p class="notice error" role="alert">
            {t('app.error', { message: bulletin.error.message })}
          </p>
        )}
        {bulletin.data ? <BulletinContent bulletin={bulletin.data} /> : !bulletin.error && <p>{t('app.loading')}</p>}
      </section>

      {pending && session.may('broadcasts:approve') && !own && (
        <ApprovalDecision
          broadcastId={data.id}
          onDecided={(updated, decision) => {
            broadcast.setData(updated);
            setDecided(decision);
          }}
          onStale={broadcast.reload}
        />
      )}
      {pending && own && <p class="notice" data-testid="approval-own">{t('approvals.problem.self')}</p>}
      {pending && !own && !session.may('broadcasts:approve') && <p class="notice">{t('approvals.detail.waiting')}</p>}

      <section class="approval-history">
        <h2>{t('approvals.history.title')}</h2>
        <ol class="plain-list">
          {data.approvals.map((transition, index) => (
            <li key={index}>
              <span class="muted small">{formatDateTime(transition.at, locale)}</span>
              <span>
                {t(`approvals.history.${historyStep(transition)}`, { name: transition.username ?? t('approvals.system') })}
                {transition.reason && transition.reason !== 'changed' && <span class="muted"> · “{transition.reason}”</span>}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

function BackLink() {
  const t = useT();
  return (
    <p class="approval-back">
      <a href="#/approvals">{t('approvals.back')}</a>
    </p>
  );
}
