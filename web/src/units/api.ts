import { api, type RequestOptions } from '@/api/client';
import type { ListPage, Unit, UnitNode } from '@/api/types';

export interface UnitQuery {
  q?: string;
  parent_id?: number;
  within?: number;
  type?: string;
  active?: boolean;
  page?: number;
  page_size?: number;
}

export interface UnitCreate {
  code: string;
  name: string;
  short_name?: string;
  parent_id: number | null;
  type?: string;
  division_code?: string;
  sort_order?: number;
  active?: boolean;
}

export interface UnitPatch {
  version: number;
  code?: string;
  name?: string;
  short_name?: string;
  type?: string;
  division_code?: string;
  sort_order?: number;
  active?: boolean;
}

export const unitsApi = {
  list: (q: UnitQuery, opts?: RequestOptions) => api.get<ListPage<Unit>>('/units', { ...opts, query: { ...q } }),
  /** Orgadmin and liaison only (the liaison gets its own subtree). */
  tree: () => api.get<{ items: UnitNode[] }>('/units/tree'),
  get: (id: number, opts?: RequestOptions) => api.get<Unit>(`/units/${id}`, opts),
  create: (body: UnitCreate, opts?: RequestOptions) => api.post<Unit>('/units', body, opts),
  patch: (id: number, body: UnitPatch, opts?: RequestOptions) => api.patch<Unit>(`/units/${id}`, body, opts),
  move: (id: number, version: number, parentId: number, opts?: RequestOptions) =>
    api.post<Unit>(`/units/${id}/move`, { version, parent_id: parentId }, opts),
  merge: (id: number, version: number, intoId: number, date: string, opts?: RequestOptions) =>
    api.post<Unit>(`/units/${id}/merge`, { version, into_id: intoId, date }, opts),
};
