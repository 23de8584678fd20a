/* idcard.h - the resident identity number (GB 11643-1999): 18 characters,
 * 6-digit division code, 8-digit birth date, 3-digit sequence (odd for men),
 * and an ISO 7064 MOD 11-2 check character. */
#ifndef GX_IDCARD_H
#define GX_IDCARD_H

#include <stddef.h>

typedef struct idcard {
    char number[19];    /* normalised: upper-case X */
    char birth_date[11]; /* YYYY-MM-DD */
    int gender;          /* GB/T 2261.1: 1 male, 2 female */
} idcard;

enum {
    IDCARD_OK = 0,
    IDCARD_LENGTH,   /* not 18 characters */
    IDCARD_CHARS,    /* not 17 digits + digit or X */
    IDCARD_DATE,     /* digits 7-14 are not a real date (1900-01-01 .. today) */
    IDCARD_CHECK,    /* check character wrong */
};

/* Parse and validate s[0..n) (surrounding spaces allowed, x accepted).
 * today is "YYYY-MM-DD" or NULL to skip the not-in-the-future check. */
int idcard_parse(const char *s, size_t n, const char *today, idcard *out);
/* Chinese message for a result code. */
const char *idcard_error(int rc);
/* The check character for the first 17 digits. */
char idcard_check_char(const char *d17);
/* 1 when y-m-d is a real calendar date. */
int date_valid(int y, int m, int d);
/* 1 when s is exactly "YYYY-MM-DD" naming a real date. */
int date_text_valid(const char *s);
/* The year of a YYYY-MM-DD date (checked by date_text_valid). */
int date_year(const char *date);
/* Whole years from birth (YYYY-MM-DD) to today (YYYY-MM-DD). */
int age_on(const char *birth, const char *today);

#endif
