//! Page fingerprints for incremental rebuilds: a hash of everything a page's output
//! depends on, computed without building its template context.
//!
//! The fingerprint mirrors [`Renderer::context`]: whoever changes what a page kind
//! shows changes its fingerprint here too. The test that compares an incremental
//! rebuild with a full build after edits catches a forgotten input. Templates and UI
//! strings are not included: the caller adds their hash. Changes to site.toml make
//! the caller start over.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use super::prepared::hash_json;
use super::{Job, Renderer, Theme};

/// Hashes shared by many pages, computed once per renderer.
pub(crate) struct Prints {
    /// The whole `site` value.
    site: u64,
    /// By template: the `site` fields it reads (see [`Theme::site_fields`]).
    by_template: HashMap<String, u64>,
}

impl Prints {
    pub(crate) fn new(site: &Value, theme: &Theme) -> Self {
        let whole = hash_json(site);
        let by_template = theme
            .site_fields
            .iter()
            .map(|(name, fields)| {
                let print = match fields {
                    Some(fields) => {
                        let mut h = DefaultHasher::new();
                        for f in fields {
                            (f, hash_json(&site.get(f))).hash(&mut h);
                        }
                        h.finish()
                    }
                    None => whole,
                };
                (name.clone(), print)
            })
            .collect();
        Prints {
            site: whole,
            by_template,
        }
    }

    /// What of `site` the page rendered with `template` may show.
    fn site_for(&self, template: &str) -> u64 {
        self.by_template.get(template).copied().unwrap_or(self.site)
    }
}

impl Renderer<'_> {
    /// The output file of a page and the fingerprint of its inputs.
    pub fn fingerprint(&self, job: &Job) -> (String, u64) {
        (self.output_path(job), self.page_print(job))
    }

    /// The fingerprint of a page's inputs.
    pub fn page_print(&self, job: &Job) -> u64 {
        let card = |i: usize| self.entries[i].card_print;
        let mut h = DefaultHasher::new();
        self.prints.site_for(self.template_of(job)).hash(&mut h);
        self.base_url.hash(&mut h);
        match job {
            // an entry's place in the catalogue moves when others are added or
            // deleted; its page depends on its slug (hashed below), not its place
            Job::Entry(_) => "entry".hash(&mut h),
            _ => job.hash(&mut h),
        }
        let per = self.config.per_page.max(1);
        let cat = self.catalogue;
        let list = |h: &mut DefaultHasher, page: usize, items: &[usize]| {
            items.len().hash(h);
            for &i in items.iter().skip((page.max(1) - 1) * per).take(per) {
                card(i).hash(h);
            }
        };
        match job {
            Job::Home(p) => {
                // the home pages list every entry in catalogue order
                let n = cat.entries.len();
                n.hash(&mut h);
                for i in ((p.max(&1) - 1) * per).min(n)..(p.max(&1) * per).min(n) {
                    card(i).hash(&mut h);
                }
                // the first page also shows the finder and the charts
                if *p <= 1 {
                    hash_json(&self.facets()).hash(&mut h);
                    hash_json(&self.charts("", "home")).hash(&mut h);
                }
            }
            Job::Entry(i) => {
                let e = &cat.entries[*i];
                e.hash.hash(&mut h);
                e.slug.hash(&mut h);
                self.entries[*i].page_print.hash(&mut h);
                for &j in &self.related[*i] {
                    card(j).hash(&mut h);
                }
            }
            Job::Topic(t, p) => {
                self.config.topics[*t].slug.hash(&mut h);
                list(&mut h, *p, &cat.topics[*t].1);
            }
            Job::Region(key, p) => {
                let idx = &cat.regions[key];
                // names, addresses and the trail follow from the keys (the gazetteer);
                // the counts from the catalogue
                for child in self.child_regions(key) {
                    (&child.region.key, child.entries.len()).hash(&mut h);
                }
                list(&mut h, *p, &idx.entries);
            }
            Job::Year(y, p) => list(&mut h, *p, &cat.years[y]),
            Job::Organisation(s, p) => {
                let o = &cat.organisations[s];
                o.name.hash(&mut h);
                list(&mut h, *p, &o.entries);
            }
            // overview pages show every term with its count, legal pages are a
            // handful of small pages: cheap, always rendered
            Job::Topics
            | Job::Regions
            | Job::Years
            | Job::Organisations
            | Job::Search
            | Job::Legal(_) => return fresh(),
            Job::NotFound => {}
        }
        h.finish()
    }
}

/// A value no earlier fingerprint has: the page is rendered every time.
fn fresh() -> u64 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    COUNTER
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
}
