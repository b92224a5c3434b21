//! HTML seeds to plain text: scripts, styles and comments removed, block elements
//! become paragraph breaks, entities decoded. Headings stay their own paragraph, so
//! the cleaning stage sees them like the headings of a plain-text seed.
//!
//! A small hand-written scanner, not a DOM: seeds are crawled pages, often not
//! well-formed, and only the text with its paragraph structure is wanted.

/// Elements whose content is never text of the page.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe",
];
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
    "nav",
    "aside",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "hr",
    "main",
    "pre",
    "title",
];

/// Converts HTML to text with blank lines between blocks.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
            let end = format!("</{name}");
            rest = find_ci(rest, &end).map_or("", |i| {
                let r = &rest[i..];
                r.find('>').map_or("", |j| &r[j + 1..])
            });
            out.push_str("\n\n");
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            if name == "br" {
                out.push('\n');
            } else {
                out.push_str("\n\n");
            }
            if name == "li" && !closing {
                out.push_str("• ");
            }
        } else if name == "img" && !closing {
            // alt texts are image descriptions: kept as their own paragraph so the
            // boilerplate stage can recognise and drop them
            if let Some(alt) = attr(tag, "alt").filter(|a| !a.trim().is_empty()) {
                out.push_str("\n\n");
                push_text(&mut out, &alt);
                out.push_str("\n\n");
            }
        }
    }
    push_text(&mut out, rest);
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let lower = hay.to_ascii_lowercase();
    lower.find(needle)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let pat = format!("{name}=");
    let mut from = 0;
    while let Some(i) = lower[from..].find(&pat) {
        let at = from + i;
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let val = &tag[at + pat.len()..];
        if before_ok {
            let v = if let Some(q) = val.strip_prefix('"') {
                q.split('"').next().unwrap_or("")
            } else if let Some(q) = val.strip_prefix('\'') {
                q.split('\'').next().unwrap_or("")
            } else {
                val.split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or("")
            };
            return Some(decode_entities(v));
        }
        from = at + pat.len();
    }
    None
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
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
