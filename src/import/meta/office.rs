//! Public bodies named by their office rather than by "type word + place":
//!
//! - an office word before the place: "Landratsamt Haßberge", "Kreisverwaltung
//!   Soest", "Rathaus Jena", "Bürgermeisteramt Lahr", "Magistrat der Stadt
//!   Bremerhaven", "Amt Schafflund", "Verwaltungsgemeinschaft Wipperdorf";
//! - the place as an adjective or genitive before the office: "die Münchner
//!   Stadtverwaltung", "im Bissinger Rathaus", "Ludwigslusts Bürgermeister", "der
//!   Barnimer Landrat";
//! - an office without a place ("die Stadtverwaltung", "das Landratsamt", "der
//!   Stadtrat") in a text whose dateline or headline names the place ("Rottenburg.
//!   Die Stadt …", "Langen – Die städtischen Azubis …").
//!
//! Each gives a municipal or Kreis owner, named with the type word the gazetteer
//! gives the place ("Markt Bissingen", "Stadt Langen (Hessen)", "Landkreis Haßberge").

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::org::{Found, OrgKind, Part};
use super::region::Places;
use crate::regions::{Level, Region};

const NAME: &str = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*";

/// Offices of a Kreis, then the place.
static KREIS_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:Landratsamt(?:e?s)?|Kreisverwaltung|Kreishaus|Kreistag(?:e?s)?)\s+(?:(?:des|im)\s+(?:Land)?[Kk]reises?\s+)?({NAME}(?:\s+{NAME})?)"
    ))
    .expect("static regex")
});
/// Offices of a town or municipality, then the place.
static TOWN_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(Rathaus(?:es)?|Bürgermeisteramt(?:e?s)?|Magistrat(?:s|es)?(?:\s+der\s+Stadt)?|Stadtverwaltung|Gemeindeverwaltung|Stadtrat|Gemeinderat|Bürgerbüro|Bürgeramt|Landgemeinde|Ortsgemeinde|Flecken|Große Kreisstadt|Kreisstadt)\s+((?:Bad|Sankt|St\.|Neu|Groß|Klein)\s+{NAME}|{NAME}(?:\s+(?:am|an der|im|in der|ob der)\s+{NAME})?)"
    ))
    .expect("static regex")
});
/// Associations of municipalities that run one administration, then the name.
static VERBAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(Amt(?:es)?|Amtsverwaltung|Samtgemeinde|Verbandsgemeinde(?:verwaltung)?|VG|Verwaltungsgemeinschaft|Verwaltungsverband(?:es)?|Gemeindeverwaltungsverband(?:es)?|GVV)\s+({NAME}(?:\s+(?:am|an der|im|in der)\s+{NAME})?(?:\s+\([A-ZÄÖÜ][^()\n]{{1,30}}\))?)"
    ))
    .expect("static regex")
});
/// The place as adjective ("Münchner", "Bissinger") or genitive ("Ludwigslusts")
/// before an office.
static ADJECTIVE_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({NAME}(?:er|s))\s+(Stadtverwaltung|Rathaus(?:es)?|Rathäuser|Gemeindeverwaltung|Verwaltung|Stadtrat(?:s|es)?|Gemeinderat(?:s|es)?|Oberbürgermeister(?:in)?|Bürgermeister(?:in)?|Baurechtsamt(?:e?s)?|Bürgeramt(?:e?s)?|Bürgerbüro|Amtsverwaltung|Kreisverwaltung|Landratsamt(?:e?s)?|Landrat(?:s|es)?|Landrätin|Kreistag(?:s|es)?|Kreisbehörde)\b"
    ))
    .expect("static regex")
});
/// A dateline's place at the start of a paragraph: "Rottenburg.", "Langen –",
/// "Eberswalde (MOZ)", "Schönhausen -", "Jena/Weimar:", "BERLIN/WASHINGTON —".
static DATELINE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^((?:Bad|Sankt|St\.|Neu|Groß|Klein)\s+{NAME}|{NAME}(?:\s+(?:am|an der|im|in der|ob der)\s+{NAME})?|[A-ZÄÖÜ]{{3,}}(?:-[A-ZÄÖÜ]{{3,}})?)(?:\s*/\s*{NAME})*\s*(?:\.\s|\s[–—-]\s|\s?\([^)]{{1,30}}\)\s*[–—-]?\s*|:\s|,\s)"
    ))
    .expect("static regex")
});

/// Offices of a Land government, named without the Land: "die Landesregierung",
/// "im Finanzministerium", "der Senat", "die Staatskanzlei".
static LAND_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Landesregierung|Staatsregierung|Landesverwaltung|Senatskanzlei|Senatsverwaltung|Senat|Staatskanzlei|Staatsministerium|(?:Finanz|Innen|Digital|Wirtschafts|Kultus|Sozial|Justiz|Umwelt|Heimat|Bau|Verkehrs|Landwirtschafts|Gesundheits)ministerium)(?:s|es)?\b")
        .expect("static regex")
});

const TOWN_CUES: &[&str] = &[
    "Stadtverwaltung",
    "Rathaus",
    "Bürgermeister",
    "Oberbürgermeister",
    "Stadtrat",
    "Gemeinderat",
    "Gemeindeverwaltung",
    "die Stadt ",
    "der Stadt ",
    "die Gemeinde ",
    "der Gemeinde ",
    "städtische",
];
const KREIS_CUES: &[&str] = &[
    "Landratsamt",
    "Kreisverwaltung",
    "Landrat ",
    "Landrätin",
    "Kreistag",
    "der Landkreis ",
    "des Landkreises",
    "der Kreis ",
    "des Kreises",
];

/// The type word a town or municipality carries, from the gazetteer's official
/// name ("Altötting, St", "Langen (Hessen), Stadt", "Bissingen, M"), else from the
/// text's own word.
pub fn municipal_type(places: &Places, r: &Region, text_word: &str) -> &'static str {
    let official = r.official_name.as_str();
    let suffix = official.rsplit_once(", ").map_or("", |(_, s)| s);
    if official.contains("Landeshauptstadt") {
        return "Landeshauptstadt";
    }
    match suffix {
        "M" | "Markt" => return "Markt",
        "Fl" | "Flecken" => return "Flecken",
        _ => {}
    }
    if !r.historical {
        return if places.gaz.is_town(r) {
            "Stadt"
        } else {
            "Gemeinde"
        };
    }
    match suffix {
        "St" | "Stadt" | "GKSt" => "Stadt",
        _ => match text_word {
            "Markt" => "Markt",
            "Gemeinde" | "Gemeindeverwaltung" | "Gemeinderat" | "Ortsgemeinde" | "Landgemeinde" => {
                "Gemeinde"
            }
            _ => "Stadt",
        },
    }
}

/// Place names an adjective or genitive may stand for: "Bissinger" → Bissingen,
/// "Münchner" → München, "Jenaer" → Jena, "Ludwigslusts" → Ludwigslust.
fn adjective_places(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(stem) = word.strip_suffix("er") {
        out.push(stem.to_string());
        out.push(format!("{stem}en"));
        out.push(format!("{stem}e"));
        if let Some(s) = stem.strip_suffix('n') {
            out.push(format!("{s}en"));
        }
        if let Some(s) = stem.strip_suffix('e') {
            out.push(s.to_string());
        }
    } else if let Some(stem) = word.strip_suffix('s') {
        out.push(stem.to_string());
    }
    out
}

/// The current Gemeinde (or, with `kreis`, Kreis) a name means.
fn place<'g>(places: &Places<'g>, name: &str, kreis: bool, context: &str) -> Option<&'g Region> {
    let level = if kreis { Level::Kreis } else { Level::Gemeinde };
    places.pick(name, Some(level), || context).map(|(r, _)| r)
}

/// A Kreis by any of its written forms: "Haßberge", "Landkreis Haßberge", "Soest".
fn kreis_named<'g>(places: &Places<'g>, name: &str, context: &str) -> Option<&'g Region> {
    [
        format!("Landkreis {name}"),
        format!("Kreis {name}"),
        name.to_string(),
    ]
    .iter()
    .find_map(|n| place(places, n, true, context))
}

fn weight(part: Part) -> f64 {
    match part {
        Part::Title => 3.0,
        Part::Lead => 2.0,
        Part::Body => 1.0,
    }
}

fn add(acc: &mut BTreeMap<String, Found>, name: String, kind: OrgKind, place: String, w: f64) {
    let e = acc.entry(name.clone()).or_insert(Found {
        name,
        kind,
        place: Some(place),
        region: None,
        score: 0.0,
        mentions: 0,
    });
    e.score += w;
    e.mentions += 1;
}

fn add_town(acc: &mut BTreeMap<String, Found>, places: &Places, r: &Region, word: &str, w: f64) {
    let ty = municipal_type(places, r, word);
    add(
        acc,
        format!("{ty} {}", r.name),
        OrgKind::Gemeinde,
        r.name.clone(),
        w,
    );
}

fn add_kreis(acc: &mut BTreeMap<String, Found>, r: &Region, w: f64) {
    add(acc, r.name.clone(), OrgKind::Kreis, r.name.clone(), w);
}

/// Collects the bodies one text part names by office into `acc`. `context` is the
/// item's lower-case text, for names several places share.
pub fn collect(
    text: &str,
    part: Part,
    places: &Places,
    context: &str,
    acc: &mut BTreeMap<String, Found>,
) {
    let w = weight(part);
    for c in KREIS_OFFICE.captures_iter(text) {
        let name = &c[1];
        let words: Vec<&str> = name.split_whitespace().collect();
        if let Some(r) = (1..=words.len())
            .rev()
            .find_map(|k| kreis_named(places, &words[..k].join(" "), context))
        {
            add_kreis(acc, r, w);
        }
    }
    for c in TOWN_OFFICE.captures_iter(text) {
        let words: Vec<&str> = c[2].split_whitespace().collect();
        if let Some(r) = (1..=words.len())
            .rev()
            .find_map(|k| place(places, &words[..k].join(" "), false, context))
        {
            add_town(acc, places, r, &c[1], w);
        }
    }
    for c in VERBAND.captures_iter(text) {
        let kind_word = c[1].trim_end_matches("es").trim_end_matches("verwaltung");
        let ty = match kind_word {
            "Amts" | "Amt" => "Amt",
            "VG" | "Verbandsgemeinde" => "Verbandsgemeinde",
            "GVV" | "Gemeindeverwaltungsverband" => "Gemeindeverwaltungsverband",
            other => other,
        };
        let name = &c[2];
        // the association by its name in the gazetteer, placed at its seat
        // "Kirchberg (Hunsrück)": with the landscape the gazetteer may use, else without
        let bare = name.split(" (").next().unwrap_or(name);
        let Ok(verband) = places
            .gaz
            .find_verband(&format!("{ty} {name}"))
            .or_else(|_| places.gaz.find_verband(&format!("{ty} {bare}")))
        else {
            continue;
        };
        let seat = places
            .gaz
            .seat_of(verband)
            .or_else(|| place(places, name, false, context));
        if let Some(r) = seat {
            add(
                acc,
                verband.name.clone(),
                OrgKind::Gemeinde,
                r.name.clone(),
                w,
            );
        }
    }
    for c in ADJECTIVE_OFFICE.captures_iter(text) {
        let office = &c[2];
        let kreis = [
            "Kreisverwaltung",
            "Landrat",
            "Landrätin",
            "Kreistag",
            "Kreisbehörde",
        ]
        .iter()
        .any(|o| office.starts_with(o));
        for cand in adjective_places(&c[1]) {
            if kreis {
                if let Some(r) = kreis_named(places, &cand, context) {
                    add_kreis(acc, r, w);
                    break;
                }
            } else if let Some(r) = place(places, &cand, false, context) {
                add_town(acc, places, r, office, w);
                break;
            }
        }
    }
}

/// Land government offices a text names without naming the Land, placed in the one
/// Land the text speaks of most ("Die Landesregierung … Sachsen-Anhalt" →
/// "Landesregierung Sachsen-Anhalt"). Weighed below municipal bodies: a Land that
/// funds or rules is named often in a municipal practice.
pub fn collect_land_offices(
    parts: &[(&str, Part)],
    land: Option<&str>,
    acc: &mut BTreeMap<String, Found>,
) {
    let Some(land) = land else { return };
    for (text, part) in parts {
        for c in LAND_OFFICE.captures_iter(text) {
            let before = &text[..c.get(0).map_or(0, |m| m.start())];
            // "Bundesministerium", "Landesministerium für …": named bodies, found elsewhere
            if before.ends_with(|ch: char| ch.is_alphabetic() || ch == '-') {
                continue;
            }
            let name = format!("{} {land}", &c[1]);
            let e = acc.entry(name.clone()).or_insert(Found {
                name,
                kind: OrgKind::Land,
                place: None,
                region: Some(land.to_string()),
                score: 0.0,
                mentions: 0,
            });
            e.score += weight(*part) * 0.5;
            e.mentions += 1;
        }
    }
}

/// The place a text speaks of most, by name or adjective ("Wilsdruffer
/// Internetauftritt"), among the Gemeinden of the gazetteer: a fallback for the
/// dateline when a text names its administration only by office. Needs two mentions.
pub fn prominent_place<'g>(places: &Places<'g>, text: &str, context: &str) -> Option<&'g Region> {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b[A-ZÄÖÜ][a-zäöüß]{2,}(?:-[A-ZÄÖÜ][a-zäöüß]+)*").expect("static regex")
    });
    let mut counts: BTreeMap<String, (usize, &'g Region)> = BTreeMap::new();
    let mut known: BTreeMap<&str, Option<&'g Region>> = BTreeMap::new();
    for m in WORD.find_iter(text) {
        let w = m.as_str();
        let hit = *known.entry(w).or_insert_with(|| {
            place(places, w, false, context).or_else(|| {
                adjective_places(w)
                    .iter()
                    .find_map(|cand| place(places, cand, false, context))
            })
        });
        if let Some(r) = hit {
            counts.entry(r.key.clone()).or_insert((0, r)).0 += 1;
        }
    }
    counts
        .into_values()
        .filter(|(n, _)| *n >= 2)
        .max_by_key(|(n, r)| (*n, std::cmp::Reverse(r.key.clone())))
        .map(|(_, r)| r)
}

/// The place a dateline opens a paragraph with, if it is a known Gemeinde or Kreis.
pub fn dateline_place<'g>(
    places: &Places<'g>,
    para: &str,
    context: &str,
) -> Option<(&'g Region, bool)> {
    let c = DATELINE_PLACE.captures(para.trim_start())?;
    let raw = c[1].to_string();
    // "BERLIN" → "Berlin"
    let name = if raw.chars().all(|ch| !ch.is_lowercase()) {
        let mut chars = raw.chars();
        chars
            .next()
            .map(|f| f.to_string() + &chars.as_str().to_lowercase())
            .unwrap_or_default()
    } else {
        raw
    };
    if let Some(r) = place(places, &name, false, context) {
        return Some((r, false));
    }
    kreis_named(places, &name, context).map(|r| (r, true))
}

/// The office a text names without a place, as a last-resort owner: "Landratsamt",
/// "Stadtverwaltung", "Rathaus", "Gemeindeverwaltung", "Kreisverwaltung".
pub fn bare_office(text: &str) -> Option<&'static str> {
    [
        "Landratsamt",
        "Kreisverwaltung",
        "Stadtverwaltung",
        "Gemeindeverwaltung",
        "Rathaus",
        "Bürgermeisteramt",
        "Amtsverwaltung",
        "Verbandsgemeindeverwaltung",
    ]
    .into_iter()
    .max_by_key(|o| text.matches(o).count())
    .filter(|o| text.contains(o))
}

/// How many times a text speaks of a town's and of a Kreis's administration
/// without naming it ("die Stadtverwaltung", "das Landratsamt").
pub fn bare_office_cues(text: &str) -> (usize, usize) {
    let count = |cues: &[&str]| cues.iter().map(|c| text.matches(c).count()).sum();
    (count(TOWN_CUES), count(KREIS_CUES))
}

/// An owner for an item that names its administration only by office: the place of
/// the dateline (or the place the text speaks of most) as town or Kreis, whichever
/// the text's office words speak of more.
pub fn contextual_owner(
    acc: &mut BTreeMap<String, Found>,
    places: &Places,
    text: &str,
    dateline: Option<(&Region, bool)>,
) {
    let (town, kreis) = bare_office_cues(text);
    if town + kreis == 0 {
        return;
    }
    let Some((r, is_kreis)) = dateline else {
        return;
    };
    if !is_kreis && r.level != Level::Gemeinde {
        return;
    }
    let w = 2.0 * (town.max(kreis).min(4) as f64);
    if is_kreis || kreis > town {
        if is_kreis {
            add_kreis(acc, r, w);
        }
        // a town's dateline with Kreis words: the Kreis office sits there, but the
        // Kreis is not known from the town alone
    } else {
        let word = if text.contains("Gemeinde") && !text.contains("Stadt") {
            "Gemeinde"
        } else {
            "Stadt"
        };
        add_town(acc, places, r, word, w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::Gazetteer;

    fn owners(text: &str) -> Vec<String> {
        let places = Places::new(Gazetteer::get());
        let mut acc = BTreeMap::new();
        let lower = text.to_lowercase();
        collect(text, Part::Body, &places, &lower, &mut acc);
        acc.into_keys().collect()
    }

    #[test]
    fn offices_before_the_place() {
        let o = owners("Das Landratsamt Haßberge richtet einen Chatbot ein.");
        assert!(o.iter().any(|n| n.contains("Haßberge")), "{o:?}");
        let o = owners(
            "Die Kreisverwaltung Darmstadt-Dieburg und das Rathaus Bexbach arbeiten zusammen.",
        );
        assert!(o.iter().any(|n| n.contains("Darmstadt-Dieburg")), "{o:?}");
        assert!(o.iter().any(|n| n.ends_with("Bexbach")), "{o:?}");
    }

    #[test]
    fn adjective_and_genitive_forms() {
        let o = owners("Im Saerbecker Rathaus wird der Publikumsverkehr gelenkt.");
        assert!(o.iter().any(|n| n.ends_with("Saerbeck")), "{o:?}");
        let o = owners("Die Münchner Stadtverwaltung stellt um, sagt Jenas Bürgermeister.");
        assert!(o.iter().any(|n| n.ends_with("München")), "{o:?}");
        assert!(o.iter().any(|n| n.ends_with("Jena")), "{o:?}");
        let o = owners("Ein digitaler Rathaus-Service und neue Verwaltung.");
        assert!(o.is_empty(), "{o:?}");
    }

    #[test]
    fn associations_of_municipalities() {
        let o = owners(
            "Der Amtsausschuss des Amtes Schafflund beschloss, die Amtsverwaltung Schafflund zu stärken.",
        );
        assert!(o.iter().any(|n| n == "Amt Schafflund"), "{o:?}");
    }

    #[test]
    fn datelines_give_the_place() {
        let places = Places::new(Gazetteer::get());
        for (para, want) in [
            (
                "Rottenburg. „Wir wollen nicht“, sagte er.",
                "Rottenburg am Neckar",
            ),
            (
                "Eberswalde (MOZ) Die Kreisreform ist gecancelt.",
                "Eberswalde",
            ),
            ("Langen – Die städtischen Azubis haben gefeilt.", "Langen"),
        ] {
            let r = dateline_place(&places, para, "").map(|(r, _)| r.name.clone());
            assert!(
                r.as_deref().is_some_and(|n| n.starts_with(want)),
                "{para}: {r:?}"
            );
        }
        assert!(dateline_place(&places, "Die Stadt hat beschlossen.", "").is_none());
    }
}
