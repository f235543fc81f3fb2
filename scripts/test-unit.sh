#!/usr/bin/env bash
# `npm run test:unit`: the unit tests — every test/**/*.test.ts except *.integration.test.ts. A unit
# test runs in the test's own process: no root, no sshd, MariaDB, supervisord or systemd, no bot
# process or build, no waiting out real timeouts, a few seconds a file at most. Anything else is
# named *.integration.test.ts and runs only in `npm test` (README, Tests).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' ! -name '*.integration.test.ts' | sort)
# Each file is its own process (Node with tsx takes ~1 s of CPU to start) and several wait on
# timers: run at least 4 at once; node's default, one fewer than the CPUs, is one at a time on 2.
jobs=$(nproc)
((jobs >= 4)) || jobs=4
exec node --import tsx --test --test-concurrency="$jobs" --test-reporter=spec "${files[@]}"
