/**
 * Reads the PEM files the configuration names and checks them before anything listens, so a wrong
 * file stops start-up with a ConfigError naming its variable instead of an OpenSSL message from
 * deep inside `listen()` or, worse, a handshake failure on the first receiver.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ConfigError, type TlsFiles } from './config.js';

export interface TlsCredentials {
  readonly key: Buffer;
  /** The certificate, followed by any intermediates, as the file had them. */
  readonly cert: Buffer;
}

/** The server's certificate and key; throws ConfigError (TLS_CERT_FILE / TLS_KEY_FILE) if they are not a matching pair. */
export function readTlsCredentials(files: TlsFiles): TlsCredentials {
  const cert = readFileSync(files.certFile);
  const key = readFileSync(files.keyFile);
  const certificate = parseCertificate(cert, 'TLS_CERT_FILE');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError([{ variable: 'TLS_KEY_FILE', message: `${files.keyFile} is not an unencrypted PEM private key` }]);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError([{ variable: 'TLS_KEY_FILE', message: `${files.keyFile} is not the private key of the certificate in TLS_CERT_FILE` }]);
  }
  return { key, cert };
}

/**
 * The system's root certificates plus those in `file` (PEM, one or more), for a peer whose
 * certificate a private CA signed. Added to, not instead of, the system's roots, as
 * NODE_EXTRA_CA_CERTS does: trusting a private CA must not break a public one.
 */
export function readTrustedCas(file: string, variable: string): string[] {
  const pem = readFileSync(file, 'utf8');
  parseCertificate(Buffer.from(pem), variable);
  return [...rootCertificates, pem];
}

function parseCertificate(pem: Buffer, variable: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ConfigError([{ variable, message: 'does not hold a PEM certificate' }]);
  }
}
