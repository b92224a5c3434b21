//! Any bytes as an entry file: the loader returns an entry or diagnostics, never
//! panics; every diagnostic renders; parsed front matter survives write → parse.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use praxis::config::Config;
use praxis::entry;
use praxis::regions::Gazetteer;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/valid/site.toml");
        // the fixture's settings are valid; a failure here is a broken fixture
        Config::parse(text, Path::new("site.toml")).expect("fixture site.toml parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("content/fuzz.md");
    match praxis::load::parse_entry(data, path, config(), Gazetteer::get()) {
        Ok(e) => assert!(!e.slug.is_empty() && !e.title.is_empty()),
        Err(diags) => {
            assert!(!diags.is_empty(), "an entry was refused without a reason");
            for d in &diags {
                let _ = d.to_string();
            }
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(split) = entry::split(text, path) else {
        return;
    };
    let Ok(fm) = entry::parse_front_matter(text, &split, path) else {
        return;
    };
    let written = entry::to_file_text(&fm, split.body);
    let again = entry::split(&written, path).expect("written entry splits");
    let fm2 = entry::parse_front_matter(&written, &again, path).expect("written entry parses");
    assert_eq!(fm, fm2, "front matter changed on write → parse:\n{written}");
    assert_eq!(again.body.trim_matches('\n'), split.body.trim_matches('\n'));
});
