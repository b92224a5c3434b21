//! Open review items with the evidence the import recorded for them: what
//! `praxis check --review` prints and serve's review page shows.
//!
//! An entry lists in `review` the fields an editor still has to confirm; the import
//! recorded, per value it set, the phrase and line of the seed that decided it (see
//! [`crate::import::evidence`]). Evidence applies only while the field still holds
//! the value it explains: once an editor changed the value, its evidence is left
//! out, and once the field is gone from `review` it is accepted and not listed.
//! Nothing is written: the comparison happens each time the items are collected.
//!
//! [`collect`] is pure (the seed texts come through a closure); [`Seeds`] reads
//! them from disk the way the import did.

pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::import::evidence::{Recorded, Store};
use crate::import::meta::Evidence;
use crate::load::Entry;
use crate::regions::Gazetteer;

/// Lines shown before and after the line of the evidence.
pub const CONTEXT_LINES: usize = 2;
/// A longer source line is cut (HTML seeds turn a paragraph into one line).
const MAX_LINE_CHARS: usize = 400;

/// One entry with fields still to be confirmed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenEntry {
    /// The entry file, relative to the site root (`content/x.md`).
    pub file: String,
    pub slug: String,
    pub title: String,
    pub fields: Vec<OpenField>,
}

/// One field of `review` with its current values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenField {
    pub field: String,
    pub values: Vec<FieldValue>,
}

/// A value of a field as the entry has it now, with the evidence when the value is
/// still the one the import set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldValue {
    pub value: String,
    pub evidence: Option<Shown>,
}

/// Evidence as shown to an editor: located in its seed, with the lines around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    /// The seed, relative to the site root.
    pub seed: String,
    /// 1-based line in the seed; 0 when no single line decided it.
    pub line: usize,
    pub phrase: String,
    pub rule: String,
    /// Other candidates the import saw (years, owners, places).
    pub alternatives: Vec<String>,
    /// The seed's lines around `line` (empty when the seed cannot be read).
    pub context: Vec<SourceLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceLine {
    pub number: usize,
    pub text: String,
    /// The line of the evidence.
    pub hit: bool,
}

/// The open review items of `entries` (in their order), with the evidence of
/// `store` that still applies; `seed_lines` gives a seed's lines (None when it
/// cannot be read).
pub fn collect(
    entries: &[&Entry],
    store: &Store,
    gazetteer: &Gazetteer,
    seed_lines: &dyn Fn(&str) -> Option<Arc<Vec<String>>>,
) -> Vec<OpenEntry> {
    entries
        .iter()
        .filter(|e| !e.review.is_empty())
        .map(|e| {
            open_entry(
                e,
                store.entries.get(&state_key(&e.path)),
                gazetteer,
                seed_lines,
            )
        })
        .collect()
}

/// The key of an entry in the import state: its file name within content/.
fn state_key(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

fn open_entry(
    e: &Entry,
    recorded: Option<&Recorded>,
    gazetteer: &Gazetteer,
    seed_lines: &dyn Fn(&str) -> Option<Arc<Vec<String>>>,
) -> OpenEntry {
    let fields = e
        .review
        .iter()
        .map(|field| {
            let values = current_values(e, field)
                .into_iter()
                .map(|(value, matches)| {
                    let evidence = recorded.and_then(|r| {
                        r.evidence
                            .iter()
                            .find(|ev| ev.field == *field && matches(&ev.value, gazetteer))
                            .map(|ev| shown(&r.seed, ev, seed_lines))
                    });
                    FieldValue { value, evidence }
                })
                .collect();
            OpenField {
                field: field.clone(),
                values,
            }
        })
        .collect();
    OpenEntry {
        file: e.path.to_string_lossy().replace('\\', "/"),
        slug: e.slug.clone(),
        title: e.title.clone(),
        fields,
    }
}

/// Tells whether a recorded value is the current value it stands beside.
type Matches = Box<dyn Fn(&str, &Gazetteer) -> bool>;

/// The values a field has now, each with a test for the recorded value that
/// explains it.
fn current_values(e: &Entry, field: &str) -> Vec<(String, Matches)> {
    let same = |v: String| -> (String, Matches) {
        let own = v.clone();
        (v, Box::new(move |r: &str, _: &Gazetteer| r.trim() == own))
    };
    match field {
        "title" => vec![same(e.title.clone())],
        "year" => vec![same(e.year.to_string())],
        "date" => e.date.iter().cloned().map(same).collect(),
        "summary" => e.summary.iter().cloned().map(same).collect(),
        "topic" => e.topics.iter().cloned().map(same).collect(),
        "organisation" => e.organisations.iter().cloned().map(same).collect(),
        "region" => e
            .regions
            .iter()
            .map(|r| {
                let key = r.key.clone();
                let m: Matches = Box::new(move |v: &str, g: &Gazetteer| {
                    v == key || g.resolve(v).is_ok_and(|found| found.key == key)
                });
                (r.name.clone(), m)
            })
            .collect(),
        // fields the import records no evidence for
        _ => Vec::new(),
    }
}

fn shown(
    seed: &str,
    ev: &Evidence,
    seed_lines: &dyn Fn(&str) -> Option<Arc<Vec<String>>>,
) -> Shown {
    let context = if ev.line == 0 {
        Vec::new()
    } else {
        seed_lines(seed).map_or_else(Vec::new, |lines| context(&lines, ev.line))
    };
    Shown {
        seed: seed.to_string(),
        line: ev.line,
        phrase: ev.phrase.clone(),
        rule: ev.rule.clone(),
        alternatives: ev.alternatives.clone(),
        context,
    }
}

/// The lines around 1-based `line`, blank ones at either end left out.
fn context(lines: &[String], line: usize) -> Vec<SourceLine> {
    if line == 0 || line > lines.len() {
        return Vec::new();
    }
    let from = line.saturating_sub(CONTEXT_LINES).max(1);
    let to = (line + CONTEXT_LINES).min(lines.len());
    let mut out: Vec<SourceLine> = (from..=to)
        .map(|n| SourceLine {
            number: n,
            text: cut(lines[n - 1].trim_end()),
            hit: n == line,
        })
        .collect();
    while out
        .first()
        .is_some_and(|l| !l.hit && l.text.trim().is_empty())
    {
        out.remove(0);
    }
    while out
        .last()
        .is_some_and(|l| !l.hit && l.text.trim().is_empty())
    {
        out.pop();
    }
    out
}

fn cut(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((at, _)) => format!("{} …", &line[..at]),
        None => line.to_string(),
    }
}

/// A seed's text as the import read it (decoded, HTML turned to text), split into
/// lines, so evidence lines point at the right ones.
pub fn seed_text_lines(file: &str, bytes: &[u8]) -> Vec<String> {
    let (mut text, _) = crate::import::decode::decode(bytes);
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        text = crate::import::html::to_text(&text);
    }
    text.split('\n').map(str::to_string).collect()
}

/// Seed texts read from a site, each once, kept while the file is unchanged.
#[derive(Default)]
pub struct Seeds {
    root: PathBuf,
    /// Seed → (modification time and size, its lines).
    read: std::sync::Mutex<HashMap<String, (FileStamp, Option<Lines>)>>,
}

type FileStamp = Option<(std::time::SystemTime, u64)>;
/// A seed's lines, shared by every evidence that points into it.
type Lines = Arc<Vec<String>>;

impl Seeds {
    pub fn new(root: &Path) -> Seeds {
        Seeds {
            root: root.to_path_buf(),
            read: Default::default(),
        }
    }

    /// The lines of a seed (a path relative to the site root, as the import state
    /// has it); None when it cannot be read or would lie outside the site.
    pub fn lines(&self, seed: &str) -> Option<Arc<Vec<String>>> {
        let rel = Path::new(seed);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return None;
        }
        let path = self.root.join(rel);
        let meta = std::fs::metadata(&path).ok();
        let stamp = meta
            .as_ref()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut read = self.read.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, lines)) = read.get(seed)
            && stamp.is_some()
            && *s == stamp
        {
            return lines.clone();
        }
        let too_big = meta.is_none_or(|m| m.len() > crate::import::MAX_SEED_BYTES);
        let lines = if too_big {
            None
        } else {
            std::fs::read(&path)
                .ok()
                .map(|bytes| Arc::new(seed_text_lines(seed, &bytes)))
        };
        read.insert(seed.to_string(), (stamp, lines.clone()));
        lines
    }
}

#[cfg(test)]
mod tests;
