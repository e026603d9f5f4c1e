/**
 * The certificates the agent trusts, for every connection it makes: MQTT over TLS (mqtts://,
 * wss://) and HTTPS (audio downloads, clock sync). One object, so the broker link and the downloads
 * cannot disagree about a private CA, and one code path with or without a CA file.
 *
 * HTTP goes through undici's own `fetch` with an undici Agent: Node's global fetch takes no `ca`
 * option, and handing it a dispatcher from the undici package only works while that package
 * matches the undici bundled in Node (nodejs/undici#2155).
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './downloader.js';

export interface Trust {
  /** For MQTT.js's `ca` option; undefined: Node's built-in roots. */
  readonly ca: readonly string[] | undefined;
  /** A fetch that trusts the same certificates. */
  readonly fetch: FetchLike;
}

/**
 * The system's root certificates plus those in `caFile` (PEM, one or more), or the system's alone.
 * Added to, not instead of, the roots, as NODE_EXTRA_CA_CERTS does: audio behind a public
 * certificate keeps working when the broker's was signed by a private CA.
 */
export function createTrust(caFile: string | undefined): Trust {
  const ca = caFile === undefined ? undefined : [...rootCertificates, readFileSync(caFile, 'utf8')];
  const dispatcher = new Agent({ connect: ca ? { ca } : {} });
  return {
    ca,
    fetch: (url, init) => undiciFetch(url, { signal: init.signal, dispatcher }),
  };
}
