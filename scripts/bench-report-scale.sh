#!/usr/bin/env bash
# Benchmark: `report` on the published study and on synthetic studies 1x, 10x and 100x its size, on the DirectRunner and
# on embedded Flink (parallelism 2), optionally on a standalone cluster, beside the study's own
# scripts/compute_metrics.py (../shared/left-behind-clt, research code, run unchanged from a scratch copy
# with the synthetic study's results/ linked beside it, as the data's README says) on the same files;
# prints wall time, responses per second, the process's peak RSS (GNU time) and both as ratios to the
# study script's, and which JIT compilers the launcher gave the report (scripts/jvm.sh: C1 alone for a
# small study). Synthetic studies are kept under target/bench/ and reused. A run that fails is a
# FAILED row and makes the script exit 1.
#
#   scripts/bench-report-scale.sh [--scales="published 1 10 100"] [--runners="direct flink"] [--cluster] [--xmx=1536m]
#                                 [--direct-max-scale=100] [--study-script=PATH|none]
#
# --direct-max-scale skips the DirectRunner above a scale (it keeps every PCollection in memory, so
# its peak grows with the study; 100x needs about 1.5 GB of heap: with 1 GB it fails while rendering
# the page, and given more the JVM keeps a larger heap and a larger RSS without running faster).
#
# "cluster" in --runners (or --cluster) starts scripts/flink-cluster.sh for the run and stops it after;
# its RSS column is the client JVM's only (the work happens in the TaskManager).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
scales="published 1 10 100"
runners="direct flink"
xmx="1536m"
direct_max=100
seed=20260218
study_script="$home/../shared/left-behind-clt/scripts/compute_metrics.py"
failed=0
for a in "$@"; do
  case "$a" in
    --scales=*) scales="${a#*=}" ;;
    --runners=*) runners="${a#*=}" ;;
    --cluster) runners="$runners cluster" ;;
    --xmx=*) xmx="${a#*=}" ;;
    --direct-max-scale=*) direct_max="${a#*=}" ;;
    --study-script=*) study_script="${a#*=}" ;;
    *) echo "bench: unknown option $a" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 1; }
if [ "$study_script" != none ]; then
  [ -f "$study_script" ] || { echo "bench: no study script at $study_script (--study-script=none skips it)" >&2; exit 1; }
  command -v python3 >/dev/null || { echo "bench: the study script needs python3 (--study-script=none skips it)" >&2; exit 1; }
fi
for scale in $scales; do
  case "$scale" in
    published) ;;
    ''|*[!0-9]*) echo "bench: a scale is a whole number or 'published': $scale" >&2; exit 2 ;;
  esac
done
jar="$home/target/cltbench.jar"
[ -f "$jar" ] || (mvn -B -q -DskipTests package >&2)
# The java ./cltbench runs a local report with (scripts/jvm.sh: a JDK of 25 or later from its AOT
# cache when one is installed; CLTBENCH_AOT=0 for the default java alone).
. "$home/scripts/jvm.sh"
cltbench_jvm "$home" "$jar" report
jvm=("${JVM[@]}")   # a remote cluster's client is chosen per run below
work="$home/target/bench"
mkdir -p "$work"

cluster_dir="$work/cluster"
cluster_up=""
cleanup() { [ -n "$cluster_up" ] && scripts/flink-cluster.sh stop --dir="$cluster_dir" >&2 || true; }
trap cleanup EXIT

results="$work/results.tsv"
: >"$results"
for scale in $scales; do
  if [ "$scale" = published ]; then
    # The published study itself, where ./cltbench report finds it by default.
    study="${CLTBENCH_STUDY:-$home/../shared/left-behind-clt}"
    [ -d "$study/results" ] || { echo "bench: no published study at $study (see README)" >&2; exit 1; }
  else
    study="$work/synth-x$scale-s$seed"
    if [ ! -d "$study" ]; then
      java -Xmx1g -jar "$jar" synth --scale="$scale" --seed="$seed" --output="$study" >&2
    fi
  fi
  size="$(du -smL "$study" | cut -f1)"
  if [ "$study_script" != none ]; then
    # The script reads results/ beside itself: a scratch folder holds a copy and a link to the study's
    # results/ (read only: the script writes only with --export, which is not given).
    py="$work/study-script-x$scale"
    mkdir -p "$py"
    cp "$study_script" "$py/compute_metrics.py"
    ln -sfn "$study/results" "$py/results"
    echo "bench: ${scale}x with the study's compute_metrics.py ..." >&2
    log="$work/study-script-x$scale.log"
    start=$(date +%s.%N)
    if (cd "$py" && /usr/bin/time -f 'PEAK_RSS_KB %M' -o "$log.time" python3 compute_metrics.py >"$log" 2>&1); then
      end=$(date +%s.%N)
      n="$(sed -n 's/^Total responses analyzed: *\([0-9]*\)$/\1/p' "$log" | head -1)"
      rss="$(sed -n 's/^PEAK_RSS_KB //p' "$log.time")"
      awk -v s="$scale" -v mb="$size" -v n="$n" -v t0="$start" -v t1="$end" -v rss="$rss" \
        'BEGIN { w = t1 - t0; printf "%s\tstudy-py\t%s\t%d\t%.1f\t%.0f\t%.0f\t-\n", s, mb, n, w, n / w, rss / 1024 }' >>"$results"
    else
      echo "bench: ${scale}x with the study script failed, see $log" >&2
      printf '%s\t%s\t%s\t%s\tFAILED\t-\t-\t-\n' "$scale" study-py "$size" "-" >>"$results"
      failed=1
    fi
  fi
  for runner in $runners; do
    if [ "$runner" = direct ] && [ "$scale" != published ] && [ "$scale" -gt "$direct_max" ]; then
      printf '%s\t%s\t%s\t%s\tskipped\t-\t-\t-\n' "$scale" "$runner" "$size" "-" >>"$results"
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
    cltbench_jvm "$home" "$jar" report --study="$study" "${args[@]}"
    jit="$JIT"
    log="$work/report-x$scale-$runner.log"
    # A fresh output per run: one a failed run left stays for reading and never blocks the next.
    out="$work/out-x$scale-$runner.$$"
    echo "bench: ${scale}x on $runner ..." >&2
    start=$(date +%s.%N)
    if ! /usr/bin/time -f 'PEAK_RSS_KB %M' -o "$log.time" "${JVM[@]}" "-Xmx$xmx" -jar "$jar" report \
        --pipeline=pipelines/left-behind.json --study="$study" --output="$out" \
        "${args[@]}" >"$log" 2>&1; then
      echo "bench: ${scale}x on $runner failed, see $log" >&2
      printf '%s\t%s\t%s\t%s\tFAILED\t-\t-\t%s\n' "$scale" "$runner" "$size" "-" "$jit" >>"$results"
      failed=1
      continue
    fi
    end=$(date +%s.%N)
    n="$(sed -n 's/^ *responses_read *\([0-9]*\)$/\1/p' "$log" | head -1)"
    rss="$(sed -n 's/^PEAK_RSS_KB //p' "$log.time")"
    awk -v s="$scale" -v r="$runner" -v mb="$size" -v n="$n" -v t0="$start" -v t1="$end" -v rss="$rss" -v jit="$jit" \
      'BEGIN { w = t1 - t0; printf "%s\t%s\t%s\t%d\t%.1f\t%.0f\t%.0f\t%s\n", s, r, mb, n, w, n / w, rss / 1024, jit }' >>"$results"
    rm -rf "$out"
  done
done

echo
echo "report on the published study and synthetic studies (-Xmx$xmx, $(nproc) cores, $("${jvm[0]}" -version 2>&1 | head -1)$(printf '%s\n' "${jvm[@]}" | grep -q AOTCache && echo ' from its AOT cache')$(case " $runners " in *" cluster "*) echo "; a cluster's client: $(java -version 2>&1 | head -1)" ;; esac), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "x study: the ratio to the study's compute_metrics.py on the same files (python3 $(python3 --version 2>&1 | cut -d' ' -f2))"
printf '%-9s %-8s %9s %10s %9s %12s %14s %14s %14s  %s\n' scale runner "input MB" responses "wall s" "responses/s" \
  "peak RSS MB" "wall x study" "RSS x study" jit
while IFS=$'\t' read -r s r mb n w rate rss jit; do
  # The study script's row of the same scale, if any.
  pw="$(awk -F'\t' -v s="$s" '$1 == s && $2 == "study-py" { print $5 }' "$results")"
  prss="$(awk -F'\t' -v s="$s" '$1 == s && $2 == "study-py" { print $7 }' "$results")"
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
  label="${s}x"
  [ "$s" = published ] && label=published
  printf '%-9s %-8s %9s %10s %9s %12s %14s %14s %14s  %s\n' "$label" "$r" "$mb" "$n" "$w" "$rate" "$rss" \
    "$(ratio "$w" "$pw")" "$(ratio "$rss" "$prss")" "$jit"
done <"$results"
exit "$failed"
