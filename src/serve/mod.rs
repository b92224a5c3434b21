//! `praxis serve`: build, serve on 127.0.0.1, rebuild on every change.
//!
//! The site is built into a folder of its own under the system's temporary folder
//! (never the site's public/), kept up to date by a [`Session`] that rebuilds only
//! what changed. A failed rebuild leaves the last good output in place: its problems
//! go to the terminal and, through `/__praxis/status`, to an overlay in the browser.

mod http;
mod overlay;
mod session;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

pub use session::{Outcome, Session};

/// Folders and files whose changes trigger a rebuild.
pub const WATCHED: &[&str] = &[
    "content",
    "seeds",
    "themes",
    "templates",
    "static",
    "data",
    crate::config::FILE_NAME,
];

/// Quiet time after the last change before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(40);

#[derive(Default)]
struct State {
    /// Counts successful rebuilds: what the served output is.
    version: u64,
    /// Counts finished rebuilds, good or not; event streams wait on it.
    events: u64,
    ok: bool,
    errors: Vec<String>,
    millis: u128,
}

/// What the server threads share with the rebuild loop.
pub struct Shared {
    output: PathBuf,
    /// Serve-only pages (the review page, entry pages under review), looked up
    /// before the site's.
    overlay: Option<PathBuf>,
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn new(output: PathBuf, overlay: Option<PathBuf>) -> Self {
        Shared {
            output,
            overlay,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        }
    }

    fn publish(&self, outcome: &Outcome) {
        if let Ok(mut s) = self.state.lock() {
            s.events += 1;
            s.ok = outcome.ok();
            s.millis = outcome.millis;
            if outcome.ok() {
                s.version += 1;
                s.errors.clear();
            } else {
                let mut errors = outcome.errors.clone();
                crate::diag::sort(&mut errors);
                s.errors = errors.iter().map(|d| d.to_string()).collect();
            }
        }
        self.changed.notify_all();
    }

    /// A rebuild has written its pages: browsers may reload now.
    fn publish_pages(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.events += 1;
            s.ok = true;
            s.version += 1;
            s.errors.clear();
        }
        self.changed.notify_all();
    }

    /// The end of a rebuild whose pages were announced by [`Shared::publish_pages`]
    /// (`announced`) or not: a good one only records its time, a failed one shows
    /// its errors.
    fn publish_rest(&self, outcome: &Outcome, announced: bool) {
        if !announced || !outcome.ok() {
            return self.publish(outcome);
        }
        if let Ok(mut s) = self.state.lock() {
            s.millis = outcome.millis;
        }
    }

    fn version(&self) -> u64 {
        self.state.lock().map_or(0, |s| s.events)
    }

    fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(guard) = self.state.lock() else {
            return seen;
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.events == seen)
        {
            Ok((s, _)) => s.events,
            Err(_) => seen,
        }
    }

    fn status_json(&self) -> String {
        let Ok(s) = self.state.lock() else {
            return "{\"ok\":false,\"version\":0,\"errors\":[]}".into();
        };
        serde_json::json!({
            "ok": s.ok,
            "version": s.version,
            "errors": s.errors,
            "build_ms": s.millis as u64,
        })
        .to_string()
    }
}

/// How `praxis serve` runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub port: u16,
    /// Open the site in the browser once it is built.
    pub open: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Print the time each stage of a rebuild took.
    pub timings: bool,
}

/// Runs `praxis serve` until the process is stopped; returns an exit code when it
/// cannot start.
pub fn run(root: &Path, opts: &Options) -> u8 {
    let (port, quiet) = (opts.port, opts.quiet);
    // watchers report absolute paths
    let absolute = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let root = absolute.as_path();
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "error: cannot listen on 127.0.0.1:{port}: {e}\n  = help: another program uses the port; choose another with --port"
            );
            return crate::EXIT_USAGE;
        }
    };
    let port = listener.local_addr().map_or(port, |a| a.port());
    remove_stale_outputs();
    let dir = std::env::temp_dir().join(format!("{STATE_PREFIX}{}-{port}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return crate::EXIT_USAGE;
    }
    let _cleanup = RemoveOnDrop(dir.clone());
    // the site as a build writes it, and beside it the pages only serve shows
    let (site_dir, review_dir) = (dir.join("site"), dir.join("review"));
    let mut session = Session::new(root, &site_dir).with_review(&review_dir);
    let shared = Arc::new(Shared::new(site_dir, Some(review_dir)));

    // watching starts before the first build: an edit saved while it runs, or
    // just after the first page is served, is not missed
    let (tx, rx) = channel();
    let mut watcher = match notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            // None: the watcher lost track, everything may have changed
            let _ = tx.send((!ev.need_rescan()).then_some(ev.paths));
        }
    }) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch the site for changes: {e}");
            return crate::EXIT_USAGE;
        }
    };
    // the root itself, not recursively: site.toml, and folders created later
    let _ = watcher.watch(root, RecursiveMode::NonRecursive);
    let mut watched: Vec<PathBuf> = Vec::new();
    let mut watch_new = |watcher: &mut notify::RecommendedWatcher| {
        for name in WATCHED {
            let p = root.join(name);
            if p.is_dir()
                && !watched.contains(&p)
                && watcher.watch(&p, RecursiveMode::Recursive).is_ok()
            {
                watched.push(p);
            }
        }
    };
    watch_new(&mut watcher);

    let first = session.rebuild();
    report(&first, opts);
    shared.publish(&first);
    // from now on browsers reload once the pages are written, not after the exports
    // that hold every entry (tens of megabytes with feeds on)
    let pages_at: Arc<Mutex<Option<std::time::Instant>>> = Arc::default();
    {
        let shared = Arc::clone(&shared);
        let pages_at = Arc::clone(&pages_at);
        session.on_pages_written(move || {
            shared.publish_pages();
            if let Ok(mut at) = pages_at.lock() {
                *at = Some(std::time::Instant::now());
            }
        });
    }

    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || http::serve(listener, shared));
    }
    let url = format!("http://127.0.0.1:{port}/");
    println!("serving {} at {url} (Ctrl+C to stop)", root.display());
    if !quiet {
        println!(
            "  review: {url}{} ({} entries with fields to review)",
            crate::render::REVIEW_PATH,
            session.open_reviews()
        );
    }
    if opts.open {
        open_browser(&url);
    }

    while let Ok(first) = rx.recv() {
        let changed_at = std::time::Instant::now();
        let mut changed = first;
        // debounce: wait until nothing changed for a moment
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(more) => match (&mut changed, more) {
                    (Some(paths), Some(more)) => paths.extend(more),
                    _ => changed = None,
                },
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return crate::EXIT_OK,
            }
        }
        let relevant = changed
            .as_ref()
            .is_none_or(|paths| paths.iter().any(|p| is_relevant(root, p)));
        if !relevant {
            continue;
        }
        watch_new(&mut watcher);
        if let Ok(mut at) = pages_at.lock() {
            *at = None;
        }
        let outcome = match &changed {
            Some(paths) => session.rebuild_after(paths),
            None => session.rebuild(),
        };
        let reloaded_at = pages_at.lock().ok().and_then(|at| *at);
        shared.publish_rest(&outcome, reloaded_at.is_some());
        report(&outcome, opts);
        if !quiet && let Some(at) = reloaded_at.filter(|_| outcome.ok()) {
            // what an editor waits for: the change seen, the quiet wait, the rebuild
            // up to the pages
            println!(
                "  reload sent {} ms after the change",
                at.duration_since(changed_at).as_millis()
            );
        }
    }
    crate::EXIT_OK
}

/// Whether a changed path is one of the site's inputs (not the build lock, not an
/// editor's swap file, not the output).
fn is_relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let Some(first) = rel.components().next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    if !WATCHED.contains(&first.as_ref()) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    !(name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx"))
}

fn report(outcome: &Outcome, opts: &Options) {
    if opts.timings && !opts.quiet {
        for (stage, took) in &outcome.timings {
            println!("  {stage:<12} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    if outcome.ok() {
        if !opts.quiet {
            for d in &outcome.warnings {
                eprintln!("{d}\n");
            }
            println!(
                "rebuilt in {} ms: {} pages, {} rendered, {} files written, {} removed",
                outcome.millis, outcome.pages, outcome.rendered, outcome.written, outcome.deleted
            );
        }
    } else {
        let mut errors = outcome.errors.clone();
        crate::diag::sort(&mut errors);
        for d in &errors {
            eprintln!("{d}\n");
        }
        eprintln!(
            "{} error(s): the previous version stays served until they are fixed",
            errors.len()
        );
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

const STATE_PREFIX: &str = "praxis-serve-";

/// Removes output folders of serve sessions whose process is gone (stopped with
/// Ctrl+C, which skips the cleanup).
fn remove_stale_outputs() {
    let Ok(read) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix(STATE_PREFIX)
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if cfg!(target_os = "linux") && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(item.path());
        }
    }
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(shared: &Shared) -> serde_json::Value {
        serde_json::from_str(&shared.status_json()).expect("status is JSON")
    }

    #[test]
    fn a_rebuild_announced_at_its_pages_reloads_once_and_still_reports_a_late_failure() {
        let shared = Shared::new(PathBuf::from("out"), None);
        shared.publish(&Outcome::default());
        assert_eq!(
            (shared.version(), status(&shared)["version"].clone()),
            (1, 1.into())
        );

        // pages written: one reload; the rest of a good rebuild sends no second one
        shared.publish_pages();
        let good = Outcome {
            millis: 42,
            ..Outcome::default()
        };
        shared.publish_rest(&good, true);
        let s = status(&shared);
        assert_eq!((shared.version(), s["version"].clone()), (2, 2.into()));
        assert_eq!(s["build_ms"], 42);

        // writing the exports failed after the pages were announced: the errors show
        shared.publish_pages();
        let failed = Outcome {
            errors: vec![crate::diag::Diagnostic::error(
                "out/catalogue.json",
                "disk full",
            )],
            ..Outcome::default()
        };
        shared.publish_rest(&failed, true);
        let s = status(&shared);
        assert_eq!(shared.version(), 4, "the failure is an event of its own");
        assert_eq!(s["ok"], false);
        assert!(
            s["errors"][0]
                .as_str()
                .is_some_and(|e| e.contains("disk full"))
        );

        // a rebuild that failed before its pages: one event, no new version
        shared.publish_rest(&failed, false);
        assert_eq!(
            (shared.version(), status(&shared)["version"].clone()),
            (5, 3.into())
        );
    }
}
