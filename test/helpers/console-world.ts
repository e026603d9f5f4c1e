/**
 * What every browser test of the console stands on: the real server, an API client signed in as
 * the administrator, Chromium, and a folder for receivers' data; pages opened through it are
 * checked for console errors after each test, and everything is stopped after the file. A file
 * calls consoleWorld() at its top level, adds its own beforeAll for its areas and receivers, and
 * reads the world inside its hooks and tests.
 */
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { AgentProcess } from './agent-process.js';
import { ApiClient } from './api-client.js';
import { launchBrowser, openConsole, type ConsolePage } from './browser.js';
import { embeddedBrokerUrl } from './device-connection.js';
import { startAgents, waitUntilOnline, type Receiver } from './receiver-fleet.js';
import { makeTempDir } from './temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from './test-server.js';

export interface ConsoleWorld {
  readonly server: TestServer;
  /** Signed in as the test administrator. */
  readonly api: ApiClient;
  readonly browser: Browser;
  /** Where receivers keep their state and play logs. */
  readonly workDir: string;
  /** Starts the receivers' agents against the server and waits until all are online; they are stopped after the file. */
  startAgents(receivers: readonly Receiver[]): Promise<AgentProcess[]>;
  /** A fresh browser context on the console (see openConsole); its console errors fail the test. */
  open(options?: BrowserContextOptions): Promise<ConsolePage>;
}

export interface ConsoleWorldOptions {
  /** Server variables beyond the test defaults. */
  readonly serverEnv?: Record<string, string>;
  /** Extra Chromium flags (a fake microphone, say). */
  readonly browserArgs?: readonly string[];
}

const SETUP_TIMEOUT_MS = 120_000;

export function consoleWorld(options: ConsoleWorldOptions = {}): () => ConsoleWorld {
  let world: ConsoleWorld | undefined;
  const agents: AgentProcess[] = [];
  const pages: ConsolePage[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const [server, browser, work] = await Promise.all([startTestServer({ env: options.serverEnv }), launchBrowser([...(options.browserArgs ?? [])]), makeTempDir('cb-console')]);
    cleanups.push(() => server.close(), () => browser.close(), () => work.remove());
    const api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    world = {
      server,
      api,
      browser,
      workDir: work.path,
      async startAgents(receivers) {
        const started = startAgents(receivers, embeddedBrokerUrl(server), server.topics.root);
        agents.push(...started);
        await waitUntilOnline(api, receivers, started);
        return started;
      },
      async open(contextOptions) {
        const page = await openConsole(browser, server.url, contextOptions);
        pages.push(page);
        return page;
      },
    };
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    for (const page of pages.splice(0)) {
      expect(page.errors).toEqual([]);
      await page.close();
    }
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  return () => {
    if (!world) throw new Error('the console world is read in a hook or test, after its beforeAll ran');
    return world;
  };
}
