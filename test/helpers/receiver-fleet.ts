/** A commune with receivers registered through the API and their agents running as real processes. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { ApiClient, waitFor } from './api-client.js';
import { startAgentProcess, type AgentProcess } from './agent-process.js';

export interface Receiver {
  readonly id: string;
  readonly token: string;
  readonly dataDir: string;
  readonly playLog: string;
}

export interface Commune {
  readonly communeId: string;
  readonly hamletId: string;
  readonly receivers: Receiver[];
}

/** A commune with a hamlet; the first receiver hangs in the commune itself, the others in the hamlet. */
export async function registerCommune(api: ApiClient, workDir: string, receiverCount: number, name = 'Xã Tân Lạc'): Promise<Commune> {
  const commune = await api.post<{ id: string }>('/api/areas', { name, kind: 'commune', code: `X${Date.now()}${Math.round(Math.random() * 1e6)}` });
  expect(commune.status).toBe(201);
  const hamlet = await api.post<{ id: string }>('/api/areas', { name: 'Xóm Bưa', kind: 'hamlet', parentId: commune.body.id });
  expect(hamlet.status).toBe(201);
  const receivers: Receiver[] = [];
  for (let index = 0; index < receiverCount; index++) {
    const areaId = index === 0 ? commune.body.id : hamlet.body.id;
    const created = await api.post<{ id: string; token: string }>('/api/devices', { name: `Loa ${index + 1}`, areaId });
    expect(created.status).toBe(201);
    const dataDir = path.join(workDir, created.body.id);
    await mkdir(dataDir, { recursive: true });
    receivers.push({ ...created.body, dataDir, playLog: path.join(dataDir, 'plays.jsonl') });
  }
  return { communeId: commune.body.id, hamletId: hamlet.body.id, receivers };
}

export function startAgents(
  receivers: readonly Receiver[],
  brokerUrl: string,
  topicRoot: string,
  env: (receiver: Receiver, index: number) => Record<string, string> = () => ({}),
): AgentProcess[] {
  return receivers.map((receiver, index) =>
    startAgentProcess({
      brokerUrl,
      deviceId: receiver.id,
      token: receiver.token,
      dataDir: receiver.dataDir,
      playLog: receiver.playLog,
      topicRoot,
      env: env(receiver, index),
    }),
  );
}

export async function waitUntilOnline(api: ApiClient, receivers: readonly Receiver[], agents: readonly AgentProcess[]): Promise<void> {
  await waitFor(
    async () => {
      const list = await api.get<{ id: string; online: boolean }[]>('/api/devices');
      return receivers.every((r) => list.body.find((row) => row.id === r.id)?.online);
    },
    { what: 'all agents online', timeoutMs: 30_000 },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${agents.map((a) => a.output()).join('\n---\n')}`);
  });
}

export interface DeliveryRow {
  occurrenceId: string;
  deviceId: string;
  state: string;
  startedAt: string | null;
  error: string | null;
}

export async function waitForDeliveries(
  api: ApiClient,
  broadcastId: string,
  done: (deliveries: DeliveryRow[]) => boolean,
  {
    timeoutMs = 30_000,
    what = 'deliveries',
    agents = [] as readonly AgentProcess[],
    context = (): string => '',
  }: { timeoutMs?: number; what?: string; agents?: readonly AgentProcess[]; context?: () => string } = {},
): Promise<DeliveryRow[]> {
  return waitFor(
    async () => {
      const view = await api.get<{ deliveries: DeliveryRow[] }>(`/api/broadcasts/${broadcastId}`);
      return view.status === 200 && done(view.body.deliveries) ? view.body.deliveries : undefined;
    },
    { timeoutMs, what, intervalMs: 200 },
  ).catch(async (error: unknown) => {
    const view = await api.get(`/api/broadcasts/${broadcastId}`).catch(() => ({ body: 'unavailable' }));
    throw new Error(
      `${String(error)}\n${JSON.stringify(view.body, null, 2)}\n${agents.map((a) => a.output().slice(-4000)).join('\n---\n')}\n${context()}`,
    );
  });
}

/** Percentiles of a list of numbers (nearest rank). */
export function percentiles(values: readonly number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

/** Renders a short Vietnamese bulletin and broadcasts it to the commune at `startAt`; resolves once every receiver has downloaded it. */
export async function broadcastAndAwaitDownloads(
  api: ApiClient,
  commune: Commune,
  startAt: number,
  agents: readonly AgentProcess[],
  text = 'Kính thưa bà con, chiều nay xã họp dân.',
): Promise<string> {
  const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Thông báo', text });
  expect(bulletin.status).toBe(201);
  const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
    bulletinId: bulletin.body.id,
    target: { areaIds: [commune.communeId] },
    startAt: new Date(startAt).toISOString(),
  });
  expect(broadcast.status).toBe(201);
  const count = commune.receivers.length;
  await waitForDeliveries(api, broadcast.body.id, (rows) => rows.length === count && rows.every((r) => r.state === 'downloaded'), {
    what: 'every receiver downloaded',
    agents,
  });
  return broadcast.body.id;
}
