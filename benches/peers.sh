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
source "$(dirname "$0")/common.sh"

n="${1:-10000}"
runs="${2:-5}"
prepare_bench

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
ensure_corpus "$n" praxis "$praxis_corpus"
rm -rf "$praxis_corpus/themes"
cp -r "$here/themes" "$praxis_corpus/themes"
set_switches "$praxis_corpus/site.toml" off

hugo_corpus="$out/hugo-corpus-$n"
ensure_corpus "$n" hugo "$hugo_corpus"
cp "$here/benches/hugo/hugo.toml" "$hugo_corpus/hugo.toml"
rm -rf "$hugo_corpus/layouts"
cp -r "$here/benches/hugo/layouts" "$hugo_corpus/layouts"

results="$(mktemp)"
run() { # tool, command...
  local tool="$1" took
  shift
  # assigned first, so that a failed build stops the script
  took="$(timed "$@")"
  echo "$tool $took" | tee -a "$results"
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
