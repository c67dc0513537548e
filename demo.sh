#!/usr/bin/env bash
# The whole demo on this machine with only a JDK: a real Kafka broker (embedded in the simulators'
# process), realistic simulated streams, the bridge, and the live dashboard. Ctrl-C stops everything.
#
#   ./demo.sh                     dashboard on http://localhost:8080/, Kafka on 127.0.0.1:9092
#   BRIDGE_PORT=8081 KAFKA_PORT=19092 ./demo.sh
#   SEED=42 ./demo.sh             the same simulated run every time
set -euo pipefail
cd "$(dirname "$0")"

BRIDGE_PORT=${BRIDGE_PORT:-8080}
KAFKA_PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
LOGS=target/demo
mkdir -p "$LOGS"

say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in "$BRIDGE_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT"; do
  if listening "$port"; then
    say "port $port is already in use; stop what uses it or choose others (BRIDGE_PORT, KAFKA_PORT)"
    exit 1
  fi
done

jar_of() { ls "$1"/target/"$1"-*.jar 2>/dev/null | grep -v -- '-plain\|sources' | head -n 1; }

# Build when a jar is missing or older than any source it is built from.
stale=false
for module in bridge-service simulators; do
  jar=$(jar_of "$module")
  if [[ -z "$jar" ]] || [[ -n "$(find "$module/src" schemas/src pom.xml "$module/pom.xml" -newer "$jar" -print -quit)" ]]; then
    stale=true
  fi
done
if $stale; then
  say "building (first time: Maven downloads its dependencies, a minute or two)..."
  ./mvnw -B -q -ntp -DskipTests package
fi
BRIDGE_JAR=$(jar_of bridge-service)
SIMULATORS_JAR=$(jar_of simulators)

pids=()
stop() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    say "stopping..."
    kill "${pids[@]}" 2>/dev/null || true
    # Give both JVMs time to end streams and shut the broker down cleanly, then make sure.
    for _ in $(seq 1 30); do
      alive=false
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
      $alive || break
      sleep 1
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    say "stopped"
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

await() { # what, seconds, pid, log, test command...
  local what=$1 seconds=$2 pid=$3 log=$4; shift 4
  for _ in $(seq 1 "$seconds"); do
    if "$@"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$what exited; the end of $log:"; tail -n 30 "$log"; exit 1
    fi
    sleep 1
  done
  say "$what did not come up in ${seconds}s; see $log"; exit 1
}

say "starting Kafka (embedded, KRaft) on 127.0.0.1:$KAFKA_PORT and the simulators..."
java -jar "$SIMULATORS_JAR" \
  --simulators.embedded.port="$KAFKA_PORT" --simulators.embedded.controller-port="$CONTROLLER_PORT" \
  ${SEED:+--seed="$SEED"} > "$LOGS/simulators.log" 2>&1 &
pids+=($!)
await "the simulators" 120 "${pids[0]}" "$LOGS/simulators.log" grep -q "Simulators writing to" "$LOGS/simulators.log"

say "starting the bridge on port $BRIDGE_PORT..."
java -jar "$BRIDGE_JAR" --server.port="$BRIDGE_PORT" --spring.profiles.active=demo \
  --bridge.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT" > "$LOGS/bridge.log" 2>&1 &
pids+=($!)
await "the bridge" 120 "${pids[1]}" "$LOGS/bridge.log" listening "$BRIDGE_PORT"

say "dashboard:   http://localhost:$BRIDGE_PORT/"
say "a stream:    curl -N http://localhost:$BRIDGE_PORT/api/v1/sse/training"
say "status:      http://localhost:$BRIDGE_PORT/api/v1/sse/status"
say "Kafka:       127.0.0.1:$KAFKA_PORT   logs: $LOGS/   Ctrl-C stops everything"

# Wait for either to exit (it should not) or for Ctrl-C.
while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null; do
  sleep 1
done
say "a process exited unexpectedly; see $LOGS/"
exit 1
