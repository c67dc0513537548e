#!/usr/bin/env bash
# The soak (benchmarks/README.md, "Soak"): the whole product at once for an hour by default, checked all the while.
# Starts its own broker (kept data, restarted at a quarter of the run), the simulators at demo rates, and the bridge
# (restarted at six tenths), with --clients clients of every kind and hostile requests beside them; writes
# samples.csv, four PNG charts and report.md to benchmarks/target/soak (--soak-dir), and exits 1 when anything was
# lost, repeated or stalled, a hostile request got a 5xx, or memory grew.
#
#   benchmarks/soak.sh                                   # an hour, 2,000 clients
#   benchmarks/soak.sh --duration PT2H                   # two hours
#   benchmarks/soak.sh --duration PT2M --clients 200 --token-life PT40S --churn-period PT40S --warmup PT20S \
#     --flood-every 40 --flood-size 300                  # the two-minute version CI runs
#
# Any load-generator option may follow (see benchmarks/README.md); later ones replace these defaults. BRIDGE_JAVA
# runs the bridge on another JDK; BRIDGE_OPTS adds its JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/target

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
if ! jars_current bridge-service simulators benchmarks; then
  echo "building the jars (log: benchmarks/target/soak-build.log)"
  ./mvnw -B -ntp -DskipTests -Dmaven.jar.forceCreation=true package > benchmarks/target/soak-build.log 2>&1 \
    || { tail -n 40 benchmarks/target/soak-build.log; exit 1; }
fi
# 2,000 streams, the flood and the half-written requests need descriptors: as many as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec java -Djava.awt.headless=true -Xmx1g -jar "$(jar_of benchmarks)" soak \
  --bridge-jar "$(jar_of bridge-service)" --simulators-jar "$(jar_of simulators)" \
  --bridge-java "${BRIDGE_JAVA:-java}" --bridge-opts "${BRIDGE_OPTS:-}" \
  --clients 2000 --rate 5 --keys 20 --duration PT1H --warmup PT5M --connect-rate 100 --local-addresses 20 "$@"
