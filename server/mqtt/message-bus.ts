/**
 * What the rest of the server needs from MQTT, whether the broker is embedded (aedes) or external
 * (Mosquitto, EMQX…): publish, subscribe, and a description for logs and health checks.
 */
import type { PublishFlags } from '../../protocol/index.js';

export type MessageHandler = (topic: string, payload: Buffer) => void;

export interface MessageBus {
  start(): Promise<void>;
  /** Publishes the retained server state `stopping`/`offline` and disconnects. */
  stop(): Promise<void>;
  publish(topic: string, payload: Buffer, flags: PublishFlags): Promise<void>;
  subscribe(topicFilter: string, handler: MessageHandler): Promise<void>;
  isReady(): boolean;
  describe(): BrokerDescription;
}

export type BrokerDescription =
  /** A port is null when that listener is off (plaintext: MQTT_PLAINTEXT=false; TLS: no certificate). */
  | { mode: 'embedded'; tcpPort: number | null; tlsPort: number | null; webSocketPath: string }
  | { mode: 'external'; url: string };
