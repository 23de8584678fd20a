// API record types. Each one is the schema of the same name in the OpenAPI
// document the server prints (`ganxun openapi`), turned into TypeScript at
// build time (`make` writes openapi.d.ts beside this file with
// openapi-typescript): a field the server stops sending is a type error in
// every page that reads it, and a schema that disappears is one here. Only
// the types below "UI-side" are written by hand. Times are epoch seconds (UTC).
import type { components } from './openapi';

type Schemas = components['schemas'];

export type User = Schemas['User'];
/** GET /auth/me and POST /auth/login. */
export type SessionInfo = Schemas['SessionUser'];
export type RoleCode = User['roles'][number];
export type PasswordRules = Schemas['PasswordRules'];
export type Unit = Schemas['Unit'];
/** A node of GET /units/tree. */
export type UnitNode = Schemas['UnitNode'];
export type CodeItem = Schemas['CodeItem'];
export type Cadre = Schemas['Cadre'];
export type CadreHistoryEntry = Schemas['CadreHistoryEntry'];
export type CadreReveal = Schemas['CadreReveal'];
export type ImportReport = Schemas['ImportReport'];
export type ImportError = Schemas['ImportError'];
export type YoungAgeLimit = Schemas['YoungAgeLimit'];
export type SecurityPolicy = Schemas['SecurityPolicy'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditVerify = Schemas['AuditVerify'];
export type LookupLimitHit = Schemas['LookupLimitHit'];

/**
 * The error object every failing API response carries. Two answers add a
 * field the generic schema does not name: a locked account (`locked_until`)
 * and a refused cadre import (`report`).
 */
export type ApiErrorBody = Schemas['Error']['error'] & {
  locked_until?: number;
  report?: ImportReport;
};

// --- UI-side types -------------------------------------------------------------------

/** The envelope of every paged list. */
export interface ListPage<T> {
  items: T[];
  total: number;
  /** false: more than `total` match (a list that stops counting at a cap, e.g. the cadre list at 10,000) */
  total_exact?: boolean;
  page: number;
  page_size: number;
}

/** The code lists the UI reads (GET /codes answers them all). */
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

export type CadreHistoryKind = CadreHistoryEntry['kind'];
