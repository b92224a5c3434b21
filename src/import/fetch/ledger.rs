//! The ledger of fetched pages and followed feeds: `seeds/.praxis-fetched.toml`.
//!
//! One `[[page]]` per page fetched (its address, the seed file it went to, when,
//! the hash of its bytes and the feed it came from) and one `[[feed]]` per feed
//! followed (when it was last read and the validators for asking whether it
//! changed). A page in the ledger is never fetched again; a seed renamed by an
//! editor is found again by its hash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

pub const FILE_NAME: &str = ".praxis-fetched.toml";

const HEADER: &str = "\
# Pages and feeds `praxis import --url/--feed` fetched into this folder.
# A page listed here is not fetched again; delete its [[page]] table to fetch it anew.
";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    #[serde(default, rename = "page", skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageRecord>,
    #[serde(default, rename = "feed", skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<FeedRecord>,
}

/// A page fetched into a seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRecord {
    /// The address as given or as the feed linked it.
    pub url: String,
    /// Where redirects ended, when elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// The seed file, relative to the seeds folder.
    pub file: String,
    /// When it was fetched, UTC, RFC 3339.
    pub fetched: String,
    /// SHA-256 of the bytes as fetched (the seed file's bytes).
    pub hash: String,
    /// The feed whose item it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// The feed's name in site.toml, for the draft note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_name: Option<String>,
}

/// A feed read at least once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedRecord {
    pub url: String,
    /// When it was last read, UTC, RFC 3339.
    pub checked: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Ledger {
    pub fn path(seeds: &Path) -> PathBuf {
        seeds.join(FILE_NAME)
    }

    /// Reads the ledger of a seeds folder; a missing file is an empty ledger.
    pub fn load(seeds: &Path) -> Result<Ledger, Diagnostic> {
        let path = Ledger::path(seeds);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ledger::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::default()),
            Err(e) => Err(Diagnostic::error(
                &path,
                format!("cannot read the ledger of fetched pages: {e}"),
            )),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Ledger, Diagnostic> {
        toml::from_str(text).map_err(|e| {
            Diagnostic::error(
                path,
                format!(
                    "the ledger of fetched pages is broken: {}",
                    e.message().trim()
                ),
            )
            .at_offset(text, e.span().map_or(0, |s| s.start))
            .hint(
                "repair the line, or delete the file: pages fetched before are then fetched again",
            )
        })
    }

    /// Writes the ledger through a temporary file, so a crash leaves the old one.
    pub fn save(&self, seeds: &Path) -> Result<(), Diagnostic> {
        let path = Ledger::path(seeds);
        let body = toml::to_string(self).map_err(|e| {
            Diagnostic::error(
                &path,
                format!("cannot write the ledger of fetched pages: {e}"),
            )
        })?;
        let tmp = seeds.join(format!("{FILE_NAME}.tmp"));
        std::fs::write(&tmp, format!("{HEADER}\n{body}"))
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| {
                Diagnostic::error(
                    &path,
                    format!("cannot write the ledger of fetched pages: {e}"),
                )
            })
    }

    /// The record of a page by any of its addresses.
    pub fn page(&self, url: &str) -> Option<&PageRecord> {
        self.pages
            .iter()
            .find(|p| p.url == url || p.final_url.as_deref() == Some(url))
    }

    pub fn feed(&self, url: &str) -> Option<&FeedRecord> {
        self.feeds.iter().find(|f| f.url == url)
    }

    /// Records a feed's latest reading.
    pub fn set_feed(&mut self, record: FeedRecord) {
        match self.feeds.iter_mut().find(|f| f.url == record.url) {
            Some(f) => *f = record,
            None => self.feeds.push(record),
        }
    }

    /// Points records whose seed file is gone at a file with the same bytes, when
    /// the seeds folder has one (the editor renamed it). `hashes` maps a hash to a
    /// file name relative to the seeds folder. Returns whether anything changed.
    pub fn follow_renames(&mut self, seeds: &Path, hashes: &BTreeMap<String, String>) -> bool {
        let mut changed = false;
        for p in &mut self.pages {
            if !seeds.join(&p.file).exists()
                && let Some(file) = hashes.get(&p.hash)
            {
                p.file.clone_from(file);
                changed = true;
            }
        }
        changed
    }

    /// Whether some record's seed file is missing (then renames are looked for).
    pub fn any_missing(&self, seeds: &Path) -> bool {
        self.pages.iter().any(|p| !seeds.join(&p.file).exists())
    }
}

/// The current time, UTC, RFC 3339 to the second.
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = crate::civil_from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_lookup_by_either_address() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::default();
        l.pages.push(PageRecord {
            url: "http://kreis.example/a".into(),
            final_url: Some("https://kreis.example/a/".into()),
            file: "kreis.example_a.html".into(),
            fetched: now(),
            hash: "ab".into(),
            feed: None,
            feed_name: None,
        });
        l.save(dir.path()).unwrap();
        let back = Ledger::load(dir.path()).unwrap();
        assert_eq!(back, l);
        assert!(back.page("https://kreis.example/a/").is_some());
        assert!(back.page("https://kreis.example/b").is_none());
        let text = std::fs::read_to_string(Ledger::path(dir.path())).unwrap();
        assert!(text.starts_with("# Pages and feeds"), "{text}");
    }

    #[test]
    fn a_broken_ledger_names_its_line() {
        let e = Ledger::parse(
            "[[page]]\nurl = 3\n",
            Path::new("seeds/.praxis-fetched.toml"),
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn the_time_is_rfc3339() {
        let t = now();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
}
