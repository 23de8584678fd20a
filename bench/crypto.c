/* crypto.c - seal / open / blind index cost per value, AES-256-GCM versus
 * SM4-CTR + HMAC-SM3 (src/base/crypto.c), on one core. Built and run by
 * bench/keys.sh; prints one line per algorithm and operation. */
#include "../src/base/crypto.h"
#include "../src/base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int64_t n = 200000;
    if (argc > 1 && gx_parse_i64(argv[1], strlen(argv[1]), 1, 100000000, &n)) {
        fprintf(stderr, "usage: crypto [N]  (N: values per measurement, 1..100000000)\n");
        return 2;
    }
    char path[] = "/tmp/ganxun-bench-key-XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    if (gx_key_load(path, 1, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const int algs[] = {GX_ALG_AES, GX_ALG_SM};
    for (int a = 0; a < 2; a++) {
        gx_keystate k = {algs[a], 1, 0, 0};
        gx_crypto_set(&k);
        char **sealed = malloc((size_t)n * sizeof *sealed), idx[33];
        double t0 = now();
        for (int64_t i = 0; i < n; i++)
            sealed[i] = gx_seal("cadre-id-number", "cadres:123456:id_number", "32100219800101001X");
        double t1 = now();
        for (int64_t i = 0; i < n; i++)
            free(gx_open("cadre-id-number", "cadres:123456:id_number", sealed[i]));
        double t2 = now();
        for (int64_t i = 0; i < n; i++)
            gx_blind_index("cadre-id-number-index", sealed[i] + 20, idx);
        double t3 = now();
        printf("%s seal %.2f us  open %.2f us  blind_index %.2f us  (%lld values, 18-byte ID number)\n",
               gx_alg_name(algs[a]), (t1 - t0) * 1e6 / n, (t2 - t1) * 1e6 / n, (t3 - t2) * 1e6 / n, (long long)n);
        for (int64_t i = 0; i < n; i++)
            free(sealed[i]);
        free(sealed);
    }
    unlink(path);
    return 0;
}
