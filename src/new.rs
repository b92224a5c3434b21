//! `praxis new`: a skeleton entry for an editor to fill in, written as a draft.

use std::path::Path;

use crate::config::Config;
use crate::{
    EXIT_CONTENT, EXIT_OK, EXIT_USAGE, current_year, diag, entry, load, print_diagnostics, slug,
};

/// Writes a skeleton entry for `title` and prints its path.
pub fn run(root: &Path, title: &str) -> u8 {
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            print_diagnostics(&d);
            return EXIT_CONTENT;
        }
    };
    let slug = slug::slugify(title);
    if slug.is_empty() || title.trim().is_empty() {
        eprintln!(
            "error: the title `{title}` gives no usable file name\n  = help: use a title with letters or digits, e.g. praxis new \"Digitale Bauakte\""
        );
        return EXIT_USAGE;
    }
    let path = root.join("content").join(format!("{slug}.md"));
    if path.exists() {
        eprintln!(
            "error: {} already exists\n  = help: choose another title or edit that file",
            diag::display_path(&load::relative(root, &path))
        );
        return EXIT_USAGE;
    }
    let fm = entry::FrontMatter {
        title: title.trim().to_string(),
        year: Some(i64::from(current_year())),
        topic: vec![
            config
                .topics
                .first()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
        ],
        region: vec!["Deutschland".into()],
        organisation: vec!["Name der Organisation".into()],
        summary: Some("Ein bis zwei Sätze: was wurde gemacht, was hat es gebracht?".into()),
        draft: true,
        review: vec!["topic".into(), "region".into(), "organisation".into()],
        ..entry::FrontMatter::default()
    };
    let body =
        "Beschreiben Sie hier die Praxis: Ausgangslage, Vorgehen, Ergebnis, Ansprechpartner.";
    let text = entry::to_file_text(&fm, body);
    if let Err(e) =
        std::fs::create_dir_all(root.join("content")).and_then(|()| std::fs::write(&path, text))
    {
        eprintln!("error: cannot write {}: {e}", path.display());
        return EXIT_USAGE;
    }
    println!("{}", diag::display_path(&load::relative(root, &path)));
    EXIT_OK
}
