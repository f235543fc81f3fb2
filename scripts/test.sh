#!/usr/bin/env bash
# The README's test command (`npm test`), and what .ci/run calls. On a fresh clone it installs
# what the tests need — Debian packages for the real servers they start, then npm packages —
# type-checks, and runs every test. Needs root (or those packages already installed).
set -euo pipefail
cd "$(dirname "$0")/.."

# Real components the integration tests start on loopback: OpenSSH, MariaDB, a two-node MariaDB Galera
# cluster (galera-4, and rsync for its state transfer; mariadb-server pulls both in on Debian 12, named
# here because the store's Galera test needs them), supervisord running a Flask/Waitress/SQLAlchemy
# stand-in app, sudo for the bot's sudoers rule, ss/ps for the probes, and systemd + dbus (+ util-linux's
# unshare/nsenter) for a real systemd as PID 1 of a test namespace. g++ and make: npm ci compiles
# better-sqlite3 and ssh2's crypto binding (nothing can be downloaded prebuilt here).
DEBIAN_PACKAGES=(openssh-server openssh-client mariadb-server mariadb-client galera-4 rsync supervisor sudo iproute2 procps coreutils
  systemd dbus util-linux python3-flask python3-waitress python3-sqlalchemy python3-pymysql g++ make)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "error: not root; install them first: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the packages' own services from starting: the tests start their own, on free ports.
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

bash scripts/npm-install.sh

npx tsc -p tsconfig.json --noEmit
# Biome: the formatter nobody argues with, and the linter (biome.jsonc); fails on any unformatted file.
npx biome check .
bash scripts/run-tests.sh "$@"
