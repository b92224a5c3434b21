//! Writing entries without losing an editor's work.
//!
//! The import state (`content/.praxis-import.toml`, skipped by the loader as a dotfile)
//! records, per seed, the hash of its bytes and, per entry, the hash of the text the
//! import wrote. An entry whose file no longer has that hash was edited and is never
//! overwritten (except with `--force`, after a backup). Files are written to a temp
//! file and renamed, so an interrupted run leaves no half-written entry.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;

pub const STATE_FILE: &str = ".praxis-import.toml";

/// What the import knows about a seed it imported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedState {
    pub hash: String,
    /// Entry file names (slug + ".md") written for it.
    #[serde(default)]
    pub entries: Vec<String>,
}

/// What the import wrote into one entry file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryState {
    pub seed: String,
    /// Which item of the seed: its headline, made a slug.
    pub key: String,
    pub hash: String,
}

/// The whole import state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub seeds: BTreeMap<String, SeedState>,
    #[serde(default)]
    pub entries: BTreeMap<String, EntryState>,
}

/// Hex SHA-256.
pub fn hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl State {
    /// Reads the state; a missing file is an empty state, a broken one an error.
    pub fn load(content: &Path) -> Result<State, Diagnostic> {
        let path = content.join(STATE_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                Diagnostic::error(&path, format!("the import state cannot be read: {}", e.message()))
                    .hint("delete the file to treat every seed as new (entries already written are kept and reported as edited)")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(Diagnostic::error(&path, format!("cannot read the import state: {e}"))),
        }
    }

    pub fn save(&self, content: &Path) -> Result<(), Diagnostic> {
        let text = toml::to_string(self).unwrap_or_default();
        write_atomic(&content.join(STATE_FILE), text.as_bytes())
    }
}

/// Writes `bytes` to `path` through a temp file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = temp_path(path);
    let io = |e: std::io::Error, p: &Path| Diagnostic::error(p, format!("cannot write: {e}"));
    let mut f = fs::File::create(&tmp).map_err(|e| io(e, &tmp))?;
    f.write_all(bytes).map_err(|e| io(e, &tmp))?;
    f.sync_all().map_err(|e| io(e, &tmp))?;
    drop(f);
    fs::rename(&tmp, path).map_err(|e| io(e, path))
}

/// [`write_atomic`] for many files at once. Flushing a file to disk waits for the
/// disk, so all files are written first and flushed side by side, then renamed: a
/// few waits instead of one per file. Returns one result per file, in order.
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Vec<Result<(), Diagnostic>> {
    let io = |e: std::io::Error, p: &Path| Diagnostic::error(p, format!("cannot write: {e}"));
    let written: Vec<Result<(PathBuf, fs::File), Diagnostic>> = files
        .iter()
        .map(|(path, bytes)| {
            let tmp = temp_path(path);
            let mut f = fs::File::create(&tmp).map_err(|e| io(e, &tmp))?;
            f.write_all(bytes).map_err(|e| io(e, &tmp))?;
            Ok((tmp, f))
        })
        .collect();
    const FLUSHERS: usize = 8;
    let chunk = written.len().div_ceil(FLUSHERS).max(1);
    let synced: Vec<Result<PathBuf, Diagnostic>> = std::thread::scope(|scope| {
        let handles: Vec<_> = written
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|r| match r {
                            Ok((tmp, f)) => {
                                f.sync_all().map(|()| tmp.clone()).map_err(|e| io(e, tmp))
                            }
                            Err(d) => Err(d.clone()),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    files
        .iter()
        .zip(synced)
        .map(|((path, _), r)| {
            let tmp = r?;
            fs::rename(&tmp, path).map_err(|e| io(e, path))
        })
        .collect()
}

/// The temp file [`write_atomic`] writes before renaming it to `path`.
fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.tmp"))
}

/// Copies every file of `content` (dotfiles included) to a fresh folder under
/// `backups`; returns that folder.
pub fn backup(content: &Path, backups: &Path) -> Result<PathBuf, Diagnostic> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut dest = backups.join(format!("content-{stamp}"));
    let mut n = 1;
    while dest.exists() {
        n += 1;
        dest = backups.join(format!("content-{stamp}-{n}"));
    }
    for entry in walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let target = dest.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|e| {
                Diagnostic::error(&target, format!("cannot create the backup folder: {e}"))
            })?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).map_err(|e| {
                Diagnostic::error(
                    &target,
                    format!("cannot back up {}: {e}", entry.path().display()),
                )
            })?;
        }
    }
    Ok(dest)
}

/// A slug from a title: at most ~60 characters, cut at a word boundary.
pub fn slug_for(title: &str) -> String {
    let full = crate::slug::slugify(title);
    if full.len() <= 60 {
        return if full.is_empty() {
            "eintrag".into()
        } else {
            full
        };
    }
    let mut cut = String::new();
    for part in full.split('-') {
        if !cut.is_empty() && cut.len() + 1 + part.len() > 60 {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(part);
    }
    if cut.is_empty() {
        full[..60].to_string()
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_cut_at_words() {
        let s = slug_for(
            "Geballte Power für kommunale Projekte! Lokalprojekte verknüpft Verwaltungen und externe Macher:innen",
        );
        assert!(s.len() <= 60 && !s.ends_with('-'), "{s}");
        assert_eq!(slug_for("???"), "eintrag");
    }

    #[test]
    fn many_files_are_written_together_and_a_failure_stays_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<PathBuf> = (0..20)
            .map(|i| dir.path().join(format!("e{i}.md")))
            .collect();
        let texts: Vec<String> = (0..20).map(|i| format!("Eintrag {i}\n")).collect();
        let missing = dir.path().join("fehlt").join("x.md");
        let mut files: Vec<(&Path, &[u8])> = names
            .iter()
            .zip(&texts)
            .map(|(p, t)| (p.as_path(), t.as_bytes()))
            .collect();
        files.insert(7, (missing.as_path(), b"nie"));
        let results = write_all_atomic(&files);
        assert_eq!(results.len(), 21);
        assert!(results[7].is_err());
        for (i, (path, text)) in names.iter().zip(&texts).enumerate() {
            let r = &results[if i < 7 { i } else { i + 1 }];
            assert!(r.is_ok(), "{r:?}");
            assert_eq!(&fs::read_to_string(path).unwrap(), text);
        }
        // no temp file is left behind for the files written
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty());
    }

    #[test]
    fn atomic_write_and_state_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::default();
        st.seeds.insert(
            "seeds/a.txt".into(),
            SeedState {
                hash: hash(b"x"),
                entries: vec!["a.md".into()],
            },
        );
        st.save(dir.path()).unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), st);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from(STATE_FILE)]);
    }
}
