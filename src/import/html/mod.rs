//! HTML seeds to plain text: the page's main content only, block elements become
//! paragraph breaks, entities decoded. Headings stay their own paragraph, so the
//! cleaning stage sees them like the headings of a plain-text seed.
//!
//! Main-content extraction is by rules, not by scoring: a page with a `<main>` (or
//! `role="main"`) is cut to it, and anywhere on the page navigation, site headers and
//! footers, asides, cookie and consent banners, share bars, breadcrumbs, pagination
//! and related-article rails are dropped by element, landmark role or class/id
//! words. Teasers are kept: a listing page's teasers are the items the importer wants
//! (a readability-style scorer keeps one block and loses them; see docs/import.md).
//!
//! The page's title, publication date and canonical address come first as metadata
//! lines (`title: …`, `date: …`, `url: …`), one per line, then a blank line, then the
//! body; the importer reads them as the page's own statements.
//!
//! A hand-written scanner ([`scan`]), not a DOM: seeds are crawled pages, often not
//! well-formed, and only the text with its paragraph structure is wanted.

mod scan;

pub use scan::decode_entities;
use scan::{Tag, Token};

/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "dl",
    "hr",
    "pre",
    "address",
];
/// Elements never part of the main content.
const DROP_ELEMENTS: &[&str] = &[
    "nav", "aside", "button", "select", "dialog", "menu", "title", "head", "label",
];
/// Landmark roles of everything around the content.
const DROP_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];
/// Words of `class` and `id` values (split at `-`, `_` and spaces) that name page
/// furniture.
const DROP_WORDS: &[&str] = &[
    "nav",
    "navi",
    "navbar",
    "menu",
    "mainmenu",
    "submenu",
    "megamenu",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "sharing",
    "shariff",
    "social",
    "socials",
    "sidebar",
    "related",
    "recommended",
    "newsletter",
    "skip",
    "skiplink",
    "skiplinks",
    "pagination",
    "pager",
    "toolbar",
    "copyright",
    "search",
    "suche",
    "rail",
    "carousel",
    "modal",
    "popup",
    "overlay",
    "banner",
];
/// Parts of `class` and `id` words that name page furniture wherever they occur
/// (`cookiebanner`, `socialshareprivacy`, `metanavigation`).
const DROP_PARTS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "navigation",
    "socialshare",
    "sharebar",
    "newsletter",
];
/// Words of a site header or footer: dropped unless the block holds the `<h1>`.
const FRAME_WORDS: &[&str] = &["header", "footer", "masthead", "head", "foot"];
/// A `<main>` with less text than this is taken for a layout wrapper's mistake and
/// the whole page is read.
const MIN_MAIN_TEXT: usize = 200;

/// What a page says about itself, from its head and its `<time>` elements.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub url: Option<String>,
}

impl PageMeta {
    /// The leading metadata lines, each `key: value`, then a blank line; empty
    /// when the page said nothing.
    fn lines(&self) -> String {
        let mut out = String::new();
        for (key, value) in [
            ("title", &self.title),
            ("date", &self.date),
            ("url", &self.url),
        ] {
            if let Some(v) = value {
                out.push_str(&format!("{key}: {v}\n"));
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

/// Converts HTML to text: metadata lines, then the main content with blank lines
/// between blocks.
pub fn to_text(html: &str) -> String {
    let toks = scan::tokens(html);
    let ends = matching_ends(&toks);
    let mut meta = head_meta(&toks);
    let range = main_range(&toks, &ends).unwrap_or(0..toks.len());
    let mut body = String::with_capacity(html.len() / 3);
    let mut time = None;
    walk(&toks, &ends, range, &mut body, &mut time);
    if meta.date.is_none() {
        meta.date = time;
    }
    let mut out = meta.lines();
    out.push_str(&body);
    out
}

/// For each opening tag, the index of its closing tag, when it has one.
fn matching_ends(toks: &[Token]) -> Vec<Option<usize>> {
    let mut ends = vec![None; toks.len()];
    let mut open: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, t) in toks.iter().enumerate() {
        if let Token::Tag(tag) = t {
            if tag.void {
                continue;
            }
            let stack = open.entry(tag.name.as_str()).or_default();
            if tag.closing {
                if let Some(start) = stack.pop() {
                    ends[start] = Some(i);
                }
            } else {
                stack.push(i);
            }
        }
    }
    ends
}

/// The token range inside the page's `<main>` (or `role="main"`), when it has one
/// with enough text.
fn main_range(toks: &[Token], ends: &[Option<usize>]) -> Option<std::ops::Range<usize>> {
    let start = toks.iter().position(|t| {
        matches!(t, Token::Tag(tag) if !tag.closing
            && (tag.name == "main" || tag.attr("role").is_some_and(|r| r.eq_ignore_ascii_case("main"))))
    })?;
    let end = ends[start]?;
    (text_len(&toks[start..end]) >= MIN_MAIN_TEXT).then_some(start + 1..end)
}

/// Title, date and canonical address from the page's `<head>`.
fn head_meta(toks: &[Token]) -> PageMeta {
    let mut meta = PageMeta::default();
    let mut title_tag = None;
    let mut og_title = None;
    let mut og_url = None;
    for (i, t) in toks.iter().enumerate() {
        let Token::Tag(tag) = t else { continue };
        if tag.closing {
            continue;
        }
        match tag.name.as_str() {
            "title" if title_tag.is_none() => {
                if let Some(Token::Text(s)) = toks.get(i + 1) {
                    title_tag = one_line(&decode_entities(s));
                }
            }
            "meta" => {
                let key = tag
                    .attr("property")
                    .or_else(|| tag.attr("name"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let content = tag.attr("content").and_then(|c| one_line(&c));
                match key.as_str() {
                    "og:title" if og_title.is_none() => og_title = content,
                    "og:url" if og_url.is_none() => og_url = content.filter(|u| is_absolute(u)),
                    "article:published_time"
                    | "date"
                    | "dc.date"
                    | "dcterms.date"
                    | "dc.date.issued"
                        if meta.date.is_none() =>
                    {
                        meta.date = content.as_deref().and_then(iso_date);
                    }
                    _ => {}
                }
            }
            "link" if meta.url.is_none() => {
                let canonical = tag.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("canonical"))
                });
                if canonical {
                    meta.url = tag
                        .attr("href")
                        .and_then(|h| one_line(&h))
                        .filter(|u| is_absolute(u));
                }
            }
            "body" => break,
            _ => {}
        }
    }
    // og:title has no "| Site name" tail; the <title> is the fallback
    meta.title = og_title.or(title_tag);
    if meta.url.is_none() {
        meta.url = og_url;
    }
    meta
}

/// Writes the text of `toks[range]` to `out`, skipping dropped blocks; notes the
/// first `<time datetime>` of the kept text.
fn walk(
    toks: &[Token],
    ends: &[Option<usize>],
    range: std::ops::Range<usize>,
    out: &mut String,
    time: &mut Option<String>,
) {
    let page_text = text_len(&toks[range.clone()]);
    let mut i = range.start;
    // end indices of the open <article> elements
    let mut articles: Vec<usize> = Vec::new();
    // inside <pre> the line breaks are the text's own (a plain text saved as HTML)
    let mut pre = 0usize;
    while i < range.end {
        articles.retain(|&end| end > i);
        let tag = match &toks[i] {
            Token::Text(s) if pre > 0 => {
                out.push_str(&decode_entities(s));
                i += 1;
                continue;
            }
            Token::Text(s) => {
                push_text(out, s);
                i += 1;
                continue;
            }
            Token::Tag(tag) => tag,
        };
        if !tag.closing
            && let Some(end) = ends[i]
            && is_furniture(tag, !articles.is_empty(), || {
                let inner = &toks[i..end];
                holds_h1(inner) || 2 * text_len(inner) > page_text
            })
        {
            i = end + 1;
            out.push_str("\n\n");
            continue;
        }
        let name = tag.name.as_str();
        if name == "pre" {
            pre = if tag.closing {
                pre.saturating_sub(1)
            } else {
                pre + 1
            };
        }
        if !tag.closing
            && name == "article"
            && let Some(end) = ends[i]
        {
            articles.push(end);
        }
        if !tag.closing && name == "time" && time.is_none() {
            *time = tag.attr("datetime").as_deref().and_then(iso_date);
        }
        if BLOCK.contains(&name) {
            if name == "br" {
                out.push('\n');
            } else {
                out.push_str("\n\n");
            }
            if name == "li" && !tag.closing {
                out.push_str("• ");
            }
        } else if name == "img" && !tag.closing {
            // alt texts are image descriptions: kept as their own paragraph so the
            // boilerplate stage can recognise and drop them
            if let Some(alt) = tag.attr("alt").filter(|a| !a.trim().is_empty()) {
                out.push_str("\n\n");
                push_text(out, &alt);
                out.push_str("\n\n");
            }
        }
        i += 1;
    }
}

/// Whether an element is page furniture rather than content. Elements named for
/// furniture (`nav`, `aside`, …) always are; one marked so only by role or class
/// words is not when it is central: it holds the `<h1>` or most of the page's text
/// (a `<body class="has-sidebar">` or a wrapper `<div class="page-header-layout">`).
/// Headers count only outside an article, headers and footers only when not central.
fn is_furniture(tag: &Tag, in_article: bool, central: impl Fn() -> bool) -> bool {
    if matches!(tag.name.as_str(), "html" | "body" | "main") {
        return false;
    }
    if tag.attr("hidden").is_some()
        || tag
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if DROP_ELEMENTS.contains(&tag.name.as_str()) {
        return true;
    }
    let role_says = tag
        .attr("role")
        .is_some_and(|r| DROP_ROLES.contains(&r.to_ascii_lowercase().as_str()));
    let words: Vec<String> = [tag.attr("class"), tag.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|v| {
            v.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let words_say = words
        .iter()
        .any(|w| DROP_WORDS.contains(&w.as_str()) || DROP_PARTS.iter().any(|p| w.contains(p)));
    // an article's own header holds its headline and date; its footer, tags and
    // share links
    let frame = tag.name == "footer"
        || (!in_article
            && (tag.name == "header" || words.iter().any(|w| FRAME_WORDS.contains(&w.as_str()))));
    (role_says || words_say || frame) && !central()
}

/// Characters of text in tokens.
fn text_len(toks: &[Token]) -> usize {
    toks.iter()
        .map(|t| match t {
            Token::Text(s) => s.trim().len(),
            Token::Tag(_) => 0,
        })
        .sum()
}

fn holds_h1(toks: &[Token]) -> bool {
    toks.iter()
        .any(|t| matches!(t, Token::Tag(tag) if tag.name == "h1" && !tag.closing))
}

/// `YYYY-MM-DD` from the start of an ISO 8601 date or date-time.
fn iso_date(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        .then(|| d.to_string())
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Whitespace collapsed to single spaces; `None` when nothing is left.
fn one_line(s: &str) -> Option<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn push_text(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    // whitespace in HTML text is not layout: collapse it, line breaks come from tags
    let decoded = decode_entities(text);
    let mut last_space = out.ends_with([' ', '\n']);
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preformatted_text_keeps_its_paragraphs() {
        for page in [
            "<html><body><pre>Neues Portal\n\nDie Stadt hat ein Portal.\nZweite Zeile.\n\nDritter Absatz.</pre></body></html>",
            "<body><main><pre>Bauakte digital\n\nDer Kreis &amp; die Gemeinden.\n\nEnde.</pre></main></body>",
        ] {
            let t = to_text(page);
            assert!(t.matches("\n\n").count() >= 2, "{t:?}");
        }
        assert!(to_text("<pre>a\nb</pre>").contains("a\nb"));
    }

    #[test]
    fn keeps_headings_and_paragraphs_drops_scripts() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\
            <h1>Augustdorf: Flexibel arbeiten</h1><script>var a = '<p>';</script>\
            <p>Die Gemeinde&nbsp;Augustdorf stellt   um.</p><!-- c --><p>B&uuml;rger &amp; Co.</p></body></html>";
        let t = to_text(html);
        let paras: Vec<&str> = t
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(
            paras,
            [
                "title: x",
                "Augustdorf: Flexibel arbeiten",
                "Die Gemeinde\u{a0}Augustdorf stellt um.",
                "Bürger & Co."
            ]
        );
    }

    #[test]
    fn alt_texts_become_paragraphs() {
        let t = to_text("<p>Text</p><img src=a.jpg alt=\"Das Foto zeigt das Rathaus\"><p>Mehr</p>");
        assert!(t.contains("\n\nDas Foto zeigt das Rathaus\n\n"), "{t:?}");
    }

    #[test]
    fn broken_markup_does_not_fail() {
        for s in [
            "<",
            "<p",
            "<script>",
            "&#99999999;",
            "&",
            "<img alt='x",
            "<<>>",
        ] {
            let _ = to_text(s);
        }
    }

    fn paragraphs(t: &str) -> Vec<String> {
        t.split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect()
    }

    #[test]
    fn an_article_page_keeps_its_text_and_loses_the_frame() {
        let t = to_text(include_str!("../../../tests/fixtures/pages/article.html"));
        assert!(t.starts_with(
            "title: Digitale Bauakte im Kreis Lippe startet\ndate: 2024-03-14\nurl: https://www.kreis-lippe.example/presse/digitale-bauakte\n\n"
        ), "{t}");
        let paras = paragraphs(&t);
        for heading in [
            "Digitale Bauakte im Kreis Lippe startet",
            "Weniger Papier, kürzere Wege",
        ] {
            assert!(paras.iter().any(|p| p == heading), "{heading}: {paras:#?}");
        }
        assert!(t.contains("Axel Lehmann"));
        for frame in [
            "Cookies",
            "Bürgerservice",
            "Startseite",
            "Teilen",
            "Weitere Meldungen",
            "Impressum",
            "Schlagworte",
            "Zum Inhalt",
        ] {
            assert!(!t.contains(frame), "{frame} kept: {t}");
        }
    }

    #[test]
    fn a_listing_page_keeps_every_teaser() {
        let t = to_text(include_str!("../../../tests/fixtures/pages/listing.html"));
        let paras = paragraphs(&t);
        for heading in [
            "Pressemitteilungen",
            "Musterhausen führt Online-Terminvergabe im Bürgerbüro ein",
            "Stadtbibliothek verleiht Tablets an Seniorinnen und Senioren",
            "Mängelmelder der Stadt Musterhausen erreicht 5000 Meldungen",
        ] {
            assert!(paras.iter().any(|p| p == heading), "{heading}: {paras:#?}");
        }
        for frame in [
            "Leben in Musterhausen",
            "Nächste Seite",
            "Newsletter",
            "Instagram",
            "© 2024",
            "Cookies",
            "Suchen",
        ] {
            assert!(!t.contains(frame), "{frame} kept: {t}");
        }
    }

    #[test]
    fn a_page_without_landmarks_loses_its_frame_by_class_words() {
        let t = to_text(include_str!("../../../tests/fixtures/pages/divsoup.html"));
        assert!(
            t.starts_with("title: Kreis Soest: Barcamp für Beschäftigte\n\n"),
            "{t}"
        );
        assert!(t.contains("Petra Kühn") && t.contains("[03.04.2023]"));
        for frame in ["Aktuelles", "Abfallkalender", "Seite teilen", "Hoher Weg"] {
            assert!(!t.contains(frame), "{frame} kept: {t}");
        }
    }

    #[test]
    fn a_small_main_is_not_trusted() {
        // a <main> around only a search box: the page's text lies outside it
        let body = "Die Gemeinde Augustdorf stellt ihre Verwaltung auf flexible Arbeitszeiten um. "
            .repeat(4);
        let t = to_text(&format!(
            "<main><p>Suche</p></main><div><p>{body}</p></div>"
        ));
        assert!(t.contains("flexible Arbeitszeiten"), "{t}");
    }

    #[test]
    fn the_date_comes_from_time_when_the_head_has_none() {
        let t =
            to_text("<p>Am <time datetime='2023-11-02T10:00'>2. November</time> ging es los.</p>");
        assert!(t.starts_with("date: 2023-11-02\n\n"), "{t}");
        assert_eq!(iso_date("2023-1-02"), None);
        assert_eq!(iso_date("heute"), None);
    }

    #[test]
    fn wrappers_with_furniture_words_are_kept() {
        // theme classes on the body and the page wrapper name a sidebar and a
        // header layout; the wrapper holds the whole text and stays
        let t = to_text(
            "<body class='page has-sidebar'><div class='site-wrapper header-fixed'>\
             <div class='menu'><a href='/'>Start</a></div>\
             <p>Die Stadt Musterhausen vergibt Termine im Bürgerbüro jetzt online.</p>\
             </div></body>",
        );
        assert!(t.contains("Termine im Bürgerbüro"), "{t}");
        assert!(!t.contains("Start"), "{t}");
    }

    #[test]
    fn unclosed_furniture_drops_only_its_tag() {
        let t = to_text("<div class='share'><p>Der Text bleibt.</p>");
        assert!(t.contains("Der Text bleibt."), "{t}");
    }
}
