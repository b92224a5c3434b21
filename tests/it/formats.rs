//! PDF, Word and OpenDocument seeds (issue 17): imported through the real binary from
//! the fixtures in `tests/fixtures/formats/`, which `make.rs` there generates.

use std::path::{Path, PathBuf};

use crate::support::{Site, copy_dir, fixture, repo};

#[path = "../fixtures/formats/make.rs"]
mod make;

/// The fixtures `make.rs` generates, by file name (the encrypted one is made from
/// `lueneburg.pdf` by `generate.sh` with qpdf).
fn generated() -> Vec<(&'static str, Vec<u8>)> {
    let one = make::pdf(&make::one_column(
        &make::lueneburg(),
        make::HEADER,
        make::FOOTER,
    ));
    // a file cut off in the middle, as an interrupted download leaves it
    let mut damaged = one[..one.len() * 2 / 5].to_vec();
    damaged.extend_from_slice(b"\n7 0 obj\n<< /Length 99999 >>\nstream\nBT /F1 11 Tf");
    vec![
        ("lueneburg.pdf", one),
        (
            "osnabrueck-zwei-spalten.pdf",
            make::pdf(&make::two_columns(
                make::TWO_COLUMN_TITLE,
                &make::osnabrueck(),
                32,
            )),
        ),
        ("scan.pdf", make::image_only_pdf()),
        ("beschaedigt.pdf", damaged),
        (
            "halle.docx",
            make::docx(&make::halle_parts(), make::HALLE_COMMENT),
        ),
        (
            "halle.odt",
            make::odt(&make::halle_parts(), make::HALLE_COMMENT),
        ),
    ]
}

fn formats_dir() -> PathBuf {
    fixture("formats")
}

/// The committed fixtures are what the generator makes; `generate.sh` rewrites them
/// (it runs this test with PRAXIS_WRITE_FIXTURES=1).
#[test]
fn fixtures_are_up_to_date() {
    let write = std::env::var_os("PRAXIS_WRITE_FIXTURES").is_some();
    for (name, bytes) in generated() {
        let path = formats_dir().join(name);
        if write {
            std::fs::write(&path, &bytes).expect("write fixture");
        } else {
            let committed = std::fs::read(&path).expect("fixture committed");
            assert!(
                committed == bytes,
                "{name} differs from what make.rs generates; run tests/fixtures/formats/generate.sh"
            );
        }
    }
}

/// A site with the repository's settings and data, one plain-text seed, and the given
/// format fixtures as seeds.
fn site_with(files: &[&str]) -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["themes", "data"] {
        copy_dir(&repo().join(name), &dir.path().join(name));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("site.toml");
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).expect("seeds");
    for f in files {
        std::fs::copy(formats_dir().join(f), seeds.join(f)).expect("copy fixture");
    }
    let site = Site { dir };
    site.write(
        "seeds/bersenbrueck.txt",
        "Bersenbrück richtet einen Bürgerbus ein\n\n\
         Bersenbrück, 2. Juni 2024 – Die Samtgemeinde Bersenbrück lässt ab Juli einen \
         Bürgerbus zwischen den Ortsteilen fahren. Ehrenamtliche Fahrerinnen und Fahrer \
         bringen ältere Menschen zum Arzt und zum Einkaufen.\n",
    );
    site
}

/// Every imported entry's text, by file name.
fn entries(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir.join("content"))
        .expect("content folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("read entry"))
        })
        .collect();
    v.sort();
    v
}

fn entry_from<'a>(entries: &'a [(String, String)], seed: &str) -> &'a str {
    entries
        .iter()
        .map(|(_, t)| t.as_str())
        .find(|t| t.contains(&format!("seeds/{seed}")))
        .unwrap_or_else(|| panic!("no entry from {seed}: {entries:#?}"))
}

/// Positions of the needles in `text`, which must appear in this order.
fn assert_in_order(text: &str, needles: &[&str]) {
    let mut at = 0;
    for n in needles {
        match text[at..].find(n) {
            Some(i) => at += i + n.len(),
            None => panic!("`{n}` missing or out of order in:\n{text}"),
        }
    }
}

#[test]
fn one_column_pdf_loses_running_lines_and_hyphens() {
    let site = site_with(&["lueneburg.pdf"]);
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = entries(site.path());
    let e = entry_from(&all, "lueneburg.pdf");
    assert!(
        e.contains("title = \"Lüneburg öffnet das digitale Bürgerbüro\""),
        "{e}"
    );
    assert!(e.contains("year = 2025"), "{e}");
    for gone in ["Pressestelle", "Pressemitteilung 14", "Seite 2", "von 3"] {
        assert!(!e.contains(gone), "running line `{gone}` kept:\n{e}");
    }
    // every word the typesetter hyphenated at a line end comes back whole
    let lines: Vec<String> = make::one_column(&make::lueneburg(), make::HEADER, make::FOOTER)
        .into_iter()
        .flatten()
        .map(|p| p.text)
        .collect();
    let mut hyphenated = 0;
    for pair in lines.windows(2) {
        if let Some(head) = pair[0].strip_suffix('-')
            && head.ends_with(char::is_lowercase)
        {
            let head = head.rsplit(' ').next().unwrap_or(head);
            let tail = pair[1].split([' ', ',', '.']).next().unwrap_or_default();
            let word = format!("{head}{tail}");
            assert!(
                e.contains(&format!(" {word}")),
                "`{word}` not rejoined:\n{e}"
            );
            hyphenated += 1;
        }
    }
    assert!(
        hyphenated >= 4,
        "the fixture hyphenates too few words: {lines:#?}"
    );
    assert!(
        !e.contains("- "),
        "a hyphen left at a joined line end:\n{e}"
    );
    assert!(
        e.contains("Kfz-Zulassung") && e.contains("IT-Abteilung"),
        "{e}"
    );
    // paragraph breaks survive, also the last ones before and after a page break
    assert!(e.contains("ins Rathaus ein.\n\nDie Kosten"), "{e}");
    assert!(
        e.contains("abgetippt werden müssen.\n\nWeitere Auskünfte"),
        "{e}"
    );
    assert!(
        e.contains("\n\n## Beratung vor Ort bleibt\n\n"),
        "heading lost:\n{e}"
    );
    assert_in_order(
        e,
        &[
            "zwanzig Verwaltungsleistungen",
            "Oberbürgermeisterin Claudia Kalisch",
            "Das Bürgerbüro am Markt",
            "Bis Ende des Jahres",
            "Weitere Auskünfte",
        ],
    );
    // the plain-text seed beside it is imported too
    assert!(entry_from(&all, "bersenbrueck.txt").contains("Bürgerbus"));
}

#[test]
fn two_column_pdf_is_read_column_by_column() {
    let site = site_with(&["osnabrueck-zwei-spalten.pdf"]);
    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = entries(site.path());
    let e = entry_from(&all, "osnabrueck-zwei-spalten.pdf");
    assert!(
        e.contains("title = \"Osnabrücker Land pflanzt Klimawälder\""),
        "{e}"
    );
    assert!(e.contains("year = 2024"), "{e}");
    // the left column's paragraphs come whole and before the right column's
    assert_in_order(
        e,
        &[
            "Der Landkreis Osnabrück hat im Herbst",
            "Schulklassen aus Bramsche und Bersenbrück halfen beim Pflanzen",
            "passende Baumarten zu finden.",
            "Im Venner Moor",
            "einen Ausgleich aus dem Moorschutzprogramm",
            "im Umweltausschuss vor.",
        ],
    );
}

#[test]
fn word_and_opendocument_keep_text_and_tables_and_drop_comments_and_deletions() {
    for file in ["halle.docx", "halle.odt"] {
        let site = site_with(&[file]);
        let run = site.run(&["import"]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        let all = entries(site.path());
        let e = entry_from(&all, file);
        assert!(
            e.contains("title = \"Halle (Saale) testet Sensoren gegen Starkregen\""),
            "{file}: {e}"
        );
        assert!(e.contains("year = 2025"), "{file}: {e}");
        assert!(
            !e.contains("Feuerwehr drei Tage"),
            "{file}: deleted text kept:\n{e}"
        );
        assert!(
            !e.contains("Tiefbauamt abstimmen"),
            "{file}: comment kept:\n{e}"
        );
        assert_in_order(
            e,
            &[
                "vierzig Straßeneinläufen",
                "als in der Südstadt mehrere Keller vollliefen.",
                "Seitdem sucht das Tiefbauamt",
                "Südstadt | 14 | 9",
                "Giebichenstein | 15 | 6",
                "auf das ganze Stadtgebiet ausweiten.",
            ],
        );
        assert!(entry_from(&all, "bersenbrueck.txt").contains("Bürgerbus"));
    }
}

#[test]
fn unreadable_pdfs_are_reported_by_name_and_the_rest_is_imported() {
    let site = site_with(&[
        "scan.pdf",
        "verschluesselt.pdf",
        "beschaedigt.pdf",
        "halle.odt",
    ]);
    let run = site.run(&["import"]);
    // the encrypted and the damaged PDF are errors
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    let line = |name: &str| {
        err.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named:\n{err}"))
            .to_string()
    };
    let scan = line("seeds/scan.pdf");
    assert!(
        scan.contains("warning") && scan.contains("no text layer"),
        "{err}"
    );
    assert!(err.contains("ocrmypdf"), "{err}");
    let enc = line("seeds/verschluesselt.pdf");
    assert!(enc.contains("error") && enc.contains("encrypted"), "{err}");
    let bad = line("seeds/beschaedigt.pdf");
    assert!(bad.contains("error") && bad.contains("damaged"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let all = entries(site.path());
    assert_eq!(all.len(), 2, "{all:#?}");
    entry_from(&all, "halle.odt");
    entry_from(&all, "bersenbrueck.txt");
    // the messages come back on the next run: the files were not taken as imported
    let again = site.run(&["import"]);
    assert!(again.stderr.contains("seeds/scan.pdf"), "{}", again.stderr);
}

#[test]
fn office_files_that_are_not_archives_are_errors_naming_the_file() {
    let site = site_with(&[]);
    site.write("seeds/kaputt.docx", "kein Archiv");
    let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    bomb.start_file("content.xml", opts).expect("entry");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..40 {
        std::io::Write::write_all(&mut bomb, &chunk).expect("write");
    }
    let bytes = bomb.finish().expect("zip").into_inner();
    assert!(bytes.len() < 1 << 20, "the bomb is small packed");
    std::fs::write(site.path().join("seeds/bombe.odt"), bytes).expect("write");
    let run = site.run(&["import"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("seeds/kaputt.docx") && l.contains("damaged")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("seeds/bombe.odt") && l.contains("unpacks to more")),
        "{}",
        run.stderr
    );
    assert_eq!(entries(site.path()).len(), 1);
}
