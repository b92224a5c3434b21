//! Import throughput on a generated corpus of raw texts (≥ 20 MB), one core.
//!
//! The corpus imitates the kinds of seeds the importer meets: PDF-extracted press
//! releases with hard-wrapped lines, datelines, profiles and contact blocks; listing
//! pages with "Weiterlesen"; news pages with dated teasers and "mehr..."; web articles
//! with captions and photo credits. Text is drawn by a seeded generator from word
//! lists, so every run imports the same bytes. Prints MB/s and the time for the
//! shipped seeds.

use std::path::Path;
use std::time::{Duration, Instant};

use praxis::config::Config;
use praxis::entry::to_file_text;
use praxis::import::write::hash;
use praxis::import::{Importer, SeedResult, load_organisations};
use praxis::regions::Gazetteer;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const TOWNS: &[&str] = &[
    "Bad Salzuflen",
    "Augustdorf",
    "Lemgo",
    "Detmold",
    "Borken",
    "Mainz",
    "Nürnberg",
    "Soest",
    "Lippstadt",
    "Kaarst",
    "Bochum",
    "Essen",
    "Stuttgart",
    "Hannover",
    "March",
    "Bünde",
];
const KREISE: &[&str] = &[
    "Kreis Lippe",
    "Kreis Soest",
    "Rhein-Kreis Neuss",
    "Burgenlandkreis",
    "Kreis Borken",
    "Kreis Herford",
];
const SUBJECTS: &[&str] = &[
    "Die Verwaltung",
    "Das Team",
    "Die Projektgruppe",
    "Der Personalrat",
    "Die Abteilung IT",
    "Die Stabsstelle",
    "Das Bürgerbüro",
    "Die Digitalisierungsgruppe",
];
const VERBS: &[&str] = &[
    "führt",
    "erprobt",
    "entwickelt",
    "startet",
    "begleitet",
    "verbessert",
    "digitalisiert",
    "vereinfacht",
    "organisiert",
];
const OBJECTS: &[&str] = &[
    "die E-Akte",
    "mobiles Arbeiten im Homeoffice",
    "ein Barcamp für Führungskräfte",
    "den digitalen Bauantrag",
    "eine Dienstvereinbarung",
    "das Karriereportal",
    "neue Online-Dienste nach dem OZG",
    "einen Chatbot mit künstlicher Intelligenz",
    "die Zusammenarbeit mit dem IT-Dienstleister",
    "Fortbildungen zur Digitalisierung",
];
const TAILS: &[&str] = &[
    "gemeinsam mit den Beschäftigten",
    "in allen Fachbereichen",
    "seit dem Jahr 2019",
    "mit Unterstützung des Landes",
    "bis 2030 schrittweise",
    "nach einem Beschluss des Rates",
    "für Bürgerinnen und Bürger",
    "in enger Abstimmung mit dem Personalrat",
];

fn sentence(r: &mut Rng) -> String {
    format!(
        "{} {} {} {}.",
        r.pick(SUBJECTS),
        r.pick(VERBS),
        r.pick(OBJECTS),
        r.pick(TAILS)
    )
}

fn paragraph(r: &mut Rng, n: u64) -> String {
    (0..n).map(|_| sentence(r)).collect::<Vec<_>>().join(" ")
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for w in text.split(' ') {
        if line + w.len() > width {
            out.push_str(" \n");
            line = 0;
        } else if line > 0 {
            out.push(' ');
        }
        out.push_str(w);
        line += w.len() + 1;
    }
    out
}

fn press_release(r: &mut Rng) -> String {
    let town = r.pick(TOWNS);
    let mut s = format!("{}: \n{} zeigt, wie es geht \n\n", r.pick(OBJECTS), town);
    let para = format!(
        "{town}, {:02}.{:02}.{} {}",
        r.range(1, 28),
        r.range(1, 12),
        r.range(2018, 2025),
        paragraph(r, 3)
    );
    s += &wrap(&para, 95);
    for _ in 0..r.range(3, 7) {
        s += "\n\n";
        let n = r.range(3, 6);
        s += &wrap(
            &format!("In der Stadt {town} gilt: {}", paragraph(r, n)),
            95,
        );
    }
    s += &format!(
        "\n__________________\n\nÜber die Stadt {town}:\n\n{}\n\nPressekontakt:\nStadt {town}\nRathausplatz 1 | 12345 {town}\npresse@example.de\n\nhttps://www.example.de/\n",
        wrap(&paragraph(r, 2), 95)
    );
    s
}

fn listing(r: &mut Rng) -> String {
    let mut s = String::from(
        "Kategorie: Praxisbeispiele\n\nHier teilen Verwaltungen ihre Erfahrungen.\n\n",
    );
    for _ in 0..r.range(5, 12) {
        s += &format!(
            "{} in {} – {}\n\n",
            r.pick(OBJECTS),
            r.pick(KREISE),
            r.pick(TAILS)
        );
        s += &format!("Das Foto zeigt {} bei der Arbeit.\n\n", r.pick(SUBJECTS));
        s += &format!("{}\n\n{} Weiterlesen\n\n", paragraph(r, 3), paragraph(r, 2));
    }
    s
}

fn news(r: &mut Rng) -> String {
    let town = r.pick(TOWNS);
    let mut s = format!(
        "Dienstag, 15. Juli 2025\n\n{town}{}\n\n[{:02}.{:02}.{}] Die Gemeinde {town} {}\n\n",
        "Digital arbeiten",
        r.range(1, 28),
        r.range(1, 12),
        r.range(2019, 2025),
        paragraph(r, 4)
    );
    for _ in 0..r.range(2, 5) {
        s += &format!(
            "{}\n\n(Bildquelle: Gemeinde {town})\n\n{}\n\n",
            paragraph(r, 1),
            paragraph(r, 5)
        );
    }
    s += "Weitere Meldungen und Beiträge aus dem Bereich: Personalwesen\n";
    for _ in 0..r.range(6, 14) {
        let t = r.pick(TOWNS);
        s += &format!(
            "Eine Frau hält ein Tablet in der Hand.\nbericht\n\n{t}: {}\n\n[{:02}.{:02}.{}] Die Stadt {t} {} mehr...\n\n",
            r.pick(OBJECTS),
            r.range(1, 28),
            r.range(1, 12),
            r.range(2019, 2025),
            paragraph(r, 2)
        );
    }
    s
}

fn article(r: &mut Rng) -> String {
    let kreis = r.pick(KREISE);
    let mut s = format!(
        "{kreis} Digitalisierung\n© Kreisverwaltung\n\nDigitalisierung beim {kreis}\n\n{}\n\n",
        r.pick(OBJECTS)
    );
    for _ in 0..r.range(4, 10) {
        let n = r.range(3, 7);
        s += &format!(
            "{}\n\n{}\n\n{}\n© Kreisverwaltung\n\n",
            r.pick(OBJECTS),
            paragraph(r, n),
            sentence(r)
        );
    }
    s
}

/// CPU time of this thread so far, where Linux tells it: on a shared machine the
/// wall clock also counts the time the thread waits for a core.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// A fingerprint of the entry files the results would become: a speed-up that
/// changes what the importer finds changes it.
fn digest(results: &[SeedResult]) -> String {
    let mut text = String::new();
    for d in results.iter().flat_map(|r| &r.entries) {
        text.push_str(&to_file_text(&d.fm, &d.body));
    }
    let hex = hash(text.as_bytes());
    hex[..16].to_string()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(root).expect("site.toml");
    let orgs = load_organisations(root).expect("data/organisations.toml");
    let importer = Importer::new(&config, &orgs, Gazetteer::get());

    let mut r = Rng(0x5EED_1234_ABCD_0001);
    let mut pages = Vec::new();
    let mut total = 0usize;
    while total < 21 * 1024 * 1024 {
        let page = match r.range(0, 3) {
            0 => press_release(&mut r),
            1 => listing(&mut r),
            2 => news(&mut r),
            _ => article(&mut r),
        };
        total += page.len();
        pages.push(page);
    }
    let names: Vec<String> = (0..pages.len())
        .map(|i| format!("seeds/gen-{i}.txt"))
        .collect();
    let (start, cpu_start) = (Instant::now(), cpu_time());
    let results: Vec<SeedResult> = pages
        .iter()
        .zip(&names)
        .map(|(p, name)| importer.process(name, p.as_bytes()))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let cpu_secs = cpu_start
        .zip(cpu_time())
        .map(|(a, b)| (b - a).as_secs_f64());
    let mb = total as f64 / 1_000_000.0;
    let entries: usize = results.iter().map(|r| r.entries.len()).sum();
    println!(
        "import: {} pages, {mb:.1} MB, {entries} entries in {secs:.2} s: {:.1} MB/s (one core)",
        pages.len(),
        mb / secs
    );
    if let Some(cpu) = cpu_secs {
        println!(
            "        on the core {cpu:.2} s: {:.1} MB/s (what the wall clock shows on an idle machine)",
            mb / cpu
        );
    }
    println!("entries digest: {}", digest(&results));

    let seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(root.join("seeds"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    (
                        format!("seeds/{}", e.file_name().to_string_lossy()),
                        std::fs::read(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let start = Instant::now();
    let n: usize = seeds
        .iter()
        .map(|(f, b)| importer.process(f, b).entries.len())
        .sum();
    println!(
        "seeds: {} files, {n} entries in {:.1} ms",
        seeds.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
}
