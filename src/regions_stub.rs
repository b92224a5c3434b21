//! Temporary stand-in until the gazetteer lands.
use serde::Serialize;
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Staat,
    Land,
    Regierungsbezirk,
    Kreis,
    Gemeinde,
}
#[derive(Debug, Clone)]
pub struct Region {
    pub key: String,
    pub name: String,
    pub official_name: String,
    pub level: Level,
    pub parent: Option<String>,
    pub historical: bool,
}
pub struct Gazetteer {
    regions: Vec<Region>,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    Unknown { query: String },
}
impl ResolveError {
    pub fn message(&self) -> String {
        match self {
            ResolveError::Unknown { query } => format!("unknown region `{query}`"),
        }
    }
    pub fn hint(&self) -> String {
        "check".into()
    }
}
static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
impl Gazetteer {
    pub fn get() -> &'static Gazetteer {
        G.get_or_init(|| Gazetteer {
            regions: vec![
                Region {
                    key: "05".into(),
                    name: "Nordrhein-Westfalen".into(),
                    official_name: "Nordrhein-Westfalen".into(),
                    level: Level::Land,
                    parent: None,
                    historical: false,
                },
                Region {
                    key: "057".into(),
                    name: "Regierungsbezirk Detmold".into(),
                    official_name: "Detmold".into(),
                    level: Level::Regierungsbezirk,
                    parent: Some("05".into()),
                    historical: false,
                },
                Region {
                    key: "05766".into(),
                    name: "Kreis Lippe".into(),
                    official_name: "Lippe, Kreis".into(),
                    level: Level::Kreis,
                    parent: Some("057".into()),
                    historical: false,
                },
                Region {
                    key: "05766008".into(),
                    name: "Bad Salzuflen".into(),
                    official_name: "Bad Salzuflen, Stadt".into(),
                    level: Level::Gemeinde,
                    parent: Some("05766".into()),
                    historical: false,
                },
            ],
        })
    }
    pub fn by_key(&self, key: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.key == key)
    }
    pub fn path(&self, r: &Region) -> Vec<&Region> {
        let mut v = vec![];
        let mut cur = self.by_key(&r.key);
        while let Some(c) = cur {
            v.push(c);
            cur = c.parent.as_deref().and_then(|p| self.by_key(p));
        }
        v.reverse();
        v
    }
    pub fn land_of(&self, r: &Region) -> Option<&Region> {
        self.path(r).into_iter().find(|x| x.level == Level::Land)
    }
    pub fn lands(&self) -> Vec<&Region> {
        self.regions
            .iter()
            .filter(|r| r.level == Level::Land)
            .collect()
    }
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }
    pub fn resolve(&self, q: &str) -> Result<&Region, ResolveError> {
        self.regions
            .iter()
            .find(|r| r.name == q || r.key == q)
            .ok_or(ResolveError::Unknown { query: q.into() })
    }
}
