//! Search: praxis's own static full-text index of the entries, read by the theme's
//! `search.js` in the browser.
//!
//! Each entry becomes a [`Document`]: the terms of its title, summary and body
//! (see [`words`]) with a weight saying where they occur, and what a result shows.
//! [`Index`] turns the documents into files: postings sharded by the first three
//! letters of a term, the filter values of every entry in one small file, and the
//! shown fields in chunks, so a query loads only the shards of its words and the
//! chunks of the results on screen. The format is described in docs/search.md.
//! Writing the files is left to the caller (`write`, or a serve session).

mod index;
pub mod words;

use crate::load::Entry;
use crate::regions::{FastMap, Gazetteer};

pub use index::Index;
pub use words::Language;

/// The folder of the search index in the output.
pub const DIR: &str = "suchindex";

/// Weight bits of a term in a document: a title hit outranks a summary hit, which
/// outranks any number of body hits (the low bits count those, up to 15).
const IN_TITLE: u8 = 32;
const IN_SUMMARY: u8 = 16;
const BODY_MAX: u8 = 15;

/// What the index holds of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Distinct terms, sorted, each followed by a space (one string rather than
    /// one per term: an index holds millions).
    terms: String,
    /// The weight of each term, in the same order.
    weights: Vec<u8>,
    pub title: String,
    /// The entry's folder in the output (`praxis/slug/`).
    pub url: String,
    pub summary: String,
    /// The entry's regions, comma-separated, shown under the title.
    pub region: String,
    pub year: i32,
    pub topics: Vec<String>,
    pub lands: Vec<String>,
}

impl Document {
    /// Its terms and their weights, sorted by term.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u8)> {
        words::words(&self.terms).zip(self.weights.iter().copied())
    }

    /// Drops the terms once an index holds them, keeping what a result shows.
    fn forget_terms(&mut self) {
        self.terms = String::new();
        self.weights = Vec::new();
    }
}

/// The document of `entry`, given its rendered body and the summary its card shows.
pub fn document(
    entry: &Entry,
    body_html: &str,
    summary: &str,
    gazetteer: &Gazetteer,
    language: Language,
) -> Document {
    let mut body = String::with_capacity(body_html.len());
    text_of_html(body_html, &mut body);
    let mut folded = String::with_capacity(body.len() + entry.title.len() + summary.len() + 3);
    words::fold_text(&entry.title, &mut folded);
    let title_end = folded.len();
    words::fold_text(summary, &mut folded);
    let summary_end = folded.len();
    words::fold_text(&body, &mut folded);
    // Words repeat within a text: count them first, then stem each distinct one.
    let mut counts: FastMap<&str, u8> =
        FastMap::with_capacity_and_hasher(folded.len() / 16, Default::default());
    let parts = [
        (&folded[..title_end], IN_TITLE),
        (&folded[title_end..summary_end], IN_SUMMARY),
        (&folded[summary_end..], 1),
    ];
    for (text, weight) in parts {
        for word in words::words(text) {
            let w = counts.entry(word).or_insert(0);
            *w = merge_weights(*w, weight);
        }
    }
    let mut weights: FastMap<&str, u8> =
        FastMap::with_capacity_and_hasher(counts.len(), Default::default());
    for (word, weight) in counts {
        if let Some(term) = words::term_of(word, language) {
            let w = weights.entry(term).or_insert(0);
            *w = merge_weights(*w, weight);
        }
    }
    let mut sorted: Vec<(&str, u8)> = weights.into_iter().collect();
    sorted.sort_unstable();
    let mut terms = String::with_capacity(sorted.iter().map(|(t, _)| t.len() + 1).sum());
    for (t, _) in &sorted {
        terms.push_str(t);
        terms.push(' ');
    }
    let lands = crate::render::views::entry_lands(entry, gazetteer);
    Document {
        terms,
        weights: sorted.iter().map(|(_, w)| *w).collect(),
        title: entry.title.clone(),
        url: crate::render::views::entry_path(&entry.slug),
        summary: summary.to_string(),
        region: entry
            .regions
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        year: entry.year,
        topics: entry.topics.clone(),
        lands,
    }
}

/// The words of rendered HTML for indexing, in one pass: tags and entities
/// become spaces, except inline tags, which may sit inside a word
/// (`<em>Rück</em>meldung`). The entities in rendered bodies are the escaped
/// punctuation `&lt;` `&gt;` `&amp;` `&quot;` `&#39;`: none is part of a word.
fn text_of_html(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(if tail.starts_with('<') { '>' } else { ';' }) else {
            rest = "";
            break;
        };
        let inline = tail.starts_with('<') && {
            let name = tail[1..end].trim_start_matches('/');
            let len = name
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(name.len());
            matches!(
                &name[..len],
                "a" | "em" | "strong" | "code" | "del" | "sup" | "sub" | "span" | "abbr"
            )
        };
        if !inline {
            out.push(' ');
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
}

/// Two weights of one term in one entry together: where it occurs, and the body
/// hits added up to [`BODY_MAX`].
fn merge_weights(a: u8, b: u8) -> u8 {
    let places = (a | b) & !BODY_MAX;
    let hits = ((a & BODY_MAX) + (b & BODY_MAX)).min(BODY_MAX);
    places | hits
}

/// The summary a result shows: the entry's own, else the start of its first
/// paragraph, as on its card.
pub fn summary(entry: &Entry, body_html: &str) -> String {
    let lead = crate::markdown::first_paragraph(body_html)
        .unwrap_or_else(|| crate::markdown::plain_text(body_html));
    crate::render::views::summary_of(entry, &lead)
}

/// The document of entry `i` of `catalogue`; `body_html` is its rendered body.
pub fn entry_document(
    catalogue: &crate::catalogue::Catalogue,
    i: usize,
    body_html: &str,
    gazetteer: &Gazetteer,
    language: Language,
) -> Document {
    let e = &catalogue.entries[i];
    let summary = summary(e, body_html);
    document(e, body_html, &summary, gazetteer, language)
}

/// The documents of every entry of `catalogue`, in entry order; `body_html(i)` is
/// entry i's rendered body.
pub fn documents<'r>(
    catalogue: &crate::catalogue::Catalogue,
    body_html: &(dyn Fn(usize) -> &'r str + Sync),
    gazetteer: &Gazetteer,
    language: Language,
) -> Vec<std::sync::Arc<Document>> {
    use rayon::prelude::*;
    (0..catalogue.entries.len())
        .into_par_iter()
        .map(|i| {
            let html = body_html(i);
            std::sync::Arc::new(entry_document(catalogue, i, html, gazetteer, language))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_hits_outweigh_summary_hits_outweigh_body_hits() {
        let body = "<p>akte akte akte akte akte akte akte akte akte akte akte akte akte akte akte akte</p>";
        let title = merge_weights(IN_TITLE, 0);
        let summary = merge_weights(IN_SUMMARY, BODY_MAX);
        assert!(title > summary && summary > BODY_MAX);
        let mut text = String::new();
        text_of_html(body, &mut text);
        assert_eq!(text.split_whitespace().count(), 16);
    }

    #[test]
    fn html_text_keeps_words_across_inline_tags_and_splits_at_blocks() {
        let mut text = String::new();
        text_of_html(
            "<h2>Ziel</h2><p><em>Rück</em>meldung &amp; Akte</p><ul><li>eins</li></ul>",
            &mut text,
        );
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Ziel", "Rückmeldung", "Akte", "eins"]
        );
    }

    #[test]
    fn body_hits_are_counted_up_to_the_cap() {
        let mut w = 0;
        for _ in 0..20 {
            w = merge_weights(w, 1);
        }
        assert_eq!(w, BODY_MAX);
        assert_eq!(merge_weights(w, IN_TITLE), IN_TITLE | BODY_MAX);
    }
}
