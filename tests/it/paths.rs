//! Paths on the command line are relative to the current folder, for every command
//! (issue 18): `--root site` once looked for `site/site/seeds` and built an empty
//! catalogue.

use std::path::{Path, PathBuf};

use crate::support::{copy_dir, fixture, praxis_in, repo};

/// A press release of an invented practice in a real town, so the importer finds
/// its owner and region.
const SEED: &str = "\
Kreis Lippe: Fahrzeugschein beim Kreis jetzt online

Detmold, 3. Juni 2024. Der Kreis Lippe bietet die Zulassung von Fahrzeugen ab sofort vollständig digital an. Halterinnen und Halter melden ihr Auto über das Serviceportal an, zahlen online und erhalten die Unterlagen per Post.

Die Zulassungsstelle spart damit Wartezeiten am Schalter. In den ersten Wochen wurde jede dritte Zulassung online beantragt.
";

/// A working folder with the valid fixture site (and the repository's theme) in
/// its subfolder `site/`: the commands run in the working folder.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().expect("temp dir");
    let site = work.path().join("site");
    copy_dir(&fixture("valid"), &site);
    copy_dir(&repo().join("themes"), &site.join("themes"));
    (work, site)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The entry files in `dir` made from a seed, by their `source.file`.
fn imported_from(dir: &Path, seed: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("content folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains(&format!("file = \"{seed}\"")))
        })
        .collect()
}

#[test]
fn build_with_a_relative_root_imports_the_seeds_and_writes_into_the_site() {
    let (work, site) = workspace();
    write(&site.join("seeds/zulassung.txt"), SEED);
    let run = praxis_in(work.path(), &["--root", "site", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made = imported_from(&site.join("content"), "seeds/zulassung.txt");
    assert_eq!(made.len(), 1, "the seed was not imported: {}", run.stdout);
    let slug = made[0]
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    assert!(
        site.join(format!("public/praxis/{slug}/index.html"))
            .is_file()
    );
    assert!(run.stdout.contains("into site/public"), "{}", run.stdout);
    assert!(!work.path().join("public").exists());
}

#[test]
fn build_output_is_relative_to_the_current_folder_not_the_root() {
    let (work, site) = workspace();
    let run = praxis_in(work.path(), &["--root", "site", "build", "--output", "web"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(work.path().join("web/index.html").is_file());
    assert!(!site.join("web").exists());
    assert!(run.stdout.contains("into web"), "{}", run.stdout);
}

#[test]
fn check_with_a_relative_root_from_a_subfolder() {
    let (_work, site) = workspace();
    let run = praxis_in(&site.join("content"), &["--root", "..", "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("checked 2 entries"),
        "{}",
        run.stdout
    );
    let missing = praxis_in(&site, &["--root", "gibt-es-nicht", "check"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("`gibt-es-nicht` does not exist"),
        "{}",
        missing.stderr
    );
}

#[test]
fn new_with_a_relative_root_writes_into_the_sites_content() {
    let (work, site) = workspace();
    let run = praxis_in(work.path(), &["--root", "site", "new", "Digitale Bauakte"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "content/digitale-bauakte.md");
    assert!(site.join("content/digitale-bauakte.md").is_file());
    assert!(!work.path().join("content").exists());
}

#[test]
fn import_takes_root_seeds_and_content_from_the_current_folder() {
    let (work, site) = workspace();
    write(&site.join("seeds/zulassung.txt"), SEED);
    let run = praxis_in(work.path(), &["--root", "site", "import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("imported: 1 new"), "{}", run.stdout);
    assert_eq!(
        imported_from(&site.join("content"), "seeds/zulassung.txt").len(),
        1
    );

    // --seeds and --content name folders beside the site, from the current folder
    write(&work.path().join("texte/zulassung.txt"), SEED);
    let run = praxis_in(
        work.path(),
        &[
            "--root",
            "site",
            "import",
            "--seeds",
            "texte",
            "--content",
            "entwuerfe",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("imported: 1 new"), "{}", run.stdout);
    let written: Vec<_> = std::fs::read_dir(work.path().join("entwuerfe"))
        .expect("--content folder made beside the site")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .collect();
    assert_eq!(written.len(), 1);
    assert!(!site.join("entwuerfe").exists() && !site.join("texte").exists());
}

#[test]
fn serve_with_a_relative_root() {
    let (work, _site) = workspace();
    let server = crate::serve::start_in(work.path(), Path::new("site"));
    let body = crate::serve::wait_for(server.port, "/praxis/e-akte/", "the first build", |s, _| {
        s == 200
    });
    assert!(body.contains("<h1"), "{body}");
}
