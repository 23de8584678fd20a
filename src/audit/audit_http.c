/* audit_http.c - the auditor's read-only view of the audit log: thin
 * handlers, the entry schemas, the area's descriptor. */
#include "audit.h"
#include "../account/account.h"
#include "../area.h"

#define F(member) AT(audit_filter, member)
static const qfield audit_query[] = {
    {"actor", Q_STR, 0, 64, "操作人用户名（精确匹配）", .at = F(actor)},
    {"action", Q_STR, 0, 64, "操作类型前缀，如 user.", .at = F(action)},
    {"entity", Q_STR, 0, 64, "对象类型", .at = F(entity)},
    {"entity_id", Q_ID, 1, INT64_MAX, "对象编号", .at = F(entity_id)},
    {"from", Q_INT, 0, INT64_MAX, "起始时间（秒）", .at = F(from)},
    {"to", Q_INT, 0, INT64_MAX, "截止时间（秒）", .at = F(to)},
    {0},
};
#undef F

static void h_audit_list(req *r)
{
    audit_filter f = {.from = -1, .to = -1};
    req_query(r, &f);
    req_paging(r, &f.page, &f.page_size);
    json_t *items = NULL;
    int64_t total = 0;
    gx_err e = GX_ERR_INIT;
    if (audit_list(r->db, r->a, &f, &items, &total, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_list(r, items, total, f.page, f.page_size);
}

static void h_audit_verify(req *r)
{
    audit_check c;
    if (audit_verify(r->db, &c)) {
        reply_db_error(r);
        return;
    }
    json_t *o = json_pack("{s:b,s:I}", "ok", c.ok, "checked", (json_int_t)c.checked);
    if (!c.ok) {
        json_object_set_new(o, "first_bad_id", json_integer(c.first_bad_id));
        json_object_set_new(o, "reason", json_string(c.reason));
    }
    reply_json(r, 200, o);
}

static void h_audit_lookup_limits(req *r)
{
    json_t *items = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = audit_lookup_limits(r->db, &items, &e);
    reply_result(r, rc, &e, 200, rc ? NULL : json_pack("{s:o}", "items", items));
}

/* --- the area --- */

static const char schemas[] = JSON_TEXT({
    "AuditEntry": {"type": "object", "additionalProperties": false,
                   "required": ["id", "at", "actor_id", "actor", "ip", "action", "entity", "entity_id", "before",
                                "after"],
                   "properties": {
                       "id": {"type": "integer"}, "at": {"type": "integer", "description": "Unix seconds"},
                       "actor_id": {"type": ["integer", "null"]}, "actor": {"type": "string"},
                       "ip": {"type": "string"}, "action": {"type": "string", "description": "one of x-audit-actions"},
                       "entity": {"type": "string"}, "entity_id": {"type": ["integer", "null"]},
                       "before": {"description": "the record before the change (JSON), or null"},
                       "after": {"description": "the record after the change (JSON), or null"}}},
    "LookupLimitHit": {"type": "object", "additionalProperties": false,
                       "required": ["actor_id", "actor", "times", "first_at", "last_at"],
                       "properties": {"actor_id": {"type": ["integer", "null"]}, "actor": {"type": "string"},
                                      "times": {"type": "integer", "description": "minutes in which the limit was reached"},
                                      "first_at": {"type": "integer"}, "last_at": {"type": "integer"}}},
    "AuditVerify": {"type": "object", "additionalProperties": false, "required": ["ok", "checked"],
                    "properties": {"ok": {"type": "boolean"}, "checked": {"type": "integer"},
                                   "first_bad_id": {"type": "integer"}, "reason": {"type": "string"}}}
});

static const route routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response, out */
    {M_GET, "/api/v1/audit", ROLE_AUDITOR, R_LIST, h_audit_list, NULL, audit_query, 0, "audit", "审计日志", "list of entries, newest first", "list:AuditEntry"},
    {M_GET, "/api/v1/audit/lookup-limits", ROLE_AUDITOR, 0, h_audit_lookup_limits, NULL, NULL, 0, "audit", "达到精确查询上限的账户（按身份证号、电话查询过于频繁）", "items", "items:LookupLimitHit"},
    {M_GET, "/api/v1/audit/verify", ROLE_AUDITOR, 0, h_audit_verify, NULL, NULL, 0, "audit", "校验审计日志哈希链", "ok, checked[, first_bad_id, reason]", "AuditVerify"},
    {0},
};

const area audit_area = {{"audit", routes, schemas, NULL}, NULL};
