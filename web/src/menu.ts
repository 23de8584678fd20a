// The left menu as a declarative table. A later business area adds one line
// here (and its routes in router.ts); the menu and the route guard both read
// the roles from this table.
import type { Component } from 'vue';
import { Avatar, Document, HomeFilled, Lock, OfficeBuilding, User } from '@element-plus/icons-vue';
import type { RoleCode } from '@/api/types';
import { ALL_ROLES } from '@/auth/roles';

export interface MenuEntry {
  path: string;
  title: string;
  icon: Component;
  roles: RoleCode[];
  /** One line for the home page: what the user can do there. */
  summary: string;
}

export const MENU: MenuEntry[] = [
  { path: '/', title: '首页', icon: HomeFilled, roles: ALL_ROLES, summary: '账户信息和可用功能。' },
  {
    path: '/users',
    title: '用户管理',
    icon: User,
    roles: ['sysadmin'],
    summary: '创建业务人员账号，修改姓名、角色和所属单位，停用或启用账号，重置密码。',
  },
  {
    path: '/security',
    title: '安全策略',
    icon: Lock,
    roles: ['secadmin'],
    summary: '设置密码最短长度、登录失败锁定次数与时长、会话空闲和最长时限。',
  },
  {
    path: '/audit',
    title: '审计日志',
    icon: Document,
    roles: ['auditor'],
    summary: '按操作人、操作类型、对象和时间查询审计日志，查看变更前后对比，校验日志链是否完整。',
  },
  {
    path: '/cadres',
    title: '干部名册',
    icon: Avatar,
    roles: ['orgadmin', 'liaison'],
    summary: '按姓名、拼音首字母、单位、职务职级、分管领域等查询干部，新增、修改、批量导入和导出干部信息，查看任职履历。',
  },
  {
    path: '/units',
    title: '单位管理',
    icon: OfficeBuilding,
    roles: ['orgadmin', 'liaison'],
    summary: '查看单位树及各单位在职干部人数，新建下级单位，修改、移动、合并单位。',
  },
];

export function menuFor(roles: readonly RoleCode[]): MenuEntry[] {
  return MENU.filter((m) => m.roles.some((r) => roles.includes(r)));
}

export function menuEntry(path: string): MenuEntry {
  const e = MENU.find((m) => m.path === path);
  if (!e) throw new Error('no menu entry for ' + path);
  return e;
}
