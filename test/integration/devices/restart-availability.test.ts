/**
 * A receiver connected when the server (and its embedded broker) stopped got no last will: the
 * next start must not go on showing it online. It is offline from the start, in the live state and
 * in the availability history, until it reconnects.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../../helpers/agent-process.js';
import { ApiClient, waitFor } from '../../helpers/api-client.js';
import { embeddedBrokerUrl } from '../../helpers/device-connection.js';
import { registerCommune, startAgents, waitUntilOnline } from '../../helpers/receiver-fleet.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

describe('receivers after a restart of the embedded broker', () => {
  const servers: TestServer[] = [];
  const agents: AgentProcess[] = [];
  let work: Awaited<ReturnType<typeof makeTempDir>> | undefined;

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    for (const server of servers.reverse()) await server.close();
    await work?.remove();
  });

  it('shows a receiver online at the stop as offline after the start, and online again once it reconnects', async () => {
    work = await makeTempDir('cb-restart-availability');
    const first = await startTestServer();
    servers.push(first);
    const api = new ApiClient(first.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const commune = await registerCommune(api, work.path, 1);
    const receiver = commune.receivers[0]!;
    agents.push(...startAgents([receiver], embeddedBrokerUrl(first), first.topics.root));
    await waitUntilOnline(api, [receiver], agents);

    // The server stops while the receiver is connected; then the receiver loses power too.
    await first.stop();
    await agents.pop()!.stop('SIGKILL');

    const second = await startTestServer({ env: { DATA_DIR: first.dataDir } });
    servers.push(second);
    const again = new ApiClient(second.url);
    await again.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const device = async () => (await again.get<{ online: boolean }>(`/api/devices/${receiver.id}`)).body;
    expect((await device()).online).toBe(false);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const report = await again.get<{ receivers: { deviceId: string; availabilityPercent: number | null; onlineMinutes: number; observedMinutes: number }[] }>(
      `/api/reports/areas?from=${today}&to=${today}&areaId=${commune.communeId}`,
    );
    const row = report.body.receivers.find((r) => r.deviceId === receiver.id)!;
    // Online for the minute or so of the test, then offline: the history knows it went offline.
    expect(row.availabilityPercent).toBeLessThan(100);

    agents.push(...startAgents([receiver], embeddedBrokerUrl(second), second.topics.root));
    await waitFor(async () => (await device()).online, { what: 'the receiver online again', timeoutMs: 30_000 });
  }, 120_000);
});
