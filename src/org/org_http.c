/* org_http.c - the organisation area's routes: thin handlers for units and
 * code lists, the hooks through which the server asks for a caller's data
 * scope and checks codes, and the area's descriptor. */
#include "org_http.h"
#include "org.h"
#include "../area.h"
#include "../base/util.h"

#include <string.h>

/* --- hooks the application installs (http_hooks) --- */

int org_request_scope(req *r)
{
    scope *s = arena_alloc(r->a, sizeof *s);
    gx_err e = GX_ERR_INIT;
    if (scope_of(r->db, r->a, r->user.roles, r->user.unit_id, s, &e)) {
        reply_err(r, &e);
        return -1;
    }
    r->scope = s;
    return 0;
}

int org_code_valid(db *d, const char *kind, const char *code) { return code_exists(d, kind, code); }

/* --- input tables --- */

static const jfield unit_create_body[] = {
    {"code", JF_STR, 1, 1, 32, "单位代码（唯一）", .at = AT(unit_in, code)},
    {"name", JF_STR, 1, 1, 64, "单位全称", .at = AT(unit_in, name)},
    {"short_name", JF_STR, 0, 0, 32, "简称", .at = AT(unit_in, short_name)},
    {"parent_id", JF_ID | JF_NULL, 0, 1, INT64_MAX, "上级单位", .at = AT(unit_in, parent_id)},
    {"type", JF_STR, 0, 0, 32, "单位类型代码（代码表 unit_type）", .at = AT(unit_in, type)},
    {"division_code", JF_STR, 0, 0, 6, "行政区划代码（GB/T 2260）", .at = AT(unit_in, division_code)},
    {"sort_order", JF_INT, 0, -1000000, 1000000, "排序号", .at = AT(unit_in, sort_order)},
    {"active", JF_BOOL, 0, 0, 0, "是否启用", .at = AT(unit_in, active)},
    {0},
};

static const jfield unit_patch_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号", .at = AT(unit_patch, version)},
    {"code", JF_STR, 0, 1, 32, "单位代码", .at = AT(unit_patch, code)},
    {"name", JF_STR, 0, 1, 64, "单位全称", .at = AT(unit_patch, name)},
    {"short_name", JF_STR, 0, 0, 32, "简称", .at = AT(unit_patch, short_name)},
    {"type", JF_STR, 0, 0, 32, "单位类型代码", .at = AT(unit_patch, type)},
    {"division_code", JF_STR, 0, 0, 6, "行政区划代码", .at = AT(unit_patch, division_code)},
    {"sort_order", JF_INT, 0, -1000000, 1000000, "排序号", .at = AT(unit_patch, sort_order)},
    {"active", JF_BOOL, 0, 0, 0, "是否启用", .at = AT(unit_patch, active)},
    {0},
};

typedef struct unit_move_in {
    int64_t version, parent_id, into_id;
    const char *date;
} unit_move_in;

static const jfield unit_move_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号", .at = AT(unit_move_in, version)},
    {"parent_id", JF_ID, 1, 1, INT64_MAX, "新的上级单位", .at = AT(unit_move_in, parent_id)},
    {0},
};

static const jfield unit_merge_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "被合并单位读取时的版本号", .at = AT(unit_move_in, version)},
    {"into_id", JF_ID, 1, 1, INT64_MAX, "并入的单位", .at = AT(unit_move_in, into_id)},
    {"date", JF_DATE, 0, 10, 10, "合并日期 YYYY-MM-DD（默认今天）", .at = AT(unit_move_in, date)},
    {0},
};

static const qfield units_query[] = {
    {"q", Q_STR, 0, 64, "名称、简称或代码包含", .at = AT(unit_filter, q)},
    {"parent_id", Q_ID, 1, INT64_MAX, "直接上级", .at = AT(unit_filter, parent_id)},
    {"within", Q_ID, 1, INT64_MAX, "某单位及其下级", .at = AT(unit_filter, within)},
    {"type", Q_CODE, 0, 32, "单位类型代码", "unit_type", AT(unit_filter, type)},
    {"active", Q_BOOL, 0, 0, "是否启用", .at = AT(unit_filter, active)},
    {0},
};

static const char *const managed_kinds[] = {"domain", "unit_type", NULL};

static const jfield code_put_body[] = {
    {"kind", JF_ENUM, 1, 1, 32, "代码表：domain（分管领域）或 unit_type（单位类型）", managed_kinds, AT(code_item_in, kind)},
    {"code", JF_STR, 1, 1, 16, "代码（字母、数字、下划线）", .at = AT(code_item_in, code)},
    {"label", JF_STR, 1, 1, 32, "名称", .at = AT(code_item_in, label)},
    {"sort_order", JF_INT, 0, 0, 10000, "排序号", .at = AT(code_item_in, sort_order)},
    {"active", JF_BOOL, 0, 0, 0, "是否启用（停用的代码不能再选用，已有记录保留）", .at = AT(code_item_in, active)},
    {0},
};

typedef struct codes_in {
    const char *kind;
    int all;
} codes_in;

static const qfield codes_query[] = {
    {"kind", Q_STR, 0, 32, "代码表名称；省略时返回全部", .at = AT(codes_in, kind)},
    {"all", Q_BOOL, 0, 0, "true 时包括已停用的项（带 active），用于显示已有记录", .at = AT(codes_in, all)},
    {0},
};

/* --- handlers --- */

static void h_units_list(req *r)
{
    unit_filter f = {.active = -1};
    req_query(r, &f);
    req_paging(r, &f.page, &f.page_size);
    json_t *items;
    int64_t total;
    gx_err e = GX_ERR_INIT;
    if (units_list(r->db, r->a, r->scope, &f, &items, &total, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_list(r, items, total, f.page, f.page_size);
}

static void h_units_tree(req *r)
{
    json_t *tree = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = units_tree(r->db, r->a, r->scope, &tree, &e);
    reply_result(r, rc, &e, 200, rc ? NULL : json_pack("{s:o}", "items", tree));
}

static void h_units_get(req *r)
{
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = units_get(r->db, r->a, r->scope, r->ids[0], &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_units_create(req *r)
{
    unit_in in = {.active = 1};
    req_body(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_create(r->db, r->a, r->scope, &who, &in, &out, &e);
    reply_result(r, rc, &e, 201, out);
}

static void h_units_patch(req *r)
{
    unit_patch p = {.sort_order = UNIT_SORT_UNCHANGED, .active = -1};
    req_body(r, &p);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_update(r->db, r->a, r->scope, &who, r->ids[0], &p, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_units_move(req *r)
{
    unit_move_in in = {0};
    req_body(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_move(r->db, r->a, r->scope, &who, r->ids[0], in.version, in.parent_id, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_units_merge(req *r)
{
    unit_move_in in = {0};
    req_body(r, &in);
    if (!in.date) {
        char *t = arena_alloc(r->a, 11);
        gx_today(t);
        in.date = t;
    }
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_merge(r->db, r->a, r->scope, &who, r->ids[0], in.version, in.into_id, in.date, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_codes(req *r)
{
    codes_in in = {0};
    req_query(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = codes_get(r->db, in.kind, in.all, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_codes_put(req *r)
{
    code_item_in in = {.sort_order = -1, .active = -1};
    req_body(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = codes_put(r->db, &who, &in, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

/* --- the area --- */

static const char schemas[] = JSON_TEXT({
    "Unit": {"type": "object", "additionalProperties": false,
             "required": ["id", "code", "name", "short_name", "parent_id", "type", "division_code", "sort_order",
                          "active", "merged_into", "version"],
             "properties": {
                 "id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"},
                 "short_name": {"type": "string"}, "parent_id": {"type": ["integer", "null"]},
                 "type": {"type": "string", "description": "unit_type code, or empty"},
                 "division_code": {"type": "string"}, "sort_order": {"type": "integer"},
                 "active": {"type": "boolean"}, "merged_into": {"type": ["integer", "null"]},
                 "version": {"type": "integer"},
                 "cadre_count": {"type": "integer", "description": "serving cadres of the unit itself (GET /units/{id})"}}},
    "UnitNode": {"type": "object", "additionalProperties": false,
                 "required": ["id", "code", "name", "short_name", "parent_id", "type", "division_code", "sort_order",
                              "active", "merged_into", "version", "cadre_count", "cadre_total", "children"],
                 "properties": {
                     "id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"},
                     "short_name": {"type": "string"}, "parent_id": {"type": ["integer", "null"]},
                     "type": {"type": "string"}, "division_code": {"type": "string"},
                     "sort_order": {"type": "integer"}, "active": {"type": "boolean"},
                     "merged_into": {"type": ["integer", "null"]}, "version": {"type": "integer"},
                     "cadre_count": {"type": "integer", "description": "serving cadres of the unit itself"},
                     "cadre_total": {"type": "integer", "description": "serving cadres of its subtree"},
                     "children": {"type": "array", "items": {"$ref": "#/components/schemas/UnitNode"}}}},
    "CodeItem": {"type": "object", "additionalProperties": false, "required": ["code", "label"],
                 "properties": {"code": {"type": "string"}, "label": {"type": "string"},
                                "active": {"type": "boolean", "description": "only with all=true"}}},
    "CodeLists": {"type": "object", "description": "code-list name -> items",
                  "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/CodeItem"}}},
    "ManagedCodeItem": {"type": "object", "additionalProperties": false,
                        "required": ["kind", "code", "label", "sort_order", "active"],
                        "properties": {"kind": {"type": "string", "enum": ["domain", "unit_type"]},
                                       "code": {"type": "string"}, "label": {"type": "string"},
                                       "sort_order": {"type": "integer"}, "active": {"type": "boolean"}}}
});

static const char *const audit_actions[] = {"unit.create", "unit.update", "unit.move", "unit.merge", "code.put", NULL};

#define ANY 0u
#define REG (ROLE_ORGADMIN | ROLE_LIAISON)

static const route routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response, out */
    {M_GET, "/api/v1/units", ANY, R_LIST | R_SCOPED, h_units_list, NULL, units_query, 0, "units", "单位列表（专管员仅本单位及下级）", "list of Unit", "list:Unit"},
    {M_GET, "/api/v1/units/tree", REG, R_SCOPED, h_units_tree, NULL, NULL, 0, "units", "单位树及在职干部人数", "items: nested Unit with children, cadre_count, cadre_total", "items:UnitNode"},
    {M_POST, "/api/v1/units", REG, R_CREATED | R_SCOPED, h_units_create, unit_create_body, NULL, 0, "units", "新建单位", "Unit (201)", "Unit"},
    {M_GET, "/api/v1/units/{id}", ANY, R_SCOPED, h_units_get, NULL, NULL, 0, "units", "查看单位", "Unit with cadre_count", "Unit"},
    {M_PATCH, "/api/v1/units/{id}", REG, R_SCOPED, h_units_patch, unit_patch_body, NULL, 0, "units", "修改单位", "Unit", "Unit"},
    {M_POST, "/api/v1/units/{id}/move", REG, R_SCOPED, h_units_move, unit_move_body, NULL, 0, "units", "移动单位（下级单位和干部随之移动）", "Unit", "Unit"},
    {M_POST, "/api/v1/units/{id}/merge", REG, R_SCOPED, h_units_merge, unit_merge_body, NULL, 0, "units", "合并单位（干部、下级单位、账户并入目标单位）", "the merged (now inactive) Unit", "Unit"},
    {M_PUT, "/api/v1/codes", ROLE_ORGADMIN, 0, h_codes_put, code_put_body, NULL, 0, "units", "新增或修改可维护代码（分管领域、单位类型）", "the item", "ManagedCodeItem"},
    {M_GET, "/api/v1/codes", ANY, 0, h_codes, NULL, codes_query, 0, "units", "代码表（性别、政治面貌、民族、学历、职级、单位类型、分管领域、干部状态）", "{kind: [{code,label}]}", "CodeLists"},
    {0},
};

const area org_area = {{"org", routes, schemas, audit_actions}, NULL};
