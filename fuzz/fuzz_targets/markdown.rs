//! Any text as an entry body: rendering never panics and the HTML never carries
//! script elements, event handlers, frames or script URLs.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use praxis::markdown::{self, LinkContext};

#[path = "../../tests/it/safety.rs"]
#[allow(dead_code)]
mod safety;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let ctx = LinkContext {
        path: Path::new("content/2021/a.md"),
        body_line: 5,
        body: &body,
        root: "../../",
        index: "index.html",
    };
    let urls = |p: &Path| (p == Path::new("content/b.md")).then(|| "praxis/b/".to_string());
    let drafts = |p: &Path| p == Path::new("content/d.md");
    let out = markdown::render(&ctx, &urls, &drafts);
    let found = safety::unsafe_markup(&out.html, &safety::no_script);
    assert!(found.is_empty(), "unsafe output {found:?}\nfrom {body:?}\n{}", out.html);
    for d in &out.diagnostics {
        let _ = d.to_string();
    }
    let clean = markdown::sanitise(&body);
    let found = safety::unsafe_markup(&clean, &safety::no_script);
    assert!(found.is_empty(), "unsafe sanitised {found:?}\nfrom {body:?}\n{clean}");
    let _ = markdown::plain_text(&out.html);
    let _ = markdown::first_paragraph(&out.html);
});
