/* system_http.h - routes that belong to no business area. */
#ifndef GX_SYSTEM_HTTP_H
#define GX_SYSTEM_HTTP_H

#include "http.h"

void h_health(req *r);
void h_openapi(req *r);

#endif
