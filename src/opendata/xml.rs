//! A small XML writer for feeds and sitemaps: elements, attributes and text with
//! escaping, nothing else. Characters XML 1.0 forbids are dropped, so no entry text
//! can make a feed unparsable.

/// Escapes text for element content and attribute values (both quote kinds), drops
/// characters that XML 1.0 does not allow at all, and appends it to `out`. Works on
/// bytes and copies the runs between the few bytes that need attention: feeds
/// carry every entry's summary, often several times.
pub fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            // the other C0 controls are not XML characters
            0..=0x1f => ("", 1),
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not either
            0xef if matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement.as_bytes());
        i += len;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// XML 1.0 `Char`, without the whitespace controls handled above (the definition
/// [`escape_into`] is tested against).
#[cfg(test)]
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Builds an indented XML document in memory.
pub struct Writer {
    out: Vec<u8>,
    stack: Vec<&'static str>,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    /// Starts a document with the XML declaration.
    pub fn new() -> Self {
        Writer {
            out: b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_vec(),
            stack: Vec::new(),
        }
    }

    /// A piece of a document whose elements sit `depth` levels deep, to be put
    /// into documents with [`Writer::raw`].
    pub fn fragment(depth: usize) -> Self {
        Writer {
            out: Vec::new(),
            stack: vec![""; depth],
        }
    }

    /// The bytes of a fragment.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Makes room for `additional` more bytes.
    pub fn reserve(&mut self, additional: usize) {
        self.out.reserve(additional);
    }

    /// Appends a fragment written at this writer's depth.
    pub fn raw(&mut self, fragment: &[u8]) -> &mut Self {
        self.out.extend_from_slice(fragment);
        self
    }

    fn indent(&mut self) {
        for _ in 0..self.stack.len() {
            self.out.extend_from_slice(b"  ");
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        for (k, v) in attrs {
            self.out.push(b' ');
            self.out.extend_from_slice(k.as_bytes());
            self.out.extend_from_slice(b"=\"");
            escape_into(&mut self.out, v);
            self.out.push(b'"');
        }
    }

    /// Opens an element that will hold other elements.
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.indent();
        self.tag(name, attrs);
        self.out.extend_from_slice(b">\n");
        self.stack.push(name);
        self
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) -> &mut Self {
        if let Some(name) = self.stack.pop() {
            self.indent();
            self.out.extend_from_slice(b"</");
            self.out.extend_from_slice(name.as_bytes());
            self.out.extend_from_slice(b">\n");
        }
        self
    }

    /// An element holding only text.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.indent();
        self.tag(name, attrs);
        self.out.push(b'>');
        escape_into(&mut self.out, text);
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b">\n");
        self
    }

    /// An element without content.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.indent();
        self.tag(name, attrs);
        self.out.extend_from_slice(b"/>\n");
        self
    }

    /// Closes what is still open and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        while !self.stack.is_empty() {
            self.close();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(text: &str) -> String {
        let mut out = Vec::new();
        escape_into(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{0}\u{1b}\u{FFFE}ü\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;ü\n"
        );
    }

    proptest::proptest! {
        /// The byte-wise escaping equals the definition, one character at a time.
        #[test]
        fn escape_equals_the_definition(text in "(?s).{0,40}|[<>&\"'\\x00-\\x1f\u{FFFD}-\u{FFFF}a-zü]{0,40}") {
            let mut expected = String::new();
            for c in text.chars() {
                match c {
                    '&' => expected.push_str("&amp;"),
                    '<' => expected.push_str("&lt;"),
                    '>' => expected.push_str("&gt;"),
                    '"' => expected.push_str("&quot;"),
                    '\'' => expected.push_str("&apos;"),
                    '\t' | '\n' | '\r' => expected.push(c),
                    c if is_xml_char(c) => expected.push(c),
                    _ => {}
                }
            }
            proptest::prop_assert_eq!(escape(&text), expected);
        }
    }

    #[test]
    fn writer_nests_and_closes() {
        let mut w = Writer::new();
        w.open("feed", &[("xmlns", "urn:x")])
            .text("title", &[], "A & B")
            .empty("link", &[("href", "a?b=1&c=2")]);
        let s = String::from_utf8(w.finish()).unwrap();
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"urn:x\">\n  <title>A &amp; B</title>\n  <link href=\"a?b=1&amp;c=2\"/>\n</feed>\n"
        );
    }
}
