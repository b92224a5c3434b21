//! Any bytes as a PDF seed: the reader returns text or a per-file error, never
//! panics (the PDF crate runs under catch_unwind, and the layout stage must cope
//! with whatever positions it reports).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = praxis::import::read::read("seeds/x.pdf", data);
});
