/**
 * `npm run bench [-- --quick] [--skip-comparison]`: starts the server as its own process, brings up
 * a simulated fleet in stages, runs the scenarios, then does the same on the machine's Mosquitto and
 * PostgreSQL for comparison, and writes bench/results/<date>-<machine>.json and .md (quick and
 * exploratory runs: bench/results/local/, not committed). See docs/performance.md for the method.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAreaTree, setupName, startBenchServer, type BenchServer, type ServerSetup } from './bench-server.js';
import { Fleet } from './fleet/fleet.js';
import { registerReceivers, type StoredReceiver } from './fleet/provision.js';
import { FULL_PLAN, QUICK_PLAN, type BenchPlan } from './plan.js';
import { renderMarkdown, type BenchResults, type SetupResults } from './report.js';
import { runEmergency } from './scenarios/emergency.js';
import { runFootprint } from './scenarios/footprint.js';
import { runRender } from './scenarios/render.js';
import { runScheduledStart } from './scenarios/scheduled-start.js';
import { bulletinText } from './scenarios/texts.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function prepareBulletin(server: BenchServer, seconds: number, title: string): Promise<string> {
  const response = await server.api.post<{ id: string }>('/api/bulletins', { title, text: bulletinText(seconds) });
  if (response.status !== 201) throw new Error(`bulletin refused: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** One server configuration, its fleet brought up stage by stage, and the scenarios of each stage. */
async function runSetup(setup: ServerSetup, plan: BenchPlan, stages: readonly number[], emergencyAt: readonly number[], withRender: boolean): Promise<SetupResults> {
  log(`${setupName(setup)}: starting the server`);
  const server = await startBenchServer(setup);
  const fleetDir = path.join(os.tmpdir(), `cb-bench-fleet-${process.pid}-${setup.broker}-${setup.database}`);
  const largest = stages[stages.length - 1]!;
  const fleet = new Fleet({
    brokerUrl: server.brokerUrl,
    serverUrl: server.url,
    topicRoot: server.topicRoot,
    dataDir: fleetDir,
    processes: Math.max(1, Math.ceil(largest / plan.receiversPerProcess)),
    startPerSecond: plan.startPerSecond,
    clock: 'own',
    logLevel: process.env.FLEET_LOG_LEVEL ?? 'error',
    sentinelEvery: plan.sentinelEvery,
  });
  const results: SetupResults = { setup: setupName(setup), footprint: [], emergency: [], scheduled: null, render: null };
  try {
    if (withRender) {
      log('rendering a one-minute bulletin, cold and cached');
      results.render = await runRender(server.api, { seconds: plan.renderSeconds, coldRuns: plan.renderColdRuns, cachedRuns: plan.renderCachedRuns, runId: Date.now() % 10_000 });
    }
    const communes = Math.ceil(largest / plan.receiversPerCommune);
    const tree = await createAreaTree(server.api, communes);
    log(`registering ${largest} receivers in ${communes} communes`);
    const receivers: StoredReceiver[] = [];
    for (const [index, communeId] of tree.communeIds.entries()) {
      const count = Math.min(plan.receiversPerCommune, largest - index * plan.receiversPerCommune);
      receivers.push(...(await registerReceivers(server.api, [communeId], count, `Loa ${index + 1}`)));
    }
    const emergencyBulletin = await prepareBulletin(server, plan.emergencyMessageSeconds, 'Cảnh báo lũ quét');
    const scheduledBulletin = await prepareBulletin(server, plan.scheduledMessageSeconds, 'Thông báo');

    await mkdir(fleetDir, { recursive: true });
    fleet.start();
    let connected = 0;
    for (const stage of stages) {
      log(`connecting receivers ${connected + 1}–${stage}`);
      fleet.add(receivers.slice(connected, stage));
      const up = Date.now();
      await fleet.waitUntilConnected(stage, 20 * 60_000);
      log(`${stage} receivers connected in ${Math.round((Date.now() - up) / 1000)} s`);
      connected = stage;
      // Let the connect wave's reports and first telemetry settle before measuring the steady state.
      await new Promise((resolve) => setTimeout(resolve, plan.quick ? 2_000 : 10_000));
      results.footprint.push(await runFootprint(server, stage, plan.footprintWindowMs));
      const areaIds = tree.communeIds.slice(0, Math.ceil(stage / plan.receiversPerCommune));
      if (emergencyAt.includes(stage)) {
        log(`emergency to ${stage} receivers`);
        results.emergency.push(
          await runEmergency(server.api, fleet, {
            areaIds,
            receivers: stage,
            bulletinId: emergencyBulletin,
            messageSeconds: plan.emergencyMessageSeconds,
            timeoutMs: (plan.emergencyMessageSeconds + 120) * 1000,
          }),
        );
      }
      if (stage === plan.compareAt) {
        log(`receivers re-measuring their clocks, then a scheduled broadcast to ${stage}`);
        await fleet.resyncClocks(plan.resyncPerSecond);
        results.scheduled = await runScheduledStart(server, fleet, {
          areaIds,
          receivers: stage,
          bulletinId: scheduledBulletin,
          leadMs: plan.scheduledLeadMs,
          timeoutMs: (plan.scheduledMessageSeconds + 120) * 1000,
        });
      }
    }
    if (process.env.BENCH_SERVER_LOG) await writeFile(process.env.BENCH_SERVER_LOG, server.output());
    return results;
  } catch (error) {
    process.stderr.write(`\nthe server's last words:\n${server.output().slice(-6_000)}\n`);
    throw error;
  } finally {
    await fleet.stop();
    await server.stop();
    await rm(fleetDir, { recursive: true, force: true });
  }
}

/** Functional failures (receivers that never got or played something) fail the run, quick or full. */
function problems(results: BenchResults): string[] {
  const found: string[] = [];
  for (const setup of [results.baseline, ...results.comparisons]) {
    for (const emergency of setup.emergency) {
      if (emergency.reached < emergency.receivers) found.push(`${setup.setup}: emergency reached ${emergency.reached} of ${emergency.receivers} receivers`);
      if (emergency.allReportsStoredMs === null) found.push(`${setup.setup}: emergency reports of ${emergency.receivers} receivers were never all stored`);
    }
    const scheduled = setup.scheduled;
    if (scheduled && scheduled.started < scheduled.receivers) found.push(`${setup.setup}: scheduled broadcast started on ${scheduled.started} of ${scheduled.receivers} receivers`);
    if (scheduled && scheduled.allStoredAfterLastFinishMs === null) found.push(`${setup.setup}: scheduled broadcast's reports were never all stored`);
  }
  return found;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'skip-comparison': { type: 'boolean', default: false },
      // For investigating one size: `--stages 2000 --emergency-at 2000 --compare-at 2000`.
      stages: { type: 'string' },
      'emergency-at': { type: 'string' },
      'compare-at': { type: 'string' },
    },
  });
  const sizes = (value: string) => value.split(',').map((size) => Number.parseInt(size, 10));
  const base = values.quick ? QUICK_PLAN : FULL_PLAN;
  const plan: BenchPlan = {
    ...base,
    ...(values.stages ? { stages: sizes(values.stages) } : {}),
    ...(values['emergency-at'] ? { emergencyAt: sizes(values['emergency-at']) } : {}),
    ...(values['compare-at'] ? { compareAt: Number.parseInt(values['compare-at'], 10) } : {}),
  };
  const startedAt = new Date();
  const cpus = os.cpus();
  const results: BenchResults = {
    date: startedAt.toISOString(),
    machine: {
      hostname: os.hostname(),
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    plan,
    baseline: await runSetup({ broker: 'embedded', database: 'pglite' }, plan, plan.stages, plan.emergencyAt, true),
    comparisons: [],
    durationSeconds: 0,
  };
  if (!values['skip-comparison']) {
    // The comparison is at one size, with every receiver connected at once.
    for (const setup of [{ broker: 'mosquitto', database: 'pglite' }, { broker: 'embedded', database: 'postgres' }] as const) {
      results.comparisons.push(await runSetup(setup, plan, [plan.compareAt], [plan.compareAt], false));
    }
  }
  results.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);

  // Only a full run at the planned sizes is a result to commit; quick and exploratory runs stay local.
  const exploratory = plan.quick || Boolean(values.stages || values['emergency-at'] || values['compare-at'] || values['skip-comparison']);
  const dir = path.join(root, 'bench', 'results', ...(exploratory ? ['local'] : []));
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${startedAt.toISOString().slice(0, 10)}-${os.hostname().replace(/[^A-Za-z0-9_-]/g, '-')}`);
  await writeFile(`${file}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  await writeFile(`${file}.md`, markdown);
  process.stdout.write(`\n${markdown}\nwritten: ${file}.json and ${file}.md\n`);
  const found = problems(results);
  if (found.length > 0) {
    process.stderr.write(`\nbenchmark failed:\n${found.map((line) => `  - ${line}`).join('\n')}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
