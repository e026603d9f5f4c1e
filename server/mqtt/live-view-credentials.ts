/**
 * Short-lived, read-only broker credentials for the console's live view. Held in memory (only
 * their hash): a credential is valid on the embedded broker of the instance that issued it, which
 * is the broker its `url` points to, and a restart simply makes the console ask again.
 */
import { randomBytes } from 'node:crypto';
import type { Topics } from '../../protocol/index.js';
import { generateSecretToken, hashSecretToken, verifySecretToken } from './credentials.js';
import { viewerTopics, type ViewerAccess } from './viewer-access-policy.js';

/** Long enough for a working session, short enough that a leaked credential soon stops working. */
export const LIVE_VIEW_CREDENTIAL_TTL_MS = 15 * 60 * 1000;

/** Live-view usernames and client ids start with this; device ids never contain `:`. */
export const VIEWER_PREFIX = 'ui:';

export function isViewerClientId(clientId: string): boolean {
  return clientId.startsWith(VIEWER_PREFIX);
}

export interface IssuedViewerCredential {
  /** Also the MQTT client id the console must connect with. */
  readonly username: string;
  /** Shown once; only its hash is kept. */
  readonly password: string;
  readonly access: ViewerAccess;
}

export interface LiveViewCredentialsOptions {
  readonly topics: Topics;
  readonly ttlMs: number;
  readonly now?: () => number;
}

export class LiveViewCredentials {
  private readonly issued = new Map<string, { readonly secretHash: string; readonly access: ViewerAccess }>();

  constructor(private readonly options: LiveViewCredentialsOptions) {}

  /** `areas`: the user's scope, null for every area. */
  issue(userId: string, areas: ReadonlySet<string> | null): IssuedViewerCredential {
    this.forgetExpired();
    const username = `${VIEWER_PREFIX}${userId}:${randomBytes(6).toString('hex')}`;
    const password = generateSecretToken();
    const access: ViewerAccess = { username, areas, expiresAt: this.now() + this.options.ttlMs };
    this.issued.set(username, { secretHash: hashSecretToken(password), access });
    return { username, password, access };
  }

  /** The topic filters a credential for `areas` may subscribe to, given the receivers now in those areas. */
  topicsFor(areas: ReadonlySet<string> | null, deviceIdsInScope: readonly string[]): string[] {
    return viewerTopics(this.options.topics, areas, deviceIdsInScope);
  }

  authenticate(username: string, password: string): ViewerAccess | null {
    const entry = this.issued.get(username);
    if (!entry || !verifySecretToken(password, entry.secretHash)) return null;
    return this.accessOf(username);
  }

  /** The viewer's rights, or null once its credential has expired. */
  accessOf(username: string): ViewerAccess | null {
    const entry = this.issued.get(username);
    if (!entry) return null;
    if (entry.access.expiresAt <= this.now()) {
      this.issued.delete(username);
      return null;
    }
    return entry.access;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [username, entry] of this.issued) if (entry.access.expiresAt <= now) this.issued.delete(username);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
