//! The record-type joins the catalogue's rules and the findings need: each
//! meister's last activity (`meister.inactive_3y`), sessions led by an
//! untrained meister (`meister.untrained_dispatches`).

use super::dispatch::MEISTER;
use super::frame::{count_if, dated_between, scalars};
use chrono::{Duration, NaiveDate};
use polars::prelude::*;

pub use crate::catalogue::{COMPETITOR, QUALIFIER};

/// An incident is late when 報告日 is blank or after 発生日 + `limit_days`.
pub use crate::catalogue::late_report as late_report_expr;

/// Three years before `as_of` (the same day, or the month's last day).
pub fn three_years_before(as_of: NaiveDate) -> NaiveDate {
    as_of.checked_sub_months(chrono::Months::new(36)).unwrap_or(as_of - Duration::days(3 * 365))
}

/// Activity dates (meister number, date) on or before `as_of` from
/// dispatches and outreach.
pub fn activity(frames: &[&DataFrame], as_of: NaiveDate) -> PolarsResult<LazyFrame> {
    let parts: Vec<LazyFrame> = frames
        .iter()
        .map(|df| {
            (*df)
                .clone()
                .lazy()
                .filter(col("meister_no").is_not_null().and(col("date").lt_eq(lit(as_of))))
                .select([col("meister_no"), col("date").alias("activity_on")])
        })
        .collect();
    if parts.is_empty() {
        let empty = DataFrame::new(
            0,
            vec![
                Column::new("meister_no".into(), Vec::<String>::new()),
                Column::new("activity_on".into(), Vec::<i32>::new()).cast(&DataType::Date)?,
            ],
        )?;
        return Ok(empty.lazy());
    }
    concat(parts, UnionArgs::default())
}

/// Each registered meister's last activity up to `as_of`: the latest of
/// their dispatch and outreach rows and the registry's 最終活動日.
/// Columns: meister_no, trade, certified_on, deregistered_on, trained_on,
/// last_activity (Date, null when none).
pub fn last_activity(registry: &DataFrame, activity: LazyFrame, as_of: NaiveDate) -> PolarsResult<DataFrame> {
    let latest = activity.group_by([col("meister_no")]).agg([col("activity_on").max().alias("recorded_on")]);
    registry
        .clone()
        .lazy()
        .filter(col("certified_on").lt_eq(lit(as_of)))
        .join(latest, [col("meister_no")], [col("meister_no")], JoinArgs::new(JoinType::Left))
        .with_column(
            when(col("last_activity_on").gt(lit(as_of)))
                .then(lit(NULL).cast(DataType::Date))
                .otherwise(col("last_activity_on"))
                .alias("last_activity_on"),
        )
        .with_column(
            when(col("recorded_on").is_null())
                .then(col("last_activity_on"))
                .when(col("last_activity_on").is_null())
                .then(col("recorded_on"))
                .when(col("recorded_on").gt(col("last_activity_on")))
                .then(col("recorded_on"))
                .otherwise(col("last_activity_on"))
                .alias("last_activity"),
        )
        .collect()
}

/// Registered (not deregistered by `as_of`), certified more than three
/// years before `as_of`, and no activity in the three years up to it.
pub fn inactive_expr(as_of: NaiveDate) -> Expr {
    let cutoff = three_years_before(as_of);
    col("deregistered_on")
        .is_null()
        .or(col("deregistered_on").gt(lit(as_of)))
        .and(col("certified_on").lt(lit(cutoff)))
        .and(col("last_activity").is_null().or(col("last_activity").lt_eq(lit(cutoff))))
}

/// `meister.inactive_3y` over the frame of [`last_activity`].
pub fn inactive_count(last: &DataFrame, as_of: NaiveDate) -> PolarsResult<f64> {
    Ok(scalars(last.clone().lazy(), vec![count_if(inactive_expr(as_of))])?[0])
}

/// Meister dispatches of the year to date led by a meister whose 講習受講日
/// is blank or later than the session (numbers not in the registry are not
/// counted here). Columns: meister_no, date, _file, _sheet, _row, _col.
pub fn untrained_sessions(
    dispatches: &DataFrame,
    registry: &DataFrame,
    from: NaiveDate,
    as_of: NaiveDate,
) -> PolarsResult<DataFrame> {
    dispatches
        .clone()
        .lazy()
        .filter(dated_between("date", from, as_of).and(col("instructor_type").eq(lit(MEISTER))))
        .filter(col("meister_no").is_not_null())
        .join(
            registry.clone().lazy().select([col("meister_no"), col("trained_on")]),
            [col("meister_no")],
            [col("meister_no")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("trained_on").is_null().or(col("trained_on").gt(col("date"))))
        .select([col("meister_no"), col("date"), col("_file"), col("_sheet"), col("_row"), col("_col")])
        .collect()
}
