#include "crypto.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char master_key[GX_KEY_LEN];
static int master_loaded;

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

/* Algorithms are fetched once: OpenSSL 3's implicit fetch on every call
 * takes a global lock and shows in profiles of bulk work. */
static EVP_MAC *mac_hmac;
static EVP_CIPHER *cipher_gcm;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_algorithms(void)
{
    mac_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    cipher_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    if (!mac_hmac || !cipher_gcm)
        gx_die("OpenSSL lacks HMAC or AES-256-GCM");
}

void gx_hmac_sha256(const unsigned char *key, size_t klen, const void *p, size_t n,
                    unsigned char out[32])
{
    pthread_once(&fetch_once, fetch_algorithms);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0), OSSL_PARAM_construct_end()};
    EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac_hmac);
    size_t len = 0;
    if (!c || EVP_MAC_init(c, key, klen, params) != 1 || EVP_MAC_update(c, p, n) != 1 ||
        EVP_MAC_final(c, out, &len, 32) != 1)
        gx_die("hmac failed");
    EVP_MAC_CTX_free(c);
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

int gx_key_load(const char *path, int create, char *err, size_t errlen)
{
    char hex[2 * GX_KEY_LEN + 2];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        unsigned char k[GX_KEY_LEN];
        gx_random(k, sizeof k);
        gx_hex(k, sizeof k, hex);
        hex[2 * GX_KEY_LEN] = '\n';
        int wfd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (wfd >= 0) {
            ssize_t w = write(wfd, hex, 2 * GX_KEY_LEN + 1);
            if (w != 2 * GX_KEY_LEN + 1 || fsync(wfd) != 0) {
                close(wfd);
                unlink(path);
                snprintf(err, errlen, "cannot write key file %s", path);
                return -1;
            }
            close(wfd);
        } else if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
            return -1;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        log_warn("key file %s is readable by others; chmod 600 it", path);
    ssize_t n = read(fd, hex, sizeof hex);
    close(fd);
    if (n < 2 * GX_KEY_LEN) {
        snprintf(err, errlen, "key file %s is too short", path);
        return -1;
    }
    hex[2 * GX_KEY_LEN] = 0;
    if (gx_unhex(hex, master_key, GX_KEY_LEN)) {
        snprintf(err, errlen, "key file %s is not %d hex bytes", path, GX_KEY_LEN);
        return -1;
    }
    master_loaded = 1;
    return 0;
}

int gx_key_loaded(void) { return master_loaded; }

void gx_key_derive(const char *label, unsigned char out[GX_KEY_LEN])
{
    /* Derived keys are remembered per thread (labels are a handful of
     * constants), so sealing a million values does not derive a million keys. */
    static _Thread_local struct {
        const char *label;
        unsigned char key[GX_KEY_LEN];
    } cache[8];
    if (!master_loaded)
        gx_die("master key not loaded");
    for (int i = 0; i < 8 && cache[i].label; i++) {
        if (cache[i].label == label || !strcmp(cache[i].label, label)) {
            memcpy(out, cache[i].key, GX_KEY_LEN);
            return;
        }
    }
    gx_hmac_sha256(master_key, GX_KEY_LEN, label, strlen(label), out);
    for (int i = 0; i < 8; i++) {
        if (!cache[i].label) {
            cache[i].label = label; /* labels are string constants */
            memcpy(cache[i].key, out, GX_KEY_LEN);
            break;
        }
    }
}

#define GCM_NONCE 12
#define GCM_TAG 16

/* One cipher context per thread, re-initialised for every value (creating
 * one per value showed in profiles of bulk imports). Freed at thread exit. */
static pthread_key_t cipher_key;
static pthread_once_t cipher_once = PTHREAD_ONCE_INIT;

static void free_cipher_ctx(void *p) { EVP_CIPHER_CTX_free(p); }
static void make_cipher_key(void) { pthread_key_create(&cipher_key, free_cipher_ctx); }

/* Keyed HMAC contexts of this thread (gx_blind_index), freed at thread exit. */
typedef struct mac_cache {
    const char *label;
    EVP_MAC_CTX *keyed;
} mac_cache;
static pthread_key_t mac_key;
static pthread_once_t mac_once = PTHREAD_ONCE_INIT;

static void free_mac_cache(void *p)
{
    mac_cache *c = p;
    for (int i = 0; i < 4; i++)
        EVP_MAC_CTX_free(c[i].keyed);
    free(c);
}
static void make_mac_key(void) { pthread_key_create(&mac_key, free_mac_cache); }

static mac_cache *thread_mac_cache(void)
{
    pthread_once(&mac_once, make_mac_key);
    mac_cache *c = pthread_getspecific(mac_key);
    if (!c) {
        c = gx_calloc(4, sizeof *c);
        pthread_setspecific(mac_key, c);
    }
    return c;
}

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

char *gx_seal(const char *label, const char *aad, const char *plain)
{
    unsigned char key[GX_KEY_LEN], nonce[GCM_NONCE], tag[GCM_TAG];
    gx_key_derive(label, key);
    gx_random(nonce, sizeof nonce);
    size_t n = strlen(plain);
    unsigned char *ct = gx_malloc(n + 16);
    int len = 0, fin = 0, alen = 0;
    EVP_CIPHER_CTX *c = thread_cipher_ctx();
    if (!c || EVP_EncryptInit_ex(c, cipher_gcm, NULL, key, nonce) != 1 ||
        EVP_EncryptUpdate(c, NULL, &alen, (const unsigned char *)aad, (int)strlen(aad)) != 1 ||
        EVP_EncryptUpdate(c, ct, &len, (const unsigned char *)plain, (int)n) != 1 ||
        EVP_EncryptFinal_ex(c, ct + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG, tag) != 1)
        gx_die("AES-GCM encryption failed");
    size_t total = GCM_NONCE + (size_t)(len + fin) + GCM_TAG;
    unsigned char *raw = gx_malloc(total);
    memcpy(raw, nonce, GCM_NONCE);
    memcpy(raw + GCM_NONCE, ct, (size_t)(len + fin));
    memcpy(raw + GCM_NONCE + len + fin, tag, GCM_TAG);
    char *out = gx_malloc(3 + 2 * total + 1);
    memcpy(out, "g2:", 3);
    gx_hex(raw, total, out + 3);
    free(ct);
    free(raw);
    return out;
}

char *gx_open(const char *label, const char *aad, const char *sealed)
{
    /* g1: sealed before values were bound to their place: no associated data. */
    if (!strncmp(sealed, "g1:", 3))
        aad = "";
    else if (strncmp(sealed, "g2:", 3))
        return NULL;
    size_t hl = strlen(sealed + 3);
    if (hl % 2 || hl / 2 < GCM_NONCE + GCM_TAG)
        return NULL;
    size_t total = hl / 2, n = total - GCM_NONCE - GCM_TAG;
    unsigned char *raw = gx_malloc(total);
    if (gx_unhex(sealed + 3, raw, total)) {
        free(raw);
        return NULL;
    }
    unsigned char key[GX_KEY_LEN];
    gx_key_derive(label, key);
    char *out = gx_malloc(n + 1);
    int len = 0, fin = 0, alen = 0, ok = 0;
    EVP_CIPHER_CTX *c = thread_cipher_ctx();
    if (c && EVP_DecryptInit_ex(c, cipher_gcm, NULL, key, raw) == 1 &&
        EVP_DecryptUpdate(c, NULL, &alen, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
        EVP_DecryptUpdate(c, (unsigned char *)out, &len, raw + GCM_NONCE, (int)n) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_TAG, raw + GCM_NONCE + n) == 1 &&
        EVP_DecryptFinal_ex(c, (unsigned char *)out + len, &fin) == 1)
        ok = 1;
    free(raw);
    if (!ok) {
        free(out);
        return NULL;
    }
    out[len + fin] = 0;
    return out;
}

void gx_blind_index(const char *label, const char *value, char out[33])
{
    /* A keyed HMAC context per label and thread, copied for each value:
     * cheaper than setting the key up every time. */
    mac_cache *cache = thread_mac_cache();
    EVP_MAC_CTX *keyed = NULL;
    int i = 0;
    for (; i < 4 && cache[i].label; i++)
        if (cache[i].label == label || !strcmp(cache[i].label, label)) {
            keyed = cache[i].keyed;
            break;
        }
    if (!keyed) {
        unsigned char key[GX_KEY_LEN];
        gx_key_derive(label, key);
        pthread_once(&fetch_once, fetch_algorithms);
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
                               OSSL_PARAM_construct_end()};
        keyed = EVP_MAC_CTX_new(mac_hmac);
        if (!keyed || EVP_MAC_init(keyed, key, sizeof key, params) != 1)
            gx_die("hmac failed");
        if (i < 4) { /* kept for the thread's life: a handful of labels */
            cache[i].label = label;
            cache[i].keyed = keyed;
        }
    }
    unsigned char mac[32];
    size_t len = 0;
    EVP_MAC_CTX *c = EVP_MAC_CTX_dup(keyed);
    if (!c || EVP_MAC_update(c, (const unsigned char *)value, strlen(value)) != 1 || EVP_MAC_final(c, mac, &len, sizeof mac) != 1)
        gx_die("hmac failed");
    EVP_MAC_CTX_free(c);
    if (i >= 4)
        EVP_MAC_CTX_free(keyed);
    gx_hex(mac, 16, out);
}
