/**
 * Receivers for a simulated fleet, registered through the public API like any other (each gets its
 * own id and token), and kept in a credentials file so a later run reuses them.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ApiClient } from '../../test/helpers/api-client.js';
import type { ReceiverCredential } from './fleet-messages.js';

/** Registrations in flight at once: enough to keep the server busy, few enough not to queue for long. */
const CONCURRENCY = 16;

const credentialsFileSchema = z.object({
  serverUrl: z.string(),
  receivers: z.array(z.object({ id: z.string(), token: z.string(), areaId: z.string() })),
});

export interface StoredReceiver extends ReceiverCredential {
  readonly areaId: string;
}

/** Registers `count` receivers named `<prefix> <n>`, dealt in turn over `areaIds`. */
export async function registerReceivers(api: ApiClient, areaIds: readonly string[], count: number, prefix: string): Promise<StoredReceiver[]> {
  if (areaIds.length === 0) throw new Error('registerReceivers: no area to put receivers in');
  const receivers: StoredReceiver[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const areaId = areaIds[index % areaIds.length]!;
      const response = await api.post<{ id: string; token: string }>('/api/devices', { name: `${prefix} ${index + 1}`, areaId });
      if (response.status !== 201) throw new Error(`registering receiver ${index + 1} failed: ${response.status} ${JSON.stringify(response.body)}`);
      receivers[index] = { id: response.body.id, token: response.body.token, areaId };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return receivers;
}

export async function loadCredentials(file: string, serverUrl: string): Promise<StoredReceiver[]> {
  if (!existsSync(file)) return [];
  const parsed = credentialsFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a fleet credentials file (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  // Tokens of another server would only be refused.
  return parsed.data.serverUrl === serverUrl ? parsed.data.receivers : [];
}

export async function saveCredentials(file: string, serverUrl: string, receivers: readonly StoredReceiver[]): Promise<void> {
  await writeFile(file, `${JSON.stringify({ serverUrl, receivers }, null, 1)}\n`, { mode: 0o600 });
}
