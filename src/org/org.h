/* org.h - the organisation registry: the unit tree, data scope, code lists.
 *
 * Scope is deny-by-default: each role states what it sees (scope.c's rule
 * table) and a role with no rule sees nothing. An organisation-department
 * administrator sees everything; a unit liaison sees only its own unit's
 * subtree. Scope is applied inside the queries (a unit outside it does not
 * exist as far as the caller can tell: 404, never data). Units keep a
 * materialised path ("/1/5/23/") so that a subtree is one index range.
 *
 * Other areas keep unit ids (cadres, accounts, later programmes, quotas,
 * funds). org writes only its own tables; when a unit is merged or moved it
 * calls every area's unit_hooks inside the same transaction. */
#ifndef GX_ORG_H
#define GX_ORG_H

#include "../account/account.h"
#include "../audit/audit.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "unit_hooks.h"

#include <jansson.h>
#include <stdint.h>

typedef struct scope {
    int all;           /* no restriction */
    const char *lo;    /* subtree path range [lo, hi) when !all; an empty */
    const char *hi;    /* range (nothing) for a role without a rule */
} scope;

/* The scope of an account with these roles and unit: the widest any of its
 * roles grants (scope.c's rule table); nothing when no role has a rule. */
int scope_of(db *d, arena *a, uint32_t roles, int64_t unit_id, scope *s, gx_err *e);
/* Path range of the subtree under path (arena strings). */
void path_range(arena *a, const char *path, const char **lo, const char **hi);
/* 1 when the unit is inside the scope and active, 2 when inside but
 * inactive (closed or merged), 0 when outside or absent, -1 db error. */
int scope_has_unit(db *d, const scope *s, int64_t unit_id);

/* Install the areas' hooks (NULL-terminated; kept, not copied). Called once
 * at start by the application, before any unit is changed. */
void org_set_unit_hooks(const unit_hooks *const *hooks);

/* --- code lists (codes.c) --- */
/* Label of a code of a kind, or NULL (arena copy). */
const char *code_label(db *d, arena *a, const char *kind, const char *code);
/* Resolve a code given as its code or its Chinese label; NULL when neither. */
const char *code_resolve(db *d, arena *a, const char *kind, const char *text);
/* Items of a kind as [{code,label}] (new reference), or NULL on db error;
 * with all set, inactive items too, each with "active". */
json_t *code_list(db *d, const char *kind, int all);
/* 1 when code is an item (active or not) of the list kind, 0 not, -1 error. */
int code_exists(db *d, const char *kind, const char *code);
/* The code lists by name, as GET /codes answers; NULL kind: all of them.
 * GX_ENOTFOUND for an unknown kind. */
int codes_get(db *d, const char *kind, int all, json_t **out, gx_err *e);
/* Add or change an item of a managed list (domain, unit_type); audited. */
typedef struct code_item_in {
    const char *kind, *code, *label;
    int64_t sort_order; /* -1: keep (new items: 100) */
    int active;         /* -1: active */
} code_item_in;
int codes_put(db *d, const audit_actor *who, const code_item_in *in, json_t **out, gx_err *e);

/* --- units (units.c) --- */
typedef struct unit_in {
    const char *code, *name, *short_name, *type, *division_code;
    int64_t parent_id; /* 0: top level (organisation department only) */
    int64_t sort_order;
    int active;
} unit_in;

#define UNIT_SORT_UNCHANGED INT64_MIN
typedef struct unit_patch {
    int64_t version;
    const char *code, *name, *short_name, *type, *division_code; /* NULL: unchanged */
    int64_t sort_order; /* UNIT_SORT_UNCHANGED: unchanged */
    int active; /* -1 unchanged */
} unit_patch;

typedef struct unit_filter {
    const char *q;
    int64_t parent_id;  /* 0 any */
    int64_t within;     /* 0 any: subtree of this unit */
    const char *type;
    int active;         /* -1 any */
    int64_t page, page_size;
} unit_filter;

int units_list(db *d, arena *a, const scope *s, const unit_filter *f, json_t **items, int64_t *total, gx_err *e);
int units_tree(db *d, arena *a, const scope *s, json_t **tree, gx_err *e);
int units_get(db *d, arena *a, const scope *s, int64_t id, json_t **out, gx_err *e);
int units_create(db *d, arena *a, const scope *s, const audit_actor *who, const unit_in *in, json_t **out, gx_err *e);
int units_update(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, const unit_patch *p,
                 json_t **out, gx_err *e);
int units_move(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, int64_t version,
               int64_t new_parent, json_t **out, gx_err *e);
int units_merge(db *d, arena *a, const scope *s, const audit_actor *who, int64_t from, int64_t version, int64_t into,
                const char *date, json_t **out, gx_err *e);

/* Insert a unit without checks other than the database's (demo, import):
 * sets its path. Returns the id or 0 on error. Runs inside the caller's transaction. */
int64_t unit_insert_raw(db *d, const unit_in *in, int64_t now);

#endif
