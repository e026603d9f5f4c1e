/**
 * An emergency from the console in a real Chromium, to real agent processes: a template whose
 * blanks hold the send button back until filled, the two-step confirmation (Cancel keeps the
 * form), and the live board filling as the receivers report, then stopping a second emergency.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../helpers/api-client.js';
import type { ConsolePage } from '../../helpers/browser.js';
import { consoleWorld } from '../../helpers/console-world.js';
import { registerCommune, type Commune } from '../../helpers/receiver-fleet.js';
import { TEST_ADMIN } from '../../helpers/test-server.js';

const RECEIVERS = 3;
const MESSAGE = 'Khẩn cấp! Nước suối Bưa đang lên nhanh, bà con xóm Bưa khẩn trương sơ tán lên nhà văn hoá xã.';

describe('emergency from the console in Chromium', () => {
  const world = consoleWorld();
  let api: ApiClient;
  let commune: Commune;

  beforeAll(async () => {
    api = world().api;
    commune = await registerCommune(api, world().workDir, RECEIVERS, 'Xã Văn Sơn');
    await world().startAgents(commune.receivers);
  }, 120_000);

  async function signedIn(): Promise<ConsolePage> {
    const console = await world().open();
    await console.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    await console.page.getByTestId('emergency-button').click();
    await expect.poll(() => console.page.getByTestId('emergency-send').isVisible()).toBe(true);
    return console;
  }

  async function chooseCommune(console: ConsolePage): Promise<void> {
    const { page } = console;
    await page.getByTestId('emergency-target-areas').check();
    await page.getByTestId(`emergency-area-${commune.communeId}`).check();
    await expect.poll(() => page.getByTestId('emergency-reach').textContent()).toContain(String(RECEIVERS));
  }

  it('holds a template back until its blanks are filled, confirms in two steps, and fills the live board as receivers play', async () => {
    const console = await signedIn();
    const { page } = console;

    await page.getByTestId('emergency-template-flood').click();
    const text = page.getByTestId('emergency-text');
    expect(await text.inputValue()).toContain('[nơi sơ tán]');
    expect(await page.getByTestId('emergency-send').isDisabled()).toBe(true);
    expect(await page.getByTestId('emergency-blocked').textContent()).toContain('[nơi sơ tán]');
    // A blank filled once is filled everywhere it stands.
    const shelter = page.locator('[data-testid="emergency-blank"][data-blank="[nơi sơ tán]"]');
    await shelter.locator('input').fill('nhà văn hoá xã');
    await shelter.locator('button').click();
    expect(await text.inputValue()).not.toContain('[nơi sơ tán]');
    expect(await text.inputValue()).toContain('nhà văn hoá xã');
    await console.screenshot('emergency-form');

    // The spoken message is kept short so the test waits for seconds, not a minute of speech.
    await page.getByTestId('emergency-template-free').click();
    await text.fill(MESSAGE);
    await page.getByTestId('emergency-signal').selectOption('chime');
    await page.getByTestId('emergency-repeat').fill('1');
    await chooseCommune(console);

    await page.getByTestId('emergency-send').click();
    const confirmStep = page.getByTestId('emergency-confirm-step');
    await expect.poll(() => confirmStep.isVisible()).toBe(true);
    expect(await page.getByTestId('emergency-confirm-areas').textContent()).toBe('Xã Văn Sơn');
    expect(await page.getByTestId('emergency-confirm-receivers').textContent()).toBe(`${RECEIVERS} loa`);
    expect(await page.getByTestId('emergency-confirm-message').textContent()).toContain('Khẩn cấp! Nước suối Bưa');
    await console.screenshot('emergency-confirm');

    // Cancel sends nothing and gives the form back as it was.
    await page.getByTestId('emergency-cancel').click();
    expect(await text.inputValue()).toBe(MESSAGE);
    expect((await api.get<unknown[]>('/api/emergency')).body).toEqual([]);

    await page.getByTestId('emergency-send').click();
    const requestedAt = Date.now();
    await page.getByTestId('emergency-confirm').click();
    const board = page.getByTestId('emergency-board');
    await expect.poll(() => board.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => window.location.hash)).toMatch(/^#\/emergency\/.+/);
    await expect.poll(() => page.getByTestId('board-live').getAttribute('data-connected')).toBe('true');
    expect(await page.getByTestId('board-counts').getAttribute('data-total')).toBe(String(RECEIVERS));

    // Each receiver's row passes through playing to played as its reports arrive, without a reload.
    const rows = page.getByTestId('board-row');
    await expect.poll(() => rows.count()).toBe(RECEIVERS);
    const statesSeen = new Set<string>();
    await expect
      .poll(
        async () => {
          for (const state of await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-state') ?? ''))) statesSeen.add(state);
          return page.locator('[data-testid="board-counts"] [data-state="played"]').getAttribute('data-count');
        },
        { timeout: 45_000, interval: 100 },
      )
      .toBe(String(RECEIVERS));
    expect(statesSeen).toContain('playing');
    for (const receiver of commune.receivers) {
      expect(await page.locator(`[data-testid="board-row"][data-device-id="${receiver.id}"]`).getAttribute('data-state')).toBe('played');
    }
    const [emergency] = (await api.get<{ id: string; createdAt: string }[]>('/api/emergency')).body;
    expect(new Date(emergency!.createdAt).getTime()).toBeGreaterThanOrEqual(requestedAt - 1_000);
    await console.screenshot('emergency-board');
  });

  it('stops an emergency from its board: every receiver ends stopped', async () => {
    const console = await signedIn();
    const { page } = console;
    await page.getByTestId('emergency-template-free').click();
    await page.getByTestId('emergency-text').fill(MESSAGE);
    await page.getByTestId('emergency-signal').selectOption('chime');
    // Repeated often enough that it is still on air when Stop is pressed.
    await page.getByTestId('emergency-repeat').fill('10');
    await chooseCommune(console);
    await page.getByTestId('emergency-send').click();
    await page.getByTestId('emergency-confirm').click();
    await expect.poll(() => page.locator('[data-testid="board-counts"] [data-state="playing"]').getAttribute('data-count'), { timeout: 30_000 }).toBe(String(RECEIVERS));

    await page.getByTestId('emergency-stop').click();
    await page.getByTestId('emergency-stop-confirm').click();
    await expect.poll(() => page.getByTestId('emergency-board').getAttribute('data-emergency-state'), { timeout: 15_000 }).toBe('stopped');
    await expect
      .poll(() => page.locator('[data-testid="board-counts"] [data-state="stopped"]').getAttribute('data-count'), { timeout: 15_000 })
      .toBe(String(RECEIVERS));
  });
});
