//! Plain text to paragraphs: lines hard-wrapped by PDF extraction are joined,
//! end-of-line hyphenation is undone (also across a blank line), image alt texts glued
//! to the next sentence are cut off, and glued "Weiterlesen"/"mehr..." links become
//! their own paragraph. What a paragraph *is* (prose, heading, boilerplate) is left to
//! [`super::classify`].

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// One paragraph with the file lines it came from (1-based, inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub text: String,
    pub first: usize,
    pub last: usize,
}

/// Words that, at the start of a paragraph, say it describes an image.
pub const IMAGE_CUES: &[&str] = &[
    "foto",
    "bild ",
    "bild:",
    "das bild",
    "postkarte",
    "porträt",
    "portrait",
    "screenshot",
    "collage",
    "grafik",
    "logo",
    "abbildung",
    "symbolbild",
    "titelbild",
    "aufnahme",
    "gruppenfoto",
    "zu sehen",
    "zeigt",
];

/// Read-more link texts, lower case.
const READ_MORE: &[&str] = &[
    "weiterlesen",
    "mehr",
    "mehr lesen",
    "read more",
    "zum artikel",
    "artikel lesen",
    "zum beitrag",
    "mehr erfahren",
];
/// Characters of the longest text in [`READ_MORE`].
const READ_MORE_MAX_CHARS: usize = 13;

/// Read-more links that end a teaser.
pub fn is_read_more(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', '…', '»', '>', ' ']);
    // lower-casing never makes fewer characters, so a longer text (nearly every
    // paragraph) is no link and needs no lower-case copy
    if t.len() > READ_MORE_MAX_CHARS * 4 || t.chars().count() > READ_MORE_MAX_CHARS {
        return false;
    }
    READ_MORE.contains(&t.to_lowercase().as_str())
}

/// Ends like a sentence (optionally followed by a closing quote or bracket).
pub fn ends_terminal(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(['"', '“', '”', '«', '»', '\'', ')', ']', '*']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

fn starts_lower(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_lowercase())
}

/// A line that never joins its neighbours: bullets, photo credits, read-more links,
/// one-word content labels.
fn standalone(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with(['•', '©', '–', '-', '*', '»', '«', '…', '·', '▪'])
        || l.starts_with("(Bildquelle")
        || l.starts_with("(Foto")
        || l.starts_with("Foto:")
        || l.starts_with("Quelle")
        || l.starts_with("http")
        || l.starts_with("www.")
        || is_read_more(l)
        || super::classify::is_content_label(l)
        || starts_with_date(l)
}

/// "16.01.2026 …": a date opens a new paragraph (a page's date line), even in a
/// block of long lines.
fn starts_with_date(l: &str) -> bool {
    let b = l.as_bytes();
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let d = digits(b);
    if !(1..=2).contains(&d) || b.get(d) != Some(&b'.') {
        return false;
    }
    let m = digits(&b[d + 1..]);
    (1..=2).contains(&m) && b.get(d + 1 + m) == Some(&b'.') && digits(&b[d + 2 + m..]) == 4
}

/// "13:00:12Bürokratie": a time stamp glued to the text after it gets its space.
fn unglue_time(line: Cow<'_, str>) -> Cow<'_, str> {
    let b = line.as_bytes();
    let glued = (5..b.len()).find(|&i| {
        b[i].is_ascii_uppercase() || b[i] == 0xc3
    } && b[i - 1].is_ascii_digit() && b[i - 2].is_ascii_digit() && b[i - 3] == b':');
    match glued {
        Some(i) if line.is_char_boundary(i) => Cow::Owned(format!("{} {}", &line[..i], &line[i..])),
        _ => line,
    }
}

/// Splits text into paragraphs and repairs extraction damage.
pub fn paragraphs(text: &str) -> Vec<Para> {
    let lines: Vec<Cow<str>> = text
        .split('\n')
        .map(normalise_line)
        .map(unglue_time)
        .collect();
    let mut paras = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].is_empty() {
            i += 1;
        }
        block_paragraphs(&lines[start..i], start + 1, &mut paras);
    }
    let paras = merge_across_blank(paras);
    let mut out = Vec::with_capacity(paras.len());
    for p in paras {
        split_glued(p, &mut out);
    }
    out
}

/// Whether a line holds what [`normalise_line`] replaces or drops: control
/// characters (U+0000–U+001F, U+007F–U+009F), no-break and figure spaces, byte order
/// marks, zero-width spaces. Read as UTF-8 bytes, since nearly every line has none.
fn needs_normalising(line: &str) -> bool {
    let b = line.as_bytes();
    let mut from = 0;
    // a simple test finds the candidates; the bytes after them decide
    while let Some(i) = b[from..]
        .iter()
        .position(|&x| x < 0x20 || x == 0x7f || x == 0xc2 || x == 0xe2 || x == 0xef)
    {
        let at = from + i;
        let next = |k: usize| b.get(at + k).copied();
        let found = match b[at] {
            // U+0080–U+00A0
            0xc2 => next(1).is_some_and(|x| (0x80..=0xa0).contains(&x)),
            // U+2007, U+200B, U+202F
            0xe2 => next(1) == Some(0x80) && matches!(next(2), Some(0x87 | 0x8b | 0xaf)),
            // U+FEFF
            0xef => next(1) == Some(0xbb) && next(2) == Some(0xbf),
            _ => true,
        };
        if found {
            return true;
        }
        from = at + 1;
    }
    false
}

fn normalise_line(line: &str) -> Cow<'_, str> {
    if !needs_normalising(line) {
        let t = line.trim_end();
        return Cow::Borrowed(if t.trim_start().is_empty() { "" } else { t });
    }
    let mut s: String = line
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\t' | '\u{2007}' | '\u{202f}' => ' ',
            c => c,
        })
        .filter(|&c| c != '\u{feff}' && c != '\u{200b}' && (!c.is_control() || c == ' '))
        .collect();
    let trimmed_len = s.trim_end().len();
    s.truncate(trimmed_len);
    if s.trim().is_empty() {
        s.clear();
    }
    Cow::Owned(s)
}

/// Joins the lines of one block. A block whose lines are mostly long was hard-wrapped
/// (PDF): its lines are joined regardless of punctuation. Otherwise a line break is a
/// paragraph break unless the next line clearly continues the sentence.
fn block_paragraphs(lines: &[Cow<str>], first_line: usize, out: &mut Vec<Para>) {
    let n = lines.len();
    let long = lines[..n.saturating_sub(1)]
        .iter()
        .filter(|l| l.chars().count() >= 50)
        .count();
    let wrapped = n >= 3 && long * 10 >= (n - 1) * 7;
    // a headline split over two lines at its colon
    let split_headline = n == 2
        && lines[0].trim_end().ends_with(':')
        && !ends_terminal(&lines[1])
        && lines
            .iter()
            .map(|l| l.split_whitespace().count())
            .sum::<usize>()
            <= 20;
    let mut cur: Option<Para> = None;
    for (k, line) in lines.iter().enumerate() {
        let no = first_line + k;
        let trimmed = line.trim();
        let join = match &cur {
            None => false,
            Some(p) => {
                !standalone(trimmed)
                    && !p.text.starts_with('©')
                    && (wrapped && !p.text.ends_with(':')
                        || split_headline
                        || starts_lower(trimmed)
                        || p.text.ends_with('-') && !p.text.ends_with(" -"))
                    && !is_read_more(&p.text)
            }
        };
        if join {
            if let Some(p) = cur.as_mut() {
                join_text(&mut p.text, trimmed);
                p.last = no;
            }
        } else {
            if let Some(p) = cur.take() {
                out.push(p);
            }
            cur = Some(Para {
                text: trimmed.to_string(),
                first: no,
                last: no,
            });
        }
    }
    if let Some(p) = cur {
        out.push(p);
    }
}

/// "Kommu-" at a line end before a lower-case continuation.
fn ends_hyphenated(text: &str) -> bool {
    let mut rev = text.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_lowercase())
}

/// Appends a wrapped line to its paragraph as [`paragraphs`] does: for readers that
/// know a line was wrapped (a PDF line that runs to the margin).
pub fn join_line(text: &mut String, next: &str) {
    if text.is_empty() {
        text.push_str(next);
    } else {
        join_text(text, next);
    }
}

/// Appends a continuation line: "Kommu-" + "nen" → "Kommunen"; "Informatik-" +
/// "Dienstleister" keeps the hyphen (a real compound); otherwise a space.
fn join_text(text: &mut String, next: &str) {
    if ends_hyphenated(text) {
        if starts_lower(next) {
            text.pop();
        }
        text.push_str(next);
    } else if text.ends_with('-') && next.chars().next().is_some_and(char::is_uppercase) {
        text.push_str(next);
    } else {
        let t = text.trim_end().len();
        text.truncate(t);
        text.push(' ');
        text.push_str(next);
    }
}

/// A paragraph cut by a page or column break: no sentence end, and the next paragraph
/// starts in lower case.
fn merge_across_blank(paras: Vec<Para>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    for p in paras {
        if let Some(prev) = out.last_mut()
            && starts_lower(&p.text)
            && !ends_terminal(&prev.text)
            && !standalone(&p.text)
            && !standalone(&prev.text)
            && prev.text.split_whitespace().count() >= 3
        {
            join_text(&mut prev.text, &p.text);
            prev.last = p.last;
            continue;
        }
        out.push(p);
    }
    out
}

static GLUE: LazyLock<Regex> = LazyLock::new(|| {
    // a word of at least four lower-case letters (or a sentence end) directly followed
    // by a capitalised word: two texts glued without a space
    Regex::new(r#"(?:[a-zäöüß]{4}|[.!?]["“”]?)([A-ZÄÖÜ][a-zäöüß]+)"#).expect("static regex")
});
static READ_MORE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s.!?“”\])])\s*(weiterlesen|mehr\s*(?:\.\.\.|…))\s*$")
        .expect("static regex")
});

/// Cuts an image description glued to the following sentence, and a read-more link
/// glued to the end, into paragraphs of their own.
fn split_glued(mut p: Para, out: &mut Vec<Para>) {
    if let Some(alt_end) = glued_alt_end(&p.text) {
        let rest = p.text[alt_end..].to_string();
        p.text.truncate(alt_end);
        out.push(p.clone());
        p.text = rest;
    }
    if !is_read_more(&p.text)
        && let Some(m) = READ_MORE_TAIL.captures(&p.text).and_then(|c| c.get(1))
    {
        let marker = m.as_str().to_string();
        let body = p.text[..m.start()].trim_end().to_string();
        if !body.is_empty() {
            out.push(Para {
                text: body,
                ..p.clone()
            });
        }
        out.push(Para {
            text: marker,
            first: p.last,
            last: p.last,
        });
        return;
    }
    out.push(p);
}

/// Byte offset where an image description glued to running text ends.
fn glued_alt_end(text: &str) -> Option<usize> {
    let head_end = text.char_indices().nth(60).map_or(text.len(), |(i, _)| i);
    let lower_head = text[..head_end].to_lowercase();
    let cue = IMAGE_CUES.iter().any(|c| lower_head.contains(c))
        || lower_head.starts_with("eine ")
        || lower_head.starts_with("ein ");
    if !cue {
        return None;
    }
    let m = GLUE.captures(text)?.get(1)?;
    let at = m.start();
    // the description is short and the rest is a real text
    let head_words = text[..at].split_whitespace().count();
    let rest_words = text[at..].split_whitespace().count();
    (head_words <= 40 && rest_words >= 5).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<String> {
        paragraphs(t).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn joins_pdf_wrapped_lines_and_dehyphenates() {
        let t = "Das Kommunale Rechenzentrum Minden-Ravensberg/Lippe (krz) in Lemgo ist seit 1972 Informatik-\n\
                 Dienstleister der Kreise Minden-Lübbecke, Herford und Lippe sowie von inzwischen allen \n\
                 36 Städten und Gemeinden aus diesen Kreisgebieten und der Stadt Nieheim. Direkt oder \n\
                 indirekt werden Einwohner betreut. \n";
        let p = texts(t);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("Informatik-Dienstleister der Kreise"));
        assert!(p[0].contains("allen 36 Städten"));
    }

    #[test]
    fn undoes_hyphenation_across_a_blank_line() {
        let t = "Die ersten Strategien konnte er bereits den Kommu-\n\nnen übergeben. Die Umsetzung beginnt.";
        assert_eq!(
            texts(t),
            [
                "Die ersten Strategien konnte er bereits den Kommunen übergeben. Die Umsetzung beginnt."
            ]
        );
        let t = "ein Change-Projekt, das sich als Blaupause\n\nfür den Weg anbietet:";
        assert_eq!(
            texts(t),
            ["ein Change-Projekt, das sich als Blaupause für den Weg anbietet:"]
        );
    }

    #[test]
    fn keeps_real_hyphens() {
        let t = "Abstimmungen über Online-Veranstaltungen und der IT-\nDienstleister hilft.";
        assert_eq!(
            texts(t),
            ["Abstimmungen über Online-Veranstaltungen und der IT-Dienstleister hilft."]
        );
    }

    #[test]
    fn short_lines_stay_apart() {
        let t = "Weitere Meldungen und Beiträge aus dem Bereich: Personalwesen\nDas Kasaia-Logo zeigt eine Eule.\n";
        assert_eq!(texts(t).len(), 2);
        let t = "Kreis Soest Digitalisierung\n© Kreisverwaltung Soest\n";
        assert_eq!(
            texts(t),
            ["Kreis Soest Digitalisierung", "© Kreisverwaltung Soest"]
        );
        let t = "Zukünftige IT-Strategien\nin Nordrhein-Westfalen\n";
        assert_eq!(
            texts(t),
            ["Zukünftige IT-Strategien in Nordrhein-Westfalen"]
        );
    }

    #[test]
    fn cuts_glued_alt_text_and_read_more() {
        let t = "Postkarte mit dem Kampagnen-Titel der Stadt Bochum - hellblaue Schrift auf dunkelblauem HintergrundWas bedeutet es eigentlich, in einer Verwaltung zu arbeiten?";
        let p = texts(t);
        assert_eq!(
            p[1],
            "Was bedeutet es eigentlich, in einer Verwaltung zu arbeiten?"
        );
        let p = texts("Und sie ist noch lange nicht angekommen. Weiterlesen");
        assert_eq!(
            p,
            ["Und sie ist noch lange nicht angekommen.", "Weiterlesen"]
        );
        let p = texts("[22.05.2025] Die Lösung hilft, den Ferienüberhang zu managen. \n mehr...");
        assert_eq!(p.last().map(String::as_str), Some("mehr..."));
    }

    #[test]
    fn odd_spaces_and_invisible_characters_are_found() {
        for c in [
            '\t', '\r', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '\u{2007}', '\u{200b}', '\u{202f}',
            '\u{feff}',
        ] {
            assert!(needs_normalising(&format!("a{c}b")), "{c:?}");
        }
        for c in [
            ' ', 'ä', 'ß', '–', '„', '“', '\u{a1}', '\u{2008}', '\u{fefe}',
        ] {
            assert!(!needs_normalising(&format!("a{c}b")), "{c:?}");
        }
        assert_eq!(normalise_line("\u{feff}Kreis\u{a0}Soest \t"), "Kreis Soest");
    }

    #[test]
    fn read_more_links_fit_the_length_bound() {
        let longest = READ_MORE.iter().map(|t| t.chars().count()).max();
        assert_eq!(longest, Some(READ_MORE_MAX_CHARS));
        assert!(is_read_more(" Mehr erfahren … "));
        assert!(is_read_more("WEITERLESEN »"));
        assert!(!is_read_more("Mehr erfahren Sie hier"));
    }

    #[test]
    fn camel_case_words_in_running_text_are_not_cut() {
        let t = "Interessierte können sich per WhatsApp bewerben, auch über YouTube und eLearning.";
        assert_eq!(texts(t).len(), 1);
    }

    #[test]
    fn a_date_line_starts_a_paragraph_and_a_glued_time_is_split() {
        let long =
            "Die Verwaltung des Kreises hat in diesem Jahr sehr viele neue Dienste online gestellt";
        let p = paragraphs(&format!(
            "Neue Dienste im Kreishaus\n12.03.2024 - 10:15:00Ab sofort {long}.\n{long} und mehr.\n"
        ));
        assert_eq!(p[0].text, "Neue Dienste im Kreishaus");
        assert!(
            p[1].text.starts_with("12.03.2024 - 10:15:00 Ab sofort"),
            "{:?}",
            p[1].text
        );
        assert!(
            starts_with_date("1.2.2023 Text")
                && !starts_with_date("1.2.23 Text")
                && !starts_with_date("2023")
        );
    }
}
