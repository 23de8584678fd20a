/* cadre.h - cadre records (干部): validation, storage with encrypted
 * identity numbers and phones, history of transfers and promotions, search.
 *
 * The ID number and phone are stored sealed (AES-256-GCM under a key derived
 * from the master key file), with a keyed blind index for exact-match search
 * and a masked form for display. Revealing them is a separate, audited call.
 * Age and young-cadre eligibility are derived from the birth date and the
 * age limits in young_age_limits that are in force today. */
#ifndef GX_CADRE_H
#define GX_CADRE_H

#include "../audit/audit.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/strlist.h"
#include "../org/org.h"
#include "../store/db.h"

#include <jansson.h>
#include <stdint.h>

#define CADRE_MAX_DOMAINS 12

/* A cadre as given by a caller (API body or import row). For an update,
 * NULL strings and negative flags mean "unchanged". */
typedef struct cadre_in {
    const char *name, *gender, *birth_date, *id_number, *ethnicity, *political, *education;
    const char *post, *rank_level, *rank_since, *expertise, *phone, *status;
    int64_t unit_id;
    int top_leader, team_member, young_talent;
    strlist domains; /* at most CADRE_MAX_DOMAINS codes or labels; .set: given */
    const char *changed_on; /* date of a transfer/promotion recorded in history (default today) */
    int64_t version;
} cadre_in;

/* Code lists and age limits, loaded once per operation (not per row). */
typedef struct codebook codebook;
codebook *codebook_load(db *d, gx_err *e);
void codebook_free(codebook *cb);
/* Resolve a code given as code or Chinese label; NULL when unknown. */
const char *codebook_resolve(const codebook *cb, const char *kind, const char *text);
const char *codebook_label(const codebook *cb, const char *kind, const char *code);
/* Young-cadre age limit for a rank level today, or -1. */
int codebook_young_limit(const codebook *cb, const char *rank_level);
const char *codebook_today(const codebook *cb);

/* The normalised, checked form of a cadre, ready to store. */
typedef struct cadre_rec {
    char name[130];
    char name_py[40];
    char gender[4];
    char birth_date[11];
    char id_number[19];
    char ethnicity[4], political[4], education[4], rank_level[8], status[4];
    char rank_since[11];
    char post[260], expertise[800];
    char phone[24];
    int64_t unit_id;
    int top_leader, team_member, young_talent;
    int ndomains;
    char domains[CADRE_MAX_DOMAINS][40];
    char id_bidx[33]; /* blind index of id_number when the caller has it; "" to compute */
} cadre_rec;

/* Check a full cadre (create or import): fills rec; field errors in e, named
 * by the API field names. Scope is checked by the caller. */
int cadre_check(const codebook *cb, const cadre_in *in, cadre_rec *rec, gx_err *e);

/* Store a checked record (insert or, when id > 0, replace), in the caller's
 * transaction; writes domains. Returns the id, or 0 on database error. */
int64_t cadre_store(db *d, const cadre_rec *rec, int64_t id, int64_t now);
/* The blind index of a normalised ID number (as cadre_store writes it). */
void cadre_id_bidx(const char *number, char out[33]);
/* The masked forms lists show: 321002********002X (an 18-character ID
 * number), 138****5678 (a phone). */
void cadre_mask_id(const char *number, char out[19]);
void cadre_mask_phone(const char *phone, char out[24]);

/* One cadre in scope as JSON (with domains): 1, 0 absent, -1 error. */
int cadre_load(db *d, const scope *s, const codebook *cb, int64_t id, json_t **out);
/* Decrypted ID number (phone = 0) or phone ("" when none); NULL when the
 * value does not open (wrong key file). Caller frees. */
char *cadre_unseal(db *d, int64_t id, int phone);
/* Fill the fields m leaves unset from the current record (JSON of
 * cadre_load and the decrypted ID number and phone). */
void cadre_overlay(json_t *before, const char *old_id, const char *old_phone, cadre_in *m);
/* History rows for what changed between before and rec. 0 ok, -1 db error. */
int cadre_record_history(db *d, int64_t id, json_t *before, const cadre_rec *rec, const char *date, int64_t now);

/* Find a cadre by ID number (blind index): id or 0; -1 on error. */
int64_t cadre_find_by_number(db *d, const char *number);

int cadres_create(db *d, arena *a, const scope *s, const audit_actor *who, const cadre_in *in, json_t **out,
                  gx_err *e);
int cadres_update(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, const cadre_in *in,
                  json_t **out, gx_err *e);
int cadres_get(db *d, arena *a, const scope *s, int64_t id, json_t **out, gx_err *e);
int cadres_history(db *d, arena *a, const scope *s, int64_t id, json_t **items, gx_err *e);
/* Unmasked ID number and phone; audited as cadre.reveal. */
int cadres_reveal(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, json_t **out, gx_err *e);

/* --- young-cadre age limits (limits.c) --- */
/* Every rule, per rank level in date order (items: new reference). */
int young_limits_list(db *d, json_t **items, gx_err *e);
/* A new rule for a rank level from a date; closes the rule in force. */
int young_limits_add(db *d, const audit_actor *who, const char *rank, int64_t max_age, const char *from, json_t **out,
                     gx_err *e);

/* --- search (search.c) --- */
typedef struct cadre_filter {
    const char *q;          /* name prefix, pinyin initials, ID number or phone */
    int64_t unit_id;        /* 0: all in scope */
    int subtree;            /* with unit_id: include sub-units (default 1) */
    const char *rank_levels; /* comma-separated codes */
    const char *domains;     /* comma-separated codes: any of them */
    int top_leader, team_member, young_talent; /* -1 any */
    int age_min, age_max;   /* -1 none */
    const char *status, *gender, *political;
    const char *sort;       /* name, birth_date, rank_level, unit, updated_at */
    int desc;
    int64_t page, page_size; /* page_size 0: no limit (export) */
    const gx_actor *who;     /* whose lookup budget an exact ID-number or phone q is charged to; NULL: none */
} cadre_filter;

/* Run a search; calls row(ctx, cadre JSON) for each result in order (the
 * callback takes the reference). total gets the number of matches. */
int cadres_search(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f,
                  void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total, gx_err *e);

/* The same, for a list shown page by page: counting stops after count_max
 * matches (0: counts every match). Then *total is count_max and
 * *total_exact 0, "more than count_max" (total_exact may be NULL). An exact
 * count costs every match, hundreds of thousands of rows on a big registry;
 * this one at most count_max + 1. */
int cadres_list(db *d, arena *a, const scope *s, const codebook *cb, const cadre_filter *f, int64_t count_max,
                void (*row)(void *ctx, json_t *cadre), void *ctx, int64_t *total, int *total_exact, gx_err *e);
/* What the list API counts up to. */
#define CADRE_COUNT_MAX 10000

/* Cadre JSON from the standard column list (search.c). */
json_t *cadre_row_json(db_res *r, const codebook *cb);
#define CADRE_COLS                                                                                          \
    "c.id, c.name, c.gender, c.birth_date, c.id_mask, c.ethnicity, c.political, c.education, c.unit_id, "     \
    "un.name, c.post, c.rank_level, c.rank_since, c.top_leader, c.team_member, c.young_talent, c.expertise, " \
    "c.phone_mask, c.status, c.created_at, c.updated_at, c.version"
/* Attach "domains" arrays to n cadre objects (in id order of ids[]). */
int cadre_attach_domains(db *d, json_t **cadres, const int64_t *ids, size_t n);

#endif
