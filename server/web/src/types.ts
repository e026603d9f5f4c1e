/** What the API returns, as the console reads it (dates arrive as ISO strings). */

export type Role = 'admin' | 'approver' | 'operator' | 'viewer';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly areaId: string | null;
}

export type AreaKind = 'province' | 'district' | 'commune' | 'hamlet';

export interface AreaNode {
  readonly id: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly code: string | null;
  readonly parentId: string | null;
  readonly deviceCount: number;
  readonly emergencyVolume: number | null;
  readonly operatorsMaySendEmergency: boolean;
  readonly children: AreaNode[];
}

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly areaId: string;
  readonly online: boolean;
  readonly lastSeenAt: string | null;
  readonly volume: number;
  readonly playing: string | null;
  readonly playingTitle: string | null;
  readonly agentVersion: string | null;
  readonly clockOffsetMs: number | null;
  readonly revokedAt: string | null;
}

export interface LastPlay {
  readonly broadcastId: string;
  readonly title: string | null;
  readonly outcome: 'played' | 'interrupted' | 'failed';
  readonly at: string;
  readonly reason: string | null;
}

export interface CalendarEntry {
  readonly broadcastId: string;
  readonly occurrenceId: string | null;
  readonly title: string;
  readonly priority: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly repeatIndex: number;
  readonly state: string;
  readonly approvalState: string;
  readonly deviceCount: number;
  readonly conflicts: readonly unknown[];
}
