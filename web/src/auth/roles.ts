import type { RoleCode } from '@/api/types';

/** Role codes and their Chinese names (docs/api.md, "Roles"). */
export const ROLE_NAMES: Record<RoleCode, string> = {
  sysadmin: '系统管理员',
  secadmin: '安全保密管理员',
  auditor: '安全审计员',
  orgadmin: '组织部管理员',
  instadmin: '培训机构管理员',
  liaison: '单位专管员',
  advisor: '班主任',
  lecturer: '教师',
  trainee: '学员',
};

/** What each role is for, in the words users know (shown on the home page). */
export const ROLE_DUTIES: Record<RoleCode, string> = {
  sysadmin: '管理业务人员的用户账号：创建、修改、停用、重置密码，分配角色和所属单位。',
  secadmin: '维护系统安全策略：密码长度、登录失败锁定、会话时限。',
  auditor: '查阅并校验审计日志；只读，不能修改任何数据。',
  orgadmin: '统筹干部教育培训：年度计划、统一审批、名额分配、学时认定，可查看全部业务数据。',
  instadmin: '负责本培训机构承办的培训班。',
  liaison: '负责本单位及下属单位的干部培训事务。',
  advisor: '负责所带培训班的学员管理。',
  lecturer: '承担授课任务，查看本人课程与评估结果。',
  trainee: '参加调训的干部，查看本人调训安排、签到和学时。',
};

/** 三员: administrator roles given only on the command line, never through the API. */
export const ADMIN_ROLES: RoleCode[] = ['sysadmin', 'secadmin', 'auditor'];

/** Business roles a system administrator may assign. */
export const BUSINESS_ROLES: RoleCode[] = ['orgadmin', 'instadmin', 'liaison', 'advisor', 'lecturer', 'trainee'];

export const ALL_ROLES: RoleCode[] = [...ADMIN_ROLES, ...BUSINESS_ROLES];

export function roleName(code: string): string {
  return (ROLE_NAMES as Record<string, string>)[code] ?? code;
}

export function isAdminAccount(roles: readonly string[]): boolean {
  return roles.some((r) => (ADMIN_ROLES as string[]).includes(r));
}
