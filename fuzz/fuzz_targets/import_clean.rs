//! Any bytes as a seed (text or HTML): decoding, cleaning and segmentation never
//! panic, and every entry the importer makes loads without errors.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use praxis::config::Config;
use praxis::import::Importer;
use praxis::import::meta::org::OrgTable;
use praxis::regions::Gazetteer;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = include_str!("../../site.toml");
        // the repository's settings are valid; a failure here is a broken checkout
        Config::parse(text, Path::new("site.toml")).expect("site.toml parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let file = if kind % 2 == 0 {
        "seeds/x.txt"
    } else {
        "seeds/x.html"
    };
    let orgs = OrgTable::default();
    let importer = Importer::new(config(), &orgs, Gazetteer::get());
    let result = importer.process(file, bytes);
    for (i, d) in result.entries.iter().enumerate() {
        let text = praxis::entry::to_file_text(&d.fm, &d.body);
        let path = format!("content/e{i}.md");
        if let Err(diags) = praxis::load::parse_entry(
            text.as_bytes(),
            Path::new(&path),
            config(),
            Gazetteer::get(),
        ) {
            panic!("imported entry does not load:\n{}\n{text}", diags[0]);
        }
    }
});
