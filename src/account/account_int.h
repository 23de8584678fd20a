/* account_int.h - private to src/account: how a user row is read. */
#ifndef GX_ACCOUNT_INT_H
#define GX_ACCOUNT_INT_H

#include "account.h"

#define USER_COLS                                                                                  \
    "u.id, u.username, u.display_name, u.roles, u.unit_id, un.name, u.disabled, "                  \
    "u.must_change_password, u.locked_until, u.last_login_at, u.created_at, u.version, u.previous_login_at"
#define USER_NCOLS 13
#define USER_FROM "users u LEFT JOIN units un ON un.id = u.unit_id"

/* Fill u from columns col0.. of the current row (strings copied to a). */
void user_from_row(db_res *r, int col0, arena *a, gx_user *u);

/* --- per-address throttling of failed password attempts (throttle.c) --- */
#define THROTTLE_LIMIT 30           /* failures of one address within the window ... */
#define THROTTLE_WINDOW (15 * 60)   /* ... seconds, */
#define THROTTLE_BLOCK (15 * 60)    /* block it this long, doubled for each strike, at most a day */
#define THROTTLE_FORGET (24 * 3600) /* strikes forgotten after a day without failures */

/* *until: the end of the address's block, 0 when not blocked. 0 ok, -1 db error. */
int throttle_until(db *d, const char *ip, int64_t now, int64_t *until);
/* Count a failure of ip inside the caller's transaction; when it starts a
 * block, *blocked is its end (else 0) and *strikes its number. 0 ok, -1. */
int throttle_failure(db *d, const char *ip, int64_t now, int64_t *blocked, int64_t *strikes);

#endif
