/* actor.h - who did something: the account, its name and address. Written
 * into the audit log with every write; built by the HTTP layer from the
 * session (req_who) or by the command line ("cli"). */
#ifndef GX_ACTOR_H
#define GX_ACTOR_H

#include <stdint.h>

typedef struct gx_actor {
    int64_t id;       /* 0: none (a failed login, the command line) */
    const char *name; /* username, or "cli" */
    const char *ip;
} gx_actor;

#endif
