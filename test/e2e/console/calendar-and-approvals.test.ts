/**
 * The approval queue and the week calendar in a real Chromium against the real server: an
 * approver rejects one operator bulletin with a reason and approves another; the operator, on a
 * phone, reads both outcomes and answers an offer its district sent; the calendar shows two
 * overlapping broadcasts on the right Vietnam day and time (the browser runs in Paris) with the
 * conflict in words, moves between weeks, and fits a 360 px phone. No page may log a console error.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../../server/http/authentication.js';
import { ApiClient } from '../../helpers/api-client.js';
import type { ConsolePage } from '../../helpers/browser.js';
import { consoleWorld } from '../../helpers/console-world.js';
import { TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const OPERATOR = { username: 'soan.vanson', password: 'van-son-operator-2026' };
const APPROVER = { username: 'duyet.vanson', password: 'van-son-approver-2026' };
const DISTRICT = { username: 'duyet.huyen', password: 'lac-son-approver-2026' };
const REJECT_REASON = 'Sai ngày họp, đề nghị sửa lại thành thứ Bảy';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** The wall date in Vietnam `days` from now, and an instant at a Vietnam wall-clock time on it. */
function vietnamDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}
const atVietnamTime = (date: string, time: string) => new Date(`${date}T${time}:00+07:00`).toISOString();

interface Created {
  readonly id: string;
}

type Account = { readonly username: string; readonly password: string };

/**
 * A signed-in user, for the API and for the browser. Each user signs in once: a sign-in is a
 * deliberately slow password hash, the slowest step of this file on a loaded machine, and the
 * sign-in form itself is console-basics.test.ts's subject.
 */
interface Session {
  readonly api: ApiClient;
  readonly token: string;
  readonly csrfToken: string;
}

describe('calendar and approvals in Chromium', () => {
  const world = consoleWorld();
  let server: TestServer;
  let admin: ApiClient;
  const sessions = new Map<string, Session>();
  let communeId: string;
  const ids = { rejected: '', approved: '', pairA: '', pairB: '' };
  const tomorrow = vietnamDate(1);
  // A week from today always falls in next week, whatever today is.
  const pairDay = vietnamDate(7);

  beforeAll(async () => {
    server = world().server;
    admin = (await signIn(TEST_ADMIN)).api;
    const area = async (name: string, kind: string, parentId?: string) => {
      const created = await admin.post<Created>('/api/areas', { name, kind, ...(parentId ? { parentId } : {}) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id;
    };
    const districtId = await area('Huyện Lạc Sơn', 'district');
    communeId = await area('Xã Văn Sơn', 'commune', districtId);
    const hamletId = await area('Xóm Bưa', 'hamlet', communeId);
    for (const [name, areaId] of [['Loa UBND xã', communeId], ['Loa Xóm Bưa', hamletId]] as const) {
      expect((await admin.post('/api/devices', { name, areaId })).status).toBe(201);
    }
    const user = async (account: Account, role: string, areaId: string) => {
      expect((await admin.post('/api/users', { ...account, role, areaId })).status).toBe(201);
      return (await signIn(account)).api;
    };
    // Password hashing and speech synthesis dominate the setup; two cores take them two at a time.
    const [operator, approver, district] = await Promise.all([
      user(OPERATOR, 'operator', communeId),
      user(APPROVER, 'approver', communeId),
      user(DISTRICT, 'approver', districtId),
    ]);

    const broadcast = async (client: ApiClient, title: string, text: string, startAt: string, areaId = communeId) => {
      const bulletin = await client.post<Created>('/api/bulletins', { title, text });
      expect(bulletin.status, JSON.stringify(bulletin.body)).toBe(201);
      const created = await client.post<Created & { approvalState: string }>('/api/broadcasts', { bulletinId: bulletin.body.id, target: { areaIds: [areaId] }, startAt });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    };
    const [meeting, vaccine, pairA, pairB] = await Promise.all([
      // The operator's two bulletins for tomorrow wait for approval.
      broadcast(operator, 'Họp tổ dân phố', 'Mời bà con dự họp tổ dân phố lúc bảy giờ tối thứ Sáu.', atVietnamTime(tomorrow, '08:00')),
      broadcast(operator, 'Tiêm phòng cho gia súc', 'Xã tổ chức tiêm phòng cho trâu bò vào sáng Chủ nhật.', atVietnamTime(tomorrow, '08:30')),
      // The approver's own are approved at once: two that start together next week, the evening before in Paris.
      broadcast(approver, 'Chợ phiên', 'Phiên chợ tháng này họp vào ngày rằm.', atVietnamTime(pairDay, '04:30')),
      broadcast(approver, 'Thu gom rác', 'Xe thu gom rác đi qua các xóm vào sáng thứ Hai.', atVietnamTime(pairDay, '04:30')),
      // The district sends content down: it lands in the commune's inbox as an offer.
      broadcast(district, 'Phòng chống cháy rừng', 'Huyện nhắc bà con không đốt nương trong mùa khô.', atVietnamTime(tomorrow, '10:00'), districtId),
    ]);
    expect([meeting.approvalState, vaccine.approvalState, pairA.approvalState, pairB.approvalState]).toEqual(['pending', 'pending', 'approved', 'approved']);
    Object.assign(ids, { rejected: meeting.id, approved: vaccine.id, pairA: pairA.id, pairB: pairB.id });
  }, 120_000);

  async function signIn(account: Account): Promise<Session> {
    const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
    expect(response.status).toBe(200);
    const { token, csrfToken } = (await response.json()) as { token: string; csrfToken: string };
    const session = { api: ApiClient.withToken(server.url, token), token, csrfToken };
    sessions.set(account.username, session);
    return session;
  }

  /** The console at `hash`, in a fresh browser context holding the user's session cookies. */
  async function open(account: Account, hash: string, options?: BrowserContextOptions): Promise<ConsolePage> {
    const console = await world().open(options);
    const session = sessions.get(account.username)!;
    await console.page.context().addCookies([
      { name: SESSION_COOKIE, value: session.token, url: server.url, httpOnly: true, sameSite: 'Strict' },
      { name: CSRF_COOKIE, value: session.csrfToken, url: server.url, sameSite: 'Strict' },
    ]);
    await console.page.goto(`${server.url}/${hash}`);
    await console.page.reload();
    await expect.poll(() => console.page.getByTestId('user-badge').count()).toBe(1);
    return console;
  }

  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('lets the approver read, reject with a reason and approve, with the count on the heading', async () => {
    const console = await open(APPROVER, '#/approvals');
    const { page } = console;
    const count = page.getByTestId('approvals-pending-count');
    await expect.poll(() => count.getAttribute('data-count')).toBe('2');
    expect(await count.textContent()).toBe('2 bản tin chờ bạn duyệt');
    const items = page.getByTestId('approval-item');
    // The soonest first, with author, time (Vietnam's, though the browser is in Paris) and target.
    expect(await items.locator('.approval-title').allTextContents()).toEqual(['Họp tổ dân phố', 'Tiêm phòng cho gia súc']);
    expect(await items.first().textContent()).toContain(OPERATOR.username);
    expect(await items.first().textContent()).toContain(tomorrow.split('-').reverse().join('/'));
    expect(await items.first().textContent()).toContain('08:00');
    expect(await items.first().textContent()).toContain('Xã Văn Sơn');
    await console.screenshot('approvals');

    await page.locator(`[data-broadcast-id="${ids.rejected}"] [data-testid=approval-open]`).click();
    const detail = page.getByTestId('approval-detail');
    await expect.poll(() => detail.locator('.approval-detail-title').textContent()).toBe('Họp tổ dân phố');
    expect(await page.getByTestId('approval-text').textContent()).toBe('Mời bà con dự họp tổ dân phố lúc bảy giờ tối thứ Sáu.');
    expect(await page.getByTestId('approval-audio').getAttribute('src')).toMatch(/\/audio\/[0-9a-f]{64}\.\w+$/);
    // Rejecting asks for the reason before anything is sent.
    await page.getByTestId('approval-reject').click();
    await page.getByTestId('approval-reject-confirm').click();
    expect(await page.locator('#approval-reason-error').textContent()).toBe('Hãy ghi lý do để người soạn biết cần sửa gì.');
    await page.getByTestId('approval-reason-input').fill(REJECT_REASON);
    await console.screenshot('approval-detail');
    await page.getByTestId('approval-reject-confirm').click();
    await expect.poll(() => page.getByTestId('approval-done').textContent()).toBe('Đã từ chối. Người soạn sẽ thấy lý do.');
    expect(await detail.getAttribute('data-approval')).toBe('rejected');
    expect(await page.getByTestId('approval-decision-panel').count()).toBe(0);

    await page.getByText('‹ Quay lại danh sách').click();
    await expect.poll(() => count.getAttribute('data-count')).toBe('1');
    await page.getByTestId('approval-open').click();
    await page.getByTestId('approval-approve').click();
    await page.getByTestId('approval-note').fill('Nhớ phát lại vào buổi chiều');
    await page.getByTestId('approval-approve-confirm').click();
    await expect.poll(() => page.getByTestId('approval-done').textContent()).toBe('Đã duyệt. Bản tin sẽ được phát theo lịch.');
    expect((await admin.get<{ approvalState: string }>(`/api/broadcasts/${ids.approved}`)).body.approvalState).toBe('approved');

    await page.getByText('‹ Quay lại danh sách').click();
    await expect.poll(() => page.getByTestId('approval-queue-empty').count()).toBe(1);
    expect(await count.getAttribute('data-count')).toBe('0');
  });

  it('shows the operator, on a phone, each outcome with the reason, and answers the district’s offer', async () => {
    const console = await open(OPERATOR, '#/approvals', PHONE);
    const { page } = console;
    const mine = page.getByTestId('approval-mine-item');
    await expect.poll(() => mine.count()).toBe(2);
    const rejected = page.locator(`[data-testid=approval-mine-item][data-broadcast-id="${ids.rejected}"]`);
    expect(await rejected.getAttribute('data-outcome')).toBe('rejected');
    expect(await rejected.getByTestId('approval-outcome').textContent()).toBe('Bị từ chối');
    expect(await rejected.getByTestId('approval-decision').textContent()).toContain(`${APPROVER.username} đã từ chối lúc`);
    expect(await rejected.getByTestId('approval-reason').textContent()).toBe(`Lý do: ${REJECT_REASON}`);
    const approved = page.locator(`[data-testid=approval-mine-item][data-broadcast-id="${ids.approved}"]`);
    expect(await approved.getByTestId('approval-outcome').textContent()).toBe('Đã duyệt');
    expect(await approved.getByTestId('approval-reason').textContent()).toBe('Ghi chú: Nhớ phát lại vào buổi chiều');
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(360);
    await console.screenshot('approvals-phone');

    // The district's bulletin waits in the inbox; the commune plays it an hour later than proposed.
    expect(await page.getByTestId('approvals-offer-count').getAttribute('data-count')).toBe('1');
    await page.getByTestId('approvals-tab-offers').tap();
    const offer = page.getByTestId('offer-item');
    await expect.poll(() => offer.getAttribute('data-state')).toBe('offered');
    expect(await offer.textContent()).toContain('Huyện Lạc Sơn');
    await offer.getByTestId('offer-other-time').tap();
    expect(await offer.getByTestId('offer-time').inputValue()).toBe('10:00');
    await offer.getByTestId('offer-time').fill('11:00');
    await offer.getByTestId('offer-other-confirm').tap();
    await expect.poll(() => offer.getAttribute('data-state')).toBe('accepted');
    expect(await offer.getByTestId('offer-decided').textContent()).toContain(`${OPERATOR.username} đã quyết định lúc`);
    const inbox = await admin.get<{ scheduledBroadcastId: string }[]>('/api/offers');
    const copy = await admin.get<{ startAt: string }>(`/api/broadcasts/${inbox.body[0]!.scheduledBroadcastId}`);
    expect(copy.body.startAt).toBe(atVietnamTime(tomorrow, '11:00'));
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(360);
  });

  it('shows next week’s overlapping broadcasts on their Vietnam day and time with the conflict in words, on a desktop and a phone', async () => {
    const console = await open(TEST_ADMIN, '#/schedule');
    const { page } = console;
    const label = page.getByTestId('calendar-week-label');
    await expect.poll(() => page.getByTestId('calendar-day').count()).toBe(7);
    const thisWeek = await label.textContent();
    expect(await page.getByTestId('calendar-this-week').isDisabled()).toBe(true);
    // The rejected bulletin is on no calendar.
    expect(await page.locator(`[data-broadcast-id="${ids.rejected}"]`).count()).toBe(0);

    await page.getByTestId('calendar-next').click();
    await expect.poll(() => label.textContent()).not.toBe(thisWeek);
    expect(await page.evaluate(() => window.location.hash)).toMatch(/^#\/schedule\?week=\d{4}-\d{2}-\d{2}$/);
    // 04:30 in Vietnam is the evening before in Paris: the entries must sit in the Vietnam day's column.
    const day = page.locator(`[data-testid=calendar-day][data-date="${pairDay}"]`);
    const entries = day.getByTestId('calendar-entry');
    await expect.poll(() => entries.count()).toBe(2);
    for (const id of [ids.pairA, ids.pairB]) {
      const entry = day.locator(`[data-broadcast-id="${id}"]`);
      expect(await entry.getAttribute('data-conflict')).toBe('true');
      expect(await entry.getAttribute('href')).toBe(`#/reports/broadcast/${id}`);
      expect(await entry.locator('.calendar-entry-time').textContent()).toContain('04:30');
    }
    // Side by side, not on top of each other.
    const [boxA, boxB] = await Promise.all([entries.nth(0).boundingBox(), entries.nth(1).boundingBox()]);
    expect(boxA!.y).toBe(boxB!.y);
    expect(Math.abs(boxA!.x - boxB!.x)).toBeGreaterThanOrEqual(boxA!.width - 1);
    const conflicts = page.getByTestId('calendar-conflicts');
    expect(await conflicts.textContent()).toContain('Cùng giờ với “Thu gom rác” trên 2 loa');
    expect(await conflicts.textContent()).toContain('Cùng giờ với “Chợ phiên” trên 2 loa');
    const weekday = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'long', day: '2-digit', month: '2-digit' }).format(new Date(atVietnamTime(pairDay, '12:00')));
    expect(await conflicts.textContent()).toMatch(new RegExp(`${weekday} 04:30–04:3\\d`));

    // The programme files: an empty folder, read again on request.
    await page.getByTestId('calendar-programmes-reload').click();
    await expect.poll(() => page.getByTestId('calendar-programmes-reloaded').count()).toBe(1);
    expect(await page.getByTestId('calendar-programmes-status').textContent()).toContain('Tất cả tệp chương trình đều hợp lệ.');
    await console.screenshot('calendar');

    // On a phone the week becomes a day-by-day list that fits the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await expect.poll(() => page.getByTestId('calendar-agenda').count()).toBe(1);
    const phoneDay = page.locator(`[data-testid=calendar-day][data-date="${pairDay}"]`);
    expect(await phoneDay.getByTestId('calendar-entry').count()).toBe(2);
    expect(await phoneDay.getByTestId('calendar-conflict').first().textContent()).toMatch(/Cùng giờ với “(Thu gom rác|Chợ phiên)” trên 2 loa/);
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(360);
    await console.screenshot('calendar-phone');

    await page.getByTestId('calendar-this-week').click();
    await expect.poll(() => label.textContent()).toBe(thisWeek);
  });
});
