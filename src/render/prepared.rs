//! What the renderer derives from each entry (body HTML, card, page view, card
//! markup and their hashes), and the cache serve keeps of it between rebuilds.
//!
//! A body's HTML depends on the entry's text, its file (relative links), the base
//! URL and the addresses of the entries it links to; the card and the view depend on
//! the entry, its body and the topic slugs; the card's markup on the theme too. A
//! kept entry is reused when its file's hash and those settings are unchanged and
//! every linked entry still has the address it had. Entries whose body had
//! diagnostics are always prepared again, so their messages are never lost.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::views::{Card, EntryView};
use crate::catalogue::Catalogue;
use crate::markdown::Rendered;

/// One entry as the renderer uses it.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub body: String,
    /// Whether the body has highlighted code (and needs syntax.css).
    pub has_code: bool,
    pub card: Card,
    pub view: EntryView,
    /// The card's markup, see [`super::cards`].
    pub card_html: String,
    /// Hash of the card: every page listing the entry shows it.
    pub card_print: u64,
    /// Hash of what the entry's own page shows besides other entries' cards.
    pub page_print: u64,
}

/// Hash of a value's JSON form.
pub(crate) fn hash_json(v: &impl serde::Serialize) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&serde_json::to_vec(v).unwrap_or_default())
}

impl Prepared {
    pub(crate) fn new(body: Rendered, card: Card, view: EntryView, card_html: String) -> Self {
        // bodies are long: xxh3 hashes them several times faster than SipHash
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        hash_json(&view).hash(&mut h);
        body.html.hash(&mut h);
        body.has_code.hash(&mut h);
        Prepared {
            card_print: hash_json(&card),
            page_print: h.finish(),
            body: body.html,
            has_code: body.has_code,
            card,
            view,
            card_html,
        }
    }
}

struct Kept {
    /// Hash of the entry file's bytes.
    hash: u64,
    /// Linked entry files and the address each had.
    links: Vec<(PathBuf, Option<String>)>,
    prepared: Arc<Prepared>,
}

/// Prepared entries by file, and the related entries of the last catalogue. The
/// default cache keeps nothing (a one-off build has no use for it);
/// [`RenderCache::enabled`] keeps everything for the next rebuild.
#[derive(Default)]
pub struct RenderCache {
    enabled: bool,
    /// Hash of the settings the kept entries were prepared with.
    settings: u64,
    /// By entry file (as bytes: hashing a `Path` walks its components).
    entries: HashMap<OsString, Kept>,
    /// Hash of the lists related entries are computed from, and the result.
    related: Option<(u64, Arc<Vec<Vec<usize>>>)>,
}

impl RenderCache {
    pub fn enabled() -> Self {
        RenderCache {
            enabled: true,
            ..RenderCache::default()
        }
    }

    pub(crate) fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Drops kept entries prepared with other settings.
    pub(crate) fn use_settings(&mut self, settings: u64) {
        if self.settings != settings {
            self.entries.clear();
            self.settings = settings;
        }
    }

    /// Entry by entry in catalogue order: the kept preparation when still valid.
    pub(crate) fn reusable(
        &self,
        catalogue: &Catalogue,
        url_of: &(dyn Fn(&Path) -> Option<String> + Sync),
    ) -> Vec<Option<Arc<Prepared>>> {
        if !self.enabled || self.entries.is_empty() {
            return vec![None; catalogue.entries.len()];
        }
        catalogue
            .entries
            .par_iter()
            .map(|e| {
                let kept = self.entries.get(e.path.as_os_str())?;
                let valid =
                    kept.hash == e.hash && kept.links.iter().all(|(p, url)| url_of(p) == *url);
                valid.then(|| Arc::clone(&kept.prepared))
            })
            .collect()
    }

    /// Keeps the freshly prepared entries that had no diagnostics (`fresh`: entry
    /// index, its link targets, whether it had diagnostics) and forgets entries no
    /// longer in the catalogue.
    pub(crate) fn keep(
        &mut self,
        catalogue: &Catalogue,
        prepared: &[Arc<Prepared>],
        fresh: Vec<(usize, Vec<PathBuf>, bool)>,
        url_of: &(dyn Fn(&Path) -> Option<String> + Sync),
    ) {
        if !self.enabled {
            return;
        }
        for (i, links, had_diagnostics) in fresh {
            let e = &catalogue.entries[i];
            if had_diagnostics {
                self.entries.remove(e.path.as_os_str());
                continue;
            }
            let links = links
                .into_iter()
                .map(|p| {
                    let url = url_of(&p);
                    (p, url)
                })
                .collect();
            self.entries.insert(
                e.path.as_os_str().to_owned(),
                Kept {
                    hash: e.hash,
                    links,
                    prepared: Arc::clone(&prepared[i]),
                },
            );
        }
        if self.entries.len() > catalogue.entries.len() {
            let present: HashSet<&OsStr> = catalogue
                .entries
                .iter()
                .map(|e| e.path.as_os_str())
                .collect();
            self.entries.retain(|p, _| present.contains(p.as_os_str()));
        }
    }

    /// The related entries of `catalogue`, computed again only when the lists they
    /// come from changed.
    pub(crate) fn related(
        &mut self,
        catalogue: &Catalogue,
        compute: impl FnOnce() -> Vec<Vec<usize>>,
    ) -> Arc<Vec<Vec<usize>>> {
        if !self.enabled {
            return Arc::new(compute());
        }
        let print = related_inputs(catalogue);
        if let Some((p, related)) = &self.related
            && *p == print
        {
            return Arc::clone(related);
        }
        let related = Arc::new(compute());
        self.related = Some((print, Arc::clone(&related)));
        related
    }
}

/// A hash of what related entries are computed from: the topic and region lists
/// and each entry's own regions.
fn related_inputs(cat: &Catalogue) -> u64 {
    let mut h = DefaultHasher::new();
    for (_, list) in &cat.topics {
        list.hash(&mut h);
    }
    for (key, idx) in &cat.regions {
        key.hash(&mut h);
        idx.entries.hash(&mut h);
    }
    for e in &cat.entries {
        e.regions.len().hash(&mut h);
        for r in &e.regions {
            r.key.hash(&mut h);
        }
    }
    h.finish()
}
