#!/bin/bash
# STAND-IN for the official mariadb image's docker-entrypoint.sh (deploy/smoke/mariadb-standin.Dockerfile).
# Only what deploy/docker-compose.replicas.yml relies on: at the first start (an empty
# /var/lib/mysql) it initialises the data directory, sets MARIADB_ROOT_PASSWORD for root@localhost
# and root@'%', creates MARIADB_DATABASE and MARIADB_USER@'%' with MARIADB_PASSWORD and grants it
# ALL PRIVILEGES on that database only (what the official entrypoint does), and a `healthcheck`
# user for healthcheck.sh. Later starts keep the data. Arguments starting with "-" are mariadbd's.
# Not supported (fails or is ignored): *_FILE variables, random/empty root passwords,
# /docker-entrypoint-initdb.d, MARIADB_ROOT_HOST, upgrades.
set -eo pipefail
log() { echo "mariadb-standin: $*" >&2; }
# SQL string literal and identifier escaping, as the official entrypoint does
lit() { local s=${1//\\/\\\\}; printf '%s' "${s//\'/\\\'}"; }
ident() { printf '%s' "${1//\`/\`\`}"; }

if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then exec "$@"; fi

datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld "$datadir"
if [ ! -d "$datadir/mysql" ]; then
  [ -n "${MARIADB_ROOT_PASSWORD:-}" ] || { log 'MARIADB_ROOT_PASSWORD is required (this stand-in has no random or empty root password)'; exit 1; }
  if [ -n "${MARIADB_USER:-}" ] && [ -z "${MARIADB_PASSWORD:-}" ]; then log 'MARIADB_USER needs MARIADB_PASSWORD'; exit 1; fi
  log "initialising $datadir (Debian's MariaDB $(mariadbd --version | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1), not 11.4)"
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve >/dev/null
  # The temporary server has no networking, so healthcheck.sh --connect fails until the real one runs.
  "$@" --user=mysql --datadir="$datadir" --socket="$socket" --skip-networking --skip-log-bin &
  pid=$!
  for _ in $(seq 60); do mariadb --protocol=socket --socket="$socket" -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
  hc_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    # install-db's anonymous and password-less root@127.0.0.1/::1/hostname accounts would shadow 'user'@'%'
    # and root@'%' for logins over TCP: the official entrypoint drops them too
    echo "DROP USER IF EXISTS ''@'localhost', 'root'@'127.0.0.1', 'root'@'::1';"
    echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS \\'\\'@\\'', @@hostname, '\\', \\'root\\'@\\'', @@hostname, '\\'');"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(lit "$MARIADB_ROOT_PASSWORD")';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$(lit "$MARIADB_ROOT_PASSWORD")';"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    for h in localhost 127.0.0.1 ::1; do
      echo "CREATE USER 'healthcheck'@'$h' IDENTIFIED BY '$hc_password'; GRANT USAGE ON *.* TO 'healthcheck'@'$h';"
    done
    if [ -n "${MARIADB_DATABASE:-}" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$(ident "$MARIADB_DATABASE")\`;"; fi
    if [ -n "${MARIADB_USER:-}" ]; then
      echo "CREATE USER '$(lit "$MARIADB_USER")'@'%' IDENTIFIED BY '$(lit "$MARIADB_PASSWORD")';"
      if [ -n "${MARIADB_DATABASE:-}" ]; then echo "GRANT ALL ON \`$(ident "$MARIADB_DATABASE")\`.* TO '$(lit "$MARIADB_USER")'@'%';"; fi
    fi
  } | mariadb --protocol=socket --socket="$socket" -uroot
  printf '[mariadb-client]\nport=3306\nsocket=%s\nuser=healthcheck\npassword=%s\n' "$socket" "$hc_password" >"$datadir/.my-healthcheck.cnf"
  chown mysql:mysql "$datadir/.my-healthcheck.cnf" && chmod 600 "$datadir/.my-healthcheck.cnf"
  kill "$pid" && wait "$pid"
  log 'initialised; starting the server'
fi
exec "$@" --user=mysql
