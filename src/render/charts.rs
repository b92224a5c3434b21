//! Charts as inline SVG, made at build time: a tile-grid map of the 16 Länder and a
//! bar chart of entries per year. Pure functions of counts and labels; colours come
//! from the theme's CSS classes (`.tile-N`, `.bar`), so light and dark scheme and
//! print are the stylesheet's business. No script, nothing loaded.

use std::fmt::Write as _;

use super::theme::escape_html as esc;

/// One Land on the tile map.
#[derive(Debug, Clone)]
pub struct LandTile {
    /// Regional key, "01" to "16".
    pub key: String,
    pub name: String,
    pub count: usize,
    /// Link to the Land's page (given when it has entries).
    pub href: Option<String>,
}

/// Words the charts need, in the site's language.
#[derive(Debug, Clone)]
pub struct Labels {
    pub title: String,
    pub description: String,
    /// "Praxisbeispiel" / "Praxisbeispiele".
    pub one: String,
    pub many: String,
}

impl Labels {
    fn count(&self, n: usize) -> String {
        format!("{n} {}", if n == 1 { &self.one } else { &self.many })
    }
}

/// Key, column, row, abbreviation and name of each Land on a 4 × 5 grid, roughly
/// where it lies. The name is used when the gazetteer does not list the Land.
const GRID: [(&str, u32, u32, &str, &str); 16] = [
    ("01", 2, 0, "SH", "Schleswig-Holstein"),
    ("02", 2, 1, "HH", "Hamburg"),
    ("03", 1, 2, "NI", "Niedersachsen"),
    ("04", 1, 1, "HB", "Bremen"),
    ("05", 0, 2, "NW", "Nordrhein-Westfalen"),
    ("06", 1, 3, "HE", "Hessen"),
    ("07", 0, 3, "RP", "Rheinland-Pfalz"),
    ("08", 1, 4, "BW", "Baden-Württemberg"),
    ("09", 2, 4, "BY", "Bayern"),
    ("10", 0, 4, "SL", "Saarland"),
    ("11", 3, 2, "BE", "Berlin"),
    ("12", 3, 3, "BB", "Brandenburg"),
    ("13", 3, 1, "MV", "Mecklenburg-Vorpommern"),
    ("14", 3, 4, "SN", "Sachsen"),
    ("15", 2, 2, "ST", "Sachsen-Anhalt"),
    ("16", 2, 3, "TH", "Thüringen"),
];

const TILE: u32 = 64;
const GAP: u32 = 4;

/// Shade step 0 (none) to 4 (the most entries).
pub fn shade(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (count * 4).div_ceil(max).clamp(1, 4)
    }
}

/// The tile-grid map. Tiles of Länder with entries are links; every tile prints its
/// count and carries its full name for assistive technology.
pub fn land_map(lands: &[LandTile], labels: &Labels, id: &str) -> String {
    let max = lands.iter().map(|l| l.count).max().unwrap_or(0);
    let width = 4 * TILE + 3 * GAP;
    let height = 5 * TILE + 4 * GAP;
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg class=\"landmap\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(&labels.title),
        esc(&labels.description)
    );
    for (key, col, row, abbr, fallback) in GRID {
        let land = lands.iter().find(|l| l.key == key);
        let (name, count, href) = land.map_or((fallback, 0, None), |l| {
            (l.name.as_str(), l.count, l.href.as_deref())
        });
        let x = col * (TILE + GAP);
        let y = row * (TILE + GAP);
        // The name carries the abbreviation (not in brackets, which checkers skip), so
        // what is seen is part of what is read.
        let label = esc(&format!("{name} – {abbr}: {}", labels.count(count)));
        let level = shade(count, max);
        let rect = format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{TILE}\" height=\"{TILE}\" rx=\"6\"/>\
             <text x=\"{tx}\" y=\"{ty}\" aria-hidden=\"true\" class=\"abbr\">{abbr}</text>",
            tx = x + TILE / 2,
            ty = y + 26,
        );
        // The count sits outside the link; clicks fall through it to the tile.
        let num = format!(
            "<text x=\"{tx}\" y=\"{ty}\" aria-hidden=\"true\" class=\"num\">{count}</text>",
            tx = x + TILE / 2,
            ty = y + 50,
        );
        match href.filter(|_| count > 0) {
            Some(h) => {
                let _ = write!(
                    s,
                    "<g class=\"tile tile-{level}\"><a href=\"{}\" aria-label=\"{label}\">{rect}</a>{num}</g>",
                    esc(h)
                );
            }
            None => {
                let _ = write!(
                    s,
                    "<g class=\"tile tile-{level}\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>{rect}{num}</g>"
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// One bar: a label (the year) and its count.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub count: usize,
}

/// Years from the first to the last with entries, gaps filled with zero, so the
/// axis does not lie about time.
pub fn year_series(counts: &[(i32, usize)]) -> Vec<Bar> {
    let (Some(first), Some(last)) = (
        counts.iter().map(|c| c.0).min(),
        counts.iter().map(|c| c.0).max(),
    ) else {
        return Vec::new();
    };
    // A stray year far in the past would make thousands of empty bars.
    let first = first.max(last - 40);
    (first..=last)
        .map(|y| Bar {
            label: y.to_string(),
            count: counts
                .iter()
                .filter(|c| c.0 == y)
                .map(|c| c.1)
                .sum::<usize>(),
        })
        .collect()
}

/// A vertical bar chart with the count above each bar and the label below. It is a
/// picture (`role="img"`); its description lists every value, and the templates add
/// the same numbers as a table.
pub fn bar_chart(bars: &[Bar], labels: &Labels, id: &str) -> String {
    let width: usize = 640;
    let height: usize = 220;
    let (top, bottom, left) = (24, 28, 8);
    let plot_h = height - top - bottom;
    let n = bars.len().max(1);
    let slot = (width - 2 * left) as f64 / n as f64;
    let bar_w = (slot * 0.7).max(1.0);
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    // Label every k-th bar so labels never overlap.
    let every = n.div_ceil(16).max(1);
    let values: Vec<String> = bars
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| format!("{}: {}", b.label, b.count))
        .collect();
    let mut s = String::with_capacity(256 + bars.len() * 200);
    let _ = write!(
        s,
        "<svg class=\"barchart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{} {}</desc>\
         <line class=\"axis\" x1=\"{left}\" x2=\"{x2}\" y1=\"{base}\" y2=\"{base}\"/>",
        esc(&labels.title),
        esc(&labels.description),
        esc(&values.join(", ")),
        x2 = width - left,
        base = top + plot_h,
    );
    for (i, b) in bars.iter().enumerate() {
        let h = (b.count as f64 / max as f64 * plot_h as f64).round();
        let x = left as f64 + i as f64 * slot + (slot - bar_w) / 2.0;
        let y = (top + plot_h) as f64 - h;
        let cx = x + bar_w / 2.0;
        if b.count > 0 {
            let _ = write!(
                s,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\"/>\
                 <text class=\"num\" x=\"{cx:.1}\" y=\"{ty:.1}\">{}</text>",
                b.count,
                ty = y - 5.0,
            );
        }
        if i % every == 0 || i + 1 == bars.len() {
            let _ = write!(
                s,
                "<text class=\"lbl\" x=\"{cx:.1}\" y=\"{ly}\">{}</text>",
                esc(&b.label),
                ly = height - 8,
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            title: "Praxisbeispiele nach Land".into(),
            description: "Kachelkarte".into(),
            one: "Praxisbeispiel".into(),
            many: "Praxisbeispiele".into(),
        }
    }

    fn tile(key: &str, name: &str, count: usize) -> LandTile {
        LandTile {
            key: key.into(),
            name: name.into(),
            count,
            href: (count > 0).then(|| format!("regionen/{key}/index.html")),
        }
    }

    #[test]
    fn every_land_has_its_own_cell() {
        let mut cells: Vec<(u32, u32)> = GRID.iter().map(|g| (g.1, g.2)).collect();
        cells.sort_unstable();
        cells.dedup();
        assert_eq!(cells.len(), 16);
        let keys: Vec<String> = (1..=16).map(|k| format!("{k:02}")).collect();
        assert!(keys.iter().all(|k| GRID.iter().any(|g| g.0 == k)));
    }

    #[test]
    fn shades_scale_with_the_largest_count() {
        assert_eq!(shade(0, 10), 0);
        assert_eq!(shade(1, 10), 1);
        assert_eq!(shade(5, 10), 2);
        assert_eq!(shade(10, 10), 4);
        assert_eq!(shade(3, 0), 0);
    }

    #[test]
    fn map_links_lands_with_entries_and_names_every_tile() {
        let svg = land_map(
            &[
                tile("05", "Nordrhein-Westfalen", 12),
                tile("04", "Bremen", 0),
            ],
            &labels(),
            "karte",
        );
        assert_eq!(svg.matches("<a ").count(), 1);
        assert!(svg.contains("href=\"regionen/05/index.html\""));
        assert!(svg.contains("aria-label=\"Nordrhein-Westfalen – NW: 12 Praxisbeispiele\""));
        assert!(svg.contains("aria-label=\"Bremen – HB: 0 Praxisbeispiele\""));
        assert!(svg.contains(">12</text>"));
        assert!(svg.contains("tile-4"));
        assert_eq!(svg.matches("class=\"tile ").count(), 16);
        assert!(svg.contains("<title id=\"karte-t\">Praxisbeispiele nach Land</title>"));
    }

    #[test]
    fn map_escapes_names() {
        let svg = land_map(&[tile("01", "A & <B>", 1)], &labels(), "m");
        assert!(svg.contains("A &amp; &lt;B&gt; – SH: 1 Praxisbeispiel\""));
        assert!(!svg.contains("<B>"));
    }

    #[test]
    fn year_series_fills_gaps_and_caps_the_span() {
        let s = year_series(&[(2020, 2), (2023, 1)]);
        let labels: Vec<&str> = s.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2020", "2021", "2022", "2023"]);
        assert_eq!(s[1].count, 0);
        assert_eq!(year_series(&[(1000, 1), (2024, 1)]).len(), 41);
        assert!(year_series(&[]).is_empty());
    }

    #[test]
    fn bar_chart_prints_counts_and_describes_values() {
        let bars = year_series(&[(2021, 4), (2022, 0), (2023, 2)]);
        let svg = bar_chart(&bars, &labels(), "jahre");
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(svg.contains(">4</text>"));
        assert!(svg.contains("2021: 4, 2023: 2"));
        assert!(svg.contains("role=\"img\""));
        // the tallest bar fills the plot
        assert!(svg.contains("height=\"168.0\""));
    }

    #[test]
    fn bar_chart_of_nothing_is_still_valid() {
        let svg = bar_chart(&[], &labels(), "x");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
