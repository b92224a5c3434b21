#!/usr/bin/env python3
"""Regenerate data/regions.csv, the region gazetteer compiled into praxis.

Inputs (see data/README.md for the source and its licence):
  * the official municipal directory GV100AD (Destatis, Gebietsstand
    30.11.2023), fixed-width text: every Land, Regierungsbezirk, Kreis,
    Gemeindeverband and Gemeinde with its key, type, seat, population and
    postcode;
  * the current data/regions.csv: its rows whose key the directory no longer
    has are kept as historical rows, so older texts still resolve;
  * the Bezirke of Berlin and Hamburg (BEZIRKE below), which the directory
    does not list because both cities are single Gemeinden.

Usage:
  python3 data/regen-regions.py --directory ../shared/data/GV100AD_301123.txt
  python3 data/regen-regions.py --directory GV100AD_301123.txt \
      --previous data/regions.csv --out data/regions.csv

Output columns:
  key,name,level,parent,historical,official_name,type,verband,seat,population,postcode
  key            2 digits Land, 3 Regierungsbezirk, 5 Kreis,
                 9 Gemeindeverband (Kreis + 4-digit Verband number),
                 8 Gemeinde (AGS), AGS + "B" + 2 digits for a city Bezirk
  name           display name ("Kreis Lippe", "Amt Schafflund", "Bad Salzuflen")
  level          land | regierungsbezirk | kreis | gemeindeverband | gemeinde | bezirk
  parent         key of the parent row, empty for a Land; a Gemeinde's parent
                 is its Kreis, a Gemeindeverband's parent is its Kreis too
  historical     1 for a former unit, else empty
  official_name  the name as the source spells it, empty when equal to name
  type           the directory's type code (41-45 Kreis, 51-58 Verband,
                 60-67 Gemeinde); empty for rows from elsewhere
  verband        a Gemeinde's Gemeindeverband key, empty when it has none
  seat           key of the Gemeinde that seats the administration of a Land,
                 Regierungsbezirk, Kreis or Gemeindeverband, when found
  population     a Gemeinde's population on 30.11.2023 (directory figure)
  postcode       postcode of a Gemeinde's administration seat

Rules:
  * Record types 10, 20, 40, 50, 60 are read; type 30 (the planning Regionen
    of Baden-Württemberg) is skipped, it is no administrative level and keys
    of Kreise do not pass through it.
  * A Regierungsbezirk is current when the directory calls it "Reg.-Bez. X"
    (Baden-Württemberg, Hessen, Nordrhein-Westfalen) or names it bare
    (Bayern). "früher: ..." rows and the statistical regions of
    Niedersachsen are kept as historical rows; Kreise there hang from the
    Land.
  * Gemeindeverbände of type 50 ("verbandsfreie Gemeinde") only repeat one
    Gemeinde and are skipped; types 51-58 become rows.
  * Names lose official titles after a comma ("Flensburg, Stadt",
    "Stolberg (Rhld.), Kupferstadt"); "gemeindefreies Gebiet" stays as a
    qualifier in parentheses.
"""

import argparse
import csv
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

LEVEL_ORDER = {"land": 0, "regierungsbezirk": 1, "kreis": 2, "gemeindeverband": 3, "gemeinde": 4, "bezirk": 5}

# Display names of Gemeindeverbände by type code. Baden-Württemberg and
# Bayern abbreviate the type inside the name; those forms are spelled out.
VERBAND_TYPES = {
    "51": "Amt",
    "52": "Samtgemeinde",
    "53": "Verbandsgemeinde",
    "54": "Verwaltungsgemeinschaft",
    "55": "Kirchspielslandgemeinde",
    "56": "Verwaltungsverband",
    "58": "Erfüllende Gemeinde",
}
VERBAND_ABBREVIATIONS = [
    (re.compile(r"^VVG der (Stadt|Gemeinde) (.+)$"), r"Vereinbarte Verwaltungsgemeinschaft der \1 \2"),
    (re.compile(r"^GVV (.+)$"), r"Gemeindeverwaltungsverband \1"),
    (re.compile(r"^(.+) \(VGem\)$"), r"Verwaltungsgemeinschaft \1"),
]
# Names that already carry their type ("Amt Lütjenburg", "Altes Amt Lemförde").
VERBAND_SELF_NAMED = re.compile(r"(^Amt |^Altes Amt |^Samtgemeinde |^Verbandsgemeinde )")

UNINCORPORATED = re.compile(r"^gem(eindefreies|\.? ?fr\.) ?(Gebiet|Geb\.|Bezirk)$")
# Kreis names that already say what they are ("Rhein-Sieg-Kreis",
# "Region Hannover", "Städteregion Aachen").
SELF_NAMED_KREIS = re.compile(r"(kreis\b|Kreis\b|^Region |^Städteregion |^Regionalverband )")

# Misspellings in the directory, corrected in the display name (the
# official_name keeps the directory's spelling, so both resolve).
CORRECTIONS = {
    "071325009": "Verbandsgemeinde Betzdorf-Gebhardshain",  # "Gebardshain"; the Gemeinde is Gebhardshain
}

# The Bezirke of the two city-states (names and numbers as the cities' own
# statistical offices list them): (Gemeinde key, number, name).
BEZIRKE = [
    ("11000000", "01", "Mitte"),
    ("11000000", "02", "Friedrichshain-Kreuzberg"),
    ("11000000", "03", "Pankow"),
    ("11000000", "04", "Charlottenburg-Wilmersdorf"),
    ("11000000", "05", "Spandau"),
    ("11000000", "06", "Steglitz-Zehlendorf"),
    ("11000000", "07", "Tempelhof-Schöneberg"),
    ("11000000", "08", "Neukölln"),
    ("11000000", "09", "Treptow-Köpenick"),
    ("11000000", "10", "Marzahn-Hellersdorf"),
    ("11000000", "11", "Lichtenberg"),
    ("11000000", "12", "Reinickendorf"),
    ("02000000", "01", "Hamburg-Mitte"),
    ("02000000", "02", "Altona"),
    ("02000000", "03", "Eimsbüttel"),
    ("02000000", "04", "Hamburg-Nord"),
    ("02000000", "05", "Wandsbek"),
    ("02000000", "06", "Bergedorf"),
    ("02000000", "07", "Harburg"),
]


def fields(line):
    """The fields of one directory record (1-based columns as in the README)."""
    return {
        "type": line[0:2],
        "land": line[10:12],
        "rb": line[12:13],
        "kreis": line[13:15],
        # The Gemeinde number stands in columns 16-18 and the Verband number
        # in 19-22, for record types 50 and 60 alike (checked against the
        # data: the Verband numbers of type-60 records match type-50 keys).
        "gemeinde": line[15:18],
        "verband": line[18:22],
        "name": line[22:72].strip(),
        "seat": line[72:122].strip(),
        "kind": line[122:124].strip(),
        "population": line[139:150].strip(),
        "postcode": line[165:170].strip(),
    }


def read_directory(path):
    with open(path, encoding="utf-8") as f:
        return [fields(line.rstrip("\n")) for line in f if line.strip()]


def base_name(official, second_language=False):
    """'Flensburg, Stadt' -> 'Flensburg'; 'Giebel, gemfr. Gebiet' -> 'Giebel (gemeindefreies Gebiet)'."""
    base, *rest = [p.strip() for p in official.split(",")]
    # A Sorbian name added after " / " is left out of the display name;
    # "Lauenburg/ Elbe" is written "Lauenburg/Elbe".
    if second_language:
        base = base.split(" / ")[0]
    base = re.sub(r"(?<=\S)/ (?=\S)", "/", base)
    prefix = ""
    quals = []
    for part in rest:
        if part == "Kirchspiel":
            prefix = "Kirchspiel "
        elif UNINCORPORATED.match(part):
            quals.append("gemeindefreies Gebiet")
    return prefix + base + (f" ({', '.join(quals)})" if quals else "")


def kreis_display(kind, official):
    base = official.split(",")[0].strip()
    if kind in ("41", "42"):
        return base
    if SELF_NAMED_KREIS.search(base):
        return base
    if kind == "45":
        return "Regionalverband " + base
    if kind == "43":
        return "Kreis " + base
    return "Landkreis " + base


def verband_display(kind, official):
    for pattern, replacement in VERBAND_ABBREVIATIONS:
        if pattern.match(official):
            return pattern.sub(replacement, official)
    base = base_name(official)
    if VERBAND_SELF_NAMED.search(base):
        return base
    return f"{VERBAND_TYPES[kind]} {base}"


def regierungsbezirk(official):
    """(display name, current) of a type-20 record."""
    if official.startswith("früher: "):
        rest = official[len("früher: "):]
        rest = rest.replace("Reg.-Bez. ", "Regierungsbezirk ")
        return rest, False
    if official.startswith("Statistische Region "):
        return official, False
    if official.startswith("Reg.-Bez. "):
        return "Regierungsbezirk " + official[len("Reg.-Bez. "):], True
    return "Regierungsbezirk " + official, True


def letters(text):
    """Comparison form of a place name: lowercase letters only, 'a. d.' as 'an der'."""
    t = unicodedata.normalize("NFC", text).lower()
    t = re.sub(r"\ba\.\s*d\.\s*", "an der ", t)
    t = re.sub(r"\bi\.\s*", "im ", t)
    t = t.replace("ß", "ss")
    return "".join(c for c in t if c.isalpha())


# Leading honorifics of a seat ("Hansestadt Seehausen (Altmark)").
SEAT_TITLE = re.compile(r"^(\S*stadt|Kurort|Ostseebad|Seebad) ")


def find_seat(seat, pools):
    """Key of the Gemeinde named `seat`, searched pool by pool (members,
    Kreis, Land); a name equal or a name the seat starts with ("Eisenberg"
    for "Eisenberg/Thür."), the longest such. None when not unique."""
    if not seat:
        return None
    wanted = {letters(seat.split(",")[0]), letters(SEAT_TITLE.sub("", seat.split(",")[0]))}
    for pool in pools:
        exact = [k for k, n in pool if letters(n) in wanted]
        if len(exact) == 1:
            return exact[0]
        if exact:
            return None
        prefixed = [(len(letters(n)), k) for k, n in pool
                    if len(letters(n)) >= 4 and any(w.startswith(letters(n)) for w in wanted)]
        if not prefixed:
            # "Lugau" for the Gemeinde "Lugau/Erzgeb."
            prefixed = [(-len(letters(n)), k) for k, n in pool
                        if any(len(w) >= 4 and letters(n).startswith(w) for w in wanted)]
        if prefixed:
            prefixed.sort(reverse=True)
            if len(prefixed) == 1 or prefixed[0][0] > prefixed[1][0]:
                return prefixed[0][1]
            return None
    return None


def build(records):
    out = {}  # key -> dict of columns
    rb_current = {}

    def row(key, name, level, parent, official, **extra):
        out[key] = {"key": key, "name": name, "level": level, "parent": parent, "historical": False,
                    "official_name": official, "type": "", "verband": "", "seat": "",
                    "population": "", "postcode": "", **extra}
        return out[key]

    seats = {}
    for r in records:
        t = r["type"]
        if t == "10":
            row(r["land"], r["name"], "land", "", r["name"])
            seats[r["land"]] = r["seat"]
        elif t == "20":
            key = r["land"] + r["rb"]
            name, current = regierungsbezirk(r["name"])
            rb_current[key] = current
            row(key, name, "regierungsbezirk", r["land"], r["name"])["historical"] = not current
            seats[key] = r["seat"]
    for r in records:
        t = r["type"]
        kreis = r["land"] + r["rb"] + r["kreis"]
        if t == "40":
            rb = r["land"] + r["rb"]
            parent = rb if rb_current.get(rb) else r["land"]
            row(kreis, kreis_display(r["kind"], r["name"]), "kreis", parent, r["name"], type=r["kind"])
            seats[kreis] = r["seat"]
        elif t == "50" and r["kind"] != "50":
            key = kreis + r["verband"]
            row(key, verband_display(r["kind"], r["name"]), "gemeindeverband", kreis, r["name"], type=r["kind"])
            seats[key] = r["seat"]
        elif t == "60":
            key = kreis + r["gemeinde"]
            verband = kreis + r["verband"]
            population = r["population"].lstrip("0") or ("0" if r["population"] else "")
            # The German-Luxembourg condominium (07000999) and the coastal
            # waters of Mecklenburg-Vorpommern (13000999) lie in no Kreis.
            parent = kreis if kreis in out else r["land"]
            row(key, base_name(r["name"], second_language=True), "gemeinde", parent, r["name"], type=r["kind"],
                verband=verband, population=population, postcode=r["postcode"])

    verbaende = {k for k, v in out.items() if v["level"] == "gemeindeverband"}
    members = {}
    for k, v in out.items():
        if v["level"] == "gemeinde":
            if v["verband"] in verbaende:
                members.setdefault(v["verband"], []).append((k, v["name"]))
            else:
                v["verband"] = ""
    gemeinden = [(k, v["name"]) for k, v in out.items() if v["level"] == "gemeinde"]

    for key, seat in seats.items():
        v = out[key]
        land = [(k, n) for k, n in gemeinden if k.startswith(key[:2])]
        if v["level"] == "gemeindeverband":
            # Some Sachsen Verwaltungsgemeinschaften leave the seat empty: they
            # are named after the Gemeinde that administers them.
            seat = seat or v["official_name"]
            pools = [members.get(key, []), [(k, n) for k, n in gemeinden if k.startswith(key[:5])], land]
        elif v["level"] == "kreis":
            pools = [[(k, n) for k, n in gemeinden if k.startswith(key)], land]
        elif v["level"] == "regierungsbezirk":
            pools = [[(k, n) for k, n in gemeinden if k.startswith(key)], land]
        else:
            pools = [land]
        v["seat"] = find_seat(seat, pools) or ""

    for key, name in CORRECTIONS.items():
        out[key]["name"] = name
    for gemeinde, number, name in BEZIRKE:
        row(f"{gemeinde}B{number}", name, "bezirk", gemeinde, name)
    return out


def qualified_previous(previous, current):
    """The previous display name of a Gemeinde when it says more than the
    directory's: the directory's name plus a location qualifier ("Grünow
    (b Prenzlau)" for "Grünow"), or without a second-language name added
    after a slash ("Weißkeißel" for "Weißkeißel / Wuskidź")."""
    if previous == current:
        return current
    rest = previous[len(current):] if previous.startswith(current) else None
    if rest and re.match(r"^ (\(|b\.? |bei |a\.? |am |an |i\.? |im |in |ob |auf )", rest) \
            and not rest.startswith(" (ab "):
        return previous
    rest = current[len(previous):] if current.startswith(previous) else None
    if rest and re.match(r"^ ?/ ?\S", rest) and previous.count("/") == 0:
        return previous
    return current


def keep_previous(out, previous_path):
    """Rows of the previous gazetteer whose key the directory no longer has,
    as historical rows (their parent kept as it was); and the qualified names
    of Gemeinden that the previous gazetteer had (`qualified_previous`)."""
    kept = 0
    with open(previous_path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["key"] in out:
                now = out[r["key"]]
                if now["level"] == "gemeinde" == r["level"] and not r["historical"]:
                    now["name"] = qualified_previous(r["name"], now["name"])
                continue
            out[r["key"]] = {
                "key": r["key"], "name": r["name"], "level": r["level"], "parent": r["parent"],
                "historical": True, "official_name": r.get("official_name") or r["name"],
                "type": "", "verband": "", "seat": "", "population": "", "postcode": "",
            }
            kept += 1
    return kept


def check(out):
    for key, v in out.items():
        p = v["parent"]
        if not p:
            continue
        if p not in out:
            sys.exit(f"{key}: parent {p} missing")
        if LEVEL_ORDER[out[p]["level"]] >= LEVEL_ORDER[v["level"]]:
            sys.exit(f"{key}: parent {p} is not coarser")
        if not v["historical"] and out[p]["historical"]:
            sys.exit(f"{key}: current row under historical parent {p}")


COLUMNS = ["key", "name", "level", "parent", "historical", "official_name", "type",
           "verband", "seat", "population", "postcode"]


def write(out, stream):
    w = csv.writer(stream, lineterminator="\n")
    w.writerow(COLUMNS)
    for key in sorted(out):
        v = dict(out[key])
        v["historical"] = "1" if v["historical"] else ""
        if v["official_name"] == v["name"]:
            v["official_name"] = ""
        w.writerow([v[c] for c in COLUMNS])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--directory", required=True, help="GV100AD text file (UTF-8)")
    ap.add_argument("--previous", default=os.path.join(HERE, "regions.csv"),
                    help="the gazetteer so far, for its historical rows")
    ap.add_argument("--out", default=os.path.join(HERE, "regions.csv"))
    args = ap.parse_args()
    out = build(read_directory(args.directory))
    kept = keep_previous(out, args.previous)
    check(out)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        write(out, f)
    counts = {}
    for v in out.values():
        k = (LEVEL_ORDER[v["level"]], v["level"], "historical" if v["historical"] else "current")
        counts[k] = counts.get(k, 0) + 1
    for k in sorted(counts):
        print(f"{k[1]:17} {k[2]:10} {counts[k]:6}", file=sys.stderr)
    missing = sum(1 for v in out.values() if v["level"] == "gemeindeverband" and not v["seat"])
    print(f"kept {kept} rows of the previous gazetteer; {missing} Gemeindeverbände without a seat found",
          file=sys.stderr)


if __name__ == "__main__":
    main()
