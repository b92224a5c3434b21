//! Rendered bodies, kept between rebuilds of a serve session.
//!
//! A body's HTML depends on its text, its file (relative links), the base URL and
//! the addresses of the entries it links to. A cached body is reused when the first
//! three are unchanged and every linked entry still has the address it had; bodies
//! with diagnostics are always rendered again, so their messages are never lost.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::markdown::{self, Rendered};

struct Body {
    hash: u64,
    root: String,
    index: &'static str,
    html: String,
    /// Linked entry files and the address each had.
    links: Vec<(PathBuf, Option<String>)>,
}

/// Bodies by entry file. The default cache keeps nothing (a one-off build has no
/// use for it); [`BodyCache::enabled`] keeps bodies for the next rebuild.
#[derive(Default)]
pub struct BodyCache {
    enabled: bool,
    bodies: HashMap<PathBuf, Body>,
}

impl BodyCache {
    pub fn enabled() -> Self {
        BodyCache {
            enabled: true,
            bodies: HashMap::new(),
        }
    }

    /// Renders the catalogue's bodies in entry order, reusing what is still valid.
    pub(crate) fn render(
        &mut self,
        catalogue: &Catalogue,
        root: &str,
        index: &'static str,
        url_of: &(dyn Fn(&Path) -> Option<String> + Sync),
        is_draft: &(dyn Fn(&Path) -> bool + Sync),
    ) -> Vec<Rendered> {
        let cache = &self.bodies;
        let rendered: Vec<(Rendered, bool)> = catalogue
            .entries
            .par_iter()
            .map(|e| {
                if let Some(b) = cache.get(&e.path)
                    && b.hash == e.hash
                    && b.root == root
                    && b.index == index
                    && b.links.iter().all(|(p, url)| url_of(p) == *url)
                {
                    let r = Rendered {
                        html: b.html.clone(),
                        links: b.links.iter().map(|(p, _)| p.clone()).collect(),
                        ..Rendered::default()
                    };
                    return (r, false);
                }
                let ctx = markdown::LinkContext {
                    path: &e.path,
                    body_line: e.body_line,
                    body: &e.body,
                    root,
                    index,
                };
                (markdown::render(&ctx, url_of, is_draft), true)
            })
            .collect();
        if !self.enabled {
            return rendered.into_iter().map(|(r, _)| r).collect();
        }
        let mut present = std::collections::HashSet::with_capacity(rendered.len());
        for (e, (r, fresh)) in catalogue.entries.iter().zip(&rendered) {
            present.insert(&e.path);
            if !*fresh {
                continue;
            }
            if r.diagnostics.is_empty() {
                self.bodies.insert(
                    e.path.clone(),
                    Body {
                        hash: e.hash,
                        root: root.to_string(),
                        index,
                        html: r.html.clone(),
                        links: r.links.iter().map(|p| (p.clone(), url_of(p))).collect(),
                    },
                );
            } else {
                self.bodies.remove(&e.path);
            }
        }
        self.bodies.retain(|p, _| present.contains(p));
        rendered.into_iter().map(|(r, _)| r).collect()
    }
}
