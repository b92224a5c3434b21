//! `praxis init`: lays out a new catalogue that builds as it is: site.toml with the
//! shipped topic vocabulary, the legal pages with their placeholders, an empty
//! `seeds/`, a `.gitignore`, deployment workflows and a copy of the default theme.
//!
//! Every file is compiled into the binary, so init needs nothing from this
//! repository at run time. Which files make a new site is a pure function
//! ([`files`]); only [`run`] touches the disk, and it never replaces a file.
//!
//! The theme is copied, not looked up in the binary at build time: a catalogue's
//! look then changes only when its editors change it, the templates are there to
//! read and adapt, and `build`, `serve` and the theme loader keep one way of
//! finding a theme. To take the theme of a newer praxis, delete `themes/default`
//! and run `praxis init --force`, which writes only the files that are missing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The repository's site.toml; its topic vocabulary is the one a new site gets.
const REPOSITORY_SETTINGS: &str = include_str!("../../site.toml");
/// The settings before the vocabulary, each key with a comment.
const SETTINGS_HEAD: &str = include_str!("templates/site-head.toml");
const SEEDS_README: &str = include_str!("templates/seeds-README");
const GITIGNORE: &str = include_str!("templates/gitignore");
const GITHUB_PAGES: &str = include_str!("templates/github-pages.yml");
const GITLAB_PAGES: &str = include_str!("templates/gitlab-ci.yml");

/// Stands for the crate's version in the workflow templates.
const VERSION_MARK: &str = "{{VERSION}}";

/// Embeds files of this repository under their repository path.
macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../", $path)))),*]
    };
}

/// The legal pages: this repository's own are the templates, placeholders and all
/// (a test makes sure they still carry them).
const LEGAL_PAGES: &[(&str, &str)] = embed!(
    "content/pages/impressum.md",
    "content/pages/datenschutz.md",
    "content/pages/barrierefreiheit.md",
);

/// The default theme, file by file (a test compares this list with the folder).
const DEFAULT_THEME: &[(&str, &str)] = embed!(
    "themes/default/i18n/de.toml",
    "themes/default/i18n/en.toml",
    "themes/default/static/finder.js",
    "themes/default/static/search.js",
    "themes/default/static/style.css",
    "themes/default/templates/404.html",
    "themes/default/templates/base.html",
    "themes/default/templates/card.html",
    "themes/default/templates/entry.html",
    "themes/default/templates/index.html",
    "themes/default/templates/list.html",
    "themes/default/templates/macros.html",
    "themes/default/templates/page.html",
    "themes/default/templates/pagination.html",
    "themes/default/templates/partials/breadcrumbs.html",
    "themes/default/templates/partials/footer.html",
    "themes/default/templates/partials/header.html",
    "themes/default/templates/regions.html",
    "themes/default/templates/review.html",
    "themes/default/templates/search.html",
    "themes/default/templates/terms.html",
);

/// The name of the seeds folder's note. It has no extension, so no reader of
/// `praxis import` takes it for a text to import.
pub const SEEDS_NOTE: &str = "seeds/README";

/// One file of a new site: its path relative to the site folder and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub path: String,
    pub text: String,
}

/// Every file a new site gets, sorted by path.
pub fn files() -> Vec<NewFile> {
    let version = env!("CARGO_PKG_VERSION");
    let mut out = vec![
        new_file("site.toml", settings()),
        new_file(SEEDS_NOTE, SEEDS_README.to_string()),
        new_file(".gitignore", GITIGNORE.to_string()),
        new_file(
            ".github/workflows/pages.yml",
            GITHUB_PAGES.replace(VERSION_MARK, version),
        ),
        new_file(
            ".gitlab-ci.yml",
            GITLAB_PAGES.replace(VERSION_MARK, version),
        ),
    ];
    out.extend(
        LEGAL_PAGES
            .iter()
            .chain(DEFAULT_THEME)
            .map(|(path, text)| new_file(path, text.to_string())),
    );
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn new_file(path: &str, text: String) -> NewFile {
    NewFile {
        path: path.to_string(),
        text,
    }
}

/// site.toml of a new site: the commented settings, then the repository's topics.
fn settings() -> String {
    let topics = REPOSITORY_SETTINGS
        .find("[[topic]]")
        .map_or("", |at| &REPOSITORY_SETTINGS[at..]);
    format!("{SETTINGS_HEAD}{topics}")
}

/// What init did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written, relative to the site folder.
    pub written: Vec<String>,
    /// Files left alone because they were there already.
    pub skipped: Vec<String>,
    /// Files that could not be written.
    pub errors: Vec<Diagnostic>,
}

/// Why init did not start.
#[derive(Debug)]
pub enum Refusal {
    /// The folder has files and `--force` was not given; the names of some of them.
    NotEmpty(Vec<String>),
    /// The folder cannot be made or read.
    Io(Diagnostic),
}

/// Lays out a new site in `dir`, creating the folder if needed. Without `force` a
/// folder with visible files is refused (hidden ones such as `.git` are fine, so
/// `git init` may come first). No existing file is ever replaced.
pub fn run(dir: &Path, force: bool) -> Result<Report, Refusal> {
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::Io(
            Diagnostic::error(dir, "is a file, not a folder")
                .hint("name a new or empty folder: praxis init mein-katalog"),
        ));
    }
    if !force {
        let present = visible_entries(dir).map_err(Refusal::Io)?;
        if !present.is_empty() {
            return Err(Refusal::NotEmpty(present));
        }
    }
    let mut report = Report::default();
    for file in files() {
        match write_new(dir, &file) {
            Ok(true) => report.written.push(file.path),
            Ok(false) => report.skipped.push(file.path),
            Err(d) => report.errors.push(d),
        }
    }
    Ok(report)
}

/// `praxis init`: lays out the site, prints what it wrote and skipped and what to
/// do next; returns the exit code.
pub fn command(dir: &Path, force: bool, quiet: bool) -> u8 {
    let shown = crate::diag::display_path(dir);
    let report = match run(dir, force) {
        Ok(r) => r,
        Err(Refusal::NotEmpty(names)) => {
            let mut listed = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            if names.len() > 5 {
                listed.push_str(", …");
            }
            eprintln!(
                "error: the folder `{shown}` is not empty ({listed})\n  = help: choose a new or empty folder, e.g. praxis init mein-katalog, or add --force to add the missing files (existing files are never replaced)"
            );
            return crate::EXIT_USAGE;
        }
        Err(Refusal::Io(d)) => {
            eprintln!("{d}");
            return crate::EXIT_USAGE;
        }
    };
    for d in &report.errors {
        eprintln!("{d}\n");
    }
    if !quiet {
        println!(
            "created a new catalogue in {shown}: {} files written, {} kept",
            report.written.len(),
            report.skipped.len()
        );
        for path in &report.skipped {
            println!("  kept (already there, not replaced): {path}");
        }
        let cd = if shown == "." {
            String::new()
        } else {
            format!("cd {shown}\n  ")
        };
        println!(
            "next steps:\n  {cd}put raw texts (.txt, .md, .html, .pdf, .docx, .odt) into seeds/\n  \
             praxis build    imports them and builds the site into public/\n  \
             replace every `BITTE AUSFÜLLEN` in content/pages/ before publishing"
        );
    }
    if report.errors.is_empty() {
        crate::EXIT_OK
    } else {
        eprintln!(
            "error: {} file(s) could not be written",
            report.errors.len()
        );
        crate::EXIT_USAGE
    }
}

/// The names of the visible entries of `dir`, sorted; none when it does not exist.
fn visible_entries(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Diagnostic::error(
                dir,
                format!("cannot read the folder: {e}"),
            ));
        }
    };
    let mut names: Vec<String> = read
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

/// Writes `file` under `dir` unless a file of that name exists: true when written.
fn write_new(dir: &Path, file: &NewFile) -> Result<bool, Diagnostic> {
    let path: PathBuf = dir.join(&file.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(parent, format!("cannot create the folder: {e}")))?;
    }
    // create_new, not an exists() check first: a file that appears meanwhile is kept too
    let mut out = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Diagnostic::error(&path, format!("cannot create: {e}"))),
    };
    out.write_all(file.text.as_bytes())
        .map_err(|e| Diagnostic::error(&path, format!("cannot write: {e}")))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_carry_the_repository_vocabulary() {
        let text = settings();
        let config = crate::config::Config::parse(&text, Path::new("site.toml"))
            .expect("the settings of a new site parse");
        let repo = crate::config::Config::parse(REPOSITORY_SETTINGS, Path::new("site.toml"))
            .expect("the repository's settings parse");
        assert_eq!(config.topics, repo.topics);
        assert!(config.topics.len() >= 20);
        assert_eq!(config.base_url, None, "base_url stays commented out");
        assert!(
            config.pages.impressum && config.pages.datenschutz && config.pages.barrierefreiheit
        );
    }

    #[test]
    fn every_setting_before_the_vocabulary_has_a_comment_above_it() {
        let mut previous = "";
        for line in SETTINGS_HEAD.lines() {
            let t = line.trim();
            let is_key = !t.is_empty() && !t.starts_with('#') && !t.starts_with('[');
            assert!(
                !is_key || previous.starts_with('#'),
                "no comment above `{t}`"
            );
            previous = t;
        }
    }

    #[test]
    fn embedded_theme_is_the_whole_default_theme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(root.join("themes/default"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).expect("under the repository");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = DEFAULT_THEME.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            embedded, on_disk,
            "list every file of themes/default in DEFAULT_THEME (src/init/mod.rs)"
        );
    }

    #[test]
    fn legal_page_templates_still_have_placeholders() {
        for (path, text) in LEGAL_PAGES {
            assert!(
                text.contains(crate::pages::PLACEHOLDER),
                "{path} lost its placeholders; keep a template with them for init"
            );
        }
    }

    #[test]
    fn workflows_install_this_version() {
        let version = env!("CARGO_PKG_VERSION");
        for f in files().iter().filter(|f| f.path.ends_with(".yml")) {
            assert!(!f.text.contains(VERSION_MARK), "{}", f.path);
            assert!(
                f.text.contains(&format!(
                    "cargo install --locked praxis --version {version}"
                )),
                "{}",
                f.path
            );
            assert!(f.text.contains("praxis build"), "{}", f.path);
        }
    }

    #[test]
    fn paths_are_unique_and_relative() {
        let all = files();
        let mut paths: Vec<&str> = all.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        assert_eq!(paths.len(), all.len());
        assert!(
            paths
                .iter()
                .all(|p| !p.starts_with('/') && !p.contains(".."))
        );
    }
}
