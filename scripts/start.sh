#!/usr/bin/env bash
# The README's run command (`npm start`): installs dependencies when missing or stale, builds, and
# runs the bot. Without Slack tokens that is terminal mode (a prompt over the same commands); with
# arguments after `--` it runs the one-shot CLI instead (`npm start -- status prod-1 --json`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx tsc -p tsconfig.build.json
if (($#)); then exec node dist/cli/main.js "$@"; else exec node dist/main.js; fi
