/* multipart.h - the file part of a multipart/form-data upload (RFC 7578),
 * for browsers that post a file from a form. Pure function over bytes; has
 * a fuzz target. */
#ifndef GX_MULTIPART_H
#define GX_MULTIPART_H

#include "../base/arena.h"
#include <stddef.h>

/* In body[0..len) with the given Content-Type header, find the first part
 * that carries a filename (or is named "file"). On success (0) *data and *dlen
 * point into body and *filename is an arena copy ("" when none). -1 when the
 * content type has no boundary or the body is malformed or has no such part. */
int multipart_file(arena *a, const char *content_type, const char *body, size_t len, const char **data, size_t *dlen,
                   const char **filename);

#endif
