/* system_http.h - routes that belong to no business area. */
#ifndef GX_SYSTEM_HTTP_H
#define GX_SYSTEM_HTTP_H

#include "router.h"

/* Health and the API description: routes every server answers. */
extern const http_area system_area;

#endif
