//! How numbers and dates are written in text, in one place: the HTML writer,
//! the sentences of the report sections, the mail drafts and the terminal
//! all use these, so a figure reads the same everywhere.
//!
//! Counts are whole numbers with thousands separators (`1,600`); a fraction
//! appears only where it means something (achievement `55.9%`); amounts of
//! money are `8,900円`; differences carry a real minus sign (`−7`); dates in
//! prose are `2023年10月31日（令和5年10月31日）`, never ISO.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// The generator's name and version (`corner-kpi 0.1.0`), shown in the
/// reports' footers and stored in kpis.json and national.json.
pub fn generator() -> String {
    format!("corner-kpi {}", env!("CARGO_PKG_VERSION"))
}

/// Shown where a figure does not exist (no target, no data, a month still
/// to come).
pub const DASH: &str = "－";

/// `1234567` → `1,234,567`.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A number with thousands separators and exactly `decimals` decimals
/// (`157.9`); `-0.0` is written `0.0`.
pub fn fixed(x: f64, decimals: usize) -> String {
    // Half away from zero on the value as printed to 15 digits, as Excel
    // displays it (`60.25` → `60.3`, never `60.2` from binary 60.2499…).
    let scale = 10f64.powi(decimals as i32);
    let scaled: f64 = format!("{:.6}", x.abs() * scale).parse().unwrap_or(x.abs() * scale);
    let s = format!("{:.*}", decimals, scaled.round() / scale);
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let whole: i64 = int_part.parse().unwrap_or(0);
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&int(whole));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A count, rounded to a whole number (`270`, `1,600`, `3`); [`DASH`] for none.
pub fn count(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => int(v.round() as i64),
        _ => DASH.to_string(),
    }
}

/// A count with its unit (`270 回`, `3 名`); [`DASH`] alone for none.
pub fn count_unit(x: Option<f64>, unit: &str) -> String {
    match x {
        Some(_) if unit.is_empty() => count(x),
        Some(_) => format!("{} {unit}", count(x)),
        None => DASH.to_string(),
    }
}

/// One decimal (`157.9`); [`DASH`] for none.
pub fn decimal1(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or_else(|| DASH.to_string(), |v| fixed(v, 1))
}

/// A ratio as a percentage with one decimal (`0.5593` → `55.9%`); [`DASH`] for none.
pub fn percent(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or_else(|| DASH.to_string(), |v| format!("{}%", fixed(v * 100.0, 1)))
}

/// A whole-number difference with its sign (`+3`, `−7`, `±0`); the minus is
/// U+2212, as Japanese typesetting writes it.
pub fn signed(x: f64) -> String {
    let n = x.round() as i64;
    match n {
        0 => "±0".to_string(),
        n if n > 0 => format!("+{}", int(n)),
        n => format!("\u{2212}{}", int(-n)),
    }
}

/// `8,900円`; [`DASH`] for none.
pub fn yen(x: Option<i64>) -> String {
    x.map_or_else(|| DASH.to_string(), |v| format!("{}円", int(v)))
}

/// `2023年10月31日`.
pub fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2023年10月31日`, or [`DASH`] for none.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| DASH.to_string(), date)
}

/// `10月31日` (within a year the reader already knows).
pub fn month_day(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// `2023年10月31日（令和5年10月31日）`: how a date is written in prose.
pub fn date_prose(d: NaiveDate) -> String {
    crate::fiscal::date_prose(d)
}

/// `2023年4月`.
pub fn month(year: i32, month: u32) -> String {
    format!("{year}年{month}月")
}

/// `2023年11月2日 9時05分`.
pub fn datetime(t: NaiveDateTime) -> String {
    format!("{}年{}月{}日 {}時{:02}分", t.year(), t.month(), t.day(), t.hour(), t.minute())
}

/// `2023年11月6日`, `2023年11月6日〜11月30日`, `2023年12月1日〜2024年1月31日`.
pub fn date_span(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        date(first)
    } else if first.year() == last.year() {
        format!("{}〜{}", date(first), month_day(last))
    } else {
        format!("{}〜{}", date(first), date(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn counts_are_whole_numbers_with_separators() {
        assert_eq!(int(0), "0");
        assert_eq!(int(1600), "1,600");
        assert_eq!(int(-1234567), "-1,234,567");
        assert_eq!(count(Some(270.0)), "270");
        assert_eq!(count(Some(3.4)), "3", "3 名, never 3.4 名");
        assert_eq!(count(Some(157.87)), "158");
        assert_eq!(count(Some(1648.7)), "1,649");
        assert_eq!(count(None), DASH);
        assert_eq!(count(Some(f64::NAN)), DASH);
        assert_eq!(count_unit(Some(270.0), "回"), "270 回");
        assert_eq!(count_unit(None, "回"), DASH);
    }

    #[test]
    fn fractions_only_where_they_mean_something() {
        assert_eq!(percent(Some(0.5593)), "55.9%");
        assert_eq!(percent(Some(1.0)), "100.0%");
        assert_eq!(decimal1(Some(157.8688)), "157.9");
        assert_eq!(fixed(-0.01, 1), "0.0");
        assert_eq!(fixed(12345.25, 2), "12,345.25");
    }

    #[test]
    fn halves_round_up_as_excel_shows_them() {
        // 964 of 1,600 is 60.25%: Excel's 0.0% shows 60.3%, so must the HTML.
        assert_eq!(percent(Some(964.0 / 1600.0)), "60.3%");
        assert_eq!(percent(Some(0.6025)), "60.3%");
        assert_eq!(fixed(0.25, 1), "0.3");
        assert_eq!(fixed(-2.5, 0), "-3");
        assert_eq!(percent(Some(0.60249)), "60.2%");
    }

    #[test]
    fn differences_carry_a_real_minus_sign() {
        assert_eq!(signed(-6.9), "\u{2212}7");
        assert_eq!(signed(3.0), "+3");
        assert_eq!(signed(0.4), "±0");
        assert_eq!(signed(-1234.0), "\u{2212}1,234");
    }

    #[test]
    fn money_and_dates_read_as_japanese() {
        assert_eq!(yen(Some(8900)), "8,900円");
        assert_eq!(date(d(2023, 10, 31)), "2023年10月31日");
        assert_eq!(date_prose(d(2023, 10, 31)), "2023年10月31日（令和5年10月31日）");
        assert_eq!(month(2024, 3), "2024年3月");
        assert_eq!(date_span(d(2023, 11, 6), d(2023, 11, 30)), "2023年11月6日〜11月30日");
        assert_eq!(date_span(d(2023, 12, 1), d(2024, 1, 31)), "2023年12月1日〜2024年1月31日");
        assert_eq!(date_span(d(2023, 11, 6), d(2023, 11, 6)), "2023年11月6日");
    }
}
