// API record types. Each one is the schema of the same name in the OpenAPI
// document the server prints (`ganxun openapi`), turned into TypeScript at
// build time (`make` writes openapi.d.ts beside this file with
// openapi-typescript): a field the server stops sending is a type error in
// every page that reads it. Times are epoch seconds (UTC).
//
// While the document has no `components.schemas` at all, the interfaces in
// the "fallback" section below stand in. Once it has any, a record type whose
// schema is missing becomes `MissingSchema<'Name'>` and breaks the build too.
import type { components } from './openapi';

type Schemas = components['schemas'];

/** Marks a record type the OpenAPI document does not describe (every use of a field is an error). */
export interface MissingSchema<Name extends string> {
  readonly __missing_schema_in_openapi_document: Name;
}

type Schema<Name extends string, Fallback> = [Schemas] extends [never]
  ? Fallback
  : Name extends keyof Schemas
    ? Schemas[Name]
    : MissingSchema<Name>;

/** The document spells roles as strings; the UI knows the closed set. */
type WithRoles<T> = T extends { roles: unknown } ? Omit<T, 'roles'> & { roles: RoleCode[] } : T;

export type User = WithRoles<Schema<'User', UserFallback>>;
export type Unit = Schema<'Unit', UnitFallback>;
/** A node of GET /units/tree. */
export type UnitNode = Schema<'UnitNode', UnitNodeFallback>;
export type CodeItem = Schema<'CodeItem', CodeItemFallback>;
export type Cadre = Schema<'Cadre', CadreFallback>;
export type CadreHistoryEntry = Schema<'CadreHistoryEntry', CadreHistoryEntryFallback>;
export type ImportReport = Schema<'ImportReport', ImportReportFallback>;
export type ImportError = ImportReport extends { errors: (infer E)[] } ? E : never;
export type YoungAgeLimit = Schema<'YoungAgeLimit', YoungAgeLimitFallback>;
export type SecurityPolicy = Schema<'SecurityPolicy', SecurityPolicyFallback>;
export type AuditEntry = Schema<'AuditEntry', AuditEntryFallback>;
export type AuditVerify = Schema<'AuditVerify', AuditVerifyFallback>;

// --- UI-side types (not records of the document) ------------------------------------

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

export interface SessionInfo {
  user: User;
  csrf_token: string;
}

/** The envelope of every paged list. */
export interface ListPage<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
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

export type CadreHistoryKind = 'transfer' | 'rank' | 'post' | 'status';

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

// --- fallback: used only while the document has no schemas (docs/api.md) ------------

interface UserFallback {
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

interface UnitFallback {
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

interface UnitNodeFallback extends UnitFallback {
  cadre_count: number;
  /** In-service cadres of the unit and all units below it. */
  cadre_total: number;
  children: UnitNodeFallback[];
}

interface CodeItemFallback {
  code: string;
  label: string;
}

interface CadreFallback {
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

interface CadreHistoryEntryFallback {
  id: number;
  kind: string;
  date: string;
  from_unit_id: number | null;
  from_unit_name: string | null;
  to_unit_id: number | null;
  to_unit_name: string | null;
  from_rank: string | null;
  to_rank: string | null;
  from_post: string | null;
  to_post: string | null;
  /** For a status change: the new status code. */
  note: string | null;
  recorded_at: number;
}

interface ImportReportFallback {
  dry_run: boolean;
  ok: boolean;
  format: string;
  encoding: string;
  rows: number;
  created: number;
  updated: number;
  error_count: number;
  errors: { row: number; column: string; field: string; message: string }[];
}

interface YoungAgeLimitFallback {
  id: number;
  rank_level: string;
  max_age: number;
  effective_from: string;
  effective_to: string | null;
}

interface SecurityPolicyFallback {
  password_min_length: number;
  lock_threshold: number;
  lock_minutes: number;
  session_idle_minutes: number;
  session_max_hours: number;
  version: number;
}

interface AuditEntryFallback {
  id: number;
  at: number;
  actor_id: number | null;
  actor: string | null;
  ip: string | null;
  action: string;
  entity: string | null;
  entity_id: number | string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

type AuditVerifyFallback =
  | { ok: true; checked: number }
  | { ok: false; checked: number; first_bad_id: number; reason: string };
