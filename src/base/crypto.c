#include "crypto.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
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

void gx_hmac_sha256(const unsigned char *key, size_t klen, const void *p, size_t n,
                    unsigned char out[32])
{
    unsigned int len = 32;
    if (!HMAC(EVP_sha256(), key, (int)klen, p, n, out, &len))
        gx_die("hmac failed");
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
    if (!master_loaded)
        gx_die("master key not loaded");
    gx_hmac_sha256(master_key, GX_KEY_LEN, label, strlen(label), out);
}
