/* validate.h - declarative checks of request bodies and query strings.
 *
 * A route names a table of fields; the router checks the input against it
 * before the handler runs, so a handler sees only present, typed, in-range
 * values. The same tables produce the OpenAPI schemas. Errors name each bad
 * field with a Chinese message. */
#ifndef GX_VALIDATE_H
#define GX_VALIDATE_H

#include "../base/err.h"
#include "../base/strlist.h"
#include "parse.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum jtype {
    JF_STR = 1,    /* string, min..max characters */
    JF_INT,        /* integer in min..max */
    JF_BOOL,
    JF_STR_ARRAY,  /* array of min..max strings, each 1..64 characters */
    JF_DATE,       /* calendar date YYYY-MM-DD */
    JF_DATETIME,   /* RFC 3339 date-time with offset: 2026-03-31T09:00:00+08:00 */
    JF_ENUM,       /* one of the strings of .ext (const char *const[], NULL-terminated) */
    JF_CODE,       /* a code of the code list named by .ext (const char *) */
    JF_MONEY,      /* amount in integer fen, min..max */
    JF_HOURS,      /* study hours in integer hundredths, min..max */
    JF_ID,         /* id of a record: integer >= 1 */
    JF_NULL = 0x100, /* or'ed with a type: null is accepted too */
};
#define JF_STR_NULL (JF_STR | JF_NULL)
#define JF_INT_NULL (JF_INT | JF_NULL)
#define JF_BASE(t) ((t) & 0xff)

/* The member a field is bound to: .at = AT(struct type, member). A table
 * row without .at is checked but not bound. Bound members have these types:
 *   JF_STR, JF_DATE, JF_DATETIME, JF_ENUM, JF_CODE   const char *  (null -> "")
 *   JF_INT, JF_MONEY, JF_HOURS, JF_ID                int64_t       (null -> 0)
 *   JF_BOOL                                          int (0 or 1)
 *   JF_STR_ARRAY                                     strlist
 * Binding leaves the member as the handler initialised it when the field is
 * absent, so a PATCH can preset "unchanged" values (NULL, -1). */
#define AT(type, member) (offsetof(type, member) + 1)

typedef struct jfield {
    const char *name;
    int type;
    int required;
    int64_t min, max;
    const char *doc; /* one line for the OpenAPI description */
    const void *ext; /* JF_ENUM: values; JF_CODE: code-list kind */
    size_t at;       /* AT(...) of the bound member, 0: not bound */
} jfield;

enum qtype {
    Q_STR = 1, /* at most max characters */
    Q_INT,     /* min..max */
    Q_BOOL,    /* true or false */
    Q_DATE,    /* YYYY-MM-DD */
    Q_ENUM,    /* one of .ext's strings */
    Q_CODE,    /* a code of the list .ext */
    Q_CODES,   /* comma-separated codes of the list .ext, at most max of them */
    Q_ID,      /* id of a record */
};

/* Bound query members: Q_STR, Q_DATE, Q_ENUM, Q_CODE, Q_CODES: const char *;
 * Q_INT, Q_ID: int64_t; Q_BOOL: int (0 or 1). Absent: left as initialised. */
typedef struct qfield {
    const char *name;
    int type;
    int64_t min, max; /* Q_STR: max length in characters; Q_INT: range; Q_CODES: max count */
    const char *doc;
    const void *ext; /* Q_ENUM: values; Q_CODE, Q_CODES: code-list kind */
    size_t at;
} qfield;

/* Asks whether code belongs to the code list kind: 1 yes, 0 no, -1 error.
 * With check NULL, code fields are checked for form only (fuzzing). */
typedef struct code_checker {
    int (*check)(void *ctx, const char *kind, const char *code);
    void *ctx;
} code_checker;

/* Parse a body into a JSON object and check it against spec (NULL-name
 * terminated): every bad field is named in one answer. Returns the object
 * (new reference) or NULL with e filled (GX_EUNAVAIL when a code could not
 * be checked). */
json_t *body_parse(const char *data, size_t len, const jfield *spec, const code_checker *cc, gx_err *e);

/* Check parsed query parameters against spec (NULL-name terminated). Lists
 * (with_paging) also accept page and page_size. 0 ok, -1 with e filled. */
int query_check(const parsed_uri *u, const qfield *spec, int with_paging, const code_checker *cc, gx_err *e);

/* Copy a checked body's fields (o) into the members of out that spec binds. */
void body_bind(json_t *o, const jfield *spec, void *out);
/* Copy checked query values into the members of out that spec binds. */
void query_bind(const parsed_uri *u, const qfield *spec, void *out);

/* Whether s is a calendar date YYYY-MM-DD / an RFC 3339 date-time. */
int date_ok(const char *s);
int datetime_ok(const char *s);

/* Typed access to checked query values. */
const char *query_str(const parsed_uri *u, const char *name);
int64_t query_int(const parsed_uri *u, const char *name, int64_t dflt);
/* -1 absent, 0 false, 1 true */
int query_bool(const parsed_uri *u, const char *name);

#endif
