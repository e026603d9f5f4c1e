/**
 * A throwaway certificate for TLS tests, made in-process (no openssl CLI): self-signed, so it is its
 * own CA, valid for localhost and 127.0.0.1 (the test server's local URL, which receivers are given).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { Agent } from 'undici';

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

export async function createSelfSignedCertificate(dir: string, name = 'server'): Promise<TestCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const certFile = path.join(dir, `${name}.crt.pem`);
  const keyFile = path.join(dir, `${name}.key.pem`);
  await writeFile(certFile, pems.cert);
  await writeFile(keyFile, pems.private, { mode: 0o600 });
  return { certFile, keyFile, cert: pems.cert, key: pems.private };
}

/**
 * Node's global fetch trusting `ca` only, for the test's API client. (The agent itself uses
 * undici's own fetch, see device-agent/tls-trust.ts; this one only has to work on the Node running the tests.)
 */
export function fetchTrusting(ca: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  return (input, init) => {
    const withDispatcher: RequestInit & { dispatcher: Agent } = { ...init, dispatcher };
    return fetch(input, withDispatcher);
  };
}
