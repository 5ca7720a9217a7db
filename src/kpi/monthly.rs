//! Month by month: the figure of every KPI whose records carry a date, for
//! each month of the fiscal year up to the as-of date, and the row ledger a
//! later run uses to explain a month whose figure changed.
//!
//! A month's figure is what the month added to the year-to-date figure
//! (cumulative at the month's end, or at the as-of date, minus cumulative at
//! the end of the month before), so the months add up to the KPI's actual —
//! for distinct counts too (サポステ sites: the sites first reached that month).
//! KPIs whose records carry no date (competition entries, the inactive-meister
//! count) have no monthly figure: a change in them cannot be told from growth.

use crate::fiscal::{FiscalYear, month_end};
use crate::normalise::{COL_COL, COL_DAY, COL_FILE, COL_FP, COL_ROW, COL_SHEET};
use crate::plan::Plan;
use crate::schema::DatasetId;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::collections::BTreeMap;

/// Every KPI with monthly figures (catalogue period dated or registry),
/// with the record type whose rows make it, counted from `from` to `until`
/// (both inclusive).
pub fn dated_actuals(
    plan: &Plan,
    data: &BTreeMap<DatasetId, DataFrame>,
    from: NaiveDate,
    until: NaiveDate,
) -> PolarsResult<Vec<(&'static str, DatasetId, f64)>> {
    let ctx = super::ctx(plan, from, until);
    super::count::count(crate::catalogue::all().filter(|k| k.period.monthly()), data, &ctx)
}

/// The monthly figures of the plan's dated KPIs up to an as-of date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Monthly {
    /// The as-of date the figures are counted to.
    pub as_of: Option<NaiveDate>,
    /// (year, month) from April up to the as-of month.
    pub months: Vec<(i32, u32)>,
    /// KPI id → its record type and each month's figure (in `months` order).
    pub kpis: BTreeMap<String, MonthlyKpi>,
}

/// One KPI month by month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyKpi {
    pub dataset: DatasetId,
    pub values: Vec<f64>,
}

impl Monthly {
    /// The figure of `kpi` in a month, when both are there.
    pub fn get(&self, kpi: &str, month: (i32, u32)) -> Option<f64> {
        let i = self.months.iter().position(|m| *m == month)?;
        self.kpis.get(kpi).and_then(|k| k.values.get(i).copied())
    }
}

/// `2023-09` for (2023, 9).
pub fn month_key((y, m): (i32, u32)) -> String {
    format!("{y:04}-{m:02}")
}

/// Every dated KPI of the plan, month by month, up to `as_of`.
pub fn monthly(plan: &Plan, data: &BTreeMap<DatasetId, DataFrame>, as_of: NaiveDate) -> PolarsResult<Monthly> {
    monthly_in(plan, data, plan.fiscal_year, as_of)
}

/// [`monthly`] for the months of fiscal year `fy` (the previous year, for
/// 前年同期) with the plan's KPIs.
pub fn monthly_in(
    plan: &Plan,
    data: &BTreeMap<DatasetId, DataFrame>,
    fy: FiscalYear,
    as_of: NaiveDate,
) -> PolarsResult<Monthly> {
    let mut out = Monthly { as_of: Some(as_of), ..Monthly::default() };
    let mut before: BTreeMap<&'static str, f64> = BTreeMap::new();
    for (y, m) in fy.months() {
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
        if first > as_of {
            break;
        }
        let cutoff = month_end(y, m).expect("valid month").min(as_of);
        out.months.push((y, m));
        for (id, dataset, cumulative) in dated_actuals(plan, data, fy.start(), cutoff)? {
            if plan.kpi(id).is_none() {
                continue;
            }
            let prev = before.insert(id, cumulative).unwrap_or(0.0);
            out.kpis
                .entry(id.to_string())
                .or_insert_with(|| MonthlyKpi { dataset, values: Vec::new() })
                .values
                .push(cumulative - prev);
        }
    }
    Ok(out)
}

/// One accepted row as a later run remembers it: where it is, which month
/// it counts in, and a fingerprint of its non-personal values. No value of
/// the row itself is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub dataset: DatasetId,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    /// The month the row counts in; `None` for registry rows (the registry
    /// has no date of its own: 認定日 spans many years).
    pub month: Option<(i32, u32)>,
    pub fingerprint: u64,
}

/// The rows behind the monthly figures up to `until`: every accepted row of
/// a dated record type dated in the fiscal year up to `until`, and every
/// registry row.
pub fn ledger(data: &BTreeMap<DatasetId, DataFrame>, fy: FiscalYear, until: NaiveDate) -> PolarsResult<Vec<LedgerRow>> {
    let mut out = Vec::new();
    for (id, df) in data {
        let lf = df.clone().lazy();
        let (lf, dated) = match id.schema().date_field {
            Some(date) => (lf.filter(super::frame::dated_between(date, fy.start(), until)), Some(date)),
            None if *id == DatasetId::Meisters => (lf, None),
            None => continue,
        };
        let mut cols = vec![col(COL_FILE), col(COL_SHEET), col(COL_ROW), col(COL_COL), col(COL_FP), col(COL_DAY)];
        if let Some(date) = dated {
            cols.push(col(date).cast(DataType::Int32).alias("_days"));
        }
        let rows = lf.select(cols).collect()?;
        let files = rows.column(COL_FILE)?.str()?;
        let sheets = rows.column(COL_SHEET)?.str()?;
        let nums = rows.column(COL_ROW)?.u32()?;
        let cs = rows.column(COL_COL)?.u32()?;
        let fps = rows.column(COL_FP)?.u64()?;
        let day = rows.column(COL_DAY)?.u32()?;
        let days = match dated {
            Some(_) => Some(rows.column("_days")?.i32()?),
            None => None,
        };
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
        for i in 0..rows.height() {
            let month = days.and_then(|d| d.get(i)).map(|d| {
                let date = epoch + chrono::Duration::days(i64::from(d));
                (date.year(), date.month())
            });
            // A session's further days are the same row: listed once per month.
            if day.get(i).unwrap_or(0) > 0
                && out.last().is_some_and(|l: &LedgerRow| l.month == month && l.dataset == *id)
            {
                continue;
            }
            out.push(LedgerRow {
                dataset: *id,
                file: files.get(i).unwrap_or_default().to_string(),
                sheet: sheets.get(i).unwrap_or_default().to_string(),
                cell: crate::ingest::a1(nums.get(i).unwrap_or(1).saturating_sub(1), cs.get(i).unwrap_or(0)),
                month,
                fingerprint: fps.get(i).unwrap_or(0),
            });
        }
    }
    Ok(out)
}

/// Accepted rows of dated record types dated before the fiscal year: they
/// serve history (meister activity) only.
pub fn before_fiscal_year(data: &BTreeMap<DatasetId, DataFrame>, fy: FiscalYear) -> PolarsResult<usize> {
    let mut n = 0;
    for (id, df) in data {
        let Some(date) = id.schema().date_field else { continue };
        let early = df
            .clone()
            .lazy()
            .filter(col(date).lt(lit(fy.start())).and(col(COL_DAY).eq(lit(0u32))))
            .select([len().alias("n")])
            .collect()?;
        n += early.column("n")?.u32()?.get(0).unwrap_or(0) as usize;
    }
    Ok(n)
}
