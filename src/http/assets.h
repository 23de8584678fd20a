/* assets.h - the web bundle embedded into the binary at build time
 * (tools/embed.c writes build/assets.c from web/dist). */
#ifndef GX_ASSETS_H
#define GX_ASSETS_H

#include <stddef.h>

typedef struct asset {
    const char *path; /* "/index.html", "/assets/app-1a2b.js" */
    const char *type;
    const unsigned char *data;
    size_t len;
    const unsigned char *gz; /* gzip variant or NULL */
    size_t gz_len;
    const char *etag;
} asset;

extern const asset gx_assets[];
extern const size_t gx_nassets;

#endif
