import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { readTlsCredentials, readTrustedCas } from '../../../server/tls-credentials.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { createSelfSignedCertificate, type TestCertificate } from '../../helpers/tls-certificate.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('TLS configuration', () => {
  let dir: { path: string; remove(): Promise<void> };
  let certificate: TestCertificate;
  let tls: { TLS_CERT_FILE: string; TLS_KEY_FILE: string };

  beforeAll(async () => {
    dir = await makeTempDir('cb-tls-config');
    certificate = await createSelfSignedCertificate(dir.path, 'server');
    tls = { TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile };
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('is off by default: no certificate, no TLS port, plaintext MQTT on 1883', () => {
    const config = loadConfig({});
    expect(config.tls).toBeUndefined();
    expect(config.mqtt).toMatchObject({ mode: 'embedded', port: 1883, tlsPort: null });
  });

  it('with both files: absolute paths, MQTT over TLS on 8883 next to plaintext, or on MQTT_TLS_PORT (0 = any free port)', () => {
    const config = loadConfig(tls);
    expect(config.tls).toEqual({ certFile: path.resolve(certificate.certFile), keyFile: path.resolve(certificate.keyFile) });
    expect(config.mqtt).toMatchObject({ mode: 'embedded', port: 1883, tlsPort: 8883 });
    expect(loadConfig({ ...tls, MQTT_TLS_PORT: '0' }).mqtt).toMatchObject({ tlsPort: 0 });
    expect(Object.isFrozen(config.tls)).toBe(true);
  });

  it('MQTT_PLAINTEXT=false closes the plaintext port, and is refused without a certificate', () => {
    expect(loadConfig({ ...tls, MQTT_PLAINTEXT: 'false' }).mqtt).toMatchObject({ mode: 'embedded', port: null, tlsPort: 8883 });
    const error = configError(() => loadConfig({ MQTT_PLAINTEXT: 'false' }));
    expect(error.issues).toEqual([{ variable: 'MQTT_PLAINTEXT', message: expect.stringContaining('TLS_CERT_FILE') }]);
    expect(configError(() => loadConfig({ MQTT_PLAINTEXT: 'maybe' })).issues[0]?.variable).toBe('MQTT_PLAINTEXT');
  });

  it.each([
    ['TLS_CERT_FILE', 'TLS_KEY_FILE'],
    ['TLS_KEY_FILE', 'TLS_CERT_FILE'],
  ] as const)('names %s when only %s is set', (missing, present) => {
    const error = configError(() => loadConfig({ [present]: tls[present] }));
    expect(error.issues).toEqual([{ variable: missing, message: `is required when ${present} is set` }]);
  });

  it('names the variable of a file that does not exist or is not a file, without reading it out', () => {
    const missing = configError(() => loadConfig({ ...tls, TLS_KEY_FILE: path.join(dir.path, 'nope.pem') }));
    expect(missing.issues).toEqual([{ variable: 'TLS_KEY_FILE', message: expect.stringMatching(/nope\.pem does not exist$/) }]);
    const directory = configError(() => loadConfig({ ...tls, TLS_CERT_FILE: dir.path }));
    expect(directory.issues).toEqual([{ variable: 'TLS_CERT_FILE', message: `${dir.path} is not a file` }]);
    expect(configError(() => loadConfig({ ...tls, MQTT_TLS_PORT: '70000' })).issues[0]?.variable).toBe('MQTT_TLS_PORT');
  });

  it('takes MQTT_CA_FILE for an mqtts:// or wss:// MQTT_URL only', () => {
    const external = loadConfig({ MQTT_URL: 'mqtts://broker.example:8883', MQTT_CA_FILE: certificate.certFile });
    expect(external.mqtt).toMatchObject({ mode: 'external', caFile: path.resolve(certificate.certFile) });
    expect(loadConfig({ MQTT_URL: 'wss://broker.example/mqtt', MQTT_CA_FILE: certificate.certFile }).mqtt).toMatchObject({ mode: 'external' });
    expect(loadConfig({ MQTT_URL: 'mqtts://broker.example:8883' }).mqtt).toMatchObject({ caFile: undefined });
    for (const env of [{ MQTT_CA_FILE: certificate.certFile }, { MQTT_URL: 'mqtt://broker:1883', MQTT_CA_FILE: certificate.certFile }]) {
      expect(configError(() => loadConfig(env)).issues).toEqual([{ variable: 'MQTT_CA_FILE', message: expect.stringContaining('mqtts://') }]);
    }
    const unreadable = configError(() => loadConfig({ MQTT_URL: 'mqtts://b:8883', MQTT_CA_FILE: path.join(dir.path, 'ca.pem') }));
    expect(unreadable.issues[0]).toMatchObject({ variable: 'MQTT_CA_FILE', message: expect.stringContaining('does not exist') });
  });
});

describe('TLS credentials read at start', () => {
  let dir: { path: string; remove(): Promise<void> };
  let certificate: TestCertificate;
  let other: TestCertificate;
  let garbage: string;

  beforeAll(async () => {
    dir = await makeTempDir('cb-tls-credentials');
    certificate = await createSelfSignedCertificate(dir.path, 'server');
    other = await createSelfSignedCertificate(dir.path, 'other');
    garbage = path.join(dir.path, 'garbage.pem');
    await writeFile(garbage, 'not a certificate\n');
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('reads a matching certificate and key', () => {
    const credentials = readTlsCredentials({ certFile: certificate.certFile, keyFile: certificate.keyFile });
    expect(credentials.cert.toString()).toBe(certificate.cert);
    expect(credentials.key.toString()).toBe(certificate.key);
  });

  it('names TLS_CERT_FILE for a file without a certificate and TLS_KEY_FILE for a bad or mismatched key', () => {
    expect(configError(() => readTlsCredentials({ certFile: garbage, keyFile: certificate.keyFile })).issues).toEqual([
      { variable: 'TLS_CERT_FILE', message: 'does not hold a PEM certificate' },
    ]);
    expect(configError(() => readTlsCredentials({ certFile: certificate.certFile, keyFile: garbage })).issues[0]?.variable).toBe('TLS_KEY_FILE');
    const mismatch = configError(() => readTlsCredentials({ certFile: certificate.certFile, keyFile: other.keyFile }));
    expect(mismatch.issues).toEqual([{ variable: 'TLS_KEY_FILE', message: expect.stringContaining('is not the private key of the certificate') }]);
  });

  it('trusts an extra CA besides the system roots, and names the variable of a file without one', () => {
    const cas = readTrustedCas(certificate.certFile, 'MQTT_CA_FILE');
    expect(cas.at(-1)).toBe(certificate.cert);
    expect(cas.length).toBeGreaterThan(100);
    expect(configError(() => readTrustedCas(garbage, 'MQTT_CA_FILE')).issues).toEqual([
      { variable: 'MQTT_CA_FILE', message: 'does not hold a PEM certificate' },
    ]);
  });
});
