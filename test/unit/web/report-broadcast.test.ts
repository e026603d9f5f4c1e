/**
 * The rules the broadcast report shows: its state (still to come, on air, over), whether receivers
 * started together, who created it, the delivery table's order and filter, the airings shown, a
 * receiver's place, and the area report's availability colours and CSV links.
 */
import { describe, expect, it } from 'vitest';
import { areaCsvUrl, availabilityTone } from '../../../server/web/src/lib/report-areas.js';
import {
  airingsToShow,
  authorOf,
  canBeCancelled,
  deliveryRows,
  placeName,
  reportStateOf,
  startedTogether,
  stateCounts,
  stillMoving,
  summaryEntries,
  type BroadcastView,
  type DeliveryView,
  type OccurrenceView,
} from '../../../server/web/src/lib/report-broadcast.js';

const NOW = new Date('2026-11-27T09:00:00+07:00');
const TODAY = '2026-11-27';
const at = (time: string) => `2026-11-27T${time}+07:00`;

const occurrence = (id: string, start: string, state: OccurrenceView['state'] = 'dispatched'): OccurrenceView => ({
  id,
  startAt: at(start),
  expiresAt: new Date(Date.parse(at(start)) + 30 * 60_000).toISOString(),
  repeatIndex: 0,
  state,
  note: null,
  startSync: null,
});

const delivery = (deviceId: string, state: DeliveryView['state'], occurrenceId = 'o1', deviceName = deviceId): DeliveryView => ({
  occurrenceId,
  deviceId,
  deviceName,
  deviceAreaId: 'hamlet',
  state,
  sentAt: null,
  receivedAt: null,
  downloadedAt: null,
  startedAt: null,
  finishedAt: null,
  error: null,
});

const played: BroadcastView = {
  id: 'b',
  bulletinId: 'u',
  priority: 'normal',
  status: 'scheduled',
  approvalState: 'approved',
  target: { areaIds: ['c'] },
  startAt: at('08:00:00'),
  recurrence: null,
  createdAt: at('07:00:00'),
  occurrences: [occurrence('o1', '08:00:00')],
  deliveries: [delivery('d1', 'played'), delivery('d2', 'played')],
  approvals: [
    { from: null, to: 'pending', username: 'bientap.vanson', reason: null, at: at('07:00:00') },
    { from: 'pending', to: 'approved', username: 'duyet.vanson', reason: null, at: at('07:30:00') },
  ],
};

describe('a broadcast\'s report state', () => {
  it('is finished once its only airing has played, though the stored status stays scheduled', () => {
    expect(reportStateOf(played, NOW, TODAY)).toBe('completed');
    expect(canBeCancelled('completed')).toBe(false);
  });

  it('is on air while a receiver plays an airing that has not expired', () => {
    const playing = { ...played, occurrences: [occurrence('o1', '08:55:00')], deliveries: [delivery('d1', 'playing'), delivery('d2', 'played')] };
    expect(reportStateOf(playing, NOW, TODAY)).toBe('dispatched');
    expect(canBeCancelled('dispatched')).toBe(true);
    // A receiver that never said it finished does not keep an expired airing on air.
    const stale = { ...playing, occurrences: [occurrence('o1', '07:00:00')] };
    expect(reportStateOf(stale, NOW, TODAY)).toBe('completed');
  });

  it('is upcoming with an airing to come, or not planned yet before its time, or while its rule runs', () => {
    expect(reportStateOf({ ...played, occurrences: [occurrence('o1', '10:00:00', 'planned')], deliveries: [] }, NOW, TODAY)).toBe('scheduled');
    expect(reportStateOf({ ...played, startAt: at('11:00:00'), occurrences: [], deliveries: [] }, NOW, TODAY)).toBe('scheduled');
    expect(reportStateOf({ ...played, recurrence: {} }, NOW, TODAY)).toBe('scheduled');
    expect(reportStateOf({ ...played, recurrence: { validUntil: '2026-11-26' } }, NOW, TODAY)).toBe('completed');
    expect(canBeCancelled('scheduled')).toBe(true);
  });

  it('puts cancellation and approval first', () => {
    expect(reportStateOf({ ...played, status: 'cancelled', approvalState: 'pending' }, NOW, TODAY)).toBe('cancelled');
    expect(reportStateOf({ ...played, approvalState: 'pending', occurrences: [], deliveries: [] }, NOW, TODAY)).toBe('pending');
    expect(reportStateOf({ ...played, approvalState: 'rejected' }, NOW, TODAY)).toBe('rejected');
    expect(canBeCancelled('pending')).toBe(true);
    expect(canBeCancelled('cancelled')).toBe(false);
    expect(canBeCancelled('rejected')).toBe(false);
  });

  it('is worth reloading while on air, while receivers are on their way to playing, or just before an airing', () => {
    expect(stillMoving('completed', played, NOW)).toBe(false);
    expect(stillMoving('dispatched', { occurrences: [], deliveries: [] }, NOW)).toBe(true);
    expect(stillMoving('scheduled', { occurrences: [occurrence('o1', '09:05:00')], deliveries: [delivery('d1', 'downloaded')] }, NOW)).toBe(true);
    expect(stillMoving('scheduled', { occurrences: [occurrence('o1', '09:10:00', 'planned')], deliveries: [] }, NOW)).toBe(true);
    expect(stillMoving('scheduled', { occurrences: [occurrence('o1', '12:00:00', 'planned')], deliveries: [] }, NOW)).toBe(false);
    expect(stillMoving('cancelled', { occurrences: [occurrence('o1', '09:10:00', 'cancelled')], deliveries: [] }, NOW)).toBe(false);
  });
});

describe('starting together', () => {
  it('calls receivers within 40 ms of each other one voice, and more an echo', () => {
    expect(startedTogether({ receivers: 2, spreadMs: 3, maxErrorMs: 5 })).toBe(true);
    expect(startedTogether({ receivers: 2, spreadMs: 40, maxErrorMs: 41 })).toBe(true);
    expect(startedTogether({ receivers: 2, spreadMs: 41, maxErrorMs: 20 })).toBe(false);
  });
});

describe('who and where', () => {
  it('names the author from the first step of the approval history', () => {
    expect(authorOf(played.approvals)).toBe('bientap.vanson');
    expect(authorOf([])).toBeNull();
  });

  it('names a place from the commune down, or the area itself above communes', () => {
    const district = { name: 'Huyện Lạc Sơn', kind: 'district' };
    const commune = { name: 'Xã Văn Sơn', kind: 'commune' };
    const hamlet = { name: 'Xóm Bưa', kind: 'hamlet' };
    expect(placeName([district, commune, hamlet])).toBe('Xã Văn Sơn › Xóm Bưa');
    expect(placeName([district, commune])).toBe('Xã Văn Sơn');
    expect(placeName([{ name: 'Tỉnh Hòa Bình', kind: 'province' }, district])).toBe('Huyện Lạc Sơn');
    expect(placeName([])).toBe('');
  });
});

describe('the delivery table', () => {
  const deliveries = [
    delivery('d3', 'failed', 'o2', 'Loa Chợ'),
    delivery('d2', 'played', 'o1', 'Loa Đình'),
    delivery('d1', 'played', 'o1', 'Loa Bến'),
    delivery('d4', 'missed', 'o1', 'Loa Ao'),
  ];
  const occurrences = [occurrence('o2', '10:00:00'), occurrence('o1', '08:00:00')];
  const places: Record<string, string> = { d1: 'Xã Văn Sơn › Xóm Bưa', d2: 'Xã Văn Sơn', d3: 'Xã Văn Sơn', d4: 'Xã Văn Sơn › Xóm Bưa' };

  it('orders rows by airing, then place, then receiver, and filters by state', () => {
    const rows = deliveryRows(deliveries, occurrences, null, (id) => places[id]!);
    expect(rows.map((row) => row.deviceId)).toEqual(['d2', 'd4', 'd1', 'd3']);
    expect(rows[0]).toMatchObject({ place: 'Xã Văn Sơn', airingAt: at('08:00:00') });
    expect(deliveryRows(deliveries, occurrences, 'played', (id) => places[id]!).map((row) => row.deviceId)).toEqual(['d2', 'd1']);
  });

  it('counts deliveries per state in the order a receiver passes through them', () => {
    expect(stateCounts(deliveries)).toEqual([
      ['played', 2],
      ['failed', 1],
      ['missed', 1],
    ]);
    expect(summaryEntries({ missed: 1, played: 3, sent: 0 })).toEqual([
      ['played', 3],
      ['missed', 1],
    ]);
  });

  it('shows the airings sent to receivers, newest first, after the next one still to come', () => {
    const all = [occurrence('a', '06:00:00'), occurrence('b', '08:00:00'), occurrence('c', '12:00:00', 'planned'), occurrence('d', '18:00:00', 'planned'), occurrence('x', '15:00:00', 'cancelled')];
    const shown = airingsToShow(all, [delivery('d1', 'played', 'a'), delivery('d1', 'played', 'b')], NOW);
    expect(shown.map((o) => o.id)).toEqual(['c', 'b', 'a']);
    expect(airingsToShow(all, [], NOW, 2).map((o) => o.id)).toEqual(['c', 'b']);
  });
});

describe('the area report', () => {
  it('colours availability: good from 95 %, poor below 80 %', () => {
    expect(availabilityTone(100)).toBe('ok');
    expect(availabilityTone(95)).toBe('ok');
    expect(availabilityTone(94.9)).toBe('warn');
    expect(availabilityTone(80)).toBe('warn');
    expect(availabilityTone(79.9)).toBe('bad');
    expect(availabilityTone(null)).toBe('none');
  });

  it('links each table\'s CSV in the console\'s language, for the area shown', () => {
    expect(areaCsvUrl({ from: '2026-11-01', to: '2026-11-30' }, 'areas', 'vi')).toBe('/api/reports/areas?from=2026-11-01&to=2026-11-30&format=csv&table=areas&lang=vi');
    expect(areaCsvUrl({ from: '2026-11-01', to: '2026-11-30', areaId: 'a b' }, 'receivers', 'en')).toBe(
      '/api/reports/areas?from=2026-11-01&to=2026-11-30&areaId=a+b&format=csv&table=receivers&lang=en',
    );
  });
});
