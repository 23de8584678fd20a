#include "crypto.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- algorithms ---- */

int gx_alg_parse(const char *name)
{
    if (!name)
        return 0;
    if (!strcmp(name, "aes"))
        return GX_ALG_AES;
    if (!strcmp(name, "sm"))
        return GX_ALG_SM;
    return 0;
}

const char *gx_alg_name(int alg) { return alg == GX_ALG_SM ? "sm" : alg == GX_ALG_AES ? "aes" : "?"; }

/* Algorithms are fetched once: OpenSSL 3's implicit fetch on every call
 * takes a global lock and shows in profiles of bulk work. SM4-CTR and SM3
 * may be missing (a FIPS-only build): gx_alg_available says so. */
static EVP_MAC *mac_hmac;
static EVP_CIPHER *cipher_gcm, *cipher_sm4ctr;
static EVP_MD *md_sm3;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_algorithms(void)
{
    mac_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    cipher_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    if (!mac_hmac || !cipher_gcm)
        gx_die("OpenSSL lacks HMAC or AES-256-GCM");
    cipher_sm4ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    md_sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
}

int gx_alg_available(int alg)
{
    pthread_once(&fetch_once, fetch_algorithms);
    if (alg == GX_ALG_AES)
        return 1;
    return alg == GX_ALG_SM && cipher_sm4ctr && md_sm3;
}

static void need_sm(void)
{
    if (!gx_alg_available(GX_ALG_SM))
        gx_die("this OpenSSL lacks SM4-CTR or SM3");
}

void gx_sha256(const void *p, size_t n, unsigned char out[32])
{
    unsigned int len = 32;
    if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1)
        gx_die("sha256 failed");
}

void gx_sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char d[32];
    gx_sha256(p, n, d);
    gx_hex(d, 32, out);
}

void gx_sm3(const void *p, size_t n, unsigned char out[32])
{
    need_sm();
    unsigned int len = 32;
    if (EVP_Digest(p, n, out, &len, md_sm3, NULL) != 1)
        gx_die("sm3 failed");
}

static void hmac(const char *digest, const unsigned char *key, size_t klen, const void *p, size_t n,
                 unsigned char out[32])
{
    pthread_once(&fetch_once, fetch_algorithms);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)digest, 0), OSSL_PARAM_construct_end()};
    EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac_hmac);
    size_t len = 0;
    if (!c || EVP_MAC_init(c, key, klen, params) != 1 || EVP_MAC_update(c, p, n) != 1 ||
        EVP_MAC_final(c, out, &len, 32) != 1)
        gx_die("hmac failed");
    EVP_MAC_CTX_free(c);
}

void gx_hmac_sha256(const unsigned char *key, size_t klen, const void *p, size_t n, unsigned char out[32])
{
    hmac("SHA256", key, klen, p, n, out);
}

void gx_hmac_sm3(const unsigned char *key, size_t klen, const void *p, size_t n, unsigned char out[32])
{
    need_sm();
    hmac("SM3", key, klen, p, n, out);
}

int gx_scrypt(const char *pass, size_t plen, const unsigned char *salt, size_t slen, int ln,
              int r, int p, unsigned char *out, size_t outlen)
{
    if (ln < 1 || ln > 22 || r < 1 || r > 32 || p < 1 || p > 16)
        return -1;
    uint64_t N = (uint64_t)1 << ln;
    uint64_t maxmem = 128 * N * (uint64_t)r * (uint64_t)p + (64u << 20);
    if (EVP_PBE_scrypt(pass, plen, salt, slen, N, (uint64_t)r, (uint64_t)p, maxmem, out, outlen) != 1)
        return -1;
    return 0;
}

/* ---- the key file: one key per generation ---- */

#define MAX_KEYS 64

typedef struct keyslot {
    int gen;
    unsigned char key[GX_KEY_LEN];
} keyslot;

static keyslot keys[MAX_KEYS];
static int nkeys;
static char *key_path;
static pthread_rwlock_t keys_lock = PTHREAD_RWLOCK_INITIALIZER;

/* Parse the file's text into slots: "GEN HEX" lines, or one bare HEX line
 * (generation 1, the original format). 0 ok, -1 with a message. */
static int parse_keys(const char *path, char *text, keyslot *out, int *n, char *err, size_t errlen)
{
    *n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = 0;
        if (!l || line[0] == '#')
            continue;
        int64_t gen = 1;
        char *hex = line, *sp = strchr(line, ' ');
        if (sp) {
            *sp = 0;
            hex = sp + 1;
            if (gx_parse_i64(line, strlen(line), 1, GX_MAX_GEN, &gen)) {
                snprintf(err, errlen, "key file %s: bad generation '%.20s'", path, line);
                return -1;
            }
        }
        if (*n >= MAX_KEYS) {
            snprintf(err, errlen, "key file %s holds more than %d keys", path, MAX_KEYS);
            return -1;
        }
        if (strlen(hex) != 2 * GX_KEY_LEN || gx_unhex(hex, out[*n].key, GX_KEY_LEN)) {
            snprintf(err, errlen, "key file %s: generation %lld is not %d hex bytes", path, (long long)gen,
                     GX_KEY_LEN);
            return -1;
        }
        for (int i = 0; i < *n; i++)
            if (out[i].gen == gen) {
                snprintf(err, errlen, "key file %s: generation %lld appears twice", path, (long long)gen);
                return -1;
            }
        out[(*n)++].gen = (int)gen;
    }
    if (!*n) {
        snprintf(err, errlen, "key file %s holds no key", path);
        return -1;
    }
    return 0;
}

static int read_key_file(const char *path, keyslot *out, int *n, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        log_warn("key file %s is readable by others; chmod 600 it", path);
    char text[MAX_KEYS * 80 + 1];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof text - 1 && (r = read(fd, text + got, sizeof text - 1 - got)) > 0)
        got += (size_t)r;
    close(fd);
    text[got] = 0;
    int rc = parse_keys(path, text, out, n, err, errlen);
    OPENSSL_cleanse(text, sizeof text);
    return rc;
}

/* Write text to path atomically: a temporary file beside it, fsync, rename. */
static int write_file_atomic(const char *path, const char *text, size_t n, int excl, char *err, size_t errlen)
{
    char tmp[1100]; /* per process: two processes creating the file at once do not share it */
    snprintf(tmp, sizeof tmp, "%s.%ld.new", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
        close(fd);
        unlink(tmp);
        snprintf(err, errlen, "cannot write key file %s", tmp);
        return -1;
    }
    close(fd);
    int rc = excl ? link(tmp, path) : rename(tmp, path);
    int saved = errno;
    if (excl)
        unlink(tmp);
    if (rc) {
        if (excl && saved == EEXIST)
            return 1;
        snprintf(err, errlen, "cannot install key file %s: %s", path, strerror(saved));
        return -1;
    }
    return 0;
}

int gx_key_load(const char *path, int create, char *err, size_t errlen)
{
    if (create && access(path, F_OK) != 0 && errno == ENOENT) {
        unsigned char k[GX_KEY_LEN];
        char hex[2 * GX_KEY_LEN + 2];
        gx_random(k, sizeof k);
        gx_hex(k, sizeof k, hex);
        hex[2 * GX_KEY_LEN] = '\n';
        /* link(2) of a complete file: two processes starting at once agree */
        int rc = write_file_atomic(path, hex, 2 * GX_KEY_LEN + 1, 1, err, errlen);
        OPENSSL_cleanse(k, sizeof k);
        OPENSSL_cleanse(hex, sizeof hex);
        if (rc < 0)
            return -1;
    }
    keyslot tmp[MAX_KEYS];
    int n;
    if (read_key_file(path, tmp, &n, err, errlen))
        return -1;
    pthread_rwlock_wrlock(&keys_lock);
    memcpy(keys, tmp, sizeof tmp);
    nkeys = n;
    free(key_path);
    key_path = gx_strdup(path);
    pthread_rwlock_unlock(&keys_lock);
    OPENSSL_cleanse(tmp, sizeof tmp);
    return 0;
}

int gx_key_reload(char *err, size_t errlen)
{
    pthread_rwlock_rdlock(&keys_lock);
    char *path = key_path ? gx_strdup(key_path) : NULL;
    pthread_rwlock_unlock(&keys_lock);
    if (!path) {
        snprintf(err, errlen, "no key file loaded");
        return -1;
    }
    int rc = gx_key_load(path, 0, err, errlen);
    free(path);
    return rc;
}

int gx_key_loaded(void)
{
    pthread_rwlock_rdlock(&keys_lock);
    int n = nkeys;
    pthread_rwlock_unlock(&keys_lock);
    return n > 0;
}

static int find_key(int gen, unsigned char out[GX_KEY_LEN])
{
    int found = 0;
    pthread_rwlock_rdlock(&keys_lock);
    for (int i = 0; i < nkeys && !found; i++)
        if (keys[i].gen == gen) {
            if (out)
                memcpy(out, keys[i].key, GX_KEY_LEN);
            found = 1;
        }
    pthread_rwlock_unlock(&keys_lock);
    return found;
}

int gx_key_has(int gen) { return find_key(gen, NULL); }

int gx_key_latest(void)
{
    int g = 0;
    pthread_rwlock_rdlock(&keys_lock);
    for (int i = 0; i < nkeys; i++)
        if (keys[i].gen > g)
            g = keys[i].gen;
    pthread_rwlock_unlock(&keys_lock);
    return g;
}

int gx_key_add(const unsigned char *key, int *gen, char *err, size_t errlen)
{
    /* start from the file as it is now, in case another process added one */
    if (gx_key_reload(err, errlen))
        return -1;
    pthread_rwlock_wrlock(&keys_lock);
    int rc = -1, g = 0;
    for (int i = 0; i < nkeys; i++)
        if (keys[i].gen > g)
            g = keys[i].gen;
    g++;
    if (nkeys >= MAX_KEYS || g > GX_MAX_GEN) {
        snprintf(err, errlen, "the key file is full (%d generations)", MAX_KEYS);
        goto out;
    }
    keyslot *s = &keys[nkeys];
    s->gen = g;
    if (key)
        memcpy(s->key, key, GX_KEY_LEN);
    else
        gx_random(s->key, GX_KEY_LEN);
    for (int i = 0; i < nkeys; i++)
        if (!memcmp(keys[i].key, s->key, GX_KEY_LEN)) {
            snprintf(err, errlen, "that key is generation %d already", keys[i].gen);
            goto out;
        }
    char text[MAX_KEYS * 80];
    size_t o = 0;
    for (int i = 0; i <= nkeys; i++) {
        o += (size_t)snprintf(text + o, sizeof text - o, "%d ", keys[i].gen);
        gx_hex(keys[i].key, GX_KEY_LEN, text + o);
        o += 2 * GX_KEY_LEN;
        text[o++] = '\n';
    }
    if (write_file_atomic(key_path, text, o, 0, err, errlen) == 0) {
        nkeys++;
        *gen = g;
        rc = 0;
    }
    OPENSSL_cleanse(text, sizeof text);
out:
    pthread_rwlock_unlock(&keys_lock);
    return rc;
}

int gx_key_read_hex(const char *path, unsigned char key[GX_KEY_LEN], char *err, size_t errlen)
{
    keyslot tmp[MAX_KEYS];
    int n;
    if (read_key_file(path, tmp, &n, err, errlen))
        return -1;
    if (n != 1) {
        snprintf(err, errlen, "%s should hold one key (64 hex characters)", path);
        return -1;
    }
    memcpy(key, tmp[0].key, GX_KEY_LEN);
    OPENSSL_cleanse(tmp, sizeof tmp);
    return 0;
}

static _Atomic int audit_alg = GX_ALG_AES;

void gx_audit_alg_set(int alg) { atomic_store(&audit_alg, alg == GX_ALG_SM ? GX_ALG_SM : GX_ALG_AES); }
int gx_audit_alg(void) { return atomic_load(&audit_alg); }

void gx_audit_mac(const unsigned char *key, size_t klen, const void *p, size_t n, unsigned char out[32])
{
    if (gx_audit_alg() == GX_ALG_SM)
        gx_hmac_sm3(key, klen, p, n, out);
    else
        gx_hmac_sha256(key, klen, p, n, out);
}

void gx_key_derive(const char *label, unsigned char out[GX_KEY_LEN])
{
    /* Derived keys are remembered per thread (labels are a handful of
     * constants), so sealing a million values does not derive a million keys. */
    static _Thread_local struct {
        const char *label;
        int alg;
        unsigned char key[GX_KEY_LEN];
    } cache[8];
    int alg = gx_audit_alg();
    for (int i = 0; i < 8 && cache[i].label; i++) {
        if (cache[i].alg == alg && (cache[i].label == label || !strcmp(cache[i].label, label))) {
            memcpy(out, cache[i].key, GX_KEY_LEN);
            return;
        }
    }
    /* the oldest key: the audit chain stays verifiable across rotations */
    unsigned char root[GX_KEY_LEN];
    int g = -1;
    pthread_rwlock_rdlock(&keys_lock);
    for (int i = 0; i < nkeys; i++)
        if (g < 0 || keys[i].gen < keys[g].gen)
            g = i;
    if (g >= 0)
        memcpy(root, keys[g].key, GX_KEY_LEN);
    pthread_rwlock_unlock(&keys_lock);
    if (g < 0)
        gx_die("master key not loaded");
    gx_audit_mac(root, GX_KEY_LEN, label, strlen(label), out);
    OPENSSL_cleanse(root, sizeof root);
    for (int i = 0; i < 8; i++) {
        if (!cache[i].label) {
            cache[i].label = label; /* labels are string constants */
            cache[i].alg = alg;
            memcpy(cache[i].key, out, GX_KEY_LEN);
            break;
        }
    }
}

/* ---- the state personal data is sealed under ---- */

/* alg 4 bits | gen 20 bits | next_alg 4 bits | next_gen 20 bits */
static _Atomic uint64_t keystate = ((uint64_t)GX_ALG_AES << 44) | ((uint64_t)1 << 24);

void gx_crypto_set(const gx_keystate *k)
{
    uint64_t v = ((uint64_t)(k->alg & 15) << 44) | ((uint64_t)(k->gen & 0xfffff) << 24) |
                 ((uint64_t)(k->next_alg & 15) << 20) | (uint64_t)(k->next_gen & 0xfffff);
    atomic_store(&keystate, v);
}

void gx_crypto_get(gx_keystate *k)
{
    uint64_t v = atomic_load(&keystate);
    k->alg = (int)(v >> 44) & 15;
    k->gen = (int)(v >> 24) & 0xfffff;
    k->next_alg = (int)(v >> 20) & 15;
    k->next_gen = (int)v & 0xfffff;
}

static void writing_state(int *alg, int *gen)
{
    gx_keystate k;
    gx_crypto_get(&k);
    *alg = k.next_gen ? k.next_alg : k.alg;
    *gen = k.next_gen ? k.next_gen : k.gen;
}

/* The subkey of label under (alg, gen): 32 bytes (SM: SM4 key, then MAC
 * key). 0 ok, -1 when that generation is not in the key file (re-read once). */
static int data_key(int alg, int gen, const char *label, unsigned char out[GX_KEY_LEN])
{
    static _Thread_local struct {
        const char *label;
        int alg, gen;
        unsigned char key[GX_KEY_LEN];
    } cache[16];
    static _Thread_local int next_slot;
    for (int i = 0; i < 16 && cache[i].label; i++)
        if (cache[i].alg == alg && cache[i].gen == gen &&
            (cache[i].label == label || !strcmp(cache[i].label, label))) {
            memcpy(out, cache[i].key, GX_KEY_LEN);
            return 0;
        }
    unsigned char master[GX_KEY_LEN];
    if (!find_key(gen, master)) {
        char err[256];
        if (gx_key_reload(err, sizeof err) || !find_key(gen, master)) {
            log_error("key generation %d is not in the key file", gen);
            return -1;
        }
    }
    if (alg == GX_ALG_SM)
        gx_hmac_sm3(master, GX_KEY_LEN, label, strlen(label), out);
    else
        gx_hmac_sha256(master, GX_KEY_LEN, label, strlen(label), out);
    OPENSSL_cleanse(master, sizeof master);
    int i = next_slot;
    next_slot = (next_slot + 1) % 16;
    cache[i].label = label; /* labels are string constants */
    cache[i].alg = alg;
    cache[i].gen = gen;
    memcpy(cache[i].key, out, GX_KEY_LEN);
    return 0;
}

#define GCM_NONCE 12
#define GCM_TAG 16
#define SM_IV 16
#define SM_MAC 32

/* One cipher context per thread, re-initialised for every value (creating
 * one per value showed in profiles of bulk imports). Freed at thread exit. */
static pthread_key_t cipher_key;
static pthread_once_t cipher_once = PTHREAD_ONCE_INIT;

static void free_cipher_ctx(void *p) { EVP_CIPHER_CTX_free(p); }
static void make_cipher_key(void) { pthread_key_create(&cipher_key, free_cipher_ctx); }

static EVP_CIPHER_CTX *thread_cipher_ctx(void)
{
    pthread_once(&fetch_once, fetch_algorithms);
    pthread_once(&cipher_once, make_cipher_key);
    EVP_CIPHER_CTX *c = pthread_getspecific(cipher_key);
    if (!c) {
        c = EVP_CIPHER_CTX_new();
        pthread_setspecific(cipher_key, c);
    }
    return c;
}

/* Keyed HMAC contexts of this thread (blind indexes), freed at thread exit. */
#define MAC_SLOTS 8
typedef struct mac_cache {
    const char *label;
    int alg, gen;
    EVP_MAC_CTX *keyed;
} mac_cache;
static pthread_key_t mac_key;
static pthread_once_t mac_once = PTHREAD_ONCE_INIT;

static void free_mac_cache(void *p)
{
    mac_cache *c = p;
    for (int i = 0; i < MAC_SLOTS; i++)
        EVP_MAC_CTX_free(c[i].keyed);
    free(c);
}
static void make_mac_key(void) { pthread_key_create(&mac_key, free_mac_cache); }

static mac_cache *thread_mac_cache(void)
{
    pthread_once(&mac_once, make_mac_key);
    mac_cache *c = pthread_getspecific(mac_key);
    if (!c) {
        c = gx_calloc(MAC_SLOTS, sizeof *c);
        pthread_setspecific(mac_key, c);
    }
    return c;
}

static EVP_MAC_CTX *keyed_mac(int digest_sm3, const unsigned char *key, size_t klen)
{
    pthread_once(&fetch_once, fetch_algorithms);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)(digest_sm3 ? "SM3" : "SHA256"), 0),
                           OSSL_PARAM_construct_end()};
    EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac_hmac);
    if (!c || EVP_MAC_init(c, key, klen, params) != 1)
        gx_die("hmac failed");
    return c;
}

/* SM4-CTR over n bytes (encryption and decryption are the same). */
static int sm4_ctr(const unsigned char key[16], const unsigned char iv[SM_IV], const unsigned char *in, size_t n,
                   unsigned char *out)
{
    EVP_CIPHER_CTX *c = thread_cipher_ctx();
    int len = 0, fin = 0;
    return c && EVP_EncryptInit_ex(c, cipher_sm4ctr, NULL, key, iv) == 1 &&
                   EVP_EncryptUpdate(c, out, &len, in, (int)n) == 1 && EVP_EncryptFinal_ex(c, out + len, &fin) == 1 &&
                   (size_t)(len + fin) == n
               ? 0
               : -1;
}

/* HMAC-SM3(mac key, prefix | iv | be64(n) | ct | aad) */
static void sm_mac(const unsigned char mkey[16], const char *prefix, const unsigned char *iv, const unsigned char *ct,
                   size_t n, const char *aad, unsigned char out[SM_MAC])
{
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    EVP_MAC_CTX *c = keyed_mac(1, mkey, 16);
    size_t ol = 0;
    if (EVP_MAC_update(c, (const unsigned char *)prefix, strlen(prefix)) != 1 || EVP_MAC_update(c, iv, SM_IV) != 1 ||
        EVP_MAC_update(c, len, 8) != 1 || EVP_MAC_update(c, ct, n) != 1 ||
        EVP_MAC_update(c, (const unsigned char *)aad, strlen(aad)) != 1 || EVP_MAC_final(c, out, &ol, SM_MAC) != 1)
        gx_die("hmac-sm3 failed");
    EVP_MAC_CTX_free(c);
}

static char *hex_out(const char *prefix, const unsigned char *raw, size_t n)
{
    size_t pl = strlen(prefix);
    char *out = gx_malloc(pl + 2 * n + 1);
    memcpy(out, prefix, pl);
    gx_hex(raw, n, out + pl);
    return out;
}

static char *seal_aes(const unsigned char key[GX_KEY_LEN], int gen, const char *aad, const char *plain)
{
    unsigned char nonce[GCM_NONCE];
    gx_random(nonce, sizeof nonce);
    size_t n = strlen(plain), total = GCM_NONCE + n + GCM_TAG;
    unsigned char *raw = gx_malloc(total + 16);
    memcpy(raw, nonce, GCM_NONCE);
    int len = 0, fin = 0, alen = 0;
    EVP_CIPHER_CTX *c = thread_cipher_ctx();
    if (!c || EVP_EncryptInit_ex(c, cipher_gcm, NULL, key, nonce) != 1 ||
        EVP_EncryptUpdate(c, NULL, &alen, (const unsigned char *)aad, (int)strlen(aad)) != 1 ||
        EVP_EncryptUpdate(c, raw + GCM_NONCE, &len, (const unsigned char *)plain, (int)n) != 1 ||
        EVP_EncryptFinal_ex(c, raw + GCM_NONCE + len, &fin) != 1 || (size_t)(len + fin) != n ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG, raw + GCM_NONCE + n) != 1)
        gx_die("AES-GCM encryption failed");
    char prefix[24];
    if (gen == 1)
        snprintf(prefix, sizeof prefix, "g2:"); /* the format older binaries read */
    else
        snprintf(prefix, sizeof prefix, "g3:%d:", gen);
    char *out = hex_out(prefix, raw, total);
    free(raw);
    return out;
}

static char *seal_sm(const unsigned char key[GX_KEY_LEN], int gen, const char *aad, const char *plain)
{
    need_sm();
    size_t n = strlen(plain), total = SM_IV + n + SM_MAC;
    unsigned char *raw = gx_malloc(total);
    gx_random(raw, SM_IV);
    if (sm4_ctr(key, raw, (const unsigned char *)plain, n, raw + SM_IV))
        gx_die("SM4-CTR encryption failed");
    char prefix[24];
    snprintf(prefix, sizeof prefix, "s1:%d:", gen);
    sm_mac(key + 16, prefix, raw, raw + SM_IV, n, aad, raw + SM_IV + n);
    char *out = hex_out(prefix, raw, total);
    free(raw);
    return out;
}

char *gx_seal_with(int alg, int gen, const char *label, const char *aad, const char *plain)
{
    unsigned char key[GX_KEY_LEN];
    if (data_key(alg, gen, label, key))
        gx_die("cannot seal: key generation %d is not in the key file", gen);
    char *out = alg == GX_ALG_SM ? seal_sm(key, gen, aad, plain) : seal_aes(key, gen, aad, plain);
    OPENSSL_cleanse(key, sizeof key);
    return out;
}

char *gx_seal(const char *label, const char *aad, const char *plain)
{
    int alg, gen;
    writing_state(&alg, &gen);
    return gx_seal_with(alg, gen, label, aad, plain);
}

/* Parse a prefix: algorithm, generation, where the hex starts, and whether
 * associated data applies. 0 ok, -1 unknown. */
static int parse_prefix(const char *s, int *alg, int *gen, const char **hex, int *with_aad)
{
    *with_aad = 1;
    if (!strncmp(s, "g1:", 3) || !strncmp(s, "g2:", 3)) {
        *alg = GX_ALG_AES;
        *gen = 1;
        *hex = s + 3;
        *with_aad = s[1] == '2';
        return 0;
    }
    if (strncmp(s, "g3:", 3) && strncmp(s, "s1:", 3))
        return -1;
    *alg = s[0] == 's' ? GX_ALG_SM : GX_ALG_AES;
    const char *p = s + 3, *colon = strchr(p, ':');
    int64_t g;
    if (!colon || colon - p > 7 || gx_parse_i64(p, (size_t)(colon - p), 1, GX_MAX_GEN, &g))
        return -1;
    if (*alg == GX_ALG_AES && g == 1)
        return -1; /* generation 1 is always written g2: one form per value */
    *gen = (int)g;
    *hex = colon + 1;
    return 0;
}

int gx_sealed_kind(const char *sealed, int *alg, int *gen)
{
    const char *hex;
    int with_aad;
    return parse_prefix(sealed, alg, gen, &hex, &with_aad);
}

static char *open_aes(const unsigned char key[GX_KEY_LEN], const char *aad, const unsigned char *raw, size_t total)
{
    if (total < GCM_NONCE + GCM_TAG)
        return NULL;
    size_t n = total - GCM_NONCE - GCM_TAG;
    char *out = gx_malloc(n + 1);
    int len = 0, fin = 0, alen = 0;
    EVP_CIPHER_CTX *c = thread_cipher_ctx();
    if (c && EVP_DecryptInit_ex(c, cipher_gcm, NULL, key, raw) == 1 &&
        EVP_DecryptUpdate(c, NULL, &alen, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
        EVP_DecryptUpdate(c, (unsigned char *)out, &len, raw + GCM_NONCE, (int)n) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_TAG, (void *)(raw + GCM_NONCE + n)) == 1 &&
        EVP_DecryptFinal_ex(c, (unsigned char *)out + len, &fin) == 1) {
        out[len + fin] = 0;
        return out;
    }
    free(out);
    return NULL;
}

static char *open_sm(const unsigned char key[GX_KEY_LEN], const char *prefix, const char *aad,
                     const unsigned char *raw, size_t total)
{
    if (total < SM_IV + SM_MAC || !gx_alg_available(GX_ALG_SM))
        return NULL;
    size_t n = total - SM_IV - SM_MAC;
    unsigned char mac[SM_MAC];
    sm_mac(key + 16, prefix, raw, raw + SM_IV, n, aad, mac);
    if (CRYPTO_memcmp(mac, raw + SM_IV + n, SM_MAC)) /* verify, then decrypt */
        return NULL;
    char *out = gx_malloc(n + 1);
    if (sm4_ctr(key, raw, raw + SM_IV, n, (unsigned char *)out)) {
        free(out);
        return NULL;
    }
    out[n] = 0;
    return out;
}

char *gx_open(const char *label, const char *aad, const char *sealed)
{
    int alg, gen, with_aad;
    const char *hex;
    if (parse_prefix(sealed, &alg, &gen, &hex, &with_aad))
        return NULL;
    if (!with_aad)
        aad = ""; /* g1: sealed before values were bound to their place */
    size_t hl = strlen(hex);
    if (hl % 2 || hl == 0)
        return NULL;
    size_t total = hl / 2;
    unsigned char *raw = gx_malloc(total);
    char *out = NULL;
    unsigned char key[GX_KEY_LEN];
    if (!gx_unhex(hex, raw, total) && !data_key(alg, gen, label, key)) {
        char prefix[24];
        snprintf(prefix, sizeof prefix, "%.*s", (int)(hex - sealed), sealed);
        out = alg == GX_ALG_SM ? open_sm(key, prefix, aad, raw, total) : open_aes(key, aad, raw, total);
        OPENSSL_cleanse(key, sizeof key);
    }
    free(raw);
    return out;
}

void gx_blind_index_with(int alg, int gen, const char *label, const char *value, char out[33])
{
    /* A keyed HMAC context per label, key and thread, copied for each value:
     * cheaper than setting the key up every time. */
    mac_cache *cache = thread_mac_cache();
    EVP_MAC_CTX *keyed = NULL;
    int i = 0;
    for (; i < MAC_SLOTS && cache[i].label; i++)
        if (cache[i].alg == alg && cache[i].gen == gen &&
            (cache[i].label == label || !strcmp(cache[i].label, label))) {
            keyed = cache[i].keyed;
            break;
        }
    if (!keyed) {
        unsigned char key[GX_KEY_LEN];
        if (data_key(alg, gen, label, key))
            gx_die("cannot index: key generation %d is not in the key file", gen);
        if (alg == GX_ALG_SM)
            need_sm();
        keyed = keyed_mac(alg == GX_ALG_SM, key, sizeof key);
        OPENSSL_cleanse(key, sizeof key);
        if (i < MAC_SLOTS) { /* kept for the thread's life: a handful of labels and keys */
            cache[i].label = label;
            cache[i].alg = alg;
            cache[i].gen = gen;
            cache[i].keyed = keyed;
        }
    }
    unsigned char mac[32];
    size_t len = 0;
    EVP_MAC_CTX *c = EVP_MAC_CTX_dup(keyed);
    if (!c || EVP_MAC_update(c, (const unsigned char *)value, strlen(value)) != 1 ||
        EVP_MAC_final(c, mac, &len, sizeof mac) != 1)
        gx_die("hmac failed");
    EVP_MAC_CTX_free(c);
    if (i >= MAC_SLOTS)
        EVP_MAC_CTX_free(keyed);
    gx_hex(mac, 16, out);
}

void gx_blind_index(const char *label, const char *value, char out[33])
{
    int alg, gen;
    writing_state(&alg, &gen);
    gx_blind_index_with(alg, gen, label, value, out);
}

void gx_blind_indexes(const char *label, const char *value, char out[2][33])
{
    gx_keystate k;
    gx_crypto_get(&k);
    gx_blind_index_with(k.alg, k.gen, label, value, out[0]);
    if (k.next_gen)
        gx_blind_index_with(k.next_alg, k.next_gen, label, value, out[1]);
    else
        memcpy(out[1], out[0], 33);
}
