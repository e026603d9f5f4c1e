/** Walking the area tree the API returns (province → district → commune → hamlet). */

export interface TreeArea {
  readonly id: string;
  readonly name: string;
  readonly children: readonly TreeArea[];
}

export function* walkAreas<A extends TreeArea>(roots: readonly A[]): Generator<A> {
  for (const area of roots) {
    yield area;
    yield* walkAreas(area.children as readonly A[]);
  }
}

export function findArea<A extends TreeArea>(roots: readonly A[], id: string): A | undefined {
  for (const area of walkAreas(roots)) if (area.id === id) return area;
  return undefined;
}

/** The area and every area below it. */
export function subtreeIds(area: TreeArea): string[] {
  return [...walkAreas([area])].map((a) => a.id);
}

/** Names from the top down to the area: "Tỉnh Hòa Bình › Huyện Tân Lạc › Xã Văn Sơn". */
export function areaPath<A extends TreeArea>(roots: readonly A[], id: string): A[] {
  for (const root of roots) {
    if (root.id === id) return [root];
    const below = areaPath(root.children as readonly A[], id);
    if (below.length > 0) return [root, ...below];
  }
  return [];
}

/**
 * The fewest ids that name the same receivers as `selected`: an area whose parent is selected adds
 * nothing, since a target area already includes everything below it.
 */
export function topmostSelected(roots: readonly TreeArea[], selected: ReadonlySet<string>): string[] {
  const result: string[] = [];
  const visit = (areas: readonly TreeArea[]) => {
    for (const area of areas) {
      if (selected.has(area.id)) result.push(area.id);
      else visit(area.children);
    }
  };
  visit(roots);
  return result;
}
