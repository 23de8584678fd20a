/* org_http.h - the unit list (the registry module grows this area). */
#ifndef GX_ORG_HTTP_H
#define GX_ORG_HTTP_H

#include "../http/http.h"

void h_units_list(req *r);

#endif
