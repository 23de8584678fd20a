/* codebook.c - code lists and age limits for one operation (an import of
 * 100,000 rows must not ask the database 600,000 times). */
#include "cadre.h"
#include "../base/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct citem {
    char kind[16], code[16], label[64];
} citem;

typedef struct climit {
    char rank[8];
    int max_age;
} climit;

struct codebook {
    citem *items;
    size_t n;
    climit *limits;
    size_t nlimits;
    char today[11];
};

static void copy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = 0;
}

codebook *codebook_load(db *d, gx_err *e)
{
    codebook *cb = gx_calloc(1, sizeof *cb);
    gx_today(cb->today);
    /* One statement (a round trip fewer on every cadre request): the code
     * items by kind and order, inactive ones too (records keep codes that are
     * no longer offered), then, with kind '', the age limits in force today
     * by effective date. */
    db_res *r = db_queryv(d,
                          "SELECT kind, code, label, sort_order, 0 FROM code_items WHERE active >= ? "
                          "UNION ALL SELECT '', rank_level, effective_from, 0, max_age FROM young_age_limits "
                          "WHERE effective_from <= ? AND (effective_to IS NULL OR effective_to > ?) ORDER BY 1, 4, 3",
                          DI(0), DS(cb->today), DS(cb->today));
    if (!r)
        goto fail;
    size_t cap = 0, lcap = 0;
    int rc;
    while ((rc = db_next(r)) == 1) {
        if (!*db_text(r, 0)) {
            if (cb->nlimits == lcap) {
                lcap = lcap ? lcap * 2 : 16;
                cb->limits = gx_realloc(cb->limits, lcap * sizeof *cb->limits);
            }
            climit *l = &cb->limits[cb->nlimits++];
            copy(l->rank, sizeof l->rank, db_text(r, 1));
            l->max_age = (int)db_int(r, 4);
            continue;
        }
        if (cb->n == cap) {
            cap = cap ? cap * 2 : 256;
            cb->items = gx_realloc(cb->items, cap * sizeof *cb->items);
        }
        citem *c = &cb->items[cb->n++];
        copy(c->kind, sizeof c->kind, db_text(r, 0));
        copy(c->code, sizeof c->code, db_text(r, 1));
        copy(c->label, sizeof c->label, db_text(r, 2));
    }
    db_done(r);
    if (rc < 0)
        goto fail;
    return cb;
fail:
    codebook_free(cb);
    gx_fail(e, db_errcode(d) == DB_ECONN ? GX_EUNAVAIL : GX_EINTERNAL, NULL);
    return NULL;
}

void codebook_free(codebook *cb)
{
    if (!cb)
        return;
    free(cb->items);
    free(cb->limits);
    free(cb);
}

/* Items are ordered by kind: find the run of one kind. */
static void kind_range(const codebook *cb, const char *kind, size_t *lo, size_t *hi)
{
    size_t i = 0;
    while (i < cb->n && strcmp(cb->items[i].kind, kind))
        i++;
    *lo = i;
    while (i < cb->n && !strcmp(cb->items[i].kind, kind))
        i++;
    *hi = i;
}

const char *codebook_resolve(const codebook *cb, const char *kind, const char *text)
{
    size_t lo, hi;
    kind_range(cb, kind, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (cb->items[i].code[0] == text[0] && !strcmp(cb->items[i].code, text))
            return cb->items[i].code;
    for (size_t i = lo; i < hi; i++)
        if (cb->items[i].label[0] == text[0] && !strcmp(cb->items[i].label, text))
            return cb->items[i].code;
    return NULL;
}

const char *codebook_label(const codebook *cb, const char *kind, const char *code)
{
    size_t lo, hi;
    kind_range(cb, kind, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (!strcmp(cb->items[i].code, code))
            return cb->items[i].label;
    return NULL;
}

int codebook_young_limit(const codebook *cb, const char *rank_level)
{
    int limit = -1; /* the latest rule in force wins */
    for (size_t i = 0; i < cb->nlimits; i++)
        if (!strcmp(cb->limits[i].rank, rank_level))
            limit = cb->limits[i].max_age;
    return limit;
}

const char *codebook_today(const codebook *cb) { return cb->today; }
