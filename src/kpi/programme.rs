//! The rest of the plan: meister registry (`meister.*`), training sessions,
//! coordinator visits, competitions (`worldskills.*`, `youth_games.*`,
//! `qualifier.trades`, `competition.withdrawals`), council meetings and
//! privacy incidents.

use super::dispatch::MEISTER;
use super::frame::{count, count_if, dated_between, scalars};
use chrono::{Duration, NaiveDate};
use polars::prelude::*;

pub const WORLDSKILLS: &str = "技能五輪全国大会";
pub const YOUTH_GAMES: &str = "若年者ものづくり競技大会";
pub const QUALIFIER: &str = "技能五輪予選";
pub const COMPETITOR: &str = "選手";
pub const INSTRUCTOR: &str = "指導者";

/// Rows of a dated record type counted in the year to date.
fn dated_count(df: &DataFrame, date_col: &str, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<f64> {
    Ok(scalars(df.clone().lazy().filter(dated_between(date_col, from, as_of)), vec![count()])?[0])
}

/// `training.sessions`: every 指導技法等講習会 held (前期, 後期 and 再講習).
pub fn trainings(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<Vec<(&'static str, f64)>> {
    Ok(vec![("training.sessions", dated_count(df, "date", from, as_of)?)])
}

/// `coordinator.visits`: prospecting visits.
pub fn visits(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<Vec<(&'static str, f64)>> {
    Ok(vec![("coordinator.visits", dated_count(df, "date", from, as_of)?)])
}

/// `council.meetings`: 連携会議 held.
pub fn meetings(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<Vec<(&'static str, f64)>> {
    Ok(vec![("council.meetings", dated_count(df, "date", from, as_of)?)])
}

/// `privacy.incidents` and `privacy.late_reports` (no 報告日, or reported
/// more than `limit_days` after 発生日).
pub fn incidents(
    df: &DataFrame,
    from: NaiveDate,
    as_of: NaiveDate,
    limit_days: i64,
) -> PolarsResult<Vec<(&'static str, f64)>> {
    let late = late_report_expr(limit_days);
    let v = scalars(df.clone().lazy().filter(dated_between("date", from, as_of)), vec![count(), count_if(late)])?;
    Ok(vec![("privacy.incidents", v[0]), ("privacy.late_reports", v[1])])
}

/// An incident is late when 報告日 is blank or after 発生日 + `limit_days`.
pub fn late_report_expr(limit_days: i64) -> Expr {
    let days = (col("reported_on").cast(DataType::Int32) - col("date").cast(DataType::Int32)).cast(DataType::Int64);
    col("reported_on").is_null().or(days.gt(lit(limit_days)))
}

/// Entries that count: this fiscal year's (or undated) and not withdrawn.
fn active_entries(df: &DataFrame, fy: i32) -> LazyFrame {
    df.clone()
        .lazy()
        .filter(col("fiscal_year").is_null().or(col("fiscal_year").eq(lit(fy))))
        .filter(col("withdrawn").fill_null(lit(false)).not())
}

/// `worldskills.*`, `youth_games.*`, `qualifier.trades` and
/// `competition.withdrawals`. Entries carry no date: the plan holds each
/// event's date, so every entry of the year counts.
pub fn competitions(df: &DataFrame, fy: i32) -> PolarsResult<Vec<(&'static str, f64)>> {
    let mut out = Vec::new();
    for (event, ids) in [
        (WORLDSKILLS, ["worldskills.competitors", "worldskills.instructors", "worldskills.trades", "worldskills.orgs"]),
        (YOUTH_GAMES, ["youth_games.competitors", "youth_games.instructors", "youth_games.trades", "youth_games.orgs"]),
    ] {
        let v = scalars(
            active_entries(df, fy).filter(col("event").eq(lit(event))),
            vec![
                count_if(col("role").eq(lit(COMPETITOR))),
                count_if(col("role").eq(lit(INSTRUCTOR))),
                col("trade").drop_nulls().n_unique(),
                col("org").drop_nulls().n_unique(),
            ],
        )?;
        out.extend(ids.into_iter().zip(v));
    }
    let q = scalars(
        active_entries(df, fy).filter(col("event").eq(lit(QUALIFIER))),
        vec![col("trade").drop_nulls().n_unique()],
    )?;
    out.push(("qualifier.trades", q[0]));
    let w = scalars(
        df.clone().lazy().filter(col("fiscal_year").is_null().or(col("fiscal_year").eq(lit(fy)))),
        vec![count_if(col("withdrawn").fill_null(lit(false)))],
    )?;
    out.push(("competition.withdrawals", w[0]));
    Ok(out)
}

/// Three years before `as_of` (the same day, or the month's last day).
pub fn three_years_before(as_of: NaiveDate) -> NaiveDate {
    as_of.checked_sub_months(chrono::Months::new(36)).unwrap_or(as_of - Duration::days(3 * 365))
}

/// `meister.new_certified` and `meister.deregistered` (registry dates in the
/// year to date).
pub fn registry(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<Vec<(&'static str, f64)>> {
    let v = scalars(
        df.clone().lazy(),
        vec![
            count_if(dated_between("certified_on", from, as_of)),
            count_if(dated_between("deregistered_on", from, as_of)),
        ],
    )?;
    Ok(vec![("meister.new_certified", v[0]), ("meister.deregistered", v[1])])
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
