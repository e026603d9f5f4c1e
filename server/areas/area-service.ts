/**
 * The administrative tree (province → district → commune → hamlet). Trees are small (a province
 * has a few thousand areas), so subtree and path queries are answered from one read of the table.
 */
import { AppError, notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { Prisma } from '../db/generated/client.js';
import type { AreaKind } from '../db/generated/enums.js';
import type { QuietHours } from '../scheduling/recurrence-spec.js';
import { newId } from '../ids.js';

export const AREA_KINDS = ['province', 'district', 'commune', 'hamlet'] as const satisfies readonly AreaKind[];

export interface AreaRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly code: string | null;
  readonly parentId: string | null;
  readonly quietHours: QuietHours | null;
  readonly operatorsMaySendEmergency: boolean;
  /** Volume receivers here play emergencies at; null: the parent's (100 at the top). */
  readonly emergencyVolume: number | null;
  /** CAP alerts with status Test or Exercise may play here, and only here. */
  readonly isTestArea: boolean;
  /** Bulletins written here (and below, unless an area there has its own) are spoken in this voice when they name none. */
  readonly defaultVoice: string | null;
  readonly defaultSpeakingRate: number | null;
  readonly defaultPitch: number | null;
}

/** A voice with the settings that go with it. */
export interface VoiceProfile {
  readonly voice: string;
  readonly speakingRate: number | null;
  readonly pitch: number | null;
}

/** Checks a voice and its settings against what the TTS engines offer; throws a 400 naming `voice`, `speakingRate` or `pitch`. */
export type VoiceProfileCheck = (profile: VoiceProfile) => Promise<unknown>;

export interface AreaNode extends AreaRecord {
  readonly deviceCount: number;
  readonly children: AreaNode[];
}

export interface NewArea {
  readonly name: string;
  readonly kind: AreaKind;
  readonly parentId?: string | undefined;
  readonly code?: string | undefined;
  readonly quietHours?: QuietHours | null | undefined;
}

export interface AreaChanges {
  readonly name?: string | undefined;
  readonly code?: string | undefined;
  /** null removes them (the parent's apply again). */
  readonly quietHours?: QuietHours | null | undefined;
  readonly operatorsMaySendEmergency?: boolean | undefined;
  /** null: the parent area's applies again. */
  readonly emergencyVolume?: number | null | undefined;
  readonly isTestArea?: boolean | undefined;
  /** null removes it, with its rate and pitch (the parent's voice applies again). */
  readonly defaultVoice?: string | null | undefined;
  /** Only with a voice (set now or before); null: the voice's normal rate. */
  readonly defaultSpeakingRate?: number | null | undefined;
  readonly defaultPitch?: number | null | undefined;
}

const areaSelect = {
  id: true,
  name: true,
  kind: true,
  code: true,
  parentId: true,
  quietHours: true,
  operatorsMaySendEmergency: true,
  emergencyVolume: true,
  isTestArea: true,
  defaultVoice: true,
  defaultSpeakingRate: true,
  defaultPitch: true,
} as const;

function toRecord(row: Omit<AreaRecord, 'quietHours'> & { quietHours: unknown }): AreaRecord {
  return { ...row, quietHours: (row.quietHours as QuietHours | null) ?? null };
}

// Voice settings checked by the engines are named as the area's fields in errors.
const VOICE_FIELDS: Readonly<Record<string, string>> = { voice: 'defaultVoice', speakingRate: 'defaultSpeakingRate', pitch: 'defaultPitch' };

const KIND_DEPTH: Readonly<Record<AreaKind, number>> = { province: 0, district: 1, commune: 2, hamlet: 3 };

export class AreaService {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: NewArea): Promise<AreaRecord> {
    if (input.parentId) {
      const parent = await this.prisma.area.findUnique({ where: { id: input.parentId } });
      if (!parent) throw notFound('area', input.parentId, 'parentId');
      if (KIND_DEPTH[parent.kind] >= KIND_DEPTH[input.kind]) {
        throw validationError(`a ${input.kind} cannot be placed under a ${parent.kind}`, [
          { field: 'kind', message: `must be below ${parent.kind}` },
        ]);
      }
    }
    if (input.code) {
      const clash = await this.prisma.area.findUnique({ where: { code: input.code } });
      if (clash) throw validationError(`area code "${input.code}" is already used`, [{ field: 'code', message: 'already used' }]);
    }
    const created = await this.prisma.area.create({
      data: {
        id: newId(),
        name: input.name,
        kind: input.kind,
        code: input.code ?? null,
        parentId: input.parentId ?? null,
        quietHours: input.quietHours ?? Prisma.DbNull,
      },
      select: areaSelect,
    });
    return toRecord(created);
  }

  /** `checkVoice`, when given, vets a new default voice against what the TTS engines offer. */
  async update(id: string, changes: AreaChanges, checkVoice?: VoiceProfileCheck): Promise<AreaRecord> {
    const current = await this.prisma.area.findUnique({ where: { id } });
    if (!current) throw notFound('area', id);
    if (changes.code && changes.code !== current.code) {
      const clash = await this.prisma.area.findUnique({ where: { code: changes.code } });
      if (clash) throw validationError(`area code "${changes.code}" is already used`, [{ field: 'code', message: 'already used' }]);
    }
    const voice = await voiceChanges(current, changes, checkVoice);
    const updated = await this.prisma.area.update({
      where: { id },
      data: {
        ...(changes.name ? { name: changes.name } : {}),
        ...(changes.code ? { code: changes.code } : {}),
        ...(changes.quietHours !== undefined ? { quietHours: changes.quietHours ?? Prisma.DbNull } : {}),
        ...(changes.operatorsMaySendEmergency !== undefined ? { operatorsMaySendEmergency: changes.operatorsMaySendEmergency } : {}),
        ...(changes.emergencyVolume !== undefined ? { emergencyVolume: changes.emergencyVolume } : {}),
        ...(changes.isTestArea !== undefined ? { isTestArea: changes.isTestArea } : {}),
        ...voice,
      },
      select: areaSelect,
    });
    return toRecord(updated);
  }

  /**
   * Reads the areas' emergency volumes once and answers, for any area path (root first), the volume
   * of the nearest area on it that sets one: a config for every receiver costs one query, not one each.
   */
  async emergencyVolumes(): Promise<(areaPath: readonly string[]) => number | undefined> {
    const rows = await this.prisma.area.findMany({ where: { emergencyVolume: { not: null } }, select: { id: true, emergencyVolume: true } });
    const byId = new Map(rows.map((row) => [row.id, row.emergencyVolume!]));
    return (areaPath) => [...areaPath].reverse().map((id) => byId.get(id)).find((volume) => volume !== undefined);
  }

  async all(): Promise<AreaRecord[]> {
    const rows = await this.prisma.area.findMany({ select: areaSelect, orderBy: { name: 'asc' } });
    return rows.map(toRecord);
  }

  /** Finds areas by code, or else by exact name (programme files name areas either way). */
  async findByCodeOrName(reference: string): Promise<AreaRecord[]> {
    const byCode = await this.prisma.area.findMany({ where: { code: reference }, select: areaSelect });
    if (byCode.length > 0) return byCode.map(toRecord);
    return (await this.prisma.area.findMany({ where: { name: reference }, select: areaSelect })).map(toRecord);
  }

  /** The tree, or only the part made of `visible` areas (a user's scope and the path above it). */
  async tree(visible: ReadonlySet<string> | null = null): Promise<AreaNode[]> {
    const [all, counts] = await Promise.all([
      this.all(),
      this.prisma.device.groupBy({ by: ['areaId'], _count: { _all: true } }),
    ]);
    const areas = visible ? all.filter((area) => visible.has(area.id)) : all;
    const countByArea = new Map(counts.map((c) => [c.areaId, c._count._all]));
    const nodes = new Map<string, AreaNode>(
      areas.map((area) => [area.id, { ...area, deviceCount: countByArea.get(area.id) ?? 0, children: [] }]),
    );
    const roots: AreaNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  /** Ids from the root down to `areaId` inclusive. */
  async pathOf(areaId: string): Promise<string[]> {
    return pathIn(await this.all(), areaId);
  }

  /** `areaId` and every area below it. */
  /** `areas`, when given, is a read of the tree the caller already made (a calendar resolves many targets). */
  async subtreeOf(
    areaIds: readonly string[],
    options: { ignoreUnknown?: boolean; areas?: readonly AreaRecord[] } = {},
  ): Promise<Set<string>> {
    const areas = options.areas ?? (await this.all());
    const known = new Set(areas.map((a) => a.id));
    areaIds.forEach((id, index) => {
      if (!known.has(id) && !options.ignoreUnknown) throw notFound('area', id, `target.areaIds.${index}`);
    });
    const childrenOf = new Map<string, string[]>();
    for (const area of areas) {
      if (area.parentId) childrenOf.set(area.parentId, [...(childrenOf.get(area.parentId) ?? []), area.id]);
    }
    const result = new Set<string>();
    const stack = [...areaIds];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (result.has(id)) continue;
      result.add(id);
      stack.push(...(childrenOf.get(id) ?? []));
    }
    return result;
  }
}

/**
 * The voice bulletins of `areaId` are spoken in: the area's own default, else the nearest area
 * above it with one; null when none has (the server's default voice applies).
 */
export async function inheritedVoiceProfile(prisma: PrismaClient, areaId: string | null): Promise<VoiceProfile | null> {
  const seen = new Set<string>();
  let id = areaId;
  while (id && !seen.has(id)) {
    seen.add(id);
    const area = await prisma.area.findUnique({ where: { id }, select: { parentId: true, defaultVoice: true, defaultSpeakingRate: true, defaultPitch: true } });
    if (!area) return null;
    if (area.defaultVoice) return { voice: area.defaultVoice, speakingRate: area.defaultSpeakingRate, pitch: area.defaultPitch };
    id = area.parentId;
  }
  return null;
}

type VoiceColumns = Pick<AreaRecord, 'defaultVoice' | 'defaultSpeakingRate' | 'defaultPitch'>;

/** The voice columns to write: rate and pitch go with a voice, so they need one and leave with it. */
async function voiceChanges(current: VoiceColumns, changes: AreaChanges, checkVoice: VoiceProfileCheck | undefined): Promise<Partial<VoiceColumns>> {
  const touched = changes.defaultVoice !== undefined || changes.defaultSpeakingRate !== undefined || changes.defaultPitch !== undefined;
  if (!touched) return {};
  const voice = changes.defaultVoice === undefined ? current.defaultVoice : changes.defaultVoice;
  if (voice === null) {
    for (const field of ['defaultSpeakingRate', 'defaultPitch'] as const) {
      if (changes[field] !== undefined && changes[field] !== null) {
        throw validationError(`${field}: needs a defaultVoice`, [{ field, message: 'needs a defaultVoice' }]);
      }
    }
    return { defaultVoice: null, defaultSpeakingRate: null, defaultPitch: null };
  }
  const next = {
    defaultVoice: voice,
    defaultSpeakingRate: changes.defaultSpeakingRate === undefined ? current.defaultSpeakingRate : changes.defaultSpeakingRate,
    defaultPitch: changes.defaultPitch === undefined ? current.defaultPitch : changes.defaultPitch,
  };
  if (checkVoice) {
    await checkVoice({ voice: next.defaultVoice, speakingRate: next.defaultSpeakingRate, pitch: next.defaultPitch }).catch((error: unknown) => {
      throw renamedVoiceFields(error);
    });
  }
  return next;
}

function renamedVoiceFields(error: unknown): unknown {
  if (!(error instanceof AppError) || error.statusCode !== 400) return error;
  const details = error.details.map((detail) => ({ ...detail, field: detail.field && (VOICE_FIELDS[detail.field] ?? detail.field) }));
  const message = details.map((detail) => `${detail.field ?? 'body'}: ${detail.message}`).join('; ') || error.message;
  return new AppError(error.code, error.statusCode, message, details, { cause: error });
}

export function pathIn(areas: readonly AreaRecord[], areaId: string): string[] {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const path: string[] = [];
  let current = byId.get(areaId);
  while (current && !path.includes(current.id)) {
    path.unshift(current.id);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return path;
}
