#!/usr/bin/env bash
# The README's run command (`npm start`): installs dependencies when missing or stale, builds, and
# runs the CLI (default: `status` on every configured host; other arguments after `--`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx tsc -p tsconfig.build.json
if (($#)); then exec node dist/cli/main.js "$@"; else exec node dist/cli/main.js status; fi
