#!/usr/bin/env bash
# Full-build benchmark: generates corpora with the shared generator, builds each
# several times and prints median wall time, CPU time (user+sys of the build
# process), peak RSS and the stage breakdown of `praxis build --timings`.
#
#   benches/run.sh [SIZES...]        default: 1000 10000 100000
#   RUNS=5 OUT=/dev/shm/praxis-bench benches/run.sh 10000
#   SWITCHES=off benches/run.sh       search = false, feeds = false in site.toml
#   OUTPUT=fresh benches/run.sh       every build into an empty output folder
#                                     (default: reuse, the output and the kept
#                                     previous output of the run before are there)
#
# Corpora are cached in $OUT/corpus-N (delete to regenerate), their themes/ replaced
# by this tree's on every run; output goes to $OUT (tmpfs by default). Several
# checkouts measuring at once should each use their own OUT. Needs python3 and GNU
# time (/usr/bin/time).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
runs="${RUNS:-5}"
out="${OUT:-/dev/shm/praxis-bench}"
gen="${GEN:-$here/../shared/bench/gen-corpus.py}"
switches="${SWITCHES:-off}"
output="${OUTPUT:-reuse}"
bin="$here/target/release/praxis"

[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
[ -f "$gen" ] || { echo "corpus generator not found: $gen (set GEN=)" >&2; exit 2; }
(cd "$here" && cargo build --release --quiet)
mkdir -p "$out"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf '%-8s %-9s %-7s %10s %10s %10s\n' entries switches output "wall s" "cpu s" "peak MiB"
for n in "${sizes[@]}"; do
  corpus="$out/corpus-$n"
  if [ ! -f "$corpus/site.toml" ]; then
    rm -rf "$corpus"
    python3 "$gen" --entries "$n" --seed 1 --out "$corpus" --flavor praxis >/dev/null
  fi
  # the templates are part of what is measured: always this tree's
  rm -rf "$corpus/themes"
  cp -r "$here/themes" "$corpus/themes"
  cfg="$corpus/site.toml"
  sed -i '/^search = /d; /^feeds = /d' "$cfg"
  if [ "$switches" = off ]; then
    # top-level keys must come before the first table
    sed -i '1i search = false\nfeeds = false' "$cfg"
  fi
  walls=(); cpus=(); rss=()
  # the first build leaves the output and its kept predecessor for the timed runs
  "$bin" --root "$corpus" --quiet build --no-import --output "$out/site-$n" >/dev/null
  for _ in $(seq "$runs"); do
    if [ "$output" = fresh ]; then
      rm -rf "$out/site-$n" "$out/.site-$n.praxis-prev"
    fi
    stats="$(mktemp)"
    /usr/bin/time -f '%e %U %S %M' -o "$stats" \
      "$bin" --root "$corpus" --quiet build --no-import --output "$out/site-$n" >/dev/null
    read -r wall user sys maxkb <"$stats"
    rm -f "$stats"
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)"); rss+=("$((maxkb / 1024))")
  done
  printf '%-8s %-9s %-7s %10s %10s %10s\n' "$n" "$switches" "$output" \
    "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median)"
  "$bin" --root "$corpus" build --no-import --timings --output "$out/site-$n" | sed -n '2,$p' | sed 's/^/    /'
done
