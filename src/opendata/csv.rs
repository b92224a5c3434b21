//! `catalogue.csv`: one row per published entry, the same rows as `catalogue.json`.
//!
//! RFC 4180 with a header row, comma-separated, CRLF line ends, fields quoted when
//! needed. UTF-8 with a byte order mark: without it, spreadsheet programs that guess
//! the encoding (Excel above all) show umlauts garbled; LibreOffice, Google Sheets,
//! pandas and R ignore the mark. Lists (topics, organisations, regions) are joined
//! with `; ` in one field.

use super::rows::{self, RowCache};
use super::{EntryJson, entries, entry_json};
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::regions::{Gazetteer, Level};

/// Separator between the values of a list field.
pub const LIST_SEPARATOR: &str = "; ";

/// Column names, in order.
pub const HEADER: &[&str] = &[
    "slug",
    "url",
    "title",
    "year",
    "date",
    "topics",
    "organisations",
    "region_names",
    "region_keys",
    "land",
    "land_keys",
    "summary",
    "source_url",
];

/// The CSV bytes of the catalogue.
pub fn catalogue_csv(
    _config: &Config,
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
) -> Vec<u8> {
    let mut w = writer(Vec::from("\u{feff}".as_bytes()));
    // Writing to a Vec only fails on invalid records, and every record has
    // HEADER.len() fields.
    let _ = w.write_record(HEADER);
    for row in entries(cat, g, base_url) {
        let _ = w.write_record(record(&row));
    }
    w.into_inner().unwrap_or_default()
}

/// [`catalogue_csv`] from per-entry rows, writing only rows not in `rows`.
pub fn catalogue_csv_rows(
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
    rows: &mut RowCache,
) -> Vec<u8> {
    let made = rows.rows(
        super::CATALOGUE_CSV,
        &cat.entries,
        |i| rows::key(&cat.entries[i], base_url),
        |i| {
            let mut w = writer(Vec::new());
            let _ = w.write_record(record(&entry_json(&cat.entries[i], g, base_url)));
            w.into_inner().unwrap_or_default()
        },
    );
    let mut w = writer(Vec::from("\u{feff}".as_bytes()));
    let _ = w.write_record(HEADER);
    let mut out = w.into_inner().unwrap_or_default();
    out.reserve(made.iter().map(|r| r.len()).sum());
    for row in &made {
        out.extend_from_slice(row);
    }
    out
}

fn writer(into: Vec<u8>) -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(into)
}

fn record(e: &EntryJson) -> Vec<String> {
    let join = |v: &mut dyn Iterator<Item = &str>| v.collect::<Vec<_>>().join(LIST_SEPARATOR);
    // The Länder of the entry's regions, each once, in order of first appearance.
    let mut lands: Vec<(&str, &str)> = Vec::new();
    for r in &e.region {
        if let Some(l) = r.path.iter().find(|s| s.level == Level::Land)
            && !lands.iter().any(|(k, _)| *k == l.key)
        {
            lands.push((l.key, l.name));
        }
    }
    vec![
        e.slug.to_string(),
        e.url.clone(),
        e.title.to_string(),
        e.year.to_string(),
        e.date.unwrap_or_default().to_string(),
        join(&mut e.topic.iter().map(String::as_str)),
        join(&mut e.organisation.iter().map(String::as_str)),
        join(&mut e.region.iter().map(|r| r.name)),
        join(&mut e.region.iter().map(|r| r.key)),
        join(&mut lands.iter().map(|(_, n)| *n)),
        join(&mut lands.iter().map(|(k, _)| *k)),
        e.summary.unwrap_or_default().to_string(),
        e.source
            .as_ref()
            .and_then(|s| s.url)
            .unwrap_or_default()
            .to_string(),
    ]
}
