#!/usr/bin/env bash
# Profiles the server of one benchmark run with async-profiler (from Maven Central) and writes a CPU flame graph
# (self-contained HTML) of the whole run, warm-up included:
#   benchmarks/profile.sh benchmarks/profiles/bridge-broadcast-1000x10.html broadcast --clients 1000 --rate 10
#   SERVER=floor benchmarks/profile.sh benchmarks/profiles/floor-broadcast-1000x10.html broadcast ...
# Everything after the file name goes to benchmarks/run.sh. Where the kernel gives no perf events, set
# PROFILE_EVENT=itimer.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: benchmarks/profile.sh <flame graph .html> <scenario> [options]}
shift
version=4.1
dir=benchmarks/target/async-profiler
if [[ ! -f $dir/libasyncProfiler.so ]]; then
  ./mvnw -q -B -ntp dependency:copy -Dartifact="tools.profiler:async-profiler:$version" -DoutputDirectory="$dir"
  unzip -q -o -j "$dir/async-profiler-$version.jar" linux-x64/libasyncProfiler.so -d "$dir"
fi
mkdir -p "$(dirname "$out")"
file=$(realpath "$out")
export BRIDGE_OPTS="${BRIDGE_OPTS:-} -agentpath:$PWD/$dir/libasyncProfiler.so=start,event=${PROFILE_EVENT:-cpu},interval=1ms,file=$file"
exec benchmarks/run.sh "$@"
