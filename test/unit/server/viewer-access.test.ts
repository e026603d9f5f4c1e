import { describe, expect, it } from 'vitest';
import { createTopics } from '../../../protocol/index.js';
import { LiveViewCredentials } from '../../../server/mqtt/live-view-credentials.js';
import { viewerMaySubscribe, type ViewerAccess } from '../../../server/mqtt/viewer-access-policy.js';

const topics = createTopics('loa');
const areaOf = (deviceId: string): string | null => ({ 'rx-east': 'commune-east', 'rx-west': 'commune-west' })[deviceId] ?? null;
const communeViewer: ViewerAccess = { username: 'ui:u1:a', areas: new Set(['commune-east']), expiresAt: Infinity };
const adminViewer: ViewerAccess = { username: 'ui:u0:a', areas: null, expiresAt: Infinity };

describe('viewer access policy', () => {
  it('lets a viewer watch the reports of receivers in its areas, and the server state', () => {
    for (const topic of ['loa/device/rx-east/availability', 'loa/device/rx-east/event', 'loa/device/rx-east/telemetry', 'loa/server/state']) {
      expect(viewerMaySubscribe(topics, communeViewer, topic, areaOf)).toBe(true);
    }
  });

  it('refuses other areas\' receivers, unknown receivers, what the server sends receivers, and wildcards', () => {
    for (const topic of [
      'loa/device/rx-west/telemetry',
      'loa/device/rx-ghost/telemetry',
      'loa/device/rx-east/command',
      'loa/device/rx-east/config',
      'loa/device/rx-east/schedule',
      'loa/area/commune-east/command',
      'loa/device/+/telemetry',
      'loa/device/rx-east/#',
      'loa/#',
      '#',
    ]) {
      expect(viewerMaySubscribe(topics, communeViewer, topic, areaOf)).toBe(false);
    }
  });

  it('allows an unrestricted viewer the report wildcards and nothing broader', () => {
    expect(viewerMaySubscribe(topics, adminViewer, 'loa/device/+/telemetry', areaOf)).toBe(true);
    expect(viewerMaySubscribe(topics, adminViewer, 'loa/device/rx-west/event', areaOf)).toBe(true);
    for (const topic of ['loa/device/+/command', 'loa/device/+/+', 'loa/#', '#', 'loa/area/+/command']) {
      expect(viewerMaySubscribe(topics, adminViewer, topic, areaOf)).toBe(false);
    }
  });
});

describe('live-view credentials', () => {
  it('authenticate with their password until they expire, then never again', () => {
    let now = 1_000_000;
    const credentials = new LiveViewCredentials({ topics, ttlMs: 60_000, now: () => now });
    const issued = credentials.issue('user-1', new Set(['commune-east']));
    expect(issued.username).toMatch(/^ui:user-1:[0-9a-f]{12}$/);
    expect(issued.access.expiresAt).toBe(now + 60_000);
    expect(credentials.authenticate(issued.username, issued.password)?.areas).toEqual(new Set(['commune-east']));
    expect(credentials.authenticate(issued.username, `${issued.password}x`)).toBeNull();
    expect(credentials.authenticate('ui:user-1:000000000000', issued.password)).toBeNull();

    now += 60_000;
    expect(credentials.authenticate(issued.username, issued.password)).toBeNull();
    expect(credentials.accessOf(issued.username)).toBeNull();
  });

  it('issue a distinct user name and password every time', () => {
    const credentials = new LiveViewCredentials({ topics, ttlMs: 60_000 });
    const first = credentials.issue('user-1', null);
    const second = credentials.issue('user-1', null);
    expect(second.username).not.toBe(first.username);
    expect(second.password).not.toBe(first.password);
    expect(credentials.authenticate(first.username, second.password)).toBeNull();
  });

  it('list the exact report topics of the receivers in scope, or the wildcards for every area', () => {
    const credentials = new LiveViewCredentials({ topics, ttlMs: 60_000 });
    expect(credentials.topicsFor(new Set(['commune-east']), ['rx-east'])).toEqual([
      'loa/server/state',
      'loa/device/rx-east/availability',
      'loa/device/rx-east/event',
      'loa/device/rx-east/telemetry',
    ]);
    expect(credentials.topicsFor(null, [])).toEqual([
      'loa/server/state',
      'loa/device/+/availability',
      'loa/device/+/event',
      'loa/device/+/telemetry',
    ]);
  });
});
