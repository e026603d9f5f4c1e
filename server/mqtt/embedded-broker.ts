/**
 * The embedded aedes broker: MQTT over TCP on MQTT_PORT, over TLS on MQTT_TLS_PORT (when the server
 * has a certificate) and over WebSocket (served by the HTTP server at /mqtt). Devices authenticate
 * with their id and token; the access policy limits each one to its own topics and its areas'
 * command topics.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { indexedRetainedPersistence } from './indexed-retained-persistence.js';
import { Aedes, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { Logger } from 'pino';
import { SERVER_STATE_FLAGS, encodePayload, type PublishFlags, type Topics } from '../../protocol/index.js';
import { BrokerAccessControl, type DeviceAuthenticator, type ViewerAuthenticator } from './broker-access-control.js';
import { guardPacketSize } from './packet-size-guard.js';
import type { BrokerDescription, MessageBus, MessageHandler } from './message-bus.js';

export type { DeviceAuthenticator, ViewerAuthenticator } from './broker-access-control.js';

export interface EmbeddedBrokerOptions {
  readonly host: string;
  /** Plaintext MQTT over TCP; null: no plaintext listener. */
  readonly port: number | null;
  /** MQTT over TLS on `tls.port`, next to (or instead of) plaintext. */
  readonly tls?: { readonly port: number; readonly key: Buffer; readonly cert: Buffer } | undefined;
  /** Try the next ports when a port is taken, instead of failing. */
  readonly portFallback: boolean;
  readonly topics: Topics;
  readonly authenticator: DeviceAuthenticator;
  /** The console's live-view credentials (read-only, short-lived); absent: none is accepted. */
  readonly viewers?: ViewerAuthenticator | undefined;
  readonly logger: Logger;
}

const PORT_FALLBACK_ATTEMPTS = 20;
/**
 * Receivers send reports of at most 64 KiB (MAX_DEVICE_REPORT_BYTES): a somewhat larger one is
 * dropped by the intake with a log line, one sixteen times larger is an attack and cuts the connection.
 */
const MAX_INCOMING_PACKET_BYTES = 1024 * 1024;
/** MQTT 3.1.1 CONNACK return code 4: bad user name or password (§3.2.2.3). */
const BAD_CREDENTIALS = 4;

export class MqttPortInUseError extends Error {
  constructor(
    readonly port: number,
    /** The setting to change: MQTT_PORT or MQTT_TLS_PORT. */
    readonly variable: 'MQTT_PORT' | 'MQTT_TLS_PORT' = 'MQTT_PORT',
  ) {
    super(
      `MQTT ${variable === 'MQTT_TLS_PORT' ? 'TLS ' : ''}port ${port} is already in use (another broker?). Set ${variable} to a free port, or MQTT_URL to use that broker instead.`,
    );
    this.name = 'MqttPortInUseError';
  }
}

export class EmbeddedBroker implements MessageBus {
  private aedes: Aedes | undefined;
  private tcpServer: net.Server | undefined;
  private tlsServer: tls.Server | undefined;
  private boundPort: number | null = null;
  private boundTlsPort: number | null = null;
  /** The latest admitted client per id, from authentication on (registration comes a few steps later). */
  private readonly sessions = new Map<string, Client>();
  private readonly registered = new WeakSet<Client>();
  private readonly expiryTimers = new Map<Client, NodeJS.Timeout>();

  constructor(private readonly options: EmbeddedBrokerOptions) {}

  async start(): Promise<void> {
    const { topics, logger } = this.options;
    const aedes = await Aedes.createBroker({ id: 'commune-broadcast', persistence: indexedRetainedPersistence() });
    this.enforceAccess(aedes);
    aedes.on('clientError', (client, error) => logger.debug({ clientId: client.id, err: error }, 'mqtt client error'));
    aedes.on('connectionError', (client, error) => logger.debug({ clientId: client.id, err: error }, 'mqtt connection error'));
    this.aedes = aedes;

    try {
      await this.startListeners(aedes);
      await this.publish(topics.serverState(), encodePayload({ state: 'online' }), SERVER_STATE_FLAGS);
    } catch (error) {
      await this.stop();
      throw error;
    }
    logger.info({ port: this.boundPort, tlsPort: this.boundTlsPort }, 'embedded MQTT broker listening');
  }

  private async startListeners(aedes: Aedes): Promise<void> {
    const { port, tls: tlsOptions, logger } = this.options;
    if (port !== null) {
      this.tcpServer = net.createServer((socket) => this.accept(aedes, socket));
      this.boundPort = await this.listen(this.tcpServer, port, 'MQTT_PORT');
    }
    if (tlsOptions) {
      // `secureConnection`: aedes only ever sees a socket whose handshake succeeded.
      this.tlsServer = tls.createServer({ key: tlsOptions.key, cert: tlsOptions.cert }, (socket) => this.accept(aedes, socket));
      // A plaintext client on the TLS port, or one that does not trust the certificate, ends here.
      this.tlsServer.on('tlsClientError', (error, socket) =>
        logger.debug({ remoteAddress: socket.remoteAddress, reason: error.message }, 'mqtt TLS handshake failed'),
      );
      this.boundTlsPort = await this.listen(this.tlsServer, tlsOptions.port, 'MQTT_TLS_PORT');
    }
  }

  private enforceAccess(aedes: Aedes): void {
    const { topics, authenticator, viewers, logger } = this.options;
    const access = new BrokerAccessControl(topics, authenticator, viewers);
    aedes.authenticate = (client: Client, username: string | undefined, password: Buffer | undefined, done) => {
      const kind = access.admit(client.id, username, password?.toString('utf8'));
      if (!kind) {
        logger.warn({ clientId: client.id, username }, 'mqtt connection refused: bad credentials');
        const error = Object.assign(new Error('bad credentials'), { returnCode: BAD_CREDENTIALS }) as AuthenticateError;
        done(error, false);
        return;
      }
      this.sessions.set(client.id, client);
      done(null, true);
    };
    aedes.authorizePublish = (client: Client | null, packet: PublishPacket, done) => {
      if (client && !access.mayPublish(client.id, packet.topic)) {
        logger.warn({ clientId: client.id, topic: packet.topic }, 'mqtt publish refused by access policy');
        done(new Error(`publish to ${packet.topic} not allowed`));
        return;
      }
      done(null);
    };
    aedes.authorizeSubscribe = (client: Client | null, subscription: Subscription, done) => {
      if (!client || !access.maySubscribe(client.id, subscription.topic)) {
        logger.warn({ clientId: client?.id, topic: subscription.topic }, 'mqtt subscription refused by access policy');
        done(null, null);
        return;
      }
      done(null, subscription);
    };
    aedes.authorizeForward = (client, packet) => (access.mayReceive(client.id, packet.topic) ? packet : null);
    aedes.on('client', (client) => {
      this.registered.add(client);
      // Its credential was withdrawn (disconnect()) between authentication and registration.
      if (this.sessions.get(client.id) !== client) {
        client.close();
        return;
      }
      const expiresAt = access.sessionExpiry(client.id);
      if (expiresAt === undefined) return;
      const timer = setTimeout(() => client.close(), Math.max(0, (expiresAt ?? 0) - Date.now()));
      timer.unref();
      this.expiryTimers.set(client, timer);
    });
    aedes.on('clientDisconnect', (client) => {
      if (this.sessions.get(client.id) === client) this.sessions.delete(client.id);
      clearTimeout(this.expiryTimers.get(client));
      this.expiryTimers.delete(client);
    });
  }

  /**
   * Ends a client's session at once, e.g. when its credential is rotated, revoked or removed. A
   * client still between authentication and registration is closed as soon as it registers.
   */
  disconnect(clientId: string): void {
    const client = this.sessions.get(clientId);
    if (!client) return;
    this.sessions.delete(clientId);
    if (this.registered.has(client)) client.close();
  }

  /** Hands a WebSocket stream (from the HTTP server's /mqtt route) to the broker. */
  handleStream(stream: Duplex): void {
    if (!this.aedes) {
      stream.destroy();
      return;
    }
    this.accept(this.aedes, stream);
  }

  private accept(aedes: Aedes, connection: Duplex): void {
    aedes.handle(
      guardPacketSize(connection, MAX_INCOMING_PACKET_BYTES, (error) =>
        this.options.logger.warn({ announcedBytes: error.announcedBytes, limitBytes: error.limitBytes }, 'mqtt connection cut: packet too large'),
      ),
    );
  }

  async stop(): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return;
    await this.publish(this.options.topics.serverState(), encodePayload({ state: 'offline' }), SERVER_STATE_FLAGS).catch(() => {});
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await Promise.all([this.tcpServer, this.tlsServer].map((server) => closeServer(server)));
    this.tcpServer = undefined;
    this.tlsServer = undefined;
    this.aedes = undefined;
  }

  publish(topic: string, payload: Buffer, flags: PublishFlags): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return Promise.reject(new Error('broker not started'));
    return new Promise((resolve, reject) => {
      aedes.publish({ cmd: 'publish', topic, payload, qos: flags.qos, retain: flags.retain, dup: false }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  subscribe(topicFilter: string, handler: MessageHandler): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return Promise.reject(new Error('broker not started'));
    return new Promise((resolve) => {
      aedes.subscribe(
        topicFilter,
        (packet, done) => {
          try {
            handler(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
          } finally {
            // Not synchronously: mqemitter hands over the next queued message from inside done(),
            // so a burst queued behind slow deliveries would nest one call per message and
            // overflow the stack (test/integration/mqtt/embedded-broker-bursts.test.ts).
            queueMicrotask(done);
          }
        },
        () => resolve(),
      );
    });
  }

  isReady(): boolean {
    return this.aedes !== undefined && !this.aedes.closed;
  }

  describe(): BrokerDescription {
    return { mode: 'embedded', tcpPort: this.boundPort, tlsPort: this.boundTlsPort, webSocketPath: '/mqtt' };
  }

  private async listen(server: net.Server, port: number, variable: 'MQTT_PORT' | 'MQTT_TLS_PORT'): Promise<number> {
    const { host, portFallback } = this.options;
    const attempts = portFallback && port !== 0 ? PORT_FALLBACK_ATTEMPTS : 1;
    for (let offset = 0; offset < attempts; offset++) {
      const candidate = port + offset;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(candidate, host, () => {
            server.off('error', reject);
            resolve();
          });
        });
        const address = server.address();
        return typeof address === 'object' && address ? address.port : candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        this.options.logger.warn({ port: candidate, variable }, 'MQTT port in use');
      }
    }
    throw new MqttPortInUseError(port, variable);
  }
}

/** Closes a listener; resolves at once if it never listened (close() would report ERR_SERVER_NOT_RUNNING). */
function closeServer(server: net.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
}
