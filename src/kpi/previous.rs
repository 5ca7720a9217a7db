//! 前年同期: the same period of the previous fiscal year — from its first
//! day to the as-of date one year earlier — for every dated KPI, and its
//! months for the charts' grey line. A record type with no row dated in
//! that year gives no figure (null, never zero): a folder without last
//! year's workbooks has nothing to compare. The registry is the exception:
//! it carries every year's 認定日 itself.

use super::monthly::{Monthly, dated_actuals, monthly_in};
use crate::fiscal::FiscalYear;
use crate::plan::Plan;
use crate::schema::DatasetId;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::collections::BTreeMap;

/// The previous year's figures.
#[derive(Debug, Clone, Default)]
pub struct PreviousYear {
    /// KPI id → its figure from the previous year's first day to `as_of`.
    pub to_date: BTreeMap<&'static str, f64>,
    /// That year month by month (to its end), for the record types it has.
    pub months: Monthly,
}

/// The day one year before `d` (29 February → 28 February).
pub fn year_before(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() - 1, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
        .unwrap_or(d)
}

/// Whether a record type has a row dated in `fy` (or is the registry).
fn has_year(id: DatasetId, df: &DataFrame, fy: FiscalYear) -> PolarsResult<bool> {
    let Some(date) = id.schema().date_field else { return Ok(id == DatasetId::Meisters && df.height() > 0) };
    let n = df
        .clone()
        .lazy()
        .filter(super::frame::dated_between(date, fy.start(), fy.end()))
        .select([len().alias("n")])
        .collect()?;
    Ok(n.column("n")?.u32()?.get(0).unwrap_or(0) > 0)
}

/// The previous fiscal year's figures up to one year before `as_of`.
pub fn previous_year(
    plan: &Plan,
    data: &BTreeMap<DatasetId, DataFrame>,
    as_of: NaiveDate,
) -> PolarsResult<PreviousYear> {
    let Some(fy) = FiscalYear::new(plan.fiscal_year.year() - 1) else { return Ok(PreviousYear::default()) };
    let mut present: BTreeMap<DatasetId, DataFrame> = BTreeMap::new();
    for (id, df) in data {
        if has_year(*id, df, fy)? {
            present.insert(*id, df.clone());
        }
    }
    let until = year_before(as_of).min(fy.end());
    let mut to_date = BTreeMap::new();
    for (id, dataset, v) in dated_actuals(plan, &present, fy.start(), until)? {
        // untrained dispatches need last year's dispatches, not only the registry.
        if present.contains_key(&dataset) {
            to_date.insert(id, v);
        }
    }
    let mut months = monthly_in(plan, &present, fy, fy.end())?;
    months.kpis.retain(|_, k| present.contains_key(&k.dataset));
    Ok(PreviousYear { to_date, months })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_before_a_leap_day_is_the_28th() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid");
        assert_eq!(year_before(d(2024, 2, 29)), d(2023, 2, 28));
        assert_eq!(year_before(d(2023, 10, 31)), d(2022, 10, 31));
    }
}
