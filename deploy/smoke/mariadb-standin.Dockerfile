# STAND-IN for the official `mariadb:11.4` image, for scripts/compose-replicas-smoke.sh only.
# No container registry can be reached where that script was written, so the official image cannot
# be pulled. This is Debian 12's mariadb-server (MariaDB 10.11, not 11.4) on the node stand-in base
# that /work/shared/tools/container-build makes, with a small entrypoint and healthcheck.sh that do
# what deploy/docker-compose.replicas.yml relies on from the official image, and nothing more:
#   - MARIADB_ROOT_PASSWORD, MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD at the first start
#     (the user gets ALL PRIVILEGES on that database only, as the official entrypoint grants);
#   - the data in /var/lib/mysql (a volume); arguments starting with "-" go to mariadbd;
#   - `healthcheck.sh --connect --innodb_initialized`.
# What it does NOT prove: anything specific to MariaDB 11.4 or to the official image's entrypoint
# (its other variables, /docker-entrypoint-initdb.d, upgrades, its exact users, gosu, uid 999).
# Tag it only as localhost/mariadb-standin:smoke: never as mariadb:11.4 or docker.io/library/mariadb.
FROM node:20-bookworm-slim
LABEL moneymind.smoke.stand-in="NOT mariadb:11.4: Debian 12 mariadb-server 10.11 + deploy/smoke/ entrypoint, for scripts/compose-replicas-smoke.sh"
# The package's postinst initialises a data directory; it is removed so that the first start of a
# container initialises the volume from the MARIADB_* variables, as the official image does.
RUN apt-get update \
 && apt-get install -y --no-install-recommends mariadb-server mariadb-client \
 && rm -rf /var/lib/apt/lists/* /var/lib/mysql \
 && mkdir -p /var/lib/mysql /run/mysqld \
 && chown mysql:mysql /var/lib/mysql /run/mysqld
# Debian binds 127.0.0.1 (50-server.cnf); the official image listens on every interface and skips
# name resolution. The replicas reach this container as `store` on the Compose network.
RUN printf '[mariadbd]\nbind-address = 0.0.0.0\nskip-name-resolve\nhost-cache-size = 0\n' >/etc/mysql/mariadb.conf.d/90-standin.cnf
COPY mariadb-standin-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY healthcheck.sh /usr/local/bin/healthcheck.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh /usr/local/bin/healthcheck.sh
VOLUME ["/var/lib/mysql"]
EXPOSE 3306
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mariadbd"]
