/**
 * Who may connect to the embedded broker and what each session may touch: receivers (id + token,
 * device-access-policy.ts) and the console's live view (short-lived read-only credential,
 * viewer-access-policy.ts). Anything else, anonymous clients included, is refused.
 */
import { isValidTopicSegment, type Topics } from '../../protocol/index.js';
import { mayPublish, maySubscribe, type DeviceAccess } from './device-access-policy.js';
import { isViewerClientId } from './live-view-credentials.js';
import { viewerMaySubscribe, type ViewerAccess } from './viewer-access-policy.js';

export interface DeviceAuthenticator {
  /** The device's access rights if `token` is its current token, otherwise null. */
  authenticate(deviceId: string, token: string): DeviceAccess | null;
  /** Current rights of a connected device (its area may have changed since it connected); null once revoked or removed. */
  accessOf(deviceId: string): DeviceAccess | null;
  /** The area a registered receiver hangs in (revoked or not), null when unknown. */
  areaOf(deviceId: string): string | null;
}

export interface ViewerAuthenticator {
  authenticate(username: string, password: string): ViewerAccess | null;
  /** Null once the credential has expired. */
  accessOf(username: string): ViewerAccess | null;
}

export type ClientKind = 'device' | 'viewer';

export class BrokerAccessControl {
  constructor(
    private readonly topics: Topics,
    private readonly devices: DeviceAuthenticator,
    /** Absent: no live-view credentials are issued, so none is accepted. */
    private readonly viewers: ViewerAuthenticator | undefined,
  ) {}

  /**
   * The session a CONNECT opens, or null to refuse it. The client id must be the username, so one
   * credential can never take over (and so silence) another one's session.
   */
  admit(clientId: string, username: string | undefined, password: string | undefined): ClientKind | null {
    if (!username || !password || clientId !== username) return null;
    if (isViewerClientId(username)) return this.viewers?.authenticate(username, password) ? 'viewer' : null;
    return this.devices.authenticate(username, password) ? 'device' : null;
  }

  /**
   * A device publishes only its own reports. Its last will goes through here too, which is why a
   * session whose credential was just withdrawn may still publish its `offline` availability.
   */
  mayPublish(clientId: string, topic: string): boolean {
    if (isViewerClientId(clientId) || !isValidTopicSegment(clientId)) return false;
    return mayPublish(this.topics, clientId, topic);
  }

  maySubscribe(clientId: string, topicFilter: string): boolean {
    if (isViewerClientId(clientId)) {
      const viewer = this.viewers?.accessOf(clientId);
      return viewer ? viewerMaySubscribe(this.topics, viewer, topicFilter, (deviceId) => this.devices.areaOf(deviceId)) : false;
    }
    const access = this.devices.accessOf(clientId);
    return access !== null && maySubscribe(this.topics, access, topicFilter);
  }

  /**
   * Whether a message matched by an existing subscription may be delivered. A persistent session
   * keeps its subscriptions when its receiver moves to another area, so an area command reaches a
   * device only while that area is on its current path.
   */
  mayReceive(clientId: string, topic: string): boolean {
    if (isViewerClientId(clientId)) return true;
    const parsed = this.topics.parse(topic);
    if (parsed?.kind !== 'areaCommand') return true;
    return this.devices.accessOf(clientId)?.areaPath.includes(parsed.areaId) ?? false;
  }

  /** When a viewer's session must end (its credential's expiry); undefined for a device, null if already expired. */
  sessionExpiry(clientId: string): number | null | undefined {
    if (!isViewerClientId(clientId)) return undefined;
    return this.viewers?.accessOf(clientId)?.expiresAt ?? null;
  }
}
