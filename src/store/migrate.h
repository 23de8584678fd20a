/* migrate.h - versioned schema migrations, the same schema on both backends. */
#ifndef GX_MIGRATE_H
#define GX_MIGRATE_H

#include "db.h"

/* Apply every pending migration in one transaction. Returns the number
 * applied (>= 0) or -1 with a message in err. Safe to run concurrently from
 * several processes (PostgreSQL advisory lock; SQLite write lock). */
int migrate_run(db *d, char *err, size_t errlen);
/* Highest version known to this binary. */
int migrate_latest(void);
/* Version the database is at; -1 on error (0 when never migrated). */
int migrate_current(db *d);

#endif
