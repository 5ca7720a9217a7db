//! KPI: plan × typed datasets × as-of date → the figures the reports show.
//!
//! Pure: DataFrames in, figures out. Each KPI family has its own small
//! function over polars expressions; `pace` turns an actual into expected,
//! achievement, forecast and status as outputs.md defines them.

pub mod center;
pub mod count;
pub mod dispatch;
pub mod findings;
pub mod frame;
pub mod monthly;
pub mod pace;
pub mod previous;
pub mod programme;
pub mod revisions;
pub mod verdict;

use crate::fiscal::FiscalYear;
use chrono::NaiveDate;
use serde::Serialize;

/// Status of a KPI at the as-of date (outputs.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Achieved,
    OnTrack,
    AtRisk,
    Behind,
    /// An "at least" KPI whose last due date has passed without the target
    /// met (未達): never やや遅れ or 遅れ once it can no longer be caught up.
    Missed,
    Ok,
    Breach,
    Info,
    NotPlanned,
    NoData,
}

impl Status {
    /// The Japanese word shown in reports.
    pub fn label_ja(self) -> &'static str {
        match self {
            Status::Achieved => "達成",
            Status::OnTrack => "順調",
            Status::AtRisk => "やや遅れ",
            Status::Behind => "遅れ",
            Status::Missed => "未達",
            Status::Ok => "上限内",
            Status::Breach => "発生",
            Status::Info => "参考",
            Status::NotPlanned => "計画外",
            Status::NoData => "データなし",
        }
    }

    /// The id used in kpis.json (`on_track`, …).
    pub fn key(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::Behind => "behind",
            Status::Missed => "missed",
            Status::Ok => "ok",
            Status::Breach => "breach",
            Status::Info => "info",
            Status::NotPlanned => "not_planned",
            Status::NoData => "no_data",
        }
    }

    /// Every status, for readers of kpis.json.
    pub const ALL: [Status; 10] = [
        Status::Achieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::Behind,
        Status::Missed,
        Status::Ok,
        Status::Breach,
        Status::Info,
        Status::NotPlanned,
        Status::NoData,
    ];

    /// The status of a kpis.json id (`None` for an id this version does not know).
    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One KPI at the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct KpiFigure {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// Seed section (e.g. `4(2)ア`).
    pub section: String,
    pub target: Option<f64>,
    /// `None` when the record type has no sheet in the folder.
    pub actual: Option<f64>,
    pub expected_to_date: Option<f64>,
    pub achievement: Option<f64>,
    pub forecast: Option<f64>,
    /// The status, its word and tone (decided once, in [`verdict`]).
    pub verdict: verdict::Verdict,
    /// 前年同期: the same period of the previous fiscal year; `None` when the
    /// folder has no record of that year for the KPI's record type (or the
    /// KPI has no date).
    pub previous_year_to_date: Option<f64>,
}

impl KpiFigure {
    /// A plan target with its actual and the pace rules applied at `as_of`.
    pub fn at(k: &crate::plan::KpiPlan, fy: FiscalYear, as_of: NaiveDate, actual: Option<f64>) -> KpiFigure {
        let p = pace::pace(k, fy, as_of, actual);
        KpiFigure {
            id: k.id.clone(),
            label: k.label.clone(),
            unit: k.unit.clone(),
            section: k.section.clone(),
            target: k.target,
            actual,
            expected_to_date: p.expected_to_date,
            achievement: p.achievement,
            forecast: p.forecast,
            verdict: verdict::Verdict::of(p.status, k.target, &k.unit),
            previous_year_to_date: None,
        }
    }
}

/// One fiscal month of a headline KPI.
#[derive(Debug, Clone, Serialize)]
pub struct MonthPoint {
    pub year: i32,
    pub month: u32,
    /// Counted in this month; `None` for months after the as-of date.
    pub actual: Option<f64>,
    /// Cumulative actual to the month's end (or the as-of date); `None` after.
    pub cumulative_actual: Option<f64>,
    /// Cumulative plan (expected to date) at the month's end.
    pub cumulative_plan: Option<f64>,
}

/// Month by month (April..March) figures of one headline KPI.
#[derive(Debug, Clone, Serialize)]
pub struct MonthlySeries {
    pub kpi_id: String,
    pub label: String,
    pub unit: String,
    pub target: Option<f64>,
    /// Always twelve points, April first.
    pub months: Vec<MonthPoint>,
    /// The previous fiscal year's cumulative figure at each month's end
    /// (twelve, April first); empty when the folder has no record of that year.
    pub previous: Vec<Option<f64>>,
}

/// A row of a breakdown table (dispatch mix, by trade, by region).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownRow {
    /// The category value (派遣先区分, 職種, 地区; `未記入` when blank).
    pub key: String,
    /// ものづくりマイスター sessions and trainees.
    pub meister_sessions: i64,
    pub meister_trainees: i64,
    /// 熟練技能者等 sessions and trainees.
    pub skilled_sessions: i64,
    pub skilled_trainees: i64,
}

/// A row dated after the as-of date: listed, not counted.
#[derive(Debug, Clone, Serialize)]
pub struct LaterRow {
    pub dataset: crate::schema::DatasetId,
    pub file: String,
    pub sheet: String,
    /// 1-based row number.
    pub row: u32,
    pub date: NaiveDate,
}

/// Everything the reports show, computed for one as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub fiscal_year: FiscalYear,
    pub as_of: NaiveDate,
    pub elapsed_fraction: f64,
    /// Every KPI of the plan, in plan order.
    pub kpis: Vec<KpiFigure>,
    /// `dispatch.sessions`, `dispatch.person_days`, `outreach.school.sessions`.
    pub monthly: Vec<MonthlySeries>,
    /// Dispatches (fiscal year to date) by 派遣先区分, in canonical order.
    pub dispatch_mix: Vec<BreakdownRow>,
    /// Dispatches by 職種, most sessions first.
    pub by_trade: Vec<BreakdownRow>,
    /// Dispatches by 地区 (東部, 西部, 未記入).
    pub by_region: Vec<BreakdownRow>,
    /// Rows of the folder dated after the as-of date.
    pub after_as_of: Vec<LaterRow>,
    /// Accepted rows dated before the fiscal year (history only).
    pub before_fiscal_year: usize,
    /// Every dated KPI month by month up to the as-of date (kpis.json `monthly`).
    #[serde(skip)]
    pub by_month: monthly::Monthly,
    /// The rows behind `by_month`, for a later run's revisions.
    #[serde(skip)]
    pub ledger: Vec<monthly::LedgerRow>,
    /// Months changed since the previous report set (filled in by the run,
    /// which reads that set).
    #[serde(skip)]
    pub revisions: revisions::Revisions,
    /// Rule findings with at least one record.
    pub findings: Vec<findings::Finding>,
    /// Meister activity by number (registry and dispatch numbers).
    pub meister_activity: Vec<center::MeisterActivity>,
    /// Competition entries by event, trade and organisation type.
    pub competition_entries: Vec<center::EntryRow>,
    /// Coordinator visits by region and month.
    pub visits_by_region: Vec<center::VisitRow>,
    /// Dated events of the fiscal year.
    pub timeline: Vec<center::TimelineEvent>,
}

/// Shown for a blank category in breakdowns.
pub const UNRECORDED: &str = "未記入";

use crate::mapping::Mapping;
use crate::normalise::{COL_FILE, COL_ROW, COL_SHEET};
use crate::plan::Plan;
use crate::schema::DatasetId;
use polars::prelude::*;
use std::collections::BTreeMap;

/// The headline KPIs shown month by month, with a chart each.
const HEADLINE_SERIES: [&str; 3] = ["dispatch.sessions", "dispatch.person_days", "outreach.school.sessions"];

/// Computes every KPI of the plan, the monthly series and the breakdowns at
/// `as_of`.
pub fn compute(
    plan: &Plan,
    mapping: &Mapping,
    data: &BTreeMap<DatasetId, DataFrame>,
    as_of: NaiveDate,
) -> PolarsResult<Figures> {
    let fy = plan.fiscal_year;
    let from = fy.start();
    let until = as_of.min(fy.end());

    let (actuals, _, last_activity) = actuals_at(plan, data, until)?;
    let last_year = previous::previous_year(plan, data, until)?;
    let kpis = plan
        .kpis
        .iter()
        .map(|k| {
            let mut f = KpiFigure::at(k, fy, as_of, actuals.get(k.id.as_str()).copied());
            f.previous_year_to_date = last_year.to_date.get(k.id.as_str()).copied();
            f
        })
        .collect();

    let by_month = monthly::monthly(plan, data, until)?;
    let mut monthly = Vec::new();
    for id in HEADLINE_SERIES {
        let Some(k) = plan.kpi(id) else { continue };
        let mut s = monthly_series(k, fy, &by_month);
        if let Some(p) = last_year.months.kpis.get(id) {
            let mut cum = 0.0;
            s.previous = p
                .values
                .iter()
                .map(|v| {
                    cum += v;
                    Some(cum)
                })
                .collect();
        }
        monthly.push(s);
    }

    let (mut dispatch_mix, mut by_trade, mut by_region) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(df) = data.get(&DatasetId::Dispatches) {
        let order = mapping.dataset(DatasetId::Dispatches).values("dest_type");
        dispatch_mix = sorted_by(dispatch::breakdown(df, from, until, "dest_type")?, &order);
        by_trade = dispatch::breakdown(df, from, until, "trade")?;
        by_trade.sort_by(|a, b| {
            (b.meister_sessions + b.skilled_sessions)
                .cmp(&(a.meister_sessions + a.skilled_sessions))
                .then_with(|| a.key.cmp(&b.key))
        });
        let regions = mapping.dataset(DatasetId::Dispatches).values("region");
        by_region = sorted_by(dispatch::breakdown(df, from, until, "region")?, &regions);
    }

    Ok(Figures {
        fiscal_year: fy,
        as_of,
        elapsed_fraction: fy.elapsed_fraction(as_of),
        kpis,
        monthly,
        dispatch_mix,
        by_trade,
        by_region,
        after_as_of: after_as_of(data, as_of)?,
        before_fiscal_year: monthly::before_fiscal_year(data, fy)?,
        ledger: monthly::ledger(data, fy, until)?,
        revisions: revisions::Revisions::default(),
        by_month,
        findings: findings::findings(plan, data, from, until, last_activity.as_ref())?,
        meister_activity: center::meister_activity(data, last_activity.as_ref(), from, until)?,
        competition_entries: match data.get(&DatasetId::Competitions) {
            Some(df) => center::competition_entries(df, fy)?,
            None => Vec::new(),
        },
        visits_by_region: match data.get(&DatasetId::Visits) {
            Some(df) => center::visits_by_region(df, fy, until, &mapping.dataset(DatasetId::Visits).values("region"))?,
            None => Vec::new(),
        },
        timeline: center::timeline(plan, data, as_of)?,
    })
}

/// Every actual of the plan's fiscal year up to `until`, by KPI id; the ids
/// of the dated ones; and the meisters' last activity (when there is a registry).
type Actuals = (BTreeMap<&'static str, f64>, Vec<&'static str>, Option<DataFrame>);

fn actuals_at(plan: &Plan, data: &BTreeMap<DatasetId, DataFrame>, until: NaiveDate) -> PolarsResult<Actuals> {
    let fy = plan.fiscal_year;
    let ctx = ctx(plan, fy.start(), until);
    let counted = count::count(crate::catalogue::all(), data, &ctx)?;
    let dated_ids = counted
        .iter()
        .filter(|(id, _, _)| crate::catalogue::def(id).is_some_and(|k| k.period.monthly()))
        .map(|(id, _, _)| *id)
        .collect();
    let actuals = counted.into_iter().map(|(id, _, v)| (id, v)).collect();
    Ok((actuals, dated_ids, count::last_activity(data, until)?))
}

/// The context of the catalogue's rules for a period of the plan's year.
pub fn ctx(plan: &Plan, from: NaiveDate, until: NaiveDate) -> crate::catalogue::Ctx {
    crate::catalogue::Ctx {
        from,
        until,
        fiscal_year: plan.fiscal_year.year(),
        incident_report_limit_days: plan.settings.incident_report_limit_days,
    }
}

/// What a national roll-up takes of a corner: every KPI of the plan at
/// `as_of` exactly as [`compute`] counts it (without 前年同期), and whether
/// a dated KPI of the plan counted anything in the as-of month (the last
/// month of [`monthly::monthly`]: its cumulative figure at `as_of` minus the
/// one at the end of the month before). Two counts of the year instead of
/// the two dozen the monthly series, last year and the breakdowns take.
pub fn rollup_figures(
    plan: &Plan,
    data: &BTreeMap<DatasetId, DataFrame>,
    as_of: NaiveDate,
) -> PolarsResult<(Vec<KpiFigure>, bool)> {
    use chrono::Datelike;
    let fy = plan.fiscal_year;
    let until = as_of.min(fy.end());
    let (actuals, dated, _) = actuals_at(plan, data, until)?;
    let kpis = plan.kpis.iter().map(|k| KpiFigure::at(k, fy, as_of, actuals.get(k.id.as_str()).copied())).collect();
    let month_start = until.with_day(1).unwrap_or(until);
    let before: BTreeMap<&'static str, f64> = match month_start.pred_opt() {
        Some(last_day) if month_start > fy.start() => {
            monthly::dated_actuals(plan, data, fy.start(), last_day)?.into_iter().map(|(id, _, v)| (id, v)).collect()
        }
        _ => BTreeMap::new(),
    };
    let counted_this_month = dated
        .into_iter()
        .filter(|id| plan.kpi(id).is_some())
        .any(|id| actuals.get(id).copied().unwrap_or(0.0) - before.get(id).copied().unwrap_or(0.0) != 0.0);
    Ok((kpis, counted_this_month))
}

/// Rows in the canonical order of `order` (every canonical value present,
/// with zeros), then any other key, then 未記入.
fn sorted_by(rows: Vec<BreakdownRow>, order: &[&str]) -> Vec<BreakdownRow> {
    let mut out: Vec<BreakdownRow> = order
        .iter()
        .map(|k| {
            rows.iter().find(|r| r.key == *k).cloned().unwrap_or(BreakdownRow {
                key: (*k).to_string(),
                meister_sessions: 0,
                meister_trainees: 0,
                skilled_sessions: 0,
                skilled_trainees: 0,
            })
        })
        .collect();
    let mut rest: Vec<BreakdownRow> = rows.into_iter().filter(|r| !order.contains(&r.key.as_str())).collect();
    rest.sort_by(|a, b| (a.key == UNRECORDED).cmp(&(b.key == UNRECORDED)).then_with(|| a.key.cmp(&b.key)));
    out.extend(rest);
    out
}

/// Month by month figures of one headline KPI: what each fiscal month adds,
/// the cumulative actual to the as-of date and the cumulative plan. A KPI
/// whose record type has no sheet has no actual in any month.
fn monthly_series(k: &crate::plan::KpiPlan, fy: FiscalYear, by_month: &monthly::Monthly) -> MonthlySeries {
    let mut months = Vec::with_capacity(12);
    let mut cumulative = 0.0;
    for (y, m) in fy.months() {
        let last = crate::fiscal::month_end(y, m).expect("valid month");
        let cumulative_plan = pace::expected_by(k, fy, last);
        let actual = by_month.get(&k.id, (y, m));
        if let Some(v) = actual {
            cumulative += v;
        }
        months.push(MonthPoint {
            year: y,
            month: m,
            actual,
            cumulative_actual: actual.map(|_| cumulative),
            cumulative_plan,
        });
    }
    MonthlySeries {
        kpi_id: k.id.clone(),
        label: k.label.clone(),
        unit: k.unit.clone(),
        target: k.target,
        months,
        previous: Vec::new(),
    }
}

/// Rows dated after the as-of date in every dated record type.
fn after_as_of(data: &BTreeMap<DatasetId, DataFrame>, as_of: NaiveDate) -> PolarsResult<Vec<LaterRow>> {
    let mut out = Vec::new();
    for (id, df) in data {
        if df.column("date").is_err() {
            continue;
        }
        let later = df
            .clone()
            .lazy()
            .filter(col("date").gt(lit(as_of)).and(col(crate::normalise::COL_DAY).eq(lit(0u32))))
            .select([col(COL_FILE), col(COL_SHEET), col(COL_ROW), col("date").cast(DataType::Int32)])
            .collect()?;
        let (files, sheets, rows, dates) = (
            later.column(COL_FILE)?.str()?.clone(),
            later.column(COL_SHEET)?.str()?.clone(),
            later.column(COL_ROW)?.u32()?.clone(),
            later.column("date")?.i32()?.clone(),
        );
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
        for i in 0..later.height() {
            out.push(LaterRow {
                dataset: *id,
                file: files.get(i).unwrap_or_default().to_string(),
                sheet: sheets.get(i).unwrap_or_default().to_string(),
                row: rows.get(i).unwrap_or(0),
                date: epoch + chrono::Duration::days(i64::from(dates.get(i).unwrap_or(0))),
            });
        }
    }
    Ok(out)
}
