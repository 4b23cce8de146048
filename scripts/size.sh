#!/usr/bin/env bash
# Prints the size of each file in dist/ (or the folder given), raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-dist}
printf '%-22s %10s %10s\n' file bytes gzip-9
for f in "$dir"/*; do
  [ -f "$f" ] || continue
  printf '%-22s %10d %10d\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
