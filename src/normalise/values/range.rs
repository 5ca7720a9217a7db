//! A session over several days written in its date cell: `2023/8/1〜8/3`,
//! `2023/8/1-8/3`, `令和5年8月1日～3日`, `R5.8.1~R5.8.3` (datasets.md, "Sessions
//! over several days"). The first day is the record's date; the range says
//! how many calendar days it ran.

use chrono::{Datelike, NaiveDate};

use super::date::parse_date_with_epoch;
use super::date_text::parse_date_text_in;
use super::{nfkc, quote};
use crate::ingest::RawCell;

/// The longest range a session may span.
pub const MAX_RANGE_DAYS: i64 = 14;

/// Reads a date cell that may hold a range: `Ok(Some((first, last)))`, with
/// `first == last` for a single date; `Ok(None)` when blank. A range longer
/// than [`MAX_RANGE_DAYS`] days or ending before it starts is refused.
pub fn parse_date_range(cell: &RawCell, is_1904: bool) -> Result<Option<(NaiveDate, NaiveDate)>, String> {
    let single = parse_date_with_epoch(cell, is_1904);
    let RawCell::Text(text) = cell else { return single.map(|d| d.map(|d| (d, d))) };
    if single.is_ok() {
        return single.map(|d| d.map(|d| (d, d)));
    }
    let Some((first, last)) = split_range(text, is_1904) else { return single.map(|d| d.map(|d| (d, d))) };
    // The first day passes the same checks as any date (1950 and later).
    let first = parse_date_with_epoch(&RawCell::Text(first_text(text)), is_1904)?.unwrap_or(first);
    let days = (last - first).num_days() + 1;
    if days < 1 {
        return Err(format!(
            "「{}」は終わりの日が始まりの日より前です。2023/8/1〜8/3 のように、始まりの日から順に入力してください",
            quote(text)
        ));
    }
    if days > MAX_RANGE_DAYS {
        return Err(format!(
            "「{}」は {days} 日間の期間で、1回の派遣・行事としては長すぎます（{MAX_RANGE_DAYS} 日まで）。日ごとの行に分けて入力してください",
            quote(text)
        ));
    }
    Ok(Some((first, last)))
}

/// The separators a range is written with, after NFKC (〜 and ～ become ~ or stay 〜).
const RANGE_MARKS: [&str; 4] = ["〜", "~", "から", "–"];

/// The text before the range mark (for the first day's reason).
fn first_text(text: &str) -> String {
    let t = nfkc(text);
    for mark in RANGE_MARKS {
        if let Some((a, _)) = t.split_once(mark) {
            return a.trim().to_string();
        }
    }
    t.rsplit_once('-').map_or_else(|| t.to_string(), |(a, _)| a.trim().to_string())
}

/// The first and last day of a range text, when it is one: a full date, a
/// mark, then a full date or a tail of one (`8/3`, `8月3日`, `3日`, `3`).
fn split_range(text: &str, is_1904: bool) -> Option<(NaiveDate, NaiveDate)> {
    let t = nfkc(text);
    let t = t.trim();
    for mark in RANGE_MARKS {
        if let Some((a, b)) = t.split_once(mark) {
            let first = parse_date_text_in(a.trim(), is_1904).ok()?;
            return Some((first, last_day(first, b.trim(), is_1904)?));
        }
    }
    // A hyphen also separates the parts of 2023-08-01: try each one from the right.
    for (i, _) in t.match_indices('-').collect::<Vec<_>>().into_iter().rev() {
        let (a, b) = (&t[..i], &t[i + 1..]);
        if let Ok(first) = parse_date_text_in(a.trim(), is_1904)
            && let Some(last) = last_day(first, b.trim(), is_1904)
        {
            return Some((first, last));
        }
    }
    None
}

/// The last day written after a range mark, completed from the first day:
/// a full date, month and day (`8/3`, `8月3日`, `8.3`), or a day (`3日`, `3`).
fn last_day(first: NaiveDate, tail: &str, is_1904: bool) -> Option<NaiveDate> {
    if let Ok(d) = parse_date_text_in(tail, is_1904) {
        return Some(d);
    }
    let tail = tail.strip_suffix('日').unwrap_or(tail).trim();
    let parts: Vec<&str> = tail.split(['/', '.', '月']).map(str::trim).collect();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    match parts.as_slice() {
        [day] => {
            let day = num(day)?;
            let same = NaiveDate::from_ymd_opt(first.year(), first.month(), day);
            match same {
                Some(d) if d >= first => Some(d),
                // 8/30〜2: into the next month.
                _ => {
                    let next = first.checked_add_months(chrono::Months::new(1))?;
                    NaiveDate::from_ymd_opt(next.year(), next.month(), day)
                }
            }
        }
        [month, day] => {
            let (month, day) = (num(month)?, num(day)?);
            let same = NaiveDate::from_ymd_opt(first.year(), month, day)?;
            // 12/28〜1/5: into the next year.
            if same < first { NaiveDate::from_ymd_opt(first.year() + 1, month, day) } else { Some(same) }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> RawCell {
        RawCell::Text(s.into())
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn the_forms_of_datasets_md_read_as_their_first_and_last_day() {
        let aug = Some((d(2023, 8, 1), d(2023, 8, 3)));
        for t in [
            "2023/8/1〜8/3",
            "2023/8/1～8/3",
            "2023/8/1-8/3",
            "令和5年8月1日～3日",
            "R5.8.1~R5.8.3",
            "２０２３/８/１〜８/３",
            "2023-08-01~2023-08-03",
            "2023/8/1 〜 3",
        ] {
            assert_eq!(parse_date_range(&text(t), false), Ok(aug), "{t}");
        }
        assert_eq!(parse_date_range(&text("2023/8/31〜9/2"), false), Ok(Some((d(2023, 8, 31), d(2023, 9, 2)))));
        assert_eq!(parse_date_range(&text("2023/8/30〜1"), false), Ok(Some((d(2023, 8, 30), d(2023, 9, 1)))));
        assert_eq!(parse_date_range(&text("2023-08-01"), false), Ok(Some((d(2023, 8, 1), d(2023, 8, 1)))));
        assert_eq!(parse_date_range(&RawCell::Empty, false), Ok(None));
    }

    #[test]
    fn a_range_too_long_or_backwards_is_refused_and_garbage_stays_garbage() {
        assert!(parse_date_range(&text("2023/8/1〜8/20"), false).unwrap_err().contains("長すぎ"));
        assert!(parse_date_range(&text("2023/8/5〜2023/8/1"), false).unwrap_err().contains("前"));
        assert!(parse_date_range(&text("8/1〜8/3"), false).is_err(), "no year: as a single date would be");
        assert!(parse_date_range(&text("来週"), false).is_err());
    }
}
