//! Hardening of the import (issue 6): odd seeds, big seeds, interrupted imports.
//! The importer's own tests cover empty, boilerplate-only, binary, Windows-1252
//! and HTML seeds; these add what the reliability record needs on top.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

/// A site with the repository's settings, organisations and themes, no seeds.
fn seedless_site() -> Site {
    let site = Site::from_fixture("valid");
    let repo = crate::support::repo();
    std::fs::copy(repo.join("site.toml"), site.path().join("site.toml")).unwrap();
    crate::support::copy_dir(&repo.join("data"), &site.path().join("data"));
    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    site
}

/// Every entry file in the site's content/, concatenated.
fn entry_texts(site: &Site) -> String {
    std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

const ITEM: &str = "[01.02.2024] Die Stadt Essen eröffnet ein neues Bürgerbüro mit Online-Terminen für alle Bürgerinnen und Bürger. Die Wartezeit sinkt deutlich, berichtet die Verwaltung, und die Beschäftigten sind zufrieden mit dem neuen Angebot der Stadt Essen.";

#[test]
fn a_mostly_utf8_seed_with_latin1_bytes_imports_and_builds() {
    let site = seedless_site();
    let mut bytes = format!("Bürgerbüro online in Essen\n\n{ITEM}\n\n").into_bytes();
    // a pasted paragraph in Latin-1: "Großstadt Grüße" with ß and ü as single bytes
    bytes.extend_from_slice(b"Gro\xdfstadt Gr\xfc\xdfe aus dem Rathaus, ");
    bytes.extend_from_slice("und wieder UTF-8: Übersicht für alle.\n".as_bytes());
    std::fs::create_dir_all(site.path().join("seeds")).unwrap();
    std::fs::write(site.path().join("seeds/gemischt.txt"), bytes).unwrap();
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let texts = entry_texts(&site);
    assert!(texts.contains("Bürgerbüro"), "{texts}");
    // the UTF-8 parts are not turned into mojibake by the Latin-1 bytes
    assert!(!texts.contains("Ã¼") && !texts.contains("Ã–"), "{texts}");
}

#[test]
fn an_interrupted_import_leaves_no_half_written_entries() {
    let site = seedless_site();
    std::fs::create_dir_all(site.path().join("seeds")).unwrap();
    for i in 0..150 {
        let text = format!(
            "Praxis {i}: Bürgerbüro online\n\n{}\n\nKreis Soest: Barcamp Nummer {i}\n\n[03.04.2023] Der Kreis Soest lädt alle Beschäftigten zu einem Barcamp ein. Der Kreis Soest will so den Austausch über Digitalisierung stärken und neue Ideen sammeln, berichtet die Kreisverwaltung Soest.\n",
            ITEM.replace("Essen", if i % 2 == 0 { "Essen" } else { "Bochum" })
        );
        std::fs::write(site.path().join(format!("seeds/s{i:03}.txt")), text).unwrap();
    }
    // time one import in a copy to spread the kills over its run
    let start = Instant::now();
    let run = site.run(&[
        "import",
        "--content",
        site.path().join("probe").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let took = start.elapsed();
    std::fs::remove_dir_all(site.path().join("probe")).unwrap();
    for (i, signal) in ["-KILL", "-TERM", "-KILL", "-INT"].iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_praxis"))
            .arg("--root")
            .arg(site.path())
            .args(["import", "--force", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took * (2 * i as u32 + 1) / 8 + Duration::from_millis(5));
        let _ = Command::new("kill")
            .args([*signal, &child.id().to_string()])
            .status();
        let _ = child.wait();
        // whatever was written is whole: every entry loads
        let run = site.run(&["check"]);
        assert_eq!(run.code, 0, "after {signal}: {}", run.stderr);
    }
    // a full run afterwards completes and leaves no temporary files
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.run(&["check"]).code, 0);
    let tmp: Vec<String> = std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(tmp.is_empty(), "{tmp:?}");
}

/// A 100 MB seed is skipped with a warning naming it; the other seeds are imported.
#[test]
fn a_100_mb_seed_is_skipped_with_a_warning() {
    let site = seedless_site();
    std::fs::create_dir_all(site.path().join("seeds")).unwrap();
    // sparse: 100 MB on disk costs nothing, and the size check comes before reading
    let big = std::fs::File::create(site.path().join("seeds/riesig.txt")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    drop(big);
    std::fs::write(
        site.path().join("seeds/klein.txt"),
        format!("Bürgerbüro online\n\n{ITEM}\n"),
    )
    .unwrap();
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("riesig.txt")
            && run.stderr.contains("100 MB")
            && run.stderr.contains("skipped"),
        "{}",
        run.stderr
    );
    let entries: Vec<String> = std::fs::read_dir(site.path().join("content"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
}

/// A date the catalogue cannot hold ("1021", a typo in the seed) is no evidence:
/// the entry gets a year from the rest of the text, under review, and loads.
#[test]
fn a_typo_year_in_a_dateline_gives_a_reviewed_entry_that_loads() {
    let site = seedless_site();
    std::fs::create_dir_all(site.path().join("seeds")).unwrap();
    let item = ITEM.replace("[01.02.2024]", "[01.02.1021]");
    std::fs::write(
        site.path().join("seeds/tippfehler.txt"),
        format!("Bürgerbüro online\n\n{item} Seit Mai 2022 läuft das Angebot.\n"),
    )
    .unwrap();
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = entry_texts(&site);
    assert!(entry.contains("\nyear = 2022\n"), "{entry}");
    assert!(entry.contains("review = [\"year\""), "{entry}");
}
