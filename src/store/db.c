#include "db_impl.h"
#include "../base/err.h"
#include "../base/util.h"

#include <stdio.h>
#include <string.h>

void db_set_error(db *d, enum db_errc c, const char *msg)
{
    d->errc = c;
    snprintf(d->errmsg, sizeof d->errmsg, "%s", msg ? msg : "");
}

db *db_open(const char *url, char *err, size_t errlen)
{
    if (!strncmp(url, "sqlite:", 7))
        return db_sqlite_open(url + 7, err, errlen);
    if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
        return db_pg_open(url, err, errlen);
    snprintf(err, errlen, "unknown database URL '%s' (use sqlite:PATH or postgresql://...)", url);
    return NULL;
}

void db_close(db *d)
{
    if (d)
        d->ops->close(d);
}

int db_kind(const db *d) { return d->kind; }
const char *db_kind_name(const db *d) { return d->ops->name; }
int db_ready(db *d) { return d->ops->ready(d); }

int64_t db_exec(db *d, const char *sql, const db_arg *args, int nargs)
{
    return d->ops->exec(d, sql, args, nargs);
}

db_res *db_query(db *d, const char *sql, const db_arg *args, int nargs)
{
    return d->ops->query(d, sql, args, nargs);
}

int db_next(db_res *r) { return r->d->ops->next(r); }
int db_isnull(db_res *r, int col) { return r->d->ops->isnull(r, col); }
int64_t db_int(db_res *r, int col) { return r->d->ops->get_int(r, col); }
const char *db_text(db_res *r, int col) { return r->d->ops->get_text(r, col); }

void db_done(db_res *r)
{
    if (r)
        r->d->ops->done(r);
}

int db_scalar(db *d, const char *sql, const db_arg *args, int nargs, int64_t *out)
{
    db_res *r = db_query(d, sql, args, nargs);
    if (!r)
        return -1;
    int rc = db_next(r);
    if (rc == 1)
        *out = db_int(r, 0);
    db_done(r);
    return rc;
}

int db_script(db *d, const char *sql) { return d->ops->script(d, sql); }
int db_begin(db *d) { return d->ops->begin(d); }
int db_commit(db *d) { return d->ops->commit(d); }
void db_rollback(db *d) { d->ops->rollback(d); }
int db_in_tx(const db *d) { return d->in_tx; }
enum db_errc db_errcode(const db *d) { return d->errc; }
const char *db_errmsg(const db *d) { return d->errmsg; }

int64_t db_next_id(db *d, const char *table) { return d->ops->next_id(d, table); }

int db_backup(db *d, const char *path, char *err, size_t errlen)
{
    return d->ops->backup(d, path, err, errlen);
}

int db_fail(db *d, gx_err *e)
{
    if (d && d->in_tx)
        db_rollback(d);
    if (d && d->errc == DB_ECONN)
        return gx_fail(e, GX_EUNAVAIL, NULL);
    log_error("database: %s", d ? d->errmsg : "no connection");
    return gx_fail(e, GX_EINTERNAL, NULL);
}
