//! Any text as a region name or key: resolution answers or explains, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use praxis::regions::Gazetteer;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let g = Gazetteer::get();
    match g.resolve(&query) {
        Ok(region) => {
            assert!(g.by_key(&region.key).is_some());
            let _ = g.path(region);
        }
        Err(e) => {
            assert!(!e.message().is_empty());
            let _ = e.hint();
        }
    }
});
