import { beforeEach, describe, expect, it } from 'vitest';
import type { PlaybackEventInput } from '../../../device-agent/outbox.js';
import { CANCELLED_REASON, STOPPED_REASON, Timeline, type PlayStatus } from '../../../device-agent/timeline.js';
import { FakeAudio, FakePlayer, ManualTime, playCommand, sha, silentLogger } from './helpers.js';

describe('timeline', () => {
  let time: ManualTime;
  let player: FakePlayer;
  let audio: FakeAudio;
  let events: PlaybackEventInput[];
  let volume: number;
  let statuses: [string, PlayStatus][];
  let timeline: Timeline;

  beforeEach(() => {
    time = new ManualTime();
    player = new FakePlayer(time);
    audio = new FakeAudio();
    events = [];
    statuses = [];
    volume = 65;
    timeline = new Timeline({
      clock: time,
      timers: time,
      player,
      audio,
      emit: (e) => events.push(e),
      volume: () => volume,
      logger: silentLogger,
      onStatus: (commandId, status) => statuses.push([commandId, status]),
    });
  });

  const typesOf = (commandId: string) => events.filter((e) => e.commandId === commandId).map((e) => e.type);
  const eventOf = (commandId: string, type: string) => events.find((e) => e.commandId === commandId && e.type === type);
  const eventsOf = (commandId: string, type: string) => events.filter((e) => e.commandId === commandId && e.type === type);
  const statusesOf = (commandId: string) => statuses.filter(([id]) => id === commandId).map(([, status]) => status);

  it('downloads ahead, starts exactly at startAt, and finishes completed', async () => {
    const play = playCommand({ startAt: time.now() + 5_000 });
    expect(timeline.schedule(play)).toBe(true);
    await time.advance(4_999);
    expect(typesOf(play.commandId)).toEqual(['received', 'downloaded']);
    expect(player.plays).toHaveLength(0);
    await time.advance(1);
    expect(player.plays).toEqual([expect.objectContaining({ broadcastId: play.broadcastId, startedAt: play.startAt, volume: 65 })]);
    expect(eventOf(play.commandId, 'started')).toMatchObject({ at: play.startAt, sha256: play.audio.sha256 });
    expect(timeline.onAir?.broadcastId).toBe(play.broadcastId);
    await time.advance(play.audio.durationMs);
    expect(typesOf(play.commandId)).toEqual(['received', 'downloaded', 'started', 'finished']);
    expect(eventOf(play.commandId, 'finished')).toMatchObject({ outcome: 'completed', at: play.startAt + play.audio.durationMs });
    expect(timeline.onAir).toBeNull();
    expect(audio.pinnedCount()).toBe(0);
  });

  it('is idempotent by commandId', async () => {
    const play = playCommand({ startAt: time.now() + 1_000 });
    expect(timeline.schedule(play)).toBe(true);
    expect(timeline.schedule(play)).toBe(false);
    await time.advance(20_000);
    expect(player.plays).toHaveLength(1);
    expect(typesOf(play.commandId).filter((t) => t === 'received')).toHaveLength(1);
  });

  it('starts at once when startAt has passed but the play has not expired', async () => {
    const play = playCommand({ startAt: time.now() - 2_000, expiresAt: time.now() + 10_000 });
    timeline.schedule(play);
    await time.advance(0);
    expect(player.plays[0]?.startedAt).toBe(time.now());
  });

  it('fails expired without playing when expiresAt is already past', async () => {
    const play = playCommand({ startAt: time.now() - 20_000, expiresAt: time.now() - 1 });
    timeline.schedule(play);
    await time.advance(1_000);
    expect(typesOf(play.commandId)).toEqual(['received', 'failed']);
    expect(eventOf(play.commandId, 'failed')).toMatchObject({ reason: 'expired' });
    expect(player.plays).toHaveLength(0);
  });

  it('fails expired when the audio is not ready before expiresAt, and plays late when ready before it', async () => {
    const slow = playCommand({ startAt: time.now() + 1_000, expiresAt: time.now() + 3_000, audio: { ...playCommand({ startAt: 0 }).audio, sha256: sha('b') } });
    const gate = audio.hold(sha('b'));
    timeline.schedule(slow);
    await time.advance(3_000);
    expect(eventOf(slow.commandId, 'failed')).toMatchObject({ reason: 'expired' });
    gate.resolve({ path: '/cache/b', fromCache: false });
    await time.advance(1_000);
    expect(player.plays).toHaveLength(0);
    expect(typesOf(slow.commandId)).toEqual(['received', 'failed']);

    const late = playCommand({ startAt: time.now() + 1_000, expiresAt: time.now() + 10_000, audio: { ...slow.audio, sha256: sha('c') } });
    const lateGate = audio.hold(sha('c'));
    timeline.schedule(late);
    await time.advance(2_500);
    expect(player.plays).toHaveLength(0);
    lateGate.resolve({ path: '/cache/c', fromCache: true });
    await time.advance(0);
    expect(player.plays[0]).toMatchObject({ broadcastId: late.broadcastId, startedAt: late.startAt + 1_500 });
    expect(eventOf(late.commandId, 'downloaded')).toMatchObject({ fromCache: true });
  });

  it('reports a download failure with its reason', async () => {
    const play = playCommand({ startAt: time.now() + 1_000, audio: { ...playCommand({ startAt: 0 }).audio, sha256: sha('d') } });
    audio.hold(sha('d')).reject(new Error('download failed after 3 attempts: sha256 mismatch'));
    timeline.schedule(play);
    await time.advance(5_000);
    expect(eventOf(play.commandId, 'failed')).toMatchObject({ reason: 'download failed after 3 attempts: sha256 mismatch' });
    expect(player.plays).toHaveLength(0);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('lets a higher priority preempt the play on air, then restarts the preempted one from the beginning', async () => {
    const normal = playCommand({ startAt: time.now() + 1_000, priority: 'normal' });
    const emergency = playCommand({ startAt: time.now() + 4_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 5_000 } });
    timeline.schedule(normal);
    timeline.schedule(emergency);
    await time.advance(4_000);
    expect(player.plays.map((p) => [p.broadcastId, p.outcome])).toEqual([
      [normal.broadcastId, 'interrupted'],
      [emergency.broadcastId, undefined],
    ]);
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']);
    expect(eventOf(normal.commandId, 'preempted')).toMatchObject({ byBroadcastId: emergency.broadcastId });
    expect(eventOf(normal.commandId, 'finished')).toMatchObject({ outcome: 'interrupted' });
    expect(eventOf(emergency.commandId, 'started')).toMatchObject({ at: emergency.startAt });
    expect(timeline.onAir?.broadcastId).toBe(emergency.broadcastId);
    expect(statusesOf(normal.commandId)).toEqual(['started', 'preempted']);
    expect(timeline.has(normal.commandId)).toBe(true);

    await time.advance(4_999);
    expect(player.plays).toHaveLength(2); // not while the emergency is on air
    await time.advance(1); // the emergency ends at +9 000
    const emergencyEnd = emergency.startAt + 5_000;
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt])).toEqual([
      [normal.broadcastId, normal.startAt],
      [emergency.broadcastId, emergency.startAt],
      [normal.broadcastId, emergencyEnd],
    ]);
    expect(timeline.onAir?.broadcastId).toBe(normal.broadcastId);
    await time.advance(normal.audio.durationMs); // the whole announcement again, not the rest of it
    expect(player.plays[2]).toMatchObject({ outcome: 'completed', endedAt: emergencyEnd + normal.audio.durationMs });
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished', 'started', 'finished']);
    expect(eventsOf(normal.commandId, 'started').map((e) => e.at)).toEqual([normal.startAt, emergencyEnd]);
    expect(eventsOf(normal.commandId, 'finished')).toMatchObject([{ outcome: 'interrupted' }, { outcome: 'completed' }]);
    expect(statusesOf(normal.commandId)).toEqual(['started', 'preempted', 'started', 'done']);
    expect(timeline.size).toBe(0);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('does not restart a preempted play after its expiresAt: it stays preempted, with no further event', async () => {
    const normal = playCommand({ startAt: time.now() + 1_000, expiresAt: time.now() + 8_000 });
    const emergency = playCommand({ startAt: time.now() + 3_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 10_000 } });
    timeline.schedule(normal);
    timeline.schedule(emergency);
    await time.advance(3_000);
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']);
    await time.advance(5_000); // expiresAt passes while the emergency plays
    expect(timeline.has(normal.commandId)).toBe(false);
    expect(statusesOf(normal.commandId)).toEqual(['started', 'preempted', 'done']);
    expect(audio.pinnedCount()).toBe(1); // only the emergency's
    await time.advance(30_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual([normal.broadcastId, emergency.broadcastId]);
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('does not restart a preempted play whose expiresAt passed while its playback was winding down', async () => {
    const normal = playCommand({ startAt: time.now() + 1_000, expiresAt: time.now() + 3_000 });
    const emergency = playCommand({ startAt: time.now() + 3_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 1_000 } });
    timeline.schedule(normal);
    timeline.schedule(emergency);
    await time.advance(20_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual([normal.broadcastId, emergency.broadcastId]);
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']);
    expect(statusesOf(normal.commandId).at(-1)).toBe('done');
  });

  it('restarts a preempted play only when nothing of higher priority is left, ahead of an equal one that fell due later', async () => {
    const normal = playCommand({ startAt: time.now() + 1_000 });
    const emergency = playCommand({ startAt: time.now() + 2_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 2_000 } });
    const high = playCommand({ startAt: time.now() + 3_000, priority: 'high', audio: { ...normal.audio, durationMs: 2_000 } });
    const laterNormal = playCommand({ startAt: time.now() + 3_500 });
    for (const play of [normal, emergency, high, laterNormal]) timeline.schedule(play);
    await time.advance(40_000);
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt - normal.startAt, p.outcome])).toEqual([
      [normal.broadcastId, 0, 'interrupted'],
      [emergency.broadcastId, 1_000, 'completed'],
      [high.broadcastId, 3_000, 'completed'], // waited for the emergency: equal or lower never preempts
      [normal.broadcastId, 5_000, 'completed'],
      [laterNormal.broadcastId, 15_000, 'completed'],
    ]);
    expect(typesOf(high.commandId)).not.toContain('preempted');
    expect(typesOf(laterNormal.commandId)).not.toContain('preempted');
  });

  it('a stop during the wait means the preempted play does not come back', async () => {
    const normal = playCommand({ startAt: time.now() + 1_000, broadcastId: 'news' });
    const emergency = playCommand({ startAt: time.now() + 2_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 2_000 } });
    timeline.schedule(normal);
    timeline.schedule(emergency);
    await time.advance(2_500);
    expect(timeline.stop('news')).toBe('news');
    await time.advance(30_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual(['news', emergency.broadcastId]);
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished', 'failed']);
    expect(eventOf(normal.commandId, 'failed')).toMatchObject({ reason: STOPPED_REASON });
  });

  it('a stop while the preempted playback is still winding down also means it does not come back', async () => {
    const slow = new FakePlayer(time, 500); // like a process that takes 500 ms to exit after SIGTERM
    timeline = new Timeline({ clock: time, timers: time, player: slow, audio, emit: (e) => events.push(e), volume: () => volume, logger: silentLogger });
    const normal = playCommand({ startAt: time.now() + 1_000, broadcastId: 'news' });
    const emergency = playCommand({ startAt: time.now() + 2_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 2_000 } });
    timeline.schedule(normal);
    timeline.schedule(emergency);
    await time.advance(2_100);
    expect(slow.plays[0]!.outcome).toBeUndefined(); // still winding down
    expect(timeline.stop('news')).toBe('news');
    await time.advance(30_000);
    expect(slow.plays.map((p) => [p.broadcastId, p.outcome])).toEqual([
      ['news', 'interrupted'],
      [emergency.broadcastId, 'completed'],
    ]);
    expect(typesOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']);
    expect(timeline.size).toBe(0);
  });

  it('restarts a preempted play only after its first playback has wound down', async () => {
    const slow = new FakePlayer(time, 500);
    timeline = new Timeline({ clock: time, timers: time, player: slow, audio, emit: (e) => events.push(e), volume: () => volume, logger: silentLogger });
    const normal = playCommand({ startAt: time.now() + 1_000 });
    const emergency = playCommand({ startAt: time.now() + 2_000, priority: 'emergency', audio: { ...normal.audio, durationMs: 200 } });
    timeline.schedule(normal);
    timeline.schedule(emergency);
    await time.advance(20_000);
    expect(slow.plays.map((p) => [p.broadcastId, p.startedAt - normal.startAt, p.endedAt! - normal.startAt])).toEqual([
      [normal.broadcastId, 0, 1_500],
      [emergency.broadcastId, 1_000, 1_200],
      [normal.broadcastId, 1_500, 11_500],
    ]);
  });

  it('two plays of equal priority never preempt: emergency after emergency waits', async () => {
    const first = playCommand({ startAt: time.now() + 1_000, priority: 'emergency' });
    const second = playCommand({ startAt: time.now() + 2_000, priority: 'emergency' });
    timeline.schedule(first);
    timeline.schedule(second);
    await time.advance(30_000);
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt, p.outcome])).toEqual([
      [first.broadcastId, first.startAt, 'completed'],
      [second.broadcastId, first.startAt + first.audio.durationMs, 'completed'],
    ]);
    expect(typesOf(first.commandId)).toEqual(['received', 'downloaded', 'started', 'finished']);
    expect(eventOf(second.commandId, 'started')).toMatchObject({ at: first.startAt + first.audio.durationMs });
  });

  it('cancel fails a play not started yet with the given reason, and it never plays; a play on air is not cancelled', async () => {
    const onAir = playCommand({ startAt: time.now() + 1_000 });
    const later = playCommand({ startAt: time.now() + 30_000 });
    timeline.schedule(onAir);
    timeline.schedule(later);
    await time.advance(1_000);
    expect(timeline.cancel(onAir.commandId, CANCELLED_REASON)).toBe(false);
    expect(timeline.cancel(later.commandId, CANCELLED_REASON)).toBe(true);
    expect(timeline.cancel(later.commandId, CANCELLED_REASON)).toBe(false);
    expect(timeline.cancel('unknown', CANCELLED_REASON)).toBe(false);
    await time.advance(60_000);
    expect(player.plays.map((p) => [p.broadcastId, p.outcome])).toEqual([[onAir.broadcastId, 'completed']]);
    expect(typesOf(later.commandId)).toEqual(['received', 'downloaded', 'failed']);
    expect(eventOf(later.commandId, 'failed')).toMatchObject({ reason: 'cancelled' });
    expect(statusesOf(later.commandId)).toEqual(['done']);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('a play put back as preempted (after a restart) plays again, or ends silently if it has expired', async () => {
    const waiting = playCommand({ startAt: time.now() - 5_000, expiresAt: time.now() + 10_000 });
    const expired = playCommand({ startAt: time.now() - 60_000, expiresAt: time.now() - 1 });
    timeline.schedule(waiting, { announce: false, preempted: true });
    timeline.schedule(expired, { announce: false, preempted: true });
    await time.advance(0);
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt])).toEqual([[waiting.broadcastId, time.now()]]);
    expect(typesOf(waiting.commandId)).toEqual(['downloaded', 'started']);
    expect(typesOf(expired.commandId)).toEqual([]);
    expect(statusesOf(expired.commandId)).toEqual(['done']);
  });

  it('starts a play at startAt while a later play is still downloading, and a slow download never delays an earlier play', async () => {
    const big = { ...playCommand({ startAt: 0 }).audio, sha256: sha('f'), bytes: 50_000_000 };
    const gate = audio.hold(sha('f'));
    const later = playCommand({ startAt: time.now() + 20_000, audio: big });
    const earlier = playCommand({ startAt: time.now() + 3_000 });
    timeline.schedule(later); // its download starts first and is still going at the earlier one's start
    timeline.schedule(earlier);
    await time.advance(3_000);
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt])).toEqual([[earlier.broadcastId, earlier.startAt]]);
    expect(eventOf(earlier.commandId, 'started')).toMatchObject({ at: earlier.startAt });
    gate.resolve({ path: '/cache/f', fromCache: false });
    await time.advance(17_000);
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt])).toEqual([
      [earlier.broadcastId, earlier.startAt],
      [later.broadcastId, later.startAt],
    ]);
  });

  it('makes an equal-priority play wait for the one on air, then plays it', async () => {
    const first = playCommand({ startAt: time.now() + 1_000 });
    const second = playCommand({ startAt: time.now() + 3_000 });
    timeline.schedule(first);
    timeline.schedule(second);
    await time.advance(3_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual([first.broadcastId]);
    await time.advance(8_000); // first ends at +11 000
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt])).toEqual([
      [first.broadcastId, first.startAt],
      [second.broadcastId, first.startAt + first.audio.durationMs],
    ]);
    expect(player.plays[0]!.outcome).toBe('completed');
    expect(typesOf(second.commandId)).not.toContain('preempted');
  });

  it('never lets a lower priority preempt, and expires it if it waits past expiresAt', async () => {
    const high = playCommand({ startAt: time.now() + 1_000, priority: 'high' });
    const low = playCommand({ startAt: time.now() + 2_000, priority: 'low', expiresAt: time.now() + 5_000 });
    timeline.schedule(high);
    timeline.schedule(low);
    await time.advance(20_000);
    expect(player.plays.map((p) => [p.broadcastId, p.outcome])).toEqual([[high.broadcastId, 'completed']]);
    expect(eventOf(low.commandId, 'failed')).toMatchObject({ reason: 'expired', at: low.expiresAt });
  });

  it('weighs plays due at the same instant together: the higher one starts, the other waits', async () => {
    const at = time.now() + 1_000;
    const low = playCommand({ startAt: at, priority: 'low' });
    const emergency = playCommand({ startAt: at, priority: 'emergency' });
    timeline.schedule(low);
    timeline.schedule(emergency);
    await time.advance(1_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual([emergency.broadcastId]);
    expect(typesOf(low.commandId)).toEqual(['received', 'downloaded']);
    await time.advance(10_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual([emergency.broadcastId, low.broadcastId]);
  });

  it('stop ends the named broadcast on air and cancels its pending plays, leaving others', async () => {
    const onAir = playCommand({ startAt: time.now() + 1_000, broadcastId: 'news' });
    const repeat = playCommand({ startAt: time.now() + 30_000, broadcastId: 'news' });
    const other = playCommand({ startAt: time.now() + 40_000, broadcastId: 'music' });
    for (const play of [onAir, repeat, other]) timeline.schedule(play);
    await time.advance(2_000);
    expect(timeline.stop('news')).toBe('news');
    await time.advance(0);
    expect(eventOf(onAir.commandId, 'finished')).toMatchObject({ outcome: 'interrupted' });
    expect(eventOf(repeat.commandId, 'failed')).toMatchObject({ reason: STOPPED_REASON });
    expect(timeline.onAir).toBeNull();
    await time.advance(60_000);
    expect(player.plays.map((p) => p.broadcastId)).toEqual(['news', 'music']);
  });

  it('stop without a broadcast id stops whatever is on air; with nothing on air it does nothing', async () => {
    expect(timeline.stop()).toBeNull();
    const play = playCommand({ startAt: time.now() + 1_000 });
    timeline.schedule(play);
    await time.advance(1_500);
    expect(timeline.stop()).toBe(play.broadcastId);
    await time.advance(0);
    expect(player.plays[0]!.outcome).toBe('interrupted');
    expect(typesOf(play.commandId)).toEqual(['received', 'downloaded', 'started', 'finished']);
  });

  it('a stopped play lets a waiting one start at once', async () => {
    const first = playCommand({ startAt: time.now() + 1_000 });
    const waiting = playCommand({ startAt: time.now() + 2_000 });
    timeline.schedule(first);
    timeline.schedule(waiting);
    await time.advance(3_000);
    timeline.stop(first.broadcastId);
    await time.advance(0);
    expect(player.plays.map((p) => [p.broadcastId, p.startedAt])).toEqual([
      [first.broadcastId, first.startAt],
      [waiting.broadcastId, time.now()],
    ]);
  });

  it('uses the volume current at start', async () => {
    const play = playCommand({ startAt: time.now() + 1_000 });
    timeline.schedule(play);
    volume = 30;
    await time.advance(1_000);
    expect(player.plays[0]!.volume).toBe(30);
  });

  it('close interrupts the play on air and gives no verdict on plays not started (they are restored later)', async () => {
    const onAir = playCommand({ startAt: time.now() + 1_000 });
    const later = playCommand({ startAt: time.now() + 100_000 });
    const downloading = playCommand({ startAt: time.now() + 100_000, audio: { ...later.audio, sha256: sha('e') } });
    const gate = audio.hold(sha('e'));
    timeline.schedule(onAir);
    timeline.schedule(later);
    timeline.schedule(downloading);
    await time.advance(2_000);
    await timeline.close();
    gate.reject(new Error('agent stopping')); // the downloader aborts on stop
    await time.advance(200_000);
    expect(eventOf(onAir.commandId, 'finished')).toMatchObject({ outcome: 'interrupted' });
    expect(typesOf(later.commandId)).toEqual(['received', 'downloaded']);
    expect(typesOf(downloading.commandId)).toEqual(['received']);
    expect(player.plays).toHaveLength(1);
    expect(audio.pinnedCount()).toBe(0);
    expect(timeline.schedule(playCommand({ startAt: time.now() }))).toBe(false);
  });
});
