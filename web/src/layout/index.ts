// Area "layout": the application shell (side menu, top bar, phone drawer) that
// every other area's pages open in, and the page for unknown paths.
import type { Area } from '@/common/area';

/** The component every area's `routes` are children of. */
export const AppShell = () => import('./AppLayout.vue');

export const layoutArea: Area = {
  routes: [
    {
      path: ':pathMatch(.*)*',
      name: 'not-found',
      component: () => import('./NotFound.vue'),
      meta: { title: '页面不存在' },
    },
  ],
};
