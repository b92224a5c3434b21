//! The catalogue core (issue 2): build, check, new, diagnostics, safe output.

use std::path::Path;

use crate::support::{Site, broken_links, fixture, praxis, repo, snapshot};

#[test]
fn valid_site_builds_with_every_link_resolving() {
    let site = Site::from_fixture("valid");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.public();
    for page in [
        "index.html",
        "praxis/arbeitsplatz-tauschen/index.html",
        "praxis/e-akte/index.html",
        "themen/index.html",
        "themen/wissensaustausch-und-vernetzung/index.html",
        "regionen/index.html",
        "regionen/nordrhein-westfalen/index.html",
        "regionen/kreis-lippe/index.html",
        "regionen/bad-salzuflen/index.html",
        "jahre/2022/index.html",
        "organisationen/stadt-bad-salzuflen/index.html",
        "suche/index.html",
        "404.html",
        "catalogue.json",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    // the draft is not published anywhere
    assert!(!out.join("praxis/entwurf").exists());
    let broken = broken_links(&out, None);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn entry_links_become_urls_and_html_is_escaped() {
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = std::fs::read_to_string(
        site.public()
            .join("praxis/arbeitsplatz-tauschen/index.html"),
    )
    .unwrap();
    assert!(
        page.contains(r#"href="../../praxis/e-akte/index.html#ablauf""#),
        "{page}"
    );
    let other = std::fs::read_to_string(site.public().join("praxis/e-akte/index.html")).unwrap();
    assert!(other.contains("Die E-Akte im &lt;Kreis&gt;"));
    assert!(!other.contains("<Kreis>"));
}

#[test]
fn catalogue_json_resolves_regions_with_their_path() {
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.public().join("catalogue.json")).unwrap())
            .unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "drafts are not exported");
    let e = entries
        .iter()
        .find(|e| e["slug"] == "arbeitsplatz-tauschen")
        .unwrap();
    assert_eq!(e["year"], 2022);
    assert_eq!(e["date"], "2022-02-21");
    let region = &e["region"][0];
    assert_eq!(region["key"], "05766008");
    assert_eq!(region["level"], "gemeinde");
    let path: Vec<&str> = region["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        path,
        [
            "Nordrhein-Westfalen",
            "Regierungsbezirk Detmold",
            "Kreis Lippe",
            "Bad Salzuflen"
        ]
    );
    assert_eq!(e["url"], "praxis/arbeitsplatz-tauschen/");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let first = snapshot(&site.public());
    assert_eq!(site.run(&["build"]).code, 0);
    assert_eq!(first, snapshot(&site.public()));
}

#[test]
fn parallel_builds_equal_a_single_threaded_build() {
    let site = Site::from_fixture("valid");
    let toml = std::fs::read_to_string(site.path().join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &toml.replace("per_page = 2", "per_page = 2\nsearch = false"),
    );
    // enough entries for many list pages, related entries and work spread over threads
    for i in 0..300 {
        site.write(
            &format!("content/gen/eintrag-{i:03}.md"),
            &format!(
                "+++\ntitle = \"Praxisbeispiel {i}\"\nyear = {}\ntopic = [\"Personalgewinnung\"]\nregion = [\"{}\"]\norganisation = [\"Organisation {}\"]\n+++\n\nText {i}.\n",
                2015 + i % 9,
                ["Bad Salzuflen", "Kreis Lippe", "Nordrhein-Westfalen"][i % 3],
                i % 40
            ),
        );
    }
    let build = |threads: &str, out: &str| {
        let out = site.path().join(out);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_praxis"))
            .args(["--root", site.path().to_str().expect("utf-8 path")])
            .args(["--quiet", "build", "--output", out.to_str().expect("utf-8")])
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .expect("run praxis");
        assert!(status.success());
        snapshot(&out)
    };
    let single = build("1", "eins");
    assert!(single.len() > 300);
    assert_eq!(single, build("4", "vier"));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = snapshot(&site.public());
    site.write(
        "content/kaputt.md",
        "+++\ntitle = \"Kaputt\"\nyear = \"2022\"\n+++\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/kaputt.md:3:8: error"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("the previous output is unchanged"));
    assert_eq!(before, snapshot(&site.public()));
    // no staging folders are left behind
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("praxis-staging"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn check_writes_nothing_and_new_writes_a_valid_skeleton() {
    let site = Site::from_fixture("valid");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.public().exists());
    let run = site.run(&["new", "Digitale Bauakte für alle"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "content/digitale-bauakte-fuer-alle.md");
    assert!(
        site.path()
            .join("content/digitale-bauakte-fuer-alle.md")
            .is_file()
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "skeleton must pass check: {}", run.stderr);
    let run = site.run(&["new", "Digitale Bauakte für alle"]);
    assert_eq!(run.code, 2, "an existing file is not overwritten");
}

#[test]
fn output_folder_may_not_be_the_site_or_its_content() {
    let site = Site::from_fixture("valid");
    for bad in [".", "content", "seeds/x"] {
        let out = site.path().join(bad);
        let run = site.run(&["build", "--output", out.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("the output folder"), "{}", run.stderr);
    }
    assert!(site.path().join("content/e-akte.md").is_file());
}

#[test]
fn missing_site_toml_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = praxis(
        &["--root", dir.path().to_str().unwrap(), "build"],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("site.toml: error: cannot read the site settings"),
        "{}",
        run.stderr
    );
}

/// Every folder under tests/fixtures/invalid/ is a site with one problem; its
/// `expected.txt` pins what `praxis check` prints. Set PRAXIS_BLESS=1 to rewrite.
#[test]
fn invalid_sites_report_pinned_diagnostics() {
    let root = fixture("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected a fixture per diagnostic");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let site = Site::from_fixture(&format!("invalid/{name}"));
        let run = site.run(&["check"]);
        // the allowed year range ends next year; keep the pinned text stable
        let next_year = (praxis::current_year() + 1).to_string();
        let got = format!("exit {}\n{}", run.code, run.stderr).replace(&next_year, "[NEXT_YEAR]");
        let expected_path = case.join("expected.txt");
        if std::env::var_os("PRAXIS_BLESS").is_some() {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("--- {name}: expected\n{expected}\n--- got\n{got}"));
        }
        assert_ne!(run.code, 0, "{name} must fail");
        assert!(!run.stderr.contains("panicked"), "{name} panicked");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_repository_site_builds() {
    // the shipped catalogue: seeds, content, site.toml and themes of the repository
    let dir = tempfile::tempdir().unwrap();
    for name in ["site.toml", "content", "seeds", "themes", "data"] {
        let from = repo().join(name);
        if from.is_dir() {
            crate::support::copy_dir(&from, &dir.path().join(name));
        } else if from.is_file() {
            std::fs::copy(&from, dir.path().join(name)).unwrap();
        }
    }
    let run = praxis(
        &["--root", dir.path().to_str().unwrap(), "build"],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let broken = broken_links(&dir.path().join("public"), None);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    assert!(Path::new(&dir.path().join("public/index.html")).is_file());
}
