#!/usr/bin/env bash
# Install what building, running and testing Ganxun needs on Debian 12, and
# nothing that is there already. Usage: scripts/deps.sh [build|test|bench]
set -euo pipefail
what=${1:-build}

build_pkgs="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libssl-dev libzip-dev libexpat1-dev libxlsxwriter-dev unicode-data bzip2 gzip"
test_pkgs="libcmocka-dev postgresql clang libclang-rt-14-dev chromium fonts-noto-cjk sqlite3 unzip"
bench_pkgs="wrk bc time"

pkgs=$build_pkgs
case $what in
  test) pkgs="$pkgs $test_pkgs" ;;
  bench) pkgs="$pkgs $test_pkgs $bench_pkgs" ;;
esac
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  if [ "$(id -u)" != 0 ]; then
    echo "not root: run  sudo apt-get install$missing  first" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
