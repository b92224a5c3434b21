//! `praxis import`: raw texts in `seeds/` become catalogue entries in `content/`.
//!
//! Stages, each a pure function over plain data: [`read`] (a file by its format →
//! text: [`decode`] bytes, [`html`] tags, PDF, Word and OpenDocument), [`clean`] (paragraphs repaired), [`classify`]
//! (prose, headings, boilerplate), [`segment`] (items), [`meta`] (metadata with
//! evidence). Only [`run`] and [`write`] touch the disk: they keep an editor's changes
//! (see [`write`]).

pub mod classify;
pub mod clean;
pub mod decode;
pub mod evidence;
pub mod fetch;
pub mod furniture;
pub mod header;
pub mod html;
pub mod meta;
pub mod read;
pub mod segment;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::entry::{self, SourceKind};
use crate::regions::Gazetteer;
use classify::{Boiler, Class};
use decode::Encoding;
use meta::org::OrgTable;
use meta::{Context, Described, Page};
use write::{EntryState, SeedState, State};

/// The alias table of organisations, relative to the site root.
pub const ORGANISATIONS: &str = "data/organisations.toml";
/// The largest seed read. Real seeds (an article, a listing page, a PDF's text) are
/// far smaller; a bigger file is almost always a dump that belongs split up.
pub const MAX_SEED_BYTES: u64 = 16 * 1024 * 1024;
/// Seed file extensions read.
const EXTENSIONS: &[&str] = read::EXTENSIONS;

/// How to run an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder of raw texts; relative paths are taken from the site root.
    pub seeds: PathBuf,
    /// Folder of entries; relative paths are taken from the site root.
    pub content: PathBuf,
    /// Re-import everything, edited entries included, after a backup of `content`.
    pub force: bool,
    /// Import only seeds that have no entries yet (what `praxis build` does first).
    pub only_new: bool,
    /// Show a progress bar when the run takes longer than a second on a terminal.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seeds: "seeds".into(),
            content: "content".into(),
            force: false,
            only_new: false,
            progress: true,
        }
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub created: Vec<PathBuf>,
    pub updated: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Entries an editor changed; left alone.
    pub kept_edited: Vec<PathBuf>,
    /// Of the entries written, how many are drafts (not a municipal practice).
    pub drafts: usize,
    /// Items dropped as repeats of another item.
    pub duplicates: usize,
    pub seeds: usize,
    pub bytes: u64,
    /// Where `--force` put the backup.
    pub backup: Option<PathBuf>,
    /// Warnings: encodings transcoded, seeds without entries, edited entries kept.
    pub diagnostics: Vec<Diagnostic>,
}

/// The pure part of an import: seed bytes to entries.
pub struct Importer<'a> {
    ctx: Context<'a>,
}

/// The result of importing one seed.
#[derive(Debug)]
pub struct SeedResult {
    pub entries: Vec<Described>,
    pub encoding: Encoding,
    pub duplicates: usize,
    /// Why the file gave no text, if it did not (a scan, a damaged PDF).
    pub unread: Option<read::ReadError>,
}

impl<'a> Importer<'a> {
    pub fn new(config: &'a Config, orgs: &'a OrgTable, gaz: &'a Gazetteer) -> Self {
        Importer {
            ctx: Context {
                topics: &config.topics,
                places: meta::region::Places::new(gaz),
                topic_index: meta::topic::TopicIndex::new(&config.topics),
                alias_index: meta::org::AliasIndex::new(orgs),
                import_year: i64::from(crate::current_year()),
            },
        }
    }

    /// Imports one seed; `file` is its path relative to the site root, `bytes` any bytes.
    pub fn process(&self, file: &str, bytes: &[u8]) -> SeedResult {
        self.describe(prepare(file, bytes))
    }

    /// The items of a prepared seed with their metadata.
    pub fn describe(&self, seed: Prepared) -> SeedResult {
        let Prepared {
            file,
            header,
            paras,
            cls,
            items,
            encoding,
            unread,
        } = seed;
        let file = file.as_str();
        let page_year = paras
            .iter()
            .zip(&cls)
            .find(|(_, c)| **c == Class::Boiler(Boiler::PageDate))
            .and_then(|(p, _)| p.text.rsplit(' ').next().and_then(|y| y.parse().ok()));
        let page = Page {
            paras: &paras,
            cls: &cls,
            file,
            page_year,
            header: &header,
        };
        let mut entries: Vec<Described> = Vec::with_capacity(items.len());
        // the title words of `entries`, so each title is split once
        let mut titles: Vec<Vec<String>> = Vec::with_capacity(items.len());
        let mut prev_year = None;
        let mut duplicates = 0;
        for item in &items {
            let inherit = if item.kind == SourceKind::ListingItem {
                prev_year
            } else {
                None
            };
            let d = meta::describe(&self.ctx, &page, item, inherit);
            let title = words(&d.fm.title);
            if entries
                .iter()
                .zip(&titles)
                .any(|(e, t)| *t == title && same_text(e, &d))
            {
                duplicates += 1;
                continue;
            }
            if item.kind == SourceKind::ListingItem {
                prev_year = d.fm.year.or(prev_year);
            }
            entries.push(d);
            titles.push(title);
        }
        SeedResult {
            entries,
            encoding,
            duplicates,
            unread,
        }
    }
}

/// A seed through the stages that need neither gazetteer nor alias table: decoded,
/// split into paragraphs, classified and segmented into items.
pub struct Prepared {
    file: String,
    header: header::Header,
    paras: Vec<clean::Para>,
    cls: Vec<Class>,
    items: Vec<segment::Item>,
    encoding: Encoding,
    unread: Option<read::ReadError>,
}

/// Prepares one seed; `file` is its path relative to the site root, `bytes` any bytes.
pub fn prepare(file: &str, bytes: &[u8]) -> Prepared {
    let (text, encoding, unread) = match read::read(file, bytes) {
        Ok(r) => (r.text, r.encoding, None),
        Err(e) => (String::new(), Encoding::Utf8, Some(e)),
    };
    let (header, text) = header::split(&text);
    let paras = clean::paragraphs(&text);
    let cls = classify::classify(&paras);
    let items = segment::segment(&paras, &cls);
    Prepared {
        file: file.to_string(),
        header,
        paras,
        cls,
        items,
        encoding,
        unread,
    }
}

/// Words of a text without date stamps, for comparing items.
fn words(t: &str) -> Vec<String> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect()
}

/// (Nearly) the same text: with the same headline, one item posted twice.
fn same_text(a: &Described, b: &Described) -> bool {
    let (wa, wb) = (words(&a.body), words(&b.body));
    let sa: BTreeSet<&String> = wa.iter().collect();
    let sb: BTreeSet<&String> = wb.iter().collect();
    let common = sa.intersection(&sb).count() as f64;
    let f1 = if sa.is_empty() || sb.is_empty() {
        1.0
    } else {
        2.0 * common / (sa.len() + sb.len()) as f64
    };
    f1 >= 0.9
}

/// Reads the alias table; a missing file is an empty table.
pub fn load_organisations(root: &Path) -> Result<OrgTable, Diagnostic> {
    let path = root.join(ORGANISATIONS);
    match std::fs::read_to_string(&path) {
        Ok(text) => OrgTable::parse(&text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            Diagnostic::error(&path, e.message().to_string())
                .at_offset(&text, offset)
                .hint("each [[organisation]] needs `name`; optional: `aliases`, `former`, `kind`, `region`")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(OrgTable::default()),
        Err(e) => Err(Diagnostic::error(&path, format!("cannot read the organisation table: {e}"))),
    }
}

/// Seed files under `dir`, sorted, as (path relative to root, absolute path).
fn seed_files(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Imports the seeds of a site into its content folder.
pub fn run(root: &Path, config: &Config, opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let seeds_dir = root.join(&opts.seeds);
    let content = root.join(&opts.content);
    let orgs = load_organisations(root).map_err(|d| vec![d])?;
    let mut report = Report::default();
    if !seeds_dir.is_dir() {
        if opts.only_new {
            return Ok(report);
        }
        return Err(vec![
            Diagnostic::error(&seeds_dir, "the seeds folder does not exist")
                .hint("put the raw texts (.txt, .md, .html, .pdf, .docx, .odt) in seeds/ or pass --seeds DIR"),
        ]);
    }
    std::fs::create_dir_all(&content).map_err(|e| {
        vec![Diagnostic::error(
            &content,
            format!("cannot create the content folder: {e}"),
        )]
    })?;
    let mut state = State::load(&content).map_err(|d| vec![d])?;
    // the addresses of seeds fetched from the web, for `[source] url`
    let (origins, ledger_problem) = fetch::Origins::load(root, &seeds_dir);
    report.diagnostics.extend(ledger_problem);
    let files = seed_files(root, &seeds_dir);
    let started = Instant::now();

    // read and hash; skip seeds already imported and unchanged
    let mut todo: Vec<(String, PathBuf, Vec<u8>, String)> = Vec::new();
    for (rel, path) in files {
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.len() > MAX_SEED_BYTES
        {
            report.diagnostics.push(
                Diagnostic::warning(
                    &path,
                    format!(
                        "the seed has {} MB, more than the {} MB a seed may have; it was skipped",
                        meta.len() / 1_048_576,
                        MAX_SEED_BYTES / 1_048_576
                    ),
                )
                .hint("a seed is one article, press release or web page; split the file into one seed per text"),
            );
            continue;
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                report.diagnostics.push(Diagnostic::warning(
                    &path,
                    format!("cannot read the seed: {e}"),
                ));
                continue;
            }
        };
        report.seeds += 1;
        report.bytes += bytes.len() as u64;
        let h = write::hash(&bytes);
        match state.seeds.get(&rel) {
            Some(s) if opts.only_new || (!opts.force && s.hash == h) => {
                report
                    .unchanged
                    .extend(s.entries.iter().map(|f| content.join(f)));
                continue;
            }
            _ => todo.push((rel, path, bytes, h)),
        }
    }
    if todo.is_empty() {
        return Ok(report);
    }
    if opts.force {
        let backups = root.join(".praxis-backup");
        report.backup = Some(write::backup(&content, &backups).map_err(|d| vec![d])?);
    }

    // the gazetteer is read while the seeds go through the stages that do not need it
    let gazetteer = std::thread::spawn(Gazetteer::get);
    let prepared: Vec<Prepared> = todo
        .par_iter()
        .map(|(rel, _, bytes, _)| prepare(rel, bytes))
        .collect();
    let gaz = gazetteer
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let importer = Importer::new(config, &orgs, gaz);
    let bar = Progress::new(opts.progress, todo.len() as u64, started);
    let results: Vec<SeedResult> = prepared
        .into_par_iter()
        .map(|seed| {
            let r = importer.describe(seed);
            bar.tick();
            r
        })
        .collect();
    bar.finish();

    let mut evidence = load_evidence(&content, &mut report);
    let mut taken: BTreeSet<String> = std::fs::read_dir(&content)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    taken.extend(state.entries.keys().cloned());
    // entry files to write: (path, text, file name), written together at the end
    let mut pending: Vec<(PathBuf, String, String)> = Vec::new();
    for ((rel, path, _, seed_hash), result) in todo.iter().zip(results) {
        if let Some(e) = &result.unread {
            // not recorded as imported: the message comes back until the file is fixed
            let d = if e.is_warning() {
                Diagnostic::warning(path, e.to_string())
            } else {
                Diagnostic::error(path, e.to_string())
            };
            report.diagnostics.push(d.hint(e.hint()));
            continue;
        }
        match result.encoding {
            Encoding::Windows1252 => report.diagnostics.push(
                Diagnostic::warning(
                    path,
                    "the seed is not UTF-8; read as Windows-1252 (ISO-8859-1) and transcoded",
                )
                .hint("save seeds as UTF-8 to be sure every character is read as meant"),
            ),
            Encoding::Mixed { first_line } => {
                let mut d = Diagnostic::warning(
                    path,
                    "the seed is UTF-8 but has bytes that are not; those were read as Windows-1252 (ISO-8859-1)",
                )
                .hint("check the umlauts and ß in that part, then save the seed as UTF-8");
                d.line = first_line;
                report.diagnostics.push(d);
            }
            Encoding::Utf8 | Encoding::Utf8Bom => {}
        }
        if result.entries.is_empty() {
            report.diagnostics.push(
                Diagnostic::warning(path, "no entry found in this seed")
                    .hint("it holds no text of an article or teaser after removing boilerplate; check that it is the right file"),
            );
        }
        report.duplicates += result.duplicates;
        let previous: BTreeMap<String, String> = state
            .entries
            .iter()
            .filter(|(_, e)| &e.seed == rel)
            .map(|(file, e)| (e.key.clone(), file.clone()))
            .collect();
        let mut keys_seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut files_written = Vec::new();
        let origin = origins.get(rel, seed_hash);
        for mut d in result.entries {
            if let Some(origin) = origin {
                fetch::apply(origin, &mut d.fm);
            }
            let base = crate::slug::slugify(if d.headline.is_empty() {
                &d.fm.title
            } else {
                &d.headline
            });
            let n = keys_seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 { base } else { format!("{base}-{n}") };
            let existing = previous.get(&key).cloned();
            let file_name = match &existing {
                Some(f) => f.clone(),
                None => {
                    let slug = write::slug_for(&d.fm.title);
                    let mut name = format!("{slug}.md");
                    let mut i = 2;
                    while taken.contains(&name) {
                        name = format!("{slug}-{i}.md");
                        i += 1;
                    }
                    taken.insert(name.clone());
                    name
                }
            };
            let target = content.join(&file_name);
            let text = entry::to_file_text(&d.fm, &d.body);
            let new_hash = write::hash(text.as_bytes());
            if let Some(f) = &existing {
                let recorded = state
                    .entries
                    .get(f)
                    .map(|e| e.hash.clone())
                    .unwrap_or_default();
                match std::fs::read(&target) {
                    Ok(cur) if write::hash(&cur) != recorded && !opts.force => {
                        report.kept_edited.push(target.clone());
                        report.diagnostics.push(
                            Diagnostic::warning(&target, "edited since the last import; left as it is")
                                .hint("run `praxis import --force` to overwrite it (a backup is written first)"),
                        );
                        files_written.push(file_name);
                        continue;
                    }
                    Ok(cur) if write::hash(&cur) == new_hash => {
                        report.unchanged.push(target.clone());
                        files_written.push(file_name);
                        continue;
                    }
                    Err(_) if !opts.force => {
                        // deleted by an editor: respect that
                        continue;
                    }
                    _ => report.updated.push(target.clone()),
                }
            } else {
                report.created.push(target.clone());
            }
            if d.fm.draft {
                report.drafts += 1;
            }
            pending.push((target, text, file_name.clone()));
            let recorded = evidence::Recorded {
                seed: rel.clone(),
                evidence: d.evidence,
            };
            evidence.entries.insert(file_name.clone(), recorded);
            state.entries.insert(
                file_name.clone(),
                EntryState {
                    seed: rel.clone(),
                    key,
                    hash: new_hash,
                },
            );
            files_written.push(file_name);
        }
        state.seeds.insert(
            rel.clone(),
            SeedState {
                hash: seed_hash.clone(),
                entries: files_written,
            },
        );
    }
    let files: Vec<(&Path, &[u8])> = pending
        .iter()
        .map(|(path, text, _)| (path.as_path(), text.as_bytes()))
        .collect();
    for ((_, _, file_name), result) in pending.iter().zip(write::write_all_atomic(&files)) {
        if let Err(diag) = result {
            // not written: the state must not claim it
            report.diagnostics.push(diag);
            state.entries.remove(file_name);
            evidence.entries.remove(file_name);
            for seed in state.seeds.values_mut() {
                seed.entries.retain(|f| f != file_name);
            }
        }
    }
    state.save(&content).map_err(|d| vec![d])?;
    if let Err(d) = evidence.save(&content) {
        report.diagnostics.push(d);
    }
    Ok(report)
}

/// The recorded evidence, to add this run's to; one that cannot be read is
/// reported and started afresh (it only explains fields, it decides nothing).
fn load_evidence(content: &Path, report: &mut Report) -> evidence::Store {
    evidence::Store::load(content).unwrap_or_else(|mut d| {
        d.severity = crate::diag::Severity::Warning;
        d.message
            .push_str("; it is recorded afresh for the entries of this import");
        report.diagnostics.push(d);
        evidence::Store::default()
    })
}

/// A progress bar on stderr that appears only once a run has taken a second.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
}

impl Progress {
    fn new(enabled: bool, len: u64, started: Instant) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::hidden(),
            );
            b.set_message("importing seeds");
            b
        });
        Progress { bar, started }
    }

    fn tick(&self) {
        if let Some(b) = &self.bar {
            if b.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            b.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
