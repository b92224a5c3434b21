//! Seed files to text, by format: the first stage of the import.
//!
//! `.txt`, `.md` and `.html` go through [`super::decode`] (and [`super::html`]), as
//! they always did. `.pdf` goes through [`pdf`] (the text layer in reading order,
//! running headers, footers and page numbers dropped), `.docx` and `.odt` through
//! [`office`] (paragraphs, headings and tables from the document's XML). Every reader
//! hands on plain text with blank lines between paragraphs and headings on their own,
//! so the clean stage treats a PDF or Word seed like a plain-text one.
//!
//! A file that cannot be read is a [`ReadError`] for that file alone: the caller
//! reports it and goes on with the other seeds.

pub mod layout;
pub mod office;
pub mod pdf;

use super::decode::{self, Encoding};
use super::html;

/// Seed file extensions read, lower case.
pub const EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "pdf", "docx", "odt"];

/// The most bytes one part of an office document (its XML) may unpack to. A press
/// release is a few hundred kilobytes at most; more is a damaged file or a zip bomb.
pub const MAX_UNPACKED: u64 = 32 * 1024 * 1024;

/// A seed's text and how its bytes were decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub text: String,
    pub encoding: Encoding,
}

/// Why a seed gave no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// A PDF with pages but no text on them: a scan or a picture.
    #[error("the PDF has no text layer (a scan or an image); nothing was imported from it")]
    NoTextLayer,
    #[error("the PDF is encrypted and cannot be read")]
    Encrypted,
    #[error("the PDF is damaged and cannot be read: {0}")]
    DamagedPdf(String),
    #[error("the {kind} file is damaged and cannot be read: {detail}")]
    DamagedOffice { kind: &'static str, detail: String },
    #[error("the {kind} file unpacks to more than {} MB; it was not read", MAX_UNPACKED / 1_048_576)]
    TooLarge { kind: &'static str },
}

impl ReadError {
    /// A scan is a warning (the file is fine, it only needs OCR); the rest are errors.
    pub fn is_warning(&self) -> bool {
        matches!(self, ReadError::NoTextLayer)
    }

    /// What an editor can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::NoTextLayer => {
                "run OCR first, e.g. `ocrmypdf scan.pdf scan-ocr.pdf`, and put the result in seeds/ instead"
            }
            ReadError::Encrypted => {
                "save or print an unprotected copy of the PDF (or ask the sender for one) and put that in seeds/"
            }
            ReadError::DamagedPdf(_) => {
                "download or export the PDF again; if it opens in a PDF viewer, print it to a new PDF"
            }
            ReadError::DamagedOffice { .. } => {
                "open the file in Word or LibreOffice and save it again (a password-protected file must be saved without the password)"
            }
            ReadError::TooLarge { .. } => {
                "a seed is one article or press release; save the text alone in a new document"
            }
        }
    }
}

/// The format a seed is read as, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    Pdf,
    Docx,
    Odt,
}

fn format(file: &str) -> Format {
    let ext = file
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => Format::Html,
        "pdf" => Format::Pdf,
        "docx" => Format::Docx,
        "odt" => Format::Odt,
        _ => Format::Text,
    }
}

/// Reads one seed; `file` is its path (only the extension matters), `bytes` any bytes.
pub fn read(file: &str, bytes: &[u8]) -> Result<Read, ReadError> {
    let utf8 = |text| Read {
        text,
        encoding: Encoding::Utf8,
    };
    match format(file) {
        Format::Text => {
            let (text, encoding) = decode::decode(bytes);
            Ok(Read { text, encoding })
        }
        Format::Html => {
            let (text, encoding) = decode::decode(bytes);
            Ok(Read {
                text: html::to_text(&text),
                encoding,
            })
        }
        Format::Pdf => pdf::read(bytes).map(utf8),
        Format::Docx => office::docx(bytes).map(utf8),
        Format::Odt => office::odt(bytes).map(utf8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html_read_as_before() {
        let r = read("seeds/a.TXT", b"B\xfcrgerb\xfcro").expect("text never fails");
        assert_eq!(
            (r.text.as_str(), r.encoding),
            ("Bürgerbüro", Encoding::Windows1252)
        );
        let r = read("seeds/a.htm", b"<h1>Kopf</h1><p>Text</p>").expect("html never fails");
        assert!(r.text.contains("Kopf\n\n") && r.text.contains("Text"));
    }

    #[test]
    fn bytes_of_the_wrong_kind_are_a_per_file_error() {
        assert!(matches!(
            read("a.pdf", b"Kommunen im Kreis"),
            Err(ReadError::DamagedPdf(_))
        ));
        for f in ["a.docx", "a.odt"] {
            let e = read(f, b"PK\x03\x04 kaputt").expect_err("not a zip");
            assert!(matches!(e, ReadError::DamagedOffice { .. }), "{e:?}");
            assert!(!e.is_warning());
        }
    }
}
