#!/usr/bin/env bash
# `npm run test:busy`: the whole suite on a machine made busy on purpose, to prove the tests do not
# depend on the machine's load or on a fixed port being free (CI may run on a busy machine):
# stress-ng with 4 CPU workers (on 2 cores: a load of ~4) and, on 127.0.0.1:5070 — the app port of
# the built-in `local` host — a server answering every GET with 200 {"status":"healthy"}.
# Both are bounded (stress-ng --timeout, the server dies with this script).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v stress-ng >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "error: install stress-ng first (apt-get install stress-ng)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null
fi
stress-ng --cpu 4 --timeout 5400s --quiet &
stress=$!
python3 -c '
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("content-type", "application/json"); self.end_headers()
        self.wfile.write(b"{\"status\":\"healthy\"}")
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 5070), H).serve_forever()
' &
squatter=$!
trap 'kill $stress $squatter 2>/dev/null || true' EXIT
sleep 1
kill -0 $squatter 2>/dev/null || { echo "error: could not listen on 127.0.0.1:5070 (already taken?)" >&2; exit 1; }
echo "busy machine: stress-ng --cpu 4 (pid $stress), 127.0.0.1:5070 answering 200 (pid $squatter)"
bash scripts/test.sh "$@"
