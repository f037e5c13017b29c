#!/usr/bin/env bash
# Benchmark: two Flink TaskManagers against one emulated provider account with a request quota
# (scripts/quota/account-quota.json: 1,200 requests a minute for all callers, announced in the
# providers' rate-limit headers, 429 beyond it). Runs `run` on a standalone cluster of its own
# (scripts/flink-cluster.sh, stopped on exit) and prints the emulator's count of requests, the 429s
# among them, and the answered requests a second against the quota's, with the machine's load.
#
#   scripts/quota-benchmark.sh [--epochs=N (default 3)] [--jar=PATH (default target/cltbench.jar)]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
epochs=3
jar="$home/target/cltbench.jar"
for a in "$@"; do
  case "$a" in
    --epochs=*) epochs="${a#*=}" ;;
    --jar=*) jar="$(cd "$(dirname "${a#*=}")" && pwd)/$(basename "${a#*=}")" ;;
    *) echo "quota-benchmark: unknown option $a" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "quota-benchmark: no jar at $jar (mvn -DskipTests package)" >&2; exit 2; }
work="$(mktemp -d)"
cluster="$work/cluster"
cleanup() { scripts/flink-cluster.sh stop --dir="$cluster" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
rest="$(scripts/flink-cluster.sh start --dir="$cluster" --slots=2 --taskmanagers=2 | sed -n 's/^rest=//p')"
flags="$(grep -v '^#' scripts/java17-flags.txt | grep -v '^[[:space:]]*$' | tr '\n' ' ')"
echo "load before: $(uptime)"
start=$(date +%s.%N)
# shellcheck disable=SC2086
java $flags -Xmx1g -jar "$jar" run --pipeline=scripts/quota/account-quota.json --epochs="$epochs" --cache= \
  --output="$work/out" --progressSeconds=0 --runner=FlinkRunner --flinkMaster="$rest" --parallelism=2 \
  --filesToStage="$jar" >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
end=$(date +%s.%N)
echo "load after:  $(uptime)"
grep -E '^(tuples|model calls|emulator):' "$work/run.log"
printf 'wall %.1f s (epochs %s, 2 TaskManagers x 2 slots, parallelism 2)\n' "$(echo "$end - $start" | bc)" "$epochs"
