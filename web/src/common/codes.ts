// The code lists (GET /api/v1/codes): fetched once per page load, shared by
// every page, and used to show labels for codes.
import { reactive } from 'vue';
import { api } from '@/api/client';
import type { CodeBook, CodeItem, CodeKind } from '@/api/types';

const EMPTY: CodeBook = {
  gender: [],
  political: [],
  ethnicity: [],
  education: [],
  rank_level: [],
  unit_type: [],
  domain: [],
  cadre_status: [],
};

interface CodeState {
  book: CodeBook;
  loaded: boolean;
  /** code → label per kind. */
  maps: Record<string, Map<string, string>>;
}

export const codes = reactive<CodeState>({ book: { ...EMPTY }, loaded: false, maps: {} });

let pending: Promise<CodeBook> | null = null;

/** Loads the code lists once (again after a failure). */
export function loadCodes(): Promise<CodeBook> {
  if (codes.loaded) return Promise.resolve(codes.book);
  if (!pending) {
    pending = api
      .get<Partial<CodeBook>>('/codes?all=true')
      .then((b) => {
        // labels for every code (records keep deactivated ones); choices only from active items
        const full = { ...EMPTY, ...b } as CodeBook;
        const maps: Record<string, Map<string, string>> = {};
        for (const [k, items] of Object.entries(full)) maps[k] = new Map(items.map((i) => [i.code, i.label]));
        const book = Object.fromEntries(
          Object.entries(full).map(([k, items]) => [k, items.filter((i) => (i as { active?: boolean }).active !== false)]),
        ) as unknown as CodeBook;
        codes.book = book;
        codes.maps = maps;
        codes.loaded = true;
        return book;
      })
      .catch((e) => {
        pending = null;
        throw e;
      });
  }
  return pending;
}

/** The label of a code; the code itself when unknown, '' for empty. */
export function codeLabel(kind: CodeKind, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  return codes.maps[kind]?.get(code) ?? code;
}

export function codeList(kind: CodeKind): CodeItem[] {
  return codes.book[kind];
}

/** Rank levels grouped for selects: the GB/T 12407 post levels and the 2019 rank ladder. */
export function rankGroups(): { label: string; items: CodeItem[] }[] {
  const all = codes.book.rank_level;
  const post = all.filter((c) => /^\d/.test(c.code));
  const ladder = all.filter((c) => !/^\d/.test(c.code));
  const groups = [{ label: '职务层次', items: post }];
  if (ladder.length) groups.push({ label: '职级序列', items: ladder });
  return groups;
}
