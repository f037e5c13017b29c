#!/usr/bin/env bash
# Benchmark: `report` on synthetic studies 1x, 10x and 100x the published one, on the DirectRunner and
# on embedded Flink (parallelism 2), optionally on a standalone cluster; prints wall time, responses
# per second and the JVM's peak RSS (GNU time) as a table. Synthetic studies are kept under
# target/bench/ and reused.
#
#   scripts/bench-report-scale.sh [--scales="1 10 100"] [--runners="direct flink"] [--cluster] [--xmx=3g]
#                                 [--direct-max-scale=100]
#
# --direct-max-scale skips the DirectRunner above a scale (it keeps every PCollection in memory, so
# its peak grows with the study; 100x needs about 3 GB).
#
# "cluster" in --runners (or --cluster) starts scripts/flink-cluster.sh for the run and stops it after;
# its RSS column is the client JVM's only (the work happens in the TaskManager).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
scales="1 10 100"
runners="direct flink"
xmx="3g"
direct_max=100
seed=20260218
for a in "$@"; do
  case "$a" in
    --scales=*) scales="${a#*=}" ;;
    --runners=*) runners="${a#*=}" ;;
    --cluster) runners="$runners cluster" ;;
    --xmx=*) xmx="${a#*=}" ;;
    --direct-max-scale=*) direct_max="${a#*=}" ;;
    *) echo "bench: unknown option $a" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 1; }
jar="$home/target/cltbench.jar"
[ -f "$jar" ] || (mvn -B -q -DskipTests package >&2)
mapfile -t flags < <(grep -v '^#' scripts/java17-flags.txt | grep -v '^[[:space:]]*$')
work="$home/target/bench"
mkdir -p "$work"

cluster_dir="$work/cluster"
cluster_up=""
cleanup() { [ -n "$cluster_up" ] && scripts/flink-cluster.sh stop --dir="$cluster_dir" >&2 || true; }
trap cleanup EXIT

results="$work/results.tsv"
: >"$results"
for scale in $scales; do
  study="$work/synth-x$scale-s$seed"
  if [ ! -d "$study" ]; then
    java -Xmx1g -jar "$jar" synth --scale="$scale" --seed="$seed" --output="$study" >&2
  fi
  size="$(du -smL "$study" | cut -f1)"
  for runner in $runners; do
    if [ "$runner" = direct ] && [ "$scale" -gt "$direct_max" ]; then
      printf '%s\t%s\t%s\t%s\tskipped\t-\t-\n' "$scale" "$runner" "$size" "-" >>"$results"
      continue
    fi
    case "$runner" in
      direct) args=(--runner=DirectRunner) ;;
      flink) args=(--runner=FlinkRunner --flinkMaster=[local] --parallelism=2) ;;
      cluster)
        if [ -z "$cluster_up" ]; then
          address="$(scripts/flink-cluster.sh start --dir="$cluster_dir" | sed -n 's/^rest=//p')"
          cluster_up=1
        fi
        args=(--runner=FlinkRunner "--flinkMaster=$address" --parallelism=2 "--filesToStage=$jar") ;;
      *) echo "bench: unknown runner $runner" >&2; exit 2 ;;
    esac
    log="$work/report-x$scale-$runner.log"
    echo "bench: ${scale}x on $runner ..." >&2
    start=$(date +%s.%N)
    if ! /usr/bin/time -f 'PEAK_RSS_KB %M' -o "$log.time" java "-Xmx$xmx" "${flags[@]}" -jar "$jar" report \
        --pipeline=pipelines/left-behind.json --study="$study" --output="$work/out-x$scale-$runner" \
        "${args[@]}" >"$log" 2>&1; then
      echo "bench: ${scale}x on $runner failed, see $log" >&2
      printf '%s\t%s\t%s\t%s\tFAILED\t-\t-\n' "$scale" "$runner" "$size" "-" >>"$results"
      continue
    fi
    end=$(date +%s.%N)
    n="$(sed -n 's/^ *responses_read *\([0-9]*\)$/\1/p' "$log" | head -1)"
    rss="$(sed -n 's/^PEAK_RSS_KB //p' "$log.time")"
    awk -v s="$scale" -v r="$runner" -v mb="$size" -v n="$n" -v t0="$start" -v t1="$end" -v rss="$rss" \
      'BEGIN { w = t1 - t0; printf "%s\t%s\t%s\t%d\t%.1f\t%.0f\t%.0f\n", s, r, mb, n, w, n / w, rss / 1024 }' >>"$results"
    rm -rf "$work/out-x$scale-$runner"
  done
done

echo
echo "report on synthetic studies (-Xmx$xmx, $(nproc) cores, $(java -version 2>&1 | head -1))"
printf '%-6s %-8s %9s %10s %9s %12s %14s\n' scale runner "input MB" responses "wall s" "responses/s" "peak RSS MB"
while IFS=$'\t' read -r s r mb n w rate rss; do
  printf '%-6s %-8s %9s %10s %9s %12s %14s\n' "${s}x" "$r" "$mb" "$n" "$w" "$rate" "$rss"
done <"$results"
