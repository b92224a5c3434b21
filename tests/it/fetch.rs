//! `praxis import --url/--feed` against a web server on 127.0.0.1 (issue 17): pages
//! kept raw in seeds/ and imported with their address, feeds followed item by item,
//! the ledger across runs and renames, and every kind of failure as one line that
//! names the address while the other addresses go on.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::loopback::{Answer, Request, Server};
use crate::support::{Site, copy_dir, repo};

const ARTICLE: &str = include_str!("../fixtures/pages/article.html");
const LISTING: &str = include_str!("../fixtures/pages/listing.html");
const SOEST: &str = include_str!("../fixtures/pages/divsoup.html");

/// A site with the repository's settings, themes and data, no seeds, no content,
/// and a short time limit so failures come quickly; `import` adds to `[import]`.
fn site(import: &str) -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["themes", "data"] {
        copy_dir(&repo().join(name), &dir.path().join(name));
    }
    let settings = std::fs::read_to_string(repo().join("site.toml")).expect("site.toml");
    std::fs::write(
        dir.path().join("site.toml"),
        format!("{settings}\n[import]\ntimeout = 1\n{import}"),
    )
    .expect("write site.toml");
    Site { dir }
}

fn ledger(site: &Site) -> toml::Table {
    let text = std::fs::read_to_string(site.path().join("seeds/.praxis-fetched.toml"))
        .expect("ledger written");
    toml::from_str(&text).expect("ledger parses")
}

fn pages(ledger: &toml::Table) -> Vec<toml::Table> {
    ledger
        .get("page")
        .and_then(|p| p.as_array())
        .map(|a| a.iter().filter_map(|p| p.as_table().cloned()).collect())
        .unwrap_or_default()
}

/// The text of every entry in content/.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("content"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".md"))
                .map(|e| std::fs::read_to_string(e.path()).expect("read entry"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn robots(_: &Request) -> Answer {
    Answer::new(404, "text/plain", "")
}

#[test]
fn pages_are_kept_raw_imported_with_their_address_and_fetched_once() {
    let server = Server::start(|r| match r.path.as_str() {
        "/presse/digitale-bauakte" => Answer::html(ARTICLE),
        "/aktuelles/barcamp.html" => Answer::html(SOEST),
        _ => robots(r),
    });
    let site = site("delay = 0.3\n");
    let (a, b) = (
        server.url("/presse/digitale-bauakte"),
        server.url("/aktuelles/barcamp.html"),
    );
    let run = site.run(&["import", "--url", &a, &b]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("fetched: 2 new page(s)"),
        "{}",
        run.stdout
    );

    // raw bytes under a name made of host and path
    let seeds: Vec<String> = std::fs::read_dir(site.path().join("seeds"))
        .expect("seeds")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let article_seed = seeds
        .iter()
        .find(|s| s.ends_with("_presse-digitale-bauakte.html"))
        .unwrap_or_else(|| panic!("{seeds:?}"));
    assert!(article_seed.starts_with("127.0.0.1"), "{article_seed}");
    let raw = std::fs::read(site.path().join("seeds").join(article_seed)).expect("seed");
    assert_eq!(raw, ARTICLE.as_bytes());

    let l = ledger(&site);
    let recorded = pages(&l);
    assert_eq!(recorded.len(), 2, "{l:#?}");
    let rec = recorded
        .iter()
        .find(|p| p["url"].as_str() == Some(a.as_str()))
        .expect("the article is in the ledger");
    assert_eq!(rec["file"].as_str(), Some(article_seed.as_str()));
    assert!(rec["fetched"].as_str().is_some_and(|d| d.len() == 20));
    assert_eq!(rec["hash"].as_str().map(str::len), Some(64));
    assert!(rec.get("feed").is_none());

    // the entries name the address, and come from the main content only
    let texts = entries(site.path());
    let lippe = texts
        .iter()
        .find(|t| t.contains("Bauanträge"))
        .unwrap_or_else(|| panic!("no entry from the article: {texts:#?}"));
    assert!(lippe.contains(&format!("url = \"{a}\"")), "{lippe}");
    assert!(
        !lippe.contains("Cookies") && !lippe.contains("Impressum"),
        "{lippe}"
    );
    assert!(
        texts.iter().any(|t| t.contains(&format!("url = \"{b}\""))),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .all(|t| !t.contains("draft = true") || !t.contains("Feed"))
    );

    // manners: the User-Agent names praxis and the site, robots.txt was asked once,
    // and two requests to the host are at least the delay apart
    let all = server.all();
    for r in &all {
        let ua = r.headers.get("user-agent").expect("user agent");
        assert!(
            ua.starts_with("praxis/") && ua.contains("gute-praxis"),
            "{ua}"
        );
    }
    assert_eq!(server.requests("/robots.txt").len(), 1);
    for pair in all.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(280),
            "{gap:?} between requests"
        );
    }

    // a second run fetches nothing again, also after an editor renamed a seed
    std::fs::create_dir(site.path().join("seeds/lippe")).expect("mkdir");
    std::fs::rename(
        site.path().join("seeds").join(article_seed),
        site.path().join("seeds/lippe/bauakte.html"),
    )
    .expect("rename");
    let again = site.run(&["import", "--url", &a, &b]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again
            .stdout
            .contains("fetched: 0 new page(s), 2 already fetched"),
        "{}",
        again.stdout
    );
    assert_eq!(server.requests("/presse/digitale-bauakte").len(), 1);
    assert_eq!(server.requests("/aktuelles/barcamp.html").len(), 1);
    let renamed = pages(&ledger(&site));
    assert!(
        renamed
            .iter()
            .any(|p| p["file"].as_str() == Some("lippe/bauakte.html")),
        "the ledger follows the rename: {renamed:#?}"
    );
    // the moved seed's entries still carry the address, found by the seed's hash
    let texts = entries(site.path());
    assert!(
        texts
            .iter()
            .any(|t| t.contains("file = \"seeds/lippe/bauakte.html\"")
                && t.contains(&format!("url = \"{a}\""))),
        "{texts:#?}"
    );
}

/// An RSS feed whose items change between runs.
fn feed_xml(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(title, link)| format!("<item><title>{title}</title><link>{link}</link></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Presse</title><link>/</link>\
         <description>Meldungen</description>{items}</channel></rss>"
    )
}

#[test]
fn feeds_bring_new_items_once_as_drafts() {
    // round 0: items eins and zwei; round 1: zwei changed, drei new; round 2: the
    // same feed again, answered 304 to the ETag of round 1
    let round = Arc::new(AtomicUsize::new(0));
    let r2 = Arc::clone(&round);
    let server = Server::start(move |r| match r.path.as_str() {
        "/rss.xml" => {
            let n = r2.load(Ordering::SeqCst);
            let items: &[(&str, &str)] = if n == 0 {
                &[("Bauakte", "/presse/eins"), ("Barcamp", "/presse/zwei")]
            } else {
                &[
                    ("Bauakte", "/presse/eins"),
                    ("Barcamp (aktualisiert)", "/presse/zwei#neu"),
                    ("Bürgerbüro", "/presse/drei"),
                ]
            };
            let etag = format!("\"v{}\"", n.min(1));
            if r.headers.get("if-none-match") == Some(&etag) {
                return Answer::new(304, "application/rss+xml", "").header("ETag", &etag);
            }
            Answer::new(200, "application/rss+xml", feed_xml(items)).header("ETag", &etag)
        }
        "/presse/eins" => Answer::html(ARTICLE),
        "/presse/zwei" => Answer::html(SOEST),
        "/presse/drei" => Answer::html(LISTING),
        _ => robots(r),
    });
    let site = site("delay = 0.05\n");
    let feed = server.url("/rss.xml");
    let first = site.run(&["import", "--feed", &feed]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("fetched: 2 new page(s)"),
        "{}",
        first.stdout
    );
    let texts = entries(site.path());
    assert!(!texts.is_empty());
    for t in &texts {
        assert!(t.contains("draft = true"), "{t}");
        assert!(
            t.contains("Entwurf aus dem Feed") && t.contains(&feed),
            "{t}"
        );
    }
    let recorded = pages(&ledger(&site));
    assert!(
        recorded
            .iter()
            .all(|p| p["feed"].as_str() == Some(feed.as_str()))
    );

    round.store(1, Ordering::SeqCst);
    let second = site.run(&["import", "--feed", &feed]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(
        second
            .stdout
            .contains("fetched: 1 new page(s), 2 already fetched"),
        "{}",
        second.stdout
    );
    assert_eq!(server.requests("/presse/eins").len(), 1);
    assert_eq!(
        server.requests("/presse/zwei").len(),
        1,
        "a changed item is not fetched again"
    );
    assert_eq!(server.requests("/presse/drei").len(), 1);

    let third = site.run(&["import", "--feed", &feed]);
    assert_eq!(third.code, 0, "{}{}", third.stdout, third.stderr);
    assert!(
        third.stdout.contains("1 feed(s) unchanged"),
        "{}",
        third.stdout
    );
    let asked = server.requests("/rss.xml");
    assert_eq!(asked.len(), 3);
    assert_eq!(
        asked[2].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(server.requests("/presse/drei").len(), 1);
}

#[test]
fn site_feeds_are_followed_by_import_not_by_build() {
    let server = Server::start(|r| match r.path.as_str() {
        "/atom.xml" => Answer::new(
            200,
            "application/atom+xml",
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Kreis</title>\
             <id>urn:kreis</id><updated>2024-03-14T00:00:00Z</updated>\
             <entry><title>Bauakte</title><id>urn:1</id><updated>2024-03-14T00:00:00Z</updated>\
             <link href=\"/presse/bauakte\"/></entry></feed>",
        ),
        "/presse/bauakte" => Answer::html(ARTICLE),
        _ => robots(r),
    });
    let site = site(&format!(
        "delay = 0.05\n[[import.feed]]\nurl = \"{}\"\nname = \"Presse Kreis Lippe\"\n",
        server.url("/atom.xml")
    ));
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}{}", build.stdout, build.stderr);
    let offline = site.run(&["import", "--offline"]);
    assert!(
        server.all().is_empty(),
        "neither build nor --offline fetch: {offline:?}"
    );

    let run = site.run(&["import"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("fetched: 1 new page(s)"),
        "{}",
        run.stdout
    );
    let texts = entries(site.path());
    assert!(
        texts
            .iter()
            .any(|t| t.contains("„Presse Kreis Lippe“") && t.contains("/presse/bauakte")),
        "{texts:#?}"
    );
}

#[test]
fn every_failure_is_one_line_and_the_rest_goes_on() {
    let server = Server::start(|r| {
        let mut big = Answer::html(&"<p>Viel Text über Verwaltung.</p>".repeat(2000));
        match r.path.as_str() {
            "/robots.txt" => Answer::new(
                200,
                "text/plain",
                "User-agent: praxis\nDisallow: /privat/\n",
            ),
            "/gut" => Answer::html(SOEST),
            "/weg" => Answer::redirect("/umzug"),
            "/umzug" => Answer::redirect("/presse/digitale-bauakte"),
            "/presse/digitale-bauakte" => Answer::html(ARTICLE),
            "/kreis-a" => Answer::redirect("/kreis-b"),
            "/kreis-b" => Answer::redirect("/kreis-a"),
            "/fehlt" => Answer::new(404, "text/html", "<p>Nicht gefunden</p>"),
            "/kaputt" => Answer::new(500, "text/html", "<p>Fehler</p>"),
            "/bild" => Answer::new(200, "image/png", vec![0x89, b'P', b'N', b'G']),
            "/gross" => big,
            "/gross-ohne-laenge" => {
                big.length = false;
                big
            }
            "/langsam" => {
                let mut a = Answer::html(SOEST);
                a.delay = Duration::from_secs(3);
                a
            }
            "/privat/akte" => Answer::html(ARTICLE),
            "/kein-feed" => Answer::new(200, "application/xml", "<html><p>kein Feed</p></html>"),
            _ => Answer::new(404, "text/plain", ""),
        }
    });
    let site = site("delay = 0.05\nmax_size_mb = 0.05\n");
    let bad = [
        ("/fehlt", "HTTP 404"),
        ("/kaputt", "HTTP 500"),
        ("/bild", "image/png"),
        ("/gross", "larger than 0.05 MB"),
        ("/gross-ohne-laenge", "larger than 0.05 MB"),
        ("/langsam", "within 1 s"),
        ("/kreis-a", "redirect loop"),
        ("/privat/akte", "robots.txt"),
    ];
    let mut args = vec!["import".to_string(), "--url".into()];
    args.extend(bad.iter().map(|(p, _)| server.url(p)));
    args.push(server.url("/gut"));
    args.push(server.url("/weg"));
    args.push("file:///etc/passwd".into());
    args.push("--feed".into());
    args.push(server.url("/kein-feed"));
    args.push("--feed".into());
    args.push(server.url("/gut"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let run = site.run(&args);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    for (path, why) in bad {
        let url = server.url(path);
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{url}: error: ")))
            .unwrap_or_else(|| panic!("no line for {url}: {}", run.stderr));
        assert!(line.contains(why), "{line}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("file:///etc/passwd: error: not a web address")),
        "{}",
        run.stderr
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{}: error: not a valid RSS or Atom feed",
            server.url("/kein-feed")
        ))),
        "{}",
        run.stderr
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{}: error: the address serves `text/html`, not an RSS",
            server.url("/gut")
        ))),
        "{}",
        run.stderr
    );
    assert_eq!(lines.len(), bad.len() + 3, "{}", run.stderr);

    // the good page and the redirected one were fetched and imported all the same
    assert!(
        run.stdout.contains("fetched: 2 new page(s)"),
        "{}",
        run.stdout
    );
    let recorded = pages(&ledger(&site));
    let moved = recorded
        .iter()
        .find(|p| p["url"].as_str() == Some(server.url("/weg").as_str()))
        .expect("the redirected page is recorded");
    assert_eq!(
        moved["final_url"].as_str(),
        Some(server.url("/presse/digitale-bauakte").as_str())
    );
    assert!(
        server.requests("/privat/akte").is_empty(),
        "robots.txt was obeyed"
    );
    let texts = entries(site.path());
    assert!(texts.iter().any(|t| t.contains("Barcamp")), "{texts:#?}");
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&format!("url = \"{}\"", server.url("/weg")))),
        "{texts:#?}"
    );
    // nothing of the failed addresses reached seeds/
    let seeds = std::fs::read_dir(site.path().join("seeds"))
        .expect("seeds")
        .count();
    assert_eq!(seeds, 3, "two seeds and the ledger");
}

#[test]
fn an_unreadable_robots_txt_stops_that_host_only() {
    let server = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => Answer::new(503, "text/plain", ""),
        _ => Answer::html(ARTICLE),
    });
    let site = site("delay = 0.05\n");
    let run = site.run(&["import", "--url", &server.url("/a"), &server.url("/b")]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("robots.txt could not be read (the server failed (HTTP 503)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        server.requests("/robots.txt").len(),
        1,
        "asked once per run"
    );
    assert!(server.requests("/a").is_empty() && server.requests("/b").is_empty());
}

/// A relative `--root` fetches and imports into that site, not into a copy of its
/// path below it (the import joined the root twice before).
#[test]
fn a_relative_root_is_joined_once() {
    let server = Server::start(|r| match r.path.as_str() {
        "/presse/bauakte" => Answer::html(ARTICLE),
        _ => robots(r),
    });
    let site = site("delay = 0.05\n");
    let parent = site.path().parent().expect("parent");
    let name = site
        .path()
        .file_name()
        .expect("name")
        .to_str()
        .expect("utf-8");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_praxis"))
        .current_dir(parent)
        .args([
            "--root",
            name,
            "import",
            "--url",
            &server.url("/presse/bauakte"),
        ])
        .output()
        .expect("run praxis");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.path().join("seeds/.praxis-fetched.toml").is_file());
    let texts = entries(site.path());
    assert!(
        texts
            .iter()
            .any(|t| t.contains("file = \"seeds/127.0.0.1_presse-bauakte.html\"")),
        "{texts:#?}"
    );
    assert!(!site.path().join(name).exists());
}
