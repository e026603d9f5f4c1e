/** The area selector of the calendar: the user's tree, flattened top-down, each with its depth. */
import type { TreeArea } from './area-tree.js';

export interface AreaOption {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

export function areaOptions(roots: readonly TreeArea[]): AreaOption[] {
  const result: AreaOption[] = [];
  const visit = (areas: readonly TreeArea[], depth: number) => {
    for (const area of areas) {
      result.push({ id: area.id, name: area.name, depth });
      visit(area.children, depth + 1);
    }
  };
  visit(roots, 0);
  return result;
}

/** The option's label, indented so the tree shows inside a plain select (non-breaking spaces survive it). */
export function indentedName(option: AreaOption): string {
  return `${'\u00a0\u00a0\u00a0'.repeat(option.depth)}${option.name}`;
}
