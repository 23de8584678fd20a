// The session guard: pages need a session unless their meta says `public`, a
// forced password change comes first, and `meta.roles` keeps out other roles.
// Also the client's reactions to a lost session (401) and to a forced password
// change (403). Installed on the router by the auth area (index.ts).
import type { Router } from 'vue-router';
import { ElMessage } from '@/common/feedback';
import { installClientHooks } from '@/api/client';
import { ensureSession, forget, hasAnyRole, markMustChangePassword } from './session';

/** A redirect target from ?redirect= that stays inside the app. */
export function safeRedirect(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/login')) return '/';
  return raw;
}

export function installAuthGuard(router: Router): void {
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
}
