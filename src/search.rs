//! Search: the full-text index of the entry pages, built in-process with Pagefind.
//!
//! Render marks what is indexed (`data-pagefind-body` on the entry article) and the
//! filters (`data-pagefind-filter` for topic, Land and year); this module only feeds
//! the finished entry pages to Pagefind and returns the files of its bundle (index,
//! fragments, stemming WebAssembly, `pagefind.js`). Writing them is left to `write`.
//! The language comes from the page's `<html lang>`; `force_language` makes it
//! explicit, so German stemming does not depend on the template.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// The folder of the search bundle in the output.
pub const DIR: &str = "pagefind";

/// One page to index: its path in the output (`praxis/slug/index.html`) and its HTML.
pub struct Page {
    pub path: String,
    pub html: String,
}

/// One file of the search bundle, relative to [`DIR`].
#[derive(Debug)]
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Indexes `pages` and returns the bundle. `pages` is pulled one page at a time, so
/// callers can read pages back from disk instead of holding the site in memory.
pub fn index<I>(pages: I, language: &str) -> Result<Vec<BundleFile>, String>
where
    I: IntoIterator<Item = Result<Page, String>>,
{
    // A runtime of its own: Pagefind's API is async, the rest of the build is not.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .keep_index_url(false)
            .build();
        let mut idx = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for page in pages {
            let page = page?;
            idx.add_html_file(Some(page.path.clone()), None, page.html)
                .await
                .map_err(|e| format!("cannot index {}: {e}", page.path))?;
        }
        let files = idx.get_files().await.map_err(|e| e.to_string())?;
        Ok(files
            .into_iter()
            .map(|f| BundleFile {
                path: f.filename.to_string_lossy().replace('\\', "/"),
                bytes: f.contents,
            })
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, body: &str) -> Result<Page, String> {
        Ok(Page {
            path: path.into(),
            html: format!(
                "<!DOCTYPE html><html lang=\"de\"><body><nav>Menü</nav>\
                 <article data-pagefind-body><h1>Titel</h1><p>{body}</p>\
                 <span data-pagefind-filter=\"year\">2022</span></article></body></html>"
            ),
        })
    }

    #[test]
    fn bundle_has_german_stemming_and_entry_fragments() {
        let files = index(
            vec![
                page(
                    "praxis/a/index.html",
                    "Die Verwaltungen tauschen Arbeitsplätze.",
                ),
                page(
                    "praxis/b/index.html",
                    "Eine elektronische Akte für alle Ämter.",
                ),
            ],
            "de",
        )
        .expect("indexing two small pages succeeds");
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind-entry.json"));
        assert!(names.contains(&"wasm.de.pagefind"), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_fragment")));
        assert!(names.iter().any(|n| n.ends_with(".pf_filter")));
        let entry = files
            .iter()
            .find(|f| f.path == "pagefind-entry.json")
            .map(|f| String::from_utf8_lossy(&f.bytes).to_string())
            .unwrap_or_default();
        assert!(entry.contains("\"de\""), "{entry}");
    }

    #[test]
    fn a_page_that_cannot_be_read_fails_the_index() {
        let err = index(
            vec![Err("cannot read praxis/x/index.html".to_string())],
            "de",
        )
        .expect_err("the error is passed on");
        assert!(err.contains("praxis/x"));
    }
}
