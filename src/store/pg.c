/* pg.c - PostgreSQL backend through libpq: one connection per thread,
 * statements prepared once per connection (cache keyed by SQL text),
 * reconnect after a server restart, rollback of a failed transaction before
 * a connection is reused. */
#include "db_impl.h"
#include "../base/buf.h"
#include "../base/util.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256
/* Parameters up to this many are converted on the stack, more on the heap. */
#define STACK_PARAMS 16

typedef struct pg_res {
    db_res base;
    PGresult *res;
    int row, nrows;
} pg_res;

typedef struct pentry {
    char *sql; /* original text, the key */
    char name[16];
} pentry;

typedef struct pg_db {
    db base;
    PGconn *c;
    pentry cache[CACHE_SLOTS];
    unsigned next_id;
    const char *ids_table; /* pg_next_id: sequence values reserved for this table */
    int64_t ids[64];
    int nids, iid; /* ids[iid..nids) are still free */
} pg_db;

static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void clear_cache(pg_db *p)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(p->cache[i].sql);
        p->cache[i].sql = NULL;
    }
}

static void pg_err(pg_db *p, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->c);
    enum db_errc c = DB_EOTHER;
    if (PQstatus(p->c) != CONNECTION_OK)
        c = DB_ECONN;
    else if (state && !strncmp(state, "23", 2))
        c = DB_ECONSTRAINT;
    else if (state && (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3)))
        c = DB_ECONN;
    db_set_error(&p->base, c, msg && *msg ? msg : "postgresql error");
}

/* Rewrite `?` placeholders to $1..$n. */
static char *rewrite(const char *sql)
{
    buf b = BUF_INIT((size_t)1 << 20);
    int n = 0;
    for (const char *s = sql; *s; s++) {
        if (*s == '?')
            buf_printf(&b, "$%d", ++n);
        else
            buf_putc(&b, *s);
    }
    return buf_detach(&b, NULL);
}

/* Name of the prepared statement for sql, preparing it when new; NULL on
 * error. Statements that do not fit the cache run unnamed. */
static const char *prepared(pg_db *p, const char *sql, int *unnamed)
{
    uint32_t h = fnv(sql);
    pentry *slot = NULL;
    *unnamed = 0;
    for (int i = 0; i < 8; i++) {
        pentry *e = &p->cache[(h + (uint32_t)i) & (CACHE_SLOTS - 1)];
        if (e->sql && !strcmp(e->sql, sql))
            return e->name;
        if (!e->sql && !slot)
            slot = e;
    }
    char *text = rewrite(sql);
    static const char unnamed_name[] = "";
    const char *name = unnamed_name;
    char tmp[16];
    if (slot) {
        snprintf(tmp, sizeof tmp, "g%u", p->next_id++);
        name = tmp;
    } else {
        *unnamed = 1;
    }
    PGresult *res = PQprepare(p->c, name, text, 0, NULL);
    free(text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        pg_err(p, res);
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    if (!slot)
        return unnamed_name;
    slot->sql = gx_strdup(sql);
    memcpy(slot->name, tmp, sizeof tmp);
    return slot->name;
}

static PGresult *run(pg_db *p, const char *sql, const db_arg *args, int nargs)
{
    char nums_stack[STACK_PARAMS][24];
    const char *vals_stack[STACK_PARAMS];
    char (*nums)[24] = nums_stack;
    const char **vals = vals_stack;
    if (nargs > STACK_PARAMS) {
        nums = gx_calloc((size_t)nargs, sizeof *nums);
        vals = gx_calloc((size_t)nargs, sizeof *vals);
    }
    for (int i = 0; i < nargs; i++) {
        if (args[i].t == 'i') {
            snprintf(nums[i], sizeof nums[i], "%lld", (long long)args[i].i);
            vals[i] = nums[i];
        } else if (args[i].t == 's') {
            vals[i] = args[i].s;
        } else {
            vals[i] = NULL;
        }
    }
    PGresult *out = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        int unnamed;
        const char *name = prepared(p, sql, &unnamed);
        if (name) {
            PGresult *res = PQexecPrepared(p->c, name, nargs, vals, NULL, NULL, 0);
            ExecStatusType st = PQresultStatus(res);
            if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
                p->base.errc = DB_OK;
                out = res;
                break;
            }
            pg_err(p, res);
            PQclear(res);
        }
        /* Retry once on a dropped connection, but never inside a
         * transaction: its earlier statements are gone with the link. */
        if (p->base.errc != DB_ECONN || p->base.in_tx || attempt == 1)
            break;
        PQreset(p->c);
        clear_cache(p);
        if (PQstatus(p->c) != CONNECTION_OK)
            break;
    }
    if (nums != nums_stack) {
        free(nums);
        free(vals);
    }
    return out;
}

static int64_t pg_exec(db *d, const char *sql, const db_arg *args, int nargs)
{
    PGresult *res = run((pg_db *)d, sql, args, nargs);
    if (!res)
        return -1;
    const char *n = PQcmdTuples(res);
    int64_t changed = *n ? strtoll(n, NULL, 10) : 0;
    PQclear(res);
    return changed;
}

static db_res *pg_query(db *d, const char *sql, const db_arg *args, int nargs)
{
    PGresult *res = run((pg_db *)d, sql, args, nargs);
    if (!res)
        return NULL;
    pg_res *r = gx_calloc(1, sizeof *r);
    r->base.d = d;
    r->res = res;
    r->row = -1;
    r->nrows = PQntuples(res);
    return &r->base;
}

static int pg_next(db_res *res)
{
    pg_res *r = (pg_res *)res;
    if (r->row + 1 >= r->nrows)
        return 0;
    r->row++;
    return 1;
}

static int pg_isnull(db_res *res, int col)
{
    pg_res *r = (pg_res *)res;
    return PQgetisnull(r->res, r->row, col);
}

static int64_t pg_int(db_res *res, int col)
{
    pg_res *r = (pg_res *)res;
    const char *v = PQgetvalue(r->res, r->row, col);
    if (v[0] == 't' && !v[1])
        return 1;
    if (v[0] == 'f' && !v[1])
        return 0;
    return strtoll(v, NULL, 10);
}

static const char *pg_text(db_res *res, int col)
{
    pg_res *r = (pg_res *)res;
    return PQgetvalue(r->res, r->row, col);
}

static void pg_done(db_res *res)
{
    pg_res *r = (pg_res *)res;
    PQclear(r->res);
    free(r);
}

static int simple(pg_db *p, const char *sql)
{
    PGresult *res = PQexec(p->c, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_err(p, res);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    return 0;
}

static int pg_script(db *d, const char *sql) { return simple((pg_db *)d, sql); }

static int pg_begin(db *d)
{
    pg_db *p = (pg_db *)d;
    if (PQstatus(p->c) != CONNECTION_OK) {
        PQreset(p->c);
        clear_cache(p);
    }
    if (simple(p, "BEGIN"))
        return -1;
    d->in_tx = 1;
    return 0;
}

static void pg_rollback(db *d)
{
    pg_db *p = (pg_db *)d;
    if (PQtransactionStatus(p->c) != PQTRANS_IDLE)
        PQclear(PQexec(p->c, "ROLLBACK"));
    d->in_tx = 0;
}

static int pg_commit(db *d)
{
    pg_db *p = (pg_db *)d;
    int rc = simple(p, "COMMIT");
    d->in_tx = 0;
    if (rc)
        pg_rollback(d);
    return rc;
}

static int pg_ready(db *d)
{
    pg_db *p = (pg_db *)d;
    if (PQstatus(p->c) != CONNECTION_OK) {
        PQreset(p->c);
        clear_cache(p);
        if (PQstatus(p->c) != CONNECTION_OK) {
            db_set_error(d, DB_ECONN, PQerrorMessage(p->c));
            return -1;
        }
        log_info("postgresql: reconnected");
    }
    PGTransactionStatusType ts = PQtransactionStatus(p->c);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || d->in_tx) {
        log_warn("postgresql: rolling back a transaction left open");
        pg_rollback(d);
    }
    d->errc = DB_OK;
    return 0;
}

static int pg_backup(db *d, const char *path, char *err, size_t errlen)
{
    (void)d;
    (void)path;
    snprintf(err, errlen,
             "ganxun backup copies SQLite databases only; back up PostgreSQL with pg_dump "
             "(e.g. pg_dump -Fc -f ganxun.dump DBNAME) or continuous archiving");
    return -1;
}

static void pg_close(db *d)
{
    pg_db *p = (pg_db *)d;
    clear_cache(p);
    PQfinish(p->c);
    free(p);
}

/* Sequence values are never handed out twice, so a connection may keep a
 * few for later: one round trip per 64 new rows. */
static int64_t pg_next_id(db *d, const char *table)
{
    pg_db *p = (pg_db *)d;
    if (p->ids_table != table || p->iid >= p->nids) {
        db_res *r = db_queryv(d, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, 64)",
                              DS(table));
        if (!r)
            return 0;
        p->nids = p->iid = 0;
        while (p->nids < 64 && db_next(r) == 1)
            p->ids[p->nids++] = db_int(r, 0);
        db_done(r);
        if (!p->nids)
            return 0;
        p->ids_table = table;
    }
    return p->ids[p->iid++];
}

static const db_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .ready = pg_ready,
    .exec = pg_exec,
    .query = pg_query,
    .next = pg_next,
    .isnull = pg_isnull,
    .get_int = pg_int,
    .get_text = pg_text,
    .done = pg_done,
    .script = pg_script,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .backup = pg_backup,
    .next_id = pg_next_id,
};

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

db *db_pg_open(const char *conninfo, char *err, size_t errlen)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to postgresql: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet_notice, NULL);
    PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'");
    PQclear(r);
    pg_db *p = gx_calloc(1, sizeof *p);
    p->base.ops = &pg_ops;
    p->base.kind = DB_PG;
    p->c = c;
    return &p->base;
}
