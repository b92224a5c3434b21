#!/usr/bin/env bash
# Side-by-side benchmark: the same generated corpus built by Hugo 0.111 (the
# version the speed targets name) and by praxis, interleaved run by run so that
# the machine's drift in speed falls on both alike. Prints each run and medians
# of wall time, CPU time and peak memory. praxis builds with search and feeds
# off, as in the targets; output goes to tmpfs.
#
#   benches/peers.sh [ENTRIES] [RUNS]        default: 10000 5
#
# Hugo and the one library it needs come from Debian's packages (apt-get
# download, unpacked into $OUT/hugo; nothing is installed). Its site is
# benches/hugo/: the four taxonomies, entry pages and term pages with 20 entries
# a page. Zola is not packaged here, so only its published figures compare.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
runs="${2:-5}"
out="${OUT:-/dev/shm/praxis-bench}"
gen="${GEN:-$here/../shared/bench/gen-corpus.py}"
bin="$here/target/release/praxis"

[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
[ -f "$gen" ] || { echo "corpus generator not found: $gen (set GEN=)" >&2; exit 2; }
(cd "$here" && cargo build --release --quiet)
mkdir -p "$out"

tools="$out/hugo"
hugo_bin="$tools/usr/bin/hugo"
if [ ! -x "$hugo_bin" ]; then
  mkdir -p "$tools/debs"
  (cd "$tools/debs" && apt-get download hugo libsass1 >/dev/null 2>&1) ||
    { echo "could not download hugo and libsass1 with apt-get download" >&2; exit 2; }
  for deb in "$tools"/debs/*.deb; do dpkg-deb -x "$deb" "$tools"; done
fi
export LD_LIBRARY_PATH="$tools/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
"$hugo_bin" version

praxis_corpus="$out/corpus-$n"
if [ ! -f "$praxis_corpus/site.toml" ]; then
  rm -rf "$praxis_corpus"
  python3 "$gen" --entries "$n" --seed 1 --out "$praxis_corpus" --flavor praxis >/dev/null
fi
rm -rf "$praxis_corpus/themes"
cp -r "$here/themes" "$praxis_corpus/themes"
sed -i '/^search = /d; /^feeds = /d' "$praxis_corpus/site.toml"
sed -i '1i search = false\nfeeds = false' "$praxis_corpus/site.toml"

hugo_corpus="$out/hugo-corpus-$n"
if [ ! -d "$hugo_corpus/content" ]; then
  rm -rf "$hugo_corpus"
  python3 "$gen" --entries "$n" --seed 1 --out "$hugo_corpus" --flavor hugo >/dev/null
fi
cp "$here/benches/hugo/hugo.toml" "$hugo_corpus/hugo.toml"
rm -rf "$hugo_corpus/layouts"
cp -r "$here/benches/hugo/layouts" "$hugo_corpus/layouts"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

results="$(mktemp)"
run() { # tool, command...
  local tool="$1" stats
  shift
  stats="$(mktemp)"
  /usr/bin/time -f '%e %U %S %M' -o "$stats" "$@" >/dev/null
  read -r wall user sys maxkb <"$stats"
  rm -f "$stats"
  printf '%s %s %s %s\n' "$tool" "$wall" "$(echo "$user + $sys" | bc)" "$((maxkb / 1024))" | tee -a "$results"
}
for _ in $(seq "$runs"); do
  # both into an empty folder: Hugo has no reuse of a previous output
  rm -rf "$out/hugo-site-$n"
  run hugo "$hugo_bin" --quiet --source "$hugo_corpus" --destination "$out/hugo-site-$n"
  rm -rf "$out/site-$n" "$out/.site-$n.praxis-prev"
  run praxis "$bin" --root "$praxis_corpus" --quiet build --no-import --output "$out/site-$n"
done

printf '\n%-8s %-8s %10s %10s %10s %8s\n' tool entries "wall s" "cpu s" "peak MiB" pages
for tool in hugo praxis; do
  if [ "$tool" = hugo ]; then site="$out/hugo-site-$n"; else site="$out/site-$n"; fi
  printf '%-8s %-8s %10s %10s %10s %8s\n' "$tool" "$n" \
    "$(awk -v t="$tool" '$1 == t {print $2}' "$results" | median)" \
    "$(awk -v t="$tool" '$1 == t {print $3}' "$results" | median)" \
    "$(awk -v t="$tool" '$1 == t {print $4}' "$results" | median)" \
    "$(find "$site" -name '*.html' | wc -l)"
done
rm -f "$results"
