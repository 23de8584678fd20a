// Area "home": the landing page (account facts and what each role can do).
import { HomeFilled } from '@element-plus/icons-vue';
import { menuMeta, type Area, type MenuEntry } from '@/common/area';
import { ALL_ROLES } from '@/auth/roles';

const entry: MenuEntry = { path: '/', title: '首页', icon: HomeFilled, roles: ALL_ROLES, summary: '账户信息和可用功能。' };

export const homeArea: Area = {
  menu: [entry],
  routes: [{ path: '', name: 'home', component: () => import('./HomePage.vue'), meta: menuMeta(entry) }],
};
