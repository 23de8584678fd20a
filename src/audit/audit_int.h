/* audit_int.h - private to src/audit: the head's authentication code and
 * the checkpoint file as audit_verify reads it. */
#ifndef GX_AUDIT_INT_H
#define GX_AUDIT_INT_H

#include <stdint.h>

/* Hex HMAC-SHA256 of (seq, hash) under the "audit-head" subkey. */
void audit_head_mac(int64_t seq, const char *hash, char out[65]);

typedef struct ckpt {
    int64_t at, seq;
    char hash[65];
} ckpt;

/* The authenticated lines of the checkpoint file, sorted by seq (caller
 * frees *out). *bad counts lines that do not parse or authenticate. A
 * missing file, or none configured, is 0 lines. -1 when it cannot be read. */
int64_t ckpt_read(ckpt **out, int64_t *bad);

#endif
