import { api, type RequestOptions } from '@/api/client';
import type { ListPage, RoleCode, User } from '@/api/types';

export interface UserQuery {
  q?: string;
  role?: RoleCode | '';
  unit_id?: number | null;
  disabled?: 'true' | 'false' | '';
  page: number;
  page_size: number;
}

export interface UserCreate {
  username: string;
  display_name: string;
  roles: RoleCode[];
  unit_id?: number;
  password: string;
}

export interface UserPatch {
  version: number;
  display_name?: string;
  roles?: RoleCode[];
  unit_id?: number | null;
  disabled?: boolean;
}

export const usersApi = {
  list: (q: UserQuery) => api.get<ListPage<User>>('/users', { query: { ...q } }),
  get: (id: number) => api.get<User>(`/users/${id}`),
  create: (body: UserCreate, opts?: RequestOptions) => api.post<User>('/users', body, opts),
  patch: (id: number, body: UserPatch, opts?: RequestOptions) => api.patch<User>(`/users/${id}`, body, opts),
  resetPassword: (id: number, version: number, password: string, opts?: RequestOptions) =>
    api.post<User>(`/users/${id}/reset-password`, { version, password }, opts),
};
