import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CACHE_MAX_BYTES, parseAgentConfig } from '../../../device-agent/config.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { createSelfSignedCertificate, type TestCertificate } from '../../helpers/tls-certificate.js';

const baseEnv = {
  AGENT_BROKER_URL: 'mqtt://broker.local:1883',
  AGENT_DEVICE_ID: 'loa-0001',
  AGENT_TOKEN: 'secret-token',
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('agent config', () => {
  it('reads the environment and fills defaults', () => {
    const config = parseAgentConfig([], baseEnv);
    expect(config).toMatchObject({
      brokerUrl: 'mqtt://broker.local:1883',
      deviceId: 'loa-0001',
      token: 'secret-token',
      player: { kind: 'auto' },
      topicRoot: 'loa',
      cacheMaxBytes: DEFAULT_CACHE_MAX_BYTES,
      logLevel: 'info',
      serverUrl: undefined,
      clockSkewMs: 0,
    });
    expect(config.dataDir).toBe(path.resolve('./data/agent'));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets flags override environment variables, in both --flag value and --flag=value forms', () => {
    const config = parseAgentConfig(
      ['--device-id', 'loa-0002', '--broker-url=ws://server:8080/mqtt', '--player', 'file:/tmp/plays.jsonl', '--cache-max-bytes', '2GB'],
      { ...baseEnv, AGENT_PLAYER: 'ffplay', AGENT_CACHE_MAX_BYTES: '10MB', AGENT_LOG_LEVEL: 'debug' },
    );
    expect(config.deviceId).toBe('loa-0002');
    expect(config.brokerUrl).toBe('ws://server:8080/mqtt');
    expect(config.player).toEqual({ kind: 'file', path: '/tmp/plays.jsonl' });
    expect(config.cacheMaxBytes).toBe(2 * 1024 ** 3);
    expect(config.logLevel).toBe('debug'); // from env, no flag given
    expect(config.token).toBe('secret-token');
  });

  it('parses player specs and sizes', () => {
    expect(parseAgentConfig(['--player', 'aplay:hw:1,0'], baseEnv).player).toEqual({ kind: 'aplay', device: 'hw:1,0' });
    expect(parseAgentConfig(['--player', 'aplay'], baseEnv).player).toEqual({ kind: 'aplay', device: undefined });
    expect(parseAgentConfig([], { ...baseEnv, AGENT_CACHE_MAX_BYTES: '524288000' }).cacheMaxBytes).toBe(524_288_000);
    expect(parseAgentConfig([], { ...baseEnv, AGENT_SERVER_URL: 'http://server:8080/' }).serverUrl).toBe('http://server:8080');
  });

  it('reads the simulated clock skew from --clock-skew-ms or AGENT_CLOCK_SKEW_MS, negative too, and rejects a bad one', () => {
    expect(parseAgentConfig(['--clock-skew-ms', '400'], baseEnv).clockSkewMs).toBe(400);
    expect(parseAgentConfig(['--clock-skew-ms', '-250'], baseEnv).clockSkewMs).toBe(-250);
    expect(parseAgentConfig(['--clock-skew-ms=-7'], { ...baseEnv, AGENT_CLOCK_SKEW_MS: '9' }).clockSkewMs).toBe(-7);
    expect(parseAgentConfig([], { ...baseEnv, AGENT_CLOCK_SKEW_MS: '+1500' }).clockSkewMs).toBe(1_500);
    for (const bad of ['1.5', 'fast', '86400001']) {
      expect(configError(() => parseAgentConfig([], { ...baseEnv, AGENT_CLOCK_SKEW_MS: bad })).issues[0]!.variable).toBe('AGENT_CLOCK_SKEW_MS');
    }
    expect(configError(() => parseAgentConfig(['--clock-skew-ms', '2s'], baseEnv)).issues[0]!.variable).toBe('--clock-skew-ms');
  });

  it('names the environment variable of a bad value, without echoing the value', () => {
    const error = configError(() => parseAgentConfig([], { ...baseEnv, AGENT_BROKER_URL: 'http://broker' }));
    expect(error.message).toContain('AGENT_BROKER_URL');
    expect(error.issues.map((i) => i.variable)).toEqual(['AGENT_BROKER_URL']);
    const size = configError(() => parseAgentConfig([], { ...baseEnv, AGENT_CACHE_MAX_BYTES: 'lots' }));
    expect(size.issues[0]!.variable).toBe('AGENT_CACHE_MAX_BYTES');
  });

  it('names the flag when the bad value came from a flag', () => {
    const error = configError(() => parseAgentConfig(['--player', 'speaker'], baseEnv));
    expect(error.issues).toEqual([{ variable: '--player', message: expect.stringContaining('file:<path>') }]);
    const id = configError(() => parseAgentConfig(['--device-id', 'loa/#'], baseEnv));
    expect(id.issues[0]!.variable).toBe('--device-id');
  });

  it('names both spellings of a missing required setting', () => {
    const error = configError(() => parseAgentConfig([], { AGENT_BROKER_URL: 'mqtt://b:1883', AGENT_DEVICE_ID: 'd1' }));
    expect(error.issues).toEqual([{ variable: 'AGENT_TOKEN (or --token)', message: 'is required' }]);
  });

  it('rejects unknown flags and flags without a value', () => {
    expect(configError(() => parseAgentConfig(['--brokerurl', 'x'], baseEnv)).issues[0]!.variable).toBe('--brokerurl');
    expect(configError(() => parseAgentConfig(['--token'], baseEnv)).issues[0]).toEqual({ variable: '--token', message: 'needs a value' });
  });

  it('never puts the token into an error message', () => {
    const error = configError(() => parseAgentConfig(['--token', ''], { ...baseEnv, AGENT_LOG_LEVEL: 'loud' }));
    expect(error.message).not.toContain('secret-token');
    expect(error.issues.map((i) => i.variable).sort()).toEqual(['--token', 'AGENT_LOG_LEVEL']);
  });
});

describe('agent config: a CA to trust for mqtts://, wss:// and https://', () => {
  let dir: { path: string; remove(): Promise<void> };
  let certificate: TestCertificate;
  let garbage: string;

  beforeAll(async () => {
    dir = await makeTempDir('cb-agent-ca');
    certificate = await createSelfSignedCertificate(dir.path);
    garbage = path.join(dir.path, 'garbage.pem');
    await writeFile(garbage, 'not a certificate\n');
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('is unset by default and read from --ca-file or AGENT_CA_FILE as an absolute path', () => {
    const tlsEnv = { ...baseEnv, AGENT_BROKER_URL: 'mqtts://server.example:8883' };
    expect(parseAgentConfig([], tlsEnv)).toMatchObject({ brokerUrl: 'mqtts://server.example:8883', caFile: undefined });
    const relative = path.relative(process.cwd(), certificate.certFile);
    expect(parseAgentConfig(['--ca-file', relative], tlsEnv).caFile).toBe(certificate.certFile);
    expect(parseAgentConfig([], { ...tlsEnv, AGENT_CA_FILE: certificate.certFile }).caFile).toBe(certificate.certFile);
  });

  it('names the flag or variable of a CA file that is missing or holds no certificate', () => {
    const missing = configError(() => parseAgentConfig(['--ca-file', path.join(dir.path, 'nope.pem')], baseEnv));
    expect(missing.issues).toEqual([{ variable: '--ca-file', message: expect.stringMatching(/^cannot be read: .*nope\.pem \(ENOENT\)$/) }]);
    const notPem = configError(() => parseAgentConfig([], { ...baseEnv, AGENT_CA_FILE: garbage }));
    expect(notPem.issues).toEqual([{ variable: 'AGENT_CA_FILE', message: `must be a PEM certificate file: ${garbage}` }]);
  });
});
