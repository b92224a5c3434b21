//! The headline: parts joined, markup and a trailing period removed, a kicker glued
//! to the headline separated ("AugustdorfFlexibel arbeiten" → "Augustdorf: Flexibel
//! arbeiten").

use std::sync::LazyLock;

use regex::Regex;

static GLUED_KICKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*?[a-zäöüß]{2})([A-ZÄÖÜ][a-zäöüß]+\s)")
        .expect("static regex")
});

/// Builds a title from its headline parts (a kicker or sub-headline may follow).
pub fn title(parts: &[&str]) -> String {
    let mut t = String::new();
    for (i, p) in parts.iter().enumerate() {
        let p = clean(p);
        if i > 0 {
            if t.ends_with(':') {
                t.push(' ');
            } else {
                t.push_str(" – ");
            }
        }
        t.push_str(&p);
    }
    if t.ends_with('.') && !t.ends_with("..") {
        t.pop();
    }
    split_kicker(t.trim())
}

fn clean(t: &str) -> String {
    t.replace('*', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "AugustdorfFlexibel arbeiten im Homeoffice" → "Augustdorf: Flexibel arbeiten im
/// Homeoffice". Only a title without a colon, glued in its first word.
fn split_kicker(t: &str) -> String {
    if t.contains(':') {
        return t.to_string();
    }
    match GLUED_KICKER.captures(t) {
        Some(c) => {
            let kicker = c.get(1).map_or("", |m| m.as_str());
            format!("{kicker}: {}", &t[kicker.len()..])
        }
        None => t.to_string(),
    }
}

/// A page's `<title>` as a headline: the site's name after " | " or " - " dropped
/// ("Neues Portal in Jena | Stadt Jena" → "Neues Portal in Jena").
pub fn from_page_title(t: &str) -> String {
    let t = clean(t);
    let cut = [" | ", " – ", " - ", " :: "]
        .iter()
        .filter_map(|sep| t.rfind(sep).map(|i| (i, sep.len())))
        .filter(|(i, _)| *i >= 12)
        .max_by_key(|(i, _)| *i);
    let t = match cut {
        // only a short tail is a site name
        Some((i, n)) if t[i + n..].split_whitespace().count() <= 4 => &t[..i],
        _ => t.as_str(),
    };
    title(&[t])
}

/// "Weimar (dpa/th) - ", "Detmold, am Mittwoch den 08.03.2023 – ", "Langen – ",
/// "JENA. ", "Büttelborn. ": the place a report comes from, before its first
/// sentence. Returns the place and the text after the dateline. A bare name before a
/// dash or period must be a place `is_place` knows; with an agency tag or a date it
/// is a dateline anyway.
pub fn split_dateline<'t>(
    text: &'t str,
    is_place: &dyn Fn(&str) -> bool,
) -> Option<(&'t str, &'t str)> {
    let head_end = text.char_indices().nth(100).map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    let (cut, sep) = [" – ", " - ", ". "]
        .iter()
        .filter_map(|sep| head.find(sep).map(|i| (i, *sep)))
        .min_by_key(|(i, _)| *i)?;
    let rest = text[cut + sep.len()..].trim_start();
    if !rest.starts_with(|c: char| c.is_uppercase() || "„\"»".contains(c)) {
        return None;
    }
    let prefix = &text[..cut];
    // the place: before an agency in brackets or a comma with the date
    let place = prefix
        .split(" (")
        .next()
        .unwrap_or(prefix)
        .split(',')
        .next()
        .unwrap_or(prefix)
        .trim();
    let after_place = prefix[place.len()..].trim();
    let words: Vec<&str> = place.split_whitespace().collect();
    let connector = |w: &str| matches!(w, "am" | "an" | "der" | "im" | "in" | "bei" | "ob");
    let placelike = !words.is_empty()
        && words.len() <= 4
        && words[0].starts_with(|c: char| c.is_uppercase())
        && words
            .iter()
            .all(|w| connector(w) || w.starts_with(|c: char| c.is_uppercase() || c == '('));
    if !placelike {
        return None;
    }
    // what may stand between the place and the dash: an agency tag, a date
    let extra_ok = after_place.is_empty()
        || after_place.starts_with('(')
        || (after_place.starts_with(',') && after_place.chars().any(|c| c.is_ascii_digit()));
    if !extra_ok {
        return None;
    }
    if after_place.is_empty() && !is_place(&place_name(place)) {
        return None;
    }
    Some((place, rest))
}

/// A place written in capitals ("JENA") as a name ("Jena").
fn place_name(place: &str) -> String {
    if place
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
    {
        place
            .split_inclusive([' ', '-', '/'])
            .map(|w| {
                let mut cs = w.chars();
                cs.next().map_or(String::new(), |f| {
                    f.to_string() + &cs.as_str().to_lowercase()
                })
            })
            .collect()
    } else {
        place.to_string()
    }
}

/// A stand-in title from the first sentence when a text has no headline; a
/// dateline's place leads it as a kicker ("Weimar: Die Stadtverwaltung setzt …").
pub fn from_text(text: &str, is_place: &dyn Fn(&str) -> bool) -> String {
    if let Some((place, rest)) = split_dateline(text, is_place) {
        let sentence = first_words(rest);
        if sentence != UNTITLED {
            return format!("{}: {sentence}", place_name(place));
        }
    }
    first_words(text)
}

fn first_words(text: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        // a leading date stamp or stray punctuation is not part of a headline
        if words.is_empty() && !w.chars().any(char::is_alphabetic) {
            continue;
        }
        let end = w.ends_with(['.', '!', '?']);
        words.push(w.trim_end_matches(['.', '!', '?']));
        if end || words.len() == 12 {
            break;
        }
    }
    let t = words.join(" ");
    if t.trim().is_empty() {
        UNTITLED.to_string()
    } else {
        t
    }
}

/// The title of an item whose text gives none; the item is put under review.
pub const UNTITLED: &str = "Ohne Titel";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dateline_becomes_the_kicker_of_a_stand_in_title() {
        let known = |n: &str| ["Langen", "Bad Salzuflen", "Weimar", "Detmold"].contains(&n);
        for (text, want) in [
            (
                "Weimar (dpa/th) - Die Stadtverwaltung setzt auf ein Servicetelefon.",
                "Weimar: Die Stadtverwaltung setzt auf ein Servicetelefon",
            ),
            (
                "Detmold, am Mittwoch den 08.03.2023 – Die Stadt Detmold tagt papierlos.",
                "Detmold: Die Stadt Detmold tagt papierlos",
            ),
            (
                "Langen – Die städtischen Azubis werben um Nachwuchs.",
                "Langen: Die städtischen Azubis werben um Nachwuchs",
            ),
            (
                "BAD SALZUFLEN. Die Stadt stellt ihr Portal vor.",
                "Bad Salzuflen: Die Stadt stellt ihr Portal vor",
            ),
        ] {
            assert_eq!(from_text(text, &known), want);
        }
        // a sentence with a dash or an abstract noun before a period is no dateline
        assert_eq!(
            from_text("Die Stadt hat – wie angekündigt – ein Portal.", &known),
            "Die Stadt hat – wie angekündigt – ein Portal"
        );
        assert_eq!(
            from_text("Digitalisierung. Das Wort hört man oft.", &known),
            "Digitalisierung"
        );
        assert_eq!(
            from_text(
                "Mobiles Bürgeramt – Ein Koffer ersetzt den Schalter.",
                &known
            ),
            "Mobiles Bürgeramt – Ein Koffer ersetzt den Schalter"
        );
    }

    #[test]
    fn separates_glued_kicker() {
        assert_eq!(
            title(&["AugustdorfFlexibel arbeiten im Homeoffice"]),
            "Augustdorf: Flexibel arbeiten im Homeoffice"
        );
        assert_eq!(
            title(&["Borken: Bewerbung per WhatsApp"]),
            "Borken: Bewerbung per WhatsApp"
        );
        assert_eq!(
            title(&["Stadt Bochum zeigt Haltung"]),
            "Stadt Bochum zeigt Haltung"
        );
    }

    #[test]
    fn joins_parts_and_drops_trailing_period() {
        assert_eq!(
            title(&[
                "Mentale Transformation",
                "Changemanagement für die Verwaltung 4.0"
            ]),
            "Mentale Transformation – Changemanagement für die Verwaltung 4.0"
        );
        assert_eq!(
            title(&["Für eine Woche tauschen:", "Arbeitgeber machen es möglich"]),
            "Für eine Woche tauschen: Arbeitgeber machen es möglich"
        );
        assert_eq!(
            title(&["Wie Bochum Demokratie sichtbar macht."]),
            "Wie Bochum Demokratie sichtbar macht"
        );
        assert_eq!(title(&["Quo vadis OZG?"]), "Quo vadis OZG?");
    }

    #[test]
    fn a_title_from_text_skips_stamps_and_punctuation() {
        assert_eq!(
            from_text(
                ".[03.04.2023] Der Kreis Soest lädt ein. Zweiter Satz.",
                &|_| false
            ),
            "Der Kreis Soest lädt ein"
        );
        assert_eq!(from_text(". 2024 …", &|_| false), UNTITLED);
    }
}
