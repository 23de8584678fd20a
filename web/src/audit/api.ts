import { api } from '@/api/client';
import type { AuditEntry, AuditVerify, ListPage } from '@/api/types';

export type { AuditEntry, AuditVerify };

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

export const auditApi = {
  list: (q: AuditQuery) => api.get<ListPage<AuditEntry>>('/audit', { query: { ...q } }),
  verify: () => api.get<AuditVerify>('/audit/verify'),
};
