// Shapes from docs/api.md. Times are epoch seconds (UTC).

export type RoleCode =
  | 'sysadmin'
  | 'secadmin'
  | 'auditor'
  | 'orgadmin'
  | 'instadmin'
  | 'liaison'
  | 'advisor'
  | 'lecturer'
  | 'trainee';

export interface User {
  id: number;
  username: string;
  display_name: string;
  roles: RoleCode[];
  unit_id: number | null;
  unit_name: string | null;
  disabled: boolean;
  must_change_password: boolean;
  locked_until: number | null;
  last_login_at: number | null;
  created_at: number;
  version: number;
}

export interface SessionInfo {
  user: User;
  csrf_token: string;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface Unit {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
  version: number;
  /** Added by the registry module: false once a unit is closed or merged. */
  active?: boolean;
}

/** The error object every failing API response carries. */
export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  locked_until?: number;
}
