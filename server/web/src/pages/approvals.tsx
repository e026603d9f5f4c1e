/**
 * `#/approvals`: what waits for a decision. Approvers review the area's pending broadcasts; authors
 * follow their submissions to the decision and its reason; a commune answers what its district or
 * province offered. `#/approvals/<id>`: one broadcast to review.
 */
import type { ComponentChildren } from 'preact';
import { ApprovalDetail } from '../components/approval-detail.js';
import { MySubmissions } from '../components/approval-mine.js';
import { ApprovalQueue } from '../components/approval-queue.js';
import { OfferInbox } from '../components/offer-inbox.js';
import { useT } from '../i18n/index.js';
import type { ApiError } from '../api.js';
import { isOpenOffer, mySubmissions, pendingQueue, reviewableCount } from '../lib/approval-queue.js';
import type { BroadcastListItem, InboxOffer } from '../lib/approval-types.js';
import { useApi } from '../lib/use-api.js';
import { matchRoute, routeQuery } from '../router.js';
import { useSession } from '../session.js';
import '../styles/approvals.css';

type Tab = 'queue' | 'mine' | 'offers';

export function ApprovalsPage({ path }: { path: string }) {
  const detailId = matchRoute('/approvals/:id', path)?.id;
  return (
    <div class="approvals-page" data-testid="approvals-page">
      {detailId ? <ApprovalDetail key={detailId} id={detailId} /> : <ApprovalsOverview path={path} />}
    </div>
  );
}

function ApprovalsOverview({ path }: { path: string }) {
  const t = useT();
  const session = useSession();
  const userId = session.user.id;
  const mayApprove = session.may('broadcasts:approve');
  const pending = useApi<BroadcastListItem[]>(mayApprove ? '/api/broadcasts?approval=pending' : null);
  const recent = useApi<BroadcastListItem[]>('/api/broadcasts');
  const offers = useApi<InboxOffer[]>('/api/offers');

  const queue = pendingQueue(pending.data ?? []);
  const mine = mySubmissions(recent.data ?? [], userId);
  const toReview = reviewableCount(queue, userId);
  const mineWaiting = mine.filter((item) => item.approvalState === 'pending' && item.status !== 'cancelled').length;
  const openOffers = (offers.data ?? []).filter(isOpenOffer).length;

  const tabs: { id: Tab; label: string; count: number }[] = [
    ...(mayApprove ? [{ id: 'queue' as const, label: t('approvals.tab.queue'), count: toReview }] : []),
    { id: 'mine', label: t('approvals.tab.mine'), count: mineWaiting },
    { id: 'offers', label: t('approvals.tab.offers'), count: openOffers },
  ];
  const requested = routeQuery(path).get('tab');
  const tab: Tab = tabs.find((candidate) => candidate.id === requested)?.id ?? tabs[0]!.id;
  const reloadAll = () => {
    pending.reload();
    recent.reload();
    offers.reload();
  };

  return (
    <section>
      <div class="page-head approvals-head">
        <h1>{t('approvals.title')}</h1>
        {mayApprove && (
          <span class={toReview > 0 ? 'badge pending approvals-count' : 'badge approvals-count'} data-testid="approvals-pending-count" data-count={toReview}>
            {t('approvals.head.toReview', { count: toReview })}
          </span>
        )}
        {!mayApprove && mineWaiting > 0 && (
          <span class="badge pending approvals-count" data-testid="approvals-mine-count" data-count={mineWaiting}>
            {t('approvals.head.mineWaiting', { count: mineWaiting })}
          </span>
        )}
        {openOffers > 0 && (
          <span class="badge pending approvals-count" data-testid="approvals-offer-count" data-count={openOffers}>
            {t('approvals.head.offers', { count: openOffers })}
          </span>
        )}
        <button type="button" class="link-button" data-testid="approvals-refresh" onClick={reloadAll}>
          {t('approvals.refresh')}
        </button>
      </div>
      <nav class="approval-tabs" aria-label={t('approvals.tabs')}>
        {tabs.map((candidate) => (
          <a
            key={candidate.id}
            href={`#/approvals?tab=${candidate.id}`}
            class={candidate.id === tab ? 'approval-tab active' : 'approval-tab'}
            aria-current={candidate.id === tab ? 'page' : undefined}
            data-testid={`approvals-tab-${candidate.id}`}
            onClick={reloadAll}
          >
            {candidate.label}
            {candidate.count > 0 && <span class="approval-tab-count">{candidate.count}</span>}
          </a>
        ))}
      </nav>
      {tab === 'queue' && (
        <Loaded loaded={pending}>
          <p class="muted small">{t('approvals.queue.lead')}</p>
          <ApprovalQueue queue={queue} userId={userId} />
        </Loaded>
      )}
      {tab === 'mine' && (
        <Loaded loaded={recent}>
          <p class="muted small">{t('approvals.mine.lead')}</p>
          <MySubmissions items={mine} />
        </Loaded>
      )}
      {tab === 'offers' && (
        <Loaded loaded={offers}>
          <p class="muted small">{t('approvals.offers.lead')}</p>
          <OfferInbox offers={offers.data ?? []} onChanged={reloadAll} />
        </Loaded>
      )}
    </section>
  );
}

function Loaded({ loaded, children }: { loaded: { data: unknown; error: ApiError | undefined; reload: () => void }; children: ComponentChildren }) {
  const t = useT();
  if (loaded.error && loaded.data === undefined) {
    return (
      <p class="notice error" role="alert">
        {loaded.error.code === 'NETWORK' ? t('app.networkError') : t('app.error', { message: loaded.error.message })}{' '}
        <button type="button" class="link-button" onClick={loaded.reload}>
          {t('app.retry')}
        </button>
      </p>
    );
  }
  if (loaded.data === undefined) return <p>{t('app.loading')}</p>;
  return <>{children}</>;
}
