// Chinese names for audit actions, entities and the fields seen in before/after.
import { POLICY_FIELDS } from '@/security/api';

export const ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.locked': '账户锁定',
  'auth.logout': '退出登录',
  'auth.password': '修改本人密码',
  'user.create': '创建用户',
  'user.update': '修改用户',
  'user.reset_password': '重置用户密码',
  'security.policy': '修改安全策略',
  'demo.build': '生成演示数据',
  'unit.create': '新建单位',
  'unit.update': '修改单位',
  'unit.move': '移动单位',
  'unit.merge': '合并单位',
  'cadre.create': '新增干部',
  'cadre.update': '修改干部信息',
  'cadre.import': '导入干部',
  'cadre.export': '导出干部名册',
  'cadre.reveal': '查看完整身份证号和电话',
  'code.put': '维护代码表',
};

/** Prefixes offered in the action filter (the API matches action by prefix). */
export const ACTION_PREFIXES: { value: string; label: string }[] = [
  { value: 'auth.', label: '全部登录与会话类' },
  { value: 'user.', label: '全部用户管理类' },
  { value: 'security.', label: '全部安全策略类' },
  { value: 'unit.', label: '全部单位管理类' },
  { value: 'cadre.', label: '全部干部信息类' },
];

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export const ENTITY_LABELS: Record<string, string> = {
  user: '用户',
  session: '会话',
  security_policy: '安全策略',
  policy: '安全策略',
  unit: '单位',
  cadre: '干部',
  code_item: '代码项',
};

export function entityLabel(entity: string | null): string {
  if (!entity) return '';
  return ENTITY_LABELS[entity] ?? entity;
}

/** Field names; the order here is also the order rows appear in a before/after diff. */
export const FIELD_LABELS: Record<string, string> = {
  id: '编号',
  username: '用户名',
  display_name: '姓名',
  roles: '角色',
  unit_id: '所属单位编号',
  unit_name: '所属单位',
  disabled: '已停用',
  must_change_password: '须修改密码',
  locked_until: '锁定至',
  failed_logins: '连续失败次数',
  reason: '原因',
  ...Object.fromEntries(POLICY_FIELDS.map((f) => [f.key, f.label])),
  // Units
  code: '代码',
  name: '姓名或名称',
  short_name: '简称',
  parent_id: '上级单位编号',
  type: '类型',
  division_code: '行政区划代码',
  sort_order: '排序号',
  active: '启用',
  merged_into: '并入单位编号',
  // Cadres
  gender: '性别',
  birth_date: '出生日期',
  id_number: '身份证号',
  ethnicity: '民族',
  political: '政治面貌',
  education: '学历',
  post: '职务',
  rank_level: '职务职级',
  rank_since: '任现职级时间',
  top_leader: '一把手',
  team_member: '班子成员',
  young_talent: '优秀年轻干部',
  domains: '分管领域',
  expertise: '专业专长',
  phone: '联系电话',
  status: '状态',
  fields: '查看的字段',
  rows: '行数',
  created: '新增',
  updated: '更新',
  q: '查询条件',
  kind: '代码表',
  label: '名称',
  ip: 'IP 地址',
  last_login_at: '最近登录',
  created_at: '创建时间',
  updated_at: '修改时间',
  version: '版本',
};

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? key;
}

/** Coded values that appear in before/after, by field. */
export const VALUE_LABELS: Record<string, Record<string, string>> = {
  reason: {
    bad_password: '密码错误',
    unknown_user: '用户名不存在',
    locked: '账户锁定期间尝试登录',
    disabled: '账户已停用',
  },
};
