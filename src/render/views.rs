//! What templates see: plain view structs built from the catalogue, not the model.
//! Every `path` is relative to the site root and ends with `/` ("praxis/slug/");
//! templates write `{{ root }}{{ x.path }}{{ index }}`.

use serde::Serialize;

use crate::catalogue::{Catalogue, is_city_twin};
use crate::entry::{Contact, SourceKind};
use crate::load::Entry;
use crate::regions::{Gazetteer, Level, Region};
use crate::slug;

pub const ENTRY_DIR: &str = "praxis";
pub const TOPIC_DIR: &str = "themen";
pub const REGION_DIR: &str = "regionen";
pub const YEAR_DIR: &str = "jahre";
pub const ORG_DIR: &str = "organisationen";
pub const SEARCH_DIR: &str = "suche";
pub const PAGE_DIR: &str = "seite";

/// A link to a page with a label and, where useful, a count.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

impl Link {
    pub fn new(name: impl Into<String>, path: impl Into<String>) -> Self {
        Link {
            name: name.into(),
            path: path.into(),
            count: None,
        }
    }
    pub fn counted(name: impl Into<String>, path: impl Into<String>, count: usize) -> Self {
        Link {
            count: Some(count),
            ..Link::new(name, path)
        }
    }
}

/// A region with its regional key and level, linked to its page.
#[derive(Debug, Clone, Serialize)]
pub struct RegionView {
    pub key: String,
    pub name: String,
    pub level: Level,
    pub path: String,
    /// From the Land down to this region.
    pub trail: Vec<Link>,
}

/// An entry as shown in lists.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub slug: String,
    pub path: String,
    pub title: String,
    pub year: i32,
    pub date: Option<String>,
    pub summary: String,
    pub topics: Vec<Link>,
    pub regions: Vec<Link>,
    pub lands: Vec<String>,
    pub organisations: Vec<Link>,
    pub under_review: bool,
}

/// What an entry's own page shows beyond its card.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub regions_full: Vec<RegionView>,
    pub review: Vec<String>,
    pub contact: Option<Contact>,
    pub source_url: Option<String>,
    pub source_kind: Option<SourceKind>,
    pub year_path: String,
}

pub fn entry_path(slug: &str) -> String {
    format!("{ENTRY_DIR}/{slug}/")
}
pub fn topic_path(slug: &str) -> String {
    format!("{TOPIC_DIR}/{slug}/")
}
pub fn year_path(year: i32) -> String {
    format!("{YEAR_DIR}/{year}/")
}
pub fn org_path(slug: &str) -> String {
    format!("{ORG_DIR}/{slug}/")
}
pub fn region_path(slug: &str) -> String {
    format!("{REGION_DIR}/{slug}/")
}

/// The region shown for an entry's region: a kreisfreie Stadt's Gemeinde row is shown
/// as the Kreis.
pub fn shown_region<'a>(r: &'a Region, g: &'a Gazetteer) -> &'a Region {
    if is_city_twin(r, g) {
        r.parent.as_deref().and_then(|p| g.by_key(p)).unwrap_or(r)
    } else {
        r
    }
}

/// A region's link, when the catalogue has a page for it.
pub fn region_link(r: &Region, cat: &Catalogue, g: &Gazetteer) -> Link {
    let r = shown_region(r, g);
    let slug = cat
        .regions
        .get(&r.key)
        .map_or_else(|| crate::catalogue::region_slug(r, g), |i| i.slug.clone());
    Link::new(r.name.clone(), region_path(&slug))
}

pub fn region_view(r: &Region, cat: &Catalogue, g: &Gazetteer) -> RegionView {
    let shown = shown_region(r, g);
    let trail = g
        .path(shown)
        .into_iter()
        .filter(|s| !is_city_twin(s, g))
        .map(|s| region_link(s, cat, g))
        .collect();
    let link = region_link(shown, cat, g);
    RegionView {
        key: r.key.clone(),
        name: shown.name.clone(),
        level: shown.level,
        path: link.path,
        trail,
    }
}

/// The summary, or the start of the text when the entry has none.
pub fn summary_of(e: &Entry, body_text: &str) -> String {
    if let Some(s) = &e.summary {
        return s.clone();
    }
    let mut out = String::new();
    for word in body_text.split_whitespace() {
        if out.len() + word.len() > 220 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The Länder of an entry's regions, sorted, each once (cards, filters, search).
pub fn entry_lands(e: &Entry, g: &Gazetteer) -> Vec<String> {
    let mut lands: Vec<String> = e
        .regions
        .iter()
        .filter_map(|r| g.land_of(r))
        .map(|l| l.name.clone())
        .collect();
    lands.sort();
    lands.dedup();
    lands
}

pub fn card(
    e: &Entry,
    summary: String,
    cat: &Catalogue,
    g: &Gazetteer,
    topic_slug: &dyn Fn(&str) -> String,
) -> Card {
    let lands = entry_lands(e, g);
    Card {
        slug: e.slug.clone(),
        path: entry_path(&e.slug),
        title: e.title.clone(),
        year: e.year,
        date: e.date.clone(),
        summary,
        topics: e
            .topics
            .iter()
            .map(|t| Link::new(t.clone(), topic_path(&topic_slug(t))))
            .collect(),
        regions: e.regions.iter().map(|r| region_link(r, cat, g)).collect(),
        lands,
        organisations: e
            .organisations
            .iter()
            .map(|o| Link::new(o.clone(), org_path(&slug::slugify(o))))
            .collect(),
        under_review: !e.review.is_empty(),
    }
}

/// An entry page's `entry`: the card's fields and the page's own.
#[derive(Serialize)]
pub struct EntryPage<'a> {
    #[serde(flatten)]
    pub card: &'a Card,
    #[serde(flatten)]
    pub view: &'a EntryView,
}

pub fn entry_view(e: &Entry, cat: &Catalogue, g: &Gazetteer) -> EntryView {
    EntryView {
        regions_full: e.regions.iter().map(|r| region_view(r, cat, g)).collect(),
        review: e.review.clone(),
        contact: e.contact.clone(),
        source_url: e.source.as_ref().and_then(|s| s.url.clone()),
        source_kind: e.source.as_ref().and_then(|s| s.kind),
        year_path: year_path(e.year),
    }
}

/// Pagination of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The page links to show: every page of a short list; of a long one the first,
    /// the last and two either side of the current one, with gaps between.
    pub pages: Vec<PageLink>,
}

/// One item of a paginator's row: a page (`name` is its number) or a gap standing
/// for pages left out.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub name: String,
    pub path: String,
    pub current: bool,
    pub gap: bool,
}

/// Lists with at most this many pages show a link to each.
const ALL_PAGES_UP_TO: usize = 9;
/// How many pages either side of the current one a long list links to.
const PAGES_AROUND: usize = 2;

/// The path of page `n` (1-based) of a list at `base`.
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}{PAGE_DIR}/{n}/")
    }
}

pub fn paginator(base: &str, current: usize, total: usize) -> Paginator {
    Paginator {
        current,
        total,
        prev: (current > 1).then(|| page_path(base, current - 1)),
        next: (current < total).then(|| page_path(base, current + 1)),
        pages: page_row(current, total)
            .into_iter()
            .map(|n| match n {
                Some(n) => PageLink {
                    name: n.to_string(),
                    path: page_path(base, n),
                    current: n == current,
                    gap: false,
                },
                None => PageLink {
                    name: "…".into(),
                    path: String::new(),
                    current: false,
                    gap: true,
                },
            })
            .collect(),
    }
}

/// The page numbers a paginator shows, `None` for a gap. A page row of every page
/// made each page of a list as long as the list, and the home pages of a large
/// catalogue quadratic in the number of entries.
fn page_row(current: usize, total: usize) -> Vec<Option<usize>> {
    let near = |n: usize| n.abs_diff(current) <= PAGES_AROUND;
    let shown = |n: usize| total <= ALL_PAGES_UP_TO || n == 1 || n == total || near(n);
    let mut row = Vec::new();
    let mut n = 1;
    while n <= total {
        if shown(n) {
            row.push(Some(n));
            n += 1;
        } else {
            // one gap for the run of hidden pages, then on to the next shown one
            row.push(None);
            n = if n < current {
                current - PAGES_AROUND
            } else {
                total
            };
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(current: usize, total: usize) -> String {
        page_row(current, total)
            .iter()
            .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn short_lists_show_every_page() {
        assert_eq!(row(1, 1), "1");
        assert_eq!(row(5, 9), "1 2 3 4 5 6 7 8 9");
    }

    #[test]
    fn long_lists_show_the_ends_and_the_pages_around_the_current_one() {
        assert_eq!(row(1, 500), "1 2 3 … 500");
        assert_eq!(row(4, 10), "1 2 3 4 5 6 … 10");
        assert_eq!(row(5, 10), "1 … 3 4 5 6 7 … 10");
        assert_eq!(row(250, 500), "1 … 248 249 250 251 252 … 500");
        assert_eq!(row(497, 500), "1 … 495 496 497 498 499 500");
        assert_eq!(row(500, 500), "1 … 498 499 500");
    }
}
