//! One catalogue entry: TOML front matter between `+++` lines, then Markdown.
//!
//! Splitting and parsing are pure; every problem is a [`Diagnostic`] whose line is a
//! line of the whole file, not of the front-matter block.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::toml_error;
use crate::diag::Diagnostic;

pub const FENCE: &str = "+++";

/// What kind of text an entry was imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Article,
    ListingItem,
    Teaser,
}

/// Whom to ask about a practice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Where an entry's text came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The raw text in `seeds/`, relative to the site root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Line range in that file, "12-40".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
}

/// The front matter as written. Required keys are checked after parsing so that all
/// missing ones are reported together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<toml::value::Datetime>,
    #[serde(default)]
    pub topic: Vec<String>,
    #[serde(default)]
    pub region: Vec<String>,
    #[serde(default)]
    pub organisation: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Fields still to be confirmed by an editor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<String>,
    /// An editorial note, not published (e.g. why an entry is a draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Field names `review` may list.
pub const REVIEWABLE: &[&str] = &[
    "title",
    "year",
    "date",
    "topic",
    "region",
    "organisation",
    "summary",
    "contact",
    "source",
    "text",
];

/// A file split at its fences. Offsets are byte offsets into the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub front_matter_offset: usize,
    pub body: &'a str,
    /// 1-based file line where the body starts.
    pub body_line: usize,
}

/// Splits a file into front matter and body. `text` may start with a BOM and use CRLF.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').unwrap_or(rest.len());
    let first = rest[..first_line_end].trim_end();
    if first != FENCE {
        let d = if first.starts_with("+++") || first.starts_with("---") {
            Diagnostic::error(path, format!("the opening fence is `{first}`, not `+++`"))
                .hint("the first line must be exactly +++ (three plus signs)")
        } else if rest.trim().is_empty() {
            Diagnostic::error(path, "the file is empty").hint(
                "write the front matter between two +++ lines, or run `praxis new \"Title\"` for a skeleton",
            )
        } else {
            Diagnostic::error(path, "the file does not start with front matter").hint(
                "put +++ on the first line, the keys (title, year, topic, region, organisation) below it, and +++ again",
            )
        };
        return Err(d.at(text, 1, 1));
    }
    let fm_start = start + (first_line_end + 1).min(rest.len());
    let mut offset = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == FENCE {
            let body_start = offset + line.len();
            let (body_line, _) = crate::diag::line_col(text, body_start);
            return Ok(Split {
                front_matter: &text[fm_start..offset],
                front_matter_offset: fm_start,
                body: &text[body_start..],
                body_line,
            });
        }
        if trimmed.starts_with("+++") && trimmed.trim_start_matches('+').is_empty() {
            return Err(Diagnostic::error(
                path,
                format!("the closing fence is `{trimmed}`, not `+++`"),
            )
            .hint("end the front matter with a line holding exactly +++")
            .at_offset(text, offset));
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(path, "the front matter has no closing `+++` line")
            .hint("add a line with exactly +++ after the last key, before the text")
            .at(text, 1, 1),
    )
}

/// Parses the front matter of a split file. Type and syntax errors carry file lines.
pub fn parse_front_matter(
    text: &str,
    split: &Split,
    path: &Path,
) -> Result<FrontMatter, Diagnostic> {
    // toml accepts CRLF; spans are offsets into the front matter
    toml::from_str::<FrontMatter>(split.front_matter).map_err(|e| {
        let offset = split.front_matter_offset + e.span().map_or(0, |s| s.start);
        toml_error(path, text, offset, e.message())
    })
}

/// 1-based file line and column of `key` in the front matter; when `value` is given,
/// of that quoted value at or after the key. (0, 0) when not found.
pub fn locate(text: &str, split: &Split, key: &str, value: Option<&str>) -> (usize, usize) {
    let fm = split.front_matter;
    let mut key_pos = None;
    let mut pos = 0;
    for line in fm.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            key_pos = Some(pos + (line.len() - t.len()));
            break;
        }
        pos += line.len();
    }
    let Some(key_pos) = key_pos else {
        return (0, 0);
    };
    let found = value
        .and_then(|v| {
            let quoted = toml_quote(v);
            fm[key_pos..].find(&quoted).map(|i| key_pos + i)
        })
        .unwrap_or(key_pos);
    crate::diag::line_col(text, split.front_matter_offset + found)
}

/// A string as TOML writes it (basic string with escapes).
pub fn toml_quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes an entry file: front matter between fences, a blank line, the body.
pub fn to_file_text(fm: &FrontMatter, body: &str) -> String {
    // Serialising plain strings, numbers, tables and real dates cannot fail (the
    // importer writes a date only for a day that exists).
    let mut toml = toml::to_string(fm).unwrap_or_default();
    // The serialiser writes text with line breaks as multi-line strings; a line of
    // such a string reading `+++` would end the front matter when read back, and
    // the rest of the entry would be lost. Then every string goes on one line.
    if toml.lines().any(is_fence_like) {
        toml = toml::Table::try_from(fm).map_or(toml, |t| single_line_toml(&t));
    }
    let body = body.trim_matches('\n');
    if body.is_empty() {
        format!("{FENCE}\n{toml}{FENCE}\n")
    } else {
        format!("{FENCE}\n{toml}{FENCE}\n\n{body}\n")
    }
}

/// A line `split` takes for a fence: three or more plus signs.
fn is_fence_like(line: &str) -> bool {
    let t = line.trim_end();
    t.len() >= FENCE.len() && t.bytes().all(|b| b == b'+')
}

/// A table as TOML with every string a one-line basic string.
fn single_line_toml(table: &toml::Table) -> String {
    let mut out = String::new();
    let mut tables = Vec::new();
    for (key, value) in table {
        match value {
            toml::Value::Table(t) => tables.push((key, t)),
            v => out.push_str(&format!("{key} = {}\n", inline_value(v))),
        }
    }
    for (key, t) in tables {
        out.push_str(&format!("\n[{key}]\n"));
        for (k, v) in t {
            out.push_str(&format!("{k} = {}\n", inline_value(v)));
        }
    }
    out
}

fn inline_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => basic_string(s),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_value).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(t) => {
            let pairs: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", inline_value(v)))
                .collect();
            format!("{{ {} }}", pairs.join(", "))
        }
        other => other.to_string(),
    }
}

/// A TOML basic string on one line: quotes, backslashes and control characters escaped.
fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "content/x.md";

    #[test]
    fn splits_with_file_lines() {
        let text = "+++\ntitle = \"A\"\n+++\n\nText\n";
        let s = split(text, Path::new(P)).unwrap();
        assert_eq!(s.front_matter, "title = \"A\"\n");
        assert_eq!(s.front_matter_offset, 4);
        assert_eq!(s.body, "\nText\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nText\r\n";
        let s = split(text, Path::new(P)).unwrap();
        let fm = parse_front_matter(text, &s, Path::new(P)).unwrap();
        assert_eq!(fm.title, "A");
        assert_eq!(s.body, "Text\r\n");
    }

    #[test]
    fn fence_errors() {
        let e = split("++++\ntitle = \"A\"\n+++\n", Path::new(P)).unwrap_err();
        assert_eq!(e.message, "the opening fence is `++++`, not `+++`");
        let e = split("+++\ntitle = \"A\"\n", Path::new(P)).unwrap_err();
        assert_eq!(e.message, "the front matter has no closing `+++` line");
        let e = split("+++\ntitle = \"A\"\n++++\n", Path::new(P)).unwrap_err();
        assert_eq!(e.line, 3);
        let e = split("", Path::new(P)).unwrap_err();
        assert_eq!(e.message, "the file is empty");
    }

    #[test]
    fn type_error_points_at_file_line() {
        let text = "+++\ntitle = \"A\"\nyear = \"2022\"\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let e = parse_front_matter(text, &s, Path::new(P)).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("wrong type"), "{}", e.message);
    }

    #[test]
    fn unknown_key_is_an_error_with_suggestion() {
        let text = "+++\ntitle = \"A\"\ntopics = [\"x\"]\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let e = parse_front_matter(text, &s, Path::new(P)).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "unknown key `topics`"));
        assert!(e.hint.unwrap().contains("did you mean `topic`?"));
    }

    #[test]
    fn write_then_parse_round_trips() {
        let fm = FrontMatter {
            title: "Für eine Woche \"tauschen\"".into(),
            year: Some(2022),
            topic: vec!["A".into()],
            region: vec!["Bad Salzuflen".into()],
            organisation: vec!["Stadt Bad Salzuflen".into()],
            review: vec!["year".into()],
            source: Some(Source {
                file: Some("seeds/a.txt".into()),
                lines: Some("1-9".into()),
                url: None,
                kind: Some(SourceKind::ListingItem),
            }),
            ..FrontMatter::default()
        };
        let text = to_file_text(&fm, "Body\n\nMore");
        let s = split(&text, Path::new(P)).unwrap();
        assert_eq!(parse_front_matter(&text, &s, Path::new(P)).unwrap(), fm);
        assert_eq!(s.body.trim(), "Body\n\nMore");
    }

    #[test]
    fn text_with_a_fence_line_round_trips() {
        let fm = FrontMatter {
            title: "A".into(),
            summary: Some("oben\n+++\nunten \"zitiert\" \\ ''' \u{7f}".into()),
            review: vec!["\n++++\n".into()],
            contact: Some(Contact {
                name: Some("x\n+++".into()),
                ..Contact::default()
            }),
            ..FrontMatter::default()
        };
        let text = to_file_text(&fm, "Body");
        let s = split(&text, Path::new(P)).unwrap();
        assert_eq!(parse_front_matter(&text, &s, Path::new(P)).unwrap(), fm);
        assert_eq!(s.body.trim(), "Body");
    }

    #[test]
    fn locate_finds_value_line() {
        let text = "+++\ntitle = \"A\"\ntopic = [\n  \"B\",\n  \"C\",\n]\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        assert_eq!(locate(text, &s, "topic", Some("C")), (5, 3));
        assert_eq!(locate(text, &s, "title", None), (2, 1));
        assert_eq!(locate(text, &s, "year", None), (0, 0));
    }
}
