//! `robots.txt` (RFC 9309): which paths of a host praxis may fetch.
//!
//! The groups naming praxis's product token apply; when none does, the `*` groups.
//! The longest matching rule decides, `Allow` winning a tie; `*` matches any run of
//! characters and a final `$` anchors the end. `Crawl-delay` is read too: it can
//! only slow praxis down.
//!
//! Written here rather than taken from a crate: the parser is small, and the
//! crates for it had not been kept up (old parser-combinator and error crates).

/// The rules of one host for one user agent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// (allow, pattern), patterns as written.
    rules: Vec<(bool, String)>,
    /// Seconds the host asks for between two requests.
    pub crawl_delay: Option<f64>,
}

/// A group's lines while parsing.
#[derive(Default)]
struct Group {
    agents: Vec<String>,
    rules: Vec<(bool, String)>,
    crawl_delay: Option<f64>,
}

impl Robots {
    /// Everything allowed: a host without `robots.txt` (404, 410).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Nothing allowed: a host whose `robots.txt` cannot be read (5xx, no answer).
    pub fn disallow_all() -> Robots {
        Robots {
            rules: vec![(false, "/".into())],
            crawl_delay: None,
        }
    }

    /// The rules of `text` for the product token `agent` (e.g. "praxis").
    pub fn parse(text: &str, agent: &str) -> Robots {
        let mut groups: Vec<Group> = Vec::new();
        // a User-agent line after a rule starts a new group
        let mut in_rules = true;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules || groups.is_empty() {
                        groups.push(Group::default());
                        in_rules = false;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.agents.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    if let Some(g) = groups.last_mut() {
                        // an empty Disallow allows everything: no rule
                        if !value.is_empty() {
                            g.rules.push((key == "allow", value.to_string()));
                        }
                    }
                }
                "crawl-delay" => {
                    in_rules = true;
                    if let Some(g) = groups.last_mut() {
                        g.crawl_delay = value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0);
                    }
                }
                _ => {}
            }
        }
        let agent = agent.to_ascii_lowercase();
        let named = |g: &&Group| g.agents.contains(&agent);
        let star = |g: &&Group| g.agents.iter().any(|a| a == "*");
        let chosen: Vec<&Group> = if groups.iter().any(|g| named(&g)) {
            groups.iter().filter(named).collect()
        } else {
            groups.iter().filter(star).collect()
        };
        Robots {
            rules: chosen
                .iter()
                .flat_map(|g| g.rules.iter().cloned())
                .collect(),
            crawl_delay: chosen.iter().filter_map(|g| g.crawl_delay).reduce(f64::max),
        }
    }

    /// Whether `path` (path and query of an address, starting with `/`) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                let better = match best {
                    None => true,
                    Some((l, a)) => len > l || (len == l && *allow && !a),
                };
                if better {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether a rule's pattern matches the start of `path` (the whole of it with `$`).
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let p = pattern.as_bytes();
    let s = path.as_bytes();
    // wildcard matching with one backtrack point: linear in practice, never exponential
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if i == p.len() {
            if !anchored || j == s.len() {
                return true;
            }
        } else if p[i] == b'*' {
            star = Some((i, j));
            i += 1;
            continue;
        } else if j < s.len() && p[i] == s[j] {
            i += 1;
            j += 1;
            continue;
        }
        match star {
            Some((si, sj)) if sj < s.len() => {
                star = Some((si, sj + 1));
                i = si + 1;
                j = sj + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# a municipal site
User-agent: *
Disallow: /intern/
Disallow: /suche?
Allow: /intern/presse/
Crawl-delay: 2

User-agent: BadBot
User-agent: praxis
Disallow: /entwurf
Allow: /*.html$
";

    #[test]
    fn the_named_group_wins_over_star() {
        let r = Robots::parse(TEXT, "praxis");
        assert!(!r.allows("/entwurf/a"));
        assert!(r.allows("/entwurf/a.html"));
        assert!(!r.allows("/entwurf/a.html?x=1"));
        assert!(r.allows("/intern/"));
        assert_eq!(r.crawl_delay, None);
    }

    #[test]
    fn star_group_longest_rule_decides() {
        let r = Robots::parse(TEXT, "otherbot");
        assert!(!r.allows("/intern/akte"));
        assert!(r.allows("/intern/presse/2024"));
        assert!(!r.allows("/suche?q=x"));
        assert!(r.allows("/suche"));
        assert!(r.allows("/"));
        assert_eq!(r.crawl_delay, Some(2.0));
    }

    #[test]
    fn empty_disallow_and_empty_file_allow_everything() {
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "praxis").allows("/a"));
        assert!(Robots::parse("", "praxis").allows("/a"));
        assert!(!Robots::disallow_all().allows("/"));
    }

    #[test]
    fn wildcards_do_not_blow_up() {
        let r = Robots::parse("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*b\n", "praxis");
        let path = format!("/{}", "a".repeat(5000));
        assert!(r.allows(&path));
        assert!(matches("/*/presse", "/kreis/presse/1"));
        assert!(!matches("/a$", "/ab"));
    }
}
