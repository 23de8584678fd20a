// Every area of the UI, in menu order. Adding an area = one line here; its
// routes, menu entries and audit labels come from its own index.ts.
import type { Area } from '@/common/area';
import { authArea } from '@/auth';
import { homeArea } from '@/home';
import { usersArea } from '@/users';
import { securityArea } from '@/security';
import { auditArea } from '@/audit';
import { cadresArea } from '@/cadres';
import { unitsArea } from '@/units';
import { layoutArea } from '@/layout';

export const AREAS: readonly Area[] = [authArea, homeArea, usersArea, securityArea, auditArea, cadresArea, unitsArea, layoutArea];
