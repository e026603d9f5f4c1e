/**
 * The officials' console in a real Chromium against the real server with agent processes:
 * signing in and out, the user's role and area, the live dashboard, switching to English and
 * back, Vietnam time whatever the PC's zone, and a 360 px phone reaching the emergency button.
 * No page may log a console error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../../helpers/agent-process.js';
import type { ApiClient } from '../../helpers/api-client.js';
import { consoleWorld } from '../../helpers/console-world.js';
import { registerCommune, type Commune } from '../../helpers/receiver-fleet.js';
import { TEST_ADMIN } from '../../helpers/test-server.js';

const OPERATOR = { username: 'can-bo-van-son', password: 'van-son-operator-2026' };

describe('console basics in Chromium', () => {
  const world = consoleWorld();
  const open = (options?: Parameters<ReturnType<typeof world>['open']>[0]) => world().open(options);
  let api: ApiClient;
  let commune: Commune;
  let agents: AgentProcess[] = [];

  beforeAll(async () => {
    api = world().api;
    commune = await registerCommune(api, world().workDir, 2, 'Xã Văn Sơn');
    agents = await world().startAgents(commune.receivers);
    expect((await api.post('/api/users', { ...OPERATOR, role: 'operator', areaId: commune.communeId })).status).toBe(201);
  }, 120_000);

  it('refuses a wrong password with a message, then signs in showing the role and area, and signs out', async () => {
    const console = await open();
    const { page } = console;
    await expect.poll(() => page.locator('h2').textContent()).toBe('Đăng nhập');
    await page.getByLabel('Tên đăng nhập').fill(OPERATOR.username);
    await page.getByLabel('Mật khẩu').fill('not-the-password');
    console.expectError(/401 \(Unauthorized\).*\/api\/auth\/login/);
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    await console.signIn(OPERATOR.username, OPERATOR.password);
    const badge = page.getByTestId('user-badge');
    expect(await badge.textContent()).toBe(`${OPERATOR.username}Người soạn · Xã Văn Sơn`);
    // An operator composes and may send emergencies, but does not approve or manage receivers' credentials.
    const menu = await page.locator('#main-menu > a').allTextContents();
    expect(menu).toContain('Soạn bản tin');
    expect(await page.getByTestId('emergency-button').isVisible()).toBe(true);

    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.locator('h2').textContent()).toBe('Đăng nhập');
    // The session is over on the server too: a reload stays signed out.
    await page.reload();
    await expect.poll(() => page.locator('h2').textContent()).toBe('Đăng nhập');
  });

  it('shows the receivers live on the dashboard, in Vietnam time', async () => {
    const console = await open();
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    const rows = page.getByTestId('device-row');
    await expect.poll(() => rows.count()).toBe(2);
    for (const receiver of commune.receivers) {
      await expect.poll(() => page.locator(`[data-device-id="${receiver.id}"]`).getAttribute('data-state')).toBe('online');
    }
    expect(await page.getByTestId('stat-online').locator('.value').textContent()).toBe('2');

    // The browser runs in Paris; the last-seen column must still read Vietnam's wall clock.
    const lastSeen = (await api.get<{ id: string; lastSeenAt: string }[]>('/api/devices')).body.find((d) => d.id === commune.receivers[0]!.id)!.lastSeenAt;
    const vietnamTime = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(lastSeen));
    expect(await page.locator(`[data-device-id="${commune.receivers[0]!.id}"] td`).nth(4).textContent()).toContain(vietnamTime);

    // A receiver whose agent stops turns offline without a reload.
    await agents[1]!.stop();
    await expect.poll(() => page.locator(`[data-device-id="${commune.receivers[1]!.id}"]`).getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    expect(await page.getByTestId('stat-offline').locator('.value').textContent()).toBe('1');
    await console.screenshot('dashboard');
  });

  it('switches to English and back, and remembers the choice', async () => {
    const console = await open();
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    const menu = () => page.locator('#main-menu > a').allTextContents();
    expect(await menu()).toEqual(['Tổng quan', 'Soạn bản tin', 'Lịch phát', 'Chờ duyệt', 'Báo cáo', 'Thiết bị thu', 'Người dùng']);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');

    await page.getByTestId('language-switch').click();
    expect(await menu()).toEqual(['Dashboard', 'Compose', 'Schedule', 'Approvals', 'Reports', 'Receivers', 'Users']);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('emergency-button').textContent()).toBe('Emergency');
    await page.reload();
    await expect.poll(menu).toEqual(['Dashboard', 'Compose', 'Schedule', 'Approvals', 'Reports', 'Receivers', 'Users']);

    await page.getByTestId('language-switch').click();
    expect(await menu()).toEqual(['Tổng quan', 'Soạn bản tin', 'Lịch phát', 'Chờ duyệt', 'Báo cáo', 'Thiết bị thu', 'Người dùng']);
    expect(await page.getByTestId('emergency-button').textContent()).toBe('Phát khẩn cấp');
  });

  it('signs in on a 360 px phone and reaches the emergency button at once', async () => {
    const console = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await console.signIn(OPERATOR.username, OPERATOR.password);
    const { page } = console;
    const button = page.getByTestId('emergency-button');
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    // In the first screen, without scrolling or opening the menu.
    expect(box!.y + box!.height).toBeLessThanOrEqual(740);
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    // Nothing wider than the phone: no sideways scrolling of the page itself.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await console.screenshot('phone-dashboard');
    await button.tap();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/emergency');
    // The menu opens from its button on a phone, and shows who is signed in.
    await page.getByRole('button', { name: 'Danh mục' }).tap();
    expect(await page.locator('#main-menu').isVisible()).toBe(true);
    expect(await page.locator('#main-menu .menu-user').textContent()).toContain('Người soạn · Xã Văn Sơn');
  });
});
