#!/usr/bin/env bash
# Functions of scripts/compose-replicas-smoke.sh (sourced by it, after its settings: PROJECT, COMPOSE,
# WORK, the container names, RESULTS): teardown, the result table, /healthz and the store's SQL.

# Everything this run started carries the project's label (podman-compose sets it on containers,
# networks and volumes), except the bots' anonymous /data volumes (the image's VOLUME): podman-compose
# 1.0.3's `down -v` removes the containers without them, so they are read from the containers first.
teardown() {
  local ids vols
  ids=$(podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null || true)
  vols=$(for id in $ids; do podman inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' "$id" 2>/dev/null; done || true)
  "${COMPOSE[@]}" down -v -t 15 >"$WORK/down.log" 2>&1 || true
  ids=$(podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null || true)
  [ -z "$ids" ] || podman rm -f -v -t 15 $ids >/dev/null 2>&1 || true
  DOWN_LEFT=0 # what `down -v` left, for the report
  for v in $vols; do
    if podman volume exists "$v" 2>/dev/null; then DOWN_LEFT=$((DOWN_LEFT + 1)); podman volume rm -f "$v" >/dev/null 2>&1 || true; fi
  done
  ids=$(podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null || true)
  [ -z "$ids" ] || podman volume rm -f $ids >/dev/null 2>&1 || true
  podman network exists "${PROJECT}_default" 2>/dev/null && podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
}
stop_helper() {
  exec 3>&- 2>/dev/null || true # the helper stops when its stdin ends…
  if [ -n "$HELPER_PID" ] && kill -0 "$HELPER_PID" 2>/dev/null; then
    kill -TERM "$HELPER_PID" 2>/dev/null || true # …or on SIGTERM
    for _ in $(seq 60); do kill -0 "$HELPER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$HELPER_PID" 2>/dev/null || true # it exits on its own within 10 s; this is the last resort
  fi
  HELPER_PID=
}
cleanup() {
  trap - EXIT INT TERM
  teardown
  stop_helper
  rm -rf "$WORK"
}
on_signal() { exit 130; } # a function: bash 5.2 misparses a trap string run inside $(…)

ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s", (b - a) / 1000 }'; }
# result PASS|FAIL|INFO NAME TIME DETAIL
result() {
  RESULTS+=("$(printf '%-5s %-52s %8s  %s' "$1" "$2" "$3" "$4")")
  if [ "$1" = FAIL ]; then FAILED=1; fi
  printf '  %-5s %-52s %8s  %s\n' "$1" "$2" "$3" "$4" >&2
}
table() {
  echo
  echo "compose replicas smoke test: $COMPOSE_FILE + $OVERRIDE, project $PROJECT"
  echo "store: $STORE_IMAGE = STAND-IN for mariadb:11.4 (Debian 12 MariaDB 10.11); bots: $BOT_IMAGE (container-build, stand-in node base)"
  printf '%-5s %-52s %8s  %s\n' RESULT CHECK TIME DETAIL
  printf '%s\n' "${RESULTS[@]}"
  echo "total: $(secs "$T_START" "$(ms)")"
  if ((FAILED)); then echo "FAIL"; else echo "PASS: all checks"; fi
}
one_line() { tr '\n' ' ' | sed 's/  */ /g; s/ $//' | cut -c1-150; }
# On a failure, what the containers said, before teardown removes them
dump_logs() {
  local c
  for c in "$STORE" "$BOT_A" "$BOT_B"; do
    podman container exists "$c" 2>/dev/null || continue
    echo "--- podman logs $c (last 15 lines) ---" >&2
    podman logs --tail 15 "$c" 2>&1 | cut -c1-300 >&2 || true
  done
}
abort() { dump_logs; table; exit 1; }
# healthz PORT: "CODE BODY" from the published port, or "000 " if nothing answers
healthz() {
  local out
  out=$(curl -s -m 2 -w '\n%{http_code}' "http://127.0.0.1:$1/healthz" 2>/dev/null) || true
  echo "${out##*$'\n'} ${out%$'\n'*}"
}
# field JSON NAME: one field of /healthz's body ("" if absent or not JSON)
field() { node -e 'try { const v = JSON.parse(process.argv[1])[process.argv[2]]; console.log(v ?? "") } catch { console.log("") }' "$1" "$2"; }
# store_sql SQL: as root inside the store container (its MARIADB_ROOT_PASSWORD from store.env)
store_sql() { podman exec "$STORE" sh -c 'mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" -N -B -e "$1"' sh "$1" | tr '\t' ' '; }
