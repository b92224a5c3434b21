//! A small HTML scanner that finds markup able to run code: script, frame and
//! object elements, `on…=` event handler attributes and script URLs in link
//! attributes. Shared by the integration tests, the property tests and the fuzz
//! targets (which include this file by path), so it uses only the standard library.

/// Elements that must never come from an editor's text.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "style", "form", "svg", "math",
];

/// Attributes whose value is a URL the browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
];

/// One element's start tag: its name and attributes (names lowercased, values
/// with character references decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

/// Every start tag of `html`, in order.
pub fn start_tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        // comments are skipped whole
        if html[i..].starts_with("<!--") {
            i = html[i + 4..]
                .find("-->")
                .map_or(bytes.len(), |e| i + 4 + e + 3);
            continue;
        }
        let mut j = i + 1;
        if j >= bytes.len() || !bytes[j].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        while j < bytes.len() && !matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attributes = Vec::new();
        // attributes until '>'
        loop {
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r' | b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                j += 1;
                break;
            }
            let start = j;
            while j < bytes.len()
                && !matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>' | b'=')
            {
                j += 1;
            }
            let attr = html[start..j].to_ascii_lowercase();
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r') {
                    j += 1;
                }
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j];
                    let vstart = j + 1;
                    j = vstart;
                    while j < bytes.len() && bytes[j] != quote {
                        j += 1;
                    }
                    value = decode_references(&html[vstart..j.min(bytes.len())]);
                    j += 1;
                } else {
                    let vstart = j;
                    while j < bytes.len()
                        && !matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r' | b'>')
                    {
                        j += 1;
                    }
                    value = decode_references(&html[vstart..j]);
                }
            }
            if !attr.is_empty() {
                attributes.push((attr, value));
            }
        }
        tags.push(Tag { name, attributes });
        i = j.min(bytes.len());
    }
    tags
}

/// What in `html` could run code, one line per finding; empty when the HTML is safe.
/// `allowed` lets through forbidden elements that are the theme's own (their
/// attributes are still checked).
pub fn unsafe_markup(html: &str, allowed: &dyn Fn(&Tag) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        if FORBIDDEN_TAGS.contains(&tag.name.as_str()) && !allowed(&tag) {
            found.push(format!("<{}> element", tag.name));
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                found.push(format!("<{} {name}=…> event handler", tag.name));
            }
            if URL_ATTRIBUTES.contains(&name.as_str()) && is_script_url(value) {
                found.push(format!("<{} {name}=\"{value}\"> script URL", tag.name));
            }
        }
    }
    found
}

/// Nothing forbidden is allowed (for rendered Markdown bodies).
pub fn no_script(_: &Tag) -> bool {
    false
}

/// A whole page: the theme's head (meta, link), its search form, its charts
/// (inline SVG the build generates), JSON-LD data blocks and script files of the
/// site itself.
pub fn theme_script(tag: &Tag) -> bool {
    match tag.name.as_str() {
        "meta" | "link" | "form" => true,
        "svg" => tag
            .attributes
            .iter()
            .any(|(n, v)| n == "class" && (v == "landmap" || v == "barchart")),
        "script" => tag.attributes.iter().any(|(n, v)| {
            (n == "type" && v == "application/ld+json")
                || (n == "src" && !v.contains(':') && !v.starts_with("//"))
        }),
        _ => false,
    }
}

/// True for URLs a browser would run as script.
pub fn is_script_url(url: &str) -> bool {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.starts_with("javascript:")
        || compact.starts_with("vbscript:")
        || compact.starts_with("data:text/html")
        || compact.starts_with("data:application")
        || compact.starts_with("data:image/svg")
}

/// Decodes the character references a browser would decode in an attribute value.
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let entity = &rest[1..end];
        let decoded = if let Some(num) = entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = entity.strip_prefix('#') {
            num.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                if rest.starts_with(';') {
                    rest = &rest[1..];
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_runs_code_and_nothing_else() {
        let bad = r#"<p onclick="x">a</p><a href="&#106;avascript:alert(1)">b</a><IFRAME src=x></IFRAME><script>1</script>"#;
        let found = unsafe_markup(bad, &no_script);
        assert_eq!(found.len(), 4, "{found:?}");
        let good = r#"<p title="onclick=x">javascript: is text here &lt;script&gt;</p><a href="https://x.de/?a=1&amp;b=2">x</a><!-- <script> -->"#;
        assert!(unsafe_markup(good, &no_script).is_empty());
        let theme = r#"<meta charset="utf-8"><script type="application/ld+json">{}</script><script src="../search.js"></script>"#;
        assert!(unsafe_markup(theme, &theme_script).is_empty());
        assert_eq!(unsafe_markup(theme, &no_script).len(), 3);
    }
}
