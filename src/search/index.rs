//! The index files: built from documents in one go for a build, patched one
//! document at a time in a serve session.
//!
//! ```text
//! suchindex/index.json        format version, language, shard keys, filter values,
//!                             per entry its year, topics and Länder (as numbers)
//! suchindex/terms/KEY.json    {"term": [doc, weight, doc step, weight, ...], ...}
//! suchindex/entries/N.json    [[title, url, summary, region, year], ...] for
//!                             entries N*100 .. N*100+99
//! ```
//! Document numbers are positions in the catalogue's entry order. Every map is
//! sorted, so the same documents give the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::words::{self, Language};
use super::{DIR, Document};
use crate::diag::Diagnostic;
use crate::regions::FastMap;
use crate::write::Sink;

/// Version of the file format, read by search.js; raised on any change to it.
const FORMAT: u32 = 2;
/// Entries per file of shown fields.
const CHUNK: usize = 100;

/// Postings of every term, and which terms each shard holds.
pub struct Index {
    language: Language,
    docs: Vec<Arc<Document>>,
    /// Term → (document, weight), sorted by document.
    postings: FastMap<String, Vec<(u32, u8)>>,
    /// Shard key → its terms.
    shards: BTreeMap<String, BTreeSet<String>>,
    /// Characters of a term that make its shard key (see [`key_length`]).
    key_len: usize,
}

/// Puts document `id`'s terms into `postings`; ids come in ascending order, so
/// each list stays sorted by document.
fn add_postings(postings: &mut FastMap<String, Vec<(u32, u8)>>, id: usize, doc: &Document) {
    for (term, weight) in doc.terms() {
        let list = match postings.get_mut(term) {
            Some(list) => list,
            None => postings.entry(term.to_string()).or_default(),
        };
        list.push((id as u32, weight));
    }
}

/// How many leading characters key a shard: few for a small catalogue, so it is not
/// spread over hundreds of tiny files (each a file to create on every build), three
/// for a big one, so a query loads little. Depends only on the number of entries,
/// which an edit does not change, so a patched index keeps its shards.
fn key_length(docs: usize) -> usize {
    match docs {
        0..300 => 1,
        300..3000 => 2,
        _ => 3,
    }
}

impl Index {
    pub fn build(docs: Vec<Arc<Document>>, language: Language) -> Index {
        let mut postings: FastMap<String, Vec<(u32, u8)>> = FastMap::default();
        for (id, doc) in docs.iter().enumerate() {
            add_postings(&mut postings, id, doc);
        }
        Self::from_postings(docs, postings, language)
    }

    /// An index to write out once: documents `0..count` are made by `make` a few
    /// thousand at a time, and each gives up its terms once they are in the
    /// postings. Every document's terms at once would be a third of a gigabyte at
    /// 100,000 entries. Such an index cannot take [`Index::replace`].
    pub fn build_to_write(
        count: usize,
        make: &(dyn Fn(usize) -> Document + Sync),
        language: Language,
    ) -> Index {
        const STEP: usize = 4096;
        let mut postings: FastMap<String, Vec<(u32, u8)>> = FastMap::default();
        let mut docs = Vec::with_capacity(count);
        for start in (0..count).step_by(STEP) {
            let made: Vec<Document> = (start..(start + STEP).min(count))
                .into_par_iter()
                .map(make)
                .collect();
            for mut doc in made {
                add_postings(&mut postings, docs.len(), &doc);
                doc.forget_terms();
                docs.push(Arc::new(doc));
            }
        }
        Self::from_postings(docs, postings, language)
    }

    fn from_postings(
        docs: Vec<Arc<Document>>,
        postings: FastMap<String, Vec<(u32, u8)>>,
        language: Language,
    ) -> Index {
        let key_len = key_length(docs.len());
        let mut shards: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for term in postings.keys() {
            shards
                .entry(words::shard_key(term, key_len))
                .or_default()
                .insert(term.clone());
        }
        Index {
            language,
            docs,
            postings,
            shards,
            key_len,
        }
    }

    pub fn documents(&self) -> &[Arc<Document>] {
        &self.docs
    }

    /// Every file of the index, made in parallel: the shards, the document chunks,
    /// then index.json.
    fn make_files(&self) -> impl ParallelIterator<Item = (String, Vec<u8>)> + '_ {
        self.shards
            .par_iter()
            .map(|(key, terms)| self.shard_file(key, terms))
            .chain(
                (0..self.docs.len().div_ceil(CHUNK))
                    .into_par_iter()
                    .map(|n| self.chunk_file(n)),
            )
            .chain(rayon::iter::once(()).map(|()| self.index_file()))
    }

    /// Every file of the index: (path in the output, bytes).
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        self.make_files().collect()
    }

    /// Makes every file of the index and hands each to `sink` as soon as it is
    /// made: at 100,000 entries all of them at once are a hundred megabytes more
    /// at the build's busiest moment.
    pub fn write_files(&self, sink: &Sink<'_>) -> Result<(), Diagnostic> {
        self.make_files()
            .try_for_each(|(path, bytes)| sink(path, bytes))
    }

    /// The paths of every file of the index.
    pub fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.shards.keys().map(|k| shard_path(k)).collect();
        names.extend((0..self.docs.len().div_ceil(CHUNK)).map(chunk_path));
        names.push(format!("{DIR}/index.json"));
        names
    }

    /// Puts `doc` in place of document `id` and returns the files that may have
    /// changed: the shards of the terms it gained, lost or holds with another
    /// weight, its chunk and index.json. An edit of a few words rewrites a few shards.
    /// The index must come from [`Index::build`], which keeps the documents' terms.
    pub fn replace(&mut self, id: usize, doc: Arc<Document>) -> Vec<(String, Vec<u8>)> {
        let Some(old) = self.docs.get(id).cloned() else {
            return Vec::new();
        };
        let number = id as u32;
        let old_terms: FastMap<&str, u8> = old.terms().collect();
        let new_terms: FastMap<&str, u8> = doc.terms().collect();
        let mut touched = BTreeSet::new();
        for (&term, weight) in &old_terms {
            if new_terms.get(term) == Some(weight) {
                continue;
            }
            touched.insert(words::shard_key(term, self.key_len));
            if let Some(list) = self.postings.get_mut(term) {
                if let Ok(at) = list.binary_search_by_key(&number, |p| p.0) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.postings.remove(term);
                    let key = words::shard_key(term, self.key_len);
                    if let Some(terms) = self.shards.get_mut(&key) {
                        terms.remove(term);
                        if terms.is_empty() {
                            self.shards.remove(&key);
                        }
                    }
                }
            }
        }
        for (&term, &weight) in &new_terms {
            if old_terms.get(term) == Some(&weight) {
                continue;
            }
            let key = words::shard_key(term, self.key_len);
            let list = self.postings.entry(term.to_string()).or_default();
            if let Err(at) = list.binary_search_by_key(&number, |p| p.0) {
                list.insert(at, (number, weight));
            }
            self.shards
                .entry(key.clone())
                .or_default()
                .insert(term.to_string());
            touched.insert(key);
        }
        drop((old_terms, new_terms));
        self.docs[id] = doc;
        let mut files: Vec<(String, Vec<u8>)> = touched
            .iter()
            .filter_map(|key| {
                self.shards
                    .get(key)
                    .map(|terms| self.shard_file(key, terms))
            })
            .collect();
        files.push(self.chunk_file(id / CHUNK));
        files.push(self.index_file());
        files
    }

    fn shard_file(&self, key: &str, terms: &BTreeSet<String>) -> (String, Vec<u8>) {
        let mut out = String::from("{");
        for (i, term) in terms.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // terms are letters and digits only: nothing to escape
            out.push('"');
            out.push_str(term);
            out.push_str("\":[");
            let mut previous = 0;
            for (j, (doc, weight)) in self.postings[term.as_str()].iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                push_number(&mut out, doc - previous);
                out.push(',');
                push_number(&mut out, u32::from(*weight));
                previous = *doc;
            }
            out.push(']');
        }
        out.push('}');
        (shard_path(key), out.into_bytes())
    }

    fn chunk_file(&self, n: usize) -> (String, Vec<u8>) {
        let end = ((n + 1) * CHUNK).min(self.docs.len());
        let rows: Vec<(&str, &str, &str, &str, i32)> = self.docs[n * CHUNK..end]
            .iter()
            .map(|d| {
                (
                    d.title.as_str(),
                    d.url.as_str(),
                    d.summary.as_str(),
                    d.region.as_str(),
                    d.year,
                )
            })
            .collect();
        (chunk_path(n), to_json(&rows))
    }

    fn index_file(&self) -> (String, Vec<u8>) {
        let topics: BTreeSet<&str> = self
            .docs
            .iter()
            .flat_map(|d| d.topics.iter().map(String::as_str))
            .collect();
        let lands: BTreeSet<&str> = self
            .docs
            .iter()
            .flat_map(|d| d.lands.iter().map(String::as_str))
            .collect();
        let years: BTreeSet<std::cmp::Reverse<i32>> = self
            .docs
            .iter()
            .map(|d| std::cmp::Reverse(d.year))
            .collect();
        let topic_no: HashMap<&str, usize> =
            topics.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let land_no: HashMap<&str, usize> =
            lands.iter().enumerate().map(|(i, l)| (*l, i)).collect();
        let year_no: HashMap<i32, usize> =
            years.iter().enumerate().map(|(i, y)| (y.0, i)).collect();
        let docs: Vec<(usize, Vec<usize>, Vec<usize>)> = self
            .docs
            .iter()
            .map(|d| {
                (
                    year_no[&d.year],
                    d.topics.iter().map(|t| topic_no[t.as_str()]).collect(),
                    d.lands.iter().map(|l| land_no[l.as_str()]).collect(),
                )
            })
            .collect();
        let head = IndexHead {
            version: FORMAT,
            language: self.language.code(),
            count: self.docs.len(),
            chunk: CHUNK,
            key: self.key_len,
            shards: self.shards.keys().map(String::as_str).collect(),
            topic: topics.into_iter().collect(),
            land: lands.into_iter().collect(),
            year: years.into_iter().map(|y| y.0.to_string()).collect(),
            docs,
        };
        (format!("{DIR}/index.json"), to_json(&head))
    }
}

#[derive(Serialize)]
struct IndexHead<'a> {
    version: u32,
    language: &'a str,
    count: usize,
    chunk: usize,
    /// Leading characters of a term that name its shard.
    key: usize,
    shards: Vec<&'a str>,
    topic: Vec<&'a str>,
    land: Vec<&'a str>,
    year: Vec<String>,
    /// Per document: year, topics and Länder as positions in the lists above.
    docs: Vec<(usize, Vec<usize>, Vec<usize>)>,
}

fn shard_path(key: &str) -> String {
    format!("{DIR}/terms/{key}.json")
}

fn chunk_path(n: usize) -> String {
    format!("{DIR}/entries/{n}.json")
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // serialising plain strings, numbers and lists cannot fail
    serde_json::to_vec(value).unwrap_or_default()
}

/// Appends `n` in decimal: the shards hold millions of numbers, and the
/// formatting machinery costs more than the digits.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 4711, 1_000_000, u32::MAX] {
            let mut out = String::from("x");
            push_number(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    fn doc(title: &str, body: &str, year: i32, topic: &str) -> Arc<Document> {
        let mut folded = String::new();
        words::fold_text(&format!("{title} {body}"), &mut folded);
        let mut terms: Vec<String> = words::words(&folded)
            .filter_map(|w| words::term_of(w, Language::German))
            .map(str::to_string)
            .collect();
        terms.sort();
        terms.dedup();
        Arc::new(Document {
            weights: terms.iter().map(|_| 1).collect(),
            terms: terms.iter().map(|t| format!("{t} ")).collect(),
            title: title.into(),
            url: format!("praxis/{}/", title.to_lowercase()),
            summary: body.into(),
            region: "Kreis Lippe".into(),
            year,
            topics: vec![topic.into()],
            lands: vec!["Nordrhein-Westfalen".into()],
        })
    }

    fn docs() -> Vec<Arc<Document>> {
        vec![
            doc(
                "Akte",
                "Die elektronische Akte in allen Ämtern",
                2022,
                "E-Akte",
            ),
            doc(
                "Schule",
                "Schulen tauschen Verwaltungen aus",
                2023,
                "Bildung",
            ),
            doc(
                "Tausch",
                "Verwaltungen tauschen Arbeitsplätze",
                2021,
                "Personal",
            ),
        ]
    }

    #[test]
    fn an_index_built_to_write_has_the_files_of_a_whole_one() {
        let whole = Index::build(docs(), Language::German).files();
        let made = docs();
        let lean =
            Index::build_to_write(made.len(), &|i| Document::clone(&made[i]), Language::German);
        assert!(lean.docs.iter().all(|d| d.terms().next().is_none()));
        assert_eq!(lean.files(), whole);
    }

    #[test]
    fn written_files_are_the_files_of_the_index() {
        let index = Index::build(docs(), Language::German);
        let made = std::sync::Mutex::new(Vec::new());
        index
            .write_files(&|path, bytes| {
                made.lock().unwrap().push((path, bytes));
                Ok(())
            })
            .unwrap();
        let mut made = made.into_inner().unwrap();
        made.sort();
        let mut files = index.files();
        files.sort();
        assert!(files.len() > 3, "{} files", files.len());
        assert_eq!(made, files);
    }

    #[test]
    fn shards_hold_postings_with_document_steps() {
        let files = Index::build(docs(), Language::German).files();
        let verw = files
            .iter()
            .find(|(p, _)| p == "suchindex/terms/v.json")
            .map(|(_, b)| String::from_utf8_lossy(b).to_string())
            .expect("a shard for v (three entries: one-letter keys)");
        // documents 1 and 2: first 1, then a step of 1
        assert!(verw.contains(r#""verwaltung":[1,1,1,1]"#), "{verw}");
        let head = files
            .iter()
            .find(|(p, _)| p == "suchindex/index.json")
            .map(|(_, b)| String::from_utf8_lossy(b).to_string())
            .expect("index.json");
        assert!(head.contains(r#""year":["2023","2022","2021"]"#), "{head}");
        assert!(
            head.contains(r#""docs":[[1,[1],[0]],[0,[0],[0]],[2,[2],[0]]]"#),
            "{head}"
        );
    }

    #[test]
    fn replacing_a_document_gives_the_files_of_a_fresh_build() {
        let mut index = Index::build(docs(), Language::German);
        let before = index.files();
        let edited = doc("Schule", "Schulen digitalisieren die Akte", 2024, "Bildung");
        let changed = index.replace(1, Arc::clone(&edited));
        let mut expected_docs = docs();
        expected_docs[1] = edited;
        let fresh = Index::build(expected_docs, Language::German);
        let mut all = fresh.files();
        all.sort();
        let mut names = index.file_names();
        names.sort();
        assert_eq!(
            names,
            all.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
        );
        for (path, bytes) in &changed {
            let want = all.iter().find(|(p, _)| p == path);
            assert_eq!(Some(bytes), want.map(|(_, b)| b), "{path}");
        }
        let mut patched = index.files();
        patched.sort();
        assert_eq!(patched, all);
        // every file that differs from before the edit is among the changed ones
        for (path, bytes) in &all {
            if before.iter().find(|(p, _)| p == path).map(|(_, b)| b) != Some(bytes) {
                assert!(
                    changed.iter().any(|(p, _)| p == path),
                    "{path} not rewritten"
                );
            }
        }
        // "tauschen" left document 1: its shard is among the changed files
        assert!(changed.iter().any(|(p, _)| p == "suchindex/terms/t.json"));
    }

    #[test]
    fn shard_keys_grow_with_the_catalogue() {
        assert_eq!(key_length(1), 1);
        assert_eq!(key_length(299), 1);
        assert_eq!(key_length(300), 2);
        assert_eq!(key_length(2999), 2);
        assert_eq!(key_length(3000), 3);
        assert_eq!(key_length(100_000), 3);
    }
}
