//! Organisations whose practice a text reports, as full official names.
//!
//! Mentions come from three sources: a type word before a place name ("Stadt Bad
//! Salzuflen", "Kreisverwaltung Soest" → "Kreis Soest"), names of public bodies with a
//! generic head ("Landesbetrieb …", "Ministerium für …", "Burgenlandkreis"), and the
//! editors' alias table `data/organisations.toml` (abbreviations and former names).
//! Each mention is weighted by where it stands (headline, lead, text) and lowered
//! when the sentence marks a partner, funder or member ("mit Unterstützung des",
//! "gefördert vom"). Owners are the best-scored body and those close to it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Captures, Regex};
use serde::Deserialize;

/// What kind of body an organisation is; decides which region it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    Gemeinde,
    Kreis,
    /// Municipal IT provider, Zweckverband: placed at its seat.
    ItDienstleister,
    /// Land ministry or agency: placed in its Land.
    Land,
    /// Association of municipalities or Landschaftsverband: placed in its Land.
    Verband,
    /// Federal body: "Deutschland".
    Bund,
    #[default]
    Other,
}

/// One row of `data/organisations.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgEntry {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub former: Vec<String>,
    #[serde(default)]
    pub kind: OrgKind,
    /// A region value (seat, Land or "Deutschland").
    #[serde(default)]
    pub region: Option<String>,
}

/// The alias table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgTable {
    #[serde(default, rename = "organisation")]
    pub entries: Vec<OrgEntry>,
}

impl OrgTable {
    pub fn parse(text: &str) -> Result<OrgTable, toml::de::Error> {
        toml::from_str(text)
    }
}

/// A body found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub name: String,
    pub kind: OrgKind,
    /// The place part of a municipal name ("Bad Salzuflen" of "Stadt Bad Salzuflen").
    pub place: Option<String>,
    pub region: Option<String>,
    pub score: f64,
    pub mentions: usize,
}

/// Where in an item a text stands.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    Title,
    Lead,
    Body,
}

const TYPE_WORDS: &str = "Landeshauptstadt|Hansestadt|Universitätsstadt|Kreisstadt|Stadtverwaltung|Kreisverwaltung|Gemeindeverwaltung|Samtgemeinde|Verbandsgemeinde|Landkreises|Landkreis|Kreises|Kreis|Stadt|Gemeinde|Markt";
/// The letters of names, inside a character class: ASCII, digits and the Latin
/// letters of Latin-1 and Latin Extended-A (ä, ß, é, ł, …). Narrower than Unicode's
/// `\w`, whose hundreds of ranges made these patterns slow to compile and to run.
macro_rules! letter {
    () => {
        "0-9A-Za-z_À-ÖØ-öø-ÿĀ-ž"
    };
}
const NAME: &str = concat!("[A-ZÄÖÜ][", letter!(), "]*(?:-[A-ZÄÖÜ][", letter!(), "]*)*");

static MUNICIPAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({TYPE_WORDS})\s+((?:Bad|Sankt|St\.|Neu|Groß|Klein|Hansestadt)\s+{NAME}|{NAME}(?:\s+(?:am|an der|im|in der|ob der|vor der)\s+{NAME})?(?:\s+{NAME})?)"
    ))
    .expect("static regex")
});
// The two patterns below stand for `\b(…)\b` and `\b(…)`: the regex crate's fast
// engines give up on a Unicode `\b` in non-ASCII text and fall back to a slow one, so
// the leading `\b` is checked by [`captures_at_word_start`] and the trailing one is
// spelled as "a character that is no name letter, or the end" (every match ends in a
// letter, so both say the same).
static KREIS_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"([A-ZÄÖÜ][",
        letter!(),
        r"-]*-Kreis(?:\s+[A-ZÄÖÜ][",
        letter!(),
        r"]+)?|[A-ZÄÖÜ][a-zäöüß-]{2,}kreis)(?:[^",
        letter!(),
        r"]|$)"
    ))
    .expect("static regex")
});
static INSTITUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"((?:[A-ZÄÖÜ][a-zäöü]+ische[nrs]?\s+)?(?:{})(?:\s+(?:für|der|des|und|von|(?:[A-ZÄÖÜ][{l}.]*(?:-[A-ZÄÖÜ][{l}]*)*)))*)(?:\s*\((?:kurz:\s*)?([A-ZÄÖÜ][{l}.²-]+)\))?", INSTITUTION_HEADS.join("|"), l = letter!()))
        .expect("static regex")
});
/// The generic heads of institution names; one must occur for [`INSTITUTION`] to match.
const INSTITUTION_HEADS: &[&str] = &[
    "Landschaftsverband",
    "Landesbetrieb",
    "Landesamt",
    "Landesverwaltungsamt",
    "Bundesministerium",
    "Staatsministerium",
    "Ministerium",
    "Senatsverwaltung",
    "Bezirksamt",
    "Bezirksregierung",
    "Regierungspräsidium",
    "Regionalverband",
    "Zweckverband",
    "Verwaltungsschule",
    "Verwaltungsakademie",
    "Studieninstitut",
    "Landratsamt",
    "Staatskanzlei",
];
/// Any of [`INSTITUTION_HEADS`]: a quick test before the regex, which needs one.
static INSTITUTION_HEAD: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(INSTITUTION_HEADS).expect("static automaton"));

const NOT_KREIS: &[&str] = &[
    "Arbeitskreis",
    "Freundeskreis",
    "Gesprächskreis",
    "Personenkreis",
    "Teilnehmerkreis",
    "Landkreis",
    "Stadtkreis",
    "Expertenkreis",
    "Umkreis",
    "Bekanntenkreis",
    "Kundenkreis",
    "Familienkreis",
    "Nutzerkreis",
    "Lesekreis",
    "Kollegenkreis",
    "Interessentenkreis",
    "Landeskreis",
    "Stuhlkreis",
];

/// Words that mark the body named next as partner, funder or member.
const PARTNER_CUES: &[&str] = &[
    "unterstützung",
    "kooperation mit",
    "gefördert",
    "förderung",
    "partner",
    "gemeinsam mit",
    "mitglied",
    "im auftrag",
    "zusammen mit",
    "dienstleister",
    "agentur",
    "anbieter",
    "vom ",
    "beauftragt",
];

fn is_partner(before: &str) -> bool {
    // the last 45 characters
    let start = before.char_indices().rev().nth(44).map_or(0, |(i, _)| i);
    let lower = before[start..].to_lowercase();
    // only within the same clause
    let clause = lower.rsplit(['.', ';', ':']).next().unwrap_or(&lower);
    PARTNER_CUES.iter().any(|c| clause.contains(c))
}

fn normalise_type(t: &str) -> (&'static str, OrgKind) {
    match t {
        "Landeshauptstadt" => ("Landeshauptstadt", OrgKind::Gemeinde),
        "Hansestadt" => ("Hansestadt", OrgKind::Gemeinde),
        "Universitätsstadt" | "Kreisstadt" | "Stadtverwaltung" | "Stadt" => {
            ("Stadt", OrgKind::Gemeinde)
        }
        "Gemeindeverwaltung" | "Gemeinde" => ("Gemeinde", OrgKind::Gemeinde),
        "Samtgemeinde" => ("Samtgemeinde", OrgKind::Gemeinde),
        "Verbandsgemeinde" => ("Verbandsgemeinde", OrgKind::Gemeinde),
        "Markt" => ("Markt", OrgKind::Gemeinde),
        "Landkreis" | "Landkreises" => ("Landkreis", OrgKind::Kreis),
        _ => ("Kreis", OrgKind::Kreis),
    }
}

/// The matches of `re` that start at a word boundary, as `captures_iter` would find
/// them with a leading `\b`. Every match must start with a word character; one that
/// starts inside a word is dropped and the search goes on one character later.
fn captures_at_word_start<'t>(
    re: &'t Regex,
    text: &'t str,
) -> impl Iterator<Item = Captures<'t>> + 't {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at <= text.len() {
            let c = re.captures_at(text, at)?;
            let m = c.get(0)?;
            let next_char = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            let after_word = text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(regex_syntax::is_word_character);
            if after_word {
                at = next_char;
                continue;
            }
            at = m.end().max(next_char);
            return Some(c);
        }
        None
    })
}

/// Word boundaries around `start..end` of `text`.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// Collects organisation mentions of one text part into `acc`, keyed by name.
/// `is_place(name)` says whether a name is a known municipality or Kreis (from the
/// gazetteer); it trims over-long name matches ("Kreis Soest Fahrt" → "Kreis Soest").
pub fn collect(
    text: &str,
    part: Part,
    aliases: &AliasIndex,
    is_place: &dyn Fn(&str, bool) -> bool,
    acc: &mut BTreeMap<String, Found>,
) {
    let weight = match part {
        Part::Title => 3.0,
        Part::Lead => 2.0,
        Part::Body => 1.0,
    };
    let mut add =
        |name: String, kind: OrgKind, place: Option<String>, region: Option<String>, at: usize| {
            let w = if is_partner(&text[..at]) {
                weight * 0.3
            } else {
                weight
            };
            let e = acc.entry(name.clone()).or_insert(Found {
                name,
                kind,
                place,
                region,
                score: 0.0,
                mentions: 0,
            });
            e.score += w;
            e.mentions += 1;
        };
    for c in MUNICIPAL.captures_iter(text) {
        let (Some(ty), Some(name)) = (c.get(1), c.get(2)) else {
            continue;
        };
        if !whole_word(text, ty.start(), ty.end()) {
            continue;
        }
        if text[..ty.start()].ends_with('-') {
            continue; // "Rhein-Kreis Neuss": a Kreis name of its own, below
        }
        let (ty_norm, kind) = normalise_type(ty.as_str());
        let kreis = kind == OrgKind::Kreis;
        // the longest prefix of the name words that is a known place of that level
        // ("Kreises Minden Lübbecke" also as "Minden-Lübbecke")
        let words: Vec<&str> = name.as_str().split_whitespace().collect();
        let place = (1..=words.len())
            .rev()
            .flat_map(|k| [words[..k].join(" "), words[..k].join("-")])
            .find(|cand| is_place(&format!("{ty_norm} {cand}"), kreis));
        let Some(place) = place else { continue };
        add(
            format!("{ty_norm} {place}"),
            kind,
            Some(place),
            None,
            ty.start(),
        );
    }
    // every Kreis name has "Kreis" or "kreis" in it; most texts have neither
    let kreis_names = text
        .contains("reis")
        .then(|| captures_at_word_start(&KREIS_NAME, text));
    for c in kreis_names.into_iter().flatten() {
        let Some(m) = c.get(1) else { continue };
        let name = m.as_str();
        if NOT_KREIS.contains(&name) || !is_place(name, true) {
            continue;
        }
        // "Kreis Soest" is handled above; here only names that carry "kreis" in them
        if text[..m.start()].ends_with("Kreis ") || text[..m.start()].ends_with("Landkreis ") {
            continue;
        }
        add(
            name.to_string(),
            OrgKind::Kreis,
            Some(name.to_string()),
            None,
            m.start(),
        );
    }
    let institutions = INSTITUTION_HEAD
        .is_match(text)
        .then(|| captures_at_word_start(&INSTITUTION, text));
    for c in institutions.into_iter().flatten() {
        let Some(m) = c.get(1) else { continue };
        let mut name = m.as_str().trim_end_matches([' ', '.']).to_string();
        for tail in [" und", " für", " der", " des", " von"] {
            if let Some(s) = name.strip_suffix(tail) {
                name = s.to_string();
            }
        }
        if name.split_whitespace().count() < 2 {
            continue;
        }
        let name = name.replacen("ischen ", "ische ", 1);
        let full = match c.get(2) {
            Some(abbr) => format!("{name} ({})", abbr.as_str()),
            None => name,
        };
        if aliases.lookup(&full).is_some() {
            continue; // counted through the table below
        }
        let kind = if full.starts_with("Bundes") {
            OrgKind::Bund
        } else {
            OrgKind::Land
        };
        add(full, kind, None, None, m.start());
    }
    if let Some(ac) = &aliases.ac {
        for m in ac.find_iter(text) {
            let entry = &aliases.entries[aliases.owner[m.pattern().as_usize()]];
            if whole_word(text, m.start(), m.end()) {
                add(
                    entry.name.clone(),
                    entry.kind,
                    None,
                    entry.region.clone(),
                    m.start(),
                );
            }
        }
    }
}

/// Every name, alias and former name of the table in one automaton.
pub struct AliasIndex {
    ac: Option<AhoCorasick>,
    /// Per pattern: the entry it names.
    owner: Vec<usize>,
    entries: Vec<OrgEntry>,
}

impl AliasIndex {
    pub fn new(table: &OrgTable) -> Self {
        let mut pats = Vec::new();
        let mut owner = Vec::new();
        for (i, e) in table.entries.iter().enumerate() {
            for a in std::iter::once(&e.name).chain(&e.aliases).chain(&e.former) {
                if !a.is_empty() {
                    pats.push(a.clone());
                    owner.push(i);
                }
            }
        }
        // longest alias first where several start at the same place
        // a DFA: the table is small, and its short aliases ("krz", "LWL") would make
        // a prefilter stop at nearly every word
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)
            .ok();
        AliasIndex {
            ac,
            owner,
            entries: table.entries.clone(),
        }
    }

    fn lookup(&self, name: &str) -> Option<&OrgEntry> {
        self.entries.iter().find(|e| {
            e.name == name
                || e.aliases
                    .iter()
                    .chain(&e.former)
                    .any(|a| name.contains(a.as_str()))
        })
    }
}

/// A town is named without its type word too ("Augustdorf:" in a headline, "in
/// Augustdorf"): each such mention of a town already found counts, except where the
/// name belongs to its Kreis ("Kreis Soest").
pub fn count_bare_places(acc: &mut BTreeMap<String, Found>, parts: &[(&str, Part)]) {
    for f in acc.values_mut() {
        let (OrgKind::Gemeinde, Some(place)) = (f.kind, &f.place) else {
            continue;
        };
        let mut score = 0.0;
        let mut mentions = 0;
        for (text, part) in parts {
            let weight = match part {
                Part::Title => 3.0,
                Part::Lead => 2.0,
                Part::Body => 1.0,
            };
            for (i, _) in text.match_indices(place.as_str()) {
                let before = text[..i].trim_end();
                let kreis = [
                    "Kreis",
                    "Kreises",
                    "Landkreis",
                    "Landkreises",
                    "Kreisverwaltung",
                ]
                .iter()
                .any(|k| before.ends_with(k));
                if whole_word(text, i, i + place.len()) && !kreis {
                    score += if is_partner(&text[..i]) {
                        weight * 0.3
                    } else {
                        weight
                    };
                    mentions += 1;
                }
            }
        }
        if score > f.score {
            f.score = score;
            f.mentions = mentions;
        }
    }
}

/// The owners: the best-scored organisation and those with at least half its score
/// and two mentions; at most three. Municipal bodies first.
pub fn owners(acc: BTreeMap<String, Found>) -> Vec<Found> {
    let mut all: Vec<Found> = acc.into_values().collect();
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
    let Some(top) = all.first().map(|f| f.score) else {
        return vec![];
    };
    let mut out: Vec<Found> = all
        .into_iter()
        .enumerate()
        .filter(|(i, f)| *i == 0 || (f.score >= top * 0.5 && f.mentions >= 2))
        .map(|(_, f)| f)
        .take(3)
        .collect();
    out.sort_by_key(|f| match f.kind {
        OrgKind::Gemeinde | OrgKind::Kreis => 0,
        _ => 1,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(n: &str, kreis: bool) -> bool {
        let towns = ["Stadt Bad Salzuflen", "Stadt Detmold", "Stadt Soest"];
        let kreise = [
            "Kreis Soest",
            "Burgenlandkreis",
            "Rhein-Kreis Neuss",
            "Kreis Minden-Lübbecke",
        ];
        if kreis {
            kreise.contains(&n)
        } else {
            towns.contains(&n)
        }
    }

    fn table() -> OrgTable {
        OrgTable::parse(
            "[[organisation]]\nname = \"Ostwestfalen-Lippe-IT (OWL-IT)\"\naliases = [\"OWL-IT\"]\nformer = [\"krz\"]\nkind = \"it-dienstleister\"\nregion = \"Lemgo\"\n",
        )
        .unwrap()
    }

    fn run(parts: &[(&str, Part)]) -> Vec<String> {
        let mut acc = BTreeMap::new();
        for (t, p) in parts {
            collect(t, *p, &AliasIndex::new(&table()), &places, &mut acc);
        }
        owners(acc).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn municipal_names_and_aliases() {
        let o = run(&[(
            "Lena ist in der Stadt Bad Salzuflen tätig. Die Kreisverwaltung Soest und der Kreis Soest Fahrt. Im krz Lemgo und beim krz.",
            Part::Body,
        )]);
        assert!(o.contains(&"Kreis Soest".to_string()), "{o:?}");
        assert!(
            o.contains(&"Ostwestfalen-Lippe-IT (OWL-IT)".to_string()),
            "{o:?}"
        );
    }

    #[test]
    fn partners_and_single_mentions_are_not_owners() {
        let o = run(&[(
            "Der Kreis Soest arbeitet digital. Der Kreis Soest plant. Projektpartner sind die Stadt Detmold. Gefördert vom Bundesministerium für Arbeit und Soziales.",
            Part::Body,
        )]);
        assert_eq!(o, ["Kreis Soest"]);
    }

    /// Owners of a sentence under the shipped table, with their regions.
    fn shipped_owners(text: &str) -> Vec<(String, Option<String>)> {
        let table = OrgTable::parse(include_str!("../../../data/organisations.toml"))
            .expect("the shipped table parses");
        let mut acc = BTreeMap::new();
        let no_places = |_: &str, _: bool| false;
        collect(
            text,
            Part::Body,
            &AliasIndex::new(&table),
            &no_places,
            &mut acc,
        );
        owners(acc)
            .into_iter()
            .map(|f| (f.name, f.region))
            .collect()
    }

    #[test]
    fn shipped_table_finds_abbreviations_inflections_and_former_names() {
        let bavarian =
            shipped_owners("Der Vorstand des Bayerischen Gemeindetags stellte den Leitfaden vor.");
        assert_eq!(
            bavarian,
            [(
                "Bayerischer Gemeindetag".to_string(),
                Some("Bayern".to_string())
            )]
        );
        let kisa = shipped_owners("Die KISA betreibt das neue Portal für ihre Mitglieder.");
        assert_eq!(kisa[0].1.as_deref(), Some("Leipzig"), "{kisa:?}");
        let merged = shipped_owners("Die frühere KIVBF hatte das Verfahren entwickelt.");
        assert_eq!(merged[0].0, "Komm.ONE");
        // the longer abbreviation wins over the shorter one it starts with
        let nrw = shipped_owners("Die Zahlen meldet IT.NRW für das Jahr 2023.");
        assert_eq!(
            nrw[0].0,
            "Landesbetrieb Information und Technik Nordrhein-Westfalen (IT.NRW)"
        );
        // "ITK" alone means information technology in general, not ITK Rheinland
        assert!(shipped_owners("Die ITK-Infrastruktur im Rathaus wurde erneuert.").is_empty());
    }

    #[test]
    fn institutions_with_abbreviation() {
        let o = run(&[(
            "Beim Landschaftsverband Westfalen-Lippe (LWL) entstand die Idee.",
            Part::Lead,
        )]);
        assert_eq!(o, ["Landschaftsverband Westfalen-Lippe (LWL)"]);
        let o = run(&[
            ("Der Rhein-Kreis Neuss gibt Tipps", Part::Title),
            ("aus der Verwaltung Burgenlandkreis", Part::Body),
        ]);
        assert_eq!(o[0], "Rhein-Kreis Neuss");
        let o = run(&[("neue Landrätin des Kreises Minden Lübbecke", Part::Body)]);
        assert_eq!(o, ["Kreis Minden-Lübbecke"]);
    }
}
