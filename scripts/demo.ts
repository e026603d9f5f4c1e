/**
 * `npm run demo`: the server with embedded database and broker, a demo commune with three
 * receivers running as real agent processes (file player: each playback is logged, no sound card
 * needed), and a printed login. Safe to run again: the demo receivers and their tokens are reused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printBanner, startOrExit, type RunningServer } from '../server/main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface DemoReceiver {
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

async function ensureDemoNetwork(server: RunningServer, stateFile: string): Promise<DemoReceiver[]> {
  if (existsSync(stateFile)) return JSON.parse(await readFile(stateFile, 'utf8')) as DemoReceiver[];
  const prisma = server.database.prisma;
  const inject = async <T>(method: 'POST', url: string, payload: unknown, token: string): Promise<T> => {
    const response = await server.app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}` } });
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.body}`);
    return response.json<T>();
  };
  const admin = await prisma.user.findFirstOrThrow({ where: { role: 'admin' } });
  // The demo network is set up through the real API, signed in as the initial admin.
  const login = await server.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: admin.username, password: server.initialAdmin.password ?? process.env.ADMIN_PASSWORD ?? '' },
  });
  if (login.statusCode !== 200) throw new Error('demo: cannot sign in as the initial admin (was ADMIN_PASSWORD changed?)');
  const token = login.json<{ token: string }>().token;
  const province = await inject<{ id: string }>('POST', '/api/areas', { name: 'Tỉnh Hòa Bình', kind: 'province', code: 'HB' }, token);
  const district = await inject<{ id: string }>('POST', '/api/areas', { name: 'Huyện Lạc Sơn', kind: 'district', code: 'HB-LS', parentId: province.id }, token);
  const commune = await inject<{ id: string }>('POST', '/api/areas', { name: 'Xã Văn Sơn', kind: 'commune', code: 'HB-LS-VS', parentId: district.id }, token);
  const receivers: DemoReceiver[] = [];
  for (const hamlet of ['Xóm Bưa', 'Xóm Mới', 'Xóm Khang']) {
    const area = await inject<{ id: string }>('POST', '/api/areas', { name: hamlet, kind: 'hamlet', parentId: commune.id }, token);
    const device = await inject<{ id: string; token: string }>('POST', '/api/devices', { name: `Loa ${hamlet}`, areaId: area.id }, token);
    receivers.push({ id: device.id, name: `Loa ${hamlet}`, token: device.token });
  }
  await writeFile(stateFile, JSON.stringify(receivers, null, 2), { mode: 0o600 });
  return receivers;
}

function startAgent(server: RunningServer, receiver: DemoReceiver, dataDir: string): ChildProcess {
  const brokerUrl =
    server.mqtt.mode === 'external'
      ? server.mqtt.url
      : server.mqtt.port !== null
        ? `mqtt://127.0.0.1:${server.mqtt.port}`
        : `mqtts://localhost:${server.mqtt.tlsPort}`;
  // With a certificate the receivers download over HTTPS (and with MQTT_PLAINTEXT=false connect over
  // TLS): trusting the server's own certificate covers a self-signed one.
  const caFile = server.config.tls?.certFile;
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'device-agent', 'main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      AGENT_BROKER_URL: brokerUrl,
      AGENT_DEVICE_ID: receiver.id,
      AGENT_TOKEN: receiver.token,
      AGENT_DATA_DIR: dataDir,
      AGENT_PLAYER: `file:${path.join(dataDir, 'plays.jsonl')}`,
      AGENT_TOPIC_ROOT: server.topics.root,
      AGENT_LOG_LEVEL: 'warn',
      ...(caFile ? { AGENT_CA_FILE: caFile } : {}),
    },
  });
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? './data');
  // The example programmes name the demo commune: they are copied in once it exists (below).
  const schedulesDir = path.join(dataDir, 'demo-schedules');
  await mkdir(schedulesDir, { recursive: true });
  const server = await startOrExit(
    { MQTT_PORT_FALLBACK: 'true', SCHEDULES_DIR: schedulesDir, ...process.env, DATA_DIR: dataDir },
    process.env.LOG_LEVEL ?? 'warn',
  );
  const config = server.config;
  const demoDir = path.join(config.dataDir, 'demo-receivers');
  await mkdir(demoDir, { recursive: true });
  const receivers = await ensureDemoNetwork(server, path.join(demoDir, 'receivers.json'));
  if (config.scheduling.schedulesDir === schedulesDir) await cp(path.join(root, 'schedules'), schedulesDir, { recursive: true });
  const programmes = await server.programmes.sync();
  const agents = await Promise.all(
    receivers.map(async (receiver) => {
      const dir = path.join(demoDir, receiver.id);
      await mkdir(dir, { recursive: true });
      return startAgent(server, receiver, dir);
    }),
  );
  printBanner(server);
  const loginFile = server.initialAdmin.passwordFile ?? path.join(config.dataDir, 'initial-admin-password');
  if (!server.initialAdmin.password && existsSync(loginFile)) {
    process.stdout.write(`  Login        ${config.admin.username} / ${(await readFile(loginFile, 'utf8')).trim()}  (from ${loginFile})\n`);
  }
  process.stdout.write(
    `  Demo         ${receivers.length} receivers in Xã Văn Sơn: ${receivers.map((r) => r.id).join(', ')}\n` +
      `               each playback is appended to ${demoDir}/<id>/plays.jsonl\n` +
      `  Programmes   ${programmes.files.map((f) => `${path.basename(f.path)}${f.errors.length ? ` (${f.errors.length} errors)` : ''}`).join(', ') || 'none'} from ${config.scheduling.schedulesDir}: ` +
      `${programmes.broadcasts.created} broadcasts created, ${programmes.broadcasts.unchanged} programmes unchanged\n` +
      `  Stop         Ctrl+C\n`,
  );
  const shutdown = async () => {
    for (const agent of agents) agent.kill('SIGTERM');
    await Promise.all(agents.map((agent) => new Promise((resolve) => (agent.exitCode !== null ? resolve(null) : agent.once('exit', resolve)))));
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

await main();
