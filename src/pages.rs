//! Legal pages a German public site must offer: Impressum, Datenschutzerklärung and
//! Erklärung zur Barrierefreiheit, written as Markdown in `content/pages/` and
//! switched on in site.toml (`[pages]`).
//!
//! Loading reads and checks the files; rendering them is left to `render`, which
//! gives them the theme's `page.html`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Config, toml_error};
use crate::diag::Diagnostic;
use crate::load::PAGES_DIR;

/// Text editors write where something is still to be filled in; a build warns while
/// a page contains it.
pub const PLACEHOLDER: &str = "BITTE AUSFÜLLEN";

/// Which legal page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Impressum,
    Datenschutz,
    Barrierefreiheit,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Impressum, Kind::Datenschutz, Kind::Barrierefreiheit];

    /// The key in site.toml's `[pages]` and the file and folder name.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Impressum => "impressum",
            Kind::Datenschutz => "datenschutz",
            Kind::Barrierefreiheit => "barrierefreiheit",
        }
    }

    /// The page's address, relative to the site root.
    pub fn path(self) -> String {
        format!("{}/", self.key())
    }

    /// The Markdown file, relative to the site root.
    pub fn file(self) -> PathBuf {
        Path::new("content")
            .join(PAGES_DIR)
            .join(format!("{}.md", self.key()))
    }

    /// The title when the front matter gives none.
    pub fn default_title(self) -> &'static str {
        match self {
            Kind::Impressum => "Impressum",
            Kind::Datenschutz => "Datenschutzerklärung",
            Kind::Barrierefreiheit => "Erklärung zur Barrierefreiheit",
        }
    }

    fn enabled(self, config: &Config) -> bool {
        match self {
            Kind::Impressum => config.pages.impressum,
            Kind::Datenschutz => config.pages.datenschutz,
            Kind::Barrierefreiheit => config.pages.barrierefreiheit,
        }
    }
}

/// The feedback mechanism of the accessibility statement: whom users tell about
/// barriers (§ 12b BGG and the Länder's equivalents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// A contact form.
    #[serde(default)]
    pub url: String,
}

/// The enforcement procedure (Durchsetzungsverfahren, Schlichtungsstelle) users can
/// turn to when feedback brings no satisfactory answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enforcement {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub url: String,
}

/// Front matter of a legal page. `feedback` and `enforcement` belong to the
/// accessibility statement only.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub feedback: Option<Feedback>,
    #[serde(default)]
    pub enforcement: Option<Enforcement>,
}

/// A checked legal page.
#[derive(Debug, Clone)]
pub struct LegalPage {
    pub kind: Kind,
    /// The file, relative to the site root.
    pub file: PathBuf,
    pub title: String,
    pub body: String,
    pub body_line: usize,
    pub feedback: Option<Feedback>,
    pub enforcement: Option<Enforcement>,
}

/// Loads the enabled legal pages. An enabled page without its file is an error
/// naming the file; placeholders left in a page are warnings.
pub fn load(root: &Path, config: &Config) -> (Vec<LegalPage>, Vec<Diagnostic>) {
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    let settings = root.join(crate::config::FILE_NAME);
    let settings_text = std::fs::read_to_string(&settings).unwrap_or_default();
    for kind in Kind::ALL.into_iter().filter(|k| k.enabled(config)) {
        let rel = kind.file();
        let text = match std::fs::read_to_string(root.join(&rel)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (l, c) =
                    crate::config::find_table_key_line(&settings_text, "pages", kind.key());
                // a warning: the rest of the site can honestly be built, the page
                // and its footer link are left out until the file exists
                let mut d = Diagnostic::warning(
                    crate::config::FILE_NAME,
                    format!(
                        "the page `{}` is switched on, but {} does not exist; it is left out",
                        kind.key(),
                        crate::diag::display_path(&rel)
                    ),
                )
                .hint(format!(
                    "create {} (Markdown, optionally with front matter between +++ lines), or set {} = false under [pages]",
                    crate::diag::display_path(&rel),
                    kind.key()
                ));
                if l > 0 {
                    d = d.at(&settings_text, l, c);
                }
                diags.push(d);
                continue;
            }
            Err(e) => {
                diags.push(Diagnostic::error(&rel, format!("cannot read: {e}")));
                continue;
            }
        };
        match parse(&text, &rel, kind) {
            Ok((page, warnings)) => {
                diags.extend(warnings);
                pages.push(page);
            }
            Err(d) => diags.extend(d),
        }
    }
    (pages, diags)
}

/// Parses one legal page. Front matter is optional: a file that does not start with
/// `+++` is all body.
pub fn parse(
    text: &str,
    rel: &Path,
    kind: Kind,
) -> Result<(LegalPage, Vec<Diagnostic>), Vec<Diagnostic>> {
    let starts_with_fence = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .is_some_and(|l| l.trim_end() == crate::entry::FENCE);
    let (fm, body, body_line, fm_offset) = if starts_with_fence {
        let split = crate::entry::split(text, rel).map_err(|d| vec![d])?;
        let fm: PageFrontMatter = toml::from_str(split.front_matter).map_err(|e| {
            let offset = split.front_matter_offset + e.span().map_or(0, |s| s.start);
            vec![toml_error(rel, text, offset, e.message())]
        })?;
        (fm, split.body, split.body_line, split.front_matter_offset)
    } else {
        (
            PageFrontMatter::default(),
            text.trim_start_matches('\u{feff}'),
            1,
            0,
        )
    };
    let mut errors = Vec::new();
    let at_key = |key: &str| -> (usize, usize) {
        let mut offset = fm_offset;
        for line in text[fm_offset.min(text.len())..].split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with(&format!("[{key}]"))
                || t.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            {
                return crate::diag::line_col(text, offset + (line.len() - t.len()));
            }
            offset += line.len();
        }
        (1, 1)
    };
    if kind != Kind::Barrierefreiheit {
        for (key, present) in [
            ("feedback", fm.feedback.is_some()),
            ("enforcement", fm.enforcement.is_some()),
        ] {
            if present {
                let (l, c) = at_key(key);
                errors.push(
                    Diagnostic::error(
                        rel,
                        format!("`{key}` belongs to the accessibility statement only"),
                    )
                    .at(text, l, c)
                    .hint(format!(
                        "move it to {} or remove it",
                        crate::diag::display_path(&Kind::Barrierefreiheit.file())
                    )),
                );
            }
        }
    } else {
        let feedback_ok = fm
            .feedback
            .as_ref()
            .is_some_and(|f| !f.email.trim().is_empty() || !f.url.trim().is_empty());
        if !feedback_ok {
            let (l, c) = if fm.feedback.is_some() {
                at_key("feedback")
            } else {
                (1, 1)
            };
            errors.push(
                Diagnostic::error(rel, "the accessibility statement needs a feedback contact with `email` or `url`")
                    .at(text, l, c)
                    .hint("add [feedback] with email = \"barrierefreiheit@example.de\" (and name, phone or url of a contact form) to the front matter"),
            );
        }
        let enforcement_ok = fm
            .enforcement
            .as_ref()
            .is_some_and(|e| e.url.starts_with("https://") || e.url.starts_with("http://"));
        if !enforcement_ok {
            let (l, c) = if fm.enforcement.is_some() {
                at_key("enforcement")
            } else {
                (1, 1)
            };
            errors.push(
                Diagnostic::error(rel, "the accessibility statement needs a link to the enforcement procedure in `enforcement.url`")
                    .at(text, l, c)
                    .hint("add [enforcement] with name = \"Schlichtungsstelle ...\" and url = \"https://...\" of the body responsible for your Land or the Bund"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    if let Some(pos) = text.find(PLACEHOLDER) {
        warnings.push(
            Diagnostic::warning(
                rel,
                format!("the page still contains placeholders (`{PLACEHOLDER}`)"),
            )
            .at_offset(text, pos)
            .hint("replace every marked placeholder with the real details before publishing"),
        );
    }
    let title = if fm.title.trim().is_empty() {
        kind.default_title().to_string()
    } else {
        fm.title.trim().to_string()
    };
    Ok((
        LegalPage {
            kind,
            file: rel.to_path_buf(),
            title,
            body: body.to_string(),
            body_line,
            feedback: fm.feedback,
            enforcement: fm.enforcement,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str, kind: Kind) -> (LegalPage, Vec<Diagnostic>) {
        parse(text, &kind.file(), kind).unwrap()
    }

    #[test]
    fn page_without_front_matter_gets_the_default_title() {
        let (p, w) = parse_ok("Angaben gemäß § 5 DDG.\n", Kind::Impressum);
        assert_eq!(p.title, "Impressum");
        assert_eq!(p.body_line, 1);
        assert!(w.is_empty());
    }

    #[test]
    fn unknown_key_is_an_error_at_its_file_line() {
        let text = "+++\ntitle = \"Impressum\"\ntitel = \"x\"\n+++\nText\n";
        let e = parse(text, &Kind::Impressum.file(), Kind::Impressum).unwrap_err();
        let msg = e[0].to_string();
        assert!(
            msg.starts_with("content/pages/impressum.md:3:1: error: unknown key `titel`"),
            "{msg}"
        );
    }

    #[test]
    fn accessibility_statement_requires_feedback_and_enforcement() {
        let text = "+++\ntitle = \"Barrierefreiheit\"\n+++\nText\n";
        let e = parse(text, &Kind::Barrierefreiheit.file(), Kind::Barrierefreiheit).unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].message.contains("feedback"));
        assert!(e[1].message.contains("enforcement.url"));
        let ok = "+++\n[feedback]\nemail = \"a@b.de\"\n[enforcement]\nname = \"Schlichtungsstelle\"\nurl = \"https://s.example.de/\"\n+++\nText\n";
        let (p, _) = parse_ok(ok, Kind::Barrierefreiheit);
        assert_eq!(p.feedback.unwrap().email, "a@b.de");
        assert_eq!(p.body_line, 8);
    }

    #[test]
    fn feedback_on_another_page_is_an_error() {
        let text = "+++\n[feedback]\nemail = \"a@b.de\"\n+++\n";
        let e = parse(text, &Kind::Impressum.file(), Kind::Impressum).unwrap_err();
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("accessibility statement only"));
    }

    #[test]
    fn placeholders_are_warned_about_with_their_line() {
        let (_, w) = parse_ok(
            "Text\n\nAnschrift: [BITTE AUSFÜLLEN: Straße]\n",
            Kind::Impressum,
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 3);
        assert!(!w[0].is_error());
    }
}
