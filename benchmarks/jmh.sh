#!/usr/bin/env bash
# JMH micro-benchmarks of the bridge's per-record hot path (cursor and frame encoding). They live in
# bridge-service's test sources (they use its package-private types and compile with every build);
# this compiles them and runs JMH with the given arguments, e.g.
#   benchmarks/jmh.sh                  all of them
#   benchmarks/jmh.sh Cursor           one class (a regular expression)
#   benchmarks/jmh.sh -f 0 -wi 0 -i 1 -r 100ms   a quick check that they run (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl bridge-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test > /dev/null
cp="bridge-service/target/test-classes:bridge-service/target/classes:$(cat bridge-service/target/test.classpath)"
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
