/**
 * Placing a week's plays: on the Vietnam day they start, side by side only where their boxes meet,
 * the hours the grid shows, and each conflict said with the other bulletin's name and what happens.
 */
import { describe, expect, it } from 'vitest';
import { describeConflicts, hasLiveConflicts } from '../../../server/web/src/lib/calendar-conflicts.js';
import { assignColumns, layoutWeek, visibleHours, type Occurrence } from '../../../server/web/src/lib/calendar-layout.js';

function play(overrides: Partial<Occurrence> & { broadcastId: string; startAt: string }): Occurrence {
  const end = new Date(new Date(overrides.startAt).getTime() + 60_000).toISOString();
  return {
    occurrenceId: null,
    title: overrides.broadcastId,
    priority: 'normal',
    endAt: end,
    repeatIndex: 0,
    state: 'planned',
    approvalState: 'approved',
    deviceCount: 2,
    conflicts: [],
    ...overrides,
  };
}

describe('assignColumns', () => {
  it('keeps boxes that do not meet in one full-width column', () => {
    expect(assignColumns([{ top: 0, bottom: 30 }, { top: 30, bottom: 60 }, { top: 90, bottom: 100 }])).toEqual([
      { column: 0, columns: 1 },
      { column: 0, columns: 1 },
      { column: 0, columns: 1 },
    ]);
  });

  it('puts boxes sharing time side by side, and a chain of them in one group of equal widths', () => {
    // A overlaps B, B overlaps C, A and C do not meet: C reuses A's column; all three are one group of two.
    const result = assignColumns([{ top: 0, bottom: 60 }, { top: 30, bottom: 90 }, { top: 60, bottom: 120 }, { top: 200, bottom: 230 }]);
    expect(result).toEqual([
      { column: 0, columns: 2 },
      { column: 1, columns: 2 },
      { column: 0, columns: 2 },
      { column: 0, columns: 1 },
    ]);
  });

  it('gives three boxes starting together three columns, whatever order they come in', () => {
    const result = assignColumns([{ top: 10, bottom: 20 }, { top: 10, bottom: 50 }, { top: 10, bottom: 30 }]);
    expect(result.map((r) => r.columns)).toEqual([3, 3, 3]);
    expect(new Set(result.map((r) => r.column))).toEqual(new Set([0, 1, 2]));
  });
});

describe('layoutWeek', () => {
  const monday = '2026-11-23';

  it('puts each play on the Vietnam day it starts, sorted, and leaves out other weeks', () => {
    const days = layoutWeek(
      [
        play({ broadcastId: 'wed-late', startAt: '2026-11-25T10:00:00Z' }), // Wed 17:00 VN
        play({ broadcastId: 'tue-early', startAt: '2026-11-24T21:30:00Z' }), // Wed 04:30 VN, Tue in UTC and Paris
        play({ broadcastId: 'sunday-night', startAt: '2026-11-29T16:30:00Z' }), // Sun 23:30 VN
        play({ broadcastId: 'next-week', startAt: '2026-11-29T17:00:00Z' }), // next Monday 00:00 VN
      ],
      monday,
      45,
    );
    expect(days.map((day) => day.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(days[1]!.entries).toEqual([]);
    expect(days[2]!.entries.map((entry) => entry.occurrence.broadcastId)).toEqual(['tue-early', 'wed-late']);
    expect(days[2]!.entries[0]!.top).toBe(270);
    expect(days[6]!.entries.map((entry) => entry.occurrence.broadcastId)).toEqual(['sunday-night']);
  });

  it('gives a short play a legible box, kept inside its day, and places boxes that would cover each other side by side', () => {
    const days = layoutWeek(
      [
        play({ broadcastId: 'a', startAt: '2026-11-24T23:00:00Z' }), // Wed 06:00 VN, 1 minute
        play({ broadcastId: 'b', startAt: '2026-11-24T23:20:00Z' }), // 06:20: inside a's 45-minute box
        play({ broadcastId: 'c', startAt: '2026-11-25T00:10:00Z' }), // 07:10: clear of both
        play({ broadcastId: 'late', startAt: '2026-11-25T16:50:00Z' }), // Wed 23:50 VN
      ],
      monday,
      45,
    );
    const [a, b, c] = days[2]!.entries;
    expect([a!.top, a!.bottom, a!.column, a!.columns]).toEqual([360, 405, 0, 2]);
    expect([b!.top, b!.column, b!.columns]).toEqual([380, 1, 2]);
    expect([c!.column, c!.columns]).toEqual([0, 1]);
    const late = days[2]!.entries[3]!;
    expect([late.top, late.bottom]).toEqual([1395, 1440]);
  });

  it('shows a commune’s usual hours, widened to whatever the week holds', () => {
    const empty = layoutWeek([], monday, 45);
    expect(visibleHours(empty, { from: 6, to: 19 })).toEqual({ from: 6, to: 19 });
    const days = layoutWeek([play({ broadcastId: 'dawn', startAt: '2026-11-24T21:30:00Z' }), play({ broadcastId: 'night', startAt: '2026-11-25T14:30:00Z' })], monday, 45);
    // 04:30 and 21:30 VN; the 45-minute box of the last ends 22:15, so the grid runs to 23:00.
    expect(visibleHours(days, { from: 6, to: 19 })).toEqual({ from: 4, to: 23 });
  });
});

describe('describeConflicts', () => {
  const first = play({ broadcastId: 'market', title: 'Chợ phiên', startAt: '2026-11-25T01:00:00Z', endAt: '2026-11-25T01:03:00Z', conflicts: [{ kind: 'overlap', withBroadcastId: 'vaccine', deviceCount: 2 }] });
  const second = play({ broadcastId: 'vaccine', title: 'Tiêm phòng', startAt: '2026-11-25T01:02:00Z', endAt: '2026-11-25T01:04:00Z', conflicts: [{ kind: 'overlap', withBroadcastId: 'market', deviceCount: 2 }] });
  // Another play of the same broadcast, on another day: not the one in conflict.
  const vaccineLater = play({ broadcastId: 'vaccine', title: 'Tiêm phòng', startAt: '2026-11-26T01:02:00Z' });

  it('names the other bulletin and its start, and says which of the two waits', () => {
    const all = [vaccineLater, first, second];
    expect(describeConflicts(first, all)).toEqual([{ story: 'delays', withTitle: 'Tiêm phòng', withStartAt: second.startAt, deviceCount: 2 }]);
    expect(describeConflicts(second, all)).toEqual([{ story: 'waits-for', withTitle: 'Chợ phiên', withStartAt: first.startAt, deviceCount: 2 }]);
  });

  it('says two plays starting together play in turn, and tells preemption and quiet hours apart', () => {
    const a = play({ broadcastId: 'a', title: 'A', startAt: '2026-11-25T01:00:00Z', conflicts: [{ kind: 'overlap', withBroadcastId: 'b', deviceCount: 1 }, { kind: 'quiet-hours', deviceCount: 3 }] });
    const b = play({ broadcastId: 'b', title: 'B', startAt: '2026-11-25T01:00:00Z', priority: 'high', conflicts: [{ kind: 'preempts', withBroadcastId: 'c', deviceCount: 2 }] });
    const c = play({ broadcastId: 'c', title: 'C', startAt: '2026-11-25T01:00:30Z', conflicts: [{ kind: 'preempted-by', withBroadcastId: 'b', deviceCount: 2 }] });
    expect(describeConflicts(a, [a, b, c]).map((d) => d.story)).toEqual(['together', 'quiet-hours']);
    expect(describeConflicts(b, [a, b, c])).toEqual([{ story: 'interrupts', withTitle: 'C', withStartAt: c.startAt, deviceCount: 2 }]);
    expect(describeConflicts(c, [a, b, c])[0]!.story).toBe('interrupted-by');
  });

  it('says each conflict once, and still speaks when the other bulletin is not in view', () => {
    const lonely = play({
      broadcastId: 'x',
      startAt: '2026-11-25T01:00:00Z',
      conflicts: [
        { kind: 'overlap', withBroadcastId: 'hidden', deviceCount: 1 },
        { kind: 'overlap', withBroadcastId: 'hidden', deviceCount: 1 },
      ],
    });
    expect(describeConflicts(lonely, [lonely])).toEqual([{ story: 'together', withTitle: null, withStartAt: null, deviceCount: 1 }]);
  });

  it('does not flag plays that will not happen', () => {
    expect(hasLiveConflicts(first)).toBe(true);
    expect(hasLiveConflicts({ ...first, state: 'cancelled' })).toBe(false);
    expect(hasLiveConflicts({ ...first, conflicts: [] })).toBe(false);
  });
});
