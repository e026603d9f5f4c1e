/**
 * Twenty real agent processes (file player) in one commune are playing a 30-second bulletin when an
 * emergency is sent: every one cuts the bulletin, starts the siren from its cache within 1.5 s of
 * the request, then plays the message (repeated), and the live board, followed over server-sent
 * events, counts 20 played. A second emergency is stopped mid-repeat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../helpers/api-client.js';
import type { AgentProcess, PlayLogLine } from '../helpers/agent-process.js';
import { readEventStream, type EventStreamReader } from '../helpers/event-stream.js';
import { recordMeasurement } from '../helpers/measurements.js';
import { percentiles, registerCommune, startAgents, waitForDeliveries, waitUntilOnline, type Commune } from '../helpers/receiver-fleet.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../helpers/test-server.js';

const RECEIVERS = 20;
const TONE_DEADLINE_MS = 1_500;

const LONG_BULLETIN = [
  'Kính thưa bà con nhân dân trong xã. Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm trong tháng này.',
  'Các hộ chăn nuôi đưa trâu, bò, lợn đến điểm tiêm tại nhà văn hóa thôn vào buổi sáng thứ bảy và chủ nhật.',
  'Đề nghị bà con chuẩn bị chuồng trại sạch sẽ, ghi chép số lượng vật nuôi và mang theo sổ theo dõi.',
  'Mọi thắc mắc xin liên hệ cán bộ thú y xã trong giờ hành chính. Xin trân trọng cảm ơn bà con đã lắng nghe.',
].join(' ');

interface BoardEvent {
  readonly counts: Record<string, number> & { total: number };
  readonly receivers: { deviceId: string; state: string; messageStartedAt: string | null }[];
  readonly emergency: { state: string };
}

describe('emergency to twenty receivers', () => {
  let server: TestServer;
  let api: ApiClient;
  let work: Awaited<ReturnType<typeof makeTempDir>>;
  let commune: Commune;
  let agents: AgentProcess[] = [];
  let sirenSha: string;
  const streams: AbortController[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    work = await makeTempDir('cb-emergency');
    commune = await registerCommune(api, work.path, RECEIVERS);
    // Signals render in the background at start-up; receivers started after that cache them at once.
    const signals = await waitFor(
      async () => {
        const list = await api.get<{ name: string; audio: { sha256: string } | null }[]>('/api/emergency/signals');
        return list.body.every((signal) => signal.audio) ? list.body : undefined;
      },
      { what: 'attention signals rendered', timeoutMs: 60_000 },
    );
    sirenSha = signals.find((signal) => signal.name === 'siren')!.audio!.sha256;
    agents = startAgents(commune.receivers, server.mqtt.mode === 'embedded' ? `mqtt://127.0.0.1:${server.mqtt.port}` : server.mqtt.url, server.topics.root);
    await waitUntilOnline(api, commune.receivers, agents);
    await waitFor(async () => agents.every((agent) => agent.output().includes(sirenSha)), { what: 'every agent has the siren cached', timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    for (const stream of streams) stream.abort();
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
    await work?.remove();
  });

  it('interrupts the bulletin, sounds the siren within 1.5 s, plays the message, and the live board counts 20 played', async () => {
    const bulletin = await api.post<{ id: string; audio: { sha256: string; durationMs: number } }>('/api/bulletins', { title: 'Tiêm phòng', text: LONG_BULLETIN });
    expect(bulletin.status).toBe(201);
    expect(bulletin.body.audio.durationMs).toBeGreaterThan(20_000);
    const normal = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(Date.now() + 5_000).toISOString(),
    });
    expect(normal.status).toBe(201);
    await waitForDeliveries(api, normal.body.id, (rows) => rows.length === RECEIVERS && rows.every((row) => row.state === 'playing'), {
      what: 'the bulletin on air everywhere',
      agents,
      timeoutMs: 40_000,
    });

    const requestedAt = Date.now();
    const sent = await api.post<{ id: string; broadcastId: string; bulletinId: string }>('/api/emergency', {
      text: 'Khẩn cấp. Lũ quét đang về suối Bưa. Bà con lên ngay chỗ cao.',
      target: { areaIds: [commune.communeId] },
      repeat: 2,
      gapSeconds: 1,
      tone: 'siren',
      hazard: 'flood',
    });
    expect(sent.status).toBe(201);
    const stream = await followBoard(sent.body.id);
    const message = await api.get<{ audio: { sha256: string; durationMs: number } }>(`/api/bulletins/${sent.body.bulletinId}`);

    const final = await waitFor(
      async () => {
        const last = stream.events.at(-1)?.data as BoardEvent | undefined;
        return last && last.counts.played === RECEIVERS ? last : undefined;
      },
      { what: 'the live board to count 20 played', timeoutMs: 60_000 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${JSON.stringify(stream.events.at(-1), null, 2)}\n${agents[0]!.output().slice(-3000)}`);
    });
    expect(final.counts.total).toBe(RECEIVERS);
    // The board was pushed as reports arrived, not only once at the end.
    const playingSeen = stream.events.some((event) => ((event.data as BoardEvent).counts.playing ?? 0) > 0);
    expect(playingSeen).toBe(true);

    const toSignal: number[] = [];
    const toMessage: number[] = [];
    const signalToMessageGap: number[] = [];
    for (const agent of agents) {
      const plays = await agent.plays();
      const cut = plays.find((play) => play.broadcastId === normal.body.id);
      expect(cut?.outcome).toBe('interrupted');
      const emergency = plays.filter((play) => play.broadcastId === sent.body.broadcastId);
      expect(emergency.map((play) => play.sha256)).toEqual([sirenSha, message.body.audio.sha256, message.body.audio.sha256]);
      expect(emergency.every((play) => play.outcome === 'completed')).toBe(true);
      const [signal, first, second] = emergency as [PlayLogLine, PlayLogLine, PlayLogLine];
      expect(cut!.endedAt).toBeLessThanOrEqual(signal.startedAt + 50);
      toSignal.push(signal.systemTime - requestedAt);
      toMessage.push(first.systemTime - requestedAt);
      signalToMessageGap.push(first.startedAt - signal.endedAt);
      // The repeat follows the gap asked for.
      expect(second.startedAt - first.endedAt).toBeGreaterThanOrEqual(950);
      expect(second.startedAt - first.endedAt).toBeLessThan(1_500);
    }
    expect(Math.max(...toSignal)).toBeLessThanOrEqual(TONE_DEADLINE_MS);
    expect(Math.max(...signalToMessageGap)).toBeLessThan(250);
    await recordMeasurement('emergency-20', {
      requestToSignalMs: percentiles(toSignal),
      requestToMessageMs: percentiles(toMessage),
      signalToMessageGapMs: percentiles(signalToMessageGap),
      toSignal,
      toMessage,
    });
  }, 150_000);

  it('stops an emergency mid-repeat on every receiver', async () => {
    const sent = await api.post<{ id: string; broadcastId: string; bulletinId: string }>('/api/emergency', {
      text: 'Khẩn cấp. Đề nghị bà con các xóm ven suối di chuyển ngay đến nhà văn hóa thôn, mang theo giấy tờ và thuốc men cần thiết.',
      target: { areaIds: [commune.communeId] },
      repeat: 5,
      gapSeconds: 2,
      tone: 'chime',
    });
    expect(sent.status).toBe(201);
    await waitFor(
      async () => {
        const board = await api.get<BoardEvent>(`/api/emergency/${sent.body.id}`);
        return board.body.receivers.length === RECEIVERS && board.body.receivers.every((receiver) => receiver.messageStartedAt);
      },
      { what: 'the message on air everywhere', timeoutMs: 30_000, intervalMs: 50 },
    );
    const stopped = await api.post<{ state: string }>(`/api/emergency/${sent.body.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('stopped');
    const message = await api.get<{ audio: { sha256: string; durationMs: number } }>(`/api/bulletins/${sent.body.bulletinId}`);
    // Long enough for a second repeat to have begun, had the stop not worked.
    await new Promise((resolve) => setTimeout(resolve, message.body.audio.durationMs + 3_000));
    const board = await api.get<BoardEvent>(`/api/emergency/${sent.body.id}`);
    expect(board.body.emergency.state).toBe('stopped');
    expect(board.body.counts.stopped).toBe(RECEIVERS);
    for (const agent of agents) {
      const lines = (await agent.plays()).filter((play) => play.broadcastId === sent.body.broadcastId && play.sha256 === message.body.audio.sha256);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.outcome).toBe('interrupted');
    }
    const audit = await api.get<{ route: string; entityId: string }[]>(`/api/audit?entityId=${sent.body.id}`);
    expect(audit.body.map((row) => row.route)).toEqual(expect.arrayContaining(['emergency:sent', 'emergency:aired', 'emergency:stopped']));
  }, 90_000);

  async function followBoard(emergencyId: string): Promise<EventStreamReader> {
    const abort = new AbortController();
    streams.push(abort);
    const response = await api.stream(`/api/emergency/${emergencyId}/events`, abort.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return readEventStream(response);
  }
});
