/* units.c - the unit tree: list, tree with cadre counts, create, edit, move
 * (with its subtree), merge (sub-units follow, and every area's unit hooks
 * repoint its rows, e.g. cadres and accounts; the merged unit stays,
 * inactive, so history keeps pointing at it). */
#include "org.h"
#include "../base/buf.h"
#include "../store/query.h"
#include "../base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_COLS                                                                                            \
    "u.id, u.code, u.name, u.short_name, u.parent_id, u.type, u.division_code, u.sort_order, u.active, "     \
    "u.merged_into, u.version, u.path"

static const unit_hooks *const *hooks;

void org_set_unit_hooks(const unit_hooks *const *h) { hooks = h; }

static int run_merged(db *d, const audit_actor *who, int64_t from, int64_t into, const char *date, int64_t now)
{
    for (const unit_hooks *const *h = hooks; h && *h; h++)
        if ((*h)->merged && (*h)->merged(d, who, from, into, date, now))
            return -1;
    return 0;
}

static int run_moved(db *d, const audit_actor *who, int64_t id, int64_t old_parent, int64_t new_parent, int64_t now)
{
    for (const unit_hooks *const *h = hooks; h && *h; h++)
        if ((*h)->moved && (*h)->moved(d, who, id, old_parent, new_parent, now))
            return -1;
    return 0;
}

static json_t *nullable_int(db_res *r, int col) { return db_isnull(r, col) ? json_null() : json_integer(db_int(r, col)); }

static json_t *unit_row(db_res *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_int(r, 0)));
    json_object_set_new(o, "code", json_string(db_text(r, 1)));
    json_object_set_new(o, "name", json_string(db_text(r, 2)));
    json_object_set_new(o, "short_name", json_string(db_text(r, 3)));
    json_object_set_new(o, "parent_id", nullable_int(r, 4));
    json_object_set_new(o, "type", json_string(db_text(r, 5)));
    json_object_set_new(o, "division_code", json_string(db_text(r, 6)));
    json_object_set_new(o, "sort_order", json_integer(db_int(r, 7)));
    json_object_set_new(o, "active", json_boolean(db_int(r, 8)));
    json_object_set_new(o, "merged_into", nullable_int(r, 9));
    json_object_set_new(o, "version", json_integer(db_int(r, 10)));
    return o;
}

/* Scope condition on alias u, appended to where with its arguments. */
static void scope_where(buf *w, db_arg *args, int *n, const scope *s)
{
    if (s->all)
        return;
    buf_puts(w, " AND u.path >= ? AND u.path < ?");
    args[(*n)++] = DS(s->lo);
    args[(*n)++] = DS(s->hi);
}

/* One unit in scope (columns UNIT_COLS); 1 found, 0 not, -1 error. */
static int load(db *d, const scope *s, int64_t id, json_t **out, char **path)
{
    buf w = BUF_INIT(256);
    db_arg args[4];
    int n = 0;
    buf_puts(&w, "SELECT " UNIT_COLS " FROM units u WHERE u.id = ?");
    args[n++] = DI(id);
    scope_where(&w, args, &n, s);
    db_res *r = db_query(d, w.data, args, n);
    buf_free(&w);
    if (!r)
        return -1;
    int rc = db_next(r);
    if (rc == 1) {
        if (out)
            *out = unit_row(r);
        if (path)
            *path = gx_strdup(db_text(r, 11));
    }
    db_done(r);
    return rc;
}

int units_get(db *d, arena *a, const scope *s, int64_t id, json_t **out, gx_err *e)
{
    (void)a;
    int rc = load(d, s, id, out, NULL);
    if (rc < 0)
        return db_fail(d, e);
    if (rc == 0)
        return gx_fail(e, GX_ENOTFOUND, "单位不存在");
    int64_t n = 0;
    if (db_scalar(d, "SELECT COUNT(*) FROM cadres WHERE unit_id = ? AND status = '1'", DB_ARGV(DI(id)), &n) < 0) {
        json_decref(*out);
        return db_fail(d, e);
    }
    json_object_set_new(*out, "cadre_count", json_integer(n));
    return 0;
}

int units_list(db *d, arena *a, const scope *s, const unit_filter *f, json_t **items, int64_t *total, gx_err *e)
{
    qbuild q;
    q_init(&q, a);
    if (!s->all)
        q_andv(&q, "u.path >= ? AND u.path < ?", DS(s->lo), DS(s->hi));
    if (f->q && *f->q)
        q_match(&q, Q_CONTAINS, f->q, "u.name", "u.short_name", "u.code", NULL);
    if (f->parent_id)
        q_andv(&q, "u.parent_id = ?", DI(f->parent_id));
    if (f->within) {
        char *path = NULL;
        int rc = load(d, s, f->within, NULL, &path);
        if (rc < 0)
            return db_fail(d, e);
        const char *lo = "/0/", *hi = "/00"; /* empty range */
        if (rc == 1)
            path_range(a, path, &lo, &hi);
        free(path);
        q_andv(&q, "u.path >= ? AND u.path < ?", DS(lo), DS(hi));
    }
    if (f->type && *f->type)
        q_andv(&q, "u.type = ?", DS(f->type));
    if (f->active >= 0)
        q_andv(&q, "u.active = ?", DI(f->active));
    if (q_count(&q, d, "SELECT COUNT(*) FROM units u", total))
        return db_fail(d, e);
    db_res *r = q_page(&q, d, "SELECT " UNIT_COLS " FROM units u", "ORDER BY u.path, u.id", f->page, f->page_size);
    if (!r)
        return db_fail(d, e);
    *items = json_array();
    int rc;
    while ((rc = db_next(r)) == 1)
        json_array_append_new(*items, unit_row(r));
    db_done(r);
    if (rc < 0) {
        json_decref(*items);
        return db_fail(d, e);
    }
    return 0;
}

/* --- tree --- */

typedef struct tnode {
    int64_t id, parent, own, total;
    int sort;
    json_t *obj;
    struct tnode **kids;
    size_t nkids, cap;
} tnode;

static int cmp_node(const void *a, const void *b)
{
    const tnode *x = *(tnode *const *)a, *y = *(tnode *const *)b;
    if (x->sort != y->sort)
        return x->sort < y->sort ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int64_t emit(tnode *t)
{
    if (t->nkids > 1)
        qsort(t->kids, t->nkids, sizeof *t->kids, cmp_node);
    json_t *kids = json_array();
    t->total = t->own;
    for (size_t i = 0; i < t->nkids; i++) {
        t->total += emit(t->kids[i]);
        json_array_append_new(kids, t->kids[i]->obj);
    }
    json_object_set_new(t->obj, "cadre_count", json_integer(t->own));
    json_object_set_new(t->obj, "cadre_total", json_integer(t->total));
    json_object_set_new(t->obj, "children", kids);
    return t->total;
}

static tnode *find(tnode *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n; /* v sorted by id */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].id == id)
            return &v[mid];
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int units_tree(db *d, arena *a, const scope *s, json_t **tree, gx_err *e)
{
    qbuild q;
    q_init(&q, a);
    if (!s->all)
        q_andv(&q, "u.path >= ? AND u.path < ?", DS(s->lo), DS(s->hi));
    db_res *r = q_query(&q, d, "SELECT " UNIT_COLS " FROM units u", " ORDER BY u.id");
    if (!r)
        return db_fail(d, e);
    size_t cap = 64, cnt = 0;
    tnode *v = gx_calloc(cap, sizeof *v);
    int rc;
    while ((rc = db_next(r)) == 1) {
        if (cnt == cap) {
            v = gx_realloc(v, 2 * cap * sizeof *v);
            memset(v + cap, 0, cap * sizeof *v);
            cap *= 2;
        }
        tnode *t = &v[cnt++];
        t->id = db_int(r, 0);
        t->parent = db_isnull(r, 4) ? 0 : db_int(r, 4);
        t->sort = (int)db_int(r, 7);
        t->obj = unit_row(r);
    }
    db_done(r);
    if (rc == 0) {
        r = db_queryv(d, "SELECT unit_id, COUNT(*) FROM cadres WHERE status = ? GROUP BY unit_id", DS("1"));
        if (!r)
            rc = -1;
        while (r && (rc = db_next(r)) == 1) {
            tnode *t = find(v, cnt, db_int(r, 0));
            if (t)
                t->own = db_int(r, 1);
        }
        db_done(r);
    }
    if (rc < 0) {
        for (size_t i = 0; i < cnt; i++)
            json_decref(v[i].obj);
        free(v);
        return db_fail(d, e);
    }
    tnode root = {0};
    for (size_t i = 0; i < cnt; i++) {
        tnode *p = v[i].parent ? find(v, cnt, v[i].parent) : NULL;
        if (!p)
            p = &root; /* top level, or the top of a liaison's subtree */
        if (p->nkids == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 4;
            p->kids = gx_realloc(p->kids, p->cap * sizeof *p->kids);
        }
        p->kids[p->nkids++] = &v[i];
    }
    if (root.nkids > 1)
        qsort(root.kids, root.nkids, sizeof *root.kids, cmp_node);
    *tree = json_array();
    for (size_t i = 0; i < root.nkids; i++) {
        emit(root.kids[i]);
        json_array_append_new(*tree, root.kids[i]->obj);
    }
    for (size_t i = 0; i < cnt; i++)
        free(v[i].kids);
    free(root.kids);
    free(v);
    return 0;
}

/* --- writes --- */

static int code_ok(const char *c)
{
    size_t n = strlen(c);
    if (n < 1 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)c[i]) && c[i] != '-' && c[i] != '_')
            return 0;
    return 1;
}

static int division_ok(const char *c)
{
    if (!*c)
        return 1;
    if (strlen(c) != 6)
        return 0;
    for (int i = 0; i < 6; i++)
        if (!isdigit((unsigned char)c[i]))
            return 0;
    return c[0] >= '1' && c[0] <= '8';
}

static void check_fields(db *d, arena *a, const char *code, const char *type, const char *division, gx_err *e)
{
    if (code && !code_ok(code))
        gx_field(e, "code", "单位代码应为 1–32 位字母、数字、- 或 _");
    if (type && *type && !code_label(d, a, "unit_type", type))
        gx_field(e, "type", "单位类型不在代码表中");
    if (division && !division_ok(division))
        gx_field(e, "division_code", "行政区划代码应为 6 位数字（GB/T 2260），如扬州市 321000");
}

int64_t unit_insert_raw(db *d, const unit_in *in, int64_t now)
{
    db_res *r = db_queryv(d,
                          "INSERT INTO units (code, name, short_name, parent_id, type, division_code, sort_order, "
                          "active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          DS(in->code), DS(in->name), DS(in->short_name ? in->short_name : ""),
                          in->parent_id ? DI(in->parent_id) : DN, DS(in->type ? in->type : ""),
                          DS(in->division_code ? in->division_code : ""), DI(in->sort_order), DI(in->active), DI(now));
    if (!r || db_next(r) != 1) {
        db_done(r);
        return 0;
    }
    int64_t id = db_int(r, 0);
    db_done(r);
    int64_t ok;
    if (in->parent_id)
        ok = db_execv(d,
                      "UPDATE units SET path = (SELECT p.path FROM units p WHERE p.id = ?) || CAST(id AS TEXT) || '/' "
                      "WHERE id = ?",
                      DI(in->parent_id), DI(id));
    else
        ok = db_execv(d, "UPDATE units SET path = '/' || CAST(id AS TEXT) || '/' WHERE id = ?", DI(id));
    return ok == 1 ? id : 0;
}

static int conflict_code(db *d, gx_err *e)
{
    db_rollback(d);
    gx_fail(e, GX_ECONFLICT, "单位代码已存在");
    gx_field(e, "code", "单位代码已存在");
    e->code = GX_ECONFLICT;
    return -1;
}

static int finish(db *d, const audit_actor *who, const char *action, int64_t id, json_t *before, json_t *after,
                  gx_err *e)
{
    int rc = audit_append(d, who, action, "unit", id, before, after);
    json_decref(before);
    if (rc || db_commit(d)) {
        json_decref(after);
        return db_fail(d, e);
    }
    return 0;
}

int units_create(db *d, arena *a, const scope *s, const audit_actor *who, const unit_in *in, json_t **out, gx_err *e)
{
    check_fields(d, a, in->code, in->type, in->division_code, e);
    if (!in->parent_id && !s->all)
        gx_field(e, "parent_id", "请选择上级单位");
    if (e->code != GX_OK)
        return -1;
    if (db_begin(d))
        return db_fail(d, e);
    if (in->parent_id) {
        json_t *parent = NULL;
        int rc = load(d, s, in->parent_id, &parent, NULL);
        if (rc < 0)
            return db_fail(d, e);
        int active = rc == 1 && json_is_true(json_object_get(parent, "active"));
        json_decref(parent);
        if (!active) {
            db_rollback(d);
            gx_field(e, "parent_id", rc == 0 ? "上级单位不存在" : "上级单位已停用或已合并");
            return -1;
        }
    }
    int64_t id = unit_insert_raw(d, in, gx_now());
    if (!id)
        return db_errcode(d) == DB_ECONSTRAINT ? conflict_code(d, e) : db_fail(d, e);
    if (load(d, s, id, out, NULL) != 1)
        return db_fail(d, e);
    return finish(d, who, "unit.create", id, NULL, *out, e);
}

/* Whether the unit at path is the root of a limited scope (a liaison's own unit). */
static int scope_root(const scope *s, const char *path) { return !s->all && path && !strcmp(path, s->lo); }

/* Start a write on one unit: transaction, load in scope, version check. */
static int begin_on(db *d, const scope *s, int64_t id, int64_t version, json_t **before, char **path, gx_err *e)
{
    if (db_begin(d))
        return db_fail(d, e);
    int rc = load(d, s, id, before, path);
    if (rc < 0)
        return db_fail(d, e);
    if (rc == 0) {
        db_rollback(d);
        return gx_fail(e, GX_ENOTFOUND, "单位不存在");
    }
    if (json_integer_value(json_object_get(*before, "version")) != version) {
        db_rollback(d);
        json_decref(*before);
        free(path ? *path : NULL);
        return gx_fail(e, GX_EVERSION, NULL);
    }
    return 0;
}

int units_update(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, const unit_patch *p,
                 json_t **out, gx_err *e)
{
    check_fields(d, a, p->code, p->type, p->division_code, e);
    if (e->code != GX_OK)
        return -1;
    json_t *before;
    char *path = NULL;
    if (begin_on(d, s, id, p->version, &before, &path, e))
        return -1;
    /* A liaison's own unit is the root of its scope: renaming or closing it
     * belongs to the organisation department. */
    int root = scope_root(s, path);
    free(path);
    if (root && ((p->code && strcmp(p->code, json_string_value(json_object_get(before, "code")))) ||
                 (p->name && strcmp(p->name, json_string_value(json_object_get(before, "name")))) ||
                 (p->short_name && strcmp(p->short_name, json_string_value(json_object_get(before, "short_name")))) ||
                 p->active == 0)) {
        db_rollback(d);
        json_decref(before);
        return gx_fail(e, GX_EFORBIDDEN, "本单位的名称、代码和启用状态由组织部门维护");
    }
#define STR_OR(field) (p->field ? p->field : json_string_value(json_object_get(before, #field)))
    int active = p->active >= 0 ? p->active : json_is_true(json_object_get(before, "active"));
    int64_t sort = p->sort_order != UNIT_SORT_UNCHANGED ? p->sort_order
                                                        : json_integer_value(json_object_get(before, "sort_order"));
    int64_t n = db_execv(d,
                         "UPDATE units SET code = ?, name = ?, short_name = ?, type = ?, division_code = ?, "
                         "sort_order = ?, active = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                         DS(STR_OR(code)), DS(STR_OR(name)), DS(STR_OR(short_name)), DS(STR_OR(type)),
                         DS(STR_OR(division_code)), DI(sort), DI(active), DI(gx_now()), DI(id));
#undef STR_OR
    if (n != 1) {
        json_decref(before);
        return db_errcode(d) == DB_ECONSTRAINT ? conflict_code(d, e) : db_fail(d, e);
    }
    if (load(d, s, id, out, NULL) != 1) {
        json_decref(before);
        return db_fail(d, e);
    }
    return finish(d, who, "unit.update", id, before, *out, e);
}

/* Re-root the subtree at old_path under new_prefix ("/1/9/" + id + "/"). */
static int repath(db *d, arena *a, const char *old_path, const char *new_path)
{
    const char *lo, *hi;
    path_range(a, old_path, &lo, &hi);
    return db_execv(d, "UPDATE units SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?", DS(new_path),
                    DI((int64_t)strlen(old_path) + 1), DS(lo), DS(hi)) < 0
               ? -1
               : 0;
}

int units_move(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, int64_t version,
               int64_t new_parent, json_t **out, gx_err *e)
{
    json_t *before;
    char *path = NULL, *ppath = NULL;
    if (begin_on(d, s, id, version, &before, &path, e))
        return -1;
    json_t *target = NULL;
    int rc = load(d, s, new_parent, &target, &ppath);
    if (rc < 0)
        goto dbfail;
    const char *why = rc == 0                                   ? "目标上级单位不存在"
                      : !strncmp(ppath, path, strlen(path))     ? "不能移动到本单位或其下级单位之下"
                      : !json_is_true(json_object_get(target, "active")) ? "目标上级单位已停用或已合并"
                                                                          : NULL;
    json_decref(target);
    if (why) {
        db_rollback(d);
        gx_field(e, "parent_id", why);
        goto fail;
    }
    char *np = arena_alloc(a, strlen(ppath) + 24);
    snprintf(np, strlen(ppath) + 24, "%s%lld/", ppath, (long long)id);
    int64_t now = gx_now(), old_parent = json_integer_value(json_object_get(before, "parent_id"));
    if (db_execv(d, "UPDATE units SET parent_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                 DI(new_parent), DI(now), DI(id)) != 1 ||
        repath(d, a, path, np) || run_moved(d, who, id, old_parent, new_parent, now) || load(d, s, id, out, NULL) != 1)
        goto dbfail;
    free(path);
    free(ppath);
    return finish(d, who, "unit.move", id, before, *out, e);
dbfail:
    db_fail(d, e);
fail:
    json_decref(before);
    free(path);
    free(ppath);
    return -1;
}

int units_merge(db *d, arena *a, const scope *s, const audit_actor *who, int64_t from, int64_t version, int64_t into,
                const char *date, json_t **out, gx_err *e)
{
    json_t *before;
    char *path = NULL, *ipath = NULL;
    if (begin_on(d, s, from, version, &before, &path, e))
        return -1;
    if (scope_root(s, path)) {
        db_rollback(d);
        json_decref(before);
        free(path);
        return gx_fail(e, GX_EFORBIDDEN, "不能合并本单位（由组织部门办理）");
    }
    json_t *target = NULL;
    int rc = load(d, s, into, &target, &ipath);
    if (rc < 0)
        goto dbfail;
    const char *why = rc == 0                                   ? "并入的单位不存在"
                      : !strncmp(ipath, path, strlen(path))     ? "不能并入本单位或其下级单位"
                      : !json_is_true(json_object_get(target, "active")) ? "并入的单位已停用或已合并"
                                                                          : NULL;
    json_decref(target);
    if (why) {
        db_rollback(d);
        gx_field(e, "into_id", why);
        goto fail;
    }
    int64_t now = gx_now();
    /* every area repoints its own rows (cadres, accounts, ...) */
    if (run_merged(d, who, from, into, date, now))
        goto dbfail;
    /* sub-units: re-parent and re-path each child subtree */
    db_res *r = db_queryv(d, "SELECT id, path FROM units WHERE parent_id = ?", DI(from));
    if (!r)
        goto dbfail;
    size_t nk = 0, cap = 8;
    int64_t *kids = gx_malloc(cap * sizeof *kids);
    char **kpaths = gx_malloc(cap * sizeof *kpaths);
    while (db_next(r) == 1) {
        if (nk == cap) {
            cap *= 2;
            kids = gx_realloc(kids, cap * sizeof *kids);
            kpaths = gx_realloc(kpaths, cap * sizeof *kpaths);
        }
        kids[nk] = db_int(r, 0);
        kpaths[nk++] = arena_strdup(a, db_text(r, 1));
    }
    db_done(r);
    int bad = 0;
    for (size_t i = 0; i < nk && !bad; i++) {
        char *np = arena_alloc(a, strlen(ipath) + 24);
        snprintf(np, strlen(ipath) + 24, "%s%lld/", ipath, (long long)kids[i]);
        bad = db_execv(d, "UPDATE units SET parent_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                       DI(into), DI(now), DI(kids[i])) != 1 ||
              repath(d, a, kpaths[i], np);
    }
    free(kids);
    free(kpaths);
    if (bad ||
        db_execv(d, "UPDATE units SET active = 0, merged_into = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                 DI(into), DI(now), DI(from)) != 1 ||
        load(d, s, from, out, NULL) != 1)
        goto dbfail;
    free(path);
    free(ipath);
    return finish(d, who, "unit.merge", from, before, *out, e);
dbfail:
    db_fail(d, e);
fail:
    json_decref(before);
    free(path);
    free(ipath);
    return -1;
}
