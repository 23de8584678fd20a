// Routes are what the areas declare (src/areas.ts): outer pages at the top
// level, the others inside the application shell. Areas install what else
// they need on the router (the auth area: its guard); the page title comes
// from each route's meta.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';
import { AppShell } from '@/layout';

export const PRODUCT_TITLE = '干部教育培训管理系统';

const routes: RouteRecordRaw[] = [
  ...AREAS.flatMap((a) => a.outerRoutes ?? []),
  { path: '/', component: AppShell, children: AREAS.flatMap((a) => a.routes ?? []) },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

for (const a of AREAS) a.install?.(router);

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${PRODUCT_TITLE}` : PRODUCT_TITLE;
});
