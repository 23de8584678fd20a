#include "pinyin.h"

#include <stdint.h>

/* build/pinyin_table.c */
extern const unsigned pinyin_ranges[][2];
extern const char pinyin_table[];

static const struct {
    uint32_t cp;
    char initial;
} surnames[] = {
    {0x5355, 's'}, /* 单 shan */  {0x66FE, 'z'}, /* 曾 zeng */ {0x89E3, 'x'}, /* 解 xie */
    {0x4EC7, 'q'}, /* 仇 qiu */   {0x6734, 'p'}, /* 朴 piao */ {0x67E5, 'z'}, /* 查 zha */
    {0x8983, 'q'}, /* 覃 qin */   {0x76D6, 'g'}, /* 盖 ge */   {0x4E50, 'y'}, /* 乐 yue */
    {0x7F2A, 'm'}, /* 缪 miao */  {0x7FDF, 'z'}, /* 翟 zhai */ {0x533A, 'o'}, /* 区 ou */
    {0x5C09, 'y'}, /* 尉 yu (尉迟) */ {0x4F20, 'c'}, /* 传 chuan */ {0x90C7, 'x'}, /* 郇 xun */
};

static char initial_of(uint32_t cp, int first)
{
    if (first)
        for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
            if (surnames[i].cp == cp)
                return surnames[i].initial;
    size_t off = 0;
    for (int r = 0; r < 2; r++) {
        if (cp >= pinyin_ranges[r][0] && cp <= pinyin_ranges[r][1]) {
            char c = pinyin_table[off + (cp - pinyin_ranges[r][0])];
            return c == '?' ? 0 : c;
        }
        off += pinyin_ranges[r][1] - pinyin_ranges[r][0] + 1;
    }
    return 0;
}

void pinyin_initials(const char *str, char *out, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0;
    int first = 1;
    while (*s && o + 1 < n) {
        uint32_t cp;
        int k;
        if (*s < 0x80) {
            cp = *s;
            k = 1;
        } else if ((*s & 0xe0) == 0xc0 && s[1]) {
            cp = (uint32_t)(*s & 0x1f) << 6 | (s[1] & 0x3f);
            k = 2;
        } else if ((*s & 0xf0) == 0xe0 && s[1] && s[2]) {
            cp = (uint32_t)(*s & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
            k = 3;
        } else if ((*s & 0xf8) == 0xf0 && s[1] && s[2] && s[3]) {
            cp = (uint32_t)(*s & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 | (uint32_t)(s[2] & 0x3f) << 6 |
                 (s[3] & 0x3f);
            k = 4;
        } else {
            break;
        }
        s += k;
        char c = 0;
        if (cp < 0x80) {
            if (cp >= 'A' && cp <= 'Z')
                c = (char)(cp - 'A' + 'a');
            else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
                c = (char)cp;
        } else {
            c = initial_of(cp, first);
        }
        if (cp != ' ' && cp != 0xB7 && cp != 0x30FB) /* spaces and middle dots do not end the surname */
            first = 0;
        if (c)
            out[o++] = c;
    }
    out[o] = 0;
}
