/**
 * Choosing target areas: a tree with a checkbox per area and "select all below" on each area
 * that has children. Checking an area covers its whole subtree (the API targets everything below
 * a target area), so its descendants show as included and cannot be unticked on their own.
 */
import { useState } from 'preact/hooks';
import { useT } from '../i18n/index.js';
import { subtreeIds, type TreeArea } from '../lib/area-tree.js';
import type { AreaNode } from '../types.js';

interface Props {
  readonly roots: readonly AreaNode[];
  readonly selected: ReadonlySet<string>;
  readonly onChange: (selected: Set<string>) => void;
  /** Prefix for data-testid of each checkbox (`${testId}-${areaId}`). */
  readonly testId?: string;
}

export function AreaTreePicker({ roots, selected, onChange, testId = 'area' }: Props) {
  const t = useT();
  const toggle = (area: AreaNode, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(area.id);
    else next.delete(area.id);
    onChange(next);
  };
  const selectAllBelow = (area: AreaNode) => {
    const next = new Set(selected);
    for (const id of subtreeIds(area as TreeArea)) next.add(id);
    onChange(next);
  };
  return (
    <div class="area-tree" role="tree">
      {roots.map((area) => (
        <Branch key={area.id} area={area} depth={0} selected={selected} covered={false} toggle={toggle} selectAllBelow={selectAllBelow} testId={testId} />
      ))}
      <p class="muted small">{t('areas.selected', { count: selected.size })}</p>
    </div>
  );
}

interface BranchProps {
  readonly area: AreaNode;
  readonly depth: number;
  readonly selected: ReadonlySet<string>;
  /** An area above is selected: this one is included already. */
  readonly covered: boolean;
  readonly toggle: (area: AreaNode, on: boolean) => void;
  readonly selectAllBelow: (area: AreaNode) => void;
  readonly testId: string;
}

function Branch({ area, depth, selected, covered, toggle, selectAllBelow, testId }: BranchProps) {
  const t = useT();
  const [open, setOpen] = useState(depth < 2);
  const checked = covered || selected.has(area.id);
  const hasChildren = area.children.length > 0;
  return (
    <div role="treeitem" aria-expanded={hasChildren ? open : undefined} class="area-branch">
      <div class="area-row" style={{ paddingLeft: `${depth * 1.25}rem` }}>
        {hasChildren ? (
          <button type="button" class="icon-button" aria-label={open ? t('areas.collapse') : t('areas.expand')} onClick={() => setOpen(!open)}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="icon-spacer" />
        )}
        <label class="area-label">
          <input
            type="checkbox"
            checked={checked}
            disabled={covered}
            data-testid={`${testId}-${area.id}`}
            onChange={(event) => toggle(area, (event.currentTarget as HTMLInputElement).checked)}
          />
          <span>{area.name}</span>
          <span class="muted small">{t('areas.receivers', { count: area.deviceCount })}</span>
        </label>
        {hasChildren && !checked && (
          <button type="button" class="link-button small" onClick={() => selectAllBelow(area)}>
            {t('areas.selectAllBelow')}
          </button>
        )}
      </div>
      {hasChildren && open && (
        <div role="group">
          {area.children.map((child) => (
            <Branch
              key={child.id}
              area={child}
              depth={depth + 1}
              selected={selected}
              covered={checked}
              toggle={toggle}
              selectAllBelow={selectAllBelow}
              testId={testId}
            />
          ))}
        </div>
      )}
    </div>
  );
}
