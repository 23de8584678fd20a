// Area "audit": the auditor's log viewer and chain check. Its own labels cover
// what the command line writes (no page of its own); every other area brings
// the labels of its actions (see common/area.ts).
import { Document } from '@element-plus/icons-vue';
import { menuMeta, type Area, type MenuEntry } from '@/common/area';
import audit from './audit-labels.json';

const entry: MenuEntry = {
  path: '/audit',
  title: '审计日志',
  icon: Document,
  roles: ['auditor'],
  summary: '按操作人、操作类型、对象和时间查询审计日志，查看变更前后对比，校验日志链是否完整。',
};

export const auditArea: Area = {
  menu: [entry],
  routes: [{ path: 'audit', name: 'audit', component: () => import('./AuditPage.vue'), meta: menuMeta(entry) }],
  audit,
};

export * from './api';
