//! The default theme on the valid fixture: structure every page shares, no external
//! resources, CSP, JSON-LD, the search bundle, the finder data and the page weight.

use std::path::{Path, PathBuf};

use crate::support::Site;

fn built() -> Site {
    let site = Site::from_fixture("valid");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    site
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    pages
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Values of `attr="..."` in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_page_has_one_h1_lang_skip_link_breadcrumbs_and_csp() {
    let site = built();
    let pages = html_pages(&site.public());
    assert!(pages.len() >= 15, "{pages:?}");
    for p in &pages {
        let html = read(p);
        let name = p.display();
        assert_eq!(html.matches("<h1").count(), 1, "{name}: one h1");
        assert!(html.contains("<html lang=\"de\">"), "{name}: lang");
        assert!(
            html.contains("<a class=\"skip\" href=\"#inhalt\">"),
            "{name}: skip link"
        );
        assert!(
            html.contains("<main id=\"inhalt\""),
            "{name}: main landmark"
        );
        assert!(html.contains("class=\"breadcrumbs"), "{name}: breadcrumbs");
        let csp = html
            .split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("{name}: CSP meta"));
        assert!(csp.contains("script-src 'self';"), "{name}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{name}: {csp}");
        // Only JSON-LD may be inline; every other script is a file.
        for chunk in html.split("<script").skip(1) {
            let tag = chunk.split('>').next().unwrap_or_default();
            assert!(
                tag.contains("src=") || tag.contains("type=\"application/ld+json\""),
                "{name}: inline script <script{tag}>"
            );
        }
    }
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let site = built();
    for p in html_pages(&site.public()) {
        let html = read(&p);
        for url in attr_values(&html, "src") {
            assert!(!url.contains("//"), "{}: src {url}", p.display());
        }
        for url in attr_values(&html, "href") {
            // Plain links to a source or a licence are fine; nothing is loaded.
            let external = url.starts_with("http") || url.starts_with("//");
            if external {
                let line = html.lines().find(|l| l.contains(url)).unwrap_or_default();
                assert!(
                    !line.contains("<link") && !line.contains("<script"),
                    "{}: loads {url}",
                    p.display()
                );
            }
            // Without base_url every internal link is relative (sub-paths, file://).
            if !p.ends_with("404.html") {
                assert!(
                    !url.starts_with('/') || url.starts_with("//"),
                    "{}: root-absolute link {url}",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn entry_json_ld_parses_and_names_the_regional_key() {
    let site = built();
    let html = read(
        &site
            .public()
            .join("praxis/arbeitsplatz-tauschen/index.html"),
    );
    let json = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|r| r.split("</script>").next())
        .expect("JSON-LD block");
    let doc: serde_json::Value = serde_json::from_str(json).expect("JSON-LD is JSON");
    assert_eq!(doc["@type"], "Article");
    let area = &doc["spatialCoverage"][0];
    assert_eq!(area["@type"], "AdministrativeArea");
    assert_eq!(area["identifier"]["value"], "05766008");
    assert_eq!(doc["about"][0]["name"], "Wissensaustausch & Vernetzung");
    assert_eq!(doc["sourceOrganization"][0]["name"], "Stadt Bad Salzuflen");
}

#[test]
fn entry_page_shows_facts_review_note_and_breadcrumbs() {
    let site = built();
    let html = read(
        &site
            .public()
            .join("praxis/arbeitsplatz-tauschen/index.html"),
    );
    assert!(html.contains("<article class=\"entry\">"));
    assert!(
        !html.contains("pagefind"),
        "no markers of a former search index"
    );
    assert!(
        html.contains("class=\"notice\" role=\"note\""),
        "review note"
    );
    assert!(html.contains("Regionalschlüssel 05766008"));
    // Breadcrumbs follow the region hierarchy.
    let crumbs = html
        .split("class=\"breadcrumbs")
        .nth(1)
        .and_then(|r| r.split("</nav>").next())
        .unwrap_or_default();
    let order = [
        "Start",
        "Regionen",
        "Nordrhein-Westfalen",
        "Kreis Lippe",
        "Bad Salzuflen",
    ];
    let mut at = 0;
    for name in order {
        let pos = crumbs[at..]
            .find(name)
            .unwrap_or_else(|| panic!("crumb {name}"));
        at += pos;
    }
}

#[test]
fn search_bundle_and_finder_data_are_written() {
    let site = built();
    let out = site.public();
    // The search index: the two published entries, German stemming, filters,
    // and a term of the e-akte entry's title found in its shard.
    let head: serde_json::Value =
        serde_json::from_str(&read(&out.join("suchindex/index.json"))).expect("index.json");
    assert_eq!(head["version"], 2);
    assert_eq!(head["key"], 1, "a small site keys shards by one letter");
    assert_eq!(head["language"], "de");
    assert_eq!(head["count"], 2, "drafts stay out of the search index");
    assert!(
        head["land"]
            .as_array()
            .is_some_and(|l| l.iter().any(|v| v == "Nordrhein-Westfalen"))
    );
    let shard = read(&out.join("suchindex/terms/a.json"));
    assert!(shard.contains("\"akt\":["), "{shard}");
    let shown = read(&out.join("suchindex/entries/0.json"));
    assert!(shown.contains("praxis/e-akte/"), "{shown}");
    for f in ["finder.js", "search.js", "style.css"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // An unclosed block would swallow every later rule (e.g. into @media print).
    let css = read(&out.join("style.css"));
    assert_eq!(
        css.matches('{').count(),
        css.matches('}').count(),
        "style.css braces"
    );
    let data: serde_json::Value =
        serde_json::from_str(&read(&out.join("filter.json"))).expect("filter.json");
    let entries = data["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "drafts stay out");
    assert_eq!(entries[0][0], "e-akte");
    let home = read(&out.join("index.html"));
    assert!(home.contains("<svg class=\"landmap\""));
    assert!(home.contains("<svg class=\"barchart\""));
    assert!(home.contains("data-value=\"nordrhein-westfalen\""));
}

#[test]
fn search_can_be_switched_off() {
    let site = Site::from_fixture("valid");
    let toml = read(&site.path().join("site.toml"))
        .replace("per_page = 2", "per_page = 2\nsearch = false");
    site.write("site.toml", &toml);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.public().join("suchindex").exists());
}

#[test]
fn term_pages_link_prev_and_next() {
    let site = built();
    // per_page = 2 and three topic entries would paginate; the year 2022 has one.
    let home2 = site.public().join("seite/2/index.html");
    if home2.exists() {
        let html = read(&home2);
        assert!(html.contains("<link rel=\"prev\""));
    }
    let html = read(&site.public().join("jahre/2022/index.html"));
    assert!(html.contains("Praxisbeispiele aus dem Jahr 2022."));
}

#[test]
fn home_page_stays_light_at_1000_entries() {
    let site = Site::from_fixture("valid");
    let toml = read(&site.path().join("site.toml"))
        .replace("per_page = 2", "per_page = 20\nsearch = false");
    site.write("site.toml", &toml);
    let places = ["Bad Salzuflen", "Kreis Lippe", "Nordrhein-Westfalen"];
    let topics = [
        "Wissensaustausch & Vernetzung",
        "E-Akte & Dokumentenmanagement",
        "Personalgewinnung",
    ];
    for i in 0..1000 {
        site.write(
            &format!("content/gen/eintrag-{i:04}.md"),
            &format!(
                "+++\ntitle = \"Praxisbeispiel Nummer {i} zur Verwaltung\"\nyear = {}\ntopic = [\"{}\"]\nregion = [\"{}\"]\norganisation = [\"Organisation {}\"]\nsummary = \"Eine Verwaltung hat etwas ausprobiert, das andere nachmachen können, und berichtet über die Erfahrungen damit.\"\n+++\n\nText.\n",
                2010 + i % 15,
                topics[i % 3],
                places[i % 3],
                i % 400
            ),
        );
    }
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.public();
    let size = |f: &str| std::fs::metadata(out.join(f)).map_or(0, |m| m.len());
    let total = size("index.html") + size("style.css") + size("finder.js");
    assert!(total <= 100 * 1024, "home page weight {total} bytes");
}
