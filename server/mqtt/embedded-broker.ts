/**
 * The embedded aedes broker: MQTT over TCP on MQTT_PORT and over WebSocket (served by the HTTP
 * server at /mqtt). Devices authenticate with their id and token; the access policy limits each
 * one to its own topics and its areas' command topics.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { Logger } from 'pino';
import { SERVER_STATE_FLAGS, encodePayload, type PublishFlags, type Topics } from '../../protocol/index.js';
import { mayPublish, maySubscribe, type DeviceAccess } from './device-access-policy.js';
import type { BrokerDescription, MessageBus, MessageHandler } from './message-bus.js';

export interface DeviceAuthenticator {
  /** The device's access rights if `token` is its current token, otherwise null. */
  authenticate(deviceId: string, token: string): DeviceAccess | null;
  /** Current rights of a connected device (its area may have changed since it connected). */
  accessOf(deviceId: string): DeviceAccess | null;
}

export interface EmbeddedBrokerOptions {
  readonly host: string;
  readonly port: number;
  /** Try the next ports when `port` is taken, instead of failing. */
  readonly portFallback: boolean;
  readonly topics: Topics;
  readonly authenticator: DeviceAuthenticator;
  readonly logger: Logger;
}

const PORT_FALLBACK_ATTEMPTS = 20;
/** MQTT 3.1.1 CONNACK return code 4: bad user name or password (§3.2.2.3). */
const BAD_CREDENTIALS = 4;

export class MqttPortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `MQTT port ${port} is already in use (another broker?). Set MQTT_PORT to a free port, or MQTT_URL to use that broker instead.`,
    );
    this.name = 'MqttPortInUseError';
  }
}

export class EmbeddedBroker implements MessageBus {
  private aedes: Aedes | undefined;
  private tcpServer: net.Server | undefined;
  private boundPort = 0;

  constructor(private readonly options: EmbeddedBrokerOptions) {}

  async start(): Promise<void> {
    const { topics, authenticator, logger } = this.options;
    const aedes = await Aedes.createBroker({ id: 'commune-broadcast' });
    aedes.authenticate = (client: Client, username: string | undefined, password: Buffer | undefined, done) => {
      const access = username && password ? authenticator.authenticate(username, password.toString('utf8')) : null;
      // The client id must be the device id, so one receiver cannot take over another's session.
      if (!access || client.id !== username) {
        logger.warn({ clientId: client.id, username }, 'mqtt connection refused: bad device credentials');
        const error = Object.assign(new Error('bad device credentials'), { returnCode: BAD_CREDENTIALS }) as AuthenticateError;
        done(error, false);
        return;
      }
      done(null, true);
    };
    aedes.authorizePublish = (client: Client | null, packet: PublishPacket, done) => {
      if (client && !mayPublish(topics, client.id, packet.topic)) {
        logger.warn({ clientId: client.id, topic: packet.topic }, 'mqtt publish refused by access policy');
        done(new Error(`publish to ${packet.topic} not allowed`));
        return;
      }
      done(null);
    };
    aedes.authorizeSubscribe = (client: Client | null, subscription: Subscription, done) => {
      const access = client ? authenticator.accessOf(client.id) : null;
      if (!access || !maySubscribe(topics, access, subscription.topic)) {
        logger.warn({ clientId: client?.id, topic: subscription.topic }, 'mqtt subscription refused by access policy');
        done(null, null);
        return;
      }
      done(null, subscription);
    };
    aedes.on('clientError', (client, error) => logger.debug({ clientId: client.id, err: error }, 'mqtt client error'));
    aedes.on('connectionError', (client, error) => logger.debug({ clientId: client.id, err: error }, 'mqtt connection error'));
    this.aedes = aedes;

    this.tcpServer = net.createServer((socket) => aedes.handle(socket));
    this.boundPort = await this.listen(this.tcpServer);
    await this.publish(topics.serverState(), encodePayload({ state: 'online' }), SERVER_STATE_FLAGS);
    logger.info({ port: this.boundPort }, 'embedded MQTT broker listening');
  }

  /** Hands a WebSocket stream (from the HTTP server's /mqtt route) to the broker. */
  handleStream(stream: Duplex): void {
    if (!this.aedes) {
      stream.destroy();
      return;
    }
    this.aedes.handle(stream);
  }

  async stop(): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return;
    await this.publish(this.options.topics.serverState(), encodePayload({ state: 'offline' }), SERVER_STATE_FLAGS).catch(() => {});
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => (this.tcpServer ? this.tcpServer.close(() => resolve()) : resolve()));
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
            done();
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
    return { mode: 'embedded', tcpPort: this.boundPort, webSocketPath: '/mqtt' };
  }

  private async listen(server: net.Server): Promise<number> {
    const { host, port, portFallback } = this.options;
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
        this.options.logger.warn({ port: candidate }, 'MQTT port in use');
      }
    }
    throw new MqttPortInUseError(port);
  }
}
