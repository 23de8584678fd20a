#!/usr/bin/env bash
# Run each fuzz target briefly from its committed seed corpus
# (tests/fuzz/corpus/NAME/). New inputs go to a scratch folder, so the
# committed corpus changes only by hand. FUZZ_SECONDS sets the time per target.
set -euo pipefail
secs=${FUZZ_SECONDS:-10}
for t in "$@"; do
  name=$(basename "$t")
  seeds=tests/fuzz/corpus/$name
  scratch=build/fuzz/work-$name
  mkdir -p "$scratch"
  [ -d "$seeds" ] || { echo "no seed corpus $seeds" >&2; exit 1; }
  echo "fuzz $name for ${secs}s"
  if ! "$t" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
    "$scratch" "$seeds" >"build/fuzz/$name.log" 2>&1; then
    tail -n 60 "build/fuzz/$name.log" >&2
    echo "fuzz $name FAILED (crash input saved in the working folder)" >&2
    exit 1
  fi
  grep -E 'stat::number_of_executed_units' "build/fuzz/$name.log" || true
done
