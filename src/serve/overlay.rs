//! Pages serve shows on top of the built site: the review page and, for entries
//! with fields under review, their pages with those fields highlighted and the
//! evidence beside them.
//!
//! They are written to a folder of their own, which the server looks in first, so
//! the site folder stays what `praxis build` writes. Each rebuild collects the open
//! review items afresh (an editor's change to a value or to `review` shows at once);
//! the evidence file and the seeds are read again only when they changed, and an
//! entry page is rendered again only when it or its review items changed.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::diag::Diagnostic;
use crate::import::evidence::{EVIDENCE_FILE, Store};
use crate::load::Entry;
use crate::regions::Gazetteer;
use crate::render::{Job, Renderer};
use crate::review::{self, Seeds};

type FileStamp = Option<(SystemTime, u64)>;
/// A page to write: its file, the fingerprint of its inputs and its bytes.
type Page = (String, u64, Vec<u8>);

/// The serve-only pages of a site and what was last written of them.
pub struct Overlay {
    dir: PathBuf,
    content: PathBuf,
    seeds: Seeds,
    /// The evidence file as last read, with its modification time and size.
    store: Option<(FileStamp, Arc<Store>)>,
    /// File (relative, `/`) → (fingerprint of its inputs, hash of its bytes).
    written: HashMap<String, (u64, u64)>,
}

impl Overlay {
    /// Pages of the site at `root`, written under `dir`.
    pub fn new(root: &Path, dir: &Path) -> Overlay {
        Overlay {
            dir: dir.to_path_buf(),
            content: root.join("content"),
            seeds: Seeds::new(root),
            store: None,
            written: HashMap::new(),
        }
    }

    /// Brings the pages up to date with a rebuild; returns its problems (warnings:
    /// the site itself is fine) and the number of open entries.
    pub fn update(&mut self, renderer: &Renderer, cat: &Catalogue) -> (Vec<Diagnostic>, usize) {
        let mut problems = Vec::new();
        let store = self.store(&mut problems);
        let under_review: Vec<(usize, &Entry)> = cat
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.review.is_empty())
            .map(|(i, e)| (i, e.as_ref()))
            .collect();
        let entries: Vec<&Entry> = under_review.iter().map(|(_, e)| *e).collect();
        let seeds = &self.seeds;
        let open = review::collect(&entries, &store, Gazetteer::get(), &|s| seeds.lines(s));

        let written = &self.written;
        let theme = renderer.theme.print;
        let pages: Vec<Result<Option<Page>, Diagnostic>> = under_review
            .par_iter()
            .zip(&open)
            .map(|((i, _), item)| {
                let job = Job::Entry(*i);
                let file = renderer.output_path(&job);
                // the serialised item holds every value the page shows of it
                let shown = serde_json::to_string(item).unwrap_or_default();
                let print = fingerprint(&(renderer.page_print(&job), theme), &shown);
                if written.get(&file).is_some_and(|(p, _)| *p == print) {
                    return Ok(None);
                }
                let page = renderer.render_entry_in_review(*i, item)?;
                Ok(Some((page.path, print, page.bytes)))
            })
            .collect();
        let mut files = Vec::with_capacity(pages.len() + 1);
        let mut kept: HashSet<String> = under_review
            .iter()
            .map(|(i, _)| renderer.output_path(&Job::Entry(*i)))
            .collect();
        for page in pages {
            match page {
                Ok(Some(f)) => files.push(f),
                Ok(None) => {}
                Err(mut d) => {
                    d.severity = crate::diag::Severity::Warning;
                    problems.push(d);
                }
            }
        }
        // by file, as `check --review` lists them
        let mut listed = open.clone();
        listed.sort_by(|a, b| a.file.cmp(&b.file));
        match renderer.render_review(&listed) {
            Ok(page) => {
                kept.insert(page.path.clone());
                files.push((page.path, 0, page.bytes));
            }
            Err(mut d) => {
                d.severity = crate::diag::Severity::Warning;
                problems.push(d);
            }
        }
        for (rel, print, bytes) in files {
            let hash = fingerprint(&0, &bytes);
            if self.written.get(&rel).is_some_and(|(_, h)| *h == hash) {
                self.written.insert(rel, (print, hash));
                continue;
            }
            match super::session::write_atomic(&self.dir, &rel, &bytes) {
                Ok(()) => {
                    self.written.insert(rel, (print, hash));
                }
                Err(d) => problems.push(d),
            }
        }
        // entries no longer under review are served from the site again
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|f| !kept.contains(*f))
            .cloned()
            .collect();
        for rel in gone {
            let _ = std::fs::remove_file(self.dir.join(&rel));
            self.written.remove(&rel);
        }
        (problems, open.len())
    }

    /// The evidence store, read again when the file changed; a broken one is
    /// reported and taken as empty.
    fn store(&mut self, problems: &mut Vec<Diagnostic>) -> Arc<Store> {
        let stamp = std::fs::metadata(self.content.join(EVIDENCE_FILE))
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        if let Some((s, store)) = &self.store
            && *s == stamp
            && stamp.is_some()
        {
            return Arc::clone(store);
        }
        let store = Arc::new(Store::load(&self.content).unwrap_or_else(|mut d| {
            d.severity = crate::diag::Severity::Warning;
            problems.push(d);
            Store::default()
        }));
        self.store = Some((stamp, Arc::clone(&store)));
        store
    }
}

fn fingerprint(print: &impl Hash, item: &(impl Hash + ?Sized)) -> u64 {
    let mut h = DefaultHasher::new();
    print.hash(&mut h);
    item.hash(&mut h);
    h.finish()
}
