/* util.h - allocation wrappers, time, encodings, strict number parsing, logging.
 *
 * gx_malloc and friends allocate or die (out of memory is not recoverable for
 * a server of this kind); they are also the single hook for fault injection. */
#ifndef GX_UTIL_H
#define GX_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *gx_malloc(size_t n);
void *gx_calloc(size_t n, size_t size);
void *gx_realloc(void *p, size_t n);
char *gx_strdup(const char *s);
char *gx_strndup(const char *s, size_t n);

int64_t gx_now(void);        /* seconds since the epoch */
int64_t gx_now_ms(void);     /* monotonic milliseconds */
/* Today's date in Asia/Shanghai (UTC+8, no daylight saving) as YYYY-MM-DD. */
void gx_today(char out[11]);
/* Epoch seconds t as Asia/Shanghai local time, formatted by strftime. */
void gx_shanghai_time(int64_t t, const char *fmt, char *out, size_t n);

/* Strict decimal parse of the whole string into [min, max]; 0 ok, -1 bad. */
int gx_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

/* Fill p with n bytes from the CSPRNG; dies if the CSPRNG fails. */
void gx_random(void *p, size_t n);

/* Lower-case hex; out must hold 2n+1 bytes. */
void gx_hex(const unsigned char *in, size_t n, char *out);
/* Value of a hex digit, or -1. */
int gx_hexval(char c);
/* Decode exactly 2n hex chars into n bytes; 0 ok, -1 bad. */
int gx_unhex(const char *in, unsigned char *out, size_t n);
/* URL-safe base64 without padding; out must hold 4*((n+2)/3)+1 bytes. */
size_t gx_b64url(const unsigned char *in, size_t n, char *out);

/* 1 when s[0..n) is valid UTF-8 without NUL or C0 control characters
 * (tab, CR and LF allowed when allow_nl). */
int gx_utf8_valid(const char *s, size_t n, int allow_nl);
/* Number of code points of valid UTF-8. */
size_t gx_utf8_len(const char *s, size_t n);

/* Constant-time comparison of equal-length strings; 1 when equal. */
int gx_streq_ct(const char *a, const char *b);

enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern int gx_log_level;
void gx_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) gx_log(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) gx_log(LOG_WARN, __VA_ARGS__)
#define log_info(...) gx_log(LOG_INFO, __VA_ARGS__)

_Noreturn void gx_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define GX_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
