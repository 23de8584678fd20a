/* crypto.h - the cryptographic primitives the product uses, all on OpenSSL
 * libcrypto: SHA-256, HMAC-SHA256, scrypt, and the master key file.
 *
 * The master key (32 random bytes, hex in a file outside the database, mode
 * 0600) never leaves the process; purposes get their own subkey through
 * gx_key_derive so that one leaked subkey reveals nothing about the others. */
#ifndef GX_CRYPTO_H
#define GX_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define GX_KEY_LEN 32

void gx_sha256(const void *p, size_t n, unsigned char out[32]);
void gx_sha256_hex(const void *p, size_t n, char out[65]);
void gx_hmac_sha256(const unsigned char *key, size_t klen, const void *p, size_t n,
                    unsigned char out[32]);

/* scrypt with cost 2^ln, r, p. 0 ok, -1 failure (bad parameters). */
int gx_scrypt(const char *pass, size_t plen, const unsigned char *salt, size_t slen, int ln,
              int r, int p, unsigned char *out, size_t outlen);

/* Load the master key from path; when create is set and the file does not
 * exist, make a new random key there (mode 0600). 0 ok, -1 with a message. */
int gx_key_load(const char *path, int create, char *err, size_t errlen);
/* 1 once a key is loaded. */
int gx_key_loaded(void);
/* Subkey for a purpose label (e.g. "audit-chain"). */
void gx_key_derive(const char *label, unsigned char out[GX_KEY_LEN]);

/* Encrypt plain under the subkey for label with AES-256-GCM and a random
 * nonce, authenticating aad with it (where the value belongs, e.g.
 * "cadres:17:phone": it then opens only there, so sealed values cannot be
 * moved between records or fields); returns "g2:" + hex(nonce | ciphertext
 * | tag), malloc'd. */
char *gx_seal(const char *label, const char *aad, const char *plain);
/* Decrypt what gx_seal produced with the same aad; malloc'd plaintext, or
 * NULL when the text was altered, moved (other aad) or sealed under another
 * key. "g1:" values, sealed before aad was used, open whatever aad says. */
char *gx_open(const char *label, const char *aad, const char *sealed);
/* Keyed blind index for exact-match search of encrypted values: the first
 * 128 bits of HMAC-SHA256(subkey(label), value), as 32 hex characters. */
void gx_blind_index(const char *label, const char *value, char out[33]);

#endif
