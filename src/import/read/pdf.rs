//! PDF seeds to text: the glyphs of the text layer with their positions, handed to
//! [`super::layout`] for reading order, running lines and paragraphs.
//!
//! The PDF is parsed by `pdf-extract` (on `lopdf`), which decodes fonts, encodings
//! and content streams and reports each glyph with its place on the page. That crate
//! panics on some malformed input (it unwraps where a file breaks the spec), so every
//! call into it runs under `catch_unwind`: a damaged file is an error for that file,
//! never a crash of the import. A PDF encrypted with an empty user password (only
//! copying or printing restricted, common for press releases) is opened; one that
//! needs a password is an error.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::ReadError;
use super::layout::{self, Glyph, Page};

/// Most pages read from one PDF: a press release has a handful; a 500-page report is
/// not one seed.
pub const MAX_PAGES: usize = 500;

/// Text of a PDF in reading order.
pub fn read(bytes: &[u8]) -> Result<String, ReadError> {
    let pages = glyphs(bytes)?;
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(ReadError::NoTextLayer);
    }
    let text = layout::text(&pages);
    if text.trim().is_empty() {
        return Err(ReadError::NoTextLayer);
    }
    Ok(text)
}

/// The glyphs of every page, each page's as the content stream draws them.
pub fn glyphs(bytes: &[u8]) -> Result<Vec<Page>, ReadError> {
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(ReadError::DamagedPdf(
            "it does not start like a PDF (no %PDF- header)".into(),
        ));
    }
    let quiet = QuietPanics::new();
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<Page>, ReadError> {
        let mut doc = pdf_extract::Document::load_mem(bytes)
            .map_err(|e| ReadError::DamagedPdf(e.to_string()))?;
        if doc.is_encrypted() && doc.decrypt("").is_err() {
            return Err(ReadError::Encrypted);
        }
        let pages = doc.get_pages();
        if pages.is_empty() {
            return Err(ReadError::DamagedPdf("it has no pages".into()));
        }
        if pages.len() > MAX_PAGES {
            return Err(ReadError::DamagedPdf(format!(
                "it has {} pages, more than the {MAX_PAGES} a seed may have",
                pages.len()
            )));
        }
        let mut sink = Collect::default();
        pdf_extract::output_doc(&doc, &mut sink).map_err(|e| match e {
            OutputError::PdfError(e) => ReadError::DamagedPdf(e.to_string()),
            e => ReadError::DamagedPdf(e.to_string()),
        })?;
        Ok(sink.pages)
    }));
    drop(quiet);
    match result {
        Ok(r) => r,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the parser gave up");
            Err(ReadError::DamagedPdf(format!(
                "its structure breaks the PDF rules ({})",
                why.lines().next().unwrap_or(why)
            )))
        }
    }
}

/// Receives the glyphs from `pdf-extract`.
#[derive(Default)]
struct Collect {
    pages: Vec<Page>,
}

impl OutputDev for Collect {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(Page {
            height: (media_box.ury - media_box.lly) as f32,
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // the glyph's size on the page: the text matrix may scale the font
        // (as pdf-extract's own text output measures it)
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        if let Some(page) = self.pages.last_mut() {
            page.glyphs.push(Glyph {
                x: trm.m31 as f32,
                y: trm.m32 as f32,
                w: (width * size) as f32,
                size: size as f32,
                text: char.to_string(),
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Silences the panic message of the PDF parser while it runs: a damaged seed is
/// reported as a diagnostic, not as a panic on stderr. Other threads' panics still
/// print (the hook is process-wide, so it forwards what is not ours).
struct QuietPanics;

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl QuietPanics {
    fn new() -> Self {
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.with(std::cell::Cell::get) {
                    previous(info);
                }
            }));
        });
        QUIET.with(|q| q.set(true));
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}
