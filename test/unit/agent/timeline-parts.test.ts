/** Plays with an attention signal, repeats and the emergency volume: several parts as one play. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AudioRef, PlayCommand, SignalRef } from '../../../protocol/index.js';
import type { PlaybackEventInput } from '../../../device-agent/outbox.js';
import { STOPPED_REASON, Timeline, type PlayStatus } from '../../../device-agent/timeline.js';
import { FakeAudio, FakePlayer, ManualTime, playCommand, sha, silentLogger } from './helpers.js';

const SIGNAL_SHA = sha('5');
const MESSAGE_SHA = sha('6');

const messageAudio: AudioRef = { url: 'http://server/audio/message.mp3', sha256: MESSAGE_SHA, bytes: 1000, durationMs: 10_000, mime: 'audio/mpeg' };
const storm: SignalRef = {
  name: 'storm',
  audio: { url: 'http://server/audio/storm.mp3', sha256: SIGNAL_SHA, bytes: 500, durationMs: 3_000, mime: 'audio/mpeg' },
};

describe('timeline: signals, repeats, emergency volume', () => {
  let time: ManualTime;
  let player: FakePlayer;
  let audio: FakeAudio;
  let events: PlaybackEventInput[];
  let statuses: [string, PlayStatus][];
  let volume: number;
  let emergencyVolume: number | undefined;
  let timeline: Timeline;

  beforeEach(() => {
    time = new ManualTime();
    player = new FakePlayer(time);
    audio = new FakeAudio();
    events = [];
    statuses = [];
    volume = 65;
    emergencyVolume = undefined;
    timeline = new Timeline({
      clock: time,
      timers: time,
      player,
      audio,
      emit: (e) => events.push(e),
      volume: () => volume,
      emergencyVolume: () => emergencyVolume,
      logger: silentLogger,
      onStatus: (commandId, status) => statuses.push([commandId, status]),
    });
  });

  const emergency = (overrides: Partial<PlayCommand> & { startAt: number }) =>
    playCommand({ priority: 'emergency', audio: messageAudio, signal: storm, ...overrides });
  /** Event types, with parts spelled out: `part:signal:0`. */
  const timelineOf = (commandId: string) =>
    events.filter((e) => e.commandId === commandId).map((e) => (e.type === 'part' ? `part:${e.part}:${e.index}` : e.type));
  const eventOf = (commandId: string, type: string) => events.find((e) => e.commandId === commandId && e.type === type);
  const partsOf = (commandId: string) =>
    events.filter((e) => e.commandId === commandId && e.type === 'part').map((e) => (e.type === 'part' ? [e.part, e.index, e.at] : []));
  const played = () => player.plays.map((p) => [p.sha256 === SIGNAL_SHA ? 'signal' : p.sha256 === MESSAGE_SHA ? 'message' : p.broadcastId, p.startedAt, p.endedAt, p.outcome]);

  it('plays the signal first, then the message from the signal\'s end with no gap, as one play', async () => {
    const play = emergency({ startAt: time.now() + 5_000 });
    timeline.schedule(play);
    await time.advance(5_000);
    const s = play.startAt;
    expect(played()).toEqual([['signal', s, undefined, undefined]]);
    expect(player.plays[0]).toMatchObject({ file: `/cache/${SIGNAL_SHA}` });
    await time.advance(3_000);
    expect(played()).toEqual([
      ['signal', s, s + 3_000, 'completed'],
      ['message', s + 3_000, undefined, undefined],
    ]);
    expect(timeline.onAir?.broadcastId).toBe(play.broadcastId);
    await time.advance(10_000);
    expect(played().at(-1)).toEqual(['message', s + 3_000, s + 13_000, 'completed']);
    expect(timelineOf(play.commandId)).toEqual(['received', 'downloaded', 'started', 'part:signal:0', 'part:message:0', 'finished']);
    expect(eventOf(play.commandId, 'started')).toMatchObject({ at: s, sha256: MESSAGE_SHA });
    expect(partsOf(play.commandId)).toEqual([
      ['signal', 0, s],
      ['message', 0, s + 3_000],
    ]);
    expect(eventOf(play.commandId, 'finished')).toMatchObject({ outcome: 'completed', at: s + 13_000 });
    expect(statuses.map(([, status]) => status)).toEqual(['started', 'done']);
    expect(timeline.onAir).toBeNull();
    expect(audio.pinnedCount()).toBe(0); // both the signal's and the message's leases released
  });

  it('is ready when the signal is: starts on time while the message downloads, and the message starts the moment it is ready', async () => {
    const gate = audio.hold(MESSAGE_SHA);
    const play = emergency({ startAt: time.now() + 1_000 });
    const low = playCommand({ startAt: time.now() + 4_500, priority: 'low', audio: { ...messageAudio, sha256: sha('7') } });
    timeline.schedule(play);
    timeline.schedule(low);
    await time.advance(1_000);
    const s = play.startAt;
    expect(played()).toEqual([['signal', s, undefined, undefined]]);
    await time.advance(5_000); // the signal ended at s + 3 000; nothing else starts while the message is awaited
    expect(played()).toEqual([['signal', s, s + 3_000, 'completed']]);
    expect(timeline.onAir?.broadcastId).toBe(play.broadcastId);
    gate.resolve({ path: '/cache/message', fromCache: false });
    await time.advance(0);
    expect(played().at(-1)).toEqual(['message', s + 5_000, undefined, undefined]);
    expect(player.plays.at(-1)).toMatchObject({ file: '/cache/message' });
    expect(timelineOf(play.commandId)).toEqual(['received', 'started', 'part:signal:0', 'downloaded', 'part:message:0']);
    expect(eventOf(play.commandId, 'downloaded')).toMatchObject({ at: s + 5_000, sha256: MESSAGE_SHA, fromCache: false });
    await time.advance(10_000);
    expect(eventOf(play.commandId, 'finished')).toMatchObject({ outcome: 'completed', at: s + 15_000 });
    expect(played().at(-1)).toEqual([low.broadcastId, s + 15_000, undefined, undefined]); // the low one only after the whole play
  });

  it('plays the message repeat.count times, gapMs apart, and nothing lower starts in the gaps', async () => {
    const play = playCommand({ startAt: time.now() + 1_000, priority: 'high', audio: messageAudio, repeat: { count: 3, gapMs: 2_000 } });
    const normal = playCommand({ startAt: time.now() + 12_000, audio: { ...messageAudio, sha256: sha('7') } }); // due in the first gap
    timeline.schedule(play);
    timeline.schedule(normal);
    await time.advance(40_000);
    const s = play.startAt;
    expect(played().slice(0, 3)).toEqual([
      ['message', s, s + 10_000, 'completed'],
      ['message', s + 12_000, s + 22_000, 'completed'],
      ['message', s + 24_000, s + 34_000, 'completed'],
    ]);
    expect(played()[3]).toEqual([normal.broadcastId, s + 34_000, undefined, undefined]);
    expect(timelineOf(play.commandId)).toEqual(['received', 'downloaded', 'started', 'part:message:0', 'part:message:1', 'part:message:2', 'finished']);
    expect(partsOf(play.commandId).map(([, , at]) => at)).toEqual([s, s + 12_000, s + 24_000]);
    expect(eventOf(play.commandId, 'finished')).toMatchObject({ outcome: 'completed', at: s + 34_000 });
  });

  it('emits parts in order for a signal followed by repeats: started, signal 0, message 0, 1, 2, finished', async () => {
    const play = emergency({ startAt: time.now() + 1_000, repeat: { count: 3, gapMs: 0 } });
    timeline.schedule(play);
    await time.advance(60_000);
    const s = play.startAt;
    expect(timelineOf(play.commandId)).toEqual(['received', 'downloaded', 'started', 'part:signal:0', 'part:message:0', 'part:message:1', 'part:message:2', 'finished']);
    expect(partsOf(play.commandId)).toEqual([
      ['signal', 0, s],
      ['message', 0, s + 3_000],
      ['message', 1, s + 13_000],
      ['message', 2, s + 23_000],
    ]);
    expect(eventOf(play.commandId, 'finished')).toMatchObject({ at: s + 33_000, outcome: 'completed' });
  });

  it('a stop mid-repeat ends the whole play: one finished interrupted, no further part', async () => {
    const inGap = playCommand({ startAt: time.now() + 1_000, broadcastId: 'storm-1', audio: messageAudio, repeat: { count: 3, gapMs: 5_000 } });
    timeline.schedule(inGap);
    await time.advance(12_000); // the first message ended at +11 000: in the gap
    expect(timeline.stop('storm-1')).toBe('storm-1');
    await time.advance(0);
    expect(eventOf(inGap.commandId, 'finished')).toMatchObject({ outcome: 'interrupted', at: inGap.startAt + 11_000 });
    expect(timeline.onAir).toBeNull();

    const onAir = playCommand({ startAt: time.now() + 1_000, broadcastId: 'storm-2', audio: messageAudio, repeat: { count: 3, gapMs: 5_000 } });
    timeline.schedule(onAir);
    await time.advance(1_000 + 15_000 + 2_000); // two seconds into the second message
    timeline.stop(); // whatever is on air
    await time.advance(60_000);
    expect(played()).toEqual([
      ['message', inGap.startAt, inGap.startAt + 10_000, 'completed'],
      ['message', onAir.startAt, onAir.startAt + 10_000, 'completed'],
      ['message', onAir.startAt + 15_000, onAir.startAt + 17_000, 'interrupted'],
    ]);
    for (const play of [inGap, onAir]) {
      expect(events.filter((e) => e.commandId === play.commandId && e.type === 'finished')).toHaveLength(1);
    }
    expect(timelineOf(inGap.commandId)).toEqual(['received', 'downloaded', 'started', 'part:message:0', 'finished']);
    expect(timelineOf(onAir.commandId)).toEqual(['received', 'downloaded', 'started', 'part:message:0', 'part:message:1', 'finished']);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('a stop while the message is awaited ends the play at once; the message arriving later plays nothing', async () => {
    const gate = audio.hold(MESSAGE_SHA);
    const play = emergency({ startAt: time.now() + 1_000 });
    timeline.schedule(play);
    await time.advance(4_000);
    timeline.stop(play.broadcastId);
    await time.advance(0);
    expect(eventOf(play.commandId, 'finished')).toMatchObject({ outcome: 'interrupted', at: play.startAt + 3_000 });
    gate.resolve({ path: '/cache/message', fromCache: false });
    await time.advance(30_000);
    expect(played()).toEqual([['signal', play.startAt, play.startAt + 3_000, 'completed']]);
    expect(timelineOf(play.commandId)).toEqual(['received', 'started', 'part:signal:0', 'finished']);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('an emergency with a signal preempts a normal play: preempted, then the emergency\'s parts, then the normal one again', async () => {
    const normal = playCommand({ startAt: time.now() + 1_000, audio: { ...messageAudio, sha256: sha('7') } });
    const alert = emergency({ startAt: time.now() + 4_000 });
    timeline.schedule(normal);
    timeline.schedule(alert);
    await time.advance(4_000);
    expect(timelineOf(normal.commandId)).toEqual(['received', 'downloaded', 'started', 'preempted', 'finished']);
    expect(eventOf(normal.commandId, 'preempted')).toMatchObject({ byBroadcastId: alert.broadcastId, at: alert.startAt });
    expect(eventOf(normal.commandId, 'finished')).toMatchObject({ outcome: 'interrupted' });
    expect(timelineOf(normal.commandId)).not.toContain('part:message:0'); // a plain play has no parts
    await time.advance(20_000);
    const s = alert.startAt;
    expect(played()).toEqual([
      [normal.broadcastId, normal.startAt, s, 'interrupted'],
      ['signal', s, s + 3_000, 'completed'],
      ['message', s + 3_000, s + 13_000, 'completed'],
      [normal.broadcastId, s + 13_000, undefined, undefined],
    ]);
    expect(timelineOf(alert.commandId)).toEqual(['received', 'downloaded', 'started', 'part:signal:0', 'part:message:0', 'finished']);
    // The preempting play's events come after the preempted one's `preempted`.
    const order = events.map((e) => `${e.commandId === normal.commandId ? 'normal' : 'alert'}:${e.type}`);
    expect(order.indexOf('normal:preempted')).toBeLessThan(order.indexOf('alert:started'));
  });

  it('a message download that fails after the signal started ends the play failed with the download\'s reason', async () => {
    const reason = 'download failed: HTTP 404 from http://server/audio/message.mp3 (3 attempts)';
    const waiting = audio.hold(MESSAGE_SHA);
    const first = emergency({ startAt: time.now() + 1_000 });
    timeline.schedule(first);
    await time.advance(4_500); // signal over at +4 000, message awaited
    waiting.reject(new Error(reason));
    await time.advance(0);
    expect(timelineOf(first.commandId)).toEqual(['received', 'started', 'part:signal:0', 'failed']);
    expect(eventOf(first.commandId, 'failed')).toMatchObject({ reason, at: first.startAt + 3_500 });
    expect(timeline.onAir).toBeNull();
    expect(statuses.filter(([id]) => id === first.commandId).map(([, s]) => s)).toEqual(['started', 'done']);

    // Failing while the signal still plays: the signal plays out, then the play fails.
    const during = audio.hold(MESSAGE_SHA);
    const second = emergency({ startAt: time.now() + 1_000 });
    timeline.schedule(second);
    await time.advance(2_000);
    during.reject(new Error(reason));
    await time.advance(0);
    expect(timelineOf(second.commandId)).toEqual(['received', 'started', 'part:signal:0']);
    await time.advance(2_000);
    expect(timelineOf(second.commandId)).toEqual(['received', 'started', 'part:signal:0', 'failed']);
    expect(eventOf(second.commandId, 'failed')).toMatchObject({ reason, at: second.startAt + 3_000 });
    expect(played().filter(([what]) => what === 'message')).toEqual([]);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('a message download that fails before the start fails the play without playing the signal', async () => {
    audio.hold(MESSAGE_SHA).reject(new Error('sha256 mismatch: expected x, got y (3 attempts)'));
    const play = emergency({ startAt: time.now() + 1_000 });
    timeline.schedule(play);
    await time.advance(10_000);
    expect(timelineOf(play.commandId)).toEqual(['received', 'failed']);
    expect(eventOf(play.commandId, 'failed')).toMatchObject({ reason: 'sha256 mismatch: expected x, got y (3 attempts)' });
    expect(player.plays).toEqual([]);
  });

  it('plays the message alone when the signal cannot be had', async () => {
    audio.hold(SIGNAL_SHA).reject(new Error('download failed: HTTP 500 (3 attempts)'));
    const play = emergency({ startAt: time.now() + 1_000 });
    timeline.schedule(play);
    await time.advance(20_000);
    expect(played()).toEqual([['message', play.startAt, play.startAt + 10_000, 'completed']]);
    expect(timelineOf(play.commandId)).toEqual(['received', 'downloaded', 'started', 'part:message:0', 'finished']);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('a preempted play with a signal starts again from its signal', async () => {
    const high = playCommand({ startAt: time.now() + 1_000, priority: 'high', audio: messageAudio, signal: storm });
    const alert = playCommand({ startAt: time.now() + 5_000, priority: 'emergency', audio: { ...messageAudio, sha256: sha('7'), durationMs: 2_000 } });
    timeline.schedule(high);
    timeline.schedule(alert);
    await time.advance(30_000);
    const h = high.startAt;
    expect(played()).toEqual([
      ['signal', h, h + 3_000, 'completed'],
      ['message', h + 3_000, h + 4_000, 'interrupted'],
      [alert.broadcastId, h + 4_000, h + 6_000, 'completed'],
      ['signal', h + 6_000, h + 9_000, 'completed'],
      ['message', h + 9_000, h + 19_000, 'completed'],
    ]);
    expect(timelineOf(high.commandId)).toEqual([
      'received', 'downloaded', 'started', 'part:signal:0', 'part:message:0', 'preempted', 'finished',
      'started', 'part:signal:0', 'part:message:0', 'finished',
    ]);
  });

  it('a preempted signal play whose message failed meanwhile fails instead of starting again', async () => {
    const slow = new FakePlayer(time, 500); // a process taking 500 ms to exit
    player = slow;
    timeline = new Timeline({ clock: time, timers: time, player: slow, audio, emit: (e) => events.push(e), volume: () => volume, logger: silentLogger });
    const reason = 'download failed: HTTP 404 (3 attempts)';
    const gate = audio.hold(MESSAGE_SHA);
    const high = playCommand({ startAt: time.now() + 1_000, priority: 'high', audio: messageAudio, signal: storm });
    const alert = playCommand({ startAt: time.now() + 2_000, priority: 'emergency', audio: { ...messageAudio, sha256: sha('7'), durationMs: 2_000 } });
    timeline.schedule(high);
    timeline.schedule(alert);
    await time.advance(2_200); // preempted at +2 000, its signal still winding down
    gate.reject(new Error(reason));
    await time.advance(30_000);
    expect(timelineOf(high.commandId)).toEqual(['received', 'started', 'part:signal:0', 'preempted', 'finished', 'failed']);
    expect(eventOf(high.commandId, 'failed')).toMatchObject({ reason, at: high.startAt + 1_500 });
    expect(played().map(([what]) => what)).toEqual(['signal', alert.broadcastId]);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('a stop cancels a signal play not started yet like any other', async () => {
    const play = emergency({ startAt: time.now() + 10_000 });
    timeline.schedule(play);
    await time.advance(1_000);
    timeline.stop(play.broadcastId);
    await time.advance(20_000);
    expect(eventOf(play.commandId, 'failed')).toMatchObject({ reason: STOPPED_REASON });
    expect(player.plays).toEqual([]);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('applies the emergency volume to emergency plays only, to every part, and the normal volume otherwise', async () => {
    emergencyVolume = 95;
    const alert = emergency({ startAt: time.now() + 1_000, repeat: { count: 2, gapMs: 1_000 } });
    const high = playCommand({ startAt: time.now() + 1_000, priority: 'high', audio: { ...messageAudio, sha256: sha('7') } });
    timeline.schedule(alert);
    timeline.schedule(high);
    await time.advance(60_000);
    expect(player.plays.map((p) => [p.broadcastId, p.volume])).toEqual([
      [alert.broadcastId, 95],
      [alert.broadcastId, 95],
      [alert.broadcastId, 95],
      [high.broadcastId, 65],
    ]);

    emergencyVolume = undefined; // a device without one plays emergencies at its normal volume
    const plain = emergency({ startAt: time.now() + 1_000 });
    timeline.schedule(plain);
    await time.advance(1_000);
    expect(player.plays.at(-1)).toMatchObject({ broadcastId: plain.broadcastId, volume: 65 });
  });
});
