#!/bin/sh
# Key rotation and sealing cost (issue 7 #12), results in docs/performance.md.
#   RUNS=3 bench/keys.sh            SQLite; with PG=postgresql://postgres@127.0.0.1:PORT/postgres also PostgreSQL
# 1. bench/crypto: seal / open / blind index per value, AES-256-GCM vs SM4-CTR + HMAC-SM3 (median of RUNS).
# 2. `ganxun key rotate` on the 5,000-cadre demo city (10,000 sealed values), for --crypto aes and sm:
#    values re-sealed per second (the re-sealing phase, without the 2 s the rotation waits for servers).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
BIN=${GANXUN_BIN:-build/ganxun}
make -s NOWEB=1 all
cc -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -O2 -o build/bench-crypto bench/crypto.c build/obj/base/crypto.o \
    build/obj/base/util.o build/obj/base/err.o build/obj/base/buf.o build/obj/base/arena.o -lcrypto -lpthread $(pkg-config --libs jansson 2>/dev/null)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== seal / open / blind index (us per value, median of $RUNS)"
for r in $(seq "$RUNS"); do build/bench-crypto 200000; done > "$TMP/c.txt"
for alg in aes sm; do
    s=$(grep "^$alg " "$TMP/c.txt" | awk '{print $3}' | median)
    o=$(grep "^$alg " "$TMP/c.txt" | awk '{print $6}' | median)
    b=$(grep "^$alg " "$TMP/c.txt" | awk '{print $9}' | median)
    echo "$alg seal $s us, open $o us, blind index $b us"
done

rotate_runs() { # backend url-maker
    for alg in aes sm; do
        for r in $(seq "$RUNS"); do
            url=$($1 "$r$alg")
            env GANXUN_DB="$url" GANXUN_KEY_FILE="$TMP/$2$r$alg.key" GANXUN_CRYPTO=$alg "$BIN" demo --cadres 5000 >/dev/null
            env GANXUN_DB="$url" GANXUN_KEY_FILE="$TMP/$2$r$alg.key" "$BIN" key rotate --batch 500 |
                sed -n 's/.*this run re-sealed \([0-9]*\) in \([0-9.]*\) s.*/\1 \2/p' | awk '{printf "%.0f\n", $1 / $2}'
        done > "$TMP/r.txt"
        echo "$2 $alg: $(median < "$TMP/r.txt") values/s (runs: $(tr '\n' ' ' < "$TMP/r.txt"))"
    done
}
sqlite_url() { echo "sqlite:$TMP/$1.db"; }
pg_url() {
    name="gx_bench_keys_$1"
    psql "$PG" -qAtc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null 2>&1
    echo "$PG" | sed "s|/[^/]*\$|/$name|"
}
echo "== key rotate, 5,000-cadre demo city (10,000 values), batch 500"
rotate_runs sqlite_url SQLite
if [ -n "${PG:-}" ]; then rotate_runs pg_url PostgreSQL; fi
