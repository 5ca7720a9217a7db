//! `outreach.*`: ものづくりの魅力発信 events in the fiscal year up to the
//! as-of date: school lectures (小中学校等) and youth support stations
//! (サポステ, counted as distinct sites).

use super::frame::{count_if, dated_between, scalars};
use chrono::NaiveDate;
use polars::prelude::*;

pub const SCHOOL: &str = "小中学校等";
pub const SAPOSTE: &str = "サポステ";

/// (id, actual) of every `outreach.*` KPI.
pub fn kpis(df: &DataFrame, from: NaiveDate, as_of: NaiveDate) -> PolarsResult<Vec<(&'static str, f64)>> {
    let school = col("kind").eq(lit(SCHOOL));
    let saposte = col("kind").eq(lit(SAPOSTE));
    // An event over several days (日数) counts its participants once a day.
    let person_days = match df.column("days") {
        Ok(_) => col("participants") * col("days").fill_null(lit(1i64)),
        Err(_) => col("participants"),
    };
    let v = scalars(
        df.clone().lazy().filter(dated_between("date", from, as_of)),
        vec![
            count_if(school.clone()),
            person_days.filter(school).sum(),
            col("place").filter(saposte).drop_nulls().n_unique(),
        ],
    )?;
    Ok(vec![
        ("outreach.school.sessions", v[0]),
        ("outreach.school.person_days", v[1]),
        ("outreach.saposte.places", v[2]),
    ])
}
