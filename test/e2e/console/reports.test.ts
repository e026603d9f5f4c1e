/**
 * The reports in a real Chromium (zone Europe/Paris) against the real server, with a commune's two
 * receivers as agent processes: a broadcast that played shows in today's list, its page shows both
 * receivers `played` at Vietnam times with a CSV of both rows, the area report counts the two
 * plays and drills into the hamlet, and on a 360 px phone an upcoming broadcast is cancelled after
 * a confirmation. No page may log a console error.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../../helpers/agent-process.js';
import type { ApiClient } from '../../helpers/api-client.js';
import { consoleWorld } from '../../helpers/console-world.js';
import { registerCommune, waitForDeliveries, type Commune } from '../../helpers/receiver-fleet.js';
import { TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const vietnamSeconds = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const parisSeconds = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

describe('reports in Chromium', () => {
  const world = consoleWorld();
  const open = (options?: Parameters<ReturnType<typeof world>['open']>[0]) => world().open(options);
  let server: TestServer;
  let api: ApiClient;
  let commune: Commune;
  let agents: AgentProcess[] = [];
  let bulletinId: string;
  let playedId: string;

  beforeAll(async () => {
    ({ server, api } = world());
    commune = await registerCommune(api, world().workDir, 2, 'Xã Văn Sơn');
    const [bulletin, started] = await Promise.all([
      api.post<{ id: string; audio: { durationMs: number } }>('/api/bulletins', { title: 'Lịch tiêm phòng gia súc', text: 'Kính thưa bà con, sáng mai xã tổ chức tiêm phòng cho gia súc.' }),
      world().startAgents(commune.receivers),
    ]);
    agents = started;
    expect(bulletin.status).toBe(201);
    bulletinId = bulletin.body.id;
    const broadcast = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(broadcast.status).toBe(201);
    playedId = broadcast.body.id;
    await waitForDeliveries(api, playedId, (rows) => rows.length === 2 && rows.every((row) => row.state === 'played'), {
      what: 'both receivers played',
      timeoutMs: 3_000 + bulletin.body.audio.durationMs + 20_000,
      agents,
    });
  }, 120_000);

  it('lists the broadcast today and shows both receivers played, at Vietnam times, with a CSV of both', async () => {
    const console = await open();
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    await page.goto(`${server.url}/#/reports`);
    expect(await page.getByTestId('period-today').getAttribute('aria-pressed')).toBe('true');
    const row = page.locator(`[data-testid="report-broadcast-row"][data-broadcast-id="${playedId}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('completed');
    expect(await row.getByTestId('report-state').textContent()).toBe('Đã phát xong');
    expect(await row.locator('[data-state="played"]').getAttribute('data-count')).toBe('2');
    await console.screenshot('report-list');

    await row.getByRole('link', { name: 'Lịch tiêm phòng gia súc' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/reports/broadcast/${playedId}`);
    await expect.poll(() => page.getByTestId('report-broadcast-title').textContent()).toBe('Lịch tiêm phòng gia súc');
    const deliveries = page.getByTestId('delivery-row');
    await expect.poll(() => deliveries.count()).toBe(2);
    const view = await api.get<{ deliveries: { deviceId: string; startedAt: string }[]; occurrences: { startSync: { receivers: number } }[] }>(`/api/broadcasts/${playedId}`);
    for (const delivery of view.body.deliveries) {
      const cells = page.locator(`[data-testid="delivery-row"][data-device-id="${delivery.deviceId}"]`);
      expect(await cells.getAttribute('data-state')).toBe('played');
      expect(await cells.getByTestId('delivery-state').textContent()).toBe('Đã phát');
      // The browser runs in Paris: the column must read Vietnam's wall clock, not the PC's.
      const shown = await cells.locator('[data-col="started"]').textContent();
      expect(shown).toBe(vietnamSeconds.format(new Date(delivery.startedAt)));
      expect(shown).not.toBe(parisSeconds.format(new Date(delivery.startedAt)));
    }
    expect(await page.getByTestId('report-sync').textContent()).toContain('2 loa bắt đầu cách nhau');
    // Finished: nothing left to cancel.
    expect(await page.getByTestId('report-cancel').count()).toBe(0);
    await console.screenshot('report-broadcast');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-deliveries-csv').click()]);
    expect(download.suggestedFilename()).toBe(`ket-qua-phat_${playedId.slice(0, 8)}.csv`);
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.startsWith('Lượt phát lúc,Loa,Khu vực,Trạng thái')).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 4))).toEqual([
      ['Loa 1', 'Xã Văn Sơn', 'Đã phát'],
      ['Loa 2', 'Xã Văn Sơn › Xóm Bưa', 'Đã phát'],
    ]);
  });

  it('counts the two plays in the area report and drills into the hamlet', async () => {
    const console = await open();
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    await page.goto(`${server.url}/#/reports`);
    await page.getByTestId('report-tab-areas').click();
    const communeRow = page.locator(`[data-testid="report-area-row"][data-area-id="${commune.communeId}"]`);
    await expect.poll(() => communeRow.locator('[data-col="completed"]').textContent()).toBe('2');
    expect(await communeRow.locator('[data-col="broadcasts"]').textContent()).toBe('1');
    expect(await communeRow.locator('[data-col="receivers"]').textContent()).toBe('2');
    expect(await communeRow.locator('[data-col="failed"]').textContent()).toBe('0');
    expect(await page.getByTestId('report-receiver-row').count()).toBe(2);
    await console.screenshot('report-areas');

    // The English CSV of the same table, from the page's own link.
    await page.getByTestId('language-switch').click();
    const href = await page.getByTestId('report-areas-csv').getAttribute('href');
    expect(href).toContain('lang=en');
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv.split('\r\n')[0]).toContain('Area,Level,Broadcasts aired');
    await page.getByTestId('language-switch').click();

    await page.locator(`[data-testid="report-area-row"][data-area-id="${commune.hamletId}"]`).getByTestId('report-area-drill').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain(`areaId=${commune.hamletId}`);
    const hamletRow = page.locator(`[data-testid="report-area-row"][data-area-id="${commune.hamletId}"]`);
    await expect.poll(() => hamletRow.locator('[data-col="completed"]').textContent()).toBe('1');
    expect(await page.getByTestId('report-area-row').count()).toBe(1);
    expect(await page.getByTestId('report-receiver-row').count()).toBe(1);
  });

  it('cancels an upcoming broadcast after a confirmation, on a 360 px phone', async () => {
    const upcoming = await api.post<{ id: string }>('/api/broadcasts', {
      bulletinId,
      target: { areaIds: [commune.communeId] },
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(upcoming.status).toBe(201);
    const console = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { page } = console;
    await page.goto(`${server.url}/#/reports/broadcast/${upcoming.body.id}`);
    const report = page.getByTestId('report-broadcast');
    await expect.poll(() => report.getAttribute('data-state')).toBe('scheduled');
    await expect.poll(() => page.getByTestId('report-deliveries-empty').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.getByTestId('report-cancel').tap();
    // Nothing happens until the official confirms.
    expect((await api.get<{ status: string }>(`/api/broadcasts/${upcoming.body.id}`)).body.status).toBe('scheduled');
    await page.getByTestId('report-cancel-confirm').tap();
    await expect.poll(() => report.getAttribute('data-state')).toBe('cancelled');
    expect(await page.getByTestId('report-cancel').count()).toBe(0);
    expect((await api.get<{ status: string }>(`/api/broadcasts/${upcoming.body.id}`)).body.status).toBe('cancelled');

    // The finished broadcast's page and the area report fit the phone too: wide tables scroll inside their frame.
    for (const hash of [`#/reports/broadcast/${playedId}`, '#/reports/areas']) {
      await page.goto(`${server.url}/${hash}`);
      await expect.poll(() => page.locator('.report-table').count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), hash).toBeLessThanOrEqual(360);
    }
    await console.screenshot('report-phone');
  });
});
