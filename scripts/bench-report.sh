#!/usr/bin/env bash
# Benchmark: `report` on the published study, N times with language identification and N times
# without, alternating (so machine noise hits both alike); prints each wall time, the means, and what
# language identification adds.
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
echo "report on the published study (2,000 responses), $(nproc) cores:"
echo "  mean wall with language identification:    $mw s (target < 30 s)"
echo "  mean wall without language identification: $mo s"
echo "  language identification adds:              $(echo "scale=1; ($mw - $mo) * 100 / $mo" | bc) % (target < 20 %)"
