//! Load: every `content/**/*.md` file becomes an [`Entry`] or diagnostics.
//!
//! Reading touches the disk; checking one file against the vocabulary and the
//! gazetteer ([`parse_entry`]) is pure and runs in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::entry::{self, Contact, FrontMatter, Source};
use crate::regions::{Gazetteer, Region};
use crate::slug;

/// Entries bigger than this are refused: they are almost certainly pasted by mistake.
pub const MAX_ENTRY_BYTES: u64 = 5 * 1024 * 1024;

/// The earliest year an entry may have.
pub const FIRST_YEAR: i64 = 1945;

/// Folder under content/ holding the legal pages (Impressum, Datenschutz, ...).
pub const PAGES_DIR: &str = "pages";

/// A checked catalogue entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, relative to the site root (`content/x.md`).
    pub path: PathBuf,
    pub slug: String,
    /// File line of `slug = "..."`; None when the slug comes from the file name.
    pub slug_line: Option<usize>,
    pub title: String,
    pub year: i32,
    /// `YYYY-MM-DD` when the entry has a date.
    pub date: Option<String>,
    pub topics: Vec<String>,
    pub regions: Vec<&'static Region>,
    pub organisations: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub review: Vec<String>,
    pub contact: Option<Contact>,
    pub source: Option<Source>,
    /// The Markdown text; empty once released (see [`Catalogue::take_bodies`]).
    ///
    /// [`Catalogue::take_bodies`]: crate::catalogue::Catalogue::take_bodies
    pub body: String,
    /// The body's first paragraph as plain text, kept when the body is released
    /// (feeds show it for entries without a summary).
    pub lead: Option<String>,
    /// File line where the body starts, for messages about links.
    pub body_line: usize,
    /// Hash of the file's bytes, for incremental rebuilds.
    pub hash: u64,
}

/// The result of loading: entries (sorted by path) and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lists the entry files under `content/`, sorted; symlinks are not followed and
/// reported, hidden files and the legal pages folder are skipped.
pub fn entry_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let content = root.join("content");
    if !content.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let hidden = name.starts_with('.') && e.depth() > 0;
            let pages = e.depth() == 1 && e.file_type().is_dir() && name == PAGES_DIR;
            !hidden && !pages
        });
    for item in walker {
        match item {
            Ok(e) if e.file_type().is_symlink() => {
                let rel = relative(root, e.path());
                diags.push(
                    Diagnostic::warning(rel, "symbolic link skipped")
                        .hint("links are not followed so that nothing outside the site is published; copy the file into content/ instead"),
                );
            }
            Ok(e) if e.file_type().is_file() => {
                if e.path().extension().is_some_and(|x| x == "md") {
                    files.push(e.into_path());
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| content.clone(), Path::to_path_buf);
                diags.push(Diagnostic::error(
                    relative(root, &path),
                    format!("cannot read: {err}"),
                ));
            }
        }
    }
    files
}

/// Loads and checks every entry of the site.
pub fn load(root: &Path, config: &Config) -> Loaded {
    let mut diagnostics = Vec::new();
    let files = entry_files(root, &mut diagnostics);
    let gazetteer = Gazetteer::get();
    let results: Vec<Result<Entry, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|file| {
            let rel = relative(root, file);
            let bytes = read_entry_bytes(file, &rel)?;
            parse_entry(&bytes, &rel, config, gazetteer)
        })
        .collect();
    let mut entries = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(e) => entries.push(e),
            Err(d) => diagnostics.extend(d),
        }
    }
    Loaded {
        entries,
        diagnostics,
    }
}

pub fn read_entry_bytes(file: &Path, rel: &Path) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let too_big = |len: u64| {
        vec![
            Diagnostic::error(
                rel,
                format!(
                    "the file is {:.1} MB; entries may be at most {} MB",
                    len as f64 / 1_048_576.0,
                    MAX_ENTRY_BYTES / 1_048_576
                ),
            )
            .hint(
                "an entry describes one practice; move long documents elsewhere and link to them",
            ),
        ]
    };
    let meta = std::fs::metadata(file)
        .map_err(|e| vec![Diagnostic::error(rel, format!("cannot read: {e}"))])?;
    if meta.len() > MAX_ENTRY_BYTES {
        return Err(too_big(meta.len()));
    }
    std::fs::read(file).map_err(|e| vec![Diagnostic::error(rel, format!("cannot read: {e}"))])
}

/// The path relative to the site root, for messages and output.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Parses and checks one entry file. `rel` is its path relative to the site root.
pub fn parse_entry(
    bytes: &[u8],
    rel: &Path,
    config: &Config,
    gazetteer: &'static Gazetteer,
) -> Result<Entry, Vec<Diagnostic>> {
    let text = decode(bytes, rel)?;
    let split = entry::split(&text, rel).map_err(|d| vec![d])?;
    let fm = entry::parse_front_matter(&text, &split, rel).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let checked = check_front_matter(&fm, &text, &split, rel, config, gazetteer, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let Some((slug, year, regions)) = checked else {
        return Err(diags);
    };
    let slug_line = fm
        .slug
        .is_some()
        .then(|| entry::locate(&text, &split, "slug", None).0)
        .filter(|&line| line > 0);
    Ok(Entry {
        path: rel.to_path_buf(),
        slug,
        slug_line,
        title: fm.title.trim().to_string(),
        year,
        date: fm.date.as_ref().and_then(|d| d.date).map(|d| d.to_string()),
        topics: fm.topic,
        regions,
        organisations: fm
            .organisation
            .iter()
            .map(|o| o.trim().to_string())
            .collect(),
        summary: fm
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        draft: fm.draft,
        review: fm.review,
        contact: fm.contact,
        source: fm.source,
        body: if split.body.contains('\r') {
            split.body.replace("\r\n", "\n")
        } else {
            split.body.to_string()
        },
        lead: None,
        body_line: split.body_line,
        hash: hash_bytes(bytes),
    })
}

/// Entry files must be UTF-8 text; a BOM is fine, NUL bytes mean a binary file.
fn decode(bytes: &[u8], rel: &Path) -> Result<String, Vec<Diagnostic>> {
    if bytes.contains(&0) {
        return Err(vec![Diagnostic::error(rel, "this is not a text file (it contains NUL bytes)")
            .hint("entries are Markdown text; remove the file from content/ or replace it with a .md text")]);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(bytes);
            let (line, col) = crate::diag::line_col(&text, String::from_utf8_lossy(valid).len());
            Err(vec![
                Diagnostic::error(rel, "the file is not UTF-8 encoded")
                    .at(&text, line, col)
                    .hint("save the file as UTF-8 in your editor (often \"Unicode (UTF-8)\" in the save dialog)"),
            ])
        }
    }
}

/// Checks the front matter; returns slug, year and regions when they are usable.
fn check_front_matter(
    fm: &FrontMatter,
    text: &str,
    split: &entry::Split,
    rel: &Path,
    config: &Config,
    gazetteer: &'static Gazetteer,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, i32, Vec<&'static Region>)> {
    let at = |key: &str, value: Option<&str>| {
        let (l, c) = entry::locate(text, split, key, value);
        if l == 0 {
            // a missing key: point at the opening fence
            let fence_line = crate::diag::line_col(text, split.front_matter_offset).0 - 1;
            (fence_line.max(1), 1)
        } else {
            (l, c)
        }
    };
    let err =
        |diags: &mut Vec<Diagnostic>, key: &str, value: Option<&str>, msg: String, hint: String| {
            let (l, c) = at(key, value);
            diags.push(Diagnostic::error(rel, msg).at(text, l, c).hint(hint));
        };

    if fm.title.trim().is_empty() {
        err(
            diags,
            "title",
            None,
            "the title is empty".into(),
            "write the practice's headline, e.g. title = \"Digitale Bauakte im Kreis Lippe\""
                .into(),
        );
    }

    let max_year = crate::current_year() + 1;
    let year = match fm.year {
        None => {
            err(
                diags,
                "year",
                None,
                "required key `year` is missing".into(),
                "add the year the practice was reported, e.g. year = 2024".into(),
            );
            None
        }
        Some(y) if !(FIRST_YEAR..=i64::from(max_year)).contains(&y) => {
            err(
                diags,
                "year",
                None,
                format!("year {y} is out of range"),
                format!("the year must be between {FIRST_YEAR} and {max_year}"),
            );
            None
        }
        Some(y) => i32::try_from(y).ok(),
    };

    if fm.topic.is_empty() {
        err(
            diags,
            "topic",
            None,
            "no topic given".into(),
            format!(
                "add at least one topic from site.toml, e.g. topic = [\"{}\"]",
                config.topics.first().map_or("…", |t| t.name.as_str())
            ),
        );
    }
    for t in &fm.topic {
        if config.topic(t).is_none() {
            let hint = match closest_topic(config, t) {
                Some(c) => format!(
                    "did you mean `{c}`? Topics are listed in site.toml as [[topic]] name = \"...\""
                ),
                None => "use a name from the [[topic]] tables of site.toml, or add the topic there"
                    .into(),
            };
            err(
                diags,
                "topic",
                Some(t),
                format!("topic `{t}` is not in the vocabulary of site.toml"),
                hint,
            );
        }
    }

    if fm.region.is_empty() {
        err(diags, "region", None, "no region given".into(), "add a place, Kreis or Land, or its regional key, e.g. region = [\"Bad Salzuflen\"]; use \"Deutschland\" for nationwide practices".into());
    }
    let mut regions: Vec<&'static Region> = Vec::new();
    for r in &fm.region {
        match gazetteer.resolve(r) {
            Ok(region) => {
                if !regions.iter().any(|x| x.key == region.key) {
                    regions.push(region);
                }
            }
            Err(e) => err(diags, "region", Some(r), e.message(), e.hint()),
        }
    }

    if fm.organisation.iter().all(|o| o.trim().is_empty()) {
        err(
            diags,
            "organisation",
            None,
            "no organisation given".into(),
            "name the body whose practice it is, e.g. organisation = [\"Stadt Bad Salzuflen\"]"
                .into(),
        );
    }

    for item in &fm.review {
        if !entry::REVIEWABLE.contains(&item.as_str()) {
            err(
                diags,
                "review",
                Some(item),
                format!("`{item}` in review is not a field name"),
                format!(
                    "review lists fields still to be confirmed: {}",
                    entry::REVIEWABLE.join(", ")
                ),
            );
        }
    }

    // URLs from the front matter go into href attributes as written: only web
    // addresses are allowed, so no entry can carry a script link into the site
    let urls = [
        (
            "contact",
            fm.contact.as_ref().and_then(|c| c.url.as_deref()),
        ),
        ("source", fm.source.as_ref().and_then(|s| s.url.as_deref())),
    ];
    for (table, url) in urls {
        let Some(url) = url else { continue };
        if !is_web_address(url) {
            let (l, c) = match entry::locate(text, split, "url", Some(url)) {
                (0, _) => at(table, Some(url)),
                found => found,
            };
            diags.push(
                Diagnostic::error(rel, format!("`{table}.url` `{url}` is not a web address"))
                    .at(text, l, c)
                    .hint("write the full address starting with https://, e.g. url = \"https://www.example.de/praxis\""),
            );
        }
    }

    let slug = match &fm.slug {
        Some(s) if !slug::is_valid(s) => {
            err(
                diags,
                "slug",
                None,
                format!("slug `{s}` is not allowed"),
                format!(
                    "a slug uses lowercase letters, digits and hyphens only, e.g. slug = \"{}\"",
                    fallback_slug(&slug::slugify(s))
                ),
            );
            None
        }
        Some(s) => Some(s.clone()),
        None => {
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let s = slug::slugify(&stem);
            if s.is_empty() {
                err(
                    diags,
                    "title",
                    None,
                    format!("the file name `{stem}` gives no usable web address"),
                    "rename the file using letters or digits, or add slug = \"...\"".into(),
                );
                None
            } else {
                Some(s)
            }
        }
    };
    Some((slug?, year?, regions))
}

/// An absolute http(s) address without spaces or control characters.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty())
        && !url
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
}

fn fallback_slug(s: &str) -> &str {
    if s.is_empty() {
        "mein-praxisbeispiel"
    } else {
        s
    }
}

/// The vocabulary name closest to what was written.
fn closest_topic<'a>(config: &'a Config, wrong: &str) -> Option<&'a str> {
    let w = wrong.to_lowercase();
    config
        .topics
        .iter()
        .map(|t| {
            let n = t.name.to_lowercase();
            let contains = n.contains(&w) || w.contains(&n);
            let score = strsim::jaro_winkler(&w, &n) + if contains { 0.3 } else { 0.0 };
            (score, t.name.as_str())
        })
        .filter(|(s, _)| *s > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// A fast non-cryptographic hash for change detection within one process (its
/// values may differ between Rust releases, so they are never stored). SipHash reads
/// eight bytes at a step; the byte-wise FNV-1a used before was a tenth of loading.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}
