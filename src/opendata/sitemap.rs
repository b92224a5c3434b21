//! `sitemap.xml` and `robots.txt`.
//!
//! The sitemap protocol requires absolute URLs, so without a base URL no sitemap is
//! written and robots.txt names none. Above 50,000 URLs (the protocol's limit per
//! file) `sitemap.xml` becomes a sitemap index over `sitemap-1.xml`, `sitemap-2.xml`, …

use std::collections::HashMap;

use super::entry_day;
use super::xml::Writer;
use crate::catalogue::Catalogue;
use crate::render::views::entry_path;

pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// URLs per sitemap file, the protocol's maximum.
pub const MAX_URLS: usize = 50_000;

/// The sitemap file(s) and robots.txt. `pages` are output paths of HTML pages
/// ("praxis/x/index.html"); the 404 page is left out.
pub fn files(cat: &Catalogue, base_url: Option<&str>, pages: &[String]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(base) = base_url {
        out.extend(sitemaps(cat, base, pages, MAX_URLS));
    }
    out.push(("robots.txt".to_string(), robots_txt(base_url)));
    out
}

/// robots.txt: everything may be crawled; the sitemap is named when it exists.
pub fn robots_txt(base_url: Option<&str>) -> Vec<u8> {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = base_url {
        s.push_str(&format!("\nSitemap: {base}sitemap.xml\n"));
    }
    s.into_bytes()
}

/// The URL of an output page: directories end in `/`, not `index.html`.
fn page_url(base: &str, page: &str) -> String {
    let path = page.strip_suffix("index.html").unwrap_or(page);
    format!("{base}{path}")
}

/// The sitemap files for `pages`, at most `max` URLs per file.
pub fn sitemaps(
    cat: &Catalogue,
    base: &str,
    pages: &[String],
    max: usize,
) -> Vec<(String, Vec<u8>)> {
    let max = max.max(1);
    // lastmod is known for entry pages: the entry's date
    let lastmod: HashMap<String, String> = cat
        .entries
        .iter()
        .filter(|e| e.date.is_some())
        .map(|e| (format!("{}index.html", entry_path(&e.slug)), entry_day(e)))
        .collect();
    let mut pages: Vec<&String> = pages.iter().filter(|p| *p != "404.html").collect();
    pages.sort();
    pages.dedup();
    let chunks: Vec<&[&String]> = pages.chunks(max).collect();
    let urlset = |chunk: &[&String]| {
        let mut w = Writer::new();
        w.open("urlset", &[("xmlns", SITEMAP_NS)]);
        for p in chunk {
            w.open("url", &[]);
            w.text("loc", &[], &page_url(base, p));
            if let Some(d) = lastmod.get(p.as_str()) {
                w.text("lastmod", &[], d);
            }
            w.close();
        }
        w.finish()
    };
    if chunks.len() <= 1 {
        return vec![(
            "sitemap.xml".to_string(),
            urlset(chunks.first().copied().unwrap_or(&[])),
        )];
    }
    let mut out = Vec::new();
    let mut index = Writer::new();
    index.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    for (n, chunk) in chunks.iter().enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.open("sitemap", &[]);
        index.text("loc", &[], &format!("{base}{name}"));
        index.close();
        out.push((name, urlset(chunk)));
    }
    out.insert(0, ("sitemap.xml".to_string(), index.finish()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Catalogue {
        Catalogue {
            entries: Vec::new(),
            topics: Vec::new(),
            regions: Default::default(),
            years: Default::default(),
            organisations: Default::default(),
            by_path: Default::default(),
            drafts: Vec::new(),
        }
    }

    #[test]
    fn above_the_limit_the_sitemap_becomes_an_index() {
        let pages: Vec<String> = (0..5).map(|i| format!("p{i}/index.html")).collect();
        let files = sitemaps(&empty(), "https://x.de/", &pages, 2);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://x.de/sitemap-3.xml</loc>"));
        let last = String::from_utf8(files[3].1.clone()).unwrap();
        assert_eq!(last.matches("<url>").count(), 1);
        assert!(last.contains("<loc>https://x.de/p4/</loc>"));
        // at the limit it stays one file
        assert_eq!(sitemaps(&empty(), "https://x.de/", &pages[..2], 2).len(), 1);
    }
}
