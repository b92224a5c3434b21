//! `praxis serve`: incremental rebuilds equal full builds; the server reloads,
//! reports broken edits and keeps serving the last good site.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use praxis::serve::{Outcome, Session};

use crate::support::{Site, snapshot};

const ENTRY: &str = "content/e-akte.md";

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let path = site.path().join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The output of a fresh `praxis build` of the site, for comparison.
fn full_build(site: &Site) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let out = site.path().join("public");
    let run = site.run(&["build", "--no-import"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot(&out)
}

/// Asserts a rebuild succeeded and left in `output` exactly what a full build of
/// `site` writes; returns the rebuild's outcome.
pub(crate) fn equal_to_full_build(
    outcome: Outcome,
    output: &Path,
    site: &Site,
    what: &str,
) -> Outcome {
    assert!(outcome.ok(), "{what}: {:?}", outcome.errors);
    assert_eq!(
        snapshot(output),
        full_build(site),
        "{what}: incremental output differs from a full build"
    );
    outcome
}

/// After each kind of edit, the session's output is byte for byte a full build's.
#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = Site::from_fixture("valid");
    let state = tempfile::tempdir().expect("temp dir");
    let mut session = Session::new(site.path(), state.path());
    let check = |session: &mut Session, what: &str| {
        equal_to_full_build(session.rebuild(), state.path(), &site, what)
    };
    let first = check(&mut session, "first build");
    assert_eq!(first.rendered, first.pages);

    let unchanged = check(&mut session, "nothing changed");
    assert_eq!(unchanged.written, 0, "an unchanged site writes nothing");

    edit(
        &site,
        ENTRY,
        "dann alle Ämter",
        "dann alle Ämter und Schulen",
    );
    let text_edit = check(&mut session, "text edit");
    assert!(
        text_edit.rendered < text_edit.pages,
        "a text edit re-renders only some pages"
    );

    edit(&site, ENTRY, "year = 2023", "year = 2024");
    check(&mut session, "metadata edit");

    site.write(
        "content/neu.md",
        "+++\ntitle = \"Neue Praxis\"\nyear = 2021\ntopic = [\"Personalgewinnung\"]\nregion = [\"Kreis Lippe\"]\norganisation = [\"Kreis Lippe\"]\n+++\n\nEin neuer Text mit [Link](e-akte.md).\n",
    );
    check(&mut session, "entry added");

    std::fs::remove_file(site.path().join("content/neu.md")).expect("delete");
    let deleted = check(&mut session, "entry deleted");
    assert!(deleted.deleted > 0, "the deleted entry's page is removed");

    edit(
        &site,
        "themes/default/templates/base.html",
        "<main id=\"inhalt\"",
        "<!-- geändert --><main id=\"inhalt\"",
    );
    let template = check(&mut session, "template edit");
    assert_eq!(template.rendered, template.pages);
}

/// The browser is told to reload once the edited entry's page is written: the
/// callback finds the new text in the output, and it runs once per good rebuild.
#[test]
fn pages_are_written_when_the_reload_is_announced() {
    let site = Site::from_fixture("valid");
    let state = tempfile::tempdir().expect("temp dir");
    let mut session = Session::new(site.path(), state.path());
    assert!(session.rebuild().ok());
    let page = std::fs::read_dir(state.path().join("praxis"))
        .expect("entry pages")
        .flatten()
        .map(|d| d.path().join("index.html"))
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("dann alle Ämter")))
        .expect("the entry's page");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    let watched = page.clone();
    session.on_pages_written(move || {
        let text = std::fs::read_to_string(&watched).unwrap_or_default();
        log.lock()
            .unwrap()
            .push(text.contains("dann alle Ämter und Schulen"));
    });
    edit(
        &site,
        ENTRY,
        "dann alle Ämter",
        "dann alle Ämter und Schulen",
    );
    assert!(session.rebuild().ok());
    assert_eq!(*seen.lock().unwrap(), [true]);
    // a broken entry writes nothing and announces nothing
    edit(&site, ENTRY, "year = 2023", "year = \"zweitausend\"");
    assert!(!session.rebuild().ok());
    assert_eq!(*seen.lock().unwrap(), [true]);
}

/// Rebuilds told which paths changed (as serve does with its watcher's reports)
/// give a full build's output after every kind of change, including a broken
/// entry, which keeps the last good output until it is fixed.
#[test]
fn rebuilds_after_reported_changes_equal_full_builds() {
    let site = Site::from_fixture("valid");
    let state = tempfile::tempdir().expect("temp dir");
    let mut session = Session::new(site.path(), state.path());
    let abs = |rel: &str| site.path().join(rel);
    let check = |session: &mut Session, changed: &[&str], what: &str| {
        let changed: Vec<_> = changed.iter().map(|r| abs(r)).collect();
        equal_to_full_build(session.rebuild_after(&changed), state.path(), &site, what)
    };
    check(&mut session, &[], "first build");

    edit(&site, ENTRY, "Erst die Poststelle", "Zuerst die Poststelle");
    let body = check(&mut session, &[ENTRY], "body edit");
    assert!(
        body.rendered < body.pages,
        "a body edit re-renders only some pages"
    );

    // the title orders entries: a new one moves the entry among the others
    edit(
        &site,
        ENTRY,
        "title = \"Die E-Akte",
        "title = \"Aaa: Die E-Akte",
    );
    check(&mut session, &[ENTRY], "title edit");
    edit(&site, ENTRY, "year = 2023", "year = 2019");
    check(&mut session, &[ENTRY], "year edit");
    edit(
        &site,
        ENTRY,
        "region = [\"Kreis Lippe\"]",
        "region = [\"Bielefeld\"]",
    );
    check(&mut session, &[ENTRY], "region edit");

    // saved as editors do: a temporary file renamed over the entry
    let text = std::fs::read_to_string(abs(ENTRY)).expect("read");
    site.write(
        "content/.e-akte.md.tmp",
        &text.replace("Ablauf", "Vorgehen"),
    );
    std::fs::rename(abs("content/.e-akte.md.tmp"), abs(ENTRY)).expect("rename");
    check(
        &mut session,
        &["content/.e-akte.md.tmp", ENTRY],
        "saved through a renamed file",
    );

    site.write(
        "content/neu/neu.md",
        "+++\ntitle = \"Neue Praxis\"\nyear = 2021\ntopic = [\"Personalgewinnung\"]\nregion = [\"Kreis Lippe\"]\norganisation = [\"Neue Stelle\"]\n+++\n\nMit [Link](../e-akte.md).\n",
    );
    check(
        &mut session,
        &["content/neu", "content/neu/neu.md"],
        "entry added in a new folder",
    );
    site.write(
        "content/zwei.md",
        "+++\ntitle = \"Zweite Praxis\"\nyear = 2020\ntopic = [\"Personalgewinnung\"]\nregion = [\"Kreis Lippe\"]\norganisation = [\"Kreis Lippe\"]\n+++\n\nText.\n",
    );
    check(&mut session, &["content/zwei.md"], "entry added");
    // counts on the first home page change, its cards and the number of entries not
    edit(
        &site,
        "content/zwei.md",
        "topic = [\"Personalgewinnung\"]",
        "topic = [\"E-Akte & Dokumentenmanagement\"]",
    );
    check(&mut session, &["content/zwei.md"], "topic of a later entry");
    // the newest entry comes first: every other entry moves one place on
    site.write(
        "content/neueste.md",
        "+++\ntitle = \"Neueste Praxis\"\nyear = 2026\ntopic = [\"E-Akte & Dokumentenmanagement\"]\nregion = [\"Kreis Lippe\"]\norganisation = [\"Kreis Lippe\"]\n+++\n\nText.\n",
    );
    check(&mut session, &["content/neueste.md"], "newest entry added");
    std::fs::remove_file(abs("content/neueste.md")).expect("delete");
    check(
        &mut session,
        &["content/neueste.md"],
        "newest entry deleted",
    );

    std::fs::remove_file(abs("content/zwei.md")).expect("delete");
    let deleted = check(&mut session, &["content/zwei.md"], "entry deleted");
    assert!(deleted.deleted > 0, "the deleted entry's page is removed");
    std::fs::remove_dir_all(abs("content/neu")).expect("delete folder");
    check(&mut session, &["content/neu"], "folder deleted");

    edit(&site, ENTRY, "title =", "titel =");
    let broken = session.rebuild_after(&[abs(ENTRY)]);
    assert!(!broken.ok(), "a broken entry fails the rebuild");
    assert!(
        snapshot(state.path())
            .iter()
            .any(|(p, b)| p.ends_with("index.html")
                && String::from_utf8_lossy(b).contains("Vorgehen")),
        "the last good output stays"
    );
    edit(&site, ENTRY, "titel =", "title =");
    check(&mut session, &[ENTRY], "broken entry fixed");

    edit(&site, "site.toml", "Testkatalog", "Anderer Katalog");
    check(&mut session, &["site.toml"], "site.toml edit");
    edit(&site, "site.toml", "per_page = 2", "per_page = 1");
    check(&mut session, &["site.toml"], "page size edit");

    edit(
        &site,
        "themes/default/templates/card.html",
        "{{ e.title }}",
        "{{ e.title }}!",
    );
    let card = check(
        &mut session,
        &["themes/default/templates/card.html"],
        "card template edit",
    );
    assert_eq!(card.rendered, card.pages);

    // a template that fails while rendering, saved with an entry edit: the open
    // data and search index made alongside the pages must not count as written
    edit(&site, ENTRY, "Vorgehen", "Verfahren");
    let template = "themes/default/templates/entry.html";
    edit(&site, template, "<h1>", "{{ kein.wert }}<h1>");
    let broken = session.rebuild_after(&[abs(ENTRY), abs(template)]);
    assert!(
        !broken.ok(),
        "a template that fails to render fails the rebuild"
    );
    edit(&site, template, "{{ kein.wert }}<h1>", "<h1>");
    check(&mut session, &[template], "failing template fixed");
}

/// A running server: killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// GET over a fresh connection: (status, body).
pub(crate) fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// Polls until `pred` holds for the response to `path`; panics after the timeout.
pub(crate) fn wait_for(
    port: u16,
    path: &str,
    what: &str,
    pred: impl Fn(u16, &str) -> bool,
) -> String {
    let start = Instant::now();
    loop {
        if let Some((status, body)) = get(port, path)
            && pred(status, &body)
        {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start(root: &Path) -> Server {
    start_in(Path::new("."), root)
}

/// Starts serve in the folder `cwd` with `--root root` (which may be relative to it).
pub(crate) fn start_in(cwd: &Path, root: &Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_praxis"))
        .args(["--root", root.to_str().expect("utf-8"), "serve", "--port"])
        .arg(port.to_string())
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start praxis serve");
    Server { child, port }
}

/// Serve shows edits, reports a broken entry while serving the last good page, and
/// recovers when it is fixed.
#[test]
fn serve_reloads_reports_errors_and_recovers() {
    let site = Site::from_fixture("valid");
    let server = start(site.path());
    let port = server.port;
    let page = "/praxis/e-akte/";

    let body = wait_for(port, page, "the first build", |s, _| s == 200);
    assert!(body.contains("<script src=\"/__praxis/reload.js\"></script></body>"));
    let (status, js) = get(port, "/__praxis/reload.js").expect("reload script");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));
    assert_eq!(get(port, "/nicht-da/").map(|r| r.0), Some(404));
    assert_eq!(get(port, "/../Cargo.toml").map(|r| r.0), Some(403));

    edit(&site, ENTRY, "Erst die Poststelle", "Zuerst die Poststelle");
    wait_for(port, page, "the edited text", |_, b| {
        b.contains("Zuerst die Poststelle")
    });

    edit(&site, ENTRY, "title =", "titel =");
    let status = wait_for(port, "/__praxis/status", "the error", |_, b| {
        b.contains("\"ok\":false")
    });
    assert!(status.contains("unknown key `titel`"), "{status}");
    let (code, body) = get(port, page).expect("page while broken");
    assert_eq!(code, 200);
    assert!(
        body.contains("Zuerst die Poststelle"),
        "the last good page stays"
    );

    edit(&site, ENTRY, "titel =", "title =");
    wait_for(port, "/__praxis/status", "the fix", |_, b| {
        b.contains("\"ok\":true")
    });
    edit(
        &site,
        ENTRY,
        "Zuerst die Poststelle",
        "Als Erstes die Poststelle",
    );
    wait_for(port, page, "the text after the fix", |_, b| {
        b.contains("Als Erstes die Poststelle")
    });
}
