/* search.c - cadre lists: filters, sorting, paging, rendered rows. */
#include "cadre.h"
#include "cadre_int.h"
#include "../base/idcard.h"
#include "../base/util.h"
#include "../store/query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define CHUNK 50

json_t *cadre_row_json(db_res *r, const codebook *cb)
{
    json_t *o = json_object();
    const char *birth = db_text(r, 3), *rank = db_text(r, 11);
    json_object_set_new(o, "id", json_integer(db_int(r, 0)));
    json_object_set_new(o, "name", json_string(db_text(r, 1)));
    json_object_set_new(o, "gender", json_string(db_text(r, 2)));
    json_object_set_new(o, "birth_month", json_string(birth)); /* "YYYY-MM": all that is kept in clear */
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

/* The path range of unit id's subtree (an empty range when there is no
 * such unit). 0 ok, -1 database error. */
static int subtree_range(db *d, arena *a, int64_t id, const char **lo, const char **hi)
{
    db_res *r = db_queryv(d, "SELECT path FROM units WHERE id = ?", DI(id));
    if (!r)
        return -1;
    *lo = "/0/", *hi = "/00";
    int rc = db_next(r);
    if (rc == 1)
        path_range(a, db_text(r, 0), lo, hi);
    db_done(r);
    return rc < 0 ? -1 : 0;
}

/* AND "<col> IN (units of the path range)". */
static void in_units(qbuild *q, arena *a, const char *column, const char *lo, const char *hi)
{
    char cond[128];
    snprintf(cond, sizeof cond, "%s IN (SELECT u.id FROM units u WHERE u.path >= ? AND u.path < ?)", column);
    q_andv(q, arena_strdup(a, cond), DS(lo), DS(hi));
}

/* "<alias>.<rest>" in the arena. */
static const char *col(arena *a, const char *alias, const char *rest)
{
    size_t n = strlen(alias) + strlen(rest) + 2;
    char *s = arena_alloc(a, n);
    snprintf(s, n, "%s.%s", alias, rest);
    return s;
}

/* The conditions on the columns cadres and cadre_domains share (unit, rank,
 * flags, birth date, status, gender, political), on table alias `t`.
 * 0 ok, -1 database error. */
static int column_conds(db *d, arena *a, qbuild *q, const scope *s, const codebook *cb, const cadre_filter *f,
                        const char *t)
{
    if (!s->all)
        in_units(q, a, col(a, t, "unit_id"), s->lo, s->hi);
    if (f->unit_id && f->subtree) {
        const char *lo, *hi;
        if (subtree_range(d, a, f->unit_id, &lo, &hi))
            return -1;
        in_units(q, a, col(a, t, "unit_id"), lo, hi);
    } else if (f->unit_id) {
        q_andv(q, col(a, t, "unit_id = ?"), DI(f->unit_id));
    }
    if (f->rank_levels)
        q_in(q, col(a, t, "rank_level"), f->rank_levels);
    static const char *flag_conds[][2] = {{"top_leader = 0", "top_leader = 1"},
                                          {"team_member = 0", "team_member = 1"},
                                          {"young_talent = 0", "young_talent = 1"}};
    int flags[] = {f->top_leader, f->team_member, f->young_talent};
    for (int i = 0; i < 3; i++) /* literal values: partial indexes match only literals */
        if (flags[i] >= 0)
            q_and(q, col(a, t, flag_conds[i][flags[i] ? 1 : 0]), NULL, 0);
    if (f->age_min >= 0)
        q_andv(q, col(a, t, "birth_date <= ?"), DS(years_before(a, codebook_today(cb), f->age_min)));
    if (f->age_max >= 0)
        q_andv(q, col(a, t, "birth_date > ?"), DS(years_before(a, codebook_today(cb), f->age_max + 1)));
    static const char *eq_conds[] = {"status = ?", "gender = ?", "political = ?"};
    const char *eq[] = {f->status, f->gender, f->political};
    for (int i = 0; i < 3; i++)
        if (eq[i] && *eq[i])
            q_andv(q, col(a, t, eq_conds[i]), DS(eq[i]));
    return 0;
}

/* Read up to max ids from column col of r, then finish r. 0 ok, -1 error. */
static int read_ids(db_res *r, int col, int64_t *ids, size_t max, size_t *n)
{
    int rc = 0;
    *n = 0;
    while (*n < max && (rc = db_next(r)) == 1)
        ids[(*n)++] = db_int(r, col);
    db_done(r);
    return rc < 0 ? -1 : 0;
}

/* A page filtered by domains (and any column filter but the text search),
 * sorted by name: counted and paged on cadre_domains' covering index alone,
 * which carries copies of every filtered column. 1 done, 0 not this shape,
 * -1 error. */
static int domain_page(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f,
                       int64_t count_max, void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total, int *more)
{
    if (!f->domains || !*f->domains || f->page_size <= 0 || (f->q && *f->q) ||
        (f->sort && *f->sort && strcmp(f->sort, "name")))
        return 0;
    qbuild q;
    q_init(&q, a);
    q_in(&q, "cd.domain", f->domains);
    if (column_conds(d, a, &q, s, cb, f, "cd"))
        return -1;
    /* +cd.cadre_id: not the primary key's order, which SQLite would otherwise
     * walk whole (with ANALYZE's statistics) hoping the LIMIT stops it early */
    if (count_max > 0 ? q_count_upto(&q, d, "SELECT DISTINCT +cd.cadre_id FROM cadre_domains cd", count_max, total, more)
                      : q_count(&q, d, "SELECT COUNT(DISTINCT cd.cadre_id) FROM cadre_domains cd", total))
        return -1;
    const char *dir = f->desc ? "DESC" : "ASC";
    char order[64];
    snprintf(order, sizeof order, "ORDER BY 1 %s, 2 %s, 3 %s", dir, dir, dir);
    db_res *r = q_page(&q, d, "SELECT DISTINCT cd.name_py, cd.name, cd.cadre_id FROM cadre_domains cd", order,
                       f->page, f->page_size);
    if (!r)
        return -1;
    int64_t *ids = arena_alloc(a, (size_t)f->page_size * sizeof *ids);
    size_t nids;
    if (read_ids(r, 2, ids, (size_t)f->page_size, &nids))
        return -1;
    return emit_ids(d, cb, ids, nids, row, ctx) ? -1 : 1;
}

/* Whether q is an exact identifier: "id_number" or "phone" with its blind
 * indexes in idx ([0] the active key's, [1] a rotation's new key's), or
 * NULL when it is a name or initials. */
static const char *exact_index(const char *q, char idx[2][33])
{
    size_t ql = q ? strlen(q) : 0;
    if (ql == 18 && all_of(q, idlike) && cadre_id_index(q, idx))
        return "id_number";
    if (ql >= 7 && all_of(q, phonelike) && cadre_phone_index(q, idx))
        return "phone";
    return NULL;
}

/* The general path's conditions. The filters name only cadres' columns
 * (units through IN sub-queries), so counting and paging can run on cadres'
 * indexes alone. 0 ok, -1 database error. */
static int cadre_conds(db *d, arena *a, qbuild *q, const scope *s, const codebook *cb, const cadre_filter *f)
{
    if (column_conds(d, a, q, s, cb, f, "c"))
        return -1;
    if (f->q && *f->q) {
        const char *t = f->q;
        size_t ql = strlen(t);
        char(*idx)[33] = arena_alloc(a, 2 * 33);
        const char *kind = exact_index(t, idx);
        if (kind) {
            q_andv(q, strcmp(kind, "phone") ? "c.id_bidx IN (?, ?)" : "c.phone_bidx IN (?, ?)", DS(idx[0]), DS(idx[1]));
        } else if (all_of(t, isalpha)) {
            char *lo = arena_strdup(a, t), *hi = arena_alloc(a, ql + 2);
            for (char *p = lo; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            snprintf(hi, ql + 2, "%s~", lo);
            q_andv(q, "c.name_py >= ? AND c.name_py < ?", DS(lo), DS(hi));
        } else {
            char *hi = arena_alloc(a, ql + 5);
            snprintf(hi, ql + 5, "%s\xf4\x8f\xbf\xbf", t);
            q_andv(q, "c.name >= ? AND c.name < ?", DS(t), DS(hi));
        }
    }
    if (f->domains && *f->domains) {
        /* cadre_domains carries copies of rank and status: the sub-query narrows
         * on them too and stays one index range */
        q_open(q, "c.id IN (SELECT cd.cadre_id FROM cadre_domains cd");
        q_in(q, "cd.domain", f->domains);
        if (f->rank_levels)
            q_in(q, "cd.rank_level", f->rank_levels);
        if (f->status && *f->status)
            q_andv(q, "cd.status = ?", DS(f->status));
        q_close(q, ")");
    }
    return 0;
}

int cadres_search(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f,
                  void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total, gx_err *e)
{
    return cadres_list(d, a, s, cb, f, 0, row, ctx, total, NULL, e);
}

int cadres_list(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f, int64_t count_max,
                void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total, int *total_exact, gx_err *e)
{
    /* a search by one ID number or phone tells whether it exists: an exact
     * lookup, charged to the caller's budget before it runs */
    char idx[2][33];
    const char *kind = f->who ? exact_index(f->q, idx) : NULL;
    if (kind && lookup_charge(d, f->who, kind, f->page_size ? "search" : "export", 1, e))
        return -1;
    int more = 0;
    if (total_exact)
        *total_exact = 1;
    int fast = domain_page(d, a, s, cb, f, count_max, row, ctx, total, &more);
    if (total_exact && more)
        *total_exact = 0;
    if (fast > 0)
        return 0;
    if (fast < 0)
        goto dbfail;
    qbuild q;
    q_init(&q, a);
    if (cadre_conds(d, a, &q, s, cb, f))
        goto dbfail;
    int64_t est = 0;
    if (count_max > 0 && q_empty(&q) && q_table_estimate(d, "cadres", &est) && est >= count_max + count_max / 5) {
        /* everyone, on a registry the statistics put well past the limit:
         * no need to count to know there are more */
        *total = count_max;
        more = 1;
    } else if (count_max > 0 ? q_count_upto(&q, d, "SELECT 1 FROM cadres c", count_max, total, &more)
                             : q_count(&q, d, "SELECT COUNT(*) FROM cadres c", total)) {
        goto dbfail;
    }
    if (total_exact && more)
        *total_exact = 0;
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
    char *tail = arena_alloc(a, sizeof order + 32);
    if (f->page_size > 0) {
        /* A page: first the ids in order (index-only where the indexes
         * allow), then the rows of just those ids. */
        snprintf(tail, sizeof order + 32, "ORDER BY %s, c.id %s", order, dir);
        db_res *r = q_page(&q, d, by_unit ? "SELECT c.id FROM cadres c JOIN units un ON un.id = c.unit_id"
                                           : "SELECT c.id FROM cadres c",
                           tail, f->page, f->page_size);
        if (!r)
            goto dbfail;
        int64_t *ids = arena_alloc(a, (size_t)f->page_size * sizeof *ids);
        size_t nids;
        if (read_ids(r, 0, ids, (size_t)f->page_size, &nids) || emit_ids(d, cb, ids, nids, row, ctx))
            goto dbfail;
        return 0;
    }
    /* everything (export): one streaming query */
    snprintf(tail, sizeof order + 32, " ORDER BY %s, c.id %s", order, dir);
    db_res *r = q_query(&q, d, "SELECT " CADRE_COLS " FROM cadres c JOIN units un ON un.id = c.unit_id", tail);
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
    if (db_errcode(d) == DB_ECONN)
        return gx_fail(e, GX_EUNAVAIL, NULL);
    log_error("cadre search: %s", db_errmsg(d));
    return gx_fail(e, GX_EINTERNAL, NULL);
}
