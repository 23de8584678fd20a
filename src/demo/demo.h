/* demo.h - demonstration data: a Yangzhou-like city (city.c) and one
 * account per role. */
#ifndef GX_DEMO_H
#define GX_DEMO_H

#include "../store/db.h"
#include <stddef.h>
#include <stdint.h>

#define DEMO_PASSWORD "Yz@Ganxun2026"
#define DEMO_CADRES 5000

/* Units and ncadres cadres of a city, deterministic for seed. 0 ok, -1. */
int demo_city(db *d, int64_t ncadres, uint64_t seed, char *err, size_t errlen);

/* The city plus one account per role (password DEMO_PASSWORD, no forced
 * change). Does nothing when accounts exist already (returns 1; the
 * command line then exits 1). 0 created, -1 error (message in err). */
int demo_build(db *d, int64_t ncadres, uint64_t seed, char *err, size_t errlen);

#endif
