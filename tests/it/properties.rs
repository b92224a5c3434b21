//! Properties over generated inputs (issue 6), the same ones the fuzz targets in
//! fuzz/ check, so that `cargo test` covers them without a nightly toolchain.

use std::path::Path;
use std::sync::OnceLock;

use praxis::config::Config;
use praxis::entry::{self, Contact, FrontMatter, Source, SourceKind};
use praxis::import::Importer;
use praxis::import::meta::org::OrgTable;
use praxis::markdown::{self, LinkContext};
use praxis::regions::Gazetteer;
use proptest::prelude::*;

use crate::safety;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = include_str!("../fixtures/valid/site.toml");
        Config::parse(text, Path::new("site.toml")).expect("fixture site.toml parses")
    })
}

/// Pieces that make generated entries reach deep into the loader.
fn entry_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+++\n".to_string()),
        Just("++++\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r\n".to_string()),
        Just("title = \"Jobtausch\"\n".to_string()),
        Just("title = \"\"\n".to_string()),
        Just("year = 2022\n".to_string()),
        Just("year = \"2022\"\n".to_string()),
        Just("year = 99999999999999999999\n".to_string()),
        Just("year = -1\n".to_string()),
        Just("date = 2022-02-30\n".to_string()),
        Just("topic = [\"Wissensaustausch & Vernetzung\"]\n".to_string()),
        Just("topic = [\"Unbekannt\"]\n".to_string()),
        Just("region = [\"Bad Salzuflen\"]\n".to_string()),
        Just("region = [\"Neustadt\", \"05766\"]\n".to_string()),
        Just("organisation = [\"Stadt\"]\n".to_string()),
        Just("slug = \"../../etc\"\n".to_string()),
        Just("review = [\"jahr\", \"year\"]\n".to_string()),
        Just("[contact]\nurl = \"javascript:x\"\n".to_string()),
        Just("source = { kind = \"teaser\", url = \"https://x.de\" }\n".to_string()),
        Just("[[x]]\n".to_string()),
        Just("ä\u{0}\u{7f}".to_string()),
        "[ -~]{0,20}\n",
        "\\PC{0,12}",
    ]
}

fn entry_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        prop::collection::vec(entry_piece(), 0..14).prop_map(|p| p.concat().into_bytes()),
        (
            prop::collection::vec(entry_piece(), 0..14),
            prop::collection::vec(any::<u8>(), 0..8),
            any::<prop::sample::Index>()
        )
            .prop_map(|(p, junk, at)| {
                let mut b = p.concat().into_bytes();
                let i = at.index(b.len() + 1);
                b.splice(i..i, junk);
                b
            }),
    ]
}

/// Text editors might put anywhere: quotes, backslashes, fences, newlines, BOMs.
fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("+++".to_string()),
            Just("\n+++\n".to_string()),
            Just("\"".to_string()),
            Just("'''".to_string()),
            Just("\"\"\"".to_string()),
            Just("\\".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just("\u{feff}".to_string()),
            Just("\u{7f}\u{1b}".to_string()),
            "\\PC{0,10}",
            "[a-zäöüß ]{0,10}",
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

fn front_matter() -> impl Strategy<Value = FrontMatter> {
    (
        (
            tricky_text(),
            prop::option::of("[a-z0-9-]{1,20}"),
            prop::option::of(any::<i64>()),
            prop::collection::vec(tricky_text(), 0..3),
            prop::collection::vec(tricky_text(), 0..3),
            prop::collection::vec(tricky_text(), 0..3),
        ),
        (
            prop::option::of(tricky_text()),
            any::<bool>(),
            prop::collection::vec(tricky_text(), 0..3),
            prop::option::of(tricky_text()),
            prop::option::of((tricky_text(), prop::option::of(tricky_text()))),
            prop::option::of((prop::option::of(tricky_text()), 0..4u8)),
        ),
    )
        .prop_map(
            |(
                (title, slug, year, topic, region, organisation),
                (summary, draft, review, note, contact, source),
            )| FrontMatter {
                title,
                slug,
                year,
                date: None,
                topic,
                region,
                organisation,
                summary,
                draft,
                review,
                note,
                contact: contact.map(|(name, url)| Contact {
                    name: Some(name),
                    url,
                    ..Contact::default()
                }),
                source: source.map(|(file, kind)| Source {
                    file,
                    lines: None,
                    url: None,
                    kind: match kind {
                        0 => None,
                        1 => Some(SourceKind::Article),
                        2 => Some(SourceKind::ListingItem),
                        _ => Some(SourceKind::Teaser),
                    },
                }),
            },
        )
}

/// Markup that tries to run code, mixed with ordinary Markdown.
fn hostile_markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<script>alert(1)</script>".to_string()),
            Just("<SCRIPT SRC=//x.de/a.js>".to_string()),
            Just("<scr<script>ipt>".to_string()),
            Just("<img src=x onerror=alert(1)>".to_string()),
            Just("<a href=\"x\" onclick='y'>a</a>".to_string()),
            Just("<iframe src=\"https://x\"></iframe>".to_string()),
            Just("<svg><script>1</script></svg>".to_string()),
            Just("<math><mi xlink:href=\"javascript:1\">x</mi></math>".to_string()),
            Just("<style>*{}</style>".to_string()),
            Just("<form action=javascript:1><input></form>".to_string()),
            Just("[x](javascript:alert(1))".to_string()),
            Just("[x](jAvAsCrIpT&#58;alert(1))".to_string()),
            Just("[x](&#x6a;avascript:1)".to_string()),
            Just("[x]( java\tscript:1 )".to_string()),
            Just("<javascript:alert(1)>".to_string()),
            Just("![i](javascript:1)".to_string()),
            Just("[r]\n\n[r]: javascript:1\n".to_string()),
            Just("<a href=\"&#106;avascript:1\">x</a>".to_string()),
            Just("[d](data:text/html;base64,PHNjcmlwdD4=)".to_string()),
            Just("[s](data:image/svg+xml,x)".to_string()),
            Just("![s](DATA:image/SVG+xml;base64,PHN2Zz4=)".to_string()),
            Just("<!-- <script> -->".to_string()),
            Just("<div\nonload=x>".to_string()),
            Just("# Titel {#id onclick=x}\n".to_string()),
            Just("`<script>`".to_string()),
            Just("```html\n<script>\n```\n".to_string()),
            Just("\n\n".to_string()),
            Just("| a | b |\n|---|---|\n| <b onmouseover=1>x</b> | 2 |\n".to_string()),
            Just("[^1]\n\n[^1]: <i onclick=1>n</i>\n".to_string()),
            "[ -~]{0,16}",
            "\\PC{0,8}",
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any bytes: the loader returns an entry or diagnostics, never panics.
    #[test]
    fn loader_never_panics(bytes in entry_bytes()) {
        let path = Path::new("content/x.md");
        match praxis::load::parse_entry(&bytes, path, config(), Gazetteer::get()) {
            Ok(e) => prop_assert!(!e.slug.is_empty() && !e.title.is_empty()),
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                for d in &diags {
                    prop_assert!(!d.to_string().is_empty());
                    prop_assert_eq!(d.path.as_path(), path);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// What praxis writes it reads back unchanged, whatever the text holds.
    #[test]
    fn entry_write_then_parse_round_trips(fm in front_matter(), body in tricky_text()) {
        let path = Path::new("content/x.md");
        let text = entry::to_file_text(&fm, &body);
        let split = entry::split(&text, path).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let parsed = entry::parse_front_matter(&text, &split, path)
            .map_err(|d| TestCaseError::fail(format!("{d}\n{text}")))?;
        prop_assert_eq!(parsed, fm);
        prop_assert_eq!(split.body.trim_matches('\n'), body.trim_matches('\n'));
    }

    /// Rendered bodies never carry script, handlers, frames or script links.
    #[test]
    fn rendered_markdown_is_safe(body in hostile_markdown()) {
        let ctx = LinkContext {
            path: Path::new("content/a.md"),
            body_line: 8,
            body: &body,
            root: "../../",
            index: "index.html",
        };
        let out = markdown::render(&ctx, &|_| None, &|_| false);
        let found = safety::unsafe_markup(&out.html, &safety::no_script);
        prop_assert!(found.is_empty(), "{:?}\n{}", found, out.html);
        for d in &out.diagnostics {
            prop_assert!(d.line >= 8);
        }
        let clean = markdown::sanitise(&body);
        let found = safety::unsafe_markup(&clean, &safety::no_script);
        prop_assert!(found.is_empty(), "{:?}\n{}", found, clean);
    }

    /// Any region name or key: resolution answers or explains, never panics.
    #[test]
    fn region_resolution_never_panics(query in "\\PC{0,30}|[0-9]{1,12}") {
        let g = Gazetteer::get();
        match g.resolve(&query) {
            Ok(r) => prop_assert!(g.by_key(&r.key).is_some()),
            Err(e) => prop_assert!(!e.message().is_empty()),
        }
    }
}

/// Pieces of the raw texts seeds hold: headlines, datelines, places, boilerplate.
fn seed_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Kreis Soest: Barcamp für alle\n\n".to_string()),
        Just("Bürgerbüro online\n\n".to_string()),
        Just("[03.04.2023] Der Kreis Soest lädt alle Beschäftigten zu einem Barcamp ein. Der Kreis Soest will so den Austausch über Digitalisierung stärken, berichtet die Kreisverwaltung Soest.\n\n".to_string()),
        Just("Die Stadt Bad Salzuflen und der Kreis Lippe tauschen Beschäftigte für eine Woche (Jobtausch, Hospitation).\n\n".to_string()),
        Just("© Foto: Stadt\n\nhttps://example.org/\n\nmehr...\n\n".to_string()),
        Just("<script>alert(1)</script><style>p{}</style><h1>Titel</h1><p>Absatz</p>".to_string()),
        Just("+++\ntitle = \"x\"\n+++\n".to_string()),
        Just("\u{feff}\r\n".to_string()),
        Just("- Punkt eins\n- Punkt zwei\n\n".to_string()),
        Just("2019 | 2020 | 2021\n".to_string()),
        "[ -~äöüÄÖÜß]{0,60}\n{0,2}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever a seed holds, every entry the importer makes passes the loader's checks.
    #[test]
    fn import_output_always_loads(
        pieces in prop::collection::vec(seed_piece(), 0..16),
        html in any::<bool>(),
    ) {
        let config = repo_config();
        let orgs = OrgTable::default();
        let importer = Importer::new(config, &orgs, Gazetteer::get());
        let file = if html { "seeds/x.html" } else { "seeds/x.txt" };
        let result = importer.process(file, pieces.concat().as_bytes());
        for (i, d) in result.entries.iter().enumerate() {
            let text = entry::to_file_text(&d.fm, &d.body);
            let path = format!("content/e{i}.md");
            let loaded = praxis::load::parse_entry(text.as_bytes(), Path::new(&path), config, Gazetteer::get());
            prop_assert!(loaded.is_ok(), "{}\n{}", loaded.err().map(|d| d[0].to_string()).unwrap_or_default(), text);
        }
    }
}

/// The repository's settings: the vocabulary the importer assigns topics from.
fn repo_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = include_str!("../../site.toml");
        Config::parse(text, Path::new("site.toml")).expect("site.toml parses")
    })
}
