/* account.h - accounts, roles, passwords and sessions.
 *
 * Roles are bits of a mask stored with the user. The three administrator
 * roles (三员: sysadmin, secadmin, auditor) are exclusive: an account holding
 * one holds nothing else, and only the operator's command line grants them. */
#ifndef GX_ACCOUNT_H
#define GX_ACCOUNT_H

#include "../base/actor.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <jansson.h>
#include <stdint.h>

enum {
    ROLE_SYSADMIN = 1u << 0,
    ROLE_SECADMIN = 1u << 1,
    ROLE_AUDITOR = 1u << 2,
    ROLE_ORGADMIN = 1u << 3,
    ROLE_INSTADMIN = 1u << 4,
    ROLE_LIAISON = 1u << 5,
    ROLE_ADVISOR = 1u << 6,
    ROLE_LECTURER = 1u << 7,
    ROLE_TRAINEE = 1u << 8,
};
#define ROLES_ADMIN3 (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)
#define ROLES_BUSINESS (ROLE_ORGADMIN | ROLE_INSTADMIN | ROLE_LIAISON | ROLE_ADVISOR | ROLE_LECTURER | ROLE_TRAINEE)
#define ROLES_ALL (ROLES_ADMIN3 | ROLES_BUSINESS)

/* Role code <-> bit; 0 for an unknown code. */
uint32_t role_bit(const char *code);
const char *role_code(uint32_t bit);
const char *role_label(uint32_t bit); /* Chinese name */
/* JSON array of role codes for a mask (new reference). */
json_t *roles_json(uint32_t mask);
/* Parse a JSON array of codes into a mask; 0 with a field error in e when an
 * entry is unknown or the combination breaks 三员分立. */
uint32_t roles_parse(json_t *arr, const char *field, gx_err *e);
/* The same for n codes (a bound string list). */
uint32_t roles_parse_codes(const char *const *codes, int n, const char *field, gx_err *e);
/* 0 when the combination is allowed, else -1 with a field message. */
int roles_check(uint32_t mask, const char *field, gx_err *e);

/* An account as the API shows it. Strings live in the arena given to the
 * function that produced it. */
typedef struct gx_user {
    int64_t id;
    const char *username;
    const char *display_name;
    uint32_t roles;
    int64_t unit_id; /* 0: none */
    const char *unit_name;
    int disabled;
    int must_change_password;
    int64_t locked_until; /* 0: not locked */
    int64_t last_login_at;
    int64_t previous_login_at; /* the login before this one: shown to the user */
    int64_t created_at;
    int64_t version;
} gx_user;

json_t *user_json(const gx_user *u);

/* --- security policy (security_policy table) --- */
typedef struct sec_policy {
    int password_min_length;
    int lock_threshold;
    int lock_minutes;
    int session_idle_minutes;
    int session_max_hours;
    int import_max_rows_liaison; /* rows a unit liaison may import at once (0 in a PUT: unchanged) */
    int lookup_limit_per_minute; /* exact ID-number / phone lookups per account (0 in a PUT: unchanged) */
    int64_t version;
} sec_policy;

int policy_load(db *d, sec_policy *p, gx_err *e);

/* --- exact identifier lookups (lookups.c) --- */
/* An answer that says whether a given ID number or phone exists (a search
 * by it, an import row or a create/update "registered elsewhere") is an
 * exact lookup. Charge n of them to the caller's budget (the policy's
 * lookup_limit_per_minute), audited as cadre.lookup with kind ("id_number"
 * or "phone") and where ("search", "import", "create", "update"). Over the
 * budget: -1 with GX_ETHROTTLED (429) and retry_after, and the first refusal
 * of a minute is audited as cadre.lookup_limited. Runs its own transaction:
 * never call it inside one (a rollback must not undo the charge). Actors
 * without an account (the command line) are not limited. */
int lookup_charge(db *d, const gx_actor *who, const char *kind, const char *where, int64_t n, gx_err *e);

/* --- passwords (password.c) --- */
/* Check a candidate against the policy; fills a field error and returns -1. */
int password_check(const sec_policy *p, const char *username, const char *pw, const char *field, gx_err *e);
/* Hash for storage ("scrypt$ln$r$p$salt$hash"); caller frees. Cost from
 * GANXUN_SCRYPT_LN when set (tests), else the built-in default. */
char *password_hash(const char *pw);
/* 1 when pw matches the stored hash. */
int password_verify(const char *pw, const char *stored);
/* Spend the time of one verification (for unknown usernames). */
void password_dummy_verify(const char *pw);

/* --- sessions (session.c) --- */
typedef struct session {
    gx_user user;
    const char *csrf;
    const char *token_hash;
} session;

/* Create a session for user_id; token (43 chars + NUL) and csrf (43 + NUL)
 * are filled for the caller. Runs inside the caller's transaction. */
int session_create(db *d, int64_t user_id, const char *ip, const sec_policy *p, char token[44],
                   char csrf[44], gx_err *e);
/* Resolve a cookie token: 1 found and valid (s filled), 0 none/expired,
 * -1 database error. Refreshes last_seen at most once a minute. */
int session_lookup(db *d, arena *a, const char *token, session *s);
int session_end(db *d, const char *token_hash);
/* End the sessions of a user, except the one with keep_hash (may be NULL). */
int session_end_user(db *d, int64_t user_id, const char *keep_hash);

/* --- users (users.c) --- */
int user_get(db *d, arena *a, int64_t id, gx_user *u, gx_err *e);
int user_add_cli(db *d, const char *username, uint32_t roles, int64_t unit_id, const char *password,
                 char *err, size_t errlen);

#endif
