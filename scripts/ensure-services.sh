#!/usr/bin/env bash
# Makes sure a MySQL-compatible database and Redis are reachable for Linli.
#
#   bash scripts/ensure-services.sh [--for-tests]
#
# DATABASE_URL / REDIS_URL set (to anything but the local defaults): only checks that they answer.
# Otherwise uses the local defaults (mysql://linli:linli@127.0.0.1:3306/linli, redis://127.0.0.1:6379/0):
#   - if nothing listens on 127.0.0.1:3306, installs mariadb-server when needed (apt) and starts a local
#     instance with its data in .data/mysql (pid and log in .data/); same for Redis on 6379 (.data/redis);
#     whatever already listens there is used as it is;
#   - creates, idempotently, the database `linli` (and `linli_test`) and the user linli/linli with all rights on
#     `linli` and on the per-test-file databases `linli_test_*`.
# --for-tests also checks that the linli user may create `linli_test_*` databases.
# Started servers keep running after this script (stop them with the commands in README.md).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LINLI_ROOT"

FOR_TESTS=0
for arg in "$@"; do
  case $arg in
    --for-tests) FOR_TESTS=1 ;;
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument: $arg (expected --for-tests)" ;;
  esac
done

ensure_node

# ---------------------------------------------------------------------------------------------------------
# Database

# shellcheck disable=SC2016 # backticks quote SQL identifiers
app_database_sql() {
  local u=$LINLI_DB_USER p=$LINLI_DB_PASSWORD db=$LINLI_DB_NAME host
  printf 'CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n' "$db"
  printf 'CREATE DATABASE IF NOT EXISTS `%s_test` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n' "$db"
  # MariaDB may see a TCP client from 127.0.0.1 as 'localhost' (or not, with skip-name-resolve): create all.
  for host in localhost 127.0.0.1 %; do
    printf "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '%s';\n" "$u" "$host" "$p"
    printf "GRANT ALL PRIVILEGES ON \`%s\`.* TO '%s'@'%s';\n" "$db" "$u" "$host"
    printf "GRANT ALL PRIVILEGES ON \`%s\\\\_test\`.* TO '%s'@'%s';\n" "$db" "$u" "$host"
    printf "GRANT ALL PRIVILEGES ON \`%s\\\\_test\\\\_%%\`.* TO '%s'@'%s';\n" "$db" "$u" "$host"
  done
  printf 'FLUSH PRIVILEGES;\n'
}

linli_can_log_in() {
  mysql_as "$LINLI_DB_USER" "$LINLI_DB_PASSWORD" "$LINLI_DB_HOST" "$LINLI_DB_PORT" "$LINLI_DB_NAME" \
    -N -B -e 'SELECT 1' >/dev/null 2>&1
}

# True when the linli user may create and drop a `linli_test_*` database (what each test file does).
linli_can_create_test_databases() {
  local probe="${LINLI_DB_NAME}_test_probe_$$"
  mysql_as "$LINLI_DB_USER" "$LINLI_DB_PASSWORD" "$LINLI_DB_HOST" "$LINLI_DB_PORT" "" \
    -e "CREATE DATABASE IF NOT EXISTS \`$probe\`; DROP DATABASE \`$probe\`;" >/dev/null 2>&1
}

# A MySQL-compatible server on 127.0.0.1:3306: the one already listening, or a local MariaDB in .data/mysql.
ensure_local_database_server() {
  if port_open "$LINLI_DB_HOST" "$LINLI_DB_PORT"; then
    log "database: using the server already listening on $LINLI_DB_HOST:$LINLI_DB_PORT"
    return 0
  fi
  log "database: nothing listens on $LINLI_DB_HOST:$LINLI_DB_PORT"
  if ! have mariadbd || ! find_mariadb_install_db >/dev/null; then
    apt_install mariadb-server mariadb-client
    # The package's own service may have started on 3306 during the install: then use that one.
    if wait_for_port "$LINLI_DB_HOST" "$LINLI_DB_PORT" 5; then
      log "database: the freshly installed MariaDB service is listening; using it"
      return 0
    fi
  fi
  start_local_mariadb "$LINLI_DATA/mysql" "$LINLI_DB_PORT" "$(local_mysql_socket)"
}

manual_database_help() {
  local sqlfile="$LINLI_DATA/linli-db-setup.sql"
  mkdir -p "$LINLI_DATA"
  app_database_sql >"$sqlfile"
  die "could not prepare the database: no administrator access to the server on $LINLI_DB_HOST:$LINLI_DB_PORT" \
    "(tried root over TCP with an empty password${MYSQL_ROOT_PASSWORD:+ and with \$MYSQL_ROOT_PASSWORD}, root over the unix socket, $(local_mysql_socket))." \
    "Run this as an administrator of that server, then run this script again:" \
    "  sudo mariadb -uroot < $sqlfile        (or: mysql -uroot -p < $sqlfile)" \
    "or set MYSQL_ROOT_PASSWORD=<root password> for this script, or point DATABASE_URL at a database you prepared."
}

prepare_local_database() {
  ensure_mysql_cli
  if find_mysql_root "$LINLI_DB_HOST" "$LINLI_DB_PORT"; then
    app_database_sql | "${MYSQL_ROOT[@]}" ||
      die "creating the database and user failed (see the message above)."
    log "database: '$LINLI_DB_NAME' and user '$LINLI_DB_USER' ready (grants on ${LINLI_DB_NAME}_test_*)"
  elif linli_can_log_in; then
    log "database: no administrator access, but user '$LINLI_DB_USER' can use '$LINLI_DB_NAME'; using it"
  else
    manual_database_help
  fi
  linli_can_log_in || die "user '$LINLI_DB_USER' cannot log in to '$LINLI_DB_NAME' on $LINLI_DB_HOST:$LINLI_DB_PORT." \
    "If that user existed before with another password: ALTER USER '$LINLI_DB_USER'@'%' IDENTIFIED BY '$LINLI_DB_PASSWORD';" \
    "or set DATABASE_URL to an account that works."
  if [[ $FOR_TESTS -eq 1 ]] && ! linli_can_create_test_databases; then
    die "user '$LINLI_DB_USER' may not create the tests' databases (${LINLI_DB_NAME}_test_*)." \
      "As an administrator of the server run:" \
      "  GRANT ALL PRIVILEGES ON \`${LINLI_DB_NAME}\\_test\\_%\`.* TO '$LINLI_DB_USER'@'%';" \
      "(with docker compose: docker compose exec mysql mysql -uroot -plinli-root -e \"GRANT ALL PRIVILEGES ON \\\`linli\\_test\\_%\\\`.* TO 'linli'@'%'\")"
  fi
  return 0
}

# DATABASE_URL given by the user: check only that it answers (and accepts the account, when a client exists).
check_database_url() {
  local url=$1
  parse_url "$url" || die "DATABASE_URL is not a valid URL: $url"
  [[ $URL_SCHEME == mysql ]] || die "DATABASE_URL must start with mysql:// (got $URL_SCHEME://)."
  local port=${URL_PORT:-3306}
  port_open "$URL_HOST" "$port" ||
    die "DATABASE_URL points at $URL_HOST:$port, but nothing answers there." \
      "Start that database, or unset DATABASE_URL to use a local one (mysql://linli:linli@127.0.0.1:3306/linli)."
  if mysql_cli >/dev/null; then
    local err
    if ! err=$(mysql_as "$URL_USER" "$URL_PASS" "$URL_HOST" "$port" "$URL_DB" -N -B -e 'SELECT 1' 2>&1 >/dev/null); then
      # The database itself may be missing (tests create theirs): accept a server that lets the account in.
      if [[ $err == *"Unknown database"* ]] && mysql_as "$URL_USER" "$URL_PASS" "$URL_HOST" "$port" "" -e 'SELECT 1' >/dev/null 2>&1; then
        log "database: $URL_HOST:$port accepts $URL_USER (database '$URL_DB' does not exist yet)"
        return 0
      fi
      die "DATABASE_URL: $URL_HOST:$port answers but refuses the connection: ${err//$'\n'/ }"
    fi
    log "database: $URL_HOST:$port/$URL_DB reachable as $URL_USER"
  else
    log "database: $URL_HOST:$port reachable (account not checked: no mariadb/mysql client installed)"
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Redis

ensure_local_redis() {
  if port_open 127.0.0.1 "$LINLI_REDIS_PORT"; then
    local err
    err=$(redis_ping 127.0.0.1 "$LINLI_REDIS_PORT" 2>&1) ||
      die "something listens on 127.0.0.1:$LINLI_REDIS_PORT but does not answer Redis PING without a password: ${err:-no answer}" \
        "Set REDIS_URL (e.g. redis://:password@127.0.0.1:$LINLI_REDIS_PORT/0) or free the port."
    log "redis: using the server already listening on 127.0.0.1:$LINLI_REDIS_PORT"
    return 0
  fi
  log "redis: nothing listens on 127.0.0.1:$LINLI_REDIS_PORT"
  if ! have redis-server; then
    apt_install redis-server
    if wait_for_port 127.0.0.1 "$LINLI_REDIS_PORT" 5 && redis_ping 127.0.0.1 "$LINLI_REDIS_PORT" 2>/dev/null; then
      log "redis: the freshly installed Redis service is listening; using it"
      return 0
    fi
  fi
  start_local_redis "$LINLI_DATA/redis" "$LINLI_REDIS_PORT"
}

check_redis_url() {
  local url=$1
  parse_url "$url" || die "REDIS_URL is not a valid URL: $url"
  case $URL_SCHEME in redis | rediss) ;; *) die "REDIS_URL must start with redis:// or rediss:// (got $URL_SCHEME://)." ;; esac
  local port=${URL_PORT:-6379}
  port_open "$URL_HOST" "$port" ||
    die "REDIS_URL points at $URL_HOST:$port, but nothing answers there." \
      "Start that Redis, or unset REDIS_URL to use a local one (redis://127.0.0.1:6379/0)."
  if [[ $URL_SCHEME == rediss ]]; then
    log "redis: $URL_HOST:$port reachable (TLS; PING not checked)"
    return 0
  fi
  local err
  err=$(redis_ping "$URL_HOST" "$port" "$URL_USER" "$URL_PASS" 2>&1) ||
    die "REDIS_URL: $URL_HOST:$port did not accept PING: ${err:-no answer}"
  log "redis: $URL_HOST:$port reachable"
}

# ---------------------------------------------------------------------------------------------------------

if [[ -n ${DATABASE_URL:-} && $DATABASE_URL != "$LINLI_DEFAULT_DATABASE_URL" ]]; then
  check_database_url "$DATABASE_URL"
else
  ensure_local_database_server
  prepare_local_database
fi

if [[ -n ${REDIS_URL:-} && $REDIS_URL != "$LINLI_DEFAULT_REDIS_URL" ]]; then
  check_redis_url "$REDIS_URL"
else
  ensure_local_redis
fi
