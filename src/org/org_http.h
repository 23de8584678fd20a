/* org_http.h - HTTP handlers of the registry's unit tree and code lists. */
#ifndef GX_ORG_HTTP_H
#define GX_ORG_HTTP_H

#include "../http/http.h"
#include "org.h"

extern const jfield unit_create_body[], unit_patch_body[], unit_move_body[], unit_merge_body[], code_put_body[];
extern const qfield units_query[], codes_query[];

/* The caller's scope; on failure replies and returns -1. */
int req_scope(req *r, scope *s);

void h_units_list(req *r);
void h_units_tree(req *r);
void h_units_get(req *r);
void h_units_create(req *r);
void h_units_patch(req *r);
void h_units_move(req *r);
void h_units_merge(req *r);
void h_codes(req *r);
void h_codes_put(req *r);

#endif
