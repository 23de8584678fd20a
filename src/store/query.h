/* query.h - one way to build a list query: conditions with their arguments,
 * text matching, counting and paging, the same on both engines.
 *
 *     qbuild q;
 *     q_init(&q, a);
 *     q_andv(&q, "u.unit_id = ?", DI(unit));
 *     q_match(&q, Q_CONTAINS, text, "u.username", "u.display_name", NULL);
 *     q_in(&q, "c.rank_level", "131,132");      // comma-separated codes
 *     q_count(&q, d, "SELECT COUNT(*) FROM users u", &total);
 *     db_res *r = q_page(&q, d, "SELECT ... FROM users u", "ORDER BY u.id", page, size);
 *
 * Conditions are joined with AND after " WHERE " (no `WHERE 1 = 1`); with
 * none, the query has no WHERE clause. q_open/q_close bracket a sub-query
 * whose own conditions are joined with AND after its head, e.g.
 * q_open(&q, "c.id IN (SELECT cadre_id FROM cadre_domains cd") ... q_close.
 *
 * Text matching (q_match) is case-insensitive on both engines: lower() on
 * both sides of LIKE, the pattern's % _ and \ escaped here and nowhere else.
 * ASCII letters fold on both engines; letters of other cased scripts fold on
 * PostgreSQL only (SQLite's lower() is ASCII).
 *
 * Arguments have no fixed cap: the array grows in the arena (the engines'
 * own limits, 32,766 on SQLite and 65,535 on PostgreSQL, lie far beyond what
 * a 4 KiB request target can ask for).
 *
 * Ownership: the SQL text, the argument array and escaped patterns live in
 * the arena given to q_init and die with it; nothing needs freeing. Text
 * arguments are borrowed: they must live until the query has run (the
 * engines copy them when binding). A qbuild may run any number of queries;
 * the paging arguments of q_page are not kept. */
#ifndef GX_QUERY_H
#define GX_QUERY_H

#include "db.h"
#include "../base/arena.h"

#include <stdint.h>

#define Q_DEPTH 4

typedef struct qbuild { /* fields are private to query.c */
    arena *a;
    char *sql;
    size_t len, cap;
    db_arg *args;
    int n, nalloc;
    int depth;
    int conds[Q_DEPTH + 1]; /* conditions so far at each level */
} qbuild;

enum q_mode {
    Q_CONTAINS, /* %text% */
    Q_PREFIX,   /* text% */
};

void q_init(qbuild *q, arena *a);

/* AND a condition (SQL with `?`s) and its arguments. */
void q_and(qbuild *q, const char *cond, const db_arg *args, int nargs);
#define q_andv(q, cond, ...) q_and((q), (cond), DB_ARGV(__VA_ARGS__))

/* AND "col IN (?, ?, ...)" for a comma-separated list; empty items are
 * skipped. Returns the number of codes (0: nothing was added). */
int q_in(qbuild *q, const char *col, const char *csv);

/* AND "(lower(c1) LIKE lower(?) ESCAPE '\' OR lower(c2) ...)" for text
 * matched by mode in any of the columns (a NULL-terminated list). */
void q_match(qbuild *q, enum q_mode mode, const char *text, const char *col, ...);

/* The LIKE pattern for text (% _ \ escaped with \), in the arena. */
char *q_like_pattern(arena *a, enum q_mode mode, const char *text);

/* AND a sub-query: head, then its own conditions (" WHERE a AND b"), then
 * tail at q_close. Depth at most Q_DEPTH. */
void q_open(qbuild *q, const char *head);
void q_close(qbuild *q, const char *tail);

/* head + conditions + tail, in the arena. */
const char *q_sql(qbuild *q, const char *head, const char *tail);
int q_nargs(const qbuild *q);
const db_arg *q_args(const qbuild *q);

/* Run head + conditions + tail. */
db_res *q_query(qbuild *q, db *d, const char *head, const char *tail);
/* First column of the first row of head + conditions + tail (a count):
 * 0 ok (0 when no row), -1 database error. */
int q_count(qbuild *q, db *d, const char *head, int64_t *out);
/* Count the rows `rows` + conditions return, stopping after max (> 0):
 * "SELECT COUNT(*) FROM (rows WHERE ... LIMIT max + 1)". *total gets the
 * count, at most max; *more is 1 when more than max rows match. Costs at most
 * max + 1 rows where an exact count costs every match. 0 ok, -1 error. */
int q_count_upto(qbuild *q, db *d, const char *rows, int64_t max, int64_t *total, int *more);
/* 1 when no condition has been added. */
int q_empty(const qbuild *q);
/* The engine's own estimate of table's rows, from its statistics
 * (PostgreSQL's pg_class.reltuples, SQLite's sqlite_stat1 as ANALYZE left
 * them): 1 with *rows set, 0 when there is none. Never an error; cheap. Good
 * for deciding whether counting is worth it, not for showing. */
int q_table_estimate(db *d, const char *table, int64_t *rows);
/* head + conditions + " " + order + " LIMIT ? OFFSET ?" for page (from 1)
 * of size rows. */
db_res *q_page(qbuild *q, db *d, const char *head, const char *order, int64_t page, int64_t size);

#endif
