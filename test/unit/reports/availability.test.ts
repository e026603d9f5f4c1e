/**
 * Availability from hand-built online/offline histories: time online within the observed window,
 * offline before a receiver's first report, the window cut to registration, history start and now.
 */
import { describe, expect, it } from 'vitest';
import { availabilityPercent, observedWindow, onlineMs, type AvailabilityChange } from '../../../server/reports/availability.js';

const HOUR = 3_600_000;
const DAY_START = Date.parse('2026-11-01T00:00:00+07:00');
const at = (hours: number) => new Date(DAY_START + hours * HOUR);
const change = (online: boolean, hours: number): AvailabilityChange => ({ online, at: at(hours) });
const day = { start: DAY_START, end: DAY_START + 24 * HOUR };

describe('time online in a window', () => {
  it('counts the whole window for a receiver online since before it', () => {
    expect(onlineMs([change(true, -30)], day)).toBe(24 * HOUR);
  });

  it('counts nothing for a receiver that never reported, or was offline since before the window', () => {
    expect(onlineMs([], day)).toBe(0);
    expect(onlineMs([change(false, -2)], day)).toBe(0);
  });

  it('leaves out the hours a receiver was offline within the window', () => {
    // Online from the day before, offline 08:00–11:30, online again to the end of the day.
    const history = [change(true, -5), change(false, 8), change(true, 11.5)];
    expect(onlineMs(history, day)).toBe(20.5 * HOUR);
    expect(availabilityPercent(onlineMs(history, day), 24 * HOUR)).toBe(85.4);
  });

  it('counts a receiver as offline until its first report (a new receiver whose agent connects at 06:00)', () => {
    expect(onlineMs([change(true, 6)], day)).toBe(18 * HOUR);
  });

  it('ends the count at the window end: a receiver that goes offline later stays counted until then', () => {
    expect(onlineMs([change(true, -1), change(false, 30)], day)).toBe(24 * HOUR);
    expect(onlineMs([change(true, -1), change(false, 24)], day)).toBe(24 * HOUR);
  });

  it('takes a change at the window start as the state from the start', () => {
    expect(onlineMs([change(false, -3), change(true, 0)], day)).toBe(24 * HOUR);
    expect(onlineMs([change(true, -3), change(false, 0)], day)).toBe(0);
  });

  it('counts a repeated report of the same state once (a second server instance storing the same change)', () => {
    const history = [change(true, 1), change(true, 2), change(false, 5), change(false, 6), change(true, 23)];
    expect(onlineMs(history, day)).toBe(5 * HOUR);
  });

  it('gives nothing for an empty or reversed window', () => {
    expect(onlineMs([change(true, -1)], { start: day.start, end: day.start })).toBe(0);
    expect(onlineMs([change(true, -1)], { start: day.end, end: day.start })).toBe(0);
  });
});

describe('the observed window', () => {
  const period = { from: at(0), until: at(24) };

  it('is the period for a receiver registered before it, with history from before it', () => {
    expect(observedWindow(period, at(-48), at(-100))).toEqual(day);
    expect(observedWindow(period, at(-48))).toEqual(day);
  });

  it('starts at registration for a receiver registered within the period', () => {
    expect(observedWindow(period, at(9), at(-100))).toEqual({ start: at(9).getTime(), end: day.end });
  });

  it('starts where the history does, for a receiver older than the history', () => {
    expect(observedWindow(period, at(-48), at(12))).toEqual({ start: at(12).getTime(), end: day.end });
  });

  it('is empty when the receiver was registered after the period', () => {
    const window = observedWindow(period, at(30));
    expect(window.end - window.start).toBe(0);
    expect(availabilityPercent(onlineMs([change(true, 31)], window), window.end - window.start)).toBeNull();
  });

  it('ends at now for a period still running: half a day online out of half a day observed is 100 %', () => {
    const running = observedWindow({ from: at(0), until: at(12) }, at(-48));
    expect(availabilityPercent(onlineMs([change(true, -1)], running), running.end - running.start)).toBe(100);
  });
});

describe('availability in percent', () => {
  it('rounds to one decimal', () => {
    expect(availabilityPercent(2, 3)).toBe(66.7);
    expect(availabilityPercent(1, 3)).toBe(33.3);
    expect(availabilityPercent(0, 3)).toBe(0);
    expect(availabilityPercent(3, 3)).toBe(100);
  });

  it('is null when nothing was observed', () => {
    expect(availabilityPercent(0, 0)).toBeNull();
  });
});
