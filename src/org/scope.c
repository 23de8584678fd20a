/* scope.c - who sees which units, and the code lists. */
#include "org.h"
#include "../base/util.h"

#include <string.h>

void path_range(arena *a, const char *path, const char **lo, const char **hi)
{
    /* Paths are "/" and digits. Every descendant of "/1/5/" sorts in
     * ["/1/5/", "/1/50"): '/' + 1 == '0', and siblings like "/1/50/" are excluded. */
    size_t n = strlen(path);
    char *h = arena_strndup(a, path, n);
    if (n)
        h[n - 1] = '0';
    *lo = arena_strdup(a, path);
    *hi = h;
}

int scope_of(db *d, arena *a, const gx_user *u, scope *s, gx_err *e)
{
    memset(s, 0, sizeof *s);
    if (!(u->roles & ROLE_LIAISON) || (u->roles & ROLE_ORGADMIN)) {
        s->all = 1;
        return 0;
    }
    db_res *r = db_queryv(d, "SELECT path FROM units WHERE id = ?", DI(u->unit_id));
    if (!r)
        return gx_fail(e, db_errcode(d) == DB_ECONN ? GX_EUNAVAIL : GX_EINTERNAL, NULL);
    int rc = db_next(r);
    if (rc == 1)
        path_range(a, db_text(r, 0), &s->lo, &s->hi);
    db_done(r);
    if (rc != 1) /* a liaison without a unit sees nothing */
        path_range(a, "/0/", &s->lo, &s->hi);
    return 0;
}

int scope_has_unit(db *d, const scope *s, int64_t unit_id)
{
    int64_t active = 0;
    int rc = s->all ? db_scalar(d, "SELECT active FROM units WHERE id = ?", DB_ARGV(DI(unit_id)), &active)
                    : db_scalar(d, "SELECT active FROM units WHERE id = ? AND path >= ? AND path < ?",
                                DB_ARGV(DI(unit_id), DS(s->lo), DS(s->hi)), &active);
    return rc == 1 && !active ? 2 : rc;
}

const char *code_label(db *d, arena *a, const char *kind, const char *code)
{
    db_res *r = db_queryv(d, "SELECT label FROM code_items WHERE kind = ? AND code = ?", DS(kind), DS(code));
    if (!r)
        return NULL;
    const char *l = db_next(r) == 1 ? arena_strdup(a, db_text(r, 0)) : NULL;
    db_done(r);
    return l;
}

const char *code_resolve(db *d, arena *a, const char *kind, const char *text)
{
    db_res *r = db_queryv(d, "SELECT code FROM code_items WHERE kind = ? AND active = 1 AND (code = ? OR label = ?)",
                          DS(kind), DS(text), DS(text));
    if (!r)
        return NULL;
    const char *c = db_next(r) == 1 ? arena_strdup(a, db_text(r, 0)) : NULL;
    db_done(r);
    return c;
}

json_t *code_list(db *d, const char *kind, int all)
{
    db_res *r = db_queryv(d,
                          "SELECT code, label, active FROM code_items WHERE kind = ? AND active >= ? "
                          "ORDER BY sort_order, code",
                          DS(kind), DI(all ? 0 : 1));
    if (!r)
        return NULL;
    json_t *a = json_array();
    int rc;
    while ((rc = db_next(r)) == 1) {
        json_t *it = json_pack("{s:s,s:s}", "code", db_text(r, 0), "label", db_text(r, 1));
        if (all)
            json_object_set_new(it, "active", json_boolean(db_int(r, 2)));
        json_array_append_new(a, it);
    }
    db_done(r);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}
