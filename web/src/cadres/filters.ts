// The cadre list's filters in the URL and as removable chips.
import type { LocationQuery } from 'vue-router';
import { codeLabel } from '@/common/codes';
import { queryNumber, queryText } from '@/common/list-page';
import { unitTree } from '@/units/tree';
import { emptyFilters, filterQuery, type CadreFilters, type CadreSort } from './api';

export const SORTS: CadreSort[] = ['name', 'birth_date', 'rank_level', 'unit', 'updated_at'];

/** Filters from the URL; anything missing or invalid keeps its default. */
export function filtersFromQuery(q: LocationQuery): CadreFilters {
  const f = emptyFilters();
  f.q = queryText(q, 'q');
  const unit = queryNumber(q, 'unit_id');
  f.unit_id = unit !== null && unit > 0 ? unit : null;
  f.subtree = queryText(q, 'subtree') !== 'false';
  f.rank_level = queryText(q, 'rank_level').split(',').filter(Boolean);
  f.domain = queryText(q, 'domain').split(',').filter(Boolean);
  f.top_leader = queryText(q, 'top_leader') === 'true';
  f.team_member = queryText(q, 'team_member') === 'true';
  f.young_talent = queryText(q, 'young_talent') === 'true';
  f.age_min = queryNumber(q, 'age_min');
  f.age_max = queryNumber(q, 'age_max');
  // No status in the URL means the default (在职); "all" means every status.
  const st = queryText(q, 'status');
  f.status = st === 'all' ? '' : st || '1';
  f.gender = queryText(q, 'gender');
  f.political = queryText(q, 'political');
  const sort = queryText(q, 'sort') as CadreSort;
  f.sort = SORTS.includes(sort) ? sort : '';
  const order = queryText(q, 'order');
  f.order = order === 'asc' || order === 'desc' ? order : '';
  return f;
}

/**
 * Filters as URL parameters, leaving out the defaults: the API's parameters,
 * less `subtree=true` and the default status (在职); every status is "all".
 */
export function filtersToQuery(f: CadreFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(filterQuery(f))) if (v !== undefined) q[k] = String(v);
  if (q.subtree === 'true') delete q.subtree;
  if (f.status === '1') delete q.status;
  else if (!f.status) q.status = 'all';
  return q;
}

/** A filter that is set, as the text of a chip and how to clear it. */
export interface FilterChip {
  key: string;
  text: string;
  clear(): void;
}

/** The filters that are set, other than the search text and the sort. */
export function filterChips(f: CadreFilters): FilterChip[] {
  const out: FilterChip[] = [];
  if (f.unit_id) {
    const n = unitTree.byId.get(f.unit_id);
    out.push({
      key: 'unit',
      text: `单位：${n?.name ?? '#' + f.unit_id}${f.subtree ? '（含下级）' : '（仅本级）'}`,
      clear: () => (f.unit_id = null),
    });
  }
  if (f.rank_level.length) {
    out.push({
      key: 'rank',
      text: '职级：' + f.rank_level.map((c) => codeLabel('rank_level', c)).join('、'),
      clear: () => (f.rank_level = []),
    });
  }
  if (f.domain.length) {
    out.push({
      key: 'domain',
      text: '分管领域：' + f.domain.map((c) => codeLabel('domain', c)).join('、'),
      clear: () => (f.domain = []),
    });
  }
  if (f.top_leader) out.push({ key: 'top', text: '一把手', clear: () => (f.top_leader = false) });
  if (f.team_member) out.push({ key: 'team', text: '班子成员', clear: () => (f.team_member = false) });
  if (f.young_talent) out.push({ key: 'young', text: '优秀年轻干部', clear: () => (f.young_talent = false) });
  if (f.age_min !== null || f.age_max !== null) {
    const t =
      f.age_min !== null && f.age_max !== null
        ? `${f.age_min}–${f.age_max} 岁`
        : f.age_min !== null
          ? `${f.age_min} 岁及以上`
          : `${f.age_max} 岁及以下`;
    out.push({ key: 'age', text: '年龄：' + t, clear: () => ((f.age_min = null), (f.age_max = null)) });
  }
  if (f.status !== '1') {
    out.push({
      key: 'status',
      text: '状态：' + (f.status ? codeLabel('cadre_status', f.status) : '全部'),
      clear: () => (f.status = '1'),
    });
  }
  if (f.gender) out.push({ key: 'gender', text: '性别：' + codeLabel('gender', f.gender), clear: () => (f.gender = '') });
  if (f.political) {
    out.push({
      key: 'political',
      text: '政治面貌：' + codeLabel('political', f.political),
      clear: () => (f.political = ''),
    });
  }
  return out;
}

/** How many filters of the folded "more" part are set (for the badge on its toggle). */
export function moreFilterCount(f: CadreFilters): number {
  return (
    (f.domain.length ? 1 : 0) +
    (f.top_leader ? 1 : 0) +
    (f.team_member ? 1 : 0) +
    (f.young_talent ? 1 : 0) +
    (f.age_min !== null || f.age_max !== null ? 1 : 0) +
    (f.gender ? 1 : 0) +
    (f.political ? 1 : 0)
  );
}
