import { api } from '@/api/client';
import type { ListPage } from '@/api/types';

export interface AuditEntry {
  id: number;
  at: number;
  actor_id: number | null;
  actor: string | null;
  ip: string | null;
  action: string;
  entity: string | null;
  entity_id: number | string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  entity?: string;
  entity_id?: number | null;
  from?: number | null;
  to?: number | null;
  page: number;
  page_size: number;
}

export type AuditVerify =
  | { ok: true; checked: number }
  | { ok: false; checked: number; first_bad_id: number; reason: string };

export const auditApi = {
  list: (q: AuditQuery) => api.get<ListPage<AuditEntry>>('/audit', { query: { ...q } }),
  verify: () => api.get<AuditVerify>('/audit/verify'),
};
