//! Page furniture: the parts of a web page that are neither text nor headline and
//! that copies of pages keep around the article. Cookie and consent notices,
//! navigation ("Sie sind hier", "Zurück zur Übersicht", menu items), subscription
//! and paywall prompts, gallery counters ("1 von 2"), reading times, edition lines,
//! image descriptions ("(Symbolbild: …)", file names), bare counters, and time
//! stamps with an age. None of them is a title, an owner or part of an entry's text.

use std::sync::LazyLock;

use regex::Regex;

/// Phrases that only page furniture uses, lower-cased; one anywhere in a short
/// paragraph (or at the start of a long one) marks it.
const PHRASES: &[&str] = &[
    "cookie",
    "sie sind hier",
    "zurück zur",
    "zurück zum",
    "zur übersicht",
    "zum inhalt springen",
    "inhalt überspringen",
    "hauptmenü",
    "navigation überspringen",
    "google-übersetzer",
    "übersetzer aktivieren",
    "abonnement",
    "abonnieren",
    "jetzt lesen",
    "jetzt registrieren",
    "artikel speichern",
    "artikel teilen",
    "lesedauer",
    "lesezeit",
    "anbieter zum thema",
    "themen des artikels",
    "account-präferenzen",
    "mehr informationen zum datenschutz",
    "javascript aktivieren",
    "seite drucken",
    "schrift vergrößern",
    "leichte sprache",
    "gebärdensprache",
    "symbolbild",
    "bildergalerie",
    "alle rechte vorbehalten",
];

/// Menu items that stand alone on a line.
const MENU_WORDS: &[&str] = &[
    "suche",
    "menü",
    "menu",
    "startseite",
    "home",
    "shop",
    "tickets",
    "werben",
    "kontakt",
    "impressum",
    "datenschutz",
    "login",
    "anmelden",
    "abo",
    "plus",
    "e-paper",
    "epaper",
    "newsletter",
    "teilen",
    "drucken",
    "merken",
    "schließen",
    "ok",
    "logo",
    "titel logo",
    "navigation",
    "inhalt",
    "mehr",
];

static COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:bild|foto)\s+)?\d{1,3}\s*(?:von|/|of)\s*\d{1,3}$|^\d{1,5}$|^ausgabe\s+\d{1,3}\s*/\s*\d{4}$")
        .expect("static regex")
});
/// "20.12.2017 14:43 Alter: 61 Tag(e)": a time stamp with the item's age.
static AGED_STAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\balter:\s*\d+\s*tag").expect("static regex"));
/// A file name standing for an image: "Wappen_Musterstadt_(Kreis)", "IMG_2041.jpg".
static FILE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\w()\-]+_[\w()\-]+(?:\.(?:jpe?g|png|gif|webp|svg))?$|^\S+\.(?:jpe?g|png|gif|webp|svg)$")
        .expect("static regex")
});
/// "Bild von …", "Bild: …", "Foto: …", "(Foto: …)" as a line of its own.
static IMAGE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\(?(?:Bild|Foto|Fotos|Grafik|Quelle|Symbolfoto|Titelbild|Beitragsbild)(?:\s+von\b|\s*:)",
    )
    .expect("static regex")
});

/// Whether a paragraph is page furniture.
pub fn is_furniture(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(['•', '·', '▪', '-', '*', '|', ' '])
        .trim();
    if t.is_empty() {
        return false;
    }
    let lower = t.to_lowercase();
    let words = t.split_whitespace().count();
    if words <= 3 && MENU_WORDS.contains(&lower.trim_end_matches([':', '.']).trim()) {
        return true;
    }
    if COUNTER.is_match(t) || AGED_STAMP.is_match(t) {
        return true;
    }
    if words <= 2 && FILE_NAME.is_match(t) && t.contains('_') {
        return true;
    }
    if words <= 25 && IMAGE_NOTE.is_match(t) {
        return true;
    }
    // link labels: "Mehr Informationen ins Netz", "Weitere Informationen", "Mehr erfahren"
    if words <= 8
        && [
            "mehr informationen",
            "weitere informationen",
            "mehr erfahren",
            "mehr zum thema",
            "zum artikel",
            "zur startseite",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // a notice is short; in a long paragraph only its opening counts
    let probe = if words <= 40 {
        lower.as_str()
    } else {
        let end = lower.char_indices().nth(80).map_or(lower.len(), |(i, _)| i);
        &lower[..end]
    };
    PHRASES.iter().any(|p| probe.contains(p))
}

/// A paywall or section label glued before a lead: "Plus Noch ist …", "Anzeige Die
/// Stadt …". Returns the text without it.
pub fn strip_label(text: &str) -> &str {
    for label in ["Plus ", "PLUS ", "Anzeige ", "Exklusiv ", "Premium "] {
        if let Some(rest) = text.strip_prefix(label)
            && rest.starts_with(|c: char| c.is_uppercase())
        {
            return rest;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_of_news_and_municipal_pages() {
        for t in [
            "Wir verwenden Cookies, um Ihnen die beste Nutzung zu ermöglichen. Akzeptieren",
            "Zum Aktivieren des Google-Übersetzers bitte klicken.",
            "Sie sind hier: Startseite › Aktuelles",
            "Zurück zur vorigen Seite",
            "  • Shop",
            "Suche",
            "Titel Logo",
            "Ausgabe 4/2025",
            "1 von 5",
            "Bild 3 von 12",
            "212",
            "Von Anna Muster 3 min Lesedauer",
            "Um Artikel zu speichern, benötigen Sie ein Abonnement.",
            "(Symbolbild: Bildagentur)",
            "Bild von Max Muster",
            "Foto: Kreisverwaltung",
            "Wappen_Neustadt_(Hessen)",
            "03.04.2019 09:12 Alter: 12 Tag(e)",
            "Themen des Artikels",
            "Mehr Informationen ins interne Netz",
            "Weitere Informationen",
        ] {
            assert!(is_furniture(t), "{t}");
        }
    }

    #[test]
    fn headlines_and_text_are_not_furniture() {
        for t in [
            "Kreis Soest startet digitalen Bürgerservice",
            "Die Stadt Jena hat ihr Bürgerportal erneuert. Mehr als 50 Dienste sind online.",
            "Mehr Service im Rathaus",
            "Digitale Verwaltung",
            "Bildung und Digitalisierung gehen zusammen",
            "Weitere Informationen erhalten Bürgerinnen und Bürger im Rathaus unter der bekannten Nummer.",
        ] {
            assert!(!is_furniture(t), "{t}");
        }
        assert_eq!(
            strip_label("Plus Noch ist das Rathaus zu"),
            "Noch ist das Rathaus zu"
        );
        assert_eq!(strip_label("Plusminus null"), "Plusminus null");
    }
}
