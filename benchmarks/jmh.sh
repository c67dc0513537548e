#!/usr/bin/env bash
# JMH micro-benchmarks of the bridge's per-record hot path (cursor, frame and schema decoding). They live in
# the benchmarks/jmh module, which every build compiles against the bridge's public API; this compiles them
# and runs JMH with the given arguments, e.g.
#   benchmarks/jmh.sh                  all of them
#   benchmarks/jmh.sh Cursor           one class (a regular expression)
#   benchmarks/jmh.sh -f 0 -wi 0 -i 1 -r 100ms   a quick check that they run (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl benchmarks/jmh -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=runtime > /dev/null
cp="benchmarks/jmh/target/classes:$(cat benchmarks/jmh/target/jmh.classpath)"
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
