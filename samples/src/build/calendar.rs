//! Working days of FY2022–FY2023: the weekday public holidays, and a random
//! working day of a month (the dispatch sessions, the visits and the
//! national generator draw their dates with it).

use super::d;
use crate::rng::Rng;
use chrono::{Datelike, NaiveDate, Weekday};

/// Weekday public holidays of FY2022–FY2023 (Monday holidays and others).
const HOLIDAYS: [(i32, u32, u32); 18] = [
    (2022, 7, 18),
    (2022, 9, 19),
    (2022, 9, 23),
    (2022, 10, 10),
    (2023, 1, 9),
    (2023, 2, 23),
    (2023, 3, 21),
    (2023, 7, 17),
    (2023, 9, 18),
    (2023, 10, 9),
    (2024, 1, 8),
    (2024, 2, 12),
    (2024, 2, 23),
    (2024, 3, 20),
    (2022, 4, 29),
    (2023, 11, 3),
    (2022, 11, 3),
    (2022, 11, 23),
];

pub(super) fn is_holiday(date: NaiveDate) -> bool {
    let (m, day) = (date.month(), date.day());
    matches!((m, day), (5, 3..=5) | (8, 11..=16) | (12, 28..=31) | (1, 1..=4) | (11, 23))
        || HOLIDAYS.contains(&(date.year(), m, day))
}

/// A random working day of a month.
pub(crate) fn workday(rng: &mut Rng, y: i32, m: u32) -> NaiveDate {
    let days = if m == 12 { d(y + 1, 1, 1) } else { d(y, m + 1, 1) }.pred_opt().expect("date").day();
    loop {
        let date = d(y, m, rng.range(1, i64::from(days)) as u32);
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date) {
            return date;
        }
    }
}
