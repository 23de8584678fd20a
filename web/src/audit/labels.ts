// Chinese names for audit actions, entities, fields and values seen in
// before/after: the union of what every area declares (its audit-labels.json,
// see common/area.ts), plus the bookkeeping fields every record has.
import { AREAS } from '@/areas';

const labels = AREAS.flatMap((a) => (a.audit ? [a.audit] : []));

export const ACTION_LABELS: Record<string, string> = Object.assign({}, ...labels.map((l) => l.actions));

/** Prefixes offered in the action filter (the API matches action by prefix). */
export const ACTION_PREFIXES: { value: string; label: string }[] = labels.flatMap((l) => (l.prefix ? [l.prefix] : []));

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export const ENTITY_LABELS: Record<string, string> = Object.assign({}, ...labels.map((l) => l.entities ?? {}));

export function entityLabel(entity: string | null): string {
  if (!entity) return '';
  return ENTITY_LABELS[entity] ?? entity;
}

/** Field names; the order here is also the order rows appear in a before/after diff (identity first, bookkeeping last). */
export const FIELD_LABELS: Record<string, string> = Object.assign(
  { id: '编号', name: '姓名或名称' },
  ...labels.map((l) => l.fields ?? {}),
  { ip: 'IP 地址', last_login_at: '最近登录', created_at: '创建时间', updated_at: '修改时间', version: '版本' },
);

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? key;
}

/** Coded values that appear in before/after, by field (areas may add values to the same field). */
export const VALUE_LABELS: Record<string, Record<string, string>> = {};
for (const l of labels) {
  for (const [field, values] of Object.entries(l.values ?? {})) VALUE_LABELS[field] = { ...VALUE_LABELS[field], ...values };
}
