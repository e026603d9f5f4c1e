import { describe, expect, it } from 'vitest';
import {
  bestAttempt,
  firstPlan,
  GainMemory,
  linearGainDb,
  LOUDNESS_TOLERANCE_LU,
  MAX_ATTEMPTS,
  meetsTarget,
  nextPlan,
  type EncodeAttempt,
  type EncodePlan,
} from '../../../server/audio/loudness-targeting.js';

const target = { integratedLufs: -16, maxTruePeakDbtp: -1 };

/** Runs the planner against a model of "encode + measure" until it stops. */
function converge(input: { integratedLufs: number | null; truePeakDbtp: number | null }, encode: (plan: EncodePlan) => EncodeAttempt, correctionDb = 0): EncodeAttempt[] {
  const history: EncodeAttempt[] = [];
  let plan: EncodePlan | null = firstPlan(input, target, correctionDb);
  while (plan) {
    history.push(encode(plan));
    plan = nextPlan(history, target);
  }
  return history;
}

describe('loudness targeting', () => {
  it('starts from the linear gain and a ceiling below the true-peak limit', () => {
    expect(firstPlan({ integratedLufs: -30, truePeakDbtp: -20 }, target)).toEqual({ gainDb: 14, ceilingDb: -2 });
  });

  it('adds what limiting will take when the linear gain puts the peaks over the ceiling, or what the voice needed before', () => {
    // Peaks at −12 + 14 = +2 dBTP, 4 dB over the −2 ceiling.
    expect(firstPlan({ integratedLufs: -30, truePeakDbtp: -12 }, target).gainDb).toBeCloseTo(14 + 0.4 * 4, 5);
    expect(firstPlan({ integratedLufs: -30, truePeakDbtp: -12 }, target, 2.5).gainDb).toBeCloseTo(16.5, 5);
  });

  it('peak-normalises audio too short to have an integrated loudness', () => {
    expect(firstPlan({ integratedLufs: null, truePeakDbtp: -20 }, target)).toEqual({ gainDb: 18, ceilingDb: -2 });
    expect(firstPlan({ integratedLufs: null, truePeakDbtp: null }, target).gainDb).toBe(0);
  });

  it('stops after one encode when the linear gain lands', () => {
    const history = converge({ integratedLufs: -30, truePeakDbtp: -20 }, (plan) => ({ ...plan, integratedLufs: -30 + plan.gainDb - 0.3, truePeakDbtp: -20 + plan.gainDb }));
    expect(history).toHaveLength(1);
  });

  it('converges when limiting eats part of the gain (peaky synthetic speech)', () => {
    // Measured on espeak-ng output: about 0.45 LU per dB of gain once the limiter works, and the encoder costs 0.4 LU.
    const limited = (plan: EncodePlan): EncodeAttempt => ({ ...plan, integratedLufs: -18.7 + 0.45 * plan.gainDb - 0.4, truePeakDbtp: plan.ceilingDb + 0.7 });
    const history = converge({ integratedLufs: -18.7, truePeakDbtp: 0 }, limited);
    expect(history.length).toBeGreaterThan(1);
    expect(history.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    const best = bestAttempt(history, target);
    expect(Math.abs(best.integratedLufs! - target.integratedLufs)).toBeLessThanOrEqual(LOUDNESS_TOLERANCE_LU);
    expect(meetsTarget(best, target)).toBe(true);
  });

  it('lands at the first encode for a voice whose limiting it has learnt from earlier renders', () => {
    const memory = new GainMemory();
    // Two bulletins of the same voice: similar crest factors, so limiting costs them about the same.
    const renders = [
      { input: { integratedLufs: -18.7, truePeakDbtp: 0 }, encode: (plan: EncodePlan): EncodeAttempt => ({ ...plan, integratedLufs: -18.7 + 0.45 * plan.gainDb - 0.4, truePeakDbtp: plan.ceilingDb + 0.7 }) },
      { input: { integratedLufs: -19.2, truePeakDbtp: 0.2 }, encode: (plan: EncodePlan): EncodeAttempt => ({ ...plan, integratedLufs: -19.2 + 0.45 * plan.gainDb - 0.3, truePeakDbtp: plan.ceilingDb + 0.7 }) },
    ];
    const attempts = renders.map(({ input, encode }) => {
      const history = converge(input, encode, memory.correctionFor('espeak:vi'));
      memory.remember('espeak:vi', bestAttempt(history, target).gainDb - linearGainDb(input, target)!);
      return history.length;
    });
    expect(attempts[0]).toBeGreaterThan(1);
    expect(attempts[1]).toBe(1);
    expect(memory.correctionFor('another voice')).toBeUndefined();
  });

  it('lowers the limiter ceiling when the encoder overshoots the true-peak limit', () => {
    const overshooting = (plan: EncodePlan): EncodeAttempt => ({ ...plan, integratedLufs: -16.1, truePeakDbtp: plan.ceilingDb + 1.6 });
    const history = converge({ integratedLufs: -20, truePeakDbtp: -3 }, overshooting);
    expect(history[1]!.ceilingDb).toBeLessThan(history[0]!.ceilingDb);
    expect(history.at(-1)!.truePeakDbtp!).toBeLessThanOrEqual(target.maxTruePeakDbtp);
  });

  it('gives up after the attempt limit and picks the attempt within the peak limit', () => {
    const stubborn = (plan: EncodePlan): EncodeAttempt => ({ ...plan, integratedLufs: -19, truePeakDbtp: -1.5 });
    const history = converge({ integratedLufs: -19, truePeakDbtp: -1.5 }, stubborn);
    expect(history).toHaveLength(MAX_ATTEMPTS);
    const picked = bestAttempt(
      [
        { gainDb: 0, ceilingDb: -2, integratedLufs: -16, truePeakDbtp: -0.5 },
        { gainDb: 0, ceilingDb: -3, integratedLufs: -16.8, truePeakDbtp: -1.2 },
      ],
      target,
    );
    expect(picked.ceilingDb).toBe(-3);
  });
});
