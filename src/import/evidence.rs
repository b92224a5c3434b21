//! The evidence behind imported fields, kept beside the import state.
//!
//! `content/.praxis-evidence.json` maps each entry file the import wrote to its seed
//! and what decided each field (see [`meta::Evidence`]). It lives apart from the
//! state file because it is many times larger and only `check --review` and serve's
//! review page read it, while every import and every serve rebuild reads the state.
//! It is pretty-printed with sorted keys so that a re-import shows as a small diff.
//! Evidence is never edited by hand: whether it still applies is decided when it is
//! read, by comparing it with the entry's current values (see [`crate::review`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::meta::Evidence;
use super::write::write_atomic;
use crate::diag::Diagnostic;

pub const EVIDENCE_FILE: &str = ".praxis-evidence.json";

/// What decided the fields of one entry file, as the import wrote it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The seed, relative to the site root.
    pub seed: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// Entry file name (as in the import state) → its recorded evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Store {
    #[serde(default)]
    pub entries: BTreeMap<String, Recorded>,
}

impl Store {
    /// Reads the store of a content folder; a missing file is an empty store (an
    /// import made before evidence was kept), a broken one an error naming it.
    pub fn load(content: &Path) -> Result<Store, Diagnostic> {
        let path = content.join(EVIDENCE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                let mut d = Diagnostic::error(
                    &path,
                    format!("the evidence of the last imports cannot be read: {e}"),
                )
                .hint("delete the file; `praxis import --force` records the evidence again");
                d.line = e.line();
                d
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Store::default()),
            Err(e) => Err(Diagnostic::error(
                &path,
                format!("cannot read the evidence of the last imports: {e}"),
            )),
        }
    }

    pub fn save(&self, content: &Path) -> Result<(), Diagnostic> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        write_atomic(&content.join(EVIDENCE_FILE), text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Store::load(dir.path()).unwrap(), Store::default());
        let mut store = Store::default();
        store.entries.insert(
            "a.md".into(),
            Recorded {
                seed: "seeds/a.txt".into(),
                evidence: vec![Evidence {
                    field: "year".into(),
                    value: "2021".into(),
                    phrase: "Musterstadt, 3. Mai 2021".into(),
                    line: 4,
                    rule: "a date opening a paragraph".into(),
                    alternatives: vec!["2019".into()],
                }],
            },
        );
        store.save(dir.path()).unwrap();
        assert_eq!(Store::load(dir.path()).unwrap(), store);
    }

    #[test]
    fn a_broken_file_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(EVIDENCE_FILE), "{\n  \"entries\": [\n").unwrap();
        let d = Store::load(dir.path()).unwrap_err();
        assert!(d.path.ends_with(EVIDENCE_FILE), "{d:?}");
        assert!(d.line >= 2, "{d:?}");
    }
}
