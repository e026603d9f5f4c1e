/**
 * Composition root: config → database (migrated) → broker → services → HTTP. `startServer` is
 * what tests and the demo launcher call; run directly, this file starts the server and stops it
 * gracefully on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { createTopics, type Topics } from '../protocol/index.js';
import { AreaService } from './areas/area-service.js';
import { AuditLog } from './audit/audit-log.js';
import { createAudioRenderer } from './audio/create-audio-renderer.js';
import { AuthService } from './auth/auth-service.js';
import { ApprovalService } from './broadcasts/approval-service.js';
import { BroadcastService } from './broadcasts/broadcast-service.js';
import { OfferService } from './broadcasts/offer-service.js';
import { UserService } from './auth/user-service.js';
import { PronunciationDictionary } from './speech/pronunciation-dictionary.js';
import { SpeechPreparer } from './speech/speech-preparer.js';
import { BulletinService } from './broadcasts/bulletin-service.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { applyMigrations } from './db/migration-runner.js';
import { PrismaRenderCache } from './db/prisma-render-cache.js';
import { DEVICE_ACCESS_REFRESH_MS, DeviceAccessSync } from './devices/device-access-sync.js';
import { DeviceConfigPublisher } from './devices/device-config-publisher.js';
import { DeviceControl } from './devices/device-control.js';
import { DeviceRegistry } from './devices/device-registry.js';
import { DeviceFeed } from './devices/device-feed.js';
import { DeviceReportIntake } from './devices/device-report-intake.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { CapIntake } from './emergency/cap-intake.js';
import { EmergencyBoard } from './emergency/emergency-board.js';
import { EmergencyFanout } from './emergency/emergency-fanout.js';
import { EmergencyService } from './emergency/emergency-service.js';
import { SignalCatalogue } from './emergency/signal-catalogue.js';
import { QuietHoursAudience } from './dispatch/occurrence-audience.js';
import { buildApp } from './http/app.js';
import { ServerMetrics } from './observability/metrics.js';
import { ReportService } from './reports/report-service.js';
import { EmbeddedBroker, MqttPortInUseError } from './mqtt/embedded-broker.js';
import { ExternalBroker } from './mqtt/external-broker.js';
import { LIVE_VIEW_CREDENTIAL_TTL_MS, LiveViewCredentials } from './mqtt/live-view-credentials.js';
import type { MessageBus } from './mqtt/message-bus.js';
import { PublicUrl } from './public-url.js';
import { LeaderElection } from './scheduling/leader-election.js';
import { ProgrammeCatalogue } from './scheduling/programme-catalogue.js';
import { ProgrammeSync } from './scheduling/programme-sync.js';
import { ScheduleService } from './scheduling/schedule-service.js';
import { Scheduler } from './scheduling/scheduler.js';
import { readTlsCredentials, readTrustedCas } from './tls-credentials.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Follow-ups, standing-alert slots and expiries are checked this often. */
const EMERGENCY_TICK_MS = 1_000;
/** The live board pushes at most this often, however many receivers report at once. */
const EMERGENCY_BOARD_THROTTLE_MS = 200;
export const SERVER_VERSION: string = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export interface RunningServer {
  readonly config: Config;
  readonly url: string;
  readonly publicUrl: string;
  readonly topics: Topics;
  /** Embedded: the bound ports, null for a listener that is off. */
  readonly mqtt:
    | { readonly mode: 'embedded'; readonly port: number | null; readonly tlsPort: number | null }
    | { readonly mode: 'external'; readonly url: string };
  readonly initialAdmin: { created: boolean; username: string; password?: string; passwordFile?: string };
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly intake: DeviceReportIntake;
  readonly leader: LeaderElection;
  readonly scheduler: Scheduler;
  readonly programmes: ProgrammeSync;
  /** Its tick takes a `now`, so tests can step a standing alert to its next slot. */
  readonly emergencies: EmergencyService;
  stop(): Promise<void>;
}

/** Secrets that must never reach a log line, wherever they appear. */
export const LOG_REDACTIONS = ['req.headers.authorization', 'req.headers.cookie', 'password', 'token', '*.password', '*.token'];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } });
}

export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
    stack.length = 0;
  };
  try {
    // First: a certificate that does not match its key should stop start-up before anything else happens.
    const tlsCredentials = config.tls ? readTlsCredentials(config.tls) : undefined;
    const externalBrokerCas = config.mqtt.mode === 'external' && config.mqtt.caFile ? readTrustedCas(config.mqtt.caFile, 'MQTT_CA_FILE') : undefined;
    await mkdir(config.audio.dir, { recursive: true });
    const database = await openDatabase(config.database);
    stack.push(() => database.close());
    const migrations = await database.withSession((session) => applyMigrations(session, path.join(projectRoot, 'prisma', 'migrations')));
    logger.info({ database: database.kind, ...migrations }, 'database ready');
    const prisma = database.prisma;

    const topics = createTopics(config.mqtt.topicRoot);
    const metrics = new ServerMetrics();
    const publicUrl = new PublicUrl(config.publicUrl);
    const auth = new AuthService(prisma);
    const areas = new AreaService(prisma);
    const devices = new DeviceRegistry(prisma, areas);
    await devices.load();
    // An embedded broker starts with no one connected: what the database shows online is from the last run.
    if (config.mqtt.mode === 'embedded') {
      const stale = await devices.markAllOffline();
      if (stale > 0) logger.info({ receivers: stale }, 'receivers online at the last stop marked offline until they reconnect');
    }
    const liveView = config.mqtt.mode === 'embedded' ? new LiveViewCredentials({ topics, ttlMs: LIVE_VIEW_CREDENTIAL_TTL_MS }) : undefined;

    const embedded =
      config.mqtt.mode === 'embedded'
        ? new EmbeddedBroker({
            host: config.http.host,
            port: config.mqtt.port,
            tls: config.mqtt.tlsPort !== null && tlsCredentials ? { port: config.mqtt.tlsPort, ...tlsCredentials } : undefined,
            portFallback: config.mqtt.portFallback,
            topics,
            authenticator: devices,
            viewers: liveView,
            logger: logger.child({ component: 'mqtt' }),
          })
        : undefined;
    const bus: MessageBus =
      embedded ??
      new ExternalBroker({
        url: (config.mqtt as Extract<Config['mqtt'], { mode: 'external' }>).url,
        username: (config.mqtt as Extract<Config['mqtt'], { mode: 'external' }>).username,
        password: (config.mqtt as Extract<Config['mqtt'], { mode: 'external' }>).password,
        ca: externalBrokerCas,
        topics,
        clientId: `commune-server-${topics.root.replaceAll('/', '-')}-${config.instanceId}`,
        logger: logger.child({ component: 'mqtt' }),
      });
    await bus.start();
    stack.push(() => bus.stop());
    if (embedded) devices.onAccessWithdrawn((deviceId) => embedded.disconnect(deviceId));
    // Only PostgreSQL can be shared by several instances: a PGlite directory has a single owner.
    if (database.kind === 'postgres') {
      const accessSync = new DeviceAccessSync(devices, DEVICE_ACCESS_REFRESH_MS, logger.child({ component: 'devices' }));
      accessSync.start();
      stack.push(() => accessSync.stop());
    }

    const renderer = createAudioRenderer({
      config,
      cache: new PrismaRenderCache(prisma),
      logger: logger.child({ component: 'audio' }),
      maxUploadSeconds: config.limits.uploadMaxSeconds,
    });
    const configPublisher = new DeviceConfigPublisher(bus, topics, {
      timezone: config.timezone,
      heartbeatSeconds: config.deviceHeartbeatSeconds,
      serverUrl: publicUrl,
    });
    const audience = new QuietHoursAudience(devices, areas, config.timezone);
    const dispatcher = new Dispatcher(prisma, bus, topics, publicUrl, audience, logger.child({ component: 'dispatch' }));
    const scheduler = new Scheduler(prisma, dispatcher, config.scheduling, logger.child({ component: 'scheduler' }));
    const schedule = new ScheduleService(prisma, devices, areas, scheduler, config.timezone);
    const pronunciations = new PronunciationDictionary(prisma, areas);
    const bulletins = new BulletinService(prisma, renderer.renderer, publicUrl, new SpeechPreparer(pronunciations));
    const broadcasts = new BroadcastService(
      { prisma, areas, bulletins, devices, dispatcher, scheduling: schedule },
      { ttlSeconds: config.broadcastTtlSeconds, graceMs: config.scheduling.graceMs },
    );
    const approvals = new ApprovalService(prisma, broadcasts, schedule);
    const offers = new OfferService(prisma, areas, broadcasts, approvals);
    broadcasts.onApproved((broadcast) => offers.distribute(broadcast));
    const users = new UserService(prisma);
    const programmes = new ProgrammeSync(
      new ProgrammeCatalogue({ dir: config.scheduling.schedulesDir }),
      prisma,
      areas,
      bulletins,
      broadcasts,
      logger.child({ component: 'programmes' }),
    );
    const intake = new DeviceReportIntake(prisma, bus, topics, devices, logger.child({ component: 'intake' }));
    await intake.start();
    stack.push(() => intake.stop());
    const deviceFeed = new DeviceFeed(prisma, devices, logger.child({ component: 'device-feed' }));
    intake.onDevicesChanged((ids) => deviceFeed.noteChanged(ids));
    intake.onStored((deviceId, event) => deviceFeed.noteEvent(deviceId, event));
    stack.push(async () => deviceFeed.stop());

    const audit = new AuditLog(prisma);
    const emergencyLogger = logger.child({ component: 'emergency' });
    const signals = new SignalCatalogue(prisma, renderer.renderer, publicUrl, emergencyLogger);
    configPublisher.useEmergencySettings({ signals: () => signals.refs(), emergencyVolumes: () => areas.emergencyVolumes() });
    const emergencies = new EmergencyService(
      { prisma, areas, devices, bulletins, broadcasts, signals, audit, publicUrl, logger: emergencyLogger, fanout: new EmergencyFanout(prisma, bus, topics, dispatcher, emergencyLogger) },
      { ...config.emergency, timezone: config.timezone, tickMs: EMERGENCY_TICK_MS },
    );
    const emergencyBoard = new EmergencyBoard(prisma, emergencies, EMERGENCY_BOARD_THROTTLE_MS);
    intake.onStored((deviceId, event) => emergencyBoard.noteEvent(deviceId, event));
    const capIntake = new CapIntake({ prisma, areas, bulletins, emergencies, logger: emergencyLogger }, config.cap);

    const initialAdmin = await auth.ensureInitialAdmin(config.admin.username, config.admin.password, config.dataDir);

    const app = await buildApp({
      logger,
      auth,
      areas,
      devices,
      deviceFeed,
      configPublisher,
      deviceControl: new DeviceControl(devices, configPublisher, bus, topics, deviceFeed),
      agentSetup: { broker: () => bus.describe(), topicRoot: topics.root, serverUrl: () => publicUrl.value },
      bulletins,
      broadcasts,
      approvals,
      offers,
      users,
      pronunciations,
      schedule,
      reports: new ReportService(prisma, areas, broadcasts),
      programmes,
      audit,
      emergencies,
      emergencyBoard,
      signals,
      capIntake,
      audioFiles: renderer.store,
      readiness: [
        { name: 'database', check: () => database.ping() },
        { name: 'mqtt', check: async () => { if (!bus.isReady()) throw new Error('broker not connected'); } },
        { name: 'audio-store', check: () => access(config.audio.dir) },
      ],
      embeddedBroker: embedded,
      liveView,
      limits: config.limits,
      uploadDir: path.join(config.audio.tmpDir, 'uploads'),
      https: tlsCredentials,
      // Secure behind a TLS-terminating proxy (an https PUBLIC_URL) as well as when serving HTTPS itself.
      secureCookies: tlsCredentials !== undefined || (config.publicUrl ?? '').startsWith('https://'),
      version: SERVER_VERSION,
      metrics,
      metricsToken: config.metricsToken,
    });
    const listening = await app.listen({ host: config.http.host, port: config.http.port }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PortInUseError(`HTTP port ${config.http.port} is already in use. Set HTTP_PORT to a free port.`);
      }
      throw error;
    });
    stack.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;
    const localUrl = `${tlsCredentials ? 'https' : 'http'}://${config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host}:${port}`;
    publicUrl.bind(localUrl);
    if (!config.publicUrl && config.env === 'production') {
      logger.warn({ url: listening }, 'PUBLIC_URL is not set: receivers will be given a loopback URL for audio');
    }

    // Retained messages live in the embedded broker's memory: give every receiver its config again.
    await configPublisher.publishAll(await devices.profiles());
    // Signals render in the background (their URLs need the bound address); receivers are told to cache them when ready.
    signals.onChange(() => {
      void devices
        .profiles()
        .then((profiles) => configPublisher.publishAll(profiles))
        .catch((error: unknown) => emergencyLogger.error({ err: error }, 'could not publish configs with the attention signals'));
    });
    await signals.start();
    emergencies.start();
    stack.push(async () => {
      emergencyBoard.close();
      await emergencies.stop();
      await signals.stop();
    });
    const leader = new LeaderElection({
      openSession: () => database.openLockSession(),
      onElected: async () => {
        await dispatcher.publishManifests();
        scheduler.start();
        // The leader owns programme files too; a bad file is reported, never fatal.
        await programmes.sync().catch((error: unknown) => logger.error({ err: error }, 'loading schedules/ failed'));
      },
      onDeposed: () => scheduler.stop(),
      retryMs: config.scheduling.leaderRetryMs,
      logger: logger.child({ component: 'leader' }),
    });
    await leader.start();
    stack.push(() => leader.stop());

    const describe = bus.describe();
    return {
      config,
      url: localUrl,
      publicUrl: publicUrl.value,
      topics,
      mqtt:
        describe.mode === 'embedded'
          ? { mode: 'embedded', port: describe.tcpPort, tlsPort: describe.tlsPort }
          : { mode: 'external', url: describe.url },
      initialAdmin,
      app,
      database,
      intake,
      leader,
      scheduler,
      programmes,
      emergencies,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Loads the configuration and starts the server, or exits with a message a person can act on:
 * code 2 for a bad variable (including a TLS or CA file checked at start), 3 when a port is taken.
 */
export async function startOrExit(env: NodeJS.ProcessEnv, logLevel?: string): Promise<RunningServer> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  try {
    return await startServer(config, createLogger(logLevel ?? config.logLevel));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    if (error instanceof MqttPortInUseError || error instanceof PortInUseError) {
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const server = await startOrExit(process.env);
  printBanner(server);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'stopping');
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export function printBanner(server: RunningServer): void {
  const lines = [
    `Commune broadcasting controller ${SERVER_VERSION}`,
    `  HTTP API     ${server.url}  (OpenAPI: ${server.url}/api/docs)`,
    `  MQTT broker  ${brokerAddresses(server)}`,
    `  Database     ${server.database.kind}`,
  ];
  if (server.initialAdmin.password) {
    lines.push(`  Login        ${server.initialAdmin.username} / ${server.initialAdmin.password}  (saved in ${server.initialAdmin.passwordFile})`);
  } else if (server.initialAdmin.created) {
    lines.push(`  Login        ${server.initialAdmin.username} / (ADMIN_PASSWORD)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function brokerAddresses(server: RunningServer): string {
  if (server.mqtt.mode === 'external') return `${server.mqtt.url} (external)`;
  const host = new URL(server.url).hostname;
  const { port, tlsPort } = server.mqtt;
  return [
    port === null ? undefined : `mqtt://${host}:${port}`,
    tlsPort === null ? undefined : `mqtts://${host}:${tlsPort}`,
    `${server.url.replace(/^http/, 'ws')}/mqtt`,
  ]
    .filter((address) => address !== undefined)
    .join('  and ');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
