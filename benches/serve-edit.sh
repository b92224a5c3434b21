#!/usr/bin/env bash
# Save-to-reload time of `praxis serve`: serves a copy of a benchmark corpus, edits
# one entry's title three times and prints serve's log, whose
# "reload sent N ms after the change" lines are the figure.
#
#   benches/serve-edit.sh [ENTRIES]      default 10000; run benches/run.sh first
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
corpus="${OUT:-/dev/shm/praxis-bench}/corpus-$n"
[ -f "$corpus/site.toml" ] || { echo "no corpus at $corpus: run benches/run.sh $n first" >&2; exit 2; }
(cd "$here" && cargo build --release --quiet)
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$corpus" "$work/site"
log="$work/serve.log"
"$here/target/release/praxis" --root "$work/site" serve --timings --port "${PORT:-18231}" >"$log" 2>&1 &
pid=$!
until grep -q "^serving" "$log"; do sleep 0.5; done
entry="$(ls "$work"/site/content/*.md | sed -n "$((n / 2))p")"
for i in 1 2 3; do
  sleep 2
  sed -i "s/^\(title = .*\)\"$/\1 $i\"/" "$entry"
  sleep 6
done
cat "$log"
