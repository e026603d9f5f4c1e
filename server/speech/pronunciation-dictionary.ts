/**
 * The pronunciation dictionary: how to say place names, ethnic names and local abbreviations that
 * the built-in rules do not know. An entry is network-wide (no area; admins only) or belongs to an
 * area and applies there and below. The entries that apply to an area go into the normaliser
 * before synthesis, so an edited entry changes the spoken text and with it the render cache key:
 * stale audio is never reused.
 */
import type { AccessScope } from '../auth/access-scope.js';
import type { Actor } from '../auth/actor.js';
import type { AreaService } from '../areas/area-service.js';
import type { PrismaClient } from '../db/database.js';
import { forbidden, notFound, validationError } from '../errors.js';
import { newId } from '../ids.js';
import { pronunciationEntryProblem } from './vietnamese-normalizer.js';

export type PronunciationKind = 'word' | 'pattern';

export interface PronunciationView {
  readonly id: string;
  readonly match: string;
  readonly spoken: string;
  readonly kind: PronunciationKind;
  readonly areaId: string | null;
  readonly note: string | null;
  readonly updatedAt: Date;
}

export interface PronunciationInput {
  readonly match: string;
  readonly spoken: string;
  readonly kind?: PronunciationKind | undefined;
  readonly areaId?: string | null | undefined;
  readonly note?: string | null | undefined;
}

const select = { id: true, match: true, spoken: true, kind: true, areaId: true, note: true, updatedAt: true } as const;
/** Long patterns, or a quantified group that itself ends in a quantifier, could make every synthesis slow (catastrophic backtracking). */
const MAX_PATTERN_LENGTH = 200;
const NESTED_QUANTIFIER = /\([^()]*[+*}]\)[+*{?]/;

export class PronunciationDictionary {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly areas: AreaService,
  ) {}

  /** Entries a user may see: network-wide ones and those of the areas their content reaches. */
  async list(scope: AccessScope): Promise<PronunciationView[]> {
    const visible = scope.visibleAreas;
    return this.prisma.pronunciation.findMany({
      where: visible ? { OR: [{ areaId: null }, { areaId: { in: [...visible] } }] } : {},
      select,
      orderBy: [{ match: 'asc' }],
    });
  }

  /**
   * The entries that apply in `areaId`, most specific first: the area's own, then each area above
   * it, then the network-wide ones. The normaliser applies them in this order, so a commune's
   * reading of a name wins over the district's.
   */
  async entriesFor(areaId: string | null): Promise<PronunciationView[]> {
    const path = areaId ? await this.areas.pathOf(areaId) : [];
    const rows = await this.prisma.pronunciation.findMany({
      where: { OR: [{ areaId: null }, ...(path.length > 0 ? [{ areaId: { in: path } }] : [])] },
      select,
    });
    const depth = (row: PronunciationView) => (row.areaId === null ? -1 : path.indexOf(row.areaId));
    return rows.sort((a, b) => depth(b) - depth(a) || b.match.length - a.match.length);
  }

  async create(input: PronunciationInput, actor: Actor): Promise<PronunciationView> {
    const entry = validEntry(input);
    this.requireMayEdit(entry.areaId, actor);
    if (entry.areaId && !(await this.prisma.area.findUnique({ where: { id: entry.areaId }, select: { id: true } }))) {
      throw notFound('area', entry.areaId, 'areaId');
    }
    return this.prisma.pronunciation.create({ data: { id: newId(), ...entry, createdBy: actor.user?.id ?? null }, select });
  }

  async update(id: string, changes: Partial<PronunciationInput>, actor: Actor): Promise<PronunciationView> {
    const current = await this.editable(id, actor);
    const entry = validEntry({ ...current, ...stripUndefined(changes) });
    this.requireMayEdit(entry.areaId, actor);
    return this.prisma.pronunciation.update({ where: { id }, data: entry, select });
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.editable(id, actor);
    await this.prisma.pronunciation.delete({ where: { id } });
  }

  private async editable(id: string, actor: Actor): Promise<PronunciationView> {
    const current = await this.prisma.pronunciation.findUnique({ where: { id }, select });
    if (!current || !(current.areaId === null || actor.scope.concernsArea(current.areaId))) throw notFound('pronunciation', id);
    this.requireMayEdit(current.areaId, actor);
    return current;
  }

  private requireMayEdit(areaId: string | null, actor: Actor): void {
    if (areaId === null) {
      if (!actor.scope.unrestricted) throw forbidden('only admins edit network-wide pronunciations; give your areaId', [{ field: 'areaId', message: 'required outside admin' }]);
      return;
    }
    actor.scope.requireAreas([areaId], 'areaId');
  }
}

function validEntry(input: PronunciationInput): { match: string; spoken: string; kind: PronunciationKind; areaId: string | null; note: string | null } {
  const kind = input.kind ?? 'word';
  const match = input.match.trim();
  if (kind === 'pattern') {
    if (match.length > MAX_PATTERN_LENGTH) {
      throw validationError(`match: a pattern may have at most ${MAX_PATTERN_LENGTH} characters`, [{ field: 'match', message: 'too long' }]);
    }
    if (NESTED_QUANTIFIER.test(match)) {
      throw validationError('match: a quantified group inside a quantifier, e.g. (a+)+, can take forever to match', [{ field: 'match', message: 'nested quantifier' }]);
    }
  }
  const problem = pronunciationEntryProblem({ match, spoken: input.spoken, kind });
  if (problem) throw validationError(`match: ${problem}`, [{ field: 'match', message: problem }]);
  return { match, spoken: input.spoken.trim(), kind, areaId: input.areaId ?? null, note: input.note ?? null };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
