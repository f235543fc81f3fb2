#!/usr/bin/env bash
# Builds the image and runs it: the CLI's help, `status` against a real test host (sshd + the
# stand-in app) with the config and SSH key mounted the README's way, terminal mode with no config,
# HTTP mode's /healthz against a Slack Web API double, the HEALTHCHECK while Slack is unreachable
# (Socket Mode), the user it runs as, no private keys or build leftovers under /app, and its size.
# Prints a PASS/FAIL table; exits 1 on any failure. Not part of `npm test`.
#
#   sudo bash scripts/image-smoke.sh          # IMAGE=name:tag to choose the tag, CONTEXT=dir the build context
#
# Needs root, `npm ci` done (the test host comes from test/support, run with tsx), and docker (a
# daemon that answers) or podman through /work/shared/tools/container-build (CONTAINER_BUILD=path),
# which builds on a local stand-in for node:20-bookworm-slim where no registry can be reached.
set -uo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/moneymind-ops-bot:smoke}
CONTEXT=${CONTEXT:-.} # the build context: this checkout unless told
CONTAINER_BUILD=${CONTAINER_BUILD:-/work/shared/tools/container-build}
if docker info >/dev/null 2>&1; then
  ENGINE=docker
  BUILD=(docker build -t "$IMAGE" "$CONTEXT")
  BUILT_WITH='docker build'
elif command -v podman >/dev/null && [ -x "$CONTAINER_BUILD" ]; then
  ENGINE=podman
  export CONTAINERS_CONF=${CONTAINERS_CONF:-/var/tmp/container-build/containers.conf}
  BUILD=("$CONTAINER_BUILD" --tag "$IMAGE" "$CONTEXT")
  BUILT_WITH='podman via container-build, stand-in base image'
else
  echo "image-smoke: needs docker (with a daemon) or podman and $CONTAINER_BUILD" >&2
  exit 2
fi

WORK=$(mktemp -d /tmp/image-smoke.XXXXXX)
chmod 755 "$WORK"
PREFIX="mm-smoke-$$"
CONTAINERS=()
HELPER_PID=
RESULTS=()
FAILED=0

cleanup() {
  for c in "${CONTAINERS[@]}"; do $ENGINE rm -f -v "$c" >/dev/null 2>&1; done
  exec 3>&- 2>/dev/null # the helper stops when its stdin ends…
  if [ -n "$HELPER_PID" ] && kill -0 "$HELPER_PID" 2>/dev/null; then
    kill -TERM "$HELPER_PID" 2>/dev/null # …or on SIGTERM
    for _ in $(seq 50); do kill -0 "$HELPER_PID" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# result PASS|FAIL|INFO NAME DETAIL
result() {
  RESULTS+=("$(printf '%-5s %-50s %s' "$1" "$2" "$3")")
  [ "$1" = FAIL ] && FAILED=1
  printf '  %-5s %-50s %s\n' "$1" "$2" "$3" >&2
}
table() {
  echo
  echo "image smoke test: $IMAGE ($BUILT_WITH)"
  printf '%-5s %-50s %s\n' RESULT CHECK DETAIL
  printf '%s\n' "${RESULTS[@]}"
  if ((FAILED)); then echo "FAIL"; else echo "PASS: all checks"; fi
}
one_line() { tr '\n' ' ' | sed 's/  */ /g' | cut -c1-150; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
run() { timeout 120 "$ENGINE" run --rm --no-healthcheck "$@"; }

# --- build ---
t0=$SECONDS
if "${BUILD[@]}" >"$WORK/build.log" 2>&1; then
  result PASS 'build' "$IMAGE in $((SECONDS - t0)) s"
else
  result FAIL 'build' "$(tail -5 "$WORK/build.log" | one_line)"
  table
  exit 1
fi

# --- the image itself ---
user=$($ENGINE image inspect --format '{{.Config.User}}' "$IMAGE" 2>&1)
uid=$(run "$IMAGE" sh -c 'id -u' 2>&1)
if [ "$user" = node ] && [ "$uid" = 1000 ]; then result PASS 'runs as non-root (USER node, uid 1000)' "USER=$user, id -u=$uid"
else result FAIL 'runs as non-root (USER node, uid 1000)' "USER=$user, id -u=$uid"; fi

out=$(run "$IMAGE" --help 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q 'moneymind status' <<<"$out"; then result PASS 'CLI: docker run IMAGE --help' "exit 0: $(head -1 <<<"$out")"
else result FAIL 'CLI: docker run IMAGE --help' "exit $rc: $(one_line <<<"$out")"; fi

out=$(echo hosts | timeout 120 "$ENGINE" run -i --rm --no-healthcheck "$IMAGE" 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q 'terminal mode (1 host from built-in defaults' <<<"$out" && ! grep -q EACCES <<<"$out"; then
  result PASS 'bot, no config: terminal mode, store in /data' "exit 0: $(grep -m1 'terminal mode' <<<"$out" | cut -c1-80)…"
else result FAIL 'bot, no config: terminal mode, store in /data' "exit $rc: $(one_line <<<"$out")"; fi

leftovers=$(run "$IMAGE" sh -c "find /app -type f -exec grep -lE -- '^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----' {} +" 2>&1)
if [ -z "$leftovers" ]; then result PASS 'no private keys under /app' "find /app -type f | grep '^-----BEGIN … PRIVATE KEY-----': none"
else result FAIL 'no private keys under /app' "$(one_line <<<"$leftovers")"; fi

leftovers=$(run "$IMAGE" sh -c "find /app \( -name '*.map' -o -path '*/build/*' \( -name 'obj*' -o -name .deps -o -name '*.mk' -o -name Makefile \
  -o -name config.gypi \) -o -path '*/node_modules/*' -type d \( -name test -o -name tests -o -name fixtures \) \) -print | head -5" 2>&1)
if [ -z "$leftovers" ]; then result PASS 'no build leftovers, source maps or test dirs' 'none under /app'
else result FAIL 'no build leftovers, source maps or test dirs' "$(one_line <<<"$leftovers")"; fi

# --- against a real test host and Slack doubles ---
exec 3> >(exec node --import tsx scripts/image-smoke-host.ts "$WORK" >"$WORK/helper.log" 2>&1)
HELPER_PID=$!
for _ in $(seq 150); do [ -e "$WORK/ready" ] || ! kill -0 "$HELPER_PID" 2>/dev/null && break; sleep 0.2; done
if [ ! -e "$WORK/ready" ]; then
  result FAIL 'test host (sshd + app) and Slack doubles' "$(tail -5 "$WORK/helper.log" | one_line)"
  table
  exit 1
fi
# shellcheck disable=SC1091
. "$WORK/helper.env"
echo "--- config the container gets (/config/moneymind.yml) ---" >&2
cat "$WORK/helper.log" >&2
key_mode=$(stat -c '%u:%g %a' "$WORK/ssh_key")
MOUNTS=(-v "$WORK/moneymind.yml:/config/moneymind.yml:ro" -v "$WORK/ssh_key:/run/secrets/moneymind_ssh_key:ro")

out=$(run --network host "${MOUNTS[@]}" "$IMAGE" status smoke-1 --json 2>"$WORK/status.err")
rc=$?
summary=$(node -e '
  const r = JSON.parse(process.argv[1]).hosts[0];
  const bad = r.checks.filter((c) => c.status !== "ok").map((c) => c.id + "=" + c.status);
  console.log(`${r.name} ok=${r.ok}, ${r.checks.length} checks${bad.length ? ", not ok: " + bad.join(" ") : " ok"}`);
  process.exit(r.name === "smoke-1" && r.ok ? 0 : 1);' "$out" 2>&1)
parsed=$?
if [ $rc = 0 ] && [ $parsed = 0 ]; then result PASS 'CLI: status smoke-1 --json over SSH' "exit 0, key $key_mode mounted: $summary"
else result FAIL 'CLI: status smoke-1 --json over SSH' "exit $rc, key $key_mode: $summary $(one_line <"$WORK/status.err")"; fi

# wait_healthz PORT WANT_CODE: polls /healthz for 60 s; prints the last code and body
wait_healthz() {
  local code body
  for _ in $(seq 120); do
    body=$(curl -s -m 2 -w '\n%{http_code}' "http://127.0.0.1:$1/healthz" 2>/dev/null)
    code=${body##*$'\n'}
    [ "$code" = "$2" ] && break
    sleep 0.5
  done
  echo "$code ${body%$'\n'*}"
}
# healthcheck NAME: the image's HEALTHCHECK, run once
healthcheck() {
  if [ "$ENGINE" = podman ]; then
    podman healthcheck run "$1" >/dev/null 2>&1 && echo healthy || echo unhealthy
  else
    for _ in $(seq 45); do
      s=$(docker inspect --format '{{.State.Health.Status}}' "$1")
      [ "$s" != starting ] && break
      sleep 2
    done
    echo "$s"
  fi
}

port=$(free_port)
name="$PREFIX-http"
CONTAINERS+=("$name")
$ENGINE run -d --name "$name" --network host "${MOUNTS[@]}" -e SLACK_BOT_TOKEN=xoxb-smoke-test -e SLACK_SIGNING_SECRET=smoke-signing-secret \
  -e SLACK_API_URL="$SLACK_API_URL_UP" -e PORT="$port" "$IMAGE" >/dev/null 2>"$WORK/run.err" ||
  result FAIL 'HTTP mode: run' "$(one_line <"$WORK/run.err")"
got=$(wait_healthz "$port" 200)
if [ "${got%% *}" = 200 ]; then result PASS 'HTTP mode: /healthz 200 (Slack Web API double)' "$(cut -c1-100 <<<"$got")"
else result FAIL 'HTTP mode: /healthz 200 (Slack Web API double)' "$(cut -c1-100 <<<"$got") $($ENGINE logs "$name" 2>&1 | tail -3 | one_line)"; fi
h=$(healthcheck "$name")
[ "$h" = healthy ] && result PASS 'HTTP mode: HEALTHCHECK' "$h" || result FAIL 'HTTP mode: HEALTHCHECK' "$h"
store=$($ENGINE exec "$name" sh -c 'id -u; stat -c "%U %a %n" "$(readlink -f /app/data/moneymind.db)"' 2>&1 | one_line)
if [[ "$store" == "1000 node 600 /data/moneymind.db"* ]]; then result PASS 'HTTP mode: uid 1000, no watch.store: store in /data' "$store"
else result FAIL 'HTTP mode: uid 1000, no watch.store: store in /data' "$store"; fi
$ENGINE rm -f -v "$name" >/dev/null 2>&1

port=$(free_port)
name="$PREFIX-socket"
CONTAINERS+=("$name")
$ENGINE run -d --name "$name" --network host "${MOUNTS[@]}" -e SLACK_BOT_TOKEN=xoxb-smoke-test -e SLACK_APP_TOKEN=xapp-smoke-test \
  -e SLACK_API_URL="$SLACK_API_URL_DOWN" -e METRICS_PORT="$port" "$IMAGE" >/dev/null 2>"$WORK/run.err" ||
  result FAIL 'Socket Mode: run' "$(one_line <"$WORK/run.err")"
got=$(wait_healthz "$port" 503)
h=$(healthcheck "$name")
if [ "${got%% *}" = 503 ] && grep -q 'slack: connecting' <<<"$got" && [ "$h" = healthy ]; then
  result PASS 'Socket Mode, Slack down: HEALTHCHECK healthy' "/healthz $(cut -c1-60 <<<"$got")…; HEALTHCHECK: $h"
else result FAIL 'Socket Mode, Slack down: HEALTHCHECK healthy' "/healthz $(cut -c1-90 <<<"$got"); HEALTHCHECK: $h"; fi
$ENGINE rm -f -v "$name" >/dev/null 2>&1

size=$($ENGINE image inspect --format '{{.Size}}' "$IMAGE")
result INFO 'image size' "$((size / 1000000)) MB$([ "$ENGINE" = podman ] && echo ' (stand-in base, about 247 MB of it: not representative)')"

table
exit $FAILED
