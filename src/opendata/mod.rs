//! Open data: the catalogue as JSON with its JSON Schema, as CSV, as Atom feeds, as
//! a DCAT-AP.de description, and the sitemap and robots.txt for search engines.
//!
//! Every export is a pure function of the settings, the catalogue, the gazetteer and
//! the base URL; [`exports`] gathers them and the build writes them. Pages and their
//! links are left to `render`; this module only needs their paths.

pub mod csv;
pub mod dcat;
pub mod feeds;
pub mod rows;
pub mod sitemap;
pub mod xml;

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::entry::SourceKind;
use crate::regions::{Gazetteer, Level};
use crate::render::views::entry_path;
use crate::write::Sink;

/// The JSON Schema of `catalogue.json`, shipped beside it.
pub const CATALOGUE_SCHEMA: &str = include_str!("catalogue.schema.json");

/// File names of the exports in the output folder.
pub const CATALOGUE_JSON: &str = "catalogue.json";
pub const CATALOGUE_SCHEMA_JSON: &str = "catalogue.schema.json";
pub const CATALOGUE_CSV: &str = "catalogue.csv";
pub const DCAT_JSONLD: &str = "dcat.jsonld";

/// Date part of `tag:` ids when `open_data.id` is not set. Fixed, so the ids never
/// change from one build to the next.
const DEFAULT_TAG_DATE: &str = "2025";

/// Makes every open-data file of a build and hands each to `sink`. `pages` are
/// the output paths of the rendered HTML pages (for the sitemap); `rows` holds the
/// rows of unchanged entries (serve keeps one between rebuilds).
pub fn exports(
    config: &Config,
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
    pages: &[String],
    rows: &mut rows::RowCache,
    sink: &Sink<'_>,
) -> Result<(), Diagnostic> {
    // a one-off build has no use for rows: writing the documents whole needs no
    // second copy of every row (hundreds of megabytes at 100,000 entries)
    if rows.is_enabled() {
        sink(
            CATALOGUE_JSON.to_string(),
            catalogue_json_rows(config, cat, g, base_url, rows),
        )?;
        sink(
            CATALOGUE_CSV.to_string(),
            csv::catalogue_csv_rows(cat, g, base_url, rows),
        )?;
    } else {
        sink(
            CATALOGUE_JSON.to_string(),
            catalogue_json(config, cat, g, base_url),
        )?;
        sink(
            CATALOGUE_CSV.to_string(),
            csv::catalogue_csv(config, cat, g, base_url),
        )?;
    }
    sink(
        CATALOGUE_SCHEMA_JSON.to_string(),
        CATALOGUE_SCHEMA.as_bytes().to_vec(),
    )?;
    sink(
        DCAT_JSONLD.to_string(),
        rows.file(DCAT_JSONLD, dcat::inputs(cat, base_url), || {
            dcat::dcat_jsonld(config, cat, g, base_url)
        }),
    )?;
    if config.feeds {
        feeds::feeds(config, cat, g, base_url, rows, sink)?;
    }
    for (path, bytes) in sitemap::files(cat, base_url, pages) {
        sink(path, bytes)?;
    }
    Ok(())
}

/// The stable identifier of the site: `open_data.id`, or a `tag:` URI built from the
/// publisher's domain and the title. Never depends on where the site is hosted.
pub fn site_id(config: &Config) -> String {
    if !config.open_data.id.is_empty() {
        return config.open_data.id.trim_end_matches([':', '/']).to_string();
    }
    let authority = host_of(&config.publisher.url)
        .or_else(|| {
            config
                .publisher
                .email
                .rsplit_once('@')
                .map(|(_, d)| d.trim().to_lowercase())
                .filter(|d| {
                    !d.is_empty()
                        && d.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                })
        })
        .unwrap_or_else(|| "praxis.invalid".to_string());
    let name = crate::slug::slugify(&config.title);
    let name = if name.is_empty() {
        "katalog".to_string()
    } else {
        name
    };
    format!("tag:{authority},{DEFAULT_TAG_DATE}:{name}")
}

/// The host of an http(s) URL, lowercased; None for anything else.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?.to_lowercase();
    (!host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
    .then_some(host)
}

/// How links from a generated file reach a page of the site: absolute under the
/// base URL, or relative to the file's own location.
#[derive(Debug, Clone, Copy)]
pub struct Linker<'a> {
    pub base_url: Option<&'a str>,
}

impl Linker<'_> {
    /// The address of `path` (relative to the site root, "praxis/x/") as written in
    /// the file at `from` (relative to the site root, "themen/y/atom.xml").
    pub fn url(&self, from: &str, path: &str) -> String {
        match self.base_url {
            Some(b) => format!("{b}{path}"),
            None => {
                let up = "../".repeat(from.matches('/').count());
                let joined = format!("{up}{path}");
                if joined.is_empty() {
                    "./".to_string()
                } else {
                    joined
                }
            }
        }
    }
}

/// The day an entry counts from: its date, or 1 January of its year.
pub fn entry_day(e: &crate::load::Entry) -> String {
    e.date
        .clone()
        .unwrap_or_else(|| format!("{:04}-01-01", e.year))
}

/// The newest entry's day, the catalogue's "modified" date.
pub fn newest_day(cat: &Catalogue) -> Option<String> {
    cat.entries.iter().map(|e| entry_day(e)).max()
}

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

/// `catalogue.json`'s document; `entries` is the rows, or the marker the rows are
/// spliced in for (see [`rows`]).
#[derive(Serialize)]
struct CatalogueJson<'a, E> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    licence: &'a str,
    entry_count: usize,
    entries: E,
}

impl<'a, E> CatalogueJson<'a, E> {
    fn new(config: &'a crate::config::Config, cat: &Catalogue, entries: E) -> Self {
        CatalogueJson {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            licence: &config.licence.name,
            entry_count: cat.entries.len(),
            entries,
        }
    }
}

/// The rows of the open-data exports, in catalogue order.
pub fn entries<'a>(
    cat: &'a Catalogue,
    g: &'a Gazetteer,
    base_url: Option<&str>,
) -> Vec<EntryJson<'a>> {
    cat.entries
        .iter()
        .map(|e| entry_json(e, g, base_url))
        .collect()
}

/// One entry's row of the open-data exports.
pub fn entry_json<'a>(
    e: &'a crate::load::Entry,
    g: &'a Gazetteer,
    base_url: Option<&str>,
) -> EntryJson<'a> {
    EntryJson {
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
    }
}

/// `catalogue.json`: every published entry with its regions resolved.
pub fn catalogue_json(
    config: &crate::config::Config,
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
) -> Vec<u8> {
    let doc = CatalogueJson::new(config, cat, entries(cat, g, base_url));
    // Serialising plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

/// [`catalogue_json`] from per-entry rows, serialising only rows not in `rows`.
pub fn catalogue_json_rows(
    config: &crate::config::Config,
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
    rows: &mut rows::RowCache,
) -> Vec<u8> {
    let head = CatalogueJson::new(config, cat, rows::marker());
    let made = rows.rows(
        CATALOGUE_JSON,
        &cat.entries,
        |i| rows::key(&cat.entries[i], base_url),
        |i| rows::pretty_row(&entry_json(&cat.entries[i], g, base_url)),
    );
    let head = serde_json::to_vec_pretty(&head).unwrap_or_default();
    match rows::splice_pretty(&head, &made) {
        Some(mut out) => {
            out.push(b'\n');
            out
        }
        None => catalogue_json(config, cat, g, base_url),
    }
}
