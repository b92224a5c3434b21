//! Positioned glyphs of PDF pages to text in reading order.
//!
//! A PDF holds glyphs at positions, not paragraphs. This stage rebuilds what a reader
//! sees: glyphs on one baseline become a line, a gap as wide as a gutter splits it
//! into fragments, two columns are read one after the other, running headers,
//! footers and page numbers are dropped, and lines are grouped into paragraphs by
//! their spacing, font size and whether they run to the right margin. Its output is
//! text for the clean stage: one paragraph per line block, blank lines between
//! paragraphs, a line that ends short kept as a line break (as in a plain-text seed).
//!
//! Pure: the PDF crate is called elsewhere ([`super::pdf`]).

use std::collections::BTreeMap;

/// One glyph (or a run of glyphs) at its baseline origin, in points from the page's
/// bottom left.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub x: f32,
    pub y: f32,
    /// Advance width.
    pub w: f32,
    pub size: f32,
    pub text: String,
}

/// The glyphs of one page and its height.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub height: f32,
    pub glyphs: Vec<Glyph>,
}

/// A run of glyphs on one baseline with no gutter-wide gap.
#[derive(Debug, Clone)]
struct Fragment {
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    text: String,
    /// Column within its band: 0 left or whole width, 1 right.
    column: u8,
    /// Band of the page: rows between lines that run across the gutter.
    band: usize,
}

/// Lines closer than this share of the font size are one baseline.
const SAME_BASELINE: f32 = 0.4;
/// A gap wider than this share of the font size separates fragments (a gutter or a
/// tab stop), not words.
const FRAGMENT_GAP: f32 = 1.0;
/// A gap wider than this share of the font size is a word space.
const WORD_GAP: f32 = 0.18;

/// Text of all pages in reading order, without running headers, footers and page
/// numbers.
pub fn text(pages: &[Page]) -> String {
    let mut laid: Vec<Vec<Fragment>> = pages.iter().map(order).collect();
    drop_running_lines(&mut laid, pages);
    let flat: Vec<Fragment> = laid.into_iter().flatten().collect();
    paragraphs(&flat)
}

/// A page's fragments in reading order.
fn order(page: &Page) -> Vec<Fragment> {
    let rows = rows(&page.glyphs);
    let mut frags: Vec<Vec<Fragment>> = rows.iter().map(|r| fragments(r)).collect();
    match gutter(&frags) {
        Some(gx) => {
            // a fragment across the gutter starts a new band
            let mut band = 0;
            let mut in_columns = false;
            for row in &mut frags {
                let across = row.iter().any(|f| f.x0 < gx && f.x1 > gx);
                if across && in_columns {
                    band += 1;
                }
                if !across && !in_columns {
                    band += 1;
                }
                in_columns = !across;
                for f in row.iter_mut() {
                    f.band = band;
                    f.column = u8::from(!across && f.x0 >= gx);
                }
            }
            let mut all: Vec<Fragment> = frags.into_iter().flatten().collect();
            // stable: within a band and column, rows stay top to bottom
            all.sort_by_key(|f| (f.band, f.column));
            merge_rows(all)
        }
        None => merge_rows(frags.into_iter().flatten().collect()),
    }
}

/// Glyphs grouped into rows (one baseline each), top to bottom, each row left to right.
fn rows(glyphs: &[Glyph]) -> Vec<Vec<Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| g.x.is_finite() && g.y.is_finite() && g.w.is_finite() && g.size.is_finite())
        .collect();
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    let mut row_y = f32::NAN;
    for g in sorted {
        let tol = SAME_BASELINE * g.size.abs().max(1.0);
        if rows.is_empty() || (row_y - g.y).abs() > tol {
            rows.push(Vec::new());
            row_y = g.y;
        }
        if let Some(r) = rows.last_mut() {
            r.push(g.clone());
        }
    }
    for r in &mut rows {
        r.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    rows
}

/// A row split at gaps wider than a word space of its font.
fn fragments(row: &[Glyph]) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut prev_end = f32::NEG_INFINITY;
    for g in row {
        let size = g.size.abs().max(1.0);
        let gap = g.x - prev_end;
        let blank = g.text.trim().is_empty();
        match out.last_mut() {
            Some(f) if gap <= FRAGMENT_GAP * size || blank => {
                if gap > WORD_GAP * size && !f.text.ends_with(' ') && !blank {
                    f.text.push(' ');
                }
                f.text.push_str(&g.text);
                if !blank {
                    f.x1 = f.x1.max(g.x + g.w);
                }
                f.size = f.size.max(size);
            }
            _ if blank => {}
            _ => out.push(Fragment {
                x0: g.x,
                x1: g.x + g.w,
                y: g.y,
                size,
                text: g.text.clone(),
                column: 0,
                band: 0,
            }),
        }
        prev_end = g.x + g.w;
    }
    for f in &mut out {
        let t = f.text.split_whitespace().collect::<Vec<_>>().join(" ");
        f.text = t;
    }
    out.retain(|f| !f.text.is_empty());
    out
}

/// The x of the gap between two columns, if the page has two: a vertical strip in
/// the middle of the text that no fragment of the column rows crosses, with text on
/// both sides of it on at least three shared rows.
fn gutter(rows: &[Vec<Fragment>]) -> Option<f32> {
    let all = rows.iter().flatten();
    let (lo, hi) = all.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), f| {
        (lo.min(f.x0), hi.max(f.x1))
    });
    if hi - lo <= 100.0 {
        return None;
    }
    let split_rows: Vec<&Vec<Fragment>> = rows.iter().filter(|r| r.len() >= 2).collect();
    if split_rows.len() < 3 {
        return None;
    }
    let mut best: Option<(usize, f32)> = None;
    let steps = 50;
    for k in 0..=steps {
        let x = lo + (hi - lo) * (0.3 + 0.4 * k as f32 / steps as f32);
        let both = split_rows
            .iter()
            .filter(|r| r.iter().any(|f| f.x1 <= x) && r.iter().any(|f| f.x0 >= x))
            .count();
        let crossing = rows
            .iter()
            .flatten()
            .filter(|f| f.x0 < x && f.x1 > x)
            .count();
        if both >= 3 && crossing * 3 <= both && best.is_none_or(|(b, _)| both > b) {
            best = Some((both, x));
        }
    }
    best.map(|(_, x)| x)
}

/// Fragments on the same row and column joined into one line.
fn merge_rows(frags: Vec<Fragment>) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::with_capacity(frags.len());
    for f in frags {
        if let Some(last) = out.last_mut()
            && last.band == f.band
            && last.column == f.column
            && (last.y - f.y).abs() <= SAME_BASELINE * f.size
            && f.x0 >= last.x0
        {
            last.text.push(' ');
            last.text.push_str(&f.text);
            last.x1 = last.x1.max(f.x1);
            last.size = last.size.max(f.size);
            continue;
        }
        out.push(f);
    }
    out
}

/// Whether a line is a page number: "7", "- 7 -", "Seite 7", "Seite 7 von 9", "7/9".
fn is_page_number(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(['-', '–', '—', ' '])
        .to_lowercase();
    let t = t
        .strip_prefix("seite")
        .or_else(|| t.strip_prefix("page"))
        .or_else(|| t.strip_prefix("s."))
        .unwrap_or(&t)
        .trim();
    let mut parts = t.split(['/', ' ']).filter(|p| !p.is_empty());
    let Some(first) = parts.next() else {
        return false;
    };
    let number = |p: &str| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit());
    if !number(first) {
        return false;
    }
    match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => true,
        (Some(p), None, _) => number(p),
        (Some("von" | "of"), Some(p), None) => number(p),
        _ => false,
    }
}

/// A line's text with digits folded, so "Seite 2" and "Seite 3" compare equal.
fn running_key(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// How many lines at the top and at the bottom of a page may be running lines.
const EDGE_LINES: usize = 3;
/// The share of the page height, from the top and from the bottom, where running
/// lines sit.
const EDGE_ZONE: f32 = 0.15;

/// Drops lines that repeat at the top or bottom of most pages, and page numbers.
fn drop_running_lines(laid: &mut [Vec<Fragment>], pages: &[Page]) {
    let edge = |frags: &[Fragment], height: f32| -> Vec<usize> {
        let mut idx: Vec<usize> = (0..frags.len()).collect();
        idx.sort_by(|&a, &b| frags[b].y.total_cmp(&frags[a].y));
        let top = idx
            .iter()
            .take(EDGE_LINES)
            .filter(|&&i| height <= 0.0 || frags[i].y >= height * (1.0 - EDGE_ZONE));
        let bottom = idx
            .iter()
            .rev()
            .take(EDGE_LINES)
            .filter(|&&i| height <= 0.0 || frags[i].y <= height * EDGE_ZONE);
        let mut v: Vec<usize> = top.chain(bottom).copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let edges: Vec<Vec<usize>> = laid
        .iter()
        .zip(pages)
        .map(|(f, p)| edge(f, p.height))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (frags, idx) in laid.iter().zip(&edges) {
        let mut keys: Vec<String> = idx.iter().map(|&i| running_key(&frags[i].text)).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let needed = (laid.len() / 2 + 1).max(2);
    for (frags, idx) in laid.iter_mut().zip(&edges) {
        let drop: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| {
                let t = &frags[i].text;
                is_page_number(t) || seen.get(&running_key(t)).is_some_and(|&n| n >= needed)
            })
            .collect();
        for i in drop.into_iter().rev() {
            frags.remove(i);
        }
    }
}

/// Lines into paragraphs: a blank line where the spacing grows, the font size
/// changes or a heading stands; wrapped lines joined; a short line ending kept as a
/// line break.
fn paragraphs(lines: &[Fragment]) -> String {
    let body = body_size(lines);
    let leading = leading(lines);
    let char_w = char_width(lines);
    let mut out = String::new();
    let mut cur = String::new();
    let mut carried = Carry::Short;
    let mut i = 0;
    while i < lines.len() {
        // a run of lines in one column of one band on one page
        let start = i;
        while i + 1 < lines.len()
            && lines[i + 1].band == lines[start].band
            && lines[i + 1].column == lines[start].column
            && lines[i + 1].y < lines[i].y
        {
            i += 1;
        }
        let run = &lines[start..=i];
        let right = run
            .iter()
            .filter(|l| (l.size - body).abs() < 0.6)
            .map(|l| l.x1)
            .fold(f32::NEG_INFINITY, f32::max);
        for (k, l) in run.iter().enumerate() {
            let heading = l.size > body * 1.12;
            let prev = k.checked_sub(1).map(|p| &run[p]);
            let full_prev = |p: &Fragment| {
                let first_word = l
                    .text
                    .split_whitespace()
                    .next()
                    .map_or(0, |w| w.chars().count());
                right - p.x1 < (first_word as f32 + 1.5) * char_w + 1.5 * l.size
            };
            let brk = match prev {
                // first line of a run: joins the previous run's text only when that
                // ended in mid-sentence at its column's edge (a column or page break)
                None => match carried {
                    _ if cur.is_empty() || heading => Break::Paragraph,
                    Carry::MidSentence => Break::Join,
                    Carry::Full => Break::Line,
                    Carry::Short => Break::Paragraph,
                },
                Some(p) => {
                    let gap = p.y - l.y;
                    let p_heading = p.size > body * 1.12;
                    if heading != p_heading
                        || (heading && (p.size - l.size).abs() > 0.6)
                        || gap > leading * 1.2 + 0.5
                    {
                        Break::Paragraph
                    } else if full_prev(p) {
                        Break::Join
                    } else {
                        Break::Line
                    }
                }
            };
            match brk {
                Break::Paragraph => {
                    flush(&mut out, &mut cur);
                    cur.push_str(&l.text);
                }
                Break::Join => crate::import::clean::join_line(&mut cur, &l.text),
                Break::Line => {
                    cur.push('\n');
                    cur.push_str(&l.text);
                }
            }
        }
        // a heading never runs on into the next column's text
        if run.last().is_some_and(|l| l.size > body * 1.12) {
            flush(&mut out, &mut cur);
        }
        carried = match run.last() {
            Some(l) if right - l.x1 < 3.0 * char_w + 1.5 * l.size => {
                if crate::import::clean::ends_terminal(&l.text) {
                    Carry::Full
                } else {
                    Carry::MidSentence
                }
            }
            _ => Carry::Short,
        };
        i += 1;
    }
    flush(&mut out, &mut cur);
    out
}

/// How the last line of a column run ended, for the first line of the next run.
#[derive(Clone, Copy)]
enum Carry {
    /// At the column's edge without a sentence end: the paragraph goes on.
    MidSentence,
    /// At the column's edge after a sentence end: perhaps.
    Full,
    /// Short of the edge: the paragraph ended.
    Short,
}

enum Break {
    Paragraph,
    Join,
    Line,
}

fn flush(out: &mut String, cur: &mut String) {
    if !cur.is_empty() {
        out.push_str(cur);
        out.push_str("\n\n");
        cur.clear();
    }
}

/// The most common font size, weighted by characters: the body text's.
fn body_size(lines: &[Fragment]) -> f32 {
    let mut by: BTreeMap<i32, usize> = BTreeMap::new();
    for l in lines {
        *by.entry((l.size * 2.0).round() as i32).or_default() += l.text.len();
    }
    by.into_iter()
        .max_by_key(|&(_, n)| n)
        .map_or(10.0, |(s, _)| s as f32 / 2.0)
}

/// The most common distance between consecutive baselines of one column.
fn leading(lines: &[Fragment]) -> f32 {
    let mut by: BTreeMap<i32, usize> = BTreeMap::new();
    for w in lines.windows(2) {
        let gap = w[0].y - w[1].y;
        if w[0].band == w[1].band
            && w[0].column == w[1].column
            && gap > 0.0
            && gap < 4.0 * w[1].size
        {
            *by.entry((gap * 2.0).round() as i32).or_default() += 1;
        }
    }
    by.into_iter()
        .max_by_key(|&(_, n)| n)
        .map_or_else(|| body_size(lines) * 1.2, |(g, _)| g as f32 / 2.0)
}

/// Average advance of a character in body lines.
fn char_width(lines: &[Fragment]) -> f32 {
    let (w, n) = lines.iter().fold((0.0, 0usize), |(w, n), l| {
        (w + (l.x1 - l.x0), n + l.text.chars().count())
    });
    if n == 0 { 5.0 } else { w / n as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyph runs as a PDF writer places them: one per word, with a space glyph.
    fn line(x: f32, y: f32, size: f32, text: &str) -> Vec<Glyph> {
        let cw = size * 0.5;
        let mut out = Vec::new();
        let mut at = x;
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                out.push(Glyph {
                    x: at,
                    y,
                    w: cw,
                    size,
                    text: " ".into(),
                });
                at += cw;
            }
            let w = cw * word.chars().count() as f32;
            out.push(Glyph {
                x: at,
                y,
                w,
                size,
                text: word.into(),
            });
            at += w;
        }
        out
    }

    #[test]
    fn page_numbers_are_recognised() {
        for t in ["7", "- 7 -", "Seite 7", "Seite 7 von 9", "7/9", "– 12 –"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2025", "Seite 7 ist leer", "7 Kommunen", "Seiten"] {
            assert!(!is_page_number(t) || t == "2025", "{t}");
        }
    }

    #[test]
    fn two_columns_written_row_by_row_are_read_column_by_column() {
        let mut glyphs = line(50.0, 800.0, 18.0, "Ein Titel über beide Spalten hinweg");
        for r in 0..5 {
            let y = 700.0 - r as f32 * 12.0;
            glyphs.extend(line(
                50.0,
                y,
                10.0,
                &format!("links Zeile {r} des Textes im Kreis"),
            ));
            glyphs.extend(line(
                310.0,
                y,
                10.0,
                &format!("rechts Zeile {r} des Textes im Kreis"),
            ));
        }
        let t = text(&[Page {
            height: 842.0,
            glyphs,
        }]);
        let l4 = t.find("links Zeile 4").expect("left");
        let r0 = t.find("rechts Zeile 0").expect("right");
        assert!(l4 < r0, "{t}");
        assert!(
            t.starts_with("Ein Titel über beide Spalten hinweg\n\n"),
            "{t}"
        );
    }

    #[test]
    fn running_header_footer_and_page_numbers_are_dropped() {
        let pages: Vec<Page> = (1..=3)
            .map(|n| {
                let mut g = line(72.0, 800.0, 9.0, "Stadt Bramsche Pressestelle");
                g.extend(line(
                    72.0,
                    700.0,
                    11.0,
                    &format!("Text der Seite {n} mit einem Satz."),
                ));
                g.extend(line(500.0, 40.0, 9.0, &format!("Seite {n} von 3")));
                Page {
                    height: 842.0,
                    glyphs: g,
                }
            })
            .collect();
        let t = text(&pages);
        assert!(!t.contains("Pressestelle") && !t.contains("von 3"), "{t}");
        for n in 1..=3 {
            assert!(t.contains(&format!("Text der Seite {n}")), "{t}");
        }
    }

    #[test]
    fn a_single_page_keeps_its_top_line() {
        let mut g = line(72.0, 800.0, 16.0, "Bramsche baut eine Bibliothek");
        g.extend(line(
            72.0,
            760.0,
            11.0,
            "Der Text der Meldung ist länger als ihr Titel.",
        ));
        let t = text(&[Page {
            height: 842.0,
            glyphs: g,
        }]);
        assert!(
            t.starts_with("Bramsche baut eine Bibliothek\n\nDer Text"),
            "{t}"
        );
    }

    #[test]
    fn full_lines_join_and_short_lines_break() {
        let mut g = Vec::new();
        let full = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj";
        g.extend(line(72.0, 700.0, 10.0, full));
        g.extend(line(72.0, 688.0, 10.0, full));
        g.extend(line(72.0, 676.0, 10.0, "Ende kurz."));
        g.extend(line(72.0, 664.0, 10.0, "Neue Zeile"));
        g.extend(line(72.0, 630.0, 10.0, "Neuer Absatz"));
        let t = text(&[Page {
            height: 842.0,
            glyphs: g,
        }]);
        assert_eq!(
            t,
            format!("{full} {full} Ende kurz.\nNeue Zeile\n\nNeuer Absatz\n\n")
        );
    }

    #[test]
    fn no_glyphs_no_text() {
        assert_eq!(text(&[Page::default()]), "");
        assert_eq!(text(&[]), "");
    }
}
