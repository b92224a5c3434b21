//! Per-entry rows of the large exports (`catalogue.json`, `catalogue.csv`,
//! `filter.json`), serialised one by one and joined, and the cache serve keeps of
//! them between rebuilds so an edit serialises only the edited entries' rows.
//!
//! A row is kept with a key: a hash of everything it is made from. Joined rows give
//! the same bytes as serialising the whole document at once (tests below).

use std::collections::HashMap;
use std::ffi::OsString;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::load::Entry;

/// Stands for the rows while the rest of a document is serialised. NUL is escaped
/// in JSON strings, so the quoted marker cannot come from a value.
const ROWS_MARKER: &str = "\u{0}rows\u{0}";

type Rows = HashMap<OsString, (u64, Arc<[u8]>)>;

/// Rows by export and entry file. The default cache keeps nothing (a one-off build
/// has no use for it); [`RowCache::enabled`] keeps rows for the next rebuild.
#[derive(Default)]
pub struct RowCache {
    enabled: bool,
    /// By export and variant (feeds keep one per depth of the feed file).
    exports: HashMap<(&'static str, usize), Rows>,
    /// Whole files made from a few fields of every entry, by name: (key, bytes).
    files: HashMap<&'static str, (u64, Vec<u8>)>,
}

impl RowCache {
    pub fn enabled() -> Self {
        RowCache {
            enabled: true,
            ..RowCache::default()
        }
    }

    /// Whether rows are kept for a next rebuild.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The file `name`: kept bytes when `key` is unchanged, else `make`.
    pub fn file(
        &mut self,
        name: &'static str,
        key: u64,
        make: impl FnOnce() -> Vec<u8>,
    ) -> Vec<u8> {
        if let Some((k, bytes)) = self.files.get(name)
            && *k == key
        {
            return bytes.clone();
        }
        let bytes = make();
        if self.enabled {
            self.files.insert(name, (key, bytes.clone()));
        }
        bytes
    }

    /// The row of every entry of `export`, in order: kept rows whose `key` is
    /// unchanged, `make` for the others (in parallel).
    pub fn rows(
        &mut self,
        export: &'static str,
        entries: &[Arc<Entry>],
        key: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize) -> Vec<u8> + Sync,
    ) -> Vec<Arc<[u8]>> {
        self.variant_rows(export, 0, entries, key, make)
    }

    /// [`RowCache::rows`] of one of several variants of an export.
    pub fn variant_rows(
        &mut self,
        export: &'static str,
        variant: usize,
        entries: &[Arc<Entry>],
        key: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize) -> Vec<u8> + Sync,
    ) -> Vec<Arc<[u8]>> {
        let kept = self.exports.entry((export, variant)).or_default();
        let rows: Vec<(u64, Arc<[u8]>, bool)> = entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| {
                let k = key(i);
                match kept.get(e.path.as_os_str()) {
                    Some((old, row)) if *old == k => (k, Arc::clone(row), false),
                    _ => (k, Arc::from(make(i)), true),
                }
            })
            .collect();
        if self.enabled {
            for (e, (k, row, fresh)) in entries.iter().zip(&rows) {
                if *fresh {
                    kept.insert(e.path.as_os_str().to_owned(), (*k, Arc::clone(row)));
                }
            }
            if kept.len() > entries.len() {
                let present: std::collections::HashSet<&std::ffi::OsStr> =
                    entries.iter().map(|e| e.path.as_os_str()).collect();
                kept.retain(|p, _| present.contains(p.as_os_str()));
            }
        } else {
            kept.clear();
        }
        rows.into_iter().map(|(_, row, _)| row).collect()
    }
}

/// A row key: the entry file's hash and whatever else the row is made from.
pub fn key(e: &Entry, more: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    e.hash.hash(&mut h);
    more.hash(&mut h);
    h.finish()
}

/// The value to serialise in place of the rows; see [`splice`].
pub fn marker() -> &'static str {
    ROWS_MARKER
}

/// `doc` (serialised with [`marker`] in place of the rows array) with the rows put
/// in: `open` + rows joined by `separator` + `end`, or `[]` when there are none.
/// None when the marker is not in `doc` exactly once (a setting holding it).
fn splice(
    doc: &[u8],
    rows: &[Arc<[u8]>],
    open: &str,
    separator: &str,
    end: &str,
) -> Option<Vec<u8>> {
    let quoted = serde_json::to_string(ROWS_MARKER).unwrap_or_default();
    let mut found = doc
        .windows(quoted.len())
        .enumerate()
        .filter(|(_, w)| *w == quoted.as_bytes())
        .map(|(at, _)| at);
    let at = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let size: usize = rows.iter().map(|r| r.len() + separator.len()).sum();
    let mut out = Vec::with_capacity(doc.len() + size + open.len() + end.len());
    out.extend_from_slice(&doc[..at]);
    if rows.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.extend_from_slice(open.as_bytes());
        for (n, row) in rows.iter().enumerate() {
            if n > 0 {
                out.extend_from_slice(separator.as_bytes());
            }
            out.extend_from_slice(row);
        }
        out.extend_from_slice(end.as_bytes());
    }
    out.extend_from_slice(&doc[at + quoted.len()..]);
    Some(out)
}

/// Rows into compact JSON: `[row,row]`.
pub fn splice_compact(doc: &[u8], rows: &[Arc<[u8]>]) -> Option<Vec<u8>> {
    splice(doc, rows, "[", ",", "]")
}

/// Rows into pretty JSON whose rows array sits at the first level of the document,
/// each row made by [`pretty_row`].
pub fn splice_pretty(doc: &[u8], rows: &[Arc<[u8]>]) -> Option<Vec<u8>> {
    splice(doc, rows, "[\n", ",\n", "\n  ]")
}

/// A value as pretty JSON at the indent of an array item two levels down.
pub fn pretty_row(value: &impl serde::Serialize) -> Vec<u8> {
    let flat = serde_json::to_vec_pretty(value).unwrap_or_default();
    let lines = flat.iter().filter(|b| **b == b'\n').count();
    let mut out = Vec::with_capacity(flat.len() + 4 * (lines + 1));
    out.extend_from_slice(b"    ");
    for &b in &flat {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(values: &[serde_json::Value], pretty: bool) -> Vec<Arc<[u8]>> {
        values
            .iter()
            .map(|v| {
                Arc::from(if pretty {
                    pretty_row(v)
                } else {
                    serde_json::to_vec(v).unwrap()
                })
            })
            .collect()
    }

    #[test]
    fn spliced_rows_equal_the_whole_document() {
        let items = vec![
            json!({"a": 1, "b": [1, 2], "c": {"d": "x\ny"}, "e": []}),
            json!({"a": 2, "b": [], "c": {}, "e": ["\u{0}"]}),
        ];
        for items in [items.clone(), Vec::new()] {
            let whole = json!({"title": "t", "entries": items});
            let doc = json!({"title": "t", "entries": marker()});
            assert_eq!(
                splice_pretty(
                    &serde_json::to_vec_pretty(&doc).unwrap(),
                    &rows(&items, true)
                )
                .unwrap(),
                serde_json::to_vec_pretty(&whole).unwrap()
            );
            assert_eq!(
                splice_compact(&serde_json::to_vec(&doc).unwrap(), &rows(&items, false)).unwrap(),
                serde_json::to_vec(&whole).unwrap()
            );
        }
    }

    #[test]
    fn a_setting_holding_the_marker_is_refused() {
        let doc = json!({"title": marker(), "entries": marker()});
        let doc = serde_json::to_vec(&doc).unwrap();
        assert_eq!(splice_compact(&doc, &rows(&[json!(1)], false)), None);
    }
}
