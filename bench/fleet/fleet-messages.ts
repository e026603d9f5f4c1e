/** What the fleet's parent and its worker processes say to each other over the IPC channel. */
import type { PlayRecord } from './receiver-observer.js';

export interface ReceiverCredential {
  readonly id: string;
  readonly token: string;
}

export interface WorkerSettings {
  readonly brokerUrl: string;
  readonly serverUrl: string;
  readonly topicRoot: string;
  /** Each receiver keeps its state, cache and outbox in a folder of its own under here. */
  readonly dataDir: string;
  /** Receivers started per second (a real fleet does not reconnect all at once either). */
  readonly startPerSecond: number;
  /** `own`: every receiver syncs its clock with the server, as a real one does; `shared`: one clock per process. */
  readonly clock: 'own' | 'shared';
  readonly logLevel: string;
}

/** One receiver's record of a broadcast, plus when its timer for `startAt` fired (this host's clock). */
export interface ReceiverPlay extends PlayRecord {
  readonly deviceId: string;
  readonly startTimerFiredAt?: number;
}

export interface WorkerStatus {
  readonly started: number;
  readonly connected: number;
  readonly eventsPublished: number;
  /** Receivers whose clock has been synced with the server. */
  readonly clocksSynced: number;
  readonly rssBytes: number;
}

export type ToWorker =
  | { readonly type: 'add'; readonly settings: WorkerSettings; readonly receivers: readonly ReceiverCredential[] }
  | { readonly type: 'collect'; readonly requestId: number; readonly broadcastId: string; readonly startAt?: number }
  | { readonly type: 'status'; readonly requestId: number }
  | { readonly type: 'resync'; readonly requestId: number; readonly perSecond: number }
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'collected'; readonly requestId: number; readonly plays: readonly ReceiverPlay[] }
  | { readonly type: 'status'; readonly requestId: number; readonly status: WorkerStatus }
  | { readonly type: 'resynced'; readonly requestId: number }
  | { readonly type: 'stopped' }
  | { readonly type: 'error'; readonly message: string };
