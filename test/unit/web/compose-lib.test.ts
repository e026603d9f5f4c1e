/** The composer's pure helpers: the voice that will speak, text limits, recordings and microphones. */
import { describe, expect, it } from 'vitest';
import { roundEstimateMs } from '../../../server/web/src/lib/compose-format.js';
import {
  formatClock,
  microphoneProblem,
  pickRecordingType,
  recordingFileName,
  recordingForm,
  recordingSupport,
} from '../../../server/web/src/lib/compose-recording.js';
import { sameOriginAudio, textLimit, visibleChanges } from '../../../server/web/src/lib/compose-speech.js';
import type { VoiceOptions } from '../../../server/web/src/lib/compose-types.js';
import { effectiveVoice, findVoice, knownVoice, sliderBounds, voiceProblems, voiceRequest } from '../../../server/web/src/lib/compose-voice.js';

const espeak = (name: string) => ({
  provider: 'espeak',
  name,
  label: name,
  gender: 'male' as const,
  speakingRate: { min: 0.54, max: 3, default: 1 },
  pitch: { min: -12, max: 11.75, default: 0 },
});
const OPTIONS: VoiceOptions = {
  language: 'vi-VN',
  pauseMs: 400,
  serverDefault: { provider: 'espeak', voice: 'vi', speakingRate: 1, pitch: 0 },
  areaDefault: null,
  providers: [
    {
      provider: 'google',
      isDefault: false,
      defaultVoice: 'vi-VN-Standard-A',
      available: true,
      voices: [{ provider: 'google', name: 'vi-VN-Chirp3-HD-Aoede', label: 'Aoede', gender: 'female', speakingRate: { min: 0.25, max: 4, default: 1 }, pitch: null }],
    },
    { provider: 'espeak', isDefault: true, defaultVoice: 'vi', available: true, voices: [espeak('vi'), espeak('vi-vn-x-central'), espeak('vi-vn-x-south')] },
  ],
};

describe('the voice that will speak', () => {
  it('is the server default when nothing is chosen and the area has none', () => {
    expect(effectiveVoice(OPTIONS, { voice: '', speakingRate: null, pitch: null })).toMatchObject({ name: 'vi', speakingRate: 1, pitch: 0, rateRange: { min: 0.54, max: 3 } });
  });

  it("is the area's default, with its rate and pitch, when nothing is chosen", () => {
    const options = { ...OPTIONS, areaDefault: { voice: 'VI-VN-X-SOUTH', speakingRate: 0.9, pitch: null } };
    expect(effectiveVoice(options, { voice: '', speakingRate: null, pitch: null })).toMatchObject({ name: 'vi-vn-x-south', speakingRate: 0.9, pitch: 0 });
    // A rate of one's own still takes the area's voice.
    expect(effectiveVoice(options, { voice: '', speakingRate: 1.2, pitch: null })).toMatchObject({ name: 'vi-vn-x-south', speakingRate: 1.2 });
    // Choosing a voice leaves the area's settings behind.
    expect(effectiveVoice(options, { voice: 'vi', speakingRate: null, pitch: null })).toMatchObject({ name: 'vi', speakingRate: 1, pitch: 0 });
  });

  it("keeps to the chosen voice's ranges, and knows a voice without pitch", () => {
    const chirp = effectiveVoice(OPTIONS, { voice: 'vi-VN-Chirp3-HD-Aoede', speakingRate: 4.5, pitch: 2 });
    expect(chirp.pitchRange).toBeNull();
    expect(voiceProblems(chirp)).toEqual([
      { field: 'speakingRate', min: 0.25, max: 4 },
      { field: 'pitch', min: 0, max: 0 },
    ]);
    expect(voiceProblems(effectiveVoice(OPTIONS, { voice: 'vi', speakingRate: 1.5, pitch: -3 }))).toEqual([]);
  });

  it('puts the speed slider on its steps, so the normal pace can be chosen', () => {
    expect(sliderBounds({ min: 0.54, max: 3, default: 1 }, 0.05)).toEqual({ min: 0.55, max: 3 });
    expect(sliderBounds({ min: 0.25, max: 4, default: 1 }, 0.05)).toEqual({ min: 0.25, max: 4 });
    expect(sliderBounds({ min: 0.5, max: 2.97, default: 1 }, 0.05)).toEqual({ min: 0.5, max: 2.95 });
  });

  it('asks the server only for what was set', () => {
    expect(voiceRequest({ voice: '', speakingRate: null, pitch: null })).toEqual({});
    expect(voiceRequest({ voice: 'vi', speakingRate: 1.25, pitch: 0 })).toEqual({ voice: 'vi', speakingRate: 1.25, pitch: 0 });
  });

  it('finds voices without regard to case and names the espeak-ng regions', () => {
    expect(findVoice(OPTIONS, 'VI-VN-X-CENTRAL')?.name).toBe('vi-vn-x-central');
    expect(knownVoice('vi')).toBe('north');
    expect(knownVoice('vi-vn-x-south')).toBe('south');
    expect(knownVoice('vi-VN-Standard-A')).toBeUndefined();
  });
});

describe('the text', () => {
  it('is counted as the server counts it, trimmed, against its limit', () => {
    expect(textLimit('  Họp dân  ', 20_000)).toEqual({ count: 7, max: 20_000, over: false, near: false });
    expect(textLimit('a'.repeat(19_000), 20_000).near).toBe(true);
    expect(textLimit('a'.repeat(20_001), 20_000)).toMatchObject({ over: true, near: false });
    expect(textLimit('a'.repeat(20_000)).over).toBe(false);
  });

  it('shows only changes that read something differently', () => {
    const changes = [
      { from: '7', to: 'bảy', rule: 'number', index: 0 },
      { from: '\u200b', to: '', rule: 'unicode.invisible', index: 3 },
      { from: 'ệ', to: 'ệ', rule: 'unicode.compose', index: 5 },
    ];
    expect(visibleChanges(changes).map((change) => change.rule)).toEqual(['number']);
  });

  it("plays a preview from this server's own origin", () => {
    expect(sameOriginAudio('http://10.0.0.5:8080/audio/ab12.mp3')).toBe('/audio/ab12.mp3');
    expect(sameOriginAudio('/audio/ab12.mp3')).toBe('/audio/ab12.mp3');
  });

  it('rounds an estimate no finer than it is known', () => {
    expect(roundEstimateMs(0)).toBe(0);
    expect(roundEstimateMs(300)).toBe(1_000);
    expect(roundEstimateMs(6_206)).toBe(6_000);
    expect(roundEstimateMs(47_400)).toBe(45_000);
    expect(roundEstimateMs(412_000)).toBe(410_000);
  });
});

describe('recordings', () => {
  it('records in the first format the browser offers, named so the server accepts it', () => {
    expect(pickRecordingType((type) => type.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(pickRecordingType(() => false)).toBeUndefined();
    expect(recordingFileName('audio/webm;codecs=opus', '2026-11-25T03:00:00.000Z')).toBe('ghi-am-2026-11-25T03-00-00-000Z.webm');
    expect(recordingFileName('audio/ogg; codecs=opus', 'x')).toBe('ghi-am-x.ogg');
    expect(recordingFileName('audio/mp4', 'x')).toBe('ghi-am-x.m4a');
    expect(recordingFileName('', 'x')).toBe('ghi-am-x.webm');
  });

  it('sends the fields before the file, and leaves out empty optional ones', async () => {
    const form = recordingForm({ title: ' Họp dân ', language: 'mtq', transcript: '  ' }, new Blob(['x'], { type: 'audio/webm' }), 'ghi-am.webm');
    expect([...form.keys()]).toEqual(['title', 'language', 'file']);
    expect(form.get('title')).toBe('Họp dân');
    expect((form.get('file') as File).name).toBe('ghi-am.webm');
  });

  it('shows the length as it grows', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(2_900)).toBe('0:02');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });

  it('says why the microphone could not be used', () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    expect(microphoneProblem(named('NotAllowedError'))).toBe('denied');
    expect(microphoneProblem(named('NotFoundError'))).toBe('missing');
    expect(microphoneProblem(named('NotReadableError'))).toBe('busy');
    expect(microphoneProblem(named('SecurityError'))).toBe('insecure');
    expect(microphoneProblem('nonsense')).toBe('failed');
    expect(recordingSupport({ isSecureContext: false, hasMediaDevices: false, hasMediaRecorder: true })).toBe('insecure');
    expect(recordingSupport({ isSecureContext: true, hasMediaDevices: true, hasMediaRecorder: false })).toBe('unsupported');
    expect(recordingSupport({ isSecureContext: true, hasMediaDevices: true, hasMediaRecorder: true })).toBeNull();
  });
});
