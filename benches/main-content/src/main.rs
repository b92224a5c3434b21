//! Main-content extraction compared on the test pages: the tag-to-paragraph
//! html.rs before extraction, the rules of src/import/html/, and the Readability
//! port dom_smoothie (each kept phrase, dropped frame phrase and heading counted).

#[path = "../../../src/import/html/mod.rs"]
mod html_new;
mod html_old;

struct Case {
    file: &'static str,
    wanted: &'static [&'static str],
    unwanted: &'static [&'static str],
    headings: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        file: "article.html",
        wanted: &[
            "Digitale Bauakte im Kreis Lippe startet",
            "Bauanträge seit dem 1. März",
            "Weniger Papier, kürzere Wege",
            "240 Anträge",
            "Axel Lehmann",
        ],
        unwanted: &[
            "Cookies",
            "Bürgerservice",
            "Startseite",
            "Teilen:",
            "Weitere Meldungen",
            "Kfz-Zulassung jetzt online",
            "Felix-Fechenbach",
            "Impressum",
            "Zum Inhalt springen",
            "Schlagworte",
            "Logo Kreis Lippe",
        ],
        headings: &[
            "Digitale Bauakte im Kreis Lippe startet",
            "Weniger Papier, kürzere Wege",
        ],
    },
    Case {
        file: "listing.html",
        wanted: &[
            "Pressemitteilungen",
            "Online-Terminvergabe",
            "900 Buchungen",
            "Tablets an Seniorinnen",
            "zwanzig Tablets",
            "Mängelmelder der Stadt",
            "5000 Hinweise",
        ],
        unwanted: &[
            "Leben in Musterhausen",
            "Nächste Seite",
            "Newsletter",
            "Instagram",
            "© 2024",
            "Barrierefreiheit",
            "Cookies",
            "Suchen",
        ],
        headings: &[
            "Pressemitteilungen",
            "Musterhausen führt Online-Terminvergabe im Bürgerbüro ein",
            "Stadtbibliothek verleiht Tablets an Seniorinnen und Senioren",
            "Mängelmelder der Stadt Musterhausen erreicht 5000 Meldungen",
        ],
    },
    Case {
        file: "divsoup.html",
        wanted: &[
            "Barcamp für alle Beschäftigten",
            "[03.04.2023]",
            "45 Minuten",
            "120 Teilnehmende",
            "Petra Kühn",
        ],
        unwanted: &["Aktuelles", "Abfallkalender", "Seite teilen", "Hoher Weg"],
        headings: &["Kreis Soest: Barcamp für alle Beschäftigten"],
    },
];

fn score(name: &str, text: &str, c: &Case) -> (usize, usize, usize) {
    let paras: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let flat = paras.join(" ");
    let w = c.wanted.iter().filter(|s| flat.contains(*s)).count();
    let u = c.unwanted.iter().filter(|s| !flat.contains(*s)).count();
    let h = c
        .headings
        .iter()
        .filter(|s| paras.iter().any(|p| p == *s))
        .count();
    println!(
        "{name:<14} {:<13} content kept {w}/{}  boilerplate dropped {u}/{}  headings alone {h}/{}",
        c.file,
        c.wanted.len(),
        c.unwanted.len(),
        c.headings.len()
    );
    if std::env::var_os("SHOW").is_some() {
        println!("{text}\n-----");
    }
    (w, u, h)
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/pages");
    for c in CASES {
        let html = std::fs::read_to_string(format!("{dir}/{}", c.file)).unwrap();
        score("html.rs (old)", &html_old::to_text(&html), c);
        score("html.rs (new)", &html_new::to_text(&html), c);
        let text = match dom_smoothie::Readability::new(html.as_str(), None, None)
            .and_then(|mut r| r.parse())
        {
            Ok(a) => html_old::to_text(&a.content),
            Err(e) => format!("ERROR {e}"),
        };
        score("dom_smoothie", &text, c);
    }
}
