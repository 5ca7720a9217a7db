//! Instruction sessions (派遣実績) of the fiscal year to date broken down by
//! a column (派遣先区分, 職種, 地区), split by who instructed (ものづくりマイスター
//! or 熟練技能者等). The `dispatch.*` and `skilled.*` KPIs themselves are rules
//! of the catalogue.

use super::frame::{count_if, dated_between};
use chrono::NaiveDate;
use polars::prelude::*;

pub use crate::catalogue::{MEISTER, SKILLED};

/// Sessions of the year to date, either instructor type.
pub fn year_to_date(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> LazyFrame {
    df.clone().lazy().filter(dated_between("date", from, as_of))
}

/// Sessions and trainees by `key` (a column name), split by instructor
/// type: rows of (key or "未記入", meister sessions, meister trainees,
/// skilled sessions, skilled trainees).
pub fn breakdown(
    df: &DataFrame,
    from: NaiveDate,
    as_of: NaiveDate,
    key: &str,
) -> PolarsResult<Vec<super::BreakdownRow>> {
    let meister = col("instructor_type").eq(lit(MEISTER));
    let skilled = col("instructor_type").eq(lit(SKILLED));
    let out = year_to_date(df, from, as_of)
        .with_column(col(key).fill_null(lit(super::UNRECORDED)).alias("_key"))
        .group_by([col("_key")])
        .agg([
            count_if(meister.clone()).cast(DataType::Int64).alias("ms"),
            col("trainees").filter(meister).sum().cast(DataType::Int64).alias("mt"),
            count_if(skilled.clone()).cast(DataType::Int64).alias("ss"),
            col("trainees").filter(skilled).sum().cast(DataType::Int64).alias("st"),
        ])
        .collect()?;
    let keys = out.column("_key")?.str()?.clone();
    let ms = out.column("ms")?.i64()?.clone();
    let mt = out.column("mt")?.i64()?.clone();
    let ss = out.column("ss")?.i64()?.clone();
    let st = out.column("st")?.i64()?.clone();
    let mut rows = Vec::with_capacity(out.height());
    for i in 0..out.height() {
        rows.push(super::BreakdownRow {
            key: keys.get(i).unwrap_or(super::UNRECORDED).to_string(),
            meister_sessions: ms.get(i).unwrap_or(0),
            meister_trainees: mt.get(i).unwrap_or(0),
            skilled_sessions: ss.get(i).unwrap_or(0),
            skilled_trainees: st.get(i).unwrap_or(0),
        });
    }
    Ok(rows)
}
