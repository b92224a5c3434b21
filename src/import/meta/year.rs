//! The year a practice was reported. A dateline of the text itself ("[15.02.2024]",
//! "Bad Salzuflen / Siegburg, 21.02.2022") decides; then a date in a box that
//! completes a day the text names without a year ("Am 10. November" + "10. November
//! 2021"); then the latest year the text reports as done or current. Years of plans
//! ("bis 2030", "ab 2026") and years inside names ("Regionale 2025") do not count, and
//! a page's crawl date is only an upper bound.

use std::sync::LazyLock;

use regex::Regex;

const MONTHS: [&str; 12] = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
    "November", "Dezember",
];
const SEASONS: [&str; 6] = ["Frühjahr", "Frühling", "Sommer", "Herbst", "Winter", "Jahreswechsel"];

static STAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(\d{1,2})\.(\d{1,2})\.(\d{4})\]").expect("static regex"));
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-ZÄÖÜ(][^,.\n]{0,80},\s*(?:den\s+)?)?(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b").expect("static regex")
});
static DATELINE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-ZÄÖÜ][^,.\n]{0,80},\s*(?:den\s+)?(\d{1,2})\.\s*([A-ZÄ][a-zä]+)\s+(\d{4})\b").expect("static regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(19[5-9]\d|20[0-4]\d)\b").expect("static regex"));
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\.\s*(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+(\d{4})\b")
        .expect("static regex")
});

/// A full date of the text itself at the start of its first paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline {
    pub year: i64,
    pub month: u8,
    pub day: u8,
}

fn valid(y: i64, m: u8, d: u8) -> Option<Dateline> {
    ((1950..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(Dateline { year: y, month: m, day: d })
}

/// The dateline at the start of a text's first paragraph.
pub fn dateline(first_para: &str) -> Option<Dateline> {
    let t = first_para.trim_start();
    let c = STAMP.captures(t).or_else(|| DATELINE.captures(t));
    if let Some(c) = c {
        return valid(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?);
    }
    let c = DATELINE_WORDS.captures(t)?;
    let month = MONTHS.iter().position(|m| *m == &c[2])? as u8 + 1;
    valid(c[3].parse().ok()?, month, c[1].parse().ok()?)
}

/// A date in boilerplate ("10. November 2021") whose day and month the text names
/// without a year ("Am 10. November wird …").
pub fn completed_date(body: &str, evidence: &[&str]) -> Option<i64> {
    for e in evidence {
        for c in DAY_MONTH_YEAR.captures_iter(e) {
            let day_month = format!("{}. {}", &c[1], &c[2]);
            if let Some(pos) = body.find(&day_month) {
                let after = &body[pos + day_month.len()..];
                if !after.trim_start().starts_with(|ch: char| ch.is_ascii_digit()) {
                    return c[3].parse().ok();
                }
            }
        }
    }
    None
}

/// The latest year the text reports as done or current; None without any.
pub fn inferred(text: &str, upper: Option<i64>) -> Option<i64> {
    let mut best: Option<i64> = None;
    for m in YEAR.find_iter(text) {
        let Ok(y) = m.as_str().parse::<i64>() else { continue };
        if upper.is_some_and(|u| y > u) {
            continue;
        }
        let before = &text[..m.start()];
        let after = &text[m.end()..];
        if counts(before, after) {
            best = Some(best.map_or(y, |b| b.max(y)));
        }
    }
    best
}

/// Whether a year with this context reports something done or current.
fn counts(before: &str, after: &str) -> bool {
    // "2025/2026", "2020-22" ranges: a school year or a plan; "2.0" is no year anyway
    if after.starts_with('/') || before.ends_with(['/', '-']) {
        return false;
    }
    let prev: Vec<&str> = before.split_whitespace().rev().take(3).collect();
    let lower: Vec<String> = prev.iter().map(|w| w.to_lowercase()).collect();
    if lower.iter().any(|w| matches!(w.trim_matches(|c: char| !c.is_alphanumeric()), "bis" | "ab" | "künftig" | "spätestens" | "voraussichtlich")) {
        return false;
    }
    let Some(word) = prev.first() else { return true };
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() || word.chars().next().is_some_and(|c| !c.is_uppercase()) {
        return true;
    }
    // a capitalised word right before the year is a name ("Regionale 2025", "Award
    // 2025") unless it is a month, a season or a time word
    MONTHS.contains(&word) || SEASONS.contains(&word) || matches!(word, "Jahr" | "Jahre" | "Ende" | "Anfang" | "Mitte" | "Stand" | "Seit" | "Im" | "In")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        assert_eq!(dateline("[15.02.2024] Die Gemeinde Augustdorf stellt um").map(|d| d.year), Some(2024));
        let d = dateline("Bad Salzuflen / Siegburg, 21.02.2022  Wie aufgeschlossen").unwrap();
        assert_eq!((d.year, d.month, d.day), (2022, 2, 21));
        assert_eq!(dateline("Lemgo, 3. März 2023 – Der Kreis").map(|d| d.year), Some(2023));
        assert_eq!(dateline("Vor einem Jahr hat der Kreis 2019 begonnen"), None);
    }

    #[test]
    fn plans_and_names_do_not_count() {
        let t = "Das Projekt begann Ende 2017 und läuft noch bis Ende 2019. Es ist im Frühjahr 2019 gestartet und läuft bis zum Herbst 2021. Im Rahmen der Regionale 2025 werden Projekte gefördert, bis 2030 die Hälfte.";
        assert_eq!(inferred(t, None), Some(2019));
        assert_eq!(inferred("Die Hochschulen bilden ab dem Wintersemester 2025/2026 aus.", None), None);
        assert_eq!(inferred("Beschluss am 4. März 2025.", Some(2024)), None);
    }

    #[test]
    fn box_date_completes_the_text() {
        let body = "Am 10. November wird der Kongress virtuell stattfinden.";
        assert_eq!(completed_date(body, &["10. November 2021"]), Some(2021));
        assert_eq!(completed_date(body, &["11. November 2021"]), None);
    }
}
