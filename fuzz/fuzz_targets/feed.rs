//! Any bytes as a feed: the parser never panics, and every item it yields has an
//! absolute http(s) address without fragment, each address once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use praxis::import::fetch::feed;

fuzz_target!(|data: &[u8]| {
    // a fixed base: relative item links resolve against it
    let base = url::Url::parse("https://kreis.example/presse/feed.xml").expect("valid base");
    let Ok(items) = feed::items(data, &base) else {
        return;
    };
    let mut seen = std::collections::BTreeSet::new();
    for item in &items {
        assert!(
            item.link.starts_with("http://") || item.link.starts_with("https://"),
            "{}",
            item.link
        );
        assert!(!item.link.contains('#'), "{}", item.link);
        assert!(seen.insert(item.link.clone()), "{} twice", item.link);
    }
});
