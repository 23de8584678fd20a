import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ElMessage } from '@/common/feedback';
import type { RoleCode } from '@/api/types';
import { installClientHooks } from '@/api/client';
import { ensureSession, forget, hasAnyRole, markMustChangePassword, session } from '@/auth/session';
import { menuEntry } from '@/menu';

export const PRODUCT_TITLE = '干部教育培训管理系统';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Roles that may open the page; absent = any logged-in user. */
    roles?: RoleCode[];
    /** Reachable without a session. */
    public?: boolean;
  }
}

function fromMenu(path: string) {
  const e = menuEntry(path);
  return { title: e.title, roles: e.roles };
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/auth/LoginPage.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/home/HomePage.vue'), meta: fromMenu('/') },
      {
        path: 'password',
        name: 'password',
        component: () => import('@/auth/PasswordPage.vue'),
        meta: { title: '修改密码' },
      },
      { path: 'users', name: 'users', component: () => import('@/users/UsersPage.vue'), meta: fromMenu('/users') },
      {
        path: 'security',
        name: 'security',
        component: () => import('@/security/SecurityPolicyPage.vue'),
        meta: fromMenu('/security'),
      },
      { path: 'audit', name: 'audit', component: () => import('@/audit/AuditPage.vue'), meta: fromMenu('/audit') },
      { path: 'units', name: 'units', component: () => import('@/units/UnitsPage.vue'), meta: fromMenu('/units') },
      { path: 'cadres', name: 'cadres', component: () => import('@/cadres/CadresPage.vue'), meta: fromMenu('/cadres') },
      {
        path: 'cadres/import',
        name: 'cadre-import',
        component: () => import('@/cadres/CadreImportPage.vue'),
        meta: { ...fromMenu('/cadres'), title: '导入干部' },
      },
      {
        path: 'cadres/:id(\\d+)',
        name: 'cadre',
        component: () => import('@/cadres/CadreDetailPage.vue'),
        meta: { ...fromMenu('/cadres'), title: '干部详情' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/layout/NotFound.vue'),
        meta: { title: '页面不存在' },
      },
    ],
  },
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
