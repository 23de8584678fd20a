/* search.c - cadre lists: filters, sorting, paging, rendered rows. */
#include "cadre.h"
#include "cadre_int.h"
#include "../base/buf.h"
#include "../base/idcard.h"
#include "../base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define MAX_ARGS 96
#define CHUNK 50

json_t *cadre_row_json(db_res *r, const codebook *cb)
{
    json_t *o = json_object();
    const char *birth = db_text(r, 3), *rank = db_text(r, 11);
    json_object_set_new(o, "id", json_integer(db_int(r, 0)));
    json_object_set_new(o, "name", json_string(db_text(r, 1)));
    json_object_set_new(o, "gender", json_string(db_text(r, 2)));
    json_object_set_new(o, "birth_date", json_string(birth));
    int age = age_on(birth, codebook_today(cb));
    json_object_set_new(o, "age", json_integer(age));
    json_object_set_new(o, "id_number", json_string(db_text(r, 4)));
    json_object_set_new(o, "ethnicity", json_string(db_text(r, 5)));
    json_object_set_new(o, "political", json_string(db_text(r, 6)));
    json_object_set_new(o, "education", json_string(db_text(r, 7)));
    json_object_set_new(o, "unit_id", json_integer(db_int(r, 8)));
    json_object_set_new(o, "unit_name", json_string(db_text(r, 9)));
    json_object_set_new(o, "post", json_string(db_text(r, 10)));
    json_object_set_new(o, "rank_level", json_string(rank));
    json_object_set_new(o, "rank_since", db_isnull(r, 12) ? json_null() : json_string(db_text(r, 12)));
    json_object_set_new(o, "top_leader", json_boolean(db_int(r, 13)));
    json_object_set_new(o, "team_member", json_boolean(db_int(r, 14)));
    json_object_set_new(o, "young_talent", json_boolean(db_int(r, 15)));
    int limit = codebook_young_limit(cb, rank);
    json_object_set_new(o, "young_eligible", json_boolean(limit >= 0 && age <= limit));
    json_object_set_new(o, "expertise", json_string(db_text(r, 16)));
    json_object_set_new(o, "phone", json_string(db_text(r, 17)));
    json_object_set_new(o, "status", json_string(db_text(r, 18)));
    json_object_set_new(o, "created_at", json_integer(db_int(r, 19)));
    json_object_set_new(o, "updated_at", json_integer(db_int(r, 20)));
    json_object_set_new(o, "version", json_integer(db_int(r, 21)));
    return o;
}

int cadre_attach_domains(db *d, json_t **cadres, const int64_t *ids, size_t n)
{
    static const char sql[] = "SELECT cadre_id, domain FROM cadre_domains WHERE cadre_id IN "
                              "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                              "?,?,?,?,?,?,?,?,?,?) ORDER BY cadre_id, domain";
    for (size_t i = 0; i < n; i++)
        json_object_set_new(cadres[i], "domains", json_array());
    for (size_t off = 0; off < n; off += CHUNK) {
        db_arg args[CHUNK];
        for (size_t k = 0; k < CHUNK; k++)
            args[k] = DI(off + k < n ? ids[off + k] : 0);
        db_res *r = db_query(d, sql, args, CHUNK);
        if (!r)
            return -1;
        int rc;
        while ((rc = db_next(r)) == 1) {
            int64_t id = db_int(r, 0);
            for (size_t k = off; k < n && k < off + CHUNK; k++)
                if (ids[k] == id)
                    json_array_append_new(json_object_get(cadres[k], "domains"), json_string(db_text(r, 1)));
        }
        db_done(r);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Append "AND col IN (?, ...)" for a comma-separated list of codes. */
static int in_list(buf *w, db_arg *args, int *n, arena *a, const char *col, const char *list)
{
    char *copy = arena_strdup(a, list);
    int k = 0;
    buf_printf(w, " AND %s IN (", col);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*n >= MAX_ARGS - 8 || k >= 30)
            return -1;
        buf_puts(w, k ? ", ?" : "?");
        args[(*n)++] = DS(t);
        k++;
    }
    buf_puts(w, ")");
    return k ? 0 : -1;
}

static int all_of(const char *s, int (*pred)(int))
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!pred((unsigned char)*s))
            return 0;
    return 1;
}

static int idlike(int c) { return isdigit(c) || c == 'x' || c == 'X'; }
static int phonelike(int c) { return isdigit(c) || c == '-'; }

/* Birth date bound for an age: YYYY-MM-DD years before today. */
static const char *years_before(arena *a, const char *today, int years)
{
    char *s = arena_alloc(a, 16);
    int y = date_year(today) - years;
    snprintf(s, 16, "%04d%s", y < 0 ? 0 : y, today + 4);
    return s;
}

/* Rows of the given ids, in that order, with their domains. 0 ok, -1 db error. */
static int emit_ids(db *d, const codebook *cb, const int64_t *ids, size_t n, void (*row)(void *ctx, json_t *cadre),
                    void *ctx)
{
    static const char sql[] = "SELECT " CADRE_COLS " FROM cadres c JOIN units un ON un.id = c.unit_id WHERE c.id IN "
                              "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                              "?,?,?,?,?,?,?,?,?,?)";
    json_t **rows = gx_calloc(n ? n : 1, sizeof *rows);
    int rc = 0;
    for (size_t off = 0; off < n && rc >= 0; off += CHUNK) {
        db_arg args[CHUNK];
        for (size_t k = 0; k < CHUNK; k++)
            args[k] = DI(off + k < n ? ids[off + k] : 0);
        db_res *r = db_query(d, sql, args, CHUNK);
        if (!r) {
            rc = -1;
            break;
        }
        while ((rc = db_next(r)) == 1) {
            int64_t id = db_int(r, 0);
            for (size_t k = off; k < n && k < off + CHUNK; k++)
                if (ids[k] == id && !rows[k])
                    rows[k] = cadre_row_json(r, cb);
        }
        db_done(r);
    }
    /* a row deleted between the two queries is simply skipped */
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (rows[k])
            rows[m++] = rows[k];
    int64_t *kept = gx_calloc(m ? m : 1, sizeof *kept);
    for (size_t k = 0; k < m; k++)
        kept[k] = json_integer_value(json_object_get(rows[k], "id"));
    if (rc >= 0 && m && cadre_attach_domains(d, rows, kept, m))
        rc = -1;
    for (size_t k = 0; k < m; k++)
        row(ctx, rows[k]);
    free(rows);
    free(kept);
    return rc < 0 ? -1 : 0;
}

/* A page filtered by domains (and at most rank levels, status, a unit and
 * the caller's scope), sorted by name: counted and paged on cadre_domains'
 * covering index alone. 1 done, 0 not this shape, -1 error. */
static int domain_page(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f,
                       void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total)
{
    if (!f->domains || !*f->domains || f->page_size <= 0 || (f->q && *f->q) ||
        f->top_leader >= 0 || f->team_member >= 0 || f->young_talent >= 0 || f->age_min >= 0 || f->age_max >= 0 ||
        (f->gender && *f->gender) || (f->political && *f->political) || (f->sort && *f->sort && strcmp(f->sort, "name")))
        return 0;
    buf w = BUF_INIT(4096);
    db_arg args[MAX_ARGS];
    int n = 0;
    buf_puts(&w, " FROM cadre_domains cd WHERE 1 = 1");
    if (in_list(&w, args, &n, a, "cd.domain", f->domains) ||
        (f->rank_levels && *f->rank_levels && in_list(&w, args, &n, a, "cd.rank_level", f->rank_levels))) {
        buf_free(&w);
        return 0; /* too many codes: the general path reports it */
    }
    if (f->status && *f->status) {
        buf_puts(&w, " AND cd.status = ?");
        args[n++] = DS(f->status);
    }
    if (!s->all) {
        buf_puts(&w, " AND cd.unit_id IN (SELECT u.id FROM units u WHERE u.path >= ? AND u.path < ?)");
        args[n++] = DS(s->lo);
        args[n++] = DS(s->hi);
    }
    if (f->unit_id && !f->subtree) {
        buf_puts(&w, " AND cd.unit_id = ?");
        args[n++] = DI(f->unit_id);
    } else if (f->unit_id) {
        db_res *r = db_queryv(d, "SELECT path FROM units WHERE id = ?", DI(f->unit_id));
        if (!r) {
            buf_free(&w);
            return -1;
        }
        const char *lo = "/0/", *hi = "/00";
        if (db_next(r) == 1)
            path_range(a, db_text(r, 0), &lo, &hi);
        db_done(r);
        buf_puts(&w, " AND cd.unit_id IN (SELECT u.id FROM units u WHERE u.path >= ? AND u.path < ?)");
        args[n++] = DS(lo);
        args[n++] = DS(hi);
    }
    size_t sl = w.len + 256;
    char *sql = arena_alloc(a, sl);
    snprintf(sql, sl, "SELECT COUNT(DISTINCT cd.cadre_id)%s", w.data);
    int rc = db_scalar(d, sql, args, n, total) < 0 ? -1 : 1;
    const char *dir = f->desc ? "DESC" : "ASC";
    snprintf(sql, sl, "SELECT DISTINCT cd.name_py, cd.name, cd.cadre_id%s ORDER BY 1 %s, 2 %s, 3 %s LIMIT ? OFFSET ?",
             w.data, dir, dir, dir);
    buf_free(&w);
    if (rc < 0)
        return -1;
    args[n++] = DI(f->page_size);
    args[n++] = DI((f->page - 1) * f->page_size);
    db_res *r = db_query(d, sql, args, n);
    if (!r)
        return -1;
    int64_t *ids = arena_alloc(a, (size_t)f->page_size * sizeof *ids);
    size_t nids = 0;
    while (nids < (size_t)f->page_size && (rc = db_next(r)) == 1)
        ids[nids++] = db_int(r, 2);
    db_done(r);
    if (rc < 0)
        return -1;
    return emit_ids(d, cb, ids, nids, row, ctx) ? -1 : 1;
}

int cadres_search(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f,
                  void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total, gx_err *e)
{
    int fast = domain_page(d, a, s, cb, f, row, ctx, total);
    if (fast > 0)
        return 0;
    if (fast < 0) {
        if (db_errcode(d) == DB_ECONN)
            return gx_fail(e, GX_EUNAVAIL, NULL);
        log_error("cadre search: %s", db_errmsg(d));
        return gx_fail(e, GX_EINTERNAL, NULL);
    }
    buf w = BUF_INIT(8192);
    db_arg args[MAX_ARGS];
    int n = 0;
    /* The filters name only cadres' columns (units through IN subqueries),
     * so counting and paging can run on cadres' indexes alone. */
    buf_puts(&w, " WHERE 1 = 1");
    if (!s->all) {
        buf_puts(&w, " AND c.unit_id IN (SELECT u.id FROM units u WHERE u.path >= ? AND u.path < ?)");
        args[n++] = DS(s->lo);
        args[n++] = DS(s->hi);
    }
    if (f->unit_id) {
        if (f->subtree) {
            db_res *r = db_queryv(d, "SELECT path FROM units WHERE id = ?", DI(f->unit_id));
            if (!r)
                goto dbfail;
            const char *lo = "/0/", *hi = "/00";
            if (db_next(r) == 1)
                path_range(a, db_text(r, 0), &lo, &hi);
            db_done(r);
            buf_puts(&w, " AND c.unit_id IN (SELECT u.id FROM units u WHERE u.path >= ? AND u.path < ?)");
            args[n++] = DS(lo);
            args[n++] = DS(hi);
        } else {
            buf_puts(&w, " AND c.unit_id = ?");
            args[n++] = DI(f->unit_id);
        }
    }
    if (f->q && *f->q) {
        const char *q = f->q;
        size_t ql = strlen(q);
        char *idx = arena_alloc(a, 33);
        if (ql == 18 && all_of(q, idlike) && cadre_id_index(q, idx)) {
            buf_puts(&w, " AND c.id_bidx = ?");
            args[n++] = DS(idx);
        } else if (ql >= 7 && all_of(q, phonelike) && cadre_phone_index(q, idx)) {
            buf_puts(&w, " AND c.phone_bidx = ?");
            args[n++] = DS(idx);
        } else if (all_of(q, isalpha)) {
            char *lo = arena_strdup(a, q), *hi = arena_alloc(a, ql + 2);
            for (char *p = lo; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            snprintf(hi, ql + 2, "%s~", lo);
            buf_puts(&w, " AND c.name_py >= ? AND c.name_py < ?");
            args[n++] = DS(lo);
            args[n++] = DS(hi);
        } else {
            char *hi = arena_alloc(a, ql + 5);
            snprintf(hi, ql + 5, "%s\xf4\x8f\xbf\xbf", q);
            buf_puts(&w, " AND c.name >= ? AND c.name < ?");
            args[n++] = DS(q);
            args[n++] = DS(hi);
        }
    }
    if (f->rank_levels && *f->rank_levels && in_list(&w, args, &n, a, "c.rank_level", f->rank_levels)) {
        gx_fail(e, GX_EBADQUERY, NULL);
        e->fields = json_pack("{s:s}", "rank_level", "最多 30 个代码，用逗号分隔");
        goto fail;
    }
    if (f->domains && *f->domains) {
        /* cadre_domains carries copies of rank and status: the sub-query narrows
         * on them too and stays one index range */
        buf_puts(&w, " AND c.id IN (SELECT cd.cadre_id FROM cadre_domains cd WHERE 1 = 1");
        if (in_list(&w, args, &n, a, "cd.domain", f->domains) ||
            (f->rank_levels && *f->rank_levels && in_list(&w, args, &n, a, "cd.rank_level", f->rank_levels))) {
            gx_fail(e, GX_EBADQUERY, NULL);
            e->fields = json_pack("{s:s}", "domain", "最多 30 个代码，用逗号分隔");
            goto fail;
        }
        if (f->status && *f->status) {
            buf_puts(&w, " AND cd.status = ?");
            args[n++] = DS(f->status);
        }
        buf_puts(&w, ")");
    }
    static const char *flag_cols[] = {"c.top_leader", "c.team_member", "c.young_talent"};
    int flags[] = {f->top_leader, f->team_member, f->young_talent};
    for (int i = 0; i < 3; i++) /* literal values: partial indexes match only literals */
        if (flags[i] >= 0)
            buf_printf(&w, " AND %s = %d", flag_cols[i], flags[i] ? 1 : 0);
    if (f->age_min >= 0) {
        buf_puts(&w, " AND c.birth_date <= ?");
        args[n++] = DS(years_before(a, codebook_today(cb), f->age_min));
    }
    if (f->age_max >= 0) {
        buf_puts(&w, " AND c.birth_date > ?");
        args[n++] = DS(years_before(a, codebook_today(cb), f->age_max + 1));
    }
    static const char *eq_cols[] = {"c.status", "c.gender", "c.political"};
    const char *eq[] = {f->status, f->gender, f->political};
    for (int i = 0; i < 3; i++) {
        if (eq[i] && *eq[i]) {
            buf_printf(&w, " AND %s = ?", eq_cols[i]);
            args[n++] = DS(eq[i]);
        }
    }
    if (w.toobig)
        goto dbfail;
    size_t sl = w.len + 768;
    char *sql = arena_alloc(a, sl);
    snprintf(sql, sl, "SELECT COUNT(*) FROM cadres c%s", w.data);
    if (db_scalar(d, sql, args, n, total) < 0)
        goto dbfail;
    const char *key = "c.name_py %1$s, c.name %1$s";
    int by_unit = 0;
    if (f->sort && !strcmp(f->sort, "birth_date"))
        key = "c.birth_date %1$s";
    else if (f->sort && !strcmp(f->sort, "rank_level"))
        key = "c.rank_level %1$s";
    else if (f->sort && !strcmp(f->sort, "unit"))
        key = "un.path %1$s", by_unit = 1;
    else if (f->sort && !strcmp(f->sort, "updated_at"))
        key = "c.updated_at %1$s";
    const char *dir = f->desc ? "DESC" : "ASC";
    char order[96]; /* every column of the key in the same direction */
    snprintf(order, sizeof order, key, dir);
    int rc = 0;
    if (f->page_size > 0) {
        /* A page: first the ids in order (index-only where the indexes
         * allow), then the rows of just those ids. */
        snprintf(sql, sl, "SELECT c.id FROM cadres c%s%s ORDER BY %s, c.id %s LIMIT ? OFFSET ?",
                 by_unit ? " JOIN units un ON un.id = c.unit_id" : "", w.data, order, dir);
        args[n++] = DI(f->page_size);
        args[n++] = DI((f->page - 1) * f->page_size);
        db_res *r = db_query(d, sql, args, n);
        if (!r)
            goto dbfail;
        int64_t *ids = arena_alloc(a, (size_t)f->page_size * sizeof *ids);
        size_t nids = 0;
        while (nids < (size_t)f->page_size && (rc = db_next(r)) == 1)
            ids[nids++] = db_int(r, 0);
        db_done(r);
        if (rc < 0)
            goto dbfail;
        buf_free(&w);
        if (emit_ids(d, cb, ids, nids, row, ctx))
            goto dbfail;
        return 0;
    }
    /* everything (export): one streaming query */
    snprintf(sql, sl, "SELECT " CADRE_COLS " FROM cadres c JOIN units un ON un.id = c.unit_id%s ORDER BY %s, c.id %s",
             w.data, order, dir);
    buf_free(&w);
    db_res *r = db_query(d, sql, args, n);
    if (!r)
        goto dbfail;
    json_t *batch[CHUNK];
    int64_t bids[CHUNK];
    size_t nb = 0;
    while ((rc = db_next(r)) == 1) {
        batch[nb] = cadre_row_json(r, cb);
        bids[nb++] = db_int(r, 0);
        if (nb == CHUNK) {
            if (cadre_attach_domains(d, batch, bids, nb))
                rc = -1;
            for (size_t k = 0; k < nb; k++)
                row(ctx, batch[k]);
            nb = 0;
            if (rc < 0)
                break;
        }
    }
    db_done(r);
    if (rc >= 0 && nb && cadre_attach_domains(d, batch, bids, nb))
        rc = -1;
    for (size_t k = 0; k < nb; k++)
        row(ctx, batch[k]);
    if (rc < 0)
        goto dbfail;
    return 0;
dbfail:
    buf_free(&w);
    if (db_errcode(d) == DB_ECONN)
        return gx_fail(e, GX_EUNAVAIL, NULL);
    log_error("cadre search: %s", db_errmsg(d));
    return gx_fail(e, GX_EINTERNAL, NULL);
fail:
    buf_free(&w);
    return -1;
}
