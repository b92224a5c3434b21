//! Word (`.docx`) and OpenDocument (`.odt`) seeds to text.
//!
//! Both are ZIP archives holding the document as XML. What is kept: paragraphs,
//! headings (each its own paragraph, as the HTML reader does, so the importer sees
//! them as headlines), tracked insertions, text boxes, and tables as one line per
//! row with the cells separated by ` | `. What is left out: comments, tracked
//! deletions, footnotes and endnotes, field codes, alternative texts, and tables of
//! contents. Styles only decide which paragraphs are headings.
//!
//! No part is unpacked beyond [`super::MAX_UNPACKED`] bytes, whatever the archive
//! claims: a small file may unpack to gigabytes (a zip bomb).

use std::collections::BTreeMap;
use std::io::{Cursor, Read as _};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{MAX_UNPACKED, ReadError};

/// Cells of a table row are joined with this.
pub const CELL_SEPARATOR: &str = " | ";

/// Text of a Word document.
pub fn docx(bytes: &[u8]) -> Result<String, ReadError> {
    let kind = "Word (.docx)";
    let mut zip = open(bytes, kind)?;
    let document = part(&mut zip, "word/document.xml", kind)?
        .ok_or_else(|| damaged(kind, "it has no word/document.xml"))?;
    // a missing or broken styles part only costs the heading styles
    let styles = part(&mut zip, "word/styles.xml", kind)?
        .map(|s| heading_styles(&s))
        .unwrap_or_default();
    walk(&document, &Docx { styles }).map_err(|e| damaged(kind, &e))
}

/// Text of an OpenDocument text.
pub fn odt(bytes: &[u8]) -> Result<String, ReadError> {
    let kind = "OpenDocument (.odt)";
    let mut zip = open(bytes, kind)?;
    let content = part(&mut zip, "content.xml", kind)?
        .ok_or_else(|| damaged(kind, "it has no content.xml"))?;
    walk(&content, &Odt).map_err(|e| damaged(kind, &e))
}

fn damaged(kind: &'static str, detail: &str) -> ReadError {
    ReadError::DamagedOffice {
        kind,
        detail: detail.to_string(),
    }
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open<'a>(bytes: &'a [u8], kind: &'static str) -> Result<Archive<'a>, ReadError> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| damaged(kind, &format!("it is not a readable ZIP archive ({e})")))
}

/// One member of the archive as text, read up to the size limit; `None` if absent.
fn part(zip: &mut Archive, name: &str, kind: &'static str) -> Result<Option<String>, ReadError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged(kind, &format!("{name} cannot be unpacked ({e})"))),
    };
    let mut buf = Vec::new();
    file.take(MAX_UNPACKED + 1)
        .read_to_end(&mut buf)
        .map_err(|e| damaged(kind, &format!("{name} cannot be unpacked ({e})")))?;
    if buf.len() as u64 > MAX_UNPACKED {
        return Err(ReadError::TooLarge { kind });
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// What an element means for the text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// A paragraph; `true` if it is a heading.
    Paragraph(bool),
    /// Its text content is document text.
    Text,
    /// Everything inside is left out.
    Skip,
    Cell,
    Row,
    Table,
    /// Characters it stands for (tab, line break, spaces).
    Chars(String),
    /// Sets the enclosing paragraph's heading flag (Word's `w:pStyle`, `w:outlineLvl`).
    MarksHeading(bool),
    Other,
}

/// The vocabulary of one format.
trait Dialect {
    fn role(&self, e: &BytesStart) -> Role;
    /// Whether any text inside a paragraph is document text (OpenDocument), or only
    /// that inside [`Role::Text`] elements (Word).
    fn text_in_paragraphs(&self) -> bool;
}

/// Word's elements, with the style ids that are headings.
struct Docx {
    styles: BTreeMap<String, bool>,
}

impl Dialect for Docx {
    fn role(&self, e: &BytesStart) -> Role {
        match e.name().as_ref() {
            "w:p" => Role::Paragraph(false),
            "w:t" => Role::Text,
            // deletions, moved-away text, comments, field codes, footnote text and the
            // fallback copy of alternative content
            "w:del" | "w:moveFrom" | "w:delText" | "w:instrText" | "w:delInstrText"
            | "w:comment" | "w:footnote" | "w:endnote" | "mc:Fallback" | "w:pPrChange"
            | "w:rPrChange" => Role::Skip,
            "w:tab" | "w:ptab" => Role::Chars(" ".into()),
            "w:br" | "w:cr" => Role::Chars("\n".into()),
            "w:noBreakHyphen" => Role::Chars("-".into()),
            "w:tc" => Role::Cell,
            "w:tr" => Role::Row,
            "w:tbl" => Role::Table,
            "w:pStyle" => {
                let id = attr(e, "w:val").unwrap_or_default();
                let heading = self
                    .styles
                    .get(&id)
                    .copied()
                    .unwrap_or_else(|| is_heading_name(&id));
                Role::MarksHeading(heading)
            }
            "w:outlineLvl" => Role::MarksHeading(
                attr(e, "w:val")
                    .and_then(|v| v.parse::<u8>().ok())
                    .is_some_and(|l| l < 9),
            ),
            _ => Role::Other,
        }
    }

    fn text_in_paragraphs(&self) -> bool {
        false
    }
}

/// OpenDocument's elements.
struct Odt;

impl Dialect for Odt {
    fn role(&self, e: &BytesStart) -> Role {
        match e.name().as_ref() {
            "text:p" => Role::Paragraph(false),
            "text:h" => Role::Paragraph(true),
            // the deleted text of tracked changes, comments, footnotes, indexes and
            // image descriptions
            "text:tracked-changes"
            | "office:annotation"
            | "text:note"
            | "text:table-of-content"
            | "text:alphabetical-index"
            | "text:illustration-index"
            | "text:bibliography"
            | "svg:title"
            | "svg:desc"
            | "office:forms"
            | "text:sequence-decls" => Role::Skip,
            "text:tab" => Role::Chars(" ".into()),
            "text:line-break" => Role::Chars("\n".into()),
            "text:s" => {
                let n = attr(e, "text:c")
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1);
                Role::Chars(" ".repeat(n.clamp(1, 8)))
            }
            "table:table-cell" => Role::Cell,
            "table:table-row" => Role::Row,
            "table:table" => Role::Table,
            _ => Role::Other,
        }
    }

    fn text_in_paragraphs(&self) -> bool {
        true
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// A style name that says heading: Word's built-in "heading 1", "Title", and the
/// German style ids ("berschrift1" is what Word makes of "Überschrift 1").
fn is_heading_name(name: &str) -> bool {
    let n = name.to_lowercase();
    n.starts_with("heading") || n == "title" || n.contains("berschrift") || n == "titel"
}

/// Word's paragraph styles by id: whether each is a heading (by name or outline level).
fn heading_styles(xml: &str) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, bool)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "w:style" => {
                current = attr(&e, "w:styleId").map(|id| (id, false));
            }
            Ok(Event::Empty(e) | Event::Start(e)) => {
                if let Some((_, heading)) = current.as_mut() {
                    match e.name().as_ref() {
                        "w:name" => {
                            *heading |= attr(&e, "w:val").is_some_and(|v| is_heading_name(&v));
                        }
                        "w:outlineLvl" => {
                            *heading |= attr(&e, "w:val")
                                .and_then(|v| v.parse::<u8>().ok())
                                .is_some_and(|l| l < 9);
                        }
                        _ => {}
                    }
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == "w:style" => {
                if let Some((id, heading)) = current.take() {
                    out.insert(id, heading);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Paragraphs being built, innermost last (a text box sits inside a paragraph).
#[derive(Default)]
struct Builder {
    out: Vec<Piece>,
    paras: Vec<(String, bool)>,
    /// Open tables, innermost last: the rows done and the cells of the open row.
    tables: Vec<(Vec<String>, Vec<String>)>,
    cell: Vec<String>,
}

impl Builder {
    fn push_text(&mut self, t: &str) {
        if let Some((p, _)) = self.paras.last_mut() {
            p.push_str(t);
        }
    }

    fn end_paragraph(&mut self) {
        let Some((text, heading)) = self.paras.pop() else {
            return;
        };
        // a heading broken over lines is still one headline
        let lines = if heading { " " } else { "\n" };
        let text = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(lines);
        if text.is_empty() {
            if self.paras.is_empty() && self.tables.is_empty() {
                self.out.push(Piece::Empty);
            }
            return;
        }
        if !self.tables.is_empty() && self.paras.is_empty() {
            // a paragraph of a table cell
            self.cell.push(text.replace('\n', " "));
            return;
        }
        if let Some((outer, _)) = self.paras.last_mut()
            && !self.tables.is_empty()
        {
            // a paragraph of a text box inside a table: part of the cell's paragraph
            outer.push(' ');
            outer.push_str(&text);
            return;
        }
        self.out.push(Piece::Paragraph { text, heading });
    }

    fn end_cell(&mut self) {
        let cell = std::mem::take(&mut self.cell).join(" ");
        if let Some((_, cells)) = self.tables.last_mut() {
            cells.push(cell);
        }
    }

    fn end_row(&mut self) {
        if let Some((rows, cells)) = self.tables.last_mut() {
            let cells = std::mem::take(cells);
            if cells.iter().any(|c| !c.is_empty()) {
                rows.push(cells.join(CELL_SEPARATOR));
            }
        }
    }

    fn end_table(&mut self) {
        let Some((rows, _)) = self.tables.pop() else {
            return;
        };
        if rows.is_empty() {
            return;
        }
        if self.tables.is_empty() {
            self.out.push(Piece::Block(rows.join("\n")));
        } else {
            // a table inside a cell: its rows are that cell's text
            self.cell.push(rows.join("; "));
        }
    }
}

/// Walks a document's XML and builds its text.
fn walk(xml: &str, dialect: &dyn Dialect) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut b = Builder::default();
    // the roles of the open elements, so each end knows what it closes
    let mut open: Vec<Role> = Vec::new();
    let mut skipping = 0usize;
    let mut in_text = 0usize;
    let loose_text = dialect.text_in_paragraphs();
    loop {
        let ev = reader.read_event().map_err(|e| {
            format!(
                "its XML is broken near byte {} ({e})",
                reader.error_position()
            )
        })?;
        match ev {
            Event::Start(e) => {
                let role = if skipping > 0 {
                    Role::Skip
                } else {
                    dialect.role(&e)
                };
                match &role {
                    Role::Skip => skipping += 1,
                    Role::Paragraph(h) => b.paras.push((String::new(), *h)),
                    Role::Text => in_text += 1,
                    Role::Table => b.tables.push((Vec::new(), Vec::new())),
                    Role::Chars(c) => b.push_text(c),
                    Role::MarksHeading(h) => mark_heading(&mut b, *h),
                    Role::Cell | Role::Row | Role::Other => {}
                }
                open.push(role);
            }
            Event::Empty(e) if skipping == 0 => match dialect.role(&e) {
                Role::Chars(c) => b.push_text(&c),
                Role::MarksHeading(h) => mark_heading(&mut b, h),
                Role::Cell => b.end_cell(),
                Role::Paragraph(h) => {
                    b.paras.push((String::new(), h));
                    b.end_paragraph();
                }
                _ => {}
            },
            Event::End(_) => match open.pop() {
                Some(Role::Skip) => skipping = skipping.saturating_sub(1),
                Some(Role::Paragraph(_)) => b.end_paragraph(),
                Some(Role::Text) => in_text = in_text.saturating_sub(1),
                Some(Role::Cell) => b.end_cell(),
                Some(Role::Row) => b.end_row(),
                Some(Role::Table) => b.end_table(),
                _ => {}
            },
            Event::Text(t) if skipping == 0 && (in_text > 0 || loose_text) => {
                b.push_text(&t.xml10_content());
            }
            Event::CData(t) if skipping == 0 && in_text > 0 => {
                b.push_text(&t);
            }
            Event::GeneralRef(r) if skipping == 0 && (in_text > 0 || loose_text) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match &*r {
                        "amp" => Some("&".into()),
                        "lt" => Some("<".into()),
                        "gt" => Some(">".into()),
                        "quot" => Some("\"".into()),
                        "apos" => Some("'".into()),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    b.push_text(&c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // a document cut off mid-paragraph keeps what was read
    while !b.paras.is_empty() {
        b.end_paragraph();
    }
    Ok(compose(&b.out))
}

/// What the document's paragraphs became.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Paragraph {
        text: String,
        heading: bool,
    },
    /// A paragraph without text: in typewriter style, the blank line.
    Empty,
    /// A table, always a block of its own.
    Block(String),
}

/// The text: normally every paragraph a block of its own. A document that uses
/// empty paragraphs as blank lines (text pasted from a plain-text file or typed like
/// one) is read like that file: consecutive paragraphs are lines of one block, as
/// they were in the text, and an empty paragraph ends the block.
fn compose(pieces: &[Piece]) -> String {
    let filled = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Paragraph { .. }))
        .count();
    let gaps = pieces
        .windows(3)
        .filter(|w| {
            matches!(w[0], Piece::Paragraph { .. })
                && w[1] == Piece::Empty
                && matches!(w[2], Piece::Paragraph { .. })
        })
        .count();
    let typewriter = gaps >= 2 && gaps * 5 >= filled;
    let mut out = String::new();
    let mut open = false;
    for p in pieces {
        match p {
            Piece::Paragraph {
                text,
                heading: false,
            } if typewriter => {
                if open {
                    out.push('\n');
                }
                out.push_str(text);
                open = true;
            }
            Piece::Paragraph { text, .. } | Piece::Block(text) => {
                if open {
                    out.push_str("\n\n");
                }
                out.push_str(text);
                out.push_str("\n\n");
                open = false;
            }
            Piece::Empty => {
                if open {
                    out.push_str("\n\n");
                }
                open = false;
            }
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

fn mark_heading(b: &mut Builder, heading: bool) {
    if let Some((_, h)) = b.paras.last_mut() {
        *h |= heading;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(body: &str) -> String {
        let xml = format!("<w:document xmlns:w=\"x\"><w:body>{body}</w:body></w:document>");
        walk(
            &xml,
            &Docx {
                styles: BTreeMap::new(),
            },
        )
        .expect("well-formed")
    }

    #[test]
    fn word_keeps_insertions_and_drops_deletions_and_comments() {
        let t = word(
            "<w:p><w:r><w:t>Der Kreis </w:t></w:r><w:del><w:r><w:delText>plant</w:delText></w:r></w:del>\
             <w:ins><w:r><w:t>baut</w:t></w:r></w:ins><w:commentRangeStart w:id=\"1\"/>\
             <w:r><w:t xml:space=\"preserve\"> ein Radwegenetz &amp; mehr.</w:t></w:r>\
             <w:r><w:commentReference w:id=\"1\"/></w:r></w:p>",
        );
        assert_eq!(t, "Der Kreis baut ein Radwegenetz & mehr.");
    }

    #[test]
    fn word_headings_and_tables_are_blocks_of_their_own() {
        let t = word(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Kopf</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Text</w:t><w:tab/><w:t>mit Tab</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ort</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Zahl</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:p><w:r><w:t>Wetter</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        assert_eq!(t, "Kopf\n\nText mit Tab\n\nOrt | Zahl\nWetter | 3");
    }

    #[test]
    fn german_style_ids_are_headings() {
        let styles = heading_styles(
            "<w:styles><w:style w:styleId=\"berschrift1\"><w:name w:val=\"heading 1\"/></w:style>\
             <w:style w:styleId=\"Standard\"><w:name w:val=\"Normal\"/></w:style></w:styles>",
        );
        assert_eq!(styles.get("berschrift1"), Some(&true));
        assert_eq!(styles.get("Standard"), Some(&false));
    }

    #[test]
    fn odt_leaves_out_tracked_deletions_annotations_and_notes() {
        let xml = "<office:document-content><office:body><office:text>\
             <text:tracked-changes><text:changed-region><text:deletion><text:p>weg</text:p></text:deletion></text:changed-region></text:tracked-changes>\
             <text:h text:outline-level=\"1\">Kopf</text:h>\
             <text:p>Eins<text:s text:c=\"2\"/>zwei<office:annotation><text:p>Notiz</text:p></office:annotation>\
             <text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Fußnote</text:p></text:note-body></text:note> drei</text:p>\
             </office:text></office:body></office:document-content>";
        assert_eq!(
            walk(xml, &Odt).expect("well-formed"),
            "Kopf\n\nEins zwei drei"
        );
    }

    #[test]
    fn empty_paragraphs_as_blank_lines_make_blocks_of_lines() {
        let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
        let typed = word(
            &[
                p("Kopfzeile:"),
                p("Fortsetzung"),
                "<w:p/>".into(),
                p("Absatz eins"),
                "<w:p></w:p>".into(),
                p("Absatz zwei"),
            ]
            .concat(),
        );
        assert_eq!(
            typed,
            "Kopfzeile:\nFortsetzung\n\nAbsatz eins\n\nAbsatz zwei"
        );
        // without empty paragraphs every paragraph is a block
        let styled = word(&[p("Eins"), p("Zwei")].concat());
        assert_eq!(styled, "Eins\n\nZwei");
    }

    #[test]
    fn broken_xml_is_an_error_with_a_position() {
        let e = walk(
            "<w:document><w:p><w:t>a</w:x></w:document>",
            &Docx {
                styles: BTreeMap::new(),
            },
        )
        .expect_err("mismatched end tag");
        assert!(e.contains("near byte"), "{e}");
    }
}
