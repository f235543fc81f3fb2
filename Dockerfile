# MoneyMind ops bot. Usage, the Compose file and what was verified: README, "Docker".
#
#   docker build -t moneymind-ops-bot .
#   docker run --rm moneymind-ops-bot --help                  # the CLI (any arguments)
#   docker run --rm -v …:/config/moneymind.yml:ro … moneymind-ops-bot status prod-1 --json
#   docker run --rm -it moneymind-ops-bot                     # no Slack tokens: terminal mode
#   docker compose up -d                                      # the bot (docker-compose.yml)
#
# The base is pinned by exact version, the Node release this was built and tested with. Not by
# digest: the image was built here with a local stand-in (no registry reachable), so no real
# digest could be read. Pin one where you build: docker buildx imagetools inspect node:20.20.2-bookworm-slim.

# --- build: compiles TypeScript and the native modules (better-sqlite3, ssh2's crypto binding) ---
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Some npm 10 releases end a failed install with "Exit handler never called!" and status 0: the
# tree and the native modules are checked, so a broken install fails here, not at run time.
# nodedir: the base image's own Node headers, so nothing is downloaded; ssh2's AES-GCM binding would
# otherwise fall back to JavaScript crypto without a word (more CPU per check: scripts/npm-install.sh).
RUN npm_config_nodedir=/usr/local npm ci --no-audit --no-fund \
 && test -f node_modules/.package-lock.json \
 && npm ls --omit=dev --depth=0 >/dev/null \
 && node -e "new (require('better-sqlite3'))(':memory:').close()" \
 && node -e "process.exit(require('ssh2/lib/protocol/crypto.js').bindingAvailable ? 0 : 1)"
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# `npm run build`, never `npx tsc`: without TypeScript installed npx would fetch the unrelated
# `tsc` package. Then production dependencies only, without what only building or testing them
# needed: node-gyp's objects and makefiles (only build/Release/*.node stays), better-sqlite3's
# SQLite sources, packages' test directories (ssh2's hold private test keys) and source maps
# (their sources are not shipped; our build makes none: tsconfig.build.json). The last line fails
# the build if a PEM private key file is left anywhere under /app.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && test -f node_modules/.package-lock.json \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src node_modules/better-sqlite3/build/Release/test_extension.node \
 && find node_modules -type d -name build -exec test -d '{}/Release' \; -print >/tmp/gyp-builds \
 && while read -r b; do find "$b" -mindepth 1 -depth ! -path "$b/Release" ! -path "$b/Release/*.node" -exec rm -rf {} +; done </tmp/gyp-builds \
 && find node_modules -type d \( -name test -o -name tests -o -name __tests__ -o -name fixtures \) -prune -exec rm -rf {} + \
 && find node_modules -type f -name '*.map' -delete \
 && node -e "new (require('better-sqlite3'))(':memory:').close(); require('ssh2'); require('@resvg/resvg-js')" \
 && node -e "process.exit(require('ssh2/lib/protocol/crypto.js').bindingAvailable ? 0 : 1)" \
 && ! grep -rlE -- '^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----' /app

# --- runtime: production dependencies and the build, as the unprivileged `node` user (uid 1000) ---
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    METRICS_PORT=9102
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The charts' font (trend HOST): resvg loads it from here, never the system's (a slim image has none).
COPY assets ./assets
COPY package.json manifest.yml ./
COPY bin/docker-entrypoint.sh bin/docker-healthcheck.js ./bin/
# /data is the node user's, and /app/data points at it: the store's default (./data/moneymind.db,
# no `watch.store` in the config, or no config at all) and `watch.store: /data/moneymind.db` are
# the same file, in the volume. The config goes to /config/moneymind.yml (the entrypoint uses it
# when it is there), the SSH key to /run/secrets/ (owned by uid 1000, mode 0400: README, Docker).
RUN mkdir -p /data /config \
 && chown node:node /data \
 && ln -s /data /app/data
USER node
VOLUME ["/data"]
# 3000: HTTP mode (/slack/events, /healthz, /metrics). 9102: /healthz and /metrics in Socket Mode.
EXPOSE 3000 9102
# Healthy = the process serves /healthz and nothing a restart could fix is wrong: 200, or a 503
# whose only problem is Slack (connecting / reconnecting). The bot is already retrying Slack, so
# an orchestrator restarting on "unhealthy" would only restart it in a loop while Slack is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/bin/docker-healthcheck.js", "/healthz"]
# No arguments: the bot (Slack with tokens, terminal mode without). Arguments: the CLI
# (`status prod-1 --json`, `--help`). The entrypoint execs node, so node is PID 1 and gets
# SIGTERM from `docker stop` (it shuts down within 10 s, see src/main.ts).
ENTRYPOINT ["/bin/sh", "/app/bin/docker-entrypoint.sh"]
CMD ["node", "dist/main.js"]
