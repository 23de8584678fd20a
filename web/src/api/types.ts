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
  /** The login before the current one; null on the first login. */
  previous_login_at: number | null;
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
  short_name: string;
  parent_id: number | null;
  /** Code from the unit_type code list. */
  type: string;
  /** GB/T 2260 administrative division code. */
  division_code: string;
  sort_order: number;
  /** False once a unit is closed or merged. */
  active: boolean;
  /** The unit this one was merged into. */
  merged_into: number | null;
  version: number;
  /** In-service cadres of the unit itself (GET /units/{id} and the tree). */
  cadre_count?: number;
}

/** A node of GET /units/tree. */
export interface UnitNode extends Unit {
  cadre_count: number;
  /** In-service cadres of the unit and all units below it. */
  cadre_total: number;
  children: UnitNode[];
}

export interface CodeItem {
  code: string;
  label: string;
}

export type CodeKind =
  | 'gender'
  | 'political'
  | 'ethnicity'
  | 'education'
  | 'rank_level'
  | 'unit_type'
  | 'domain'
  | 'cadre_status';

export type CodeBook = Record<CodeKind, CodeItem[]>;

export interface Cadre {
  id: number;
  name: string;
  gender: string;
  birth_date: string;
  /** Derived by the server from the birth date. */
  age: number;
  /** Masked (321023********001X) unless revealed. */
  id_number: string;
  ethnicity: string;
  political: string;
  education: string;
  unit_id: number;
  unit_name: string;
  post: string;
  rank_level: string;
  rank_since: string | null;
  top_leader: boolean;
  team_member: boolean;
  young_talent: boolean;
  /** Within the age limit for young cadres of the rank (derived by the server). */
  young_eligible: boolean;
  expertise: string;
  /** Masked (184****5713). */
  phone: string;
  status: string;
  domains: string[];
  created_at: number;
  updated_at: number;
  version: number;
}

export type CadreHistoryKind = 'transfer' | 'rank' | 'post' | 'status';

export interface CadreHistoryItem {
  id: number;
  kind: CadreHistoryKind | string;
  date: string;
  from_unit_id: number | null;
  from_unit_name: string | null;
  to_unit_id: number | null;
  to_unit_name: string | null;
  from_rank: string | null;
  to_rank: string | null;
  from_post: string | null;
  to_post: string | null;
  from_status?: string | null;
  to_status?: string | null;
  note: string;
  recorded_at: number;
}

export interface ImportError {
  row: number;
  column: string;
  field: string;
  message: string;
}

export interface ImportReport {
  dry_run: boolean;
  ok: boolean;
  format: string;
  encoding: string;
  rows: number;
  created: number;
  updated: number;
  error_count: number;
  errors: ImportError[];
}

export interface PasswordRules {
  min_length: number;
  max_bytes: number;
  min_classes: number;
  no_username: boolean;
}

/** The error object every failing API response carries. */
export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  locked_until?: number;
  /** A cadre import that was refused at commit time carries its report. */
  report?: ImportReport;
}
