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
};

/** Prefixes offered in the action filter (the API matches action by prefix). */
export const ACTION_PREFIXES: { value: string; label: string }[] = [
  { value: 'auth.', label: '全部登录与会话类' },
  { value: 'user.', label: '全部用户管理类' },
  { value: 'security.', label: '全部安全策略类' },
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
