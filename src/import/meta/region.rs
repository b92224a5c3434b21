//! Regions of an entry through the gazetteer, most specific first.
//!
//! Names come from the owners (a town, a Kreis, an alias-table seat or Land), else
//! from the headline's kicker ("Bayern: …") and the dateline. A name several regions
//! share ("Borken", "Soest" town or Kreis) is settled by its type word and by context:
//! the Kreis or Land the text names ("im Kreis Lippe", "baden-württembergische",
//! "NRW"). Values are written so that the loader resolves them to exactly this region:
//! the display name when that is unambiguous, else the regional key.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use aho_corasick::AhoCorasick;

use crate::regions::{Gazetteer, Level, Region};

/// Land names and the adjectives and abbreviations texts use for them.
const LAND_WORDS: &[(&str, &[&str])] = &[
    (
        "Baden-Württemberg",
        &["baden-württemberg", "baden-württembergisch"],
    ),
    ("Bayern", &["bayern", "bayerisch", "freistaat bayern"]),
    ("Berlin", &["berlin"]),
    ("Brandenburg", &["brandenburg"]),
    ("Bremen", &["bremen", "bremisch"]),
    ("Hamburg", &["hamburg"]),
    ("Hessen", &["hessen", "hessisch"]),
    ("Mecklenburg-Vorpommern", &["mecklenburg-vorpommern"]),
    ("Niedersachsen", &["niedersachsen", "niedersächsisch"]),
    (
        "Nordrhein-Westfalen",
        &[
            "nordrhein-westfalen",
            "nrw",
            "nordrhein-westfälisch",
            "westfalen",
            "ostwestfalen",
        ],
    ),
    (
        "Rheinland-Pfalz",
        &["rheinland-pfalz", "rheinland-pfälzisch"],
    ),
    ("Saarland", &["saarland", "saarländisch"]),
    ("Sachsen", &["freistaat sachsen", "sächsisch"]),
    ("Sachsen-Anhalt", &["sachsen-anhalt"]),
    ("Schleswig-Holstein", &["schleswig-holstein"]),
    ("Thüringen", &["thüringen", "thüringisch"]),
];

/// Every word of [`LAND_WORDS`] in one automaton, so a text is read once, and per
/// pattern the index of its Land.
static LAND_WORD_INDEX: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let (words, lands): (Vec<&str>, Vec<usize>) = LAND_WORDS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, words))| words.iter().map(move |w| (*w, i)))
        .unzip();
    (AhoCorasick::new(words).expect("static automaton"), lands)
});

/// Lands a lower-case text names (by name, adjective or abbreviation) at the start
/// of a word, in the order of [`LAND_WORDS`].
pub fn lands_named(lower: &str) -> Vec<&'static str> {
    let (words, land_of) = &*LAND_WORD_INDEX;
    let mut named = [false; LAND_WORDS.len()];
    for m in words.find_overlapping_iter(lower) {
        let word_start = lower[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if word_start {
            named[land_of[m.pattern().as_usize()]] = true;
        }
    }
    LAND_WORDS
        .iter()
        .zip(named)
        .filter(|(_, named)| *named)
        .map(|((land, _), _)| *land)
        .collect()
}

/// Whether a text writes a place with the qualifier of its official name, in full
/// or abbreviated: "Hude (Oldenburg)" for "Hude (Oldb)", "Neustadt (Wied)".
fn qualifier_written(official: &str, context: &str) -> bool {
    let Some((base, qual)) = official.split_once(" (") else {
        return false;
    };
    let qual = qual.trim_end_matches(')').to_lowercase();
    let needle = format!("{} (", base.to_lowercase());
    context.match_indices(&needle).any(|(i, _)| {
        let written: String = context[i + needle.len()..]
            .chars()
            .take_while(|&c| c != ')')
            .take(40)
            .collect();
        abbreviates(&qual, &written)
    })
}

/// "oldb" abbreviates "oldenburg": same first letter, the rest in order.
fn abbreviates(short: &str, long: &str) -> bool {
    let short: String = short.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut long_chars = long.chars().filter(|c| c.is_alphanumeric());
    let mut short_chars = short.chars();
    match (short_chars.next(), long_chars.next()) {
        (Some(a), Some(b)) if a == b => {}
        _ => return false,
    }
    short_chars.all(|c| long_chars.any(|l| l == c))
}

/// Looks names up in the gazetteer; remembers the answers, since the same town names
/// recur across a whole run.
pub struct Places<'g> {
    pub gaz: &'g Gazetteer,
    /// Per name: whether it is a Gemeinde (`[0]`) or a Kreis (`[1]`).
    known: Mutex<[HashMap<String, bool>; 2]>,
    /// Per name: the gazetteer's candidates.
    found: Mutex<HashMap<String, Vec<&'g Region>>>,
    /// Per regional key: the value written for the region.
    values: Mutex<HashMap<String, String>>,
}

impl<'g> Places<'g> {
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Places {
            gaz,
            known: Mutex::default(),
            found: Mutex::default(),
            values: Mutex::default(),
        }
    }

    /// Whether a name (with or without a type word) is a current Kreis (`kreis`) or
    /// Gemeinde.
    pub fn is_place(&self, name: &str, kreis: bool) -> bool {
        let cached = self
            .known
            .lock()
            .ok()
            .and_then(|m| m[kreis as usize].get(name).copied());
        if let Some(hit) = cached {
            return hit;
        }
        let want = if kreis { Level::Kreis } else { Level::Gemeinde };
        let hit = self
            .candidates(name)
            .iter()
            .any(|r| !r.historical && r.level == want);
        if let Ok(mut m) = self.known.lock() {
            m[kreis as usize].insert(name.to_string(), hit);
        }
        hit
    }

    /// The region a name means in a text, `want` restricting the level. `context`
    /// gives the lower-case text, asked for only when several regions share the name.
    pub fn pick<'c>(
        &self,
        name: &str,
        want: Option<Level>,
        context: impl FnOnce() -> &'c str,
    ) -> Option<(&'g Region, bool)> {
        let cands: Vec<&Region> = self
            .candidates(name)
            .into_iter()
            .filter(|r| !r.historical && want.is_none_or(|l| r.level == l))
            .collect();
        match cands.len() {
            0 => None,
            1 => Some((cands[0], true)),
            _ => {
                let context = context();
                let lands = lands_named(context);
                let scored: Vec<(i32, &Region)> = cands
                    .iter()
                    .map(|r| {
                        let mut s = 0;
                        if let Some(k) = self.gaz.kreis_of(r).filter(|k| k.key != r.key)
                            && context.contains(&k.name.to_lowercase())
                        {
                            s += 3;
                        }
                        if let Some(l) = self.gaz.land_of(r)
                            && lands.contains(&l.name.split(',').next().unwrap_or(""))
                        {
                            s += 2;
                        }
                        if qualifier_written(&r.name, context) {
                            s += 4;
                        }
                        (s, *r)
                    })
                    .collect();
                let best = scored.iter().map(|(s, _)| *s).max().unwrap_or(0);
                let top: Vec<&Region> = scored
                    .iter()
                    .filter(|(s, _)| *s == best)
                    .map(|(_, r)| *r)
                    .collect();
                // several equally likely: the first (current, lowest key), to be reviewed
                top.first().map(|r| (*r, top.len() == 1 && best > 0))
            }
        }
    }

    /// Every region a name could mean (see [`Gazetteer::candidates`]).
    fn candidates(&self, name: &str) -> Vec<&'g Region> {
        let cached = self.found.lock().ok().and_then(|m| m.get(name).cloned());
        if let Some(found) = cached {
            return found;
        }
        let found = self.gaz.candidates(name);
        if let Ok(mut m) = self.found.lock() {
            m.insert(name.to_string(), found.clone());
        }
        found
    }

    /// The value to write for a region: its name if that resolves back to it.
    pub fn value(&self, r: &Region) -> String {
        let cached = self.values.lock().ok().and_then(|m| m.get(&r.key).cloned());
        if let Some(value) = cached {
            return value;
        }
        let value = match self.gaz.resolve(&r.name) {
            Ok(back) if back.key == r.key => r.name.clone(),
            _ => r.key.clone(),
        };
        if let Ok(mut m) = self.values.lock() {
            m.insert(r.key.clone(), value.clone());
        }
        value
    }

    /// A city-state's city for the Land itself (Berlin, Hamburg): a Land whose only
    /// Kreis holds one current Gemeinde. Any other region is given back.
    pub fn city_state(&self, r: &'g Region) -> &'g Region {
        if r.level != Level::Land {
            return r;
        }
        let kreise: Vec<&Region> = self
            .gaz
            .children(&r.key)
            .into_iter()
            .filter(|k| !k.historical && k.level == Level::Kreis)
            .collect();
        if let [k] = kreise.as_slice() {
            let towns: Vec<&Region> = self
                .gaz
                .children(&k.key)
                .into_iter()
                .filter(|g| !g.historical && g.level == Level::Gemeinde)
                .collect();
            if let [town] = towns.as_slice() {
                return town;
            }
        }
        r
    }

    /// A Land by name.
    pub fn land(&self, name: &str) -> Option<&'g Region> {
        self.candidates(name)
            .into_iter()
            .find(|r| r.level == Level::Land)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qualifier_written_in_full_or_abbreviated() {
        assert!(qualifier_written(
            "Hude (Oldb)",
            "die gemeinde hude (oldenburg) stellt"
        ));
        assert!(qualifier_written(
            "Neustadt (Wied)",
            "in neustadt (wied) hat"
        ));
        assert!(!qualifier_written(
            "Hude (Oldb)",
            "die gemeinde hude stellt"
        ));
        assert!(!qualifier_written(
            "Frankfurt (Oder)",
            "frankfurt (main) hat"
        ));
    }

    #[test]
    fn context_settles_shared_names() {
        let p = Places::new(Gazetteer::get());
        let (r, sure) = p
            .pick(
                "March",
                Some(Level::Gemeinde),
                || "die baden-württembergische gemeinde march",
            )
            .unwrap();
        assert!(
            p.gaz
                .land_of(r)
                .is_some_and(|l| l.name.starts_with("Baden-Württemberg"))
        );
        assert!(sure || p.gaz.candidates("March").len() == 1);
        let (k, _) = p.pick("Kreis Soest", Some(Level::Kreis), || "").unwrap();
        assert_eq!(k.name, "Kreis Soest");
        let (s, _) = p
            .pick("Essen", Some(Level::Gemeinde), || "stadt essen nrw")
            .unwrap();
        assert_eq!(
            p.gaz.land_of(s).map(|l| l.name.as_str()),
            Some("Nordrhein-Westfalen")
        );
    }

    #[test]
    fn land_words() {
        assert_eq!(lands_named("die bayerischen verwaltungsschule"), ["Bayern"]);
        assert_eq!(lands_named("landesregierung nrw"), ["Nordrhein-Westfalen"]);
        // at word starts only, in the table's order, each Land once
        assert_eq!(
            lands_named("schnrw und niedersachsenweit"),
            ["Niedersachsen"]
        );
        assert_eq!(
            lands_named("sachsen-anhalt, freistaat sachsen und ostwestfalen-lippe"),
            ["Nordrhein-Westfalen", "Sachsen", "Sachsen-Anhalt"]
        );
    }
}
