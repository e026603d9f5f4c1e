/**
 * A client to an external broker (MQTT_URL), e.g. Mosquitto. Device credentials and topic rights
 * are then the broker's job: see docs/external-broker.md and mosquitto-auth-files.ts.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { SERVER_STATE_FLAGS, encodePayload, topicMatches, type PublishFlags, type Topics } from '../../protocol/index.js';
import type { BrokerDescription, MessageBus, MessageHandler } from './message-bus.js';

export interface ExternalBrokerOptions {
  readonly url: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Certificates to trust for an mqtts:// or wss:// URL (see readTrustedCas); default: the system's roots. */
  readonly ca?: readonly string[] | undefined;
  readonly topics: Topics;
  readonly logger: Logger;
  readonly clientId?: string;
}

export class ExternalBroker implements MessageBus {
  private client: MqttClient | undefined;
  private readonly handlers: { filter: string; handler: MessageHandler }[] = [];

  constructor(private readonly options: ExternalBrokerOptions) {}

  async start(): Promise<void> {
    const { url, username, password, topics, logger } = this.options;
    const client = mqtt.connect(url, {
      clientId: this.options.clientId ?? `commune-server-${topics.root.replaceAll('/', '-')}`,
      username,
      password,
      ca: this.options.ca?.slice(),
      // A persistent session: device events published while the server restarts are queued by the broker.
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 2_000,
      will: { topic: topics.serverState(), payload: encodePayload({ state: 'offline' }), qos: 1, retain: true },
    });
    client.on('message', (topic, payload) => {
      for (const { filter, handler } of this.handlers) {
        if (topicMatches(filter, topic)) handler(topic, payload);
      }
    });
    client.on('connect', () => {
      logger.info({ url }, 'connected to external MQTT broker');
      void this.publish(topics.serverState(), encodePayload({ state: 'online' }), SERVER_STATE_FLAGS).catch(() => {});
    });
    client.on('reconnect', () => logger.warn({ url }, 'reconnecting to external MQTT broker'));
    client.on('error', (error) => logger.error({ err: error, url }, 'external MQTT broker error'));
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        client.end(true);
        reject(new Error(`Cannot connect to MQTT_URL ${url}: ${error.message}`, { cause: error }));
      };
      client.once('connect', () => {
        client.off('error', onError);
        resolve();
      });
      client.once('error', onError);
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.publish(this.options.topics.serverState(), encodePayload({ state: 'offline' }), SERVER_STATE_FLAGS).catch(() => {});
    await client.endAsync();
    this.client = undefined;
  }

  async publish(topic: string, payload: Buffer, flags: PublishFlags): Promise<void> {
    if (!this.client) throw new Error('broker not started');
    await this.client.publishAsync(topic, payload, { qos: flags.qos, retain: flags.retain });
  }

  async subscribe(topicFilter: string, handler: MessageHandler): Promise<void> {
    if (!this.client) throw new Error('broker not started');
    this.handlers.push({ filter: topicFilter, handler });
    await this.client.subscribeAsync(topicFilter, { qos: 1 });
  }

  isReady(): boolean {
    return this.client?.connected ?? false;
  }

  describe(): BrokerDescription {
    return { mode: 'external', url: this.options.url };
  }
}
