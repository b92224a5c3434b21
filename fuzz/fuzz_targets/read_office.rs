//! Any bytes as a Word or OpenDocument seed: the reader returns text or a per-file
//! error, never panics. The first byte picks the format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let file = if kind % 2 == 0 { "seeds/x.docx" } else { "seeds/x.odt" };
    if let Ok(read) = praxis::import::read::read(file, bytes) {
        // what the reader hands on goes through the text stages like any seed
        let _ = praxis::import::clean::paragraphs(&read.text);
    }
});
