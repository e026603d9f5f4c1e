/**
 * `npm run fleet -- --count N --server URL --area AREA_ID`: N simulated receivers on this machine
 * against a running server, until Ctrl-C. Receivers are registered in the area through the API the
 * first time (credentials kept in --credentials for the next run); the broker URL and topic root
 * come from the server unless given. Sign-in: FLEET_TOKEN (an integration token) or
 * FLEET_USERNAME / FLEET_PASSWORD of a user who may manage receivers there.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from '../../test/helpers/api-client.js';
import { Fleet } from './fleet.js';
import { loadCredentials, registerReceivers, saveCredentials } from './provision.js';

const USAGE = `Usage: npm run fleet -- --count N --server URL --area AREA_ID [options]
  --count N            simulated receivers (required)
  --server URL         the server's HTTP base URL (required)
  --area ID            area to register new receivers in (required unless --credentials holds enough)
  --broker URL         MQTT broker (default: what GET /api/devices/agent-setup says)
  --topic-root ROOT    topic root (default: the server's)
  --processes K        worker processes (default: one per 2,500 receivers, at least 1)
  --rate R             receivers started per second (default 200)
  --clock own|shared   each receiver syncs its own clock (default) or one per process
  --credentials FILE   where receivers' ids and tokens are kept (default ./fleet-credentials.json)
  --data-dir DIR       receivers' state, caches and outboxes (default: a folder in the OS temp dir)
Sign-in: FLEET_TOKEN, or FLEET_USERNAME and FLEET_PASSWORD.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      server: { type: 'string' },
      area: { type: 'string' },
      broker: { type: 'string' },
      'topic-root': { type: 'string' },
      processes: { type: 'string' },
      rate: { type: 'string', default: '200' },
      clock: { type: 'string', default: 'own' },
      credentials: { type: 'string', default: 'fleet-credentials.json' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) fail('--count must be a whole number of receivers');
  if (!values.server) fail('--server is required');
  if (values.clock !== 'own' && values.clock !== 'shared') fail('--clock must be own or shared');
  const rate = Number(values.rate);
  if (!(rate > 0)) fail('--rate must be a positive number');
  const serverUrl = values.server.replace(/\/+$/, '');

  const api = process.env.FLEET_TOKEN ? ApiClient.withToken(serverUrl, process.env.FLEET_TOKEN) : new ApiClient(serverUrl);
  if (!process.env.FLEET_TOKEN) {
    const { FLEET_USERNAME: username, FLEET_PASSWORD: password } = process.env;
    if (!username || !password) fail('set FLEET_TOKEN, or FLEET_USERNAME and FLEET_PASSWORD');
    await api.login(username, password);
  }
  const setup = await api.get<{ brokerUrl: string | null; topicRoot: string }>('/api/devices/agent-setup');
  if (setup.status !== 200) fail(`the server refused GET /api/devices/agent-setup (${setup.status}): does the user manage receivers?`);
  const brokerUrl = values.broker ?? setup.body.brokerUrl ?? fail('the server does not know its broker URL: pass --broker');

  const credentialsFile = path.resolve(values.credentials);
  let receivers = await loadCredentials(credentialsFile, serverUrl);
  if (receivers.length < count) {
    if (!values.area) fail(`${credentialsFile} holds ${receivers.length} receivers: pass --area to register ${count - receivers.length} more`);
    process.stdout.write(`registering ${count - receivers.length} receivers in area ${values.area}…\n`);
    receivers = [...receivers, ...(await registerReceivers(api, [values.area], count - receivers.length, 'Loa mô phỏng'))];
    await saveCredentials(credentialsFile, serverUrl, receivers);
  }
  const chosen = receivers.slice(0, count);
  const dataDir = values['data-dir'] ?? path.join(os.tmpdir(), 'commune-fleet');
  await mkdir(dataDir, { recursive: true });

  const fleet = new Fleet({
    brokerUrl,
    serverUrl,
    topicRoot: values['topic-root'] ?? setup.body.topicRoot,
    dataDir,
    processes: values.processes ? Number(values.processes) : Math.max(1, Math.ceil(count / 2500)),
    startPerSecond: rate,
    clock: values.clock,
    logLevel: process.env.FLEET_LOG_LEVEL ?? 'error',
  });
  fleet.start();
  fleet.add(chosen);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the fleet…\n');
    void fleet.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const started = Date.now();
  while (!stopping) {
    const status = await fleet.status().catch(() => undefined);
    if (status) {
      process.stdout.write(
        `${Math.round((Date.now() - started) / 1000)} s: ${status.connected}/${count} connected, ${status.clocksSynced} clocks synced, ` +
          `${status.eventsPublished} events sent, ${Math.round(status.rssBytes / 2 ** 20)} MiB in ${status.processes} processes\n`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

await main();
