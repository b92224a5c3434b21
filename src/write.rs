//! Write: pages go into a staging folder beside the output; only a build that
//! succeeded swaps it in, so a failed or interrupted build leaves the old site.
//!
//! The output a build replaces is kept beside the new one (`.<name>.praxis-prev`)
//! and becomes the next build's staging folder: a file whose bytes are already
//! there is left as it is, only changed and new files are written and files no
//! longer produced are removed. Creating and deleting tens of thousands of files
//! costs more than the rendering of their pages, and unchanged files keep their
//! modification time, so a deploy by rsync uploads only what changed.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::regions::FastMap;

/// Where finished files go: (path in the output folder, bytes). Called from
/// several threads; a file is handed over as soon as it is made, so a build need
/// not hold every document at once.
pub type Sink<'a> = dyn Fn(String, Vec<u8>) -> Result<(), Diagnostic> + Sync + 'a;

const STAGING: &str = ".praxis-staging-";
const OLD: &str = ".praxis-old-";
const PREV: &str = ".praxis-prev";
pub const LOCK_FILE: &str = ".praxis-build.lock";

/// Refuses output folders that would overwrite the site's own files.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        lexical_normalise(&p)
    };
    let root_abs = abs(root);
    let out_abs = abs(output);
    let settings = root.join(crate::config::FILE_NAME);
    let bad = |what: &str| {
        Err(Diagnostic::error(
            &settings,
            format!(
                "the output folder `{}` is {what}",
                crate::diag::display_path(output)
            ),
        )
        .hint("choose a separate folder, e.g. output = \"public\" in site.toml or --output public"))
    };
    if out_abs == root_abs {
        return bad("the site root itself; building would delete your content");
    }
    if root_abs.starts_with(&out_abs) {
        return bad("a folder that contains the site");
    }
    for protected in [
        "content",
        "seeds",
        "themes",
        "templates",
        "static",
        "data",
        "src",
        ".git",
    ] {
        if out_abs.starts_with(root_abs.join(protected)) {
            return bad(&format!(
                "inside {protected}/, which holds the site's own files"
            ));
        }
    }
    Ok(())
}

fn lexical_normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Holds the site's build lock while alive.
pub struct BuildLock {
    _file: File,
}

impl BuildLock {
    /// Takes the lock, or fails with a message when another build runs.
    pub fn acquire(root: &Path) -> Result<BuildLock, Diagnostic> {
        let path = root.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                Diagnostic::error(&path, format!("cannot create the build lock: {e}"))
                    .hint("check that the site folder is writable")
            })?;
        match file.try_lock() {
            Ok(()) => Ok(BuildLock { _file: file }),
            Err(_) => Err(Diagnostic::error(
                &path,
                "another praxis build or serve is running on this site",
            )
            .hint("wait until it has finished and run the command again")),
        }
    }
}

/// A folder that becomes the output when committed.
pub struct Staging {
    output: PathBuf,
    pub dir: PathBuf,
    /// The files already in `dir` (the previous output, reused), by their path
    /// with `/`; each is marked when this build writes it.
    reused: FastMap<String, AtomicBool>,
    /// Whether `dir` was the kept output: a failed build then puts it back, while
    /// a new folder is removed (it may have filled the disk).
    from_prev: bool,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder beside `output`, from the output before the
    /// current one when it is there, and removes leftovers of earlier, interrupted
    /// builds (the caller holds the build lock).
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let parent = parent_of(output);
        std::fs::create_dir_all(parent)
            .map_err(|e| io_error(parent, "cannot create the folder", &e))?;
        recover(output);
        let name = output_name(output);
        let dir = parent.join(format!(".{name}{STAGING}{}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        let prev = prev_dir(output);
        let mut reused = FastMap::default();
        let mut from_prev = false;
        if prev.is_dir() && std::fs::rename(&prev, &dir).is_ok() {
            match files_under(&dir, "") {
                Ok(files) => {
                    reused = files
                        .into_iter()
                        .map(|f| (f, AtomicBool::new(false)))
                        .collect();
                    from_prev = true;
                }
                // unreadable: start afresh rather than keep files nobody checks
                Err(_) => {
                    let _ = remove_tree(&dir);
                }
            }
        }
        if !dir.is_dir() {
            std::fs::create_dir(&dir)
                .map_err(|e| io_error(&dir, "cannot create the staging folder", &e))?;
        }
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            reused,
            from_prev,
            committed: false,
        })
    }

    /// Writes one file; `rel` is a path inside the output using `/`. A file the
    /// staging folder already holds with these bytes is left untouched.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.inside(rel)?;
        let reused = self.reused.get(rel);
        if let Some(seen) = reused {
            seen.store(true, Ordering::Relaxed);
            if holds(&path, bytes) {
                return Ok(());
            }
            // replaced rather than overwritten: a hard link to the old file (a
            // backup made with `cp -al`) keeps the old content
            let _ = std::fs::remove_file(&path);
        }
        let attempt = || -> Result<(), (&Path, &str, io::Error)> {
            if reused.is_none()
                && let Some(parent) = path.parent()
            {
                std::fs::create_dir_all(parent)
                    .map_err(|e| (parent, "cannot create the folder", e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| (path.as_path(), "cannot write", e))
        };
        let result = attempt().or_else(|first| {
            // the reused output may hold a file where this build needs a folder,
            // or a folder where it writes a file
            if self.from_prev && self.clear_way(&path) {
                attempt()
            } else {
                Err(first)
            }
        });
        result.map_err(|(p, what, e)| io_error(p, what, &e))
    }

    /// Removes what of the reused output stands in the way of writing `path`: files
    /// where its folders go, a folder where it goes. Whether anything was removed.
    fn clear_way(&self, path: &Path) -> bool {
        let mut cleared = false;
        for folder in path.ancestors().skip(1) {
            if folder == self.dir || !folder.starts_with(&self.dir) {
                break;
            }
            if std::fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()) {
                cleared |= std::fs::remove_file(folder).is_ok();
            }
        }
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            cleared |= remove_tree(path).is_ok();
        }
        cleared
    }

    fn inside(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let p = Path::new(rel);
        if p.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(Diagnostic::error(
                rel,
                "refusing to write outside the output folder",
            ));
        }
        Ok(self.dir.join(p))
    }

    /// Copies a folder's files (not following symlinks) into the output.
    pub fn copy_dir(&self, src: &Path) -> Result<(), Diagnostic> {
        if !src.is_dir() {
            return Ok(());
        }
        for item in walkdir::WalkDir::new(src)
            .follow_links(false)
            .sort_by_file_name()
        {
            let item = item.map_err(|e| Diagnostic::error(src, format!("cannot read: {e}")))?;
            if !item.file_type().is_file() {
                continue;
            }
            let rel = item.path().strip_prefix(src).unwrap_or(item.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes =
                std::fs::read(item.path()).map_err(|e| io_error(item.path(), "cannot read", &e))?;
            self.write(&rel, &bytes)?;
        }
        Ok(())
    }

    /// Removes the files of the reused output this build did not write, then swaps
    /// the staging folder in as the output; the replaced output is kept for the
    /// next build.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.remove_stale();
        let prev = prev_dir(&self.output);
        if prev.exists() {
            // only when something made one during the build
            let _ = remove_tree(&prev);
        }
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &prev)
                .map_err(|e| io_error(&self.output, "cannot replace the old output", &e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = std::fs::rename(&prev, &self.output);
            }
            return Err(io_error(
                &self.output,
                "cannot move the new output in place",
                &e,
            ));
        }
        self.committed = true;
        Ok(())
    }

    /// Deletes the reused files nobody wrote (entries removed, fewer index pages)
    /// and the folders that leaves empty.
    fn remove_stale(&self) {
        let stale: Vec<&str> = self
            .reused
            .iter()
            .filter(|(_, seen)| !seen.load(Ordering::Relaxed))
            .map(|(rel, _)| rel.as_str())
            .collect();
        stale.par_iter().for_each(|rel| {
            let _ = std::fs::remove_file(self.dir.join(rel));
        });
        let mut folders: Vec<&str> = stale
            .iter()
            .flat_map(|rel| rel.match_indices('/').map(|(at, _)| &rel[..at]))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        // deepest first, so a folder is empty once its sub-folders are gone
        folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
        for folder in folders {
            // fails, as it should, for folders that still hold files
            let _ = std::fs::remove_dir(self.dir.join(folder));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // a failed build's reused folder is as good a start for the next build as
        // the output it came from: every file is compared before it is kept
        let prev = prev_dir(&self.output);
        if !self.from_prev || prev.exists() || std::fs::rename(&self.dir, &prev).is_err() {
            let _ = remove_tree(&self.dir);
        }
    }
}

fn parent_of(output: &Path) -> &Path {
    output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn output_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into())
}

/// Where the output a build replaced is kept: `.<name>.praxis-prev` beside it.
pub fn prev_dir(output: &Path) -> PathBuf {
    parent_of(output).join(format!(".{}{PREV}", output_name(output)))
}

/// Whether the file at `path` holds exactly `bytes`; read in pieces, and not at all
/// past the first difference.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    thread_local! {
        // one buffer per thread: zeroing a fresh one per file costs as much as the read
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 32 * 1024]);
    }
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    BUF.with_borrow_mut(|buf| {
        let mut at = 0;
        loop {
            match file.read(buf) {
                Ok(0) => return at == bytes.len(),
                Ok(n) => {
                    if bytes.get(at..at + n) != Some(&buf[..n]) {
                        return false;
                    }
                    at += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    })
}

/// The files under `dir`, as paths with `/` after `prefix`; sub-folders are read in
/// parallel. Anything that is neither a file nor a folder (a symlink) is removed:
/// a reused output must hold only what a build wrote.
fn files_under(dir: &Path, prefix: &str) -> io::Result<Vec<String>> {
    let items = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    let nested = items
        .par_iter()
        .map(|item| -> io::Result<Vec<String>> {
            let kind = item.file_type()?;
            let name = item.file_name();
            let rel = match name.to_str() {
                Some(n) if prefix.is_empty() => n.to_string(),
                Some(n) => format!("{prefix}/{n}"),
                // no build writes such a name
                None if kind.is_dir() => return remove_tree(&item.path()).map(|()| Vec::new()),
                None => return std::fs::remove_file(item.path()).map(|()| Vec::new()),
            };
            if kind.is_dir() {
                files_under(&item.path(), &rel)
            } else if kind.is_file() {
                Ok(vec![rel])
            } else {
                std::fs::remove_file(item.path()).map(|()| Vec::new())
            }
        })
        .collect::<io::Result<Vec<Vec<String>>>>()?;
    Ok(nested.concat())
}

/// Cleans up after builds that were killed. A build stopped between moving the old
/// output aside and moving the new one in leaves no output; the kept one
/// (`.<name>.praxis-prev`, or `.<name>.praxis-old-<pid>` of earlier versions) is
/// moved back. A staging folder left behind becomes the kept output when there is
/// none (its files are compared before reuse), else it is removed, as are other old
/// folders. The caller holds the build lock, so no other build owns them.
pub fn recover(output: &Path) {
    let parent = parent_of(output);
    let Some(name) = output.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return;
    };
    let Ok(read) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}{STAGING}");
    let old = format!(".{name}{OLD}");
    let mut olds = Vec::new();
    let mut stagings = Vec::new();
    for item in read.flatten() {
        let file_name = item.file_name().to_string_lossy().to_string();
        if !item.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if file_name.starts_with(&staging) {
            stagings.push(item.path());
        } else if file_name.starts_with(&old) {
            olds.push(item.path());
        }
    }
    let prev = prev_dir(output);
    if !output.exists() {
        if prev.is_dir() {
            let _ = std::fs::rename(&prev, output);
        } else if let Some(newest) = olds
            .iter()
            .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .cloned()
            && std::fs::rename(&newest, output).is_ok()
        {
            olds.retain(|p| *p != newest);
        }
    }
    for p in olds {
        let _ = remove_tree(&p);
    }
    for p in stagings {
        if prev.exists() || std::fs::rename(&p, &prev).is_err() {
            let _ = remove_tree(&p);
        }
    }
}

/// Removes a folder and everything in it, its sub-folders in parallel: the old output
/// of a large catalogue holds tens of thousands of files. Symlinks are removed, not
/// followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let items = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    items.par_iter().try_for_each(|item| {
        if item.file_type()?.is_dir() {
            remove_tree(&item.path())
        } else {
            std::fs::remove_file(item.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

fn io_error(path: &Path, what: &str, e: &io::Error) -> Diagnostic {
    let hint = match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "check the folder's permissions, or build into another folder with --output"
        }
        io::ErrorKind::StorageFull => {
            "the disk is full; free some space and build again (the previous output is unchanged)"
        }
        _ => "the previous output is unchanged; fix the problem and build again",
    };
    Diagnostic::error(path, format!("{what}: {e}")).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir` with its content, paths with `/`.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = files_under(dir, "")
            .unwrap()
            .into_iter()
            .map(|rel| {
                let text = std::fs::read_to_string(dir.join(&rel)).unwrap();
                (rel, text)
            })
            .collect();
        files.sort();
        files
    }

    fn build(out: &Path, files: &[(&str, &str)]) {
        let staging = Staging::create(out).unwrap();
        for (rel, text) in files {
            staging.write(rel, text.as_bytes()).unwrap();
        }
        staging.commit().unwrap();
    }

    fn owned(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<_> = files
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn a_build_reuses_the_output_before_the_last_and_ends_with_exactly_its_own_files() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            ("index.html", "eins"),
            ("praxis/a/index.html", "A"),
            ("praxis/b/index.html", "B"),
            ("themen/x/seite/2/index.html", "x2"),
        ];
        let second = [
            ("index.html", "zwei"),
            ("praxis/a/index.html", "A"),
            ("praxis/c/index.html", "C"),
        ];
        build(&out, &first);
        assert_eq!(tree(&out), owned(&first));
        assert!(!prev_dir(&out).exists(), "nothing was replaced yet");
        build(&out, &second);
        assert_eq!(tree(&out), owned(&second));
        assert_eq!(tree(&prev_dir(&out)), owned(&first));
        // the third build starts from the first one's files: the unchanged one is
        // kept as it is, the others are replaced or removed with their folders
        let kept = std::fs::metadata(prev_dir(&out).join("praxis/a/index.html"))
            .unwrap()
            .ino();
        std::os::unix::fs::symlink("/etc", prev_dir(&out).join("praxis/link")).unwrap();
        let third = [
            ("index.html", "drei"),
            ("praxis/a/index.html", "A"),
            ("praxis/d/index.html", "D"),
        ];
        build(&out, &third);
        assert_eq!(tree(&out), owned(&third));
        assert_eq!(
            std::fs::metadata(out.join("praxis/a/index.html"))
                .unwrap()
                .ino(),
            kept
        );
        assert!(!out.join("themen").exists() && !out.join("praxis/b").exists());
        assert!(std::fs::symlink_metadata(out.join("praxis/link")).is_err());
        assert_eq!(tree(&prev_dir(&out)), owned(&second));
    }

    #[test]
    fn a_file_where_a_folder_goes_and_a_folder_where_a_file_goes_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("a", "Datei"), ("b/index.html", "Ordner")]);
        build(&out, &[("index.html", "dazwischen")]);
        // starts from the first build's files: `a` is a file, `b` a folder
        let third = [("a/index.html", "jetzt Ordner"), ("b", "jetzt Datei")];
        build(&out, &third);
        assert_eq!(tree(&out), owned(&third));
    }

    #[test]
    fn a_changed_file_is_replaced_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "alt")]);
        build(&out, &[("index.html", "mittel")]);
        // a backup made with hard links shares the kept output's files
        let backup = dir.path().join("sicherung.html");
        std::fs::hard_link(prev_dir(&out).join("index.html"), &backup).unwrap();
        build(&out, &[("index.html", "neu")]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "neu"
        );
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "alt");
    }

    #[test]
    fn a_failed_build_leaves_the_output_and_puts_back_only_a_reused_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let fail = |text: &str| {
            let staging = Staging::create(&out).unwrap();
            staging.write("index.html", text.as_bytes()).unwrap();
            // dropped without commit, as when rendering fails
        };
        build(&out, &[("index.html", "eins")]);
        // no kept output yet: the new staging folder is removed
        fail("halb");
        assert!(!prev_dir(&out).exists());
        assert_eq!(tree(dir.path()), owned(&[("public/index.html", "eins")]));
        build(&out, &[("index.html", "zwei")]);
        fail("halb");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "zwei"
        );
        assert_eq!(tree(&prev_dir(&out)), owned(&[("index.html", "halb")]));
        build(&out, &[("index.html", "drei"), ("neu.html", "n")]);
        assert_eq!(
            tree(&out),
            owned(&[("index.html", "drei"), ("neu.html", "n")])
        );
    }

    #[test]
    fn recover_moves_the_old_output_back_and_removes_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = dir.path().join(format!(".public{OLD}4242"));
        let staging = dir.path().join(format!(".public{STAGING}4243"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("index.html"), "alt").unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        recover(&out);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "alt"
        );
        // the staging folder became the kept output, to be compared and reused
        assert!(!old.exists() && !staging.exists() && prev_dir(&out).is_dir());
        // with the output in place, old copies are only removed
        std::fs::create_dir_all(&old).unwrap();
        recover(&out);
        assert!(!old.exists() && out.join("index.html").is_file());
        // killed between moving the output aside and moving the new one in
        std::fs::remove_dir_all(prev_dir(&out)).unwrap();
        std::fs::rename(&out, prev_dir(&out)).unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        recover(&out);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "alt"
        );
        assert!(!staging.exists());
    }

    #[test]
    fn output_must_not_be_the_site_or_its_sources() {
        let root = Path::new("/site");
        assert!(check_output_dir(root, Path::new("/site")).is_err());
        assert!(check_output_dir(root, Path::new("/site/content")).is_err());
        assert!(check_output_dir(root, Path::new("/site/seeds/x")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/out")).is_ok());
    }
}
