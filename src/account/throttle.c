/* throttle.c - per-address throttling of failed password attempts, so that
 * one address can neither lock accounts in bulk nor spray passwords over
 * many accounts. State lives in the database (login_throttle), shared by
 * every server process.
 *
 * An address with THROTTLE_LIMIT failures within THROTTLE_WINDOW is refused
 * every login for THROTTLE_BLOCK, doubled for each further block ("strike")
 * up to a day; strikes are forgotten after a day without failures. */
#include "account_int.h"

int throttle_until(db *d, const char *ip, int64_t now, int64_t *until)
{
    db_res *r = db_queryv(d, "SELECT blocked_until FROM login_throttle WHERE ip = ?", DS(ip));
    if (!r)
        return -1;
    int rc = db_next(r);
    *until = rc == 1 && db_int(r, 0) > now ? db_int(r, 0) : 0;
    db_done(r);
    return rc < 0 ? -1 : 0;
}

int throttle_failure(db *d, const char *ip, int64_t now, int64_t *blocked, int64_t *strikes)
{
    *blocked = 0;
    if (db_execv(d,
                 "INSERT INTO login_throttle (ip, window_start, failures, strikes, blocked_until, last_failure) "
                 "VALUES (?, ?, 0, 0, 0, ?) ON CONFLICT (ip) DO NOTHING",
                 DS(ip), DI(now), DI(now)) < 0)
        return -1;
    /* Every right-hand side reads the row as it was (both engines). */
    db_res *r = db_queryv(d,
                          "UPDATE login_throttle SET "
                          "strikes = CASE WHEN last_failure < ? THEN 0 ELSE strikes END, "
                          "failures = CASE WHEN window_start <= ? THEN 1 ELSE failures + 1 END, "
                          "window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END, "
                          "last_failure = ? WHERE ip = ? RETURNING failures, strikes",
                          DI(now - THROTTLE_FORGET), DI(now - THROTTLE_WINDOW), DI(now - THROTTLE_WINDOW), DI(now),
                          DI(now), DS(ip));
    if (!r || db_next(r) != 1) {
        db_done(r);
        return -1;
    }
    int64_t failures = db_int(r, 0);
    *strikes = db_int(r, 1);
    db_done(r);
    if (failures >= THROTTLE_LIMIT) {
        int64_t block = (int64_t)THROTTLE_BLOCK << (*strikes < 6 ? *strikes : 6);
        if (block > 24 * 3600)
            block = 24 * 3600;
        *blocked = now + block;
        (*strikes)++;
        if (db_execv(d,
                     "UPDATE login_throttle SET failures = 0, window_start = ?, strikes = ?, blocked_until = ? "
                     "WHERE ip = ?",
                     DI(now), DI(*strikes), DI(*blocked), DS(ip)) != 1)
            return -1;
    }
    /* Addresses quiet for a day are forgotten (indexed range). */
    return db_execv(d, "DELETE FROM login_throttle WHERE last_failure < ? AND blocked_until < ?",
                    DI(now - THROTTLE_FORGET), DI(now)) < 0
               ? -1
               : 0;
}
