#!/usr/bin/env bash
# Puts the published study where cltbench and its tests read it, and checks it is the one they were
# written for: github.com/abdulsal3m/left-behind-clt at the commit below, at $CLTBENCH_STUDY or else
# ../shared/left-behind-clt beside this project. A folder already there is never changed, only checked.
#
#   scripts/get-study.sh                           # clone + check out + verify (needs git and network)
#   CLTBENCH_STUDY=/data/left-behind-clt scripts/get-study.sh
#
# Verifies benchmark/, results/, grades/ and scripts/ against src/test/resources/dev/cltbench/
# published-study.sha256 (SHA-256 per file); exit 0 when every file matches, 1 otherwise.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
commit=59a17bb26e5f29d593e79f63ce7047458aaf4d58
url="${CLTBENCH_STUDY_URL:-https://github.com/abdulsal3m/left-behind-clt.git}"
dest="${CLTBENCH_STUDY:-$home/../shared/left-behind-clt}"
manifest="$home/src/test/resources/dev/cltbench/published-study.sha256"

if [ -e "$dest" ]; then
  echo "get-study: $dest exists; checking it (nothing is changed)" >&2
else
  mkdir -p "$(dirname "$dest")"
  # autocrlf off: the checksums are of the files as committed, line endings included.
  git clone --quiet --no-checkout --config core.autocrlf=false "$url" "$dest"
  git -C "$dest" checkout --quiet "$commit"
fi

if command -v sha256sum >/dev/null 2>&1; then
  check=(sha256sum --check --quiet --strict)
else
  check=(shasum -a 256 --check --quiet --strict)   # macOS
fi
if (cd "$dest" && "${check[@]}") < "$manifest"; then
  echo "get-study: $(cd "$dest" && pwd) holds abdulsal3m/left-behind-clt at ${commit:0:7}" \
    "($(wc -l < "$manifest" | tr -d ' ') files match published-study.sha256)"
else
  echo "get-study: $dest differs from abdulsal3m/left-behind-clt at ${commit:0:7} (files above);" \
    "move it aside and run this again, or point CLTBENCH_STUDY elsewhere" >&2
  exit 1
fi
