//! Bytes of a seed file to text: BOM, UTF-8 or Windows-1252, CRLF, HTML.
//!
//! Never fails: bytes that are not UTF-8 are read as Windows-1252 (a superset of
//! ISO-8859-1 for printable text), which maps every byte to some character. A seed
//! that is UTF-8 apart from a few such bytes (a paragraph pasted from an old file)
//! keeps its UTF-8 and only those bytes are transcoded. What was detected is
//! returned so the caller can report it.

use encoding_rs::WINDOWS_1252;

/// How a seed's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    /// Not UTF-8 at all: read as Windows-1252 / ISO-8859-1 and transcoded.
    Windows1252,
    /// UTF-8 with stray Windows-1252 bytes; `first_line` is where the first one is
    /// (1-based, in the file as read).
    Mixed {
        first_line: usize,
    },
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Mixed { .. } => "UTF-8 with Windows-1252 bytes",
        }
    }
}

/// Decodes a seed's bytes and normalises line ends to `\n`.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (by_chunks(rest), Encoding::Utf8Bom)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), Encoding::Utf8),
            Err(e) if has_utf8_beyond_ascii(bytes) => {
                let first_line = 1 + bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                (by_chunks(bytes), Encoding::Mixed { first_line })
            }
            Err(_) => {
                let (cow, _, _) = WINDOWS_1252.decode(bytes);
                (cow.into_owned(), Encoding::Windows1252)
            }
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    (text, enc)
}

/// Whether some valid UTF-8 sequence of more than one byte occurs: then the seed was
/// written as UTF-8 and its invalid bytes are the exception.
fn has_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// Valid UTF-8 runs as they are, every other byte as Windows-1252.
fn by_chunks(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push_str(&WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_bom_and_crlf() {
        let (t, e) = decode(b"\xEF\xBB\xBFKommunen\r\nim Kreis\r\n");
        assert_eq!((t.as_str(), e), ("Kommunen\nim Kreis\n", Encoding::Utf8Bom));
    }

    #[test]
    fn transcodes_windows_1252() {
        // "Bürgerbüro – Öffnungszeiten" in Windows-1252
        let (t, e) = decode(b"B\xfcrgerb\xfcro \x96 \xd6ffnungszeiten");
        assert_eq!(t, "Bürgerbüro – Öffnungszeiten");
        assert_eq!(e, Encoding::Windows1252);
    }

    #[test]
    fn empty_and_binary_input_do_not_fail() {
        assert_eq!(decode(b"").0, "");
        let (t, _) = decode(&[0, 159, 255, 13]);
        assert_eq!(t.chars().count(), 4);
    }

    #[test]
    fn stray_latin1_bytes_in_utf8_keep_the_utf8() {
        let mut bytes = "Bürgerbüro\nÜbersicht\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"Gro\xdfstadt Gr\xfc\xdfe\n");
        bytes.extend_from_slice("für alle".as_bytes());
        let (t, e) = decode(&bytes);
        assert_eq!(t, "Bürgerbüro\nÜbersicht\nGroßstadt Grüße\nfür alle");
        assert_eq!(e, Encoding::Mixed { first_line: 3 });
    }

    #[test]
    fn a_bom_seed_with_stray_bytes_is_transcoded_not_replaced() {
        let (t, e) = decode(b"\xEF\xBB\xBFStra\xdfe");
        assert_eq!((t.as_str(), e), ("Straße", Encoding::Utf8Bom));
    }
}
