//! The HTTP client with manners: a User-Agent naming praxis and the site, time
//! limits, a pause between two requests to one host, redirects followed by hand (so
//! each hop is checked against `robots.txt` and loops are named), a size limit, and
//! only `http`/`https`.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use url::Url;

use super::robots::Robots;
use crate::config::ImportSettings;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;
/// The product token `robots.txt` groups are matched against.
pub const ROBOTS_AGENT: &str = "praxis";
/// The longest pause a host's `Crawl-delay` can ask for; more would stall a run.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);
/// A `robots.txt` larger than this is read only this far (as RFC 9309 allows).
const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// What a request is for: decides the `Accept` header and the content types taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Page,
    Feed,
}

/// The kind of a fetched page, from its content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Html,
    Text,
}

impl PageKind {
    pub fn extension(self) -> &'static str {
        match self {
            PageKind::Html => "html",
            PageKind::Text => "txt",
        }
    }
}

/// A successful answer.
#[derive(Debug)]
pub struct Answer {
    /// Where redirects ended.
    pub url: Url,
    pub bytes: Vec<u8>,
    pub kind: PageKind,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// 304: the validators sent still hold; `bytes` is empty.
    pub not_modified: bool,
}

/// Why a fetch failed; each renders as one line.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    NotWeb(String),
    Robots,
    RobotsUnreadable(String),
    Status(u16),
    TooManyRedirects,
    RedirectLoop(String),
    BadRedirect,
    Timeout(f64),
    Dns,
    Connect,
    TooLarge(u64),
    ContentType(String, Want),
    Network(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotWeb(s) => {
                write!(
                    f,
                    "not a web address ({s}); only http:// and https:// are fetched"
                )
            }
            FetchError::Robots => {
                write!(
                    f,
                    "the site's robots.txt does not allow praxis to fetch this page"
                )
            }
            FetchError::RobotsUnreadable(why) => write!(
                f,
                "the site's robots.txt could not be read ({why}); nothing is fetched from the site until it can"
            ),
            FetchError::Status(404) => write!(f, "not found (HTTP 404); check the address"),
            FetchError::Status(410) => write!(f, "gone (HTTP 410): the page was removed"),
            FetchError::Status(code @ (401 | 403)) => {
                write!(
                    f,
                    "access denied (HTTP {code}); praxis fetches only public pages"
                )
            }
            FetchError::Status(429) => {
                write!(
                    f,
                    "the server asks for fewer requests (HTTP 429); try again later"
                )
            }
            FetchError::Status(code) if *code >= 500 => {
                write!(f, "the server failed (HTTP {code}); try again later")
            }
            FetchError::Status(code) => write!(f, "the server answered HTTP {code}"),
            FetchError::TooManyRedirects => {
                write!(
                    f,
                    "more than {MAX_REDIRECTS} redirects; give the page's final address"
                )
            }
            FetchError::RedirectLoop(at) => write!(f, "redirect loop back to {at}"),
            FetchError::BadRedirect => write!(f, "a redirect without a usable target address"),
            FetchError::Timeout(secs) => write!(
                f,
                "no complete answer within {secs} s; try again later or raise `timeout` in [import] of site.toml"
            ),
            FetchError::Dns => write!(f, "the host name is unknown; check the address"),
            FetchError::Connect => write!(f, "the server cannot be reached"),
            FetchError::TooLarge(limit) => write!(
                f,
                "the answer is larger than {} MB; raise `max_size_mb` in [import] of site.toml if it is meant",
                *limit as f64 / 1_000_000.0
            ),
            FetchError::ContentType(ct, Want::Page) => write!(
                f,
                "the address serves `{ct}`, not a web page (text/html) or plain text"
            ),
            FetchError::ContentType(ct, Want::Feed) => write!(
                f,
                "the address serves `{ct}`, not an RSS or Atom feed; for a web page use --url"
            ),
            FetchError::Network(e) => write!(f, "{e}"),
        }
    }
}

/// What the client knows of one host.
#[derive(Default)]
struct Host {
    last: Option<Instant>,
    /// The host's `Crawl-delay`, when it asks for one.
    crawl_delay: Option<Duration>,
    robots: Option<Result<Robots, FetchError>>,
}

pub struct Client {
    agent: ureq::Agent,
    timeout: f64,
    delay: Duration,
    max_bytes: u64,
    hosts: HashMap<String, Host>,
}

impl Client {
    /// A client for `settings`; `user_agent` names praxis and the site.
    pub fn new(settings: &ImportSettings, user_agent: &str) -> Client {
        let timeout = Duration::from_secs_f64(settings.timeout);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .user_agent(user_agent)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            // redirects are followed in `get`, hop by hop
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            agent,
            timeout: settings.timeout,
            delay: Duration::from_secs_f64(settings.delay),
            max_bytes: (settings.max_size_mb * 1_000_000.0) as u64,
            hosts: HashMap::new(),
        }
    }

    /// Fetches `url`, following redirects; `validators` (ETag, Last-Modified) make
    /// the request conditional.
    pub fn get(
        &mut self,
        url: &str,
        want: Want,
        validators: (Option<&str>, Option<&str>),
    ) -> Result<Answer, FetchError> {
        let mut url = parse_web(url)?;
        let mut seen = vec![url.clone()];
        for _ in 0..=MAX_REDIRECTS {
            self.check_robots(&url)?;
            let mut req = self.agent.get(url.as_str()).header(
                "Accept",
                match want {
                    Want::Page => "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
                    Want::Feed => {
                        "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9"
                    }
                },
            );
            if let Some(etag) = validators.0 {
                req = req.header("If-None-Match", etag);
            }
            if let Some(date) = validators.1 {
                req = req.header("If-Modified-Since", date);
            }
            self.wait_for(&url);
            let result = req.call();
            self.done(&url);
            let mut resp = result.map_err(|e| self.failure(e))?;
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            if (300..400).contains(&status) && status != 304 {
                let next = header("location")
                    .and_then(|l| url.join(&l).ok())
                    .ok_or(FetchError::BadRedirect)?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(FetchError::NotWeb(next.to_string()));
                }
                if seen.contains(&next) {
                    return Err(FetchError::RedirectLoop(next.to_string()));
                }
                seen.push(next.clone());
                url = next;
                continue;
            }
            let etag = header("etag");
            let last_modified = header("last-modified");
            if status == 304 && (validators.0.is_some() || validators.1.is_some()) {
                return Ok(Answer {
                    url,
                    bytes: Vec::new(),
                    kind: PageKind::Text,
                    etag,
                    last_modified,
                    not_modified: true,
                });
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status(status));
            }
            let content_type = header("content-type").unwrap_or_default();
            let kind = accepted(&content_type, want)?;
            if header("content-length")
                .and_then(|l| l.trim().parse::<u64>().ok())
                .is_some_and(|len| len > self.max_bytes)
            {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            let bytes = resp
                .body_mut()
                .with_config()
                .limit(self.max_bytes)
                .read_to_vec()
                .map_err(|e| self.failure(e))?;
            let kind = kind.unwrap_or_else(|| sniff(&bytes));
            return Ok(Answer {
                url,
                bytes,
                kind,
                etag,
                last_modified,
                not_modified: false,
            });
        }
        Err(FetchError::TooManyRedirects)
    }

    /// Reads the host's `robots.txt` once per run; fails when it forbids `url`.
    fn check_robots(&mut self, url: &Url) -> Result<(), FetchError> {
        let key = host_key(url);
        if self
            .hosts
            .get(&key)
            .and_then(|h| h.robots.as_ref())
            .is_none()
        {
            let robots = self.read_robots(url);
            self.hosts.entry(key.clone()).or_default().robots = Some(robots);
        }
        let host = self.hosts.get(&key);
        match host.and_then(|h| h.robots.as_ref()) {
            Some(Ok(r)) => {
                let path = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_string(),
                };
                if r.allows(&path) {
                    Ok(())
                } else {
                    Err(FetchError::Robots)
                }
            }
            Some(Err(e)) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn read_robots(&mut self, url: &Url) -> Result<Robots, FetchError> {
        let mut at = url.clone();
        at.set_path("/robots.txt");
        at.set_query(None);
        at.set_fragment(None);
        for _ in 0..=MAX_REDIRECTS {
            self.wait_for(&at);
            let result = self.agent.get(at.as_str()).call();
            self.done(&at);
            let mut resp = match result {
                Ok(r) => r,
                // RFC 9309: an unreachable robots.txt means nothing may be fetched
                Err(e) => return Err(FetchError::RobotsUnreadable(self.failure(e).to_string())),
            };
            let status = resp.status().as_u16();
            match status {
                200..=299 => {
                    let bytes = resp
                        .body_mut()
                        .with_config()
                        .limit(MAX_ROBOTS_BYTES)
                        .read_to_vec()
                        .unwrap_or_default();
                    let robots = Robots::parse(&String::from_utf8_lossy(&bytes), ROBOTS_AGENT);
                    if let Some(secs) = robots.crawl_delay {
                        let asked = Duration::from_secs_f64(secs).min(MAX_CRAWL_DELAY);
                        self.delay_for(url, asked);
                    }
                    return Ok(robots);
                }
                300..=399 => {
                    let next = resp
                        .headers()
                        .get("location")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|l| at.join(l).ok());
                    match next {
                        Some(n) if matches!(n.scheme(), "http" | "https") => at = n,
                        _ => return Ok(Robots::allow_all()),
                    }
                }
                400..=499 => return Ok(Robots::allow_all()),
                _ => {
                    return Err(FetchError::RobotsUnreadable(
                        FetchError::Status(status).to_string(),
                    ));
                }
            }
        }
        Ok(Robots::allow_all())
    }

    /// Sleeps until the pause since the last request to this host is over.
    fn wait_for(&mut self, url: &Url) {
        let delay = self.host_delay(url);
        if let Some(last) = self.hosts.get(&host_key(url)).and_then(|h| h.last) {
            let since = last.elapsed();
            if since < delay {
                std::thread::sleep(delay - since);
            }
        }
    }

    fn done(&mut self, url: &Url) {
        self.hosts.entry(host_key(url)).or_default().last = Some(Instant::now());
    }

    fn host_delay(&self, url: &Url) -> Duration {
        self.hosts
            .get(&host_key(url))
            .and_then(|h| h.crawl_delay)
            .map_or(self.delay, |d| d.max(self.delay))
    }

    fn delay_for(&mut self, url: &Url, delay: Duration) {
        self.hosts.entry(host_key(url)).or_default().crawl_delay = Some(delay);
    }

    fn failure(&self, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout(self.timeout),
            ureq::Error::HostNotFound => FetchError::Dns,
            ureq::Error::ConnectionFailed => FetchError::Connect,
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(self.max_bytes),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                FetchError::Timeout(self.timeout)
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                FetchError::Connect
            }
            other => FetchError::Network(one_line(&other.to_string())),
        }
    }
}

/// An absolute http(s) address.
pub fn parse_web(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim()).map_err(|e| FetchError::NotWeb(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(FetchError::NotWeb(format!("scheme `{}`", parsed.scheme())));
    }
    Ok(parsed)
}

/// Scheme, host and port: what `robots.txt` and the pause apply to.
fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// The page kind a content type stands for; `Ok(None)` when the server named none
/// (then the bytes decide).
fn accepted(content_type: &str, want: Want) -> Result<Option<PageKind>, FetchError> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() {
        return Ok(None);
    }
    let ok = match want {
        Want::Page => match mime.as_str() {
            "text/html" | "application/xhtml+xml" => Some(PageKind::Html),
            "text/plain" => Some(PageKind::Text),
            _ => None,
        },
        Want::Feed => (mime.contains("xml")
            || mime.contains("rss")
            || mime.contains("atom")
            || mime == "text/plain"
            || mime == "application/octet-stream")
            .then_some(PageKind::Text),
    };
    ok.map(Some).ok_or(FetchError::ContentType(mime, want))
}

/// A page without a content type: markup or text.
fn sniff(bytes: &[u8]) -> PageKind {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if bytes[start..].starts_with(b"<") {
        PageKind::Html
    } else {
        PageKind::Text
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(
            accepted("text/html; charset=utf-8", Want::Page),
            Ok(Some(PageKind::Html))
        );
        assert_eq!(accepted("", Want::Page), Ok(None));
        assert!(accepted("image/png", Want::Page).is_err());
        assert!(accepted("application/rss+xml", Want::Feed).is_ok());
        assert!(accepted("text/html", Want::Feed).is_err());
    }

    #[test]
    fn only_web_addresses() {
        assert!(parse_web("https://kreis.example/a").is_ok());
        assert!(parse_web("file:///etc/passwd").is_err());
        assert!(parse_web("ftp://kreis.example/a").is_err());
        assert!(parse_web("kreis.example/a").is_err());
    }

    #[test]
    fn messages_are_one_line() {
        for e in [
            FetchError::Status(404),
            FetchError::Status(503),
            FetchError::Timeout(2.0),
            FetchError::TooLarge(10_000_000),
            FetchError::ContentType("image/png".into(), Want::Page),
            FetchError::RedirectLoop("http://a/".into()),
        ] {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}
