import { api, buildUrl, type RequestOptions } from '@/api/client';
import type { Cadre, CadreHistoryEntry, CadreReveal, ImportReport, ListPage } from '@/api/types';

export type CadreSort = 'name' | 'birth_date' | 'rank_level' | 'unit' | 'updated_at';

/** The list filters as the page keeps them (also mirrored in the URL). */
export interface CadreFilters {
  q: string;
  unit_id: number | null;
  subtree: boolean;
  rank_level: string[];
  domain: string[];
  top_leader: boolean;
  team_member: boolean;
  young_talent: boolean;
  age_min: number | null;
  age_max: number | null;
  /** '' = every status; default '1' (在职). */
  status: string;
  gender: string;
  political: string;
  sort: CadreSort | '';
  order: 'asc' | 'desc' | '';
}

export function emptyFilters(): CadreFilters {
  return {
    q: '',
    unit_id: null,
    subtree: true,
    rank_level: [],
    domain: [],
    top_leader: false,
    team_member: false,
    young_talent: false,
    age_min: null,
    age_max: null,
    status: '1',
    gender: '',
    political: '',
    sort: '',
    order: '',
  };
}

type Query = Record<string, string | number | boolean | undefined>;

/** Query parameters of GET /cadres (and /cadres/export) for the filters. */
export function filterQuery(f: CadreFilters): Query {
  const q: Query = {};
  if (f.q.trim()) q.q = f.q.trim();
  if (f.unit_id) {
    q.unit_id = f.unit_id;
    q.subtree = f.subtree;
  }
  if (f.rank_level.length) q.rank_level = f.rank_level.join(',');
  if (f.domain.length) q.domain = f.domain.join(',');
  if (f.top_leader) q.top_leader = true;
  if (f.team_member) q.team_member = true;
  if (f.young_talent) q.young_talent = true;
  if (f.age_min !== null && f.age_min !== undefined) q.age_min = f.age_min;
  if (f.age_max !== null && f.age_max !== undefined) q.age_max = f.age_max;
  if (f.status) q.status = f.status;
  if (f.gender) q.gender = f.gender;
  if (f.political) q.political = f.political;
  if (f.sort) {
    q.sort = f.sort;
    if (f.order) q.order = f.order;
  }
  return q;
}

/** The URL of the .xlsx export of everything the filters match (the session cookie authorises it). */
export function exportUrl(f: CadreFilters): string {
  return buildUrl('/cadres/export', filterQuery(f));
}

export const TEMPLATE_URL = buildUrl('/cadres/import-template');

export interface CadreInput {
  name?: string;
  id_number?: string;
  gender?: string;
  birth_date?: string;
  unit_id?: number;
  post?: string;
  rank_level?: string;
  rank_since?: string | null;
  top_leader?: boolean;
  team_member?: boolean;
  young_talent?: boolean;
  domains?: string[];
  phone?: string;
  status?: string;
  ethnicity?: string;
  political?: string;
  education?: string;
  expertise?: string;
}

export interface CadrePatch extends CadreInput {
  version: number;
  /** Date of a transfer or promotion (history); default today on the server. */
  changed_on?: string;
}

export const cadresApi = {
  list: (f: CadreFilters, page: number, pageSize: number, opts?: RequestOptions) =>
    api.get<ListPage<Cadre>>('/cadres', { ...opts, query: { ...filterQuery(f), page, page_size: pageSize } }),
  get: (id: number, opts?: RequestOptions) => api.get<Cadre>(`/cadres/${id}`, opts),
  create: (body: CadreInput, opts?: RequestOptions) => api.post<Cadre>('/cadres', body, opts),
  patch: (id: number, body: CadrePatch, opts?: RequestOptions) => api.patch<Cadre>(`/cadres/${id}`, body, opts),
  history: (id: number, opts?: RequestOptions) => api.get<{ items: CadreHistoryEntry[] }>(`/cadres/${id}/history`, opts),
  reveal: (id: number, opts?: RequestOptions) =>
    api.post<CadreReveal>(`/cadres/${id}/reveal`, undefined, opts),
  import: (file: File, dryRun: boolean, opts?: RequestOptions) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.upload<ImportReport>('/cadres/import', form, { ...opts, query: { dry_run: dryRun } });
  },
};
