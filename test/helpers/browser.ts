/**
 * The officials' console in the machine's Chromium, driven by playwright-core. Every page opened
 * records console errors and uncaught exceptions, which a test asserts are none; screenshots go to
 * test/e2e/screenshots (git-ignored, kept by CI as artefacts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = fileURLToPath(new URL('../e2e/screenshots', import.meta.url));

/** `extraArgs`: more Chromium switches, e.g. a fake microphone (`--use-fake-device-for-media-stream`). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', ...extraArgs] });
}

export interface ConsolePage {
  readonly page: Page;
  /** Console errors and uncaught exceptions seen so far, less those a test said to expect. */
  readonly errors: string[];
  /**
   * The browser logs every 4xx answer as a console error; a test that provokes one on purpose
   * (a wrong password) names it here, once per expected occurrence.
   */
  expectError(pattern: RegExp): void;
  signIn(username: string, password: string): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh browser context (no cookies) on the console. The browser's own zone is deliberately not
 * Vietnam's: the console must show Vietnam time whatever the office PC is set to.
 */
export async function openConsole(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    timezoneId: 'Europe/Paris',
    locale: 'vi-VN',
    ...options,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const expected: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `console: ${message.text()} (${message.location().url})`;
    const index = expected.findIndex((pattern) => pattern.test(text));
    if (index >= 0) expected.splice(index, 1);
    else errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  await page.goto(`${baseUrl}/`);
  return {
    page,
    errors,
    expectError: (pattern) => expected.push(pattern),
    async signIn(username, password) {
      await page.getByLabel(/Tên đăng nhập|Username/).fill(username);
      await page.getByLabel(/Mật khẩu|Password/).fill(password);
      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.getByTestId('user-badge').count().catch(() => 0), { timeout: 10_000 }).toBeGreaterThan(0);
    },
    async screenshot(name) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      // A full-page capture of a scrolled page draws the sticky header where the scroll left it.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    close: () => context.close(),
  };
}
