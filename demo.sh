#!/usr/bin/env bash
# The whole demo on this machine with only a JDK: a real Kafka broker (embedded in the simulators'
# process), realistic simulated streams, the bridge, and the live dashboard. Ctrl-C stops everything.
# The bridge runs scoped, as a platform serving traders would: two demo users, alice and bob, each with a token
# (minted here, in target/demo/) that names their portfolios; each sees only those portfolios and their alerts.
#
#   ./demo.sh                     dashboard on http://localhost:8080/, Kafka on 127.0.0.1:9092
#   BRIDGE_PORT=8081 KAFKA_PORT=19092 ./demo.sh
#   SEED=42 ./demo.sh             the same simulated run every time
#   FORMAT=avro SCHEMA_REGISTRY_URL=http://localhost:8081 ./demo.sh
#                                 the streams as Avro (or protobuf) through your schema registry
#
# Every step says what it does; whatever fails says what and where its log is. Never a silent exit.
set -Eeuo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

BRIDGE_PORT=${BRIDGE_PORT:-8080}
KAFKA_PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
FORMAT=${FORMAT:-json}
SCHEMA_REGISTRY_URL=${SCHEMA_REGISTRY_URL:-}
LOGS=target/demo
mkdir -p "$LOGS"

say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }

# Anything that ends the script by failing (set -e) names itself before the script exits.
trap 'say "failed (exit status $?) at demo.sh line $LINENO: $BASH_COMMAND"; say "logs: $LOGS/"' ERR

if ! command -v java > /dev/null; then
  say "no 'java' on the PATH: install a JDK 17 or newer (e.g. apt-get install openjdk-17-jdk-headless)"
  exit 1
fi
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ -z $java_version || ${java_version%%.*} -lt 17 ]]; then
  say "java on the PATH is version '${java_version:-unknown}'; the demo needs 17 or newer ($(command -v java))"
  exit 1
fi

format_args=()
bridge_format_args=()
case $FORMAT in
  json) ;;
  avro | protobuf)
    if [[ -z $SCHEMA_REGISTRY_URL ]]; then
      say "FORMAT=$FORMAT needs SCHEMA_REGISTRY_URL: the API root of a schema registry speaking the Confluent API"
      say "(Confluent Schema Registry, Apicurio's .../apis/ccompat/v7, Karapace, Redpanda)"
      exit 1
    fi
    format_args=(--format="$FORMAT" --schema-registry-url="$SCHEMA_REGISTRY_URL")
    bridge_format_args=(--bridge.schema-registry.urls="$SCHEMA_REGISTRY_URL")
    for channel in training backtest alerts dashboard; do
      bridge_format_args+=("--bridge.channels.$channel.value-format=$FORMAT")
    done
    ;;
  *)
    say "FORMAT=$FORMAT: use json (the default), avro or protobuf"
    exit 1
    ;;
esac

for port in "$BRIDGE_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT"; do
  if listening "$port"; then
    say "port $port is already in use; stop what uses it or choose others (BRIDGE_PORT, KAFKA_PORT)"
    exit 1
  fi
done

# Build when a jar is missing or older than any source it is built from. Forced: with nothing to compile (only a
# pom changed) Maven would keep the old jars, still older than that pom.
if jars_current bridge-service simulators; then
  say "using the jars already built: $(jar_of bridge-service), $(jar_of simulators)"
else
  say "building the bridge and the simulators (the first time Maven downloads what it needs: a few minutes)"
  say "build log: $LOGS/build.log"
  if ! ./mvnw -B -ntp -DskipTests -Dmaven.jar.forceCreation=true -pl bridge-service,simulators -am package > "$LOGS/build.log" 2>&1; then
    say "the build failed; the end of $LOGS/build.log:"
    tail -n 40 "$LOGS/build.log"
    exit 1
  fi
  if ! jars_current bridge-service simulators; then
    say "the build ended without fresh jars in bridge-service/target and simulators/target; see $LOGS/build.log"
    exit 1
  fi
  say "built $(jar_of bridge-service) and $(jar_of simulators)"
fi
BRIDGE_JAR=$(jar_of bridge-service)
SIMULATORS_JAR=$(jar_of simulators)

pids=()
# shellcheck disable=SC2317 # run by the EXIT trap, which shellcheck does not follow
stop() {
  trap - INT TERM EXIT ERR
  if ((${#pids[@]})); then
    say "stopping..."
    # Both JVMs get time to end streams and shut the broker down cleanly.
    stop_processes "${pids[@]}"
    wait 2>/dev/null || true
    say "stopped"
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

await() { # what, seconds, pid, log, test command...
  local what=$1 seconds=$2 pid=$3 log=$4
  shift 4
  for _ in $(seq 1 "$seconds"); do
    if "$@"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$what exited; the end of $log:"
      tail -n 30 "$log"
      exit 1
    fi
    sleep 1
  done
  say "$what did not come up in ${seconds}s; the end of $log:"
  tail -n 30 "$log"
  exit 1
}

say "starting Kafka (embedded, KRaft) on 127.0.0.1:$KAFKA_PORT and the simulators; log: $LOGS/simulators.log"
java -jar "$SIMULATORS_JAR" \
  --simulators.embedded.port="$KAFKA_PORT" --simulators.embedded.controller-port="$CONTROLLER_PORT" \
  --simulators.portfolio.portfolios=3 \
  ${SEED:+--seed="$SEED"} ${format_args[@]+"${format_args[@]}"} > "$LOGS/simulators.log" 2>&1 &
pids+=($!)
await "the simulators" 120 "${pids[0]}" "$LOGS/simulators.log" grep -q "Simulators writing to" "$LOGS/simulators.log"
say "Kafka is up and the simulators are writing ($FORMAT values${SCHEMA_REGISTRY_URL:+, schemas in $SCHEMA_REGISTRY_URL})"

# Two demo users, scoped by a record policy on their portfolios: a secret for this run, a token per user (minted by
# the bridge jar's MintToken), and the page's list of users, which the bridge serves as /demo-users.json.
secret=$(head -c 32 /dev/urandom | base64 | tr -d '\n=+/')
mint() { # user, portfolios (comma-separated)
  java -cp "$BRIDGE_JAR" -Dloader.main=dev.ssebridge.bridge.tools.MintToken \
    org.springframework.boot.loader.launch.PropertiesLauncher \
    --secret "$secret" --subject "$1" --scope "sse:*" --list "portfolios=$2" > "$LOGS/$1.token"
}
# The simulators write portfolio-001 to portfolio-003 (dashboard and risk alike): alice gets two, bob one.
say "minting the demo users' tokens: alice (portfolio-001, portfolio-003) and bob (portfolio-002)"
mint alice portfolio-001,portfolio-003
mint bob portfolio-002
mkdir -p "$LOGS/static"
printf '{"users":[{"name":"alice","portfolios":["portfolio-001","portfolio-003"],"token":"%s"},%s]}\n' \
  "$(cat "$LOGS/alice.token")" \
  "{\"name\":\"bob\",\"portfolios\":[\"portfolio-002\"],\"token\":\"$(cat "$LOGS/bob.token")\"}" \
  > "$LOGS/static/demo-users.json"
scoped=(--bridge.security.enabled=true --bridge.security.hmac-secret="$secret" --bridge.security.status-access=public
  "--bridge.channels.dashboard.policy=record.key in claims.portfolios"
  "--bridge.channels.alerts.policy=value.entity_id in claims.portfolios"
  --spring.web.resources.static-locations="file:$PWD/$LOGS/static/,classpath:/static/")

say "starting the bridge on port $BRIDGE_PORT; log: $LOGS/bridge.log"
java -jar "$BRIDGE_JAR" --server.port="$BRIDGE_PORT" --spring.profiles.active=demo "${scoped[@]}" \
  --bridge.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT" ${bridge_format_args[@]+"${bridge_format_args[@]}"} \
  > "$LOGS/bridge.log" 2>&1 &
pids+=($!)
await "the bridge" 120 "${pids[1]}" "$LOGS/bridge.log" listening "$BRIDGE_PORT"

say "dashboard:   http://localhost:$BRIDGE_PORT/   (pick alice or bob at the top: each sees only their portfolios)"
say "a stream:    curl -N -H \"Authorization: Bearer \$(cat $LOGS/alice.token)\" http://localhost:$BRIDGE_PORT/api/v1/sse/dashboard"
say "status:      http://localhost:$BRIDGE_PORT/api/v1/sse/status"
say "Kafka:       127.0.0.1:$KAFKA_PORT   logs: $LOGS/   Ctrl-C stops everything"

# Wait for either to exit (it should not) or for Ctrl-C.
while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null; do
  sleep 1
done
for i in 0 1; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    log=$([[ $i == 0 ]] && echo "$LOGS/simulators.log" || echo "$LOGS/bridge.log")
    say "$([[ $i == 0 ]] && echo "Kafka and the simulators" || echo "the bridge") exited unexpectedly; the end of $log:"
    tail -n 30 "$log"
  fi
done
exit 1
