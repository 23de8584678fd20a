import { api, type RequestOptions } from '@/api/client';
import type { SecurityPolicy } from '@/api/types';

export type { SecurityPolicy };

export type PolicyField = Exclude<keyof SecurityPolicy, 'version'>;

/** Each policy field with its allowed range (docs/api.md) and how to explain it. */
export const POLICY_FIELDS: { key: PolicyField; label: string; unit: string; min: number; max: number; help: string }[] = [
  {
    key: 'password_min_length',
    label: '密码最短长度',
    unit: '个字符',
    min: 8,
    max: 64,
    help: '用户设置新密码时的最少字符数。密码还须包含小写字母、大写字母、数字、符号中的至少三类。',
  },
  {
    key: 'lock_threshold',
    label: '登录失败锁定次数',
    unit: '次',
    min: 3,
    max: 10,
    help: '连续输错密码达到此次数后，账户被临时锁定。',
  },
  { key: 'lock_minutes', label: '锁定时长', unit: '分钟', min: 1, max: 1440, help: '账户被锁定后，需等待多久才能再次登录。' },
  {
    key: 'session_idle_minutes',
    label: '会话空闲超时',
    unit: '分钟',
    min: 5,
    max: 120,
    help: '用户在此时间内无任何操作，登录自动失效。',
  },
  {
    key: 'session_max_hours',
    label: '会话最长时限',
    unit: '小时',
    min: 1,
    max: 24,
    help: '无论是否有操作，一次登录最长保持的时间。',
  },
  {
    key: 'import_max_rows_liaison',
    label: '专管员单次导入上限',
    unit: '行',
    min: 1,
    max: 100000,
    help: '单位专管员一次导入干部（含试导入）最多可包含的行数；组织部管理员不受此限制。',
  },
  {
    key: 'lookup_limit_per_minute',
    label: '精确查询次数上限',
    unit: '次/分钟',
    min: 1,
    max: 1000,
    help: '每个账户每分钟按身份证号或电话精确查询（含导出、导入和录入时的重复检查）的次数；超过后须等到下一分钟，并记入审计日志。',
  },
];

export const securityApi = {
  get: () => api.get<SecurityPolicy>('/security/policy'),
  put: (p: SecurityPolicy, opts?: RequestOptions) => api.put<SecurityPolicy>('/security/policy', p, opts),
};
