//! How hand-kept workbooks spell values: dates as text in many forms
//! (Gregorian, 和暦, full-width digits), counts with units, Excel serials.
//! Each function returns the exact text a person would type.

use super::layout::{Cell, DateFmt, excel_serial};
use chrono::{Datelike, NaiveDate};

/// A way of writing a date into a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateStyle {
    /// A real date cell.
    Cell(DateFmt),
    /// A number cell holding the Excel serial, general format.
    Serial,
    /// `2023/8/1`
    Slash,
    /// `2023-08-01`
    Iso,
    /// `2023.8.1`
    Dot,
    /// `2023年8月1日`
    Kanji,
    /// `R5.8.1` (`H27.1.15` before 2019-05-01)
    EraDot,
    /// `R5/8/1`
    EraSlash,
    /// `令和5年8月1日` (`令和元年…`, `平成…`)
    EraKanji,
    /// `令和５年８月１日`: full-width digits
    EraKanjiWide,
}

/// Half-width digits → full-width (１２３).
pub(crate) fn wide_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Era letter, era name and era year of a date (令和 from 2019-05-01, else 平成).
fn era(d: NaiveDate) -> (&'static str, &'static str, i32) {
    let reiwa = NaiveDate::from_ymd_opt(2019, 5, 1).expect("valid date");
    if d >= reiwa { ("R", "令和", d.year() - 2018) } else { ("H", "平成", d.year() - 1988) }
}

/// The text of a date in a text style (for `Cell`/`Serial` styles, the slash form).
pub(crate) fn date_text(d: NaiveDate, style: DateStyle) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let (letter, name, ey) = era(d);
    match style {
        DateStyle::Cell(_) | DateStyle::Serial | DateStyle::Slash => format!("{y}/{m}/{day}"),
        DateStyle::Iso => format!("{y}-{m:02}-{day:02}"),
        DateStyle::Dot => format!("{y}.{m}.{day}"),
        DateStyle::Kanji => format!("{y}年{m}月{day}日"),
        DateStyle::EraDot => format!("{letter}{ey}.{m}.{day}"),
        DateStyle::EraSlash => format!("{letter}{ey}/{m}/{day}"),
        DateStyle::EraKanji => {
            let ys = if ey == 1 { "元".to_string() } else { ey.to_string() };
            format!("{name}{ys}年{m}月{day}日")
        }
        DateStyle::EraKanjiWide => {
            let ys = if ey == 1 { "元".to_string() } else { wide_digits(&ey.to_string()) };
            format!("{name}{ys}年{}月{}日", wide_digits(&m.to_string()), wide_digits(&day.to_string()))
        }
    }
}

/// The cell for a date in a style.
pub(crate) fn date_cell(d: NaiveDate, style: DateStyle) -> Cell {
    match style {
        DateStyle::Cell(fmt) => Cell::Date(d, fmt),
        DateStyle::Serial => Cell::Num(excel_serial(d)),
        _ => Cell::Text(date_text(d, style)),
    }
}

/// A way of writing a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CountStyle {
    /// A number cell.
    Num,
    /// `12人`
    Nin,
    /// `12名`
    Mei,
    /// `１２`
    Wide,
    /// `1,200` (text with a thousands separator)
    Comma,
}

pub(crate) fn count_cell(n: i64, style: CountStyle) -> Cell {
    match style {
        CountStyle::Num => Cell::Num(n as f64),
        CountStyle::Nin => Cell::Text(format!("{n}人")),
        CountStyle::Mei => Cell::Text(format!("{n}名")),
        CountStyle::Wide => Cell::Text(wide_digits(&n.to_string())),
        CountStyle::Comma => Cell::Text(with_commas(n)),
    }
}

/// `12400` → `12,400`.
pub(crate) fn with_commas(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn wareki_forms() {
        assert_eq!(date_text(d(2023, 8, 1), DateStyle::EraDot), "R5.8.1");
        assert_eq!(date_text(d(2023, 8, 1), DateStyle::EraKanji), "令和5年8月1日");
        assert_eq!(date_text(d(2023, 8, 1), DateStyle::EraKanjiWide), "令和５年８月１日");
        assert_eq!(date_text(d(2019, 5, 1), DateStyle::EraKanji), "令和元年5月1日");
        assert_eq!(date_text(d(2019, 4, 30), DateStyle::EraDot), "H31.4.30");
        assert_eq!(date_text(d(2013, 11, 20), DateStyle::EraKanji), "平成25年11月20日");
        assert_eq!(date_text(d(2023, 8, 1), DateStyle::Iso), "2023-08-01");
    }

    #[test]
    fn counts() {
        assert_eq!(with_commas(1600), "1,600");
        assert_eq!(with_commas(12400), "12,400");
        assert_eq!(with_commas(950), "950");
        assert_eq!(count_cell(12, CountStyle::Wide), Cell::Text("１２".into()));
    }
}
