//! Words to index terms: split, lowercase, fold accents, drop stop words, stem.
//!
//! `themes/default/static/search.js` does the same to the reader's query; both
//! sides must agree term for term, so any change here is made there too (the
//! cases in the tests below are the ones the browser test checks in the page).

/// How a site's words are stemmed, from `language` in site.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    German,
    /// Any other language: folded and lowercased, not stemmed.
    Other,
}

impl Language {
    pub fn from_code(code: &str) -> Language {
        if code.eq_ignore_ascii_case("de") {
            Language::German
        } else {
            Language::Other
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::German => "de",
            Language::Other => "",
        }
    }
}

/// Longest word indexed; longer runs of letters are mostly codes and hashes.
const MAX_WORD: usize = 40;

/// Calls `each` with the term of every indexable word of `text`, in order.
pub fn for_each_term(text: &str, language: Language, mut each: impl FnMut(&str)) {
    let mut folded = String::with_capacity(text.len());
    fold_text(text, &mut folded);
    for word in words(&folded) {
        if let Some(term) = term_of(word, language) {
            each(term);
        }
    }
}

/// Appends `text` folded (see [`fold_char`]), every character that is not a
/// letter or digit replaced by a space: the words of a text are then slices of
/// one string, and indexing a body allocates nothing per word. Runs of ASCII, most
/// of a German text, are mapped byte by byte.
pub fn fold_text(text: &str, out: &mut String) {
    let mut folded: Vec<u8> = Vec::with_capacity(text.len() + 1);
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = ascii_run(rest.as_bytes());
        folded.extend(rest.as_bytes()[..ascii].iter().map(|&b| {
            if b.is_ascii_alphanumeric() {
                b.to_ascii_lowercase()
            } else {
                b' '
            }
        }));
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            if c.is_alphanumeric() {
                fold_char(c, |s| folded.extend_from_slice(s.as_bytes()));
            } else {
                folded.push(b' ');
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    folded.push(b' ');
    // only whole characters were appended, so this always holds
    if let Ok(folded) = std::str::from_utf8(&folded) {
        out.push_str(folded);
    }
}

/// The length of the ASCII run `bytes` starts with, checked 16 bytes at a time.
fn ascii_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 16)
        && chunk.is_ascii()
    {
        at += 16;
    }
    at + bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len() - at)
}

/// The words of a text folded by [`fold_text`]: the runs between spaces. Words
/// are short, so a plain byte loop beats a memchr call per word.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    let bytes = folded.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && bytes[at] != b' ' {
            at += 1;
        }
        // spaces are ASCII, so both ends are character boundaries
        folded.get(start..at)
    })
}

/// The term of a folded word, or `None` for stop words, single letters and
/// overlong words.
pub fn term_of(folded: &str, language: Language) -> Option<&str> {
    let chars = if folded.is_ascii() {
        folded.len()
    } else {
        folded.chars().count()
    };
    if !(2..=MAX_WORD).contains(&chars) || is_stop_word(folded, language) {
        return None;
    }
    Some(match language {
        Language::German => stem_german(folded, chars),
        Language::Other => folded,
    })
}

/// Lowercases `c` and folds accents and ß, so "Ämter" and "amter" share a term
/// and "Straße" matches "strasse"; the folded text goes to `emit` in pieces.
fn fold_char(c: char, mut emit: impl FnMut(&str)) {
    for l in c.to_lowercase() {
        match l {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => emit("a"),
            'æ' => emit("ae"),
            'ç' => emit("c"),
            'è' | 'é' | 'ê' | 'ë' => emit("e"),
            'ì' | 'í' | 'î' | 'ï' => emit("i"),
            'ñ' => emit("n"),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => emit("o"),
            'œ' => emit("oe"),
            'ù' | 'ú' | 'û' | 'ü' => emit("u"),
            'ý' | 'ÿ' => emit("y"),
            'ß' => emit("ss"),
            l => emit(l.encode_utf8(&mut [0; 4])),
        }
    }
}

/// Words too common to tell entries apart, folded and sorted (binary search).
const GERMAN_STOP_WORDS: &[&str] = &[
    "aber", "alle", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "da", "damit", "dann",
    "das", "dass", "dem", "den", "der", "des", "die", "diese", "dieser", "doch", "durch", "ein",
    "eine", "einem", "einen", "einer", "eines", "er", "es", "fur", "hat", "ihr", "ihre", "im",
    "in", "ist", "ja", "kann", "man", "mit", "nach", "nicht", "noch", "nur", "ob", "oder", "sich",
    "sie", "sind", "so", "uber", "um", "und", "uns", "unsere", "vom", "von", "vor", "war", "wie",
    "wir", "wird", "wurde", "zu", "zum", "zur",
];
const ENGLISH_STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "of", "on",
    "or", "that", "the", "to", "was", "were", "with",
];

fn is_stop_word(folded: &str, language: Language) -> bool {
    // no stop word is longer; most words of a text are
    if folded.len() > 6 {
        return false;
    }
    static PACKED: std::sync::OnceLock<[Vec<u64>; 2]> = std::sync::OnceLock::new();
    let [german, other] = PACKED.get_or_init(|| {
        let packed = |list: &[&str]| {
            let mut v: Vec<u64> = list.iter().map(|w| pack(w)).collect();
            v.sort_unstable();
            v
        };
        [packed(GERMAN_STOP_WORDS), packed(ENGLISH_STOP_WORDS)]
    });
    let list = match language {
        Language::German => german,
        Language::Other => other,
    };
    list.binary_search(&pack(folded)).is_ok()
}

/// A word of up to 7 bytes as one number, its length in the last byte, so a
/// lookup compares numbers instead of calling memcmp.
fn pack(word: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let len = word.len().min(7);
    bytes[..len].copy_from_slice(&word.as_bytes()[..len]);
    bytes[7] = len as u8;
    u64::from_le_bytes(bytes)
}

/// A light German stemmer: strips one inflection ending, so singular and plural
/// and the case forms of a noun or adjective share a term ("Verwaltungen" and
/// "Verwaltung", "Schulen" and "Schule"). It only ever removes a suffix, so the
/// term is a prefix of the folded word. Words with digits are left as they are.
pub fn stem_german(folded: &str, chars: usize) -> &str {
    let b = folded.as_bytes();
    if b.iter().any(u8::is_ascii_digit) {
        return folded;
    }
    let n = chars;
    let ends = |s: &str| folded.ends_with(s);
    // a final -s only after a consonant that takes it (Kreis keeps its s)
    let plural_s = b.len() >= 2
        && matches!(
            b[b.len() - 2],
            b'b' | b'd' | b'f' | b'g' | b'h' | b'k' | b'l' | b'm' | b'n' | b'r' | b't'
        );
    let cut = if n > 5 && ends("ern") {
        3
    } else if n > 4 && (ends("em") || ends("en") || ends("er") || ends("es")) {
        2
    } else if n > 3 && (ends("e") || (ends("s") && plural_s)) {
        1
    } else {
        0
    };
    &folded[..folded.len() - cut]
}

/// The shard a term is stored in: its first `len` characters, made safe for a
/// file name (`a`–`z`, `0`–`9` as they are, anything else as `_` and hex).
pub fn shard_key(term: &str, len: usize) -> String {
    let mut key = String::new();
    for c in term.chars().take(len) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}", u32::from(c)));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, Language::German, |t| {
            out.push(t.to_string());
        });
        out
    }

    proptest::proptest! {
        /// The byte loops equal the obvious definitions.
        #[test]
        fn words_and_ascii_runs_equal_their_definitions(text in "(?s)[a-z ]{0,40}|.{0,60}|[A-Za-z0-9 ÄÖÜäöüßé]{0,80}") {
            let expected: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), expected);
            let run = text.bytes().position(|b| !b.is_ascii()).unwrap_or(text.len());
            proptest::prop_assert_eq!(ascii_run(text.as_bytes()), run);
        }

        /// Folding runs of ASCII byte by byte equals folding each character.
        #[test]
        fn fold_text_equals_folding_each_character(text in "(?s).{0,60}|[A-Za-z0-9 .,ÄÖÜäöüßéİ\u{1F600}-]{0,60}") {
            let mut expected = String::new();
            for c in text.chars() {
                if c.is_alphanumeric() {
                    fold_char(c, |s| expected.push_str(s));
                } else {
                    expected.push(' ');
                }
            }
            expected.push(' ');
            let mut out = String::from("vorher ");
            fold_text(&text, &mut out);
            proptest::prop_assert_eq!(out, format!("vorher {expected}"));
        }
    }

    #[test]
    fn folds_umlauts_and_sharp_s() {
        assert_eq!(
            terms("Ämter Straße ÖFFNUNG Übergabe"),
            ["amt", "strass", "offnung", "ubergab"]
        );
    }

    #[test]
    fn singular_and_plural_share_a_term() {
        for (a, b) in [
            ("Verwaltung", "Verwaltungen"),
            ("Schule", "Schulen"),
            ("Bürger", "Bürgern"),
            ("Kreis", "Kreises"),
            ("digitale", "digitalen"),
        ] {
            assert_eq!(terms(a), terms(b), "{a} / {b}");
        }
    }

    #[test]
    fn drops_stop_words_single_letters_and_splits_on_punctuation() {
        assert_eq!(
            terms("Die E-Akte für das Amt, 2024!"),
            ["akt", "amt", "2024"]
        );
    }

    #[test]
    fn words_with_digits_are_not_stemmed() {
        assert_eq!(terms("OZG 2.0 Stufe3es"), ["ozg", "stufe3es"]);
    }

    #[test]
    fn other_languages_are_folded_but_not_stemmed() {
        let mut out = Vec::new();
        for_each_term("The Schools of Zürich", Language::Other, |t| {
            out.push(t.to_string());
        });
        assert_eq!(out, ["schools", "zurich"]);
    }

    #[test]
    fn shard_keys_are_file_name_safe() {
        assert_eq!(shard_key("verwaltung", 3), "ver");
        assert_eq!(shard_key("verwaltung", 1), "v");
        assert_eq!(shard_key("ki", 3), "ki");
        assert_eq!(shard_key("łodz", 3), "_142od");
    }

    #[test]
    fn stop_words_are_found_and_nothing_else() {
        for (list, language) in [
            (GERMAN_STOP_WORDS, Language::German),
            (ENGLISH_STOP_WORDS, Language::Other),
        ] {
            for word in list {
                assert!(is_stop_word(word, language), "{word}");
                for other in [
                    &word[..word.len() - 1],
                    &format!("{word}x"),
                    &format!("x{word}"),
                ] {
                    assert_eq!(
                        is_stop_word(other, language),
                        list.contains(&other),
                        "{other}"
                    );
                }
            }
        }
        assert!(!is_stop_word("", Language::German));
    }

    #[test]
    fn stop_word_lists_are_sorted_for_binary_search() {
        for list in [GERMAN_STOP_WORDS, ENGLISH_STOP_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }
}
