// Area "users": business accounts, managed by the system administrator.
import { User } from '@element-plus/icons-vue';
import { menuMeta, type Area, type MenuEntry } from '@/common/area';
import audit from './audit-labels.json';

const entry: MenuEntry = {
  path: '/users',
  title: '用户管理',
  icon: User,
  roles: ['sysadmin'],
  summary: '创建业务人员账号，修改姓名、角色和所属单位，停用或启用账号，重置密码。',
};

export const usersArea: Area = {
  menu: [entry],
  routes: [{ path: 'users', name: 'users', component: () => import('./UsersPage.vue'), meta: menuMeta(entry) }],
  audit,
};

export * from './api';
