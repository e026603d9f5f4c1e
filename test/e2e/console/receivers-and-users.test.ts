/**
 * Receivers and users pages in a real Chromium against the real server: a receiver registered in
 * the page is started as a real agent process from the command the page shows and turns online
 * live; its volume reaches the agent's telemetry; it is renamed, moved, and stopped mid-play with
 * the interruption in its recent events. Users: the password policy next to the field, a role
 * change, the last admin kept, a deletion, and one's own password. No page may log a console error.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetrySchema } from '../../../protocol/index.js';
import { startAgentProcess, type AgentProcess } from '../../helpers/agent-process.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import type { ConsolePage } from '../../helpers/browser.js';
import { consoleWorld } from '../../helpers/console-world.js';
import { connectSession, type Session } from '../../helpers/mqtt-session.js';
import { registerCommune, type Commune } from '../../helpers/receiver-fleet.js';
import { TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

/** About 25 s of speech: long enough to be stopped in the middle. */
const LONG_TEXT = Array.from({ length: 6 }, (_, i) => `Kính thưa bà con, đây là đoạn thông báo thứ ${i + 1} về lịch tiêm phòng cho đàn gia súc của xã.`).join(' ');
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const OPERATOR = { username: 'can-bo-van-son', password: 'van-son-operator-2026' };

/** Server round trips (scrypt, TTS, agent reports) take seconds on a loaded two-core machine, not vitest's default second. */
function poll<T>(probe: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(probe, { timeout: 10_000, ...options });
}

interface DeviceBody {
  id: string;
  name: string;
  areaId: string;
  volume: number;
  online: boolean;
}

describe('receivers and users in Chromium', () => {
  const world = consoleWorld();
  let server: TestServer;
  let api: ApiClient;
  let workDir: string;
  let commune: Commune;
  let otherHamlet: string;
  /** The receiver the first test registers through the page. */
  let added: { id: string; token: string } | undefined;
  const agents: AgentProcess[] = [];
  const sessions: Session[] = [];

  beforeAll(async () => {
    ({ server, api, workDir } = world());
    // One receiver already there (in the commune, never started: offline).
    commune = await registerCommune(api, workDir, 1, 'Xã Văn Sơn');
    const hamlet = await api.post<{ id: string }>('/api/areas', { name: 'Xóm Mới', kind: 'hamlet', parentId: commune.communeId });
    expect(hamlet.status).toBe(201);
    otherHamlet = hamlet.body.id;
    expect((await api.post('/api/users', { ...OPERATOR, role: 'operator', areaId: commune.communeId })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await Promise.all(agents.map((agent) => agent.stop()));
  });

  async function open(options?: BrowserContextOptions): Promise<ConsolePage> {
    const page = await world().open(options);
    page.page.setDefaultTimeout(15_000);
    return page;
  }

  it('adds a receiver whose agent, started with the command shown, turns online live; sets its volume, renames, moves and stops it', async () => {
    const console = await open({ permissions: ['clipboard-read', 'clipboard-write'] });
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    await page.locator('#main-menu a', { hasText: 'Thiết bị thu' }).click();
    await poll(() => page.getByTestId('receiver-row').count()).toBe(1);

    // Register it in the hamlet.
    await page.getByTestId('receiver-add-open').click();
    await page.getByTestId('receiver-name').fill('Loa Xóm Bưa');
    await page.getByTestId('receiver-area').selectOption(commune.hamletId);
    await page.getByTestId('receiver-add-submit').click();
    const token = (await page.getByTestId('receiver-token').textContent())!.trim();
    expect(token.length).toBeGreaterThan(30);
    await poll(() => page.getByTestId('receiver-command').count()).toBe(1);
    const command = (await page.getByTestId('receiver-command').textContent())!;
    const env = Object.fromEntries([...command.matchAll(/(AGENT_[A-Z_]+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]));
    expect(env.AGENT_TOKEN).toBe(token);
    expect(env.AGENT_BROKER_URL).toBe(`mqtt://127.0.0.1:${server.mqtt.mode === 'embedded' ? server.mqtt.port : ''}`);
    expect(command.trim().endsWith('npm run agent')).toBe(true);
    const id = env.AGENT_DEVICE_ID!;
    expect((await api.get<DeviceBody>(`/api/devices/${id}`)).body).toMatchObject({ name: 'Loa Xóm Bưa', areaId: commune.hamletId, online: false });
    added = { id, token };
    await console.screenshot('receiver-added');

    // The copy button puts exactly the token on the clipboard.
    await page.getByTestId('copy-token').click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // A real agent with what the page gave; its row turns online without a reload.
    const dataDir = path.join(workDir, id);
    await mkdir(dataDir, { recursive: true });
    const agent = startAgentProcess({ brokerUrl: env.AGENT_BROKER_URL!, deviceId: id, token, dataDir, playLog: path.join(dataDir, 'plays.jsonl'), topicRoot: env.AGENT_TOPIC_ROOT });
    agents.push(agent);
    await page.getByTestId('receiver-credentials-done').click();
    expect(await page.getByTestId('receiver-token').count()).toBe(0);
    const row = page.locator(`[data-testid=receiver-row][data-device-id="${id}"]`);
    await poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('online');
    expect(await row.locator('xpath=ancestor::section[@data-testid="receiver-group"]').locator('h3').textContent()).toBe('Xã Văn Sơn › Xóm Bưa');
    await poll(() => row.locator('td').nth(3).textContent()).not.toBe('—');
    await console.screenshot('receivers');

    // Its page: the volume goes to the agent, which reports it back in its telemetry.
    await row.getByTestId('receiver-link').click();
    await poll(() => page.getByTestId('receiver-title').textContent()).toBe('Loa Xóm Bưa');
    const credential = (await api.post<{ url: string; username: string; password: string }>('/api/live/credential')).body;
    const watch = await connectSession(credential.url, { clientId: credential.username, username: credential.username, password: credential.password });
    sessions.push(watch);
    await watch.client.subscribeAsync(`${server.topics.root}/device/${id}/telemetry`, { qos: 0 });
    await page.getByTestId('volume-slider').fill('35');
    expect(await page.getByTestId('volume-value').textContent()).toBe('35');
    await page.getByTestId('volume-apply').click();
    await poll(() => page.getByTestId('volume-done').textContent()).toBe('Đã gửi: âm lượng 35.');
    await waitFor(async () => watch.received.some((m) => telemetrySchema.parse(JSON.parse(m.payload)).volume === 35), {
      what: 'telemetry reporting volume 35',
      timeoutMs: 15_000,
    });
    expect((await api.get<DeviceBody>(`/api/devices/${id}`)).body.volume).toBe(35);
    expect(await page.getByTestId('receiver-volume-now').textContent()).toBe('35');

    // Renamed and moved to the other hamlet.
    await page.getByTestId('receiver-edit-name').fill('Loa Xóm Mới');
    await page.getByTestId('receiver-edit-area').selectOption(otherHamlet);
    await page.getByTestId('receiver-edit-save').click();
    await poll(() => page.getByTestId('receiver-edit-done').count()).toBe(1);
    expect(await page.getByTestId('receiver-title').textContent()).toBe('Loa Xóm Mới');
    expect(await page.getByTestId('receiver-area-path').textContent()).toBe('Xã Văn Sơn › Xóm Mới');
    expect((await api.get<DeviceBody>(`/api/devices/${id}`)).body).toMatchObject({ name: 'Loa Xóm Mới', areaId: otherHamlet });

    // A long bulletin plays on it; stopping it from the page cuts it off, and its events say so.
    const bulletin = await api.post<{ id: string }>('/api/bulletins', { title: 'Lịch tiêm phòng', text: LONG_TEXT });
    expect(bulletin.status).toBe(201);
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId: bulletin.body.id,
      target: { deviceIds: [id] },
      startAt: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(broadcast.status).toBe(201);
    await poll(() => page.getByTestId('receiver-playing').textContent(), { timeout: 30_000 }).toBe('Lịch tiêm phòng');
    await page.getByTestId('receiver-stop').click();
    expect(await page.getByTestId('stop-confirm').textContent()).toContain('Dừng “Lịch tiêm phòng” đang phát trên Loa Xóm Mới?');
    await page.getByTestId('stop-confirm-yes').click();
    await poll(() => page.getByTestId('stop-done').count()).toBe(1);
    const interrupted = page.locator(`[data-testid=receiver-event][data-kind=interrupted][data-broadcast-id="${broadcast.body.id}"]`);
    await poll(() => interrupted.count(), { timeout: 20_000 }).toBe(1);
    expect(await interrupted.locator('td').nth(2).textContent()).toBe('Lịch tiêm phòng');
    expect(await page.locator(`[data-testid=receiver-event][data-kind=started][data-broadcast-id="${broadcast.body.id}"]`).count()).toBe(1);
    expect((await agent.plays()).find((line) => line.broadcastId === broadcast.body.id)?.outcome).toBe('interrupted');
    await poll(() => page.getByTestId('receiver-playing').textContent()).toBe('Không phát gì');
    await page.evaluate(() => window.scrollTo(0, 0));
    await console.screenshot('receiver-detail');
  }, 120_000);

  it('fits a 360 px phone without sideways scrolling, and shows an operator only the volume and stop', async () => {
    const console = await open(PHONE);
    await console.signIn(OPERATOR.username, OPERATOR.password);
    const { page } = console;
    await page.evaluate(() => (window.location.hash = '#/receivers'));
    await poll(() => page.getByTestId('receiver-row').count()).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Registering receivers is for approvers and admins (devices:manage).
    expect(await page.getByTestId('receiver-add-open').count()).toBe(0);
    await console.screenshot('phone-receivers');

    await page.locator(`[data-device-id="${added!.id}"]`).getByTestId('receiver-link').tap();
    await poll(() => page.getByTestId('receiver-title').textContent()).toBe('Loa Xóm Mới');
    expect(await page.getByTestId('volume-slider').count()).toBe(1);
    expect(await page.getByTestId('receiver-stop').count()).toBe(1);
    expect(await page.getByTestId('receiver-edit').count()).toBe(0);
    expect(await page.getByTestId('receiver-access').count()).toBe(0);
    await poll(() => page.getByTestId('receiver-event').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await console.screenshot('phone-receiver-detail');
  });

  it('manages users: the password policy next to the field, a role change, the last admin kept, a deletion, one\'s own password', async () => {
    const console = await open();
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    await page.locator('#main-menu a', { hasText: 'Người dùng' }).click();
    await poll(() => page.getByTestId('user-row').count()).toBe(2);

    await page.getByTestId('user-add-open').click();
    await page.getByTestId('user-username').fill('truong-xom-bua');
    await page.getByTestId('user-password').fill('ngan');
    await page.getByTestId('user-area').selectOption(commune.hamletId);
    console.expectError(/400 \(Bad Request\).*\/api\/users/);
    await page.getByTestId('user-add-submit').click();
    await poll(() => page.getByTestId('password-error').allTextContents()).toContain('Mật khẩu phải có ít nhất 10 ký tự.');
    await page.getByTestId('user-password').fill('xom-bua-loa-2026');
    await page.getByTestId('user-add-submit').click();
    const row = page.locator('[data-testid=user-row][data-username="truong-xom-bua"]');
    await poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getAttribute('data-role')).toBe('operator');
    expect(await row.locator('td').nth(2).textContent()).toBe('Xã Văn Sơn › Xóm Bưa');
    const operator = new ApiClient(server.url);
    await operator.login('truong-xom-bua', 'xom-bua-loa-2026');

    // Made an approver of the whole commune.
    await row.getByTestId('user-edit-open').click();
    await page.getByTestId('user-edit-role').selectOption('approver');
    await page.getByTestId('user-edit-area').selectOption(commune.communeId);
    await page.getByTestId('user-edit-save').click();
    await poll(() => row.getAttribute('data-role')).toBe('approver');
    expect(await row.getByTestId('user-role-cell').textContent()).toBe('Người duyệt');
    expect((await api.get<{ role: string; areaId: string }[]>('/api/users')).body).toContainEqual(expect.objectContaining({ role: 'approver', areaId: commune.communeId }));
    await console.screenshot('users');

    // The only admin cannot stop being one: the server's refusal stands next to the role.
    await page.locator('[data-testid=user-row][data-username="admin"]').getByTestId('user-edit-open').click();
    expect(await page.getByTestId('user-delete').count()).toBe(0);
    await page.getByTestId('user-edit-role').selectOption('viewer');
    await page.getByTestId('user-edit-area').selectOption(commune.communeId);
    console.expectError(/409 \(Conflict\).*\/api\/users\//);
    await page.getByTestId('user-edit-save').click();
    await poll(() => page.getByTestId('role-error').textContent()).toBe('Đây là quản trị viên cuối cùng: hãy cho một người khác làm quản trị trước.');
    expect(await page.locator('[data-testid=user-row][data-username="admin"]').getAttribute('data-role')).toBe('admin');

    // Deleted, after a confirmation.
    await row.getByTestId('user-edit-open').click();
    await page.getByTestId('user-delete').click();
    expect(await page.getByTestId('user-delete-confirm').textContent()).toContain('Xoá tài khoản “truong-xom-bua”?');
    await page.getByTestId('user-delete-yes').click();
    await poll(() => row.count()).toBe(0);
    expect((await api.get<{ username: string }[]>('/api/users')).body.map((u) => u.username)).toEqual(['admin', OPERATOR.username]);

    // One's own password: the wrong current one is named, then the change takes.
    await page.getByTestId('own-current').fill('not-my-password');
    await page.getByTestId('own-new').fill('mat-khau-moi-cua-toi-2026');
    await page.getByTestId('own-repeat').fill('mat-khau-moi-cua-toi-2026');
    console.expectError(/400 \(Bad Request\).*\/api\/auth\/password/);
    await page.getByTestId('own-submit').click();
    await poll(() => page.getByTestId('currentPassword-error').textContent()).toBe('Mật khẩu hiện tại không đúng.');
    await page.getByTestId('own-current').fill(TEST_ADMIN.password);
    await page.getByTestId('own-submit').click();
    await poll(() => page.getByTestId('own-done').count()).toBe(1);
    expect((await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: 'mat-khau-moi-cua-toi-2026' })).status).toBe(200);
  });
});
