#!/usr/bin/env bash
# Benchmark: `report` on the published study, N times with language identification and N times
# without, alternating (so machine noise hits both alike); prints each wall time, the means, and what
# language identification adds, with a 95% interval (use N >= 8 on a noisy machine).
#
#   scripts/bench-report.sh [N=3] [--study=../shared/left-behind-clt]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
n="${1:-3}"
study="${2:---study=../shared/left-behind-clt}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
./cltbench --help >/dev/null   # builds the jar first if needed, outside the timings
declare -a with without
for i in $(seq 1 "$n"); do
  for mode in true false; do
    start=$(date +%s.%N)
    ./cltbench report "$study" --output="$out/r-$mode-$i" --languageId=$mode >/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    printf 'run %d  languageId=%-5s  %6.1f s wall\n' "$i" "$mode" "$t"
    if [ "$mode" = true ]; then with+=("$t"); else without+=("$t"); fi
  done
done
mean() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.1f", s/NR}'; }
mw=$(mean "${with[@]}"); mo=$(mean "${without[@]}")
# This machine's speed drifts by a third from one run to the next, so the added share comes with a 95%
# interval from the paired differences (Student t), not as a bare ratio of means.
interval=$(paste <(printf '%s\n' "${with[@]}") <(printf '%s\n' "${without[@]}") | awk '
  BEGIN { split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12 2.11 2.10 2.09 2.09", t, " ") }
  { d[NR] = $1 - $2; sd += d[NR]; so += $2 }
  END {
    n = NR; md = sd / n; mo = so / n
    if (n < 2) { printf "n/a (one run)"; exit }
    for (i = 1; i <= n; i++) v += (d[i] - md) ^ 2
    half = (n - 1 <= 20 ? t[n - 1] : 2.0) * sqrt(v / (n - 1) / n)
    printf "%.1f to %.1f %%", (md - half) * 100 / mo, (md + half) * 100 / mo
  }')
echo "report on the published study (2,000 responses), $(nproc) cores, $n runs each:"
echo "  mean wall with language identification:    $mw s (target < 30 s)"
echo "  mean wall without language identification: $mo s"
echo "  language identification adds:              $(echo "scale=1; ($mw - $mo) * 100 / $mo" | bc) % (95% interval $interval; target < 20 %)"
