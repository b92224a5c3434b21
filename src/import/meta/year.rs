//! The year a practice was reported. The report date of the text decides: a
//! metadata line on top of the seed, a dateline ("Jena, 12.03.2023 –", "[15.02.2024]",
//! "Lemgo, am Dienstag, den 14.02.2023"), a date line or a date after a cue word in
//! the head of the text ("Pressemitteilung Nr. 48 vom 12.03.2023", "Stand:",
//! "veröffentlicht am", "Datum:"), as numbers, ISO dates or with month names. Then a
//! date in a box that completes a day the text names without a year; then the latest
//! year the text reports as done or current. Years of plans ("bis 2030", "ab 2026")
//! and years inside names ("Regionale 2025") do not count, and no year is shifted.

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
/// without any.
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
        if counts(&text[..m.start()], after).is_none() {
            continue;
        }
        // "2020-22": the period's end
        let mut y = period_end(year, after).unwrap_or(year);
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

/// A report date: a year, with month and day where the text gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDate {
    pub year: i64,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl ReportDate {
    /// The full date, when the day exists in its month.
    pub fn dateline(&self) -> Option<Dateline> {
        let d = valid(self.year, self.month?, self.day?)?;
        d.is_real_day().then_some(d)
    }
}

const WEEKDAYS: &str =
    "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So";
const MONTH_NAMES: &str = "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez|January|February|March|May|June|July|October|December";

/// A date at the start of a text, in any common written form; with the length of
/// the date.
static DATE_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?:{WEEKDAYS}),?\s+(?:(?:den|der)\s+)?)?(?:(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)(?:-(?P<id>\d\d)(?:[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?)?|(?P<nd>\d{{1,2}})\.\s?(?P<nm>\d{{1,2}})\.\s?(?P<ny>(?:19|20)\d\d)|(?P<wd>\d{{1,2}})\.?\s+(?P<wm>{MONTH_NAMES})\.?\s+(?P<wy>(?:19|20)\d\d)|(?P<em>{MONTH_NAMES})\.?\s+(?P<ed>\d{{1,2}}),\s+(?P<ey>(?:19|20)\d\d)|(?P<mm>{MONTH_NAMES})\.?\s+(?P<my>(?:19|20)\d\d)|(?P<yy>(?:19|20)\d\d))(?:[^0-9A-Za-zÄÖÜäöüß]|$)"
    ))
    .expect("static regex")
});

fn month_number(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let key: String = lower.chars().take(3).collect();
    let n = match key.as_str() {
        "jan" | "jän" => 1,
        "feb" => 2,
        "mär" | "mar" => 3,
        "apr" => 4,
        "mai" | "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "okt" | "oct" => 10,
        "nov" => 11,
        "dez" | "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Parses a date at the start of `text`: "2023-05", "2025-10-07T08:00:00Z",
/// "12.03.2023", "Dienstag, den 14.02.2023", "3. März 2023", "Januar 23, 2026",
/// "März 2023", "2023". Returns the date and the bytes it took (without the
/// character after it).
pub fn parse_date_prefix(text: &str) -> Option<(ReportDate, usize)> {
    let c = DATE_AT_START.captures(text)?;
    let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i64>().ok());
    let (year, month, day) = if let Some(y) = num("iy") {
        (y, num("im"), num("id"))
    } else if let Some(y) = num("ny") {
        (y, num("nm"), num("nd"))
    } else if let Some(y) = num("wy") {
        (
            y,
            c.name("wm")
                .and_then(|m| month_number(m.as_str()))
                .map(i64::from),
            num("wd"),
        )
    } else if let Some(y) = num("ey") {
        (
            y,
            c.name("em")
                .and_then(|m| month_number(m.as_str()))
                .map(i64::from),
            num("ed"),
        )
    } else if let Some(y) = num("my") {
        (
            y,
            c.name("mm")
                .and_then(|m| month_number(m.as_str()))
                .map(i64::from),
            None,
        )
    } else {
        (num("yy")?, None, None)
    };
    let month = month.filter(|m| (1..=12).contains(m)).map(|m| m as u8);
    let day = day.filter(|d| (1..=31).contains(d)).map(|d| d as u8);
    if month.is_none() && c.name("yy").is_none() && c.name("my").is_none() {
        return None;
    }
    // the match ends after the date, with one character that is no part of it
    let whole = c.get(0)?;
    let end = whole
        .as_str()
        .char_indices()
        .next_back()
        .map_or(whole.end(), |(i, ch)| {
            if ch.is_ascii_digit() || ch.is_alphabetic() {
                whole.end()
            } else {
                i
            }
        });
    Some((
        ReportDate {
            year,
            month,
            day: month.and(day),
        },
        end,
    ))
}

/// Cue words after which a date is the report date, wherever they stand in the
/// head of a text.
static CUED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bvom|\bstand:?|veröffentlicht(?:\s+am)?:?|\bdatum:?|erstellt(?:\s+am)?:?|aktualisiert(?:\s+am)?:?|erschienen(?:\s+am)?:?|publiziert(?:\s+am)?:?|pressemitteilung(?:\s+nr\.?\s*[\d/-]+)?\s+vom)\s+")
        .expect("static regex")
});
/// "Jena, 12.03.2023", "Jena (dpa/lby), 3. März 2023", "Lemgo, am Dienstag den
/// 14.02.2023", "JENA/WEIMAR. 12.03.2023": a place of a few words, a punctuation
/// mark, then a full date.
fn dateline_after_place(t: &str) -> Option<ReportDate> {
    if !t.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    for (i, ch) in t.char_indices() {
        if i > 80 || matches!(ch, '\n' | '!' | '?' | ':' | ';') {
            break;
        }
        if !matches!(ch, ',' | '.' | '–' | '-' | '/' | ')') {
            continue;
        }
        if t[..i].split_whitespace().count() > 6 {
            break;
        }
        let rest = t[i + ch.len_utf8()..].trim_start_matches([',', ' ', '(']);
        let rest = ["am ", "den "]
            .iter()
            .find_map(|cue| rest.strip_prefix(cue))
            .unwrap_or(rest)
            .trim_start();
        if let Some((d, _)) = parse_date_prefix(rest).filter(|(d, _)| d.day.is_some()) {
            return Some(d);
        }
    }
    None
}

/// Where a report date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRule {
    /// A date opens a paragraph (a date line, a bracketed stamp, a dateline).
    Dateline,
    /// A date after a cue word ("vom", "Stand:", "veröffentlicht am", "Datum:").
    Cued,
}

/// The report date in one paragraph of a text's head, if it has one: a date that
/// opens it (after a place, as in a dateline), or one after a cue word.
pub fn report_date(para: &str) -> Option<(ReportDate, DateRule)> {
    let t = para
        .trim_start()
        .trim_start_matches(['[', '(', '•', '|', '·', '-', '–', ' ']);
    if let Some((d, _)) = parse_date_prefix(t).filter(|(d, _)| d.month.is_some()) {
        return Some((d, DateRule::Dateline));
    }
    // a dateline: a short place part, then the date
    if let Some(d) = dateline_after_place(t) {
        return Some((d, DateRule::Dateline));
    }
    for m in CUED_DATE.find_iter(para) {
        // a full day: "vom März 2014" is what a text reports about, not its date
        if let Some((d, _)) = parse_date_prefix(&para[m.end()..]).filter(|(d, _)| d.day.is_some()) {
            return Some((d, DateRule::Cued));
        }
    }
    None
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
            Some(2022)
        );
        assert_eq!(
            inferred("im Projekt (2020-22) aufgebaut", Some(2025)),
            Some(2022)
        );
    }

    #[test]
    fn box_date_completes_the_text() {
        let body = "Am 10. November wird der Kongress virtuell stattfinden.";
        assert_eq!(completed_date(body, &["10. November 2021"]), Some(2021));
        assert_eq!(completed_date(body, &["11. November 2021"]), None);
    }

    #[test]
    fn dates_in_every_common_form() {
        let y = |t: &str| parse_date_prefix(t).map(|(d, _)| (d.year, d.month, d.day));
        assert_eq!(y("2023-05 Die"), Some((2023, Some(5), None)));
        assert_eq!(
            y("2025-10-07T08:30:00+02:00"),
            Some((2025, Some(10), Some(7)))
        );
        assert_eq!(y("12.03.2023"), Some((2023, Some(3), Some(12))));
        assert_eq!(
            y("Dienstag, den 14.02.2023"),
            Some((2023, Some(2), Some(14)))
        );
        assert_eq!(y("3. März 2023 –"), Some((2023, Some(3), Some(3))));
        assert_eq!(y("Januar 23, 2026"), Some((2026, Some(1), Some(23))));
        assert_eq!(y("12.03.20234"), None);
        assert_eq!(y("Die Stadt"), None);
    }

    #[test]
    fn report_dates_in_the_head() {
        let r = |t: &str| report_date(t).map(|(d, _)| d.year);
        assert_eq!(r("16.01.2026 - 13:00:12 Eine neue Generation"), Some(2026));
        assert_eq!(r("20.12.2017 14:43 Alter: 61 Tag(e)"), Some(2017));
        assert_eq!(r("Datum: 08.09.2020"), Some(2020));
        assert_eq!(r("Pressemitteilung Nr. 48 vom 12.03.2023"), Some(2023));
        assert_eq!(r("Stand: 4. Mai 2021"), Some(2021));
        assert_eq!(
            r("Lemgo, am Dienstag den 14.02.2023 Der Kreis Lippe"),
            Some(2023)
        );
        assert_eq!(r("Jena (dpa/th), 3. März 2022 – Die Stadt"), Some(2022));
        assert_eq!(r("Januar 23, 2026"), Some(2026));
        assert_eq!(r("Im Jahr 2023 wurde erstmals der Preis verliehen."), None);
        assert_eq!(r("Die Stadt hat 2019 begonnen."), None);
        assert_eq!(r("Das folgt aus einer Befragung vom März 2014."), None);
    }
}
