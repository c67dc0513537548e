# Shell helpers shared by demo.sh, benchmarks/run.sh and the CI scripts. Sourced, not run.
# shellcheck shell=bash

# The runnable jar a module built (not -plain, -sources or -tests), or nothing when there is none yet.
# Never fails: under `set -e -o pipefail` a missing jar is an answer, not an error.
jar_of() {
  local jar
  for jar in "$1"/target/"$1"-*.jar; do
    case $jar in *-plain.jar | *-sources.jar | *-tests.jar) continue ;; esac
    if [[ -f $jar ]]; then
      printf '%s\n' "$jar"
      return 0
    fi
  done
  return 0
}

# True when every named module has a jar newer than every source it is built from (its own sources, the
# schemas it embeds, the poms). False when a jar is missing or stale.
jars_current() {
  local module jar
  for module in "$@"; do
    jar=$(jar_of "$module")
    [[ -n $jar ]] || return 1
    if [[ -n "$(find "$module/src" "$module/pom.xml" schemas/src schemas/pom.xml pom.xml \
        -newer "$jar" -print -quit)" ]]; then
      return 1
    fi
  done
  return 0
}

# True when something accepts TCP connections on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops these processes: TERM, up to 30 s for them to end cleanly (JVMs end their streams and close Kafka),
# then KILL whatever is left.
stop_processes() {
  (($#)) || return 0
  kill "$@" 2>/dev/null || true
  local pid alive
  for _ in $(seq 1 30); do
    alive=false
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 1
  done
  kill -9 "$@" 2>/dev/null || true
}
