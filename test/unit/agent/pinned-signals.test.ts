import { beforeEach, describe, expect, it } from 'vitest';
import type { SignalRef } from '../../../protocol/index.js';
import { PinnedSignals } from '../../../device-agent/pinned-signals.js';
import { FakeAudio, flush, sha, silentLogger } from './helpers.js';

const signal = (name: string, char: string): SignalRef => ({
  name,
  audio: { url: `http://server/audio/${name}.mp3`, sha256: sha(char), bytes: 500, durationMs: 3_000, mime: 'audio/mpeg' },
});
const storm = signal('storm', '1');
const flood = signal('flood', '2');
const tsunami = signal('tsunami', '3');

describe('PinnedSignals', () => {
  let audio: FakeAudio;
  let signals: PinnedSignals;

  beforeEach(() => {
    audio = new FakeAudio();
    signals = new PinnedSignals(audio, silentLogger);
  });

  const pinsOf = (ref: SignalRef) => audio.pins.get(ref.audio.sha256) ?? 0;

  it('fetches and pins every listed signal once, however often the same list comes again', async () => {
    signals.update([storm, flood]);
    signals.update([storm, flood]);
    await flush();
    expect([pinsOf(storm), pinsOf(flood)]).toEqual([1, 1]);
    expect(signals.held()).toEqual([
      { sha256: storm.audio.sha256, name: 'storm', cached: true },
      { sha256: flood.audio.sha256, name: 'flood', cached: true },
    ]);
  });

  it('unpins the signals a newer list leaves out and pins the new ones', async () => {
    signals.update([storm, flood]);
    signals.update([flood, tsunami]);
    await flush();
    expect([pinsOf(storm), pinsOf(flood), pinsOf(tsunami)]).toEqual([0, 1, 1]);
    signals.update([]);
    expect(audio.pinnedCount()).toBe(0);
  });

  it('a re-rendered signal (same name, new file) swaps the pin to the new file', async () => {
    signals.update([storm]);
    const rerendered = signal('storm', '4');
    signals.update([rerendered]);
    expect([pinsOf(storm), pinsOf(rerendered)]).toEqual([0, 1]);
  });

  it('lets go of a signal whose download failed, and tries it again on the next update', async () => {
    audio.hold(storm.audio.sha256).reject(new Error('download failed: HTTP 503 (3 attempts)'));
    signals.update([storm, flood]);
    await flush();
    expect([pinsOf(storm), pinsOf(flood)]).toEqual([0, 1]);
    expect(signals.held().map((held) => held.name)).toEqual(['flood']);

    audio.hold(storm.audio.sha256).resolve({ path: '/cache/storm', fromCache: false });
    signals.update([storm, flood]);
    await flush();
    expect([pinsOf(storm), pinsOf(flood)]).toEqual([1, 1]);
    expect(signals.held().every((held) => held.cached)).toBe(true);
  });

  it('a signal dropped while still downloading stays unpinned when its download ends', async () => {
    const gate = audio.hold(storm.audio.sha256);
    signals.update([storm]);
    signals.update([]);
    gate.resolve({ path: '/cache/storm', fromCache: false });
    await flush();
    expect(pinsOf(storm)).toBe(0);
    expect(signals.held()).toEqual([]);
  });

  it('close releases every pin and ignores later updates', async () => {
    signals.update([storm, flood]);
    signals.close();
    expect(audio.pinnedCount()).toBe(0);
    signals.update([tsunami]);
    expect(audio.pinnedCount()).toBe(0);
  });
});
