# shellcheck shell=bash
# Helpers shared by Linli's scripts (start.sh, test.sh, ensure-services.sh). Source it, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Everything here is idempotent: calling a function twice changes nothing the second time.
# shellcheck disable=SC2034 # the settings and result variables below are read by the scripts that source this

LINLI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# git-ignored: local database, Redis, logs, a private pnpm if needed
LINLI_DATA=${LINLI_DATA:-"$LINLI_ROOT/.data"}

# Local defaults (used when DATABASE_URL / REDIS_URL are not set). LINLI_DATA, LINLI_DB_PORT and
# LINLI_REDIS_PORT may be overridden from the environment, e.g. to try the scripts beside running servers.
LINLI_DB_NAME=linli
LINLI_DB_USER=linli
LINLI_DB_PASSWORD=linli
LINLI_DB_HOST=127.0.0.1
LINLI_DB_PORT=${LINLI_DB_PORT:-3306}
LINLI_DEFAULT_DATABASE_URL="mysql://$LINLI_DB_USER:$LINLI_DB_PASSWORD@$LINLI_DB_HOST:$LINLI_DB_PORT/$LINLI_DB_NAME"
LINLI_REDIS_PORT=${LINLI_REDIS_PORT:-6379}
LINLI_DEFAULT_REDIS_URL="redis://127.0.0.1:$LINLI_REDIS_PORT/0"
LINLI_DEFAULT_TEST_DATABASE_URL="mysql://$LINLI_DB_USER:$LINLI_DB_PASSWORD@$LINLI_DB_HOST:$LINLI_DB_PORT/linli_test"
LINLI_DEFAULT_TEST_REDIS_URL="redis://127.0.0.1:$LINLI_REDIS_PORT/15"

# ---------------------------------------------------------------------------------------------------------
# Messages

log() { printf '[linli] %s\n' "$*"; }
warn() { printf '[linli] WARNING: %s\n' "$*" >&2; }
# die "one-line reason" ["further line" ...]: prints every line, then exits 1.
die() {
  printf '[linli] ERROR: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '[linli]   %s\n' "$line" >&2; done
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------------------
# Privileges and apt

# True when we are root, or sudo can be used (with a password prompt only when stdin is a terminal).
can_be_root() {
  [[ $EUID -eq 0 ]] && return 0
  have sudo || return 1
  [[ -t 0 ]] && return 0
  sudo -n true 2>/dev/null
}

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif [[ -t 0 ]]; then
    sudo "$@"
  else
    sudo -n "$@"
  fi
}

# apt_install PACKAGE...: installs Debian/Ubuntu packages non-interactively (apt-get update once per run).
# Without root or sudo, stops and prints the command to run.
apt_install() {
  local pkgs="$*"
  if ! have apt-get; then
    die "apt-get not found: install $pkgs with your system's package manager, then run this again."
  fi
  if ! can_be_root; then
    die "installing $pkgs needs root. Run this, then run this script again:" \
      "sudo apt-get update && sudo apt-get install -y $pkgs"
  fi
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
  if [[ -z ${LINLI_APT_UPDATED:-} ]]; then
    log "apt-get update"
    as_root "${apt[@]}" -qq update || warn "apt-get update failed; trying the install anyway"
    export LINLI_APT_UPDATED=1
  fi
  log "apt-get install -y $pkgs (this can take a few minutes)"
  as_root "${apt[@]}" -q -y install "$@" ||
    die "apt-get install -y $pkgs failed (see the output above)." \
      "Install it by hand (sudo apt-get install -y $pkgs) and run this script again."
  hash -r
}

# ---------------------------------------------------------------------------------------------------------
# Node, pnpm, dependencies

ensure_node() {
  have node || die "Node.js 20 or newer is required and 'node' is not on PATH." \
    "Install Node.js 20+ (https://nodejs.org or your distribution's nodejs package) and run this again."
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [[ $major -ge 20 ]] || die "Node.js 20 or newer is required (found $(node --version))."
  have npm || die "npm is missing (it normally comes with Node.js): install it and run this again."
}

# The pnpm the lockfile was written with. Not a "packageManager" pin: pnpm 12 then tries to resolve an
# @pnpm/exe build the registry does not publish for that version, and fails now and then.
LINLI_PNPM_VERSION=12.21.0
wanted_pnpm_version() { printf '%s\n' "$LINLI_PNPM_VERSION"; }

pnpm_version_of() { "$1" --version 2>/dev/null | head -n 1 || true; }

# Makes `pnpm` on PATH the pinned version. A missing pnpm is installed globally with npm (corepack does not
# work on these machines); if that is not possible, or another pnpm version is installed, the pinned one goes
# into .data/tools and is put first on PATH (the global one is left alone).
ensure_pnpm() {
  local want tools current
  want=$(wanted_pnpm_version)
  tools="$LINLI_DATA/tools"
  if [[ -x $tools/bin/pnpm && $(pnpm_version_of "$tools/bin/pnpm") == "$want" ]]; then
    export PATH="$tools/bin:$PATH"
  fi
  current=""
  have pnpm && current=$(pnpm_version_of pnpm)
  [[ $current == "$want" ]] && return 0

  if [[ -z $current ]]; then
    log "installing pnpm@$want (npm i -g pnpm@$want)"
    if npm i -g "pnpm@$want" --no-fund --no-audit --loglevel=error; then
      hash -r
      have pnpm && [[ $(pnpm_version_of pnpm) == "$want" ]] && return 0
    fi
    warn "the global install did not give pnpm $want on PATH; installing it into .data/tools instead"
  else
    log "pnpm $current is installed but the project pins $want: installing $want into .data/tools"
  fi
  mkdir -p "$tools"
  npm i -g --prefix "$tools" "pnpm@$want" --no-fund --no-audit --loglevel=error ||
    die "could not install pnpm@$want with npm (is the npm registry reachable?)." \
      "Install it by hand: npm i -g pnpm@$want"
  export PATH="$tools/bin:$PATH"
  hash -r
  [[ $(pnpm_version_of pnpm) == "$want" ]] || die "pnpm $want is still not the one on PATH (found: $(pnpm_version_of pnpm))."
}

# Installs the workspace's dependencies (exactly as locked when pnpm-lock.yaml exists).
ensure_deps() {
  cd "$LINLI_ROOT" || return 1
  if [[ -f pnpm-lock.yaml ]]; then
    log "pnpm install --frozen-lockfile"
    pnpm install --frozen-lockfile ||
      die "pnpm install --frozen-lockfile failed." \
        "If it says the lockfile is out of date: run 'pnpm install' and commit pnpm-lock.yaml."
  else
    log "pnpm install (no pnpm-lock.yaml yet)"
    pnpm install || die "pnpm install failed (see the output above)."
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Network helpers

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# wait_for_port HOST PORT SECONDS [PID]: waits until the port accepts connections; fails early if PID dies.
wait_for_port() {
  local host=$1 port=$2 secs=$3 pid=${4:-} i
  for ((i = 0; i < secs * 2; i++)); do
    port_open "$host" "$port" && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.5
  done
  return 1
}

# wait_for_http URL SECONDS [PID]: waits for a 2xx answer; fails early if PID dies.
wait_for_http() {
  local url=$1 secs=$2 pid=${3:-} i
  for ((i = 0; i < secs; i++)); do
    if node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url" 2>/dev/null; then
      return 0
    fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 1
  done
  return 1
}

# parse_url URL: sets URL_SCHEME URL_HOST URL_PORT URL_USER URL_PASS URL_DB (percent-decoded; URL_PORT empty
# when the URL has none). Fails on a malformed URL.
parse_url() {
  local out
  out=$(node -e '
    const u = new URL(process.argv[1])
    const d = (s) => decodeURIComponent(s)
    console.log([u.protocol.replace(/:$/, ""), u.hostname.replace(/^\[|\]$/g, ""), u.port, d(u.username),
      d(u.password), d(u.pathname.replace(/^\//, ""))].join("\n"))' "$1" 2>/dev/null) || return 1
  {
    IFS= read -r URL_SCHEME
    IFS= read -r URL_HOST
    IFS= read -r URL_PORT
    IFS= read -r URL_USER
    IFS= read -r URL_PASS
    IFS= read -r URL_DB
  } <<<"$out"
}

# redis_ping HOST PORT [USER] [PASSWORD]: true when a Redis server answers PING (AUTH first if a password is
# given); prints the server's error otherwise. Speaks RESP over bash's /dev/tcp, so no redis-cli is needed.
redis_ping() {
  # shellcheck disable=SC2016 # the script is for the inner bash
  timeout 5 bash -c '
    host=$1 port=$2 user=$3 pass=$4
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    resp() {
      local a
      printf "*%d\r\n" "$#" >&3
      for a in "$@"; do printf "\$%d\r\n%s\r\n" "${#a}" "$a" >&3; done
    }
    answer() { IFS= read -r line <&3 || exit 1; line=${line%%[[:cntrl:]]}; [[ $line == "$1"* ]] || { echo "$line" >&2; exit 2; }; }
    if [[ -n $pass ]]; then
      if [[ -n $user ]]; then resp AUTH "$user" "$pass"; else resp AUTH "$pass"; fi
      answer +OK
    fi
    resp PING
    answer +PONG
  ' _ "$1" "$2" "${3:-}" "${4:-}"
}

# ---------------------------------------------------------------------------------------------------------
# MySQL / MariaDB

# The command-line client: mariadb, else mysql. Prints its name; fails when neither is installed.
mysql_cli() {
  if have mariadb; then
    echo mariadb
  elif have mysql; then
    echo mysql
  else
    return 1
  fi
}

ensure_mysql_cli() {
  mysql_cli >/dev/null || apt_install mariadb-client
  mysql_cli >/dev/null || die "no mariadb/mysql client after installing mariadb-client."
}

# The unix socket of the repo's local MariaDB (.data/mysql.sock; a short /tmp path when the repo path is too
# long for a unix socket).
local_mysql_socket() {
  local sock="$LINLI_DATA/mysql.sock"
  if [[ ${#sock} -gt 100 ]]; then sock="/tmp/linli-mysql-$(id -u).sock"; fi
  printf '%s\n' "$sock"
}

# find_mysql_root HOST PORT: sets the array MYSQL_ROOT to a client command that is an administrator on the
# server at HOST:PORT. Tries, in order: TCP as root with an empty password (then $MYSQL_ROOT_PASSWORD if set),
# the system's unix socket as root (MariaDB's unix_socket auth; through sudo when not root), the repo's
# .data socket. A socket only counts when its server is the one on PORT. Fails when none works.
MYSQL_ROOT=()
find_mysql_root() {
  local host=$1 port=$2 cli sock
  cli=$(mysql_cli) || return 1
  sock=$(local_mysql_socket)
  try_root() { # try_root CHECK_PORT CMD...
    local check=$1 got
    shift
    got=$("$@" -N -B -e 'SELECT @@port' 2>/dev/null) || return 1
    if [[ $check == yes && $got != "$port" ]]; then return 1; fi
    MYSQL_ROOT=("$@")
  }
  try_root no env -u MYSQL_PWD "$cli" --protocol=TCP -h "$host" -P "$port" -uroot --password= && return 0
  if [[ -n ${MYSQL_ROOT_PASSWORD:-} ]]; then
    try_root no env "MYSQL_PWD=$MYSQL_ROOT_PASSWORD" "$cli" --protocol=TCP -h "$host" -P "$port" -uroot && return 0
  fi
  case $host in 127.0.0.1 | localhost | ::1) ;; *) return 1 ;; esac
  if [[ $EUID -eq 0 ]]; then
    try_root yes env -u MYSQL_PWD "$cli" -uroot && return 0
  elif have sudo && sudo -n true 2>/dev/null; then
    try_root yes sudo -n "$cli" -uroot && return 0
  fi
  [[ -S $sock ]] && try_root yes env -u MYSQL_PWD "$cli" --socket="$sock" -uroot --password= && return 0
  return 1
}

# mysql_as USER PASSWORD HOST PORT [DB] -- runs the client with the given account over TCP; pass -e 'SQL'.
mysql_as() {
  local user=$1 pass=$2 host=$3 port=$4 db=$5 cli
  shift 5
  cli=$(mysql_cli) || return 1
  env "MYSQL_PWD=$pass" "$cli" --protocol=TCP -h "$host" -P "$port" -u "$user" "$@" ${db:+"$db"}
}

find_mariadb_install_db() {
  if have mariadb-install-db; then
    echo mariadb-install-db
  elif have mysql_install_db; then
    echo mysql_install_db
  else
    return 1
  fi
}

# start_local_mariadb DATADIR PORT SOCKET: initialises DATADIR on first use (root may log in over TCP from
# 127.0.0.1 with an empty password; it listens on 127.0.0.1 only) and starts mariadbd in the background,
# detached, with DATADIR.pid and DATADIR.log beside DATADIR. Waits until it accepts connections.
# As root the server runs as root (--user=root), so the repo may live anywhere (e.g. under /root).
start_local_mariadb() {
  local datadir=$1 port=$2 sock=$3 install_db
  local pidfile="${datadir%/}.pid" logfile="${datadir%/}.log"
  local -a user_args=()
  [[ $EUID -eq 0 ]] && user_args=(--user=root)
  have mariadbd || die "mariadbd is not installed."
  mkdir -p "$datadir"
  if [[ ! -d $datadir/mysql ]]; then
    install_db=$(find_mariadb_install_db) || die "mariadb-install-db not found (package mariadb-server)."
    log "initialising a local MariaDB in $datadir"
    if ! "$install_db" --no-defaults --datadir="$datadir" "${user_args[@]}" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >"$logfile" 2>&1; then
      tail -n 20 "$logfile" >&2 || true
      die "mariadb-install-db failed (log: $logfile)."
    fi
  fi
  local pid=""
  [[ -f $pidfile ]] && pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    log "local MariaDB already started (pid $pid); waiting for it"
  else
    log "starting a local MariaDB on 127.0.0.1:$port (data $datadir, log $logfile)"
    rm -f "$sock"
    local -a cmd=(mariadbd --no-defaults --datadir="$datadir" --socket="$sock" --port="$port"
      --bind-address=127.0.0.1 --pid-file="$pidfile" --log-error="$logfile" "${user_args[@]}"
      --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci)
    # Detached (own session), so it outlives this script and Ctrl-C; setsid and nohup exec, so $! is mariadbd.
    if have setsid; then
      setsid nohup "${cmd[@]}" </dev/null >/dev/null 2>&1 &
    else
      nohup "${cmd[@]}" </dev/null >/dev/null 2>&1 &
    fi
    pid=$!
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    if port_open 127.0.0.1 "$port" && [[ -S $sock ]]; then
      log "local MariaDB is up on 127.0.0.1:$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$logfile" >&2 || true
  die "the local MariaDB did not start (log: $logfile)."
}

# stop_local_mariadb DATADIR: stops a server started by start_local_mariadb (waits for it to exit).
stop_local_mariadb() {
  local pidfile="${1%/}.pid" pid i
  [[ -f $pidfile ]] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  warn "MariaDB (pid $pid) is still running after 30 s"
  return 1
}

# ---------------------------------------------------------------------------------------------------------
# Redis

# start_local_redis DIR PORT: starts redis-server daemonized on 127.0.0.1:PORT, nothing kept on disk, with
# DIR.pid and DIR.log beside DIR. Waits until it answers PING.
start_local_redis() {
  local dir=$1 port=$2
  local pidfile="${dir%/}.pid" logfile="${dir%/}.log"
  have redis-server || die "redis-server is not installed."
  mkdir -p "$dir"
  log "starting a local Redis on 127.0.0.1:$port (log $logfile)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --pidfile "$pidfile" --logfile "$logfile" ||
    die "redis-server failed to start (log: $logfile)."
  local i
  for ((i = 0; i < 60; i++)); do
    if redis_ping 127.0.0.1 "$port" 2>/dev/null; then
      log "local Redis is up on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.5
  done
  tail -n 20 "$logfile" >&2 || true
  die "the local Redis did not answer within 30 s (log: $logfile)."
}
