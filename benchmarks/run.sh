#!/usr/bin/env bash
# Runs one benchmark scenario against a fresh stack on this machine: a real Kafka broker (embedded, KRaft,
# from the simulators jar with every simulator off), the bridge jar, and the load generator.
#
#   benchmarks/run.sh <idle|broadcast|fanout|storm|catchup|flood|family|smoke> [--clients N] [--rate R] [--duration PT30S] ...
#
# Options go to the load generator (see benchmarks/README.md). BRIDGE_OPTS adds bridge (or floor server) JVM
# options, e.g. BRIDGE_OPTS="-Xmx512m"; BRIDGE_ARGS bridge settings, which replace this script's own for the same
# key, e.g. BRIDGE_ARGS="--bridge.stream.max-pending-events=1000"; LOAD_OPTS the load generator's, e.g. a JFR
# recording.
# Ports: BENCH_BRIDGE_PORT (18080), BENCH_KAFKA_PORT (19092). BRIDGE_JAR runs another bridge jar than this
# tree's (a before/after comparison on the same machine and harness); BRIDGE_JAVA the java binary that runs the
# bridge or floor server (another JDK than the PATH's, for the server alone), e.g.
# BRIDGE_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.
# SERVER=kafkasse runs Wikimedia's KafkaSSE (benchmarks/kafkasse, npm) instead of the bridge, same load.
# SERVER=floor runs a bare Reactor Netty SSE server (FloorServer) that broadcasts the topic the simplest way
# and resumes from its own in-memory sequence numbers: what any stream on Reactor Netty costs, the most
# deliveries/s this machine gives, and the least a reconnect storm takes.
# SERVER=raw runs RawWriterServer: one pre-built frame written to every socket from Netty's epoll loops, no
# Reactor, no HTTP codec (broadcast, fanout, burst, idle only: it does not resume); RAW_LOOPS sets its loop count.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=${1:?usage: benchmarks/run.sh <idle|broadcast|fanout|storm|catchup|smoke> [options]}
shift
BRIDGE_PORT=${BENCH_BRIDGE_PORT:-18080}
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
LOGS=benchmarks/target/run
mkdir -p "$LOGS"

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
if ! jars_current bridge-service simulators benchmarks; then
  echo "building the jars (log: $LOGS/build.log)"
  ./mvnw -B -ntp -DskipTests -Dmaven.jar.forceCreation=true package > "$LOGS/build.log" 2>&1 || { tail -n 40 "$LOGS/build.log"; exit 1; }
fi

pids=()
stop() {
  trap - EXIT
  ((${#pids[@]})) || return 0
  stop_processes "${pids[@]}"
}
trap stop EXIT

await() { # what, seconds, test...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" && return 0; sleep 1; done
  echo "$what did not come up; see $LOGS/" >&2; exit 1
}

# Connections need file descriptors: as many as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java -jar "$(jar_of simulators)" --simulators.embedded.port="$KAFKA_PORT" \
  --simulators.embedded.controller-port="$((KAFKA_PORT + 1))" --simulators.create-topics=false \
  --simulators.training.enabled=false --simulators.backtest.enabled=false \
  --simulators.risk.enabled=false --simulators.portfolio.enabled=false > "$LOGS/kafka.log" 2>&1 &
pids+=($!)
await "Kafka" 120 grep -q "Simulators writing to" "$LOGS/kafka.log"

if [[ "${SERVER:-bridge}" == kafkasse ]]; then
  if [[ ! -d benchmarks/kafkasse/node_modules/kafka-sse ]]; then
    (cd benchmarks/kafkasse && npm install --no-audit --no-fund > /dev/null)
  fi
  java -cp "$(jar_of benchmarks)" -Dloader.main=dev.ssebridge.benchmarks.CreateTopic \
    org.springframework.boot.loader.launch.PropertiesLauncher "127.0.0.1:$KAFKA_PORT" bench.events
  PORT="$BRIDGE_PORT" BROKERS="127.0.0.1:$KAFKA_PORT" node benchmarks/kafkasse/server.js > "$LOGS/kafkasse.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  await "KafkaSSE" 60 listening "$BRIDGE_PORT"
  # shellcheck disable=SC2086 # LOAD_OPTS holds several JVM options
  java ${LOAD_OPTS:-} -jar "$(jar_of benchmarks)" "$scenario" --bridge "http://127.0.0.1:$BRIDGE_PORT" \
    --bootstrap "127.0.0.1:$KAFKA_PORT" --bridge-pid "$server_pid" --path /bench.events --connected-on headers "$@"
  exit
fi

if [[ "${SERVER:-bridge}" == floor || "${SERVER:-bridge}" == raw ]]; then
  main=FloorServer
  [[ $SERVER == raw ]] && main=RawWriterServer
  java -cp "$(jar_of benchmarks)" -Dloader.main=dev.ssebridge.benchmarks.CreateTopic \
    org.springframework.boot.loader.launch.PropertiesLauncher "127.0.0.1:$KAFKA_PORT" bench.events
  # shellcheck disable=SC2086 # BRIDGE_OPTS holds several JVM options
  ${BRIDGE_JAVA:-java} ${BRIDGE_OPTS:-} -cp "$(jar_of benchmarks)" -Dloader.main="dev.ssebridge.benchmarks.$main" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$BRIDGE_PORT" "127.0.0.1:$KAFKA_PORT" bench.events \
    ${RAW_LOOPS:-} > "$LOGS/$SERVER.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  await "the $SERVER server" 60 listening "$BRIDGE_PORT"
  # shellcheck disable=SC2086 # LOAD_OPTS holds several JVM options
  java ${LOAD_OPTS:-} -jar "$(jar_of benchmarks)" "$scenario" --bridge "http://127.0.0.1:$BRIDGE_PORT" \
    --bootstrap "127.0.0.1:$KAFKA_PORT" --bridge-pid "$server_pid" --path /floor --connected-on headers "$@"
  exit
fi

# One channel for the benchmark; limits that a load generator on one address needs. A setting in BRIDGE_ARGS
# replaces the script's own (Spring would join two values of one key into a list).
settings=(--server.port="$BRIDGE_PORT" --bridge.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT"
  --bridge.channels.bench.topic=bench.events --bridge.channels.bench.event-name=bench_event
  --bridge.admission.max-connections=100000 --bridge.admission.max-connections-per-address=100000
  --bridge.admission.connection-rate-per-address=100000 --bridge.admission.connection-burst-per-address=100000
  --bridge.admission.max-tcp-connections-per-address=100000 --bridge.admission.max-awaiting-per-address=100000
  --bridge.stream.max-pending-events=10000 --bridge.stream.max-pending-bytes=8MB
  --bridge.kafka.topic-retry-interval=1s)
# --value-format avro: the load generator writes plain binary Avro of bench_event.avsc; the bridge reads it so.
# --claim-sets N: every client streams with a token of one of N claim sets, and the channel has a record policy
# over them (status and metrics stay readable without a token, for the load generator's probes).
previous=""
load_extra=()
for arg in "$@"; do
  if [[ $previous == --value-format && $arg != json ]]; then
    settings+=(--bridge.channels.bench.value-format="$arg"
      --bridge.channels.bench.schema-file="$PWD/benchmarks/src/main/resources/bench_event.avsc")
  fi
  if [[ $previous == --claim-sets && $arg != 0 ]]; then
    secret="benchmark-secret-of-at-least-32-bytes-0123456789"
    settings+=(--bridge.security.enabled=true --bridge.security.hmac-secret="$secret"
      "--bridge.channels.bench.policy=record.key in claims.keys"
      --bridge.security.status-access=public --bridge.security.actuator-access=public)
    load_extra+=(--token-secret "$secret")
  fi
  previous=$arg
done
# family: a family of topics bench.family.<topic>, one partition each (FamilyScenario creates them); --hold is the
# tails' idle timeout.
if [[ "$scenario" == family ]]; then
  hold=PT30S
  previous=""
  for arg in "$@"; do [[ $previous == --hold ]] && hold=$arg; previous=$arg; done
  settings+=(--bridge.families.fam.topic='bench.family.{topic}' --bridge.families.fam.parameter=topic
    '--bridge.families.fam.allow=t[0-9]{4}' --bridge.families.fam.event-name=bench_event
    --bridge.families.fam.max-topics=10000 --bridge.families.fam.idle-timeout="$hold")
fi
# flood: the caps per address at accept are what is measured; the load generator's streams come from many
# addresses (--local-addresses), so the bridge's defaults stay.
if [[ "$scenario" == flood ]]; then
  kept=()
  for setting in "${settings[@]}"; do
    [[ $setting == --bridge.admission.max-tcp-connections-per-address=* \
      || $setting == --bridge.admission.max-connections-per-address=* \
      || $setting == --bridge.admission.max-awaiting-per-address=* ]] || kept+=("$setting")
  done
  settings=("${kept[@]}")
fi
read -r -a extra <<< "${BRIDGE_ARGS:-}"
args=()
for setting in "${settings[@]}"; do
  [[ " ${extra[*]} " == *" ${setting%%=*}="* ]] || args+=("$setting")
done
# shellcheck disable=SC2086 # BRIDGE_OPTS holds several JVM options
${BRIDGE_JAVA:-java} ${BRIDGE_OPTS:-} -jar "${BRIDGE_JAR:-$(jar_of bridge-service)}" "${args[@]}" "${extra[@]}" > "$LOGS/bridge.log" 2>&1 &
bridge_pid=$!
pids+=("$bridge_pid")
await "the bridge" 120 listening "$BRIDGE_PORT"

common=(--bridge "http://127.0.0.1:$BRIDGE_PORT" --bootstrap "127.0.0.1:$KAFKA_PORT" --bridge-pid "$bridge_pid")
if [[ "$scenario" == jsclient ]]; then
  # The client library in Node (benchmarks/jsclient/bench.mjs): JS_STREAMS streams (1000) as JS_MODE (client, or
  # bare: the least an EventSource-style reader does), while one load-generator client makes the producer run at
  # --rate for --warmup plus --duration; Node measures its own CPU and memory over --duration after --warmup.
  seconds() { local v=${1#PT}; v=${v%S}; echo "$v"; }
  warmup=20 duration=30 previous=""
  for arg in "$@"; do
    [[ $previous == --warmup ]] && warmup=$(seconds "$arg")
    [[ $previous == --duration ]] && duration=$(seconds "$arg")
    previous=$arg
  done
  node --expose-gc benchmarks/jsclient/bench.mjs "http://127.0.0.1:$BRIDGE_PORT" "${JS_MODE:-client}" \
    "${JS_STREAMS:-1000}" "$warmup" "$((duration - 3))" > "$LOGS/jsclient.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  await "the Node streams" 60 grep -q "^ready" "$LOGS/jsclient.log"
  # shellcheck disable=SC2086 # LOAD_OPTS holds several JVM options
  java ${LOAD_OPTS:-} -jar "$(jar_of benchmarks)" broadcast "${common[@]}" --clients 1 "$@" > "$LOGS/jsclient-load.log"
  wait "$node_pid" && status=0 || status=$?
  grep "^|" "$LOGS/jsclient.log"
  grep -E "delivered / expected|bridge CPU per delivery" "$LOGS/jsclient-load.log"
  exit "$status"
elif [[ "$scenario" == smoke ]]; then
  # Seconds, for CI: a few clients, a short broadcast, nothing may be lost.
  # shellcheck disable=SC2086 # LOAD_OPTS holds several JVM options
  java ${LOAD_OPTS:-} -jar "$(jar_of benchmarks)" broadcast "${common[@]}" --clients 20 --rate 50 --duration PT3S --warmup PT1S "$@"
else
  # shellcheck disable=SC2086 # LOAD_OPTS holds several JVM options
  java ${LOAD_OPTS:-} -jar "$(jar_of benchmarks)" "$scenario" "${common[@]}" "${load_extra[@]}" "$@"
fi
