//! The year a practice was reported. A dateline of the text itself ("[15.02.2024]",
//! "Bad Salzuflen / Siegburg, 21.02.2022") decides; then a date in a box that
//! completes a day the text names without a year ("Am 10. November" + "10. November
//! 2021"); then the latest year the text reports as done or current. Years of plans
//! ("bis 2030", "ab 2026") and years inside names ("Regionale 2025") do not count, and
//! a page's crawl date is only an upper bound.

use std::sync::LazyLock;

use regex::Regex;

const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const SEASONS: [&str; 6] = [
    "Frühjahr",
    "Frühling",
    "Sommer",
    "Herbst",
    "Winter",
    "Jahreswechsel",
];

static STAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(\d{1,2})\.(\d{1,2})\.(\d{4})\]").expect("static regex"));
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-ZÄÖÜ(][^,.\n]{0,80},\s*(?:den\s+)?)?(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
        .expect("static regex")
});
static DATELINE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-ZÄÖÜ][^,.\n]{0,80},\s*(?:den\s+)?(\d{1,2})\.\s*([A-ZÄ][a-zä]+)\s+(\d{4})\b")
        .expect("static regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(19[5-9][0-9]|20[0-4][0-9])(?-u:\b)").expect("static regex")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{1,2})\.\s*(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+(\d{4})\b")
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
    ((1950..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(
        Dateline {
            year: y,
            month: m,
            day: d,
        },
    )
}

impl Dateline {
    /// Whether the day exists in its month ("30.02." does not): the year still
    /// dates the text, but only a real day becomes the entry's `date`, and TOML
    /// refuses to write any other.
    pub fn is_real_day(&self) -> bool {
        let y = self.year;
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days = match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        self.day <= days
    }
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
                if !after
                    .trim_start()
                    .starts_with(|ch: char| ch.is_ascii_digit())
                {
                    return c[3].parse().ok();
                }
            }
        }
    }
    None
}

/// The latest year the text reports as done or current, at most `upper`; None
/// without any. A bare year told in retrospect ("2022 fungierte das Team als
/// Testlabor") was written after that year: it counts as the year after, unless a
/// month, season or day dates the event within its year.
pub fn inferred(text: &str, upper: Option<i64>) -> Option<i64> {
    let mut best: Option<i64> = None;
    for m in YEAR.find_iter(text) {
        let Ok(year) = m.as_str().parse::<i64>() else {
            continue;
        };
        if upper.is_some_and(|u| year > u) {
            continue;
        }
        let after = &text[m.end()..];
        let Some(dated) = counts(&text[..m.start()], after) else {
            continue;
        };
        // "2020-22": the period's end
        let year = period_end(year, after).unwrap_or(year);
        let mut y = if dated { year } else { year + 1 };
        if let Some(u) = upper {
            y = y.min(u);
        }
        best = Some(best.map_or(y, |b| b.max(y)));
    }
    best
}

/// Whether a year with this context reports something done or current: None if
/// not, else whether a month, season or day dates it within the year.
fn counts(before: &str, after: &str) -> Option<bool> {
    // "2025/2026": a school year or a plan
    if after.starts_with('/') || before.ends_with('/') {
        return None;
    }
    if plan(before) {
        return None;
    }
    // "(2020-22)": a period; its end is what counts, told in retrospect
    if after.starts_with(['-', '–']) {
        return Some(false);
    }
    let dated = dated_within_year(before);
    let word = before
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() || word.chars().next().is_some_and(|c| !c.is_uppercase()) {
        return Some(dated);
    }
    // a capitalised word right before the year is a name ("Regionale 2025", "Award
    // 2025") unless it is a month, a season or a time word
    (MONTHS.contains(&word)
        || SEASONS.contains(&word)
        || matches!(
            word,
            "Jahr" | "Jahre" | "Ende" | "Anfang" | "Mitte" | "Stand" | "Seit" | "Im" | "In"
        ))
    .then_some(dated)
}

/// The end year of a period "2020-22" / "2020–2022" starting at `year`.
fn period_end(year: i64, after: &str) -> Option<i64> {
    let rest = after.strip_prefix(['-', '–'])?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let end = match digits.len() {
        2 => year / 100 * 100 + digits.parse::<i64>().ok()?,
        4 => digits.parse().ok()?,
        _ => return None,
    };
    (end >= year && end - year < 30).then_some(end)
}

/// "bis 2030", "ab 2026": a plan, not a report.
fn plan(before: &str) -> bool {
    before.split_whitespace().rev().take(3).any(|w| {
        matches!(
            w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
            "bis" | "ab" | "künftig" | "spätestens" | "voraussichtlich"
        )
    })
}

/// A month, season, day or time word stands right before the year.
fn dated_within_year(before: &str) -> bool {
    let word = before
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric());
    MONTHS.contains(&word)
        || SEASONS.contains(&word)
        || matches!(word, "Ende" | "Anfang" | "Mitte")
        || (!word.is_empty() && word.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        assert_eq!(
            dateline("[15.02.2024] Die Gemeinde Augustdorf stellt um").map(|d| d.year),
            Some(2024)
        );
        let d = dateline("Bad Salzuflen / Siegburg, 21.02.2022  Wie aufgeschlossen").unwrap();
        assert_eq!((d.year, d.month, d.day), (2022, 2, 21));
        assert_eq!(
            dateline("Lemgo, 3. März 2023 – Der Kreis").map(|d| d.year),
            Some(2023)
        );
        assert_eq!(dateline("Vor einem Jahr hat der Kreis 2019 begonnen"), None);
    }

    #[test]
    fn a_day_that_does_not_exist_dates_the_year_only() {
        for (text, real) in [
            ("[30.02.2025] Die Stadt", false),
            ("[29.02.2023] Die Stadt", false),
            ("[29.02.2024] Die Stadt", true),
            ("[29.02.2000] Die Stadt", true),
            ("[31.04.2024] Die Stadt", false),
            ("[31.12.2024] Die Stadt", true),
            ("Lemgo, 31. Juni 2023 – Der Kreis", false),
        ] {
            let d = dateline(text).expect(text);
            assert_eq!(d.is_real_day(), real, "{text}");
        }
    }

    #[test]
    fn plans_and_names_do_not_count() {
        let t = "Das Projekt begann Ende 2017 und läuft noch bis Ende 2019. Es ist im Frühjahr 2019 gestartet und läuft bis zum Herbst 2021. Im Rahmen der Regionale 2025 werden Projekte gefördert, bis 2030 die Hälfte.";
        assert_eq!(inferred(t, None), Some(2019));
        assert_eq!(
            inferred(
                "Die Hochschulen bilden ab dem Wintersemester 2025/2026 aus.",
                None
            ),
            None
        );
        assert_eq!(inferred("Beschluss am 4. März 2025.", Some(2024)), None);
        assert_eq!(
            inferred("Das Team fungierte 2022 als Testlabor.", None),
            Some(2023)
        );
        assert_eq!(
            inferred("im Projekt (2020-22) aufgebaut", Some(2025)),
            Some(2023)
        );
        assert_eq!(
            inferred("im Projekt (2020-22) aufgebaut", Some(2025)),
            Some(2023)
        );
    }

    #[test]
    fn box_date_completes_the_text() {
        let body = "Am 10. November wird der Kongress virtuell stattfinden.";
        assert_eq!(completed_date(body, &["10. November 2021"]), Some(2021));
        assert_eq!(completed_date(body, &["11. November 2021"]), None);
    }
}
