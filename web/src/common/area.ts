// The shape of a business area as the shell sees it. Each `src/<area>/index.ts`
// exports one `Area`; `src/areas.ts` lists them, and the router, the menu and
// the audit page only concatenate what the areas declare.
import type { Component } from 'vue';
import type { RouteRecordRaw, Router } from 'vue-router';
import type { RoleCode } from '@/api/types';

/** One line of the left menu (and of the home page's list of what the user can do). */
export interface MenuEntry {
  path: string;
  title: string;
  icon: Component;
  /** Roles that see the entry; the routes of its pages take the same roles. */
  roles: RoleCode[];
  /** One line for the home page: what the user can do there. */
  summary: string;
}

/**
 * Chinese names for what the area writes to the audit log. Kept as
 * `src/<area>/audit-labels.json` so tests/api/audit-labels.test.mjs can read it
 * without a TypeScript toolchain: every action the server can write
 * (`x-audit-actions` in the OpenAPI document) must have a label in some area.
 */
export interface AuditLabels {
  /** Offered in the audit page's action filter: every action starting with `value`. */
  prefix?: { value: string; label: string };
  /** Action code → label, e.g. "unit.merge" → "合并单位". */
  actions: Record<string, string>;
  /** Entity type → label, e.g. "unit" → "单位". */
  entities?: Record<string, string>;
  /** Field names seen in before/after; their order is the order of rows in a diff. */
  fields?: Record<string, string>;
  /** Coded values seen in before/after, by field. */
  values?: Record<string, Record<string, string>>;
}

export interface Area {
  /** Pages inside the application shell; paths are relative to "/". */
  routes?: RouteRecordRaw[];
  /** Pages outside the shell (the login page); absolute paths. */
  outerRoutes?: RouteRecordRaw[];
  menu?: MenuEntry[];
  audit?: AuditLabels;
  /** Called once with the router after the routes are in (guards, client hooks). */
  install?: (router: Router) => void;
}

/** Route meta of a page reached from a menu entry: its title and roles. */
export function menuMeta(entry: MenuEntry, title = entry.title) {
  return { title, roles: entry.roles };
}

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Roles that may open the page; absent = any logged-in user. */
    roles?: RoleCode[];
    /** Reachable without a session. */
    public?: boolean;
  }
}
