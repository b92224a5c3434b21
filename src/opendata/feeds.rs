//! Atom feeds (RFC 4287): one of all entries, one per topic, one per Land.
//!
//! Ids are `tag:` URIs (RFC 4151) derived from the site id, never from the address
//! the site is served from, so they stay the same across builds and hosting moves.
//! Links are absolute under the base URL; without one they are relative to the feed
//! file, which RFC 4287 allows (relative references resolve against the feed's own
//! address) but some aggregators that copy feeds elsewhere do not resolve.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use super::rows::RowCache;
use super::xml::Writer;
use super::{Linker, entry_day, site_id};
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::Entry;
use crate::regions::{Gazetteer, Level};
use crate::render::views::{TOPIC_DIR, entry_path, region_path, topic_path};

pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
/// File name of every feed, beside the page it belongs to.
pub const FEED_FILE: &str = "atom.xml";
/// Longest summary taken from an entry's text when it has no `summary`.
const LEAD_CHARS: usize = 300;

/// The feed of a topic page at `themen/<slug>/`.
pub fn topic_feed_path(topic_slug: &str) -> String {
    format!("{}{FEED_FILE}", topic_path(topic_slug))
}

/// The feed of a region page at `regionen/<slug>/`.
pub fn region_feed_path(region_slug: &str) -> String {
    format!("{}{FEED_FILE}", region_path(region_slug))
}

/// One feed to write.
struct Feed<'a> {
    /// Output path, relative to the site root.
    path: String,
    /// The page the feed belongs to ("" for the home page).
    page: String,
    /// Last part of the feed id.
    id: String,
    title: String,
    subtitle: String,
    entries: Vec<usize>,
    config: &'a Config,
}

/// Every feed: (output path, bytes). Topic feeds exist for every topic (a topic
/// without entries has an empty, valid feed); Land feeds for every Land with entries.
/// `rows` keeps each entry's element for serve's next rebuild.
pub fn feeds(
    config: &Config,
    cat: &Catalogue,
    _g: &Gazetteer,
    base_url: Option<&str>,
    rows: &mut RowCache,
    sink: &crate::write::Sink<'_>,
) -> Result<(), Diagnostic> {
    let mut list = vec![Feed {
        path: FEED_FILE.to_string(),
        page: String::new(),
        id: "feed".into(),
        title: config.title.clone(),
        subtitle: config.description.clone(),
        entries: (0..cat.entries.len()).collect(),
        config,
    }];
    for (topic, (slug, entries)) in config.topics.iter().zip(&cat.topics) {
        list.push(Feed {
            path: topic_feed_path(slug),
            page: topic_path(slug),
            id: format!("feed/{TOPIC_DIR}/{slug}"),
            title: format!("{} – {}", config.title, topic.name),
            subtitle: topic.description.clone(),
            entries: entries.clone(),
            config,
        });
    }
    for idx in cat.regions.values() {
        if idx.region.level != Level::Land {
            continue;
        }
        list.push(Feed {
            path: region_feed_path(&idx.slug),
            page: region_path(&idx.slug),
            // the regional key, not the slug: keys never change
            id: format!("feed/land/{}", idx.region.key),
            title: format!("{} – {}", config.title, idx.region.name),
            subtitle: String::new(),
            entries: idx.entries.clone(),
            config,
        });
    }
    let site = site_id(config);
    let link = Linker { base_url };
    // Feeds differ in an entry's element only by how deep they sit (links are
    // relative without a base URL): each entry is written once per depth in use.
    let depth = |path: &str| {
        if base_url.is_some() {
            0
        } else {
            path.matches('/').count()
        }
    };
    let depths: BTreeSet<usize> = list.iter().map(|f| depth(&f.path)).collect();
    // what an element is made of besides its entry
    let settings = {
        let mut h = DefaultHasher::new();
        (&site, base_url).hash(&mut h);
        for t in &config.topics {
            (&t.name, &t.slug).hash(&mut h);
        }
        h.finish()
    };
    let fragments: BTreeMap<usize, Vec<Arc<[u8]>>> = depths
        .into_iter()
        .map(|d| {
            let from = format!("{}{FEED_FILE}", "x/".repeat(d));
            let topic_scheme = link.url(&from, &format!("{TOPIC_DIR}/"));
            let written = rows.variant_rows(
                FEED_FILE,
                d,
                &cat.entries,
                |i| super::rows::key(&cat.entries[i], (settings, d, &cat.entries[i].lead)),
                |i| {
                    let e = &cat.entries[i];
                    entry_element(e, &site, config, link, &from, &topic_scheme)
                },
            );
            (d, written)
        })
        .collect();
    // each feed goes to the sink as soon as it is written: all of them at once
    // would hold every entry's element several times over (a 100,000-entry
    // catalogue's feeds take hundreds of megabytes)
    list.into_par_iter().try_for_each(|f| {
        let entries = fragments.get(&depth(&f.path)).map_or(&[][..], |v| &v[..]);
        let bytes = write_feed(&f, cat, entries, link);
        sink(f.path, bytes)
    })
}

fn timestamp(day: &str) -> String {
    format!("{day}T00:00:00Z")
}

/// One feed; `entries` holds every entry's element as written at this feed's depth.
fn write_feed(f: &Feed, cat: &Catalogue, entries: &[Arc<[u8]>], link: Linker) -> Vec<u8> {
    let config = f.config;
    let mut w = Writer::new();
    // the elements are most of the feed: room for them up front spares the
    // doublings of a growing buffer
    w.reserve(
        f.entries
            .iter()
            .filter_map(|&i| entries.get(i))
            .map(|e| e.len())
            .sum::<usize>()
            + 4096,
    );
    w.open(
        "feed",
        &[("xmlns", ATOM_NS), ("xml:lang", &config.language)],
    );
    w.text("id", &[], &format!("{}:{}", site_id(config), f.id));
    w.text("title", &[], &f.title);
    if !f.subtitle.is_empty() {
        w.text("subtitle", &[], &f.subtitle);
    }
    // Entries are sorted newest first; an empty feed gets a fixed date so the bytes
    // stay the same from build to build.
    let updated = f
        .entries
        .iter()
        .map(|&i| entry_day(&cat.entries[i]))
        .max()
        .unwrap_or_else(|| "1970-01-01".to_string());
    w.text("updated", &[], &timestamp(&updated));
    let self_href = link.url(&f.path, &f.path);
    w.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &self_href),
        ],
    );
    let page_href = link.url(&f.path, &f.page);
    w.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            ("href", &page_href),
        ],
    );
    w.open("author", &[]);
    let publisher = &config.publisher;
    w.text(
        "name",
        &[],
        if publisher.name.trim().is_empty() {
            &config.title
        } else {
            &publisher.name
        },
    );
    if publisher.url.starts_with("http") {
        w.text("uri", &[], &publisher.url);
    }
    w.close();
    let rights = if config.licence.url.is_empty() {
        config.licence.name.clone()
    } else {
        format!("{} ({})", config.licence.name, config.licence.url)
    };
    w.text("rights", &[], &rights);
    w.text(
        "generator",
        &[("version", env!("CARGO_PKG_VERSION"))],
        "praxis",
    );
    for &i in &f.entries {
        if let Some(element) = entries.get(i) {
            w.raw(element);
        }
    }
    w.finish()
}

/// The `<entry>` element of `e` in a feed at `from` (relative to the site root).
fn entry_element(
    e: &Entry,
    site: &str,
    config: &Config,
    link: Linker,
    from: &str,
    topic_scheme: &str,
) -> Vec<u8> {
    let mut w = Writer::fragment(1);
    let id = format!("{site}:entry/{}", e.slug);
    let summary = match (&e.summary, &e.lead) {
        (Some(s), _) | (None, Some(s)) => s.clone(),
        (None, None) => lead_text(&e.body),
    };
    let day = timestamp(&entry_day(e));
    w.open("entry", &[]);
    w.text("id", &[], &id);
    w.text("title", &[], &e.title);
    w.text("published", &[], &day);
    w.text("updated", &[], &day);
    let href = link.url(from, &entry_path(&e.slug));
    w.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &href)],
    );
    for o in &e.organisations {
        w.open("author", &[]);
        w.text("name", &[], o);
        w.close();
    }
    for t in &e.topics {
        let slug = config.topic(t).map(|t| t.slug.as_str()).unwrap_or_default();
        w.empty(
            "category",
            &[("term", slug), ("label", t), ("scheme", topic_scheme)],
        );
    }
    if !summary.is_empty() {
        w.text("summary", &[("type", "text")], &summary);
    }
    w.close();
    w.into_bytes()
}

/// The first paragraph of a Markdown body as plain text, cut at a word boundary.
pub fn lead_text(body: &str) -> String {
    // The parser reads the block structure of the whole text before the first
    // event; the start of a long body alone usually gives the same first paragraph.
    let text = lead_prefix(body)
        .and_then(|start| first_paragraph_text(start, true))
        .or_else(|| first_paragraph_text(body, false))
        .unwrap_or_default();
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if chars + len > LEAD_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += len;
    }
    out
}

/// Where [`lead_text`] may try the start of `body` alone: up to the first blank
/// line after 1 KiB. Not when the body may define link references (`[x]: url`),
/// which change the text of links before them.
fn lead_prefix(body: &str) -> Option<&str> {
    const START: usize = 1024;
    if body.len() <= 2 * START || body.contains("]:") {
        return None;
    }
    let from = (START..body.len()).find(|&i| body.is_char_boundary(i))?;
    let blank = body[from..].find("\n\n")?;
    Some(&body[..from + blank + 2])
}

/// The text of the first paragraph with more than white space, and of the blank
/// ones before it. With `strict`, `None` unless that paragraph ends before the end
/// of `text`, so the rest of the body cannot change it, and, to be safe, lies in no
/// list (whether a list's items are paragraphs depends on all of its blank lines).
fn first_paragraph_text(text: &str, strict: bool) -> Option<String> {
    let mut out = String::new();
    let mut in_para = false;
    let mut lists = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => lists += 1,
            Event::End(TagEnd::List(_)) => lists = lists.saturating_sub(1),
            Event::Start(Tag::Paragraph) => in_para = true,
            Event::End(TagEnd::Paragraph) if !out.trim().is_empty() => {
                return (!strict || (lists == 0 && range.end < text.len())).then_some(out);
            }
            Event::End(TagEnd::Paragraph) => in_para = false,
            Event::Text(t) | Event::Code(t) if in_para => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_para => out.push(' '),
            _ => {}
        }
    }
    (!strict).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks whose meaning can depend on what follows them: lists whose items
    /// become loose later, fences and HTML blocks spanning blank lines, lazy
    /// continuation lines, setext underlines, reference links.
    const BLOCKS: &[&str] = &[
        "# Titel",
        "Ein Absatz mit *Betonung* und `Code`.",
        "Zeile eins\nZeile zwei ohne Leerzeile",
        "- eins\n- zwei",
        "- drei\n\n- vier, nach einer Leerzeile",
        "1. erstens\n   weiter",
        "> Zitat\nfaul fortgesetzt",
        "```\nCode\n\nmit Leerzeile",
        "```",
        "<!-- Kommentar\n\nüber Absätze",
        "-->",
        "<div>\nBlock\n</div>",
        "    eingerückter Code",
        "Überschrift\n===",
        "Ein [Verweis][r] im Text.",
        "Ein [Link](https://example.org) im Text.",
        "   ",
        "Füllwörter, die den Text über ein Kilobyte hinaus verlängern und nichts bedeuten.",
    ];

    proptest::proptest! {
        /// The start of a body alone gives the first paragraph of the whole body,
        /// or declines.
        #[test]
        fn the_start_of_a_body_gives_the_whole_bodys_first_paragraph(
            picks in proptest::collection::vec((0..BLOCKS.len(), 0..3usize), 20..120),
            reference in proptest::bool::ANY,
        ) {
            let mut body = String::new();
            for (i, blank) in picks {
                body.push_str(BLOCKS[i]);
                body.push_str(["\n", "\n\n", "\n\n\n"][blank]);
            }
            if reference {
                body.push_str("\n[r]: https://example.org/ziel\n");
            }
            let whole = first_paragraph_text(&body, false).unwrap_or_default();
            if let Some(text) = lead_prefix(&body).and_then(|s| first_paragraph_text(s, true)) {
                proptest::prop_assert_eq!(text, whole);
            }
        }
    }

    #[test]
    fn lead_text_takes_the_first_paragraph() {
        assert_eq!(
            lead_text("# Titel\n\nErst *die* Poststelle,\ndann `alle`.\n\nZweiter Absatz."),
            "Erst die Poststelle, dann alle."
        );
        assert_eq!(lead_text("# Nur Überschrift\n"), "");
        let long = "wort ".repeat(200);
        let lead = lead_text(&long);
        assert!(lead.ends_with('…') && lead.chars().count() <= LEAD_CHARS + 1);
    }

    #[test]
    fn feed_paths_sit_beside_their_pages() {
        assert_eq!(topic_feed_path("e-akte"), "themen/e-akte/atom.xml");
        assert_eq!(
            region_feed_path("nordrhein-westfalen"),
            "regionen/nordrhein-westfalen/atom.xml"
        );
    }
}
