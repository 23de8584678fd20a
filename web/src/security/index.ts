// Area "security": the security policy, kept by the security administrator.
import { Lock } from '@element-plus/icons-vue';
import { menuMeta, type Area, type MenuEntry } from '@/common/area';
import { POLICY_FIELDS } from './api';
import labels from './audit-labels.json';

const entry: MenuEntry = {
  path: '/security',
  title: '安全策略',
  icon: Lock,
  roles: ['secadmin'],
  summary: '设置密码最短长度、登录失败锁定次数与时长、会话空闲和最长时限、单位专管员单次导入上限、身份证号和电话精确查询频率。',
};

export const securityArea: Area = {
  menu: [entry],
  routes: [
    { path: 'security', name: 'security', component: () => import('./SecurityPolicyPage.vue'), meta: menuMeta(entry) },
  ],
  // The policy's field names are those of the policy form.
  audit: { ...labels, fields: Object.fromEntries(POLICY_FIELDS.map((f) => [f.key, f.label])) },
};

export * from './api';
