//! The Japanese fiscal calendar (April to March) and the era (和暦) forms of
//! dates shown in reports.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A Japanese fiscal year, named by the calendar year it starts in
/// (FY2023 = 令和5年度 = 2023-04-01 .. 2024-03-31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FiscalYear(i32);

impl FiscalYear {
    /// A fiscal year between 1990 and 2200; anything else is a typo.
    pub fn new(year: i32) -> Option<FiscalYear> {
        (1990..=2200).contains(&year).then_some(FiscalYear(year))
    }

    /// The fiscal year a date falls in.
    pub fn of(date: NaiveDate) -> FiscalYear {
        if date.month() >= 4 { FiscalYear(date.year()) } else { FiscalYear(date.year() - 1) }
    }

    pub fn year(self) -> i32 {
        self.0
    }

    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("April 1st exists")
    }

    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("March 31st exists")
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Days in the fiscal year (365 or 366).
    pub fn days(self) -> i64 {
        (self.end() - self.start()).num_days() + 1
    }

    /// Days from the first day to `as_of`, both inclusive, over the days in
    /// the year; clamped to 0..=1.
    pub fn elapsed_fraction(self, as_of: NaiveDate) -> f64 {
        let days = (as_of - self.start()).num_days() + 1;
        (days as f64 / self.days() as f64).clamp(0.0, 1.0)
    }

    /// The twelve (year, month) pairs, April first.
    pub fn months(self) -> [(i32, u32); 12] {
        std::array::from_fn(|i| {
            let m = (i as u32 + 3) % 12 + 1;
            (if m >= 4 { self.0 } else { self.0 + 1 }, m)
        })
    }

    /// 令和5年度 style label.
    pub fn label_ja(self) -> String {
        let era = era_year(self.start());
        format!("{}度", era)
    }
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    first_next.pred_opt()
}

/// 令和5年 / 平成31年 / 令和元年 for a date.
pub fn era_year(date: NaiveDate) -> String {
    let reiwa = NaiveDate::from_ymd_opt(2019, 5, 1).expect("valid");
    let heisei = NaiveDate::from_ymd_opt(1989, 1, 8).expect("valid");
    let (era, y) = if date >= reiwa {
        ("令和", date.year() - 2018)
    } else if date >= heisei {
        ("平成", date.year() - 1988)
    } else {
        ("昭和", date.year() - 1925)
    };
    if y == 1 { format!("{era}元年") } else { format!("{era}{y}年") }
}

/// `2023年10月31日（令和5年10月31日）`: how a date is shown in prose.
pub fn date_prose(date: NaiveDate) -> String {
    format!(
        "{}年{}月{}日（{}{}月{}日）",
        date.year(),
        date.month(),
        date.day(),
        era_year(date),
        date.month(),
        date.day()
    )
}

/// `令和5年10月31日現在`-style short form (no Gregorian part).
pub fn date_wareki(date: NaiveDate) -> String {
    format!("{}{}月{}日", era_year(date), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fy2023_has_366_days_and_october_end_is_214_of_them() {
        let fy = FiscalYear::new(2023).unwrap();
        assert_eq!(fy.days(), 366);
        // April 30 + May 31 + June 30 + July 31 + Aug 31 + Sep 30 + Oct 31 = 214
        assert!((fy.elapsed_fraction(d(2023, 10, 31)) - 214.0 / 366.0).abs() < 1e-12);
        assert_eq!(fy.elapsed_fraction(d(2024, 3, 31)), 1.0);
        assert_eq!(fy.months()[0], (2023, 4));
        assert_eq!(fy.months()[11], (2024, 3));
    }

    #[test]
    fn fiscal_year_of_a_date() {
        assert_eq!(FiscalYear::of(d(2024, 3, 31)).year(), 2023);
        assert_eq!(FiscalYear::of(d(2023, 4, 1)).year(), 2023);
        assert_eq!(FiscalYear::of(d(2023, 3, 31)).year(), 2022);
    }

    #[test]
    fn prose_dates_carry_the_era() {
        assert_eq!(date_prose(d(2023, 10, 31)), "2023年10月31日（令和5年10月31日）");
        assert_eq!(date_wareki(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(date_wareki(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(FiscalYear::new(2023).unwrap().label_ja(), "令和5年度");
        assert_eq!(month_end(2024, 2), Some(d(2024, 2, 29)));
    }
}
