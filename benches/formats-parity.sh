#!/usr/bin/env bash
# "Format makes no difference": converts a folder of .txt seeds to PDF, DOCX, ODT
# and HTML, imports each set with the scorer and prints every figure per format with
# its difference to the plain-text import. A difference above 3 points means a
# reader loses structure (paragraph breaks, headings).
#
#   benches/formats-parity.sh [SEEDS_DIR [GOLD]]
#   default: seeds/ with ../shared/eval/gold-seeds.toml
#   benches/formats-parity.sh /tmp/dev-real ../shared/eval/dev-real.toml
#
# LibreOffice (Writer, without a display) comes from Debian's packages when
# missing. The converted texts stay in a temporary folder.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seeds="$(cd "${1:-$here/seeds}" && pwd)"
gold="$(realpath "${2:-$here/../shared/eval/gold-seeds.toml}")"
score="${SCORE:-$here/../shared/eval/score.py}"

if ! command -v soffice >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/txt"
cp "$seeds"/*.txt "$work/txt/"

# LibreOffice reads a .txt as UTF-8 with each line a paragraph, as an editor who
# pastes the text into Writer gets it, and writes every format from that.
convert() {
    local fmt="$1" filter="$2"
    mkdir -p "$work/$fmt"
    soffice --headless --infilter="Text (encoded):UTF8,LF,,," \
        --convert-to "$fmt:$filter" --outdir "$work/$fmt" "$work"/txt/*.txt >/dev/null 2>&1
}
convert pdf writer_pdf_Export
convert docx "MS Word 2007 XML"
convert odt writer8
convert html "HTML (StarWriter)"

for fmt in txt pdf docx odt html; do
    n=$(find "$work/$fmt" -type f | wc -l)
    echo "scoring $fmt ($n files)" >&2
    python3 "$score" --project "$here" --gold "$gold" --seeds "$work/$fmt" --json >"$work/$fmt.json"
done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
fmts = ["txt", "pdf", "docx", "odt", "html"]
res = {f: json.load(open(f"{work}/{f}.json")) for f in fmts}
def figures(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            out[prefix + k] = float(v)
        elif isinstance(v, dict):
            out.update(figures(v, prefix + k + "."))
    return out
figs = {f: figures(r) for f, r in res.items()}
names = [k for k in figs["txt"] if all(k in figs[f] for f in fmts)]
print("| figure | " + " | ".join(fmts) + " |")
print("|---|" + "---|" * len(fmts))
worst = 0.0
for k in names:
    base = figs["txt"][k]
    cells = [f"{base:.3f}"]
    for f in fmts[1:]:
        v = figs[f][k]
        d = v - base
        share = k not in ("entries", "gold", "matched", "required") and abs(base) <= 1 and abs(v) <= 1
        if share:
            worst = max(worst, abs(d) * 100)
        cells.append(f"{v:.3f} ({d*100:+.1f})" if share else f"{v:g} ({d:+g})")
    print(f"| {k} | " + " | ".join(cells) + " |")
print(f"\nlargest difference to plain text: {worst:.1f} points")
PY
