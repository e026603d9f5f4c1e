/** A benchmark run's results, the targets they are held to, and the Markdown table of both. */
import type { BenchPlan } from './plan.js';
import type { EmergencyResult } from './scenarios/emergency.js';
import type { FootprintResult } from './scenarios/footprint.js';
import type { RenderResult } from './scenarios/render.js';
import type { ScheduledStartResult } from './scenarios/scheduled-start.js';
import type { Distribution } from './stats.js';

export interface SetupResults {
  readonly setup: string;
  footprint: FootprintResult[];
  emergency: EmergencyResult[];
  scheduled: ScheduledStartResult | null;
  render: RenderResult | null;
}

export interface BenchResults {
  readonly date: string;
  readonly machine: { hostname: string; cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  readonly plan: BenchPlan;
  readonly baseline: SetupResults;
  readonly comparisons: SetupResults[];
  durationSeconds: number;
}

export interface TargetCheck {
  readonly target: string;
  readonly limit: string;
  readonly measured: string;
  readonly met: boolean | null;
}

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const dist = (d: Distribution | null) => (d ? `${ms(d.p50)} / ${ms(d.p95)} / ${ms(d.p99)} / ${ms(d.max)}` : '–');
const ratio = (value: number | null | undefined, base: number | null | undefined) =>
  value === null || value === undefined || !base ? '–' : `${(value / base).toFixed(2)}×`;

function check(target: string, limitMs: number, value: number | null | undefined, unit: 'ms' | 'MB' = 'ms'): TargetCheck {
  const show = (v: number) => (unit === 'MB' ? `${v} MB` : ms(v));
  return { target, limit: show(limitMs), measured: value === null || value === undefined ? 'not measured' : show(value), met: value === null || value === undefined ? null : value <= limitMs };
}

/** The targets for this 2-core machine; only a full run is held to them. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const { baseline } = results;
  const at = (n: number) => baseline.emergency.find((row) => row.receivers === n);
  const emergency = at(5_000);
  const scheduled = baseline.scheduled?.receivers === 5_000 ? baseline.scheduled : null;
  return [
    check('Emergency: command received by 99% of 5,000 (sentinels)', 1_000, emergency?.commandReceivedMs.sentinels?.p99),
    check('Emergency: siren started on 99% of 5,000 (sentinels)', 1_500, emergency?.toneStartedMs.sentinels?.p99),
    check('Emergency: 30 s message started on 99% of 5,000 (sentinels)', 10_000, emergency?.messageStartedMs.sentinels?.p99),
    check('Scheduled: start skew p99 over 5,000 (sentinels)', 20, scheduled?.startSkewMs.sentinels?.p99),
    check('Server RSS with 10,000 connected', 600, baseline.footprint.find((row) => row.connected === 10_000)?.rssMb, 'MB'),
    check('Reports of 5,000 plays stored after the last finished', 10_000, scheduled?.allStoredAfterLastFinishMs),
    check('Event-loop delay p99 during that burst', 50, scheduled?.eventLoopDelayP99Ms),
    check('60 s bulletin rendered, cold (slowest run)', 2_000, baseline.render?.coldMs?.max),
    check('60 s bulletin rendered, cached (slowest run)', 50, baseline.render?.cachedMs?.max),
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const { baseline, plan, machine } = results;
  const lines: string[] = [];
  const table = (head: string[], rows: string[][]) => {
    lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`), '');
  };
  lines.push(
    `# Benchmark ${results.date.slice(0, 16).replace('T', ' ')} UTC${plan.quick ? ' (quick)' : ''}`,
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node}, ${machine.platform}. ` +
      `Server and simulated receivers share this machine. Run took ${Math.round(results.durationSeconds / 60)} min.`,
    '',
    'Figures are p50 / p95 / p99 / max.',
    '',
    `## Emergency (${baseline.setup}; ${plan.emergencyMessageSeconds} s message, siren from the receivers' cache)`,
    '',
  );
  for (const who of ['sentinels', 'all'] as const) {
    lines.push(who === 'sentinels' ? '*Sentinel receivers (a receiver\'s view; see docs/performance.md):*' : '*The whole simulated fleet (bound by the simulator sharing two cores):*', '');
    table(
      ['Receivers', 'Measured', 'Request → command received', '→ siren started', '→ message started', '→ finished', '→ all reports stored'],
      baseline.emergency.map((row) => [
        `${row.receivers} (${row.reached} reached)`,
        String(row.commandReceivedMs[who]?.n ?? 0),
        dist(row.commandReceivedMs[who]),
        dist(row.toneStartedMs[who]),
        dist(row.messageStartedMs[who]),
        dist(row.finishedMs[who]),
        ms(row.allReportsStoredMs),
      ]),
    );
  }
  const scheduled = baseline.scheduled;
  if (scheduled) {
    lines.push(`## Scheduled broadcast to ${scheduled.receivers} receivers (${baseline.setup})`, '');
    table(
      ['', 'Measured', 'Start skew (from the sentinels\' median)', 'Timer fired − startAt', '`started` report − startAt'],
      (['sentinels', 'all'] as const).map((who) => [
        who === 'sentinels' ? 'Sentinels' : 'Whole fleet',
        String(scheduled.startSkewMs[who]?.n ?? 0),
        dist(scheduled.startSkewMs[who]),
        dist(scheduled.startLatenessMs[who]),
        dist(scheduled.reportedStartLatenessMs[who]),
      ]),
    );
    table(
      ['Receivers started', 'Reports', 'Stored after the last finished', 'Server event-loop delay p99 / max'],
      [[String(scheduled.started), String(scheduled.eventsReported), ms(scheduled.allStoredAfterLastFinishMs), `${ms(scheduled.eventLoopDelayP99Ms)} / ${ms(scheduled.eventLoopDelayMaxMs)}`]],
    );
  }
  lines.push(`## Server footprint with receivers connected (telemetry every 30 s; ${baseline.setup})`, '');
  table(
    ['Connected', 'RSS', 'CPU (one core = 100%)', 'Event-loop delay p99', 'Window'],
    baseline.footprint.map((row) => [String(row.connected), `${row.rssMb} MB`, `${row.cpuPercent}%`, ms(row.eventLoopDelayP99Ms), `${row.windowSeconds} s`]),
  );
  const render = baseline.render;
  if (render) {
    lines.push(`## Text to speech, normalised and encoded (${render.audioSeconds} s of audio, ${Math.round(render.audioBytes / 1024)} KiB)`, '');
    table(['Cold', 'Cached'], [[dist(render.coldMs), dist(render.cachedMs)]]);
  }
  if (results.comparisons.length > 0) {
    const n = plan.compareAt;
    const columns = [baseline, ...results.comparisons];
    const emergencyOf = (setup: SetupResults) => setup.emergency.find((row) => row.receivers === n);
    const footprintOf = (setup: SetupResults) => setup.footprint.find((row) => row.connected === n);
    const rows: [string, (setup: SetupResults) => number | null | undefined][] = [
      ['Emergency: command received p99 (sentinels)', (s) => emergencyOf(s)?.commandReceivedMs.sentinels?.p99],
      ['Emergency: siren started p99 (sentinels)', (s) => emergencyOf(s)?.toneStartedMs.sentinels?.p99],
      ['Emergency: message started p99 (sentinels)', (s) => emergencyOf(s)?.messageStartedMs.sentinels?.p99],
      ['Emergency: all reports stored', (s) => emergencyOf(s)?.allReportsStoredMs],
      ['Burst: stored after last finish', (s) => s.scheduled?.allStoredAfterLastFinishMs],
      ['Burst: event-loop delay p99', (s) => s.scheduled?.eventLoopDelayP99Ms],
      ['Telemetry: server CPU %', (s) => footprintOf(s)?.cpuPercent],
      ['Telemetry: server RSS MB', (s) => footprintOf(s)?.rssMb],
    ];
    lines.push(`## Side by side at ${n} receivers (ratio to ${baseline.setup})`, '');
    table(
      ['', ...columns.map((setup) => setup.setup)],
      rows.map(([label, read]) => [
        label,
        ...columns.map((setup, index) => {
          const value = read(setup);
          const shown = label.includes('%') || label.includes('MB') ? String(value ?? '–') : ms(value);
          return index === 0 ? shown : `${shown} (${ratio(value, read(baseline))})`;
        }),
      ]),
    );
  }
  if (!plan.quick) {
    lines.push('## Targets', '');
    table(
      ['Target', 'Limit', 'Measured', 'Met'],
      checkTargets(results).map((row) => [row.target, row.limit, row.measured, row.met === null ? '–' : row.met ? 'yes' : '**no**']),
    );
  }
  return `${lines.join('\n')}\n`;
}
