use super::*;

fn g() -> &'static Gazetteer {
    Gazetteer::get()
}

/// Resolve and return (key, level), panicking with the error message otherwise.
fn key_of(query: &str) -> (String, Level) {
    match g().resolve(query) {
        Ok(r) => (r.key.clone(), r.level),
        Err(e) => panic!("{query:?}: {}", e.message()),
    }
}

fn resolves_to(query: &str, key: &str) {
    assert_eq!(key_of(query).0, key, "{query:?}");
}

const LAENDER: &[(&str, &str, &str)] = &[
    ("01", "Schleswig-Holstein", "SH"),
    ("02", "Hamburg", "HH"),
    ("03", "Niedersachsen", "NI"),
    ("04", "Bremen", "HB"),
    ("05", "Nordrhein-Westfalen", "NRW"),
    ("06", "Hessen", "HE"),
    ("07", "Rheinland-Pfalz", "RLP"),
    ("08", "Baden-Württemberg", "BW"),
    ("09", "Bayern", "BY"),
    ("10", "Saarland", "SL"),
    ("11", "Berlin", "BE"),
    ("12", "Brandenburg", "BB"),
    ("13", "Mecklenburg-Vorpommern", "MV"),
    ("14", "Sachsen", "SN"),
    ("15", "Sachsen-Anhalt", "ST"),
    ("16", "Thüringen", "TH"),
];

#[test]
fn all_laender_by_name_key_and_abbreviation() {
    let lands = g().lands();
    assert_eq!(lands.len(), 16);
    for (land, &(key, name, abbr)) in lands.iter().zip(LAENDER) {
        assert_eq!((land.key.as_str(), land.name.as_str()), (key, name));
        assert_eq!(land.level, Level::Land);
        for query in [key, name, abbr, &abbr.to_lowercase(), &name.to_uppercase()] {
            resolves_to(query, key);
        }
    }
    for (query, key) in [
        ("NW", "05"),
        ("RP", "07"),
        ("Freistaat Bayern", "09"),
        ("Land Brandenburg", "12"),
    ] {
        resolves_to(query, key);
    }
}

#[test]
fn national_scope() {
    for query in ["Deutschland", "Bund", "bundesweit", "DG"] {
        let r = g()
            .resolve(query)
            .unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!(
            (r.key.as_str(), r.name.as_str(), r.level),
            ("DG", "Deutschland", Level::Staat)
        );
        assert_eq!(g().path(r), vec![r]);
        assert_eq!(g().land_of(r), None);
    }
}

#[test]
fn path_of_bad_salzuflen() {
    let r = g().resolve("Bad Salzuflen").unwrap();
    assert_eq!(r.key, "05766008");
    let path: Vec<(&str, &str, Level)> = g()
        .path(r)
        .iter()
        .map(|r| (r.key.as_str(), r.name.as_str(), r.level))
        .collect();
    assert_eq!(
        path,
        [
            ("05", "Nordrhein-Westfalen", Level::Land),
            ("057", "Regierungsbezirk Detmold", Level::Regierungsbezirk),
            ("05766", "Kreis Lippe", Level::Kreis),
            ("05766008", "Bad Salzuflen", Level::Gemeinde),
        ]
    );
    assert_eq!(g().land_of(r).unwrap().key, "05");
    assert_eq!(g().kreis_of(r).unwrap().key, "05766");
    // The 2023 directory spells the Kreis "Lippe" and gives its type apart.
    assert_eq!(g().by_key("05766").unwrap().official_name, "Lippe");
}

#[test]
fn keys_of_every_length() {
    for (query, key, level) in [
        ("05", "05", Level::Land),
        ("057", "057", Level::Regierungsbezirk),
        ("05766", "05766", Level::Kreis),
        ("05766008", "05766008", Level::Gemeinde),
        // ARS: Kreis 05766, Gemeindeverband 0008, Gemeinde 008
        ("057660008008", "05766008", Level::Gemeinde),
    ] {
        assert_eq!(key_of(query), (key.to_string(), level), "{query}");
    }
    assert!(matches!(
        g().resolve("99999999"),
        Err(ResolveError::Unknown { .. })
    ));
}

#[test]
fn kreise_and_suffixes() {
    for (query, key) in [
        ("Kreis Soest", "05974"),
        ("Soest", "05974040"),
        ("Soest, Kreis", "05974"),
        ("Lippe", "05766"),
        ("Kreis Lippe", "05766"),
        ("Lippe, Kreis", "05766"),
        ("Rhein-Kreis Neuss", "05162"),
        ("Rhein-Sieg-Kreis", "05382"),
        ("Siegburg", "05382060"),
        ("Landkreis München", "09184"),
        ("München, Landkreis", "09184"),
        ("Region Hannover", "03241"),
        ("Hannover", "03241001"),
        ("Städteregion Aachen", "05334"),
        ("Aachen", "05334002"),
        ("Regionalverband Saarbrücken", "10041"),
        ("Märkischer Kreis", "05962"),
        ("Regierungsbezirk Detmold", "057"),
        ("Detmold", "05766020"),
        ("Landkreis Harz", "15085"),
    ] {
        resolves_to(query, key);
    }
}

#[test]
fn kreisfreie_staedte_resolve_to_the_gemeinde() {
    for (query, key) in [
        ("München", "09162000"),
        ("Landeshauptstadt München", "09162000"),
        ("Essen", "05113000"),
        ("Stadt Essen", "05113000"),
        ("Essen, Stadt", "05113000"),
        ("Berlin", "11"),
        ("Stadt Berlin", "11000000"),
        ("Hamburg", "02"),
        ("Bremen", "04"),
        ("Bremerhaven", "04012000"),
        ("Rostock", "13003000"),
        ("Kassel", "06611000"),
        ("Frankfurt am Main", "06412000"),
        ("Halle (Saale)", "15002000"),
    ] {
        resolves_to(query, key);
    }
    let munich = g().by_key("09162000").unwrap();
    let path: Vec<&str> = g().path(munich).iter().map(|r| r.key.as_str()).collect();
    assert_eq!(path, ["09", "091", "09162", "09162000"]);
    assert_eq!(g().kreis_of(munich).unwrap().name, "München");
}

#[test]
fn spelling_variants() {
    for (query, key) in [
        ("  bad   SALZUFLEN ", "05766008"),
        ("Bad Salzuflen, Stadt", "05766008"),
        ("Muenchen", "09162000"),
        ("Singen", "08335075"),
        ("Singen (Hohentwiel)", "08335075"),
        ("Lahr", "08317065"),
        ("St. Augustin", "05382056"),
        ("Garching bei München", "09184119"),
        ("Großrosseln", "10041512"),
    ] {
        resolves_to(query, key);
    }
}

#[test]
fn display_names() {
    for (key, name) in [
        ("05766", "Kreis Lippe"),
        ("09184", "Landkreis München"),
        ("05162", "Rhein-Kreis Neuss"),
        ("03241", "Region Hannover"),
        ("05334", "Städteregion Aachen"),
        ("09162", "München"),
        ("05766008", "Bad Salzuflen"),
        ("05", "Nordrhein-Westfalen"),
        ("057", "Regierungsbezirk Detmold"),
    ] {
        assert_eq!(g().by_key(key).unwrap().name, name, "{key}");
    }
}

#[test]
fn historical_rows_resolve_but_lose_to_current_ones() {
    // Kreis Aachen merged into the Städteregion in 2009.
    assert!(g().by_key("05354").unwrap().historical);
    resolves_to("05354", "05354");
    resolves_to("Kreis Aachen", "05334");
    // A name found only among former Kreise still resolves.
    resolves_to("Landkreis Aue-Schwarzenberg", "14191");
    let candidates: Vec<&str> = g()
        .candidates("Kreis Aachen")
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(candidates, ["05334", "05354", "05313"]);
}

#[test]
fn candidates_list_kreis_beside_town() {
    let keys: Vec<&str> = g()
        .candidates("Soest")
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(keys, ["05974040", "05974"]);
}

#[test]
fn ambiguous_names() {
    for query in ["Neustadt", "Neuhaus", "Frankfurt", "Berg"] {
        match g().resolve(query) {
            Err(ResolveError::Ambiguous { candidates, .. }) => {
                assert!(candidates.len() > 1, "{query}")
            }
            other => panic!("{query}: expected ambiguity, got {other:?}"),
        }
    }
}

#[test]
fn ambiguity_message_and_hint() {
    let err = g().resolve("Frankfurt").unwrap_err();
    assert_eq!(
        err.message(),
        "region \"Frankfurt\" is ambiguous, it could mean 2 regions: \
         Frankfurt am Main (06412000, Hessen); Frankfurt (Oder) (12053000, Brandenburg)"
    );
    assert_eq!(
        err.hint(),
        "write the regional key, e.g. `region = [\"06412000\"]`, or name the Kreis in \
         parentheses, e.g. \"Frankfurt (Hessen)\""
    );
}

#[test]
fn qualified_names_pick_among_candidates() {
    let Err(ResolveError::Ambiguous { candidates, .. }) = g().resolve("Neustadt") else {
        panic!("Neustadt should be ambiguous");
    };
    let mut resolved = 0;
    for c in &candidates {
        let kreis = c.within.split(", ").next().unwrap();
        let query = format!("Neustadt ({kreis})");
        match g().resolve(&query) {
            Ok(r) => {
                assert_eq!(r.key, c.key, "{query}");
                resolved += 1;
            }
            // Two Neustadts in one Kreis: only the key tells them apart.
            Err(e @ ResolveError::Ambiguous { .. }) => {
                let ResolveError::Ambiguous {
                    candidates: within, ..
                } = &e
                else {
                    unreachable!()
                };
                assert!(within.iter().any(|w| w.key == c.key), "{query}");
                assert!(
                    within.iter().all(|w| w.within.starts_with(kreis)),
                    "{query}"
                );
                assert!(
                    e.hint()
                        .starts_with("write the regional key, e.g. `region = [\""),
                    "{}",
                    e.hint()
                );
                assert!(!e.hint().contains("parentheses"), "{}", e.hint());
            }
            Err(e) => panic!("{query}: {}", e.message()),
        }
    }
    assert!(
        resolved * 2 > candidates.len(),
        "{resolved} of {}",
        candidates.len()
    );
    resolves_to("Babenhausen (Hessen)", "06432002");
    resolves_to("Frankfurt (Brandenburg)", "12053000");
}

#[test]
fn unknown_names_suggest_close_ones() {
    let err = g().resolve("Bad Salzuflan").unwrap_err();
    let ResolveError::Unknown { suggestions, .. } = &err else {
        panic!("expected unknown, got {err:?}");
    };
    assert_eq!(
        suggestions.first().map(String::as_str),
        Some("Bad Salzuflen")
    );
    assert!(suggestions.len() <= 3);
    assert!(
        err.message()
            .starts_with("unknown region \"Bad Salzuflan\"; closest names: \"Bad Salzuflen\"")
    );
    assert_eq!(err.hint(), "check the spelling or write the regional key");
    let err = g().resolve("Xyzzyq").unwrap_err();
    assert_eq!(err.message(), "unknown region \"Xyzzyq\"");
    for empty in ["", "   ", "()", "Stadt", "Kreis (", "((", "Neustadt ()"] {
        assert!(g().resolve(empty).is_err(), "{empty:?}");
    }
}

#[test]
fn normalise_strips_affixes() {
    assert_eq!(Gazetteer::normalise("Kreis Lippe"), "lippe");
    assert_eq!(Gazetteer::normalise("Lippe, Kreis"), "lippe");
    assert_eq!(
        Gazetteer::normalise("  Bad  Salzuflen, Stadt "),
        "bad salzuflen"
    );
    assert_eq!(
        Gazetteer::normalise("Kiel, Landeshauptstadt, Kreisfreie Stadt"),
        "kiel"
    );
    assert_eq!(
        Gazetteer::normalise("Rhein-Kreis Neuss"),
        "rhein-kreis neuss"
    );
    assert_eq!(Gazetteer::normalise("Großrosseln"), "grossrosseln");
}

#[test]
fn tree_is_consistent() {
    let g = g();
    for r in g.regions() {
        let path = g.path(r);
        assert_eq!(path.last().map(|p| &p.key), Some(&r.key));
        if r.level != Level::Staat {
            assert_eq!(path[0].level, Level::Land, "{}", r.key);
            assert!(r.key.starts_with(&path[0].key), "{}", r.key);
        }
        if !r.historical {
            assert!(
                path.iter().all(|p| !p.historical),
                "{} has a historical parent",
                r.key
            );
        }
    }
    assert_eq!(g.children("05766").len(), 16);
    assert!(
        g.children("05")
            .iter()
            .all(|c| c.level == Level::Regierungsbezirk)
    );
}

#[test]
fn from_csv_reports_bad_rows() {
    assert!(Gazetteer::from_csv("key,name,level,parent\n05,NRW,land,\n").is_ok());
    let err = Gazetteer::from_csv("key,name,level,parent\n05,NRW,country,\n").unwrap_err();
    assert!(err.contains("bad level `country`"), "{err}");
    let err = Gazetteer::from_csv("key,name,level,parent\n05766,Lippe,kreis,057\n").unwrap_err();
    assert!(err.contains("parent 057"), "{err}");
    assert!(Gazetteer::from_csv("name\nx\n").is_err());
}

/// Every `region` value of the benchmark corpus generator resolves.
#[test]
fn corpus_regions_resolve() {
    let list = include_str!("../../tests/fixtures/regions/corpus-regions.txt");
    let failures: Vec<String> = list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| g().resolve(l).err().map(|e| e.message()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Prints parse and resolve times (`cargo test --release --lib regions::tests::timing -- --nocapture`).
#[test]
fn timing() {
    let start = std::time::Instant::now();
    let fresh = Gazetteer::from_csv(REGIONS_CSV).unwrap();
    let elapsed = start.elapsed();
    eprintln!(
        "regions: parsed {} rows in {elapsed:?}",
        fresh.regions().len()
    );
    let start = std::time::Instant::now();
    let queries: Vec<&str> = include_str!("../../tests/fixtures/regions/corpus-regions.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    for _ in 0..100 {
        for q in &queries {
            assert!(fresh.resolve(q).is_ok());
        }
    }
    eprintln!(
        "regions: {} resolves in {:?}",
        queries.len() * 100,
        start.elapsed()
    );
}

#[test]
fn exact_messages() {
    let err = g().resolve("Neuhaus").unwrap_err();
    assert_eq!(
        err.message(),
        "region \"Neuhaus\" is ambiguous, it could mean 3 regions: \
         Neuhaus (Oste) (03352039, Landkreis Cuxhaven, Niedersachsen); \
         Neuhaus a.d.Pegnitz (09574140, Landkreis Nürnberger Land, Bayern); \
         Neuhaus am Rennweg (16072013, Landkreis Sonneberg, Thüringen)"
    );
    assert_eq!(
        err.hint(),
        "write the regional key, e.g. `region = [\"03352039\"]`, or name the Kreis in \
         parentheses, e.g. \"Neuhaus (Landkreis Cuxhaven)\""
    );
    resolves_to("Neuhaus (Landkreis Cuxhaven)", "03352039");
    resolves_to("Neuhaus (Landkreis Sonneberg)", "16072013");
    let err = g().resolve("Bad Salzuflan").unwrap_err();
    assert_eq!(
        err.message(),
        "unknown region \"Bad Salzuflan\"; closest names: \"Bad Salzuflen\", \"Bad Sulza\", \"Bad Salzungen\""
    );
}

/// Current rows per level: the directory's record counts (GV100AD, 30.11.2023:
/// 16 Länder, 400 Kreise, 10,981 Gemeinden; of its 4,597 Gemeindeverbände the
/// 3,392 of type 50 only repeat a Gemeinde, leaving 1,205), and the 12 + 7
/// Bezirke of Berlin and Hamburg.
#[test]
fn current_rows_match_the_directory() {
    let count = |level: Level| {
        g().regions()
            .iter()
            .filter(|r| r.level == level && !r.historical)
            .count()
    };
    assert_eq!(count(Level::Land), 16);
    assert_eq!(count(Level::Kreis), 400);
    assert_eq!(count(Level::Gemeinde), 10_981);
    assert_eq!(count(Level::Gemeindeverband), 1_205);
    assert_eq!(count(Level::Bezirk), 19);
    // Every current Gemeinde has a Kreis but two areas of the directory that
    // lie in none: the German-Luxembourg condominium and the coastal waters of
    // Mecklenburg-Vorpommern.
    let without_kreis: Vec<&str> = g()
        .regions()
        .iter()
        .filter(|r| r.level == Level::Gemeinde && !r.historical)
        .filter(|r| g().kreis_of(r).is_none())
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(without_kreis, ["07000999", "13000999"]);
}

fn verband(query: &str) -> &'static Region {
    let r = g()
        .resolve(query)
        .unwrap_or_else(|e| panic!("{query:?}: {}", e.message()));
    assert_eq!(r.level, Level::Gemeindeverband, "{query:?}");
    r
}

#[test]
fn gemeindeverbaende_resolve_with_and_without_type_word() {
    for (queries, key) in [
        (&["Amt Schafflund", "010595952"][..], "010595952"),
        (
            &[
                "Verbandsgemeinde Betzdorf-Gebhardshain",
                "VG Betzdorf-Gebhardshain",
                "Betzdorf-Gebhardshain",
                // as the directory misspells it
                "Betzdorf-Gebardshain",
            ][..],
            "071325009",
        ),
        (
            &["Samtgemeinde Holtriem", "SG Holtriem", "Holtriem"][..],
            "034625402",
        ),
        (
            &["Gemeindeverwaltungsverband Markdorf", "GVV Markdorf"][..],
            "084355003",
        ),
        (
            &["Verwaltungsgemeinschaft Tiefenbach (Landkreis Cham)"][..],
            "093725308",
        ),
        (&["Kirchspielslandgemeinde Eider", "Eider"][..], "010515169"),
    ] {
        for q in queries {
            assert_eq!(verband(q).key, key, "{q:?}");
        }
    }
    // A Verband lies in its Kreis and Land.
    let amt = verband("Amt Schafflund");
    assert_eq!(g().kreis_of(amt).unwrap().name, "Kreis Schleswig-Flensburg");
    assert_eq!(g().land_of(amt).unwrap().name, "Schleswig-Holstein");
    let levels: Vec<Level> = g().path(amt).iter().map(|r| r.level).collect();
    assert_eq!(levels, [Level::Land, Level::Kreis, Level::Gemeindeverband]);
}

#[test]
fn a_bare_name_prefers_the_gemeinde_to_its_verband() {
    // Gemeinde and Amt are both called Schafflund: the bare name is the Gemeinde,
    // whose parent stays the Kreis.
    resolves_to("Schafflund", "01059158");
    let gemeinde = g().by_key("01059158").unwrap();
    assert_eq!(gemeinde.parent.as_deref(), Some("01059"));
    let candidates: Vec<&str> = g()
        .candidates("Schafflund")
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(candidates, ["01059158", "010595952"]);
    // A Gemeinde whose name begins with a type word keeps it.
    resolves_to("Amt Neuhaus", "03355049");
    resolves_to("Gemeinde Amt Neuhaus", "03355049");
}

#[test]
fn verband_lookups() {
    let gemeinde = g().by_key("01059158").unwrap();
    let amt = g().verband_of(gemeinde).unwrap();
    assert_eq!(amt.name, "Amt Schafflund");
    assert_eq!(g().seat_of(amt).unwrap().key, "01059158");
    let members = g().members_of(amt);
    assert!(members.iter().any(|m| m.key == "01059158"));
    assert!(members.iter().all(|m| g().verband_of(m) == Some(amt)));
    assert!(members.len() > 5, "{}", members.len());
    // A kreisfreie Stadt belongs to no Verband.
    assert_eq!(g().verband_of(g().by_key("09162000").unwrap()), None);

    for (name, key) in [
        ("Amt Schafflund", "010595952"),
        ("Schafflund", "010595952"),
        ("Betzdorf-Gebhardshain", "071325009"),
        ("Verbandsgemeinde Betzdorf-Gebhardshain", "071325009"),
        ("Markdorf", "084355003"),
        ("084355003", "084355003"),
    ] {
        let found = g()
            .find_verband(name)
            .unwrap_or_else(|e| panic!("{name:?}: {}", e.message()));
        assert_eq!(found.key, key, "{name:?}");
    }
    assert!(matches!(
        g().find_verband("Bad Salzuflen"),
        Err(ResolveError::Unknown { .. })
    ));
    // Bavaria has a Verwaltungsgemeinschaft Velden in two Kreise.
    match g().find_verband("Velden") {
        Err(ResolveError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
        other => panic!("expected ambiguity, got {other:?}"),
    }
    let err = g().resolve("Verwaltungsgemeinschaft Velden").unwrap_err();
    assert!(err.message().contains("ambiguous"), "{}", err.message());
}

#[test]
fn population_and_postcodes() {
    let schafflund = g().by_key("01059158").unwrap();
    assert_eq!(g().population(schafflund), Some(2862));
    assert_eq!(g().postcode(schafflund).as_deref(), Some("24980"));
    let berlin = g().by_key("11000000").unwrap();
    assert!(g().population(berlin).unwrap() > 3_000_000);
    // A Kreis has no population of its own here, a former Gemeinde none either.
    assert_eq!(g().population(g().by_key("01059").unwrap()), None);
    assert_eq!(g().population(g().by_key("14521030").unwrap()), None);

    let at = |code: &str| -> Vec<String> {
        g().gemeinden_with_postcode(code)
            .iter()
            .map(|r| r.key.clone())
            .collect()
    };
    assert!(at("24980").contains(&"01059158".to_string()));
    assert!(at("24980").iter().all(|k| k.starts_with("01059")));
    // A postcode with a leading zero.
    assert_eq!(at("08280"), ["14521035"]);
    for bad in ["", "2498", "249800", "abcde", "00000"] {
        assert!(at(bad).is_empty(), "{bad:?}");
    }
    assert!(g().is_town(g().by_key("14521035").unwrap()));
    assert!(!g().is_town(schafflund));
}

#[test]
fn bezirke_of_berlin_and_hamburg() {
    for (query, key) in [
        ("Bezirksamt Friedrichshain-Kreuzberg", "11000000B02"),
        ("Friedrichshain-Kreuzberg", "11000000B02"),
        ("Bezirk Friedrichshain-Kreuzberg", "11000000B02"),
        ("11000000B02", "11000000B02"),
        ("Berlin-Spandau", "11000000B05"),
        ("Bezirksamt Spandau", "11000000B05"),
        ("Berlin-Mitte", "11000000B01"),
        ("Bezirksamt Mitte", "11000000B01"),
        ("Bezirksamt Hamburg-Nord", "02000000B04"),
        ("Hamburg-Altona", "02000000B02"),
        ("Bezirksamt Altona", "02000000B02"),
        ("Bezirksamt Harburg", "02000000B07"),
    ] {
        resolves_to(query, key);
    }
    // Names that a Bezirk shares with a Kreis stay the Kreis's.
    resolves_to("Harburg", "03353");
    resolves_to("Landkreis Harburg", "03353");
    let bezirk = g().by_key("11000000B02").unwrap();
    assert_eq!(g().land_of(bezirk).unwrap().key, "11");
    assert_eq!(g().kreis_of(bezirk).unwrap().key, "11000");
    assert_eq!(g().gemeinde_of(bezirk).unwrap().key, "11000000");
    let levels: Vec<&str> = g().path(bezirk).iter().map(|r| r.level.as_str()).collect();
    assert_eq!(levels, ["land", "kreis", "gemeinde", "bezirk"]);
    // The city itself resolves as before.
    resolves_to("Berlin", "11");
    resolves_to("Stadt Hamburg", "02000000");
}

#[test]
fn double_named_kreise_by_their_usual_forms() {
    for (queries, key) in [
        (
            &[
                "Landkreis Altenkirchen (Westerwald)",
                "Kreis Altenkirchen",
                "Landkreis Altenkirchen",
                "Kreis Altenkirchen (Westerwald)",
            ][..],
            "07132",
        ),
        (
            &[
                "Landkreis Ludwigslust-Parchim",
                "Ludwigslust-Parchim",
                "Kreis Ludwigslust-Parchim",
            ][..],
            "13076",
        ),
        (
            &[
                "Darmstadt-Dieburg",
                "Landkreis Darmstadt-Dieburg",
                "Kreis Darmstadt-Dieburg",
            ][..],
            "06432",
        ),
        (&["Landkreis Mittelsachsen", "Mittelsachsen"][..], "14522"),
        (
            &[
                "Schleswig-Flensburg",
                "Kreis Schleswig-Flensburg",
                "Landkreis Schleswig-Flensburg",
            ][..],
            "01059",
        ),
        (
            &["Saale-Holzland-Kreis", "Landkreis Saale-Holzland-Kreis"][..],
            "16074",
        ),
        (
            &[
                "Bernkastel-Wittlich",
                "Landkreis Bernkastel-Wittlich",
                "Kreis Bernkastel-Wittlich",
            ][..],
            "07231",
        ),
    ] {
        for q in queries {
            resolves_to(q, key);
        }
    }
    // The name part of "Landratsamt X" / "Kreisverwaltung X".
    for (name, key) in [
        ("Altenkirchen", "07132"),
        ("Altenkirchen (Westerwald)", "07132"),
        ("Ludwigslust-Parchim", "13076"),
        ("Darmstadt-Dieburg", "06432"),
        ("Mittelsachsen", "14522"),
        ("Schleswig-Flensburg", "01059"),
        ("Saale-Holzland-Kreis", "16074"),
        ("Bernkastel-Wittlich", "07231"),
        ("Landkreis München", "09184"),
        ("München", "09184"),
    ] {
        let k = g()
            .resolve_kreis(name)
            .unwrap_or_else(|e| panic!("{name:?}: {}", e.message()));
        assert_eq!(k.key, key, "{name:?}");
    }
    // A bare town name stays the town.
    resolves_to("Altenkirchen (Westerwald)", "07132501");
}

#[test]
fn units_gone_since_the_older_table_stay_as_historical_rows() {
    // Eisenach joined the Wartburgkreis in 2021.
    let former = g().by_key("16056").unwrap();
    assert!(former.historical);
    assert_eq!(former.level, Level::Kreis);
    let town = g().resolve("Eisenach").unwrap();
    assert_eq!(town.key, "16063105");
    assert_eq!(g().kreis_of(town).unwrap().name, "Wartburgkreis");
    // Aue merged into Aue-Bad Schlema in 2019: the town is still found, but
    // the bare name now goes to the current Samtgemeinde Aue.
    let aue = g().by_key("14521030").unwrap();
    assert!(aue.historical);
    resolves_to("Aue", "033605408");
    let candidates = g().candidates("Aue");
    assert_eq!(
        candidates.first().map(|r| r.key.as_str()),
        Some("033605408")
    );
    assert!(candidates.iter().any(|r| r.key == "14521030"));
    resolves_to("Aue-Bad Schlema", "14521035");
}

#[test]
fn from_csv_checks_the_facts_columns() {
    let head =
        "key,name,level,parent,historical,official_name,type,verband,seat,population,postcode\n";
    let base = "01,SH,land,,,,,,,,\n01059,Kreis SF,kreis,01,,,43,,,,\n";
    let ok = format!(
        "{head}{base}010595952,Amt S,gemeindeverband,01059,,S,51,,01059158,,\n\
         01059158,S,gemeinde,01059,,,64,010595952,,2862,24980\n"
    );
    let g = Gazetteer::from_csv(&ok).unwrap();
    let s = g.by_key("01059158").unwrap();
    assert_eq!(g.verband_of(s).unwrap().key, "010595952");
    assert_eq!(g.population(s), Some(2862));
    let wrong_verband = format!("{head}{base}01059158,S,gemeinde,01059,,,64,01059,,,\n");
    let err = Gazetteer::from_csv(&wrong_verband).unwrap_err();
    assert!(err.contains("verband 01059 of 01059158"), "{err}");
    let bad_number = format!("{head}{base}01059158,S,gemeinde,01059,,,64,,,viele,\n");
    let err = Gazetteer::from_csv(&bad_number).unwrap_err();
    assert!(err.contains("bad population `viele`"), "{err}");
    let bad_key = format!("{head}{base}01059158X1,S,bezirk,01059,,,,,,,\n");
    assert!(
        Gazetteer::from_csv(&bad_key)
            .unwrap_err()
            .contains("bad key")
    );
}
