// The left menu: the entries every area declares (src/areas.ts), in area
// order. The side menu and the home page read it; route roles come from the
// same entries (menuMeta in common/area.ts).
import type { RoleCode } from '@/api/types';
import type { MenuEntry } from '@/common/area';
import { AREAS } from '@/areas';

export type { MenuEntry };

export const MENU: MenuEntry[] = AREAS.flatMap((a) => a.menu ?? []);

export function menuFor(roles: readonly RoleCode[]): MenuEntry[] {
  return MENU.filter((m) => m.roles.some((r) => roles.includes(r)));
}
