import { api } from '@/api/client';
import type { ListPage, Unit } from '@/api/types';

/** All units, fetched 200 at a time (a city has a few hundred). */
export async function fetchAllUnits(): Promise<Unit[]> {
  const all: Unit[] = [];
  for (let page = 1; page <= 50; page++) {
    const res = await api.get<ListPage<Unit>>('/units', { query: { page, page_size: 200 } });
    all.push(...res.items);
    if (res.items.length === 0 || all.length >= res.total) break;
  }
  return all;
}
