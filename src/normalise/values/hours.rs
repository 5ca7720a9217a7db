//! Hours (指導時間): numbers, time-formatted cells, and text in hours,
//! minutes or both, in clock form or as an ISO 8601 duration (`1.5h`, `90分`,
//! `1時間30分`, `1時間半`, `1:30`, `PT1H30M`).

use super::number::{WholeProblem, strip_minus};
use super::{bool_in_number_reason, date_in_number_reason, digits, error_cell_reason, float_text, nfkc, quote};
use crate::ingest::RawCell;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::values::test_support::{rejected, text, widths};

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
}
