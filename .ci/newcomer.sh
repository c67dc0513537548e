#!/usr/bin/env bash
# The newcomer's path, run as a new user runs it: a fresh clone of this repository's HEAD with nothing
# built, then the README's commands as written, in the README's order.
#
#   1. Quick start: `./demo.sh` from the clean clone (it must build everything itself), the dashboard and the
#      four streams carry live data, Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it
#      and leaves no process. Then again with current jars and moved ports, and again with a stale jar.
#   2. "Run it against your Kafka": the package command, the bridge jar against broker1:9092,broker2:9092,
#      the curl stream, and the simulators' jar, each checked to be in README.md verbatim first.
#
# The quick start's second command (`./mvnw -B verify`) is .ci/run's own test step.
set -Eeuo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"

say() { printf '[newcomer] %s\n' "$*"; }
trap 'say "failed (exit status $?) at newcomer.sh line $LINENO: $BASH_COMMAND"' ERR

work=$(mktemp -d /tmp/ssebridge-newcomer.XXXXXX)
clone="$work/kafka-sse-bridge"
git clone -q --no-local "$repo" "$clone"
cd "$clone"
say "fresh clone of $(git rev-parse --short HEAD) in $clone"
if [[ -n "$(find . -name target -type d -print -quit)" ]]; then
  say "the clone has a target/ directory: not a clean start"
  exit 1
fi

fail() {
  say "$*"
  exit 1
}

# The README must still say what this script runs: its text with line continuations joined and runs of
# spaces squeezed.
readme_text=$(awk '{ if (sub(/\\$/, "")) printf "%s", $0; else print }' README.md | tr -s ' ')
readme_says() {
  local squeezed
  squeezed=$(printf '%s' "$1" | tr -s ' ')
  [[ $readme_text == *"$squeezed"* ]] || fail "README.md no longer says: $1 (update this script with it)"
}

events() { # port channel event -> how many events the stream delivers within 3 s, history included
  # The demo runs scoped: its user alice's token (written by demo.sh) opens the streams.
  local token
  token=$(cat target/demo/alice.token 2> /dev/null || true)
  (curl -sN --max-time 3 -H "Authorization: Bearer $token" "http://localhost:$1/api/v1/sse/$2?since=PT10M" || true) \
    | grep -c "^event: $3" || true
}

# What a browser shows: the dashboard in Debian's headless Chromium, driven by playwright-core (no browser
# download), every panel filled by the page's own stream.
(cd "$repo/.ci/browser" && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
dashboard_filled() { # port
  node "$repo/.ci/browser/dashboard-check.mjs" "http://localhost:$1/"
}

# Runs the demo as a user does (own process group, so SIGINT reaches it like a terminal's Ctrl-C), waits for
# the dashboard and the four streams, stops it with SIGINT and checks that nothing it started is left.
demo() { # label bridge-port kafka-port log-must-contain -- env assignments...
  local label=$1 bridge_port=$2 kafka_port=$3 expect=$4
  shift 5 # and the --
  local log="$work/demo-$label.log"
  for port in "$bridge_port" "$kafka_port" "$((kafka_port + 1))"; do
    if listening "$port"; then fail "port $port is taken before the demo ($label) starts"; fi
  done
  say "demo ($label): $* ./demo.sh"
  set -m
  env "$@" ./demo.sh > "$log" 2>&1 &
  local pid=$!
  set +m
  local ok=false
  for _ in $(seq 1 600); do
    if curl -fsS "http://localhost:$bridge_port/api/v1/sse/status" > /dev/null 2>&1 \
        && [ "$(events "$bridge_port" training training_progress)" -gt 0 ] \
        && [ "$(events "$bridge_port" backtest backtest_progress)" -gt 0 ] \
        && [ "$(events "$bridge_port" alerts risk_alert)" -gt 0 ] \
        && [ "$(events "$bridge_port" dashboard dashboard_update)" -gt 0 ]; then
      ok=true
      break
    fi
    if ! kill -0 "$pid" 2> /dev/null; then
      cat "$log"
      fail "demo ($label) exited before its four streams carried events"
    fi
    sleep 1
  done
  if ! $ok; then
    cat "$log"
    kill -INT -"$pid" 2> /dev/null || true
    fail "demo ($label): not every channel carried events within 10 minutes"
  fi
  dashboard_filled "$bridge_port" \
    || { kill -INT -"$pid" 2> /dev/null || true; fail "demo ($label): the dashboard did not show every panel filled"; }
  grep -q "$expect" "$log" || { cat "$log"; kill -INT -"$pid"; fail "demo ($label) did not say: $expect"; }
  grep -q "dashboard:   http://localhost:$bridge_port/" "$log" || fail "demo ($label) did not print the dashboard's address"

  kill -INT -"$pid"
  local status=0
  wait "$pid" || status=$?
  grep -q "\[demo\].* stopped" "$log" || { cat "$log"; fail "demo ($label) did not say it stopped (exit status $status)"; }
  if pgrep -g "$pid" > /dev/null; then
    fail "demo ($label) left processes behind: $(pgrep -a -g "$pid")"
  fi
  for port in "$bridge_port" "$kafka_port"; do
    if listening "$port"; then fail "demo ($label) left port $port open"; fi
  done
  say "demo ($label): dashboard and four streams live, stopped by Ctrl-C, nothing left"
}

# 1. Quick start.
readme_says "./demo.sh               # the live demo"
readme_says "BRIDGE_PORT=8081 KAFKA_PORT=19092 ./demo.sh"
readme_says "SEED=42 ./demo.sh"
demo fresh 8080 9092 "building the bridge and the simulators" --
demo current-jars 8081 19092 "using the jars already built" -- BRIDGE_PORT=8081 KAFKA_PORT=19092
# The root pom newer than the jars (a pull that only changed a dependency, say): Maven finds nothing to compile
# and, unforced, left the old jars with their old times, which demo.sh then took for a failed build.
touch pom.xml
demo stale-jar 8080 9092 "building the bridge and the simulators" -- SEED=42

# 2. Run it against your Kafka. "Your Kafka" is a real broker on 127.0.0.1:9092 (the simulators jar's
# embedded one, with every simulator off); the README's host names resolve to it for the JVMs the README's
# commands start, through a hosts file of their own (jdk.net.hosts.file), so the commands run as written.
pids=()
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if ((${#pids[@]})); then
    stop_processes "${pids[@]}"
  fi
}
trap cleanup EXIT

for port in 9092 9093 8080; do
  if listening "$port"; then fail "port $port is taken; the README's commands use it"; fi
done
say "your Kafka: a broker on 127.0.0.1:9092, with no topics"
java -jar "$(jar_of simulators)" --simulators.embedded.port=9092 --simulators.embedded.controller-port=9093 \
  --simulators.create-topics=false --simulators.training.enabled=false --simulators.backtest.enabled=false \
  --simulators.risk.enabled=false --simulators.portfolio.enabled=false > "$work/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q "Simulators writing to" "$work/kafka.log" && break; sleep 1; done
grep -q "Simulators writing to" "$work/kafka.log" || { cat "$work/kafka.log"; fail "the test broker did not start"; }

printf '127.0.0.1 localhost\n127.0.0.1 broker1\n127.0.0.1 broker2\n' > "$work/hosts"
export JAVA_TOOL_OPTIONS="-Djdk.net.hosts.file=$work/hosts"

package='./mvnw -B -DskipTests package'
bridge='java -jar bridge-service/target/bridge-service-0.1.0-SNAPSHOT.jar --bridge.kafka.bootstrap-servers=broker1:9092,broker2:9092'
stream='curl -N http://localhost:8080/api/v1/sse/training'
simulators='java -jar simulators/target/simulators-0.1.0-SNAPSHOT.jar --bootstrap-servers=broker1:9092'
for command in "$package" "$bridge" "$stream" "$simulators"; do readme_says "$command"; done

say "\$ $package"
bash -c "$package" > "$work/package.log" 2>&1 || { tail -n 60 "$work/package.log"; fail "$package failed"; }

say "\$ $bridge"
bash -c "exec $bridge" > "$work/bridge.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do listening 8080 && break; sleep 1; done
listening 8080 || { cat "$work/bridge.log"; fail "the bridge did not listen on 8080"; }

say "\$ $stream"
bash -c "exec $stream" > "$work/curl.out" 2> "$work/curl.err" &
pids+=($!)
for _ in $(seq 1 30); do grep -q "^event: connected" "$work/curl.out" && break; sleep 1; done
grep -q "^event: connected" "$work/curl.out" || { cat "$work/curl.out" "$work/curl.err"; fail "curl got no connected event"; }

say "\$ $simulators"
bash -c "exec $simulators" > "$work/simulators.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q "^event: training_progress" "$work/curl.out" && break; sleep 1; done
if ! grep -q "^event: training_progress" "$work/curl.out"; then
  tail -n 30 "$work/simulators.log" "$work/bridge.log" "$work/curl.out"
  fail "the curl stream carried no training_progress event within 2 minutes of the simulators starting"
fi
grep -q "Simulators writing to broker1:9092" "$work/simulators.log" \
  || { tail -n 30 "$work/simulators.log"; fail "the simulators did not say they write to broker1:9092"; }
say "against your Kafka: package, bridge, curl stream and simulators work as the README writes them"

if docker info > /dev/null 2>&1; then
  readme_says "docker compose up --build"
  say "a Docker engine is here, but the compose path is not exercised by CI yet"
else
  say "skipped: docker compose up --build (no Docker engine on this machine)"
fi

cleanup
pids=()
rm -rf "$work"
say "passed"
