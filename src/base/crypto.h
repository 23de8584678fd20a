/* crypto.h - the cryptographic primitives the product uses, all on OpenSSL
 * libcrypto: SHA-256, HMAC-SHA256, scrypt, SM3 and SM4 (商用密码), the master
 * key file with its key generations, sealing and blind indexes.
 *
 * The master key (32 random bytes, hex in a file outside the database, mode
 * 0600) never leaves the process; purposes get their own subkey so that one
 * leaked subkey reveals nothing about the others.
 *
 * Key generations. The key file holds one key per generation, one line
 * each: "GEN HEX" (a line of bare hex, the original format, is generation
 * 1). Personal data is sealed under one generation and one algorithm at a
 * time (gx_crypto_set, from the database's crypto_state); a key rotation
 * adds a generation and re-seals everything under it (src/cadre/rekey.c).
 * The audit chain keys (gx_key_derive) always come from the oldest key in
 * the file, so the chain verifies across rotations; they use HMAC-SM3 in a
 * database created with --crypto sm.
 *
 * Sealed formats (the prefix names algorithm and key generation):
 *   g1:HEX          AES-256-GCM, generation 1, no associated data (oldest)
 *   g2:HEX          AES-256-GCM, generation 1, associated data
 *   g3:GEN:HEX      AES-256-GCM, generation GEN >= 2, associated data
 *                   HEX = nonce(12) | ciphertext | tag(16)
 *   s1:GEN:HEX      SM4-CTR + HMAC-SM3, encrypt-then-MAC (OpenSSL 3.0 has no
 *                   SM4-GCM or SM4-CCM), generation GEN, associated data;
 *                   HEX = iv(16) | ciphertext | mac(32), where
 *                   mac = HMAC-SM3(mac key, "s1:GEN:" | iv | be64(len ct) | ct | aad)
 * Subkeys: AES: HMAC-SHA256(key[GEN], label); SM: K = HMAC-SM3(key[GEN],
 * label), SM4 key K[0..16), MAC key K[16..32). Blind indexes: the first 128
 * bits of HMAC-SHA256(subkey, value) (AES deployments) or HMAC-SM3(K, value)
 * (SM deployments). */
#ifndef GX_CRYPTO_H
#define GX_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define GX_KEY_LEN 32
#define GX_MAX_GEN 1000000

/* Algorithm families for personal data at rest. */
enum gx_alg { GX_ALG_AES = 1, GX_ALG_SM = 2 };
/* "aes" / "sm" -> GX_ALG_*, 0 when unknown. */
int gx_alg_parse(const char *name);
const char *gx_alg_name(int alg); /* "aes", "sm" */
/* 1 when this libcrypto offers what alg needs (SM4-CTR, SM3). */
int gx_alg_available(int alg);

void gx_sha256(const void *p, size_t n, unsigned char out[32]);
void gx_sha256_hex(const void *p, size_t n, char out[65]);
void gx_hmac_sha256(const unsigned char *key, size_t klen, const void *p, size_t n,
                    unsigned char out[32]);
void gx_sm3(const void *p, size_t n, unsigned char out[32]);
void gx_hmac_sm3(const unsigned char *key, size_t klen, const void *p, size_t n, unsigned char out[32]);

/* scrypt with cost 2^ln, r, p. 0 ok, -1 failure (bad parameters). */
int gx_scrypt(const char *pass, size_t plen, const unsigned char *salt, size_t slen, int ln,
              int r, int p, unsigned char *out, size_t outlen);

/* Load the key file (every generation in it); when create is set and the
 * file does not exist, make a new random key there (mode 0600, generation 1).
 * The path is remembered for gx_key_reload. 0 ok, -1 with a message. */
int gx_key_load(const char *path, int create, char *err, size_t errlen);
/* Re-read the key file gx_key_load read (after another process added a
 * generation). 0 ok, -1 with a message; the keys held stay on failure. */
int gx_key_reload(char *err, size_t errlen);
/* 1 once a key is loaded. */
int gx_key_loaded(void);
/* 1 when the key of generation gen is loaded. */
int gx_key_has(int gen);
/* The highest generation loaded (0: none). */
int gx_key_latest(void);
/* Add a generation to the key file (rewritten whole: temporary file, fsync,
 * rename; mode 0600) and to the keys held: key (32 bytes) or, when NULL, a
 * random one. The generation is gx_key_latest() + 1; *gen gets it. 0 ok, -1
 * with a message. */
int gx_key_add(const unsigned char *key, int *gen, char *err, size_t errlen);
/* Read a key of 64 hex characters from a file (--new-key-file). */
int gx_key_read_hex(const char *path, unsigned char key[GX_KEY_LEN], char *err, size_t errlen);
/* Subkey for a purpose label (e.g. "audit-chain") from the oldest key,
 * derived with the audit MAC below. */
void gx_key_derive(const char *label, unsigned char out[GX_KEY_LEN]);
/* The MAC of the audit chain and head: HMAC-SHA256 (GX_ALG_AES, the
 * default) or HMAC-SM3 (GX_ALG_SM, a database created with --crypto sm).
 * Fixed for the life of a chain (crypto_state.audit_mac); set at start,
 * before the first entry is written or checked. */
void gx_audit_alg_set(int alg);
int gx_audit_alg(void);
void gx_audit_mac(const unsigned char *key, size_t klen, const void *p, size_t n, unsigned char out[32]);

/* What personal data is sealed with. alg/gen: the active algorithm and key
 * generation; next_alg/next_gen: a rotation's target (0 when none): new
 * values are then sealed under it and searches match the blind index under
 * both. Process-wide, atomic; set at start and by the watcher thread. */
typedef struct gx_keystate {
    int alg, gen, next_alg, next_gen;
} gx_keystate;
void gx_crypto_set(const gx_keystate *k);
void gx_crypto_get(gx_keystate *k);

/* Seal plain under the subkey for label, authenticating aad with it (where
 * the value belongs, e.g. "cadres:17:phone": it then opens only there, so
 * sealed values cannot be moved between records or fields); malloc'd text
 * in one of the formats above. gx_seal uses the writing state (a rotation's
 * target, else the active one); gx_seal_with the given algorithm and
 * generation (whose key must be loaded). */
char *gx_seal(const char *label, const char *aad, const char *plain);
char *gx_seal_with(int alg, int gen, const char *label, const char *aad, const char *plain);
/* Decrypt what gx_seal produced with the same aad, under the algorithm and
 * generation its prefix names (the key file is re-read once when that
 * generation is not loaded); malloc'd plaintext, or NULL when the text was
 * altered, moved (other aad) or sealed under a key not in the file. "g1:"
 * values, sealed before aad was used, open whatever aad says. */
char *gx_open(const char *label, const char *aad, const char *sealed);
/* The algorithm and generation a sealed text names; 0 ok, -1 not a sealed text. */
int gx_sealed_kind(const char *sealed, int *alg, int *gen);
/* Keyed blind index for exact-match search of encrypted values: 128 bits of
 * HMAC (see above), as 32 hex characters. gx_blind_index: under the writing
 * state; gx_blind_index_with: under the given one; gx_blind_indexes: [0]
 * under the active state, [1] under a rotation's target (a copy of [0] when
 * none), for searches that must find rows on either side of a rotation. */
void gx_blind_index(const char *label, const char *value, char out[33]);
void gx_blind_index_with(int alg, int gen, const char *label, const char *value, char out[33]);
void gx_blind_indexes(const char *label, const char *value, char out[2][33]);

#endif
