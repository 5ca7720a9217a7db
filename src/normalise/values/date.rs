//! Date cells: Excel serials in the 1900 system (with Lotus 1-2-3's
//! nonexistent 1900-02-29) and in the 1904 system, date-formatted cells that
//! carry their own epoch, ISO dates from ODS, and the check that no record is
//! dated before 1950. Dates typed as text are read by `date_text`.

use chrono::{Datelike, NaiveDate};

use super::date_text::parse_date_text_in;
pub(super) use super::serial::{DATE_HINT, DATE_YEARS, serial_to_date};
use super::{bool_text, cell_text, error_cell_reason, float_text};
use crate::ingest::RawCell;

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
                parse_date_text_in(s, is_1904).map(Some)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::values::test_support::{rejected, text, ymd};

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
    fn a_serial_typed_as_text_counts_in_the_workbooks_date_system_like_a_number_cell() {
        for is_1904 in [false, true] {
            let as_number = parse_date_with_epoch(&RawCell::Int(43585), is_1904).unwrap();
            assert_eq!(parse_date_with_epoch(&text("43585"), is_1904).unwrap(), as_number, "1904: {is_1904}");
        }
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(parse_date_with_epoch(&text("43585"), false), Ok(d(2019, 4, 30)));
        assert_eq!(parse_date_with_epoch(&text("43585"), true), Ok(d(2023, 5, 1)), "1,462 days later");
    }

    #[test]
    fn blank_and_non_date_cells() {
        assert_eq!(parse_date(&RawCell::Empty), Ok(None));
        assert_eq!(parse_date(&text("")), Ok(None));
        assert_eq!(parse_date(&text(" \u{3000}\n")), Ok(None));
        assert!(super::super::date_text::parse_date_text("").is_err());
        rejected(parse_date(&RawCell::Bool(true)), "論理値（TRUE）");
        assert_eq!(
            parse_date(&RawCell::Error("#N/A".to_owned())),
            Err("セルがエラー値（#N/A）です。数式か参照元を直してください".to_owned())
        );
    }
}
