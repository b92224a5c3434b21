//! `praxis init` (issue 18): a new catalogue that builds as it is, and a folder
//! that already holds files is never overwritten.

use std::path::Path;

use crate::support::{broken_links, praxis_in};

/// An invented press release of a real town, written for this test.
const SEED: &str = "\
Bauantrag ohne Papier: Detmold stellt auf digitale Bauakte um

Detmold, 14. März 2024. Die Stadt Detmold nimmt Bauanträge ab sofort vollständig digital entgegen. Architektinnen und Bauherren laden Pläne und Nachweise über das Serviceportal hoch; die Bauaufsicht bearbeitet sie in der elektronischen Akte und beteiligt Fachämter ohne Postlauf.

Nach den ersten drei Monaten zieht die Verwaltung eine positive Bilanz: Die Bearbeitungszeit sank im Mittel um drei Wochen.
";

const PLACEHOLDER_WARNING: &str = "warning: the page still contains placeholders";

/// The problem lines (`path: error|warning: …`) of a run's stderr.
fn problems(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(": warning: ") || l.contains(": error: ") || l.starts_with("error"))
        .collect()
}

#[test]
fn new_catalogue_with_one_seed_builds_with_every_link_resolving() {
    let work = tempfile::tempdir().expect("temp dir");
    let run = praxis_in(work.path(), &["init", "katalog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("created a new catalogue in katalog"),
        "{}",
        run.stdout
    );
    let site = work.path().join("katalog");
    for file in [
        "site.toml",
        "seeds/README",
        ".gitignore",
        ".github/workflows/pages.yml",
        ".gitlab-ci.yml",
        "content/pages/impressum.md",
        "content/pages/datenschutz.md",
        "content/pages/barrierefreiheit.md",
        "themes/default/templates/index.html",
        "themes/default/static/style.css",
    ] {
        assert!(site.join(file).is_file(), "init did not write {file}");
    }

    std::fs::write(site.join("seeds/bauakte.txt"), SEED).expect("write seed");
    let build = praxis_in(work.path(), &["--root", "katalog", "build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stdout.starts_with("built 1 entries"),
        "{}",
        build.stdout
    );
    let out = site.join("public");
    for page in [
        "index.html",
        "impressum/index.html",
        "suche/index.html",
        "404.html",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let entries: Vec<_> = std::fs::read_dir(out.join("praxis"))
        .expect("entry pages")
        .flatten()
        .collect();
    assert_eq!(entries.len(), 1, "the seed makes one published entry");
    let broken = broken_links(&out, None);
    assert!(broken.is_empty(), "broken links: {broken:#?}");

    // the seeds folder's note is not a text to import
    for e in std::fs::read_dir(site.join("content"))
        .expect("content")
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        assert!(!text.contains("seeds/README"), "{}", e.path().display());
    }

    // check: nothing but the three legal pages' placeholders
    let check = praxis_in(&site, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let found = problems(&check.stderr);
    assert_eq!(found.len(), 3, "{}", check.stderr);
    for (line, page) in found
        .iter()
        .zip(["barrierefreiheit", "datenschutz", "impressum"])
    {
        assert!(
            line.starts_with(&format!("content/pages/{page}.md:"))
                && line.contains(PLACEHOLDER_WARNING),
            "{line}"
        );
    }
}

#[test]
fn init_refuses_a_folder_with_files_and_force_keeps_them() {
    let work = tempfile::tempdir().expect("temp dir");
    let dir = work.path().join("alt");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let own_settings = "title = \"Unser Katalog\"\n[[topic]]\nname = \"Eigenes Thema\"\n";
    std::fs::write(dir.join("site.toml"), own_settings).expect("write");
    std::fs::write(dir.join("notizen.txt"), "Meine Notizen\n").expect("write");

    let refused = praxis_in(work.path(), &["init", "alt"]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(
        refused
            .stderr
            .contains("the folder `alt` is not empty (notizen.txt, site.toml)"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert!(!dir.join("content").exists(), "a refused init wrote files");

    let forced = praxis_in(work.path(), &["init", "alt", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced
            .stdout
            .contains("kept (already there, not replaced): site.toml"),
        "{}",
        forced.stdout
    );
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("read");
    assert_eq!(read("site.toml"), own_settings);
    assert_eq!(read("notizen.txt"), "Meine Notizen\n");
    assert!(dir.join("content/pages/impressum.md").is_file());

    // a second --force writes nothing and keeps every file
    let again = praxis_in(work.path(), &["init", "alt", "--force"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains(": 0 files written"),
        "{}",
        again.stdout
    );
}

#[test]
fn init_takes_the_current_folder_or_root_and_accepts_hidden_files() {
    let work = tempfile::tempdir().expect("temp dir");
    // a folder with only hidden entries, as after `git init`, counts as empty
    std::fs::create_dir_all(work.path().join("hier/.git")).expect("mkdir");
    let here = praxis_in(&work.path().join("hier"), &["init"]);
    assert_eq!(here.code, 0, "{}", here.stderr);
    assert!(work.path().join("hier/site.toml").is_file());

    let by_root = praxis_in(work.path(), &["--root", "dort", "init"]);
    assert_eq!(by_root.code, 0, "{}", by_root.stderr);
    assert!(work.path().join("dort/site.toml").is_file());
    assert!(by_root.stdout.contains("cd dort"), "{}", by_root.stdout);

    std::fs::write(work.path().join("datei"), "x").expect("write");
    let on_file = praxis_in(work.path(), &["init", "datei"]);
    assert_eq!(on_file.code, 2);
    assert!(
        on_file
            .stderr
            .contains("datei: error: is a file, not a folder"),
        "{}",
        on_file.stderr
    );
    assert!(Path::new(&work.path().join("datei")).is_file());
}
