/* src/base/crypto: SM3, HMAC-SM3 and SM4 known answers from the standards,
 * the SM sealed format (SM4-CTR + HMAC-SM3, encrypt-then-MAC) checked
 * against an independent computation, tampering, associated data, key
 * generations and the blind indexes of a rotation. */
#include "unit.h"
#include "../../src/base/crypto.h"
#include "../../src/base/util.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MASTER1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void hex_of(const unsigned char *p, size_t n, char *out) { gx_hex(p, n, out); }

static void sm_known_answers(void **state)
{
    (void)state;
    unsigned char d[32];
    char hex[65];
    /* GB/T 32905-2016 (SM3), appendix A, examples 1 and 2 */
    gx_sm3("abc", 3, d);
    hex_of(d, 32, hex);
    assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    char m[65];
    for (int i = 0; i < 16; i++)
        memcpy(m + 4 * i, "abcd", 4);
    gx_sm3(m, 64, d);
    hex_of(d, 32, hex);
    assert_string_equal(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    /* GM/T 0042-2015 (HMAC-SM3), appendix D.3, count 1 */
    unsigned char k[32];
    for (int i = 0; i < 32; i++)
        k[i] = (unsigned char)(i + 1);
    const char *in = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                     "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    gx_hmac_sm3(k, 32, in, strlen(in), d);
    hex_of(d, 32, hex);
    assert_string_equal(hex, "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a");
    /* GB/T 32907-2016 (SM4), appendix A, example 1: key = plaintext */
    unsigned char key[16], pt[16], ct[32];
    assert_int_equal(gx_unhex("0123456789abcdeffedcba9876543210", key, 16), 0);
    memcpy(pt, key, 16);
    EVP_CIPHER *ecb = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
    assert_non_null(ecb);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    assert_int_equal(EVP_EncryptInit_ex(c, ecb, NULL, key, NULL), 1);
    EVP_CIPHER_CTX_set_padding(c, 0);
    assert_int_equal(EVP_EncryptUpdate(c, ct, &len, pt, 16), 1);
    hex_of(ct, 16, hex);
    assert_string_equal(hex, "681edf34d206965e86b3e94f536e4246");
    EVP_CIPHER_CTX_free(c);
    EVP_CIPHER_free(ecb);
}

/* A key file with the given text; the path is filled in. */
static void key_file(char path[32], const char *text)
{
    snprintf(path, 32, "/tmp/ganxun-key-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char err[256];
    assert_int_equal(gx_key_load(path, 0, err, sizeof err), 0);
}

static void sm_seal_format(void **state)
{
    (void)state;
    assert_true(gx_alg_available(GX_ALG_SM));
    char path[32];
    key_file(path, MASTER1 "\n");
    gx_keystate sm = {GX_ALG_SM, 1, 0, 0};
    gx_crypto_set(&sm);
    const char *aad = "cadres:7:id_number", *plain = "32100219800101001X";
    char *s = gx_seal("pii", aad, plain);
    assert_memory_equal(s, "s1:1:", 5);
    char *p = gx_open("pii", aad, s);
    assert_string_equal(p, plain);
    free(p);
    /* the format, recomputed independently: K = HMAC-SM3(master, label),
     * ct = plain xor SM4-CTR keystream under K[0..16) from iv, mac =
     * HMAC-SM3(K[16..32), "s1:1:" | iv | be64(len) | ct | aad) */
    size_t n = strlen(plain), total = (strlen(s) - 5) / 2;
    assert_int_equal(total, 16 + n + 32);
    unsigned char raw[128], master[32], K[32];
    assert_int_equal(gx_unhex(s + 5, raw, total), 0);
    assert_int_equal(gx_unhex(MASTER1, master, 32), 0);
    gx_hmac_sm3(master, 32, "pii", 3, K);
    EVP_CIPHER *ecb = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    unsigned char ks[32], ctr[32];
    memcpy(ctr, raw, 16);
    memcpy(ctr + 16, raw, 16);
    for (int i = 31; i >= 16; i--) /* the next counter block: big-endian increment */
        if (++ctr[i])
            break;
    int len = 0;
    assert_int_equal(EVP_EncryptInit_ex(c, ecb, NULL, K, NULL), 1);
    EVP_CIPHER_CTX_set_padding(c, 0);
    assert_int_equal(EVP_EncryptUpdate(c, ks, &len, ctr, 32), 1);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(raw[16 + i] ^ ks[i], (unsigned char)plain[i]);
    EVP_CIPHER_CTX_free(c);
    EVP_CIPHER_free(ecb);
    unsigned char macin[256], mac[32];
    size_t o = 0;
    memcpy(macin, "s1:1:", 5), o = 5;
    memcpy(macin + o, raw, 16), o += 16;
    memset(macin + o, 0, 8), macin[o + 7] = (unsigned char)n, o += 8;
    memcpy(macin + o, raw + 16, n), o += n;
    memcpy(macin + o, aad, strlen(aad)), o += strlen(aad);
    gx_hmac_sm3(K + 16, 16, macin, o, mac);
    assert_memory_equal(mac, raw + 16 + n, 32);
    /* the blind index: HMAC-SM3(K, value), 128 bits */
    char bi[33], hex[65];
    gx_blind_index("pii", plain, bi);
    gx_hmac_sm3(K, 32, plain, n, mac);
    hex_of(mac, 16, hex);
    assert_string_equal(bi, hex);
    free(s);
    unlink(path);
    gx_keystate aes = {GX_ALG_AES, 1, 0, 0};
    gx_crypto_set(&aes);
}

static void sm_tamper_and_aad(void **state)
{
    (void)state;
    char path[32];
    key_file(path, MASTER1 "\n");
    gx_keystate sm = {GX_ALG_SM, 1, 0, 0};
    gx_crypto_set(&sm);
    char *s = gx_seal("pii", "cadres:1:phone", "13812345678"), *s2 = gx_seal("pii", "cadres:1:phone", "13812345678");
    assert_string_not_equal(s, s2); /* random iv */
    free(s2);
    assert_null(gx_open("pii", "cadres:2:phone", s));     /* moved to another record */
    assert_null(gx_open("pii", "cadres:1:id_number", s)); /* or another field */
    assert_null(gx_open("pii", "", s));
    assert_null(gx_open("other", "cadres:1:phone", s)); /* another subkey */
    size_t l = strlen(s);
    size_t where[] = {5, 5 + 32 + 2, l - 1}; /* iv, ciphertext, mac */
    for (size_t i = 0; i < 3; i++) {
        char *t = gx_strdup(s);
        t[where[i]] = t[where[i]] == '0' ? '1' : '0';
        assert_null(gx_open("pii", "cadres:1:phone", t));
        free(t);
    }
    char *t = gx_strdup(s);
    t[3] = '2'; /* another generation (not in the key file): no key */
    assert_null(gx_open("pii", "cadres:1:phone", t));
    t[3] = '1';
    t[0] = 'g';
    t[1] = '3'; /* claims AES: does not open either */
    assert_null(gx_open("pii", "cadres:1:phone", t));
    free(t);
    t = gx_strndup(s, l - 2); /* truncated */
    assert_null(gx_open("pii", "cadres:1:phone", t));
    free(t);
    assert_null(gx_open("pii", "cadres:1:phone", "s1:1:00"));
    assert_null(gx_open("pii", "cadres:1:phone", "s1::00"));
    assert_null(gx_open("pii", "cadres:1:phone", "s1:x:00"));
    /* SM and AES blind indexes of the same value differ */
    char a[33], b[33];
    gx_blind_index_with(GX_ALG_SM, 1, "idx", "abc", a);
    gx_blind_index_with(GX_ALG_AES, 1, "idx", "abc", b);
    assert_string_not_equal(a, b);
    free(s);
    unlink(path);
    gx_keystate aes = {GX_ALG_AES, 1, 0, 0};
    gx_crypto_set(&aes);
}

static void key_generations(void **state)
{
    (void)state;
    char path[32], err[256];
    key_file(path, MASTER1 "\n");
    gx_keystate k1 = {GX_ALG_AES, 1, 0, 0};
    gx_crypto_set(&k1);
    char *old = gx_seal("pii", "cadres:3:phone", "13900001111");
    assert_memory_equal(old, "g2:", 3);
    unsigned char audit1[32], master[32], want[32];
    gx_key_derive("test-audit-label", audit1);
    assert_int_equal(gx_unhex(MASTER1, master, 32), 0);
    gx_hmac_sha256(master, 32, "test-audit-label", 16, want);
    assert_memory_equal(audit1, want, 32);
    int gen = 0;
    assert_int_equal(gx_key_add(NULL, &gen, err, sizeof err), 0);
    assert_int_equal(gen, 2);
    assert_int_equal(gx_key_latest(), 2);
    /* a rotation to (SM, 2): new values under it, both indexes searched */
    gx_keystate rot = {GX_ALG_AES, 1, GX_ALG_SM, 2};
    gx_crypto_set(&rot);
    char *neu = gx_seal("pii", "cadres:3:phone", "13900001111");
    assert_memory_equal(neu, "s1:2:", 5);
    char both[2][33], w[33];
    gx_blind_indexes("idx", "13900001111", both);
    assert_string_not_equal(both[0], both[1]);
    gx_blind_index("idx", "13900001111", w);
    assert_string_equal(w, both[1]); /* written under the target */
    /* the file, read afresh, holds both generations; both values open */
    assert_int_equal(gx_key_load(path, 0, err, sizeof err), 0);
    assert_true(gx_key_has(1) && gx_key_has(2) && !gx_key_has(3));
    char *p = gx_open("pii", "cadres:3:phone", old);
    assert_string_equal(p, "13900001111");
    free(p);
    p = gx_open("pii", "cadres:3:phone", neu);
    assert_string_equal(p, "13900001111");
    free(p);
    /* AES under generation 3 is written g3:3: */
    assert_int_equal(gx_key_add(NULL, &gen, err, sizeof err), 0);
    char *g3 = gx_seal_with(GX_ALG_AES, 3, "pii", "a", "x");
    assert_memory_equal(g3, "g3:3:", 5);
    p = gx_open("pii", "a", g3);
    assert_string_equal(p, "x");
    free(p);
    int alg, g;
    assert_int_equal(gx_sealed_kind(g3, &alg, &g), 0);
    assert_true(alg == GX_ALG_AES && g == 3);
    assert_int_equal(gx_sealed_kind("g3:1:00", &alg, &g), -1); /* generation 1 is g2: */
    /* the audit key still comes from the oldest key */
    gx_hmac_sha256(master, 32, "test-audit-label2", 17, want);
    gx_key_derive("test-audit-label2", audit1);
    assert_memory_equal(audit1, want, 32);
    /* a database created with --crypto sm: the audit subkeys and MACs are HMAC-SM3 */
    gx_audit_alg_set(GX_ALG_SM);
    gx_key_derive("test-audit-label2", audit1);
    gx_hmac_sm3(master, 32, "test-audit-label2", 17, want);
    assert_memory_equal(audit1, want, 32);
    unsigned char m1[32], m2[32];
    gx_audit_mac(audit1, 32, "entry", 5, m1);
    gx_hmac_sm3(audit1, 32, "entry", 5, m2);
    assert_memory_equal(m1, m2, 32);
    gx_audit_alg_set(GX_ALG_AES);
    gx_audit_mac(audit1, 32, "entry", 5, m1);
    gx_hmac_sha256(audit1, 32, "entry", 5, m2);
    assert_memory_equal(m1, m2, 32);
    /* a key file given with --new-key-file: one line of hex; no duplicate */
    char np[32];
    snprintf(np, sizeof np, "/tmp/ganxun-new-XXXXXX");
    int fd = mkstemp(np);
    assert_int_equal(write(fd, MASTER1 "\n", 65), 65);
    close(fd);
    unsigned char nk[32];
    assert_int_equal(gx_key_read_hex(np, nk, err, sizeof err), 0);
    assert_memory_equal(nk, master, 32);
    assert_int_equal(gx_key_add(nk, &gen, err, sizeof err), -1); /* the same key as generation 1 */
    unlink(np);
    free(old);
    free(neu);
    free(g3);
    unlink(path);
    gx_crypto_set(&k1);
}

const struct CMUnitTest crypto_tests[] = {
    cmocka_unit_test(sm_known_answers),
    cmocka_unit_test(sm_seal_format),
    cmocka_unit_test(sm_tamper_and_aad),
    cmocka_unit_test(key_generations),
};
const size_t crypto_tests_n = sizeof crypto_tests / sizeof crypto_tests[0];
