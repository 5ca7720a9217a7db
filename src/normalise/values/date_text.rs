//! Dates typed as text: western (`2023/8/1`, `2023-08-01`, `2023年8月1日`)
//! and wareki (`R5.8.1`, `令和元年5月1日`) forms, with optional spaces between
//! parts, a trailing weekday in brackets (checked against the date) and a
//! trailing clock time; five digits are an Excel serial. Each way a text
//! fails to be a date has its own reason.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, Weekday};

use super::date_tail::{strip_time, strip_weekday, weekday_kanji};
use super::serial::{DATE_HINT, DATE_YEARS, serial_to_date};
use super::wareki::{Era, era_prefix, era_year};
use super::{digits, nfkc, quote};

/// Digit-only text in a date column within this range is read as an Excel
/// serial (1954-10-03..=2119-01-11).
const TEXT_SERIALS: RangeInclusive<u32> = 20_000..=80_000;

/// Reads a date typed as text: western (`2023/8/1`, `2023-08-01`, `2023.8.1`,
/// `2023年8月1日`) or wareki (`R5.8.1`, `R5/8/1`, `令和5年8月1日`, `令和元年5月1日`,
/// `H31.4.30`, `平成31年4月30日`, `令5.8.1`, `平31.4.30`), full-width or not,
/// with optional spaces between parts, an optional trailing weekday in
/// brackets (checked against the date) and an optional trailing time. Five
/// digits in 20000..=80000 are an Excel serial (1900 system).
pub fn parse_date_text(s: &str) -> Result<NaiveDate, String> {
    parse_date_text_in(s, false)
}

/// [`parse_date_text`] in a workbook of the 1904 date system when
/// `is_1904` (a serial typed as text counts from 1904, as the workbook's
/// date cells do).
pub fn parse_date_text_in(s: &str, is_1904: bool) -> Result<NaiveDate, String> {
    let normalised = nfkc(s);
    read_date(normalised.trim(), is_1904).map_err(|problem| problem.reason(s))
}

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateProblem {
    Blank,
    Unreadable,
    TwoDigitYear,
    NoYear,
    NoDay,
    NoSuchDay { year: i32, month: u32, day: u32 },
    YearOutOfRange(i32),
    WrongWeekday { date: NaiveDate, written: Weekday },
}

impl DateProblem {
    /// The reason for the user, quoting the text as typed.
    fn reason(self, text: &str) -> String {
        let q = quote(text);
        match self {
            DateProblem::Blank => format!("日付が入っていません。{DATE_HINT}"),
            DateProblem::Unreadable => format!("「{q}」は日付として読めません。{DATE_HINT}"),
            DateProblem::TwoDigitYear => format!(
                "「{q}」は年が2桁で、西暦か和暦か分かりません。2023/8/1 のように西暦4桁か、R5/8/1 のように元号付きで入力してください"
            ),
            DateProblem::NoYear => {
                format!("「{q}」には年がありません。2023/8/1 や 令和5年8月1日 のように年も入力してください")
            }
            DateProblem::NoDay => {
                format!("「{q}」には日がありません。2023/8/1 や 令和5年8月1日 のように日まで入力してください")
            }
            DateProblem::NoSuchDay { month, .. } if !(1..=12).contains(&month) => {
                format!("「{q}」は存在しない日付です（{month}月はありません）。日付を確認してください")
            }
            DateProblem::NoSuchDay { year, month, day } => {
                format!("「{q}」は存在しない日付です（{year}年{month}月に{day}日はありません）。日付を確認してください")
            }
            DateProblem::YearOutOfRange(year) => format!(
                "「{q}」の年（西暦{year}年）は扱える範囲（{}〜{}年）の外です。年を確認してください",
                DATE_YEARS.start(),
                DATE_YEARS.end()
            ),
            DateProblem::WrongWeekday { date, written } => format!(
                "「{q}」の曜日（{}）が日付と合いません（{}年{}月{}日は{}曜日です）。日付か曜日を直してください",
                weekday_kanji(written),
                date.year(),
                date.month(),
                date.day(),
                weekday_kanji(date.weekday())
            ),
        }
    }
}

/// Reads an NFKC-normalised, trimmed date text.
fn read_date(text: &str, is_1904: bool) -> Result<NaiveDate, DateProblem> {
    if text.is_empty() {
        return Err(DateProblem::Blank);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return digits(text, 5..=5)
            .filter(|n| TEXT_SERIALS.contains(n))
            .and_then(|n| serial_to_date(f64::from(n), is_1904))
            .ok_or(DateProblem::Unreadable);
    }
    let (text, weekday) = strip_weekday(strip_time(text));
    let tokens = tokenize(text).ok_or(DateProblem::Unreadable)?;
    let date = date_from_tokens(&tokens)?;
    match weekday {
        Some(written) if written != date.weekday() => Err(DateProblem::WrongWeekday { date, written }),
        Some(_) | None => Ok(date),
    }
}

/// A piece of a date text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Num(&'a str),
    Gannen,
    Era(Era),
    Sep(char),
}

/// Splits a date text into tokens, skipping whitespace; `None` when it holds
/// anything else.
fn tokenize(text: &str) -> Option<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let len = rest.bytes().take_while(u8::is_ascii_digit).count();
            let (num, tail) = rest.split_at(len);
            tokens.push(Token::Num(num));
            rest = tail;
            continue;
        }
        if let Some((era, tail)) = era_prefix(rest) {
            tokens.push(Token::Era(era));
            rest = tail;
            continue;
        }
        match c {
            c if c.is_whitespace() => {}
            '/' | '.' | '年' | '月' | '日' => tokens.push(Token::Sep(c)),
            // Hyphen, non-breaking hyphen, figure dash, en dash, minus sign.
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => {
                tokens.push(Token::Sep('-'));
            }
            '元' => tokens.push(Token::Gannen),
            _ => return None,
        }
        rest = &rest[c.len_utf8()..];
    }
    Some(tokens)
}

/// Whether two separators and what follows the day form one style:
/// `y/m/d`, `y-m-d`, `y.m.d` or `y年m月d日`.
fn full_style(first: char, second: char, tail: &[Token<'_>]) -> bool {
    matches!((first, second, tail), ('/', '/', []) | ('-', '-', []) | ('.', '.', []) | ('年', '月', [Token::Sep('日')]))
}

/// Whether a separator and what follows form a two-part date (`8/1`, `8月1日`,
/// `2023年8月`).
fn partial_style(sep: char, tail: &[Token<'_>]) -> bool {
    matches!((sep, tail), ('/' | '-' | '.', []) | ('月', [Token::Sep('日')]) | ('年', [Token::Sep('月')]))
}

fn date_from_tokens(tokens: &[Token<'_>]) -> Result<NaiveDate, DateProblem> {
    match tokens {
        [Token::Era(era), year, Token::Sep(a), Token::Num(m), Token::Sep(b), Token::Num(d), tail @ ..]
            if full_style(*a, *b, tail) =>
        {
            let n = match year {
                Token::Num(y) => era_year(y),
                Token::Gannen => Some(1),
                Token::Era(_) | Token::Sep(_) => None,
            };
            let year = n.and_then(|n| era.gregorian(n)).ok_or(DateProblem::Unreadable)?;
            calendar_date(year, m, d)
        }
        [Token::Num(y), Token::Sep(a), Token::Num(m), Token::Sep(b), Token::Num(d), tail @ ..]
            if full_style(*a, *b, tail) =>
        {
            match (y.len(), d.len()) {
                (4, _) => {
                    let year = digits(y, 4..=4).and_then(|y| i32::try_from(y).ok());
                    calendar_date(year.ok_or(DateProblem::Unreadable)?, m, d)
                }
                // `8/1/2023`: month-first order, not a two-digit year.
                (1 | 2, 1 | 2) => Err(DateProblem::TwoDigitYear),
                _ => Err(DateProblem::Unreadable),
            }
        }
        [Token::Num(first), Token::Sep(sep), Token::Num(second), tail @ ..]
            if partial_style(*sep, tail) && (1..=2).contains(&second.len()) =>
        {
            match (sep, first.len()) {
                ('年', 1..=4) | ('/' | '-' | '.', 4) => Err(DateProblem::NoDay),
                ('月' | '/' | '-' | '.', 1..=2) => Err(DateProblem::NoYear),
                _ => Err(DateProblem::Unreadable),
            }
        }
        _ => Err(DateProblem::Unreadable),
    }
}

/// A calendar date from a year and month/day digit strings.
fn calendar_date(year: i32, month: &str, day: &str) -> Result<NaiveDate, DateProblem> {
    let (Some(month), Some(day)) = (digits(month, 1..=2), digits(day, 1..=2)) else {
        return Err(DateProblem::Unreadable);
    };
    if !DATE_YEARS.contains(&year) {
        return Err(DateProblem::YearOutOfRange(year));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::NoSuchDay { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::values::test_support::{assert_date, assert_date_rejected, widths, ymd};
    use proptest::prelude::*;

    // --- accepted forms -----------------------------------------------------

    #[test]
    fn western_dates_with_slash_dash_dot_and_kanji() {
        let aug1 = ymd(2023, 8, 1);
        for s in [
            "2023/8/1",
            "2023/08/01",
            "2023-08-01",
            "2023-8-1",
            "2023.8.1",
            "2023.08.01",
            "2023年8月1日",
            "2023年08月01日",
            " 2023/8/1 ",
        ] {
            assert_date(s, aug1);
        }
        assert_date("2024/2/29", ymd(2024, 2, 29));
        assert_date("2023/12/31", ymd(2023, 12, 31));
    }

    #[test]
    fn full_width_examples_from_the_spec() {
        assert_eq!(parse_date_text("令和５年８月１日"), Ok(ymd(2023, 8, 1)));
        assert_eq!(parse_date_text("Ｒ５．８．１"), Ok(ymd(2023, 8, 1)));
        assert_eq!(parse_date_text("２０２３／８／１"), Ok(ymd(2023, 8, 1)));
        assert_eq!(parse_date_text("　２０２３－０８－０１　"), Ok(ymd(2023, 8, 1)));
    }

    #[test]
    fn spaces_between_parts() {
        assert_date("令和 5年 8月 1日", ymd(2023, 8, 1));
        assert_date("令和　5年　8月　1日", ymd(2023, 8, 1));
        assert_date("2023 年 8 月 1 日", ymd(2023, 8, 1));
        assert_date("2023 / 8 / 1", ymd(2023, 8, 1));
    }

    #[test]
    fn five_digit_text_is_a_serial() {
        assert_date("45139", ymd(2023, 8, 1));
        assert_date("20000", ymd(1954, 10, 3));
        assert_date("80000", ymd(2119, 1, 11));
    }

    // --- rejections ---------------------------------------------------------

    #[test]
    fn nonexistent_days_are_rejected_saying_so() {
        assert_date_rejected("2023/2/30", "存在しない日付");
        assert_date_rejected("2023/2/30", "2023年2月に30日はありません");
        assert_date_rejected("2023/2/29", "存在しない日付");
        assert_date_rejected("令和5年4月31日", "存在しない日付");
        assert_date_rejected("2023/13/1", "13月はありません");
        assert_date_rejected("2023/0/1", "0月はありません");
        assert_date_rejected("2023/8/0", "存在しない日付");
    }

    #[test]
    fn two_digit_years_are_rejected() {
        for s in ["23/8/1", "23-08-01", "23.8.1", "23年8月1日", "5/8/1"] {
            assert_date_rejected(s, "年が2桁");
        }
    }

    #[test]
    fn month_and_day_without_year_are_rejected() {
        for s in ["8/1", "8月1日", "08-01", "8.1"] {
            assert_date_rejected(s, "年がありません");
        }
        for s in ["2023/8", "2023年8月"] {
            assert_date_rejected(s, "日がありません");
        }
    }

    #[test]
    fn other_texts_are_rejected_with_a_hint() {
        for s in [
            "来週",
            "2023/8-1",
            "2023/8/1日",
            "2023年8月1",
            "8/1/2023",
            "R5年8/1",
            "R0.8.1",
            "R123.8.1",
            "S63.1.1",
            "20230801",
            "2023",
            "45139.5",
            "2023/8/1 25:00",
            "2023/8/1(火)(火)",
            "2023/8/1(休)",
            "023/8/1",
        ] {
            assert_date_rejected(s, "2023/8/1 や 令和5年8月1日 の形で入力してください");
            assert_date_rejected(s, "は日付として読めません");
        }
    }

    #[test]
    fn years_outside_1900_to_2199_are_rejected() {
        assert_date_rejected("1899/12/31", "範囲");
        assert_date_rejected("2200/1/1", "範囲");
    }

    #[test]
    fn rejection_quotes_the_text_as_typed() {
        assert_eq!(
            parse_date_text("来週"),
            Err("「来週」は日付として読めません。2023/8/1 や 令和5年8月1日 の形で入力してください".to_owned())
        );
        let reason = parse_date_text("２３／８／１").err().unwrap_or_default();
        assert!(reason.contains("「２３／８／１」"), "{reason}");
    }

    // --- properties ---------------------------------------------------------

    fn weekday_name(date: NaiveDate) -> &'static str {
        ["月", "火", "水", "木", "金", "土", "日"][date.weekday().num_days_from_monday() as usize]
    }

    /// Every written form of `date` the parser promises to read.
    fn written_forms(date: NaiveDate) -> Vec<String> {
        let (y, m, d) = (date.year(), date.month(), date.day());
        let (letter, name, short, n) =
            if date >= ymd(2019, 5, 1) { ("R", "令和", "令", y - 2018) } else { ("H", "平成", "平", y - 1988) };
        let kanji_year = if n == 1 { "元".to_owned() } else { n.to_string() };
        let lower = letter.to_ascii_lowercase();
        vec![
            format!("{y}/{m}/{d}"),
            format!("{y}/{m:02}/{d:02}"),
            format!("{y}-{m:02}-{d:02}"),
            format!("{y}-{m}-{d}"),
            format!("{y}.{m}.{d}"),
            format!("{y}.{m:02}.{d:02}"),
            format!("{y}年{m}月{d}日"),
            format!("{y}年{m:02}月{d:02}日"),
            format!("{letter}{n}.{m}.{d}"),
            format!("{letter}{n:02}.{m:02}.{d:02}"),
            format!("{letter}{n}/{m}/{d}"),
            format!("{letter}{n}-{m}-{d}"),
            format!("{lower}{n}.{m}.{d}"),
            format!("{short}{n}.{m}.{d}"),
            format!("{name}{kanji_year}年{m}月{d}日"),
            format!("{name} {kanji_year}年 {m}月 {d}日"),
        ]
    }

    proptest! {
        #[test]
        fn every_written_form_of_a_date_reads_back(
            offset in 0u64..=40_541,
            weekday in any::<bool>(),
            time in any::<bool>(),
        ) {
            // 1990-01-01 + 40541 days = 2100-12-31.
            let date = ymd(1990, 1, 1) + chrono::Days::new(offset);
            for form in written_forms(date) {
                let mut s = form;
                if weekday {
                    s = format!("{s}({})", weekday_name(date));
                }
                if time {
                    s.push_str(" 10:30");
                }
                for variant in widths(&s) {
                    prop_assert_eq!(parse_date_text(&variant), Ok(date), "{}", variant);
                }
            }
        }
    }

    #[test]
    fn the_date_range_of_the_property_test() {
        assert_eq!(ymd(1990, 1, 1) + chrono::Days::new(40_541), ymd(2100, 12, 31));
    }
}
