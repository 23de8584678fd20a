// useListPage: what every paged list page does the same way.
//
// - Filters, page and page size live in the URL query, so a reload, a link and
//   "back" from a detail page restore them. Values equal to the defaults stay
//   out of the URL (the plain page has a plain URL).
// - The page's own URL updates are `replace`s marked in the history state; the
//   browser's back/forward (another history position) or a link to the page
//   while it is open (the menu) re-reads the filters from the URL and reloads.
// - Only the newest request's answer is shown; a page past the end (after the
//   filters shrank the list) moves to the last page; nothing loads once a
//   navigation away has started (a late URL update must not replace the route
//   being opened).
import { onBeforeUnmount, onMounted, reactive, ref, watch, type Ref } from 'vue';
import { onBeforeRouteLeave, useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { ListPage } from '@/api/types';

export interface ListPageOptions<F extends object, T> {
  /** The default filters, as a fresh object. */
  empty: () => F;
  /** Filters from the URL query (missing or invalid values: the defaults). */
  fromQuery: (q: LocationQuery) => F;
  /** Filters as URL query parameters, leaving out those at their default. */
  toQuery: (f: F) => Record<string, string>;
  /** One page of results; an error it throws clears the list and is kept in `error`. */
  fetch: (f: F, page: number, pageSize: number) => Promise<ListPage<T>>;
  /** Page sizes offered; the default size is 20 when offered, else the first. */
  pageSizes?: number[];
}

/** The first value of a query parameter, '' when absent. */
export function queryText(q: LocationQuery, key: string): string {
  const v = q[key];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** A query parameter as a number, or null when absent or not a number. */
export function queryNumber(q: LocationQuery, key: string): number | null {
  const s = queryText(q, key);
  return s !== '' && Number.isFinite(Number(s)) ? Number(s) : null;
}

export function useListPage<F extends object, T>(opts: ListPageOptions<F, T>) {
  const route = useRoute();
  const router = useRouter();
  const routeName = route.name;
  const pageSizes = opts.pageSizes ?? [20, 50, 100, 200];
  const defaultSize = pageSizes.includes(20) ? 20 : pageSizes[0]!;

  const filters = reactive(opts.empty()) as F;
  const page = ref(1);
  const pageSize = ref(defaultSize);
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  /** false when the server stopped counting: more than `total` match */
  const totalExact = ref(true);
  const loading = ref(false);
  /** False until the first answer (so an empty table can say "loading" rather than "nothing found"). */
  const loadedOnce = ref(false);
  /** The message of the last failed load, '' after a successful one. */
  const error = ref('');

  function readQuery(q: LocationQuery) {
    Object.assign(filters, opts.fromQuery(q));
    const p = queryNumber(q, 'page');
    page.value = p !== null && p > 0 ? Math.floor(p) : 1;
    const ps = queryNumber(q, 'page_size');
    pageSize.value = ps !== null && pageSizes.includes(ps) ? ps : defaultSize;
  }

  function writeQuery(): Record<string, string> {
    const q = opts.toQuery(filters);
    if (page.value > 1) q.page = String(page.value);
    if (pageSize.value !== defaultSize) q.page_size = String(pageSize.value);
    return q;
  }

  let seq = 0;
  let leaving = false;
  onBeforeRouteLeave(() => {
    leaving = true;
  });
  // A navigation away that did not happen (cancelled or refused) leaves the page working.
  const stopAfterEach = router.afterEach((to, _from, failure) => {
    if (failure || to.name === routeName) leaving = false;
  });
  onBeforeUnmount(stopAfterEach);

  /** Loads the current page with the current filters (and puts them in the URL). */
  async function load(): Promise<void> {
    if (leaving) return;
    const mine = ++seq;
    loading.value = true;
    error.value = '';
    // Marked in the history state so the route watcher below can tell it from outside navigation.
    void router.replace({ query: writeQuery(), state: { gxOwn: true } });
    try {
      const res = await opts.fetch(filters, page.value, pageSize.value);
      if (mine !== seq) return;
      rows.value = res.items;
      total.value = res.total;
      totalExact.value = res.total_exact !== false;
      loadedOnce.value = true;
      if (res.items.length === 0 && res.total > 0 && page.value > 1) {
        page.value = Math.max(1, Math.ceil(res.total / pageSize.value));
        await load();
      }
    } catch (e) {
      if (mine !== seq) return;
      rows.value = [];
      total.value = 0;
      totalExact.value = true;
      loadedOnce.value = true;
      error.value = e instanceof Error ? e.message : '加载失败';
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** Back to page 1 and load (after a filter changed). */
  function search(): Promise<void> {
    page.value = 1;
    return load();
  }

  /** Default filters, page 1, load. */
  function reset(): Promise<void> {
    Object.assign(filters, opts.empty());
    return search();
  }

  onMounted(() => {
    readQuery(route.query);
    void load();
  });

  // vue-router keeps the history position in history.state.position: the page's
  // own replacements keep it, back/forward and links change it.
  let lastPosition: unknown = window.history.state?.position;
  watch(
    () => route.query,
    (q) => {
      const position = window.history.state?.position;
      const moved = position !== lastPosition;
      lastPosition = position;
      if (route.name !== routeName || (window.history.state?.gxOwn && !moved)) return;
      readQuery(q);
      void load();
    },
  );

  return { filters, page, pageSize, pageSizes, rows, total, totalExact, loading, loadedOnce, error, load, search, reset };
}
