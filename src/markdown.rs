//! Markdown bodies to safe HTML.
//!
//! Headings move one level down (the page title is the only h1) and get ids; links to
//! other entries' `.md` files become their URLs; links with script schemes are
//! neutralised; raw HTML is sanitised with ammonia only when a body contains some, so
//! the common case stays fast.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::Diagnostic;
use crate::slug;

/// The HTML of a body and what rendering found.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Entry files this body links to (for incremental rebuilds).
    pub links: Vec<PathBuf>,
    pub has_code: bool,
}

/// How links in a body are written.
pub struct LinkContext<'a> {
    /// The entry file, relative to the site root (`content/a.md`).
    pub path: &'a Path,
    /// File line where the body starts.
    pub body_line: usize,
    /// The whole body text, for line numbers.
    pub body: &'a str,
    /// Prefix from the page to the site root ("../../" or the base URL).
    pub root: &'a str,
    /// Appended to directory URLs ("index.html" for file:// use, or "").
    pub index: &'a str,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders a body. `entry_url` maps an entry file (relative to the site root) to its
/// URL path relative to the site root ("praxis/slug/"), or None when there is no
/// such published entry; `is_draft` tells whether a missing target is a draft.
pub fn render(
    ctx: &LinkContext,
    entry_url: &dyn Fn(&Path) -> Option<String>,
    is_draft: &dyn Fn(&Path) -> bool,
) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(ctx.body, options())
        .into_offset_iter()
        .collect();
    let mut has_raw_html = false;
    let mut used_ids = HashSet::new();

    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => out.has_code = true,
            Event::Start(Tag::Heading { .. }) => {
                let text = heading_text(&events[i + 1..]);
                if let Event::Start(Tag::Heading {
                    level, id, attrs, ..
                }) = &mut events[i].0
                {
                    // `{#id .class key=value}` may set any attribute, `onclick`
                    // included, and bodies without raw HTML are not sanitised:
                    // keep the id and classes, drop the rest
                    attrs.clear();
                    *level = demote(*level);
                    let base = match id {
                        Some(given) => slug::slugify(given),
                        None => slug::slugify(&text),
                    };
                    let base = if base.is_empty() {
                        "abschnitt".to_string()
                    } else {
                        base
                    };
                    let mut candidate = base.clone();
                    let mut n = 1;
                    while !used_ids.insert(candidate.clone()) {
                        n += 1;
                        candidate = format!("{base}-{n}");
                    }
                    *id = Some(CowStr::from(candidate));
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                events[i].0 = Event::End(TagEnd::Heading(demote(*level)));
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                let range = events[i].1.clone();
                rewrite_link(&mut events[i].0, range, ctx, entry_url, is_draft, &mut out);
            }
            _ => {}
        }
        i += 1;
    }

    let events = if out.has_code {
        highlight_code_blocks(events.into_iter().map(|(e, _)| e).collect())
    } else {
        events.into_iter().map(|(e, _)| e).collect()
    };
    out.html = HTML_BUFFER.with_borrow_mut(|html| {
        html.clear();
        pulldown_cmark::html::push_html(html, events.into_iter());
        // Bodies are kept until every page is written, so each gets a copy of
        // exactly its length. Shrinking the buffer would not do: an allocator may
        // leave a block that shrinks by less than half where it is (mimalloc
        // does), and at 100,000 entries that slack is a third of a gigabyte.
        if has_raw_html {
            sanitise(html).as_str().to_owned()
        } else {
            html.as_str().to_owned()
        }
    });
    out
}

thread_local! {
    /// The HTML of the body being rendered, grown once per thread.
    static HTML_BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Replaces fenced code blocks with a known language by highlighted HTML (CSS
/// classes, no inline styles, so the theme's Content-Security-Policy holds). The
/// syntax definitions load only when a body has such a block.
fn highlight_code_blocks(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) = &event
        else {
            out.push(event);
            continue;
        };
        let lang: String = info
            .split([' ', ','])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#'))
            .collect();
        let mut inner = Vec::new();
        for e in iter.by_ref() {
            if matches!(e, Event::End(TagEnd::CodeBlock)) {
                break;
            }
            inner.push(e);
        }
        let code: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        match highlight(&code, &lang) {
            Some(html) => out.push(Event::Html(CowStr::from(html))),
            None => {
                out.push(event);
                out.extend(inner);
                out.push(Event::End(TagEnd::CodeBlock));
            }
        }
    }
    out
}

/// Class prefix of highlighted code; `syntax.css` styles these classes.
pub const HIGHLIGHT_PREFIX: &str = "hl-";

fn syntaxes() -> &'static syntect::parsing::SyntaxSet {
    static SET: std::sync::OnceLock<syntect::parsing::SyntaxSet> = std::sync::OnceLock::new();
    SET.get_or_init(syntect::parsing::SyntaxSet::load_defaults_newlines)
}

fn highlight(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        syntect::html::ClassStyle::SpacedPrefixed {
            prefix: HIGHLIGHT_PREFIX,
        },
    );
    for line in syntect::util::LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(format!(
        "<pre class=\"code\"><code class=\"language-{lang}\">{}</code></pre>\n",
        generator.finalize()
    ))
}

/// The stylesheet for highlighted code, light and dark.
pub fn highlight_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let style = syntect::html::ClassStyle::SpacedPrefixed {
        prefix: HIGHLIGHT_PREFIX,
    };
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| syntect::html::css_for_theme_with_class_style(t, style).ok())
            .unwrap_or_default()
    };
    format!(
        "{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub"),
        css("base16-ocean.dark")
    )
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn heading_text(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

fn rewrite_link(
    event: &mut Event,
    range: std::ops::Range<usize>,
    ctx: &LinkContext,
    entry_url: &dyn Fn(&Path) -> Option<String>,
    is_draft: &dyn Fn(&Path) -> bool,
    out: &mut Rendered,
) {
    let dest = match event {
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            dest_url
        }
        _ => return,
    };
    let url = dest.trim().to_string();
    let (line, col) = {
        let (l, c) = crate::diag::line_col(ctx.body, range.start);
        (l + ctx.body_line - 1, c)
    };
    let file_text = || {
        // the diagnostic shows the body line itself
        ctx.body
            .lines()
            .nth(line - ctx.body_line)
            .unwrap_or_default()
            .to_string()
    };
    if is_unsafe_scheme(&url) {
        *dest = CowStr::from("#");
        let mut d = Diagnostic::warning(
            ctx.path,
            format!("link to `{}` removed", truncate(&url, 40)),
        )
        .hint("script links are not allowed; link to a web page (https://...) instead");
        d.line = line;
        d.col = col;
        d.source_line = Some(file_text());
        out.diagnostics.push(d);
        return;
    }
    if url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with('#')
    {
        return;
    }
    let (file_part, fragment) = match url.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (url.as_str(), None),
    };
    if !file_part.ends_with(".md") {
        return;
    }
    let base = ctx.path.parent().unwrap_or(Path::new(""));
    let target = normalise(&base.join(percent_decode(file_part)));
    match target.as_ref().and_then(|t| entry_url(t)) {
        Some(path) => {
            out.links.push(target.unwrap_or_default());
            let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            *dest = CowStr::from(format!("{}{}{}{}", ctx.root, path, ctx.index, frag));
        }
        None => {
            let draft = target.as_deref().is_some_and(is_draft);
            let message = if draft {
                format!("the link to `{file_part}` points to a draft, which is not published")
            } else {
                format!("the link to `{file_part}` points to no entry")
            };
            let hint = if draft {
                "publish the linked entry (remove draft = true) or remove the link".to_string()
            } else {
                "write the path of another entry's .md file relative to this file, e.g. [siehe](andere-praxis.md)".to_string()
            };
            let mut d = Diagnostic::error(ctx.path, message).hint(hint);
            d.line = line;
            d.col = col;
            d.source_line = Some(file_text());
            out.diagnostics.push(d);
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// Schemes that run code in the browser.
pub fn is_unsafe_scheme(url: &str) -> bool {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:application",
        // SVG documents can carry script
        "data:image/svg",
    ]
    .iter()
    .any(|s| compact.starts_with(s))
}

/// Joins `..` and `.` away; None when the path climbs above the site root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes scripts, event handlers, frames and styles from HTML written by editors.
pub fn sanitise(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id"])
        .add_tag_attributes("th", ["align"])
        .add_tag_attributes("td", ["align"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("pre", ["class"])
        .add_tags(["sup", "section"])
        .add_tag_attributes("a", ["href", "title"])
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
    builder.clean(html).to_string()
}

/// Plain text of rendered HTML, for descriptions and search: block ends become
/// spaces, inline tags vanish.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = rest[start + 1..start + end].trim_start_matches('/');
        let name = &tag[..tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len())];
        if !matches!(
            name,
            "a" | "em" | "strong" | "code" | "del" | "sup" | "sub" | "span" | "abbr"
        ) {
            out.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    if !rest.contains('<') {
        out.push_str(rest);
    }
    let out = if out.contains('&') {
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        out
    };
    let mut text = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// The text of the first paragraph of rendered HTML.
pub fn first_paragraph(html: &str) -> Option<String> {
    let start = html.find("<p>")?;
    let end = html[start..].find("</p>")? + start;
    let text = plain_text(&html[start..end]);
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_body(body: &str) -> Rendered {
        let ctx = LinkContext {
            path: Path::new("content/2021/a.md"),
            body_line: 5,
            body,
            root: "../../",
            index: "index.html",
        };
        let urls = |p: &Path| {
            (p == Path::new("content/2021/b.md") || p == Path::new("content/c.md"))
                .then(|| format!("praxis/{}/", p.file_stem().unwrap().to_string_lossy()))
        };
        render(&ctx, &urls, &|p| p == Path::new("content/d.md"))
    }

    #[test]
    fn headings_are_demoted_and_get_ids() {
        let r = render_body("# Ziel\n\n## Ziel\n\n### Über uns {#team}\n");
        assert_eq!(
            r.html,
            "<h2 id=\"ziel\">Ziel</h2>\n<h3 id=\"ziel-2\">Ziel</h3>\n<h4 id=\"team\">Über uns</h4>\n"
        );
    }

    #[test]
    fn entry_links_are_rewritten() {
        let r = render_body("Siehe [B](b.md#x) und [C](../c.md).\n");
        assert!(
            r.html.contains("href=\"../../praxis/b/index.html#x\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"../../praxis/c/index.html\""),
            "{}",
            r.html
        );
        assert!(r.diagnostics.is_empty());
        assert_eq!(r.links.len(), 2);
    }

    #[test]
    fn missing_link_target_is_an_error_with_file_line() {
        let r = render_body("Text\n\nSiehe [X](fehlt.md) und [D](../d.md)\n");
        assert_eq!(r.diagnostics.len(), 2);
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.col), (7, 7));
        assert_eq!(d.message, "the link to `fehlt.md` points to no entry");
        assert!(r.diagnostics[1].message.contains("draft"));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let r = render_body(
            "Hallo <script>alert(1)</script> <img src=x onerror=alert(1)> <iframe src=\"https://x\"></iframe>\n\n[x](javascript:alert(1))\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("<iframe"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers() {
        let r = render_body("# Titel {#ziel .wichtig onclick=alert(1) style=x}\n");
        assert_eq!(r.html, "<h2 id=\"ziel\" class=\"wichtig\">Titel</h2>\n");
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let r =
            render_body("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~alt~~ neu[^1]\n\n[^1]: Fußnote\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>alt</del>"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let r = render_body("```rust\nfn main() {}\n```\n\n```unbekannt\nx\n```\n");
        assert!(r.has_code);
        assert!(
            r.html
                .contains("<pre class=\"code\"><code class=\"language-rust\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(
            r.html.contains("<code class=\"language-unbekannt\">x"),
            "{}",
            r.html
        );
        assert!(highlight_css().contains(".hl-"));
    }

    #[test]
    fn plain_text_keeps_words_together() {
        let html = "<h2>Ziel</h2>\n<p>Das <a href=\"x\">Amt</a>. Mehr &amp; mehr</p>";
        assert_eq!(plain_text(html), "Ziel Das Amt. Mehr & mehr");
        assert_eq!(
            first_paragraph(html).as_deref(),
            Some("Das Amt. Mehr & mehr")
        );
    }
}
