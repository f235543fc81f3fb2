#!/bin/sh
# The image's entrypoint (Dockerfile). Replaces the official node image's docker-entrypoint.sh,
# which would run `node --help` for `docker run IMAGE --help`:
#   docker run IMAGE                       -> the bot: node dist/main.js (the image's CMD)
#                                             Slack with tokens, terminal mode without (use -it)
#   docker run IMAGE status prod-1 --json  -> the CLI: node dist/cli/main.js status prod-1 --json
#   docker run IMAGE --help                -> the CLI's help
#   docker run IMAGE node … | sh | bash    -> that command as it is (debugging)
# The config is /config/moneymind.yml when one is mounted there and neither MONEYMIND_CONFIG nor
# --config says otherwise; with none the bot and the CLI check this container with the runbook's
# defaults, and say so. `exec`: node is PID 1 and gets docker stop's SIGTERM itself.
set -eu
if [ -z "${MONEYMIND_CONFIG:-}" ] && [ -e /config/moneymind.yml ]; then
  export MONEYMIND_CONFIG=/config/moneymind.yml
fi
if [ "$#" -eq 0 ]; then
  set -- node /app/dist/main.js
fi
case "$1" in
  node | sh | bash) exec "$@" ;;
  *) exec node /app/dist/cli/main.js "$@" ;;
esac
