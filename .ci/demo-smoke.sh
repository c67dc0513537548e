#!/usr/bin/env bash
# Smoke test of the README's first command: ./demo.sh comes up on a real (embedded) Kafka, all four
# channels carry simulated events through the bridge, and Ctrl-C leaves no process behind.
set -euo pipefail
cd "$(dirname "$0")/.."

BRIDGE_PORT=18080
KAFKA_PORT=19092
log=target/demo-smoke.log
mkdir -p target

set -m # own process group for the demo, with SIGINT not ignored: Ctrl-C can be sent like a terminal does
BRIDGE_PORT=$BRIDGE_PORT KAFKA_PORT=$KAFKA_PORT ./demo.sh > "$log" 2>&1 &
demo=$!

fail() { echo "demo smoke test: $*"; tail -n 40 "$log"; kill -INT -"$demo" 2>/dev/null || true; exit 1; }

events() { # channel -> how many of its events the stream delivers within 3 s, history included
  (curl -sN --max-time 3 "http://localhost:$BRIDGE_PORT/api/v1/sse/$1?since=PT10M" || true) | grep -c "^event: $2" || true
}

ok=false
for _ in $(seq 1 150); do
  if curl -fsS "http://localhost:$BRIDGE_PORT/api/v1/sse/status" > /dev/null 2>&1 \
      && [ "$(events training training_progress)" -gt 0 ] && [ "$(events backtest backtest_progress)" -gt 0 ] \
      && [ "$(events alerts risk_alert)" -gt 0 ] && [ "$(events dashboard dashboard_update)" -gt 0 ]; then
    ok=true
    break
  fi
  kill -0 "$demo" 2>/dev/null || fail "demo.sh exited"
  sleep 1
done
$ok || fail "not every channel carried events within the time limit"
curl -fsS "http://localhost:$BRIDGE_PORT/" | grep -q "EventSource\|dashboard.js" || fail "no dashboard page"

kill -INT -"$demo"
wait "$demo" || true
sleep 1
if pgrep -f "embedded.port=$KAFKA_PORT|server.port=$BRIDGE_PORT" > /dev/null; then
  fail "processes left behind: $(pgrep -fa "embedded.port=$KAFKA_PORT|server.port=$BRIDGE_PORT")"
fi
echo "demo smoke test: passed"
