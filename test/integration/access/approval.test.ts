/**
 * The review step with a real receiver: an operator's broadcast reaches nobody until an approver
 * of the area approves it; authors cannot approve their own; edits send approved content back.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, FIXTURE_SETUP_TIMEOUT_MS, type AccessFixture } from '../../helpers/access-fixture.js';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { embeddedBrokerUrl } from '../../helpers/device-connection.js';
import { startAgents, waitForDeliveries, waitUntilOnline, type Receiver } from '../../helpers/receiver-fleet.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

interface Broadcast {
  id: string;
  approvalState: string;
  startAt: string;
  occurrences: unknown[];
  deliveries: { state: string }[];
  approvals: { from: string | null; to: string; username: string | null; reason: string | null }[];
}

describe('approval workflow', () => {
  let server: TestServer;
  let f: AccessFixture;
  let receiver: Receiver;
  let agent: AgentProcess;
  let bulletinId: string;

  beforeAll(async () => {
    server = await startTestServer();
    f = await buildAccessFixture(server.url);
    const created = await f.admin.post<{ id: string; token: string }>('/api/devices', { name: 'Loa nhà văn hóa', areaId: f.areas.hamletA });
    const dataDir = path.join(server.dataDir, 'agent');
    await mkdir(dataDir, { recursive: true });
    receiver = { ...created.body, dataDir, playLog: path.join(dataDir, 'plays.jsonl') };
    [agent] = startAgents([receiver], embeddedBrokerUrl(server), server.topics.root) as [AgentProcess];
    await waitUntilOnline(f.admin, [receiver], [agent]);
    const bulletin = await f.communeA.operator.post<{ id: string; approvalState: string }>('/api/bulletins', {
      title: 'Họp dân',
      text: 'Kính thưa bà con, tối nay thôn họp dân tại nhà văn hóa.',
    });
    expect(bulletin.status).toBe(201);
    expect(bulletin.body.approvalState).toBe('pending');
    bulletinId = bulletin.body.id;
  }, FIXTURE_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await agent?.stop();
    await server?.close();
  });

  it('holds an operator\'s broadcast until an approver of the area approves it, then it plays', async () => {
    const startAt = Date.now() + 2_500;
    const created = await f.communeA.operator.post<Broadcast>('/api/broadcasts', {
      bulletinId,
      target: { deviceIds: [receiver.id] },
      startAt: new Date(startAt).toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body.approvalState).toBe('pending');

    // Past its start time, still nothing was planned, sent or played.
    await new Promise((resolve) => setTimeout(resolve, startAt - Date.now() + 1_500));
    const waiting = await f.admin.get<Broadcast>(`/api/broadcasts/${created.body.id}`);
    expect(waiting.body.occurrences).toEqual([]);
    expect(waiting.body.deliveries).toEqual([]);
    expect(await agent.plays()).toEqual([]);

    // Who may not approve: the operators (role), another commune's approver (cannot even see it).
    expect((await f.communeA.operator.post(`/api/broadcasts/${created.body.id}/approve`)).status).toBe(403);
    expect((await f.communeA2.operator.post(`/api/broadcasts/${created.body.id}/approve`)).status).toBe(403);
    expect((await f.communeB.approver.post(`/api/broadcasts/${created.body.id}/approve`)).status).toBe(404);

    const approved = await f.communeA.approver.post<Broadcast>(`/api/broadcasts/${created.body.id}/approve`, { note: 'đúng nội dung' });
    expect(approved.status).toBe(200);
    expect(approved.body.approvalState).toBe('approved');
    // Its time passed while it waited, so it starts now rather than never.
    expect(Date.parse(approved.body.startAt)).toBeGreaterThan(startAt);
    await waitForDeliveries(f.admin, created.body.id, (rows) => rows.length === 1 && rows[0]!.state === 'played', { agents: [agent] });
    expect((await agent.plays()).map((play) => play.broadcastId)).toEqual([created.body.id]);

    const bulletin = await f.communeA.viewer.get<{ approvalState: string }>(`/api/bulletins/${bulletinId}`);
    expect(bulletin.body.approvalState).toBe('approved');
    expect(approved.body.approvals.map((a) => [a.from, a.to, a.username])).toEqual([
      [null, 'pending', 'bientap.vanson'],
      ['pending', 'approved', 'duyet.vanson'],
    ]);
  });

  it('refuses self-approval, even by an author who has since become an approver', async () => {
    const created = await f.communeA2.operator.post<Broadcast>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [f.areas.hamletA] },
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.body.approvalState).toBe('pending');
    const promoted = await f.admin.patch(`/api/users/${f.userIds.get('bientap2.vanson')}`, { role: 'approver' });
    expect(promoted.status).toBe(200);
    // A change of role ends the user's sessions: the old token no longer works.
    expect((await f.communeA2.operator.get('/api/auth/me')).status).toBe(401);
    const author = await f.signIn('bientap2.vanson');
    const self = await author.post<{ code: string }>(`/api/broadcasts/${created.body.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('SELF_APPROVAL');
    const state = await f.admin.get<Broadcast>(`/api/broadcasts/${created.body.id}`);
    expect(state.body.approvalState).toBe('pending');
  });

  it('rejects with a reason the author sees, and an operator\'s edit sends approved content back for review', async () => {
    const created = await f.communeA.operator.post<Broadcast>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [f.areas.hamletA] },
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const noReason = await f.communeA.approver.post<{ details: { field: string }[] }>(`/api/broadcasts/${created.body.id}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0]?.field).toBe('reason');
    const rejected = await f.communeA.approver.post<Broadcast>(`/api/broadcasts/${created.body.id}/reject`, { reason: 'sai giờ họp' });
    expect(rejected.body.approvalState).toBe('rejected');
    const seen = await f.communeA.operator.get<Broadcast>(`/api/broadcasts/${created.body.id}`);
    expect(seen.body.approvals.at(-1)).toMatchObject({ to: 'rejected', reason: 'sai giờ họp', username: 'duyet.vanson' });

    const fixed = await f.communeA.operator.patch<Broadcast>(`/api/broadcasts/${created.body.id}`, {
      startAt: new Date(Date.now() + 7_200_000).toISOString(),
    });
    expect(fixed.body.approvalState).toBe('pending');
    const approved = await f.communeA.approver.post<Broadcast>(`/api/broadcasts/${created.body.id}/approve`);
    expect(approved.body.approvalState).toBe('approved');
    expect((await f.communeA.approver.post(`/api/broadcasts/${created.body.id}/approve`)).status).toBe(409);

    const edited = await f.communeA.operator.patch<Broadcast>(`/api/broadcasts/${created.body.id}`, {
      startAt: new Date(Date.now() + 5_400_000).toISOString(),
    });
    expect(edited.body.approvalState).toBe('pending');
    expect(edited.body.approvals.map((a) => a.to)).toEqual(['pending', 'rejected', 'pending', 'approved', 'pending']);
    // Nothing of it is planned while it waits again.
    const queue = await f.communeA.approver.get<{ id: string }[]>('/api/broadcasts?approval=pending');
    expect(queue.body.map((b) => b.id)).toContain(created.body.id);
    const plan = await f.admin.get<{ occurrences: { state: string }[] }>(`/api/broadcasts/${created.body.id}`);
    expect(plan.body.occurrences.length).toBeGreaterThan(0);
    expect(plan.body.occurrences.every((o) => o.state === 'cancelled')).toBe(true);
  });

  it('lets an approver\'s own broadcast through at once, and an operator send an emergency only where the area allows it', async () => {
    const own = await f.communeA.approver.post<Broadcast>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [f.areas.hamletA] },
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(own.body.approvalState).toBe('approved');

    const emergency = { bulletinId, target: { areaIds: [f.areas.communeA] }, priority: 'emergency', startAt: new Date(Date.now() + 3_600_000).toISOString() };
    const refused = await f.communeA.operator.post<{ details: { field: string }[] }>('/api/broadcasts', emergency);
    expect(refused.status).toBe(403);
    expect(refused.body.details[0]?.field).toBe('priority');
    expect((await f.admin.patch(`/api/areas/${f.areas.communeA}`, { operatorsMaySendEmergency: true })).status).toBe(200);
    const allowed = await f.communeA.operator.post<Broadcast>('/api/broadcasts', emergency);
    expect(allowed.status).toBe(201);
    expect(allowed.body.approvalState).toBe('approved');
    // The permission belongs to commune A only.
    const theirs = await f.communeB.operator.post<{ id: string }>('/api/bulletins', { title: 'Lũ', text: 'Nước sông đang lên nhanh.' });
    const elsewhere = await f.communeB.operator.post('/api/broadcasts', { ...emergency, bulletinId: theirs.body.id, target: { areaIds: [f.areas.communeB] } });
    expect(elsewhere.status).toBe(403);
  });
});
