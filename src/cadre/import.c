/* import.c - checking and storing a roster file, all or nothing. */
#include "import.h"
#include "export.h"
#include "../base/crypto.h"
#include "../base/idcard.h"
#include "../base/util.h"
#include "../sheet/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_UNIT_ID = -2, COL_NONE = -1 };

typedef struct uentry {
    const char *code;
    int64_t id;
} uentry;

typedef struct job {
    db *d;
    arena *a;
    const scope *s;
    codebook *cb;
    const sheet *sh;
    size_t header;
    int map[256];      /* sheet column -> cadre_columns index, COL_UNIT_ID or COL_NONE */
    int have[32];      /* cadre_columns index -> sheet column + 1 */
    int unit_id_col;   /* sheet column + 1 of a unit_id column */
    uentry *units;
    size_t nunits;
    json_t *errors;
    int64_t nerrors;
    int64_t outside; /* rows whose ID number is registered outside the caller's scope */
    /* ID number -> first row, for duplicates within the file */
    char (*seen)[19];
    size_t *seen_row;
    size_t seen_cap;
} job;

static void row_error(job *j, size_t row, const char *column, const char *field, const char *msg)
{
    j->nerrors++;
    if (json_array_size(j->errors) >= IMPORT_MAX_ERRORS)
        return;
    json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)(row + 1), "column", column ? column : "",
                          "field", field ? field : "", "message", msg);
    json_array_append_new(j->errors, o);
}

/* Header text normalised: no spaces (ASCII or full-width), no '*', no
 * "（必填）"/"(必填)". */
static char *norm_header(arena *a, const char *h)
{
    size_t n = strlen(h);
    char *o = arena_alloc(a, n + 1), *p = o;
    for (size_t i = 0; i < n;) {
        if (h[i] == ' ' || h[i] == '*' || h[i] == '\t') {
            i++;
        } else if (!strncmp(h + i, "\xe3\x80\x80", 3)) { /* ideographic space */
            i += 3;
        } else if (!strncmp(h + i, "（必填）", strlen("（必填）"))) {
            i += strlen("（必填）");
        } else if (!strncmp(h + i, "(必填)", strlen("(必填)"))) {
            i += strlen("(必填)");
        } else {
            *p++ = h[i++];
        }
    }
    *p = 0;
    return o;
}

static int map_headers(job *j, gx_err *e)
{
    const sheet *sh = j->sh;
    size_t nc = sheet_ncols(sh, j->header);
    if (nc > 256)
        nc = 256;
    for (size_t c = 0; c < nc; c++) {
        j->map[c] = COL_NONE;
        const char *h = norm_header(j->a, sheet_cell(sh, j->header, c));
        if (!*h)
            continue;
        int found = COL_NONE;
        if (!strcasecmp(h, "unit_id") || !strcmp(h, "单位编号"))
            found = COL_UNIT_ID;
        for (size_t k = 0; found == COL_NONE && k < cadre_ncolumns; k++) {
            const cadre_column *cc = &cadre_columns[k];
            if (!strcmp(h, cc->header) || (cc->alias && !strcmp(h, cc->alias)) || !strcasecmp(h, cc->field))
                found = (int)k;
        }
        if (found == COL_NONE) {
            char msg[200];
            snprintf(msg, sizeof msg, "第 %zu 列“%.60s”不是可识别的列名（请使用模板中的列名）", c + 1, h);
            row_error(j, j->header, h, NULL, msg);
            continue;
        }
        int *slot = found == COL_UNIT_ID ? &j->unit_id_col : &j->have[found];
        if (*slot) {
            char msg[200];
            snprintf(msg, sizeof msg, "列“%.60s”出现了两次", h);
            row_error(j, j->header, h, NULL, msg);
            continue;
        }
        *slot = (int)c + 1;
        j->map[c] = found;
    }
    for (size_t k = 0; k < cadre_ncolumns; k++) {
        const cadre_column *cc = &cadre_columns[k];
        int present = j->have[k] || (!strcmp(cc->field, "unit_code") && j->unit_id_col);
        if (cc->required && !present) {
            char msg[160];
            snprintf(msg, sizeof msg, "缺少必填列“%s”", cc->header);
            row_error(j, j->header, cc->header, cc->field, msg);
        }
    }
    (void)e;
    return 0;
}

static int cmp_unit(const void *a, const void *b)
{
    return strcmp(((const uentry *)a)->code, ((const uentry *)b)->code);
}

static int load_units(job *j)
{
    db_res *r = j->s->all ? db_queryv(j->d, "SELECT code, id FROM units WHERE active = ?", DI(1))
                          : db_queryv(j->d, "SELECT code, id FROM units WHERE active = ? AND path >= ? AND path < ?",
                                      DI(1), DS(j->s->lo), DS(j->s->hi));
    if (!r)
        return -1;
    size_t cap = 256;
    j->units = arena_alloc(j->a, cap * sizeof *j->units);
    int rc;
    while ((rc = db_next(r)) == 1) {
        if (j->nunits == cap) {
            uentry *n = arena_alloc(j->a, 2 * cap * sizeof *n);
            memcpy(n, j->units, cap * sizeof *n);
            j->units = n;
            cap *= 2;
        }
        j->units[j->nunits].code = arena_strdup(j->a, db_text(r, 0));
        j->units[j->nunits++].id = db_int(r, 1);
    }
    db_done(r);
    qsort(j->units, j->nunits, sizeof *j->units, cmp_unit);
    return rc;
}

static int64_t unit_by_code(const job *j, const char *code)
{
    uentry key = {code, 0};
    uentry *u = bsearch(&key, j->units, j->nunits, sizeof *j->units, cmp_unit);
    return u ? u->id : 0;
}

static int unit_by_id(const job *j, int64_t id)
{
    for (size_t i = 0; i < j->nunits; i++)
        if (j->units[i].id == id)
            return 1;
    return 0;
}

/* The cell of column k (CC_*) in a row; NULL when the file has no such column. */
static const char *cell(const job *j, size_t row, int k)
{
    return j->have[k] ? sheet_cell(j->sh, row, (size_t)j->have[k] - 1) : NULL;
}

/* 是/否 and friends: 1, 0, -1 for empty, -2 for not a yes/no. */
static int yes_no(const char *v)
{
    static const char *yes[] = {"是", "Y", "y", "yes", "YES", "1", "true", "TRUE", "√"};
    static const char *no[] = {"否", "N", "n", "no", "NO", "0", "false", "FALSE", "×"};
    if (!v || !*v)
        return -1;
    for (size_t i = 0; i < GX_ARRAY_LEN(yes); i++)
        if (!strcmp(v, yes[i]))
            return 1;
    for (size_t i = 0; i < GX_ARRAY_LEN(no); i++)
        if (!strcmp(v, no[i]))
            return 0;
    return -2;
}

static const char *header_of(const char *field)
{
    for (size_t k = 0; k < cadre_ncolumns; k++)
        if (!strcmp(cadre_columns[k].field, field))
            return cadre_columns[k].header;
    return field;
}

/* Build the cadre_in of a row; 0 ok, -1 with row errors recorded. */
static int row_in(job *j, size_t row, cadre_in *in)
{
    memset(in, 0, sizeof *in);
    in->name = cell(j, row, CC_NAME);
    in->id_number = cell(j, row, CC_ID_NUMBER);
    in->gender = cell(j, row, CC_GENDER);
    in->birth_date = cell(j, row, CC_BIRTH_DATE);
    in->post = cell(j, row, CC_POST);
    in->rank_level = cell(j, row, CC_RANK_LEVEL);
    in->rank_since = cell(j, row, CC_RANK_SINCE);
    in->ethnicity = cell(j, row, CC_ETHNICITY);
    in->political = cell(j, row, CC_POLITICAL);
    in->education = cell(j, row, CC_EDUCATION);
    in->expertise = cell(j, row, CC_EXPERTISE);
    in->phone = cell(j, row, CC_PHONE);
    in->status = cell(j, row, CC_STATUS);
    int bad = 0;
    static const char *flags[] = {"top_leader", "team_member", "young_talent"};
    static const int cols[] = {CC_TOP_LEADER, CC_TEAM_MEMBER, CC_YOUNG_TALENT};
    int *dst[] = {&in->top_leader, &in->team_member, &in->young_talent};
    for (int k = 0; k < 3; k++) {
        int v = yes_no(cell(j, row, cols[k]));
        if (v == -2) {
            row_error(j, row, header_of(flags[k]), flags[k], "应填“是”或“否”");
            bad = 1;
        }
        *dst[k] = v < 0 ? -1 : v;
    }
    const char *doms = cell(j, row, CC_DOMAINS);
    if (doms) {
        in->domains.set = 1;
        char *copy = arena_strdup(j->a, doms);
        /* separators: 、，；,;/ and spaces */
        for (char *p = copy; *p; p++)
            if (*p == ',' || *p == ';' || *p == '/' || *p == ' ')
                *p = '\x1f';
        static const char *wide[] = {"、", "，", "；"};
        for (size_t w = 0; w < 3; w++)
            for (char *p = strstr(copy, wide[w]); p; p = strstr(p, wide[w]))
                memset(p, '\x1f', strlen(wide[w]));
        for (char *save = NULL, *t = strtok_r(copy, "\x1f", &save); t; t = strtok_r(NULL, "\x1f", &save)) {
            if (in->domains.n == CADRE_MAX_DOMAINS) {
                row_error(j, row, header_of("domains"), "domains", "分管领域最多 12 项");
                bad = 1;
                break;
            }
            in->domains.v[in->domains.n++] = t;
        }
    }
    const char *ucode = cell(j, row, CC_UNIT_CODE);
    if (j->unit_id_col && !(ucode && *ucode)) {
        const char *v = sheet_cell(j->sh, row, (size_t)j->unit_id_col - 1);
        int64_t id = 0;
        if (!*v || gx_parse_i64(v, strlen(v), 1, INT64_MAX, &id) || !unit_by_id(j, id)) {
            row_error(j, row, "unit_id", "unit_id", *v ? "单位编号不存在或不在管理范围内" : "请填写单位");
            bad = 1;
        }
        in->unit_id = id;
    } else if (ucode && *ucode) {
        in->unit_id = unit_by_code(j, ucode);
        if (!in->unit_id) {
            char msg[160];
            snprintf(msg, sizeof msg, "单位代码“%.40s”不存在或不在管理范围内", ucode);
            row_error(j, row, header_of("unit_code"), "unit_code", msg);
            bad = 1;
        }
    } else {
        row_error(j, row, header_of("unit_code"), "unit_code", "请填写单位代码");
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* Field errors of cadre_check -> row errors, named by column. */
static void report_fields(job *j, size_t row, gx_err *fe)
{
    const char *k;
    json_t *v;
    json_object_foreach(fe->fields, k, v)
    {
        const char *field = strcmp(k, "unit_id") ? k : "unit_code";
        row_error(j, row, header_of(field), field, json_string_value(v));
    }
    gx_err_clear(fe);
}

/* First row where this ID number was seen, or 0 (and remember it). */
static size_t seen_before(job *j, const char *num, size_t row)
{
    uint32_t h = 2166136261u;
    for (const char *p = num; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    size_t i = h & (j->seen_cap - 1);
    while (j->seen[i][0]) {
        if (!strcmp(j->seen[i], num))
            return j->seen_row[i];
        i = (i + 1) & (j->seen_cap - 1);
    }
    snprintf(j->seen[i], sizeof j->seen[i], "%s", num);
    j->seen_row[i] = row + 1;
    return 0;
}

/* Existing cadre with this number: its id when in scope, 0 when none,
 * -1 db error, -2 registered outside the caller's scope. The number's blind
 * index goes to bidx (when not NULL) for the store to reuse. */
static int64_t existing(job *j, const char *num, char bidx[33])
{
    char tmp[33];
    if (!bidx)
        bidx = tmp;
    cadre_id_bidx(num, bidx);
    int64_t id = cadre_find_by_number(j->d, num); /* under either key during a rotation */
    if (id <= 0 || j->s->all)
        return id;
    int64_t x;
    int rc = db_scalar(j->d,
                       "SELECT c.id FROM cadres c JOIN units u ON u.id = c.unit_id WHERE c.id = ? AND u.path >= ? "
                       "AND u.path < ?",
                       DB_ARGV(DI(id), DS(j->s->lo), DS(j->s->hi)), &x);
    return rc < 0 ? -1 : rc == 0 ? -2 : id;
}

/* Check (and when store is set, write) one row. Returns 1 created, 2
 * updated, 0 row has errors, -1 database error. */
static int do_row(job *j, size_t row, int store, int64_t now)
{
    cadre_in in;
    gx_err fe = GX_ERR_INIT;
    int64_t before_errors = j->nerrors;
    char bidx[33] = "";
    if (row_in(j, row, &in)) {
        /* still report what else is wrong with the row, once per column */
        cadre_rec tmp;
        if (in.unit_id <= 0)
            in.unit_id = 1;
        if (cadre_check(j->cb, &in, &tmp, &fe)) {
            if (j->nerrors > before_errors)
                for (size_t k = 0; k < 3; k++)
                    json_object_del(fe.fields, (const char *[]){"unit_id", "top_leader", "team_member"}[k]);
            report_fields(j, row, &fe);
        }
        return 0;
    }
    idcard ic;
    int64_t id = 0;
    if (in.id_number && idcard_parse(in.id_number, strlen(in.id_number), NULL, &ic) == IDCARD_OK) {
        size_t first = seen_before(j, ic.number, row);
        if (first) {
            char msg[120];
            snprintf(msg, sizeof msg, "与第 %zu 行的身份证号重复", first);
            row_error(j, row, header_of("id_number"), "id_number", msg);
            return 0;
        }
        id = existing(j, ic.number, bidx);
        if (id == -1)
            return -1;
        if (id == -2) {
            j->outside++; /* an exact lookup: charged once the pass is over */
            row_error(j, row, header_of("id_number"), "id_number", "该身份证号已登记在管理范围以外的单位，请联系组织部");
            return 0;
        }
    }
    json_t *before = NULL;
    char *old_phone = NULL;
    if (id > 0) {
        if (cadre_load(j->d, j->s, j->cb, id, &before) != 1 || !(old_phone = cadre_unseal(j->d, id, 1))) {
            json_decref(before);
            return -1;
        }
        cadre_overlay(before, ic.number, old_phone, &in);
    } else {
        if (in.top_leader < 0)
            in.top_leader = 0;
        if (in.team_member < 0)
            in.team_member = 0;
        if (in.young_talent < 0)
            in.young_talent = 0;
    }
    cadre_rec rec;
    int rc = 0;
    if (cadre_check(j->cb, &in, &rec, &fe)) {
        report_fields(j, row, &fe);
    } else {
        memcpy(rec.id_bidx, bidx, sizeof bidx); /* computed once, above */
        if (!store)
            rc = id > 0 ? 2 : 1;
        else if (!cadre_store(j->d, &rec, id > 0 ? id : 0, now) ||
                 (id > 0 && cadre_record_history(j->d, id, before, &rec, codebook_today(j->cb), now)))
            rc = -1;
        else
            rc = id > 0 ? 2 : 1;
    }
    json_decref(before);
    free(old_phone);
    return rc;
}

static int by_name(const void *a, const void *b, void *ctx)
{
    const job *j = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const char *nx = cell(j, x, CC_NAME), *ny = cell(j, y, CC_NAME);
    int c = strcmp(nx ? nx : "", ny ? ny : "");
    return c ? c : (x > y) - (x < y);
}

static int by_row(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "row"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "row"));
    return (x > y) - (x < y);
}

/* Errors in the order of the file's rows (a commit visits rows by name). */
static void sort_errors(json_t *errors)
{
    size_t n = json_array_size(errors);
    if (n < 2)
        return;
    json_t **v = gx_malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(errors, i));
    qsort(v, n, sizeof *v, by_row);
    json_array_clear(errors);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(errors, v[i]);
    free(v);
}

int cadres_import(db *d, arena *a, const scope *s, const audit_actor *who, const char *data, size_t len, int format,
                  int dry_run, json_t **report, gx_err *e)
{
    sheet_limits lim = sheet_default_limits;
    lim.max_file = IMPORT_MAX_BYTES;
    sheet *sh = NULL;
    if (sheet_parse(data, len, format, &lim, &sh, e))
        return -1;
    job j = {.d = d, .a = a, .s = s, .sh = sh, .errors = json_array()};
    int rc = -1;
    int64_t created = 0, updated = 0, rows = 0;
    size_t nrows = sheet_nrows(sh);
    while (j.header < nrows && sheet_row_empty(sh, j.header))
        j.header++;
    if (j.header >= nrows) {
        gx_fail(e, GX_EVALIDATION, "文件中没有数据");
        goto out;
    }
    for (size_t r = j.header + 1; r < nrows; r++)
        rows += !sheet_row_empty(sh, r);
    if (rows == 0) {
        gx_fail(e, GX_EVALIDATION, "文件只有表头，没有干部数据");
        goto out;
    }
    if (!s->all) { /* a unit liaison: at most the policy's rows at once, dry run or not */
        sec_policy pol;
        if (policy_load(d, &pol, e))
            goto out;
        if (rows > pol.import_max_rows_liaison) {
            char msg[200];
            snprintf(msg, sizeof msg, "单位专管员每次最多导入 %d 行，本文件有 %lld 行；请分批导入或请组织部管理员导入",
                     pol.import_max_rows_liaison, (long long)rows);
            gx_fail(e, GX_EVALIDATION, msg);
            gx_extra(e, "max_rows", json_integer(pol.import_max_rows_liaison));
            goto out;
        }
    }
    j.seen_cap = 1;
    while (j.seen_cap < 2 * (size_t)rows + 16)
        j.seen_cap <<= 1;
    j.seen = gx_calloc(j.seen_cap, sizeof *j.seen);
    j.seen_row = gx_calloc(j.seen_cap, sizeof *j.seen_row);
    if (!(j.cb = codebook_load(d, e)))
        goto out;
    if (map_headers(&j, e))
        goto out;
    if (load_units(&j) < 0) {
        db_fail(d, e);
        goto out;
    }
    /* One pass over the rows. A commit runs it inside one transaction and
     * rolls everything back when any row is wrong; a dry run only checks. */
    if (!j.nerrors) {
        int64_t now = gx_now();
        if (!dry_run && db_begin(d)) {
            db_fail(d, e);
            goto out;
        }
        /* Rows go in by name: the name-keyed indexes then grow in order
         * instead of at random places (row numbers in errors stay the file's). */
        size_t *order = gx_malloc((nrows ? nrows : 1) * sizeof *order), nord = 0;
        for (size_t r = j.header + 1; r < nrows; r++)
            if (!sheet_row_empty(sh, r))
                order[nord++] = r;
        if (!dry_run)
            qsort_r(order, nord, sizeof *order, by_name, &j);
        for (size_t k = 0; k < nord; k++) {
            size_t r = order[k];
            int x = do_row(&j, r, !dry_run && !j.nerrors, now);
            if (x < 0) {
                free(order);
                db_fail(d, e);
                goto out;
            }
            created += x == 1;
            updated += x == 2;
        }
        free(order);
        if (!dry_run && j.nerrors) {
            db_rollback(d);
            sort_errors(j.errors);
        } else if (!dry_run) {
            char sha[65];
            gx_sha256_hex(data, len, sha);
            json_t *what = json_pack("{s:I,s:I,s:I,s:s,s:s}", "rows", (json_int_t)rows, "created", (json_int_t)created,
                                     "updated", (json_int_t)updated, "file_sha256", sha, "format",
                                     sheet_format(sh) == SHEET_XLSX ? "xlsx" : "csv");
            int arc = audit_append(d, who, "cadre.import", "cadre", 0, NULL, what);
            json_decref(what);
            if (arc || db_commit(d)) {
                db_fail(d, e);
                goto out;
            }
        }
        if (j.nerrors && !dry_run)
            created = updated = 0; /* nothing was written */
    }
    /* Rows that said "registered outside your scope" told the caller that
     * those numbers exist: exact lookups, charged outside the (rolled back)
     * transaction; over the budget the report is withheld (429). */
    if (j.outside && lookup_charge(d, who, "id_number", "import", j.outside, e))
        goto out;
    *report = json_pack("{s:b,s:b,s:s,s:s,s:I,s:I,s:I,s:I,s:O}", "dry_run", dry_run, "ok", j.nerrors == 0, "format",
                        sheet_format(sh) == SHEET_XLSX ? "xlsx" : "csv", "encoding", sheet_encoding(sh), "rows",
                        (json_int_t)rows, "created", (json_int_t)created, "updated", (json_int_t)updated,
                        "error_count", (json_int_t)j.nerrors, "errors", j.errors);
    if (j.nerrors && !dry_run) {
        char msg[200];
        snprintf(msg, sizeof msg, "导入文件有 %lld 处错误，未导入任何数据，请修改后重新导入", (long long)j.nerrors);
        gx_fail(e, GX_EVALIDATION, msg);
        gx_extra(e, "report", *report);
        *report = NULL;
        goto out;
    }
    rc = 0;
out:
    json_decref(j.errors);
    codebook_free(j.cb);
    free(j.seen);
    free(j.seen_row);
    sheet_free(sh);
    return rc;
}
