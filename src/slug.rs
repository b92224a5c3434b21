//! URL slugs: lowercase ASCII, digits and hyphens, German letters transliterated.

/// Turns any text into a slug: "Bürgerservice & Co." → "buergerservice-co".
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        let mapped: &str = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' | 'ẞ' => "ss",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => "e",
            'á' | 'à' | 'â' | 'Á' | 'À' => "a",
            'ó' | 'ò' | 'ô' | 'Ó' => "o",
            'ú' | 'ù' | 'û' => "u",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ç' => "c",
            'ñ' => "n",
            '&' => "und",
            _ => "",
        };
        let piece: String = if !mapped.is_empty() {
            mapped.to_string()
        } else if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase().to_string()
        } else {
            String::new()
        };
        if piece.is_empty() {
            pending_hyphen = !out.is_empty();
            continue;
        }
        if pending_hyphen {
            out.push('-');
            pending_hyphen = false;
        }
        out.push_str(&piece);
    }
    out
}

/// A slug an editor wrote must already be in slug form: no path separators, no dots.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_german_letters() {
        assert_eq!(slugify("Straßenbau in Köln"), "strassenbau-in-koeln");
        assert_eq!(
            slugify("E-Akte & Dokumentenmanagement"),
            "e-akte-und-dokumentenmanagement"
        );
        assert_eq!(slugify("  Über -- Alles!  "), "ueber-alles");
        assert_eq!(
            slugify("Onlinezugangsgesetz (OZG)"),
            "onlinezugangsgesetz-ozg"
        );
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn validates_editor_slugs() {
        assert!(is_valid("jobtausch-2022"));
        assert!(!is_valid("../etc"));
        assert!(!is_valid("a/b"));
        assert!(!is_valid("Gross"));
        assert!(!is_valid(""));
    }
}
