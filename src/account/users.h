/* users.h - account management (the system administrator's work) and the
 * security policy (the security administrator's), as plain functions the
 * HTTP handlers, the command line and the tests call. */
#ifndef GX_USERS_H
#define GX_USERS_H

#include "account.h"
#include "../audit/audit.h"

typedef struct user_filter {
    const char *q; /* substring of username or display name */
    uint32_t role;
    int64_t unit_id;
    int disabled; /* -1 any */
    int64_t page, page_size;
} user_filter;

typedef struct user_new {
    const char *username;
    const char *display_name;
    uint32_t roles;
    int64_t unit_id;
    const char *password;
} user_new;

typedef struct user_patch {
    int64_t version;
    const char *display_name; /* NULL: unchanged */
    int has_roles;
    uint32_t roles;
    int has_unit;
    int64_t unit_id; /* 0: none */
    int disabled;    /* -1: unchanged */
} user_patch;

/* List (items: new reference) and total. */
int users_list(db *d, arena *a, const user_filter *f, json_t **items, int64_t *total, gx_err *e);
/* The business roles are all the API may grant. */
int users_create(db *d, arena *a, const audit_actor *who, const user_new *in, gx_user *out, gx_err *e);
int users_update(db *d, arena *a, const audit_actor *who, int64_t id, const user_patch *p, gx_user *out, gx_err *e);
int users_reset_password(db *d, arena *a, const audit_actor *who, int64_t id, int64_t version, const char *password,
                         gx_user *out, gx_err *e);

/* Login: on success the session token and CSRF token are filled. */
int auth_login(db *d, arena *a, const char *username, const char *password, const char *ip, gx_user *out,
               char token[44], char csrf[44], gx_err *e);
int auth_logout(db *d, const audit_actor *who, const char *token_hash, gx_err *e);
int auth_change_password(db *d, arena *a, const audit_actor *who, const session *s, const char *old_pw,
                         const char *new_pw, gx_user *out, gx_err *e);

json_t *policy_json(const sec_policy *p);
int policy_save(db *d, const audit_actor *who, const sec_policy *in, sec_policy *out, gx_err *e);

#endif
