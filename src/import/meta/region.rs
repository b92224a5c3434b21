//! Regions of an entry through the gazetteer, most specific first.
//!
//! Names come from the owners (a town, a Kreis, an alias-table seat or Land), else
//! from the headline's kicker ("Bayern: …") and the dateline. A name several regions
//! share ("Borken", "Soest" town or Kreis) is settled by its type word and by context:
//! the Kreis or Land the text names ("im Kreis Lippe", "baden-württembergische",
//! "NRW"). Values are written so that the loader resolves them to exactly this region:
//! the display name when that is unambiguous, else the regional key.

use std::collections::HashMap;
use std::sync::Mutex;

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

/// Lands a lower-case text names (by name, adjective or abbreviation).
pub fn lands_named(lower: &str) -> Vec<&'static str> {
    LAND_WORDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| contains_word_start(lower, w)))
        .map(|(land, _)| *land)
        .collect()
}

fn contains_word_start(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Looks names up in the gazetteer; remembers which names are places, since the
/// same town names recur across a whole run.
pub struct Places<'g> {
    pub gaz: &'g Gazetteer,
    known: Mutex<HashMap<(String, bool), bool>>,
}

impl<'g> Places<'g> {
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Places {
            gaz,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a name (with or without a type word) is a current Kreis (`kreis`) or
    /// Gemeinde.
    pub fn is_place(&self, name: &str, kreis: bool) -> bool {
        let key = (name.to_string(), kreis);
        if let Some(&hit) = self.known.lock().ok().as_ref().and_then(|m| m.get(&key)) {
            return hit;
        }
        let want = if kreis { Level::Kreis } else { Level::Gemeinde };
        let hit = self
            .gaz
            .candidates(name)
            .iter()
            .any(|r| !r.historical && r.level == want);
        if let Ok(mut m) = self.known.lock() {
            m.insert(key, hit);
        }
        hit
    }

    /// The region a name means in a text, `want` restricting the level.
    pub fn pick(
        &self,
        name: &str,
        want: Option<Level>,
        context: &str,
    ) -> Option<(&'g Region, bool)> {
        let cands: Vec<&Region> = self
            .gaz
            .candidates(name)
            .into_iter()
            .filter(|r| !r.historical && want.is_none_or(|l| r.level == l))
            .collect();
        match cands.len() {
            0 => None,
            1 => Some((cands[0], true)),
            _ => {
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

    /// The value to write for a region: its name if that resolves back to it.
    pub fn value(&self, r: &Region) -> String {
        match self.gaz.resolve(&r.name) {
            Ok(back) if back.key == r.key => r.name.clone(),
            _ => r.key.clone(),
        }
    }

    /// A Land by name.
    pub fn land(&self, name: &str) -> Option<&'g Region> {
        self.gaz
            .candidates(name)
            .into_iter()
            .find(|r| r.level == Level::Land)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_settles_shared_names() {
        let p = Places::new(Gazetteer::get());
        let (r, sure) = p
            .pick(
                "March",
                Some(Level::Gemeinde),
                "die baden-württembergische gemeinde march",
            )
            .unwrap();
        assert!(
            p.gaz
                .land_of(r)
                .is_some_and(|l| l.name.starts_with("Baden-Württemberg"))
        );
        assert!(sure || p.gaz.candidates("March").len() == 1);
        let (k, _) = p.pick("Kreis Soest", Some(Level::Kreis), "").unwrap();
        assert_eq!(k.name, "Kreis Soest");
        let (s, _) = p
            .pick("Essen", Some(Level::Gemeinde), "stadt essen nrw")
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
    }
}
