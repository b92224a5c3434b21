use super::*;
use crate::import::meta::Evidence;

fn entry(review: &[&str]) -> Entry {
    let gaz = Gazetteer::get();
    Entry {
        path: PathBuf::from("content/rathaus-app.md"),
        slug: "rathaus-app".into(),
        slug_line: None,
        title: "Eine App für das Rathaus".into(),
        year: 2022,
        date: None,
        topics: vec!["Bürgerservice".into()],
        regions: vec![gaz.resolve("Bad Salzuflen").expect("in the gazetteer")],
        organisations: vec!["Stadt Bad Salzuflen".into()],
        summary: None,
        draft: false,
        review: review.iter().map(|s| s.to_string()).collect(),
        contact: None,
        source: None,
        body: String::new(),
        lead: None,
        body_line: 1,
        hash: 0,
    }
}

fn ev(field: &str, value: &str, line: usize) -> Evidence {
    Evidence {
        field: field.into(),
        value: value.into(),
        phrase: format!("Satz zu {value}"),
        line,
        rule: "a rule".into(),
        alternatives: vec!["2019".into()],
    }
}

fn store() -> Store {
    let mut s = Store::default();
    s.entries.insert(
        "rathaus-app.md".into(),
        Recorded {
            seed: "seeds/app.txt".into(),
            evidence: vec![
                ev("year", "2022", 3),
                ev("organisation", "Stadt Bad Salzuflen", 4),
                ev("region", "Bad Salzuflen", 0),
            ],
        },
    );
    s
}

fn lines(_: &str) -> Option<Arc<Vec<String>>> {
    Some(Arc::new(
        [
            "",
            "",
            "Bad Salzuflen, 2. Mai 2022",
            "Die Stadt Bad Salzuflen",
            "Ende",
        ]
        .map(String::from)
        .to_vec(),
    ))
}

#[test]
fn evidence_stands_beside_the_value_it_explains() {
    let e = entry(&["year", "region"]);
    let open = collect(&[&e], &store(), Gazetteer::get(), &lines);
    assert_eq!(open.len(), 1);
    let year = &open[0].fields[0].values[0];
    assert_eq!(year.value, "2022");
    let shown = year.evidence.as_ref().expect("evidence for the year");
    assert_eq!((shown.seed.as_str(), shown.line), ("seeds/app.txt", 3));
    let numbers: Vec<usize> = shown.context.iter().map(|l| l.number).collect();
    // the blank line 2 at the start is left out; line 3 is the hit
    assert_eq!(numbers, [3, 4, 5]);
    assert!(shown.context[0].hit && !shown.context[1].hit);
    // a region matches through the gazetteer and has no line
    let region = &open[0].fields[1].values[0];
    assert!(
        region
            .evidence
            .as_ref()
            .is_some_and(|s| s.context.is_empty())
    );
}

#[test]
fn a_changed_value_loses_its_evidence_and_accepted_fields_are_not_listed() {
    let mut e = entry(&["year", "organisation"]);
    e.year = 2021;
    e.organisations = vec!["Kreis Lippe".into()];
    let open = collect(&[&e], &store(), Gazetteer::get(), &lines);
    assert!(
        open[0]
            .fields
            .iter()
            .all(|f| f.values[0].evidence.is_none())
    );
    let accepted = entry(&[]);
    assert!(collect(&[&accepted], &store(), Gazetteer::get(), &lines).is_empty());
}

#[test]
fn the_listing_names_seed_line_phrase_rule_and_alternatives() {
    let e = entry(&["year"]);
    let text = text::listing(&collect(&[&e], &store(), Gazetteer::get(), &lines));
    assert_eq!(
        text,
        "content/rathaus-app.md: review year\n  year = 2022\n    seeds/app.txt:3: \"Satz zu 2022\"\n    rule: a rule\n    also seen: 2019\n1 entry with fields to review\n"
    );
}

#[test]
fn context_is_clamped_to_the_seed() {
    let l: Vec<String> = ["a", "b"].map(String::from).to_vec();
    assert_eq!(context(&l, 3), Vec::new());
    assert_eq!(context(&l, 1).len(), 2);
    let long = vec!["x".repeat(MAX_LINE_CHARS + 10)];
    assert!(context(&long, 1)[0].text.ends_with(" …"));
}

#[test]
fn seeds_outside_the_site_are_not_read() {
    let seeds = Seeds::new(Path::new("/"));
    assert!(seeds.lines("../etc/passwd").is_none());
    assert!(seeds.lines("/etc/passwd").is_none());
}
