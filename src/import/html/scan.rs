//! A forgiving HTML tokenizer: text, tags with their attributes, nothing else.
//!
//! Seeds are crawled pages, often not well-formed; this never fails, it only
//! splits. Comments vanish, the content of raw-text elements (script, style) is
//! skipped, a `<title>`'s text is kept as text.

/// One piece of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
    Tag(Tag<'a>),
}

/// An opening or closing tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Lowercase element name.
    pub name: String,
    pub closing: bool,
    /// Written `<x/>` or an element that never has content.
    pub void: bool,
    /// Everything between the name and `>`.
    attrs: &'a str,
}

/// Elements whose content is never text of the page; skipped up to their end tag.
const RAW: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "textarea", "object",
];
/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

impl Tag<'_> {
    /// An attribute's value, entities decoded; `Some("")` for a bare attribute.
    pub fn attr(&self, name: &str) -> Option<String> {
        let mut rest = self.attrs;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let key_end = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let key = &rest[..key_end];
            rest = rest[key_end..].trim_start();
            let value = if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (v, r) = if let Some(q) = after.strip_prefix('"') {
                    q.split_once('"').unwrap_or((q, ""))
                } else if let Some(q) = after.strip_prefix('\'') {
                    q.split_once('\'').unwrap_or((q, ""))
                } else {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                };
                rest = r;
                v
            } else {
                ""
            };
            if key.eq_ignore_ascii_case(name) {
                return Some(decode_entities(value));
            }
        }
    }
}

/// Splits a page into tokens.
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if lt > 0 {
            out.push(Token::Text(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let body = &rest[1..];
        let closing = body.starts_with('/');
        let name_part = body.trim_start_matches('/');
        let name_len = name_part
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(name_part.len());
        if name_len == 0 || !name_part.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // `<!DOCTYPE`, `<?xml`, a lone `<` in text: not an element
            if body.starts_with(['!', '?']) {
                rest = body.find('>').map_or("", |i| &body[i + 1..]);
            } else {
                out.push(Token::Text("<"));
                rest = body;
            }
            continue;
        }
        let name = name_part[..name_len].to_ascii_lowercase();
        let after_name = &name_part[name_len..];
        let Some(gt) = tag_end(after_name) else {
            break;
        };
        let attrs = &after_name[..gt];
        rest = &after_name[gt + 1..];
        let void = VOID.contains(&name.as_str()) || attrs.trim_end().ends_with('/');
        if !closing && !void && RAW.contains(&name.as_str()) {
            rest = skip_past_end_tag(rest, &name);
            continue;
        }
        if !closing && name == "title" {
            // text only: no tags inside a title
            let end = find_ci(rest, "</title").unwrap_or(rest.len());
            out.push(Token::Tag(Tag {
                name: name.clone(),
                closing: false,
                void: false,
                attrs,
            }));
            out.push(Token::Text(&rest[..end]));
            out.push(Token::Tag(Tag {
                name,
                closing: true,
                void: false,
                attrs: "",
            }));
            rest = skip_past_end_tag(rest, "title");
            continue;
        }
        out.push(Token::Tag(Tag {
            name,
            closing,
            void,
            attrs,
        }));
    }
    if !rest.is_empty() {
        out.push(Token::Text(rest));
    }
    out
}

/// The byte index of the `>` that ends a tag, quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'>') => return Some(i),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            _ => {}
        }
    }
    None
}

fn skip_past_end_tag<'a>(rest: &'a str, name: &str) -> &'a str {
    find_ci(rest, &format!("</{name}")).map_or("", |i| {
        let r = &rest[i..];
        r.find('>').map_or("", |j| &r[j + 1..])
    })
}

/// Byte index of an ASCII `needle` in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Decodes named (common ones) and numeric character references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|&j| j <= 10);
        let decoded = end.and_then(|j| entity(&rest[1..j]).map(|c| (c, j)));
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "ndash" => '–',
        "mdash" => '—',
        "bdquo" => '„',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "copy" => '©',
        "euro" => '€',
        "shy" => '\u{ad}',
        "middot" => '·',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag<'a>(t: &'a Token<'a>) -> &'a Tag<'a> {
        match t {
            Token::Tag(tag) => tag,
            Token::Text(s) => panic!("text {s:?}"),
        }
    }

    #[test]
    fn attributes_with_quotes_and_without() {
        let toks = tokens(r#"<a href="/x?a=1&amp;b=2" title='a > b' hidden data-x=7>"#);
        let t = tag(&toks[0]);
        assert_eq!(t.attr("href").as_deref(), Some("/x?a=1&b=2"));
        assert_eq!(t.attr("title").as_deref(), Some("a > b"));
        assert_eq!(t.attr("hidden").as_deref(), Some(""));
        assert_eq!(t.attr("data-x").as_deref(), Some("7"));
        assert_eq!(t.attr("class"), None);
    }

    #[test]
    fn scripts_vanish_titles_stay_text() {
        let toks = tokens("<title>A &amp; B</title><SCRIPT>if (a<b) {}</script>x");
        assert_eq!(toks[1], Token::Text("A &amp; B"));
        assert_eq!(toks.last(), Some(&Token::Text("x")));
        assert_eq!(toks.len(), 4);
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        let toks = tokens("3 < 4 <!doctype html><br/>");
        assert_eq!(toks[0], Token::Text("3 "));
        assert_eq!(toks[1], Token::Text("<"));
        assert!(tag(&toks[3]).void);
    }
}
