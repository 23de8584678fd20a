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

#endif
