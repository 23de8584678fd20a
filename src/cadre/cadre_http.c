/* cadre_http.c - thin handlers: body/query -> cadre_in/cadre_filter ->
 * module -> JSON (or .xlsx for the export). */
#include "cadre_http.h"
#include "cadre.h"
#include "export.h"
#include "import.h"
#include "../http/multipart.h"
#include "../org/org_http.h"
#include "../sheet/sheet.h"

#include <strings.h>

#include <string.h>

#define FIELDS_COMMON                                                                                \
    {"name", JF_STR, 0, 1, 32, "姓名"}, {"gender", JF_STR, 0, 0, 8, "性别代码（GB/T 2261.1），须与身份证号一致"}, \
        {"birth_date", JF_STR, 0, 0, 10, "出生日期 YYYY-MM-DD，须与身份证号一致"},                      \
        {"id_number", JF_STR, 0, 1, 24, "公民身份号码（GB 11643）"},                                    \
        {"unit_id", JF_INT, 0, 1, INT64_MAX, "所在单位"}, {"post", JF_STR, 0, 0, 64, "职务"},           \
        {"rank_level", JF_STR, 0, 1, 16, "职务职级代码（GB/T 12407 及职级序列）"},                       \
        {"rank_since", JF_STR_NULL, 0, 0, 10, "任现职级时间 YYYY-MM-DD"},                               \
        {"top_leader", JF_BOOL, 0, 0, 0, "一把手"}, {"team_member", JF_BOOL, 0, 0, 0, "班子成员"},     \
        {"young_talent", JF_BOOL, 0, 0, 0, "优秀年轻干部"},                                            \
        {"domains", JF_STR_ARRAY, 0, 0, 12, "分管领域代码"}, {"phone", JF_STR, 0, 0, 24, "联系电话"},  \
        {"status", JF_STR, 0, 0, 8, "干部状态代码：1 在职 2 调出 3 退休 4 去世"},                       \
        {"ethnicity", JF_STR, 0, 0, 16, "民族代码（GB 3304）"},                                         \
        {"political", JF_STR, 0, 0, 16, "政治面貌代码（GB/T 4762）"},                                   \
        {"education", JF_STR, 0, 0, 16, "学历代码"}, {"expertise", JF_STR, 0, 0, 200, "专业专长"}

const jfield cadre_create_body[] = {FIELDS_COMMON, {NULL, 0, 0, 0, 0, NULL}};

const jfield cadre_patch_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号"},
    {"changed_on", JF_STR, 0, 10, 10, "调动、晋升发生日期（记入履历，默认今天）"},
    FIELDS_COMMON,
    {NULL, 0, 0, 0, 0, NULL},
};

const qfield import_query[] = {
    {"dry_run", Q_BOOL, 0, 0, "true（默认）只检查并报告；false 检查无误后全部导入"},
    {NULL, 0, 0, 0, NULL},
};

const qfield cadres_query[] = {
    {"q", Q_STR, 0, 32, "姓名前缀、姓名拼音首字母、身份证号或电话"},
    {"unit_id", Q_INT, 1, INT64_MAX, "单位"},
    {"subtree", Q_BOOL, 0, 0, "含下级单位（默认 true）"},
    {"rank_level", Q_STR, 0, 400, "职务职级代码，逗号分隔"},
    {"domain", Q_STR, 0, 400, "分管领域代码，逗号分隔（任一）"},
    {"top_leader", Q_BOOL, 0, 0, "一把手"},
    {"team_member", Q_BOOL, 0, 0, "班子成员"},
    {"young_talent", Q_BOOL, 0, 0, "优秀年轻干部"},
    {"age_min", Q_INT, 0, 150, "最小年龄"},
    {"age_max", Q_INT, 0, 150, "最大年龄"},
    {"status", Q_STR, 0, 8, "干部状态代码"},
    {"gender", Q_STR, 0, 8, "性别代码"},
    {"political", Q_STR, 0, 8, "政治面貌代码"},
    {"sort", Q_STR, 0, 16, "排序：name（拼音）、birth_date、rank_level、unit、updated_at"},
    {"order", Q_STR, 0, 4, "asc 或 desc"},
    {NULL, 0, 0, 0, NULL},
};

#define S(o, k) json_string_value(json_object_get((o), (k)))

static int flag(json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return v ? json_is_true(v) : -1;
}

static void body_to_in(json_t *b, cadre_in *in)
{
    memset(in, 0, sizeof *in);
    in->name = S(b, "name");
    in->gender = S(b, "gender");
    in->birth_date = S(b, "birth_date");
    in->id_number = S(b, "id_number");
    in->unit_id = json_integer_value(json_object_get(b, "unit_id"));
    in->post = S(b, "post");
    in->rank_level = S(b, "rank_level");
    json_t *rs = json_object_get(b, "rank_since");
    in->rank_since = rs ? (json_is_null(rs) ? "" : json_string_value(rs)) : NULL;
    in->top_leader = flag(b, "top_leader");
    in->team_member = flag(b, "team_member");
    in->young_talent = flag(b, "young_talent");
    in->phone = S(b, "phone");
    in->status = S(b, "status");
    in->ethnicity = S(b, "ethnicity");
    in->political = S(b, "political");
    in->education = S(b, "education");
    in->expertise = S(b, "expertise");
    in->changed_on = S(b, "changed_on");
    in->version = json_integer_value(json_object_get(b, "version"));
    json_t *doms = json_object_get(b, "domains");
    if (doms) {
        in->has_domains = 1;
        for (size_t i = 0; i < json_array_size(doms) && i < CADRE_MAX_DOMAINS; i++)
            in->domains[in->ndomains++] = json_string_value(json_array_get(doms, i));
    }
}

/* The list's query parameters; -1 after replying on a bad value. */
static int parse_filter(req *r, cadre_filter *f)
{
    const parsed_uri *u = &r->uri;
    memset(f, 0, sizeof *f);
    f->q = query_str(u, "q");
    f->unit_id = query_int(u, "unit_id", 0);
    f->subtree = query_bool(u, "subtree") != 0;
    f->rank_levels = query_str(u, "rank_level");
    f->domains = query_str(u, "domain");
    f->top_leader = query_bool(u, "top_leader");
    f->team_member = query_bool(u, "team_member");
    f->young_talent = query_bool(u, "young_talent");
    f->age_min = (int)query_int(u, "age_min", -1);
    f->age_max = (int)query_int(u, "age_max", -1);
    f->status = query_str(u, "status");
    f->gender = query_str(u, "gender");
    f->political = query_str(u, "political");
    f->sort = query_str(u, "sort");
    const char *order = query_str(u, "order");
    gx_err e = GX_ERR_INIT;
    if (f->sort && *f->sort && strcmp(f->sort, "name") && strcmp(f->sort, "birth_date") &&
        strcmp(f->sort, "rank_level") && strcmp(f->sort, "unit") && strcmp(f->sort, "updated_at")) {
        gx_fail(&e, GX_EBADQUERY, NULL);
        e.fields = json_pack("{s:s}", "sort", "应为 name、birth_date、rank_level、unit 或 updated_at");
    } else if (order && *order && strcmp(order, "asc") && strcmp(order, "desc")) {
        gx_fail(&e, GX_EBADQUERY, NULL);
        e.fields = json_pack("{s:s}", "order", "应为 asc 或 desc");
    } else if (f->age_min >= 0 && f->age_max >= 0 && f->age_min > f->age_max) {
        gx_fail(&e, GX_EBADQUERY, NULL);
        e.fields = json_pack("{s:s}", "age_max", "不能小于最小年龄");
    }
    if (e.code != GX_OK) {
        reply_err(r, &e);
        return -1;
    }
    f->desc = order && !strcmp(order, "desc");
    req_paging(r, &f->page, &f->page_size);
    return 0;
}

static void collect(void *ctx, json_t *cadre) { json_array_append_new(ctx, cadre); }

void h_cadres_list(req *r)
{
    scope s;
    cadre_filter f;
    if (req_scope(r, &s) || parse_filter(r, &f))
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
    int rc = cadres_list(r->db, r->a, &s, cb, &f, CADRE_COUNT_MAX, collect, items, &total, &exact, &e);
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

void h_cadres_create(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    cadre_in in;
    body_to_in(r->json, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = cadres_create(r->db, r->a, &s, &who, &in, &out, &e);
    reply_result(r, rc, &e, 201, out);
}

void h_cadres_get(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = cadres_get(r->db, r->a, &s, r->ids[0], &out, &e);
    reply_result(r, rc, &e, 200, out);
}

void h_cadres_patch(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    cadre_in in;
    body_to_in(r->json, &in);
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = cadres_update(r->db, r->a, &s, &who, r->ids[0], &in, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

void h_cadres_history(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *items = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = cadres_history(r->db, r->a, &s, r->ids[0], &items, &e);
    reply_result(r, rc, &e, 200, rc ? NULL : json_pack("{s:o}", "items", items));
}

void h_cadres_reveal(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = cadres_reveal(r->db, r->a, &s, &who, r->ids[0], &out, &e);
    reply_result(r, rc, &e, 200, out);
}

void h_cadres_export(req *r)
{
    scope s;
    cadre_filter f;
    if (req_scope(r, &s) || parse_filter(r, &f))
        return;
    f.page_size = 0; /* everything that matches */
    gx_err e = GX_ERR_INIT;
    size_t len = 0;
    audit_actor who = req_who(r);
    char *x = cadres_export_xlsx(r->db, r->a, &s, &who, &f, &len, &e);
    if (!x) {
        reply_err(r, &e);
        return;
    }
    reply_bytes(r, 200, x, len, XLSX_TYPE, "干部名册.xlsx");
}

void h_cadres_template(req *r)
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

void h_cadres_import(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
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
    int dry = query_bool(&r->uri, "dry_run") != 0; /* default: a dry run */
    json_t *report = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    if (cadres_import(r->db, r->a, &s, &who, data, len, format, dry, &report, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, report);
}
