// Routes are what the areas declare (src/areas.ts): outer pages at the top
// level, the others inside the application shell. The guard reads each
// route's meta (title, roles, public) and knows no area.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ElMessage } from '@/common/feedback';
import { installClientHooks } from '@/api/client';
import { ensureSession, forget, hasAnyRole, markMustChangePassword, session } from '@/auth/session';
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

/** A redirect target from ?redirect= that stays inside the app. */
export function safeRedirect(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/login')) return '/';
  return raw;
}

router.beforeEach(async (to) => {
  if (to.meta.public) {
    // Already logged in: the login page has nothing to offer.
    if (to.name === 'login') {
      const user = await ensureSession();
      if (user) return user.must_change_password ? { name: 'password' } : safeRedirect(to.query.redirect);
    }
    return true;
  }
  const user = await ensureSession();
  if (!user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (user.must_change_password && to.name !== 'password') {
    return { name: 'password', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (to.meta.roles && !hasAnyRole(to.meta.roles)) {
    ElMessage.warning('您的角色无权访问该页面');
    return { name: 'home' };
  }
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${PRODUCT_TITLE}` : PRODUCT_TITLE;
});

installClientHooks({
  onUnauthenticated(message) {
    const current = router.currentRoute.value;
    forget();
    if (current.name === 'login') return;
    ElMessage({ type: 'warning', message: message || '登录已失效，请重新登录', grouping: true });
    const redirect = current.fullPath && current.fullPath !== '/' ? current.fullPath : undefined;
    void router.replace({ name: 'login', query: redirect ? { redirect } : {} });
  },
  onPasswordChangeRequired() {
    markMustChangePassword();
    const current = router.currentRoute.value;
    if (current.name === 'password') return;
    void router.replace({ name: 'password', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} });
  },
});

export { session };
