#!/usr/bin/env bash
# Runs the test files through node's test runner with tsx. Node 20's --test takes no globs, so the
# files are listed here. Pass file paths to run only those.
set -euo pipefail
cd "$(dirname "$0")/.."
if (($#)); then files=("$@"); else mapfile -t files < <(find test -name '*.test.ts' | sort); fi
exec node --import tsx --test --test-reporter=spec "${files[@]}"
