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
source "$(dirname "$0")/common.sh"

sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
runs="${RUNS:-5}"
switches="${SWITCHES:-off}"
output="${OUTPUT:-reuse}"
prepare_bench

printf '%-8s %-9s %-7s %10s %10s %10s\n' entries switches output "wall s" "cpu s" "peak MiB"
for n in "${sizes[@]}"; do
  corpus="$out/corpus-$n"
  ensure_corpus "$n" praxis "$corpus"
  # the templates are part of what is measured: always this tree's
  rm -rf "$corpus/themes"
  cp -r "$here/themes" "$corpus/themes"
  set_switches "$corpus/site.toml" "$switches"
  walls=(); cpus=(); rss=()
  # the first build leaves the output and its kept predecessor for the timed runs
  "$bin" --root "$corpus" --quiet build --no-import --output "$out/site-$n" >/dev/null
  for _ in $(seq "$runs"); do
    if [ "$output" = fresh ]; then
      rm -rf "$out/site-$n" "$out/.site-$n.praxis-prev"
    fi
    read -r wall cpu mib < <(timed "$bin" --root "$corpus" --quiet build --no-import \
      --output "$out/site-$n")
    walls+=("$wall"); cpus+=("$cpu"); rss+=("$mib")
  done
  printf '%-8s %-9s %-7s %10s %10s %10s\n' "$n" "$switches" "$output" \
    "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median)"
  "$bin" --root "$corpus" build --no-import --timings --output "$out/site-$n" | sed -n '2,$p' | sed 's/^/    /'
done
