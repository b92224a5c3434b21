# Shared by the benchmark scripts (sourced, not run): where things are, the
# checks they all need, corpus generation and one timed run.
#
# Sets: here (the checkout), out ($OUT, a tmpfs by default), gen ($GEN, the corpus
# generator), bin (this checkout's release binary).

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-/dev/shm/praxis-bench}"
gen="${GEN:-$here/../shared/bench/gen-corpus.py}"
bin="$here/target/release/praxis"

[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

# Checks for the generator; builds this checkout; makes $out.
prepare_bench() {
  [ -f "$gen" ] || { echo "corpus generator not found: $gen (set GEN=)" >&2; exit 2; }
  (cd "$here" && cargo build --release --quiet)
  mkdir -p "$out"
}

# ensure_corpus N FLAVOR DIR: generates the corpus into DIR unless it is there.
ensure_corpus() {
  local n="$1" flavor="$2" dir="$3"
  if [ ! -d "$dir/content" ] || { [ "$flavor" = praxis ] && [ ! -f "$dir/site.toml" ]; }; then
    rm -rf "$dir"
    python3 "$gen" --entries "$n" --seed 1 --out "$dir" --flavor "$flavor" >/dev/null
  fi
}

# set_switches SITE_TOML on|off: search and feeds in a praxis corpus's settings.
set_switches() {
  sed -i '/^search = /d; /^feeds = /d' "$1"
  if [ "$2" = off ]; then
    # top-level keys must come before the first table
    sed -i '1i search = false\nfeeds = false' "$1"
  fi
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# timed COMMAND...: runs it with its output discarded and prints
# "wall-seconds cpu-seconds peak-MiB" (CPU is user + sys of the process).
timed() {
  local stats wall user sys maxkb
  stats="$(mktemp)"
  /usr/bin/time -f '%e %U %S %M' -o "$stats" "$@" >/dev/null
  read -r wall user sys maxkb <"$stats"
  rm -f "$stats"
  echo "$wall $(echo "$user + $sys" | bc) $((maxkb / 1024))"
}
