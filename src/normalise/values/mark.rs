//! Marks and years typed in a cell: withdrawn flags (辞退: ○/×, あり/なし,
//! TRUE/FALSE, 1/0) and fiscal years (`2023年度`, `FY2023`, `R5`, `令和元年度`).

use std::ops::RangeInclusive;

use super::wareki::{era_prefix, era_year};
use super::{cell_text, digits, error_cell_reason, float_text, quote};
use crate::ingest::RawCell;
use crate::text::normalise_label;

/// Accepted fiscal years (Gregorian start year).
const FISCAL_YEARS: RangeInclusive<i32> = 1990..=2200;
/// Words for "withdrawn", compared after [`normalise_label`] and ASCII lowercasing.
const FLAG_TRUE: &str = "○ ◯ 〇 有 あり 有り はい 1 true 辞退 済 済み";
/// Words for "not withdrawn", compared like [`FLAG_TRUE`]; the dashes are
/// hyphen-minus, minus sign, hyphen and horizontal bar.
const FLAG_FALSE: &str = "× ✕ 無 なし 無し いいえ 0 false - \u{2212} \u{2010} \u{2015}";

/// Reads a withdrawn mark (辞退): `Some(true)` for ○ ◯ 〇 有 あり 有り はい 1
/// TRUE 辞退 済; `Some(false)` for × ✕ 無 なし 無し いいえ 0 FALSE -; `None` for
/// a blank cell, which callers read as not withdrawn.
pub fn parse_flag(cell: &RawCell) -> Result<Option<bool>, String> {
    let unreadable = |shown: &str| {
        format!(
            "「{}」は辞退の有無として読めません。辞退なら ○、辞退でなければ空欄か × を入力してください",
            quote(shown)
        )
    };
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Bool(b) => Ok(Some(*b)),
        RawCell::Int(0) => Ok(Some(false)),
        RawCell::Int(1) => Ok(Some(true)),
        RawCell::Int(n) => Err(unreadable(&n.to_string())),
        RawCell::Float(f) if *f == 0.0 => Ok(Some(false)),
        RawCell::Float(f) if *f == 1.0 => Ok(Some(true)),
        RawCell::Float(f) => Err(unreadable(&float_text(*f))),
        RawCell::Text(s) => {
            let label = normalise_label(s).to_ascii_lowercase();
            if label.is_empty() {
                Ok(None)
            } else if FLAG_TRUE.split(' ').any(|w| w == label) {
                Ok(Some(true))
            } else if FLAG_FALSE.split(' ').any(|w| w == label) {
                Ok(Some(false))
            } else {
                Err(unreadable(s))
            }
        }
        RawCell::Date { .. } | RawCell::DateIso(_) => Err(unreadable(&cell_text(cell).unwrap_or_default())),
        RawCell::Error(e) => Err(error_cell_reason(e)),
    }
}

/// Reads a fiscal year as its Gregorian start year: `2023`, `2023年度`,
/// `FY2023`, `R5`, `R5年度`, `令和5`, `令和5年度`, `令和元年度`, `H31`,
/// `平成31年度` (full-width too). Accepts 1990..=2200.
pub fn parse_fiscal_year(cell: &RawCell) -> Result<Option<i32>, String> {
    let unreadable = |shown: &str| {
        format!(
            "「{}」は年度として読めません。2023、R5、令和5年度 のように {}〜{} 年度の年度を入力してください",
            quote(shown),
            FISCAL_YEARS.start(),
            FISCAL_YEARS.end()
        )
    };
    let in_range = |year: i32| FISCAL_YEARS.contains(&year).then_some(year);
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Int(n) => {
            i32::try_from(*n).ok().and_then(in_range).map(Some).ok_or_else(|| unreadable(&n.to_string()))
        }
        RawCell::Float(f) => {
            let year = (f.fract() == 0.0 && f.abs() < 1e6).then_some(*f as i32);
            year.and_then(in_range).map(Some).ok_or_else(|| unreadable(&float_text(*f)))
        }
        RawCell::Text(s) => {
            let label = normalise_label(s);
            if label.is_empty() {
                Ok(None)
            } else {
                fiscal_year_from_label(&label).and_then(in_range).map(Some).ok_or_else(|| unreadable(s))
            }
        }
        RawCell::Bool(_) | RawCell::Date { .. } | RawCell::DateIso(_) => {
            Err(unreadable(&cell_text(cell).unwrap_or_default()))
        }
        RawCell::Error(e) => Err(error_cell_reason(e)),
    }
}

/// The Gregorian year a normalised fiscal-year label names (range unchecked).
fn fiscal_year_from_label(label: &str) -> Option<i32> {
    // In a 年度 column, 2023年 and 令和5年 mean that fiscal year.
    let body = label.strip_suffix("年度").or_else(|| label.strip_suffix('年')).unwrap_or(label);
    if let Some((era, n)) = era_prefix(body) {
        return era.gregorian(era_year(n)?);
    }
    let body = match body.get(..2) {
        Some(fy) if fy.eq_ignore_ascii_case("fy") => &body[2..],
        Some(_) | None => body,
    };
    digits(body, 4..=4).and_then(|y| i32::try_from(y).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::values::test_support::{rejected, text, widths};

    // --- flags --------------------------------------------------------------

    #[test]
    fn withdrawn_marks() {
        for s in ["○", "◯", "〇", "有", "あり", "有り", "はい", "1", "１", "TRUE", "true", "True", "辞退", "済", " ○ "]
        {
            assert_eq!(parse_flag(&text(s)), Ok(Some(true)), "{s}");
        }
        for s in ["×", "✕", "無", "なし", "無し", "いいえ", "0", "FALSE", "false", "-", "－"] {
            assert_eq!(parse_flag(&text(s)), Ok(Some(false)), "{s}");
        }
        assert_eq!(parse_flag(&RawCell::Empty), Ok(None));
        assert_eq!(parse_flag(&text("")), Ok(None));
        assert_eq!(parse_flag(&RawCell::Bool(true)), Ok(Some(true)));
        assert_eq!(parse_flag(&RawCell::Bool(false)), Ok(Some(false)));
        assert_eq!(parse_flag(&RawCell::Int(1)), Ok(Some(true)));
        assert_eq!(parse_flag(&RawCell::Int(0)), Ok(Some(false)));
        assert_eq!(parse_flag(&RawCell::Float(1.0)), Ok(Some(true)));
    }

    #[test]
    fn unknown_flags_are_rejected() {
        for s in ["未定", "x", "2", "辞退?"] {
            rejected(parse_flag(&text(s)), &format!("「{s}」は辞退の有無として読めません"));
        }
        rejected(parse_flag(&RawCell::Int(2)), "「2」");
        rejected(parse_flag(&RawCell::Float(0.5)), "「0.5」");
        rejected(parse_flag(&RawCell::Date { serial: 45139.0, is_1904: false }), "2023-08-01");
        rejected(parse_flag(&RawCell::Error("#REF!".to_owned())), "#REF!");
    }

    // --- fiscal years -------------------------------------------------------

    #[test]
    fn fiscal_year_forms() {
        let cases: [(&str, i32); 19] = [
            ("2023", 2023),
            ("2023年度", 2023),
            ("FY2023", 2023),
            ("fy2023", 2023),
            ("FY 2023", 2023),
            ("R5", 2023),
            ("R05", 2023),
            ("R5年度", 2023),
            ("令和5年度", 2023),
            ("令和5", 2023),
            ("令和 5 年度", 2023),
            ("令和元年度", 2019),
            ("R1", 2019),
            ("H31", 2019),
            ("H30", 2018),
            ("平成31年度", 2019),
            ("2023年", 2023),
            ("R5年", 2023),
            ("令和5年", 2023),
        ];
        for (s, y) in cases {
            for variant in widths(s) {
                assert_eq!(parse_fiscal_year(&text(&variant)), Ok(Some(y)), "{variant}");
            }
        }
        assert_eq!(parse_fiscal_year(&RawCell::Int(2023)), Ok(Some(2023)));
        assert_eq!(parse_fiscal_year(&RawCell::Float(2023.0)), Ok(Some(2023)));
        assert_eq!(parse_fiscal_year(&RawCell::Empty), Ok(None));
        assert_eq!(parse_fiscal_year(&text(" ")), Ok(None));
    }

    #[test]
    fn unknown_fiscal_years_are_rejected() {
        for s in ["23", "令和", "R", "2023年年", "年", "令和五年度", "1989", "2201", "FY23", "R0", "昭和63年度"]
        {
            rejected(parse_fiscal_year(&text(s)), &format!("「{s}」は年度として読めません"));
        }
        rejected(parse_fiscal_year(&RawCell::Int(1989)), "「1989」");
        rejected(parse_fiscal_year(&RawCell::Int(i64::MAX)), "年度として読めません");
        rejected(parse_fiscal_year(&RawCell::Float(2023.5)), "「2023.5」");
        rejected(parse_fiscal_year(&RawCell::Bool(true)), "「TRUE」");
        rejected(parse_fiscal_year(&RawCell::Error("#N/A".to_owned())), "#N/A");
    }
}
