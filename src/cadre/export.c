/* export.c - .xlsx rosters and the import template with libxlsxwriter. */
#include "export.h"
#include "../base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

const cadre_column cadre_columns[] = {
    {"name", "姓名", NULL, NULL, 1, "必填，不超过 32 个字"},
    {"id_number", "身份证号", "公民身份号码", NULL, 1, "必填，18 位，按身份证号识别同一人（重复导入即更新）"},
    {"gender", "性别", NULL, "gender", 0, "可填代码或名称（男/女），须与身份证号一致；可不填"},
    {"birth_date", "出生日期", NULL, NULL, 0, "YYYY-MM-DD，须与身份证号一致；可不填"},
    {"unit_code", "单位代码", "所在单位代码", NULL, 1, "必填，填单位代码（或用 unit_id 列填单位编号）"},
    {"post", "职务", "现任职务", NULL, 0, "如：办公室主任"},
    {"rank_level", "职务职级", "职级", "rank_level", 1, "必填，代码或名称，如 131 或 县处级正职"},
    {"rank_since", "任现职级时间", NULL, NULL, 0, "YYYY-MM-DD"},
    {"top_leader", "一把手", NULL, NULL, 0, "是/否"},
    {"team_member", "班子成员", NULL, NULL, 0, "是/否"},
    {"young_talent", "优秀年轻干部", NULL, NULL, 0, "是/否"},
    {"domains", "分管领域", NULL, "domain", 0, "代码或名称，多个用顿号、逗号或分号分隔"},
    {"ethnicity", "民族", NULL, "ethnicity", 0, "代码或名称，如 汉族"},
    {"political", "政治面貌", NULL, "political", 0, "代码或名称，如 中共党员"},
    {"education", "学历", NULL, "education", 0, "代码或名称，如 大学本科"},
    {"expertise", "专业专长", NULL, NULL, 0, ""},
    {"phone", "联系电话", "手机号码", NULL, 0, "11 位手机号或带区号的固定电话"},
    {"status", "干部状态", "状态", "cadre_status", 0, "在职/调出/退休/去世，默认在职"},
};
const size_t cadre_ncolumns = sizeof cadre_columns / sizeof cadre_columns[0];
_Static_assert(sizeof cadre_columns / sizeof cadre_columns[0] == CC_COUNT, "CC_* must follow cadre_columns");

/* Write a workbook through a private temporary file and read it back. */
typedef struct xbook {
    char path[64];
    lxw_workbook *wb;
} xbook;

static int xbook_open(xbook *x, int streaming)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(x->path, sizeof x->path, "%s/ganxun-xlsx-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    int fd = mkstemp(x->path);
    if (fd < 0)
        return -1;
    close(fd);
    lxw_workbook_options o = {.constant_memory = streaming ? LXW_TRUE : LXW_FALSE, .tmpdir = NULL};
    x->wb = workbook_new_opt(x->path, &o);
    return x->wb ? 0 : -1;
}

static char *xbook_close(xbook *x, size_t *len)
{
    char *data = NULL;
    if (workbook_close(x->wb) == LXW_NO_ERROR) {
        FILE *f = fopen(x->path, "rb");
        struct stat st;
        if (f && fstat(fileno(f), &st) == 0) {
            data = gx_malloc((size_t)st.st_size + 1);
            if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
                free(data);
                data = NULL;
            } else {
                *len = (size_t)st.st_size;
            }
        }
        if (f)
            fclose(f);
    }
    unlink(x->path);
    return data;
}

typedef struct xrow {
    lxw_worksheet *ws;
    const codebook *cb;
    lxw_row_t row;
} xrow;

static const char *label(const codebook *cb, const char *kind, const char *code)
{
    const char *l = code && *code ? codebook_label(cb, kind, code) : NULL;
    return l ? l : (code ? code : "");
}

static const char *S(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static void write_row(void *ctx, json_t *c)
{
    xrow *x = ctx;
    const codebook *cb = x->cb;
    lxw_row_t r = ++x->row;
    char doms[512] = "";
    json_t *ds = json_object_get(c, "domains");
    for (size_t i = 0; i < json_array_size(ds); i++) {
        size_t l = strlen(doms);
        snprintf(doms + l, sizeof doms - l, "%s%s", i ? "、" : "", label(cb, "domain", json_string_value(json_array_get(ds, i))));
    }
    const char *cells[] = {
        S(c, "name"), label(cb, "gender", S(c, "gender")), S(c, "birth_month"), NULL, S(c, "id_number"),
        label(cb, "ethnicity", S(c, "ethnicity")), label(cb, "political", S(c, "political")),
        label(cb, "education", S(c, "education")), S(c, "unit_name"), S(c, "post"),
        label(cb, "rank_level", S(c, "rank_level")), S(c, "rank_since"),
        json_is_true(json_object_get(c, "top_leader")) ? "是" : "否",
        json_is_true(json_object_get(c, "team_member")) ? "是" : "否",
        json_is_true(json_object_get(c, "young_talent")) ? "是" : "否", doms, S(c, "expertise"), S(c, "phone"),
        label(cb, "cadre_status", S(c, "status")),
    };
    for (lxw_col_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
        if (k == 3)
            worksheet_write_number(x->ws, r, k, (double)json_integer_value(json_object_get(c, "age")), NULL);
        else
            worksheet_write_string(x->ws, r, k, cells[k], NULL);
    }
    json_decref(c);
}

/* The filters of an export as its audit entry records them, by their API
 * names; an ID number or phone searched for is masked as lists show it. */
static json_t *filter_json(const cadre_filter *f)
{
    json_t *o = json_object();
    if (f->q && *f->q) {
        size_t digits = 0, n = strlen(f->q);
        for (const char *p = f->q; *p; p++)
            digits += *p >= '0' && *p <= '9';
        char m[24];
        if (digits >= 7 && n == 18)
            cadre_mask_id(f->q, m);
        else if (digits >= 7)
            cadre_mask_phone(f->q, m);
        json_object_set_new(o, "q", json_string(digits >= 7 ? m : f->q));
    }
    if (f->unit_id) {
        json_object_set_new(o, "unit_id", json_integer(f->unit_id));
        json_object_set_new(o, "subtree", json_boolean(f->subtree));
    }
    const struct {
        const char *name, *v;
    } strs[] = {{"rank_level", f->rank_levels}, {"domain", f->domains}, {"status", f->status},
                {"gender", f->gender},          {"political", f->political}, {"sort", f->sort}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (strs[i].v && *strs[i].v)
            json_object_set_new(o, strs[i].name, json_string(strs[i].v));
    const struct {
        const char *name;
        int v;
    } flags[] = {{"top_leader", f->top_leader}, {"team_member", f->team_member}, {"young_talent", f->young_talent}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (flags[i].v >= 0)
            json_object_set_new(o, flags[i].name, json_boolean(flags[i].v));
    if (f->age_min >= 0)
        json_object_set_new(o, "age_min", json_integer(f->age_min));
    if (f->age_max >= 0)
        json_object_set_new(o, "age_max", json_integer(f->age_max));
    if (f->desc)
        json_object_set_new(o, "order", json_string("desc"));
    return o;
}

char *cadres_export_xlsx(db *d, arena *a, const scope *s, const audit_actor *who, const cadre_filter *f, size_t *len,
                         gx_err *e)
{
    static const char *headers[] = {"姓名", "性别", "出生年月", "年龄", "身份证号", "民族", "政治面貌",
                                    "学历", "单位", "职务", "职务职级", "任现职级时间", "一把手", "班子成员",
                                    "优秀年轻干部", "分管领域", "专业专长", "联系电话", "干部状态"};
    codebook *cb = codebook_load(d, e);
    if (!cb)
        return NULL;
    xbook x; /* rows are written in order: constant memory */
    if (xbook_open(&x, 1)) {
        codebook_free(cb);
        gx_fail(e, GX_EINTERNAL, "无法创建导出文件");
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(x.wb, "干部名册");
    lxw_format *bold = workbook_add_format(x.wb);
    format_set_bold(bold);
    for (lxw_col_t k = 0; k < sizeof headers / sizeof headers[0]; k++)
        worksheet_write_string(ws, 0, k, headers[k], bold);
    worksheet_set_column(ws, 0, 0, 10, NULL);
    worksheet_set_column(ws, 4, 4, 22, NULL);
    worksheet_set_column(ws, 8, 9, 28, NULL);
    xrow xr = {ws, cb, 0};
    int64_t total = 0;
    int rc = cadres_search(d, a, s, cb, f, write_row, &xr, &total, e);
    codebook_free(cb);
    char *data = xbook_close(&x, len);
    if (rc) {
        free(data);
        return NULL;
    }
    if (!data) {
        gx_fail(e, GX_EINTERNAL, "导出文件生成失败");
        return NULL;
    }
    json_t *what = json_pack("{s:I,s:o}", "rows", (json_int_t)total, "filters", filter_json(f));
    int arc = db_begin(d) || audit_append(d, who, "cadre.export", "cadre", 0, NULL, what) || db_commit(d);
    json_decref(what);
    if (arc) {
        if (db_in_tx(d))
            db_rollback(d);
        free(data);
        gx_fail(e, GX_EINTERNAL, NULL);
        return NULL;
    }
    return data;
}

char *cadres_template_xlsx(db *d, size_t *len, gx_err *e)
{
    codebook *cb = codebook_load(d, e);
    if (!cb)
        return NULL;
    xbook x; /* written column by column: not streaming */
    if (xbook_open(&x, 0)) {
        codebook_free(cb);
        gx_fail(e, GX_EINTERNAL, "无法创建模板文件");
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(x.wb, "干部信息");
    lxw_worksheet *notes = workbook_add_worksheet(x.wb, "填写说明");
    lxw_worksheet *codes = workbook_add_worksheet(x.wb, "代码表");
    lxw_format *bold = workbook_add_format(x.wb), *req = workbook_add_format(x.wb), *text = workbook_add_format(x.wb);
    format_set_bold(bold);
    format_set_bold(req);
    format_set_font_color(req, LXW_COLOR_RED);
    format_set_num_format(text, "@");
    static const char *example[] = {"张三", "321002198001010011", "男", "1980-01-01", "321000-ZF02", "办公室主任",
                                    "乡科级正职", "2018-06-01", "否", "否", "否", "招商引资、项目建设", "汉族",
                                    "中共党员", "大学本科", "经济管理", "13812345678", "在职"};
    worksheet_write_string(notes, 0, 0, "列名", bold);
    worksheet_write_string(notes, 0, 1, "说明", bold);
    for (size_t k = 0; k < cadre_ncolumns; k++) {
        worksheet_write_string(ws, 0, (lxw_col_t)k, cadre_columns[k].header, cadre_columns[k].required ? req : bold);
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, k == 1 ? 22 : 14, text);
        if (k < sizeof example / sizeof example[0])
            worksheet_write_string(ws, 1, (lxw_col_t)k, example[k], text);
        worksheet_write_string(notes, (lxw_row_t)k + 1, 0, cadre_columns[k].header, cadre_columns[k].required ? req : NULL);
        worksheet_write_string(notes, (lxw_row_t)k + 1, 1, cadre_columns[k].hint, NULL);
    }
    worksheet_write_string(notes, (lxw_row_t)cadre_ncolumns + 2, 0, "提示", bold);
    worksheet_write_string(notes, (lxw_row_t)cadre_ncolumns + 2, 1,
                           "红色列为必填；第 2 行为示例，导入前请删除。列名也可用接口字段名（如 id_number、unit_code）。", NULL);
    worksheet_set_column(notes, 1, 1, 70, NULL);
    static const char *kinds[] = {"gender", "political", "ethnicity", "education", "rank_level", "domain", "cadre_status"};
    static const char *titles[] = {"性别", "政治面貌", "民族", "学历", "职务职级", "分管领域", "干部状态"};
    for (lxw_col_t k = 0; k < 7; k++) {
        json_t *l = code_list(d, kinds[k], 0);
        worksheet_write_string(codes, 0, (lxw_col_t)(2 * k), titles[k], bold);
        worksheet_write_string(codes, 0, (lxw_col_t)(2 * k + 1), "代码", bold);
        for (size_t i = 0; l && i < json_array_size(l); i++) {
            json_t *it = json_array_get(l, i);
            worksheet_write_string(codes, (lxw_row_t)i + 1, (lxw_col_t)(2 * k), S(it, "label"), NULL);
            worksheet_write_string(codes, (lxw_row_t)i + 1, (lxw_col_t)(2 * k + 1), S(it, "code"), NULL);
        }
        json_decref(l);
    }
    codebook_free(cb);
    char *data = xbook_close(&x, len);
    if (!data)
        gx_fail(e, GX_EINTERNAL, "模板生成失败");
    return data;
}
