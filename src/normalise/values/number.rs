//! Counts and yen: whole numbers ≥ 0, as numbers or as text with full-width
//! digits, `,` thousands separators and a unit (`12人`, `3か所`, `1,000円`) or a
//! currency mark (`￥1,000`). Negative, fractional and implausibly large
//! values are refused with a reason.

use super::{bool_in_number_reason, date_in_number_reason, error_cell_reason, float_text, nfkc, quote};
use crate::ingest::RawCell;

/// Largest count or amount we accept; anything larger is a typo.
const MAX_WHOLE: i64 = 1_000_000_000_000;

/// Units a count may carry after its digits, space-separated (longest first
/// where one ends another).
const COUNT_UNITS: &str = "人日 か所 ヶ所 ケ所 カ所 ヵ所 箇所 職種 団体 人 名 回 件 校 社 組";

/// Reads a count: a whole number ≥ 0, as a number or as text with full-width
/// digits, `,` thousands separators and one unit (`12人`, `1,600`, `3か所`).
pub fn parse_count(cell: &RawCell) -> Result<Option<i64>, String> {
    parse_whole(cell, Whole::Count)
}

/// A count followed by a note in brackets (`10（うち女性3）`, `12名（見学含む）`,
/// `8(2)`): the leading count, when the cell is not a plain count. Two
/// numbers without brackets (`5+3`) are no count with a note.
pub fn count_with_note(cell: &RawCell) -> Option<i64> {
    let RawCell::Text(s) = cell else { return None };
    let text = nfkc(s);
    let text = text.trim();
    let body = text.strip_suffix([')', '】', ']'])?;
    let open = body.find(['(', '【', '['])?;
    let lead = body[..open].trim();
    if lead.is_empty() {
        return None;
    }
    whole_from_text(lead, Whole::Count).ok().flatten()
}

/// Reads an amount in yen: a whole number ≥ 0, as a number or as text like
/// `1,000円`, `￥1,000`, `¥1000`.
pub fn parse_yen(cell: &RawCell) -> Result<Option<i64>, String> {
    parse_whole(cell, Whole::Yen)
}

/// The kinds of whole-number field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whole {
    Count,
    Yen,
}

/// Why a value is not a whole number ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WholeProblem {
    Negative,
    Fractional,
    TooLarge,
    Unreadable,
}

impl Whole {
    fn what(self) -> &'static str {
        match self {
            Whole::Count => "人数・件数",
            Whole::Yen => "金額",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Whole::Count => "12 や 1,600人",
            Whole::Yen => "1000 や 1,000円",
        }
    }

    /// The units this kind may carry, space-separated.
    fn units(self) -> &'static str {
        match self {
            Whole::Count => COUNT_UNITS,
            Whole::Yen => "円",
        }
    }

    /// Strips a leading currency mark (`¥`, or `\` which Japanese fonts show as ¥).
    fn strip_currency(self, s: &str) -> &str {
        match self {
            Whole::Count => s,
            Whole::Yen => s.strip_prefix(['¥', '\\']).unwrap_or(s),
        }
    }

    fn reason(self, problem: WholeProblem, shown: &str) -> String {
        let q = quote(shown);
        let what = self.what();
        match (problem, self) {
            (WholeProblem::Negative, _) => {
                format!("「{q}」はマイナスです。{what}は 0 以上の整数で入力してください")
            }
            (WholeProblem::Fractional, Whole::Count) => {
                format!("「{q}」は小数です。{what}は 0 以上の整数で入力してください")
            }
            (WholeProblem::Fractional, Whole::Yen) => {
                format!("「{q}」には1円未満の端数があります。{what}は円単位の整数で入力してください")
            }
            (WholeProblem::TooLarge, _) => {
                format!("「{q}」は{what}として大きすぎます。値を確認してください")
            }
            (WholeProblem::Unreadable, _) => {
                format!("「{q}」は{what}として読めません。{} のように 0 以上の整数で入力してください", self.example())
            }
        }
    }
}

fn parse_whole(cell: &RawCell, kind: Whole) -> Result<Option<i64>, String> {
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Text(s) => whole_from_text(s, kind).map_err(|p| kind.reason(p, s)),
        RawCell::Int(n) => whole_from_int(*n).map(Some).map_err(|p| kind.reason(p, &n.to_string())),
        RawCell::Float(f) => whole_from_float(*f).map(Some).map_err(|p| kind.reason(p, &float_text(*f))),
        RawCell::Bool(b) => Err(bool_in_number_reason(*b, kind.what(), kind.example())),
        RawCell::Date { .. } | RawCell::DateIso(_) => Err(date_in_number_reason(cell, kind.what(), kind.example())),
        RawCell::Error(e) => Err(error_cell_reason(e)),
    }
}

fn whole_from_int(n: i64) -> Result<i64, WholeProblem> {
    if n < 0 {
        Err(WholeProblem::Negative)
    } else if n > MAX_WHOLE {
        Err(WholeProblem::TooLarge)
    } else {
        Ok(n)
    }
}

fn whole_from_float(f: f64) -> Result<i64, WholeProblem> {
    let f = if f.fract() == 0.0 { f } else { as_excel_shows(f) };
    if !f.is_finite() {
        Err(WholeProblem::Unreadable)
    } else if f < 0.0 {
        Err(WholeProblem::Negative)
    } else if f.fract() != 0.0 {
        Err(WholeProblem::Fractional)
    } else if f > MAX_WHOLE as f64 {
        Err(WholeProblem::TooLarge)
    } else {
        // Integral and within 0..=1e12, so the cast is exact.
        Ok(f as i64)
    }
}

/// `f` to the 15 significant digits Excel keeps and shows: a formula's
/// `=10*1.2` is stored as 12.000000000000002 and shown, and meant, as 12.
fn as_excel_shows(f: f64) -> f64 {
    format!("{f:.14e}").parse().unwrap_or(f)
}

fn whole_from_text(s: &str, kind: Whole) -> Result<Option<i64>, WholeProblem> {
    let text: String = nfkc(s).chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Ok(None);
    }
    let body = kind.units().split(' ').find_map(|unit| text.strip_suffix(unit)).unwrap_or(&text);
    let (minus_before, body) = strip_minus(body);
    let (minus_after, body) = strip_minus(kind.strip_currency(body));
    if minus_before && minus_after {
        return Err(WholeProblem::Unreadable);
    }
    let negative = minus_before || minus_after;
    let (whole, fraction) = split_decimal(body).ok_or(WholeProblem::Unreadable)?;
    let value = whole.parse::<i64>().map_err(|_| WholeProblem::TooLarge)?;
    let fractional = fraction.bytes().any(|b| b != b'0');
    if negative && (value > 0 || fractional) {
        Err(WholeProblem::Negative)
    } else if fractional {
        Err(WholeProblem::Fractional)
    } else if value > MAX_WHOLE {
        Err(WholeProblem::TooLarge)
    } else {
        Ok(Some(value))
    }
}

/// Strips one leading minus mark: `-`, `−`, `‐`, or the accounting `△`/`▲`.
pub(super) fn strip_minus(s: &str) -> (bool, &str) {
    match s.strip_prefix(['-', '\u{2212}', '\u{2010}', '△', '▲']) {
        Some(rest) => (true, rest),
        None => (false, s),
    }
}

/// Splits `1,600.00` into its whole digits (separators checked and removed)
/// and its fraction digits; `None` unless it is such a number.
fn split_decimal(s: &str) -> Option<(String, &str)> {
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (w, f),
        Some(_) => return None,
        None => (s, ""),
    };
    let mut groups = whole.split(',');
    let first = groups.next().filter(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))?;
    let mut digits = first.to_owned();
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        grouped = true;
        digits.push_str(group);
    }
    if grouped && first.len() > 3 {
        return None;
    }
    Some((digits, fraction))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::values::test_support::{full_width_digits, rejected, text};

    // --- counts -------------------------------------------------------------

    #[test]
    fn counts_from_numbers() {
        assert_eq!(parse_count(&RawCell::Int(12)), Ok(Some(12)));
        assert_eq!(parse_count(&RawCell::Int(0)), Ok(Some(0)));
        assert_eq!(parse_count(&RawCell::Float(12.0)), Ok(Some(12)));
        assert_eq!(parse_count(&RawCell::Float(-0.0)), Ok(Some(0)));
        assert_eq!(parse_count(&RawCell::Float(1e12)), Ok(Some(1_000_000_000_000)));
        assert_eq!(parse_count(&RawCell::Empty), Ok(None));
    }

    #[test]
    fn a_formulas_binary_noise_counts_as_the_whole_number_excel_shows() {
        // Formula results as a workbook can store them (=0.1*3*10, =1.1*3-0.3 …);
        // Excel shows 12 and 3.
        assert_eq!(0.1 * 3.0, 0.30000000000000004);
        assert_eq!(parse_count(&RawCell::Float(12.000000000000002)), Ok(Some(12)));
        assert_eq!(parse_count(&RawCell::Float(0.1 * 3.0 * 10.0)), Ok(Some(3)));
        assert_eq!(parse_count(&RawCell::Float(2.9999999999999996)), Ok(Some(3)));
        // A fraction Excel shows is still a fraction.
        rejected(parse_count(&RawCell::Float(12.5)), "小数");
        rejected(parse_count(&RawCell::Float(12.0000000000001)), "小数");
        rejected(parse_count(&RawCell::Float(-3.0000000000000004)), "マイナス");
    }

    #[test]
    fn counts_from_text_with_units_and_separators() {
        let cases: [(&str, i64); 27] = [
            ("12", 12),
            ("0", 0),
            ("１２", 12),
            ("12人", 12),
            ("12名", 12),
            ("１２人", 12),
            (" 12 人 ", 12),
            ("1,600", 1600),
            ("１，６００", 1600),
            ("1,600人", 1600),
            ("1,234,567", 1_234_567),
            ("30人日", 30),
            ("2回", 2),
            ("5件", 5),
            ("3校", 3),
            ("4か所", 4),
            ("4ヶ所", 4),
            ("4ケ所", 4),
            ("4カ所", 4),
            ("4箇所", 4),
            ("2社", 2),
            ("3職種", 3),
            ("2団体", 2),
            ("3組", 3),
            ("12.0", 12),
            ("-0", 0),
            ("11団体", 11),
        ];
        for (s, n) in cases {
            assert_eq!(parse_count(&text(s)), Ok(Some(n)), "{s}");
            assert_eq!(parse_count(&text(&full_width_digits(s))), Ok(Some(n)), "{s}");
        }
        assert_eq!(parse_count(&text("")), Ok(None));
        assert_eq!(parse_count(&text("\u{3000}")), Ok(None));
    }

    #[test]
    fn negative_counts_are_rejected() {
        for s in ["-3", "△3", "▲3", "－３", "\u{2212}3", "-3人", "△1,600"] {
            rejected(parse_count(&text(s)), "マイナス");
        }
        rejected(parse_count(&RawCell::Int(-3)), "「-3」はマイナス");
        rejected(parse_count(&RawCell::Float(-3.0)), "マイナス");
    }

    #[test]
    fn fractional_counts_are_rejected() {
        for s in ["2.5", "２．５", "2.5人"] {
            rejected(parse_count(&text(s)), "小数");
        }
        rejected(parse_count(&RawCell::Float(2.5)), "「2.5」は小数");
    }

    #[test]
    fn unreadable_counts_are_rejected_quoting_the_text() {
        for s in ["abc", "十二", "12個", "1,6,00", "16,00", "1600,", "1.", ".5", "人", "12人人", "約12", "1、600", "-"]
        {
            rejected(parse_count(&text(s)), &format!("「{s}」は人数・件数として読めません"));
        }
        rejected(parse_count(&text("99999999999999999999")), "大きすぎます");
        rejected(parse_count(&RawCell::Int(1_000_000_000_001)), "大きすぎます");
        rejected(parse_count(&RawCell::Float(1e13)), "大きすぎます");
        rejected(parse_count(&RawCell::Float(f64::NAN)), "読めません");
        rejected(parse_count(&RawCell::Bool(true)), "論理値");
        rejected(parse_count(&RawCell::Date { serial: 45139.0, is_1904: false }), "2023-08-01");
        rejected(parse_count(&RawCell::DateIso("2023-08-01".to_owned())), "日付");
        rejected(parse_count(&RawCell::Error("#VALUE!".to_owned())), "エラー値（#VALUE!）");
    }

    // --- yen ----------------------------------------------------------------

    #[test]
    fn yen_forms() {
        let cases: [(&str, i64); 9] = [
            ("1,000円", 1000),
            ("￥1,000", 1000),
            ("¥1000", 1000),
            ("\\1,000", 1000),
            ("1000", 1000),
            ("0", 0),
            ("0円", 0),
            ("１，０００円", 1000),
            ("￥ 12,345 円", 12345),
        ];
        for (s, n) in cases {
            assert_eq!(parse_yen(&text(s)), Ok(Some(n)), "{s}");
        }
        assert_eq!(parse_yen(&RawCell::Int(500)), Ok(Some(500)));
        assert_eq!(parse_yen(&RawCell::Float(500.0)), Ok(Some(500)));
        assert_eq!(parse_yen(&RawCell::Empty), Ok(None));
    }

    #[test]
    fn yen_rejections() {
        for s in ["-1,000円", "△500", "▲500円", "¥-500", "-¥500"] {
            rejected(parse_yen(&text(s)), "マイナス");
        }
        rejected(parse_yen(&text("1,000.5円")), "端数");
        rejected(parse_yen(&RawCell::Float(0.5)), "端数");
        rejected(parse_yen(&RawCell::Int(-1)), "マイナス");
        for s in ["abc円", "千円", "1000ドル", "12人", "--5"] {
            rejected(parse_yen(&text(s)), "金額として読めません");
        }
    }
}
