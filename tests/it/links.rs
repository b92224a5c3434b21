//! Every link of a built site resolves to a file of the output: without a base URL
//! (relative links, so the site works from any sub-path and from file://) and with
//! one (absolute links under the base URL).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

use super::support::Site;
use walkdir::WalkDir;

pub const BASE: &str = "https://praxis.example.de/katalog/";

/// A fixture site copied into a temp dir with the default theme.
pub fn site(fixture: &str) -> Site {
    Site::from_fixture(fixture)
}

/// Runs `praxis build` on `root` (with `--base-url` when given); returns the output
/// folder, and fails the test when the build fails.
pub fn build(root: &Path, base_url: Option<&str>) -> PathBuf {
    let out = root.join("public");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_praxis"));
    cmd.arg("--root").arg(root).arg("build").arg("--no-import");
    if let Some(b) = base_url {
        cmd.arg("--base-url").arg(b);
    }
    let run = cmd.output().unwrap();
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// Files of the output below `dir` whose name ends with `ext`, relative and sorted.
pub fn files(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(ext))
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Resolves `href`, found in the output file `from`, to a file of the output (and the
/// fragment), or None for links that leave the site.
pub fn resolve(
    out: &Path,
    from: &str,
    href: &str,
    base: Option<&str>,
) -> Option<(PathBuf, Option<String>)> {
    let (href, fragment) = match href.split_once('#') {
        Some((h, f)) => (h, Some(f.to_string())),
        None => (href, None),
    };
    let href = href.split('?').next().unwrap_or_default();
    let target = if let Some(rest) = base.and_then(|b| href.strip_prefix(b)) {
        out.join(rest)
    } else if href.contains(':') {
        // another site, mailto:, tel:
        return None;
    } else if let Some(rest) = href.strip_prefix('/') {
        out.join(rest)
    } else if href.is_empty() {
        out.join(from)
    } else {
        out.join(from).parent().unwrap().join(href)
    };
    let mut normal = PathBuf::new();
    for c in target.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(normal.pop(), "{from}: `{href}` climbs above the root");
            }
            std::path::Component::CurDir => {}
            c => normal.push(c),
        }
    }
    assert!(
        normal.starts_with(out),
        "{from}: `{href}` leaves the output folder"
    );
    if href.ends_with('/') || normal.is_dir() {
        normal.push("index.html");
    }
    Some((normal, fragment))
}

/// Checks every href and src of every HTML page; returns how many were checked.
fn check_links(out: &Path, base: Option<&str>) -> usize {
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id = Regex::new(r#"\sid="([^"]*)""#).unwrap();
    let mut ids: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in files(out, ".html") {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        for cap in attr.captures_iter(&html) {
            let href = unescape(&cap[1]);
            if base.is_none() && page != "404.html" {
                assert!(
                    !href.starts_with('/'),
                    "{page}: `{href}` is root-absolute; without a base URL links must be relative"
                );
            }
            if href.starts_with('#') && href.len() > 1 {
                // same-page fragments are checked with the page's ids below
            }
            let Some((file, fragment)) = resolve(out, &page, &href, base) else {
                continue;
            };
            checked += 1;
            if !file.is_file() {
                broken.push(format!("{page}: `{href}` -> {} is missing", file.display()));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty())
                && file.extension().is_some_and(|e| e == "html")
            {
                let known = ids.entry(file.clone()).or_insert_with(|| {
                    let text = std::fs::read_to_string(&file).unwrap();
                    id.captures_iter(&text).map(|c| unescape(&c[1])).collect()
                });
                if !known.contains(&f) {
                    broken.push(format!("{page}: `{href}`: no id `{f}` in the target"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

#[test]
fn every_link_resolves_without_base_url() {
    for fixture in ["valid", "opendata"] {
        let site = site(fixture);
        let out = build(site.path(), None);
        let n = check_links(&out, None);
        assert!(n > 100, "{fixture}: only {n} links checked");
    }
}

#[test]
fn every_link_resolves_with_base_url() {
    for fixture in ["valid", "opendata"] {
        let site = site(fixture);
        let out = build(site.path(), Some(BASE));
        let n = check_links(&out, Some(BASE));
        assert!(n > 100, "{fixture}: only {n} links checked");
        // with a base URL, links to the site's own pages are absolute
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            index.contains(&format!("href=\"{BASE}themen/\"")),
            "{index}"
        );
        assert!(index.contains(&format!("<link rel=\"canonical\" href=\"{BASE}\">")));
    }
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = site("opendata");
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("base_url = \"https://alt.example/\"\n{text}"),
    )
    .unwrap();
    let out = build(site.path(), Some("https://neu.example/k"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("https://neu.example/k/themen/"));
    assert!(!index.contains("alt.example"));
    check_links(&out, Some("https://neu.example/k/"));
}

#[test]
fn the_checker_finds_a_missing_page() {
    let site = site("valid");
    let out = build(site.path(), None);
    std::fs::remove_file(out.join("themen/index.html")).unwrap();
    let result = std::panic::catch_unwind(|| check_links(&out, None));
    assert!(
        result.is_err(),
        "a link to the removed page must be reported"
    );
}
