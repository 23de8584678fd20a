#!/usr/bin/env bash
# `make run`: first start creates data/ganxun.db with demo data; then serve.
set -euo pipefail
cd "$(dirname "$0")/.."
export GANXUN_DB=${GANXUN_DB:-sqlite:data/ganxun.db}
export GANXUN_KEY_FILE=${GANXUN_KEY_FILE:-data/ganxun.key}
listen=${LISTEN:-127.0.0.1:8080}
if [ "$GANXUN_DB" = sqlite:data/ganxun.db ] && [ ! -f data/ganxun.db ]; then
  build/ganxun migrate
  build/ganxun demo
fi
cat <<MSG

  干部教育培训管理系统 (Ganxun) — open http://$listen
  demo accounts, password Yz@Ganxun2026:
    sysadmin (系统管理员)  secadmin (安全保密管理员)  auditor (安全审计员)
    orgadmin (组织部)  instadmin (培训机构)  liaison (单位专管员)
    advisor (班主任)  lecturer (教师)  trainee (学员)
  stop with Ctrl-C

MSG
exec build/ganxun serve --listen "$listen"
