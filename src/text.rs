//! Text helpers every stage shares, at the bottom of the house (they import
//! nothing of the crate): how header and label text is compared
//! ([`normalise_label`], [`normalise_header`]), the display width of Japanese
//! text (for sizing Excel columns), the cleaning every string from a user
//! workbook goes through before it is written anywhere ([`clean`]), and HTML
//! escaping ([`escape_html`]).
//!
//! Workbook text is data, never markup or formulas: [`clean`] strips control
//! characters and characters XML cannot carry, and cuts very long text with a
//! visible mark, so a sheet name or a reason can neither break the xlsx XML nor
//! flood a report.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then every whitespace character removed (ASCII and ideographic
/// spaces, tabs, line breaks), and zero-width spaces too. Used for category
/// labels and header text.
pub fn normalise_label(s: &str) -> String {
    nfkc(s).chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}')).collect()
}

/// NFKC of `s`, borrowed when `s` is already in NFKC, which is most cells
/// of a workbook: text made only of ASCII, common kanji, kana and Japanese
/// brackets is known to be (a range check per character), and other text
/// when Unicode's quick check says so without composing.
pub fn nfkc(s: &str) -> Cow<'_, str> {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    if s.chars().all(stable_under_nfkc) {
        Cow::Borrowed(s)
    } else if let Some(mapped) = nfkc_by_char(s) {
        Cow::Owned(mapped)
    } else if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    }
}

/// NFKC of text whose characters are stable (see [`stable_under_nfkc`]),
/// full-width ASCII (`１２人`, `（人）`) or the ideographic space, the usual
/// full-width mess of Japanese workbooks: each of those maps to one ASCII
/// character that composes with nothing around it, so the text is
/// normalised character by character. `None` for any other character.
fn nfkc_by_char(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
            c if stable_under_nfkc(c) => c,
            _ => return None,
        });
    }
    Some(out)
}

/// Characters that NFKC leaves as they are in any string: no decomposition,
/// combining class 0, and never the second half of a composition. ASCII,
/// 、。, 々〆〇 and the CJK brackets, hiragana and katakana without the
/// combining sound marks (U+3099/U+309A) and the halfwidth forms, and the
/// CJK Unified Ideographs block. (Checked against the Unicode data in a test.)
fn stable_under_nfkc(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x7f'
            | '\u{3001}'..='\u{3002}'
            | '\u{3005}'..='\u{3011}'
            | '\u{3014}'..='\u{301B}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FC}'
            | '\u{4E00}'..='\u{9FFF}'
    )
}

/// Header text as compared with the mapping: NFKC, no whitespace or line
/// breaks, bracketed notes (`（人）`, `[必須]`, `【】`) and `※…`/`*` marks
/// removed, ASCII case ignored.
/// Whether a text is a note in brackets and nothing else: `（人）`,
/// `(年/月/日)`, `【必須】`.
pub fn is_bracketed_note(text: &str) -> bool {
    let t = nfkc(text.trim());
    let pairs = [('(', ')'), ('【', '】'), ('[', ']'), ('〔', '〕'), ('<', '>')];
    t.chars().count() >= 2 && pairs.iter().any(|(open, close)| t.starts_with(*open) && t.ends_with(*close))
}

pub fn normalise_header(text: &str) -> String {
    let s = normalise_label(text);
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for ch in s.chars() {
        match ch {
            '(' | '[' | '【' | '〔' | '<' | '«' | '「' | '『' | '〈' | '《' => depth += 1,
            ')' | ']' | '】' | '〕' | '>' | '»' | '」' | '』' | '〉' | '》' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    let out = match out.find('※') {
        Some(i) if i > 0 => out[..i].to_string(),
        _ => out,
    };
    let out = out.trim_matches(|c| c == '*' || c == '※' || c == ':' || c == '：').to_string();
    let out = if out.is_empty() { s } else { out };
    out.to_lowercase()
}

/// Longest text (in characters) written to a report cell before it is cut.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// Appended to text cut at [`MAX_TEXT_CHARS`].
pub const TRUNCATION_MARK: &str = "…（以下省略）";

/// Columns a string takes in a Japanese font: East-Asian wide and fullwidth
/// characters (漢字, かな, 全角英数, ①, ○, ※ …) count 2, halfwidth katakana and
/// Latin text 1, combining marks and zero-width characters 0.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Width of one character (see [`display_width`]).
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    if is_zero_width(u) {
        0
    } else if is_wide(u) {
        2
    } else {
        1
    }
}

fn is_zero_width(u: u32) -> bool {
    matches!(u,
        0x0300..=0x036F       // combining diacritics
        | 0x200B..=0x200F     // zero-width space, joiners, marks
        | 0x3099..=0x309A     // combining (han)dakuten
        | 0xFE00..=0xFE0F     // variation selectors
        | 0xE0100..=0xE01EF   // ideographic variation selectors
    ) || u < 0x20
}

fn is_wide(u: u32) -> bool {
    matches!(u,
        0x1100..=0x115F       // Hangul Jamo
        | 0x2E80..=0x303E     // CJK radicals, Kangxi, CJK symbols and punctuation
        | 0x3041..=0x33FF     // Hiragana, Katakana, Bopomofo, CJK compatibility
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xA000..=0xA4CF     // Yi
        | 0xAC00..=0xD7A3     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFE30..=0xFE4F     // CJK compatibility forms
        | 0xFF00..=0xFF60     // fullwidth forms
        | 0xFFE0..=0xFFE6     // fullwidth signs
        | 0x1F300..=0x1F64F   // pictographs, emoticons
        | 0x1F900..=0x1F9FF   // supplemental pictographs
        | 0x20000..=0x3FFFD   // CJK extensions B..
        // East-Asian "ambiguous" characters drawn full width by Japanese fonts
        | 0x00A7 | 0x00A8 | 0x00B0 | 0x00B1 | 0x00B4 | 0x00B6 | 0x00D7 | 0x00F7
        | 0x0391..=0x03C9     // Greek
        | 0x0401..=0x0451     // Cyrillic
        | 0x2010 | 0x2015 | 0x2016 | 0x2018 | 0x2019 | 0x201C | 0x201D
        | 0x2020 | 0x2021 | 0x2025 | 0x2026 | 0x2030 | 0x2032 | 0x2033 | 0x203B
        | 0x2103 | 0x2116 | 0x2121 | 0x2160..=0x217F // ℃ № ℡ Roman numerals
        | 0x2190..=0x21FF     // arrows
        | 0x2200..=0x22FF     // mathematical operators
        | 0x2312 | 0x2460..=0x24FF // ⌒, circled numbers ①
        | 0x2500..=0x257F     // box drawing
        | 0x25A0..=0x25FF     // geometric shapes ■□▲△○●◎
        | 0x2600..=0x26FF     // misc symbols ★☆
        | 0x2700..=0x27BF     // dingbats ✓
    )
}

/// Makes workbook text safe to write: removes control characters (keeping
/// `\n` and `\t`) and characters XML 1.0 cannot carry, and cuts text longer
/// than [`MAX_TEXT_CHARS`] characters with [`TRUNCATION_MARK`].
///
/// The result is still plain text: callers write it as a string cell (never a
/// formula) or let the template engine escape it.
pub fn clean(s: &str) -> Cow<'_, str> {
    let needs_strip = s.chars().any(|c| !keep_char(c));
    let too_long = s.chars().nth(MAX_TEXT_CHARS).is_some();
    if !needs_strip && !too_long {
        return Cow::Borrowed(s);
    }
    let mut out: String = s.chars().filter(|&c| keep_char(c)).collect();
    if let Some((cut, _)) = out.char_indices().nth(MAX_TEXT_CHARS) {
        out.truncate(cut);
        out.push_str(TRUNCATION_MARK);
    }
    Cow::Owned(out)
}

/// [`clean`] into an owned `String`.
pub fn clean_owned(s: &str) -> String {
    clean(s).into_owned()
}

fn keep_char(c: char) -> bool {
    match c {
        '\n' | '\t' => true,
        // C0 controls, DEL, C1 controls
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => false,
        // Not XML 1.0 characters (surrogates cannot occur in a Rust str).
        '\u{FFFE}' | '\u{FFFF}' => false,
        _ => true,
    }
}

/// Escapes text for SVG/HTML content and attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_borrows_text_already_normal_and_normalises_the_rest() {
        assert!(matches!(nfkc("派遣実績 R5.8.1"), Cow::Borrowed(_)));
        assert!(matches!(nfkc("ものづくりマイスター"), Cow::Borrowed(_)));
        assert_eq!(nfkc("１２人"), "12人");
        assert_eq!(nfkc("ｺｰﾅｰ"), "コーナー");
        assert_eq!(nfkc("令和５年８月１日"), "令和5年8月1日");
        assert_eq!(nfkc("㈱"), "(株)");
        assert_eq!(normalise_label("工業 高校\n"), "工業高校");
    }

    #[test]
    fn the_characters_taken_as_stable_are_left_alone_by_nfkc_even_next_to_each_other() {
        let stable: Vec<char> = (0..=0xFFFFu32).filter_map(char::from_u32).filter(|&c| stable_under_nfkc(c)).collect();
        assert!(stable.len() > 20_000, "{}", stable.len());
        for &c in &stable {
            let alone: String = c.to_string();
            assert_eq!(alone.nfkc().collect::<String>(), alone, "U+{:04X}", c as u32);
            // A stable character never composes with the one before it.
            let pair: String = ['か', c].iter().collect();
            assert_eq!(pair.nfkc().collect::<String>(), pair, "か + U+{:04X}", c as u32);
        }
        // The sound marks and halfwidth forms are not taken as stable.
        for c in ['\u{3099}', '\u{309A}', '\u{309B}', '\u{3000}', 'ｶ', '１'] {
            assert!(!stable_under_nfkc(c), "U+{:04X}", c as u32);
        }
        assert_eq!(nfkc("か\u{3099}"), "が");
    }

    #[test]
    fn full_width_ascii_and_the_ideographic_space_map_as_unicode_says_beside_any_stable_character() {
        let mapped: Vec<char> = ('\u{FF01}'..='\u{FF5E}').chain(['\u{3000}']).collect();
        let neighbours = ['a', 'Z', '1', ' ', '(', 'か', 'ガ', 'ー', '漢', '「', '々'];
        for &m in &mapped {
            for &n in &neighbours {
                for text in [format!("{m}{n}"), format!("{n}{m}"), format!("{n}{m}{n}")] {
                    let expected: String = text.nfkc().collect();
                    assert_eq!(nfkc_by_char(&text).as_deref(), Some(expected.as_str()), "{text:?}");
                    assert_eq!(nfkc(&text), expected, "{text:?}");
                }
            }
        }
        // Anything else goes to the full normalisation.
        assert_eq!(nfkc_by_char("ｶﾞ"), None);
        assert_eq!(nfkc("１２ｶﾞ"), "12ガ");
        assert_eq!(nfkc_by_char("A\u{0301}"), None);
        assert_eq!(nfkc("Ａ\u{0301}"), "Á");
    }

    #[test]
    fn japanese_counts_double_latin_single() {
        assert_eq!(display_width(""), 0);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("1,600"), 5);
        assert_eq!(display_width("山口県"), 6);
        assert_eq!(display_width("ものづくりマイスター"), 20);
        assert_eq!(display_width("ＡＢＣ１２３"), 12);
        assert_eq!(display_width("ｱｲｳ"), 3, "halfwidth katakana is narrow");
        assert_eq!(display_width("①②"), 4);
        assert_eq!(display_width("○×※"), 6);
        assert_eq!(display_width("D14 除外"), 8);
        assert_eq!(display_width("か\u{3099}"), 2, "combining dakuten adds nothing");
    }

    #[test]
    fn labels_lose_width_variants_and_all_whitespace() {
        assert_eq!(normalise_label("受講者数\n（人）"), "受講者数(人)");
        assert_eq!(normalise_label(" 実 施　日 "), "実施日");
        assert_eq!(normalise_label("ＷＥＢ\r\n会議\t"), "WEB会議");
        assert_eq!(normalise_label("ｻﾎﾟｽﾃ"), "サポステ");
        assert_eq!(normalise_label("中小\u{200B}企業"), "中小企業");
        assert_eq!(normalise_label(""), "");
    }

    #[test]
    fn clean_keeps_ordinary_text_borrowed() {
        let s = "派遣実績（令和5年度）\n2行目\tタブ";
        assert!(matches!(clean(s), Cow::Borrowed(_)));
        assert_eq!(clean("=HYPERLINK(\"http://x\")"), "=HYPERLINK(\"http://x\")");
    }

    #[test]
    fn clean_strips_control_and_xml_invalid_characters() {
        assert_eq!(clean("a\u{0}b\u{7}c\rd\u{1B}e\u{85}f\u{FFFE}g\u{FFFF}"), "abcdefg");
        assert_eq!(clean("行1\n行2\t"), "行1\n行2\t");
    }

    #[test]
    fn clean_truncates_long_text_with_a_visible_mark() {
        let long = "あ".repeat(MAX_TEXT_CHARS + 5);
        let c = clean(&long);
        assert!(c.ends_with(TRUNCATION_MARK));
        assert_eq!(c.chars().count(), MAX_TEXT_CHARS + TRUNCATION_MARK.chars().count());
        let exact = "x".repeat(MAX_TEXT_CHARS);
        assert_eq!(clean(&exact), exact);
    }
}
