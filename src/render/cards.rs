//! Entry cards: the markup of every entry's card, rendered once from `card.html` and
//! reused on every list page and under every entry that shows it as related.
//!
//! Each card appears on a dozen pages or more; calling a Tera macro there rendered it
//! a dozen times and copied its values into each page's context, which was most of a
//! build's time. A card is the same on every page but for `root`, the prefix that
//! leads from the page up to the site root. With a base URL that prefix is the same
//! everywhere. Without one, the card is rendered with a marker for `root`, and a page
//! puts in its own prefix when it takes the card.

use rayon::prelude::*;
use serde_json::Value;
use tera::{Context, Tera};

use super::pool::{ContextPool, insert_value};
use super::views::Card;

/// Template every entry's card is rendered with.
pub const TEMPLATE: &str = "card.html";

/// Stands for `root` in cards rendered without a base URL. NUL never occurs in
/// valid HTML, and card values are cleared of it before rendering.
const ROOT_MARKER: char = '\0';

/// Renders the markup of `cards` (in parallel). `root` is the base URL when there
/// is one; without it the markup holds the marker, see [`for_page`].
pub(crate) fn render(
    tera: &Tera,
    strings: &impl serde::Serialize,
    cards: &[&Card],
    root: Option<&str>,
    index: &str,
) -> tera::Result<Vec<String>> {
    let marker = ROOT_MARKER.to_string();
    let mut prototype = Context::new();
    prototype.insert("root", root.unwrap_or(&marker));
    prototype.insert("index", index);
    let pool = ContextPool::with_prototype(prototype, strings);
    cards
        .par_iter()
        .map(|card| {
            let mut page = Context::new();
            let mut value = serde_json::to_value(card).unwrap_or(Value::Null);
            clear_marker(&mut value);
            insert_value(&mut page, "e", value);
            // kept for the whole build: an exact-size copy, not the grown buffer
            pool.render(tera, TEMPLATE, page)
                .map(|html| html.as_str().to_owned())
        })
        .collect()
}

/// Card markup as shown on a page whose links start with `root`, ready to insert as
/// a JSON array of strings. `marked`: the markup was rendered without a base URL.
pub(crate) fn for_page<'h>(html: impl Iterator<Item = &'h str>, marked: bool, root: &str) -> Value {
    Value::Array(
        html.map(|html| {
            Value::String(if marked {
                with_root(html, root)
            } else {
                html.to_string()
            })
        })
        .collect(),
    )
}

/// `html` with every marker replaced by `root`.
fn with_root(html: &str, root: &str) -> String {
    // a card has a handful of links; one allocation of about the right size
    let mut out = String::with_capacity(html.len() + 8 * root.len());
    let mut start = 0;
    // the marker is one ASCII byte, so the pieces between are whole characters
    for at in memchr::memchr_iter(ROOT_MARKER as u8, html.as_bytes()) {
        out.push_str(&html[start..at]);
        out.push_str(root);
        start = at + 1;
    }
    out.push_str(&html[start..]);
    out
}

/// Replaces the marker in a card's strings: NUL is not allowed in HTML text, and
/// browsers show it as U+FFFD anyway.
fn clear_marker(value: &mut Value) {
    match value {
        Value::String(s) if s.contains(ROOT_MARKER) => {
            *s = s.replace(ROOT_MARKER, "\u{FFFD}");
        }
        Value::Array(items) => items.iter_mut().for_each(clear_marker),
        Value::Object(map) => map.values_mut().for_each(clear_marker),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(card: &str) -> Tera {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(super::super::theme::escape_html);
        tera.add_raw_template(TEMPLATE, card).unwrap();
        tera
    }

    fn card(title: &str) -> Card {
        Card {
            slug: "a".into(),
            path: "praxis/a/".into(),
            title: title.into(),
            year: 2024,
            date: None,
            summary: String::new(),
            topics: Vec::new(),
            regions: Vec::new(),
            lands: Vec::new(),
            organisations: Vec::new(),
            under_review: false,
        }
    }

    #[test]
    fn each_page_gets_its_own_root() {
        let tera = tera(r#"<a href="{{ root }}{{ e.path }}{{ index }}">{{ e.title }}</a>"#);
        let strings = std::collections::BTreeMap::<String, String>::new();
        let cards = render(&tera, &strings, &[&card("A & B")], None, "index.html").unwrap();
        assert_eq!(
            for_page(cards.iter().map(String::as_str), true, "../../"),
            serde_json::json!([r#"<a href="../../praxis/a/index.html">A &amp; B</a>"#])
        );
        assert_eq!(
            for_page(cards.iter().map(String::as_str), true, ""),
            serde_json::json!([r#"<a href="praxis/a/index.html">A &amp; B</a>"#])
        );
    }

    #[test]
    fn a_title_holding_the_marker_does_not_take_the_root() {
        let tera = tera("{{ root }}|{{ e.title }}");
        let strings = std::collections::BTreeMap::<String, String>::new();
        let cards = render(&tera, &strings, &[&card("a\0b")], None, "").unwrap();
        assert_eq!(
            for_page(cards.iter().map(String::as_str), true, "../"),
            serde_json::json!(["../|a\u{FFFD}b"])
        );
    }

    #[test]
    fn with_a_base_url_cards_are_used_as_rendered() {
        let tera = tera("{{ root }}{{ e.path }}");
        let strings = std::collections::BTreeMap::<String, String>::new();
        let cards = render(&tera, &strings, &[&card("a")], Some("https://x.de/"), "").unwrap();
        assert_eq!(
            for_page(cards.iter().map(String::as_str), false, "https://x.de/"),
            serde_json::json!(["https://x.de/praxis/a/"])
        );
    }
}
