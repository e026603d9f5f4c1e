/**
 * The composer and the schedule form in a real Chromium against the real server with two agent
 * processes: write a Vietnamese bulletin, listen to it as it will be spoken, save it, schedule it
 * a few seconds ahead after seeing what the schedule will do, and watch both receivers play it on
 * the dashboard; record from a (fake) microphone; and on a phone, a weekly rule whose clash with
 * another schedule is said in plain words before anything is saved. No page may log an error.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../helpers/api-client.js';
import type { ConsolePage } from '../../helpers/browser.js';
import { consoleWorld } from '../../helpers/console-world.js';
import { registerCommune, type Commune } from '../../helpers/receiver-fleet.js';
import { TEST_ADMIN } from '../../helpers/test-server.js';

const OPERATOR = { username: 'bien-tap-van-son', password: 'van-son-operator-2026' };
const TEXT = 'Kính thưa bà con, 7 giờ sáng mai UBND xã tổ chức tiêm phòng cho gia súc.';
/** Not the default 20,000: the composer must count against the server's own limit. */
const MAX_CHARS = 5_000;

/** Vietnam's wall clock for an instant, as the form's date and time inputs take it. */
function vietnamInputs(at: number): { date: string; time: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}`, weekday: String(parts.weekday) };
}

describe('composing and scheduling in Chromium', () => {
  // A microphone that plays a tone, allowed without asking.
  const world = consoleWorld({ serverEnv: { BULLETIN_MAX_CHARS: String(MAX_CHARS) }, browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  let api: ApiClient;
  let commune: Commune;

  beforeAll(async () => {
    api = world().api;
    commune = await registerCommune(api, world().workDir, 2, 'Xã Văn Sơn');
    await world().startAgents(commune.receivers);
    expect((await api.post('/api/users', { ...OPERATOR, role: 'operator', areaId: commune.communeId })).status).toBe(201);
  }, 120_000);

  async function openCompose(user: { username: string; password: string }, options?: BrowserContextOptions): Promise<ConsolePage> {
    const console = await world().open(options);
    await console.signIn(user.username, user.password);
    await console.page.evaluate(() => {
      window.location.hash = '#/compose';
    });
    await console.page.getByTestId('compose-page').waitFor();
    return console;
  }

  const attribute = (page: Page, testId: string, name: string) => page.getByTestId(testId).getAttribute(name);

  it('composes, listens, saves and schedules a bulletin seconds ahead; both receivers play it', async () => {
    const console = await openCompose(TEST_ADMIN);
    const { page } = console;
    await page.getByTestId('compose-title').fill('Tiêm phòng gia súc');
    // Counted as the server counts, against its limit, which is said before anything is sent.
    await page.getByTestId('compose-body').fill(`${TEXT} `.repeat(70));
    await expect.poll(() => page.getByTestId('compose-count').textContent()).toBe(`${new Intl.NumberFormat('vi-VN').format((TEXT.length + 1) * 70 - 1)} / 5.000 ký tự`);
    expect(await page.getByTestId('compose-text-error').textContent()).toBe('Nội dung dài hơn giới hạn 5.000 ký tự. Hãy rút ngắn hoặc chia thành nhiều bản tin.');
    await page.getByTestId('compose-body').fill(TEXT);
    expect(await page.getByTestId('compose-count').textContent()).toBe(`${TEXT.length} / 5.000 ký tự`);
    expect(await page.getByTestId('compose-text-error').count()).toBe(0);
    // The estimate follows the speaking rate.
    const estimate = Number(await attribute(page, 'compose-estimate', 'data-ms'));
    expect(estimate).toBeGreaterThanOrEqual(5_000);
    expect(estimate).toBeLessThanOrEqual(7_000);
    expect(await page.getByTestId('compose-estimate').textContent()).toBe(`Đọc mất khoảng ${estimate / 1000} giây`);
    await page.getByTestId('compose-rate').fill('2');
    expect(Number(await attribute(page, 'compose-estimate', 'data-ms'))).toBeLessThan(estimate * 0.6);
    await page.getByTestId('compose-rate').fill('1');

    await page.getByTestId('compose-listen').click();
    const audio = page.getByTestId('compose-preview-audio');
    await audio.waitFor({ timeout: 30_000 });
    const src = await audio.getAttribute('src');
    expect(src).toMatch(/^\/audio\/[0-9a-f]{64}\.mp3$/);
    const served = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type'), bytes: (await response.arrayBuffer()).byteLength };
    }, src!);
    expect(served).toMatchObject({ status: 200, type: 'audio/mpeg' });
    expect(served.bytes).toBeGreaterThan(5_000);
    // The browser decodes it: it knows how long it is.
    await expect
      .poll(() => audio.evaluate((element: HTMLAudioElement) => (element.readyState >= 1 ? element.duration : 0)), { timeout: 10_000 })
      .toBeGreaterThan(4);
    // How the numbers and abbreviations will be read.
    const spoken = await page.getByTestId('compose-spoken').textContent();
    expect(spoken).toContain('bảy giờ sáng mai ủy ban nhân dân xã');
    expect(await page.getByTestId('compose-changes').textContent()).toContain('UBND');
    expect(await page.getByTestId('compose-preview-facts').textContent()).toMatch(/^Dài \d+ giây · Giọng Bắc · tốc độ 1×$/);

    await page.getByTestId('compose-save').click();
    await page.getByTestId('compose-saved').waitFor({ timeout: 30_000 });
    const bulletinId = await attribute(page, 'compose-saved', 'data-bulletin-id');
    expect(bulletinId).toBeTruthy();
    // The schedule form takes the bulletin just saved.
    await expect.poll(() => page.getByTestId('schedule-bulletin').inputValue()).toBe(bulletinId);
    expect(await page.getByTestId('schedule-check').getAttribute('data-state')).toBe('incomplete');

    await page.getByTestId(`schedule-area-${commune.communeId}`).check();
    // First a time far enough ahead to read the check panel and take the screenshot.
    const at = vietnamInputs(Date.now() + 60_000);
    await page.getByTestId('schedule-when-at').check();
    await page.getByTestId('schedule-date').fill(at.date);
    await page.getByTestId('schedule-time').fill(at.time);
    // What saving would do, before saving: both receivers, no approval, the play at that second.
    await expect.poll(() => attribute(page, 'schedule-check-receivers', 'data-count'), { timeout: 10_000 }).toBe('2');
    expect(await page.getByTestId('schedule-check-receivers').textContent()).toBe('Sẽ phát tới 2 loa.');
    expect(await page.getByTestId('schedule-check-approval').textContent()).toBe('Không cần chờ duyệt.');
    expect(await page.getByTestId('schedule-check-next').locator('li').allTextContents()).toEqual([expect.stringContaining(at.time)]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await console.screenshot('composer');

    // Then three seconds from now, and save at once.
    const startAt = Date.now() + 3_000;
    const soon = vietnamInputs(startAt);
    await page.getByTestId('schedule-date').fill(soon.date);
    await page.getByTestId('schedule-time').fill(soon.time);
    await page.getByTestId('schedule-save').click();
    const outcome = page.getByTestId('schedule-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-state')).toBe('scheduled');
    const broadcastId = await outcome.getAttribute('data-broadcast-id');
    expect(await page.getByTestId('schedule-outcome-report').getAttribute('href')).toBe(`#/reports/broadcast/${broadcastId}`);
    expect(await page.getByTestId('schedule-save').isDisabled()).toBe(true);
    const saved = await api.get<{ bulletinId: string; startAt: string; target: { areaIds: string[] } }>(`/api/broadcasts/${broadcastId}`);
    expect(saved.body).toMatchObject({ bulletinId, startAt: new Date(Math.floor(startAt / 1000) * 1000).toISOString(), target: { areaIds: [commune.communeId] } });

    await page.locator('a.brand').click();
    const row = (id: string) => page.locator(`[data-testid="device-row"][data-device-id="${id}"]`);
    for (const receiver of commune.receivers) {
      await expect.poll(() => row(receiver.id).getAttribute('data-state'), { timeout: 20_000, interval: 100 }).toBe('playing');
    }
    for (const receiver of commune.receivers) {
      await expect.poll(() => row(receiver.id).getAttribute('data-last-outcome'), { timeout: 20_000 }).toBe('played');
    }
  });

  it('records two seconds from the microphone, plays them back and saves them as a bulletin', async () => {
    const { page } = await openCompose(TEST_ADMIN);
    await page.getByTestId('compose-source-record').check();
    await page.getByTestId('compose-record-start').click();
    await expect.poll(() => attribute(page, 'compose-record-state', 'data-state')).toBe('recording');
    await expect.poll(() => page.getByTestId('compose-record-clock').textContent(), { timeout: 10_000 }).toBe('0:02');
    await page.getByTestId('compose-record-stop').click();
    const playback = page.getByTestId('compose-record-playback');
    await playback.waitFor();
    expect(await playback.getAttribute('src')).toMatch(/^blob:/);
    await page.getByTestId('compose-record-title').fill('Ghi âm thông báo họp dân');
    await page.getByTestId('compose-record-transcript').fill('Thông báo họp dân tối nay.');
    await page.getByTestId('compose-record-save').click();
    await page.getByTestId('compose-saved').waitFor({ timeout: 30_000 });

    const id = await attribute(page, 'compose-saved', 'data-bulletin-id');
    const bulletin = await api.get<{ title: string; source: string; language: string; transcript: string; audio: { durationMs: number } }>(`/api/bulletins/${id}`);
    expect(bulletin.status).toBe(200);
    expect(bulletin.body).toMatchObject({ title: 'Ghi âm thông báo họp dân', source: 'upload', language: 'vi', transcript: 'Thông báo họp dân tối nay.' });
    // Two seconds of a tone, its silent ends trimmed.
    expect(bulletin.body.audio.durationMs).toBeGreaterThan(500);
    expect(bulletin.body.audio.durationMs).toBeLessThan(3_500);
    expect(await page.getByTestId('compose-saved-duration').textContent()).toMatch(/^Dài \d giây\.$/);
  });

  it('on a 360 px phone, an operator sees a weekly rule wait for approval and clash with another schedule, in plain words', async () => {
    // Another bulletin already plays every day, three hours from now.
    const clashAt = vietnamInputs(Date.now() + 3 * 3_600_000);
    const slot = clashAt.time.slice(0, 5);
    const other = await api.post<{ id: string }>('/api/bulletins', { title: 'Lịch tiêm phòng', text: 'Lịch tiêm phòng cho gia súc tháng này.' });
    expect(other.status).toBe(201);
    const existing = await api.post('/api/broadcasts', { bulletinId: other.body.id, target: { areaIds: [commune.communeId] }, recurrence: { daily: { times: [slot] } } });
    expect(existing.status).toBe(201);

    const console = await openCompose(OPERATOR, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const { page } = console;
    await expect.poll(() => page.getByTestId('schedule-bulletin').locator(`option[value="${other.body.id}"]`).count()).toBe(1);
    await page.getByTestId('schedule-bulletin').selectOption(other.body.id);
    await page.getByTestId(`schedule-area-${commune.communeId}`).check();
    await page.getByTestId('schedule-when-recurring').check();
    await page.getByTestId('schedule-rule').selectOption('weekly');
    await page.getByTestId('schedule-weekday-mon').check();
    await page.getByTestId('schedule-weekday-thu').check();
    await page.getByTestId('schedule-rule-time-0').fill(slot);

    // A wrong value is named at its field, and nothing is checked until it is right.
    await page.getByTestId('schedule-repeat-count').fill('0');
    await expect.poll(() => page.getByText('Phải từ 1 đến 20.').count()).toBe(1);
    expect(await attribute(page, 'schedule-check', 'data-state')).toBe('incomplete');
    await page.getByTestId('schedule-repeat-count').fill('1');

    await expect.poll(() => attribute(page, 'schedule-check', 'data-state'), { timeout: 10_000 }).toBe('ready');
    expect(await page.getByTestId('schedule-check-approval').textContent()).toBe('Lịch phát này sẽ chờ người duyệt phê duyệt rồi mới phát.');
    const next = await page.getByTestId('schedule-check-next').locator('li').allTextContents();
    expect(next).toHaveLength(5);
    for (const play of next) expect(play).toMatch(new RegExp(`^${slot}:00 · (Thứ Hai|Thứ Năm), \\d\\d/\\d\\d$`));
    const warnings = page.getByTestId('schedule-check-warnings').locator('li');
    expect(await warnings.first().getAttribute('data-code')).toBe('OVERLAP');
    expect(await warnings.first().textContent()).toMatch(
      new RegExp(`^Trùng giờ với “Lịch tiêm phòng” lúc ${slot}:00 · Thứ (Hai|Năm), \\d\\d/\\d\\d trên 2 loa: bản tin này sẽ đợi bản kia phát xong rồi mới phát\\.$`),
    );
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.evaluate(() => window.scrollTo(0, 0));
    await console.screenshot('schedule-form');

    // What only the server can judge (a minute 61) is said next to the field it concerns.
    await page.getByTestId('schedule-rule').selectOption('cron');
    console.expectError(/400 \(Bad Request\).*\/api\/broadcasts\/check/);
    await page.getByTestId('schedule-cron').fill('61 6 * * 1-5');
    await expect.poll(() => attribute(page, 'schedule-check', 'data-state'), { timeout: 10_000 }).toBe('failed');
    const cronError = page.getByTestId('schedule-cron').locator('xpath=..').locator('.field-error');
    expect(await cronError.textContent()).toMatch(/minute/);
    expect(await page.getByTestId('schedule-save').isEnabled()).toBe(true);
  });
});
