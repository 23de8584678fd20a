/* session.c - server-side sessions. The cookie holds a random token; the
 * database holds only its SHA-256, so a leaked database grants no session.
 * Limits (idle, absolute) are copied from the policy when a session starts. */
#include "account_int.h"
#include "../base/crypto.h"
#include "../base/util.h"

#include <string.h>

#define TOUCH_INTERVAL 60 /* seconds between last_seen refreshes */

static void new_token(char out[44])
{
    unsigned char raw[32];
    gx_random(raw, sizeof raw);
    gx_b64url(raw, sizeof raw, out);
}

int session_create(db *d, int64_t user_id, const char *ip, const sec_policy *p, char token[44], char csrf[44],
                   gx_err *e)
{
    new_token(token);
    new_token(csrf);
    char th[65];
    gx_sha256_hex(token, strlen(token), th);
    int64_t now = gx_now();
    if (db_execv(d,
                 "INSERT INTO sessions (token_hash, user_id, csrf, ip, created_at, last_seen, idle_seconds, "
                 "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 DS(th), DI(user_id), DS(csrf), DS(ip), DI(now), DI(now), DI((int64_t)p->session_idle_minutes * 60),
                 DI(now + (int64_t)p->session_max_hours * 3600)) != 1)
        return gx_fail(e, GX_EINTERNAL, NULL);
    return 0;
}

int session_lookup(db *d, arena *a, const char *token, session *s)
{
    if (strlen(token) != 43)
        return 0;
    char th[65];
    gx_sha256_hex(token, 43, th);
    db_res *r = db_queryv(d,
                          "SELECT s.csrf, s.last_seen, s.idle_seconds, s.expires_at, " USER_COLS
                          " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN units un ON un.id = u.unit_id"
                          " WHERE s.token_hash = ?",
                          DS(th));
    if (!r)
        return -1;
    int rc = db_next(r);
    if (rc != 1) {
        db_done(r);
        return rc;
    }
    int64_t now = gx_now();
    int64_t last_seen = db_int(r, 1), idle = db_int(r, 2), expires = db_int(r, 3);
    s->csrf = arena_strdup(a, db_text(r, 0));
    user_from_row(r, 4, a, &s->user);
    db_done(r);
    if (now >= expires || now - last_seen > idle || s->user.disabled) {
        if (db_execv(d, "DELETE FROM sessions WHERE token_hash = ?", DS(th)) < 0)
            return -1;
        return 0;
    }
    s->token_hash = arena_strdup(a, th);
    if (now - last_seen >= TOUCH_INTERVAL &&
        db_execv(d, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", DI(now), DS(th)) < 0)
        return -1;
    return 1;
}

int session_end(db *d, const char *token_hash)
{
    return db_execv(d, "DELETE FROM sessions WHERE token_hash = ?", DS(token_hash)) < 0 ? -1 : 0;
}

int session_end_user(db *d, int64_t user_id, const char *keep_hash)
{
    int64_t n = keep_hash ? db_execv(d, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", DI(user_id),
                                     DS(keep_hash))
                          : db_execv(d, "DELETE FROM sessions WHERE user_id = ?", DI(user_id));
    if (n < 0)
        return -1;
    /* Expired sessions of everybody go at the same time: cheap, indexed. */
    return db_execv(d, "DELETE FROM sessions WHERE expires_at < ?", DI(gx_now())) < 0 ? -1 : 0;
}
