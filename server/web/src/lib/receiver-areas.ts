/** The area tree as the receivers and users pages need it: a list to choose from, and receivers grouped by area. */
import { areaPath, walkAreas, type TreeArea } from './area-tree.js';

export interface AreaOption {
  readonly id: string;
  readonly name: string;
  /** 0 for a top area; the choice list indents by it. */
  readonly depth: number;
}

/** Every area in tree order (each followed by those below it), with its depth. */
export function areaOptions(roots: readonly TreeArea[]): AreaOption[] {
  const options: AreaOption[] = [];
  const visit = (areas: readonly TreeArea[], depth: number) => {
    for (const area of areas) {
      options.push({ id: area.id, name: area.name, depth });
      visit(area.children, depth + 1);
    }
  };
  visit(roots, 0);
  return options;
}

/** An option's text indented with non-breaking spaces, which a <select> does not collapse. */
export function indentedName(option: AreaOption): string {
  return `${'\u00a0\u00a0\u00a0'.repeat(option.depth)}${option.name}`;
}

/** "Tỉnh Hòa Bình › Huyện Tân Lạc › Xã Văn Sơn"; empty when the area is not in the tree. */
export function areaPathText(roots: readonly TreeArea[], id: string): string {
  return areaPath(roots, id)
    .map((area) => area.name)
    .join(' › ');
}

export interface GroupedReceiver {
  readonly id: string;
  readonly name: string;
  readonly areaId: string;
  readonly online: boolean;
}

export interface ReceiverGroup<D extends GroupedReceiver> {
  readonly areaId: string;
  /** The area's path from the top; the id itself when the area is outside the tree the user sees. */
  readonly path: string;
  readonly receivers: D[];
}

export interface ReceiverFilter {
  /** Part of the receiver's name, any case. */
  readonly text?: string;
  readonly offlineOnly?: boolean;
}

/**
 * Receivers by area in tree order, by name within an area; areas without a receiver left out.
 * A receiver in an area the tree does not hold (just moved elsewhere) comes last rather than vanishing.
 */
export function groupByArea<D extends GroupedReceiver>(roots: readonly TreeArea[], receivers: Iterable<D>, filter: ReceiverFilter = {}): ReceiverGroup<D>[] {
  const needle = filter.text?.trim().toLocaleLowerCase('vi') ?? '';
  const byArea = new Map<string, D[]>();
  for (const receiver of receivers) {
    if (filter.offlineOnly && receiver.online) continue;
    if (needle && !receiver.name.toLocaleLowerCase('vi').includes(needle)) continue;
    byArea.set(receiver.areaId, [...(byArea.get(receiver.areaId) ?? []), receiver]);
  }
  const groups: ReceiverGroup<D>[] = [];
  for (const area of walkAreas(roots)) {
    const inArea = byArea.get(area.id);
    if (!inArea) continue;
    byArea.delete(area.id);
    groups.push({ areaId: area.id, path: areaPathText(roots, area.id), receivers: inArea });
  }
  for (const [areaId, inArea] of byArea) groups.push({ areaId, path: areaId, receivers: inArea });
  for (const group of groups) group.receivers.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return groups;
}
