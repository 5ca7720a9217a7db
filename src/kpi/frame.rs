//! Small helpers over polars shared by the KPI families.

use chrono::NaiveDate;
use polars::prelude::*;

/// Rows whose `date_col` lies in `from ..= to`.
pub fn dated_between(date_col: &str, from: NaiveDate, to: NaiveDate) -> Expr {
    col(date_col).is_not_null().and(col(date_col).gt_eq(lit(from))).and(col(date_col).lt_eq(lit(to)))
}

/// Runs a one-row aggregation and reads each named output as f64
/// (null → 0: an empty selection counts 0, sums 0).
pub fn scalars(lf: LazyFrame, exprs: Vec<Expr>) -> PolarsResult<Vec<f64>> {
    let names: Vec<PlSmallStr> = exprs.iter().enumerate().map(|(i, _)| PlSmallStr::from(format!("v{i}"))).collect();
    let exprs: Vec<Expr> =
        exprs.into_iter().zip(&names).map(|(e, n)| e.cast(DataType::Float64).alias(n.clone())).collect();
    let df = lf.select(exprs).collect()?;
    names.iter().map(|n| Ok(df.column(n)?.f64()?.get(0).unwrap_or(0.0))).collect()
}

/// Count of rows.
pub fn count() -> Expr {
    len()
}

/// Count of rows where `pred` holds.
pub fn count_if(pred: Expr) -> Expr {
    pred.cast(DataType::UInt32).sum()
}

/// `col(name)` equals one of `values`.
pub fn is_one_of(name: &str, values: &[&str]) -> Expr {
    values.iter().map(|v| col(name).eq(lit(*v))).reduce(|a, b| a.or(b)).unwrap_or(lit(false))
}
