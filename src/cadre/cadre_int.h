/* cadre_int.h - private to src/cadre: what cadres.c and search.c share
 * beyond cadre.h. */
#ifndef GX_CADRE_INT_H
#define GX_CADRE_INT_H

/* Blind indexes of a search text that looks like a phone number / an ID
 * number: 1 and out filled when it normalises to one, else 0. */
int cadre_phone_index(const char *text, char out[33]);
int cadre_id_index(const char *text, char out[33]);

#endif
