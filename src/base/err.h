/* err.h - the one status convention of the product.
 *
 * Module functions return 0 on success or -1 after filling a gx_err with a
 * code, a Chinese message and, where fields of the input are at fault, a map
 * field -> message. err.c maps each code to its HTTP status and wire name in
 * one table; nothing else decides HTTP statuses for errors. */
#ifndef GX_ERR_H
#define GX_ERR_H

#include <jansson.h>

typedef enum {
    GX_OK = 0,
    GX_EBADJSON,
    GX_EVALIDATION,
    GX_EBADQUERY,
    GX_EBADREQ,
    GX_EUNAUTH,
    GX_ECREDS,
    GX_EFORBIDDEN,
    GX_ECSRF,
    GX_EPWCHANGE,
    GX_EDISABLED,
    GX_ENOTFOUND,
    GX_EMETHOD,
    GX_EVERSION,
    GX_ECONFLICT,
    GX_ETOOLARGE,
    GX_EMEDIA,
    GX_ELOCKED,
    GX_ETHROTTLED,
    GX_EUNAVAIL,
    GX_EINTERNAL,
    GX_ECODE_COUNT
} gx_code;

typedef struct gx_err {
    gx_code code;
    char message[256];
    json_t *fields; /* object or NULL; owned */
    json_t *extra;  /* extra members of the error object or NULL; owned */
} gx_err;

#define GX_ERR_INIT {GX_OK, {0}, NULL, NULL}

/* Set the code and message (default message for the code when msg is NULL);
 * returns -1 so callers can `return gx_fail(...)`. */
int gx_fail(gx_err *e, gx_code code, const char *msg);
/* Add a field message; sets code to GX_EVALIDATION when none set yet. */
void gx_field(gx_err *e, const char *field, const char *msg);
/* Attach an extra member (takes the reference). */
void gx_extra(gx_err *e, const char *key, json_t *v);
void gx_err_clear(gx_err *e);

int gx_err_status(gx_code code);
const char *gx_err_name(gx_code code);
/* {"error":{...}}; new reference. */
json_t *gx_err_json(const gx_err *e);

#endif
