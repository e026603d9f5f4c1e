/**
 * The commune's inbox: what the district or province sent down. Open offers first, each to be
 * scheduled at the proposed time or another, or declined with a reason the sender reads; decided
 * ones show who decided, when and why.
 */
import { useLocale, useT } from '../i18n/index.js';
import { isOpenOffer, sortOffers } from '../lib/approval-queue.js';
import type { InboxOffer } from '../lib/approval-types.js';
import { findArea } from '../lib/area-tree.js';
import { formatDateTime } from '../lib/format.js';
import { useSession } from '../session.js';
import { PriorityBadge, ScheduleText } from './approval-facts.js';
import { OfferDecision } from './offer-decision.js';

const STATE_BADGE = { offered: 'pending', clash: 'playing', accepted: 'approved', scheduled: 'approved', declined: 'rejected' } as const;

export function OfferInbox({ offers, onChanged }: { offers: readonly InboxOffer[]; onChanged: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const mayDecide = session.may('offers:decide');
  if (offers.length === 0) return <p class="muted" data-testid="offer-empty">{t('approvals.offers.empty')}</p>;
  return (
    <ul class="approval-list" data-testid="offer-inbox">
      {sortOffers(offers).map((offer) => {
        const from = offer.fromAreaId ? findArea(session.areas, offer.fromAreaId)?.name : undefined;
        const proposedPast = !offer.proposed.recurrence && offer.proposed.startAt !== null && new Date(offer.proposed.startAt).getTime() < Date.now();
        return (
          <li key={offer.id} class={`approval-card offer-${offer.state}`} data-testid="offer-item" data-offer-id={offer.id} data-state={offer.state}>
            <div class="approval-card-head">
              <span class="approval-title">{offer.title}</span>
              <PriorityBadge priority={offer.priority} />
              <span class={`badge ${STATE_BADGE[offer.state]}`}>{t(`approvals.offers.state.${offer.state}`)}</span>
            </div>
            {offer.state === 'clash' && <p class="notice warn small">{t('approvals.offers.clashHint')}</p>}
            <dl class="approval-facts">
              <dt>{t('approvals.offers.from')}</dt>
              <dd>{from ?? t('approvals.offers.fromAbove')}</dd>
              <dt>{t('approvals.offers.to')}</dt>
              <dd>{offer.areaName}</dd>
              <dt>{t('approvals.offers.proposed')}</dt>
              <dd>
                {offer.proposed.startAt || offer.proposed.recurrence ? (
                  <ScheduleText startAt={offer.proposed.startAt} recurrence={offer.proposed.recurrence} />
                ) : (
                  t('approvals.when.asap')
                )}
                {proposedPast && isOpenOffer(offer) && <span class="muted small"> {t('approvals.offers.proposedPast')}</span>}
              </dd>
              <dt>{t('approvals.offers.received')}</dt>
              <dd>{formatDateTime(offer.createdAt, locale)}</dd>
            </dl>
            {!isOpenOffer(offer) && (
              <div class={offer.state === 'declined' ? 'approval-decision-box rejected' : 'approval-decision-box'} data-testid="offer-decided">
                <p>
                  {t('approvals.offers.decidedBy', {
                    name: offer.decidedBy === 'automatic' || !offer.decidedBy ? t('approvals.system') : offer.decidedBy,
                    time: offer.decidedAt ? formatDateTime(offer.decidedAt, locale) : '—',
                  })}
                </p>
                {offer.reason && (
                  <p class="approval-reason">
                    <strong>{t('approvals.mine.reason')}</strong> {offer.reason}
                  </p>
                )}
                {offer.scheduledBroadcastId && (
                  <a href={`#/reports/broadcast/${encodeURIComponent(offer.scheduledBroadcastId)}`}>{t('approvals.openReport')}</a>
                )}
              </div>
            )}
            {isOpenOffer(offer) && mayDecide && <OfferDecision offer={offer} onDecided={onChanged} />}
          </li>
        );
      })}
    </ul>
  );
}
