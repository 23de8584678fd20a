/* buf.h - growable byte buffer with a hard size cap.
 *
 * Invariants: data is NUL-terminated whenever data != NULL (len excludes the
 * NUL); len <= cap_max. A buffer that would grow past cap_max sets toobig and
 * refuses the append. BUF_INIT(max) is an empty buffer; buf_free releases it.
 * buf_detach hands the bytes to the caller (who frees them with free()). */
#ifndef GX_BUF_H
#define GX_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap_max;
    int toobig;
} buf;

#define BUF_INIT(max) {NULL, 0, 0, (max), 0}

int buf_append(buf *b, const void *p, size_t n); /* 0 ok, -1 over cap */
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_reset(buf *b);
void buf_free(buf *b);
char *buf_detach(buf *b, size_t *len);

#endif
