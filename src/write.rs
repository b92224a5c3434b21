//! Write: pages go into a staging folder beside the output; only a build that
//! succeeded swaps it in, so a failed or interrupted build leaves the old site.

use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;

const STAGING: &str = ".praxis-staging-";
const OLD: &str = ".praxis-old-";
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
    committed: bool,
}

impl Staging {
    /// Creates the staging folder beside `output` and removes leftovers of earlier,
    /// interrupted builds (the caller holds the build lock).
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(parent)
            .map_err(|e| io_error(parent, "cannot create the folder", &e))?;
        recover(output);
        let dir = parent.join(format!(".{name}{STAGING}{}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir(&dir)
            .map_err(|e| io_error(&dir, "cannot create the staging folder", &e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// Writes one file; `rel` is a path inside the output using `/`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.inside(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "cannot create the folder", &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| io_error(&path, "cannot write", &e))
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

    /// Swaps the staging folder in as the output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self
            .output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let old = parent.join(format!(".{name}{OLD}{}", std::process::id()));
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &old)
                .map_err(|e| io_error(&self.output, "cannot replace the old output", &e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(io_error(
                &self.output,
                "cannot move the new output in place",
                &e,
            ));
        }
        self.committed = true;
        if had_output {
            let _ = remove_tree(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Cleans up after builds that were killed: a build stopped between moving the old
/// output aside and moving the new one in leaves no output but the old one under
/// `.<name>.praxis-old-<pid>`; that one is moved back. Staging folders and other old
/// folders are removed. The caller holds the build lock, so no other build owns them.
pub fn recover(output: &Path) {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = output.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return;
    };
    let Ok(read) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}{STAGING}");
    let old = format!(".{name}{OLD}");
    let mut olds = Vec::new();
    for item in read.flatten() {
        let file_name = item.file_name().to_string_lossy().to_string();
        if !item.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if file_name.starts_with(&staging) {
            let _ = std::fs::remove_dir_all(item.path());
        } else if file_name.starts_with(&old) {
            olds.push(item.path());
        }
    }
    olds.sort();
    if !output.exists()
        && let Some(newest) = olds
            .iter()
            .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .cloned()
        && std::fs::rename(&newest, output).is_ok()
    {
        olds.retain(|p| *p != newest);
    }
    for p in olds {
        let _ = std::fs::remove_dir_all(p);
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
        assert!(!old.exists() && !staging.exists());
        // with the output in place, old copies are only removed
        std::fs::create_dir_all(&old).unwrap();
        recover(&out);
        assert!(!old.exists() && out.join("index.html").is_file());
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
