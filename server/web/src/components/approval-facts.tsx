/**
 * What a broadcast is, in words, wherever the approval page shows one: its priority, when it
 * plays (once, or daily / weekly / monthly at times, between dates, repeated), and where.
 */
import { useLocale, useT, type Translate } from '../i18n/index.js';
import type { Locale } from '../i18n/define.js';
import { summariseTarget } from '../lib/approval-queue.js';
import { describeSchedule, type ScheduleDescription } from '../lib/approval-schedule.js';
import type { BroadcastTarget, Recurrence, Repeat } from '../lib/approval-types.js';
import { dayStart } from '../lib/calendar-week.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { useSession } from '../session.js';

const KNOWN_PRIORITIES = ['emergency', 'high', 'normal', 'low'] as const;
type KnownPriority = (typeof KNOWN_PRIORITIES)[number];
const isKnownPriority = (priority: string): priority is KnownPriority => (KNOWN_PRIORITIES as readonly string[]).includes(priority);

/** Only what stands out: normal priority needs no badge. */
export function PriorityBadge({ priority }: { priority: string }) {
  const t = useT();
  if (priority === 'normal' || !isKnownPriority(priority)) return null;
  return <span class={`badge approval-priority ${priority}`}>{t(`schedule.priority.${priority}`)}</span>;
}

export function scheduleText(t: Translate, locale: Locale, description: ScheduleDescription): string {
  const { rule } = description;
  const times = 'times' in rule ? rule.times.join(', ') : '';
  const main = (() => {
    switch (rule.kind) {
      case 'once':
        return formatDateTime(rule.at, locale);
      case 'asap':
        return t('approvals.when.asap');
      case 'daily':
        return t('approvals.when.daily', { times });
      case 'weekly':
        return t('approvals.when.weekly', { days: rule.days.map((day) => t(`approvals.weekday.${day}`)).join(', '), times });
      case 'monthly':
        return t('approvals.when.monthly', { days: rule.days.join(', '), times });
      case 'cron':
        return t('approvals.when.cron', { expression: rule.expression });
    }
  })();
  const from = description.validFrom ? formatDate(dayStart(description.validFrom), locale) : '';
  const until = description.validUntil ? formatDate(dayStart(description.validUntil), locale) : '';
  const validity = from && until ? t('approvals.when.between', { from, until }) : from ? t('approvals.when.from', { from }) : until ? t('approvals.when.until', { until }) : '';
  const repeat = description.repeatCount > 1 ? t('approvals.when.repeat', { count: description.repeatCount }) : '';
  return [main, validity, repeat].filter(Boolean).join(' · ');
}

export function ScheduleText({ startAt, recurrence, repeat }: { startAt: string | null; recurrence: Recurrence | null; repeat?: Repeat | null }) {
  const t = useT();
  const { locale } = useLocale();
  return <>{scheduleText(t, locale, describeSchedule({ startAt, recurrence, repeat: repeat ?? null }))}</>;
}

export function TargetText({ target }: { target: BroadcastTarget }) {
  const t = useT();
  const { areas } = useSession();
  const summary = summariseTarget(target, areas);
  const parts = [
    ...summary.areaNames,
    summary.otherAreas > 0 ? t('approvals.target.otherAreas', { count: summary.otherAreas }) : '',
    summary.deviceCount > 0 ? t('approvals.target.devices', { count: summary.deviceCount }) : '',
  ].filter(Boolean);
  return <>{parts.join(', ')}</>;
}
