#!/usr/bin/env bash
# Runs all of Linli's checks, nothing skipped: the type check, then every vitest project (unit, integration
# against real MariaDB/MySQL + Redis, mini-program components, weapp build check, end to end in Chromium).
#
#   bash scripts/test.sh [extra vitest arguments, e.g. --project unit]
#
# Installs what is missing (pnpm, dependencies, MariaDB, Redis, Chromium and a Chinese font), then exports:
#   TEST_DATABASE_URL  default mysql://linli:linli@127.0.0.1:3306/linli_test (tests create linli_test_<suffix>)
#   TEST_REDIS_URL     default redis://127.0.0.1:6379/15
#   CHROMIUM_PATH      default /usr/bin/chromium
# Exit code: the tests' exit code; if they pass but the type check or lint failed, that one's.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LINLI_ROOT"

ensure_node
ensure_pnpm
ensure_deps

# Services: a TEST_DATABASE_URL / TEST_REDIS_URL given by the user is only checked; otherwise the local
# defaults are installed, started and prepared as for start.sh.
svc_env=(-u DATABASE_URL -u REDIS_URL)
if [[ -n ${TEST_DATABASE_URL:-} && $TEST_DATABASE_URL != "$LINLI_DEFAULT_TEST_DATABASE_URL" ]]; then
  svc_env+=("DATABASE_URL=$TEST_DATABASE_URL")
fi
if [[ -n ${TEST_REDIS_URL:-} && $TEST_REDIS_URL != "$LINLI_DEFAULT_TEST_REDIS_URL" ]]; then
  svc_env+=("REDIS_URL=$TEST_REDIS_URL")
fi
log "checking the database and Redis for the tests"
env "${svc_env[@]}" bash "$LINLI_ROOT/scripts/ensure-services.sh" --for-tests
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-$LINLI_DEFAULT_TEST_DATABASE_URL}
export TEST_REDIS_URL=${TEST_REDIS_URL:-$LINLI_DEFAULT_TEST_REDIS_URL}

# Browser for the end-to-end tests: Debian's Chromium (never `playwright install`, which downloads its own and
# fails here) and a Chinese font (without it Chinese text renders as boxes).
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
has_chinese_font() {
  [[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]] && return 0
  have fc-list && fc-list 2>/dev/null | grep -qi 'WenQuanYi Zen Hei'
}
missing=()
if [[ ! -x $CHROMIUM_PATH ]]; then
  [[ $CHROMIUM_PATH == /usr/bin/chromium ]] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file."
  missing+=(chromium)
fi
has_chinese_font || missing+=(fonts-wqy-zenhei)
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_install "${missing[@]}"
fi
[[ -x $CHROMIUM_PATH ]] || die "no Chromium at $CHROMIUM_PATH after installing the chromium package." \
  "Install Chromium and set CHROMIUM_PATH to its executable."
log "browser: $("$CHROMIUM_PATH" --version 2>/dev/null || echo "$CHROMIUM_PATH")"

# ---------------------------------------------------------------------------------------------------------

set +e
log "pnpm lint (Biome: format and lint; dependency-cruiser: module boundaries)"
pnpm lint
lint_rc=$?
log "pnpm typecheck"
pnpm typecheck
typecheck_rc=$?
log "pnpm test $*"
mkdir -p .artifacts && rm -f .artifacts/vitest.json
pnpm test --reporter=default --reporter=json --outputFile.json=.artifacts/vitest.json "$@"
test_rc=$?
# One closing line any CI can read: "N passed, N failed".
if [[ -f .artifacts/vitest.json ]]; then
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$LINLI_ROOT/.artifacts/vitest.json"
fi
set -e

if [[ $lint_rc -ne 0 ]]; then
  warn "lint failed (exit code $lint_rc)"
fi
if [[ $typecheck_rc -ne 0 ]]; then
  warn "the type check failed (exit code $typecheck_rc)"
fi
if [[ $test_rc -ne 0 ]]; then
  log "tests FAILED (exit code $test_rc)"
  exit "$test_rc"
fi
if [[ $typecheck_rc -ne 0 ]]; then
  log "tests passed, but the type check FAILED"
  exit "$typecheck_rc"
fi
if [[ $lint_rc -ne 0 ]]; then
  log "tests passed, but lint FAILED"
  exit "$lint_rc"
fi
log "lint, type check and tests passed"
