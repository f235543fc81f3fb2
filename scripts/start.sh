#!/usr/bin/env bash
# The README's run command (`npm start`): installs dependencies when missing or stale, builds, and
# runs the bot. Without Slack tokens that is terminal mode (a prompt over the same commands); with
# arguments after `--` it runs the one-shot CLI instead (`npm start -- status prod-1`). npm prints
# its own banner on stdout first: for JSON use `npx moneymind status prod-1 --json`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/npm-install.sh
npm run --silent build
# `npm start -- --config FILE` (or -c FILE, --config=FILE) and nothing else: terminal mode with
# that config, not the CLI's help.
case "$#:${1:-}" in
  2:--config | 2:-c) export MONEYMIND_CONFIG="$2"; set -- ;;
  1:--config=*) export MONEYMIND_CONFIG="${1#--config=}"; set -- ;;
esac
if (($#)); then exec node dist/cli/main.js "$@"; else exec node dist/main.js; fi
