/* cadre_int.h - private to src/cadre: what cadres.c and search.c share
 * beyond cadre.h. */
#ifndef GX_CADRE_INT_H
#define GX_CADRE_INT_H

#include "../store/db.h"

#include <stdint.h>

/* Blind indexes of a search text that looks like a phone number / an ID
 * number: 1 and out filled when it normalises to one, else 0. out[0] under
 * the active key, out[1] under a rotation's new key (a copy when none):
 * match either (gx_blind_indexes). */
int cadre_phone_index(const char *text, char out[2][33]);
int cadre_id_index(const char *text, char out[2][33]);
/* Key rotation (rekey.c): re-seal one cadre's ID number and phone (ph_enc
 * NULL: none) under alg/gen with new blind indexes, in the caller's
 * transaction, when the row still holds these values. Values re-sealed (1
 * or 2), 0 when the row changed meanwhile, -2 when a value does not open
 * (logged), -1 on a database error. */
int cadre_reseal(db *d, int64_t id, const char *id_enc, const char *ph_enc, int alg, int gen);

#endif
