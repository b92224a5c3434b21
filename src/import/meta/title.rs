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

/// A stand-in title from the first sentence when a text has no headline.
pub fn from_text(text: &str) -> String {
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
            from_text(".[03.04.2023] Der Kreis Soest lädt ein. Zweiter Satz."),
            "Der Kreis Soest lädt ein"
        );
        assert_eq!(from_text(". 2024 …"), UNTITLED);
    }
}
