/* account_http.h - HTTP handlers and input tables of the account area. */
#ifndef GX_ACCOUNT_HTTP_H
#define GX_ACCOUNT_HTTP_H

#include "../http/http.h"

extern const jfield login_body[], password_body[], user_create_body[], user_patch_body[], user_reset_body[],
    policy_body[];
extern const qfield users_query[];

void h_login(req *r);
void h_logout(req *r);
void h_me(req *r);
void h_password(req *r);
void h_users_list(req *r);
void h_users_create(req *r);
void h_users_get(req *r);
void h_users_patch(req *r);
void h_users_reset(req *r);
void h_policy_get(req *r);
void h_password_rules(req *r);
void h_policy_put(req *r);

#endif
