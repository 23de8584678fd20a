/* demo.h - demonstration data for a fresh installation. */
#ifndef GX_DEMO_H
#define GX_DEMO_H

#include "../store/db.h"
#include <stddef.h>

#define DEMO_PASSWORD "Yz@Ganxun2026"

/* Create demo units and one account per role (password DEMO_PASSWORD, no
 * forced change). Does nothing when accounts exist already (returns 1).
 * 0 created, -1 error (message in err). */
int demo_build(db *d, char *err, size_t errlen);

#endif
