//! The center report's extra tables: meister activity by number,
//! competition entries by trade and organisation type, coordinator visits by
//! region and month, and the fiscal-year timeline of dated events.

use super::dispatch::MEISTER;
use super::frame::dated_between;
use crate::fiscal::FiscalYear;
use crate::plan::{Plan, Schedule};
use crate::schema::DatasetId;
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// One meister's activity in the year to date (by number only).
#[derive(Debug, Clone, Serialize)]
pub struct MeisterActivity {
    pub meister_no: String,
    /// `None` when the number is not in the registry.
    pub trade: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub trained_on: Option<NaiveDate>,
    pub deregistered_on: Option<NaiveDate>,
    /// Dispatch sessions led this year to date.
    pub sessions: i64,
    pub trainees: i64,
    /// Outreach events this year to date.
    pub outreach_events: i64,
    /// Latest activity up to the as-of date (any year), or 最終活動日.
    pub last_activity: Option<NaiveDate>,
    pub in_registry: bool,
}

/// Competition entries grouped by event, trade and organisation type.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRow {
    pub event: String,
    pub trade: String,
    /// 企業 or 学校 (from the 所属 text).
    pub org_type: String,
    pub competitors: i64,
    pub instructors: i64,
    pub withdrawn: i64,
}

/// Coordinator visits of one region, month by month (April first).
#[derive(Debug, Clone, Serialize)]
pub struct VisitRow {
    pub region: String,
    pub months: Vec<i64>,
    pub total: i64,
}

/// A dated event of the fiscal year.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub date: NaiveDate,
    pub label: String,
    /// `competition`, `council`, `training`.
    pub kind: &'static str,
    /// `true` for a planned date with no record yet.
    pub planned: bool,
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")
}

fn date_at(c: &Column, i: usize) -> PolarsResult<Option<NaiveDate>> {
    Ok(c.cast(&DataType::Int32)?.i32()?.get(i).map(|d| epoch() + chrono::Duration::days(i64::from(d))))
}

/// Meister activity over the registry and every number seen in dispatches.
pub fn meister_activity(
    data: &BTreeMap<DatasetId, DataFrame>,
    last_activity: Option<&DataFrame>,
    from: NaiveDate,
    as_of: NaiveDate,
) -> PolarsResult<Vec<MeisterActivity>> {
    let mut by_no: BTreeMap<String, MeisterActivity> = BTreeMap::new();
    let blank = |no: &str| MeisterActivity {
        meister_no: no.to_string(),
        trade: None,
        certified_on: None,
        trained_on: None,
        deregistered_on: None,
        sessions: 0,
        trainees: 0,
        outreach_events: 0,
        last_activity: None,
        in_registry: false,
    };
    if let Some(last) = last_activity {
        let nos = last.column("meister_no")?.str()?.clone();
        let trades = last.column("trade")?.str()?.clone();
        for i in 0..last.height() {
            let Some(no) = nos.get(i) else { continue };
            let mut m = blank(no);
            m.trade = trades.get(i).map(str::to_string);
            m.certified_on = date_at(last.column("certified_on")?, i)?;
            m.trained_on = date_at(last.column("trained_on")?, i)?;
            m.deregistered_on = date_at(last.column("deregistered_on")?, i)?.filter(|d| *d <= as_of);
            m.last_activity = date_at(last.column("last_activity")?, i)?;
            m.in_registry = true;
            by_no.insert(no.to_string(), m);
        }
    }
    for (dataset, is_dispatch) in [(DatasetId::Dispatches, true), (DatasetId::Outreach, false)] {
        let Some(df) = data.get(&dataset) else { continue };
        let mut lf = df.clone().lazy().filter(dated_between("date", from, as_of).and(col("meister_no").is_not_null()));
        if is_dispatch {
            lf = lf.filter(col("instructor_type").eq(lit(MEISTER)));
        }
        let people = if is_dispatch { col("trainees") } else { col("participants") };
        let g = lf
            .group_by([col("meister_no")])
            .agg([
                len().cast(DataType::Int64).alias("n"),
                people.sum().cast(DataType::Int64).alias("people"),
                col("date").max().alias("last"),
            ])
            .collect()?;
        let nos = g.column("meister_no")?.str()?.clone();
        let n = g.column("n")?.i64()?.clone();
        let people = g.column("people")?.i64()?.clone();
        for i in 0..g.height() {
            let Some(no) = nos.get(i) else { continue };
            let m = by_no.entry(no.to_string()).or_insert_with(|| blank(no));
            if is_dispatch {
                m.sessions = n.get(i).unwrap_or(0);
                m.trainees = people.get(i).unwrap_or(0);
            } else {
                m.outreach_events = n.get(i).unwrap_or(0);
            }
            let last = date_at(g.column("last")?, i)?;
            if !m.in_registry {
                m.last_activity = m.last_activity.max(last);
            }
        }
    }
    Ok(by_no.into_values().collect())
}

/// 企業 or 学校, from the 所属 text.
pub fn org_type(org: &str) -> &'static str {
    const SCHOOL: [&str; 6] = ["学校", "高校", "大学", "学園", "高専", "学院"];
    if SCHOOL.iter().any(|s| org.contains(s)) || org.ends_with('校') { "学校" } else { "企業" }
}

/// Competition entries of the year by event, trade and organisation type.
pub fn competition_entries(df: &DataFrame, fy: FiscalYear) -> PolarsResult<Vec<EntryRow>> {
    let rows = df
        .clone()
        .lazy()
        .filter(col("fiscal_year").is_null().or(col("fiscal_year").eq(lit(fy.year()))))
        .select([col("event"), col("trade"), col("org"), col("role"), col("withdrawn").fill_null(lit(false))])
        .collect()?;
    let (ev, tr, org, role, wd) = (
        rows.column("event")?.str()?.clone(),
        rows.column("trade")?.str()?.clone(),
        rows.column("org")?.str()?.clone(),
        rows.column("role")?.str()?.clone(),
        rows.column("withdrawn")?.bool()?.clone(),
    );
    let mut groups: BTreeMap<(String, String, &'static str), (i64, i64, i64)> = BTreeMap::new();
    for i in 0..rows.height() {
        let key = (
            ev.get(i).unwrap_or_default().to_string(),
            tr.get(i).unwrap_or_default().to_string(),
            org_type(org.get(i).unwrap_or_default()),
        );
        let g = groups.entry(key).or_default();
        if wd.get(i).unwrap_or(false) {
            g.2 += 1;
        } else if role.get(i) == Some(super::programme::COMPETITOR) {
            g.0 += 1;
        } else {
            g.1 += 1;
        }
    }
    Ok(groups
        .into_iter()
        .map(|((event, trade, org_type), (competitors, instructors, withdrawn))| EntryRow {
            event,
            trade,
            org_type: org_type.to_string(),
            competitors,
            instructors,
            withdrawn,
        })
        .collect())
}

/// Coordinator visits by region, month by month up to the as-of date.
pub fn visits_by_region(
    df: &DataFrame,
    fy: FiscalYear,
    as_of: NaiveDate,
    regions: &[&str],
) -> PolarsResult<Vec<VisitRow>> {
    let g = df
        .clone()
        .lazy()
        .filter(dated_between("date", fy.start(), as_of))
        .with_columns([
            col("region").fill_null(lit(super::UNRECORDED)).alias("r"),
            col("date").dt().month().cast(DataType::Int32).alias("m"),
        ])
        .group_by([col("r"), col("m")])
        .agg([len().cast(DataType::Int64).alias("n")])
        .collect()?;
    let (r, m, n) = (g.column("r")?.str()?.clone(), g.column("m")?.i32()?.clone(), g.column("n")?.i64()?.clone());
    let mut names: Vec<String> = regions.iter().map(|s| s.to_string()).collect();
    let mut table: BTreeMap<String, Vec<i64>> = names.iter().map(|k| (k.clone(), vec![0; 12])).collect();
    for i in 0..g.height() {
        let region = r.get(i).unwrap_or(super::UNRECORDED).to_string();
        let month = m.get(i).unwrap_or(4);
        let idx = ((month + 12 - 4) % 12) as usize;
        if !table.contains_key(&region) {
            names.push(region.clone());
        }
        table.entry(region).or_insert_with(|| vec![0; 12])[idx] += n.get(i).unwrap_or(0);
    }
    Ok(names
        .into_iter()
        .map(|region| {
            let months = table.remove(&region).unwrap_or_else(|| vec![0; 12]);
            VisitRow { total: months.iter().sum(), region, months }
        })
        .collect())
}

/// Dated events of the year: competitions (the plan's event days), council
/// meetings and training sessions (held ones from the records, planned due
/// dates not yet met as planned).
pub fn timeline(
    plan: &Plan,
    data: &BTreeMap<DatasetId, DataFrame>,
    as_of: NaiveDate,
) -> PolarsResult<Vec<TimelineEvent>> {
    let fy = plan.fiscal_year;
    let mut out = Vec::new();
    for (prefix, name) in [
        ("worldskills.", "技能五輪全国大会"),
        ("youth_games.", "若年者ものづくり競技大会"),
        ("qualifier.", "技能五輪県予選（実施期限）"),
    ] {
        if let Some(Schedule::Event(d)) = plan.kpis.iter().find(|k| k.id.starts_with(prefix)).map(|k| &k.schedule) {
            out.push(TimelineEvent { date: *d, label: name.to_string(), kind: "competition", planned: *d > as_of });
        }
    }
    for (dataset, kpi_id, kind, label_col, fallback) in [
        (DatasetId::Meetings, "council.meetings", "council", "round", "連携会議"),
        (DatasetId::Trainings, "training.sessions", "training", "term", "指導技法等講習会"),
    ] {
        let mut held = Vec::new();
        if let Some(df) = data.get(&dataset) {
            let rows = df.clone().lazy().filter(dated_between("date", fy.start(), as_of)).collect()?;
            let labels = rows.column(label_col)?.str()?.clone();
            for i in 0..rows.height() {
                if let Some(d) = date_at(rows.column("date")?, i)? {
                    let what = labels.get(i).unwrap_or_default();
                    let label = if kind == "council" {
                        format!("連携会議 {what}")
                    } else {
                        format!("{fallback}（{what}）")
                    };
                    held.push(d);
                    out.push(TimelineEvent { date: d, label, kind, planned: false });
                }
            }
        }
        if let Some(Schedule::Due(dates)) = plan.kpi(kpi_id).map(|k| &k.schedule) {
            for (i, due) in dates.iter().enumerate() {
                if held.len() <= i {
                    out.push(TimelineEvent {
                        date: *due,
                        label: format!("{fallback}（予定期限）"),
                        kind,
                        planned: true,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.label.cmp(&b.label)));
    Ok(out)
}
