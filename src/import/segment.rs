//! A classified page to items: one article, the posts of a listing page, or the main
//! article of a news page plus its dated teasers.
//!
//! Read-more links ("Weiterlesen", "mehr...") end teasers. Walking back from such a
//! link over the teaser's text reaches the run of short lines above it: the item's
//! headline with alt texts, labels or captions around it. Whatever stands before the
//! first teaser is the page's main article (or the one post a listing shows in full).
//! Whether a page puts image descriptions before or after its headlines is decided
//! once per page, from the items where the description is recognisable, and then
//! applied to the ambiguous ones.

use std::sync::LazyLock;

use regex::Regex;

use super::classify::{Boiler, Class};
use super::clean::Para;
use crate::entry::SourceKind;

/// One entry-to-be: which paragraphs make its title and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: SourceKind,
    /// Paragraph indices of the headline, in order (kicker first).
    pub title: Vec<usize>,
    /// Paragraph indices of the text: prose, bylines, sub-headings.
    pub body: Vec<usize>,
    /// All paragraphs of the item, boilerplate included: `start..end`.
    pub start: usize,
    pub end: usize,
}

static DATE_STAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[\d{1,2}\.\d{1,2}\.\d{2,4}\]").expect("static regex"));

/// Starts with a bracketed date stamp "[15.02.2024]".
pub fn has_date_stamp(t: &str) -> bool {
    DATE_STAMP.is_match(t.trim_start())
}

fn is_body(c: Class) -> bool {
    matches!(c, Class::Prose | Class::Byline)
}

/// May stand in the head of an item: headline, alt text, label, caption, credit.
fn is_head(c: Class) -> bool {
    matches!(
        c,
        Class::Heading
            | Class::Boiler(
                Boiler::Alt | Boiler::Label | Boiler::Caption | Boiler::Credit | Boiler::PageDate
            )
    )
}

/// Splits a page into items.
pub fn segment(paras: &[Para], cls: &[Class]) -> Vec<Item> {
    let n = paras.len();
    let markers: Vec<usize> = (0..n)
        .filter(|&i| cls[i] == Class::Boiler(Boiler::ReadMore))
        .collect();
    if markers.is_empty() {
        return article(paras, cls, 0, n, SourceKind::Article)
            .into_iter()
            .collect();
    }
    // (head start, body end) of each teaser
    let mut teasers = Vec::new();
    let mut start = 0;
    for &m in &markers {
        let head = head_start(cls, start, m);
        if (head..m).any(|k| is_body(cls[k])) {
            teasers.push((start, head, m));
        }
        start = m + 1;
    }
    let dated = teasers
        .iter()
        .filter(|(_, h, e)| {
            (*h..*e)
                .find(|&k| is_body(cls[k]))
                .is_some_and(|k| has_date_stamp(&paras[k].text))
        })
        .count();
    let teaser_kind = if dated * 2 > teasers.len() {
        SourceKind::Teaser
    } else {
        SourceKind::ListingItem
    };
    let main_kind = if teaser_kind == SourceKind::Teaser {
        SourceKind::Article
    } else {
        SourceKind::ListingItem
    };
    let alt_first = alt_before_headline(cls, &teasers);

    let mut items = Vec::new();
    if let Some(&(chunk_start, head, _)) = teasers.first()
        && let Some(a) = article(paras, cls, chunk_start, head, main_kind)
    {
        items.push(a);
    }
    for &(_, head, end) in &teasers {
        let first_body = (head..end).find(|&k| is_body(cls[k])).unwrap_or(end);
        let heads: Vec<usize> = (head..first_body)
            .filter(|&k| cls[k] == Class::Heading)
            .collect();
        let title = match (heads.len(), alt_first) {
            (0, _) => vec![],
            (_, true) => vec![heads[heads.len() - 1]],
            (_, false) => vec![heads[0]],
        };
        let body = (first_body..end).filter(|&k| !cls[k].is_boiler()).collect();
        items.push(Item {
            kind: teaser_kind,
            title,
            body,
            start: head,
            end,
        });
    }
    let last = markers[markers.len() - 1] + 1;
    if let Some(a) = article(paras, cls, last, n, main_kind) {
        items.push(a);
    }
    items
}

/// Walks back from a read-more link over the teaser text to the start of the run of
/// head lines above it (`start` when there is none).
fn head_start(cls: &[Class], start: usize, end: usize) -> usize {
    let mut k = end;
    let mut saw_body = false;
    loop {
        // back over the text (and boilerplate inside or after it)
        while k > start {
            let c = cls[k - 1];
            if is_body(c) {
                saw_body = true;
            } else if saw_body && is_head(c) {
                break;
            }
            k -= 1;
        }
        let run_end = k;
        while k > start && is_head(cls[k - 1]) {
            k -= 1;
        }
        if k == run_end {
            return start;
        }
        // a caption inside the text is not a head: keep walking
        if (k..run_end).any(|i| matches!(cls[i], Class::Heading | Class::Boiler(Boiler::Alt)))
            || k == start
        {
            return k;
        }
    }
}

/// True when this page's image descriptions stand before the headline they belong to.
fn alt_before_headline(cls: &[Class], teasers: &[(usize, usize, usize)]) -> bool {
    let (mut before, mut after) = (0, 0);
    for &(chunk, head, end) in teasers {
        let from = chunk.max(head.saturating_sub(3));
        let run: Vec<usize> = (from..end).take_while(|&k| !is_body(cls[k])).collect();
        let alt = run
            .iter()
            .position(|&k| cls[k] == Class::Boiler(Boiler::Alt));
        let heading = run.iter().rposition(|&k| cls[k] == Class::Heading);
        match (alt, heading) {
            (Some(a), Some(h)) if a < h => before += 1,
            (Some(_), Some(_)) => after += 1,
            _ => {}
        }
    }
    before > after
}

/// An article within `start..end`: the headings before its first prose paragraph make
/// the title; None when there is too little text for an entry.
fn article(
    paras: &[Para],
    cls: &[Class],
    start: usize,
    end: usize,
    kind: SourceKind,
) -> Option<Item> {
    // at least 25 words of prose, counted only that far
    let mut words = (start..end)
        .filter(|&k| cls[k] == Class::Prose)
        .flat_map(|k| paras[k].text.split_whitespace());
    words.nth(24)?;
    let first_body = (start..end).find(|&k| is_body(cls[k])).unwrap_or(end);
    let title = headline(paras, cls, start, first_body, end);
    let first = (start..end).find(|&k| !cls[k].is_boiler()).unwrap_or(start);
    let body = (first_body..end).filter(|&k| !cls[k].is_boiler()).collect();
    Some(Item {
        kind,
        title,
        body,
        start: first.min(first_body),
        end,
    })
}

/// The headline among the headings before an article's text: the run of headings
/// nearest the text (page furniture, dates or captions between runs separate a
/// publication's name or section from the headline), a short kicker kept before it,
/// a sub-headline after it dropped. A short line whose words the text never uses
/// (an author's name, a section label) is no headline.
fn headline(
    paras: &[Para],
    cls: &[Class],
    start: usize,
    first_body: usize,
    end: usize,
) -> Vec<usize> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut last: Option<usize> = None;
    for (k, class) in cls.iter().enumerate().take(first_body).skip(start) {
        if *class != Class::Heading {
            continue;
        }
        match (last, runs.last_mut()) {
            (Some(l), Some(run)) if l + 1 == k => run.push(k),
            _ => runs.push(vec![k]),
        }
        last = Some(k);
    }
    let body_words: String = (first_body..end.min(first_body + 12))
        .filter(|&k| !cls[k].is_boiler())
        .map(|k| paras[k].text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let used = |k: usize| {
        let words: Vec<String> = paras[k]
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .collect();
        words.len() > 3 || words.iter().any(|w| body_words.contains(w.as_str()))
    };
    let words = |k: usize| paras[k].text.split_whitespace().count();
    let pick = |run: &[usize]| -> Option<Vec<usize>> {
        match run {
            [] => None,
            [one] => Some(vec![*one]),
            // a kicker or section line, then the headline
            [kicker, head, ..] if words(*kicker) <= 3 && words(*head) > words(*kicker) => {
                Some(vec![*kicker, *head])
            }
            // a headline, then a short noun phrase that completes it; a sentence
            // after the headline is a sub-headline
            [head, second, ..] if completes(&paras[*second].text) => Some(vec![*head, *second]),
            [head, ..] => Some(vec![*head]),
        }
    };
    // when no line shares a word with the text (a short text, a teaser written
    // apart from its headline), the nearest run is still the best headline there is
    let nearest = runs.last().cloned().unwrap_or_default();
    while let Some(run) = runs.pop() {
        let run: Vec<usize> = run.into_iter().filter(|&k| used(k)).collect();
        // one long line right above the text, pictures between it and a short line
        // above: a sub-headline ("Unterzeile") under its headline
        if let ([one], Some(above)) = (run.as_slice(), runs.last())
            && words(*one) > 12
            && above.iter().all(|&k| words(k) <= 12 && used(k))
            && above.last().is_some_and(|&a| {
                cls[a + 1..*one].iter().any(|c| {
                    matches!(
                        c,
                        Class::Boiler(Boiler::Caption | Boiler::Credit | Boiler::Alt)
                    )
                })
            })
        {
            return pick(above).unwrap_or_default();
        }
        if let Some(title) = pick(&run) {
            return title;
        }
    }
    pick(&nearest).unwrap_or_default()
}

/// A second headline line that belongs to the title: at most seven words and not
/// opening like a sentence ("Personalorganisation für eine erfolgreiche
/// Verwaltungsmodernisierung", not "Die beiden Dienstleister fusionieren …").
fn completes(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    let sentence_start = [
        "Der", "Die", "Das", "Ein", "Eine", "Wie", "Was", "Warum", "Wer", "Wo", "Mit", "Im", "In",
        "Am", "Auf", "Nach", "Seit", "Für",
    ];
    words.len() <= 7
        && words.first().is_some_and(|w| !sentence_start.contains(w))
        && !ends_terminal_word(t)
}

fn ends_terminal_word(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::classify::classify;
    use crate::import::clean::paragraphs;

    fn titles(text: &str) -> Vec<(SourceKind, String)> {
        let p = paragraphs(text);
        let c = classify(&p);
        segment(&p, &c)
            .into_iter()
            .map(|it| {
                (
                    it.kind,
                    it.title
                        .iter()
                        .map(|&k| p[k].text.clone())
                        .collect::<Vec<_>>()
                        .join(" | "),
                )
            })
            .collect()
    }

    const TEASER: &str = "Die Stadt Mainz hat ihre Arbeitsumgebung auf ein modernes VPN-System umgestellt, das die Nutzung städtischer Notebooks ermöglicht.";

    #[test]
    fn news_page_main_article_and_dated_teasers() {
        let page = format!(
            "Dienstag, 15. Juli 2025\n\nAugustdorfFlexibel arbeiten im Homeoffice\n\n[15.02.2024] {TEASER} {TEASER} {TEASER}\n\n\
             Weitere Meldungen und Beiträge aus dem Bereich: Personalwesen\nDas Kasaia-Logo zeigt eine Eule.\n\n\
             Picture: KI erleichtert Stellenbewertung\n\n[14.07.2025] {TEASER} mehr...\n\n\
             Eine Frau hält ein Smartphone in der Hand.\nbericht\n\nHannover: Prozesse vereinfacht\n\n[18.03.2025] {TEASER} mehr...\n"
        );
        let t = titles(&page);
        assert_eq!(
            t,
            [
                (
                    SourceKind::Article,
                    "AugustdorfFlexibel arbeiten im Homeoffice".to_string()
                ),
                (
                    SourceKind::Teaser,
                    "Picture: KI erleichtert Stellenbewertung".to_string()
                ),
                (
                    SourceKind::Teaser,
                    "Hannover: Prozesse vereinfacht".to_string()
                ),
            ]
        );
    }

    #[test]
    fn listing_with_full_first_post_and_alt_after_headline() {
        let page = format!(
            "Kategorie: Praxisbeispiele\n\nIn Praxisbeispielen geben wir Erfahrungen weiter.\n\n\
             Verwaltung mit Haltung – Wie Bochum Demokratie sichtbar macht.\n\n{TEASER} {TEASER}\n\n{TEASER}\n\n\
             Das Titelbild des Beitrags zeigt einen Screenshot.\n\n\
             Verwaltung mit Haltung: Gemeinsam Demokratie schützen\n\nDas Bild zeigt den Text von Artikel 1\n\n{TEASER}\n\nWeiterlesen\n\n\
             Geballte Power für kommunale Projekte!\n\nMission Statement der Lokaprojekte\n\n{TEASER}\nWeiterlesen\n\n\
             Lots:innen: interne Unterstützung\n\nEmployees giving hands and helping colleagues to walk upstairs.\n\n{TEASER} Weiterlesen\n"
        );
        let t: Vec<String> = titles(&page).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            t,
            [
                "Verwaltung mit Haltung – Wie Bochum Demokratie sichtbar macht.",
                "Verwaltung mit Haltung: Gemeinsam Demokratie schützen",
                "Geballte Power für kommunale Projekte!",
                "Lots:innen: interne Unterstützung",
            ]
        );
    }

    #[test]
    fn a_long_line_under_the_pictures_is_the_sub_headline() {
        for (head, caption, sub, body) in [
            (
                "Kreisstadt: Neustart im Rechenzentrum",
                "Vertrag unterschrieben: der Landrat und die Bürgermeisterin im Rathaus. Fotos: Kreis",
                "Die Kreisstadt tritt als erste Gemeinde dem gemeinsamen IT-Dienstleister von Kreis und Nachbarstadt bei",
                "Seit gestern betreibt das gemeinsame Rechenzentrum auch die Server der Kreisstadt, deren Rat den Schritt im Winter beschlossen hatte.",
            ),
            (
                "Bürgerbüro auf Rädern",
                "Das mobile Bürgerbüro vor der Grundschule am Markt. | Bild: Gemeinde",
                "Mit einem umgebauten Kleinbus besucht das Bürgerbüro künftig jede Woche die sieben Ortsteile der Gemeinde",
                "Im Bus können Bürgerinnen und Bürger Ausweise beantragen und abholen; das Bürgerbüro hält dafür feste Zeiten an jeder Haltestelle ein.",
            ),
        ] {
            let page = format!("{head}\n\n{caption}\n\n{sub}\n\n{body} {TEASER}\n");
            let t = titles(&page);
            assert_eq!(t.len(), 1, "{t:?}");
            assert_eq!(t[0].1, head);
        }
    }

    #[test]
    fn single_article_with_subheadings_is_one_item() {
        let page = format!(
            "Mentale Transformation\n\nChangemanagement für die Verwaltung 4.0\n\n{TEASER} {TEASER}\n\nZwischentitel\n\n{TEASER}\n"
        );
        let t = titles(&page);
        assert_eq!(t.len(), 1);
        assert_eq!(
            t[0].1,
            "Mentale Transformation | Changemanagement für die Verwaltung 4.0"
        );
    }

    #[test]
    fn empty_and_boilerplate_only_pages_give_nothing() {
        assert!(titles("").is_empty());
        assert!(titles("© Foto\n\nhttps://example.org/\n\nmehr...\n").is_empty());
    }
}
