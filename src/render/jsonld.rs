//! The schema.org description of an entry page (`<script type="application/ld+json">`).
//!
//! Written from structs rather than built as a JSON value: one is made per entry page,
//! and the value tree cost as much as rendering the page's facts. Fields are in
//! alphabetical order, as a JSON object map would write them.

use serde::Serialize;

use super::views::{Card, EntryView};
use crate::load::Entry;

#[derive(Serialize)]
struct Article<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<Typed<'a>>,
    author: &'a [Typed<'a>],
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "sourceOrganization")]
    source_organization: &'a [Typed<'a>],
    #[serde(rename = "spatialCoverage")]
    spatial_coverage: Vec<Area<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// `{"@type": kind, "name": name}`
#[derive(Serialize)]
struct Typed<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Area<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    identifier: RegionalKey<'a>,
    name: &'a str,
}

#[derive(Serialize)]
struct RegionalKey<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "propertyID")]
    property_id: &'static str,
    value: &'a str,
}

/// The Article describing entry `e`, safe to embed in a script element. `url` is the
/// page's absolute address when the site has a base URL.
pub fn article(
    e: &Entry,
    card: &Card,
    view: &EntryView,
    language: &str,
    url: Option<String>,
) -> String {
    let orgs: Vec<Typed> = e
        .organisations
        .iter()
        .map(|o| Typed {
            kind: "Organization",
            name: o,
        })
        .collect();
    let doc = Article {
        context: "https://schema.org",
        kind: "Article",
        about: e
            .topics
            .iter()
            .map(|t| Typed {
                kind: "DefinedTerm",
                name: t,
            })
            .collect(),
        author: &orgs,
        date_published: e.date.clone().unwrap_or_else(|| e.year.to_string()),
        description: &card.summary,
        headline: &e.title,
        in_language: language,
        source_organization: &orgs,
        spatial_coverage: view
            .regions_full
            .iter()
            .map(|r| Area {
                kind: "AdministrativeArea",
                identifier: RegionalKey {
                    kind: "PropertyValue",
                    property_id: "Regionalschlüssel",
                    value: &r.key,
                },
                name: &r.name,
            })
            .collect(),
        url,
    };
    script_safe(&serde_json::to_string(&doc).unwrap_or_default())
}

/// JSON with `<`, `>` and `&` written as escapes, so no `</script>` or comment can
/// end the script element early.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut rest = json;
    while let Some(pos) = rest.bytes().position(|b| matches!(b, b'<' | b'>' | b'&')) {
        out.push_str(&rest[..pos]);
        out.push_str(match rest.as_bytes()[pos] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[pos + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            script_safe(r#"{"a":"</script><!-- & x"}"#),
            r#"{"a":"\u003c/script\u003e\u003c!-- \u0026 x"}"#
        );
    }
}
