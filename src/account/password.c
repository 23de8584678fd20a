/* password.c - password policy and memory-hard hashing (scrypt).
 *
 * Stored form: "scrypt$LN$R$P$SALT$HASH" (salt and hash in hex), so the cost
 * can be raised later without invalidating existing hashes. */
#include "account.h"
#include "../base/crypto.h"
#include "../base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_LN 15 /* N = 32768, r = 8: 32 MiB and ~0.1 s per hash */
#define SCRYPT_R 8
#define SCRYPT_P 1
#define SALT_LEN 16
#define HASH_LEN 32

static int cost_ln(void)
{
    const char *e = getenv("GANXUN_SCRYPT_LN");
    int64_t v;
    if (e && !gx_parse_i64(e, strlen(e), 10, 20, &v))
        return (int)v;
    return DEFAULT_LN;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 0;
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return 0;
}

int password_check(const sec_policy *p, const char *username, const char *pw, const char *field, gx_err *e)
{
    char msg[160];
    size_t len = strlen(pw);
    size_t chars = gx_utf8_len(pw, len);
    if ((int)chars < p->password_min_length) {
        snprintf(msg, sizeof msg, "密码至少 %d 个字符", p->password_min_length);
        gx_field(e, field, msg);
        return -1;
    }
    if (len > 128) {
        gx_field(e, field, "密码不能超过 128 个字节");
        return -1;
    }
    int lower = 0, upper = 0, digit = 0, other = 0;
    for (const unsigned char *s = (const unsigned char *)pw; *s; s++) {
        if (islower(*s))
            lower = 1;
        else if (isupper(*s))
            upper = 1;
        else if (isdigit(*s))
            digit = 1;
        else
            other = 1;
    }
    if (lower + upper + digit + other < 3) {
        gx_field(e, field, "密码须包含小写字母、大写字母、数字、符号中的至少三类");
        return -1;
    }
    if (username && strlen(username) >= 3 && contains_ci(pw, username)) {
        gx_field(e, field, "密码不能包含用户名");
        return -1;
    }
    return 0;
}

char *password_hash(const char *pw)
{
    unsigned char salt[SALT_LEN], h[HASH_LEN];
    gx_random(salt, sizeof salt);
    int ln = cost_ln();
    if (gx_scrypt(pw, strlen(pw), salt, sizeof salt, ln, SCRYPT_R, SCRYPT_P, h, sizeof h))
        gx_die("scrypt failed");
    char sh[2 * SALT_LEN + 1], hh[2 * HASH_LEN + 1];
    gx_hex(salt, sizeof salt, sh);
    gx_hex(h, sizeof h, hh);
    size_t n = 32 + sizeof sh + sizeof hh;
    char *out = gx_malloc(n);
    snprintf(out, n, "scrypt$%d$%d$%d$%s$%s", ln, SCRYPT_R, SCRYPT_P, sh, hh);
    return out;
}

int password_verify(const char *pw, const char *stored)
{
    int ln, r, p;
    char sh[2 * SALT_LEN + 1], hh[2 * HASH_LEN + 1];
    if (sscanf(stored, "scrypt$%d$%d$%d$%32[0-9a-f]$%64[0-9a-f]", &ln, &r, &p, sh, hh) != 5)
        return 0;
    unsigned char salt[SALT_LEN], want[HASH_LEN], got[HASH_LEN];
    if (gx_unhex(sh, salt, SALT_LEN) || gx_unhex(hh, want, HASH_LEN))
        return 0;
    if (gx_scrypt(pw, strlen(pw), salt, sizeof salt, ln, r, p, got, sizeof got))
        return 0;
    char a[2 * HASH_LEN + 1], b[2 * HASH_LEN + 1];
    gx_hex(got, sizeof got, a);
    gx_hex(want, sizeof want, b);
    return gx_streq_ct(a, b);
}

void password_dummy_verify(const char *pw)
{
    unsigned char salt[SALT_LEN] = {0}, out[HASH_LEN];
    (void)gx_scrypt(pw, strlen(pw), salt, sizeof salt, cost_ln(), SCRYPT_R, SCRYPT_P, out, sizeof out);
}
