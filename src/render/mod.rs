//! Render: catalogue + theme → pages. Each page is a pure function of the prepared
//! views; the caller decides whether to write them (build) or drop them (check).

mod bodies;
mod fingerprint;
mod pool;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::markdown;
use crate::regions::{Gazetteer, Level};
pub use bodies::BodyCache;
use pool::{ContextPool, cloned, insert_value};
pub use theme::Theme;
use views::*;

/// One file of the output: its path relative to the output folder and its bytes.
#[derive(Debug)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page to render.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// Everything prepared once per build and shared by all pages.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub catalogue: &'a Catalogue,
    pub theme: &'a Theme,
    pub gazetteer: &'a Gazetteer,
    base_url: Option<String>,
    /// Per entry: rendered body HTML.
    bodies: Vec<String>,
    cards: Vec<Value>,
    entry_views: Vec<EntryView>,
    related: Vec<Vec<usize>>,
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
            &mut BodyCache::default(),
        )
    }

    /// [`Renderer::new`], taking unchanged bodies from `cache` (serve keeps one).
    pub fn with_cache(
        config: &'a Config,
        catalogue: &'a Catalogue,
        theme: &'a Theme,
        gazetteer: &'a Gazetteer,
        base_url: Option<String>,
        cache: &mut BodyCache,
    ) -> (Renderer<'a>, Vec<Diagnostic>) {
        let topic_slugs: HashMap<String, String> = config
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.slug.clone()))
            .collect();
        let entry_root = base_url.clone().unwrap_or_else(|| "../../".to_string());
        let index = if base_url.is_some() { "" } else { "index.html" };
        let drafts: std::collections::HashSet<&Path> =
            catalogue.drafts.iter().map(|p| p.as_path()).collect();
        let url_of = |p: &Path| {
            catalogue
                .by_path
                .get(p)
                .map(|&i| entry_path(&catalogue.entries[i].slug))
        };
        let is_draft = |p: &Path| drafts.contains(p);
        let rendered = cache.render(catalogue, &entry_root, index, &url_of, &is_draft);
        let mut diags = Vec::new();
        let mut bodies = Vec::with_capacity(rendered.len());
        for r in rendered {
            diags.extend(r.diagnostics);
            bodies.push(r.html);
        }
        let topic_slug = |name: &str| topic_slugs.get(name).cloned().unwrap_or_default();
        let (cards, entry_views): (Vec<Value>, Vec<EntryView>) = catalogue
            .entries
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(e, html)| {
                let lead =
                    markdown::first_paragraph(html).unwrap_or_else(|| markdown::plain_text(html));
                let summary = summary_of(e, &lead);
                let c = card(e, summary, catalogue, gazetteer, &topic_slug);
                let value = serde_json::to_value(&c).unwrap_or(Value::Null);
                (value, entry_view(e, c, catalogue, gazetteer))
            })
            .unzip();
        let related = related_entries(catalogue, gazetteer);
        let site = site_value(config, catalogue, gazetteer, &base_url);
        (
            Renderer {
                config,
                catalogue,
                theme,
                gazetteer,
                base_url,
                bodies,
                cards,
                entry_views,
                related,
                prints: fingerprint::Prints::new(&site),
                contexts: ContextPool::new(&site, &theme.strings),
            },
            diags,
        )
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
        jobs
    }

    /// Renders one page.
    pub fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let (path, template, ctx) = self.context(job);
        let html = self
            .contexts
            .render(&self.theme.tera, template, ctx)
            .map_err(|e| theme::template_diagnostic(&e, &self.theme.files, Path::new(""), &[]))?;
        let file = if path.ends_with(".html") {
            path
        } else {
            format!("{path}index.html")
        };
        Ok(Output {
            path: file,
            bytes: html.into_bytes(),
        })
    }

    fn base_context(&self, path: &str, kind: &str, title: &str, crumbs: Vec<Link>) -> Context {
        let depth = path.matches('/').count();
        let (root, index) = match &self.base_url {
            Some(b) => (b.clone(), ""),
            None if kind == "404" => ("/".to_string(), ""),
            None => ("../".repeat(depth), "index.html"),
        };
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
            },
        );
        ctx
    }

    fn cards(&self, list: &[usize], page: usize) -> (Vec<&Value>, usize) {
        let per = self.config.per_page;
        let total = list.len().div_ceil(per).max(1);
        let start = (page - 1) * per;
        let items = list
            .iter()
            .skip(start)
            .take(per)
            .map(|&i| &self.cards[i])
            .collect();
        (items, total)
    }

    fn s(&self, key: &str, fallback: &str) -> String {
        self.theme
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    }

    fn list_context(
        &self,
        base: &str,
        page: usize,
        kind: &str,
        term: TermView,
        list: &[usize],
        crumbs: Vec<Link>,
    ) -> (String, &'static str, Context) {
        let path = page_path(base, page);
        let (items, total) = self.cards(list, page);
        let mut ctx = self.base_context(&path, kind, &term.name, crumbs);
        ctx.insert("term", &term);
        insert_value(&mut ctx, "entries", cloned(items));
        ctx.insert("paginator", &paginator(base, page, total));
        (path, "list.html", ctx)
    }

    fn context(&self, job: &Job) -> (String, &'static str, Context) {
        let cat = self.catalogue;
        let home = Link::new(self.s("home", "Start"), "");
        match job {
            Job::Home(page) => {
                let path = page_path("", *page);
                let all: Vec<usize> = (0..cat.entries.len()).collect();
                let (items, total) = self.cards(&all, *page);
                let mut ctx = self.base_context(&path, "home", &self.config.title, vec![]);
                insert_value(&mut ctx, "entries", cloned(items));
                ctx.insert("paginator", &paginator("", *page, total));
                (path, "index.html", ctx)
            }
            Job::Entry(i) => {
                let e = &cat.entries[*i];
                let view = &self.entry_views[*i];
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
                let related: Vec<&Value> =
                    self.related[*i].iter().map(|&j| &self.cards[j]).collect();
                let review: Vec<String> = e
                    .review
                    .iter()
                    .map(|f| self.s(&format!("field_{f}"), f))
                    .collect();
                ctx.insert("entry", view);
                ctx.insert("review_labels", &review);
                ctx.insert("content", &self.bodies[*i]);
                insert_value(&mut ctx, "related", cloned(related));
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
                self.list_context(&base, *page, "topic", term, list, crumbs)
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
                self.list_context(&base, *page, "region", term, &idx.entries, crumbs)
            }
            Job::Year(y, page) => {
                let list = &cat.years[y];
                let crumbs = vec![
                    home,
                    Link::new(self.s("years", "Jahre"), format!("{YEAR_DIR}/")),
                ];
                let term = TermView::new("year", &y.to_string(), "", list.len());
                self.list_context(&year_path(*y), *page, "year", term, list, crumbs)
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
                let term = TermView::new("organisation", &o.name, "", o.entries.len());
                self.list_context(
                    &org_path(s),
                    *page,
                    "organisation",
                    term,
                    &o.entries,
                    crumbs,
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
            Level::Gemeinde => self.s("level_gemeinde", "Gemeinde"),
        };
        format!(
            "{level} · {} {}",
            self.s("regional_key", "Regionalschlüssel"),
            r.key
        )
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
        let mut out: Vec<Link> = self
            .catalogue
            .regions
            .values()
            .filter(|r| self.parent_shown(r.region) == Some(key))
            .map(|r| Link::counted(r.region.name.clone(), region_path(&r.slug), r.entries.len()))
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The key of the nearest ancestor that has a page.
    fn parent_shown<'r>(&self, r: &'r crate::regions::Region) -> Option<&'r str> {
        r.parent.as_deref()
    }

    fn region_node(&self, key: &str, depth: usize) -> RegionNode {
        let idx = &self.catalogue.regions[key];
        let children = if depth < 4 {
            let mut keys: Vec<&String> = self
                .catalogue
                .regions
                .iter()
                .filter(|(_, r)| r.region.parent.as_deref() == Some(key))
                .map(|(k, _)| k)
                .collect();
            keys.sort_by_key(|k| &self.catalogue.regions[*k].region.name);
            keys.into_iter()
                .map(|k| self.region_node(k, depth + 1))
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
        let view = &self.entry_views[i];
        let url = self
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", entry_path(&e.slug)));
        let areas: Vec<Value> = view
            .regions_full
            .iter()
            .map(|r| {
                json!({
                    "@type": "AdministrativeArea",
                    "name": r.name,
                    "identifier": {"@type": "PropertyValue", "propertyID": "Regionalschlüssel", "value": r.key},
                })
            })
            .collect();
        let orgs: Vec<Value> = e
            .organisations
            .iter()
            .map(|o| json!({"@type": "Organization", "name": o}))
            .collect();
        let mut doc = json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": e.title,
            "inLanguage": self.config.language,
            "datePublished": e.date.clone().unwrap_or_else(|| e.year.to_string()),
            "about": e.topics.iter().map(|t| json!({"@type": "DefinedTerm", "name": t})).collect::<Vec<_>>(),
            "spatialCoverage": areas,
            "author": orgs,
            "sourceOrganization": orgs,
            "description": view.card.summary,
        });
        if let (Some(u), Some(obj)) = (url, doc.as_object_mut()) {
            obj.insert("url".into(), Value::String(u));
        }
        serde_json::to_string(&doc)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }
}

#[derive(Serialize)]
struct PageMeta {
    kind: String,
    title: String,
    path: String,
    canonical: Option<String>,
    breadcrumbs: Vec<Link>,
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
    let mut orgs: Vec<&crate::catalogue::Organisation> = cat.organisations.values().collect();
    orgs.sort_by(|a, b| {
        b.entries
            .len()
            .cmp(&a.entries.len())
            .then(a.name.cmp(&b.name))
    });
    let top_orgs: Vec<Link> = orgs
        .iter()
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
        "entry_count": cat.entries.len(),
        "topics": topics,
        "lands": lands,
        "years": years,
        "organisations": top_orgs,
        "organisation_count": cat.organisations.len(),
        "updated": newest,
    })
}

/// For each entry, up to five others sharing topics and regions, best first.
fn related_entries(cat: &Catalogue, g: &Gazetteer) -> Vec<Vec<usize>> {
    crate::related::related_entries(cat, g)
}
