//! Metadata of one item, each field from its own evidence: title, year (and date),
//! organisation, region, topic, summary; fields with weak evidence are listed in
//! `review`, and items without a public body as owner become drafts with a note.

pub mod office;
pub mod org;
pub mod region;
pub mod title;
pub mod topic;
pub mod year;

use std::borrow::Cow;
use std::cell::LazyCell;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::classify::{Boiler, Class};
use super::clean::Para;
use super::segment::Item;
use crate::config::Topic;
use crate::entry::{FrontMatter, Source, SourceKind};
use crate::regions::Level;
use org::{OrgKind, Part};
use region::Places;

/// What every item of a run shares.
pub struct Context<'a> {
    pub topics: &'a [Topic],
    pub places: Places<'a>,
    pub topic_index: topic::TopicIndex,
    pub alias_index: org::AliasIndex,
    /// The year of the import run: the last resort for a text that names no year.
    pub import_year: i64,
}

/// One classified page.
pub struct Page<'a> {
    pub paras: &'a [Para],
    pub cls: &'a [Class],
    /// The seed's path relative to the site root, for `source.file`.
    pub file: &'a str,
    /// Year of a crawl date at the top of the page: no report is later.
    pub page_year: Option<i64>,
    /// Metadata lines on top of the seed.
    pub header: &'a super::header::Header,
}

/// An entry-to-be.
#[derive(Debug, Clone)]
pub struct Described {
    pub fm: FrontMatter,
    pub body: String,
    /// The item's headline as found, to recognise it on re-import.
    pub headline: String,
    /// How sure the year is: from a dateline.
    pub year_explicit: bool,
    /// What decided each field, for the editor's review.
    pub evidence: Vec<Evidence>,
}

/// What decided one field of an imported entry: the phrase, its line in the seed,
/// the rule, and the other candidates the importer saw.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    pub field: String,
    pub value: String,
    /// The words of the seed that decided it (shortened), empty when none did.
    pub phrase: String,
    /// The 1-based line of the seed; 0 when no line decided it.
    pub line: usize,
    pub rule: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

/// At most `n` characters of a text around byte `at`, on word boundaries.
fn excerpt(text: &str, at: usize, n: usize) -> String {
    let at = at.min(text.len());
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(n / 3)
        .map_or(0, |(i, _)| i);
    let start = text[start..at]
        .find(' ')
        .map_or(start, |i| start + i + 1)
        .min(at);
    let out: String = text[start..].chars().take(n).collect();
    let out = if out.len() < text.len() - start {
        out.rsplit_once(' ')
            .map_or(out.clone(), |(a, _)| a.to_string())
    } else {
        out
    };
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first paragraph of `range` that contains `needle`, with the byte where.
fn find_in(paras: &[Para], range: std::ops::Range<usize>, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    range
        .filter(|&k| k < paras.len())
        .find_map(|k| paras[k].text.find(needle).map(|i| (k, i)))
}

static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\d{1,2}\]").expect("static regex"));
static EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*{1,2}([^*\n]{1,80}?)\*{1,2}").expect("static regex"));
static LEAD_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\[\d{1,2}\.\d{1,2}\.\d{2,4}\]\s*|[A-ZÄÖÜ][^,.\n]{0,80},\s*(?:den\s+)?\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\s*(?:[–-]\s*)?|\([A-Z]{1,4}/[^)]{1,60}\)\s*)")
        .expect("static regex")
});

/// Text of a paragraph as it goes into an entry: markup artefacts and footnote markers
/// removed.
pub fn clean_text(t: &str) -> String {
    // most paragraphs have neither marker: skip the searches that could not match
    let t = if t.contains('[') {
        FOOTNOTE.replace_all(t, "")
    } else {
        Cow::Borrowed(t)
    };
    let t = if t.contains('*') {
        Cow::Owned(EMPHASIS.replace_all(&t, "$1").into_owned())
    } else {
        t
    };
    if single_spaced(&t) {
        return t.into_owned();
    }
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Words separated by single spaces, none at the ends: the words of
/// `split_whitespace` joined with " " give the text back. Most paragraphs are.
fn single_spaced(t: &str) -> bool {
    let b = t.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for (i, &byte) in b.iter().enumerate() {
        match byte {
            b' ' if after_space => return false,
            b' ' => {
                after_space = true;
                continue;
            }
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return false,
            // the first bytes of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000
            0xc2 | 0xe1 | 0xe2 | 0xe3 if t[i..].starts_with(char::is_whitespace) => return false,
            _ => {}
        }
        after_space = false;
    }
    true
}

/// Describes one item.
pub fn describe(ctx: &Context, page: &Page, item: &Item, prev_year: Option<i64>) -> Described {
    let paras = page.paras;
    let parts: Vec<&str> = item.title.iter().map(|&k| paras[k].text.as_str()).collect();
    let mut review = Vec::new();
    let body_texts: Vec<String> = item
        .body
        .iter()
        .map(|&k| clean_text(&paras[k].text))
        .collect();
    let lead_idx = item.body.iter().position(|&k| page.cls[k] == Class::Prose);
    let lead = lead_idx.map_or("", |i| body_texts[i].as_str());
    let is_place = |n: &str| ctx.places.is_place(n, false) || ctx.places.is_place(n, true);
    let mut title = if parts.is_empty() {
        review.push("title".to_string());
        title::from_text(lead, &is_place)
    } else {
        title::title(&parts)
    };
    if title.trim().is_empty() {
        // a headline of punctuation only: take one from the text instead
        title = title::from_text(lead, &is_place);
        if !review.iter().any(|r| r == "title") {
            review.push("title".to_string());
        }
    }
    // a title line of the seed's own names the article
    if item.kind == SourceKind::Article
        && let Some(t) = page.header.title.as_deref().map(title::from_page_title)
        && !t.is_empty()
    {
        title = t;
        review.retain(|r| r != "title");
    }
    let headline = parts.join(" ");
    let body_rest: String = body_texts
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != lead_idx)
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // boilerplate of the item, and for an article the page's profiles: evidence only
    // (a teaser's evidence lies within it: no need to look at the whole page)
    let scope = if item.kind == SourceKind::Teaser {
        item.start..item.end
    } else {
        0..paras.len()
    };
    let evidence: Vec<&str> = scope
        .filter(|&k| page.cls[k].is_boiler())
        .filter(|&k| {
            (item.start..item.end).contains(&k)
                || item.kind != SourceKind::Teaser && page.cls[k] == Class::Boiler(Boiler::Profile)
        })
        .map(|k| paras[k].text.as_str())
        .collect();
    let all_text = format!("{title}\n{lead}\n{body_rest}");

    // year
    let plausible = |y: i64| (crate::load::FIRST_YEAR..=ctx.import_year + 1).contains(&y);
    let found_date = report_date(page, item).filter(|(d, _, _)| plausible(d.year));
    let report = found_date.map(|(d, _, _)| d);
    let mut year_explicit = report.is_some();
    let mut year_rule = match found_date {
        Some((_, _, how)) => how,
        None => "the latest year the text reports as done or current",
    };
    let year = if let Some(d) = report {
        Some(d.year)
    } else if let Some(y) = year::completed_date(&all_text, &evidence).filter(|y| plausible(*y)) {
        review.push("year".into());
        year_rule = "a date in a box completing a day the text names";
        Some(y)
    } else {
        review.push("year".into());
        // a crawl date is an upper bound; in a listing (newest first) no item is
        // newer than the one above it
        let crawl = page.header.date.map(|d| d.year).or(page.page_year);
        let upper = match (crawl, prev_year) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .or(Some(ctx.import_year));
        year::inferred(&all_text, upper).or(prev_year).or(crawl)
    };
    // a year the catalogue cannot hold (a typo such as "1021" in a box) is no evidence
    let year = year.filter(|y| plausible(*y));
    // every entry needs a year; a text without any gets the import's, flagged below
    let year_missing = year.is_none();
    let year = year.or(Some(ctx.import_year));
    if year_missing {
        year_explicit = false;
        year_rule = "none in the text: the year of the import";
        if !review.iter().any(|r| r == "year") {
            review.push("year".into());
        }
    }
    let dateline = report.and_then(|d| d.dateline());
    let date = dateline
        .filter(|_| !year_missing)
        .map(|d| toml::value::Datetime {
            date: Some(toml::value::Date {
                year: d.year as u16,
                month: d.month,
                day: d.day,
            }),
            time: None,
            offset: None,
        });

    // organisation
    let is_place = |n: &str, kreis: bool| ctx.places.is_place(n, kreis);
    let mut acc = BTreeMap::new();
    org::collect(&title, Part::Title, &ctx.alias_index, &is_place, &mut acc);
    org::collect(lead, Part::Lead, &ctx.alias_index, &is_place, &mut acc);
    org::collect(
        &body_rest,
        Part::Body,
        &ctx.alias_index,
        &is_place,
        &mut acc,
    );
    org::count_bare_places(
        &mut acc,
        &[
            (&title, Part::Title),
            (lead, Part::Lead),
            (&body_rest, Part::Body),
        ],
    );
    // bodies named by their office, and an office without a name placed by the
    // dateline ("Rottenburg. Die Stadtverwaltung …")
    let lower_all = all_text.to_lowercase();
    for (text, part) in [
        (&title as &str, Part::Title),
        (lead, Part::Lead),
        (&body_rest, Part::Body),
    ] {
        office::collect(text, part, &ctx.places, &lower_all, &mut acc);
    }
    let dateline_place = item
        .body
        .iter()
        .filter(|&&k| page.cls[k] == Class::Prose)
        .take(3)
        .find_map(|&k| office::dateline_place(&ctx.places, &paras[k].text, &lower_all))
        .or_else(|| {
            office::prominent_place(&ctx.places, &all_text, &lower_all).map(|r| (r, false))
        });
    office::contextual_owner(&mut acc, &ctx.places, &all_text, dateline_place);
    let lands = region::lands_named(&lower_all);
    let land = lands
        .iter()
        .max_by_key(|l| {
            lower_all
                .matches(&l.to_lowercase()[..4.min(l.len())])
                .count()
        })
        .copied();
    office::collect_land_offices(
        &[
            (&title, Part::Title),
            (lead, Part::Lead),
            (&body_rest, Part::Body),
        ],
        land,
        &mut acc,
    );
    let mut candidates: Vec<(String, f64)> =
        acc.values().map(|f| (f.name.clone(), f.score)).collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut owners = org::owners(acc);
    if owners.is_empty()
        && let Some(o) = office::bare_office(&all_text)
    {
        // a public body the text names only by its office: owner, to be reviewed
        owners.push(org::Found {
            name: o.to_string(),
            kind: OrgKind::Other,
            place: None,
            region: None,
            score: 1.0,
            mentions: 1,
        });
    }
    if owners.is_empty() || owners[0].score < 2.0 {
        review.push("organisation".into());
    }

    // region
    // the lower-cased text settles shared place names; many items have none
    let context = LazyCell::new(|| format!("{all_text}\n{}", evidence.join("\n")).to_lowercase());
    let mut regions: Vec<String> = Vec::new();
    let mut sure = true;
    let mut organisation = Vec::new();
    for o in &owners {
        let mut name = o.name.clone();
        let picked = match o.kind {
            OrgKind::Gemeinde => o
                .place
                .as_deref()
                .and_then(|p| ctx.places.pick(p, Some(Level::Gemeinde), || &context)),
            OrgKind::Kreis => ctx.places.pick(&o.name, Some(Level::Kreis), || &context),
            _ => None,
        };
        if let Some((r, s)) = picked {
            sure &= s;
            if o.kind == OrgKind::Gemeinde && r.official_name.contains("Landeshauptstadt") {
                name = format!("Landeshauptstadt {}", r.name);
            }
            if o.kind == OrgKind::Kreis {
                name = r.name.clone();
            }
            regions.push(ctx.places.value(r));
        } else if let Some(v) = &o.region {
            if let Ok(r) = ctx.places.gaz.resolve(v) {
                regions.push(ctx.places.value(ctx.places.city_state(r)));
            }
        } else if matches!(o.kind, OrgKind::Land | OrgKind::Verband) {
            if let Some(l) = region::lands_named(&o.name.to_lowercase())
                .first()
                .and_then(|l| ctx.places.land(l))
            {
                regions.push(ctx.places.value(ctx.places.city_state(l)));
            }
        } else if o.kind == OrgKind::Bund {
            regions.push("Deutschland".into());
        }
        if !organisation.contains(&name) {
            organisation.push(name);
        }
    }
    if regions.is_empty() && !owners.is_empty() {
        // the headline's kicker or the dateline's place
        let kicker = title
            .split(':')
            .next()
            .filter(|k| title.contains(':') && k.split_whitespace().count() <= 3);
        let place = dateline.and(lead_idx).map(|i| {
            paras[item.body[i]]
                .text
                .split([',', '/'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        });
        for cand in kicker.map(str::to_string).into_iter().chain(place) {
            if let Some((r, s)) = ctx.places.pick(&cand, None, || &context) {
                sure &= s;
                regions.push(ctx.places.value(r));
                break;
            }
        }
    }
    regions.dedup();
    if regions.is_empty() || !sure {
        review.push("region".into());
    }
    if regions.is_empty() {
        // the loader needs a region: the Land the text names, else nationwide
        let lands = region::lands_named(&context);
        let land = (lands.len() == 1 && !owners.is_empty())
            .then(|| ctx.places.land(lands[0]))
            .flatten();
        regions.push(land.map_or_else(|| "Deutschland".to_string(), |l| ctx.places.value(l)));
    }

    // topic
    let (topic, top) = topic::choose(&ctx.topic_index, ctx.topics, &title, lead, &body_rest);
    if top < 3.0 {
        review.push("topic".into());
    }

    let summary = summary(lead);
    if organisation.is_empty() {
        // a placeholder the loader accepts: the headline's kicker, else "unbekannt"
        let kicker = title
            .split_once(':')
            .map(|(k, _)| k.trim())
            .filter(|k| k.split_whitespace().count() <= 5);
        organisation.push(kicker.unwrap_or("unbekannt").to_string());
    }
    let (draft, note) = if owners.is_empty() {
        (
            true,
            Some("Entwurf: Der Text nennt keine Kommune, Behörde oder öffentliche Einrichtung als Träger – vermutlich Anbieter-Meldung oder allgemeiner Kommentar, keine kommunale Praxis.".to_string()),
        )
    } else {
        (false, None)
    };
    let note = if year_missing {
        let missing =
            "Jahr: Der Text nennt kein Jahr; eingetragen ist das Jahr des Imports. Bitte prüfen.";
        Some(note.map_or_else(|| missing.to_string(), |n| format!("{n} {missing}")))
    } else {
        note
    };
    let first_line = (item.start..item.end)
        .map(|k| paras[k].first)
        .min()
        .unwrap_or(0);
    let last_line = (item.start..item.end)
        .map(|k| paras[k].last)
        .max()
        .unwrap_or(0);
    let evidence = field_evidence(
        page,
        item,
        FieldValues {
            title: &title,
            titled_by: if parts.is_empty() {
                "the first sentence (no headline)"
            } else {
                "the headline"
            },
            year: year.unwrap_or(ctx.import_year),
            year_at: found_date.and_then(|(_, k, _)| k),
            year_rule,
            owners: &organisation,
            candidates: &candidates,
            regions: &regions,
            topics: &topic,
        },
    );
    let fm = FrontMatter {
        title,
        year,
        date,
        topic,
        region: regions,
        organisation,
        summary,
        draft,
        review,
        note,
        source: Some(Source {
            file: Some(page.file.to_string()),
            lines: Some(format!("{first_line}-{last_line}")),
            url: page.header.url.clone(),
            kind: Some(item.kind),
        }),
        ..FrontMatter::default()
    };
    let body = render_body(page, item, &body_texts);
    Described {
        fm,
        body,
        headline,
        year_explicit,
        evidence,
    }
}

/// The values an item got, for [`field_evidence`].
struct FieldValues<'v> {
    title: &'v str,
    titled_by: &'static str,
    year: i64,
    year_at: Option<usize>,
    year_rule: &'static str,
    owners: &'v [String],
    candidates: &'v [(String, f64)],
    regions: &'v [String],
    topics: &'v [String],
}

/// What decided each field of an item, located in the seed.
fn field_evidence(page: &Page, item: &Item, v: FieldValues) -> Vec<Evidence> {
    let paras = page.paras;
    let range = || {
        item.start
            .min(item.title.first().copied().unwrap_or(item.start))..item.end
    };
    let line_of = |k: usize| paras.get(k).map_or(0, |p| p.first);
    let mut out = Vec::new();
    let (title_line, title_phrase) = match find_in(
        paras,
        range(),
        v.title.split(" – ").next().unwrap_or(v.title),
    ) {
        Some((k, _)) => (line_of(k), paras[k].text.clone()),
        None => (0, String::new()),
    };
    out.push(Evidence {
        field: "title".into(),
        value: v.title.to_string(),
        phrase: excerpt(&title_phrase, 0, 120),
        line: title_line,
        rule: v.titled_by.into(),
        alternatives: Vec::new(),
    });
    let year_text = v.year.to_string();
    let (year_line, year_phrase) = match v.year_at {
        Some(k) => (line_of(k), excerpt(&paras[k].text, 0, 100)),
        None if v.year_rule.starts_with("the seed's") => (
            page.header.date_line.unwrap_or(0),
            format!("date {year_text}"),
        ),
        None => match find_in(paras, range(), &year_text) {
            Some((k, i)) => (line_of(k), excerpt(&paras[k].text, i, 100)),
            None => (0, String::new()),
        },
    };
    let mut other_years: Vec<String> = Vec::new();
    for k in range() {
        for w in paras[k].text.split(|c: char| !c.is_ascii_digit()) {
            if w.len() == 4
                && (w.starts_with("19") || w.starts_with("20"))
                && w != year_text
                && !other_years.iter().any(|y| y == w)
            {
                other_years.push(w.to_string());
            }
        }
    }
    other_years.sort_by(|a, b| b.cmp(a));
    other_years.truncate(5);
    out.push(Evidence {
        field: "year".into(),
        value: year_text,
        phrase: year_phrase,
        line: year_line,
        rule: v.year_rule.into(),
        alternatives: other_years,
    });
    let others: Vec<String> = v
        .candidates
        .iter()
        .filter(|(n, _)| !v.owners.contains(n))
        .take(5)
        .map(|(n, _)| n.clone())
        .collect();
    for o in v.owners {
        let key = o.split_whitespace().last().unwrap_or(o);
        let hit = find_in(paras, range(), o).or_else(|| find_in(paras, range(), key));
        out.push(Evidence {
            field: "organisation".into(),
            value: o.clone(),
            phrase: hit.map_or(String::new(), |(k, i)| excerpt(&paras[k].text, i, 120)),
            line: hit.map_or(0, |(k, _)| line_of(k)),
            rule: if v.candidates.iter().any(|(n, _)| n == o) {
                "the best-weighted public body (headline counts 3, lead 2, text 1; partners and funders less)".into()
            } else {
                "an office named without its place".into()
            },
            alternatives: others.clone(),
        });
    }
    for r in v.regions {
        out.push(Evidence {
            field: "region".into(),
            value: r.clone(),
            phrase: String::new(),
            line: 0,
            rule:
                "the owners' places in the gazetteer, else the dateline or the Land the text names"
                    .into(),
            alternatives: Vec::new(),
        });
    }
    for t in v.topics {
        out.push(Evidence {
            field: "topic".into(),
            value: t.clone(),
            phrase: String::new(),
            line: 0,
            rule: "keyword stems of site.toml (headline 3, lead 2, text 1)".into(),
            alternatives: Vec::new(),
        });
    }
    out
}

/// The report date of an item: the seed's metadata date for an article, else a date
/// that opens a paragraph of the item's head (a date line, a dateline), else one
/// after a cue word there ("vom 12.03.2023", "Stand:"). The head runs to the item's
/// second paragraph of running text; an article's head starts at the top of the page,
/// where its date line may stand above the headline.
fn report_date(
    page: &Page,
    item: &Item,
) -> Option<(year::ReportDate, Option<usize>, &'static str)> {
    let article = item.kind == SourceKind::Article;
    if article && let Some(d) = page.header.date {
        return Some((d, None, "the seed's metadata date line"));
    }
    let from = if article { 0 } else { item.start };
    let mut head = Vec::new();
    let mut prose = 0;
    for k in from..item.end {
        head.push(k);
        // running text ends the head; a short line ("Shop", a name) does not
        if page.cls[k] == Class::Prose && page.paras[k].text.split_whitespace().count() >= 8 {
            prose += 1;
            if prose >= 2 {
                break;
            }
        }
    }
    let found: Vec<(usize, (year::ReportDate, year::DateRule))> = head
        .iter()
        .filter_map(|&k| year::report_date(&page.paras[k].text).map(|d| (k, d)))
        .collect();
    // dates within the item first: a date line above an article's headline may be
    // the page's own date ("Dienstag, 15. Juli 2025" on a news page)
    let inside = |k: &usize| *k >= item.start;
    let rank = |k: &usize, rule: year::DateRule| (!inside(k), rule != year::DateRule::Dateline);
    found
        .iter()
        .min_by_key(|(k, (_, rule))| rank(k, *rule))
        .map(|(k, (d, rule))| {
            let how = match rule {
                year::DateRule::Dateline => "a date opening a paragraph of the text's head",
                year::DateRule::Cued => "a date after a cue word in the text's head",
            };
            (*d, Some(*k), how)
        })
}

/// One or two sentences of the lead, without dateline, date stamp or byline tag.
fn summary(lead: &str) -> Option<String> {
    let t = LEAD_PREFIX.replace(lead, "");
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut sentences = 0;
    for piece in t.split_inclusive(['.', '!', '?']) {
        // "z. B." and ordinals are no sentence ends
        out.push_str(piece);
        let tail = piece.trim_end();
        let word = tail.rsplit(' ').next().unwrap_or("");
        if word.len() > 3 && !word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            sentences += 1;
        }
        if sentences >= 2 || out.len() > 220 {
            break;
        }
    }
    let out = out.trim().to_string();
    if out.chars().count() > 400 {
        let cut: String = out.chars().take(397).collect();
        let cut = cut
            .rsplit_once(' ')
            .map_or(cut.as_str(), |(a, _)| a)
            .to_string();
        return Some(format!("{cut} …"));
    }
    Some(out)
}

/// The item's text as Markdown: sub-headings as `##`, bullets as list items.
/// `texts` are the item's body paragraphs through [`clean_text`].
fn render_body(page: &Page, item: &Item, texts: &[String]) -> String {
    let mut out = String::new();
    let mut seen_prose = false;
    // whether the last line written is a list item (texts hold no line breaks)
    let mut in_list = false;
    for (&k, t) in item.body.iter().zip(texts) {
        if t.is_empty() {
            continue;
        }
        let line: Cow<str> = match page.cls[k] {
            Class::Heading if seen_prose => format!("## {}", t.trim_end_matches('.')).into(),
            _ => {
                seen_prose = true;
                if let Some(rest) = t.strip_prefix(['•', '▪', '·']) {
                    format!("- {}", rest.trim()).into()
                } else if t.starts_with(['#', '>', '+', '=']) || t.starts_with("- ") {
                    format!("\\{t}").into()
                } else {
                    t.into()
                }
            }
        };
        let item_line = line.starts_with("- ");
        if !out.is_empty() {
            out.push_str(if item_line && in_list { "\n" } else { "\n\n" });
        }
        out.push_str(&line);
        in_list = item_line;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_drops_dateline_and_keeps_two_sentences() {
        let s = summary(
            "Bad Salzuflen / Siegburg, 21.02.2022 Wie aufgeschlossen Arbeitgeber sein können, zeigt ein Experiment. Sie tauschen den Job. Dritter Satz.",
        );
        assert_eq!(
            s.as_deref(),
            Some(
                "Wie aufgeschlossen Arbeitgeber sein können, zeigt ein Experiment. Sie tauschen den Job."
            )
        );
        let s = summary("[15.02.2024] Die Gemeinde stellt um. Mittlerweile arbeiten alle mobil.");
        assert_eq!(
            s.as_deref(),
            Some("Die Gemeinde stellt um. Mittlerweile arbeiten alle mobil.")
        );
    }

    #[test]
    fn spacing_is_collapsed() {
        for t in [
            "ein Satz",
            " ein Satz",
            "ein Satz ",
            "ein  Satz",
            "ein\tSatz",
            "ein\u{a0}Satz",
            "ein\u{2009}Satz",
            "ein\u{3000}Satz",
            "Straße – „Zitat“ …",
            "",
        ] {
            let joined = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(single_spaced(t), joined == t, "{t:?}");
            assert_eq!(clean_text(t), joined, "{t:?}");
        }
    }

    #[test]
    fn markup_and_footnotes_are_removed() {
        assert_eq!(
            clean_text("werden *Anna Bölling*, Landrätin, berichten.[1]"),
            "werden Anna Bölling, Landrätin, berichten."
        );
    }
}
