/**
 * The console's live receiver feed (`GET /api/live/devices`, server-sent events) with real agent
 * processes: the first event lists the receivers in the caller's areas with their last play;
 * later events carry a receiver as it goes on air (with the bulletin's title), comes off it with
 * the outcome, and goes offline. A commune user's feed never carries another commune's receivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { readEventStream, type EventStreamReader } from '../../helpers/event-stream.js';
import { registerCommune, startAgents, waitUntilOnline, type Commune } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

interface LiveDevice {
  id: string;
  online: boolean;
  playing: string | null;
  playingTitle: string | null;
  lastSeenAt: string | null;
  lastPlay?: { broadcastId: string; title: string | null; outcome: string; at: string } | null;
}

describe('live receiver feed', () => {
  let server: TestServer;
  let api: ApiClient;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let commune: Commune;
  let other: Commune;
  let agents: AgentProcess[] = [];
  const aborts: AbortController[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    work = await makeTempDir('cb-live-devices');
    commune = await registerCommune(api, work.path, 2, 'Xã Văn Sơn');
    other = await registerCommune(api, work.path, 1, 'Xã Phú Cường');
    const brokerUrl = server.mqtt.mode === 'embedded' ? `mqtt://127.0.0.1:${server.mqtt.port}` : server.mqtt.url;
    agents = startAgents(commune.receivers, brokerUrl, server.topics.root);
    await waitUntilOnline(api, commune.receivers, agents);
  }, 120_000);

  afterAll(async () => {
    for (const abort of aborts) abort.abort();
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  async function follow(client: ApiClient): Promise<EventStreamReader> {
    const abort = new AbortController();
    aborts.push(abort);
    const response = await client.stream('/api/live/devices', abort.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return readEventStream(response);
  }

  const latest = (reader: EventStreamReader, id: string): LiveDevice | undefined =>
    reader.events
      .filter((e) => e.event === 'devices')
      .flatMap((e) => e.data as LiveDevice[])
      .filter((d) => d.id === id)
      .reduce<LiveDevice | undefined>((merged, next) => ({ ...merged, ...next }), undefined);

  it('sends every receiver in scope first, then each one on air with its title and off air with the outcome', async () => {
    const feed = await follow(api);
    await waitFor(async () => feed.events.length > 0, { what: 'the first event' });
    const first = feed.events[0]!;
    expect(first.event).toBe('devices');
    const ids = (first.data as LiveDevice[]).map((d) => d.id).sort();
    expect(ids).toEqual([...commune.receivers, ...other.receivers].map((r) => r.id).sort());
    expect((first.data as LiveDevice[]).find((d) => d.id === commune.receivers[0]!.id)).toMatchObject({ online: true, lastPlay: null });

    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Lịch tiêm phòng', text: 'Kính thưa bà con, sáng mai xã tiêm phòng cho gia súc.' });
    expect(bulletin.status).toBe(201);
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', { bulletinId: bulletin.body.id, target: { areaIds: [commune.communeId] } });
    expect(broadcast.status).toBe(201);

    const receiver = commune.receivers[1]!.id;
    await waitFor(async () => latest(feed, receiver)?.playing === broadcast.body.id, { what: 'the receiver on air in the feed', timeoutMs: 20_000 });
    expect(latest(feed, receiver)?.playingTitle).toBe('Lịch tiêm phòng');
    await waitFor(async () => latest(feed, receiver)?.lastPlay?.broadcastId === broadcast.body.id, { what: 'the play finished in the feed', timeoutMs: 30_000 });
    expect(latest(feed, receiver)).toMatchObject({ playing: null, lastPlay: { title: 'Lịch tiêm phòng', outcome: 'played' } });
    // Nothing about the other commune's receiver changed, so the feed never mentions it again.
    expect(feed.events.slice(1).flatMap((e) => e.data as LiveDevice[]).some((d) => d.id === other.receivers[0]!.id)).toBe(false);

    await agents[0]!.stop();
    await waitFor(async () => latest(feed, commune.receivers[0]!.id)?.online === false, { what: 'the stopped agent offline in the feed', timeoutMs: 20_000 });
  }, 90_000);

  it("gives a commune user only the commune's receivers", async () => {
    const password = 'commune-viewer-password-1';
    const created = await api.post('/api/users', { username: 'phu-cuong-viewer', password, role: 'viewer', areaId: other.communeId });
    expect(created.status).toBe(201);
    const viewer = new ApiClient(server.url);
    await viewer.login('phu-cuong-viewer', password);
    const feed = await follow(viewer);
    await waitFor(async () => feed.events.length > 0, { what: 'the first event' });
    expect((feed.events[0]!.data as LiveDevice[]).map((d) => d.id)).toEqual(other.receivers.map((r) => r.id));
  });

  it('needs a signed-in user', async () => {
    const anonymous = await fetch(`${server.url}/api/live/devices`);
    expect(anonymous.status).toBe(401);
  });
});
