/**
 * Content flowing down the tree (Circular 39/2020/TT-BTTTT): a district's normal bulletin is
 * offered to each commune, which schedules or declines it; a high-priority one is scheduled
 * automatically unless it clashes with the commune's own; an emergency goes straight out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, FIXTURE_SETUP_TIMEOUT_MS, type AccessFixture } from '../../helpers/access-fixture.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

interface Offer {
  id: string;
  areaId: string;
  state: string;
  scheduledBroadcastId: string | null;
  clashBroadcastId: string | null;
  decidedBy: string | null;
  reason: string | null;
}

interface Broadcast {
  id: string;
  approvalState: string;
  distribution: string;
  startAt: string | null;
  offerId: string | null;
  target: { areaIds: string[]; deviceIds: string[] };
  occurrences: { state: string; startAt: string }[];
  deliveries: { deviceId: string }[];
  offers: Offer[];
}

describe('content sent down the hierarchy', () => {
  let server: TestServer;
  let f: AccessFixture;
  let districtBulletin: string;

  beforeAll(async () => {
    server = await startTestServer();
    f = await buildAccessFixture(server.url);
    const bulletin = await f.district.approver.post<{ id: string }>('/api/bulletins', {
      title: 'Tiêm phòng cho gia súc',
      text: 'Huyện thông báo lịch tiêm phòng lở mồm long móng cho trâu bò trong tháng mười hai.',
    });
    expect(bulletin.status).toBe(201);
    districtBulletin = bulletin.body.id;
  }, FIXTURE_SETUP_TIMEOUT_MS);
  afterAll(async () => server?.close());

  const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

  it('offers a normal bulletin to each commune once approved; each commune schedules or declines it, and the district sees both decisions', async () => {
    const sent = await f.district.operator.post<Broadcast>('/api/broadcasts', {
      bulletinId: districtBulletin,
      target: { areaIds: [f.areas.district] },
      startAt: inOneHour(),
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ approvalState: 'pending', distribution: 'offered', offers: [] });

    const approved = await f.district.approver.post<Broadcast>(`/api/broadcasts/${sent.body.id}/approve`);
    expect(approved.body.offers.map((o) => [o.areaId, o.state]).sort()).toEqual(
      [[f.areas.communeA, 'offered'], [f.areas.communeB, 'offered']].sort(),
    );
    // The district's own broadcast never plays itself: the communes' copies do.
    expect(approved.body.occurrences).toEqual([]);

    const inboxA = await f.communeA.operator.get<(Offer & { title: string })[]>('/api/offers?state=offered');
    expect(inboxA.body.map((o) => o.areaId)).toEqual([f.areas.communeA]);
    expect(inboxA.body[0]?.title).toBe('Tiêm phòng cho gia súc');
    const offerA = inboxA.body[0]!;
    const offerB = approved.body.offers.find((o) => o.areaId === f.areas.communeB)!;

    // A commune cannot decide for another, and a viewer cannot decide at all.
    expect((await f.communeA.operator.post(`/api/offers/${offerB.id}/accept`)).status).toBe(404);
    expect((await f.communeA.viewer.post(`/api/offers/${offerA.id}/accept`)).status).toBe(403);

    const accepted = await f.communeA.operator.post<Offer>(`/api/offers/${offerA.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', decidedBy: 'bientap.vanson' });
    expect((await f.communeA.operator.post(`/api/offers/${offerA.id}/accept`)).status).toBe(409);
    const copy = await f.communeA.viewer.get<Broadcast>(`/api/broadcasts/${accepted.body.scheduledBroadcastId}`);
    expect(copy.body).toMatchObject({ approvalState: 'approved', distribution: 'direct', offerId: offerA.id, startAt: sent.body.startAt });
    expect(copy.body.target.areaIds).toEqual([f.areas.communeA]);
    expect(copy.body.occurrences.map((o) => o.state)).toEqual(['planned']);

    const declined = await f.communeB.approver.post<Offer>(`/api/offers/${offerB.id}/decline`, { reason: 'đã thông báo trực tiếp' });
    expect(declined.body).toMatchObject({ state: 'declined', decidedBy: 'duyet.tanlap', reason: 'đã thông báo trực tiếp' });

    const seenBySender = await f.district.operator.get<Broadcast>(`/api/broadcasts/${sent.body.id}`);
    expect(Object.fromEntries(seenBySender.body.offers.map((o) => [o.areaId, [o.state, o.decidedBy]]))).toEqual({
      [f.areas.communeA]: ['accepted', 'bientap.vanson'],
      [f.areas.communeB]: ['declined', 'duyet.tanlap'],
    });
    // Commune B does not see commune A's copy.
    expect((await f.communeB.operator.get(`/api/broadcasts/${copy.body.id}`)).status).toBe(404);
  });

  it('schedules a high-priority bulletin automatically, except where it clashes with the commune\'s own high-priority item; the commune then picks the time', async () => {
    const at = new Date(Date.now() + 2 * 3_600_000);
    const ownBulletin = await f.communeA.approver.post<{ id: string }>('/api/bulletins', { title: 'Phòng chống cháy rừng', text: 'Xã nhắc bà con không đốt nương.' });
    const own = await f.communeA.approver.post<Broadcast>('/api/broadcasts', {
      bulletinId: ownBulletin.body.id,
      target: { areaIds: [f.areas.communeA] },
      startAt: at.toISOString(),
      priority: 'high',
    });
    expect(own.body.approvalState).toBe('approved');

    const sent = await f.district.approver.post<Broadcast>('/api/broadcasts', {
      bulletinId: districtBulletin,
      target: { areaIds: [f.areas.district] },
      startAt: at.toISOString(),
      priority: 'high',
    });
    const offers = Object.fromEntries(sent.body.offers.map((o) => [o.areaId, o]));
    expect(offers[f.areas.communeB]).toMatchObject({ state: 'scheduled', decidedBy: 'automatic' });
    expect(offers[f.areas.communeA]).toMatchObject({ state: 'clash', clashBroadcastId: own.body.id });

    const copyB = await f.admin.get<Broadcast>(`/api/broadcasts/${offers[f.areas.communeB]!.scheduledBroadcastId}`);
    expect(copyB.body.approvalState).toBe('approved');
    expect(copyB.body.occurrences.map((o) => o.startAt)).toEqual([at.toISOString()]);
    const copyA = await f.admin.get<Broadcast>(`/api/broadcasts/${offers[f.areas.communeA]!.scheduledBroadcastId}`);
    expect(copyA.body.approvalState).toBe('pending');
    expect(copyA.body.occurrences).toEqual([]);

    const after = new Date(at.getTime() + 10 * 60_000).toISOString();
    const settled = await f.communeA.operator.post<Offer>(`/api/offers/${offers[f.areas.communeA]!.id}/accept`, { startAt: after });
    expect(settled.body).toMatchObject({ state: 'accepted', scheduledBroadcastId: copyA.body.id, decidedBy: 'bientap.vanson' });
    const played = await f.admin.get<Broadcast>(`/api/broadcasts/${copyA.body.id}`);
    expect(played.body.approvalState).toBe('approved');
    expect(played.body.occurrences.filter((o) => o.state === 'planned').map((o) => o.startAt)).toEqual([after]);
  });

  it('sends an emergency straight to every receiver, with no offers', async () => {
    const sent = await f.district.approver.post<Broadcast>('/api/broadcasts', {
      bulletinId: districtBulletin,
      target: { areaIds: [f.areas.district] },
      priority: 'emergency',
    });
    expect(sent.body).toMatchObject({ approvalState: 'approved', distribution: 'direct', offers: [] });
    expect(sent.body.deliveries.map((d) => d.deviceId).sort()).toEqual([f.devices.a, f.devices.b].sort());
  });

  it('cancelling what the district sent cancels the copies the communes scheduled', async () => {
    const sent = await f.district.approver.post<Broadcast>('/api/broadcasts', {
      bulletinId: districtBulletin,
      target: { areaIds: [f.areas.communeA] },
      startAt: inOneHour(),
    });
    const offer = sent.body.offers[0]!;
    const accepted = await f.communeA.operator.post<Offer>(`/api/offers/${offer.id}/accept`);
    expect((await f.communeA.operator.post(`/api/broadcasts/${sent.body.id}/cancel`)).status).toBe(403);
    expect((await f.district.operator.post(`/api/broadcasts/${sent.body.id}/cancel`)).status).toBe(200);
    const copy = await f.admin.get<{ status: string }>(`/api/broadcasts/${accepted.body.scheduledBroadcastId}`);
    expect(copy.body.status).toBe('cancelled');
  });
});
