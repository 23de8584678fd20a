#!/usr/bin/env bash
# Platform benchmark (issue: platform, item 8): wrk on loopback, 64
# connections, 2 wrk threads sharing the 2 cores with the server.
#   GET /api/v1/health            target >= 40,000 req/s, p99 < 10 ms
#   GET /api/v1/auth/me (session) target >= 25,000 req/s, p99 < 10 ms
#   server RSS under that load    target <= 64 MiB
# Each case runs RUNS times (default 3) for DURATION (default 10s); the
# median run is reported. BACKEND=sqlite|postgresql|both (default both).
# Prints one table row per case, ready for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3} dur=${DURATION:-10s} backend=${BACKEND:-both}
bin=build/ganxun
work=$(mktemp -d /tmp/ganxun-bench.XXXXXX)
pgdir=""
cleanup() {
  [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null || true
  [ -n "$pgdir" ] && scripts/pg-test-server.sh stop "$pgdir" && rm -rf "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT

start_server() { # url
  export GANXUN_DB=$1 GANXUN_KEY_FILE=$work/key
  $bin migrate >/dev/null
  $bin demo >/dev/null
  $bin serve --listen 127.0.0.1:0 --threads 2 >"$work/out" 2>"$work/err" &
  srv=$!
  for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$work/out")
  cookie=$(curl -s -i -H 'content-type: application/json' \
    -d '{"username":"orgadmin","password":"Yz@Ganxun2026"}' "$base/api/v1/auth/login" |
    sed -n 's/^Set-Cookie: \(gx_session=[^;]*\).*/\1/ip' | tr -d '\r')
}

stop_server() { kill "$srv"; wait "$srv" 2>/dev/null || true; srv=""; }

# one wrk run -> "rps p50 p99 rss_kib"
one() { # path [header]
  local path=$1 hdr=${2:-}
  local peak=0
  ( while kill -0 "$srv" 2>/dev/null; do awk '/VmRSS/{print $2}' /proc/$srv/status; sleep 0.5; done ) >"$work/rss" &
  local sampler=$!
  if [ -n "$hdr" ]; then
    wrk -t2 -c64 -d"$dur" --latency -H "$hdr" "$base$path" >"$work/wrk"
  else
    wrk -t2 -c64 -d"$dur" --latency "$base$path" >"$work/wrk"
  fi
  kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
  peak=$(sort -n "$work/rss" | tail -n 1)
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk")
  p50=$(awk '$1=="50%"{print $2}' "$work/wrk")
  p99=$(awk '$1=="99%"{print $2}' "$work/wrk")
  errs=$(awk '/Non-2xx/{print $4}' "$work/wrk")
  [ -z "$errs" ] || { echo "non-2xx responses: $errs" >&2; cat "$work/wrk" >&2; exit 1; }
  echo "$rps $p50 $p99 $peak"
}

median_of() { # path [header] -> median row by rps
  local i
  for i in $(seq "$runs"); do one "$@"; done | sort -n -k1 | sed -n "$(( (runs + 1) / 2 ))p"
}

report() { # backend label row
  set -- "$1" "$2" $3
  printf '| %s | %s | %.0f | %s | %s | %.1f |\n' "$1" "$2" "$3" "$4" "$5" "$(echo "$6 / 1024" | bc -l)"
}

cases() { # backend
  local row
  row=$(median_of /api/v1/health); report "$1" "GET /api/v1/health" "$row"
  row=$(median_of /api/v1/auth/me "Cookie: $cookie"); report "$1" "GET /api/v1/auth/me (session)" "$row"
}

echo "| backend | request | req/s (median of $runs) | p50 | p99 | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
if [ "$backend" = sqlite ] || [ "$backend" = both ]; then
  start_server "sqlite:$work/bench.db"; cases sqlite; stop_server
fi
if [ "$backend" = postgresql ] || [ "$backend" = both ]; then
  if [ -n "${GANXUN_BENCH_PG:-}" ]; then url=$GANXUN_BENCH_PG; else
    pgdir=$(mktemp -d /tmp/ganxun-bench-pg.XXXXXX) # its own folder: postgres cannot enter $work (0700)
    admin=$(scripts/pg-test-server.sh start "$pgdir" 55471)
    psql "$admin" -qAtc 'CREATE DATABASE ganxun_bench'
    url=${admin%/postgres}/ganxun_bench
  fi
  start_server "$url"; cases postgresql; stop_server
fi
