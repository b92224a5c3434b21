//! The catalogue: published entries in reading order, and the indexes by topic,
//! region, year and organisation. Cross-entry checks (duplicate slugs) live here.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::Entry;
use crate::regions::{Gazetteer, Level, Region};
use crate::slug;

/// An organisation and the entries it owns.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub name: String,
    pub slug: String,
    pub entries: Vec<usize>,
}

/// A region that has entries (directly or below it).
#[derive(Debug, Clone)]
pub struct RegionIndex {
    pub region: &'static Region,
    pub slug: String,
    /// Every entry in this region or below it.
    pub entries: Vec<usize>,
}

/// Published entries and their indexes. Entry indexes point into `entries`, which is
/// sorted newest first.
#[derive(Debug)]
pub struct Catalogue {
    /// Shared, so a serve session keeps unchanged entries without copying them.
    pub entries: Vec<Arc<Entry>>,
    /// Topic slug → entries, in vocabulary order.
    pub topics: Vec<(String, Vec<usize>)>,
    /// Region key → index, for every region on the path of some entry's region.
    pub regions: BTreeMap<String, RegionIndex>,
    /// Year → entries, newest year first when iterated in reverse.
    pub years: BTreeMap<i32, Vec<usize>>,
    /// Organisation slug → organisation.
    pub organisations: BTreeMap<String, Organisation>,
    /// Entry file (relative to the site root) → entry index; drafts are absent.
    pub by_path: HashMap<PathBuf, usize>,
    /// Draft entries' files, so links to them can be reported precisely.
    pub drafts: Vec<PathBuf>,
}

/// The error for `entry`, whose web address `first` already has: where each of the
/// two got it (a `slug =` line or the file name), so the editor sees what to change.
fn duplicate_slug(entry: &Entry, first: &Entry) -> Diagnostic {
    let origin = |e: &Entry| match e.slug_line {
        Some(line) => format!(
            "{}:{line} (slug = \"{}\")",
            crate::diag::display_path(&e.path),
            e.slug
        ),
        None => format!(
            "{} (from its file name)",
            crate::diag::display_path(&e.path)
        ),
    };
    let mut d = Diagnostic::error(
        &entry.path,
        format!(
            "the web address `{}` {} is already used by {}",
            entry.slug,
            if entry.slug_line.is_some() {
                "set here"
            } else {
                "(from this file's name)"
            },
            origin(first)
        ),
    )
    .hint("rename one of the files, or give one of them its own slug = \"...\"");
    d.line = entry.slug_line.unwrap_or(1);
    d
}

/// Builds the catalogue from loaded entries; reports duplicate slugs.
pub fn build(
    mut entries: Vec<Arc<Entry>>,
    config: &Config,
    gazetteer: &'static Gazetteer,
) -> (Catalogue, Vec<Diagnostic>) {
    let mut diags = Vec::new();

    // Duplicate slugs: report every file after the first (by path).
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let mut seen: HashMap<&str, &Entry> = HashMap::new();
    let mut duplicate = vec![false; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        if let Some(first) = seen.get(e.slug.as_str()) {
            duplicate[i] = true;
            diags.push(duplicate_slug(e, first));
        } else {
            seen.insert(&e.slug, e);
        }
    }
    let mut drafts = Vec::new();
    let mut published: Vec<Arc<Entry>> = Vec::with_capacity(entries.len());
    for (e, dup) in entries.into_iter().zip(duplicate) {
        if dup {
            continue;
        }
        if e.draft {
            drafts.push(e.path.clone());
        } else {
            published.push(e);
        }
    }
    published.sort_by(|a, b| reading_order(a, b));

    let by_path = published
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.clone(), i))
        .collect();

    let topic_pos: HashMap<&str, usize> = config
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut topics: Vec<(String, Vec<usize>)> = config
        .topics
        .iter()
        .map(|t| (t.slug.clone(), Vec::new()))
        .collect();
    let mut regions: BTreeMap<String, RegionIndex> = BTreeMap::new();
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut organisations: BTreeMap<String, Organisation> = BTreeMap::new();

    for (i, e) in published.iter().enumerate() {
        for t in &e.topics {
            if let Some(&p) = topic_pos.get(t.as_str()) {
                let list = &mut topics[p].1;
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        for r in &e.regions {
            for step in gazetteer.path(r) {
                if is_city_twin(step, gazetteer) {
                    continue;
                }
                let idx = regions
                    .entry(step.key.clone())
                    .or_insert_with(|| RegionIndex {
                        region: step,
                        slug: region_slug(step, gazetteer),
                        entries: Vec::new(),
                    });
                if idx.entries.last() != Some(&i) {
                    idx.entries.push(i);
                }
            }
        }
        years.entry(e.year).or_default().push(i);
        for o in &e.organisations {
            let s = slug::slugify(o);
            if s.is_empty() {
                continue;
            }
            let org = organisations
                .entry(s.clone())
                .or_insert_with(|| Organisation {
                    name: o.clone(),
                    slug: s,
                    entries: Vec::new(),
                });
            // Spellings that share a slug are one organisation; show the smallest name.
            if o < &org.name {
                org.name = o.clone();
            }
            if org.entries.last() != Some(&i) {
                org.entries.push(i);
            }
        }
    }

    (
        Catalogue {
            entries: published,
            topics,
            regions,
            years,
            organisations,
            by_path,
            drafts,
        },
        diags,
    )
}

/// Newest first, then by title and slug.
fn reading_order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.year
        .cmp(&a.year)
        .then_with(|| b.date.cmp(&a.date))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.slug.cmp(&b.slug))
}

/// Whether two versions of an entry file give the same indexes (everything
/// [`build`] reads but the title, which only orders entries).
fn same_place(a: &Entry, b: &Entry) -> bool {
    a.path == b.path
        && a.slug == b.slug
        && a.slug_line == b.slug_line
        && a.draft == b.draft
        && a.year == b.year
        && a.date == b.date
        && a.topics == b.topics
        && a.organisations == b.organisations
        && a.regions.len() == b.regions.len()
        && a.regions
            .iter()
            .zip(&b.regions)
            .all(|(x, y)| x.key == y.key)
}

/// The catalogue of `entries` made from `previous`, the catalogue [`build`] made of
/// `before` (both as loaded, in file order), when every entry keeps its place in
/// the indexes; None when the indexes must be built again. Saves a serve rebuild
/// the whole indexing when only text changed.
pub fn update(
    previous: &Catalogue,
    before: &[Arc<Entry>],
    entries: &[Arc<Entry>],
) -> Option<Catalogue> {
    if before.len() != entries.len() {
        return None;
    }
    let mut published = previous.entries.clone();
    let mut changed = Vec::new();
    for (old, new) in before.iter().zip(entries) {
        if Arc::ptr_eq(old, new) {
            continue;
        }
        if !same_place(old, new) {
            return None;
        }
        if let Some(&i) = previous.by_path.get(&new.path) {
            // a duplicate slug's file is not published: only entries in the catalogue
            if !Arc::ptr_eq(&published[i], old) {
                return None;
            }
            published[i] = Arc::clone(new);
            changed.push(i);
        }
    }
    // a new title may move the entry
    let ordered = |i: usize, j: usize| reading_order(&published[i], &published[j]).is_lt();
    for &i in &changed {
        if (i > 0 && !ordered(i - 1, i)) || (i + 1 < published.len() && !ordered(i, i + 1)) {
            return None;
        }
    }
    Some(Catalogue {
        entries: published,
        topics: previous.topics.clone(),
        regions: previous.regions.clone(),
        years: previous.years.clone(),
        organisations: previous.organisations.clone(),
        by_path: previous.by_path.clone(),
        drafts: previous.drafts.clone(),
    })
}

/// The URL segment of a region: its name as a slug, with the regional key added when
/// another region in the gazetteer has the same name (so addresses stay stable as
/// entries come and go).
pub fn region_slug(region: &Region, gazetteer: &Gazetteer) -> String {
    let base = slug::slugify(&region.name);
    if region.level == Level::Land || region.level == Level::Staat {
        return base;
    }
    let counts = NAME_COUNTS.get_or_init(|| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for r in gazetteer.regions() {
            if !r.historical && !is_city_twin(r, gazetteer) {
                *counts.entry(slug::slugify(&r.name)).or_default() += 1;
            }
        }
        counts
    });
    if counts.get(&base).copied().unwrap_or(0) <= 1 {
        base
    } else {
        format!("{base}-{}", region.key)
    }
}

static NAME_COUNTS: std::sync::OnceLock<HashMap<String, usize>> = std::sync::OnceLock::new();

/// A kreisfreie Stadt is both a Kreis and a Gemeinde of the same name; the catalogue
/// shows it once, as the Kreis.
pub fn is_city_twin(region: &Region, gazetteer: &Gazetteer) -> bool {
    region.level == Level::Gemeinde
        && region
            .parent
            .as_deref()
            .and_then(|p| gazetteer.by_key(p))
            .is_some_and(|p| p.level == Level::Kreis && p.name == region.name)
}

impl Catalogue {
    /// Takes the entries' Markdown out of them, in catalogue order, for the body
    /// renderer to drop each text once it is rendered: a build needs
    /// nothing else from it, and at 100,000 entries it is half a gigabyte, which
    /// would otherwise sit beside the rendered HTML until the last body is done.
    /// With `keep_leads`, entries without a summary keep their first paragraph for
    /// feeds. Entries shared with someone else (serve keeps them) keep their text
    /// and give an empty string.
    pub fn take_bodies(&mut self, keep_leads: bool) -> Vec<String> {
        use rayon::prelude::*;
        self.entries
            .par_iter_mut()
            .map(|e| {
                let Some(e) = std::sync::Arc::get_mut(e) else {
                    return String::new();
                };
                if keep_leads && e.summary.is_none() && e.lead.is_none() {
                    e.lead = Some(crate::opendata::feeds::lead_text(&e.body));
                }
                std::mem::take(&mut e.body)
            })
            .collect()
    }

    /// Organisations with the most entries first, then by name.
    pub fn organisations_by_size(&self) -> Vec<&Organisation> {
        let mut orgs: Vec<&Organisation> = self.organisations.values().collect();
        orgs.sort_by(|a, b| {
            b.entries
                .len()
                .cmp(&a.entries.len())
                .then(a.name.cmp(&b.name))
        });
        orgs
    }

    /// Entries of a Land, for counts on the home page and the map.
    pub fn land_count(&self, key: &str) -> usize {
        self.regions.get(key).map_or(0, |r| r.entries.len())
    }
}
