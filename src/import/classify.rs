//! What each paragraph is: running text, a heading, a byline, or one kind of
//! boilerplate (photo credits, captions, alt texts, profiles, contact blocks, link
//! lists, read-more links, page dates, labels, event boxes, pull quotes …).
//!
//! Rules look at one paragraph first, then at neighbours (a caption stands before a
//! credit, an "Über …:" profile runs to the end, an event box is a run of short lines
//! around a bare date). Boilerplate stays available as evidence for metadata but never
//! enters an entry's text; segmentation is left to [`super::segment`].

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::clean::{IMAGE_CUES, Para, ends_terminal, is_read_more};

/// The kinds of boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boiler {
    ReadMore,
    PageDate,
    Credit,
    Caption,
    Alt,
    Separator,
    Links,
    Contact,
    Profile,
    ListingHeader,
    Label,
    AuthorNote,
    EventBox,
    PullQuote,
    /// Navigation, consent notices, paywall prompts, counters: see [`super::furniture`].
    Furniture,
}

/// The role of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Prose,
    Heading,
    Byline,
    Boiler(Boiler),
}

impl Class {
    pub fn is_boiler(self) -> bool {
        matches!(self, Class::Boiler(_))
    }
}

const MONTHS: &str =
    "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember";

static PAGE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag),?\s+\d{{1,2}}\.\s*(?:{MONTHS})\s+\d{{4}}$"
    ))
    .expect("static regex")
});
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\d{{1,2}}\.\s*(?:(?:{MONTHS})\s+|\d{{1,2}}\.\s*)\d{{4}}$"
    ))
    .expect("static regex")
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:https?://|www\.|mailto:)\S+$").expect("static regex"));
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+\.[\w.]+").expect("static regex"));
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:straße|str\.|platz|weg|allee|ring|gasse)\s*\d+\w?\s*(?:\||,)?\s*\d{5}\s|^\d{5}\s+[A-ZÄÖÜ]\w+$")
        .expect("static regex")
});
static PROFILE_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Über\s+(?:den|die|das|uns)\b.{0,90}|Pressekontakt|Kontakt|Medienkontakt|Ansprechpartner(?:in)?)\s*:?$")
        .expect("static regex")
});

static PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+|eine?|zwei|drei|mehrere|viele|männliche|weibliche|gruppe)\s+(?:personen|frau|frauen|mann|männer|menschen|hand|hände|glückliche)")
        .expect("static regex")
});

/// One-word content-type labels of news pages.
pub fn is_content_label(text: &str) -> bool {
    matches!(
        text.trim(),
        "bericht"
            | "interview"
            | "meldung"
            | "kommentar"
            | "news"
            | "anzeige"
            | "video"
            | "podcast"
            | "reportage"
            | "gastbeitrag"
            | "pressemitteilung"
            | "hintergrund"
            | "praxis"
            | "Bericht"
            | "Interview"
            | "Meldung"
            | "Kommentar"
            | "Anzeige"
            | "Video"
            | "Podcast"
    )
}

/// Words of a paragraph (as `split_whitespace` gives them), counted up to
/// [`WORDS_COUNTED`].
fn word_count(t: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in t.chars() {
        let space = c.is_whitespace();
        if !space && !in_word {
            n += 1;
            if n == WORDS_COUNTED {
                break;
            }
        }
        in_word = !space;
    }
    n
}

/// The rules compare word counts with at most 60, so counting stops after 61: long
/// paragraphs, most of the text, are not counted to their end.
const WORDS_COUNTED: usize = 61;

/// An automaton that tells whether a text lower-cased contains one of `needles`
/// (ASCII, lower case) without a lower-case copy: only ASCII letters lower-case to
/// the letters of the needles used here (İ gives i and a combining dot, which cannot
/// stand inside a match), so ASCII compared without case finds the same.
fn lower_case_needles(needles: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(needles)
        .expect("static automaton")
}

/// Phrases that say a text describes what a picture shows.
static SEEN_IN_PICTURE: LazyLock<AhoCorasick> =
    LazyLock::new(|| lower_case_needles(&["zu sehen ist", "zu sehen sind", "im bild:"]));
static NEWSLETTER: LazyLock<AhoCorasick> = LazyLock::new(|| lower_case_needles(&["newsletter"]));

/// A headline or sub-heading: short, and no sentence end unless it is the
/// headline-style "!" / "?" or a dash or colon headline with a trailing period.
pub fn is_heading_text(t: &str) -> bool {
    heading(t, word_count(t))
}

fn heading(t: &str, words: usize) -> bool {
    if words == 0 || words > 25 || t.starts_with(['•', '…', '(', '[']) {
        return false;
    }
    let t = t.trim_end();
    if !ends_terminal(t) {
        return true;
    }
    let body = &t[..t.len() - t.chars().last().map_or(0, char::len_utf8)];
    let inner_sentences = body.matches(". ").count();
    if t.ends_with(['!', '?']) {
        return words <= 16 && inner_sentences == 0;
    }
    t.ends_with('.')
        && words <= 12
        && inner_sentences == 0
        && (t.contains(" – ") || t.contains(": "))
}

/// Image descriptions: cue words near the start, "zu sehen", or English stock-photo
/// text on a German page.
pub fn is_alt_text(t: &str) -> bool {
    alt_text(&View::new(t))
}

fn alt_text(v: &View) -> bool {
    let words = v.words;
    if words > 60 {
        return false;
    }
    // the first six words (lower-casing never crosses a space)
    let head = v
        .text
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let cue_start = [
        "das foto",
        "das bild",
        "foto ",
        "foto:",
        "bild:",
        "screenshot",
        "collage",
        "porträtfoto",
        "postkarte",
        "diese postkarte",
        "gruppenfoto",
        "symbolbild",
        "ausschnitt aus",
        "vorder- und rückseite",
        "eine rote postkarte",
        "luftbild",
        "blick auf",
        "von hinten",
        "das titelbild",
    ];
    if cue_start.iter().any(|c| v.head.starts_with(c)) {
        return true;
    }
    if SEEN_IN_PICTURE.is_match(v.text) {
        return true;
    }
    let cue_in_head = IMAGE_CUES
        .iter()
        .filter(|c| !matches!(**c, "zeigt" | "zu sehen" | "aufnahme"))
        .any(|c| head.contains(c.trim()));
    if cue_in_head && head.contains("zeigt") {
        return true;
    }
    if words <= 25 && PEOPLE.is_match(&v.text.to_lowercase()) {
        return true;
    }
    let en = [
        "the", "and", "of", "to", "with", "giving", "is", "are", "helping", "together",
    ];
    let de = [
        "der", "die", "das", "und", "ist", "mit", "ein", "eine", "den", "für",
    ];
    // word by word, so German text ends this at its first article
    let mut n_en = 0;
    for word in v.text.split(|c: char| !c.is_alphanumeric()) {
        match english_words(word, &en, &de) {
            Some(n) => n_en += n,
            None => return false,
        }
    }
    n_en >= 3
}

/// How many words of `en` a word lower-cased is, or None for a word of `de` (both
/// lists lower case). A word beyond ASCII is lower-cased and split again, as in a
/// lower-cased text (İ gives i and a combining dot, which is no letter).
fn english_words(word: &str, en: &[&str], de: &[&str]) -> Option<usize> {
    if word.is_ascii() {
        let is = |w: &&str| w.eq_ignore_ascii_case(word);
        return if de.iter().any(is) {
            None
        } else {
            Some(usize::from(en.iter().any(is)))
        };
    }
    let mut n = 0;
    for w in word.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
        if de.contains(&w) {
            return None;
        }
        n += usize::from(en.contains(&w));
    }
    Some(n)
}

fn is_credit(v: &View) -> bool {
    let (l, lower) = (v.text, v.head.as_str());
    v.words <= 25
        && (l.starts_with('©')
            || lower.starts_with("(c) ")
            || lower.starts_with("(bildquelle")
            || lower.starts_with("bildquelle")
            || lower.starts_with("(foto")
            || lower.starts_with("foto:")
            || lower.starts_with("fotos:")
            || lower.starts_with("quelle beitragsbild")
            || lower.starts_with("beitragsbild:")
            || lower.starts_with("bildnachweis")
            || lower.starts_with("titelbild:")
            || lower.starts_with("quelle:"))
}

fn is_author_note(v: &View) -> bool {
    let (t, lower) = (v.text, v.head.as_str());
    let starts = [
        "unser gastautor",
        "unsere gastautorin",
        "über den autor",
        "über die autorin",
        "der autor ",
        "die autorin ",
        "zur person",
        "das titelbild",
        "das beitragsbild",
        "eingestreut in den beitrag",
        "zum autor",
        "zur autorin",
    ];
    if starts.iter().any(|s| lower.starts_with(s)) {
        return true;
    }
    // "**Name, Rolle …" or "*Name, …": a footnote, not an emphasis "*Name*"
    if let Some(rest) = t.strip_prefix('*') {
        let rest = rest.trim_start_matches('*');
        let comma = rest.find(',').unwrap_or(usize::MAX);
        let close = rest.find('*').unwrap_or(usize::MAX);
        return comma < close;
    }
    false
}

fn is_separator(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| !c.is_alphanumeric()) && !t.contains('[')
}

fn is_links(v: &View) -> bool {
    v.words > 0
        && v.text
            .split_whitespace()
            .all(|w| w == "|" || URL.is_match(w) || has_email(w))
}

/// [`EMAIL`], which cannot match without an "@".
fn has_email(t: &str) -> bool {
    t.contains('@') && EMAIL.is_match(t)
}

fn is_contact(v: &View) -> bool {
    let (t, lower, words) = (v.text, v.head.as_str(), v.words);
    (words <= 20 && has_email(t))
        || words <= 15 && ADDRESS.is_match(t)
        || (words <= 40
            && (NEWSLETTER.is_match(t)
                || lower.starts_with("besuchen sie uns")
                || lower.starts_with("folgen sie uns")))
        || lower.starts_with("tel.")
        || lower.starts_with("telefon")
        || lower.starts_with("fax")
}

fn is_listing_header(v: &View) -> bool {
    v.words <= 12
        && [
            "kategorie:",
            "category:",
            "archiv:",
            "schlagwort:",
            "tag:",
            "weitere meldungen",
            "weitere beiträge",
            "ähnliche artikel",
            "ähnliche beiträge",
            "verwandte beiträge",
            "das könnte sie auch interessieren",
            "mehr zum thema",
            "aktuelle meldungen",
            "neueste beiträge",
        ]
        .iter()
        .any(|s| v.head.starts_with(s))
}

fn is_byline(t: &str, words: usize) -> bool {
    words <= 14
        && ((t.starts_with(['–', '-']) && t.ends_with(['–', '-']) && words >= 3)
            || t.starts_with("Von ") && words <= 6 && !ends_terminal(t)
            || t.starts_with("Gastbeitrag von "))
}

/// A paragraph as the rules below look at it: trimmed, its start lower-cased and its
/// words counted once, since most rules need one of these.
struct View<'a> {
    text: &'a str,
    /// The start lower-cased, longer than any prefix the rules test: most rules look
    /// at the start only, so most paragraphs need no lower-case copy of the whole.
    head: String,
    words: usize,
}

/// Characters of [`View::head`].
const HEAD_CHARS: usize = 64;

impl<'a> View<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.trim();
        let head_end = text
            .char_indices()
            .nth(HEAD_CHARS)
            .map_or(text.len(), |(i, _)| i);
        View {
            text,
            head: text[..head_end].to_lowercase(),
            words: word_count(text),
        }
    }
}

/// A line that only dates the page: "01.07.2015", "Datum: 08.09.2020", "Januar
/// 23, 2026", "16.01.2026 - 13:00 Uhr". Short, and a report date opens it or
/// follows its cue word.
fn is_date_line(t: &str) -> bool {
    t.split_whitespace().count() <= 6
        && super::meta::year::report_date(t).is_some()
        && !t.ends_with(['.', '!', '?'])
}

/// First look at one paragraph alone.
fn local(t: &str) -> Class {
    let t = t.trim();
    if is_read_more(t) {
        Class::Boiler(Boiler::ReadMore)
    } else if is_separator(t) {
        Class::Boiler(Boiler::Separator)
    } else if PAGE_DATE.is_match(t) || is_date_line(t) {
        Class::Boiler(Boiler::PageDate)
    } else if super::furniture::is_furniture(t) {
        Class::Boiler(Boiler::Furniture)
    } else {
        local_view(&View::new(t))
    }
}

/// A picture's description that ends in its credit: "… im Rathaus. Fotos: Stadt
/// Musterstadt/Archiv", "Das Amt im Schlossweg. | Bild: Name, Vorname".
static CREDIT_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[.!?“”)\x22]\s+|\s\|\s*)(?:Fotos?|Bild(?:er)?|Grafik|Bildquelle)\s*:\s*[^.!?:]{2,60}$",
    )
    .expect("static regex")
});

/// The rules of [`local`] that need the lower-cased text or the word count.
fn local_view(v: &View) -> Class {
    let t = v.text;
    if is_credit(v) {
        Class::Boiler(Boiler::Credit)
    } else if (v.words <= 60 && CREDIT_AT_END.is_match(t))
        || t.starts_with("v.l.")
        || t.starts_with("v. l.")
        || t.starts_with("v.r.")
        || t.starts_with("Von links")
        || t.starts_with("V.l.")
    {
        Class::Boiler(Boiler::Caption)
    } else if is_links(v) {
        Class::Boiler(Boiler::Links)
    } else if PROFILE_HEAD.is_match(t) {
        Class::Boiler(Boiler::Profile)
    } else if is_contact(v) {
        Class::Boiler(Boiler::Contact)
    } else if is_listing_header(v) {
        Class::Boiler(Boiler::ListingHeader)
    } else if is_content_label(t) {
        Class::Boiler(Boiler::Label)
    } else if is_author_note(v) {
        Class::Boiler(Boiler::AuthorNote)
    } else if alt_text(v) {
        Class::Boiler(Boiler::Alt)
    } else if is_byline(t, v.words) {
        Class::Byline
    } else if heading(t, v.words) {
        Class::Heading
    } else {
        Class::Prose
    }
}

fn norm(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Classifies every paragraph of a page.
pub fn classify(paras: &[Para]) -> Vec<Class> {
    let mut cls: Vec<Class> = paras.iter().map(|p| local(&p.text)).collect();
    let n = paras.len();
    // a caption stands right before its credit line
    for i in 1..n {
        if cls[i] == Class::Boiler(Boiler::Credit)
            && matches!(cls[i - 1], Class::Heading | Class::Prose | Class::Byline)
            && word_count(&paras[i - 1].text) <= 40
        {
            cls[i - 1] = Class::Boiler(Boiler::Caption);
        }
    }
    // captions repeated verbatim
    for i in 1..n {
        if norm(&paras[i].text) == norm(&paras[i - 1].text)
            && cls[i] != Class::Heading
            && word_count(&paras[i].text) <= 40
            && !cls[i].is_boiler()
        {
            cls[i] = Class::Boiler(Boiler::Caption);
            cls[i - 1] = Class::Boiler(Boiler::Caption);
        }
    }
    pull_quotes(paras, &mut cls);
    // an organisation profile or press contact runs to the end of the text or the next
    // read-more link
    let mut in_profile = false;
    for c in cls.iter_mut() {
        match *c {
            Class::Boiler(Boiler::ReadMore) => in_profile = false,
            Class::Boiler(Boiler::Profile) => in_profile = true,
            _ if in_profile => *c = Class::Boiler(Boiler::Profile),
            _ => {}
        }
    }
    // a category header is followed by the category's description
    for i in 0..n {
        if cls[i] == Class::Boiler(Boiler::ListingHeader)
            && paras[i].text.contains(':')
            && !paras[i].text.starts_with("Weitere")
        {
            let mut j = i + 1;
            while j < n && cls[j] == Class::Prose && j <= i + 2 {
                cls[j] = Class::Boiler(Boiler::ListingHeader);
                j += 1;
            }
        }
    }
    navigation_lists(paras, &mut cls);
    event_boxes(paras, &mut cls);
    cls
}

/// A bullet line of a few words, no sentence: a menu entry or a list of names.
fn short_bullet(t: &str) -> bool {
    let t = t.trim();
    let Some(rest) = t.strip_prefix(['•', '·', '▪', '-', '*']) else {
        return false;
    };
    word_count(rest) <= 4 && !rest.trim_end().ends_with(['.', '!', '?', ':'])
}

/// Above the first paragraph of running text, a run of three or more short bullet
/// lines is the site's navigation (a publisher's titles, "Shop", "Kontakt"): a list
/// in an article stands below its first sentences.
fn navigation_lists(paras: &[Para], cls: &mut [Class]) {
    let first_text = paras
        .iter()
        .position(|p| word_count(&p.text) >= 20)
        .unwrap_or(paras.len());
    let mut i = 0;
    while i < first_text {
        let run = paras[i..first_text]
            .iter()
            .take_while(|p| short_bullet(&p.text))
            .count();
        if run >= 3 {
            for c in &mut cls[i..i + run] {
                *c = Class::Boiler(Boiler::Furniture);
            }
        }
        i += run.max(1);
    }
}

/// Short paragraphs that repeat a sentence of the body, and lone quote marks.
fn pull_quotes(paras: &[Para], cls: &mut [Class]) {
    // normalised texts, made only once a page has a quote to compare
    let mut normed: Option<Vec<String>> = None;
    for i in 0..paras.len() {
        let t = paras[i].text.trim();
        if matches!(t, "»" | "«" | "„" | "“" | "”" | "\"") {
            cls[i] = Class::Boiler(Boiler::PullQuote);
            continue;
        }
        let before_quote = i > 0 && paras[i - 1].text.trim() == "»";
        let after_quote = paras.get(i + 1).is_some_and(|p| p.text.trim() == "«");
        if cls[i].is_boiler()
            || !(before_quote || after_quote || t.starts_with(['»', '„', '"']))
            || word_count(t) > 30
        {
            continue;
        }
        let normed = normed.get_or_insert_with(|| paras.iter().map(|p| norm(&p.text)).collect());
        if normed[i].len() < 20 {
            continue;
        }
        let repeated = normed.iter().enumerate().any(|(j, other)| {
            j != i && other.len() * 10 >= normed[i].len() * 13 && other.contains(normed[i].as_str())
        });
        if repeated {
            cls[i] = Class::Boiler(Boiler::PullQuote);
        }
    }
}

/// A run of short non-prose lines holding a bare date, an all-caps label or a web
/// address is an advertisement box (an event, a download), not content.
fn event_boxes(paras: &[Para], cls: &mut [Class]) {
    let n = paras.len();
    let mut i = 0;
    while i < n {
        if matches!(cls[i], Class::Prose | Class::Byline) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n
            && !matches!(
                cls[i],
                Class::Prose | Class::Byline | Class::Boiler(Boiler::ReadMore)
            )
        {
            i += 1;
        }
        let run = start..i;
        let marker = run.clone().any(|k| {
            let t = paras[k].text.trim();
            BARE_DATE.is_match(t)
                || (t.len() >= 4
                    && t.chars().any(char::is_alphabetic)
                    && t.chars().all(|c| !c.is_lowercase())
                    && word_count(t) <= 3)
                || (cls[k] == Class::Boiler(Boiler::Links) && t.starts_with("www."))
        });
        // a headline, then its date line, then the article's running text: a news
        // article's head, no box
        let article_head = i < n
            && cls[i] == Class::Prose
            && word_count(&paras[i].text) >= 20
            && i > start
            && BARE_DATE.is_match(paras[i - 1].text.trim());
        if marker && run.len() >= 2 && !article_head {
            for k in run {
                if matches!(cls[k], Class::Heading | Class::Boiler(Boiler::Links)) {
                    cls[k] = Class::Boiler(Boiler::EventBox);
                }
            }
        }
        if i == start {
            i += 1;
        }
    }
}

/// A date written out in a box or line of its own ("10. November 2021").
pub fn bare_date(t: &str) -> bool {
    BARE_DATE.is_match(t.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::paragraphs;

    fn classes(t: &str) -> Vec<(String, Class)> {
        let p = paragraphs(t);
        let c = classify(&p);
        p.into_iter().map(|p| p.text).zip(c).collect()
    }

    #[test]
    fn credits_and_their_captions() {
        let c = classes(
            "Kreis Soest Digitalisierung\n© Kreisverwaltung Soest\n\nDigitalisierungsprozess beim Kreis Soest\n",
        );
        assert_eq!(c[0].1, Class::Boiler(Boiler::Caption));
        assert_eq!(c[1].1, Class::Boiler(Boiler::Credit));
        assert_eq!(c[2].1, Class::Heading);
        assert_eq!(local("(Bildquelle: OWL-IT)"), Class::Boiler(Boiler::Credit));
        assert_eq!(
            local("v.l.: Lars Hoppmann, Geschäftsleiter; Thomas Katzer, Bürgermeister"),
            Class::Boiler(Boiler::Caption)
        );
    }

    const BODY: &str = "Die Gemeinde Musterdorf hat im Frühjahr ihre Bauanträge auf ein digitales Verfahren umgestellt, das Antragstellern und Ämtern viele Wege erspart und die Bearbeitung um Wochen verkürzt.";

    #[test]
    fn descriptions_ending_in_their_credit_are_captions() {
        for t in [
            "Der neue Bürgerservice im Erdgeschoss des Rathauses. Foto: Stadt Musterstadt/Archiv",
            "Gemeinsam unterschrieben: die Bürgermeisterin und der Landrat am Dienstag. | Bild: Meier, Anna",
            "„Wir sind bereit“, sagt die Amtsleiterin im neuen Büro. Fotos: Kreisverwaltung",
        ] {
            assert_eq!(local(t), Class::Boiler(Boiler::Caption), "{t}");
        }
        // a sentence that talks about photos is no credit
        assert_ne!(
            local("Die Stadt zeigt in einer Ausstellung Bilder: alte Amtsstuben und neue Büros."),
            Class::Boiler(Boiler::Caption)
        );
    }

    #[test]
    fn a_run_of_short_bullets_above_the_text_is_navigation() {
        for menu in [
            "• Kreisblatt\n• Stadtanzeiger\n• Abo\n• Kontakt",
            "- Aktuelles\n- Bürgerservice\n- Rathaus & Politik",
        ] {
            let c = classes(&format!("{menu}\n\nNeue Wege im Bauamt\n\n{BODY}\n"));
            let n = menu.lines().count();
            assert!(
                c[..n]
                    .iter()
                    .all(|(_, k)| *k == Class::Boiler(Boiler::Furniture)),
                "{c:?}"
            );
            assert_eq!(c[n].1, Class::Heading);
        }
        // the same list below the first sentences is content
        let c = classes(&format!(
            "{BODY}\n\n• Bauanträge\n• Anzeigen\n• Genehmigungen\n"
        ));
        assert!(c[1..].iter().all(|(_, k)| !k.is_boiler()), "{c:?}");
    }

    #[test]
    fn headline_and_date_line_above_the_text_are_no_event_box() {
        for date in ["01.04.2020", "3. März 2023"] {
            let c = classes(&format!("Digitale Bauakte im Kreis\n\n{date}\n\n{BODY}\n"));
            assert_eq!(c[0].1, Class::Heading, "{c:?}");
        }
        // an announcement box keeps its class: a label, a date, a title, an address
        let c = classes(&format!(
            "VERANSTALTUNG\n\n12.05.2024\n\nFachtag Digitale Verwaltung\n\nwww.fachtag.example\n\n{BODY}\n"
        ));
        assert_eq!(c[2].1, Class::Boiler(Boiler::EventBox), "{c:?}");
    }

    #[test]
    fn page_furniture() {
        assert_eq!(
            local("Dienstag, 15. Juli 2025"),
            Class::Boiler(Boiler::PageDate)
        );
        assert_eq!(
            local("Kategorie: Praxisbeispiele"),
            Class::Boiler(Boiler::ListingHeader)
        );
        assert_eq!(
            local("Weitere Meldungen und Beiträge aus dem Bereich: Personalwesen"),
            Class::Boiler(Boiler::ListingHeader)
        );
        assert_eq!(local("bericht"), Class::Boiler(Boiler::Label));
        assert_eq!(local("mehr..."), Class::Boiler(Boiler::ReadMore));
        assert_eq!(
            local("__________________"),
            Class::Boiler(Boiler::Separator)
        );
        assert_eq!(
            local("https://twitter.com/KDN_NRW"),
            Class::Boiler(Boiler::Links)
        );
        assert_eq!(
            local("Mühlenstraße 51 | 53721 Siegburg"),
            Class::Boiler(Boiler::Contact)
        );
        assert_eq!(
            local("Über die Stadt Bad Salzuflen:"),
            Class::Boiler(Boiler::Profile)
        );
    }

    #[test]
    fn alt_texts() {
        for t in [
            "Das Kasaia-Logo zeigt eine stilisiert dargestellte Eule, die ein Buch mit Paragrafsymbol festhält.",
            "Employees giving hands and helping colleagues to walk upstairs. Team giving support, growing together.",
            "Projekttreffen im Zuge der Projektarbeit. Zu sehen sind Tobias Krüger und drei weitere Personen.",
            "Eine Frau hält ein Smartphone in der Hand, das das Karriereportal der Stadt anzeigt.",
            "Screenshot der Website \"Bochum demokratisch\"",
        ] {
            assert_eq!(local(t), Class::Boiler(Boiler::Alt), "{t}");
        }
        assert_eq!(
            local("Die Stadt Mainz hat ihre Arbeitsumgebung auf ein VPN-System umgestellt."),
            Class::Prose
        );
    }

    #[test]
    fn english_stock_photo_text_counts_words_as_lower_case() {
        assert!(alt_text(&View::new(
            "THE team AND the Boss, together WITH friends."
        )));
        assert!(!alt_text(&View::new(
            "The team and the boss, together with friends für alle."
        )));
        assert_eq!(english_words("İthe", &["the"], &["die"]), Some(1));
        assert_eq!(english_words("Für", &["the"], &["für"]), None);
        assert_eq!(word_count("  eins \u{a0}zwei\tdrei  "), 3);
    }

    #[test]
    fn headings_and_prose() {
        assert_eq!(
            local("Verwaltung mit Haltung – Wie Bochum Demokratie sichtbar macht."),
            Class::Heading
        );
        assert_eq!(
            local(
                "Gemeinsam Digital für Sachsen-Anhalt – So geht Zusammenarbeit zwischen Land und Kommunen!"
            ),
            Class::Heading
        );
        assert_eq!(
            local("Ein kurzer Überblick über den Beitrag:"),
            Class::Prose
        );
        assert_eq!(
            local("– Gastbeitrag von Sascha Kiseier, Stadt Bochum –"),
            Class::Byline
        );
    }

    #[test]
    fn event_box_and_footnote() {
        let c = classes(
            "Auch darüber wird berichtet werden.\n\nZukünftige IT-Strategien\nin Nordrhein-Westfalen\n\n10. November 2021\nONLINE-EVENT\n\nwww.e-nrw.info\n\n**Wilfried Kruse, Geschäftsführer, ist Leiter des Kongresses.*",
        );
        let boiler: Vec<bool> = c.iter().map(|(_, c)| c.is_boiler()).collect();
        assert_eq!(boiler, [false, true, true, true, true, true], "{c:?}");
    }

    #[test]
    fn pull_quote_repeating_the_body() {
        let c = classes(
            "\"Digitalisierung an sich ist kein Wert, sondern das, was man daraus macht.\", so lautet die Überschrift.\n\n»\n\nDigitalisierung an sich ist kein Wert, sondern das, was man daraus macht.\n\n«\n",
        );
        assert!(
            c[1..]
                .iter()
                .all(|(_, c)| *c == Class::Boiler(Boiler::PullQuote)),
            "{c:?}"
        );
    }
}
