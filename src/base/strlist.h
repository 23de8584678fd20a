/* strlist.h - a short list of borrowed strings (a bound JSON string array,
 * the domains of a cadre): no allocation, at most STRLIST_MAX entries. */
#ifndef GX_STRLIST_H
#define GX_STRLIST_H

#define STRLIST_MAX 32

typedef struct strlist {
    int set; /* the list was given (a PATCH may leave it out) */
    int n;
    const char *v[STRLIST_MAX];
} strlist;

#endif
