#!/usr/bin/env bash
# Before/after comparison: builds a corpus with another checkout's binary and
# theme and with this tree's, interleaved run by run, so that the machine's drift
# in speed falls on both alike; prints each run and the medians.
#
#   BEFORE=/path/to/other/checkout benches/compare.sh [ENTRIES] [RUNS]
#   SWITCHES=on BEFORE=... benches/compare.sh 10000 5
#   OUTPUT=fresh BEFORE=... benches/compare.sh   every build into an empty folder
#
# The other checkout must have been built with `cargo build --release`. Corpora
# come from benches/run.sh (run it first for the size); output goes to $OUT.
set -euo pipefail
source "$(dirname "$0")/common.sh"

n="${1:-10000}"
runs="${2:-5}"
switches="${SWITCHES:-off}"
output="${OUTPUT:-reuse}"
before="${BEFORE:?set BEFORE to the checkout to compare with}"
corpus="$out/corpus-$n"

[ -f "$corpus/site.toml" ] || { echo "no corpus at $corpus: run benches/run.sh $n first" >&2; exit 2; }
[ -x "$before/target/release/praxis" ] || { echo "build $before first: cargo build --release" >&2; exit 2; }
(cd "$here" && cargo build --release --quiet)
set_switches "$corpus/site.toml" "$switches"

results="$(mktemp)"
for _ in $(seq "$runs"); do
  for side in before after; do
    if [ "$side" = before ]; then tree="$before"; else tree="$here"; fi
    rm -rf "$corpus/themes"
    cp -r "$tree/themes" "$corpus/themes"
    # each side builds into its own folder, as it would on its own
    site="$out/site-$n-$side"
    if [ "$output" = fresh ]; then
      rm -rf "$site" "$out/.site-$n-$side".praxis-*
    fi
    # assigned first, so that a failed build stops the script
    took="$(timed "$tree/target/release/praxis" --root "$corpus" --quiet build \
      --no-import --output "$site")"
    echo "$side $took" | tee -a "$results"
  done
done
printf '%-8s %10s %10s %10s\n' "" "wall s" "cpu s" "peak MiB"
for side in before after; do
  printf '%-8s %10s %10s %10s\n' "$side" \
    "$(awk -v s="$side" '$1 == s {print $2}' "$results" | median)" \
    "$(awk -v s="$side" '$1 == s {print $3}' "$results" | median)" \
    "$(awk -v s="$side" '$1 == s {print $4}' "$results" | median)"
done
rm -f "$results"
