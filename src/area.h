/* area.h - what a business area exports to the application.
 *
 * Each area folder (src/<area>/) defines one `const area <name>_area` beside
 * its handlers: the HTTP part (route table, response schemas, audit
 * actions; http/router.h) and, when it keeps rows that point at units, what
 * it does when a unit is merged or moved (org/org.h). src/areas.c lists the
 * areas; nothing else needs to know they exist. */
#ifndef GX_AREA_H
#define GX_AREA_H

#include "http/router.h"
#include "org/org.h"

typedef struct area {
    http_area http;
    const unit_hooks *units; /* NULL: the area keeps no unit ids */
} area;

/* Wire the areas up (unit hooks); call once before any command runs. */
void areas_init(void);
/* The HTTP api of all areas, with the application's hooks. */
const http_api *areas_api(void);

#endif
