//! praxis: a static site generator for catalogues of municipal good practices.
//!
//! The pipeline: `seeds/ -import-> content/*.md -load-> entries -catalogue-> indexes
//! -render-> pages -write-> public/`. `check` runs everything but the write.

pub mod catalogue;
pub mod cli;
pub mod config;
pub mod diag;
pub mod entry;
pub mod import;
pub mod init;
pub mod load;
pub mod markdown;
mod new;
pub mod opendata;
pub mod pages;
mod progress;
pub mod regions;
pub mod related;
pub mod render;
pub mod review;
pub mod search;
pub mod serve;
pub mod slug;
pub mod write;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use cli::{Cli, Command};
use config::Config;
use diag::Diagnostic;

/// Exit codes: content problems and usage/I/O problems are told apart.
pub const EXIT_OK: u8 = 0;
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// A run that did not succeed: what went wrong and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub code: u8,
}

impl Failure {
    fn content(diagnostics: Vec<Diagnostic>) -> Self {
        Failure {
            diagnostics,
            code: EXIT_CONTENT,
        }
    }
    fn io(d: Diagnostic) -> Self {
        Failure {
            diagnostics: vec![d],
            code: EXIT_USAGE,
        }
    }
}

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Import seeds without entries first.
    pub import: bool,
    /// Render but write nothing.
    pub dry_run: bool,
    /// Show a progress bar when rendering takes over a second on a terminal.
    pub progress: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub entries: usize,
    pub drafts: usize,
    pub pages: usize,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// Work done on the side of the page rendering, inside its stage's time.
    pub during_render: Vec<(&'static str, Duration)>,
}

/// Builds (or checks) the site at `root`.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut config = Config::load(root).map_err(|d| Failure {
        code: if d.iter().any(|d| d.line > 0) {
            EXIT_CONTENT
        } else {
            EXIT_USAGE
        },
        diagnostics: d,
    })?;
    if let Some(url) = &opts.base_url {
        let text = format!(
            "title = \"x\"\nbase_url = {}\n[[topic]]\nname = \"x\"\n",
            entry::toml_quote(url)
        );
        match Config::parse(&text, Path::new("--base-url")) {
            Ok(c) => config.base_url = c.base_url,
            Err(d) => {
                return Err(Failure {
                    diagnostics: d,
                    code: EXIT_USAGE,
                });
            }
        }
    }
    let output = opts.output.clone().map_or_else(
        || config.output_dir(root),
        |o| {
            if o.is_absolute() {
                o
            } else {
                std::env::current_dir().unwrap_or_default().join(o)
            }
        },
    );
    // check refuses a dangerous output folder too, so CI catches it before a build
    write::check_output_dir(root, &output).map_err(|mut d| {
        if opts.output.is_none()
            && let Ok(text) = std::fs::read_to_string(root.join(config::FILE_NAME))
            && let (l @ 1.., c) = config::find_key_line(&text, "output")
        {
            d = d.at(&text, l, c);
        }
        Failure::io(d)
    })?;
    let _lock = if opts.dry_run {
        None
    } else {
        let lock = write::BuildLock::acquire(root).map_err(Failure::io)?;
        // a build that was killed may have left its staging folder or the old output
        write::recover(&output);
        Some(lock)
    };

    let mut warnings = Vec::new();
    if opts.import && root.join("seeds").is_dir() {
        let import_opts = import::Options {
            // relative to the root: `import::run` joins them to it
            seeds: "seeds".into(),
            content: "content".into(),
            force: false,
            only_new: true,
            progress: false,
        };
        match import::run(root, &config, &import_opts) {
            Ok(report) => warnings.extend(report.diagnostics),
            Err(d) => return Err(Failure::content(d)),
        }
        lap("import", &mut timings);
    }

    let gazetteer = regions::Gazetteer::get();
    let loaded = load::load(root, &config);
    let mut diags = loaded.diagnostics;
    lap("load", &mut timings);
    let entries = loaded
        .entries
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    let (mut cat, cat_diags) = catalogue::build(entries, &config, gazetteer);
    diags.extend(cat_diags);
    lap("index", &mut timings);
    let theme = render::Theme::load(root, &config).map_err(Failure::content)?;
    let mut cache = render::RenderCache::default();
    let base_url = config.base_url.as_deref();
    let markdown = cat.take_bodies(config.feeds);
    let bodies = render::render_bodies(&config, &cat, &theme, base_url, &mut cache, markdown);
    let (prepared, link_diags) = render::finish_entries(
        &config, &cat, &theme, gazetteer, base_url, &mut cache, bodies,
    );
    diags.extend(link_diags);
    let mut renderer = render::Renderer::from_prepared(
        &config,
        &cat,
        &theme,
        gazetteer,
        config.base_url.clone(),
        prepared,
        &mut cache,
    );
    let (legal_pages, page_diags) = pages::load(root, &config);
    diags.extend(page_diags);
    diags.extend(renderer.add_legal_pages(legal_pages));
    lap("prepare", &mut timings);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::content(diags));
    }
    warnings.extend(diags);

    let jobs = renderer.jobs();
    let staging = if opts.dry_run {
        None
    } else {
        Some(write::Staging::create(&output).map_err(Failure::io)?)
    };
    if let Some(s) = &staging {
        for dir in &theme.static_dirs {
            s.copy_dir(dir).map_err(Failure::io)?;
        }
    }
    let progress = progress::Progress::new(opts.progress, jobs.len());
    let page_paths: Vec<String> = jobs.iter().map(|j| renderer.output_path(j)).collect();
    // neither the open data nor the search index needs a page's HTML: both are
    // prepared while the pages render, so their one-thread parts overlap with it
    let (results, (data_files, search_files)) = rayon::join(
        || {
            jobs.par_iter()
                .map(|job| {
                    progress.tick();
                    let page = renderer.render(job)?;
                    if let Some(s) = &staging {
                        s.write(&page.path, &page.bytes)?;
                    }
                    Ok(())
                })
                .collect::<Vec<Result<(), Diagnostic>>>()
        },
        || {
            rayon::join(
                || {
                    staging.as_ref().map(|s| {
                        let start = Instant::now();
                        let mut rows = opendata::rows::RowCache::default();
                        // written while the pages still render, each as soon as it is made
                        let written = data_files(
                            &config,
                            &cat,
                            gazetteer,
                            &renderer,
                            &page_paths,
                            &mut rows,
                            &|path, bytes| s.write(&path, &bytes),
                        );
                        (written, start.elapsed())
                    })
                },
                || {
                    staging.as_ref().filter(|_| config.search).map(|s| {
                        let start = Instant::now();
                        let language = search::Language::from_code(&config.language);
                        let written = search::Index::build_to_write(
                            cat.entries.len(),
                            &|i| {
                                search::entry_document(
                                    &cat,
                                    i,
                                    renderer.body_html(i),
                                    gazetteer,
                                    language,
                                )
                            },
                            language,
                        )
                        .write_files(&|path, bytes| s.write(&path, &bytes));
                        (written, start.elapsed())
                    })
                },
            )
        },
    );
    let errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if !errors.is_empty() {
        let code = if errors
            .iter()
            .all(|d| d.message.starts_with("template error"))
        {
            EXIT_CONTENT
        } else {
            EXIT_USAGE
        };
        let mut errors = errors;
        errors.dedup_by(|a, b| a.message == b.message);
        errors.truncate(20);
        return Err(Failure {
            diagnostics: errors,
            code,
        });
    }
    progress.finish();
    lap("render", &mut timings);
    let mut during_render = Vec::new();
    for (name, done) in [("search", search_files), ("open data", data_files)] {
        if let Some((written, took)) = done {
            during_render.push((name, took));
            written.map_err(Failure::io)?;
        }
    }
    if let Some(s) = staging {
        s.commit().map_err(Failure::io)?;
    }
    lap("write", &mut timings);
    Ok(BuildReport {
        entries: cat.entries.len(),
        drafts: cat.drafts.len(),
        pages: jobs.len(),
        output,
        warnings,
        timings,
        during_render,
    })
}

/// The files a build writes besides pages, static files and the search index: open
/// data, feeds, the sitemap, the finder's filter data and, when some entry shows
/// code, its stylesheet. Each goes to `sink` once made. Serve writes the same, so
/// both take them from here.
pub(crate) fn data_files(
    config: &config::Config,
    cat: &catalogue::Catalogue,
    gazetteer: &'static regions::Gazetteer,
    renderer: &render::Renderer,
    page_paths: &[String],
    rows: &mut opendata::rows::RowCache,
    sink: &write::Sink<'_>,
) -> Result<(), Diagnostic> {
    opendata::exports(
        config,
        cat,
        gazetteer,
        config.base_url.as_deref(),
        page_paths,
        rows,
        sink,
    )?;
    if renderer.any_code() {
        sink("syntax.css".into(), markdown::highlight_css().into_bytes())?;
    }
    sink("filter.json".into(), renderer.filter_data(rows))
}

/// The current calendar year (UTC).
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64).0
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian).
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let mut sorted = diags.to_vec();
    diag::sort(&mut sorted);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &sorted {
        let _ = writeln!(err, "{d}\n");
    }
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let warnings = sorted.len() - errors;
    if errors > 0 {
        let _ = writeln!(err, "{errors} error(s), {warnings} warning(s)");
    }
}

/// A path from the command line made absolute against the current folder. Done
/// once here, so no stage joins a relative path onto the (relative) root again.
fn from_current_dir(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

/// Runs a command line; returns the exit code.
pub fn run(cli: Cli) -> u8 {
    let given_root = cli.root;
    let root = from_current_dir(given_root.clone());
    let command = match cli.command {
        Command::Init { dir, force } => Command::Init {
            dir: Some(dir.map_or_else(|| root.clone(), from_current_dir)),
            force,
        },
        Command::Build {
            output,
            base_url,
            timings,
            no_import,
        } => Command::Build {
            output: output.map(from_current_dir),
            base_url,
            timings,
            no_import,
        },
        Command::Import {
            seeds,
            content,
            force,
            url,
            feed,
            offline,
        } => Command::Import {
            seeds: seeds.map(from_current_dir),
            content: content.map(from_current_dir),
            force,
            url,
            feed,
            offline,
        },
        other => other,
    };
    // init makes the folder; every other command needs it
    if !matches!(command, Command::Init { .. }) && !root.is_dir() {
        eprintln!(
            "error: the site folder `{}` does not exist\n  = help: pass the folder holding site.toml with --root DIR (relative to the current folder), or create a new site with praxis init {}",
            given_root.display(),
            given_root.display()
        );
        return EXIT_USAGE;
    }
    match command {
        Command::Init { dir, force } => init::command(&dir.unwrap_or(root), force, cli.quiet),
        Command::Build {
            output,
            base_url,
            timings,
            no_import,
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                import: !no_import,
                dry_run: false,
                progress: !cli.quiet,
            };
            finish_build(build(&root, &opts), cli.quiet, timings, "built")
        }
        Command::Check { review } => {
            let opts = BuildOptions {
                import: false,
                dry_run: true,
                ..BuildOptions::default()
            };
            let result = build(&root, &opts);
            if review && result.is_ok() {
                print_review(&root);
            }
            finish_build(result, cli.quiet, false, "checked")
        }
        Command::New { title } => new::run(&root, &title),
        Command::Import {
            seeds,
            content,
            force,
            url,
            feed,
            offline,
        } => {
            let config = match Config::load(&root) {
                Ok(c) => c,
                Err(d) => {
                    print_diagnostics(&d);
                    return EXIT_CONTENT;
                }
            };
            let opts = import::Options {
                seeds: seeds.unwrap_or_else(|| "seeds".into()),
                content: content.unwrap_or_else(|| "content".into()),
                force,
                only_new: false,
                progress: !cli.quiet,
            };
            let fetch_opts = import::fetch::Options {
                urls: url,
                feeds: import::fetch::feeds(&config, &feed, offline),
                progress: !cli.quiet,
            };
            let fetched = fetch_first(&root, &config, &opts, &fetch_opts, cli.quiet);
            match import::run(&root, &config, &opts) {
                Ok(mut report) => {
                    report.diagnostics.extend(fetched);
                    print_diagnostics(&report.diagnostics);
                    if !cli.quiet {
                        println!(
                            "imported: {} new, {} updated, {} unchanged, {} edited by hand and kept",
                            report.created.len(),
                            report.updated.len(),
                            report.unchanged.len(),
                            report.kept_edited.len()
                        );
                        for p in &report.kept_edited {
                            println!("  kept (edited): {}", diag::display_path(p));
                        }
                    }
                    if report.diagnostics.iter().any(Diagnostic::is_error) {
                        EXIT_CONTENT
                    } else {
                        EXIT_OK
                    }
                }
                Err(mut d) => {
                    d.extend(fetched);
                    print_diagnostics(&d);
                    EXIT_CONTENT
                }
            }
        }
        Command::Serve {
            port,
            open,
            timings,
        } => serve::run(
            &root,
            &serve::Options {
                port,
                open,
                quiet: cli.quiet,
                timings,
            },
        ),
    }
}

/// Fetches the pages and feed items of an import into its seeds folder; returns the
/// problems, one per address that failed.
fn fetch_first(
    root: &Path,
    config: &Config,
    opts: &import::Options,
    fetch: &import::fetch::Options,
    quiet: bool,
) -> Vec<Diagnostic> {
    if fetch.urls.is_empty() && fetch.feeds.is_empty() {
        return Vec::new();
    }
    let report = import::fetch::run(&root.join(&opts.seeds), config, fetch);
    if !quiet {
        println!(
            "fetched: {} new page(s), {} already fetched before{}, {} failed",
            report.fetched.len(),
            report.known,
            if report.feeds_unchanged > 0 {
                format!(", {} feed(s) unchanged", report.feeds_unchanged)
            } else {
                String::new()
            },
            report.diagnostics.len()
        );
    }
    report.diagnostics
}

fn finish_build(
    result: Result<BuildReport, Failure>,
    quiet: bool,
    timings: bool,
    verb: &str,
) -> u8 {
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if !quiet {
                println!(
                    "{verb} {} entries ({} drafts not published), {} pages{}",
                    report.entries,
                    report.drafts,
                    report.pages,
                    if verb == "built" {
                        format!(" into {}", diag::display_path(&report.output))
                    } else {
                        String::new()
                    }
                );
            }
            if timings {
                let total: Duration = report.timings.iter().map(|(_, d)| *d).sum();
                for (name, d) in &report.timings {
                    println!("  {name:<10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                    if *name == "render" {
                        for (name, d) in &report.during_render {
                            let ms = d.as_secs_f64() * 1000.0;
                            println!("    {name:<10} {ms:>6.1} ms, alongside the pages");
                        }
                    }
                }
                println!("  {:<10} {:>8.1} ms", "total", total.as_secs_f64() * 1000.0);
            }
            EXIT_OK
        }
        Err(f) => {
            print_diagnostics(&f.diagnostics);
            if f.diagnostics.iter().all(|d| !d.is_error()) {
                eprintln!("error: the build failed");
            }
            if verb == "built" {
                eprintln!("nothing was written; the previous output is unchanged");
            }
            f.code
        }
    }
}

fn print_review(root: &Path) {
    let Ok(config) = Config::load(root) else {
        return;
    };
    let loaded = load::load(root, &config);
    let mut open: Vec<&load::Entry> = loaded
        .entries
        .iter()
        .filter(|e| !e.review.is_empty())
        .collect();
    open.sort_by(|a, b| a.path.cmp(&b.path));
    // without readable evidence the fields are still listed, each without it
    let store = import::evidence::Store::load(&root.join("content")).unwrap_or_else(|mut d| {
        d.severity = diag::Severity::Warning;
        print_diagnostics(&[d]);
        import::evidence::Store::default()
    });
    let seeds = review::Seeds::new(root);
    let items = review::collect(&open, &store, regions::Gazetteer::get(), &|s| {
        seeds.lines(s)
    });
    print!("{}", review::text::listing(&items));
}
