//! Lookups on the directory facts of the gazetteer: population, postcodes,
//! Gemeindeverbände and seats. Pure functions of the table; the importer uses
//! them to read owners and places out of running text.

use super::{Gazetteer, Level, Region, ResolveError, parse_name};

impl Gazetteer {
    fn facts_of(&self, region: &Region) -> Option<&super::Facts> {
        self.index_of(region).map(|i| &self.facts[i as usize])
    }

    /// Population of a Gemeinde on 30.11.2023 (official directory); `None`
    /// for other levels and for former Gemeinden.
    pub fn population(&self, region: &Region) -> Option<u32> {
        self.facts_of(region)?.population
    }

    /// Postcode of the Gemeinde's administration seat ("24980"); a city with
    /// several postcodes has the one of its town hall.
    pub fn postcode(&self, region: &Region) -> Option<String> {
        self.facts_of(region)?.postcode.map(|p| format!("{p:05}"))
    }

    /// The current Gemeinden whose administration seat has this postcode,
    /// by key. Empty for anything that is not a postcode of the table.
    pub fn gemeinden_with_postcode(&self, postcode: &str) -> Vec<&Region> {
        let code = postcode.trim();
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return vec![];
        }
        let Ok(code) = code.parse::<u32>() else {
            return vec![];
        };
        let map = self.by_postcode.get_or_init(|| {
            let mut map: super::FastMap<u32, Vec<u32>> = super::FastMap::default();
            for (i, f) in self.facts.iter().enumerate() {
                if let Some(p) = f.postcode {
                    map.entry(p).or_default().push(i as u32);
                }
            }
            map
        });
        map.get(&code)
            .map(|v| v.iter().map(|&i| &self.regions[i as usize]).collect())
            .unwrap_or_default()
    }

    /// The Gemeindeverband (Amt, Samtgemeinde, Verbandsgemeinde, …) a Gemeinde
    /// belongs to; `None` for a Gemeinde that administers itself.
    pub fn verband_of(&self, gemeinde: &Region) -> Option<&Region> {
        self.facts_of(gemeinde)?
            .verband
            .map(|i| &self.regions[i as usize])
    }

    /// The Gemeinden of a Gemeindeverband, by key.
    pub fn members_of(&self, verband: &Region) -> Vec<&Region> {
        let Some(index) = self.index_of(verband) else {
            return vec![];
        };
        self.facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.verband == Some(index))
            .map(|(i, _)| &self.regions[i])
            .collect()
    }

    /// The Gemeinde that seats the administration of a Gemeindeverband, Kreis,
    /// Regierungsbezirk or Land, where the directory names one ("Amt
    /// Schafflund" → Schafflund, "Landkreis München" → München).
    pub fn seat_of(&self, region: &Region) -> Option<&Region> {
        self.facts_of(region)?
            .seat
            .map(|i| &self.regions[i as usize])
    }

    /// Whether a Gemeinde is a Stadt or a Markt (by the directory's type or
    /// the town title in its official name).
    pub fn is_town(&self, region: &Region) -> bool {
        self.index_of(region)
            .is_some_and(|i| self.titled[i as usize])
    }

    /// The Gemeinde a region lies in: itself for a Gemeinde, the city for a
    /// Bezirk; `None` above the Gemeinde level.
    pub fn gemeinde_of(&self, region: &Region) -> Option<&Region> {
        self.ancestor_at(region, Level::Gemeinde)
    }

    /// A Gemeindeverband by its name, with or without its type word ("Amt
    /// Schafflund", "Schafflund", "VG Betzdorf-Gebhardshain", "GVV Markdorf"),
    /// or by its 9-digit key. Only Verbände are considered, so "Schafflund"
    /// finds the Amt rather than the Gemeinde; a current Verband wins over a
    /// former one, and several equally good ones are an ambiguity.
    pub fn find_verband(&self, name: &str) -> Result<&Region, ResolveError> {
        let parsed = parse_name(name);
        let typed = matches!(parsed.level, None | Some(Level::Gemeindeverband));
        let mut hits: Vec<u32> = if typed {
            self.by_name
                .get(&parsed.key)
                .map(|h| h.as_slice().iter().map(|h| h.index).collect())
                .unwrap_or_default()
        } else {
            vec![]
        };
        if let Some(i) = self.position(name.trim()) {
            hits.push(i);
        }
        hits.retain(|&i| self.regions[i as usize].level == Level::Gemeindeverband);
        hits.sort_by_key(|&i| (self.regions[i as usize].historical, i));
        hits.dedup();
        if let Some(&first) = hits.first() {
            let historical = self.regions[first as usize].historical;
            hits.retain(|&i| self.regions[i as usize].historical == historical);
        }
        match hits.as_slice() {
            [one] => Ok(&self.regions[*one as usize]),
            [] => Err(ResolveError::Unknown {
                query: name.trim().to_string(),
                suggestions: vec![],
            }),
            many => Err(ResolveError::Ambiguous {
                query: name.trim().to_string(),
                candidates: many
                    .iter()
                    .map(|&i| self.candidate(&self.regions[i as usize]))
                    .collect(),
            }),
        }
    }

    /// A Kreis by the name people write after "Landratsamt", "Kreisverwaltung"
    /// or "Landkreis": with or without its type word or qualifier
    /// ("Altenkirchen", "Altenkirchen (Westerwald)", "Saale-Holzland-Kreis").
    pub fn resolve_kreis(&self, name: &str) -> Result<&Region, ResolveError> {
        self.resolve(&format!("Kreis {}", name.trim()))
    }
}
