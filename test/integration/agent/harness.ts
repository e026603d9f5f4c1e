/**
 * Integration harness for the device agent: an in-test aedes broker (TCP, optionally WebSocket at
 * /mqtt) with device auth and an exact-topic ACL like the server's, a local HTTP server for audio
 * and /api/time, real MP3s made with ffmpeg, and the agent as a real child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { Aedes, type AuthenticateError } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { AudioRef } from '../../../protocol/index.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Published {
  readonly topic: string;
  readonly payload: unknown;
  readonly retain: boolean;
  readonly clientId: string | null;
}

export interface BrokerOptions {
  readonly port?: number;
  readonly devices: Readonly<Record<string, string>>; // deviceId → token
  readonly areaPaths?: Readonly<Record<string, readonly string[]>>;
  readonly root?: string;
  readonly webSocket?: boolean;
  /** Everything clients publish, kept across broker restarts. */
  readonly log: Published[];
}

export interface TestBroker {
  readonly aedes: Aedes;
  readonly port: number;
  readonly wsUrl: string | undefined;
  readonly subscriptions: Map<string, Set<string>>;
  readonly refusedSubscriptions: string[];
  authAttempts: number;
  publish(topic: string, payload: unknown, retain?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startBroker(options: BrokerOptions): Promise<TestBroker> {
  const root = options.root ?? 'loa';
  const aedes = await Aedes.createBroker();
  const subscriptions = new Map<string, Set<string>>();
  const refusedSubscriptions: string[] = [];
  const state = { authAttempts: 0 };
  aedes.authenticate = (client, username, password, done) => {
    state.authAttempts++;
    const ok = username !== undefined && client.id === username && options.devices[username] === password?.toString('utf8');
    if (!ok) {
      done(Object.assign(new Error('bad device credentials'), { returnCode: 4 }) as AuthenticateError, false);
      return;
    }
    done(null, true);
  };
  // The server's policy: exact topics only; own inbound channels, server state, and the device's areas.
  aedes.authorizeSubscribe = (client, subscription, done) => {
    const id = client?.id ?? '';
    const allowed = new Set([
      `${root}/device/${id}/config`,
      `${root}/device/${id}/schedule`,
      `${root}/device/${id}/command`,
      `${root}/server/state`,
      ...(options.areaPaths?.[id] ?? []).map((area) => `${root}/area/${area}/command`),
    ]);
    if (!allowed.has(subscription.topic)) {
      refusedSubscriptions.push(subscription.topic);
      done(null, null);
      return;
    }
    done(null, subscription);
  };
  aedes.authorizePublish = (client, packet, done) => {
    const id = client?.id;
    const ok = !id || ['availability', 'event', 'telemetry'].some((channel) => packet.topic === `${root}/device/${id}/${channel}`);
    done(ok ? null : new Error(`publish to ${packet.topic} not allowed`));
  };
  aedes.on('subscribe', (subs, client) => {
    const set = subscriptions.get(client.id) ?? new Set<string>();
    for (const sub of subs) set.add(sub.topic);
    subscriptions.set(client.id, set);
  });
  aedes.on('unsubscribe', (topics, client) => {
    for (const topic of topics) subscriptions.get(client.id)?.delete(topic);
  });
  aedes.on('publish', (packet, client) => {
    if (packet.topic.startsWith('$SYS')) return;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(packet.payload).toString('utf8'));
    } catch {
      payload = Buffer.from(packet.payload).toString('utf8');
    }
    options.log.push({ topic: packet.topic, payload, retain: packet.retain, clientId: client?.id ?? null });
  });

  const tcp = net.createServer((socket) => aedes.handle(socket));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (tcp.address() as AddressInfo).port;

  let http: HttpServer | undefined;
  let wsUrl: string | undefined;
  if (options.webSocket) {
    http = createHttpServer();
    const wss = new WebSocketServer({ server: http, path: '/mqtt' });
    wss.on('connection', (socket, request) => aedes.handle(createWebSocketStream(socket), request));
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', () => resolve()));
    wsUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/mqtt`;
  }

  return {
    aedes,
    port,
    wsUrl,
    subscriptions,
    refusedSubscriptions,
    get authAttempts() {
      return state.authAttempts;
    },
    publish: (topic, payload, retain = false) =>
      new Promise<void>((resolve, reject) => {
        const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(JSON.stringify(payload));
        aedes.publish({ cmd: 'publish', topic, payload: body, qos: 1, retain, dup: false }, (error) => (error ? reject(error) : resolve()));
      }),
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (http) {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http!.close(() => resolve()));
      }
    },
  };
}

export interface AudioServer {
  readonly url: string;
  readonly hits: Map<string, number>;
  /** Serve `body` at `/audio/<name>`; with `throttle`, in `chunkBytes` pieces every `intervalMs` (a slow link). */
  serve(name: string, body: Buffer, throttle?: Throttle): void;
  /** When each throttled response finished sending, by path (Date.now()). */
  readonly completed: Map<string, number>;
  close(): Promise<void>;
}

export interface Throttle {
  readonly chunkBytes: number;
  readonly intervalMs: number;
}

/** Audio files and the server clock (`GET /api/time` → {now}). */
export async function startAudioServer(): Promise<AudioServer> {
  const files = new Map<string, { body: Buffer; throttle: Throttle | undefined }>();
  const hits = new Map<string, number>();
  const completed = new Map<string, number>();
  const server = createHttpServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === '/api/time') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ now: Date.now() }));
      return;
    }
    const file = files.get(url);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const { body, throttle } = file;
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': body.length });
    if (!throttle) {
      res.end(body);
      return;
    }
    let offset = 0;
    const timer = setInterval(() => {
      const chunk = body.subarray(offset, offset + throttle.chunkBytes);
      offset += chunk.length;
      if (offset < body.length) {
        res.write(chunk);
        return;
      }
      clearInterval(timer);
      res.end(chunk, () => completed.set(url, Date.now()));
    }, throttle.intervalMs);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    completed,
    serve: (name, body, throttle) => files.set(`/audio/${name}`, { body, throttle }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A mono MP3 sine tone made with ffmpeg. */
export async function makeMp3(file: string, seconds: number, frequency = 440): Promise<Buffer> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      ffmpeg.path,
      ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=${seconds}`, '-ac', '1', '-ar', '22050', '-b:a', '32k', file],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${code}): ${stderr}`))));
  });
  return readFile(file);
}

export function audioRef(url: string, body: Buffer, durationMs: number): AudioRef {
  return { url, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length, durationMs, mime: 'audio/mpeg' };
}

export interface AgentProcess {
  readonly child: ChildProcess;
  /** Parsed pino lines from stdout. */
  readonly logs: Record<string, unknown>[];
  /** Raw stdout + stderr. */
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** Runs `node --import tsx device-agent/main.ts <args>` from the project root. */
export function spawnAgent(args: readonly string[], env: NodeJS.ProcessEnv = {}): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'device-agent/main.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AGENT_LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let raw = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    raw += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    output: () => raw,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export { eventually } from '../../helpers/eventually.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
