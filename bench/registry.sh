#!/usr/bin/env bash
# Registry benchmarks (issue: registry, item 9; issue 6, item 8):
#   import 100,000 cadres from .csv (target <= 3 s) and from .xlsx (<= 6 s)
#   ganxun demo --cadres 1000000 (target <= 30 s)
#   with 1,000,000 cadres: name-prefix / pinyin search scoped to a unit
#   subtree (p99 <= 20 ms) and filtered, paginated lists (p99 <= 50 ms on
#   SQLite, <= 100 ms on PostgreSQL)
# Each timing runs RUNS times (default 3) and the median is printed.
#
# Environment:
#   RUNS      runs per case (3)
#   CONNS     wrk connections for the searches (1: latency; 8: throughput)
#   BACKEND   sqlite (default) or postgresql: the engine of the searches
#   PG_ADMIN  admin URL of a PostgreSQL server (BACKEND=postgresql; default:
#             a private one started with scripts/pg-test-server.sh)
#   CITY      --db URL of an existing million-cadre city to search (skips the
#             imports and the demo build; KEY its key file)
#   ONLY      "searches" skips the imports and the demo timing
# Each search row also gives the CPU time per request of the server and, on
# PostgreSQL, of the postgres processes serving it (from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3} bin=${BIN:-build/ganxun} backend=${BACKEND:-sqlite} city=${CITY:-} only=${ONLY:-}
work=$(mktemp -d /tmp/ganxun-bench-reg.XXXXXX)
srv="" pgdir=""
cleanup() {
  [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null
  [ -n "$pgdir" ] && scripts/pg-test-server.sh stop "$pgdir" && rm -rf "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
export GANXUN_KEY_FILE=${KEY:-$work/key}
[ -n "$city" ] && only=searches
if [ "$only" != searches ]; then
  gcc -O2 -o "$work/gen_roster" bench/gen_roster.c -lxlsxwriter
  "$work/gen_roster" 100000 "$work/r.csv" "$work/r.xlsx"
fi

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }

start() { # db
  export GANXUN_DB=$1
  $bin serve --listen 127.0.0.1:0 --threads 2 >"$work/out" 2>"$work/err" &
  srv=$!
  for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$work/out")
}
stop() { kill "$srv"; wait "$srv" 2>/dev/null || true; srv=""; }
login() { # user -> "cookie csrf"
  curl -s -i -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"Yz@Ganxun2026\"}" \
    "$base/api/v1/auth/login" | tr -d '\r' | awk '
      /^Set-Cookie:/ { split($2, a, ";"); c = a[1] }
      /csrf_token/ { match($0, /"csrf_token":"[^"]*"/); t = substr($0, RSTART + 14, RLENGTH - 15) }
      END { print c, t }'
}

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
# CPU ticks of the server plus, on PostgreSQL, of every process of the
# private server's postmaster (backends, walwriter, autovacuum...).
db_cpu() {
  local t
  t=$(cpu_of "$srv")
  if [ -n "$pgdir" ] || [ -n "${PG_PID:-}" ]; then
    local pm=${PG_PID:-$(head -n1 "$pgdir/data/postmaster.pid")}
    for p in $pm $(ps -o pid= --ppid "$pm"); do t=$((t + $(cpu_of "$p" 2>/dev/null || echo 0))); done
  fi
  echo "$t"
}
tck=$(getconf CLK_TCK)

import_once() { # file content-type -> "wall-seconds server-cpu-seconds"
  rm -f "$work/i.db"*
  GANXUN_DB=sqlite:$work/i.db $bin demo >/dev/null
  start "sqlite:$work/i.db"
  read -r cookie csrf < <(login orgadmin)
  local t0 t1 c0 c1
  c0=$(cpu_of "$srv")
  t0=$(date +%s.%N)
  curl -s -o "$work/rep.json" -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H "Content-Type: $2" \
    --data-binary "@$1" "$base/api/v1/cadres/import?dry_run=false"
  t1=$(date +%s.%N)
  c1=$(cpu_of "$srv")
  grep -q '"created":100000' "$work/rep.json" || { echo "import failed: $(head -c 300 "$work/rep.json")" >&2; exit 1; }
  stop
  printf '%.2f %.2f\n' "$(echo "$t1 - $t0" | bc -l)" "$(echo "($c1 - $c0) / $tck" | bc -l)"
}

if [ "$only" != searches ]; then
# Rows: median wall time (and the server's CPU time in that run: on a busy
  # machine it shows what the work costs without the waiting), then all runs.
  echo "| what | median of $runs (server CPU) | runs |"
  echo "|---|---|---|"
  for kind in csv xlsx; do
    ct=text/csv
    [ $kind = xlsx ] && ct=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
    all=$(for i in $(seq "$runs"); do import_once "$work/r.$kind" $ct; done)
    med=$(echo "$all" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    printf '| import 100,000 cadres from .%s (POST /api/v1/cadres/import) | %s s (%s s) | %s |\n' $kind \
      "${med%% *}" "${med##* }" "$(echo "$all" | awk '{printf "%s ", $1}')"
  done
  
  all=$(for i in $(seq "$runs"); do
    rm -f "$work/m.db"*
    GANXUN_DB=sqlite:$work/m.db /usr/bin/time -f '%e %U %S' -o "$work/time" $bin demo --cadres 1000000 >/dev/null
    awk '{printf "%.1f %.1f\n", $1, $2 + $3}' "$work/time"
  done)
  med=$(echo "$all" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '| ganxun demo --cadres 1000000 | %s s (%s s CPU) | %s |\n' "${med%% *}" "${med##* }" "$(echo "$all" | awk '{printf "%s ", $1}')"
  
fi

# searches on the million-cadre city
if [ -z "$city" ] && [ "$backend" = postgresql ]; then
  if [ -z "${PG_ADMIN:-}" ]; then
    pgdir=$(mktemp -d /tmp/ganxun-bench-pg.XXXXXX)
    PG_ADMIN=$(scripts/pg-test-server.sh start "$pgdir" 55472)
  fi
  psql "$PG_ADMIN" -qAtc "DROP DATABASE IF EXISTS ganxun_bench_reg WITH (FORCE)" -c "CREATE DATABASE ganxun_bench_reg"
  city=${PG_ADMIN%/postgres}/ganxun_bench_reg
  $bin --db "$city" demo --cadres 1000000 >/dev/null
elif [ -z "$city" ]; then
  [ -f "$work/m.db" ] || $bin --db "sqlite:$work/m.db" demo --cadres 1000000 >/dev/null
  city=sqlite:$work/m.db
fi
sql1() { # one value from the city's database
  case $city in
  sqlite:*) sqlite3 "${city#sqlite:}" "$1" ;;
  *) psql "$city" -qAtc "$1" ;;
  esac
}
start "$city"
cat >"$work/paths.lua" <<'LUA'
local paths = {}
local i = 0
init = function(args) for _, p in ipairs(args) do paths[#paths + 1] = p end end
request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end
LUA
# Latency: one connection, requests one after another (the time a user waits);
# CONNS=8 measures throughput under load instead.
conns=${CONNS:-1}
echo
echo "| search ($backend, $conns connection(s)) | median of $runs: p99, req/s, CPU per request | p99 of each run |"
echo "|---|---|---|"
wrk_case() { # label user paths...
  local label=$1 user=$2; shift 2
  read -r cookie _ < <(login "$user")
  local rows=""
  for i in $(seq "$runs"); do
    local c0 c1
    c0=$(db_cpu)
    wrk -t1 -c"$conns" -d"${DURATION:-10s}" --timeout 10s --latency -s "$work/paths.lua" -H "Cookie: $cookie" "$base" -- "$@" >"$work/wrk"
    c1=$(db_cpu)
    if grep -q 'Non-2xx' "$work/wrk"; then cat "$work/wrk" >&2; exit 1; fi
    local nreq
    nreq=$(awk '/requests in/{print $1}' "$work/wrk")
    [ "$nreq" -gt 0 ] || nreq=1 # a run with no finished request: its CPU is all on the one in flight
    rows+="$(awk '$1=="99%"{print $2}' "$work/wrk") $(awk '/Requests\/sec/{print $2}' "$work/wrk") $(echo "($c1 - $c0) * 1000 / $tck / $nreq" | bc -l)"$'\n'
  done
  local med
  med=$(echo -n "$rows" | sort -k2 -n | sed -n "$(( (runs + 1) / 2 ))p")
  read -r p99 rps cpu <<<"$med"
  printf '| %s | p99 %s at %.0f req/s, %.2f ms CPU | %s |\n' "$label" "$p99" "$rps" "$cpu" \
    "$(echo -n "$rows" | awk '{printf "%s ", $1}')"
}
q() { printf '/api/v1/cadres?q=%s&page_size=20' "$(printf %s "$1" | od -An -tx1 | tr ' ' % | tr -d '\n')"; }
wrk_case "scoped name-prefix / pinyin search, liaison of 广陵区 (1M cadres)" liaison \
  "$(q 王)" "$(q 李明)" "$(q zj)" "$(q wjg)" "$(q 张)" "$(q cx)" "$(q 刘)" "$(q hy)"
wrk_case "name-prefix search within a county subtree, orgadmin (unit_id=邗江区)" orgadmin \
  "$(q 王)&unit_id=$(sql1 "select id from units where code='321003'")" \
  "$(q zj)&unit_id=$(sql1 "select id from units where code='321084'")"
wrk_case "filtered list: rank levels 131,132 + in service + age <= 45, page 3" orgadmin \
  "/api/v1/cadres?rank_level=131,132&status=1&age_max=45&page=3"
wrk_case "filtered list: young talents in service, by birth date, page 2" orgadmin \
  "/api/v1/cadres?young_talent=true&status=1&sort=birth_date&page=2"
wrk_case "filtered list: top leaders in service, by unit" orgadmin \
  "/api/v1/cadres?top_leader=true&status=1&sort=unit"
wrk_case "filtered list: everyone in service, page 10" orgadmin \
  "/api/v1/cadres?status=1&page=10"
wrk_case "filtered list: everyone, first page of 20" orgadmin \
  "/api/v1/cadres?page_size=20"
wrk_case "filtered list: domains ecology or investment + rank 141, page 5" orgadmin \
  "/api/v1/cadres?domain=ecology,investment&rank_level=141&page=5"
wrk_case "filtered list: domains ecology or investment, in service, liaison of 广陵区 (scoped)" liaison \
  "/api/v1/cadres?domain=ecology,investment&status=1"
# the shapes that took the general path (issue 6, item 8)
wrk_case "filtered list: domains ecology or investment + young talent" orgadmin \
  "/api/v1/cadres?domain=ecology,investment&young_talent=true"
wrk_case "filtered list: domains ecology or investment + age <= 40" orgadmin \
  "/api/v1/cadres?domain=ecology,investment&age_max=40"
wrk_case "filtered list: domains ecology or investment + gender female" orgadmin \
  "/api/v1/cadres?domain=ecology,investment&gender=2"
wrk_case "filtered list: domains ecology or investment + political 13 (masses)" orgadmin \
  "/api/v1/cadres?domain=ecology,investment&political=13"
wrk_case "filtered list: gender female + political 01 (party members), page 3" orgadmin \
  "/api/v1/cadres?gender=2&political=01&page=3"
stop
