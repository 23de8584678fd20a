#!/usr/bin/env bash
# The whole test suite (called by `make test` after the builds):
#   1. C unit tests (cmocka, with ASan + UBSan)
#   2. each fuzz target, briefly, from its committed seed corpus
#   3. black-box API tests on SQLite and PostgreSQL, against the normal
#      build and the sanitizer build
#   4. browser tests (playwright-core driving Debian's chromium)
# A PostgreSQL server is started here unless GANXUN_TEST_PG names one.
set -uo pipefail
cd "$(dirname "$0")/.."
export GANXUN_SCRYPT_LN=${GANXUN_SCRYPT_LN:-12}
results=build/test-results
rm -rf "$results" && mkdir -p "$results"
failed_steps=()
pass=0 fail=0

step() { # name command...
  local name=$1; shift
  echo "=== $name"
  if "$@" 2>&1 | tee "$results/$name.log"; then :; else failed_steps+=("$name"); fi
  # node's runner prints "# pass N" / "# fail N"; cmocka "[  PASSED  ] N test(s)."
  local p f
  p=$(grep -E '^# pass [0-9]+' "$results/$name.log" | tail -n 1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$results/$name.log" | tail -n 1 | awk '{print $3}')
  if [ -z "$p" ]; then
    p=$(grep -E '^\[  PASSED  \] [0-9]+' "$results/$name.log" | tail -n 1 | awk '{print $4}')
    f=$(grep -E '^\[  FAILED  \] [0-9]+' "$results/$name.log" | tail -n 1 | awk '{print $4}')
  fi
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
}

started_pg=""
if [ -z "${GANXUN_TEST_PG:-}" ]; then
  pgdir=$(mktemp -d /tmp/ganxun-pg.XXXXXX)
  port=$((20000 + RANDOM % 20000))
  if GANXUN_TEST_PG=$(scripts/pg-test-server.sh start "$pgdir" "$port"); then
    export GANXUN_TEST_PG; started_pg=$pgdir
  else
    echo "cannot start PostgreSQL for the tests" >&2; failed_steps+=(postgresql)
  fi
fi
trap '[ -n "$started_pg" ] && scripts/pg-test-server.sh stop "$started_pg"' EXIT

step unit make -s unit
step fuzz make -s fuzz
step api-sqlite env GANXUN_BIN=build/ganxun GANXUN_TEST_DB=sqlite node --test tests/api/
step api-postgresql env GANXUN_BIN=build/ganxun GANXUN_TEST_DB=postgresql node --test tests/api/
step api-asan-sqlite env GANXUN_BIN=build/asan/ganxun GANXUN_TEST_DB=sqlite node --test tests/api/
step api-asan-postgresql env GANXUN_BIN=build/asan/ganxun GANXUN_TEST_DB=postgresql node --test tests/api/
step e2e env GANXUN_BIN=build/ganxun node --test --test-concurrency=1 tests/e2e/

echo
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "FAILED steps: ${failed_steps[*]}"
  echo "make test: $pass passed, $((fail > 0 ? fail : 1)) failed"
  exit 1
fi
echo "make test: $pass passed, $fail failed"
