//! Topics from the vocabulary in `site.toml`, by keyword evidence weighted by where
//! it occurs: a stem in the title counts more than one in the lead, which counts more
//! than one in the rest of the text.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use crate::config::Topic;

const W_TITLE: f64 = 3.0;
const W_LEAD: f64 = 2.0;
const W_BODY: f64 = 1.0;

/// Occurrences of a stem in lower-case text (what [`TopicIndex`] counts for all stems
/// at once): at a word start counts 1, inside a
/// compound ("Fortbildungs…" in "Mitarbeiterfortbildung") 0.5 for stems of six
/// letters or more. Stems of up to three letters ("ki", "ozg") must be whole words.
#[cfg(test)]
pub fn occurrences(text: &str, stem: &str) -> f64 {
    if stem.is_empty() {
        return 0.0;
    }
    let short = stem.chars().count() <= 3;
    let mut n = 0.0;
    for (i, _) in text.match_indices(stem) {
        let before = text[..i].chars().next_back();
        let after = text[i + stem.len()..].chars().next();
        let word_start = before.is_none_or(|c| !c.is_alphanumeric());
        if short {
            let word_end = after.is_none_or(|c| !c.is_alphanumeric());
            if word_start && word_end {
                n += 1.0;
            }
        } else if word_start {
            n += 1.0;
        } else if stem.chars().count() >= 6 {
            n += 0.5;
        }
    }
    n
}

/// All keyword stems of the vocabulary in one automaton, so each text is scanned
/// once however many topics there are.
pub struct TopicIndex {
    ac: Option<AhoCorasick>,
    /// Per pattern: (topic index, stem length in chars).
    stems: Vec<(usize, usize)>,
}

impl TopicIndex {
    pub fn new(topics: &[Topic]) -> Self {
        let mut pats = Vec::new();
        let mut stems = Vec::new();
        for (i, t) in topics.iter().enumerate() {
            for k in &t.keywords {
                let k = k.to_lowercase();
                if !k.is_empty() {
                    stems.push((i, k.chars().count()));
                    pats.push(k);
                }
            }
        }
        TopicIndex {
            ac: AhoCorasick::new(&pats).ok(),
            stems,
        }
    }

    /// Weighted occurrences per topic in one lower-case text (see [`occurrences`]).
    /// A word is evidence for a topic once: "Führungskräfte" matches both
    /// "führung" and "führungskräft" but counts as one mention, the best.
    fn scan(&self, text: &str, weight: f64, cap: f64, out: &mut [f64]) {
        let Some(ac) = &self.ac else { return };
        // (word start, topic) -> (stem, count) of the best stem in that word
        let mut per_word: HashMap<(usize, usize), (usize, f64)> = HashMap::new();
        for m in ac.find_overlapping_iter(text) {
            let (topic, len) = self.stems[m.pattern().as_usize()];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let word_start = before.is_none_or(|c| !c.is_alphanumeric());
            let n = if len <= 3 {
                if word_start && after.is_none_or(|c| !c.is_alphanumeric()) {
                    1.0
                } else {
                    0.0
                }
            } else if word_start {
                1.0
            } else if len >= 6 {
                0.5
            } else {
                0.0
            };
            if n == 0.0 {
                continue;
            }
            let word = text[..m.start()]
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let best = per_word
                .entry((word, topic))
                .or_insert((m.pattern().as_usize(), n));
            if best.1 < n {
                *best = (m.pattern().as_usize(), n);
            }
        }
        let mut per_stem = vec![0.0_f64; self.stems.len()];
        for (stem, n) in per_word.into_values() {
            per_stem[stem] += n;
        }
        for (k, n) in per_stem.into_iter().enumerate() {
            if let Some(slot) = out.get_mut(self.stems[k].0) {
                *slot += weight * n.min(cap);
            }
        }
    }
}

/// Scores each topic; returns the chosen names (1–3) and the best score.
pub fn choose(
    index: &TopicIndex,
    topics: &[Topic],
    title: &str,
    lead: &str,
    body: &str,
) -> (Vec<String>, f64) {
    let (title, lead, body) = (
        title.to_lowercase(),
        lead.to_lowercase(),
        body.to_lowercase(),
    );
    let mut score = vec![0.0; topics.len()];
    index.scan(&title, W_TITLE, f64::MAX, &mut score);
    index.scan(&lead, W_LEAD, f64::MAX, &mut score);
    index.scan(&body, W_BODY, 8.0, &mut score);
    let mut scored: Vec<(f64, usize)> = score
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, i))
        .filter(|(s, _)| *s > 0.0)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some(&(top, _)) = scored.first() else {
        return (fallback(topics, &title, &lead).into_iter().collect(), 0.0);
    };
    let mut out = Vec::new();
    for (k, &(s, i)) in scored.iter().enumerate().take(3) {
        // a second topic at a third of the best score, a third at well over half
        let keep = k == 0 || s >= top * if k == 1 { 0.35 } else { 0.6 };
        if keep && s >= 2.0 || k == 0 {
            out.push(topics[i].name.clone());
        }
    }
    (out, top)
}

/// Without any keyword: the topic whose description shares the most words (of six
/// letters or more) with the title and lead; at least one topic is always given.
fn fallback(topics: &[Topic], title: &str, lead: &str) -> Option<String> {
    let text = format!("{title} {lead}");
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 6)
        .collect();
    let best = topics
        .iter()
        .map(|t| {
            let desc = t.description.to_lowercase();
            let n = words.iter().filter(|w| desc.contains(**w)).count();
            (n, t)
        })
        .max_by_key(|(n, _)| *n)?;
    let t = if best.0 > 0 { best.1 } else { topics.first()? };
    Some(t.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(name: &str, kw: &[&str]) -> Topic {
        Topic {
            name: name.into(),
            slug: String::new(),
            description: String::new(),
            keywords: kw.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn whole_words_for_short_stems() {
        assert_eq!(occurrences("ki-inforeihe und ki oder nicht ki", "ki"), 3.0);
        assert_eq!(occurrences("kita und kinder", "ki"), 0.0);
        assert_eq!(occurrences("die mitarbeiterfortbildung", "fortbild"), 0.5);
    }

    #[test]
    fn a_word_counts_once_per_topic() {
        let nested = [topic("Führung", &["führung", "führungskräft"])];
        let single = [topic("Führung", &["führungskräft"])];
        let text = "Führungskräfte der Verwaltung";
        let score = |t: &[Topic]| choose(&TopicIndex::new(t), t, "", "", text).1;
        assert_eq!(score(&nested), score(&single));
        assert_eq!(score(&nested), 1.0);
    }

    #[test]
    fn title_outweighs_body() {
        let t = [
            topic("Homeoffice", &["homeoffice"]),
            topic("IT", &["laptop", "notebook"]),
        ];
        let (chosen, _) = choose(
            &TopicIndex::new(&t),
            &t,
            "Flexibel arbeiten im Homeoffice",
            "Alle können im Homeoffice arbeiten.",
            "Laptops und Notebooks für alle, neue Laptops.",
        );
        assert_eq!(chosen, ["Homeoffice", "IT"]);
    }
}
