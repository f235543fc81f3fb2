#!/usr/bin/env bash
# `npm ci` when node_modules is missing or older than the lock file; used by start.sh and test.sh.
# Native modules compile against this Node's own headers when it ships them (Debian's and the
# official builds have include/node): node-gyp would otherwise download headers from nodejs.org.
# better-sqlite3 fails loudly without them, but ssh2's optional AES-GCM binding fails silently and
# ssh2 falls back to JavaScript crypto: three socket writes per SSH packet instead of one and
# ~17 % more bot CPU per check (bench/fleet-netem.ts reports which one ran).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ -z "${npm_config_nodedir:-}" ]; then
    prefix="$(node -p 'require("node:path").resolve(process.execPath, "../..")')"
    if [ -f "$prefix/include/node/node.h" ]; then export npm_config_nodedir="$prefix"; fi
  fi
  npm ci --no-audit --no-fund --loglevel=error
fi
