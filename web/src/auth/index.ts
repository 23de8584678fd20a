// Area "auth": login, the forced and voluntary password change, the session.
import type { Area } from '@/common/area';
import audit from './audit-labels.json';
import { installAuthGuard } from './guard';

export const authArea: Area = {
  outerRoutes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./LoginPage.vue'),
      meta: { title: '登录', public: true },
    },
  ],
  routes: [{ path: 'password', name: 'password', component: () => import('./PasswordPage.vue'), meta: { title: '修改密码' } }],
  audit,
  install: installAuthGuard,
};

export * from './session';
export * from './roles';
