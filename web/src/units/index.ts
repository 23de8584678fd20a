// Area "units": the unit tree (create, edit, move, merge) and the maintainable code lists.
import { OfficeBuilding } from '@element-plus/icons-vue';
import { menuMeta, type Area, type MenuEntry } from '@/common/area';
import audit from './audit-labels.json';

const entry: MenuEntry = {
  path: '/units',
  title: '单位管理',
  icon: OfficeBuilding,
  roles: ['orgadmin', 'liaison'],
  summary: '查看单位树及各单位在职干部人数，新建下级单位，修改、移动、合并单位。',
};

export const unitsArea: Area = {
  menu: [entry],
  routes: [{ path: 'units', name: 'units', component: () => import('./UnitsPage.vue'), meta: menuMeta(entry) }],
  audit,
};

export * from './api';
