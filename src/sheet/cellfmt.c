/* cellfmt.c - turning XLSX cell values into the text the user sees: date
 * formats and serials, exponent notation, _xHHHH_ escapes. */
#include "sheet_int.h"
#include "../base/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sheet_builtin_date(unsigned id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

int sheet_numfmt_is_date(const char *code)
{
    int y = 0, m = 0, d = 0, h = 0, s = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') { /* literal text */
            p = strchr(p + 1, '"');
            if (!p)
                break;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') { /* escaped, padding, fill: skip one char */
            if (!p[1])
                break;
            p++;
            continue;
        }
        if (c == '[') { /* colour, locale, condition; [h] [mm] [ss] are elapsed time */
            const char *q = strchr(p, ']');
            if (!q)
                break;
            int elapsed = q > p + 1;
            for (const char *r = p + 1; r < q; r++)
                if (!strchr("hHmMsS", *r))
                    elapsed = 0;
            if (elapsed)
                h = 1;
            p = q;
            continue;
        }
        if (strncasecmp(p, "AM/PM", 5) == 0) {
            p += 4;
            continue;
        }
        if (strncasecmp(p, "A/P", 3) == 0) {
            p += 2;
            continue;
        }
        switch (c | 0x20) {
        case 'y': y = 1; break;
        case 'm': m = 1; break;
        case 'd': d = 1; break;
        case 'h': h = 1; break;
        case 's': s = 1; break;
        default: break;
        }
    }
    return y || d || (m && !h && !s);
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

int sheet_serial_date(const char *v, size_t n, int date1904, char out[11])
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789.eE+-", v[i]) || !v[i])
            return -1;
    memcpy(tmp, v, n);
    tmp[n] = 0;
    char *end;
    double x = strtod(tmp, &end);
    if (*end || !(x >= 0 && x < 2958466.0))
        return -1;
    long long ms = (long long)(x * 86400000.0 + 0.5); /* Excel rounds to the millisecond */
    long days = (long)(ms / 86400000);
    long y;
    unsigned m, d;
    if (date1904) {
        civil_from_days(days_from_civil(1904, 1, 1) + days, &y, &m, &d);
    } else if (days < 1) {
        return -1; /* a time of day only */
    } else if (days == 60) {
        y = 1900, m = 2, d = 29; /* Lotus 1-2-3's leap day, kept by Excel */
    } else {
        civil_from_days(days_from_civil(1899, 12, days < 60 ? 31 : 30) + days, &y, &m, &d);
    }
    if (y < 1900 || y > 9999)
        return -1;
    unsigned yy = (unsigned)y;
    char *o = out;
    *o++ = (char)('0' + yy / 1000), *o++ = (char)('0' + yy / 100 % 10);
    *o++ = (char)('0' + yy / 10 % 10), *o++ = (char)('0' + yy % 10), *o++ = '-';
    *o++ = (char)('0' + m / 10), *o++ = (char)('0' + m % 10), *o++ = '-';
    *o++ = (char)('0' + d / 10), *o++ = (char)('0' + d % 10), *o = 0;
    return 0;
}

int sheet_expand_exp(const char *v, size_t n, char *out, size_t outsz)
{
    size_t i = 0;
    int neg = 0;
    if (i < n && (v[i] == '-' || v[i] == '+'))
        neg = v[i++] == '-';
    size_t ip = i;
    while (i < n && v[i] >= '0' && v[i] <= '9')
        i++;
    size_t il = i - ip, fp = i, fl = 0;
    if (i < n && v[i] == '.') {
        fp = ++i;
        while (i < n && v[i] >= '0' && v[i] <= '9')
            i++;
        fl = i - fp;
    }
    if (il == 0 || i >= n || (v[i] != 'E' && v[i] != 'e'))
        return -1;
    i++;
    if (i < n && v[i] == '+')
        i++;
    size_t ep = i;
    unsigned exp = 0;
    while (i < n && v[i] >= '0' && v[i] <= '9' && i - ep < 4)
        exp = exp * 10 + (unsigned)(v[i++] - '0');
    if (i == ep || i != n)
        return -1; /* no exponent digits, a negative exponent or trailing text */
    while (fl && v[fp + fl - 1] == '0')
        fl--;
    if (exp < fl)
        return -1; /* not an integer */
    char digits[64];
    size_t k = 0;
    for (size_t j = 0; j < il + fl; j++) {
        char ch = j < il ? v[ip + j] : v[fp + j - il];
        if (k || ch != '0')
            digits[k++] = ch;
        if (k > 30)
            return -1;
    }
    if (k > 30 || k + (exp - fl) > 30)
        return -1;
    if (k == 0) {
        if (outsz < 2)
            return -1;
        memcpy(out, "0", 2);
        return 0;
    }
    for (unsigned j = 0; j < exp - fl; j++)
        digits[k++] = '0';
    if (k + (size_t)neg + 1 > outsz)
        return -1;
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    memcpy(out + o, digits, k);
    out[o + k] = 0;
    return 0;
}

size_t sheet_xstring_decode(char *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '_' && n - i >= 7 && p[i + 1] == 'x' && p[i + 6] == '_') {
            int a = gx_hexval(p[i + 2]), b = gx_hexval(p[i + 3]), c = gx_hexval(p[i + 4]), d = gx_hexval(p[i + 5]);
            if (a >= 0 && b >= 0 && c >= 0 && d >= 0) {
                unsigned cp = (unsigned)(a << 12 | b << 8 | c << 4 | d);
                i += 6;
                if (cp == 0x0b)
                    cp = '\n';
                if ((cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') || cp == 0x7f ||
                    (cp >= 0xd800 && cp <= 0xdfff))
                    continue;
                if (cp < 0x80) {
                    p[o++] = (char)cp;
                } else if (cp < 0x800) {
                    p[o++] = (char)(0xc0 | cp >> 6);
                    p[o++] = (char)(0x80 | (cp & 0x3f));
                } else {
                    p[o++] = (char)(0xe0 | cp >> 12);
                    p[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                    p[o++] = (char)(0x80 | (cp & 0x3f));
                }
                continue;
            }
        }
        if (p[i] == 0x7f)
            continue;
        p[o++] = p[i];
    }
    return o;
}
