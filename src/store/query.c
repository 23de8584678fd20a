/* query.c - list-query builder (see query.h). */
#include "query.h"
#include "../base/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void q_init(qbuild *q, arena *a)
{
    memset(q, 0, sizeof *q);
    q->a = a;
    q->cap = 256;
    q->sql = arena_alloc(a, q->cap);
}

static void put(qbuild *q, const char *s)
{
    size_t n = strlen(s);
    if (q->len + n + 1 > q->cap) {
        size_t cap = q->cap * 2;
        while (cap < q->len + n + 1)
            cap *= 2;
        char *p = arena_alloc(q->a, cap);
        memcpy(p, q->sql, q->len + 1);
        q->sql = p;
        q->cap = cap;
    }
    memcpy(q->sql + q->len, s, n + 1);
    q->len += n;
}

static void arg(qbuild *q, db_arg v)
{
    if (q->n == q->nalloc) {
        int cap = q->nalloc ? q->nalloc * 2 : 16;
        db_arg *p = arena_alloc(q->a, (size_t)cap * sizeof *p);
        if (q->n)
            memcpy(p, q->args, (size_t)q->n * sizeof *p);
        q->args = p;
        q->nalloc = cap;
    }
    q->args[q->n++] = v;
}

/* " WHERE " before the first condition of the current level, " AND " after. */
static void next_cond(qbuild *q)
{
    put(q, q->conds[q->depth]++ ? " AND " : " WHERE ");
}

void q_and(qbuild *q, const char *cond, const db_arg *args, int nargs)
{
    next_cond(q);
    put(q, cond);
    for (int i = 0; i < nargs; i++)
        arg(q, args[i]);
}

int q_in(qbuild *q, const char *col, const char *csv)
{
    int k = 0;
    const char *s = csv ? csv : "";
    while (*s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len) {
            if (!k) {
                next_cond(q);
                put(q, col);
                put(q, " IN (?");
            } else {
                put(q, ", ?");
            }
            arg(q, DS(arena_strndup(q->a, s, len)));
            k++;
        }
        s += len + (end ? 1 : 0);
    }
    if (k)
        put(q, ")");
    return k;
}

char *q_like_pattern(arena *a, enum q_mode mode, const char *text)
{
    size_t n = strlen(text);
    char *p = arena_alloc(a, 2 * n + 3), *o = p;
    if (mode == Q_CONTAINS)
        *o++ = '%';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            *o++ = '\\';
        *o++ = text[i];
    }
    *o++ = '%';
    *o = 0;
    return p;
}

void q_match(qbuild *q, enum q_mode mode, const char *text, const char *col, ...)
{
    const char *pat = q_like_pattern(q->a, mode, text);
    va_list ap;
    va_start(ap, col);
    next_cond(q);
    put(q, "(");
    for (const char *c = col; c; c = va_arg(ap, const char *)) {
        if (c != col)
            put(q, " OR ");
        put(q, "lower(");
        put(q, c);
        put(q, ") LIKE lower(?) ESCAPE '\\'");
        arg(q, DS(pat));
    }
    va_end(ap);
    put(q, ")");
}

void q_open(qbuild *q, const char *head)
{
    if (q->depth >= Q_DEPTH)
        gx_die("query builder: sub-queries nested deeper than %d", Q_DEPTH);
    next_cond(q);
    put(q, head);
    q->conds[++q->depth] = 0;
}

void q_close(qbuild *q, const char *tail)
{
    if (q->depth == 0)
        gx_die("query builder: q_close without q_open");
    q->depth--;
    put(q, tail);
}

const char *q_sql(qbuild *q, const char *head, const char *tail)
{
    size_t hl = strlen(head), tl = strlen(tail);
    char *s = arena_alloc(q->a, hl + q->len + tl + 1);
    memcpy(s, head, hl);
    memcpy(s + hl, q->sql, q->len);
    memcpy(s + hl + q->len, tail, tl + 1);
    return s;
}

int q_nargs(const qbuild *q) { return q->n; }
const db_arg *q_args(const qbuild *q) { return q->args; }

db_res *q_query(qbuild *q, db *d, const char *head, const char *tail)
{
    return db_query(d, q_sql(q, head, tail), q->args, q->n);
}

int q_count(qbuild *q, db *d, const char *head, int64_t *out)
{
    *out = 0;
    return db_scalar(d, q_sql(q, head, ""), q->args, q->n, out) < 0 ? -1 : 0;
}

int q_count_upto(qbuild *q, db *d, const char *rows, int64_t max, int64_t *total, int *more)
{
    size_t rl = strlen(rows);
    char *head = arena_alloc(q->a, rl + 32);
    memcpy(head, "SELECT COUNT(*) FROM (", 22);
    memcpy(head + 22, rows, rl + 1);
    int n = q->n;
    arg(q, DI(max + 1));
    int64_t c = 0;
    int rc = db_scalar(d, q_sql(q, head, " LIMIT ?) t"), q->args, q->n, &c) < 0 ? -1 : 0;
    q->n = n;
    *more = c > max;
    *total = c > max ? max : c;
    return rc;
}

int q_empty(const qbuild *q) { return q->conds[0] == 0; }

int q_table_estimate(db *d, const char *table, int64_t *rows)
{
    db_res *r = db_kind(d) == DB_PG
                    ? db_queryv(d, "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE relname = ? AND relkind = 'r'",
                                DS(table))
                    : db_queryv(d, "SELECT stat FROM sqlite_stat1 WHERE tbl = ? AND stat <> '' LIMIT 1", DS(table));
    if (!r) /* no statistics table yet (SQLite before its first ANALYZE) */
        return 0;
    int found = db_next(r) == 1;
    if (found)
        *rows = db_kind(d) == DB_PG ? db_int(r, 0) : strtoll(db_text(r, 0), NULL, 10);
    db_done(r);
    return found && *rows >= 0;
}

db_res *q_page(qbuild *q, db *d, const char *head, const char *order, int64_t page, int64_t size)
{
    size_t ol = strlen(order);
    char *tail = arena_alloc(q->a, ol + 24);
    tail[0] = ' ';
    memcpy(tail + 1, order, ol);
    memcpy(tail + 1 + ol, " LIMIT ? OFFSET ?", 18);
    int n = q->n;
    arg(q, DI(size));
    arg(q, DI((page - 1) * size));
    db_res *r = q_query(q, d, head, tail);
    q->n = n;
    return r;
}
