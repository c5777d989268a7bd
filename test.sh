#!/usr/bin/env bash
# Installs what the tests need and runs every suite: the .NET tests (on a real PostGIS that the
# tests start themselves) and the browser tests (Debian's Chromium against a real server).
# Ends with one line of totals over all suites: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")"
ROOT=$PWD
LOGS=$(mktemp -d /tmp/dispatch-test-logs.XXXXXX)
passed=0 failed=0 skipped=0

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
add() { passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0})); skipped=$((skipped + ${3:-0})); }
totals() { echo; echo "$passed passed, $failed failed, $skipped skipped"; }

DISPATCH_EXTRA_PACKAGES="chromium fonts-noto-cjk r-base-core r-cran-surveillance redis-server libxml2-utils" ./run.sh --setup-only || { echo "set-up failed"; add 0 1 0; totals; exit 1; }

say ".NET tests (xunit, real PostGIS)"
dotnet test Dispatch.sln -c Release --nologo 2>&1 | tee "$LOGS/dotnet.log"
# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 21, Skipped: 0, Total: 21, ..."
assemblies=$(grep -cE '(Passed|Failed)! +- Failed:' "$LOGS/dotnet.log")
if [ "$assemblies" -eq 0 ]; then
  echo "the .NET tests did not run (build failure?)"; add 0 1 0
else
  while read -r f p s; do add "$p" "$f" "$s"; done < <(
    grep -E '(Passed|Failed)! +- Failed:' "$LOGS/dotnet.log" |
      sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/')
fi

say "Web unit tests (Vitest: stores, the realtime client's resume logic, the field outbox)"
(cd web && npx vitest run --reporter=default --reporter=json --outputFile.json="$LOGS/vitest.json") 2>&1 | tee "$LOGS/vitest.log"
if [ -s "$LOGS/vitest.json" ]; then
  read -r p f s < <(node -e 'const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests)' "$LOGS/vitest.json")
  add "$p" "$f" "$s"
else
  echo "the unit tests printed no results"; add 0 1 0
fi

say "Browser tests (Playwright driving /usr/bin/chromium)"
E2E_STATE=/tmp/dispatch-e2e-$$
E2E_URL=${DISPATCH_E2E_URL:-http://127.0.0.1:5181}  # another port when a second checkout tests at the same time
E2E_PIDFILE=$E2E_STATE.pid
# The server runs under a loop that starts it again whenever it exits, until $E2E_STATE.stop
# exists: a browser test restarts it (SIGTERM to the pid in DISPATCH_SERVER_PIDFILE) and watches
# the screens lose the connection, reconnect and catch up.
(
  while [ ! -e "$E2E_STATE.stop" ]; do
    # No scheduled alert scoring here: its first run of a day draws a Monte Carlo null (seconds of
    # CPU) that would land inside timing-sensitive browser checks; the alert tests score on demand.
    Database__StateDirectory=$E2E_STATE Alerts__Schedule="0 0 31 2 *" Alerts__RefreshSchedule="0 0 31 2 *" ./run.sh --no-simulate --no-history --urls "$E2E_URL" >>"$LOGS/e2e-server.log" 2>&1 &
    echo $! >"$E2E_PIDFILE"
    wait $!
  done
) &
supervisor=$!
for _ in $(seq 1 300); do
  curl -sf "$E2E_URL/health/ready" >/dev/null && break
  kill -0 "$supervisor" 2>/dev/null || break
  sleep 1
done
if curl -sf "$E2E_URL/health/ready" >/dev/null; then
  (cd web && DISPATCH_URL=$E2E_URL DISPATCH_SERVER_PIDFILE=$E2E_PIDFILE npm run --silent test:e2e) 2>&1 | tee "$LOGS/e2e.log"
  p=$(grep -oE '^ +[0-9]+ passed' "$LOGS/e2e.log" | grep -oE '[0-9]+' | tail -1)
  f=$(grep -oE '^ +[0-9]+ failed' "$LOGS/e2e.log" | grep -oE '[0-9]+' | tail -1)
  s=$(grep -oE '^ +[0-9]+ skipped' "$LOGS/e2e.log" | grep -oE '[0-9]+' | tail -1)
  [ -z "$p$f" ] && f=1 && echo "the browser tests printed no summary"
  add "${p:-0}" "${f:-0}" "${s:-0}"
else
  echo "the server for the browser tests did not become ready:"; tail -40 "$LOGS/e2e-server.log"; add 0 1 0
fi
touch "$E2E_STATE.stop"
kill -TERM "$(cat "$E2E_PIDFILE" 2>/dev/null)" 2>/dev/null
wait "$supervisor" 2>/dev/null
rm -rf "$E2E_STATE" "$E2E_STATE.stop" "$E2E_PIDFILE"

totals
[ "$failed" -eq 0 ]
