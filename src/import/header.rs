//! Metadata that stands on top of a seed before its text: the lines web clippers
//! and crawlers write ("date 2023-05", "title: …", "url: …", "author: …"), YAML
//! (`---`) or TOML (`+++`) front matter, and a bare address on the first line.
//!
//! The lines are taken out of the text (replaced by blank lines, so line numbers
//! stay those of the file) and handed on as a [`Header`]: its date is the report
//! date, its title the headline, its address the entry's `[source] url`.

use std::sync::LazyLock;

use regex::Regex;

use super::meta::year::{self, ReportDate};

/// What the head of a seed says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<ReportDate>,
    pub author: Option<String>,
    /// The 1-based line of the date, for the evidence.
    pub date_line: Option<usize>,
}

impl Header {
    pub fn is_empty(&self) -> bool {
        *self == Header::default()
    }
}

/// "key: value", "key = value" or, for dates and addresses, "key value".
static KEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*(date|datum|published|veröffentlicht|created|title|titel|url|link|source|quelle|canonical|author|autor|byline)\s*(:|=|\s)\s*(.*)$"#)
        .expect("static regex")
});
static ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(https?://\S+)\s*$").expect("static regex"));

/// Splits the header off a seed's text; the text keeps its line count.
pub fn split(text: &str) -> (Header, String) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut header = Header::default();
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first) = first else {
        return (header, text.to_string());
    };
    let fence = lines[first].trim();
    if fence == "---" || fence == "+++" {
        // front matter: up to the closing fence within the first 60 lines
        let close = (first + 1..lines.len().min(first + 60)).find(|&i| {
            let t = lines[i].trim();
            t == fence || (fence == "---" && t == "...")
        });
        if let Some(close) = close {
            for (i, line) in lines.iter().enumerate().take(close).skip(first + 1) {
                if let Some((key, value)) = key_value(line) {
                    take(&mut header, &key, &value, i + 1, true);
                }
            }
            for line in out.iter_mut().take(close + 1).skip(first) {
                line.clear();
            }
            return (header, out.join("\n"));
        }
    }
    // leading key lines and a bare address, until the first other line
    let mut i = first;
    while i < lines.len() && i < first + 12 {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some(c) = ADDRESS.captures(line) {
            if header.url.is_none() {
                header.url = Some(c[1].to_string());
            }
            out[i].clear();
            i += 1;
            continue;
        }
        let Some(c) = KEY_LINE.captures(line) else {
            break;
        };
        let key = c[1].to_lowercase();
        let sep = &c[2];
        let value = c[3].trim();
        match field(&key) {
            Field::Date => {
                // "date 2023-05 Die Stadt …": the text goes on after the date
                let Some((date, len)) = year::parse_date_prefix(value) else {
                    break;
                };
                header.date.get_or_insert(date);
                header.date_line.get_or_insert(i + 1);
                let rest = value[len..].trim_start();
                let rest = rest
                    .strip_prefix(['|', '–', '-'])
                    .unwrap_or(rest)
                    .trim_start();
                if rest.is_empty() {
                    out[i].clear();
                } else {
                    // keep the line's text where it was, the date blanked
                    let at = line.len() - value.len() + len;
                    out[i] = format!("{}{}", " ".repeat(at), &line[at..]);
                    break;
                }
            }
            Field::Url if value.starts_with("http") && !value.contains(' ') => {
                header.url.get_or_insert_with(|| value.to_string());
                out[i].clear();
            }
            // a title or author needs its colon: "Titel Logo" is page furniture
            Field::Title | Field::Author if sep == ":" || sep == "=" => {
                take(&mut header, &key, value, i + 1, false);
                out[i].clear();
            }
            _ => break,
        }
        i += 1;
    }
    (header, out.join("\n"))
}

enum Field {
    Date,
    Title,
    Url,
    Author,
}

fn field(key: &str) -> Field {
    match key {
        "date" | "datum" | "published" | "veröffentlicht" | "created" => Field::Date,
        "title" | "titel" => Field::Title,
        "url" | "link" | "source" | "quelle" | "canonical" => Field::Url,
        _ => Field::Author,
    }
}

/// "key: value" or "key = value" of front matter, quotes removed.
fn key_value(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once([':', '='])?;
    let key = key.trim().to_lowercase();
    if key.is_empty() || key.contains(' ') {
        return None;
    }
    let value = value.trim().trim_matches(['"', '\'']).trim().to_string();
    Some((key, value))
}

fn take(header: &mut Header, key: &str, value: &str, line: usize, front_matter: bool) {
    if value.is_empty() {
        return;
    }
    match (field(key), front_matter) {
        (Field::Date, _) => {
            if let Some((d, _)) = year::parse_date_prefix(value) {
                header.date.get_or_insert(d);
                header.date_line.get_or_insert(line);
            }
        }
        (Field::Title, _) => {
            header.title.get_or_insert_with(|| value.to_string());
        }
        (Field::Url, _) if value.starts_with("http") => {
            header.url.get_or_insert_with(|| value.to_string());
        }
        (Field::Author, _) => {
            header.author.get_or_insert_with(|| value.to_string());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crawl_date_before_the_text_is_taken_off_the_line() {
        let (h, text) = split(
            " date 2024-03 Die Gemeinde Wennigsen hat ihre Bauanträge digitalisiert.\n\nMehr.",
        );
        assert_eq!(h.date.map(|d| (d.year, d.month)), Some((2024, Some(3))));
        assert_eq!(
            text.trim_start().split('\n').next(),
            Some("Die Gemeinde Wennigsen hat ihre Bauanträge digitalisiert.")
        );
        assert_eq!(text.lines().count(), 3);
        let (h, _) = split("date 2025-10-07\nDer Kreis Soest startet.");
        assert_eq!(
            h.date.map(|d| (d.year, d.month, d.day)),
            Some((2025, Some(10), Some(7)))
        );
    }

    #[test]
    fn clipper_lines_and_front_matter() {
        let (h, text) = split(
            "title: Neues Portal in Jena\nurl: https://example.org/a\nauthor: Redaktion\ndate: 12.03.2023\n\nDie Stadt Jena …",
        );
        assert_eq!(h.title.as_deref(), Some("Neues Portal in Jena"));
        assert_eq!(h.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(h.date.map(|d| d.year), Some(2023));
        assert_eq!(text.trim(), "Die Stadt Jena …");
        let (h, text) = split(
            "---\ntitle: \"Ein Titel\"\ndate: 2022-05-01T10:00:00+02:00\nsource: https://example.org/b\n---\nText.",
        );
        assert_eq!(h.title.as_deref(), Some("Ein Titel"));
        assert_eq!(h.date.map(|d| (d.year, d.day)), Some((2022, Some(1))));
        assert_eq!(h.url.as_deref(), Some("https://example.org/b"));
        assert_eq!(text.trim(), "Text.");
        let (h, _) = split("+++\ntitle = \"T\"\ndate = 2021-01-02\n+++\nText.");
        assert_eq!(h.date.map(|d| d.year), Some(2021));
    }

    #[test]
    fn a_bare_address_on_top_is_the_source() {
        let (h, text) = split("https://zeitung.example/-abc\n\nDigitalisierung : Die Stadt");
        assert_eq!(h.url.as_deref(), Some("https://zeitung.example/-abc"));
        assert!(text.trim().starts_with("Digitalisierung"));
    }

    #[test]
    fn furniture_and_text_are_not_header() {
        for t in [
            "Titel Logo\nBüttelborner Nachrichten",
            "Datumsgrenze verschoben: Die Stadt",
            "Die Stadt Jena hat …",
        ] {
            let (h, text) = split(t);
            assert!(h.is_empty(), "{t}");
            assert_eq!(text, t);
        }
    }
}
