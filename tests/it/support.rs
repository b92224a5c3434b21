//! A test site in a temporary folder, built with the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A copy of a fixture site (plus the repository's themes) in a temp dir.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>`; a fixture without site.toml gets the valid
    /// fixture's, and every fixture gets the repository's themes unless it has its own.
    pub fn from_fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture(name), dir.path());
        if !dir.path().join("site.toml").exists() {
            std::fs::copy(fixture("valid/site.toml"), dir.path().join("site.toml"))
                .expect("copy site.toml");
        }
        if !dir.path().join("themes").exists() {
            copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        }
        Site { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--root", self.path().to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        praxis(&all, self.path())
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }
}

/// Runs the binary; stderr has the temp path replaced by `[SITE]`.
pub fn praxis(args: &[&str], site: &Path) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_praxis"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run praxis");
    let clean =
        |b: &[u8]| String::from_utf8_lossy(b).replace(&site.display().to_string(), "[SITE]");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    }
}

/// Runs the binary in the folder `cwd`, so relative paths in `args` are taken from
/// there; stdout and stderr have `cwd` replaced by `[DIR]`.
pub fn praxis_in(cwd: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_praxis"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run praxis");
    let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&cwd.display().to_string(), "[DIR]");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn copy_dir(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.expect("walk");
        let rel = item.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if item.file_type().is_file() {
            std::fs::copy(item.path(), &dest).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// Internal links and asset references in every HTML page of `out` that do not
/// resolve to a file. `base_url` links are mapped back into the output.
pub fn broken_links(out: &Path, base_url: Option<&str>) -> Vec<String> {
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).expect("regex");
    let mut broken = Vec::new();
    for item in walkdir::WalkDir::new(out).into_iter().flatten() {
        if item.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let page = item.path();
        let html = std::fs::read_to_string(page).expect("read page");
        for cap in attr.captures_iter(&html) {
            let raw = cap[1].replace("&amp;", "&");
            let link = raw.split(['#', '?']).next().unwrap_or_default().to_string();
            let target = if let Some(base) = base_url.filter(|b| link.starts_with(b)) {
                out.join(&link[base.len()..])
            } else if link.is_empty()
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
                || link.starts_with("data:")
            {
                continue;
            } else if let Some(abs) = link.strip_prefix('/') {
                // only the 404 page uses root-absolute links
                out.join(abs)
            } else {
                page.parent().expect("parent").join(&link)
            };
            let target = if link.ends_with('/') || link.is_empty() || target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            if !target.is_file() {
                broken.push(format!(
                    "{}: {raw}",
                    page.strip_prefix(out).expect("prefix").display()
                ));
            }
        }
    }
    broken.sort();
    broken
}
