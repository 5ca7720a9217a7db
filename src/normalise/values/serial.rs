//! Excel serial dates (both epochs) and the years a date may have: shared
//! by date cells and by digits typed as text in a date column.

use chrono::{Datelike, Days, NaiveDate};
use std::ops::RangeInclusive;

/// Dates outside these years are rejected (Excel serials 1..=109574 in the
/// 1900 system).
pub(super) const DATE_YEARS: RangeInclusive<i32> = 1900..=2199;
/// How to write a date, appended to date reasons.
pub(super) const DATE_HINT: &str = "2023/8/1 や 令和5年8月1日 の形で入力してください";

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
