//! PDF import speed: 100 generated two-page PDFs (two columns, a title, headings)
//! imported one after the other on one core, from bytes to entries. Target: ≤ 2 s.
//! Prints the time for reading alone (PDF to text) and for the whole import.
//!
//!   cargo bench --bench formats

use std::path::Path;
use std::time::Instant;

use praxis::config::Config;
use praxis::import::{Importer, load_organisations, read};
use praxis::regions::Gazetteer;

#[path = "../tests/fixtures/formats/make.rs"]
mod make;

const PDFS: usize = 100;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(root).expect("site.toml");
    let orgs = load_organisations(root).expect("data/organisations.toml");
    let importer = Importer::new(&config, &orgs, Gazetteer::get());

    // three times the two-column report makes two pages of two columns
    let blocks: Vec<make::Block> = make::osnabrueck().repeat(3);
    let pdfs: Vec<Vec<u8>> = (0..PDFS)
        .map(|i| {
            let title = format!("{} ({})", make::TWO_COLUMN_TITLE, i + 1);
            make::pdf(&make::two_columns(&title, &blocks, 32))
        })
        .collect();
    let bytes: usize = pdfs.iter().map(Vec::len).sum();

    let start = Instant::now();
    let mut chars = 0;
    for p in &pdfs {
        chars += read::read("x.pdf", p)
            .expect("generated PDFs read")
            .text
            .len();
    }
    let reading = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut entries = 0;
    for (i, p) in pdfs.iter().enumerate() {
        entries += importer
            .process(&format!("seeds/bericht-{i}.pdf"), p)
            .entries
            .len();
    }
    let whole = start.elapsed().as_secs_f64();
    println!(
        "formats: {PDFS} PDFs of 2 pages ({:.1} MB, {chars} characters of text)",
        bytes as f64 / 1e6
    );
    println!("  reading (PDF to text): {reading:.2} s");
    println!("  import (to {entries} entries, one core): {whole:.2} s (target ≤ 2 s)");
}
