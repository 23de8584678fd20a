// Area "cadres": the cadre registry (list, detail with history, form, import).
import { Avatar } from '@element-plus/icons-vue';
import { menuMeta, type Area, type MenuEntry } from '@/common/area';
import audit from './audit-labels.json';

const entry: MenuEntry = {
  path: '/cadres',
  title: '干部名册',
  icon: Avatar,
  roles: ['orgadmin', 'liaison'],
  summary: '按姓名、拼音首字母、单位、职务职级、分管领域等查询干部，新增、修改、批量导入和导出干部信息，查看任职履历。',
};

export const cadresArea: Area = {
  menu: [entry],
  routes: [
    { path: 'cadres', name: 'cadres', component: () => import('./CadresPage.vue'), meta: menuMeta(entry) },
    {
      path: 'cadres/import',
      name: 'cadre-import',
      component: () => import('./CadreImportPage.vue'),
      meta: menuMeta(entry, '导入干部'),
    },
    {
      path: 'cadres/:id(\\d+)',
      name: 'cadre',
      component: () => import('./CadreDetailPage.vue'),
      meta: menuMeta(entry, '干部详情'),
    },
  ],
  audit,
};

export * from './api';
