//! Bytes of a seed file to text: BOM, UTF-8 or Windows-1252, CRLF, HTML.
//!
//! Never fails: bytes that are not UTF-8 are read as Windows-1252 (a superset of
//! ISO-8859-1 for printable text), which maps every byte to some character. What was
//! detected is returned so the caller can report it.

use encoding_rs::WINDOWS_1252;

/// How a seed's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    /// Not valid UTF-8: read as Windows-1252 / ISO-8859-1 and transcoded.
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes a seed's bytes and normalises line ends to `\n`.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8Bom,
        )
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), Encoding::Utf8),
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
}
