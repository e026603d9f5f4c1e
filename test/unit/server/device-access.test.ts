import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTopics } from '../../../protocol/index.js';
import { generateSecretToken, hashSecretToken, mosquittoPasswordHash, verifySecretToken } from '../../../server/mqtt/credentials.js';
import { mayPublish, maySubscribe } from '../../../server/mqtt/device-access-policy.js';
import { mosquittoAclFile, mosquittoPasswordFile } from '../../../server/mqtt/mosquitto-auth-files.js';

const topics = createTopics('loa');
const access = { deviceId: 'rx-1', areaPath: ['province', 'district', 'commune'] };

describe('device access policy', () => {
  it('lets a device subscribe to its own inbound topics, its areas and the server state', () => {
    for (const topic of ['loa/device/rx-1/command', 'loa/device/rx-1/config', 'loa/device/rx-1/schedule', 'loa/area/district/command', 'loa/server/state']) {
      expect(maySubscribe(topics, access, topic)).toBe(true);
    }
  });

  it('refuses other devices, other areas and wildcards', () => {
    for (const topic of ['loa/device/rx-2/command', 'loa/area/other/command', 'loa/device/+/command', 'loa/#', '#']) {
      expect(maySubscribe(topics, access, topic)).toBe(false);
    }
  });

  it('lets a device publish only its own availability, events and telemetry', () => {
    expect(mayPublish(topics, 'rx-1', 'loa/device/rx-1/event')).toBe(true);
    expect(mayPublish(topics, 'rx-1', 'loa/device/rx-1/availability')).toBe(true);
    expect(mayPublish(topics, 'rx-1', 'loa/device/rx-1/command')).toBe(false);
    expect(mayPublish(topics, 'rx-1', 'loa/device/rx-2/event')).toBe(false);
    expect(mayPublish(topics, 'rx-1', 'loa/area/commune/command')).toBe(false);
  });
});

describe('device credentials', () => {
  it('verifies a token against its hash and nothing else', () => {
    const token = generateSecretToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hash = hashSecretToken(token);
    expect(verifySecretToken(token, hash)).toBe(true);
    expect(verifySecretToken(`${token}x`, hash)).toBe(false);
    expect(verifySecretToken(token, 'abcd')).toBe(false);
  });

  it('writes Mosquitto $7$ PBKDF2-SHA512 hashes that verify with the same derivation', () => {
    const salt = Buffer.from('0123456789ab');
    const line = mosquittoPasswordHash('secret-token', 101, salt);
    const [, scheme, iterations, saltB64, hashB64] = line.split('$');
    expect(scheme).toBe('7');
    expect(Number(iterations)).toBe(101);
    expect(Buffer.from(saltB64!, 'base64')).toEqual(salt);
    expect(Buffer.from(hashB64!, 'base64')).toEqual(pbkdf2Sync('secret-token', salt, 101, 64, 'sha512'));
  });

  it('generates a password file and an ACL from the same policy', () => {
    const devices = [{ ...access, mosquittoHash: '$7$101$c2FsdA==$aGFzaA==' }];
    expect(mosquittoPasswordFile(devices, { username: 'server', mosquittoHash: '$7$1$a$b' })).toBe(
      'server:$7$1$a$b\nrx-1:$7$101$c2FsdA==$aGFzaA==\n',
    );
    const acl = mosquittoAclFile(topics, devices, 'server');
    expect(acl).toContain('user rx-1\ntopic read loa/device/rx-1/config');
    expect(acl).toContain('topic read loa/area/district/command');
    expect(acl).toContain('topic write loa/device/rx-1/event');
    expect(acl).not.toContain('topic write loa/device/rx-1/command');
  });
});
