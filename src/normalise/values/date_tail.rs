//! What staff write after a date: a weekday in brackets (`(火)`, `（火曜日）`,
//! `(月・祝)`), which the date must match, and a clock time (`10:30`,
//! `T00:00:00.000Z`), which is dropped.

use chrono::Weekday;

use super::digits;

/// Removes a trailing clock time (`0:00`, `00:00:00`, `T00:00:00.000Z`) that
/// follows whitespace, `T` or a closing bracket.
pub(super) fn strip_time(text: &str) -> &str {
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
pub(super) fn strip_weekday(text: &str) -> (&str, Option<Weekday>) {
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

pub(super) fn weekday_kanji(w: Weekday) -> char {
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

#[cfg(test)]
mod tests {
    use crate::normalise::values::test_support::{assert_date, assert_date_rejected, ymd};

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
    fn a_wrong_weekday_is_rejected() {
        assert_date_rejected("2023年8月1日(水)", "2023年8月1日は火曜日です");
    }
}
