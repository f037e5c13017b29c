#!/bin/sh
# Screenshot an HTML report with headless Debian chromium (offline: no network features, fresh profile).
# Usage: scripts/screenshot-report.sh report.html out.png [width height]
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 report.html out.png [width height]" >&2
  exit 2
fi
html=$1
out=$2
width=${3:-1280}
height=${4:-3000}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium not found; as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
case "$html" in
  /*) abs=$html ;;
  *) abs=$(pwd)/$html ;;
esac
[ -f "$abs" ] || { echo "no such file: $abs" >&2; exit 1; }
case "$out" in
  /*) ;;
  *) out=$(pwd)/$out ;;
esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size="$width,$height" \
  --screenshot="$out" "file://$abs" 2>/dev/null
[ -s "$out" ] || { echo "no screenshot written: $out" >&2; exit 1; }
echo "$out"
