//! `dispatch.*` and `skilled.*`: instruction sessions (派遣実績) in the fiscal
//! year up to the as-of date, split by who instructed (ものづくりマイスター or
//! 熟練技能者等) and where (派遣先区分).

use super::frame::{count_if, dated_between, is_one_of, scalars};
use chrono::NaiveDate;
use polars::prelude::*;

pub const MEISTER: &str = "ものづくりマイスター";
pub const SKILLED: &str = "熟練技能者";

/// Sessions of the year to date, either instructor type.
pub fn year_to_date(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> LazyFrame {
    df.clone().lazy().filter(dated_between("date", from, as_of))
}

/// (id, actual) of every `dispatch.*` and `skilled.*` KPI. Meister sessions
/// count in `dispatch.*`, skilled-worker sessions in `skilled.*`.
pub fn kpis(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<Vec<(&'static str, f64)>> {
    let meister = col("instructor_type").eq(lit(MEISTER));
    let skilled = col("instructor_type").eq(lit(SKILLED));
    let v = scalars(
        year_to_date(df, from, as_of),
        vec![
            count_if(meister.clone()),
            col("trainees").filter(meister.clone()).sum(),
            count_if(meister.clone().and(is_one_of("dest_type", &["中小企業", "業界団体"]))),
            count_if(meister.clone().and(col("dest_type").eq(lit("工業高校等")))),
            count_if(meister.and(col("dest_type").eq(lit("公共施設等")))),
            count_if(skilled.clone()),
            col("trainees").filter(skilled).sum(),
        ],
    )?;
    Ok(vec![
        ("dispatch.sessions", v[0]),
        ("dispatch.person_days", v[1]),
        ("dispatch.sme_groups.sessions", v[2]),
        ("dispatch.schools.sessions", v[3]),
        ("dispatch.public.sessions", v[4]),
        ("skilled.sessions", v[5]),
        ("skilled.trainees", v[6]),
    ])
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
