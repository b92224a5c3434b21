//! `praxis import --url/--feed`: web pages and feed items become seeds.
//!
//! Each page is fetched once ([`client`] keeps the manners), its bytes written
//! unchanged to `seeds/` under a name made from its address, and recorded in the
//! [`ledger`] with address, date, hash and the feed it came from. The import then
//! reads these seeds like any other; [`Origins`] tells it each seed's address, and
//! which came from a feed (those become drafts).
//!
//! A page in the ledger is never fetched again, even when its feed item changed
//! or an editor renamed or deleted its seed: the seed is the reviewed source, and
//! an editor's deletion is a decision. Feeds are asked with `If-None-Match` /
//! `If-Modified-Since`; a 304 answer means no new items. Builds never fetch: a
//! build must work offline, so only `praxis import` follows the feeds.

pub mod client;
pub mod feed;
pub mod ledger;
pub mod robots;

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use client::{Client, FetchError, Want};
use ledger::{FeedRecord, Ledger, PageRecord};

use crate::config::{Config, FeedSource};
use crate::diag::Diagnostic;
use crate::entry::{FrontMatter, Source};

/// The longest seed name made from an address, extension excluded.
const MAX_NAME: usize = 100;

/// What to fetch.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub urls: Vec<String>,
    pub feeds: Vec<FeedSource>,
    /// A progress bar on a terminal.
    pub progress: bool,
}

/// What a fetch run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Seeds written.
    pub fetched: Vec<PathBuf>,
    /// Addresses skipped because the ledger has them.
    pub known: usize,
    /// Feeds that answered "not modified".
    pub feeds_unchanged: usize,
    /// One per failed address.
    pub diagnostics: Vec<Diagnostic>,
}

/// The User-Agent: praxis, its version and the site it fetches for.
pub fn user_agent(config: &Config) -> String {
    let site = match &config.base_url {
        Some(url) => url.clone(),
        None => crate::slug::slugify(&config.title),
    };
    format!("praxis/{} (+{site})", env!("CARGO_PKG_VERSION"))
}

/// Fetches the pages and feeds of `opts` into `seeds`. Failures are diagnostics
/// and the run goes on; every page fetched is in the ledger before the next starts.
pub fn run(seeds: &Path, config: &Config, opts: &Options) -> Report {
    let mut report = Report::default();
    if let Err(e) = std::fs::create_dir_all(seeds) {
        report.diagnostics.push(Diagnostic::error(
            seeds,
            format!("cannot create the seeds folder: {e}"),
        ));
        return report;
    }
    let mut ledger = match Ledger::load(seeds) {
        Ok(l) => l,
        Err(d) => {
            // fetching without the ledger would fetch known pages again
            report.diagnostics.push(d);
            return report;
        }
    };
    if ledger.any_missing(seeds) && ledger.follow_renames(seeds, &seed_hashes(seeds)) {
        save(&ledger, seeds, &mut report);
    }
    let mut client = Client::new(&config.import, &user_agent(config));
    let bar = Progress::new(opts.progress, (opts.urls.len() + opts.feeds.len()) as u64);
    for url in &opts.urls {
        bar.show(url);
        fetch_page(&mut client, seeds, &mut ledger, url, None, &mut report);
        bar.tick();
    }
    for source in &opts.feeds {
        bar.show(&source.url);
        follow_feed(&mut client, seeds, &mut ledger, source, &bar, &mut report);
        bar.tick();
    }
    bar.finish();
    report
}

/// Fetches one page unless the ledger has it; `feed` is the feed it is an item of.
fn fetch_page(
    client: &mut Client,
    seeds: &Path,
    ledger: &mut Ledger,
    url: &str,
    feed: Option<&FeedSource>,
    report: &mut Report,
) {
    let url = url.trim();
    let normal = client::parse_web(url).map(|u| u.to_string());
    if let Some(known) = ledger
        .page(url)
        .or_else(|| normal.as_ref().ok().and_then(|n| ledger.page(n)))
    {
        // an explicitly asked page whose seed is gone under every name is fetched
        // anew; a feed item an editor deleted stays deleted
        if feed.is_some() || seeds.join(&known.file).exists() {
            report.known += 1;
            return;
        }
    }
    let answer = match client.get(url, Want::Page, (None, None)) {
        Ok(a) => a,
        Err(e) => {
            report.diagnostics.push(failure(url, &e));
            return;
        }
    };
    let url = normal.unwrap_or_else(|_| url.to_string());
    let final_url = answer.url.to_string();
    let hash = crate::import::write::hash(&answer.bytes);
    let file = free_name(
        seeds,
        &seed_name(&answer.url),
        answer.kind.extension(),
        &hash,
    );
    let path = seeds.join(&file);
    if !path.exists()
        && let Err(e) = write_new(&path, &answer.bytes)
    {
        report.diagnostics.push(Diagnostic::error(
            &path,
            format!("cannot write the fetched page: {e}"),
        ));
        return;
    }
    ledger.pages.retain(|p| p.url != url);
    ledger.pages.push(PageRecord {
        final_url: (final_url != url).then_some(final_url),
        url,
        file,
        fetched: ledger::now(),
        hash,
        feed: feed.map(|f| f.url.clone()),
        feed_name: feed.and_then(|f| f.name.clone()),
    });
    save(ledger, seeds, report);
    report.fetched.push(path);
}

/// Reads a feed and fetches its new items.
fn follow_feed(
    client: &mut Client,
    seeds: &Path,
    ledger: &mut Ledger,
    source: &FeedSource,
    bar: &Progress,
    report: &mut Report,
) {
    let url = source.url.trim();
    let previous = ledger.feed(url).cloned();
    let validators = previous.as_ref().map_or((None, None), |p| {
        (p.etag.as_deref(), p.last_modified.as_deref())
    });
    let answer = match client.get(url, Want::Feed, validators) {
        Ok(a) => a,
        Err(e) => {
            report.diagnostics.push(failure(url, &e));
            return;
        }
    };
    if answer.not_modified {
        report.feeds_unchanged += 1;
        return;
    }
    let items = match feed::items(&answer.bytes, &answer.url) {
        Ok(items) => items,
        Err(e) => {
            report.diagnostics.push(Diagnostic::error(
                url,
                format!("not a valid RSS or Atom feed: {e}"),
            ));
            return;
        }
    };
    let new: Vec<&feed::Item> = items
        .iter()
        .filter(|i| ledger.page(&i.link).is_none())
        .collect();
    report.known += items.len() - new.len();
    bar.grow(new.len() as u64);
    for item in new {
        bar.show(&item.link);
        fetch_page(client, seeds, ledger, &item.link, Some(source), report);
        bar.tick();
    }
    ledger.set_feed(FeedRecord {
        url: url.to_string(),
        checked: ledger::now(),
        etag: answer.etag,
        last_modified: answer.last_modified,
    });
    save(ledger, seeds, report);
}

fn failure(url: &str, e: &FetchError) -> Diagnostic {
    Diagnostic::error(url, e.to_string())
}

fn save(ledger: &Ledger, seeds: &Path, report: &mut Report) {
    if let Err(d) = ledger.save(seeds) {
        report.diagnostics.push(d);
    }
}

/// Writes a file that must not exist yet (another seed is never overwritten).
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)
}

/// A readable seed name for an address: host without `www.`, then the path and
/// query as a slug. `https://www.kreis.example/presse/2024/bauakte.php?id=7` gives
/// `kreis.example_presse-2024-bauakte-php-id-7`.
pub fn seed_name(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("page").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut rest = url.path().to_string();
    if let Some(q) = url.query() {
        rest.push('-');
        rest.push_str(q);
    }
    let decoded = percent_decode(&rest);
    let slug = crate::slug::slugify(&decoded);
    let mut name = if slug.is_empty() {
        host
    } else {
        format!("{host}_{slug}")
    };
    if name.len() > MAX_NAME {
        let mut cut = MAX_NAME;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
        let trimmed = name.trim_end_matches('-').len();
        name.truncate(trimmed);
    }
    name
}

/// `name.ext` or, when another file has that name, `name-2.ext` and so on; a file
/// with the same bytes is taken as this page's own.
fn free_name(seeds: &Path, name: &str, ext: &str, hash: &str) -> String {
    let mut n = 1;
    loop {
        let file = if n == 1 {
            format!("{name}.{ext}")
        } else {
            format!("{name}-{n}.{ext}")
        };
        match std::fs::read(seeds.join(&file)) {
            Err(_) => return file,
            Ok(bytes) if crate::import::write::hash(&bytes) == hash => return file,
            Ok(_) => n += 1,
        }
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The hash of every seed file in the folder and below it, each to its path
/// relative to the folder (an editor may rename a seed or move it into a subfolder).
fn seed_hashes(seeds: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(seeds)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            let rel = e.path().strip_prefix(seeds).ok()?;
            Some((
                crate::import::write::hash(&bytes),
                rel.to_string_lossy().replace('\\', "/"),
            ))
        })
        .collect()
}

/// Where a seed came from, as the import needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub url: String,
    /// The feed (its name, else its address) when the page was a feed item.
    pub feed: Option<String>,
}

/// The origins of the fetched seeds of a folder, by seed path and by hash (a
/// renamed seed is still known by its bytes).
#[derive(Debug, Default)]
pub struct Origins {
    by_file: BTreeMap<String, Origin>,
    by_hash: BTreeMap<String, Origin>,
}

impl Origins {
    /// Reads the ledger of `seeds`; `root` is what the import's seed paths are
    /// relative to. A broken ledger is a warning and no origins.
    pub fn load(root: &Path, seeds: &Path) -> (Origins, Option<Diagnostic>) {
        let ledger = match Ledger::load(seeds) {
            Ok(l) => l,
            Err(mut d) => {
                d.severity = crate::diag::Severity::Warning;
                return (Origins::default(), Some(d));
            }
        };
        let mut origins = Origins::default();
        for p in ledger.pages {
            let origin = Origin {
                url: p.url,
                feed: p.feed_name.or(p.feed),
            };
            let path = seeds.join(&p.file);
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            origins.by_hash.insert(p.hash, origin.clone());
            origins.by_file.insert(rel, origin);
        }
        (origins, None)
    }

    /// The origin of the seed at `rel` with bytes hashing to `hash`.
    pub fn get(&self, rel: &str, hash: &str) -> Option<&Origin> {
        self.by_file.get(rel).or_else(|| self.by_hash.get(hash))
    }

    pub fn is_empty(&self) -> bool {
        self.by_file.is_empty()
    }
}

/// Puts a seed's origin into an entry: `[source] url`, and for a feed item the
/// draft flag with a note saying where it came from.
pub fn apply(origin: &Origin, fm: &mut FrontMatter) {
    fm.source.get_or_insert_with(Source::default).url = Some(origin.url.clone());
    if let Some(feed) = &origin.feed {
        fm.draft = true;
        let note = format!(
            "Entwurf aus dem Feed „{feed}“: automatisch übernommen, bitte prüfen und dann `draft = true` entfernen."
        );
        fm.note = Some(match fm.note.take() {
            Some(n) if !n.is_empty() => format!("{note} {n}"),
            _ => note,
        });
    }
}

/// The fetch progress bar: on a terminal only, after a second, one step per
/// address, the address being fetched beside it.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl Progress {
    fn new(enabled: bool, len: u64) -> Progress {
        let on = enabled && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = on.then(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} fetched {wide_msg}")
            {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
        }
    }

    fn show(&self, url: &str) {
        if let Some(b) = &self.bar {
            if b.is_hidden() && self.started.elapsed() > std::time::Duration::from_secs(1) {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            b.set_message(url.to_string());
        }
    }

    fn grow(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc_length(n);
        }
    }

    fn tick(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// The feeds a plain `praxis import` follows, with those given on the command line.
pub fn feeds(config: &Config, given: &[String], offline: bool) -> Vec<FeedSource> {
    let mut seen = BTreeSet::new();
    let configured = if offline {
        &[][..]
    } else {
        &config.import.feeds[..]
    };
    given
        .iter()
        .map(|url| FeedSource {
            url: url.clone(),
            name: None,
        })
        .chain(configured.iter().cloned())
        .filter(|f| seen.insert(f.url.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_names_are_readable() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(
            seed_name(&u("https://www.kreis.example/presse/2024/bauakte.php?id=7")),
            "kreis.example_presse-2024-bauakte-php-id-7"
        );
        assert_eq!(seed_name(&u("http://kreis.example/")), "kreis.example");
        assert_eq!(
            seed_name(&u("https://stadt.example/b%C3%BCrger/m%C3%A4ngel")),
            format!("stadt.example_{}", crate::slug::slugify("bürger/mängel"))
        );
        let long = seed_name(&u(&format!("https://a.example/{}", "x-".repeat(200))));
        assert!(long.len() <= MAX_NAME && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn a_feed_origin_makes_a_draft_with_a_note() {
        let mut fm = FrontMatter::default();
        apply(
            &Origin {
                url: "https://kreis.example/a".into(),
                feed: Some("Presse Kreis".into()),
            },
            &mut fm,
        );
        assert!(fm.draft);
        assert!(fm.note.as_deref().unwrap().contains("Presse Kreis"));
        assert_eq!(
            fm.source.unwrap().url.as_deref(),
            Some("https://kreis.example/a")
        );
    }

    #[test]
    fn feeds_given_and_configured_once_each() {
        let mut config = Config::parse(
            "title = \"K\"\n[[topic]]\nname = \"B\"\n[[import.feed]]\nurl = \"https://k.example/rss\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        let given = vec![
            "https://k.example/rss".to_string(),
            "https://s.example/atom".into(),
        ];
        assert_eq!(feeds(&config, &given, false).len(), 2);
        assert_eq!(feeds(&config, &[], true).len(), 0);
        config.import.feeds.clear();
        assert_eq!(feeds(&config, &[], false).len(), 0);
    }
}
