//! A theme: Tera templates, UI strings and static files. A site's own `templates/`
//! and `static/` beside site.toml win over the theme's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::Tera;

use super::partials::Partials;
use crate::config::Config;
use crate::diag::Diagnostic;

/// Templates every theme must have.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "entry.html",
    "card.html",
    "list.html",
    "terms.html",
    "regions.html",
    "search.html",
    "page.html",
    "404.html",
];

/// A loaded theme.
pub struct Theme {
    pub tera: Tera,
    /// Template name → file it came from (for messages).
    pub files: BTreeMap<String, PathBuf>,
    /// UI strings of the site's language.
    pub strings: BTreeMap<String, String>,
    /// Folders whose files are copied to the output, later ones win.
    pub static_dirs: Vec<PathBuf>,
    pub dir: PathBuf,
    /// A hash of every template's source and the UI strings: what all pages share.
    pub print: u64,
    /// Template name → the fields of `site` it and the templates it extends,
    /// includes or imports read; None when one of them uses `site` otherwise
    /// (passes it on, indexes it) or is not found. Serve's page fingerprints hash
    /// only these fields, so adding an entry (which changes the counts in `site`)
    /// does not re-render pages that show none of them.
    pub site_fields: BTreeMap<String, Option<BTreeSet<String>>>,
    /// What the templates' `partial(…)` calls rendered during the current build.
    pub partials: Partials,
}

impl Theme {
    /// Loads `themes/<name>/` and the site's overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(&config.theme);
        if !dir.is_dir() {
            let available = list_themes(root);
            let hint = if available.is_empty() {
                "the themes/ folder has no themes; restore themes/default from the repository"
                    .to_string()
            } else {
                format!("set theme in site.toml to one of: {}", available.join(", "))
            };
            return Err(vec![
                Diagnostic::error(
                    root.join(crate::config::FILE_NAME),
                    format!(
                        "theme `{}` does not exist (no folder themes/{})",
                        config.theme, config.theme
                    ),
                )
                .hint(hint),
            ]);
        }
        let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
        for base in [dir.join("templates"), root.join("templates")] {
            collect_templates(&base, &base, &mut files);
        }
        let mut diags = Vec::new();
        let mut sources = Vec::new();
        for (name, path) in &files {
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(e) => diags.push(Diagnostic::error(
                    crate::load::relative(root, path),
                    format!("cannot read template: {e}"),
                )),
            }
        }
        for name in REQUIRED {
            if !files.contains_key(*name) {
                diags.push(
                    Diagnostic::error(
                        crate::load::relative(root, &dir.join("templates")),
                        format!("the theme has no template `{name}`"),
                    )
                    .hint("every theme needs: ".to_string() + &REQUIRED.join(", ")),
                );
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let partials = Partials::default();
        tera.register_function(super::partials::FUNCTION, partials.function());
        if let Err(e) = tera.add_raw_templates(sources.clone()) {
            diags.push(template_diagnostic(&e, &files, root, &sources));
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let strings = load_strings(&dir, &config.language, root)?;
        let print = theme_print(&sources, &strings);
        let site_fields = site_fields(&sources);
        partials.set_templates(tera.clone());
        Ok(Theme {
            tera,
            partials,
            files,
            strings,
            print,
            site_fields,
            static_dirs: vec![dir.join("static"), root.join("static")],
            dir,
        })
    }
}

/// What each template reads of `site`, see [`Theme::site_fields`].
fn site_fields(sources: &[(String, String)]) -> BTreeMap<String, Option<BTreeSet<String>>> {
    let own: BTreeMap<&str, (Option<BTreeSet<String>>, Vec<String>)> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), template_site_use(text)))
        .collect();
    own.keys()
        .map(|name| {
            let mut fields = Some(BTreeSet::new());
            let mut seen = BTreeSet::new();
            let mut todo = vec![name.to_string()];
            while let Some(t) = todo.pop() {
                if !seen.insert(t.clone()) {
                    continue;
                }
                match own.get(t.as_str()) {
                    Some((Some(f), deps)) => {
                        if let Some(all) = &mut fields {
                            all.extend(f.iter().cloned());
                        }
                        todo.extend(deps.iter().cloned());
                    }
                    _ => fields = None,
                }
            }
            (name.to_string(), fields)
        })
        .collect()
}

/// The `site.<field>` names one template's tags read (None when `site` is used in
/// any other way) and the templates it names in `extends`, `include` or `import`.
fn template_site_use(text: &str) -> (Option<BTreeSet<String>>, Vec<String>) {
    let mut fields = Some(BTreeSet::new());
    let mut deps = Vec::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let end = after.find(close).unwrap_or(after.len());
        let tag = &after[1..end];
        rest = after.get(end + close.len()..).unwrap_or("");
        if close == "#}" {
            continue;
        }
        // the whole context, `site` included
        if tag.contains("__tera_context") {
            fields = None;
        }
        let words = tag.trim_start_matches('-').trim_start();
        if ["extends", "include", "import"]
            .iter()
            .any(|k| words.starts_with(k))
        {
            deps.extend(tag.split('"').skip(1).step_by(2).map(str::to_string));
        }
        // partial(name="x.html", …) renders x.html with `site`
        for (at, _) in tag.match_indices("partial(") {
            if tag[..at].chars().next_back().is_some_and(ident) {
                continue;
            }
            let call = &tag[at..];
            let call = &call[..call.find(')').unwrap_or(call.len())];
            let named = call.split_once("name").and_then(|(_, rest)| {
                let rest = rest.trim_start().strip_prefix('=')?.trim_start();
                let quote = rest.chars().next().filter(|c| "\"'`".contains(*c))?;
                rest[1..].split(quote).next().map(str::to_string)
            });
            match named {
                Some(name) => deps.push(name),
                None => fields = None,
            }
        }
        for (at, _) in tag.match_indices("site") {
            let before = tag[..at].chars().next_back();
            let next = tag[at + 4..].chars().next();
            if before.is_some_and(|c| ident(c) || c == '.') || next.is_some_and(ident) {
                continue;
            }
            let field: String = if next == Some('.') {
                tag[at + 5..].chars().take_while(|&c| ident(c)).collect()
            } else {
                String::new()
            };
            match (&mut fields, field.is_empty()) {
                (Some(f), false) => {
                    f.insert(field);
                }
                _ => fields = None,
            }
        }
    }
    (fields, deps)
}

fn theme_print(sources: &[(String, String)], strings: &BTreeMap<String, String>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    sources.hash(&mut h);
    strings.hash(&mut h);
    h.finish()
}

/// Escapes what HTML needs escaped; unlike Tera's default it leaves `/` alone so
/// URLs stay readable.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    let mut rest = input;
    // copy the runs between special characters whole: most text has none
    while let Some(pos) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&rest[..pos]);
        out.push_str(match rest.as_bytes()[pos] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[pos + 1..];
    }
    out.push_str(rest);
    out
}

fn list_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("templates").is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

fn collect_templates(base: &Path, dir: &Path, files: &mut BTreeMap<String, PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut items: Vec<_> = read.flatten().collect();
    items.sort_by_key(|e| e.file_name());
    for item in items {
        let path = item.path();
        let Ok(kind) = item.file_type() else { continue };
        if kind.is_dir() {
            collect_templates(base, &path, files);
        } else if kind.is_file() {
            let name = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") {
                files.insert(name, path);
            }
        }
    }
}

/// The UI strings of a language: `themes/<name>/i18n/<lang>.toml`, flat keys.
fn load_strings(
    dir: &Path,
    language: &str,
    root: &Path,
) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let path = dir.join("i18n").join(format!("{language}.toml"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(BTreeMap::new());
    };
    let rel = crate::load::relative(root, &path);
    toml::from_str::<BTreeMap<String, String>>(&text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![crate::config::toml_error(&rel, &text, offset, e.message())]
    })
}

/// Tera's message names the template; the detail is in its source chain.
pub fn template_diagnostic(
    e: &tera::Error,
    files: &BTreeMap<String, PathBuf>,
    root: &Path,
    sources: &[(String, String)],
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let text = chain.join(": ");
    // "Failed to parse 'name'" / "Failed to render 'name'"
    let name = text
        .split('\'')
        .nth(1)
        .filter(|n| files.contains_key(*n))
        .map(str::to_string);
    let path = name
        .as_ref()
        .and_then(|n| files.get(n))
        .map(|p| crate::load::relative(root, p))
        .unwrap_or_else(|| PathBuf::from("templates"));
    // Tera's parse errors end in "= expected ..."; that part is what to fix.
    let detail = text
        .rsplit("= ")
        .next()
        .filter(|_| text.contains("--> "))
        .map_or_else(|| squash(&text), squash);
    let mut d = Diagnostic::error(
        &path,
        format!(
            "template error in {}: {detail}",
            name.as_deref().unwrap_or("a template")
        ),
    )
    .hint("fix the template, or delete the site's copy in templates/ to use the theme's");
    // Render errors about a missing variable carry no position: point at the first
    // use of the variable in the template that failed.
    if let Some(var) = text
        .split("Variable `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
    {
        d.message = format!(
            "template error in {}: the variable `{var}` does not exist here",
            name.as_deref().unwrap_or("a template")
        );
        d.hint = Some(format!(
            "check the spelling of `{var}`, or test for it first: {{% if {var} %}}…{{% endif %}}"
        ));
        if let Some((_, src)) = sources.iter().find(|(n, _)| Some(n) == name.as_ref())
            && let Some(offset) = src.find(var)
        {
            d = d.at_offset(src, offset);
        }
    }
    // Parse errors carry " --> line:col"
    if let Some(pos) = text.find("--> ") {
        let nums: Vec<usize> = text[pos + 4..]
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .take(2)
            .filter_map(|s| s.parse().ok())
            .collect();
        if let (Some(&l), Some(&c)) = (nums.first(), nums.get(1))
            && let Some((_, src)) = sources.iter().find(|(n, _)| Some(n) == name.as_ref())
        {
            d = d.at(src, l, c);
        }
    }
    d
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[&str]) -> Option<BTreeSet<String>> {
        Some(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn site_fields_follow_tags_and_the_templates_they_name() {
        let (own, deps) = template_site_use(
            r#"{% extends "base.html" %}<div class="site-header">website {{ site.title }}</div>
{% if site.publisher.name %}{{ x.site }}{% endif %}{# site #}{% include "a.html" %}"#,
        );
        assert_eq!(own, fields(&["publisher", "title"]));
        assert_eq!(deps, ["base.html", "a.html"]);
        // `site` passed on or read as a whole: every field may matter
        assert_eq!(template_site_use("{{ m::x(s=site) }}").0, None);
        assert_eq!(template_site_use("{{ __tera_context }}").0, None);
        // a partial reads `site` for its caller
        assert_eq!(
            template_site_use(r#"{{ partial(name = "p/h.html", k=page.kind) }}"#).1,
            ["p/h.html"]
        );
        assert_eq!(template_site_use("{{ partial(name=n) }}").0, None);
        let sources = [
            ("base.html".to_string(), "{{ site.title }}".to_string()),
            (
                "entry.html".to_string(),
                r#"{% extends "base.html" %}{{ site.language }}{{ partial(name="p.html") }}"#
                    .to_string(),
            ),
            ("p.html".to_string(), "{{ site.publisher.url }}".to_string()),
            (
                "index.html".to_string(),
                r#"{% extends "base.html" %}{% include "gone.html" %}"#.to_string(),
            ),
        ];
        let all = site_fields(&sources);
        assert_eq!(
            all["entry.html"],
            fields(&["language", "publisher", "title"])
        );
        assert_eq!(all["base.html"], fields(&["title"]));
        // a template that is not there could read anything
        assert_eq!(all["index.html"], None);
    }
}
