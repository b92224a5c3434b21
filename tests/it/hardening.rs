//! Hardening (issue 6): bad inputs get clear errors, nothing is lost, nothing
//! escapes the site root. Each test names the case of docs/reliability.md it pins.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::safety;
use crate::support::{Site, snapshot};

const ENTRY: &str = "+++
title = \"Arbeitsplatz tauschen\"
year = 2022
topic = [\"Wissensaustausch & Vernetzung\"]
region = [\"Bad Salzuflen\"]
organisation = [\"Stadt Bad Salzuflen\"]
+++

Text.
";

/// Folders beside `dir`'s output left by staged builds.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.contains(".praxis-staging-") || n.contains(".praxis-old-"))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `n` small valid entries under content/gen/, with index pages of 50 entries
/// (the fixture's 2 per page would make tens of thousands of pages).
fn add_entries(site: &Site, n: usize) {
    let settings = site.path().join("site.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("per_page = 2\n", "per_page = 50\n")).unwrap();
    let dir = site.path().join("content/gen");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        let text = format!(
            "+++\ntitle = \"Praxis Nummer {i}\"\nyear = {}\ntopic = [\"Wissensaustausch & Vernetzung\"]\nregion = [\"{}\"]\norganisation = [\"Amt {}\"]\nsummary = \"Kurz: Praxis {i}.\"\n+++\n\n## Ausgangslage\n\nText zur Praxis {i} mit *Betonung* und einer Liste:\n\n- eins\n- zwei\n",
            2000 + i % 25,
            ["Bad Salzuflen", "Kreis Lippe", "Nordrhein-Westfalen"][i % 3],
            i % 40
        );
        std::fs::write(dir.join(format!("praxis-{i:05}.md")), text).unwrap();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn bom_and_crlf_entries_are_accepted() {
    let site = Site::from_fixture("valid");
    site.write(
        "content/bom.md",
        &format!("\u{feff}{}", ENTRY.replace("tauschen", "mit BOM")),
    );
    site.write(
        "content/crlf.md",
        &ENTRY.replace("tauschen", "mit CRLF").replace('\n', "\r\n"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (slug, title) in [
        ("bom", "Arbeitsplatz mit BOM"),
        ("crlf", "Arbeitsplatz mit CRLF"),
    ] {
        let page = std::fs::read_to_string(site.public().join(format!("praxis/{slug}/index.html")))
            .unwrap();
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
        assert!(!page.contains('\u{feff}') && !page.contains('\r'), "{slug}");
    }
}

#[test]
fn a_50_mb_entry_is_refused_quickly_without_reading_it() {
    let site = Site::from_fixture("valid");
    let mut text = ENTRY.to_string();
    let line = "Ein sehr langer Absatz, der versehentlich eingefügt wurde. ".repeat(20) + "\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    site.write("content/riesig.md", &text);
    let start = Instant::now();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/riesig.md: error: the file is 50.0 MB; entries may be at most 5 MB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("= help: an entry describes one practice")
    );
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn symlinks_in_content_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("geheim.md"),
        ENTRY.replace("Text.", "GEHEIMNIS-AUSSERHALB"),
    )
    .unwrap();
    std::fs::create_dir(outside.path().join("ordner")).unwrap();
    std::fs::write(
        outside.path().join("ordner/x.md"),
        ENTRY.replace("Text.", "GEHEIMNIS-ORDNER"),
    )
    .unwrap();
    let site = Site::from_fixture("valid");
    std::os::unix::fs::symlink(
        outside.path().join("geheim.md"),
        site.path().join("content/link.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("ordner"),
        site.path().join("content/ordner"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc", site.path().join("themes/default/static/etc")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/link.md: warning: symbolic link skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/ordner: warning: symbolic link skipped")
    );
    for (path, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("GEHEIMNIS"),
            "{} publishes a file from outside the site",
            path.display()
        );
        assert!(!path.starts_with("etc"), "{}", path.display());
    }
}

#[test]
fn scripts_handlers_frames_and_script_links_never_reach_the_pages() {
    let site = Site::from_fixture("valid");
    site.write(
        "content/angriff.md",
        r#"+++
title = "<script>alert('titel')</script><img src=x onerror=alert(1)>"
year = 2022
topic = ["Wissensaustausch & Vernetzung"]
region = ["Bad Salzuflen"]
organisation = ["<b onmouseover=alert(2)>Amt</b>"]
summary = "</script><script>alert('summary')</script>"
+++

Hallo <script>alert(1)</script> und <SCRIPT SRC="https://evil.example/x.js"></SCRIPT>

<img src="x.png" onerror="alert(2)"> <a href="https://x.de" onclick="alert(3)">x</a>

<iframe src="https://evil.example"></iframe>
<object data="x.swf"></object><embed src="x.swf"><style>body{display:none}</style>
<svg onload="alert(4)"></svg><form action="javascript:alert(5)"><button>x</button></form>

[eins](javascript:alert(6)) [zwei](JaVaScRiPt:alert(7)) [drei](java&#x09;script:alert(8))
[vier](&#106;avascript:alert(9)) <javascript:alert(10)> [fünf](vbscript:msgbox(1))
[sechs](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![bild](javascript:alert(11)) [sieben](data:image/svg+xml;base64,PHN2Zz4=)

<a href="javascript:alert(12)">roh</a> <a href="&#x6A;avascript:alert(13)">roh2</a>
"#,
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: link to `javascript:alert(6)` removed"),
        "{}",
        run.stderr
    );
    let mut pages = 0;
    for (path, bytes) in snapshot(&site.public()) {
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8_lossy(&bytes);
        let found = safety::unsafe_markup(&html, &safety::theme_script);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
        // script URLs may survive as visible text (an autolink's label), never as a value
        for tag in safety::start_tags(&html) {
            for (name, value) in &tag.attributes {
                assert!(
                    !value.to_ascii_lowercase().contains("script:"),
                    "{}: <{} {name}=\"{value}\">",
                    path.display(),
                    tag.name
                );
            }
        }
        // every page forbids inline script by policy
        let csp = html
            .split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("{} has no CSP meta tag", path.display()));
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap_or_else(|| panic!("{}: CSP without script-src: {csp}", path.display()));
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("object-src 'none'"), "{csp}");
    }
    assert!(pages > 10);
    // the title is shown, escaped, not dropped
    let page = std::fs::read_to_string(site.public().join("praxis/angriff/index.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;"),
        "{page}"
    );
    // JSON-LD stays one data block: a closing script tag in the summary is escaped
    assert_eq!(page.matches("</script>").count(), 1, "{page}");
}

#[test]
fn a_failed_write_reports_the_path_and_keeps_the_old_output() {
    // a file size limit makes writes past a few KiB fail with EFBIG, like a full disk
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = snapshot(&site.public());
    add_entries(&site, 20);
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 4; exec \"$0\" --root \"$1\" build")
        .arg(env!("CARGO_BIN_EXE_praxis"))
        .arg(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: cannot write"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert!(
        stderr.contains("the previous output is unchanged"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(&site.public()));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn a_full_disk_reports_it_and_keeps_the_old_output() {
    // needs a small tmpfs; mounting needs root, so elsewhere the test is skipped
    let mnt = tempfile::tempdir().unwrap();
    let mounted = is_root()
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(mnt.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.path().to_path_buf());
    let site = Site::from_fixture("valid");
    let out = mnt.path().join("public");
    let out_arg = out.to_str().unwrap();
    let run = site.run(&["build", "--output", out_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = snapshot(&out);
    add_entries(&site, 300);
    let run = site.run(&["build", "--output", out_arg]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: the disk is full"),
        "{}",
        run.stderr
    );
    assert_eq!(before, snapshot(&out));
    assert_eq!(leftovers(mnt.path()), Vec::<String>::new());
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let site = Site::from_fixture("valid");
    // a file where a folder should be fails for every user, root included
    site.write("blockiert", "eine Datei");
    let run = site.run(&[
        "build",
        "--output",
        site.path().join("blockiert/public").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("[SITE]/blockiert: error: cannot create the folder"),
        "{}",
        run.stderr
    );
    if is_root() {
        eprintln!("skipped the permission part: root ignores folder permissions");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let parent = site.path().join("nur-lesen");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("public");
    let run = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = snapshot(&out);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = site.run(&["build", "--output", out.to_str().unwrap()]);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
    assert!(
        run.stderr.contains("check the folder's permissions"),
        "{}",
        run.stderr
    );
    assert_eq!(before, snapshot(&out));
}

#[test]
fn a_second_build_while_one_runs_is_refused() {
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = snapshot(&site.public());
    // hold the lock the way a running build does
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.path().join(".praxis-build.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    site.write("content/neu.md", &ENTRY.replace("tauschen", "neu"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            ".praxis-build.lock: error: another praxis build or serve is running on this site"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(before, snapshot(&site.public()));
    // check writes nothing and needs no lock
    assert_eq!(site.run(&["check"]).code, 0);
    drop(lock);
    assert_eq!(site.run(&["build"]).code, 0);
}

#[test]
fn two_builds_at_once_never_interleave() {
    let site = Site::from_fixture("valid");
    add_entries(&site, stress_entries() / 2);
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_praxis"))
            .arg("--root")
            .arg(site.path())
            .args(["build", "--no-import"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn();
    let b = spawn();
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    let codes: Vec<_> = outs.iter().map(|o| o.status.code()).collect();
    assert!(codes.contains(&Some(0)), "{codes:?}");
    for o in &outs {
        if o.status.code() != Some(0) {
            assert_eq!(o.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&o.stderr).contains("another praxis build"));
        }
    }
    // whatever the timing, the output is one complete build
    let files = snapshot(&site.public());
    assert!(
        files
            .iter()
            .any(|(p, _)| p.starts_with("praxis/praxis-00000"))
    );
    assert!(files.iter().any(|(p, _)| p == Path::new("catalogue.json")));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

/// Entries of the generated sites the fault tests build: enough for a build to take
/// a moment, few enough for `cargo test` to stay quick. PRAXIS_STRESS_ENTRIES=3000
/// runs the same tests on a bigger site.
fn stress_entries() -> usize {
    std::env::var("PRAXIS_STRESS_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

/// Kills a build of the generated site after `delay`, with `signal`.
fn kill_build_after(site: &Site, delay: Duration, signal: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_praxis"))
        .arg("--root")
        .arg(site.path())
        .args(["build", "--no-import"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status();
    let _ = child.wait();
}

#[test]
fn a_killed_build_leaves_the_old_output_and_the_next_build_cleans_up() {
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = snapshot(&site.public());
    add_entries(&site, stress_entries());
    // measure one build to spread the kills over its whole run
    let start = Instant::now();
    let full = tempfile::tempdir().unwrap();
    let run = site.run(&["build", "--output", full.path().join("p").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let took = start.elapsed();
    let complete = snapshot(&full.path().join("p"));
    for (i, signal) in ["-KILL", "-TERM", "-INT", "-KILL", "-TERM", "-KILL"]
        .iter()
        .enumerate()
    {
        let delay = took * (i as u32 + 1) / 8;
        kill_build_after(&site, delay, signal);
        let now = snapshot(&site.public());
        // the output is the old site or the complete new one, never a mix
        assert!(
            now == before || now == complete,
            "{signal} after {delay:?}: output is neither the old nor the new site ({} files)",
            now.len()
        );
    }
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(snapshot(&site.public()), complete);
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn a_build_killed_between_the_two_renames_gets_its_old_output_back() {
    // what a kill between "output → old" and "staging → output" leaves behind
    let site = Site::from_fixture("valid");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = snapshot(&site.public());
    let old = site.path().join(".public.praxis-old-99999");
    std::fs::rename(site.public(), &old).unwrap();
    std::fs::create_dir(site.path().join(".public.praxis-staging-99999")).unwrap();
    // the next build fails on content, yet restores the old output and cleans up
    site.write("content/kaputt.md", "+++\ntitle = \"\"\n+++\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(before, snapshot(&site.public()));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}
