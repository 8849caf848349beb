#!/usr/bin/env bash
# Runs Linli locally in demo mode: installs what is missing, prepares MariaDB/MySQL and Redis, migrates and
# seeds the database, builds the H5 app, starts the local WeChat stand-in, the property company's stand-in
# and the BFF.
#
#   bash scripts/start.sh
#
# Environment: PORT (BFF, default 3000), STANDIN_PORT (WeChat stand-in, default 3100), PROPERTY_STANDIN_PORT
# (the property company's stand-in, default 3200; the demo integration's URL is set when it is seeded), DATABASE_URL and
# REDIS_URL (default: local servers, see scripts/ensure-services.sh). A .env file at the repo root is read
# first if it exists (see .env.example). Ctrl-C stops the BFF and the stand-ins; the database and Redis keep
# running.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LINLI_ROOT"

if [[ -f .env ]]; then
  log "reading .env"
  set -a
  # shellcheck disable=SC1091
  source ./.env
  set +a
fi

PORT=${PORT:-3000}
STANDIN_PORT=${STANDIN_PORT:-3100}
PROPERTY_STANDIN_PORT=${PROPERTY_STANDIN_PORT:-3200}
export PROPERTY_STANDIN_PORT
# The demo integration (示例物业 ↔ 阳光花园) created by the demo seed (bff/src/db/seed-demo.ts): a FIXED, PUBLIC
# development id and secret that exist only in demo databases (the seed refuses production).
DEMO_PROPERTY_INTEGRATION_ID=int_demo_property
DEMO_PROPERTY_SECRET='whsec_bGlubGktZGVtby1wcm9wZXJ0eS1zdGFuZGluLWtleSE='
export DATABASE_URL=${DATABASE_URL:-$LINLI_DEFAULT_DATABASE_URL}
export REDIS_URL=${REDIS_URL:-$LINLI_DEFAULT_REDIS_URL}
H5_DIST="$LINLI_ROOT/miniprogram/dist/h5"

ensure_node
ensure_pnpm
ensure_deps

log "checking the database and Redis"
bash "$LINLI_ROOT/scripts/ensure-services.sh"

for p in "$PORT" "$STANDIN_PORT" "$PROPERTY_STANDIN_PORT"; do
  if port_open 127.0.0.1 "$p"; then
    die "port $p is already in use (is Linli already running?)." \
      "Stop what uses it, or choose other ports: PORT=3001 STANDIN_PORT=3101 PROPERTY_STANDIN_PORT=3201 bash scripts/start.sh"
  fi
done

# Development settings for the BFF and the stand-in (which reads the same config).
export NODE_ENV=development DEMO_MODE=true

log "applying database migrations (pnpm --filter @linli/bff db:migrate)"
pnpm --filter @linli/bff db:migrate
log "seeding the demo community if the database is empty (pnpm --filter @linli/bff db:seed)"
pnpm --filter @linli/bff db:seed

# The one way the served demo app is built (the end-to-end tests use it too): production mode whatever
# NODE_ENV the BFF runs with, demo login on, API on the same origin.
log "building the H5 app (pnpm --filter @linli/miniprogram build:h5:demo)"
pnpm --filter @linli/miniprogram build:h5:demo
[[ -f $H5_DIST/index.html ]] || die "the H5 build did not produce $H5_DIST/index.html."

# ---------------------------------------------------------------------------------------------------------
# Background processes: each in its own session (setsid), so that stopping one stops its whole process tree
# (pnpm → tsx → node) and Ctrl-C reaches only this script, which then stops them in order.

CHILDREN=()
start_child() {
  if have setsid; then
    setsid "$@" &
  else
    "$@" &
  fi
  CHILDREN+=("$!")
}

stopping=0
# shellcheck disable=SC2317 # called from the traps
stop_children() {
  [[ $stopping -eq 1 ]] && return 0
  stopping=1
  local pid i alive
  for pid in "${CHILDREN[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < 20; i++)); do
    alive=0
    for pid in "${CHILDREN[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.5
  done
  for pid in "${CHILDREN[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  done
}
trap stop_children EXIT
trap 'log "stopping"; stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM

log "starting the WeChat stand-in on http://127.0.0.1:$STANDIN_PORT"
start_child env WECHAT_STANDIN_PORT="$STANDIN_PORT" pnpm --filter @linli/bff wechat-standin
STANDIN_PID=$!
wait_for_port 127.0.0.1 "$STANDIN_PORT" 60 "$STANDIN_PID" ||
  die "the WeChat stand-in did not start on port $STANDIN_PORT (see its output above)."

log "starting the property company's stand-in on http://127.0.0.1:$PROPERTY_STANDIN_PORT"
start_child env PROPERTY_STANDIN_PORT="$PROPERTY_STANDIN_PORT" PROPERTY_STANDIN_BFF="http://127.0.0.1:$PORT" \
  PROPERTY_STANDIN_INTEGRATION_ID="$DEMO_PROPERTY_INTEGRATION_ID" PROPERTY_STANDIN_SECRET="$DEMO_PROPERTY_SECRET" \
  pnpm --filter @linli/bff property-standin
PROPERTY_STANDIN_PID=$!
wait_for_port 127.0.0.1 "$PROPERTY_STANDIN_PORT" 60 "$PROPERTY_STANDIN_PID" ||
  die "the property stand-in did not start on port $PROPERTY_STANDIN_PORT (see its output above)."

# WEBHOOK_ALLOW_PRIVATE_URLS: the demo integration delivers to the stand-in on 127.0.0.1 over http (refused in
# production, where outbound URLs must be public https).
log "starting the BFF on http://0.0.0.0:$PORT"
start_child env WECHAT_API_BASE="http://127.0.0.1:$STANDIN_PORT" H5_DIST_DIR="$H5_DIST" WEBHOOK_ALLOW_PRIVATE_URLS=true \
  PORT="$PORT" HOST=0.0.0.0 pnpm --filter @linli/bff start
BFF_PID=$!
wait_for_http "http://127.0.0.1:$PORT/readyz" 120 "$BFF_PID" ||
  die "the BFF did not become ready at http://127.0.0.1:$PORT/readyz (see its output above)."

cat <<EOF

[linli] Linli is running (demo mode). Open:
          H5 app     http://localhost:$PORT/
          API docs   http://localhost:$PORT/docs
          health     http://localhost:$PORT/healthz   http://localhost:$PORT/readyz
          物业替身   http://localhost:$PROPERTY_STANDIN_PORT/   (the property company's system: requests arrive here)

        Demo accounts of the community 阳光花园 (choose one on the H5 login page):
          李明     new resident
          王秀英   owner on the roster, phone 13800000001
          刘芳     verified owner of 1栋 102 (can vote)
          周强     verified owner of 1栋 103 (can vote)
          陈建国   owners' committee member (业委会), owner of 2栋 301
          赵敏     community worker (社区工作者)

        What is going on, and what to try (README has more):
          1. 刘芳: 首页 shows an open owners' vote on 1栋's roof — read the notice, vote, keep the
             receipt. 服务 → 我的报修: her leak is fixed, confirm and rate it. 消息 has all she was told.
          2. 刘芳: file a repair request with a photo → it arrives at the property stand-in
             (http://localhost:$PROPERTY_STANDIN_PORT/) → press 受理, 开始处理, 已解决 there → she sees each step.
          3. 陈建国: 我的 → 审核住户绑定申请: three claims on 1栋 202 side by side with their papers.
             议事 → 表决管理: draft and publish a vote (short notice must be confirmed with a reason).
          4. 李明: bind a flat as family with a photo of the owner's contract: it waits for review.
             王秀英: bind the phone 13800000001, then 1栋-101 as owner: verified at once (roster).
          5. 赵敏: 我的 → 管理角色. Care mode (大字): the switch on 首页.

        Ctrl-C stops the BFF and the stand-ins (the database and Redis keep running).

EOF

set +e
wait "$BFF_PID"
rc=$?
set -e
log "the BFF exited (code $rc)"
exit "$rc"
