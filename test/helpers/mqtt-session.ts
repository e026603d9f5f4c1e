/** Raw MQTT.js sessions for access-control tests: connect (or be refused), watch messages, notice being cut off. */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface Credential {
  readonly clientId: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

export interface Session {
  readonly client: MqttClient;
  /** Every message received, in order. */
  readonly received: { topic: string; payload: string }[];
  /** Resolves when the broker closes the connection. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
  end(): Promise<void>;
}

/** A receiver's credential: client id = user name = device id. */
export const asDevice = (device: { id: string; token: string }): Credential => ({ clientId: device.id, username: device.id, password: device.token });

export function connectSession(url: string, credential: Credential, options: IClientOptions = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { ...credential, reconnectPeriod: 0, protocolVersion: 4, connectTimeout: 5_000, ...options });
    const received: { topic: string; payload: string }[] = [];
    client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    let closedFlag = false;
    const closed = new Promise<void>((resolveClosed) =>
      client.once('close', () => {
        closedFlag = true;
        resolveClosed();
      }),
    );
    client.once('connect', () =>
      resolve({ client, received, closed, isClosed: () => closedFlag, end: () => client.endAsync(true).then(() => undefined) }),
    );
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    void closed.then(() => reject(new Error('connection closed before CONNACK')));
  });
}

/** Resolves with the broker's reason when it refuses the connection; fails the test if it accepts it. */
export async function refusal(url: string, credential: Credential, options: IClientOptions = {}): Promise<string> {
  try {
    const session = await connectSession(url, credential, options);
    await session.end();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`the broker accepted ${credential.clientId}`);
}

/** The granted QoS per filter: 128 is MQTT 3.1.1's refusal (§3.9.3). */
export async function grants(session: Session, filters: readonly string[]): Promise<Record<string, number>> {
  const granted: Record<string, number> = {};
  for (const filter of filters) {
    // MQTT.js rejects on a refused filter, with the SUBACK (and so the return code) attached.
    granted[filter] = await session.client.subscribeAsync(filter, { qos: 1 }).then(
      ([grant]) => grant?.qos ?? -1,
      (error: unknown) => {
        const code = (error as { packet?: { granted?: unknown[] } }).packet?.granted?.[0];
        if (typeof code !== 'number') throw error;
        return code;
      },
    );
  }
  return granted;
}

export function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)),
  ]);
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
