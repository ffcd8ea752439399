#!/usr/bin/env bash
# The cache's effect: `extract --cache` over a folder twice, the first run
# into an empty cache, the second over the unchanged folder.
#
#   bash scripts/cache-bench.sh [CORPUS]      (default: ../shared/corpus/dev)
#
# Prints wall and CPU seconds of both runs (from /usr/bin/time), the ratio,
# the summary line of each run ("N from cache"), and whether the two outputs
# are byte-identical (cmp). It measures and never judges: the exit code is 0
# whatever the figures, non-zero only when a run breaks or the outputs differ.
#
# Environment:
#   SKIP_BUILD=1   use the existing target/release binary
#   JOBS=N         --jobs for both runs (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/dev}
[ -d "$corpus" ] || { echo "no folder $corpus" >&2; exit 2; }
[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release --quiet
bin=target/release/contract-milestones
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=()
[ -n "${JOBS:-}" ] && jobs=(--jobs "$JOBS")

run() { # NAME
  # Exit code 1 (some document not ok) is a normal outcome of a corpus run.
  /usr/bin/time -f '%e %U %S' -o "$tmp/$1.time" \
    "$bin" extract "$corpus" "${jobs[@]}" --cache "$tmp/cache" -o "$tmp/$1.json" 2>"$tmp/$1.err" || [ $? -eq 1 ]
  read -r wall user sys < <(tail -n1 "$tmp/$1.time")
  printf '%-6s wall %6.2fs  cpu %6.2fs  %s\n' "$1" "$wall" "$(echo "$user + $sys" | bc)" "$(tail -n1 "$tmp/$1.err")"
}

echo "corpus: $corpus ($(find "$corpus" -iname '*.pdf' | wc -l) PDFs)"
run first
run second
w1=$(tail -n1 "$tmp/first.time" | cut -d' ' -f1); w2=$(tail -n1 "$tmp/second.time" | cut -d' ' -f1)
echo "second/first wall: $(echo "scale=3; $w2 / $w1" | bc)"
echo "cache size: $(du -sh "$tmp/cache" | cut -f1)"
if cmp -s "$tmp/first.json" "$tmp/second.json"; then
  echo "outputs: identical"
else
  echo "outputs: DIFFER"; exit 1
fi
