//! `dcat.jsonld`: the catalogue described in DCAT-AP.de as JSON-LD, so that an
//! open-data portal can harvest it: a `dcat:Catalog` holding one `dcat:Dataset` with
//! a distribution per export (JSON, CSV, and the Atom feed when feeds are on).
//!
//! Spatial coverage is given as DCAT-AP.de political geocoding URIs: the Länder
//! (`stateKey`) and Kreise (`districtKey`) of the entries' regions; an entry in a
//! Gemeinde counts for its Kreis, one in a Regierungsbezirk for its Land. The level is
//! the smallest area holding every entry. Without a base URL all addresses are
//! relative references, which JSON-LD resolves against the document's own address.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{
    CATALOGUE_CSV, CATALOGUE_JSON, CATALOGUE_SCHEMA_JSON, DCAT_JSONLD, Linker, entry_day,
    newest_day, site_id,
};
use crate::catalogue::Catalogue;
use crate::config::{Config, Licence};
use crate::regions::{Gazetteer, Level, Region};

const GEOCODING: &str = "http://dcat-ap.de/def/politicalGeocoding/";
const LICENCES: &str = "http://dcat-ap.de/def/licenses/";
const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const LANGUAGE: &str = "http://publications.europa.eu/resource/authority/language/";
const THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/";
const FREQUENCY: &str = "http://publications.europa.eu/resource/authority/frequency/";
const MEDIA_TYPE: &str = "https://www.iana.org/assignments/media-types/";

/// The DCAT-AP.de licence URI of the catalogue's licence: `licence.uri` when set,
/// else recognised from the name or URL of the common open licences, else the URL.
pub fn licence_uri(l: &Licence) -> String {
    if !l.uri.is_empty() {
        return l.uri.clone();
    }
    let norm = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    };
    let name = norm(&l.name);
    let url = l.url.to_lowercase();
    let known = [
        ("ccby40", "/licenses/by/4.0", "cc-by/4.0"),
        ("ccbysa40", "/licenses/by-sa/4.0", "cc-by-sa/4.0"),
        ("cc0", "/publicdomain/zero/1.0", "cc-zero"),
        ("cczero", "/publicdomain/zero/1.0", "cc-zero"),
        ("dldeby20", "dl-de/by-2-0", "dl-by-de/2.0"),
        (
            "datenlizenzdeutschlandnamensnennung20",
            "dl-de/by-2-0",
            "dl-by-de/2.0",
        ),
        ("dldezero20", "dl-de/zero-2-0", "dl-zero-de/2.0"),
        (
            "datenlizenzdeutschlandzero20",
            "dl-de/zero-2-0",
            "dl-zero-de/2.0",
        ),
    ];
    for (n, u, id) in known {
        if name.starts_with(n) || (!l.url.is_empty() && url.contains(u)) {
            return format!("{LICENCES}{id}");
        }
    }
    if l.url.is_empty() {
        l.name.clone()
    } else {
        l.url.clone()
    }
}

/// Licences whose terms ask users to name the author.
fn needs_attribution(uri: &str) -> bool {
    uri.contains("/cc-by") || uri.contains("/dl-by-de")
}

/// The political geocoding URI of a region, when DCAT-AP.de has one for its level.
pub fn geocoding_uri(r: &Region) -> Option<String> {
    match r.level {
        Level::Land => Some(format!("{GEOCODING}stateKey/{}", r.key)),
        Level::Kreis => Some(format!("{GEOCODING}districtKey/{}", r.key)),
        _ => None,
    }
}

/// The regions that stand for the entries' coverage (Länder and Kreise) and the
/// level of the smallest area holding every entry.
pub fn coverage<'g>(cat: &Catalogue, g: &'g Gazetteer) -> (Vec<&'g Region>, &'static str) {
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    let mut common: Option<Vec<&str>> = None;
    let mut national = false;
    for e in &cat.entries {
        for r in &e.regions {
            let path = g.path(r);
            if path.is_empty() || r.level == Level::Staat {
                national = true;
            }
            for step in &path {
                if matches!(step.level, Level::Land | Level::Kreis) {
                    keys.insert(&step.key);
                }
            }
            let here: Vec<&str> = path.iter().map(|s| s.key.as_str()).collect();
            common = Some(match common {
                None => here,
                Some(c) => c
                    .into_iter()
                    .zip(here)
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a)
                    .collect(),
            });
        }
    }
    let regions: Vec<&Region> = keys.into_iter().filter_map(|k| g.by_key(k)).collect();
    let level = match common
        .and_then(|c| c.last().copied())
        .and_then(|k| g.by_key(k))
        .map(|r| r.level)
    {
        _ if national => "federal",
        Some(Level::Land | Level::Regierungsbezirk) => "state",
        Some(Level::Kreis) => "administrativeDistrict",
        Some(Level::Gemeindeverband | Level::Gemeinde | Level::Bezirk) => "municipality",
        _ => "federal",
    };
    (regions, level)
}

/// A hash of what [`dcat_jsonld`] reads of the catalogue besides the settings:
/// each entry's regions, year and date, and the base URL.
pub fn inputs(cat: &Catalogue, base_url: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    base_url.hash(&mut h);
    cat.entries.len().hash(&mut h);
    for e in &cat.entries {
        (e.year, &e.date, e.regions.len()).hash(&mut h);
        for r in &e.regions {
            r.key.hash(&mut h);
        }
    }
    h.finish()
}

/// The DCAT-AP.de document.
pub fn dcat_jsonld(
    config: &Config,
    cat: &Catalogue,
    g: &Gazetteer,
    base_url: Option<&str>,
) -> Vec<u8> {
    let link = Linker { base_url };
    let url = |p: &str| link.url(DCAT_JSONLD, p);
    let catalog_id = format!("{}#catalog", url(DCAT_JSONLD));
    let dataset_id = format!("{}#dataset", url(DCAT_JSONLD));
    let modified = newest_day(cat);
    let licence = licence_uri(&config.licence);
    let language = match config.language.as_str() {
        "en" => "ENG",
        _ => "DEU",
    };

    let p = &config.publisher;
    let mut publisher = Map::new();
    publisher.insert("@type".into(), json!("foaf:Organization"));
    let publisher_name = if p.name.trim().is_empty() {
        &config.title
    } else {
        &p.name
    };
    publisher.insert("foaf:name".into(), json!(publisher_name));
    if !p.url.is_empty() {
        publisher.insert("foaf:homepage".into(), json!({"@id": p.url}));
    }
    if !p.email.is_empty() {
        publisher.insert(
            "foaf:mbox".into(),
            json!({"@id": format!("mailto:{}", p.email)}),
        );
    }

    let c = &config.open_data.contact;
    let (c_name, c_email, c_url, c_phone) = if c == &Default::default() {
        (
            publisher_name.as_str(),
            p.email.as_str(),
            p.url.as_str(),
            "",
        )
    } else {
        (
            if c.name.is_empty() {
                publisher_name.as_str()
            } else {
                c.name.as_str()
            },
            c.email.as_str(),
            c.url.as_str(),
            c.phone.as_str(),
        )
    };
    let mut contact = Map::new();
    contact.insert("@type".into(), json!("vcard:Organization"));
    contact.insert("vcard:fn".into(), json!(c_name));
    if !c_email.is_empty() {
        contact.insert(
            "vcard:hasEmail".into(),
            json!({"@id": format!("mailto:{c_email}")}),
        );
    }
    if !c_url.is_empty() {
        contact.insert("vcard:hasURL".into(), json!({"@id": c_url}));
    }
    if !c_phone.is_empty() {
        let tel: String = c_phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        contact.insert(
            "vcard:hasTelephone".into(),
            json!({"@id": format!("tel:{tel}")}),
        );
    }

    let (regions, level) = coverage(cat, g);
    let geocoding: Vec<Value> = regions
        .iter()
        .filter_map(|r| geocoding_uri(r))
        .map(|u| json!({"@id": u}))
        .collect();
    let spatial: Vec<Value> = regions
        .iter()
        .filter_map(|r| {
            geocoding_uri(r)
                .map(|u| json!({"@id": u, "@type": "dct:Location", "skos:prefLabel": r.name}))
        })
        .collect();

    let keywords: Vec<String> = if config.open_data.keywords.is_empty() {
        config.topics.iter().map(|t| t.name.clone()).collect()
    } else {
        config.open_data.keywords.clone()
    };
    let years = cat.entries.iter().map(|e| e.year);
    let temporal = match (years.clone().min(), years.max()) {
        (Some(a), Some(b)) => json!({
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": format!("{a:04}-01-01"), "@type": "xsd:date"},
            "dcat:endDate": {"@value": format!("{b:04}-12-31"), "@type": "xsd:date"},
        }),
        _ => Value::Null,
    };
    let date = |d: &Option<String>| match d {
        Some(d) => json!({"@value": d, "@type": "xsd:date"}),
        None => Value::Null,
    };
    let issued = cat.entries.iter().map(|e| entry_day(e)).min();

    let mut distributions = vec![
        distribution(
            &url(CATALOGUE_JSON),
            "Katalog als JSON",
            "Alle veröffentlichten Praxisbeispiele mit aufgelösten Regionen.",
            "JSON",
            "application/json",
            Some(url(CATALOGUE_SCHEMA_JSON)),
        ),
        distribution(
            &url(CATALOGUE_CSV),
            "Katalog als CSV",
            "Eine Zeile je Praxisbeispiel, UTF-8, Kommas, Listen mit \"; \" getrennt.",
            "CSV",
            "text/csv",
            None,
        ),
    ];
    if config.feeds {
        distributions.push(distribution(
            &url(super::feeds::FEED_FILE),
            "Atom-Feed aller Praxisbeispiele",
            "Neue Praxisbeispiele abonnieren; Feeds je Thema und Land liegen neben deren Seiten.",
            "ATOM",
            "application/atom+xml",
            None,
        ));
    }
    for d in &mut distributions {
        if let Some(obj) = d.as_object_mut() {
            obj.insert("dct:license".into(), json!({"@id": licence}));
            if needs_attribution(&licence) {
                obj.insert(
                    "dcatde:licenseAttributionByText".into(),
                    json!(publisher_name),
                );
            }
            obj.insert("dct:modified".into(), date(&modified));
        }
    }
    let distribution_ids: Vec<Value> = distributions
        .iter()
        .map(|d| json!({"@id": d["@id"]}))
        .collect();

    let mut dataset = json!({
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": site_id(config),
        "dct:title": config.title,
        "dct:description": if config.description.is_empty() { &config.title } else { &config.description },
        "dct:publisher": Value::Object(publisher.clone()),
        "dcat:contactPoint": Value::Object(contact),
        "dcat:theme": {"@id": format!("{THEME}GOVE")},
        "dcat:keyword": keywords,
        "dct:language": {"@id": format!("{LANGUAGE}{language}")},
        "dct:accrualPeriodicity": {"@id": format!("{FREQUENCY}IRREG")},
        "dcat:landingPage": {"@id": url("")},
        "dct:issued": date(&issued),
        "dct:modified": date(&modified),
        "dct:temporal": temporal,
        "dct:spatial": spatial,
        "dcatde:politicalGeocodingLevelURI": {"@id": format!("{GEOCODING}Level/{level}")},
        "dcatde:politicalGeocodingURI": geocoding,
        "dcat:distribution": distribution_ids,
    });
    if let Some(obj) = dataset.as_object_mut() {
        let id = &config.open_data.contributor_id;
        if !id.is_empty() {
            obj.insert("dcatde:contributorID".into(), json!({"@id": id}));
        }
        obj.retain(|_, v| !v.is_null());
    }
    let catalog = json!({
        "@id": catalog_id,
        "@type": "dcat:Catalog",
        "dct:title": config.title,
        "dct:description": if config.description.is_empty() { &config.title } else { &config.description },
        "dct:publisher": Value::Object(publisher),
        "dct:language": {"@id": format!("{LANGUAGE}{language}")},
        "foaf:homepage": {"@id": url("")},
        "dct:license": {"@id": licence},
        "dct:modified": date(&modified),
        "dcat:dataset": [{"@id": dataset_id}],
    });
    let mut graph = vec![catalog, dataset];
    graph.extend(distributions);
    for node in &mut graph {
        if let Some(obj) = node.as_object_mut() {
            obj.retain(|_, v| !v.is_null());
        }
    }
    let doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@graph": graph,
    });
    // A serde_json Value always serialises.
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

fn distribution(
    href: &str,
    title: &str,
    description: &str,
    format: &str,
    media_type: &str,
    schema: Option<String>,
) -> Value {
    let mut d = json!({
        "@id": format!("{href}#distribution"),
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dct:description": description,
        "dcat:accessURL": {"@id": href},
        "dcat:downloadURL": {"@id": href},
        "dct:format": {"@id": format!("{FILE_TYPE}{format}")},
        "dcat:mediaType": {"@id": format!("{MEDIA_TYPE}{media_type}")},
    });
    if let (Some(s), Some(obj)) = (schema, d.as_object_mut()) {
        obj.insert("dct:conformsTo".into(), json!({"@id": s}));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn licence(name: &str, url: &str) -> Licence {
        Licence {
            name: name.into(),
            url: url.into(),
            uri: String::new(),
        }
    }

    #[test]
    fn common_licences_map_to_the_dcat_ap_de_vocabulary() {
        assert_eq!(
            licence_uri(&Licence::default()),
            "http://dcat-ap.de/def/licenses/cc-by/4.0"
        );
        assert_eq!(
            licence_uri(&licence("dl-de/by-2-0", "")),
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        );
        assert_eq!(
            licence_uri(&licence(
                "Public Domain",
                "https://creativecommons.org/publicdomain/zero/1.0/"
            )),
            "http://dcat-ap.de/def/licenses/cc-zero"
        );
        assert_eq!(
            licence_uri(&licence("Eigene Lizenz", "https://x.de/lizenz")),
            "https://x.de/lizenz"
        );
        let mut own = licence("CC BY 4.0", "");
        own.uri = "http://dcat-ap.de/def/licenses/other-open".into();
        assert_eq!(
            licence_uri(&own),
            "http://dcat-ap.de/def/licenses/other-open"
        );
    }
}
