//! Evidence for imported fields (issue 18): `check --review` shows where each open
//! field's value came from until an editor changes or accepts it, and serve's
//! review page shows the same, never a build.

use std::path::Path;

use praxis::serve::Session;

use crate::serve::{equal_to_full_build, get, start_in, wait_for};
use crate::support::{Site, copy_dir, repo};

/// An invented press release: its year stands in a dateline, its owner in the text,
/// and another year and another public body are mentioned too.
const SEED: &str = "Bürgerbüro ohne Wartemarke

Lemgo, 14. März 2023 – Die Stadt Lemgo vergibt Termine im Bürgerbüro jetzt über ein Online-Portal. Wer einen neuen Ausweis braucht, bucht den Termin von zu Hause aus und wartet nicht mehr im Flur.

Seit dem Start der Planung im Herbst 2021 hat das Team den Ablauf dreimal überarbeitet. Die Mitarbeitenden des Bürgerbüros haben die Fragen der Besucherinnen und Besucher gesammelt und daraus die Hinweise im Portal geschrieben.

Auch der Kreis Lippe schaut sich das Verfahren an und will es im eigenen Straßenverkehrsamt erproben.
";

const ENTRY: &str = "content/buergerbuero-ohne-wartemarke.md";

/// A site with the repository's settings, themes and data and the one seed,
/// imported, with year and organisation under review.
fn imported() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["themes", "data"] {
        copy_dir(&repo().join(name), &dir.path().join(name));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("site.toml");
    let site = Site { dir };
    site.write("seeds/buergerbuero.txt", SEED);
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(site.path(), ENTRY);
    assert!(text.contains("year = 2023"), "{text}");
    assert!(text.contains("organisation = [\"Stadt Lemgo\"]"), "{text}");
    // the import decides what is uncertain; the editor may add fields to confirm
    set_review(&site, "[\"year\", \"organisation\"]");
    site
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).expect("read")
}

fn set_review(site: &Site, list: &str) {
    let text = read(site.path(), ENTRY);
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("review = "))
        .map(str::to_string)
        .collect();
    if list != "[]" {
        let at = lines
            .iter()
            .position(|l| l.starts_with("summary") || l.starts_with("organisation"))
            .expect("a field")
            + 1;
        lines.insert(at, format!("review = {list}"));
    }
    site.write(ENTRY, &(lines.join("\n") + "\n"));
}

/// The lines `check --review` prints for one field of the entry: from its
/// `  field = value` line to the next field or entry.
fn block(listing: &str, field: &str) -> Option<String> {
    let mut out = Vec::new();
    for line in listing.lines() {
        if !out.is_empty() && !line.starts_with("    ") {
            break;
        }
        if !out.is_empty() || line.starts_with(&format!("  {field} = ")) {
            out.push(line);
        }
    }
    (!out.is_empty()).then(|| out.join("\n"))
}

fn review(site: &Site) -> String {
    let run = site.run(&["check", "--review"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn check_review_shows_seed_line_phrase_and_alternatives_until_changed_or_accepted() {
    let site = imported();
    let out = review(&site);
    assert!(
        out.contains(&format!("{ENTRY}: review year, organisation")),
        "{out}"
    );
    let year = block(&out, "year").expect("the year is listed");
    assert!(year.contains("  year = 2023"), "{year}");
    assert!(year.contains("seeds/buergerbuero.txt:3: \""), "{year}");
    assert!(year.contains("14. März 2023"), "{year}");
    assert!(year.contains("also seen: 2021"), "{year}");
    let owner = block(&out, "organisation").expect("the owner is listed");
    assert!(owner.contains("  organisation = Stadt Lemgo"), "{owner}");
    assert!(owner.contains("seeds/buergerbuero.txt:3: \""), "{owner}");
    assert!(owner.contains("Stadt Lemgo vergibt"), "{owner}");
    assert!(owner.contains("Kreis Lippe"), "{owner}");
    assert!(out.contains("\n1 entry with fields to review\n"), "{out}");

    // an editor corrects the year: the evidence for 2023 no longer applies
    let text = read(site.path(), ENTRY).replace("year = 2023", "year = 2022");
    site.write(ENTRY, &text);
    let out = review(&site);
    let year = block(&out, "year").expect("the year is still listed");
    assert!(year.contains("  year = 2022"), "{year}");
    assert!(!year.contains("seeds/buergerbuero.txt"), "{year}");
    assert!(year.contains("no evidence"), "{year}");
    let owner = block(&out, "organisation").expect("the owner is listed");
    assert!(owner.contains("seeds/buergerbuero.txt:3"), "{owner}");

    // accepting the year: only the owner is left to review
    set_review(&site, "[\"organisation\"]");
    let out = review(&site);
    assert!(
        out.contains(&format!("{ENTRY}: review organisation\n")),
        "{out}"
    );
    assert!(block(&out, "year").is_none(), "{out}");

    // accepting everything: nothing is listed
    set_review(&site, "[]");
    let out = review(&site);
    assert!(!out.contains(ENTRY), "{out}");
    assert!(
        out.starts_with("0 entries with fields to review\n"),
        "{out}"
    );
}

/// An import state from before evidence was kept still loads; its entries list
/// their open fields without evidence.
#[test]
fn entries_imported_before_evidence_was_kept_are_listed_without_it() {
    let site = imported();
    std::fs::remove_file(site.path().join("content/.praxis-evidence.json")).expect("remove");
    let state = read(site.path(), "content/.praxis-import.toml");
    assert!(!state.contains("evidence"), "{state}");
    let out = review(&site);
    let year = block(&out, "year").expect("the year is listed");
    assert!(year.contains("no evidence"), "{year}");
    // a second import of the unchanged seed keeps working with the old state
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A broken evidence file is reported with its name; the review still lists the
/// fields, and a build is not affected.
#[test]
fn a_broken_evidence_file_is_reported_and_does_not_stop_check() {
    let site = imported();
    site.write("content/.praxis-evidence.json", "{ \"entries\": [");
    let run = site.run(&["check", "--review"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(".praxis-evidence.json"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("  year = 2023"), "{}", run.stdout);
}

/// The review page and the highlighted entry page exist in serve only: a build
/// writes neither, and serve's copy of the site is what the build writes.
#[test]
fn serve_shows_the_review_page_and_a_build_never_writes_it() {
    let site = imported();
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!site.public().join("__praxis").exists());
    for item in walkdir::WalkDir::new(site.public()).into_iter().flatten() {
        if item.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(item.path()).expect("read");
            assert!(
                !html.contains("review-box") && !html.contains("seeds/buergerbuero.txt"),
                "{} holds serve-only review markup",
                item.path().display()
            );
        }
    }

    let server = start_in(Path::new("."), site.path());
    let port = server.port;
    let page = wait_for(port, "/__praxis/review/", "the review page", |s, _| {
        s == 200
    });
    assert!(page.contains("<h1>Zu prüfen</h1>"), "{page}");
    assert!(
        page.contains("href=\"../../praxis/buergerbuero-ohne-wartemarke/index.html\""),
        "the item links to its entry page"
    );
    assert!(page.contains("<code>seeds/buergerbuero.txt:3</code>"));
    // the seed's lines around the evidence, the evidence line marked
    assert!(
        page.contains("<mark><span class=\"ln\">3</span> Lemgo, 14. März 2023"),
        "{page}"
    );
    assert!(page.contains("<span class=\"ln\">5</span> Seit dem Start"));
    assert!(page.contains("Kreis Lippe"));
    assert_eq!(
        get(port, "/__praxis/review").map(|r| r.0),
        Some(301),
        "a folder without its slash is redirected"
    );

    let entry = get(port, "/praxis/buergerbuero-ohne-wartemarke/").expect("entry page");
    assert_eq!(entry.0, 200);
    assert!(
        entry.1.contains("class=\"notice review-box\""),
        "{}",
        entry.1
    );
    assert!(entry.1.contains("<span class=\"badge\">zu prüfen</span>"));
    assert!(
        entry
            .1
            .contains("href=\"../../__praxis/review/index.html\"")
    );

    // accepting everything: the entry page is the built one again, the review
    // page says nothing is open
    set_review(&site, "[]");
    wait_for(port, "/__praxis/review/", "no open items", |_, b| {
        b.contains("Keine offenen Prüfungen")
    });
    let entry = get(port, "/praxis/buergerbuero-ohne-wartemarke/").expect("entry page");
    assert!(!entry.1.contains("review-box"), "{}", entry.1);
}

/// With the review pages on, a serve session's site is still byte for byte a
/// build's; the review pages go to their own folder and follow the editor's edits.
#[test]
fn review_pages_stay_apart_from_the_site_and_follow_edits() {
    let site = imported();
    let out = tempfile::tempdir().expect("temp dir");
    let (site_dir, review_dir) = (out.path().join("site"), out.path().join("review"));
    let mut session = Session::new(site.path(), &site_dir).with_review(&review_dir);
    equal_to_full_build(session.rebuild(), &site_dir, &site, "first build");
    assert_eq!(session.open_reviews(), 1);
    let entry_page = review_dir.join("praxis/buergerbuero-ohne-wartemarke/index.html");
    let html = read(&review_dir, "__praxis/review/index.html");
    assert!(
        html.contains("<code>seeds/buergerbuero.txt:3</code>"),
        "{html}"
    );
    assert!(
        read(
            &review_dir,
            "praxis/buergerbuero-ohne-wartemarke/index.html"
        )
        .contains("review-box")
    );

    // a changed year: its evidence is no longer shown, the owner's still is
    let text = read(site.path(), ENTRY).replace("year = 2023", "year = 2022");
    site.write(ENTRY, &text);
    equal_to_full_build(session.rebuild(), &site_dir, &site, "year changed");
    let html = read(&review_dir, "__praxis/review/index.html");
    assert!(html.contains("Kein Beleg"), "{html}");
    assert!(html.contains("Kreis Lippe"), "{html}");

    // everything accepted: the entry page is the site's again
    set_review(&site, "[]");
    equal_to_full_build(session.rebuild(), &site_dir, &site, "accepted");
    assert_eq!(session.open_reviews(), 0);
    assert!(!entry_page.exists());
    let html = read(&review_dir, "__praxis/review/index.html");
    assert!(html.contains("Keine offenen Prüfungen"), "{html}");
}
