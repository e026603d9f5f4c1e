/**
 * The Fastify application as a plugin over its dependencies: built here, listened on by main.ts,
 * and built the same way by tests (which use inject() or a real port).
 */
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { createWebSocketStream } from 'ws';
import type { AreaService } from '../areas/area-service.js';
import type { AuthService } from '../auth/auth-service.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import type { UserService } from '../auth/user-service.js';
import type { PronunciationDictionary } from '../speech/pronunciation-dictionary.js';
import type { ApprovalService } from '../broadcasts/approval-service.js';
import type { BroadcastService } from '../broadcasts/broadcast-service.js';
import type { OfferService } from '../broadcasts/offer-service.js';
import type { BulletinService } from '../broadcasts/bulletin-service.js';
import type { DeviceFeed } from '../devices/device-feed.js';
import type { DeviceConfigPublisher } from '../devices/device-config-publisher.js';
import type { DeviceControl } from '../devices/device-control.js';
import type { CapIntake } from '../emergency/cap-intake.js';
import type { EmergencyBoard } from '../emergency/emergency-board.js';
import type { EmergencyService } from '../emergency/emergency-service.js';
import type { SignalCatalogue } from '../emergency/signal-catalogue.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { EmbeddedBroker } from '../mqtt/embedded-broker.js';
import type { LiveViewCredentials } from '../mqtt/live-view-credentials.js';
import type { ProgrammeSync } from '../scheduling/programme-sync.js';
import type { ScheduleService } from '../scheduling/schedule-service.js';
import type { AuditLog } from '../audit/audit-log.js';
import { auditPlugin } from './audit-plugin.js';
import { eventStreams } from './event-stream.js';
import { metricsPlugin } from './metrics-plugin.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { authenticationPlugin } from './authentication.js';
import { frameworkErrorHandler, registerErrorHandler } from './error-handler.js';
import { securityHeaders } from './security-headers.js';
import { storableTextGuard } from './storable-text-guard.js';
import { areaRoutes } from './routes/area-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { consoleRoutes } from './console-routes.js';
import { audioFileRoutes, type AudioFileLocator } from './routes/audio-file-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { broadcastRoutes } from './routes/broadcast-routes.js';
import { offerRoutes } from './routes/offer-routes.js';
import { capRoutes } from './routes/cap-routes.js';
import { emergencyRoutes } from './routes/emergency-routes.js';
import { speechRoutes } from './routes/speech-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { voiceRoutes } from './routes/voice-routes.js';
import { bulletinRoutes } from './routes/bulletin-routes.js';
import { deviceRoutes, type AgentSetupSource } from './routes/device-routes.js';
import { liveRoutes } from './routes/live-routes.js';
import { programmeRoutes } from './routes/programme-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import type { ReportService } from '../reports/report-service.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { healthRoutes, type ReadinessCheck } from './routes/health-routes.js';
import { timeRoutes } from './routes/time-routes.js';

/** Failed sign-ins allowed per address and window before it must wait (see login-throttle.ts). */
const LOGIN_FAILURES_PER_ADDRESS = 20;
const LOGIN_WINDOW_MS = 10 * 60 * 1000;
const MQTT_WEBSOCKET_MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface AppDependencies {
  readonly logger: Logger;
  readonly auth: AuthService;
  readonly areas: AreaService;
  readonly devices: DeviceRegistry;
  readonly deviceFeed: DeviceFeed;
  readonly configPublisher: DeviceConfigPublisher;
  readonly deviceControl: DeviceControl;
  readonly agentSetup: AgentSetupSource;
  readonly bulletins: BulletinService;
  readonly broadcasts: BroadcastService;
  readonly approvals: ApprovalService;
  readonly offers: OfferService;
  readonly users: UserService;
  readonly pronunciations: PronunciationDictionary;
  readonly schedule: ScheduleService;
  readonly reports: ReportService;
  readonly programmes: ProgrammeSync;
  readonly audit: AuditLog;
  readonly emergencies: EmergencyService;
  readonly emergencyBoard: EmergencyBoard;
  readonly signals: SignalCatalogue;
  readonly capIntake: CapIntake;
  readonly audioFiles: AudioFileLocator;
  readonly readiness: readonly ReadinessCheck[];
  /** Present when the broker is embedded: MQTT over WebSocket is then served at /mqtt. */
  readonly embeddedBroker?: EmbeddedBroker | undefined;
  /** Read-only live-view credentials for that broker; absent with an external broker. */
  readonly liveView?: LiveViewCredentials | undefined;
  readonly limits: { readonly bulletinMaxChars: number; readonly uploadMaxBytes: number; readonly uploadMaxSeconds: number };
  readonly uploadDir: string;
  /** Certificate and key: the app is then served over HTTPS (and /mqtt as wss://). */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer } | undefined;
  readonly secureCookies: boolean;
  readonly version: string;
  readonly metrics: ServerMetrics;
  readonly metricsToken: string | undefined;
  /** The built console (server/web/dist unless a test points elsewhere). */
  readonly consoleDir?: string | undefined;
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.limits.bulletinMaxChars * 4 + 64 * 1024,
    requestIdHeader: 'x-request-id',
    frameworkErrors: frameworkErrorHandler,
    https: deps.https ? { key: deps.https.key, cert: deps.https.cert } : null,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(metricsPlugin, { metrics: deps.metrics, token: deps.metricsToken });
  await app.register(storableTextGuard);
  await app.register(securityHeaders, { https: deps.secureCookies });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Commune broadcasting controller', version: deps.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: deps.limits.uploadMaxBytes, files: 1, fields: 10 } });
  // MQTT over WebSocket carries small control messages; ws would otherwise buffer frames of up to 100 MiB.
  await app.register(websocket, { options: { maxPayload: MQTT_WEBSOCKET_MAX_PAYLOAD_BYTES } });
  await app.register(authenticationPlugin, { auth: deps.auth, areas: deps.areas });
  await app.register(auditPlugin, { audit: deps.audit });
  await app.register(eventStreams);

  await app.register(healthRoutes, { checks: deps.readiness });
  await app.register(timeRoutes);
  await app.register(authRoutes, {
    auth: deps.auth,
    secureCookies: deps.secureCookies,
    throttle: new LoginThrottle({ maxFailures: LOGIN_FAILURES_PER_ADDRESS, windowMs: LOGIN_WINDOW_MS }),
  });
  await app.register(areaRoutes, {
    areas: deps.areas,
    checkVoice: (profile) => deps.bulletins.checkVoice(profile),
    onEmergencyVolumeChanged: async (areaId) => {
      const deviceIds = await deps.devices.resolveTargets({ areaIds: [areaId] });
      await deps.configPublisher.publishAll(await deps.devices.profiles(deviceIds));
    },
  });
  await app.register(deviceRoutes, {
    devices: deps.devices,
    configPublisher: deps.configPublisher,
    control: deps.deviceControl,
    changes: deps.deviceFeed,
    agentSetup: deps.agentSetup,
  });
  await app.register(liveRoutes, { liveView: deps.liveView, devices: deps.devices, feed: deps.deviceFeed });
  await app.register(bulletinRoutes, { bulletins: deps.bulletins, maxTextChars: deps.limits.bulletinMaxChars, uploadDir: deps.uploadDir });
  await app.register(voiceRoutes, { bulletins: deps.bulletins, limits: deps.limits });
  await app.register(broadcastRoutes, { broadcasts: deps.broadcasts, approvals: deps.approvals });
  await app.register(offerRoutes, { offers: deps.offers });
  await app.register(emergencyRoutes, {
    emergencies: deps.emergencies,
    board: deps.emergencyBoard,
    signals: deps.signals,
    maxTextChars: deps.limits.bulletinMaxChars,
    uploadDir: deps.uploadDir,
  });
  await app.register(capRoutes, { cap: deps.capIntake });
  await app.register(userRoutes, { users: deps.users });
  await app.register(tokenRoutes, { auth: deps.auth });
  await app.register(speechRoutes, { dictionary: deps.pronunciations, bulletins: deps.bulletins, maxTextChars: deps.limits.bulletinMaxChars });
  await app.register(scheduleRoutes, { schedule: deps.schedule });
  await app.register(reportRoutes, { reports: deps.reports });
  await app.register(programmeRoutes, { programmes: deps.programmes });
  await app.register(auditRoutes, { audit: deps.audit });
  await app.register(audioFileRoutes, { store: deps.audioFiles });
  await app.register(consoleRoutes, { root: deps.consoleDir });

  const broker = deps.embeddedBroker;
  if (broker) {
    app.get('/mqtt', { websocket: true, schema: { hide: true } }, (socket) => {
      broker.handleStream(createWebSocketStream(socket));
    });
  }
  return app;
}
