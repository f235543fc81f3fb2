# MoneyMind ops bot. Untested by a build: no Docker daemon where this was written. Kept plain on
# purpose; `npm start` runs the same dist/main.js.
#
#   docker build -t moneymind-ops-bot .
#   docker run -d --name moneymind --restart unless-stopped \
#     -v /etc/moneymind/moneymind.yml:/config/moneymind.yml:ro \
#     -v /etc/moneymind/ssh_key:/run/secrets/moneymind_ssh_key:ro \
#     -v moneymind-data:/data \
#     -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN -e MONEYMIND_PROD1_MYSQL_PASSWORD \
#     -e METRICS_HOST=0.0.0.0 -p 127.0.0.1:9102:9102 moneymind-ops-bot
#
# Socket Mode serves /healthz and /metrics on METRICS_HOST:METRICS_PORT, 127.0.0.1 by default:
# enough for the HEALTHCHECK, but `-p` reaches a container only on its own interface, hence
# METRICS_HOST=0.0.0.0 above, published on the Docker host's loopback only. To publish it wider,
# also set METRICS_TOKEN. (HTTP mode refuses METRICS_HOST: there both are on PORT, for Slack.)
#
# In the config: `watch.store: /data/moneymind.db`, `privateKeyPath: /run/secrets/moneymind_ssh_key`.

# --- build: compiles TypeScript and the one native module (better-sqlite3) ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and the build, as the unprivileged `node` user ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    MONEYMIND_CONFIG=/config/moneymind.yml \
    PORT=3000 \
    METRICS_PORT=9102
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 3000: HTTP mode (/slack/events, /healthz, /metrics). 9102: /healthz and /metrics in Socket Mode.
EXPOSE 3000 9102
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "const p=process.env.SLACK_APP_TOKEN?process.env.METRICS_PORT:process.env.PORT;fetch('http://127.0.0.1:'+p+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node as PID 1 gets SIGTERM from `docker stop` and shuts down within 10 s (see src/main.ts).
CMD ["node", "dist/main.js"]
