/* db_impl.h - what a storage backend provides (private to src/store). */
#ifndef GX_DB_IMPL_H
#define GX_DB_IMPL_H

#include "db.h"

typedef struct db_ops {
    const char *name;
    void (*close)(db *d);
    int (*ready)(db *d);
    int64_t (*exec)(db *d, const char *sql, const db_arg *args, int nargs);
    db_res *(*query)(db *d, const char *sql, const db_arg *args, int nargs);
    int (*next)(db_res *r);
    int (*isnull)(db_res *r, int col);
    int64_t (*get_int)(db_res *r, int col);
    const char *(*get_text)(db_res *r, int col);
    void (*done)(db_res *r);
    int (*script)(db *d, const char *sql);
    int (*begin)(db *d);
    int (*commit)(db *d);
    void (*rollback)(db *d);
    int (*backup)(db *d, const char *path, char *err, size_t errlen);
    int64_t (*next_id)(db *d, const char *table);
} db_ops;

/* Common head of every backend's connection struct. */
struct db {
    const db_ops *ops;
    int kind;
    int in_tx;
    enum db_errc errc;
    char errmsg[512];
};

/* Common head of every backend's result struct. */
struct db_res {
    db *d;
};

void db_set_error(db *d, enum db_errc c, const char *msg);

db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *conninfo, char *err, size_t errlen);

#endif
