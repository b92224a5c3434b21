#!/usr/bin/env python3
"""Regenerate data/regions.csv, the region gazetteer compiled into praxis.

Inputs (see data/README.md for versions and licences):
  * datenguidepy   (Python package): package_data/regions.csv, every Land,
    Regierungsbezirk, Kreis and Gemeinde with its regional key and parent,
    current and former ones mixed;
  * landkreise-deutschland (npm package): data/districts.csv, the current
    Kreise and kreisfreie Städte with their type.

Usage:
  python3 data/regen-regions.py                 # fetch both packages into a temp dir
  python3 data/regen-regions.py --datenguide datenguidepy-0.4.1.tar.gz \
      --landkreise landkreise-deutschland-3.0.0.tgz

Output columns: key,name,level,parent,historical,official_name
  key            regional key (AGS): 2 digits Land, 3 Regierungsbezirk,
                 5 Kreis, 8 Gemeinde
  name           display name ("Kreis Lippe", "Bad Salzuflen", "München")
  level          land | regierungsbezirk | kreis | gemeinde
  parent         key of the parent row, empty for a Land
  historical     1 for a former unit, else empty
  official_name  the name as the source spells it, empty when equal to name

Rules:
  * A Kreis is current iff landkreise-deutschland lists its key; its display
    name is built from the type given there.
  * A Regierungsbezirk is current iff it is named ", Regierungsbezirk" and
    current Kreise lie in it. Former ones (Sachsen, and the statistical regions
    that replaced the Regierungsbezirke of Niedersachsen, Rheinland-Pfalz and
    Sachsen-Anhalt) are kept as historical rows.
  * Placeholder Regierungsbezirke that only repeat their Land are dropped;
    their children hang from the Land.
  * A Gemeinde is historical iff its Kreis is.
  * The Berlin Bezirke (statistical keys, not Gemeinden) and former Landkreise
    repeated as a Gemeinde row are dropped.
  * Current rows always point at a current parent.
"""

import argparse
import csv
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile

DATENGUIDE = "datenguidepy"
DATENGUIDE_VERSION = "0.4.1"
LANDKREISE = "landkreise-deutschland"
LANDKREISE_VERSION = "3.0.0"

# Comma-separated parts of a source name that are titles or types, not part of
# the place's name: dropped from the display name.
TITLES = {
    "Stadt", "St", "M", "GKSt", "Große Kreisstadt", "Kreisstadt", "Flecken",
    "Klosterflecken", "Hansestadt", "Landeshauptstadt", "Universitätsstadt",
    "Berg- und Universitätsstadt", "Bergstadt", "Gneisenaustadt", "Goethestadt",
    "Hochschulstadt", "Kurort", "Loreleystadt", "Lutherstadt", "Reuterstadt",
    "Sickingenstadt", "Zuckerdorf", "Kreisfreie Stadt", "kreisfreie Stadt",
    "krsfr. Stadt", "krfr. Stadt", "Stadtkreis", "verbandsfr. Gemeinde",
    "Kreis", "Landkreis", "Regionalverband", "Stadt (alt)",
    "Freie und Hansestadt", "Regierungsbezirk", "Stat. Region",
}
# Parts that are written before the name instead ("Garding, Kirchspiel").
PREFIX_TITLES = {"Kirchspiel"}
UNINCORPORATED = {"gem.fr. Geb.", "gem.fr. Bezirk", "gemeindefreies Gebiet", "gemfr. Geb."}
DATED_TITLE = re.compile(r"^Stadt \(ab [0-9.]+\)$")
# Kreis names that already say what they are ("Rhein-Sieg-Kreis",
# "Region Hannover", "Städteregion Aachen").
SELF_NAMED_KREIS = re.compile(r"(kreis\b|Kreis\b|^Region |^Städteregion |^Regionalverband )")


def fetch(tmp):
    """Download both packages with their ordinary clients into tmp."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                    "-d", tmp, f"{DATENGUIDE}=={DATENGUIDE_VERSION}"], check=True, stdout=sys.stderr)
    subprocess.run(["npm", "pack", f"{LANDKREISE}@{LANDKREISE_VERSION}"], check=True, cwd=tmp, stdout=sys.stderr)
    dg = [f for f in os.listdir(tmp) if f.startswith(DATENGUIDE)]
    lk = [f for f in os.listdir(tmp) if f.startswith(LANDKREISE) and f.endswith(".tgz")]
    if len(dg) != 1 or len(lk) != 1:
        sys.exit("expected one download of each package in " + tmp)
    return os.path.join(tmp, dg[0]), os.path.join(tmp, lk[0])


def read_member(archive, suffix):
    with tarfile.open(archive) as tar:
        for m in tar.getmembers():
            if m.name.endswith(suffix):
                return tar.extractfile(m).read().decode("utf-8")
    sys.exit(f"{archive}: no member ending in {suffix}")


def parts(name):
    return [p.strip() for p in name.split(",")]


def gemeinde_display(official):
    base, *rest = parts(official)
    prefix, quals = "", []
    for p in rest:
        if p in TITLES or DATED_TITLE.match(p):
            continue
        if p in PREFIX_TITLES:
            prefix = p + " "
        elif p in UNINCORPORATED:
            quals.append("gemeindefreies Gebiet")
        else:
            quals.append(p)
    return prefix + base + (f" ({', '.join(quals)})" if quals else "")


def strip_kreis_name(name):
    """'Kreisfreie Stadt Rostock, Hansestadt' -> 'Rostock'; 'Lippe, Kreis' -> 'Lippe'."""
    for pre in ("Kreisfreie Stadt ", "Landkreis ", "Kreis "):
        if name.startswith(pre):
            name = name[len(pre):]
    base, *rest = parts(name)
    return base, rest


def kreis_display(kind, base):
    """Display name of a Kreis from its type and bare name."""
    if kind in ("Kreisfreie Stadt", "Stadtkreis"):
        return base
    if SELF_NAMED_KREIS.search(base):
        return base
    if kind == "Regionalverband":
        return "Regionalverband " + base
    if kind == "Kreis":
        return "Kreis " + base
    return "Landkreis " + base


def historical_kreis_display(official):
    if official.startswith("Landkreis ") or official.startswith("Kreis "):
        return official.split(",")[0].strip()
    base, rest = strip_kreis_name(official)
    kind = "Kreisfreie Stadt"
    if "Landkreis" in rest:
        kind = "Landkreis"
    elif "Kreis" in rest:
        kind = "Kreis"
    elif not rest and SELF_NAMED_KREIS.search(base):
        kind = "Landkreis"
    return kreis_display(kind, base)


def build(dg_archive, lk_archive):
    source = list(csv.DictReader(io.StringIO(read_member(dg_archive, "package_data/regions.csv"))))
    current_kreise = {}
    for row in csv.DictReader(io.StringIO(read_member(lk_archive, "data/districts.csv")), delimiter=";"):
        current_kreise[row["AGS"]] = row
    by_key = {r["region_id"]: r for r in source}
    lands = {r["region_id"]: r for r in source if r["level"] == "nuts1"}

    out = {}  # key -> [name, level, parent, historical, official]

    for key, r in lands.items():
        # "Baden-Württemberg, Land"
        out[key] = [parts(r["name"])[0], "land", "", False, r["name"]]

    # Regierungsbezirke: placeholders dropped, the rest current iff they hold a
    # current Kreis and are called so.
    placeholder = set()
    holds_current = {r["parent"] for r in source if r["level"] == "nuts3" and r["region_id"] in current_kreise}
    for r in source:
        if r["level"] != "nuts2":
            continue
        key, official = r["region_id"], r["name"]
        if official == lands[r["parent"]]["name"]:
            placeholder.add(key)
            continue
        base, *rest = parts(official)
        if rest == ["Regierungsbezirk"]:
            name = "Regierungsbezirk " + base
        else:
            name = "Statistische Region " + base
        current = rest == ["Regierungsbezirk"] and key in holds_current
        out[key] = [name, "regierungsbezirk", r["parent"], not current, official]

    def current_parent(key):
        """Nearest ancestor that is a current row (placeholders skipped)."""
        while key in placeholder or (key in out and out[key][3]):
            key = by_key[key]["parent"]
        return key

    for r in source:
        if r["level"] != "nuts3":
            continue
        key, official = r["region_id"], r["name"]
        parent = r["parent"]
        if key in current_kreise:
            lk = current_kreise[key]
            base, _ = strip_kreis_name(lk["name"])
            out[key] = [kreis_display(lk["type"], base), "kreis", current_parent(parent), False, official]
        else:
            if parent in placeholder:
                parent = by_key[parent]["parent"]
            out[key] = [historical_kreis_display(official), "kreis", parent, True, official]

    for r in source:
        if r["level"] != "lau":
            continue
        key, official, parent = r["region_id"], r["name"].strip(), r["parent"]
        if parent not in out or out[parent][1] != "kreis":
            continue  # Berlin Bezirke hang from the placeholder "110"
        kreis = out[parent]
        historical = kreis[3] or "Stadt (alt)" in official
        name = gemeinde_display(official)
        if official == kreis[4] and (name != kreis[0] or SELF_NAMED_KREIS.search(name)):
            continue  # a former Landkreis listed once more as a Gemeinde
        out[key] = [name, "gemeinde", parent, historical, official]

    return out


def write(out, stream):
    w = csv.writer(stream, lineterminator="\n")
    w.writerow(["key", "name", "level", "parent", "historical", "official_name"])
    for key in sorted(out):
        name, level, parent, historical, official = out[key]
        w.writerow([key, name, level, parent, "1" if historical else "", "" if official == name else official])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datenguide", help="datenguidepy sdist (.tar.gz); downloaded when absent")
    ap.add_argument("--landkreise", help="landkreise-deutschland npm tarball (.tgz); downloaded when absent")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "regions.csv"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dg, lk = args.datenguide, args.landkreise
        if not dg or not lk:
            dg, lk = fetch(tmp)
        out = build(dg, lk)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        write(out, f)
    counts = {}
    for name, level, parent, historical, official in out.values():
        k = (level, "historical" if historical else "current")
        counts[k] = counts.get(k, 0) + 1
    for k in sorted(counts):
        print(f"{k[0]:17} {k[1]:10} {counts[k]:6}", file=sys.stderr)


if __name__ == "__main__":
    main()
