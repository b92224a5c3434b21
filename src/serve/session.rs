//! A serve session: the pipeline of a build, run again and again on the same site,
//! keeping what did not change.
//!
//! Between rebuilds the session keeps the list of entry files, every loaded entry
//! (with the file's size and modification time), the catalogue, each entry's
//! prepared body, card and view (see [`crate::render::RenderCache`]) and open-data
//! rows (see [`crate::opendata::rows::RowCache`]), the theme, the page files, a
//! fingerprint per page and the hash of every file it wrote. A rebuild told which
//! paths changed reads only those entry files, parses only changed files, renders
//! only pages whose fingerprint changed, writes only files whose bytes changed and
//! deletes files that are no longer produced. The output is byte for byte what
//! `praxis build` writes for the same site.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::{self, Entry};
use crate::regions::Gazetteer;
use crate::{catalogue, import, render, search};

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Problems that stopped the rebuild; the previous output stays.
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub rendered: usize,
    pub written: usize,
    pub deleted: usize,
    pub millis: u128,
    /// Time taken by each stage, in order (the stages a failed rebuild reached).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each stage of a rebuild took.
struct Laps {
    since: Instant,
}

impl Laps {
    fn start() -> Self {
        Laps {
            since: Instant::now(),
        }
    }

    /// Ends the stage `name` (started by the previous lap) and starts the next.
    fn lap(&mut self, out: &mut Outcome, name: &'static str) {
        let now = Instant::now();
        out.timings.push((name, now - self.since));
        self.since = now;
    }
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

struct Cached {
    modified: Option<SystemTime>,
    len: u64,
    result: Result<Arc<Entry>, Vec<Diagnostic>>,
}

/// The entry files of the last rebuild and the paths changed since.
#[derive(Default)]
struct Listing {
    /// Entry files in the order a walk of content/ gives, and the walk's warnings.
    files: Option<(Vec<PathBuf>, Vec<Diagnostic>)>,
    /// Paths reported changed since the files were listed; None: unknown.
    changed: Option<Vec<PathBuf>>,
}

impl Listing {
    /// Whether something under `dir` may have changed since the last listing.
    fn may_have_changed(&self, dir: &Path) -> bool {
        self.changed
            .as_ref()
            .is_none_or(|paths| paths.iter().any(|p| p.starts_with(dir)))
    }

    /// The entry files, the ones that may have changed (None: any of them) and the
    /// listing's warnings. Walks content/ unless the changes are known to be
    /// plain entry files.
    fn files(&mut self, root: &Path) -> (Vec<PathBuf>, Option<HashSet<PathBuf>>, Vec<Diagnostic>) {
        let content = root.join("content");
        // watchers report absolute paths; a relative root would never match them
        if let (Some((files, warnings)), Some(changed)) = (&mut self.files, &self.changed)
            && root.is_absolute()
            && apply_changes(&content, files, changed)
        {
            let changed = changed.iter().cloned().collect();
            let out = (files.clone(), Some(changed), warnings.clone());
            self.changed = Some(Vec::new());
            return out;
        }
        let mut warnings = Vec::new();
        let files = load::entry_files(root, &mut warnings);
        self.files = Some((files.clone(), warnings.clone()));
        self.changed = Some(Vec::new());
        (files, None, warnings)
    }
}

/// Brings `files` (sorted as [`load::entry_files`] lists them) up to date with the
/// changed paths; false when only a new walk can tell (a folder or a link changed).
fn apply_changes(content: &Path, files: &mut Vec<PathBuf>, changed: &[PathBuf]) -> bool {
    for path in changed {
        let Ok(rel) = path.strip_prefix(content) else {
            continue;
        };
        let meta = std::fs::symlink_metadata(path).ok();
        let is_entry_name = path.extension().is_some_and(|x| x == "md");
        match &meta {
            Some(m) if m.file_type().is_symlink() || m.is_dir() => return false,
            Some(m) if m.is_file() && is_entry_name => {
                if listed(rel)
                    && let Err(at) = files.binary_search(path)
                {
                    files.insert(at, path.clone());
                }
            }
            Some(_) => {}
            None => match files.binary_search(path) {
                Ok(i) => {
                    files.remove(i);
                }
                // a removed folder holding listed files
                Err(i) if files.get(i).is_some_and(|f| f.starts_with(path)) => return false,
                Err(_) => {}
            },
        }
    }
    true
}

/// Whether a walk lists the file at `rel` (relative to content/): not hidden, not
/// in the legal pages folder.
fn listed(rel: &Path) -> bool {
    let names: Vec<_> = rel.components().collect();
    let hidden = names
        .iter()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let pages = names.len() > 1 && names[0].as_os_str() == load::PAGES_DIR;
    let plain = names
        .iter()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    !hidden && !pages && plain
}

/// The pages of this rebuild and their files: the last rebuild's when the
/// pages are the same (same jobs, same entry slugs and legal pages).
fn plan_pages(
    renderer: &render::Renderer,
    cat: &catalogue::Catalogue,
    jobs: Vec<render::Job>,
    last: Option<&(Arc<PagePlan>, HashSet<String>)>,
) -> Arc<PagePlan> {
    let legal: Vec<String> = jobs
        .iter()
        .filter(|j| matches!(j, render::Job::Legal(_)))
        .map(|j| renderer.output_path(j))
        .collect();
    if let Some((last, _)) = last
        && last.jobs == jobs
        && last.legal == legal
        && last.slugs.iter().eq(cat.entries.iter().map(|e| &e.slug))
    {
        return Arc::clone(last);
    }
    let files: Vec<String> = jobs.par_iter().map(|j| renderer.output_path(j)).collect();
    Arc::new(PagePlan {
        set: files.iter().cloned().collect(),
        files,
        slugs: cat.entries.iter().map(|e| e.slug.clone()).collect(),
        legal,
        jobs,
    })
}

/// Every page of a rebuild and the file each is written to.
struct PagePlan {
    jobs: Vec<render::Job>,
    /// The file of each job.
    files: Vec<String>,
    set: HashSet<String>,
    /// What the files depend on besides the jobs.
    slugs: Vec<String>,
    legal: Vec<String>,
}

/// The catalogue of the last good rebuild and the entries it was made of.
struct LastIndex {
    /// As loaded, in file order.
    loaded: Vec<Arc<Entry>>,
    catalogue: catalogue::Catalogue,
    diagnostics: Vec<Diagnostic>,
}

/// State kept between rebuilds.
pub struct Session {
    root: PathBuf,
    output: PathBuf,
    /// site.toml's bytes of the last rebuild; entries are checked against it.
    config_text: Option<Vec<u8>>,
    /// Entry file (relative to the root) → what loading it gave.
    entries: HashMap<OsString, Cached>,
    prepared: render::RenderCache,
    /// Rows of the open-data exports by entry.
    rows: crate::opendata::rows::RowCache,
    /// Page file → fingerprint of what it was rendered from.
    fingerprints: HashMap<String, u64>,
    /// Output file (relative, `/`) → hash of its bytes.
    written: HashMap<String, u64>,
    search: SearchState,
    index: Option<LastIndex>,
    listing: Listing,
    /// The pages and the other files of the last good rebuild.
    plan: Option<(Arc<PagePlan>, HashSet<String>)>,
    /// The theme of the last good rebuild, kept while nothing changed under
    /// themes/ or templates/.
    theme: Option<Arc<render::Theme>>,
    /// Called once a rebuild has written the pages and static files, before the
    /// exports and the search bundle: what a browser reloads is in place then.
    on_pages: Option<Box<dyn FnMut() + Send>>,
    /// Serve-only pages (review), when asked for with [`Session::with_review`].
    overlay: Option<super::overlay::Overlay>,
    /// Entries with fields under review after the last good rebuild.
    open_reviews: usize,
}

impl Session {
    pub fn new(root: &Path, output: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            config_text: None,
            entries: HashMap::new(),
            prepared: render::RenderCache::enabled(),
            rows: crate::opendata::rows::RowCache::enabled(),
            fingerprints: HashMap::new(),
            written: HashMap::new(),
            search: SearchState::default(),
            index: None,
            listing: Listing::default(),
            plan: None,
            theme: None,
            on_pages: None,
            overlay: None,
            open_reviews: 0,
        }
    }

    /// Also writes the review page and entry pages with their fields under review
    /// highlighted into `dir`, apart from the site (see [`super::overlay`]).
    pub fn with_review(mut self, dir: &Path) -> Session {
        self.overlay = Some(super::overlay::Overlay::new(&self.root, dir));
        self
    }

    /// How many entries had fields under review at the last good rebuild (counted
    /// only with [`Session::with_review`]).
    pub fn open_reviews(&self) -> usize {
        self.open_reviews
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Has `f` called during each rebuild once the pages and static files are
    /// written; the exports (open data, feeds, search bundle) follow. A rebuild that
    /// fails before that point does not call it.
    pub fn on_pages_written(&mut self, f: impl FnMut() + Send + 'static) {
        self.on_pages = Some(Box::new(f));
    }

    /// Rebuilds after whatever changed on disk.
    pub fn rebuild(&mut self) -> Outcome {
        self.listing.changed = None;
        self.rebuild_known()
    }

    /// Rebuilds after changes to `changed` (absolute paths, as a file watcher
    /// reports them): entry files not among them are taken as unchanged, so content/
    /// is not listed and stated again.
    pub fn rebuild_after(&mut self, changed: &[PathBuf]) -> Outcome {
        if let Some(pending) = &mut self.listing.changed {
            pending.extend(changed.iter().cloned());
        }
        self.rebuild_known()
    }

    fn rebuild_known(&mut self) -> Outcome {
        let start = Instant::now();
        let mut outcome = self.run();
        outcome.millis = start.elapsed().as_millis();
        outcome
    }

    fn run(&mut self) -> Outcome {
        let mut out = Outcome::default();
        let mut laps = Laps::start();
        // taken: a rebuild that fails part way leaves no plan to trust
        let mut last_plan = self.plan.take();
        let mut last_theme = self.theme.take();
        let fail = |mut out: Outcome, d: Vec<Diagnostic>| {
            out.errors = d;
            out
        };
        let config = match Config::load(&self.root) {
            Ok(c) => c,
            Err(d) => return fail(out, d),
        };
        let config_text = std::fs::read(self.root.join(crate::config::FILE_NAME)).ok();
        if config_text != self.config_text {
            // entries are checked against the vocabulary: check them all again
            self.entries.clear();
            self.fingerprints.clear();
            self.search = SearchState::default();
            self.prepared = render::RenderCache::enabled();
            self.rows = crate::opendata::rows::RowCache::enabled();
            self.index = None;
            // topic slugs name files; the theme and language are settings
            last_plan = None;
            last_theme = None;
            self.config_text = config_text;
        }
        let _lock = match crate::write::BuildLock::acquire(&self.root) {
            Ok(l) => l,
            Err(d) => return fail(out, vec![d]),
        };
        laps.lap(&mut out, "settings");
        if self.root.join("seeds").is_dir() {
            let opts = import::Options {
                seeds: self.root.join("seeds"),
                content: self.root.join("content"),
                force: false,
                only_new: true,
                progress: false,
            };
            match import::run(&self.root, &config, &opts) {
                Ok(report) => out.warnings.extend(report.diagnostics),
                Err(d) => return fail(out, d),
            }
            laps.lap(&mut out, "import");
        }
        // templates and UI strings live in themes/ and templates/
        let theme_touched = !self.root.is_absolute()
            || ["themes", "templates"]
                .iter()
                .any(|dir| self.listing.may_have_changed(&self.root.join(dir)));
        let gazetteer = Gazetteer::get();
        let (entries, mut diags) = self.load(&config, gazetteer);
        laps.lap(&mut out, "load");
        let (cat, cat_diags) = match self.index.take() {
            Some(last) => match catalogue::update(&last.catalogue, &last.loaded, &entries) {
                Some(cat) => (cat, last.diagnostics),
                None => catalogue::build(entries.clone(), &config, gazetteer),
            },
            None => catalogue::build(entries.clone(), &config, gazetteer),
        };
        diags.extend(cat_diags.iter().cloned());
        laps.lap(&mut out, "index");
        let theme = match last_theme {
            Some(t) if !theme_touched => t,
            _ => match render::Theme::load(&self.root, &config) {
                Ok(t) => Arc::new(t),
                Err(d) => return fail(out, d),
            },
        };
        let (mut renderer, link_diags) = render::Renderer::with_cache(
            &config,
            &cat,
            &theme,
            gazetteer,
            config.base_url.clone(),
            &mut self.prepared,
        );
        diags.extend(link_diags);
        let (legal_pages, page_diags) = crate::pages::load(&self.root, &config);
        diags.extend(page_diags);
        diags.extend(renderer.add_legal_pages(legal_pages));
        laps.lap(&mut out, "prepare");
        if diags.iter().any(Diagnostic::is_error) {
            diags.retain(Diagnostic::is_error);
            return fail(out, diags);
        }
        out.warnings.extend(diags);

        // render the pages whose inputs changed
        let jobs = renderer.jobs();
        out.pages = jobs.len();
        let plan = plan_pages(&renderer, &cat, jobs, last_plan.as_ref());
        let templates = theme.print;
        let prints: Vec<u64> = plan
            .jobs
            .par_iter()
            .map(|job| renderer.page_print(job) ^ templates)
            .collect();
        laps.lap(&mut out, "fingerprint");
        // everything the output holds besides pages
        let mut extra: Vec<(String, Vec<u8>)> = Vec::new();
        for dir in &theme.static_dirs {
            if let Err(d) = collect_static(dir, &mut extra) {
                return fail(out, vec![d]);
            }
        }
        // as in a build, pages replace static files of the same name
        extra.retain(|(f, _)| !plan.set.contains(f));

        // The open data and the search index need no page's HTML: both are made
        // while the pages render, as in a build. The pages and static files are
        // written as soon as they are rendered, and the browser told to reload,
        // while the exports are still being made.
        let search_on = config.search;
        let language = crate::search::Language::from_code(&config.language);
        let output = self.output.clone();
        let fingerprints = &self.fingerprints;
        let written = &mut self.written;
        let on_pages = &mut self.on_pages;
        let overlay = &mut self.overlay;
        let rows = &mut self.rows;
        let search = &mut self.search;
        let static_names: Vec<String> = extra.iter().map(|(f, _)| f.clone()).collect();
        let (pages, (after, search_files)) = rayon::join(
            || {
                let start = Instant::now();
                let rendered = plan
                    .jobs
                    .par_iter()
                    .zip(&plan.files)
                    .zip(&prints)
                    .map(|((job, file), print)| {
                        if fingerprints.get(file) == Some(print) && written.contains_key(file) {
                            return Ok(None);
                        }
                        renderer.render(job).map(|o| Some((o, *print)))
                    })
                    .collect::<Vec<Result<Option<(render::Output, u64)>, Diagnostic>>>();
                let mut pages = Vec::new();
                let mut errors = Vec::new();
                for r in rendered {
                    match r {
                        Ok(Some(p)) => pages.push(p),
                        Ok(None) => {}
                        Err(d) => errors.push(d),
                    }
                }
                let rendered_in = start.elapsed();
                if !errors.is_empty() {
                    return PagesWritten {
                        rendered: 0,
                        prints: Vec::new(),
                        written: Ok(0),
                        rendered_in,
                        written_in: std::time::Duration::ZERO,
                        errors,
                        reviewed: None,
                    };
                }
                let prints: Vec<(String, u64)> = pages
                    .iter()
                    .map(|(p, print)| (p.path.clone(), *print))
                    .collect();
                let count = pages.len();
                let files = extra
                    .into_iter()
                    .chain(pages.into_iter().map(|(p, _)| (p.path, p.bytes)));
                let result = write_files(&output, written, files);
                // the serve-only pages before the reload, so it shows them current
                let reviewed = overlay
                    .as_mut()
                    .filter(|_| result.is_ok())
                    .map(|o| o.update(&renderer, &cat));
                if result.is_ok()
                    && let Some(f) = on_pages
                {
                    f();
                }
                PagesWritten {
                    rendered: count,
                    prints,
                    written: result,
                    rendered_in,
                    written_in: start.elapsed() - rendered_in,
                    errors: Vec::new(),
                    reviewed,
                }
            },
            || {
                let made = std::sync::Mutex::new(Vec::new());
                let after = crate::data_files(
                    &config,
                    &cat,
                    gazetteer,
                    &renderer,
                    &plan.files,
                    rows,
                    &|path, bytes| {
                        made.lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push((path, bytes));
                        Ok(())
                    },
                )
                .map(|()| {
                    // feeds arrive in the order their threads finish
                    let mut files = made
                        .into_inner()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    files.sort_by(|a, b| a.0.cmp(&b.0));
                    files
                });
                let search = search_on.then(|| search.update(&cat, &renderer, gazetteer, language));
                (after, search)
            },
        );
        let mut errors = pages.errors;
        if !errors.is_empty() {
            // the index moved on to files that are not written: start it afresh
            self.search = SearchState::default();
            errors.dedup_by(|a, b| a.message == b.message);
            errors.truncate(20);
            return fail(out, errors);
        }
        out.rendered = pages.rendered;
        if let Some((problems, open)) = pages.reviewed {
            out.warnings.extend(problems);
            self.open_reviews = open;
        }
        match pages.written {
            Ok(written) => out.written = written,
            Err(d) => {
                self.search = SearchState::default();
                return fail(out, vec![d]);
            }
        }
        let after = match after {
            Ok(files) => files,
            Err(d) => {
                self.search = SearchState::default();
                return fail(out, vec![d]);
            }
        };
        // the pages' share of the stage, then the stage: the exports alongside
        out.timings.push(("  render pages", pages.rendered_in));
        out.timings.push(("  write pages", pages.written_in));
        laps.lap(&mut out, "pages | open data, search");

        // the files besides pages, to tell what is no longer produced
        let mut others: HashSet<String> = static_names.into_iter().collect();
        others.extend(after.iter().map(|(f, _)| f.clone()));
        let fingerprints = pages.prints;
        // exports replace static files of the same name, as in a build (such a
        // file is written twice per rebuild, the export last)
        match self.write(after.into_iter()) {
            Ok(written) => out.written += written,
            Err(d) => {
                self.search = SearchState::default();
                return fail(out, vec![d]);
            }
        }
        laps.lap(&mut out, "write exports");
        if let Some(files) = search_files {
            others.extend(self.search.file_names());
            match self.write(files.into_iter()) {
                Ok(n) => out.written += n,
                Err(d) => {
                    self.search = SearchState::default();
                    return fail(out, vec![d]);
                }
            }
            laps.lap(&mut out, "search files");
        } else {
            self.search = SearchState::default();
        }
        // the same pages and other files as last time: nothing to delete
        let same_files = last_plan
            .as_ref()
            .is_some_and(|(last, last_others)| Arc::ptr_eq(last, &plan) && *last_others == others);
        if !same_files {
            let kept = |f: &str| plan.set.contains(f) || others.contains(f);
            out.deleted = self.delete_missing(&kept);
            self.fingerprints.retain(|f, _| kept(f));
        }
        self.fingerprints.extend(fingerprints);
        self.plan = Some((plan, others));
        self.theme = Some(Arc::clone(&theme));
        drop(renderer);
        self.index = Some(LastIndex {
            loaded: entries,
            catalogue: cat,
            diagnostics: cat_diags,
        });
        laps.lap(&mut out, "delete");
        out
    }

    /// Loads entries, parsing only files that changed since the last rebuild.
    fn load(
        &mut self,
        config: &Config,
        gazetteer: &'static Gazetteer,
    ) -> (Vec<Arc<Entry>>, Vec<Diagnostic>) {
        let (files, changed, mut diags) = self.listing.files(&self.root);
        let root = self.root.clone();
        let kept = &self.entries;
        // (file, modification time, size, whether the kept result still holds)
        let checked: Vec<(PathBuf, Option<SystemTime>, u64, bool)> = files
            .par_iter()
            .map(|f| {
                let rel = load::relative(&root, f);
                let old = kept.get(rel.as_os_str());
                if let (Some(c), Some(changed)) = (old, &changed)
                    && !changed.contains(f)
                {
                    return (rel, c.modified, c.len, true);
                }
                let meta = std::fs::metadata(f).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                let len = meta.map_or(0, |m| m.len());
                let unchanged = old
                    .is_some_and(|c| modified.is_some() && c.modified == modified && c.len == len);
                (rel, modified, len, unchanged)
            })
            .collect();
        let fresh: Vec<(OsString, Cached)> = checked
            .par_iter()
            .filter(|(_, _, _, unchanged)| !unchanged)
            .map(|(rel, modified, len, _)| {
                let result = load::read_entry_bytes(&root.join(rel), rel)
                    .and_then(|bytes| load::parse_entry(&bytes, rel, config, gazetteer))
                    .map(|mut e| {
                        // the feeds' summary, made once per change instead of per rebuild
                        if config.feeds && e.summary.is_none() {
                            e.lead = Some(crate::opendata::feeds::lead_text(&e.body));
                        }
                        Arc::new(e)
                    });
                let cached = Cached {
                    modified: *modified,
                    len: *len,
                    result,
                };
                (rel.as_os_str().to_owned(), cached)
            })
            .collect();
        self.entries.extend(fresh);
        // every present file is kept now: more kept means some were removed
        if self.entries.len() > checked.len() {
            let present: HashSet<&OsStr> = checked.iter().map(|c| c.0.as_os_str()).collect();
            self.entries
                .retain(|rel, _| present.contains(rel.as_os_str()));
        }
        let mut entries = Vec::with_capacity(checked.len());
        for (rel, _, _, _) in &checked {
            match self.entries.get(rel.as_os_str()).map(|c| &c.result) {
                Some(Ok(e)) => entries.push(Arc::clone(e)),
                Some(Err(d)) => diags.extend(d.iter().cloned()),
                None => {}
            }
        }
        (entries, diags)
    }

    /// Writes files whose bytes changed (each through a temporary file and a rename,
    /// so the server never sends half a page) and deletes files not in `keep`.
    fn write(
        &mut self,
        files: impl Iterator<Item = (String, Vec<u8>)>,
    ) -> Result<usize, Diagnostic> {
        write_files(&self.output, &mut self.written, files)
    }

    /// Deletes written files that are not to be kept; returns how many.
    fn delete_missing(&mut self, kept: &dyn Fn(&str) -> bool) -> usize {
        let gone: Vec<String> = self.written.keys().filter(|p| !kept(p)).cloned().collect();
        for rel in &gone {
            let path = self.output.join(rel);
            let _ = std::fs::remove_file(&path);
            // drop folders left empty (`praxis/slug/`), never the output itself
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == self.output || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
            self.written.remove(rel);
        }
        gone.len()
    }
}

/// The search index of the last rebuild and each entry's document, so an edit
/// re-indexes only the edited entries and rewrites only the files they touch.
#[derive(Default)]
struct SearchState {
    index: Option<search::Index>,
    /// Entry file → (hash of its bytes, its document).
    documents: HashMap<PathBuf, (u64, Arc<search::Document>)>,
}

impl SearchState {
    /// Brings the index up to date with `cat`; returns the files that may have
    /// changed (all of them when entries were added, removed or reordered).
    fn update(
        &mut self,
        cat: &catalogue::Catalogue,
        renderer: &render::Renderer,
        gazetteer: &Gazetteer,
        language: search::Language,
    ) -> Vec<(String, Vec<u8>)> {
        let cached = &self.documents;
        let docs: Vec<Arc<search::Document>> = cat
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| match cached.get(&e.path) {
                Some((hash, doc)) if *hash == e.hash => Arc::clone(doc),
                _ => {
                    let html = renderer.body_html(i);
                    let summary = search::summary(e, html);
                    Arc::new(search::document(e, html, &summary, gazetteer, language))
                }
            })
            .collect();
        self.documents = cat
            .entries
            .iter()
            .zip(&docs)
            .map(|(e, d)| (e.path.clone(), (e.hash, Arc::clone(d))))
            .collect();
        if let Some(index) = &mut self.index
            && index.documents().len() == docs.len()
            && index
                .documents()
                .iter()
                .zip(&docs)
                .all(|(old, new)| old.url == new.url)
        {
            let changed: Vec<(usize, Arc<search::Document>)> = docs
                .into_iter()
                .enumerate()
                .filter(|(i, d)| !Arc::ptr_eq(&index.documents()[*i], d))
                .collect();
            return changed
                .into_iter()
                .flat_map(|(i, d)| index.replace(i, d))
                .collect();
        }
        let index = search::Index::build(docs, language);
        let files = index.files();
        self.index = Some(index);
        files
    }

    fn file_names(&self) -> Vec<String> {
        self.index
            .as_ref()
            .map(search::Index::file_names)
            .unwrap_or_default()
    }
}

/// What the page half of a rebuild did: rendered and wrote the pages, or found
/// errors and wrote nothing.
struct PagesWritten {
    rendered: usize,
    /// Page file → fingerprint, for the pages rendered.
    prints: Vec<(String, u64)>,
    /// How many files were written; `Ok(0)` when errors stopped the writing.
    written: Result<usize, Diagnostic>,
    rendered_in: std::time::Duration,
    written_in: std::time::Duration,
    errors: Vec<Diagnostic>,
    /// The serve-only pages' problems and the number of entries under review.
    reviewed: Option<(Vec<Diagnostic>, usize)>,
}

/// Writes the files whose bytes differ from what `written` (output file → hash)
/// says was written last; returns how many were written.
fn write_files(
    output: &Path,
    written: &mut HashMap<String, u64>,
    files: impl Iterator<Item = (String, Vec<u8>)>,
) -> Result<usize, Diagnostic> {
    // later files of the same name win, as in a build
    let mut files: Vec<(String, Vec<u8>)> = files.collect();
    let mut seen = HashSet::new();
    files.reverse();
    files.retain(|(p, _)| seen.insert(p.clone()));
    let hashed: Vec<(String, u64, Vec<u8>)> = files
        .into_par_iter()
        .map(|(p, b)| {
            // tens of megabytes per rebuild (feeds, catalogue.json): a fast hash
            let h = xxhash_rust::xxh3::xxh3_64(&b);
            (p, h, b)
        })
        .filter(|(p, h, _)| written.get(p) != Some(h))
        .collect();
    hashed
        .par_iter()
        .try_for_each(|(rel, _, bytes)| write_atomic(output, rel, bytes))?;
    let count = hashed.len();
    for (p, h, _) in hashed {
        written.insert(p, h);
    }
    Ok(count)
}

pub(super) fn write_atomic(output: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let p = Path::new(rel);
    if p.components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Diagnostic::error(
            rel,
            "refusing to write outside the output folder",
        ));
    }
    let path = output.join(p);
    let io = |path: &Path, e: std::io::Error| {
        Diagnostic::error(path, format!("cannot write: {e}"))
            .hint("check that the temporary folder is writable and not full")
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.praxis-tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))
}

/// Files of a static folder as (relative path, bytes); later folders win when the
/// caller writes them in order.
fn collect_static(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    for item in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let item = item.map_err(|e| Diagnostic::error(dir, format!("cannot read: {e}")))?;
        if !item.file_type().is_file() {
            continue;
        }
        let rel = item
            .path()
            .strip_prefix(dir)
            .unwrap_or(item.path())
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(item.path())
            .map_err(|e| Diagnostic::error(item.path(), format!("cannot read: {e}")))?;
        out.retain(|(p, _)| *p != rel);
        out.push((rel, bytes));
    }
    Ok(())
}
