/* account_http.h - what the account area gives the application besides its
 * routes (account_area): the hook that finds a request's session. */
#ifndef GX_ACCOUNT_HTTP_H
#define GX_ACCOUNT_HTTP_H

#include "../http/http.h"

/* Resolve the session cookie of r into r->sess and r->user
 * (http_hooks.authenticate): 1 found, 0 none or expired, -1 db error. */
int account_authenticate(req *r);

#endif
