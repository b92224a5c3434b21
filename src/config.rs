//! `site.toml`: the site's settings and its topic vocabulary.
//!
//! Parsed in two steps: the raw file (unknown keys are errors with their line), then
//! checks across keys (unique topic names and slugs, sane values).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::slug;

pub const FILE_NAME: &str = "site.toml";

/// One topic of the vocabulary. `keywords` are word stems the importer looks for.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// Who publishes the catalogue (for open data and the footer).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub email: String,
}

/// The licence of the catalogue's content.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    #[serde(default)]
    pub url: String,
    /// The licence's URI in the DCAT-AP.de licence vocabulary; derived from `name`
    /// for the common open licences when empty.
    #[serde(default)]
    pub uri: String,
}

impl Default for Licence {
    fn default() -> Self {
        Licence {
            name: "CC BY 4.0".into(),
            url: "https://creativecommons.org/licenses/by/4.0/deed.de".into(),
            uri: String::new(),
        }
    }
}

/// Whom to ask about the catalogue as a data set (DCAT contact point).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContactPoint {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub phone: String,
}

/// Settings of the open-data exports (`[open_data]` in site.toml).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OpenData {
    /// Stable identifier of the catalogue, a `tag:` URI (RFC 4151) such as
    /// `tag:kommune.example.de,2025:gute-praxis`. Feed and entry ids in the Atom
    /// feeds derive from it, so they survive a move to another host.
    #[serde(default)]
    pub id: String,
    /// The DCAT-AP.de contributor id of the publishing body, when it has one.
    #[serde(default)]
    pub contributor_id: String,
    /// Keywords of the data set (`dcat:keyword`); the topic names when empty.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The contact point; the publisher when empty.
    #[serde(default)]
    pub contact: ContactPoint,
}

/// Legal pages a German public site must have, generated from `content/pages/`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegalPages {
    #[serde(default)]
    pub impressum: bool,
    #[serde(default)]
    pub datenschutz: bool,
    #[serde(default)]
    pub barrierefreiheit: bool,
}

/// A feed `praxis import` follows (`[[import.feed]]` in site.toml).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FeedSource {
    pub url: String,
    /// A name for messages and draft notes, e.g. "Pressemitteilungen Kreis Lippe".
    #[serde(default)]
    pub name: Option<String>,
}

/// How `praxis import` fetches web pages and feeds (`[import]` in site.toml).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// Seconds a request may take, connecting and reading included.
    #[serde(default = "default_timeout")]
    pub timeout: f64,
    /// Seconds between two requests to the same host.
    #[serde(default = "default_delay")]
    pub delay: f64,
    /// The largest page or feed read, in megabytes.
    #[serde(default = "default_max_size_mb")]
    pub max_size_mb: f64,
    #[serde(default, rename = "feed")]
    pub feeds: Vec<FeedSource>,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            timeout: default_timeout(),
            delay: default_delay(),
            max_size_mb: default_max_size_mb(),
            feeds: Vec::new(),
        }
    }
}

fn default_timeout() -> f64 {
    20.0
}
fn default_delay() -> f64 {
    // two requests a second at most: polite to a municipal web server
    0.5
}
fn default_max_size_mb() -> f64 {
    10.0
}

fn default_language() -> String {
    "de".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output() -> String {
    "public".into()
}
fn default_per_page() -> usize {
    20
}
fn default_true() -> bool {
    true
}

/// The settings of a site, as written in `site.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output: String,
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// Build the full-text search index.
    #[serde(default = "default_true")]
    pub search: bool,
    /// Write Atom feeds.
    #[serde(default = "default_true")]
    pub feeds: bool,
    #[serde(default)]
    pub publisher: Publisher,
    #[serde(default, alias = "license")]
    pub licence: Licence,
    #[serde(default)]
    pub pages: LegalPages,
    #[serde(default)]
    pub open_data: OpenData,
    #[serde(default)]
    pub import: ImportSettings,
    #[serde(default, rename = "topic")]
    pub topics: Vec<Topic>,
}

impl Config {
    /// Reads `site.toml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(&path, format!("cannot read the site settings: {e}"))
                    .hint("run praxis in the folder that holds site.toml, or pass --root DIR"),
            ]
        })?;
        Config::parse(&text, &path)
    }

    /// Parses and checks the text of a `site.toml`; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text_no_bom).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start) + (text.len() - text_no_bom.len());
            vec![toml_error(path, text, offset, e.message())]
        })?;
        let mut diags = Vec::new();
        config.check(text, path, &mut diags);
        if diags.iter().any(Diagnostic::is_error) {
            Err(diags)
        } else {
            Ok(config)
        }
    }

    fn check(&mut self, text: &str, path: &Path, diags: &mut Vec<Diagnostic>) {
        let at_key = |key: &str| find_key_line(text, key);
        if self.title.trim().is_empty() {
            let (l, c) = at_key("title");
            diags.push(
                Diagnostic::error(path, "`title` is empty")
                    .at(text, l, c)
                    .hint("give the catalogue a name, e.g. title = \"Gute-Praxis-Katalog\""),
            );
        }
        if !matches!(self.language.as_str(), "de" | "en") {
            let (l, c) = at_key("language");
            diags.push(
                Diagnostic::error(
                    path,
                    format!("language `{}` is not supported", self.language),
                )
                .at(text, l, c)
                .hint("use language = \"de\" or language = \"en\""),
            );
        }
        if self.per_page == 0 {
            let (l, c) = at_key("per_page");
            diags.push(
                Diagnostic::error(path, "`per_page` must be at least 1")
                    .at(text, l, c)
                    .hint("per_page = 20 shows twenty entries per index page"),
            );
        }
        if self.theme.is_empty() || self.theme.contains(['/', '\\']) || self.theme.starts_with('.')
        {
            let (l, c) = at_key("theme");
            diags.push(
                Diagnostic::error(path, format!("theme `{}` is not a theme name", self.theme))
                    .at(text, l, c)
                    .hint("write the name of a folder in themes/, e.g. theme = \"default\""),
            );
        }
        if let Some(url) = &self.base_url {
            if url.trim().is_empty() {
                self.base_url = None;
            } else if !(url.starts_with("https://") || url.starts_with("http://")) {
                let (l, c) = at_key("base_url");
                diags.push(
                    Diagnostic::error(path, format!("base_url `{url}` is not a web address"))
                        .at(text, l, c)
                        .hint("write the full address, e.g. base_url = \"https://praxis.example.de/\", or remove the line for relative links"),
                );
            } else if !url.ends_with('/') {
                self.base_url = Some(format!("{url}/"));
            }
        }
        let id = &self.open_data.id;
        if !id.is_empty() && !is_tag_prefix(id) {
            let (l, c) = find_table_key_line(text, "open_data", "id");
            diags.push(
                Diagnostic::error(path, format!("open_data.id `{id}` is not a tag: URI"))
                    .at(text, l, c)
                    .hint("write tag:, your domain, a comma, a year, a colon and a name, e.g. id = \"tag:kommune.example.de,2025:gute-praxis\""),
            );
        }
        // both go into href attributes of every page
        for (key, url) in [
            ("publisher.url", &self.publisher.url),
            ("licence.url", &self.licence.url),
        ] {
            if !url.is_empty() && !crate::load::is_web_address(url) {
                let (l, c) = find_value_line(text, url);
                diags.push(
                    Diagnostic::error(path, format!("`{key}` `{url}` is not a web address"))
                        .at(text, l, c)
                        .hint("write the full address starting with https://, or remove the line"),
                );
            }
        }
        self.check_import(text, path, diags);
        if self.topics.is_empty() {
            diags.push(
                Diagnostic::error(path, "the topic vocabulary is empty")
                    .hint("add at least one [[topic]] table with a name, e.g. [[topic]] name = \"E-Akte\""),
            );
        }
        let mut names = std::collections::BTreeMap::new();
        let mut slugs = std::collections::BTreeMap::new();
        for (i, topic) in self.topics.iter_mut().enumerate() {
            let (l, c) = find_nth_table_line(text, "topic", i);
            if topic.name.trim().is_empty() {
                diags.push(
                    Diagnostic::error(path, format!("topic #{} has an empty name", i + 1))
                        .at(text, l, c)
                        .hint("give every [[topic]] a name"),
                );
                continue;
            }
            if topic.slug.is_empty() {
                topic.slug = slug::slugify(&topic.name);
            } else if !slug::is_valid(&topic.slug) {
                diags.push(
                    Diagnostic::error(
                        path,
                        format!("topic slug `{}` is not a valid slug", topic.slug),
                    )
                    .at(text, l, c)
                    .hint(format!(
                        "use lowercase letters, digits and hyphens, e.g. slug = \"{}\"",
                        slug::slugify(&topic.slug)
                    )),
                );
            }
            if names.insert(topic.name.clone(), i).is_some() {
                diags.push(
                    Diagnostic::error(path, format!("topic `{}` is defined twice", topic.name))
                        .at(text, l, c)
                        .hint("remove or rename one of the two [[topic]] tables"),
                );
            }
            if slugs.insert(topic.slug.clone(), i).is_some() {
                diags.push(
                    Diagnostic::error(path, format!("two topics have the slug `{}`", topic.slug))
                        .at(text, l, c)
                        .hint("give one of them its own slug = \"...\""),
                );
            }
        }
    }

    fn check_import(&self, text: &str, path: &Path, diags: &mut Vec<Diagnostic>) {
        let settings = &self.import;
        for (key, value, low, high, example) in [
            ("timeout", settings.timeout, 0.1, 300.0, "timeout = 20"),
            ("delay", settings.delay, 0.0, 60.0, "delay = 0.5"),
            (
                "max_size_mb",
                settings.max_size_mb,
                0.001,
                100.0,
                "max_size_mb = 10",
            ),
        ] {
            if !(low..=high).contains(&value) {
                let (l, c) = find_table_key_line(text, "import", key);
                diags.push(
                    Diagnostic::error(
                        path,
                        format!("import.{key} = {value} is outside {low} to {high}"),
                    )
                    .at(text, l, c)
                    .hint(format!("write a number in that range, e.g. {example}")),
                );
            }
        }
        for (i, feed) in settings.feeds.iter().enumerate() {
            let ok = url::Url::parse(&feed.url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                let (l, c) = find_nth_table_line(text, "import.feed", i);
                diags.push(
                    Diagnostic::error(
                        path,
                        format!("[[import.feed]] #{}: `{}` is not a web address", i + 1, feed.url),
                    )
                    .at(text, l, c)
                    .hint("write the feed's full address, e.g. url = \"https://www.kreis.example/presse/rss.xml\""),
                );
            }
        }
    }

    /// The topic with this exact name.
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The output directory, resolved against the site root.
    pub fn output_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.output)
    }
}

/// A TOML syntax or type error at a byte offset of the whole file.
pub fn toml_error(path: &Path, text: &str, offset: usize, message: &str) -> Diagnostic {
    let message = message.trim().trim_end_matches('.');
    let (message, hint) = explain_toml_message(message);
    let mut d = Diagnostic::error(path, message).at_offset(text, offset);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// Turns serde/toml wording into a message and hint an editor can act on.
fn explain_toml_message(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|e| {
                e.split(['`', ',', ' '])
                    .filter(|w| !w.is_empty() && *w != "one" && *w != "of" && *w != "or")
                    .collect()
            })
            .unwrap_or_default();
        let closest = expected
            .iter()
            .map(|k| (strsim::jaro_winkler(field, k), *k))
            .filter(|(s, _)| *s > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k);
        let hint = match closest {
            Some(k) => format!(
                "did you mean `{k}`? Allowed keys here: {}",
                expected.join(", ")
            ),
            None if expected.is_empty() => "remove the key".to_string(),
            None => format!("allowed keys here: {}", expected.join(", ")),
        };
        return (format!("unknown key `{field}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (
            format!("required key `{field}` is missing"),
            Some(format!("add a line `{field} = ...`")),
        );
    }
    if message.starts_with("invalid type") {
        let plain = message
            .replace("invalid type: ", "wrong type: found ")
            .replace("expected i64", "expected a whole number")
            .replace("expected a sequence", "expected a list [\"...\"]")
            .replace("expected a boolean", "expected true or false")
            .replace("expected a string", "expected text in quotes");
        return (
            plain,
            Some("text goes in quotes (\"...\"), numbers without quotes, lists in [ ]".into()),
        );
    }
    (
        format!("invalid TOML: {message}"),
        Some("write one `key = value` per line; text goes in quotes, lists in [ ], dates as 2024-05-31".into()),
    )
}

/// Line and column of the first line that assigns `key` at the top level.
pub(crate) fn find_key_line(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return (i + 1, line.len() - t.len() + 1);
        }
    }
    (0, 0)
}

/// A `tag:` URI prefix as RFC 4151 defines it: `tag:` authority `,` date `:` name.
fn is_tag_prefix(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("tag:") else {
        return false;
    };
    let Some((authority, rest)) = rest.split_once(',') else {
        return false;
    };
    let Some((date, specific)) = rest.split_once(':') else {
        return false;
    };
    let date_ok = date.split('-').count() <= 3
        && date.len() >= 4
        && date.chars().all(|c| c.is_ascii_digit() || c == '-');
    !authority.is_empty()
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.@_".contains(c))
        && date_ok
        && !specific.is_empty()
        && !specific.chars().any(|c| c.is_whitespace() || c == '#')
}

/// Line and column of `key` inside the `[table]` section.
pub(crate) fn find_table_key_line(text: &str, table: &str, key: &str) -> (usize, usize) {
    let header = format!("[{table}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            inside = t.trim_end() == header;
            continue;
        }
        if inside
            && let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return (i + 1, line.len() - t.len() + 1);
        }
    }
    (0, 0)
}

/// Line and column of the first quoted occurrence of `value`.
fn find_value_line(text: &str, value: &str) -> (usize, usize) {
    let quoted = crate::entry::toml_quote(value);
    text.find(&quoted)
        .or_else(|| text.find(value))
        .map_or((0, 0), |i| crate::diag::line_col(text, i))
}

/// Line of the n-th `[[name]]` table header.
fn find_nth_table_line(text: &str, name: &str, n: usize) -> (usize, usize) {
    let header = format!("[[{name}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .nth(n)
        .map_or((0, 0), |(i, _)| (i + 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, Path::new("site.toml"))
    }

    #[test]
    fn import_settings_and_feeds_are_checked() {
        let base = "title = \"K\"\n[[topic]]\nname = \"B\"\n";
        let c = parse(&format!(
            "{base}[import]\ntimeout = 2\n[[import.feed]]\nurl = \"https://kreis.example/rss\"\nname = \"Presse\"\n"
        ))
        .unwrap();
        assert_eq!(c.import.timeout, 2.0);
        assert_eq!(c.import.delay, 0.5);
        assert_eq!(c.import.feeds[0].name.as_deref(), Some("Presse"));
        let e = parse(&format!(
            "{base}[[import.feed]]\nurl = \"ftp://kreis.example/rss\"\n"
        ))
        .unwrap_err();
        assert!(e[0].message.contains("ftp://kreis.example/rss"), "{}", e[0]);
        assert_eq!(e[0].line, 4);
        let e = parse(&format!("{base}[import]\ndelay = -1\n")).unwrap_err();
        assert!(e[0].message.contains("import.delay"), "{}", e[0]);
        assert_eq!(e[0].line, 5);
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"K\"\n[[topic]]\nname = \"Bürgerservice\"\n").unwrap();
        assert_eq!(c.language, "de");
        assert_eq!(c.theme, "default");
        assert_eq!(c.output, "public");
        assert_eq!(c.per_page, 20);
        assert!(c.search && c.feeds);
        assert_eq!(c.topics[0].slug, "buergerservice");
    }

    #[test]
    fn unknown_key_names_key_line_and_suggestion() {
        let e = parse("title = \"K\"\ntitel = \"x\"\n[[topic]]\nname = \"A\"\n").unwrap_err();
        let msg = e[0].to_string();
        assert!(
            msg.starts_with("site.toml:2:1: error: unknown key `titel`"),
            "{msg}"
        );
        assert!(msg.contains("did you mean `title`?"), "{msg}");
    }

    #[test]
    fn duplicate_topics_are_errors() {
        let e =
            parse("title = \"K\"\n[[topic]]\nname = \"A\"\n[[topic]]\nname = \"A\"\n").unwrap_err();
        assert!(e[0].to_string().contains("topic `A` is defined twice"));
        assert_eq!(e[0].line, 4);
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let c = parse("title = \"K\"\nbase_url = \"https://x.de/k\"\n[[topic]]\nname = \"A\"\n")
            .unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://x.de/k/"));
    }

    #[test]
    fn open_data_id_must_be_a_tag_uri() {
        let ok = "title = \"K\"\n[open_data]\nid = \"tag:kreis.example.de,2025:praxis\"\n[[topic]]\nname = \"A\"\n";
        assert_eq!(
            parse(ok).unwrap().open_data.id,
            "tag:kreis.example.de,2025:praxis"
        );
        let bad = "title = \"K\"\n[open_data]\nid = \"https://x.de/\"\n[[topic]]\nname = \"A\"\n";
        let e = parse(bad).unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(e[0].message.contains("not a tag: URI"), "{}", e[0]);
    }

    #[test]
    fn shipped_site_toml_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let c = Config::load(root).unwrap();
        assert_eq!(c.topics.len(), 20);
        assert!(c.topics.iter().all(|t| !t.keywords.is_empty()));
    }
}
