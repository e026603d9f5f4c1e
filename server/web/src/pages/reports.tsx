/**
 * `#/reports`: the broadcasts of a period; `#/reports/areas`: per area and period, plays and how
 * reliably receivers were reachable, with a drill-down into child areas; `#/reports/broadcast/<id>`:
 * what each receiver did with one broadcast. The period and filters live in the hash, so a report
 * can be bookmarked or sent to a colleague.
 */
import { ReportAreas } from '../components/report-areas.js';
import { ReportBroadcast } from '../components/report-broadcast.js';
import { ReportBroadcastList } from '../components/report-broadcast-list.js';
import { ReportPeriodPicker } from '../components/report-period-picker.js';
import { query } from '../api.js';
import { useT } from '../i18n/index.js';
import { isReportState } from '../lib/report-broadcast.js';
import { periodFromQuery, periodParams, type ReportPeriod } from '../lib/report-period.js';
import { matchRoute, navigate, routeQuery } from '../router.js';
import '../styles/reports.css';

type View = 'broadcasts' | 'areas';

export function ReportsPage({ path }: { path: string }) {
  const broadcastId = matchRoute('/reports/broadcast/:id', path)?.id;
  if (broadcastId) {
    return (
      <section class="reports">
        <ReportBroadcast key={broadcastId} id={broadcastId} />
      </section>
    );
  }
  return <ReportOverview view={matchRoute('/reports/areas', path) ? 'areas' : 'broadcasts'} params={routeQuery(path)} />;
}

function ReportOverview({ view, params }: { view: View; params: URLSearchParams }) {
  const t = useT();
  const period = periodFromQuery(params, new Date());
  const state = params.get('state') ?? '';
  const areaId = params.get('areaId') ?? undefined;
  const go = (next: { view?: View; period?: ReportPeriod; state?: string; areaId?: string | undefined }) => {
    const target = next.view ?? view;
    const entries = {
      ...periodParams(next.period ?? period),
      ...(target === 'broadcasts' ? { state: next.state ?? state } : { areaId: 'areaId' in next ? next.areaId : areaId }),
    };
    navigate(`/reports${target === 'areas' ? '/areas' : ''}${query(entries)}`);
  };
  const tabHref = (target: View) => `#/reports${target === 'areas' ? '/areas' : ''}${query(periodParams(period))}`;
  return (
    <section class="reports" data-testid="reports">
      <h1>{t('reports.title')}</h1>
      <nav class="report-tabs" aria-label={t('reports.views')}>
        <a href={tabHref('broadcasts')} class={view === 'broadcasts' ? 'active' : undefined} aria-current={view === 'broadcasts' ? 'page' : undefined} data-testid="report-tab-broadcasts">
          {t('reports.tab.broadcasts')}
        </a>
        <a href={tabHref('areas')} class={view === 'areas' ? 'active' : undefined} aria-current={view === 'areas' ? 'page' : undefined} data-testid="report-tab-areas">
          {t('reports.tab.areas')}
        </a>
      </nav>
      <ReportPeriodPicker period={period} onChange={(next) => go({ period: next })} />
      {view === 'broadcasts' ? (
        <ReportBroadcastList period={period} state={isReportState(state) ? state : null} onState={(next) => go({ state: next ?? '' })} />
      ) : (
        <ReportAreas period={period} areaId={areaId} onArea={(next) => go({ areaId: next })} />
      )}
    </section>
  );
}
