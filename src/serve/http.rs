//! A small HTTP/1.1 file server for the preview: GET and HEAD, one request per
//! connection, a thread per connection.
//!
//! Pages get the reload script before `</body>`; `/__praxis/events` streams
//! server-sent events, `/__praxis/status` tells how the last rebuild went.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::Shared;

pub const RELOAD_JS: &str = include_str!("reload.js");
const SCRIPT_TAG: &str = "<script src=\"/__praxis/reload.js\"></script>";

/// Accepts connections until the process ends.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming().flatten() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
}

struct Request {
    method: String,
    path: String,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    // skip the headers
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Ok(Some(Request {
        method: method.to_string(),
        path,
    }))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let Some(req) = read_request(&stream)? else {
        return respond(&mut stream, 400, "text/plain", b"bad request\n", false);
    };
    let head = req.method == "HEAD";
    if req.method != "GET" && !head {
        return respond(
            &mut stream,
            405,
            "text/plain",
            b"only GET and HEAD\n",
            false,
        );
    }
    match req.path.as_str() {
        "/__praxis/reload.js" => {
            return respond(
                &mut stream,
                200,
                "text/javascript; charset=utf-8",
                RELOAD_JS.as_bytes(),
                head,
            );
        }
        "/__praxis/status" => {
            let body = shared.status_json();
            return respond(&mut stream, 200, "application/json", body.as_bytes(), head);
        }
        "/__praxis/events" => return events(stream, shared),
        _ => {}
    }
    let Some(rel) = safe_path(&req.path) else {
        return respond(&mut stream, 403, "text/plain", b"forbidden\n", head);
    };
    let out = shared.output.clone();
    // serve-only pages first: they replace a few of the site's and add the review page
    let mut file = match &shared.overlay {
        Some(overlay) if is_page(&overlay.join(&rel)) => overlay.join(&rel),
        _ => out.join(&rel),
    };
    if file.is_dir() {
        if !req.path.ends_with('/') {
            let location = format!("{}/", req.path);
            let msg = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return stream.write_all(msg.as_bytes());
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            respond(&mut stream, 200, kind, &inject(kind, bytes), head)
        }
        Err(_) => {
            let page = std::fs::read(out.join("404.html"))
                .unwrap_or_else(|_| b"<!DOCTYPE html><title>404</title><p>Not found</p>".to_vec());
            let kind = "text/html; charset=utf-8";
            respond(&mut stream, 404, kind, &inject(kind, page), head)
        }
    }
}

/// Whether `path` is a page: an HTML file or a folder with an index.html.
fn is_page(path: &Path) -> bool {
    path.join("index.html").is_file()
        || (path.is_file() && path.extension().is_some_and(|x| x == "html"))
}

/// The file path for a URL path; None when it would leave the output folder.
pub fn safe_path(url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut out = PathBuf::new();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains(['\0', '\\'])).then_some(text)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script to an HTML page, before its last `</body>`.
pub fn inject(kind: &str, mut bytes: Vec<u8>) -> Vec<u8> {
    if !kind.starts_with("text/html") {
        return bytes;
    }
    let at = bytes
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(bytes.len());
    bytes.splice(at..at, SCRIPT_TAG.bytes());
    bytes
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    kind: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Server-sent events: one `reload` event per finished rebuild, a comment every
/// 15 seconds so dead connections are noticed.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    let mut seen = shared.version();
    loop {
        let now = shared.wait_for_change(seen, Duration::from_secs(15));
        if now == seen {
            stream.write_all(b": ping\n\n")?;
        } else {
            seen = now;
            stream.write_all(format!("event: reload\ndata: {now}\n\n").as_bytes())?;
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output() {
        assert_eq!(safe_path("/"), Some(PathBuf::new()));
        assert_eq!(
            safe_path("/praxis/a%20b/"),
            Some(PathBuf::from("praxis/a b"))
        );
        assert_eq!(safe_path("/../etc/passwd"), None);
        assert_eq!(safe_path("/praxis/%2e%2e/%2e%2e/x"), None);
        assert_eq!(safe_path("/a/..%2f..%2fx"), None);
        assert_eq!(safe_path("/%zz"), None);
    }

    #[test]
    fn script_goes_before_body_end() {
        let out = inject("text/html", b"<p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<p>x</p>{SCRIPT_TAG}</body></html>")
        );
        assert_eq!(inject("text/css", b"</body>".to_vec()), b"</body>".to_vec());
    }
}
