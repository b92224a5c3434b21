//! Any text as a robots.txt, any path: parsing and matching never panic, and a
//! file that disallows everything for every agent allows nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use praxis::import::fetch::robots::Robots;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // the first line is the path asked for, the rest the file
    let (path, file) = text.split_once('\n').unwrap_or(("/", &text));
    let path = format!("/{}", path.trim_start_matches('/'));
    let robots = Robots::parse(file, "praxis");
    let _ = robots.allows(&path);
    let strict = Robots::parse(&format!("User-agent: *\nDisallow: /\n{file}"), "otherbot");
    if !file.to_ascii_lowercase().contains("allow") && !file.to_ascii_lowercase().contains("user-agent") {
        assert!(!strict.allows(&path), "{path} allowed by {file:?}");
    }
});
