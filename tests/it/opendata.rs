//! The open-data exports of a built site, read back with real parsers: Atom feeds and
//! sitemap as XML against their rules, catalogue.json against its JSON Schema, the
//! CSV against catalogue.json, the DCAT-AP.de document's required properties; and the
//! legal pages, template overrides and static files of a site.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use regex::Regex;
use serde_json::Value;

use super::links::{BASE, build, files, resolve, site};

/// A parsed XML element.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn one(&self, name: &str) -> &Node {
        let found: Vec<&Node> = self.children.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "<{}> needs exactly one <{name}>", self.name);
        found[0]
    }
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }
}

/// Parses a whole document; fails the test on any well-formedness error.
fn parse_xml(bytes: &[u8], what: &str) -> Node {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{what}"
    );
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = vec![Node::default()];
    let element = |e: &quick_xml::events::BytesStart| Node {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|err| panic!("{what}: bad attribute: {err}"));
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .unwrap_or_else(|err| panic!("{what}: bad attribute value: {err}"))
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event() {
            Err(e) => panic!("{what}: not well-formed XML: {e}"),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => stack.push(element(&e)),
            Ok(Event::Empty(e)) => {
                let node = element(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Ok(Event::End(_)) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Ok(Event::Text(t)) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().unwrap().unwrap().to_string()
                } else {
                    let name = r.xml10_content();
                    quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("{what}: unknown entity &{name};"))
                        .to_string()
                };
                stack.last_mut().unwrap().text.push_str(&resolved);
            }
            Ok(_) => {}
        }
    }
    let mut doc = stack.pop().unwrap();
    assert!(stack.is_empty(), "{what}: unclosed elements");
    assert_eq!(doc.children.len(), 1, "{what}: one root element");
    doc.children.pop().unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn rfc3339() -> Regex {
    Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$").unwrap()
}

/// Checks one feed against RFC 4287 and returns (feed id, entry id → entry link).
fn check_feed(out: &Path, path: &str, base: Option<&str>) -> (String, BTreeMap<String, String>) {
    let feed = parse_xml(&std::fs::read(out.join(path)).unwrap(), path);
    let time = rfc3339();
    assert_eq!(feed.name, "feed", "{path}");
    assert_eq!(feed.attr("xmlns"), "http://www.w3.org/2005/Atom", "{path}");
    let id = feed.one("id").text.clone();
    // atom:id is an absolute IRI; ours are tag: URIs (RFC 4151)
    assert!(id.starts_with("tag:"), "{path}: feed id {id}");
    assert!(!feed.one("title").text.is_empty(), "{path}");
    assert!(time.is_match(&feed.one("updated").text), "{path}");
    let self_links: Vec<&Node> = feed
        .all("link")
        .filter(|l| l.attr("rel") == "self")
        .collect();
    assert_eq!(self_links.len(), 1, "{path}: one rel=self link");
    let (self_file, _) = resolve(out, path, self_links[0].attr("href"), base).unwrap();
    assert_eq!(
        self_file,
        out.join(path),
        "{path}: rel=self points at the feed"
    );
    let feed_has_author = feed.all("author").any(|a| !a.one("name").text.is_empty());
    let mut entries = BTreeMap::new();
    for entry in feed.all("entry") {
        let eid = entry.one("id").text.clone();
        assert!(eid.starts_with("tag:"), "{path}: entry id {eid}");
        assert!(!entry.one("title").text.is_empty());
        assert!(time.is_match(&entry.one("updated").text), "{path}");
        for p in entry.all("published") {
            assert!(time.is_match(&p.text));
        }
        assert!(
            feed_has_author || entry.all("author").next().is_some(),
            "{path}: author"
        );
        // no content element: then an alternate link is required (RFC 4287 4.1.1)
        let alternate: Vec<&Node> = entry
            .all("link")
            .filter(|l| l.attr("rel") == "alternate" || l.attr("rel").is_empty())
            .collect();
        assert_eq!(alternate.len(), 1, "{path}: {eid} needs one alternate link");
        let href = alternate[0].attr("href").to_string();
        let (file, _) = resolve(out, path, &href, base).unwrap();
        assert!(
            file.is_file(),
            "{path}: {href} does not resolve ({})",
            file.display()
        );
        for c in entry.all("category") {
            assert!(!c.attr("term").is_empty(), "{path}: category without term");
        }
        assert!(
            entries.insert(eid.clone(), href).is_none(),
            "{path}: duplicate entry id {eid}"
        );
    }
    (id, entries)
}

#[test]
fn feeds_are_valid_atom_with_ids_stable_across_builds() {
    let site = site("opendata");
    let mut runs = Vec::new();
    for base in [None, Some(BASE), None] {
        let out = build(site.path(), base);
        let catalogue = read_json(&out.join("catalogue.json"));
        let entries = catalogue["entries"].as_array().unwrap();
        let feeds = files(&out, "atom.xml");
        // all entries, the four topics (one without entries), one Land
        assert_eq!(
            feeds,
            [
                "atom.xml",
                "regionen/nordrhein-westfalen/atom.xml",
                "themen/digitalstrategie/atom.xml",
                "themen/e-akte-und-dokumentenmanagement/atom.xml",
                "themen/personalgewinnung/atom.xml",
                "themen/wissensaustausch-und-vernetzung/atom.xml",
            ]
        );
        let mut ids = BTreeMap::new();
        for f in &feeds {
            let (id, items) = check_feed(&out, f, base);
            assert!(
                ids.insert(id, items.keys().cloned().collect::<Vec<_>>())
                    .is_none(),
                "feed ids are unique"
            );
            if f == "atom.xml" {
                assert_eq!(items.len(), entries.len(), "the main feed has every entry");
            }
            if f == "themen/wissensaustausch-und-vernetzung/atom.xml" {
                let expected = entries
                    .iter()
                    .filter(|e| {
                        e["topic"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|t| t == "Wissensaustausch & Vernetzung")
                    })
                    .count();
                assert_eq!(items.len(), expected);
            }
        }
        // home, topic and Land pages announce their feed
        let home = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
        let land =
            std::fs::read_to_string(out.join("regionen/nordrhein-westfalen/index.html")).unwrap();
        assert!(land.contains("atom.xml\">"), "Land page links its feed");
        let kreis = std::fs::read_to_string(out.join("regionen/kreis-lippe/index.html")).unwrap();
        assert!(
            !kreis.contains("application/atom+xml"),
            "only Länder have feeds"
        );
        let bytes = std::fs::read(out.join("atom.xml")).unwrap();
        runs.push((ids, bytes));
    }
    // same ids with and without base URL; same bytes from the same input
    assert_eq!(runs[0].0, runs[1].0);
    assert_eq!(runs[0].1, runs[2].1);
    assert!(
        runs[0]
            .0
            .keys()
            .all(|id| id.starts_with("tag:kreis-lippe.example,2025:praxis:"))
    );
}

#[test]
fn feeds_can_be_switched_off() {
    let site = site("opendata");
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("feeds = false\n{text}")).unwrap();
    let out = build(site.path(), None);
    assert!(files(&out, "atom.xml").is_empty());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("application/atom+xml"));
    let dcat = read_json(&out.join("dcat.jsonld"));
    assert!(!dcat.to_string().contains("atom.xml"));
}

#[test]
fn sitemap_lists_every_page_with_base_url_only() {
    let site = site("opendata");
    let out = build(site.path(), None);
    assert!(
        !out.join("sitemap.xml").exists(),
        "no sitemap without absolute URLs"
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.starts_with("User-agent: *\n") && !robots.contains("Sitemap:"));

    let out = build(site.path(), Some(BASE));
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml\n")));
    let map = parse_xml(
        &std::fs::read(out.join("sitemap.xml")).unwrap(),
        "sitemap.xml",
    );
    assert_eq!(map.name, "urlset");
    assert_eq!(
        map.attr("xmlns"),
        "http://www.sitemaps.org/schemas/sitemap/0.9"
    );
    let date = Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    let mut listed = BTreeSet::new();
    for url in map.all("url") {
        let loc = &url.one("loc").text;
        assert!(loc.starts_with(BASE), "{loc}");
        let (file, _) = resolve(&out, "", loc, Some(BASE)).unwrap();
        assert!(file.is_file(), "{loc}");
        for m in url.all("lastmod") {
            assert!(date.is_match(&m.text), "{}", m.text);
        }
        assert!(listed.insert(loc.clone()), "{loc} listed twice");
    }
    assert!(map.all("url").count() <= 50_000);
    let pages: Vec<String> = files(&out, ".html")
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    assert_eq!(
        listed.len(),
        pages.len(),
        "every page but 404.html is listed"
    );
    assert!(listed.contains(&format!("{BASE}impressum/")));
}

/// A validator for the JSON Schema keywords `catalogue.schema.json` uses: type,
/// required, properties, additionalProperties, items, enum, pattern, minimum, oneOf
/// and local `$ref`s. Unknown keywords fail the test, so the schema cannot outgrow it.
fn validate(schema: &Value, root: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let obj = schema.as_object().unwrap();
    if let Some(r) = obj.get("$ref") {
        let name = r.as_str().unwrap().strip_prefix("#/$defs/").unwrap();
        return validate(&root["$defs"][name], root, v, at, errors);
    }
    for key in obj.keys() {
        assert!(
            [
                "$schema",
                "$id",
                "$defs",
                "title",
                "description",
                "type",
                "required",
                "properties",
                "additionalProperties",
                "items",
                "enum",
                "pattern",
                "minimum",
                "oneOf"
            ]
            .contains(&key.as_str()),
            "the test validator does not know `{key}`"
        );
    }
    if let Some(t) = obj.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect(),
            _ => panic!("bad type"),
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => panic!("unknown type {t}"),
        });
        if !ok {
            errors.push(format!("{at}: {v} is not of type {types:?}"));
            return;
        }
    }
    if let Some(e) = obj.get("enum")
        && !e.as_array().unwrap().contains(v)
    {
        errors.push(format!("{at}: {v} is not one of {e}"));
    }
    if let (Some(p), Some(s)) = (obj.get("pattern"), v.as_str())
        && !Regex::new(p.as_str().unwrap()).unwrap().is_match(s)
    {
        errors.push(format!("{at}: `{s}` does not match {p}"));
    }
    if let (Some(m), Some(n)) = (obj.get("minimum"), v.as_f64())
        && n < m.as_f64().unwrap()
    {
        errors.push(format!("{at}: {n} is below {m}"));
    }
    if let Some(one) = obj.get("oneOf") {
        let passing = one
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                let mut e = Vec::new();
                validate(s, root, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!("{at}: matches {passing} of oneOf"));
        }
    }
    if let Some(map) = v.as_object() {
        for r in obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !map.contains_key(r.as_str().unwrap()) {
                errors.push(format!("{at}: `{r}` is missing"));
            }
        }
        let props = obj.get("properties").and_then(Value::as_object);
        for (k, val) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, root, val, &format!("{at}.{k}"), errors),
                None if obj.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: `{k}` is not allowed"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(list)) = (obj.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            validate(items, root, item, &format!("{at}[{i}]"), errors);
        }
    }
}

#[test]
fn catalogue_json_matches_its_schema() {
    for fixture in ["opendata", "valid"] {
        let site = site(fixture);
        let out = build(site.path(), None);
        let schema = read_json(&out.join("catalogue.schema.json"));
        let doc = read_json(&out.join("catalogue.json"));
        let mut errors = Vec::new();
        validate(&schema, &schema, &doc, "catalogue", &mut errors);
        assert!(errors.is_empty(), "{fixture}:\n{}", errors.join("\n"));
        assert_eq!(doc["entry_count"], doc["entries"].as_array().unwrap().len());
        // the validator does reject what the schema forbids
        let mut bad = doc.clone();
        bad["entries"][0]["year"] = Value::String("2023".into());
        bad["entries"][0]["region"][0]["level"] = Value::String("bezirk".into());
        bad["extra"] = Value::Null;
        let mut errors = Vec::new();
        validate(&schema, &schema, &bad, "catalogue", &mut errors);
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}

#[test]
fn csv_reads_back_as_catalogue_json() {
    for base in [None, Some(BASE)] {
        let site = site("opendata");
        let out = build(site.path(), base);
        let bytes = std::fs::read(out.join("catalogue.csv")).unwrap();
        // UTF-8 with a byte order mark and CRLF line ends
        let text = std::str::from_utf8(&bytes).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("BOM for spreadsheet programs");
        assert!(text.contains("\r\n"));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "slug",
                "url",
                "title",
                "year",
                "date",
                "topics",
                "organisations",
                "region_names",
                "region_keys",
                "land",
                "land_keys",
                "summary",
                "source_url"
            ]
        );
        let rows: Vec<BTreeMap<String, String>> = reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.unwrap().iter().map(String::from))
                    .collect()
            })
            .collect();
        let json = read_json(&out.join("catalogue.json"));
        let entries = json["entries"].as_array().unwrap();
        assert_eq!(rows.len(), entries.len());
        let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let join = |v: &Value, f: &dyn Fn(&Value) -> String| {
            v.as_array()
                .unwrap()
                .iter()
                .map(f)
                .collect::<Vec<_>>()
                .join("; ")
        };
        for (row, e) in rows.iter().zip(entries) {
            assert_eq!(row["slug"], s(&e["slug"]));
            assert_eq!(row["url"], s(&e["url"]));
            assert_eq!(row["title"], s(&e["title"]));
            assert_eq!(row["year"], e["year"].to_string());
            assert_eq!(row["date"], s(&e["date"]));
            assert_eq!(row["topics"], join(&e["topic"], &s));
            assert_eq!(row["organisations"], join(&e["organisation"], &s));
            assert_eq!(row["region_names"], join(&e["region"], &|r| s(&r["name"])));
            assert_eq!(row["region_keys"], join(&e["region"], &|r| s(&r["key"])));
            assert_eq!(row["summary"], s(&e["summary"]));
            assert_eq!(row["source_url"], s(&e["source"]["url"]));
            let mut lands: Vec<(String, String)> = Vec::new();
            for r in e["region"].as_array().unwrap() {
                for step in r["path"].as_array().unwrap() {
                    let pair = (s(&step["key"]), s(&step["name"]));
                    if step["level"] == "land" && !lands.contains(&pair) {
                        lands.push(pair);
                    }
                }
            }
            let names: Vec<&str> = lands.iter().map(|(_, n)| n.as_str()).collect();
            let keys: Vec<&str> = lands.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(row["land"], names.join("; "));
            assert_eq!(row["land_keys"], keys.join("; "));
            if let Some(b) = base {
                assert!(row["url"].starts_with(b));
            }
        }
        // quotes, commas, line breaks and semicolons survive inside fields
        let jobtausch = rows.iter().find(|r| r["slug"] == "jobtausch").unwrap();
        assert!(jobtausch["summary"].contains("\"zur Probe\", ihren Arbeitsplatz;\neine Woche"));
    }
}

#[test]
fn dcat_describes_the_dataset_with_its_distributions() {
    for base in [None, Some(BASE)] {
        let site = site("opendata");
        let out = build(site.path(), base);
        let doc = read_json(&out.join("dcat.jsonld"));
        let ctx = &doc["@context"];
        assert_eq!(ctx["dcat"], "http://www.w3.org/ns/dcat#");
        assert_eq!(ctx["dct"], "http://purl.org/dc/terms/");
        assert_eq!(ctx["dcatde"], "http://dcat-ap.de/def/dcatde/");
        let graph = doc["@graph"].as_array().unwrap();
        let of_type =
            |t: &str| -> Vec<&Value> { graph.iter().filter(|n| n["@type"] == t).collect() };
        let id = |v: &Value| v["@id"].as_str().unwrap().to_string();

        let catalogs = of_type("dcat:Catalog");
        assert_eq!(catalogs.len(), 1);
        let catalog = catalogs[0];
        for key in [
            "dct:title",
            "dct:description",
            "dct:publisher",
            "dcat:dataset",
        ] {
            assert!(!catalog[key].is_null(), "catalog needs {key}");
        }
        let datasets = of_type("dcat:Dataset");
        assert_eq!(datasets.len(), 1);
        let ds = datasets[0];
        assert_eq!(id(&catalog["dcat:dataset"][0]), id(ds));
        // mandatory and recommended properties of a DCAT-AP.de dataset
        for key in [
            "dct:title",
            "dct:description",
            "dct:publisher",
            "dcat:distribution",
            "dcat:contactPoint",
            "dcatde:contributorID",
            "dcat:theme",
            "dcat:keyword",
            "dct:modified",
            "dct:spatial",
            "dcatde:politicalGeocodingURI",
            "dcatde:politicalGeocodingLevelURI",
            "dct:identifier",
        ] {
            assert!(!ds[key].is_null(), "dataset needs {key}");
        }
        assert_eq!(
            ds["dct:publisher"]["foaf:name"],
            "Kreis Lippe, Stabsstelle Digitalisierung"
        );
        assert_eq!(
            ds["dcat:contactPoint"]["vcard:hasEmail"]["@id"],
            "mailto:praxis@kreis-lippe.example"
        );
        assert_eq!(ds["dct:identifier"], "tag:kreis-lippe.example,2025:praxis");
        // modified: the newest entry's date
        assert_eq!(ds["dct:modified"]["@value"], "2024-05-02");
        let geo: BTreeSet<String> = ds["dcatde:politicalGeocodingURI"]
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect();
        assert!(
            geo.contains("http://dcat-ap.de/def/politicalGeocoding/stateKey/05"),
            "{geo:?}"
        );
        assert!(
            geo.contains("http://dcat-ap.de/def/politicalGeocoding/districtKey/05766"),
            "{geo:?}"
        );
        assert_eq!(
            ds["dcatde:politicalGeocodingLevelURI"]["@id"],
            "http://dcat-ap.de/def/politicalGeocoding/Level/federal"
        );

        let dists = of_type("dcat:Distribution");
        let listed: BTreeSet<String> = ds["dcat:distribution"]
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect();
        assert_eq!(listed, dists.iter().map(|d| id(d)).collect());
        let mut formats = BTreeSet::new();
        for d in &dists {
            for key in ["dcat:accessURL", "dct:license", "dct:format", "dct:title"] {
                assert!(!d[key].is_null(), "distribution needs {key}");
            }
            assert_eq!(
                d["dct:license"]["@id"],
                "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
            );
            assert_eq!(
                d["dcatde:licenseAttributionByText"],
                "Kreis Lippe, Stabsstelle Digitalisierung"
            );
            let href = id(&d["dcat:downloadURL"]);
            let (file, _) = resolve(&out, "dcat.jsonld", &href, base).unwrap();
            assert!(file.is_file(), "{href}");
            if base.is_some() {
                assert!(href.starts_with(BASE), "{href}");
            }
            formats.insert(id(&d["dct:format"]).rsplit('/').next().unwrap().to_string());
        }
        assert_eq!(formats, ["ATOM", "CSV", "JSON"].map(String::from).into());
    }
}

#[test]
fn legal_pages_are_linked_from_every_page() {
    let site = site("opendata");
    let out = build(site.path(), None);
    for (path, title) in [
        ("impressum/index.html", "Impressum"),
        ("datenschutz/index.html", "Datenschutzerklärung"),
        (
            "barrierefreiheit/index.html",
            "Erklärung zur Barrierefreiheit",
        ),
    ] {
        let html = std::fs::read_to_string(out.join(path)).unwrap();
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{path}");
        // the site's templates/page.html wins over the theme's
        assert!(html.contains("class=\"prose site-override\""), "{path}");
    }
    let a11y = std::fs::read_to_string(out.join("barrierefreiheit/index.html")).unwrap();
    assert!(a11y.contains("href=\"mailto:barrierefreiheit@kreis-lippe.example\""));
    assert!(a11y.contains(
        "href=\"https://www.kreis-lippe.example/kontakt?thema=barrierefreiheit&amp;x=1\""
    ));
    assert!(a11y.contains("href=\"https://www.mags.nrw/ombudsstelle-barrierefreie-it\""));
    for page in files(&out, ".html") {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        for target in ["impressum/", "datenschutz/", "barrierefreiheit/"] {
            assert!(
                html.contains(&format!("{target}index.html\""))
                    || html.contains(&format!("/{target}\"")),
                "{page} lacks {target}"
            );
        }
        assert!(
            html.contains("rel=\"license\">dl-de/by-2-0</a>"),
            "{page}: licence in the footer"
        );
    }
    // the site's own static files are copied
    assert_eq!(
        std::fs::read_to_string(out.join("dokumente/hinweis.txt")).unwrap(),
        "Ein Dokument der Website, nicht des Themes.\n"
    );
}

#[test]
fn enabled_page_without_its_file_names_the_file() {
    let site = site("opendata");
    std::fs::remove_file(site.path().join("content/pages/datenschutz.md")).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_praxis"))
        .arg("--root")
        .arg(site.path())
        .args(["build", "--no-import"])
        .output()
        .unwrap();
    // the rest of the site is built; the page and its footer link are left out
    assert_eq!(run.status.code(), Some(0));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("site.toml:24:1: warning: the page `datenschutz` is switched on, but content/pages/datenschutz.md does not exist; it is left out"),
        "{err}"
    );
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(!home.contains("datenschutz/"), "no link to a missing page");
    assert!(home.contains("impressum/"));
}
