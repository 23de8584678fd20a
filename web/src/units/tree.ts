// The unit tree (GET /units/tree) shared by the registry pages: loaded once,
// reloaded after a unit is created, changed, moved or merged (and when the
// cadre counts may have changed, e.g. after an import).
import { reactive } from 'vue';
import type { UnitNode } from '@/api/types';
import { unitsApi } from './api';

interface TreeState {
  items: UnitNode[];
  loaded: boolean;
  loading: boolean;
  /** id → node, for every unit in the tree. */
  byId: Map<number, UnitNode>;
}

export const unitTree = reactive<TreeState>({ items: [], loaded: false, loading: false, byId: new Map() });

let pending: Promise<UnitNode[]> | null = null;

function index(items: UnitNode[]): Map<number, UnitNode> {
  const m = new Map<number, UnitNode>();
  const walk = (ns: UnitNode[]) => {
    for (const n of ns) {
      m.set(n.id, n);
      if (n.children?.length) walk(n.children);
    }
  };
  walk(items);
  return m;
}

/** The tree, fetched once; `force` fetches it again. */
export function loadUnitTree(force = false): Promise<UnitNode[]> {
  if (unitTree.loaded && !force) return Promise.resolve(unitTree.items);
  if (!pending || force) {
    unitTree.loading = true;
    const p = unitsApi
      .tree()
      .then((r) => {
        if (pending === p) {
          unitTree.items = r.items;
          unitTree.byId = index(r.items);
          unitTree.loaded = true;
        }
        return r.items;
      })
      .finally(() => {
        if (pending === p) {
          pending = null;
          unitTree.loading = false;
        }
      });
    pending = p;
  }
  return pending;
}

/** The next loadUnitTree() fetches again (counts changed). */
export function invalidateUnitTree(): void {
  unitTree.loaded = false;
}

/** Names from the root down to the unit (its path in the tree). */
export function unitPath(id: number | null | undefined): UnitNode[] {
  const out: UnitNode[] = [];
  let n = id ? unitTree.byId.get(id) : undefined;
  while (n) {
    out.unshift(n);
    n = n.parent_id ? unitTree.byId.get(n.parent_id) : undefined;
  }
  return out;
}

/** The ids of a unit and every unit below it. */
export function subtreeIds(id: number): Set<number> {
  const out = new Set<number>();
  const walk = (n: UnitNode | undefined) => {
    if (!n) return;
    out.add(n.id);
    n.children?.forEach(walk);
  };
  walk(unitTree.byId.get(id));
  return out;
}

/** Ids of the top levels to expand by default (the roots and their children with children). */
export function defaultExpanded(items: UnitNode[], depth = 1): number[] {
  const out: number[] = [];
  const walk = (ns: UnitNode[], d: number) => {
    for (const n of ns) {
      if (!n.children?.length) continue;
      if (d < depth) {
        out.push(n.id);
        walk(n.children, d + 1);
      }
    }
  };
  walk(items, 0);
  return out;
}

/** Inactive units shown in pickers get a suffix so they are not chosen by mistake. */
export function unitStateText(u: { active: boolean; merged_into: number | null }): string {
  if (u.merged_into) return '已合并';
  if (!u.active) return '已停用';
  return '';
}

/** Scrolls a tree container so that its highlighted node is visible (without scrolling the page). */
export function scrollTreeToCurrent(container: Element | null | undefined): void {
  if (!container) return;
  const el = container.querySelector('.el-tree-node.is-current > .el-tree-node__content');
  if (!el) return;
  const c = container.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.top >= c.top && r.bottom <= c.bottom) return;
  container.scrollTop += r.top - c.top - container.clientHeight / 2 + r.height / 2;
}

/** el-tree filter: a unit whose name, short name or code contains the text (any case). */
export function filterUnitNode(value: string, raw: Record<string, unknown>): boolean {
  const data = raw as unknown as UnitNode;
  if (!value) return true;
  const v = value.toLowerCase();
  return (
    data.name.toLowerCase().includes(v) || data.code.toLowerCase().includes(v) || data.short_name.toLowerCase().includes(v)
  );
}
