#!/bin/bash
# STAND-IN for the official mariadb image's healthcheck.sh (deploy/smoke/mariadb-standin.Dockerfile).
# Only the two tests deploy/docker-compose.replicas.yml asks for, with the same meaning:
#   --connect             the server is up and accepts connections (networking on: not the
#                         entrypoint's --skip-networking temporary server); authentication not tested
#   --innodb_initialized  InnoDB has finished starting (crash recovery done)
# As the official one, it logs in as the `healthcheck` user the entrypoint created, from
# /var/lib/mysql/.my-healthcheck.cnf. Any other option is refused, so a compose file relying on
# more than this stand-in offers fails loudly instead of passing.
set -eo pipefail
cnf=/var/lib/mysql/.my-healthcheck.cnf
sql() { mariadb ${cnf:+--defaults-extra-file=$cnf} --protocol=socket --skip-column-names -B -e "$1"; }
[ -f "$cnf" ] || cnf=
[ $# -gt 0 ] || { echo 'healthcheck.sh: at least one test' >&2; exit 1; }
for arg in "$@"; do
  case "$arg" in
    --connect)
      # over the socket as the official script does first; 0 = networking on (the real server)
      [ "$(sql 'select @@skip_networking')" = 0 ] || { echo 'healthcheck connect failed' >&2; exit 1; } ;;
    --innodb_initialized)
      [ "$(sql "select 1 from information_schema.ENGINES where engine='innodb' and support in ('YES','DEFAULT','ENABLED')")" = 1 ] ||
        { echo 'healthcheck innodb_initialized failed' >&2; exit 1; } ;;
    *) echo "healthcheck.sh (stand-in): unsupported test $arg" >&2; exit 1 ;;
  esac
done
