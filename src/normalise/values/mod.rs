//! Cell → value: dates, counts, hours, yen, withdrawn flags, fiscal years,
//! and whether a row's first label marks a total.
//!
//! These parsers own the "value mess" of the input contract
//! (`spec/datasets.md`): each turns one [`RawCell`] into a typed value, or into
//! a reason in Japanese that says what was found, what was expected and how to
//! fix it (quoting at most 30 characters of the cell). Every function is pure
//! and total: no input makes it panic. Text is NFKC-normalised first, so
//! full-width digits, slashes, dots, `￥` and `（）` read like their ASCII forms.
//!
//! One file per kind of value: `date` (date cells, Excel serials in both
//! epochs, the plausibility check), `date_text` (dates typed as text) with
//! `date_tail` (the weekday and time written after one), `wareki` (era names
//! and era years), `number` (counts and yen), `hours`, `mark` (withdrawn
//! flags and fiscal years) and `label` (total-row labels). This file holds
//! what they share: [`cell_text`], quoting a cell in a reason, and the reasons
//! every kind gives alike. Header and label comparison lives in
//! [`crate::text`].

mod date;
mod date_tail;
mod date_text;
mod held;
mod hours;
mod label;
mod mark;
mod number;
mod range;
mod serial;
mod wareki;

pub use date::{earliest_plausible, parse_date, parse_date_with_epoch};
pub use date_text::parse_date_text;
pub use held::{Remarks, cancel_word_alone, named_fiscal_year, remarks};
pub use hours::parse_hours;
pub use label::{is_period_heading, is_total_label};
pub use mark::{parse_fiscal_year, parse_flag};
pub use number::{count_with_note, parse_count, parse_yen};
pub use range::{MAX_RANGE_DAYS, parse_date_range};
pub use serial::serial_to_date;

use std::ops::RangeInclusive;

use crate::ingest::RawCell;
use std::borrow::Cow;

/// Reasons quote at most this many characters of the cell's text.
const QUOTE_CHARS: usize = 30;

/// The cell as display text, NFKC-normalised and trimmed; `None` when blank.
/// Numbers print without a trailing `.0`, booleans as `TRUE`/`FALSE`, dates as
/// `YYYY-MM-DD`, errors as their code (`#N/A`).
pub fn cell_text(cell: &RawCell) -> Option<String> {
    cell_str(cell).map(Cow::into_owned)
}

/// [`cell_text`], borrowed from the cell when its text is already normal
/// (most text cells).
pub fn cell_str(cell: &RawCell) -> Option<Cow<'_, str>> {
    let text = match cell {
        RawCell::Empty => return None,
        RawCell::Text(s) | RawCell::Error(s) => {
            let text = match nfkc(s) {
                Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
                Cow::Owned(o) => Cow::Owned(o.trim().to_owned()),
            };
            return (!text.is_empty()).then_some(text);
        }
        RawCell::Int(n) => n.to_string(),
        RawCell::Float(f) => float_text(*f),
        RawCell::Bool(b) => bool_text(*b).to_owned(),
        RawCell::Date { serial, is_1904 } => {
            serial_to_date(*serial, *is_1904).map_or_else(|| float_text(*serial), |d| d.to_string())
        }
        RawCell::DateIso(s) => parse_date_text(s).map_or_else(|_| nfkc(s).trim().to_owned(), |d| d.to_string()),
    };
    (!text.is_empty()).then_some(Cow::Owned(text))
}

// ---------------------------------------------------------------------------
// Shared by the parsers of every kind

fn nfkc(s: &str) -> Cow<'_, str> {
    crate::text::nfkc(s)
}

/// The value of `s` when it is only ASCII digits and its length is in `len`
/// (at most 9, so it fits a `u32`).
fn digits(s: &str, len: RangeInclusive<usize>) -> Option<u32> {
    let ok = len.contains(&s.len()) && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    if ok { s.parse().ok() } else { None }
}

/// Cell text for a reason: trimmed, control characters as spaces, cut to
/// [`QUOTE_CHARS`] characters with `…`.
fn quote(s: &str) -> String {
    let mut chars = s.trim().chars().map(|c| if c.is_control() { ' ' } else { c });
    let mut out: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// A float as display text: `12` rather than `12.0`, else the shortest form
/// that reads back the same; magnitudes from 1e16 or below 1e-6 in exponent
/// form (`1e300`), so no float prints hundreds of digits.
fn float_text(f: f64) -> String {
    if f == 0.0 {
        "0".to_owned()
    } else if !f.is_finite() || (1e-6..1e16).contains(&f.abs()) {
        f.to_string()
    } else {
        format!("{f:e}")
    }
}

fn bool_text(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

fn error_cell_reason(error: &str) -> String {
    format!("セルがエラー値（{}）です。数式か参照元を直してください", quote(error))
}

fn bool_in_number_reason(b: bool, what: &str, example: &str) -> String {
    format!("{what}の欄に論理値（{}）が入っています。{example} のように入力してください", bool_text(b))
}

fn date_in_number_reason(cell: &RawCell, what: &str, example: &str) -> String {
    format!(
        "{what}の欄に日付（{}）が入っています。セルの書式を標準にして {example} のように入力してください",
        quote(&cell_text(cell).unwrap_or_default())
    )
}

/// Helpers the tests of every kind share.
#[cfg(test)]
mod test_support {
    use super::{RawCell, parse_date, parse_date_text};
    use chrono::NaiveDate;

    pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real calendar date")
    }

    pub(super) fn text(s: &str) -> RawCell {
        RawCell::Text(s.to_owned())
    }

    /// ASCII digits → full-width digits (`2023` → `２０２３`).
    pub(super) fn full_width_digits(s: &str) -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(0xFF10 + d).unwrap_or(c),
                Some(_) | None => c,
            })
            .collect()
    }

    /// Every printable ASCII character → its full-width form (`R5.8.1` → `Ｒ５．８．１`).
    fn full_width_ascii(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    /// The text, its full-width-digit form and its all-full-width form.
    pub(super) fn widths(s: &str) -> [String; 3] {
        [s.to_owned(), full_width_digits(s), full_width_ascii(s)]
    }

    /// Asserts that `s`, in every width, reads as `expected`, as text and as a cell.
    pub(super) fn assert_date(s: &str, expected: NaiveDate) {
        for variant in widths(s) {
            assert_eq!(parse_date_text(&variant), Ok(expected), "{variant}");
            assert_eq!(parse_date(&text(&variant)), Ok(Some(expected)), "{variant}");
        }
    }

    /// Asserts that `s`, in every width, is rejected with a reason holding `needle`.
    pub(super) fn assert_date_rejected(s: &str, needle: &str) {
        for variant in widths(s) {
            match parse_date_text(&variant) {
                Ok(date) => panic!("{variant} read as {date}"),
                Err(reason) => assert!(reason.contains(needle), "{variant}: {reason}"),
            }
        }
    }

    pub(super) fn rejected<T: std::fmt::Debug>(result: Result<Option<T>, String>, needle: &str) {
        match result {
            Ok(value) => panic!("accepted as {value:?}"),
            Err(reason) => assert!(reason.contains(needle), "{reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::text;
    use super::*;
    use crate::text::normalise_label;
    use proptest::prelude::*;

    #[test]
    fn cell_text_of_every_kind_of_cell() {
        assert_eq!(cell_text(&RawCell::Empty), None);
        assert_eq!(cell_text(&text("  ")), None);
        assert_eq!(cell_text(&text(" ＡＢＣ１２ ")), Some("ABC12".to_owned()));
        assert_eq!(cell_text(&text("ｶﾞｲﾄﾞ")), Some("ガイド".to_owned()));
        assert_eq!(cell_text(&RawCell::Int(12)), Some("12".to_owned()));
        assert_eq!(cell_text(&RawCell::Int(-3)), Some("-3".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(12.0)), Some("12".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(-0.0)), Some("0".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(0.1)), Some("0.1".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(1.5)), Some("1.5".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(1e15)), Some("1000000000000000".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(1e300)), Some("1e300".to_owned()));
        assert_eq!(cell_text(&RawCell::Float(-2.5e-7)), Some("-2.5e-7".to_owned()));
        assert_eq!(cell_text(&RawCell::Bool(true)), Some("TRUE".to_owned()));
        assert_eq!(cell_text(&RawCell::Bool(false)), Some("FALSE".to_owned()));
        assert_eq!(cell_text(&RawCell::Date { serial: 45139.5, is_1904: false }), Some("2023-08-01".to_owned()));
        assert_eq!(cell_text(&RawCell::Date { serial: 43677.0, is_1904: true }), Some("2023-08-01".to_owned()));
        assert_eq!(cell_text(&RawCell::DateIso("2023-08-01T00:00:00".to_owned())), Some("2023-08-01".to_owned()));
        assert_eq!(cell_text(&RawCell::Error("#N/A".to_owned())), Some("#N/A".to_owned()));
    }

    #[test]
    fn reasons_quote_at_most_30_characters() {
        let long = "Ω".repeat(100);
        let reasons = [
            parse_date_text(&long).err(),
            parse_date(&RawCell::DateIso(long.clone())).err(),
            parse_count(&text(&long)).err(),
            parse_yen(&text(&long)).err(),
            parse_hours(&text(&long)).err(),
            parse_flag(&text(&long)).err(),
            parse_fiscal_year(&text(&long)).err(),
            parse_count(&RawCell::Error(long.clone())).err(),
        ];
        for reason in reasons {
            let reason = reason.unwrap_or_default();
            assert_eq!(reason.matches('Ω').count(), 30, "{reason}");
            assert!(reason.contains("Ω…"), "{reason}");
        }
    }

    #[test]
    fn reasons_about_huge_numbers_stay_short() {
        for cell in [RawCell::Float(-1e300), RawCell::Float(f64::MAX), RawCell::Int(i64::MAX)] {
            let reasons = [
                parse_date(&cell).err(),
                parse_count(&cell).err(),
                parse_yen(&cell).err(),
                parse_flag(&cell).err(),
                parse_fiscal_year(&cell).err(),
            ];
            for reason in reasons.into_iter().flatten() {
                assert!(reason.chars().count() < 150, "{reason}");
            }
        }
    }

    #[test]
    fn reasons_keep_to_one_line() {
        let reason = parse_count(&text("12\n人です")).err().unwrap_or_default();
        assert!(!reason.contains('\n'), "{reason}");
    }

    // --- properties ---------------------------------------------------------

    fn any_cell() -> impl Strategy<Value = RawCell> {
        prop_oneof![
            Just(RawCell::Empty),
            any::<String>().prop_map(RawCell::Text),
            r"[0-9０-９/／.．\-ー年月日元令和平成RrHh:()（）火曜祝・ 　,，人円時間分hT△▲¥￥]{0,24}"
                .prop_map(RawCell::Text),
            any::<i64>().prop_map(RawCell::Int),
            any::<f64>().prop_map(RawCell::Float),
            any::<bool>().prop_map(RawCell::Bool),
            (any::<f64>(), any::<bool>()).prop_map(|(serial, is_1904)| RawCell::Date { serial, is_1904 }),
            any::<String>().prop_map(RawCell::DateIso),
            any::<String>().prop_map(RawCell::Error),
        ]
    }

    proptest! {
        #[test]
        fn no_text_makes_a_parser_panic(s in any::<String>()) {
            let _ = parse_date_text(&s);
            let _ = parse_date(&RawCell::Text(s.clone()));
            let _ = parse_count(&RawCell::Text(s.clone()));
            let _ = parse_hours(&RawCell::Text(s.clone()));
            let _ = parse_yen(&RawCell::Text(s.clone()));
            let _ = parse_flag(&RawCell::Text(s.clone()));
            let _ = parse_fiscal_year(&RawCell::Text(s.clone()));
            let _ = is_total_label(&s);
            let _ = normalise_label(&s);
        }

        #[test]
        fn no_date_like_text_makes_a_parser_panic(
            s in r"[0-9０-９/／.．\-年月日元令和平成RrHh:()（）火曜祝・ 　T]{0,24}"
        ) {
            let _ = parse_date_text(&s);
            let _ = parse_hours(&RawCell::Text(s.clone()));
            let _ = parse_fiscal_year(&RawCell::Text(s.clone()));
            let _ = is_total_label(&s);
        }

        #[test]
        fn no_cell_makes_a_parser_panic(cell in any_cell(), is_1904 in any::<bool>()) {
            let _ = parse_date(&cell);
            let _ = parse_date_with_epoch(&cell, is_1904);
            let _ = parse_count(&cell);
            let _ = parse_hours(&cell);
            let _ = parse_yen(&cell);
            let _ = parse_flag(&cell);
            let _ = parse_fiscal_year(&cell);
            let _ = cell_text(&cell);
        }

        #[test]
        fn accepted_numbers_are_never_negative(cell in any_cell()) {
            if let Ok(Some(n)) = parse_count(&cell) { prop_assert!(n >= 0); }
            if let Ok(Some(n)) = parse_yen(&cell) { prop_assert!(n >= 0); }
            if let Ok(Some(h)) = parse_hours(&cell) { prop_assert!(h >= 0.0 && h.is_finite()); }
        }
    }
}
