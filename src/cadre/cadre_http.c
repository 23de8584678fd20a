/* cadre_http.c - the cadre area's routes: thin handlers (bound input ->
 * cadre_in / cadre_filter -> module -> JSON, or .xlsx for the export), and
 * the area's descriptor. */
#include "cadre.h"
#include "export.h"
#include "import.h"
#include "../area.h"
#include "../http/multipart.h"
#include "../sheet/sheet.h"

#include <strings.h>

#include <string.h>

/* --- input tables --- */

#define C(member) AT(cadre_in, member)
#define FIELDS_COMMON                                                                                              \
    {"name", JF_STR, 0, 1, 32, "姓名", .at = C(name)},                                                             \
        {"gender", JF_STR, 0, 0, 8, "性别代码（GB/T 2261.1），须与身份证号一致", .at = C(gender)},                  \
        {"birth_date", JF_STR, 0, 0, 10, "出生日期 YYYY-MM-DD，须与身份证号一致", .at = C(birth_date)},             \
        {"id_number", JF_STR, 0, 1, 24, "公民身份号码（GB 11643）", .at = C(id_number)},                             \
        {"unit_id", JF_ID, 0, 1, INT64_MAX, "所在单位", .at = C(unit_id)},                                          \
        {"post", JF_STR, 0, 0, 64, "职务", .at = C(post)},                                                          \
        {"rank_level", JF_STR, 0, 1, 16, "职务职级代码（GB/T 12407 及职级序列）", .at = C(rank_level)},              \
        {"rank_since", JF_DATE | JF_NULL, 0, 0, 10, "任现职级时间 YYYY-MM-DD", .at = C(rank_since)},                \
        {"top_leader", JF_BOOL, 0, 0, 0, "一把手", .at = C(top_leader)},                                            \
        {"team_member", JF_BOOL, 0, 0, 0, "班子成员", .at = C(team_member)},                                        \
        {"young_talent", JF_BOOL, 0, 0, 0, "优秀年轻干部", .at = C(young_talent)},                                  \
        {"domains", JF_STR_ARRAY, 0, 0, CADRE_MAX_DOMAINS, "分管领域代码", .at = C(domains)},                        \
        {"phone", JF_STR, 0, 0, 24, "联系电话", .at = C(phone)},                                                    \
        {"status", JF_STR, 0, 0, 8, "干部状态代码：1 在职 2 调出 3 退休 4 去世", .at = C(status)},                   \
        {"ethnicity", JF_STR, 0, 0, 16, "民族代码（GB 3304）", .at = C(ethnicity)},                                  \
        {"political", JF_STR, 0, 0, 16, "政治面貌代码（GB/T 4762）", .at = C(political)},                            \
        {"education", JF_STR, 0, 0, 16, "学历代码", .at = C(education)},                                            \
        {"expertise", JF_STR, 0, 0, 200, "专业专长", .at = C(expertise)}

/* Codes may also be given as their Chinese labels (as in the import), so
 * cadre_check resolves them against the code book rather than the edge. */
static const jfield cadre_create_body[] = {FIELDS_COMMON, {0}};

static const jfield cadre_patch_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号", .at = C(version)},
    {"changed_on", JF_DATE, 0, 10, 10, "调动、晋升发生日期（记入履历，默认今天）", .at = C(changed_on)},
    FIELDS_COMMON,
    {0},
};
#undef C

typedef struct import_q {
    int dry_run;
} import_q;

static const qfield import_query[] = {
    {"dry_run", Q_BOOL, 0, 0, "true（默认）只检查并报告；false 检查无误后全部导入", .at = AT(import_q, dry_run)},
    {0},
};

/* The list's query as bound; turned into a cadre_filter. */
typedef struct cadres_q {
    const char *q, *rank_level, *domain, *status, *gender, *political, *sort, *order;
    int64_t unit_id, age_min, age_max;
    int subtree, top_leader, team_member, young_talent;
} cadres_q;

static const char *const sort_keys[] = {"name", "birth_date", "rank_level", "unit", "updated_at", NULL};
static const char *const orders[] = {"asc", "desc", NULL};

#define Q(member) AT(cadres_q, member)
static const qfield cadres_query[] = {
    {"q", Q_STR, 0, 32, "姓名前缀、姓名拼音首字母、身份证号或电话", .at = Q(q)},
    {"unit_id", Q_ID, 1, INT64_MAX, "单位", .at = Q(unit_id)},
    {"subtree", Q_BOOL, 0, 0, "含下级单位（默认 true）", .at = Q(subtree)},
    {"rank_level", Q_CODES, 0, 100, "职务职级代码，逗号分隔（最多 100 个）", "rank_level", Q(rank_level)},
    {"domain", Q_CODES, 0, 50, "分管领域代码，逗号分隔（任一，最多 50 个）", "domain", Q(domain)},
    {"top_leader", Q_BOOL, 0, 0, "一把手", .at = Q(top_leader)},
    {"team_member", Q_BOOL, 0, 0, "班子成员", .at = Q(team_member)},
    {"young_talent", Q_BOOL, 0, 0, "优秀年轻干部", .at = Q(young_talent)},
    {"age_min", Q_INT, 0, 150, "最小年龄（按出生年月计，出生当月起算满一岁）", .at = Q(age_min)},
    {"age_max", Q_INT, 0, 150, "最大年龄（按出生年月计）", .at = Q(age_max)},
    {"status", Q_CODE, 0, 8, "干部状态代码", "cadre_status", Q(status)},
    {"gender", Q_CODE, 0, 8, "性别代码", "gender", Q(gender)},
    {"political", Q_CODE, 0, 8, "政治面貌代码", "political", Q(political)},
    {"sort", Q_ENUM, 0, 16, "排序：name（拼音）、birth_date（出生年月）、rank_level、unit、updated_at", sort_keys, Q(sort)},
    {"order", Q_ENUM, 0, 4, "asc 或 desc", orders, Q(order)},
    {0},
};
#undef Q

typedef struct limit_in {
    const char *rank_level, *effective_from;
    int64_t max_age;
} limit_in;

static const jfield young_limit_body[] = {
    {"rank_level", JF_CODE, 1, 1, 16, "职务职级代码", "rank_level", AT(limit_in, rank_level)},
    {"max_age", JF_INT, 1, 18, 70, "优秀年轻干部年龄上限（周岁，含）", .at = AT(limit_in, max_age)},
    {"effective_from", JF_DATE, 1, 10, 10, "生效日期 YYYY-MM-DD", .at = AT(limit_in, effective_from)},
    {0},
};

/* --- handlers --- */

/* The list's filter; -1 after replying on a bad combination. */
static int parse_filter(req *r, cadre_filter *f)
{
    cadres_q q = {.subtree = 1, .top_leader = -1, .team_member = -1, .young_talent = -1, .age_min = -1, .age_max = -1};
    req_query(r, &q);
    if (q.age_min >= 0 && q.age_max >= 0 && q.age_min > q.age_max) {
        gx_err e = GX_ERR_INIT;
        gx_fail(&e, GX_EBADQUERY, NULL);
        e.fields = json_pack("{s:s}", "age_max", "不能小于最小年龄");
        reply_err(r, &e);
        return -1;
    }
    *f = (cadre_filter){
        .q = q.q,
        .unit_id = q.unit_id,
        .subtree = q.subtree,
        .rank_levels = q.rank_level,
        .domains = q.domain,
        .top_leader = q.top_leader,
        .team_member = q.team_member,
        .young_talent = q.young_talent,
        .age_min = (int)q.age_min,
        .age_max = (int)q.age_max,
        .status = q.status,
        .gender = q.gender,
        .political = q.political,
        .sort = q.sort,
        .desc = q.order && !strcmp(q.order, "desc"),
    };
    gx_actor *who = arena_alloc(r->a, sizeof *who); /* an exact ID-number or phone search is charged to the caller */
    *who = req_who(r);
    f->who = who;
    req_paging(r, &f->page, &f->page_size);
    return 0;
}

static void collect(void *ctx, json_t *cadre) { json_array_append_new(ctx, cadre); }

static void h_cadres_list(req *r)
{
    cadre_filter f;
    if (parse_filter(r, &f))
        return;
    gx_err e = GX_ERR_INIT;
    codebook *cb = codebook_load(r->db, &e);
    if (!cb) {
        reply_err(r, &e);
        return;
    }
    json_t *items = json_array();
    int64_t total = 0;
    int exact = 1;
    int rc = cadres_list(r->db, r->a, r->scope, cb, &f, CADRE_COUNT_MAX, collect, items, &total, &exact, &e);
    codebook_free(cb);
    if (rc) {
        json_decref(items);
        reply_err(r, &e);
        return;
    }
    json_t *o = json_pack("{s:o,s:I,s:b,s:I,s:I}", "items", items, "total", (json_int_t)total, "total_exact", exact,
                          "page", (json_int_t)f.page, "page_size", (json_int_t)f.page_size);
    reply_json(r, 200, o);
}

static void h_cadres_create(req *r)
{
    cadre_in in = {.top_leader = -1, .team_member = -1, .young_talent = -1};
    req_body(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = cadres_create(r->db, r->a, r->scope, &who, &in, &out, &e);
    reply_result(r, rc, &e, 201, out);
}

static void h_cadres_get(req *r)
{
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = cadres_get(r->db, r->a, r->scope, r->ids[0], &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_cadres_patch(req *r)
{
    cadre_in in = {.top_leader = -1, .team_member = -1, .young_talent = -1};
    req_body(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = cadres_update(r->db, r->a, r->scope, &who, r->ids[0], &in, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_cadres_history(req *r)
{
    json_t *items = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = cadres_history(r->db, r->a, r->scope, r->ids[0], &items, &e);
    reply_result(r, rc, &e, 200, rc ? NULL : json_pack("{s:o}", "items", items));
}

static void h_cadres_reveal(req *r)
{
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = cadres_reveal(r->db, r->a, r->scope, &who, r->ids[0], &out, &e);
    reply_result(r, rc, &e, 200, out);
}

static void h_cadres_export(req *r)
{
    cadre_filter f;
    if (parse_filter(r, &f))
        return;
    f.page_size = 0; /* everything that matches */
    gx_err e = GX_ERR_INIT;
    size_t len = 0;
    audit_actor who = req_who(r);
    char *x = cadres_export_xlsx(r->db, r->a, r->scope, &who, &f, &len, &e);
    if (!x) {
        reply_err(r, &e);
        return;
    }
    reply_bytes(r, 200, x, len, XLSX_TYPE, "干部名册.xlsx");
}

static void h_cadres_template(req *r)
{
    gx_err e = GX_ERR_INIT;
    size_t len = 0;
    char *x = cadres_template_xlsx(r->db, &len, &e);
    if (!x) {
        reply_err(r, &e);
        return;
    }
    reply_bytes(r, 200, x, len, XLSX_TYPE, "干部信息导入模板.xlsx");
}

static void h_cadres_import(req *r)
{
    const char *ct = req_header(r, "Content-Type");
    const char *data = r->body.data ? r->body.data : "";
    size_t len = r->body.len;
    int format = 0;
    const char *fname = NULL;
    if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
        if (multipart_file(r->a, ct, data, len, &data, &len, &fname)) {
            reply_code(r, GX_EBADREQ, "上传内容格式有误：未找到文件");
            return;
        }
        size_t fl = strlen(fname);
        if (fl >= 4 && !strcasecmp(fname + fl - 4, ".csv"))
            format = SHEET_CSV;
        else if (fl >= 5 && !strcasecmp(fname + fl - 5, ".xlsx"))
            format = SHEET_XLSX;
    } else if (ct && !strncasecmp(ct, "text/csv", 8)) {
        format = SHEET_CSV;
    } else if (ct && !strncasecmp(ct, XLSX_TYPE, strlen(XLSX_TYPE))) {
        format = SHEET_XLSX;
    } else if (!ct || strncasecmp(ct, "application/octet-stream", 24)) {
        reply_code(r, GX_EMEDIA, "请上传 .xlsx 或 .csv 文件（text/csv、xlsx 或 multipart/form-data）");
        return;
    }
    if (len == 0) {
        reply_code(r, GX_EVALIDATION, "上传的文件是空的");
        return;
    }
    import_q q = {.dry_run = 1}; /* default: a dry run */
    req_query(r, &q);
    int dry = q.dry_run;
    json_t *report = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    if (cadres_import(r->db, r->a, r->scope, &who, data, len, format, dry, &report, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, report);
}

static void h_young_limits_list(req *r)
{
    json_t *items = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = young_limits_list(r->db, &items, &e);
    reply_result(r, rc, &e, 200, rc ? NULL : json_pack("{s:o}", "items", items));
}

static void h_young_limits_add(req *r)
{
    limit_in in = {0};
    req_body(r, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = young_limits_add(r->db, &who, in.rank_level, in.max_age, in.effective_from, &out, &e);
    reply_result(r, rc, &e, 201, out);
}

/* --- the area --- */

static const char schemas[] = JSON_TEXT({
    "Cadre": {"type": "object", "additionalProperties": false,
              "required": ["id", "name", "gender", "birth_month", "age", "id_number", "ethnicity", "political",
                           "education", "unit_id", "unit_name", "post", "rank_level", "rank_since", "top_leader",
                           "team_member", "young_talent", "young_eligible", "expertise", "phone", "status",
                           "created_at", "updated_at", "version", "domains"],
              "properties": {
                  "id": {"type": "integer"}, "name": {"type": "string"},
                  "gender": {"type": "string", "description": "code list gender"},
                  "birth_month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$",
                                  "description": "出生年月 YYYY-MM; the full date is in the ID number (reveal)"},
                  "age": {"type": "integer", "description": "whole years, counted from the first day of the birth month"},
                  "id_number": {"type": "string", "description": "masked: the region (6 digits) and 12 asterisks"},
                  "ethnicity": {"type": "string"}, "political": {"type": "string"}, "education": {"type": "string"},
                  "unit_id": {"type": "integer"}, "unit_name": {"type": "string"}, "post": {"type": "string"},
                  "rank_level": {"type": "string"}, "rank_since": {"type": ["string", "null"], "format": "date"},
                  "top_leader": {"type": "boolean"}, "team_member": {"type": "boolean"},
                  "young_talent": {"type": "boolean"},
                  "young_eligible": {"type": "boolean", "description": "within the young-cadre age limit of the rank today"},
                  "expertise": {"type": "string"}, "phone": {"type": "string", "description": "masked"},
                  "status": {"type": "string", "description": "code list cadre_status"},
                  "created_at": {"type": "integer"}, "updated_at": {"type": "integer"}, "version": {"type": "integer"},
                  "domains": {"type": "array", "items": {"type": "string"}}}},
    "CadreHistoryEntry": {"type": "object", "additionalProperties": false,
                          "required": ["id", "kind", "date", "from_unit_id", "from_unit_name", "to_unit_id",
                                       "to_unit_name", "from_rank", "to_rank", "from_post", "to_post", "note",
                                       "recorded_at"],
                          "properties": {
                              "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["transfer", "rank", "post", "status"]},
                              "date": {"type": "string", "format": "date"},
                              "from_unit_id": {"type": ["integer", "null"]}, "from_unit_name": {"type": ["string", "null"]},
                              "to_unit_id": {"type": ["integer", "null"]}, "to_unit_name": {"type": ["string", "null"]},
                              "from_rank": {"type": ["string", "null"]}, "to_rank": {"type": ["string", "null"]},
                              "from_post": {"type": ["string", "null"]}, "to_post": {"type": ["string", "null"]},
                              "note": {"type": ["string", "null"]}, "recorded_at": {"type": "integer"}}},
    "CadreReveal": {"type": "object", "additionalProperties": false, "required": ["id", "id_number", "phone"],
                    "properties": {"id": {"type": "integer"}, "id_number": {"type": "string"},
                                   "phone": {"type": "string"}}},
    "ImportError": {"type": "object", "additionalProperties": false, "required": ["row", "column", "field", "message"],
                    "properties": {"row": {"type": "integer"}, "column": {"type": "string"},
                                   "field": {"type": "string"}, "message": {"type": "string"}}},
    "ImportReport": {"type": "object", "additionalProperties": false,
                     "required": ["dry_run", "ok", "format", "encoding", "rows", "created", "updated", "error_count",
                                  "errors"],
                     "properties": {"dry_run": {"type": "boolean"}, "ok": {"type": "boolean"},
                                    "format": {"type": "string", "enum": ["xlsx", "csv"]},
                                    "encoding": {"type": "string"}, "rows": {"type": "integer"},
                                    "created": {"type": "integer"}, "updated": {"type": "integer"},
                                    "error_count": {"type": "integer"},
                                    "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ImportError"}}}},
    "YoungAgeLimit": {"type": "object", "additionalProperties": false,
                      "required": ["id", "rank_level", "max_age", "effective_from", "effective_to"],
                      "properties": {"id": {"type": "integer"}, "rank_level": {"type": "string"},
                                     "max_age": {"type": "integer"},
                                     "effective_from": {"type": "string", "format": "date"},
                                     "effective_to": {"type": ["string", "null"], "format": "date"}}}
});

static const char *const audit_actions[] = {"cadre.create", "cadre.update",      "cadre.reveal",
                                            "cadre.import", "cadre.export",      "cadre.young_limit",
                                            "cadre.lookup", "cadre.lookup_limited",
                                            /* `ganxun key rotate` (rekey.c): the sealed ID numbers and phones */
                                            "key.rotate_start", "key.rotate_resume", "key.rotate_done", NULL};

#define REG (ROLE_ORGADMIN | ROLE_LIAISON)

static const route routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response, out */
    {M_GET, "/api/v1/cadres", REG, R_LIST | R_SCOPED, h_cadres_list, NULL, cadres_query, 0, "cadres", "干部列表与查询（专管员仅本单位及下级）", "list of Cadre (ID number and phone masked)", "list:Cadre"},
    {M_POST, "/api/v1/cadres", REG, R_CREATED | R_SCOPED, h_cadres_create, cadre_create_body, NULL, 0, "cadres", "新增干部", "Cadre (201)", "Cadre"},
    {M_GET, "/api/v1/cadres/export", REG, R_SCOPED | R_SLOW, h_cadres_export, NULL, cadres_query, 0, "cadres", "导出查询结果为 .xlsx", "xlsx workbook", "xlsx"},
    {M_POST, "/api/v1/cadres/import", REG, R_SCOPED | R_SLOW, h_cadres_import, NULL, import_query, (size_t)64 << 20, "cadres", "导入干部（.xlsx/.csv，先检查后全部导入，按身份证号更新）", "report: rows, created, updated, errors[{row,column,field,message}]", "ImportReport"},
    {M_GET, "/api/v1/cadres/import-template", REG, 0, h_cadres_template, NULL, NULL, 0, "cadres", "下载导入模板（.xlsx）", "xlsx workbook", "xlsx"},
    {M_GET, "/api/v1/cadres/{id}", REG, R_SCOPED, h_cadres_get, NULL, NULL, 0, "cadres", "查看干部", "Cadre", "Cadre"},
    {M_PATCH, "/api/v1/cadres/{id}", REG, R_SCOPED, h_cadres_patch, cadre_patch_body, NULL, 0, "cadres", "修改干部（调动、晋升记入履历）", "Cadre", "Cadre"},
    {M_GET, "/api/v1/cadres/{id}/history", REG, R_SCOPED, h_cadres_history, NULL, NULL, 0, "cadres", "干部任职履历（调动、职级变化）", "items", "items:CadreHistoryEntry"},
    {M_POST, "/api/v1/cadres/{id}/reveal", REG, R_SCOPED, h_cadres_reveal, NULL, NULL, 0, "cadres", "查看完整身份证号和电话（记入审计日志）", "id_number, phone", "CadreReveal"},
    {M_GET, "/api/v1/young-age-limits", REG, 0, h_young_limits_list, NULL, NULL, 0, "cadres", "优秀年轻干部年龄上限（按职级，含生效日期）", "items", "items:YoungAgeLimit"},
    {M_POST, "/api/v1/young-age-limits", ROLE_ORGADMIN, R_CREATED, h_young_limits_add, young_limit_body, NULL, 0, "cadres", "新增年龄上限规则（自生效日起取代现行规则）", "the rule (201)", "YoungAgeLimit"},
    {0},
};

extern const unit_hooks cadre_unit_hooks; /* cadres.c */

const area cadre_area = {{"cadre", routes, schemas, audit_actions}, &cadre_unit_hooks};
