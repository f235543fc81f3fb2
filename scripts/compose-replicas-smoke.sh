#!/usr/bin/env bash
# Runs deploy/docker-compose.replicas.yml for real with podman-compose: two replicas of the bot
# (built from the repository's Dockerfile, as the file's `build: ..` says) on one MariaDB store
# container, against a real test host (sshd + the stand-in app) and the Slack Web API double in
# Socket Mode. Checks: the store becomes healthy; both replicas answer /healthz on the published
# ports 127.0.0.1:9102 and 9103 and pass their HEALTHCHECK; exactly one leads the watcher and both
# name the same leader and lease token; the bot migrated the store (its tables exist) and what its
# store user may do; `podman stop` (SIGTERM) of the leader hands the watcher to the other within
# watch.leaseTtl (15 s) plus a 5 s margin; started again it comes back standing by; teardown
# leaves nothing behind. Prints a PASS/FAIL table with each step's time; exits 1 on any failure.
# Not part of `npm test`.
#
#   sudo bash scripts/compose-replicas-smoke.sh
#
# Needs root, `npm ci` done (the test host and the Slack double come from test/support, run with
# tsx), podman with podman-compose (1.0.3 here) and /work/shared/tools/container-build
# (CONTAINER_BUILD=path), which builds on a local stand-in for node:20-bookworm-slim.
#
# STAND-IN, not the real store image: mariadb:11.4 cannot be pulled here (no registry), so the
# store runs localhost/mariadb-standin:smoke, Debian 12's MariaDB 10.11 with a small entrypoint and
# healthcheck.sh (deploy/smoke/). deploy/smoke/compose.override.yml swaps the images and nothing else.
#
# What podman-compose 1.0.3 cannot do, and how this script makes up for it (never in the Compose file):
#   - `depends_on: condition: service_healthy` is read as start order only: the bots would start
#     while the store initialises, fail to open it (exit 2) and be restarted by the restart policy.
#     So the store is brought up first (`up -d store`), its healthcheck is run until healthy (no
#     systemd here to schedule healthchecks), then `up -d` starts the rest.
#   - `stop_grace_period` is not passed to podman: `podman stop -t 15` stops the leader instead.
#   - Override files append to lists (ports) instead of replacing them, so the published ports
#     cannot be remapped: 127.0.0.1:9102 and 9103 must be free, else the script stops at once.
# Images are kept (localhost/moneymind-ops-bot:compose-smoke, localhost/mariadb-standin:smoke) so
# that a second run reuses the layer cache; everything else it starts is removed, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

COMPOSE_FILE=deploy/docker-compose.replicas.yml
OVERRIDE=deploy/smoke/compose.override.yml
BOT_IMAGE=localhost/moneymind-ops-bot:compose-smoke # must match $OVERRIDE
STORE_IMAGE=localhost/mariadb-standin:smoke          # must match $OVERRIDE
CONTAINER_BUILD=${CONTAINER_BUILD:-/work/shared/tools/container-build}
LEASE_TTL_S=15 # watch.leaseTtl's default; smoke-host.ts leaves it unset
MARGIN_S=5
PROJECT="mm-compose-smoke-$$" # a project of its own: names and labels that no one else uses
STORE="${PROJECT}_store_1"
BOT_A="${PROJECT}_bot-a_1"
BOT_B="${PROJECT}_bot-b_1"
declare -A PORT=([$BOT_A]=9102 [$BOT_B]=9103) # as published by the Compose file
declare -A BODY                                # each bot's first 200 /healthz body
declare -A NAME=([$BOT_A]=bot-a [$BOT_B]=bot-b) # the service, for the table

if [ "$(id -u)" != 0 ]; then echo "compose-replicas-smoke: run as root" >&2; exit 2; fi
for tool in podman podman-compose node curl python3; do
  command -v "$tool" >/dev/null || { echo "compose-replicas-smoke: needs $tool" >&2; exit 2; }
done
[ -x "$CONTAINER_BUILD" ] || { echo "compose-replicas-smoke: needs $CONTAINER_BUILD" >&2; exit 2; }
[ -d node_modules/tsx ] || { echo "compose-replicas-smoke: run npm ci first (tsx runs the test host)" >&2; exit 2; }
# podman here needs container-build's settings: runc, and ulimits below this VM's hard limits
export CONTAINERS_CONF=${CONTAINERS_CONF:-/var/tmp/container-build/containers.conf}

WORK=$(mktemp -d /tmp/compose-replicas-smoke.XXXXXX)
chmod 755 "$WORK"
export MONEYMIND_ETC="$WORK/etc" # the Compose file's ${MONEYMIND_ETC:-/etc/moneymind}
mkdir -m 0750 "$MONEYMIND_ETC"
COMPOSE=(podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" -f "$OVERRIDE")
HELPER_PID=
DOWN_LEFT=0
RESULTS=()
FAILED=0
T_START=$(date +%s%3N)

# shellcheck source=../deploy/smoke/compose-smoke-lib.sh
source deploy/smoke/compose-smoke-lib.sh
trap cleanup EXIT
trap on_signal INT TERM

# --- preflight: the fixed published ports (an override cannot move them with podman-compose 1.0.3) ---
busy=$(ss -Hltn '( sport = :9102 or sport = :9103 )' 2>/dev/null | awk '{print $4}' | paste -sd, -)
if [ -n "$busy" ]; then
  result FAIL 'published ports 127.0.0.1:9102, 9103 free' '-' "in use: $busy (podman-compose 1.0.3 appends override ports)"
  table
  exit 1
fi
result INFO 'podman, podman-compose' '-' "$(podman --version | awk '{print $3}'), podman-compose $(podman-compose version 2>/dev/null |
  awk '/podman-composer? version/ {print $NF; exit}')"

# --- build: the bot from the Compose file's build context, the store stand-in from deploy/smoke ---
ctx=$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["services"]["bot-a"]["build"])' "$COMPOSE_FILE")
ctx=$(realpath "$(dirname "$COMPOSE_FILE")/$ctx")
t0=$(ms)
if "$CONTAINER_BUILD" --tag "$BOT_IMAGE" "$ctx" >"$WORK/build-bot.log" 2>&1; then
  result PASS 'build bot image (the Compose file'"'"'s build: ..)' "$(secs "$t0" "$(ms)")" "$BOT_IMAGE from $ctx/Dockerfile via container-build"
else
  result FAIL 'build bot image' "$(secs "$t0" "$(ms)")" "$(tail -5 "$WORK/build-bot.log" | one_line)"
  abort
fi
t0=$(ms)
if podman build --pull=never --format docker -t "$STORE_IMAGE" -f deploy/smoke/mariadb-standin.Dockerfile deploy/smoke >"$WORK/build-store.log" 2>&1; then
  ver=$(podman run --rm --pull=never --no-healthcheck --entrypoint mariadbd "$STORE_IMAGE" --version 2>/dev/null | grep -o 'Ver [^ ]*' || true)
  result PASS 'build store STAND-IN image (not mariadb:11.4)' "$(secs "$t0" "$(ms)")" "$STORE_IMAGE: mariadbd $ver (Debian 12)"
else
  result FAIL 'build store STAND-IN image' "$(secs "$t0" "$(ms)")" "$(tail -5 "$WORK/build-store.log" | one_line)"
  abort
fi

# --- the store: its env file, then `up -d store` and its healthcheck until healthy (service_healthy) ---
STORE_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
(umask 077 && printf 'MARIADB_PASSWORD=%s\nMARIADB_ROOT_PASSWORD=%s\n' "$STORE_PASSWORD" "$ROOT_PASSWORD" >"$MONEYMIND_ETC/store.env")
t0=$(ms)
"${COMPOSE[@]}" up -d --no-build store >"$WORK/up-store.log" 2>&1 || true # 1.0.3 exits 0 even when podman run fails
if [ "$(podman inspect -f '{{.State.Running}}' "$STORE" 2>/dev/null)" != true ]; then
  result FAIL 'podman-compose up -d store' "$(secs "$t0" "$(ms)")" "$(grep -iE 'error|exit code' "$WORK/up-store.log" | tail -3 | one_line)"
  abort
fi
state=unhealthy
for _ in $(seq 180); do
  podman healthcheck run "$STORE" >/dev/null 2>&1 && { state=healthy; break; }
  [ "$(podman inspect -f '{{.State.Running}}' "$STORE" 2>/dev/null)" = true ] || break
  sleep 0.5
done
if [ "$state" = healthy ]; then
  result PASS 'store up, healthcheck.sh --connect --innodb_initialized' "$(secs "$t0" "$(ms)")" \
    "$STORE healthy (stand-in, fresh volume ${PROJECT}_moneymind-store)"
else
  result FAIL 'store up, healthcheck.sh --connect --innodb_initialized' "$(secs "$t0" "$(ms)")" "$state after 90 s"
  abort
fi

# --- the test host and the Slack double, reachable from the Compose network through its gateway ---
t0=$(ms)
GW=$(podman network inspect "${PROJECT}_default" --format '{{range .Subnets}}{{.Gateway}}{{end}}')
exec 3> >(exec node --import tsx deploy/smoke/smoke-host.ts "$MONEYMIND_ETC" "$GW" >"$WORK/helper.log" 2>&1)
HELPER_PID=$!
for _ in $(seq 150); do [ -e "$MONEYMIND_ETC/ready" ] || ! kill -0 "$HELPER_PID" 2>/dev/null && break; sleep 0.2; done
if [ ! -e "$MONEYMIND_ETC/ready" ]; then
  result FAIL 'test host (sshd + app) and Slack double on the gateway' "$(secs "$t0" "$(ms)")" "$(tail -5 "$WORK/helper.log" | one_line)"
  abort
fi
# shellcheck disable=SC1091
. "$MONEYMIND_ETC/helper.env"
(umask 077 && printf '%s\n' SLACK_BOT_TOKEN=xoxb-compose-smoke SLACK_APP_TOKEN=xapp-compose-smoke "SLACK_API_URL=$SLACK_API_URL" \
  "MONEYMIND_STORE_PASSWORD=$STORE_PASSWORD" >"$MONEYMIND_ETC/moneymind.env")
rm -f "$MONEYMIND_ETC/ready" "$MONEYMIND_ETC/helper.env"
result PASS 'test host (sshd + app) and Slack double on the gateway' "$(secs "$t0" "$(ms)")" "gateway $GW; Socket Mode via $SLACK_API_URL"
echo "--- MONEYMIND_ETC=$MONEYMIND_ETC: $(cd "$MONEYMIND_ETC" && ls | paste -sd' ' -) ---" >&2
cat "$WORK/helper.log" >&2

# --- `up -d`: the whole file (the store is already running: podman-compose says so and goes on) ---
t0=$(ms)
"${COMPOSE[@]}" up -d --no-build >"$WORK/up.log" 2>&1 || true
for c in "$BOT_A" "$BOT_B"; do
  if [ "$(podman inspect -f '{{.State.Running}}' "$c" 2>/dev/null)" != true ]; then
    result FAIL "podman-compose up -d: ${NAME[$c]} running" "$(secs "$t0" "$(ms)")" "$(grep -iE 'error' "$WORK/up.log" | tail -3 | one_line)"
    abort
  fi
done
t_up=$(ms)
result PASS 'podman-compose up -d (bot-a, bot-b)' "$(secs "$t0" "$t_up")" "$(podman ps --filter "label=io.podman.compose.project=$PROJECT" \
  --format '{{.Names}}' | sort | paste -sd' ' -)"
image=$(podman inspect -f '{{.ImageName}}' "$STORE")
if [ "$image" = "$STORE_IMAGE" ]; then result INFO 'store container image: the STAND-IN' '-' "$STORE runs $image, not mariadb:11.4"
else result FAIL 'store container image: the STAND-IN' '-' "$STORE runs $image, expected $STORE_IMAGE"; fi
# The image's VOLUME /data gives each bot an anonymous volume: teardown must remove those too
DATA_VOLUMES=$(for c in "$BOT_A" "$BOT_B"; do
  podman inspect -f '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Name}} {{end}}{{end}}' "$c"
done)

# --- both healthy, one leads ---
for c in "$BOT_A" "$BOT_B"; do
  got='000 '
  for _ in $(seq 240); do
    got=$(healthz "${PORT[$c]}")
    [ "${got%% *}" = 200 ] && break
    [ "$(podman inspect -f '{{.State.Running}}' "$c" 2>/dev/null)" = true ] || sleep 1 # restarting (policy) or gone
    sleep 0.25
  done
  body=${got#* }
  BODY[$c]=$body
  if [ "${got%% *}" = 200 ]; then
    result PASS "${NAME[$c]} /healthz 200 on 127.0.0.1:${PORT[$c]}" "$(secs "$t_up" "$(ms)")" "$(cut -c1-110 <<<"$body")"
  else
    result FAIL "${NAME[$c]} /healthz 200 on 127.0.0.1:${PORT[$c]}" "$(secs "$t_up" "$(ms)")" "${got%% *} $(cut -c1-100 <<<"$body")"
  fi
  h=$(podman healthcheck run "$c" 2>&1) && h=healthy || h="unhealthy ${h}"
  if [ "$h" = healthy ]; then result PASS "${NAME[$c]} HEALTHCHECK (podman healthcheck run)" '-' "$h"
  else result FAIL "${NAME[$c]} HEALTHCHECK (podman healthcheck run)" '-' "$(one_line <<<"$h")"; fi
done
if ((FAILED)); then abort; fi
body_a=${BODY[$BOT_A]} body_b=${BODY[$BOT_B]}
w_a=$(field "$body_a" watcher) w_b=$(field "$body_b" watcher)
l_a=$(field "$body_a" leader) l_b=$(field "$body_b" leader)
k_a=$(field "$body_a" leaseToken) k_b=$(field "$body_b" leaseToken)
detail="bot-a $w_a, bot-b $w_b; leader $l_a / $l_b; token $k_a / $k_b"
if [ "$(printf '%s\n' "$w_a" "$w_b" | sort | paste -sd, -)" = on,standby ] && [ -n "$l_a" ] && [ "$l_a" = "$l_b" ] &&
  [ -n "$k_a" ] && [ "$k_a" = "$k_b" ]; then
  result PASS 'one "watcher": "on", one "standby", same leader and token' '-' "$detail"
else
  result FAIL 'one "watcher": "on", one "standby", same leader and token' '-' "$detail"
  abort
fi
if [ "$w_a" = on ]; then LEADER=$BOT_A OTHER=$BOT_B; else LEADER=$BOT_B OTHER=$BOT_A; fi
TOKEN=$k_a
leader_replica=$(field "$(healthz "${PORT[$LEADER]}" | cut -d' ' -f2-)" replica)
if [ "$leader_replica" = "$l_a" ] && [[ "$leader_replica" == "$(podman inspect -f '{{.Config.Hostname}}' "$LEADER")":* ]]; then
  result PASS 'the leader named is the replica that says "on"' '-' "$LEADER (hostname $(podman inspect -f '{{.Config.Hostname}}' "$LEADER")) = $leader_replica"
else
  result FAIL 'the leader named is the replica that says "on"' '-' "$LEADER says replica=$leader_replica, leader=$l_a"
fi

# --- the store: migrated by the bot, and what its user may do ---
tables=$(store_sql 'SHOW TABLES FROM moneymind_bot' 2>&1 | sort | paste -sd' ' -)
missing=
for t in schema_migrations lease trackers incidents outbox deliveries restarts restart_slots audit; do
  [[ " $tables " == *" $t "* ]] || missing+=" $t"
done
version=$(store_sql 'SELECT MAX(version) FROM moneymind_bot.schema_migrations' 2>&1 | one_line)
if [ -z "$missing" ]; then result PASS 'store migrated by the bot (tables in moneymind_bot)' '-' "schema v$version: $tables"
else result FAIL 'store migrated by the bot (tables in moneymind_bot)' '-' "missing:$missing; have: $tables"; fi
lease=$(store_sql 'SELECT holder, token FROM moneymind_bot.lease' 2>&1 | one_line)
if [ "$lease" = "$l_a $TOKEN" ]; then result PASS 'lease row = what /healthz says' '-' "holder token: $lease"
else result FAIL 'lease row = what /healthz says' '-' "lease: $lease; /healthz: $l_a $TOKEN"; fi
grants=$(store_sql "SHOW GRANTS FOR 'moneymind'@'%'" 2>&1 | sed -E "s/ IDENTIFIED BY PASSWORD '[^']*'//" | paste -sd';' -)
dbs=$(podman exec -e MYSQL_PWD="$STORE_PASSWORD" "$STORE" mariadb -umoneymind -h 127.0.0.1 -N -B -e 'SHOW DATABASES' 2>&1 | paste -sd' ' -)
# Expected from the official image: USAGE globally, ALL PRIVILEGES on its database, nothing else.
# Wider than the README's list (CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE), still one database.
if [ "$grants" = 'GRANT USAGE ON *.* TO `moneymind`@`%`;GRANT ALL PRIVILEGES ON `moneymind_bot`.* TO `moneymind`@`%`' ] &&
  [ "$dbs" = 'information_schema moneymind_bot' ]; then
  result PASS "store user: its database only" '-' "ALL PRIVILEGES on moneymind_bot.* (official-image style; README needs 7); sees: $dbs"
else
  result FAIL "store user: its database only" '-' "$grants; sees: $dbs"
fi

# --- failover: SIGTERM to the leader, the other takes the watcher over ---
t0=$(ms)
podman stop -t 15 "$LEADER" >/dev/null 2>"$WORK/stop.err" || true # -t 15: the file's stop_grace_period, which 1.0.3 drops
t_stopped=$(ms)
code=$(podman inspect -f '{{.State.ExitCode}}' "$LEADER" 2>/dev/null)
if [ "$code" = 0 ]; then result PASS "podman stop ${NAME[$LEADER]} (the leader: SIGTERM)" "$(secs "$t0" "$t_stopped")" "exit 0: a clean shutdown"
else result FAIL "podman stop ${NAME[$LEADER]} (the leader: SIGTERM)" "$(secs "$t0" "$t_stopped")" "exit $code $(one_line <"$WORK/stop.err")"; fi
got='000 '
limit=$(((LEASE_TTL_S + MARGIN_S) * 1000))
while (($(ms) - t0 < limit + 5000)); do
  got=$(healthz "${PORT[$OTHER]}")
  [ "$(field "${got#* }" watcher)" = on ] && break
  sleep 0.2
done
t_over=$(ms)
body=${got#* }
new_token=$(field "$body" leaseToken)
new_token=${new_token:-0}
if [ "$(field "$body" watcher)" = on ] && ((t_over - t0 <= limit)) && ((new_token > TOKEN)); then
  result PASS "${NAME[$OTHER]} takes the watcher over (≤ ${LEASE_TTL_S} s TTL + ${MARGIN_S} s)" "$(secs "$t0" "$t_over")" \
    "after the stop returned: $(secs "$t_stopped" "$t_over"); token $TOKEN → $new_token; leader $(field "$body" leader)"
else
  result FAIL "${NAME[$OTHER]} takes the watcher over (≤ ${LEASE_TTL_S} s TTL + ${MARGIN_S} s)" "$(secs "$t0" "$t_over")" "${got%% *} $(cut -c1-100 <<<"$body")"
fi
while (($(ms) - t_stopped < 5000)); do sleep 0.2; done # the restart policy would have acted by now
state=$(podman inspect -f '{{.State.Status}}' "$LEADER" 2>/dev/null)
if [ "$state" = exited ]; then result PASS "${NAME[$LEADER]} stays stopped (restart: unless-stopped)" '-' "state $state after $(secs "$t0" "$(ms)")"
else result FAIL "${NAME[$LEADER]} stays stopped (restart: unless-stopped)" '-' "state $state"; fi

# --- the old leader again: back as standby, the new leader keeps the lease ---
t0=$(ms)
podman start "$LEADER" >/dev/null 2>"$WORK/start.err" || true
got='000 '
for _ in $(seq 240); do
  got=$(healthz "${PORT[$LEADER]}")
  [ "${got%% *}" = 200 ] && break
  sleep 0.25
done
body=${got#* }
other=$(healthz "${PORT[$OTHER]}" | cut -d' ' -f2-)
if [ "${got%% *}" = 200 ] && [ "$(field "$body" watcher)" = standby ] && [ "$(field "$body" leaseToken)" = "$new_token" ] &&
  [ "$(field "$other" watcher)" = on ] && [ "$(field "$other" leaseToken)" = "$new_token" ]; then
  result PASS "podman start ${NAME[$LEADER]}: back as standby" "$(secs "$t0" "$(ms)")" "standby, leader $(field "$body" leader), token $new_token"
else
  result FAIL "podman start ${NAME[$LEADER]}: back as standby" "$(secs "$t0" "$(ms)")" "${got%% *} $(cut -c1-80 <<<"$body") | other: $(cut -c1-40 <<<"$other")"
fi
h=$(podman healthcheck run "$LEADER" 2>&1) && h=healthy || h="unhealthy $h"
if [ "$h" = healthy ]; then result PASS "${NAME[$LEADER]} HEALTHCHECK after the start" '-' "$h"
else result FAIL "${NAME[$LEADER]} HEALTHCHECK after the start" '-' "$(one_line <<<"$h")"; fi

if ((FAILED)); then dump_logs; fi

# --- teardown: `down -v`, then nothing of the project may be left ---
t0=$(ms)
teardown
stop_helper
left="$(podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" | wc -l) containers,"
left+=" $(podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT" | wc -l) volumes,"
left+=" $(podman network ls -q --filter "name=^${PROJECT}_" | wc -l) networks, $(podman pod ls -q --filter "name=$PROJECT" | wc -l) pods,"
n=0
for v in $DATA_VOLUMES; do if podman volume exists "$v"; then n=$((n + 1)); fi; done
left+=" $n of $(wc -w <<<"$DATA_VOLUMES") anonymous /data volumes"
if [[ "$left" == '0 containers, 0 volumes, 0 networks, 0 pods, 0 of '* ]]; then
  result PASS 'teardown: podman-compose down -v, nothing left' "$(secs "$t0" "$(ms)")" "$left (down -v itself left $DOWN_LEFT volumes: removed)"
else
  result FAIL 'teardown: podman-compose down -v, nothing left' "$(secs "$t0" "$(ms)")" "left: $left"
fi

table
exit $FAILED
