/* db.h - the storage interface. Business code talks to the database only
 * through these functions; two backends implement them (sqlite.c, pg.c).
 *
 * SQL is written once in the portable subset both engines accept, with `?`
 * placeholders (the PostgreSQL backend rewrites them to $1..$n; never put a
 * literal `?` inside SQL text). Statements are prepared once per connection
 * and cached by their text.
 *
 * Arguments are copied when the statement is bound: the caller may free them
 * right after db_query/db_exec returns.
 *
 * Ownership: a connection belongs to one thread. A db_res borrows its
 * connection and must be finished with db_done before the next statement on
 * that connection that returns rows from the same SQL text.
 *
 * Writes: db_begin/db_commit/db_rollback bracket a write transaction. On
 * SQLite, writers are serialised by an in-process mutex and BEGIN IMMEDIATE;
 * a single db_exec outside a transaction takes the same mutex. */
#ifndef GX_DB_H
#define GX_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_res db_res;

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };

enum db_errc {
    DB_OK = 0,
    DB_ECONSTRAINT, /* unique / foreign key / check violation */
    DB_ECONN,       /* connection lost or database unreachable */
    DB_EOTHER,
};

typedef struct db_arg {
    char t; /* 'i' integer, 's' text, 'n' NULL */
    int64_t i;
    const char *s;
} db_arg;

#define DI(x) ((db_arg){'i', (int64_t)(x), NULL})
#define DS(x) ((db_arg){'s', 0, (x)})
#define DN ((db_arg){'n', 0, NULL})
/* Text or NULL. */
#define DSN(x) ((x) ? DS(x) : DN)
#define DB_ARGV(...) ((const db_arg[]){__VA_ARGS__}), (int)(sizeof((db_arg[]){__VA_ARGS__}) / sizeof(db_arg))

/* Open by URL: "sqlite:PATH" or "postgresql://..." / "postgres://...".
 * NULL with a message in err on failure. */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);
int db_kind(const db *d);
const char *db_kind_name(const db *d);

/* Call before using a pooled connection for a new request: rolls back a
 * transaction left open or failed, reconnects a broken PostgreSQL link.
 * 0 ok, -1 when the database is unreachable. */
int db_ready(db *d);

/* Run a statement; returns rows changed (>= 0) or -1. */
int64_t db_exec(db *d, const char *sql, const db_arg *args, int nargs);
#define db_execv(d, sql, ...) db_exec((d), (sql), DB_ARGV(__VA_ARGS__))
/* Run a query; NULL on error. */
db_res *db_query(db *d, const char *sql, const db_arg *args, int nargs);
#define db_queryv(d, sql, ...) db_query((d), (sql), DB_ARGV(__VA_ARGS__))
/* 1 row ready, 0 no more rows, -1 error. */
int db_next(db_res *r);
int db_isnull(db_res *r, int col);
int64_t db_int(db_res *r, int col);
const char *db_text(db_res *r, int col); /* "" for NULL; valid until db_next/db_done */
void db_done(db_res *r);

/* Convenience: first column of the first row as integer; returns 1 found,
 * 0 no row, -1 error. */
int db_scalar(db *d, const char *sql, const db_arg *args, int nargs, int64_t *out);

/* Multi-statement script without parameters (migrations). 0 ok, -1. */
int db_script(db *d, const char *sql);

int db_begin(db *d);
int db_commit(db *d);
void db_rollback(db *d);
int db_in_tx(const db *d);

enum db_errc db_errcode(const db *d);
const char *db_errmsg(const db *d);

struct gx_err;
/* After a failed statement: roll back the open transaction, log the error
 * and fill e (503 when the database is unreachable, 500 otherwise).
 * Returns -1 so callers can `return db_fail(d, e);`. */
int db_fail(db *d, struct gx_err *e);

/* The id the next row of table ({{PK}} column "id", a constant name) will
 * get when inserted with it explicitly, so that values can be bound to the
 * row before it exists (sealed fields). Must run inside the write
 * transaction that inserts the row. Ids are taken from the table's
 * sequence on PostgreSQL (reserved 64 at a time per connection) and after
 * the largest on SQLite (writers are serialised). 0 on a database error. */
int64_t db_next_id(db *d, const char *table);

/* Online backup of a SQLite database to path. 0 ok, -1 (message in err). */
int db_backup(db *d, const char *path, char *err, size_t errlen);

#endif
