/**
 * The agent's link to the broker, behind a small interface so the agent (and a fleet simulator)
 * can swap it. The MQTT implementation:
 * - `mqtt.connect()`, not `connectAsync()`, which gives up when the first attempt fails;
 * - client id = user name = device id, password = token (the broker's auth hook checks both);
 * - `clean: false` (persistent session: QoS 1 commands queued while offline are delivered on return),
 *   MQTT 3.1.1 because aedes speaks nothing newer;
 * - a retained last will `offline` on the availability topic;
 * - reconnects forever with capped exponential backoff and jitter, also after a refused CONNACK
 *   (MQTT.js stops retrying after one by default, and a token fixed on the server must be picked up);
 * - an incoming publish is acknowledged only after the handler resolved (it persists the command),
 *   so a crash before that gets it redelivered instead of lost.
 */
import { connect as mqttConnect, Store, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { PublishFlags } from '../protocol/index.js';

export interface OutgoingMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly flags: PublishFlags;
}

export interface TransportHandlers {
  /** The session is up (first connect and every reconnect). */
  onConnect(): void;
  /** The link dropped. */
  onDisconnect(): void;
  /** An incoming message; it is acknowledged to the broker when the promise settles. */
  onMessage(topic: string, payload: Buffer): Promise<void>;
}

export interface AgentTransport {
  readonly connected: boolean;
  start(handlers: TransportHandlers): void;
  /** The exact topic filters wanted; the transport subscribes/unsubscribes the difference, now or on connect. */
  setSubscriptions(filters: readonly string[]): void;
  /** QoS 1: resolves on PUBACK. QoS 0: resolves when written; rejects when offline (never queued). */
  publish(topic: string, payload: Buffer, flags: PublishFlags): Promise<void>;
  /** Publishes `last` if connected (e.g. availability offline), then disconnects cleanly. */
  stop(last?: OutgoingMessage): Promise<void>;
}

export interface TransportParams {
  readonly brokerUrl: string;
  readonly deviceId: string;
  readonly token: string;
  readonly will: OutgoingMessage;
  readonly logger: Logger;
}

export type TransportFactory = (params: TransportParams) => AgentTransport;

export interface ReconnectPolicy {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = Object.freeze({ minDelayMs: 500, maxDelayMs: 30_000 });

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter in [½, 1] so a fleet does not reconnect in lockstep. */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** MQTT 3.1.1 CONNACK return codes 4 (bad user name or password) and 5 (not authorized), §3.2.2.3. */
const REFUSED_CREDENTIALS = new Set([4, 5]);

export interface MqttTransportOptions extends TransportParams {
  /** The client factory; tests and the simulator may wrap it. */
  readonly connect?: (url: string, options: IClientOptions) => MqttClient;
  readonly reconnect?: ReconnectPolicy;
  readonly keepaliveSeconds?: number;
  /** Certificates to trust for mqtts:// and wss:// (see tls-trust.ts); default: Node's built-in roots. */
  readonly ca?: readonly string[] | undefined;
}

export class MqttTransport implements AgentTransport {
  private client: MqttClient | undefined;
  private isConnected = false;
  private stopping = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private desired = new Set<string>();
  /** What the broker's session has (as far as we know). */
  private readonly subscribed = new Set<string>();
  // Kept across reconnects so MQTT.js re-sends QoS 1 publishes that were in flight (MQTT 3.1.1 §4.4).
  private readonly stores = { incomingStore: new Store(), outgoingStore: new Store() };

  constructor(private readonly options: MqttTransportOptions) {}

  get connected(): boolean {
    return this.isConnected;
  }

  start(handlers: TransportHandlers): void {
    const { brokerUrl, deviceId, token, will, logger } = this.options;
    const connect = this.options.connect ?? mqttConnect;
    const client = connect(brokerUrl, {
      clientId: deviceId,
      username: deviceId,
      password: token,
      clean: false,
      protocolVersion: 4,
      keepalive: this.options.keepaliveSeconds ?? 30,
      connectTimeout: 10_000,
      // Reconnects are scheduled here, with backoff (MQTT.js only has a fixed period).
      reconnectPeriod: 0,
      resubscribe: false,
      // Telemetry is QoS 0 and only worth sending live.
      queueQoSZero: false,
      will: { topic: will.topic, payload: will.payload, qos: will.flags.qos, retain: will.flags.retain },
      // MQTT.js hands `ca` to tls.connect for mqtts:// and to the WebSocket for wss://.
      ca: this.options.ca?.slice(),
      ...this.stores,
    });
    this.client = client;

    client.handleMessage = (packet, callback) => {
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      handlers.onMessage(packet.topic, payload).then(
        () => callback(),
        (error: unknown) => {
          logger.error({ topic: packet.topic, err: error }, 'message handler failed');
          callback();
        },
      );
    };
    client.on('connect', (connack) => {
      this.isConnected = true;
      this.attempt = 0;
      if (!connack.sessionPresent) this.subscribed.clear();
      logger.info({ broker: redactUrl(brokerUrl), sessionPresent: connack.sessionPresent }, 'connected to broker');
      this.reconcile();
      handlers.onConnect();
    });
    client.on('close', () => {
      if (this.isConnected) {
        this.isConnected = false;
        if (!this.stopping) logger.warn({ broker: redactUrl(brokerUrl) }, 'link to broker lost');
        handlers.onDisconnect();
      }
      this.scheduleReconnect();
    });
    client.on('error', (error) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && REFUSED_CREDENTIALS.has(code)) {
        logger.error(
          { broker: redactUrl(brokerUrl), deviceId, returnCode: code },
          'broker refused the connection: bad device credentials (check AGENT_DEVICE_ID and AGENT_TOKEN)',
        );
      } else {
        logger.warn({ broker: redactUrl(brokerUrl), reason: error.message }, 'broker connection error');
      }
    });
  }

  setSubscriptions(filters: readonly string[]): void {
    this.desired = new Set(filters);
    if (this.isConnected) this.reconcile();
  }

  publish(topic: string, payload: Buffer, flags: PublishFlags): Promise<void> {
    const client = this.client;
    if (!client || this.stopping) return Promise.reject(new Error('transport stopped'));
    if (flags.qos === 0 && !this.isConnected) return Promise.reject(new Error('offline'));
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: flags.qos, retain: flags.retain }, (error) => (error ? reject(error) : resolve()));
    });
  }

  async stop(last?: OutgoingMessage): Promise<void> {
    const client = this.client;
    if (!client || this.stopping) return;
    if (last && this.isConnected) {
      await withTimeout(this.publish(last.topic, last.payload, last.flags), 2_000).catch(() => {});
    }
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    // A clean DISCONNECT (not forced) waits for outstanding PUBACKs; force it if the broker is gone.
    const ended = new Promise<void>((resolve) => client.end(!this.isConnected, {}, () => resolve()));
    const clean = await withTimeout(ended, 3_000).then(
      () => true,
      () => false,
    );
    if (!clean) await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
    this.isConnected = false;
  }

  private scheduleReconnect(): void {
    const client = this.client;
    if (!client || this.stopping || this.reconnectTimer) return;
    const delay = reconnectDelay(this.attempt++, this.options.reconnect ?? DEFAULT_RECONNECT);
    this.options.logger.debug({ delayMs: delay, attempt: this.attempt }, 'reconnecting to broker');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopping) return;
      client.reconnect(this.stores);
    }, delay);
  }

  private reconcile(): void {
    const client = this.client;
    if (!client) return;
    const { logger } = this.options;
    const add = [...this.desired].filter((topic) => !this.subscribed.has(topic));
    const remove = [...this.subscribed].filter((topic) => !this.desired.has(topic));
    if (remove.length > 0) {
      for (const topic of remove) this.subscribed.delete(topic);
      client.unsubscribe(remove, (error) => {
        if (error) logger.warn({ topics: remove, reason: error.message }, 'unsubscribe failed');
      });
    }
    if (add.length > 0) {
      for (const topic of add) this.subscribed.add(topic);
      client.subscribe(add, { qos: 1 }, (error, _granted, suback) => {
        // A SUBACK carries one return code per topic; 0x80 = refused (the broker's access policy).
        const codes = suback && 'granted' in suback ? (suback.granted as number[]) : undefined;
        if (error && !codes) {
          // Lost with the link; the next connect subscribes again.
          if (this.isConnected) logger.warn({ topics: add, reason: error.message }, 'subscribe failed');
          for (const topic of add) this.subscribed.delete(topic);
          return;
        }
        const refused = add.filter((_topic, i) => ((codes?.[i] ?? 0) & 0x80) !== 0);
        if (refused.length > 0) logger.warn({ topics: refused }, 'broker refused subscriptions (access policy)');
        logger.debug({ topics: add }, 'subscribed');
      });
    }
  }
}

export const createMqttTransport: TransportFactory = (params) => new MqttTransport(params);

/** Broker URL for logs: never the credentials, even if someone put them in the URL. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
