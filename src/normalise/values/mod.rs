//! Cell → value: dates, counts, hours, yen, withdrawn flags, fiscal years,
//! and the label text that header and total-row detection compare.
//!
//! This module owns the "value mess" of the input contract
//! (`spec/datasets.md`): it turns one [`RawCell`] into a typed value, or into
//! a reason in Japanese that says what was found, what was expected and how to
//! fix it (quoting at most 30 characters of the cell). Every function is pure
//! and total: no input makes it panic. Text is NFKC-normalised first, so
//! full-width digits, slashes, dots, `￥` and `（）` read like their ASCII forms.
//!
//! We keep our own small wareki (Japanese era) date parser instead of using
//! the `wareki-conv` crate: that crate accepts only the JIS X 0301 dot forms
//! (`R05.08.01`), not `R5/8/1` or `令和 5年 8月 1日`, compiles its regexes on
//! every call and pulls in `regex`. The forms staff type are few, so a
//! hand-written scanner reads them without a regex dependency.

use std::ops::RangeInclusive;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use unicode_normalization::UnicodeNormalization;

use crate::ingest::RawCell;
use crate::text::normalise_label;

/// Dates outside these years are rejected (Excel serials 1..=109574 in the
/// 1900 system).
const DATE_YEARS: RangeInclusive<i32> = 1900..=2199;
/// Digit-only text in a date column within this range is read as an Excel
/// serial (1954-10-03..=2119-01-11).
const TEXT_SERIALS: RangeInclusive<u32> = 20_000..=80_000;
/// Accepted fiscal years (Gregorian start year).
const FISCAL_YEARS: RangeInclusive<i32> = 1990..=2200;
/// Largest count or amount we accept; anything larger is a typo.
const MAX_WHOLE: i64 = 1_000_000_000_000;
/// Reasons quote at most this many characters of the cell's text.
const QUOTE_CHARS: usize = 30;
/// How to write a date, appended to date reasons.
const DATE_HINT: &str = "2023/8/1 や 令和5年8月1日 の形で入力してください";

/// Units a count may carry after its digits, space-separated (longest first
/// where one ends another).
const COUNT_UNITS: &str = "人日 か所 ヶ所 ケ所 カ所 ヵ所 箇所 職種 団体 人 名 回 件 校 社 組";
/// Words for "withdrawn", compared after [`normalise_label`] and ASCII lowercasing.
const FLAG_TRUE: &str = "○ ◯ 〇 有 あり 有り はい 1 true 辞退 済 済み";
/// Words for "not withdrawn", compared like [`FLAG_TRUE`]; the dashes are
/// hyphen-minus, minus sign, hyphen and horizontal bar.
const FLAG_FALSE: &str = "× ✕ 無 なし 無し いいえ 0 false - \u{2212} \u{2010} \u{2015}";
/// Words that make a label a total, alone or after a period prefix.
const TOTAL_WORDS: &str = "総合計 合計 小計 総計 累計 月計 年計 計";
/// Named periods that may precede a total word (`上期計`, `前期小計`).
const TOTAL_PERIODS: &str = "上期 下期 前期 後期 上半期 下半期 通期 全体 年間";

// ---------------------------------------------------------------------------
// Dates

/// Reads a date cell. `Ok(None)` is a blank cell; `Err` is a Japanese
/// sentence saying what was found, what was expected and how to fix it.
///
/// Plain numbers are read as Excel serials in the 1900 system; use
/// [`parse_date_with_epoch`] when the workbook's epoch is known.
pub fn parse_date(cell: &RawCell) -> Result<Option<NaiveDate>, String> {
    parse_date_with_epoch(cell, false)
}

/// [`parse_date`] for a workbook whose plain numbers count days in the 1904
/// system when `is_1904` is true. Date-formatted cells carry their own epoch.
pub fn parse_date_with_epoch(cell: &RawCell, is_1904: bool) -> Result<Option<NaiveDate>, String> {
    let date = read_date_cell(cell, is_1904)?;
    match date {
        Some(d) if d < earliest_plausible() => Err(implausible_reason(cell, d)),
        other => Ok(other),
    }
}

/// No record of the programme is dated before this day: an earlier date is a
/// mistake (a count such as `15` typed into a date column reads as an Excel
/// serial in January 1900).
pub fn earliest_plausible() -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, 1).expect("valid date")
}

fn implausible_reason(cell: &RawCell, d: NaiveDate) -> String {
    let shown = format!("{}年{}月{}日", d.year(), d.month(), d.day());
    match cell {
        RawCell::Int(_) | RawCell::Float(_) => format!(
            "日付の欄の数値 {} は {shown} と読め、1950年より前のためありえない日付です。\
             人数などの数が日付の欄に入っていないか確かめ、{DATE_HINT}",
            cell_text(cell).unwrap_or_default()
        ),
        RawCell::Empty
        | RawCell::Text(_)
        | RawCell::Bool(_)
        | RawCell::Date { .. }
        | RawCell::DateIso(_)
        | RawCell::Error(_) => {
            format!("日付 {shown} は1950年より前のためありえない日付です。年の入力を確かめ、{DATE_HINT}")
        }
    }
}

/// A date cell as written, before the plausibility check.
fn read_date_cell(cell: &RawCell, is_1904: bool) -> Result<Option<NaiveDate>, String> {
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Text(s) | RawCell::DateIso(s) => {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                parse_date_text(s).map(Some)
            }
        }
        // Beyond ±2^53 the cast rounds, but such numbers are far out of range anyway.
        RawCell::Int(n) => number_as_date(*n as f64, is_1904).map(Some),
        RawCell::Float(f) => number_as_date(*f, is_1904).map(Some),
        RawCell::Date { serial, is_1904 } => match serial_to_date(*serial, *is_1904) {
            Some(date) => Ok(Some(date)),
            None if is_fake_leap_day(*serial, *is_1904) => Err(fake_leap_day_reason()),
            None => Err(format!(
                "日付セルの値（シリアル値 {}）が{}年〜{}年の範囲外です。{DATE_HINT}",
                float_text(*serial),
                DATE_YEARS.start(),
                DATE_YEARS.end()
            )),
        },
        RawCell::Bool(b) => Err(format!("日付の欄に論理値（{}）が入っています。{DATE_HINT}", bool_text(*b))),
        RawCell::Error(e) => Err(error_cell_reason(e)),
    }
}

/// Reads a date typed as text: western (`2023/8/1`, `2023-08-01`, `2023.8.1`,
/// `2023年8月1日`) or wareki (`R5.8.1`, `R5/8/1`, `令和5年8月1日`, `令和元年5月1日`,
/// `H31.4.30`, `平成31年4月30日`, `令5.8.1`, `平31.4.30`), full-width or not,
/// with optional spaces between parts, an optional trailing weekday in
/// brackets (checked against the date) and an optional trailing time. Five
/// digits in 20000..=80000 are an Excel serial (1900 system).
pub fn parse_date_text(s: &str) -> Result<NaiveDate, String> {
    let normalised = nfkc(s);
    read_date(normalised.trim()).map_err(|problem| problem.reason(s))
}

/// The date of an Excel serial, ignoring its fractional part (the time).
///
/// In the 1900 system serial 1 is 1900-01-01 and serials from 61 on count
/// from 1899-12-30, because Excel keeps Lotus 1-2-3's nonexistent 1900-02-29
/// as serial 60. That serial has no true date and gives `None` (as do 0 and
/// negative serials). In the 1904 system serial 0 is 1904-01-01. Dates outside
/// 1900..=2199 give `None`.
pub fn serial_to_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    // NaN fails `contains` too.
    if !(0.0..1_000_000.0).contains(&serial) {
        return None;
    }
    // In range 0..1e6 after the checks above, so the cast is exact.
    let days = serial.floor() as u64;
    let (epoch, offset) = match (is_1904, days) {
        (true, _) => (NaiveDate::from_ymd_opt(1904, 1, 1)?, days),
        (false, 0 | 60) => return None,
        (false, 1..=59) => (NaiveDate::from_ymd_opt(1899, 12, 31)?, days),
        (false, _) => (NaiveDate::from_ymd_opt(1899, 12, 30)?, days),
    };
    let date = epoch.checked_add_days(Days::new(offset))?;
    DATE_YEARS.contains(&date.year()).then_some(date)
}

/// Serial 60 of the 1900 system: Excel's nonexistent 1900-02-29.
fn is_fake_leap_day(serial: f64, is_1904: bool) -> bool {
    !is_1904 && serial.floor() == 60.0
}

fn fake_leap_day_reason() -> String {
    "シリアル値 60 は Excel にだけある実在しない日付（1900年2月29日）です。正しい日付を入力してください".to_owned()
}

/// A plain number in a date column, read as an Excel serial.
fn number_as_date(n: f64, is_1904: bool) -> Result<NaiveDate, String> {
    serial_to_date(n, is_1904).ok_or_else(|| {
        if is_fake_leap_day(n, is_1904) {
            fake_leap_day_reason()
        } else {
            format!(
                "日付の欄の数値 {} は日付として読めません（Excel の日付シリアル値は 1〜109574）。{DATE_HINT}",
                float_text(n)
            )
        }
    })
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
fn read_date(text: &str) -> Result<NaiveDate, DateProblem> {
    if text.is_empty() {
        return Err(DateProblem::Blank);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return digits(text, 5..=5)
            .filter(|n| TEXT_SERIALS.contains(n))
            .and_then(|n| serial_to_date(f64::from(n), false))
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

/// Removes a trailing clock time (`0:00`, `00:00:00`, `T00:00:00.000Z`) that
/// follows whitespace, `T` or a closing bracket.
fn strip_time(text: &str) -> &str {
    let Some(cut) = text.rfind(|c: char| c.is_whitespace() || c == 'T' || c == ')') else {
        return text;
    };
    let Some(sep) = text[cut..].chars().next() else {
        return text;
    };
    if !is_clock_time(&text[cut + sep.len_utf8()..]) {
        return text;
    }
    let keep = if sep == ')' { cut + 1 } else { cut };
    text[..keep].trim_end()
}

/// `H:MM`, `HH:MM:SS` or `HH:MM:SS.fff`, optionally ending in `Z`.
fn is_clock_time(s: &str) -> bool {
    let s = s.strip_suffix('Z').unwrap_or(s);
    let mut parts = s.split(':');
    let (Some(hour), Some(minute)) = (parts.next(), parts.next()) else {
        return false;
    };
    let second = parts.next();
    if parts.next().is_some() {
        return false;
    }
    let hour_ok = digits(hour, 1..=2).is_some_and(|h| h < 24);
    let minute_ok = digits(minute, 2..=2).is_some_and(|m| m < 60);
    let second_ok = second.is_none_or(|sec| {
        let (whole, fraction) = sec.split_once('.').unwrap_or((sec, "0"));
        digits(whole, 2..=2).is_some_and(|s| s < 60)
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
    });
    hour_ok && minute_ok && second_ok
}

/// Removes a trailing weekday note in brackets: `(火)`, `(火曜日)`, `(月・祝)`,
/// `(祝)`. Returns the rest and the weekday written, if any.
fn strip_weekday(text: &str) -> (&str, Option<Weekday>) {
    let Some(open_part) = text.strip_suffix(')') else {
        return (text, None);
    };
    let Some(open) = open_part.rfind('(') else {
        return (text, None);
    };
    match weekday_note(&open_part[open + 1..]) {
        Some(weekday) => (open_part[..open].trim_end(), weekday),
        None => (text, None),
    }
}

/// The weekday a bracket note names: `Some(None)` for a holiday mark alone,
/// `None` when the note is not a weekday note.
fn weekday_note(note: &str) -> Option<Option<Weekday>> {
    let note: String = note.chars().filter(|c| !c.is_whitespace()).collect();
    let (day, holiday) = match note.strip_suffix("祝日").or_else(|| note.strip_suffix('祝')) {
        Some(rest) => (rest.strip_suffix('・').unwrap_or(rest), true),
        None => (note.as_str(), false),
    };
    if day.is_empty() {
        return holiday.then_some(None);
    }
    let day = day.strip_suffix("曜日").or_else(|| day.strip_suffix('曜')).unwrap_or(day);
    let mut chars = day.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => weekday_from_kanji(c).map(Some),
        _ => None,
    }
}

fn weekday_from_kanji(c: char) -> Option<Weekday> {
    match c {
        '月' => Some(Weekday::Mon),
        '火' => Some(Weekday::Tue),
        '水' => Some(Weekday::Wed),
        '木' => Some(Weekday::Thu),
        '金' => Some(Weekday::Fri),
        '土' => Some(Weekday::Sat),
        '日' => Some(Weekday::Sun),
        _ => None,
    }
}

fn weekday_kanji(w: Weekday) -> char {
    match w {
        Weekday::Mon => '月',
        Weekday::Tue => '火',
        Weekday::Wed => '水',
        Weekday::Thu => '木',
        Weekday::Fri => '金',
        Weekday::Sat => '土',
        Weekday::Sun => '日',
    }
}

/// A Japanese era that may appear in the data (1990 onwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    Reiwa,
    Heisei,
}

impl Era {
    /// The Gregorian year of era year `n` (令和1 = 2019, 平成1 = 1989).
    fn gregorian(self, n: u32) -> Option<i32> {
        let base = match self {
            Era::Reiwa => 2018,
            Era::Heisei => 1988,
        };
        i32::try_from(n).ok().and_then(|n| n.checked_add(base))
    }
}

/// Splits a leading era name (`令和`, `令`, `R`, `r`, `平成`, `平`, `H`, `h`)
/// off `s`.
fn era_prefix(s: &str) -> Option<(Era, &str)> {
    const NAMES: [(&str, Era); 8] = [
        ("令和", Era::Reiwa),
        ("平成", Era::Heisei),
        ("令", Era::Reiwa),
        ("平", Era::Heisei),
        ("R", Era::Reiwa),
        ("r", Era::Reiwa),
        ("H", Era::Heisei),
        ("h", Era::Heisei),
    ];
    NAMES.iter().find_map(|&(name, era)| s.strip_prefix(name).map(|rest| (era, rest)))
}

/// An era year: `元` or one or two digits, at least 1.
fn era_year(s: &str) -> Option<u32> {
    if s == "元" {
        return Some(1);
    }
    digits(s, 1..=2).filter(|&n| n >= 1)
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

// ---------------------------------------------------------------------------
// Counts and yen

/// Reads a count: a whole number ≥ 0, as a number or as text with full-width
/// digits, `,` thousands separators and one unit (`12人`, `1,600`, `3か所`).
pub fn parse_count(cell: &RawCell) -> Result<Option<i64>, String> {
    parse_whole(cell, Whole::Count)
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
enum WholeProblem {
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
fn strip_minus(s: &str) -> (bool, &str) {
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

// ---------------------------------------------------------------------------
// Hours

/// Reads a number of hours ≥ 0: a number, a time-formatted cell (`1:30`), or
/// text `2`, `1.5`, `2時間`, `1.5h`, `2H`, `2hr`, `90分`, `1時間30分`, `1時間半`,
/// `1:30`, `PT1H30M`.
pub fn parse_hours(cell: &RawCell) -> Result<Option<f64>, String> {
    const WHAT: &str = "時間";
    const EXAMPLE: &str = "2 や 1.5時間 や 90分";
    let negative = |shown: &str| format!("「{}」はマイナスです。時間は 0 以上で入力してください", quote(shown));
    let unreadable =
        |shown: &str| format!("「{}」は時間として読めません。{EXAMPLE} の形で入力してください", quote(shown));
    match cell {
        RawCell::Empty => Ok(None),
        RawCell::Text(s) => hours_from_text(s).map_err(|problem| match problem {
            WholeProblem::Negative => negative(s),
            WholeProblem::Fractional | WholeProblem::TooLarge | WholeProblem::Unreadable => unreadable(s),
        }),
        RawCell::Int(n) if *n < 0 => Err(negative(&n.to_string())),
        RawCell::Int(n) => Ok(Some(*n as f64)),
        RawCell::Float(f) if !f.is_finite() => Err(unreadable(&float_text(*f))),
        RawCell::Float(f) if *f < 0.0 => Err(negative(&float_text(*f))),
        // `+ 0.0` turns -0.0 into 0.0.
        RawCell::Float(f) => Ok(Some(*f + 0.0)),
        // A cell formatted as a time of day (`1:30`) holds a fraction of a day.
        RawCell::Date { serial, .. } if (0.0..1.0).contains(serial) => Ok(Some((serial * 24.0 * 60.0).round() / 60.0)),
        RawCell::Date { .. } | RawCell::DateIso(_) => Err(date_in_number_reason(cell, WHAT, EXAMPLE)),
        RawCell::Bool(b) => Err(bool_in_number_reason(*b, WHAT, EXAMPLE)),
        RawCell::Error(e) => Err(error_cell_reason(e)),
    }
}

fn hours_from_text(s: &str) -> Result<Option<f64>, WholeProblem> {
    let text: String = nfkc(s).chars().filter(|c| !c.is_whitespace()).collect();
    let text = text.to_ascii_lowercase();
    if text.is_empty() {
        return Ok(None);
    }
    let (negative, body) = strip_minus(&text);
    let hours = hours_value(body).ok_or(WholeProblem::Unreadable)?;
    if negative && hours > 0.0 { Err(WholeProblem::Negative) } else { Ok(Some(hours + 0.0)) }
}

/// Hours from lowercase text without sign or whitespace.
fn hours_value(s: &str) -> Option<f64> {
    if let Some(iso) = s.strip_prefix("pt") {
        return iso_duration_hours(iso);
    }
    if s.contains(':') {
        return clock_hours(s);
    }
    if let Some((hours, rest)) = s.split_once("時間") {
        let hours = decimal(hours)?;
        let extra = match rest {
            "" => 0.0,
            "半" => 0.5,
            _ => decimal(rest.strip_suffix('分')?)? / 60.0,
        };
        return Some(hours + extra);
    }
    if let Some(minutes) = s.strip_suffix('分') {
        return Some(decimal(minutes)? / 60.0);
    }
    let number = ["hours", "hour", "hrs", "hr", "h"].iter().find_map(|unit| s.strip_suffix(unit)).unwrap_or(s);
    decimal(number)
}

/// `1:30` or `1:30:00` as hours.
fn clock_hours(s: &str) -> Option<f64> {
    let mut parts = s.split(':');
    let hours = digits(parts.next()?, 1..=3)?;
    let minutes = digits(parts.next()?, 2..=2).filter(|&m| m < 60)?;
    let seconds = match parts.next() {
        Some(sec) => digits(sec, 2..=2).filter(|&s| s < 60)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(f64::from(hours) + f64::from(minutes) / 60.0 + f64::from(seconds) / 3600.0)
}

/// The part after `PT` of an ISO 8601 duration (`2h30m0s`, lowercased), as hours.
fn iso_duration_hours(s: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut rest = s;
    let mut units = ['h', 'm', 's'].iter().zip([1.0, 60.0, 3600.0]);
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, tail) = rest.split_at(end);
        let unit = tail.chars().next()?;
        let (_, per_hour) = units.by_ref().find(|(u, _)| **u == unit)?;
        total += decimal(number)? / per_hour;
        rest = &tail[unit.len_utf8()..];
    }
    Some(total)
}

/// `12` or `1.5` (ASCII digits, at most one dot with digits on both sides).
fn decimal(s: &str) -> Option<f64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let is_digits = |p: &str| !p.is_empty() && p.len() <= 15 && p.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || !is_digits(fraction) {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

// ---------------------------------------------------------------------------
// Flags and fiscal years

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
    let body = label.strip_suffix("年度").unwrap_or(label);
    if let Some((era, n)) = era_prefix(body) {
        return era.gregorian(era_year(n)?);
    }
    let body = match body.get(..2) {
        Some(fy) if fy.eq_ignore_ascii_case("fy") => &body[2..],
        Some(_) | None => body,
    };
    digits(body, 4..=4).and_then(|y| i32::try_from(y).ok())
}

// ---------------------------------------------------------------------------
// Text and labels

/// The cell as display text, NFKC-normalised and trimmed; `None` when blank.
/// Numbers print without a trailing `.0`, booleans as `TRUE`/`FALSE`, dates as
/// `YYYY-MM-DD`, errors as their code (`#N/A`).
pub fn cell_text(cell: &RawCell) -> Option<String> {
    let text = match cell {
        RawCell::Empty => return None,
        RawCell::Text(s) | RawCell::Error(s) => nfkc(s).trim().to_owned(),
        RawCell::Int(n) => n.to_string(),
        RawCell::Float(f) => float_text(*f),
        RawCell::Bool(b) => bool_text(*b).to_owned(),
        RawCell::Date { serial, is_1904 } => {
            serial_to_date(*serial, *is_1904).map_or_else(|| float_text(*serial), |d| d.to_string())
        }
        RawCell::DateIso(s) => parse_date_text(s).map_or_else(|_| nfkc(s).trim().to_owned(), |d| d.to_string()),
    };
    (!text.is_empty()).then_some(text)
}

/// Whether a label marks a total row: 合計 計 小計 総計 総合計 累計 月計 年計,
/// alone or after a period (`10月計`, `10月合計`, `4~9月計`, `上期計`,
/// `前期小計`, `年度合計`, `R5年度計`, `第1四半期計`), with an optional trailing
/// colon or enclosing brackets (`【合計】`). Trade names ending in 計
/// (`機械設計`, `設計`) and everything else are not totals.
pub fn is_total_label(s: &str) -> bool {
    let label = normalise_label(s);
    let label = label.trim_end_matches([':', '：']);
    let label = strip_enclosing_brackets(label);
    TOTAL_WORDS.split(' ').any(|word| label.strip_suffix(word).is_some_and(is_period_prefix))
}

fn strip_enclosing_brackets(s: &str) -> &str {
    const PAIRS: [(char, char); 5] = [('(', ')'), ('[', ']'), ('【', '】'), ('〔', '〕'), ('<', '>')];
    PAIRS.iter().find_map(|&(open, close)| s.strip_prefix(open).and_then(|r| r.strip_suffix(close))).unwrap_or(s)
}

/// Whether `p` may precede a total word: nothing, a named period, a month or
/// month range, a quarter, or a (fiscal) year.
fn is_period_prefix(p: &str) -> bool {
    if p.is_empty() || TOTAL_PERIODS.split(' ').any(|w| w == p) {
        return true;
    }
    if let Some(year) = p.strip_suffix("年度") {
        return year.is_empty()
            || digits(year, 4..=4).is_some()
            || era_prefix(year).is_some_and(|(_, n)| era_year(n).is_some());
    }
    if let Some(quarter) = p.strip_prefix('第').and_then(|q| q.strip_suffix("四半期")) {
        return digits(quarter, 1..=1).is_some_and(|q| (1..=4).contains(&q));
    }
    if let Some(months) = p.strip_suffix("月分").or_else(|| p.strip_suffix('月')) {
        let is_month = |m: &str| digits(m, 1..=2).is_some_and(|m| (1..=12).contains(&m));
        return is_month(months)
            || months
                .split_once(['~', '〜', '-'])
                .is_some_and(|(from, to)| is_month(from.strip_suffix('月').unwrap_or(from)) && is_month(to));
    }
    false
}

// ---------------------------------------------------------------------------
// Shared helpers

fn nfkc(s: &str) -> String {
    s.nfkc().collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real calendar date")
    }

    fn text(s: &str) -> RawCell {
        RawCell::Text(s.to_owned())
    }

    /// ASCII digits → full-width digits (`2023` → `２０２３`).
    fn full_width_digits(s: &str) -> String {
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
    fn widths(s: &str) -> [String; 3] {
        [s.to_owned(), full_width_digits(s), full_width_ascii(s)]
    }

    /// Asserts that `s`, in every width, reads as `expected`, as text and as a cell.
    fn assert_date(s: &str, expected: NaiveDate) {
        for variant in widths(s) {
            assert_eq!(parse_date_text(&variant), Ok(expected), "{variant}");
            assert_eq!(parse_date(&text(&variant)), Ok(Some(expected)), "{variant}");
        }
    }

    /// Asserts that `s`, in every width, is rejected with a reason holding `needle`.
    fn assert_date_rejected(s: &str, needle: &str) {
        for variant in widths(s) {
            match parse_date_text(&variant) {
                Ok(date) => panic!("{variant} read as {date}"),
                Err(reason) => assert!(reason.contains(needle), "{variant}: {reason}"),
            }
        }
    }

    fn rejected<T: std::fmt::Debug>(result: Result<Option<T>, String>, needle: &str) {
        match result {
            Ok(value) => panic!("accepted as {value:?}"),
            Err(reason) => assert!(reason.contains(needle), "{reason}"),
        }
    }

    // --- dates: accepted forms -------------------------------------------

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
    fn reiwa_short_forms() {
        let aug1 = ymd(2023, 8, 1);
        for s in ["R5.8.1", "R5/8/1", "R5-8-1", "r5.8.1", "R05.08.01", "令5.8.1", "R5年8月1日"] {
            assert_date(s, aug1);
        }
    }

    #[test]
    fn reiwa_kanji_forms_and_gannen() {
        assert_date("令和5年8月1日", ymd(2023, 8, 1));
        assert_date("令和５年８月１日", ymd(2023, 8, 1));
        assert_date("令和元年5月1日", ymd(2019, 5, 1));
        assert_date("令和1年5月1日", ymd(2019, 5, 1));
        assert_date("R1.5.1", ymd(2019, 5, 1));
        assert_date("R元.5.1", ymd(2019, 5, 1));
    }

    #[test]
    fn heisei_forms() {
        let apr30 = ymd(2019, 4, 30);
        for s in ["H31.4.30", "H31/4/30", "h31.4.30", "平成31年4月30日", "平31.4.30", "平成 31年 4月 30日"] {
            assert_date(s, apr30);
        }
        assert_date("平成2年1月1日", ymd(1990, 1, 1));
        assert_date("平成元年1月8日", ymd(1989, 1, 8));
    }

    #[test]
    fn era_years_past_the_era_end_are_not_checked() {
        // 平成32 never existed (it became 令和2), but the arithmetic is unambiguous.
        assert_date("H32.1.1", ymd(2020, 1, 1));
    }

    #[test]
    fn era_ligatures_normalise_to_their_names() {
        // U+32FF SQUARE ERA NAME REIWA and U+337B SQUARE ERA NAME HEISEI.
        assert_date("\u{32FF}5年8月1日", ymd(2023, 8, 1));
        assert_date("\u{337B}31年4月30日", ymd(2019, 4, 30));
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
    fn trailing_weekday_in_brackets() {
        // 2023-08-01 was a Tuesday; 2023-07-17 a Monday and a holiday (海の日).
        let aug1 = ymd(2023, 8, 1);
        for s in [
            "2023年8月1日(火)",
            "2023年8月1日（火）",
            "2023年8月1日 (火)",
            "2023/8/1(火曜)",
            "2023/8/1(火曜日)",
            "令和5年8月1日（火）",
            "R5.8.1(火)",
        ] {
            assert_date(s, aug1);
        }
        assert_date("2023/7/17(月・祝)", ymd(2023, 7, 17));
        assert_date("2023/7/17(祝)", ymd(2023, 7, 17));
    }

    #[test]
    fn trailing_time() {
        let aug1 = ymd(2023, 8, 1);
        for s in [
            "2023/8/1 0:00",
            "2023/08/01 00:00:00",
            "2023/8/1 13:45",
            "2023-08-01T00:00:00",
            "2023-08-01T00:00:00.000Z",
            "2023年8月1日(火) 10:30",
            "2023年8月1日(火)10:30",
            "R5.8.1 9:00",
        ] {
            assert_date(s, aug1);
        }
    }

    #[test]
    fn five_digit_text_is_a_serial() {
        assert_date("45139", ymd(2023, 8, 1));
        assert_date("20000", ymd(1954, 10, 3));
        assert_date("80000", ymd(2119, 1, 11));
    }

    // --- dates: rejections -------------------------------------------------

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
    fn a_wrong_weekday_is_rejected() {
        assert_date_rejected("2023年8月1日(水)", "2023年8月1日は火曜日です");
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

    // --- dates: cells and serials -----------------------------------------

    #[test]
    fn serials_in_the_1900_system() {
        assert_eq!(serial_to_date(45139.0, false), Some(ymd(2023, 8, 1)));
        assert_eq!(serial_to_date(45139.99, false), Some(ymd(2023, 8, 1)));
        assert_eq!(serial_to_date(1.0, false), Some(ymd(1900, 1, 1)));
        assert_eq!(serial_to_date(59.0, false), Some(ymd(1900, 2, 28)));
        // Serial 60 is Excel's nonexistent 1900-02-29: no date.
        assert_eq!(serial_to_date(60.0, false), None);
        assert_eq!(serial_to_date(60.5, false), None);
        assert_eq!(serial_to_date(61.0, false), Some(ymd(1900, 3, 1)));
        assert_eq!(serial_to_date(109_574.0, false), Some(ymd(2199, 12, 31)));
        assert_eq!(serial_to_date(109_575.0, false), None);
        assert_eq!(serial_to_date(0.0, false), None);
        assert_eq!(serial_to_date(0.5, false), None);
        assert_eq!(serial_to_date(-1.0, false), None);
        assert_eq!(serial_to_date(f64::NAN, false), None);
        assert_eq!(serial_to_date(f64::INFINITY, false), None);
        assert_eq!(serial_to_date(1e300, false), None);
    }

    #[test]
    fn serials_in_the_1904_system() {
        assert_eq!(serial_to_date(43677.0, true), Some(ymd(2023, 8, 1)));
        assert_eq!(serial_to_date(0.0, true), Some(ymd(1904, 1, 1)));
        assert_eq!(serial_to_date(60.0, true), Some(ymd(1904, 3, 1)));
        assert_eq!(serial_to_date(-1.0, true), None);
    }

    #[test]
    fn date_cells_use_their_own_epoch() {
        let aug1 = Ok(Some(ymd(2023, 8, 1)));
        assert_eq!(parse_date(&RawCell::Date { serial: 45139.0, is_1904: false }), aug1);
        assert_eq!(parse_date(&RawCell::Date { serial: 43677.0, is_1904: true }), aug1);
        assert_eq!(parse_date(&RawCell::Date { serial: 45139.375, is_1904: false }), aug1);
        rejected(parse_date(&RawCell::Date { serial: 60.0, is_1904: false }), "1900年2月29日");
        rejected(parse_date(&RawCell::Date { serial: -5.0, is_1904: false }), "範囲外");
    }

    #[test]
    fn plain_numbers_are_serials() {
        let aug1 = Ok(Some(ymd(2023, 8, 1)));
        assert_eq!(parse_date(&RawCell::Int(45139)), aug1);
        assert_eq!(parse_date(&RawCell::Float(45139.0)), aug1);
        assert_eq!(parse_date(&RawCell::Float(45139.5)), aug1);
        assert_eq!(parse_date_with_epoch(&RawCell::Int(43677), true), aug1);
        assert_eq!(parse_date_with_epoch(&RawCell::Int(45139), false), aug1);
        assert_eq!(serial_to_date(1.0, false), Some(ymd(1900, 1, 1)));
        assert_eq!(parse_date(&RawCell::Int(109_574)), Ok(Some(ymd(2199, 12, 31))));
    }

    #[test]
    fn dates_before_1950_are_rejected_as_implausible() {
        // A count typed into a date column: serial 15 is 1900-01-15.
        rejected(parse_date(&RawCell::Int(15)), "数値 15 は 1900年1月15日 と読め、1950年より前");
        rejected(parse_date(&RawCell::Float(15.0)), "1950年より前");
        rejected(parse_date(&RawCell::Text("1949/12/31".into())), "1949年12月31日 は1950年より前");
        rejected(parse_date(&RawCell::Date { serial: 100.0, is_1904: false }), "1950年より前");
        assert_eq!(parse_date(&RawCell::Text("1950/1/1".into())), Ok(Some(ymd(1950, 1, 1))));
    }

    #[test]
    fn out_of_range_serials_are_rejected() {
        for cell in [
            RawCell::Int(0),
            RawCell::Int(-1),
            RawCell::Int(109_575),
            RawCell::Int(20_230_801),
            RawCell::Int(i64::MIN),
            RawCell::Float(-0.5),
            RawCell::Float(f64::NAN),
            RawCell::Float(f64::NEG_INFINITY),
        ] {
            rejected(parse_date(&cell), "日付として読めません");
        }
        rejected(parse_date(&RawCell::Int(60)), "1900年2月29日");
    }

    #[test]
    fn iso_date_cells() {
        let aug1 = Ok(Some(ymd(2023, 8, 1)));
        assert_eq!(parse_date(&RawCell::DateIso("2023-08-01".to_owned())), aug1);
        assert_eq!(parse_date(&RawCell::DateIso("2023-08-01T00:00:00".to_owned())), aug1);
        assert_eq!(parse_date(&RawCell::DateIso("2023-08-01T15:30:00.000".to_owned())), aug1);
        rejected(parse_date(&RawCell::DateIso("2023-02-30".to_owned())), "存在しない日付");
    }

    #[test]
    fn blank_and_non_date_cells() {
        assert_eq!(parse_date(&RawCell::Empty), Ok(None));
        assert_eq!(parse_date(&text("")), Ok(None));
        assert_eq!(parse_date(&text(" \u{3000}\n")), Ok(None));
        assert!(parse_date_text("").is_err());
        rejected(parse_date(&RawCell::Bool(true)), "論理値（TRUE）");
        assert_eq!(
            parse_date(&RawCell::Error("#N/A".to_owned())),
            Err("セルがエラー値（#N/A）です。数式か参照元を直してください".to_owned())
        );
    }

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

    // --- hours --------------------------------------------------------------

    #[test]
    fn hours_forms() {
        let cases: [(&str, f64); 17] = [
            ("2", 2.0),
            ("1.5", 1.5),
            ("0", 0.0),
            ("2時間", 2.0),
            ("1.5時間", 1.5),
            ("1.5h", 1.5),
            ("2H", 2.0),
            ("2hr", 2.0),
            ("2hrs", 2.0),
            ("2 hours", 2.0),
            ("90分", 1.5),
            ("1時間30分", 1.5),
            ("1 時間 30 分", 1.5),
            ("1時間半", 1.5),
            ("1:30", 1.5),
            ("PT1H30M", 1.5),
            ("PT2H0M0S", 2.0),
        ];
        for (s, h) in cases {
            for variant in widths(s) {
                assert_eq!(parse_hours(&text(&variant)), Ok(Some(h)), "{variant}");
            }
        }
        assert_eq!(parse_hours(&RawCell::Int(2)), Ok(Some(2.0)));
        assert_eq!(parse_hours(&RawCell::Float(1.5)), Ok(Some(1.5)));
        assert_eq!(parse_hours(&RawCell::Empty), Ok(None));
        assert_eq!(parse_hours(&text(" ")), Ok(None));
        // A cell formatted as a time of day: 1:30 is 1/16 of a day.
        assert_eq!(parse_hours(&RawCell::Date { serial: 0.0625, is_1904: false }), Ok(Some(1.5)));
    }

    #[test]
    fn hours_rejections() {
        for s in ["-1", "△1.5", "-90分"] {
            rejected(parse_hours(&text(s)), "マイナス");
        }
        rejected(parse_hours(&RawCell::Int(-1)), "マイナス");
        rejected(parse_hours(&RawCell::Float(-0.5)), "マイナス");
        for s in ["二時間", "2日", "1:75", "abc", "1.5.5", "時間"] {
            rejected(parse_hours(&text(s)), "時間として読めません");
        }
        rejected(parse_hours(&RawCell::Float(f64::INFINITY)), "時間として読めません");
        rejected(parse_hours(&RawCell::Date { serial: 45139.0, is_1904: false }), "日付");
        rejected(parse_hours(&RawCell::Bool(false)), "論理値（FALSE）");
        rejected(parse_hours(&RawCell::Error("#DIV/0!".to_owned())), "#DIV/0!");
    }

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
        let cases: [(&str, i32); 16] = [
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
        for s in ["23", "令和", "R", "2023年", "R5年", "令和五年度", "1989", "2201", "FY23", "R0", "昭和63年度"]
        {
            rejected(parse_fiscal_year(&text(s)), &format!("「{s}」は年度として読めません"));
        }
        rejected(parse_fiscal_year(&RawCell::Int(1989)), "「1989」");
        rejected(parse_fiscal_year(&RawCell::Int(i64::MAX)), "年度として読めません");
        rejected(parse_fiscal_year(&RawCell::Float(2023.5)), "「2023.5」");
        rejected(parse_fiscal_year(&RawCell::Bool(true)), "「TRUE」");
        rejected(parse_fiscal_year(&RawCell::Error("#N/A".to_owned())), "#N/A");
    }

    // --- text and labels ----------------------------------------------------

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
    fn labels_lose_width_variants_and_all_whitespace() {
        assert_eq!(normalise_label("受講者数\n（人）"), "受講者数(人)");
        assert_eq!(normalise_label(" 実 施　日 "), "実施日");
        assert_eq!(normalise_label("ＷＥＢ\r\n会議\t"), "WEB会議");
        assert_eq!(normalise_label("ｻﾎﾟｽﾃ"), "サポステ");
        assert_eq!(normalise_label("中小\u{200B}企業"), "中小企業");
        assert_eq!(normalise_label(""), "");
    }

    #[test]
    fn total_labels() {
        for s in [
            "合計",
            "計",
            "小計",
            "総計",
            "総合計",
            "累計",
            "月計",
            "年計",
            "合　計",
            " 計 ",
            "合計:",
            "合計：",
            "【合計】",
            "(小計)",
            "10月計",
            "１０月計",
            "10月合計",
            "4月分計",
            "4~9月計",
            "4月~9月計",
            "4月〜9月合計",
            "4〜9月合計",
            "上期計",
            "下期計",
            "前期小計",
            "後期計",
            "上半期計",
            "通期合計",
            "年度合計",
            "年度計",
            "2023年度合計",
            "R5年度計",
            "令和5年度合計",
            "第1四半期計",
            "全体合計",
        ] {
            assert!(is_total_label(s), "{s} should be a total");
        }
    }

    #[test]
    fn trade_names_and_other_labels_are_not_totals() {
        for s in [
            "機械設計",
            "設計",
            "計装",
            "計測",
            "会計",
            "統計",
            "時計",
            "家計",
            "前期",
            "10月",
            "合計額",
            "13月計",
            "第5四半期計",
            "中小企業",
            "",
            "計画",
            "合計人数",
        ] {
            assert!(!is_total_label(s), "{s} should not be a total");
        }
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
