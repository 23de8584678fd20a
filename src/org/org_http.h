/* org_http.h - what the organisation area gives the application besides its
 * routes (org_area): the hooks through which the server finds a caller's
 * data scope and checks codes against the code lists. */
#ifndef GX_ORG_HTTP_H
#define GX_ORG_HTTP_H

#include "../http/http.h"
#include "../store/db.h"

/* Fill r->scope with the caller's scope (http_hooks.scope). */
int org_request_scope(req *r);
/* 1 when code is in the list kind (http_hooks.code_valid). */
int org_code_valid(db *d, const char *kind, const char *code);

#endif
