//! Open data: the catalogue as JSON (and, built on the same rows, other formats).

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::entry::SourceKind;
use crate::regions::{Gazetteer, Level};
use crate::render::views::entry_path;

#[derive(Serialize)]
pub struct RegionStep<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub level: Level,
}

#[derive(Serialize)]
pub struct RegionJson<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub level: Level,
    /// From the Land down to the region itself.
    pub path: Vec<RegionStep<'a>>,
}

#[derive(Serialize)]
pub struct SourceJson<'a> {
    pub file: Option<&'a str>,
    pub url: Option<&'a str>,
    pub kind: Option<SourceKind>,
}

/// One entry of `catalogue.json`.
#[derive(Serialize)]
pub struct EntryJson<'a> {
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub year: i32,
    pub date: Option<&'a str>,
    pub topic: &'a [String],
    pub organisation: &'a [String],
    pub region: Vec<RegionJson<'a>>,
    pub summary: Option<&'a str>,
    pub source: Option<SourceJson<'a>>,
    pub review: &'a [String],
}

#[derive(Serialize)]
struct CatalogueJson<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    licence: &'a str,
    entry_count: usize,
    entries: Vec<EntryJson<'a>>,
}

/// The rows of the open-data exports, in catalogue order.
pub fn entries<'a>(
    cat: &'a Catalogue,
    g: &'a Gazetteer,
    base_url: Option<&str>,
) -> Vec<EntryJson<'a>> {
    cat.entries
        .iter()
        .map(|e| EntryJson {
            slug: &e.slug,
            url: format!("{}{}", base_url.unwrap_or(""), entry_path(&e.slug)),
            title: &e.title,
            year: e.year,
            date: e.date.as_deref(),
            topic: &e.topics,
            organisation: &e.organisations,
            region: e
                .regions
                .iter()
                .map(|r| RegionJson {
                    key: &r.key,
                    name: &r.name,
                    level: r.level,
                    path: g
                        .path(r)
                        .into_iter()
                        .map(|s| RegionStep {
                            key: &s.key,
                            name: &s.name,
                            level: s.level,
                        })
                        .collect(),
                })
                .collect(),
            summary: e.summary.as_deref(),
            source: e.source.as_ref().map(|s| SourceJson {
                file: s.file.as_deref(),
                url: s.url.as_deref(),
                kind: s.kind,
            }),
            review: &e.review,
        })
        .collect()
}

/// `catalogue.json`: every published entry with its regions resolved.
pub fn catalogue_json(
    config: &crate::config::Config,
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
) -> Vec<u8> {
    let doc = CatalogueJson {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        licence: &config.licence.name,
        entry_count: cat.entries.len(),
        entries: entries(cat, g, base_url),
    };
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
