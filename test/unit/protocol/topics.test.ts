import { describe, expect, it } from 'vitest';
import { createTopics, topicMatches } from '../../../protocol/index.js';

describe('topics', () => {
  const topics = createTopics('loa');

  it('builds device, area and server topics under the root', () => {
    expect(topics.device('rx-01', 'command')).toBe('loa/device/rx-01/command');
    expect(topics.areaCommand('a-1')).toBe('loa/area/a-1/command');
    expect(topics.serverState()).toBe('loa/server/state');
    expect(topics.allDevices('event')).toBe('loa/device/+/event');
  });

  it('parses what it builds and rejects everything else', () => {
    expect(topics.parse('loa/device/rx-01/event')).toEqual({ kind: 'device', deviceId: 'rx-01', channel: 'event' });
    expect(topics.parse('loa/area/a-1/command')).toEqual({ kind: 'areaCommand', areaId: 'a-1' });
    expect(topics.parse('loa/server/state')).toEqual({ kind: 'serverState' });
    expect(topics.parse('loa/device/rx-01/unknown')).toBeNull();
    expect(topics.parse('other/device/rx-01/event')).toBeNull();
    expect(topics.parse('loa/device/rx-01/event/extra')).toBeNull();
  });

  it('supports a multi-level root', () => {
    const nested = createTopics('hoabinh/loa');
    expect(nested.parse(nested.device('rx-9', 'telemetry'))).toEqual({ kind: 'device', deviceId: 'rx-9', channel: 'telemetry' });
  });

  it('refuses ids that would break the topic tree', () => {
    expect(() => topics.device('rx/+', 'command')).toThrow(/cannot be used in an MQTT topic/);
    expect(() => topics.areaCommand('#')).toThrow();
    expect(() => createTopics('loa/#')).toThrow();
  });

  it('matches MQTT wildcards', () => {
    expect(topicMatches('loa/device/+/event', 'loa/device/rx-1/event')).toBe(true);
    expect(topicMatches('loa/device/+/event', 'loa/device/rx-1/telemetry')).toBe(false);
    expect(topicMatches('loa/#', 'loa/device/rx-1/event')).toBe(true);
    expect(topicMatches('loa/device/+', 'loa/device/rx-1/event')).toBe(false);
    expect(topicMatches('loa/server/state', 'loa/server/state')).toBe(true);
  });
});
