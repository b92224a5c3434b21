//! RSS and Atom feeds to the addresses of their items.
//!
//! Parsing is left to `feed-rs` (RSS 0.x/1.0/2.0, Atom, JSON Feed); this module
//! only picks each item's page address, resolved against the feed's own address,
//! and drops items without one.

use url::Url;

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The address of the item's page, fragment removed.
    pub link: String,
    pub title: Option<String>,
}

/// The items of a feed, in the feed's order, each address once.
pub fn items(bytes: &[u8], feed_url: &Url) -> Result<Vec<Item>, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| short(&e.to_string()))?;
    let mut out: Vec<Item> = Vec::new();
    for entry in feed.entries {
        // Atom: the `alternate` link is the page; RSS: the one `<link>`
        let href = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.trim().to_string());
        let Some(link) = href.and_then(|h| page_address(feed_url, &h)) else {
            continue;
        };
        if out.iter().any(|i| i.link == link) {
            continue;
        }
        out.push(Item {
            link,
            title: entry.title.map(|t| t.content),
        });
    }
    Ok(out)
}

/// An item link as an absolute http(s) address without fragment.
fn page_address(base: &Url, href: &str) -> Option<String> {
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url.to_string())
}

/// A parser message on one line, not too long.
fn short(message: &str) -> String {
    let one: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    one.chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://kreis.example/presse/feed.xml").unwrap()
    }

    #[test]
    fn rss_items_with_relative_links() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Presse</title>
            <item><title>Eins</title><link>https://kreis.example/presse/eins</link></item>
            <item><title>Zwei</title><link>/presse/zwei#oben</link></item>
            <item><title>Ohne Link</title></item>
            <item><title>Mail</title><link>mailto:presse@kreis.example</link></item>
            <item><title>Eins wieder</title><link>https://kreis.example/presse/eins</link></item>
            </channel></rss>"#;
        let items = items(rss.as_bytes(), &base()).unwrap();
        let links: Vec<&str> = items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "https://kreis.example/presse/eins",
                "https://kreis.example/presse/zwei"
            ]
        );
        assert_eq!(items[0].title.as_deref(), Some("Eins"));
    }

    #[test]
    fn atom_alternate_link_is_the_page() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Presse</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
            <entry><title>Drei</title><id>urn:3</id><updated>2024-01-02T00:00:00Z</updated>
              <link rel="enclosure" href="https://kreis.example/drei.pdf"/>
              <link rel="alternate" href="https://kreis.example/presse/drei"/></entry>
            </feed>"#;
        let items = items(atom.as_bytes(), &base()).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].link, "https://kreis.example/presse/drei");
    }

    #[test]
    fn a_web_page_is_no_feed() {
        let e = items(b"<html><body><p>Presse</p></body></html>", &base()).unwrap_err();
        assert!(!e.contains('\n'), "{e}");
    }
}
