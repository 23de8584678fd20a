/* pinyin.h - pinyin initials of Chinese names, for search ("zs" finds 张三).
 * The table is generated at build time from Unihan's kMandarin readings
 * (tools/gen_pinyin.sh); the first character of a name is read as a surname,
 * where several common surnames differ from the everyday reading (单 Shan,
 * 曾 Zeng, 解 Xie, 仇 Qiu, 朴 Piao, ...). */
#ifndef GX_PINYIN_H
#define GX_PINYIN_H

#include <stddef.h>

/* Write the lower-case initials of s into out (at most n-1 letters): each
 * CJK ideograph gives its initial, ASCII letters and digits are kept
 * (lower-cased), anything else is skipped. */
void pinyin_initials(const char *s, char *out, size_t n);

#endif
