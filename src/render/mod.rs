//! Render: catalogue + theme → pages. Each page is a pure function of the prepared
//! views; the caller decides whether to write them (build) or drop them (check).

mod cards;
pub mod charts;
mod fingerprint;
mod jsonld;
pub mod partials;
mod pool;
mod prepared;
mod review;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use crate::catalogue::{Catalogue, RegionIndex};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::markdown;
use crate::pages::LegalPage;
use crate::regions::{Gazetteer, Level};
use pool::{ContextPool, insert_value};
use prepared::Prepared;
pub use prepared::RenderCache;
pub use review::REVIEW_PATH;
pub use theme::Theme;
use views::*;

/// Room reserved for a page's bytes: most pages of the default theme are 10–25 KB.
const PAGE_CAPACITY: usize = 24 * 1024;

/// One file of the output: its path relative to the output folder and its bytes.
#[derive(Debug)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    Home(usize),
    Entry(usize),
    Topic(usize, usize),
    Region(String, usize),
    Year(i32, usize),
    Organisation(String, usize),
    Topics,
    Regions,
    Years,
    Organisations,
    Search,
    NotFound,
    /// A legal page (Impressum, ...), by index into the loaded legal pages.
    Legal(usize),
}

/// Everything prepared once per build and shared by all pages.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub catalogue: &'a Catalogue,
    pub theme: &'a Theme,
    pub gazetteer: &'a Gazetteer,
    base_url: Option<String>,
    /// Per entry: body, card, view and card markup.
    entries: Vec<Arc<Prepared>>,
    /// Whether card markup holds the marker for `root` (see [`cards`]).
    cards_marked: bool,
    related: Arc<Vec<Vec<usize>>>,
    /// See [`region_tree`].
    region_tree: HashMap<String, Vec<String>>,
    site: Value,
    /// Legal pages and their body HTML.
    legal: Vec<(LegalPage, String)>,
    /// Contexts holding `site` and `t` already, reused page after page.
    contexts: ContextPool,
    /// Hashes for incremental rebuilds, computed on first use.
    prints: fingerprint::Prints,
}

impl<'a> Renderer<'a> {
    /// Renders every body (in parallel) and prepares the views. Broken links between
    /// entries come back as diagnostics.
    pub fn new(
        config: &'a Config,
        catalogue: &'a Catalogue,
        theme: &'a Theme,
        gazetteer: &'a Gazetteer,
        base_url: Option<String>,
    ) -> (Renderer<'a>, Vec<Diagnostic>) {
        Self::with_cache(
            config,
            catalogue,
            theme,
            gazetteer,
            base_url,
            &mut RenderCache::default(),
        )
    }

    /// [`Renderer::new`], taking unchanged entries' bodies, cards and views and
    /// unchanged related entries from `cache` (serve keeps one).
    pub fn with_cache(
        config: &'a Config,
        catalogue: &'a Catalogue,
        theme: &'a Theme,
        gazetteer: &'a Gazetteer,
        base_url: Option<String>,
        cache: &mut RenderCache,
    ) -> (Renderer<'a>, Vec<Diagnostic>) {
        let bodies = render_bodies(
            config,
            catalogue,
            theme,
            base_url.as_deref(),
            cache,
            Vec::new(),
        );
        let (entries, diags) = finish_entries(
            config,
            catalogue,
            theme,
            gazetteer,
            base_url.as_deref(),
            cache,
            bodies,
        );
        let renderer = Self::from_prepared(
            config, catalogue, theme, gazetteer, base_url, entries, cache,
        );
        (renderer, diags)
    }

    /// The renderer for entries [`finish_entries`] made from this catalogue; the
    /// entries' Markdown is not read any more.
    pub(crate) fn from_prepared(
        config: &'a Config,
        catalogue: &'a Catalogue,
        theme: &'a Theme,
        gazetteer: &'a Gazetteer,
        base_url: Option<String>,
        entries: Vec<Arc<Prepared>>,
        cache: &mut RenderCache,
    ) -> Renderer<'a> {
        let related = cache.related(catalogue, || related_entries(catalogue, gazetteer));
        let site = site_value(config, catalogue, gazetteer, &base_url);
        let contexts = ContextPool::new(&site, &theme.strings);
        // partials see what every page sees of the site, from this build
        theme.partials.begin(Some(contexts.prototype().clone()));
        Renderer {
            config,
            catalogue,
            theme,
            gazetteer,
            cards_marked: base_url.is_none(),
            base_url,
            entries,
            related,
            region_tree: region_tree(catalogue, gazetteer),
            prints: fingerprint::Prints::new(&site, theme),
            contexts,
            site,
            legal: Vec::new(),
        }
    }
}

/// The first half of preparing the entries (body, card, view, card markup, reusing
/// what `cache` still holds), and the only one reading the entries' Markdown: the
/// entries `cache` still holds, and the bodies of the others.
pub(crate) struct Bodies {
    reusable: Vec<Option<Arc<Prepared>>>,
    fresh: Vec<(usize, markdown::Rendered)>,
}

/// Whether links end in `index.html` (no base URL) and how entry pages reach the root.
fn link_style(base_url: Option<&str>) -> (String, &'static str) {
    match base_url {
        Some(b) => (b.to_string(), ""),
        None => ("../../".to_string(), "index.html"),
    }
}

/// Each entry's address, for links between entries.
fn entry_address(catalogue: &Catalogue) -> impl Fn(&Path) -> Option<String> + Sync + '_ {
    |p: &Path| {
        catalogue
            .by_path
            .get(p)
            .map(|&i| entry_path(&catalogue.entries[i].slug))
    }
}

/// See [`Bodies`]. `markdown` holds entry texts taken out of the catalogue
/// ([`Catalogue::take_bodies`]), each dropped once rendered; where it is empty or
/// has no text for an entry, the entry's own is used.
pub(crate) fn render_bodies(
    config: &Config,
    catalogue: &Catalogue,
    theme: &Theme,
    base_url: Option<&str>,
    cache: &mut RenderCache,
    mut markdown: Vec<String>,
) -> Bodies {
    // cards come before the pages: no partials from an earlier build for them
    theme.partials.begin(None);
    let (entry_root, index) = link_style(base_url);
    let drafts: std::collections::HashSet<&Path> =
        catalogue.drafts.iter().map(|p| p.as_path()).collect();
    let url_of = entry_address(catalogue);
    let is_draft = |p: &Path| drafts.contains(p);
    if cache.is_enabled() {
        let base_url = base_url.map(str::to_string);
        cache.use_settings(settings_print(config, theme, &base_url, index));
    }
    let reusable = cache.reusable(catalogue, &url_of);
    markdown.resize(reusable.len(), String::new());
    let fresh = reusable
        .par_iter()
        .zip(markdown)
        .enumerate()
        .filter(|(_, (kept, _))| kept.is_none())
        .map(|(i, (_, text))| {
            let e = &catalogue.entries[i];
            let body = if text.is_empty() { &e.body } else { &text };
            let ctx = markdown::LinkContext {
                path: &e.path,
                body_line: e.body_line,
                body,
                root: &entry_root,
                index,
            };
            (i, markdown::render(&ctx, &url_of, &is_draft))
        })
        .collect();
    Bodies { reusable, fresh }
}

/// The second half of preparing the entries: cards, views and card markup from the
/// bodies, without the entries' Markdown. Broken links come back as diagnostics.
pub(crate) fn finish_entries(
    config: &Config,
    catalogue: &Catalogue,
    theme: &Theme,
    gazetteer: &Gazetteer,
    base_url: Option<&str>,
    cache: &mut RenderCache,
    bodies: Bodies,
) -> (Vec<Arc<Prepared>>, Vec<Diagnostic>) {
    let (_, index) = link_style(base_url);
    let topic_slugs: HashMap<String, String> = config
        .topics
        .iter()
        .map(|t| (t.name.clone(), t.slug.clone()))
        .collect();
    let topic_slug = |name: &str| topic_slugs.get(name).cloned().unwrap_or_default();
    let Bodies { reusable, fresh } = bodies;
    let mut fresh: Vec<(usize, markdown::Rendered, Card, EntryView)> = fresh
        .into_par_iter()
        .map(|(i, body)| {
            let e = &catalogue.entries[i];
            let lead = markdown::first_paragraph(&body.html)
                .unwrap_or_else(|| markdown::plain_text(&body.html));
            let summary = summary_of(e, &lead);
            let c = card(e, summary, catalogue, gazetteer, &topic_slug);
            (i, body, c, entry_view(e, catalogue, gazetteer))
        })
        .collect();
    let mut diags = Vec::new();
    // (entry, link targets, whether it had diagnostics): what the cache keeps
    let mut made = Vec::with_capacity(fresh.len());
    for (i, body, _, _) in &mut fresh {
        let found = std::mem::take(&mut body.diagnostics);
        made.push((*i, std::mem::take(&mut body.links), !found.is_empty()));
        diags.extend(found);
    }
    let fresh_cards: Vec<&Card> = fresh.iter().map(|(_, _, c, _)| c).collect();
    let mut card_failed = false;
    let card_html = cards::render(&theme.tera, &theme.strings, &fresh_cards, base_url, index)
        .unwrap_or_else(|e| {
            diags.push(template_error(theme, &e, cards::TEMPLATE));
            card_failed = true;
            vec![String::new(); fresh_cards.len()]
        });
    if card_failed {
        made.iter_mut().for_each(|m| m.2 = true);
    }
    let mut entries: Vec<Option<Arc<Prepared>>> = reusable;
    for ((i, body, card, view), html) in fresh.into_iter().zip(card_html) {
        entries[i] = Some(Arc::new(Prepared::new(body, card, view, html)));
    }
    let entries: Vec<Arc<Prepared>> = entries.into_iter().flatten().collect();
    cache.keep(catalogue, &entries, made, &entry_address(catalogue));
    (entries, diags)
}

impl<'a> Renderer<'a> {
    /// Adds the legal pages: renders their bodies and lists them in `site.legal_pages`
    /// for the footer. Broken links in them come back as diagnostics.
    pub fn add_legal_pages(&mut self, pages: Vec<LegalPage>) -> Vec<Diagnostic> {
        let root = self.base_url.clone().unwrap_or_else(|| "../".to_string());
        let index = if self.base_url.is_some() {
            ""
        } else {
            "index.html"
        };
        let cat = self.catalogue;
        let url_of = |p: &Path| {
            cat.by_path
                .get(p)
                .map(|&i| entry_path(&cat.entries[i].slug))
        };
        let is_draft = |p: &Path| cat.drafts.iter().any(|d| d == p);
        let mut diags = Vec::new();
        let mut links = Vec::new();
        for page in pages {
            let ctx = markdown::LinkContext {
                path: &page.file,
                body_line: page.body_line,
                body: &page.body,
                root: &root,
                index,
            };
            let rendered = markdown::render(&ctx, &url_of, &is_draft);
            diags.extend(rendered.diagnostics);
            let html = rendered.html + &self.legal_extras(&page);
            links.push(json!({
                "kind": page.kind,
                "name": page.title,
                "path": page.kind.path(),
            }));
            self.legal.push((page, html));
        }
        if let Some(obj) = self.site.as_object_mut() {
            obj.insert("legal_pages".into(), Value::Array(links));
        }
        // every page sees the new `site`
        self.contexts = ContextPool::new(&self.site, &self.theme.strings);
        self.theme
            .partials
            .begin(Some(self.contexts.prototype().clone()));
        self.prints = fingerprint::Prints::new(&self.site, self.theme);
        diags
    }

    /// The feedback contact and enforcement procedure of the accessibility statement,
    /// as HTML after the page's own text.
    fn legal_extras(&self, page: &LegalPage) -> String {
        use theme::escape_html as esc;
        let mut html = String::new();
        if let Some(f) = &page.feedback {
            html.push_str(&format!(
                "<h2 id=\"feedback\">{}</h2>\n<p>{}</p>\n<ul class=\"contact\">\n",
                esc(&self.s("a11y_feedback", "Feedback und Kontakt")),
                esc(&self.s(
                    "a11y_feedback_text",
                    "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns:"
                ))
            ));
            if !f.name.is_empty() {
                html.push_str(&format!("<li>{}</li>\n", esc(&f.name)));
            }
            if !f.email.is_empty() {
                html.push_str(&format!(
                    "<li>{}: <a href=\"mailto:{}\">{}</a></li>\n",
                    esc(&self.s("a11y_email", "E-Mail")),
                    esc(&f.email),
                    esc(&f.email)
                ));
            }
            if !f.phone.is_empty() {
                html.push_str(&format!(
                    "<li>{}: {}</li>\n",
                    esc(&self.s("a11y_phone", "Telefon")),
                    esc(&f.phone)
                ));
            }
            if !f.url.is_empty() && !markdown::is_unsafe_scheme(&f.url) {
                html.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>\n",
                    esc(&f.url),
                    esc(&self.s("a11y_form", "Kontaktformular"))
                ));
            }
            html.push_str("</ul>\n");
        }
        if let Some(e) = &page.enforcement {
            let name = if e.name.is_empty() { &e.url } else { &e.name };
            html.push_str(&format!(
                "<h2 id=\"durchsetzungsverfahren\">{}</h2>\n<p>{} <a href=\"{}\">{}</a></p>\n",
                esc(&self.s("a11y_enforcement", "Durchsetzungsverfahren")),
                esc(&self.s(
                    "a11y_enforcement_text",
                    "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die zuständige Stelle wenden:"
                )),
                esc(&e.url),
                esc(name)
            ));
        }
        html
    }

    /// Entry `i`'s rendered body (the search index reads its text).
    pub fn body_html(&self, i: usize) -> &str {
        &self.entries[i].body
    }

    /// Whether some entry shows highlighted code.
    pub fn any_code(&self) -> bool {
        self.entries.iter().any(|e| e.has_code)
    }

    /// Every page of the site, in a fixed order.
    pub fn jobs(&self) -> Vec<Job> {
        let per = self.config.per_page;
        let pages = |n: usize| n.div_ceil(per).max(1);
        let cat = self.catalogue;
        let mut jobs = Vec::new();
        jobs.extend((1..=pages(cat.entries.len())).map(Job::Home));
        jobs.extend((0..cat.entries.len()).map(Job::Entry));
        jobs.push(Job::Topics);
        for (i, (_, list)) in cat.topics.iter().enumerate() {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Topic(i, p)));
        }
        jobs.push(Job::Regions);
        for (key, r) in &cat.regions {
            jobs.extend((1..=pages(r.entries.len())).map(|p| Job::Region(key.clone(), p)));
        }
        jobs.push(Job::Years);
        for (y, list) in &cat.years {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Year(*y, p)));
        }
        jobs.push(Job::Organisations);
        for (s, o) in &cat.organisations {
            jobs.extend((1..=pages(o.entries.len())).map(|p| Job::Organisation(s.clone(), p)));
        }
        jobs.push(Job::Search);
        jobs.push(Job::NotFound);
        jobs.extend((0..self.legal.len()).map(Job::Legal));
        jobs
    }

    /// The file a page is written to, relative to the output folder: what
    /// [`Renderer::render`] returns as its path, known without rendering.
    pub fn output_path(&self, job: &Job) -> String {
        let cat = self.catalogue;
        let path = match job {
            Job::Home(p) => page_path("", *p),
            Job::Entry(i) => entry_path(&cat.entries[*i].slug),
            Job::Topic(t, p) => page_path(&topic_path(&self.config.topics[*t].slug), *p),
            Job::Region(key, p) => page_path(&region_path(&cat.regions[key].slug), *p),
            Job::Year(y, p) => page_path(&year_path(*y), *p),
            Job::Organisation(s, p) => page_path(&org_path(s), *p),
            Job::Topics => format!("{TOPIC_DIR}/"),
            Job::Regions => format!("{REGION_DIR}/"),
            Job::Years => format!("{YEAR_DIR}/"),
            Job::Organisations => format!("{ORG_DIR}/"),
            Job::Search => format!("{SEARCH_DIR}/"),
            Job::NotFound => "404.html".to_string(),
            Job::Legal(i) => self.legal[*i].0.kind.path(),
        };
        page_file(path)
    }

    /// Renders one page.
    pub fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let (path, template, ctx) = self.context(job);
        let bytes = self
            .contexts
            .render_bytes(&self.theme.tera, template, ctx, PAGE_CAPACITY)
            .map_err(|e| template_error(self.theme, &e, template))?;
        Ok(Output {
            path: page_file(path),
            bytes,
        })
    }

    fn base_context(&self, path: &str, kind: &str, title: &str, crumbs: Vec<Link>) -> Context {
        self.base_context_with_feed(path, kind, title, crumbs, None)
    }

    /// The feed path to announce on a page, when feeds are on.
    fn feed(&self, path: String) -> Option<String> {
        self.config.feeds.then_some(path)
    }

    /// How links on the page at `path` start and end: `{{ root }}x/{{ index }}`.
    fn link_parts(&self, path: &str, kind: &str) -> (String, &'static str) {
        let depth = path.matches('/').count();
        match &self.base_url {
            Some(b) => (b.clone(), ""),
            None if kind == "404" => ("/".to_string(), ""),
            None => ("../".repeat(depth), "index.html"),
        }
    }

    fn base_context_with_feed(
        &self,
        path: &str,
        kind: &str,
        title: &str,
        crumbs: Vec<Link>,
        feed: Option<String>,
    ) -> Context {
        let (root, index) = self.link_parts(path, kind);
        let mut ctx = Context::new();
        ctx.insert("root", &root);
        ctx.insert("index", index);
        ctx.insert(
            "page",
            &PageMeta {
                kind: kind.to_string(),
                title: title.to_string(),
                path: path.to_string(),
                canonical: self.base_url.as_ref().map(|b| format!("{b}{path}")),
                breadcrumbs: crumbs,
                feed,
            },
        );
        ctx
    }

    /// The cards of page `page` of `list`, for the page at `path`, and the number of
    /// pages.
    fn page_cards(&self, list: &[usize], page: usize, path: &str) -> (Value, usize) {
        let per = self.config.per_page;
        let total = list.len().div_ceil(per).max(1);
        let items = list.iter().skip((page - 1) * per).take(per).copied();
        let (root, _) = self.link_parts(path, "");
        (self.cards_for_page(items, &root), total)
    }

    /// The card markup of entries `items` for a page whose links start with `root`.
    fn cards_for_page(&self, items: impl Iterator<Item = usize>, root: &str) -> Value {
        let html = items.filter_map(|i| self.entries.get(i).map(|e| e.card_html.as_str()));
        cards::for_page(html, self.cards_marked, root)
    }

    fn s(&self, key: &str, fallback: &str) -> String {
        self.theme
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    }

    #[allow(clippy::too_many_arguments)]
    fn list_context(
        &self,
        base: &str,
        page: usize,
        kind: &str,
        term: TermView,
        list: &[usize],
        crumbs: Vec<Link>,
        feed: Option<String>,
    ) -> (String, &'static str, Context) {
        let path = page_path(base, page);
        let (cards, total) = self.page_cards(list, page, &path);
        let mut ctx = self.base_context_with_feed(&path, kind, &term.name, crumbs, feed);
        ctx.insert("term", &term);
        insert_value(&mut ctx, "cards", cards);
        ctx.insert("paginator", &paginator(base, page, total));
        (path, "list.html", ctx)
    }

    /// The template a page is rendered with (what [`Renderer::context`] returns).
    fn template_of(&self, job: &Job) -> &'static str {
        match job {
            Job::Home(_) => "index.html",
            Job::Entry(_) => "entry.html",
            Job::Topic(..) | Job::Region(..) | Job::Year(..) | Job::Organisation(..) => "list.html",
            Job::Topics | Job::Years | Job::Organisations => "terms.html",
            Job::Regions => "regions.html",
            Job::Search => "search.html",
            Job::NotFound => "404.html",
            Job::Legal(_) => "page.html",
        }
    }

    fn context(&self, job: &Job) -> (String, &'static str, Context) {
        let cat = self.catalogue;
        let home = Link::new(self.s("home", "Start"), "");
        match job {
            Job::Home(page) => {
                let path = page_path("", *page);
                let all: Vec<usize> = (0..cat.entries.len()).collect();
                let (cards, total) = self.page_cards(&all, *page, &path);
                let feed = self.feed(crate::opendata::feeds::FEED_FILE.to_string());
                let mut ctx =
                    self.base_context_with_feed(&path, "home", &self.config.title, vec![], feed);
                insert_value(&mut ctx, "cards", cards);
                ctx.insert("paginator", &paginator("", *page, total));
                // the finder and the charts are shown on the first page only
                if *page == 1 {
                    insert_value(&mut ctx, "facets", self.facets());
                    insert_value(&mut ctx, "charts", self.charts(&path, "home"));
                }
                (path, "index.html", ctx)
            }
            Job::Entry(i) => {
                let e = &cat.entries[*i];
                let prepared = &self.entries[*i];
                let view = &prepared.view;
                let path = entry_path(&e.slug);
                let mut crumbs = vec![home];
                if let Some(r) = view.regions_full.first() {
                    crumbs.push(Link::new(
                        self.s("regions", "Regionen"),
                        format!("{REGION_DIR}/"),
                    ));
                    crumbs.extend(r.trail.iter().cloned());
                }
                let mut ctx = self.base_context(&path, "entry", &e.title, crumbs);
                let (root, _) = self.link_parts(&path, "entry");
                let related = self.cards_for_page(self.related[*i].iter().copied(), &root);
                let review: Vec<String> = e
                    .review
                    .iter()
                    .map(|f| self.s(&format!("field_{f}"), f))
                    .collect();
                ctx.insert(
                    "entry",
                    &EntryPage {
                        card: &prepared.card,
                        view,
                    },
                );
                ctx.insert("review_labels", &review);
                ctx.insert("content", &prepared.body);
                ctx.insert("has_code", &prepared.has_code);
                insert_value(&mut ctx, "related_cards", related);
                ctx.insert("jsonld", &self.json_ld(*i));
                (path, "entry.html", ctx)
            }
            Job::Topic(t, page) => {
                let topic = &self.config.topics[*t];
                let list = &cat.topics[*t].1;
                let base = topic_path(&topic.slug);
                let crumbs = vec![
                    home,
                    Link::new(self.s("topics", "Themen"), format!("{TOPIC_DIR}/")),
                ];
                let term = TermView::new("topic", &topic.name, &topic.description, list.len());
                let feed = self.feed(crate::opendata::feeds::topic_feed_path(&topic.slug));
                self.list_context(&base, *page, "topic", term, list, crumbs, feed)
            }
            Job::Region(key, page) => {
                let idx = &cat.regions[key];
                let r = idx.region;
                let base = region_path(&idx.slug);
                let mut crumbs = vec![
                    home,
                    Link::new(self.s("regions", "Regionen"), format!("{REGION_DIR}/")),
                ];
                let view = region_view(r, cat, self.gazetteer);
                let trail_len = view.trail.len();
                crumbs.extend(view.trail.into_iter().take(trail_len.saturating_sub(1)));
                let mut term = TermView::new(
                    "region",
                    &r.name,
                    &self.region_description(r),
                    idx.entries.len(),
                );
                term.key = Some(r.key.clone());
                term.level = Some(r.level);
                term.children = self.region_children(key);
                let feed = (r.level == Level::Land)
                    .then(|| crate::opendata::feeds::region_feed_path(&idx.slug))
                    .and_then(|p| self.feed(p));
                self.list_context(&base, *page, "region", term, &idx.entries, crumbs, feed)
            }
            Job::Year(y, page) => {
                let list = &cat.years[y];
                let crumbs = vec![
                    home,
                    Link::new(self.s("years", "Jahre"), format!("{YEAR_DIR}/")),
                ];
                let description = self
                    .s("year_description", "Praxisbeispiele aus dem Jahr {year}.")
                    .replace("{year}", &y.to_string());
                let term = TermView::new("year", &y.to_string(), &description, list.len());
                self.list_context(&year_path(*y), *page, "year", term, list, crumbs, None)
            }
            Job::Organisation(s, page) => {
                let o = &cat.organisations[s];
                let crumbs = vec![
                    home,
                    Link::new(
                        self.s("organisations", "Organisationen"),
                        format!("{ORG_DIR}/"),
                    ),
                ];
                let description = self
                    .s("organisation_description", "Praxisbeispiele von {name}.")
                    .replace("{name}", &o.name);
                let term = TermView::new("organisation", &o.name, &description, o.entries.len());
                self.list_context(
                    &org_path(s),
                    *page,
                    "organisation",
                    term,
                    &o.entries,
                    crumbs,
                    None,
                )
            }
            Job::Topics => {
                let path = format!("{TOPIC_DIR}/");
                let terms: Vec<TermLink> = self
                    .config
                    .topics
                    .iter()
                    .zip(&cat.topics)
                    .map(|(t, (_, list))| TermLink {
                        name: t.name.clone(),
                        path: topic_path(&t.slug),
                        count: list.len(),
                        description: t.description.clone(),
                    })
                    .collect();
                self.terms_context(path, "topics", self.s("topics", "Themen"), home, terms)
            }
            Job::Years => {
                let path = format!("{YEAR_DIR}/");
                let terms = cat
                    .years
                    .iter()
                    .rev()
                    .map(|(y, l)| TermLink {
                        name: y.to_string(),
                        path: year_path(*y),
                        count: l.len(),
                        description: String::new(),
                    })
                    .collect();
                self.terms_context(path, "years", self.s("years", "Jahre"), home, terms)
            }
            Job::Organisations => {
                let path = format!("{ORG_DIR}/");
                let mut terms: Vec<TermLink> = cat
                    .organisations
                    .values()
                    .map(|o| TermLink {
                        name: o.name.clone(),
                        path: org_path(&o.slug),
                        count: o.entries.len(),
                        description: String::new(),
                    })
                    .collect();
                terms.sort_by(|a, b| {
                    a.name
                        .to_lowercase()
                        .cmp(&b.name.to_lowercase())
                        .then(a.name.cmp(&b.name))
                });
                let title = self.s("organisations", "Organisationen");
                self.terms_context(path, "organisations", title, home, terms)
            }
            Job::Regions => {
                let path = format!("{REGION_DIR}/");
                let title = self.s("regions", "Regionen");
                let mut ctx = self.base_context(&path, "regions", &title, vec![home]);
                let tree: Vec<RegionNode> = self
                    .lands_and_national()
                    .into_iter()
                    .map(|k| self.region_node(&k, 0))
                    .collect();
                ctx.insert("tree", &tree);
                ctx.insert("charts", &self.charts(&path, "regions"));
                (path, "regions.html", ctx)
            }
            Job::Search => {
                let path = format!("{SEARCH_DIR}/");
                let title = self.s("search", "Suche");
                (
                    path.clone(),
                    "search.html",
                    self.base_context(&path, "search", &title, vec![home]),
                )
            }
            Job::Legal(i) => {
                let (page, html) = &self.legal[*i];
                let path = page.kind.path();
                let mut ctx = self.base_context(&path, "page", &page.title, vec![home]);
                ctx.insert("content", html);
                ctx.insert(
                    "legal",
                    &json!({
                        "kind": page.kind,
                        "feedback": page.feedback,
                        "enforcement": page.enforcement,
                    }),
                );
                (path, "page.html", ctx)
            }
            Job::NotFound => {
                let title = self.s("not_found", "Seite nicht gefunden");
                (
                    "404.html".to_string(),
                    "404.html",
                    self.base_context("", "404", &title, vec![home]),
                )
            }
        }
    }

    fn terms_context(
        &self,
        path: String,
        kind: &str,
        title: String,
        home: Link,
        terms: Vec<TermLink>,
    ) -> (String, &'static str, Context) {
        let mut ctx = self.base_context(&path, kind, &title, vec![home]);
        ctx.insert("terms", &terms);
        (path, "terms.html", ctx)
    }

    fn region_description(&self, r: &crate::regions::Region) -> String {
        let level = match r.level {
            Level::Staat => return self.s("region_national", "Bundesweite Praxisbeispiele"),
            Level::Land => self.s("level_land", "Land"),
            Level::Regierungsbezirk => self.s("level_regierungsbezirk", "Regierungsbezirk"),
            Level::Kreis => self.s("level_kreis", "Kreis oder kreisfreie Stadt"),
            Level::Gemeindeverband => self.s("level_gemeindeverband", "Gemeindeverband"),
            Level::Gemeinde => self.s("level_gemeinde", "Gemeinde"),
            Level::Bezirk => self.s("level_bezirk", "Bezirk"),
        };
        let land = self
            .gazetteer
            .land_of(r)
            .filter(|l| l.key != r.key)
            .map(|l| format!(" {} {}", self.s("in", "in"), l.name))
            .unwrap_or_default();
        format!(
            "{level}{land} · {} {}",
            self.s("regional_key", "Regionalschlüssel"),
            r.key
        )
    }

    /// Facet values of the home page's finder: every topic, Land and year with
    /// entries, and the organisations with the most entries.
    fn facets(&self) -> Value {
        let cat = self.catalogue;
        let topics: Vec<FacetValue> = self
            .config
            .topics
            .iter()
            .zip(&cat.topics)
            .filter(|(_, (_, l))| !l.is_empty())
            .map(|(t, (_, l))| FacetValue::new(&t.name, &t.slug, topic_path(&t.slug), l.len()))
            .collect();
        let lands: Vec<FacetValue> = self
            .gazetteer
            .lands()
            .into_iter()
            .filter_map(|l| cat.regions.get(&l.key))
            .map(|i| {
                FacetValue::new(
                    &i.region.name,
                    &i.slug,
                    region_path(&i.slug),
                    i.entries.len(),
                )
            })
            .collect();
        let years: Vec<FacetValue> = cat
            .years
            .iter()
            .rev()
            .map(|(y, l)| FacetValue::new(&y.to_string(), &y.to_string(), year_path(*y), l.len()))
            .collect();
        let orgs: Vec<FacetValue> = cat
            .organisations_by_size()
            .into_iter()
            .take(12)
            .map(|o| FacetValue::new(&o.name, &o.slug, org_path(&o.slug), o.entries.len()))
            .collect();
        json!({
            "topics": topics,
            "lands": lands,
            "years": years,
            "organisations": orgs,
            "organisation_count": cat.organisations.len(),
        })
    }

    /// The tile map of the Länder and the bar chart of years, as SVG strings for the
    /// page at `path`.
    fn charts(&self, path: &str, kind: &str) -> Value {
        let (root, index) = self.link_parts(path, kind);
        let cat = self.catalogue;
        let tiles: Vec<charts::LandTile> = self
            .gazetteer
            .lands()
            .into_iter()
            .map(|l| {
                let idx = cat.regions.get(&l.key);
                charts::LandTile {
                    key: l.key.clone(),
                    name: l.name.clone(),
                    count: idx.map_or(0, |i| i.entries.len()),
                    href: idx.map(|i| format!("{root}{}{index}", region_path(&i.slug))),
                }
            })
            .collect();
        let one = self.s("entry_count_one", "Praxisbeispiel");
        let many = self.s("entries", "Praxisbeispiele");
        let map = charts::land_map(
            &tiles,
            &charts::Labels {
                title: self.s("map_title", "Praxisbeispiele nach Land"),
                description: self.s("map_description", ""),
                one: one.clone(),
                many: many.clone(),
            },
            "karte",
        );
        let counts: Vec<(i32, usize)> = cat.years.iter().map(|(y, l)| (*y, l.len())).collect();
        let bars = charts::bar_chart(
            &charts::year_series(&counts),
            &charts::Labels {
                title: self.s("years_chart_title", "Praxisbeispiele nach Jahr"),
                description: self.s("years_chart_description", ""),
                one,
                many,
            },
            "jahre",
        );
        let table: Vec<Link> = cat
            .years
            .iter()
            .map(|(y, l)| Link::counted(y.to_string(), year_path(*y), l.len()))
            .collect();
        json!({"land_map": map, "years": bars, "years_table": table})
    }

    /// The data the home page's finder filters in the browser: facet values as
    /// arrays, entries referring to them by position. Written as `filter.json`;
    /// `rows` holds the rows of unchanged entries.
    pub fn filter_data(&self, rows: &mut crate::opendata::rows::RowCache) -> Vec<u8> {
        use crate::opendata::rows;
        let cat = self.catalogue;
        let topic_pos: HashMap<&str, usize> = self
            .config
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        let topics: Vec<[&str; 2]> = self
            .config
            .topics
            .iter()
            .map(|t| [t.name.as_str(), t.slug.as_str()])
            .collect();
        let land_list: Vec<&crate::catalogue::RegionIndex> = self
            .gazetteer
            .lands()
            .into_iter()
            .filter_map(|l| cat.regions.get(&l.key))
            .collect();
        let land_pos: HashMap<&str, usize> = land_list
            .iter()
            .enumerate()
            .map(|(i, r)| (r.region.key.as_str(), i))
            .collect();
        let lands: Vec<[&str; 2]> = land_list
            .iter()
            .map(|r| [r.region.name.as_str(), r.slug.as_str()])
            .collect();
        let org_pos: HashMap<&str, usize> = cat
            .organisations
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let orgs: Vec<[&str; 2]> = cat
            .organisations
            .values()
            .map(|o| [o.name.as_str(), o.slug.as_str()])
            .collect();
        // a row refers to facet values by position: the values are part of its key
        let facets = {
            let mut h = DefaultHasher::new();
            (&topics, &lands, &orgs).hash(&mut h);
            h.finish()
        };
        let sorted = |mut v: Vec<usize>| {
            v.sort_unstable();
            v.dedup();
            v
        };
        let row = |i: usize| {
            let e = &cat.entries[i];
            let card = &self.entries[i].card;
            let t: Vec<usize> = e
                .topics
                .iter()
                .filter_map(|t| topic_pos.get(t.as_str()).copied())
                .collect();
            let l: Vec<usize> = e
                .regions
                .iter()
                .filter_map(|r| self.gazetteer.land_of(r))
                .filter_map(|land| land_pos.get(land.key.as_str()).copied())
                .collect();
            let o: Vec<usize> = e
                .organisations
                .iter()
                .filter_map(|o| org_pos.get(crate::slug::slugify(o).as_str()).copied())
                .collect();
            let regions: Vec<&str> = card.regions.iter().map(|r| r.name.as_str()).collect();
            serde_json::to_vec(&json!([
                e.slug,
                e.title,
                e.year,
                shorten(&card.summary, 160),
                regions.join(", "),
                u8::from(!e.review.is_empty()),
                sorted(t),
                sorted(l),
                sorted(o)
            ]))
            .unwrap_or_default()
        };
        let made = rows.rows(
            "filter.json",
            &cat.entries,
            |i| rows::key(&cat.entries[i], (self.entries[i].card_print, facets)),
            row,
        );
        let doc = |entries: Value| {
            json!({
                "entry_dir": ENTRY_DIR,
                "topics": topics,
                "lands": lands,
                "organisations": orgs,
                "entries": entries,
            })
        };
        let head = serde_json::to_vec(&doc(json!(rows::marker()))).unwrap_or_default();
        rows::splice_compact(&head, &made).unwrap_or_else(|| {
            // a setting holds the marker: the whole document at once
            let all: Vec<Value> = made
                .iter()
                .map(|r| serde_json::from_slice(r).unwrap_or(Value::Null))
                .collect();
            serde_json::to_vec(&doc(Value::Array(all))).unwrap_or_default()
        })
    }

    /// Land (and national) keys that have entries, by key.
    fn lands_and_national(&self) -> Vec<String> {
        self.catalogue
            .regions
            .values()
            .filter(|r| matches!(r.region.level, Level::Land | Level::Staat))
            .map(|r| r.region.key.clone())
            .collect()
    }

    fn region_children(&self, key: &str) -> Vec<Link> {
        self.child_regions(key)
            .map(|r| Link::counted(r.region.name.clone(), region_path(&r.slug), r.entries.len()))
            .collect()
    }

    /// The regions with entries directly below `key`, by name.
    fn child_regions(&self, key: &str) -> impl Iterator<Item = &RegionIndex> {
        let regions = &self.catalogue.regions;
        self.region_tree
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|k| regions.get(k))
    }

    fn region_node(&self, key: &str, depth: usize) -> RegionNode {
        let idx = &self.catalogue.regions[key];
        let children = if depth < 4 {
            self.child_regions(key)
                .map(|r| self.region_node(&r.region.key, depth + 1))
                .collect()
        } else {
            Vec::new()
        };
        RegionNode {
            name: idx.region.name.clone(),
            key: idx.region.key.clone(),
            level: idx.region.level,
            path: region_path(&idx.slug),
            count: idx.entries.len(),
            children,
        }
    }

    /// schema.org Article description of an entry, safe to embed in a script tag.
    fn json_ld(&self, i: usize) -> String {
        let e = &self.catalogue.entries[i];
        let url = self
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", entry_path(&e.slug)));
        jsonld::article(
            e,
            &self.entries[i].card,
            &self.entries[i].view,
            &self.config.language,
            url,
        )
    }
}

/// A hash of the settings a prepared entry depends on besides its file: the theme,
/// where links lead and the topic slugs.
fn settings_print(config: &Config, theme: &Theme, base_url: &Option<String>, index: &str) -> u64 {
    let mut h = DefaultHasher::new();
    theme.print.hash(&mut h);
    base_url.hash(&mut h);
    index.hash(&mut h);
    for t in &config.topics {
        (&t.name, &t.slug).hash(&mut h);
    }
    h.finish()
}

/// Page paths name folders; the file is their index.html.
fn page_file(path: String) -> String {
    if path.ends_with(".html") {
        path
    } else {
        format!("{path}index.html")
    }
}

/// A template error as a diagnostic pointing into the template's file.
fn template_error(theme: &Theme, e: &tera::Error, template: &str) -> Diagnostic {
    // error path only: read the template again to show the failing line, and name
    // it relative to the site root (themes/<name>/ is two below)
    let root = theme.dir.parent().and_then(Path::parent);
    let sources: Vec<(String, String)> = theme
        .files
        .get(template)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| (template.to_string(), text))
        .into_iter()
        .collect();
    theme::template_diagnostic(e, &theme.files, root.unwrap_or(Path::new("")), &sources)
}

#[derive(Serialize)]
struct PageMeta {
    kind: String,
    title: String,
    path: String,
    canonical: Option<String>,
    breadcrumbs: Vec<Link>,
    /// The Atom feed of this page, relative to the site root (home, topic and Land
    /// pages when feeds are on).
    feed: Option<String>,
}

/// A term page's subject.
#[derive(Debug, Serialize)]
pub struct TermView {
    pub kind: String,
    pub name: String,
    pub description: String,
    pub count: usize,
    pub key: Option<String>,
    pub level: Option<Level>,
    pub children: Vec<Link>,
}

impl TermView {
    fn new(kind: &str, name: &str, description: &str, count: usize) -> Self {
        TermView {
            kind: kind.into(),
            name: name.into(),
            description: description.into(),
            count,
            key: None,
            level: None,
            children: Vec::new(),
        }
    }
}

/// A value of a finder facet: its name, the slug used in the URL query, its page and
/// how many entries have it.
#[derive(Debug, Serialize)]
struct FacetValue {
    name: String,
    slug: String,
    path: String,
    count: usize,
}

impl FacetValue {
    fn new(name: &str, slug: &str, path: String, count: usize) -> Self {
        FacetValue {
            name: name.into(),
            slug: slug.into(),
            path,
            count,
        }
    }
}

/// `text` cut at a word boundary to at most about `max` bytes, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.len() + word.len() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

#[derive(Debug, Serialize)]
struct TermLink {
    name: String,
    path: String,
    count: usize,
    description: String,
}

#[derive(Debug, Serialize)]
struct RegionNode {
    name: String,
    key: String,
    level: Level,
    path: String,
    count: usize,
    children: Vec<RegionNode>,
}

/// Site-wide values every template sees as `site`.
fn site_value(config: &Config, cat: &Catalogue, g: &Gazetteer, base_url: &Option<String>) -> Value {
    let topics: Vec<Link> = config
        .topics
        .iter()
        .zip(&cat.topics)
        .map(|(t, (_, l))| Link::counted(t.name.clone(), topic_path(&t.slug), l.len()))
        .collect();
    let lands: Vec<Value> = g
        .lands()
        .into_iter()
        .map(|l| {
            let idx = cat.regions.get(&l.key);
            json!({
                "key": l.key,
                "name": l.name,
                "count": idx.map_or(0, |i| i.entries.len()),
                "path": idx.map(|i| region_path(&i.slug)),
            })
        })
        .collect();
    let years: Vec<Link> = cat
        .years
        .iter()
        .rev()
        .map(|(y, l)| Link::counted(y.to_string(), year_path(*y), l.len()))
        .collect();
    let top_orgs: Vec<Link> = cat
        .organisations_by_size()
        .into_iter()
        .take(30)
        .map(|o| Link::counted(o.name.clone(), org_path(&o.slug), o.entries.len()))
        .collect();
    let newest = cat
        .entries
        .iter()
        .map(|e| {
            e.date
                .clone()
                .unwrap_or_else(|| format!("{}-01-01", e.year))
        })
        .max();
    json!({
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "base_url": base_url,
        "licence": {"name": config.licence.name, "url": config.licence.url},
        "publisher": {"name": config.publisher.name, "url": config.publisher.url, "email": config.publisher.email},
        "search": config.search,
        "feeds": config.feeds,
        "feed": config.feeds.then_some(crate::opendata::feeds::FEED_FILE),
        "legal_pages": [],
        "entry_count": cat.entries.len(),
        "topics": topics,
        "lands": lands,
        "years": years,
        "organisations": top_orgs,
        "organisation_count": cat.organisations.len(),
        "updated": newest,
    })
}

/// Region key → keys of the regions with entries directly below it, by name (and
/// key, for equal names). Looking children up here keeps the region pages linear in
/// the number of regions. A region whose parent has no page (a Bezirk below the
/// city that the catalogue shows as its Kreis) hangs from the nearest ancestor that has one.
fn region_tree(cat: &Catalogue, g: &Gazetteer) -> HashMap<String, Vec<String>> {
    let mut tree: HashMap<String, Vec<String>> = HashMap::new();
    for (key, r) in &cat.regions {
        let shown_parent = g
            .path(r.region)
            .into_iter()
            .rev()
            .skip(1)
            .find(|a| cat.regions.contains_key(&a.key));
        if let Some(parent) = shown_parent {
            tree.entry(parent.key.clone())
                .or_default()
                .push(key.clone());
        }
    }
    for children in tree.values_mut() {
        // stable: equal names stay in key order
        children.sort_by(|a, b| cat.regions[a].region.name.cmp(&cat.regions[b].region.name));
    }
    tree
}

/// For each entry, up to five others sharing topics and regions, best first.
fn related_entries(cat: &Catalogue, g: &Gazetteer) -> Vec<Vec<usize>> {
    crate::related::related_entries(cat, g)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    /// The valid fixture site: its folder, settings and catalogue, with the
    /// repository's own theme.
    fn fixture_site() -> (std::path::PathBuf, Config, Catalogue, Theme) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let config = Config::load(&root).expect("fixture settings");
        let loaded = crate::load::load(&root, &config);
        let entries = loaded.entries.into_iter().map(Arc::new).collect();
        let (cat, _) = crate::catalogue::build(entries, &config, crate::regions::Gazetteer::get());
        let theme = Theme::load(Path::new(env!("CARGO_MANIFEST_DIR")), &config).expect("theme");
        (root, config, cat, theme)
    }

    /// Bodies rendered from Markdown taken out of the catalogue are those rendered
    /// from the entries' own text; the entries are left without it, with a lead.
    #[test]
    fn taken_markdown_renders_the_same_bodies() {
        let (_, config, mut cat, theme) = fixture_site();
        let html = |cat: &Catalogue, markdown: Vec<String>| -> Vec<String> {
            let bodies = render_bodies(
                &config,
                cat,
                &theme,
                None,
                &mut RenderCache::default(),
                markdown,
            );
            bodies.fresh.into_iter().map(|(_, r)| r.html).collect()
        };
        let own = html(&cat, Vec::new());
        let taken = cat.take_bodies(true);
        assert!(taken.iter().any(|t| !t.is_empty()));
        assert!(cat.entries.iter().all(|e| e.body.is_empty()));
        assert!(
            cat.entries
                .iter()
                .all(|e| e.summary.is_some() || e.lead.is_some())
        );
        let from_taken = html(&cat, taken);
        assert_eq!(own.len(), cat.entries.len());
        assert_eq!(from_taken, own);
    }

    /// The fingerprint names the template each page is rendered with, without
    /// building its context: both must agree for every page.
    #[test]
    fn template_of_names_the_template_context_uses() {
        let (root, config, cat, theme) = fixture_site();
        let gazetteer = crate::regions::Gazetteer::get();
        let (mut renderer, _) = Renderer::new(&config, &cat, &theme, gazetteer, None);
        let (pages, _) = crate::pages::load(&root, &config);
        renderer.add_legal_pages(pages);
        let jobs = renderer.jobs();
        assert!(jobs.iter().any(|j| matches!(j, Job::Entry(_))));
        for job in &jobs {
            assert_eq!(
                renderer.template_of(job),
                renderer.context(job).1,
                "{job:?}"
            );
        }
    }
}
