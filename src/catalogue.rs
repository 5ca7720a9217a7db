//! The KPI catalogue: one table defines every KPI the tool can count — its
//! stable id, the record type whose rows make it (where revisions look for
//! the rows behind a changed month), its unit, what it counts, whether it
//! has monthly figures, and its counting rule. The plan's known ids, the
//! KPI stage (year-to-date, monthly figures, 前年同期, the roll-up), the
//! revisions and the docs all read this table; nothing else lists KPIs.
//!
//! Adding a KPI: one [`KpiDef`] entry here, with its counting rule — most
//! are one polars expression over the record type's rows of the period
//! ([`Count::Expr`]); the two that join record types are [`Count::Join`],
//! computed in `kpi`. Then give it a target in a plan (the embedded plan
//! for the default). Nothing else changes.

use crate::schema::DatasetId;
use chrono::NaiveDate;
use polars::prelude::*;

/// What a counting rule may look at besides the rows.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The period counted: the fiscal year's first day to the cut-off date.
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// The fiscal year (competition entries carry no date: theirs, or none).
    pub fiscal_year: i32,
    /// Days after 発生日 within which an incident must be reported (the plan's setting).
    pub incident_report_limit_days: i64,
}

/// Which rows of the record type a KPI counts, and so whether it has
/// monthly figures (what each month adds to the year to date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Rows whose date lies in the period: monthly figures, 前年同期, revisions.
    Dated,
    /// The registry: every row, the rule itself looks at its dates (認定日,
    /// 登録解除日): monthly figures too.
    Registry,
    /// Competition entries of the fiscal year (or without a year): no date of
    /// their own, so no monthly figure.
    Entries,
    /// A state at the cut-off date (inactive meisters): no monthly figure.
    Snapshot,
}

impl Period {
    /// Whether the KPI has a figure for each month.
    pub fn monthly(self) -> bool {
        matches!(self, Period::Dated | Period::Registry)
    }
}

/// How a KPI is counted.
#[derive(Clone, Copy)]
pub enum Count {
    /// One value over the record type's rows of the period (a count, a sum, a
    /// number of distinct values). All the rules of one record type run in
    /// one query.
    Expr(fn(&Ctx) -> Expr),
    /// A rule that joins record types, computed by the KPI stage.
    Join(Join),
}

impl std::fmt::Debug for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Count::Expr(_) => f.write_str("Expr"),
            Count::Join(j) => write!(f, "Join({j:?})"),
        }
    }
}

/// The rules that join record types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Meister sessions led by a meister whose 講習受講日 is blank or later
    /// (dispatches × registry).
    UntrainedDispatches,
    /// Registered meisters with no activity in three years (registry ×
    /// dispatches × outreach).
    InactiveMeisters,
}

/// One KPI.
#[derive(Debug, Clone, Copy)]
pub struct KpiDef {
    /// Stable id (plan files, kpis.json, tests).
    pub id: &'static str,
    /// The record type whose rows make it: where a revision finds the rows
    /// behind a changed month.
    pub dataset: DatasetId,
    /// The unit of the embedded plan.
    pub unit: &'static str,
    /// What it counts, in a few words.
    pub counts: &'static str,
    pub period: Period,
    pub count: Count,
}

pub const MEISTER: &str = "ものづくりマイスター";
pub const SKILLED: &str = "熟練技能者";
pub const SCHOOL: &str = "小中学校等";
pub const SAPOSTE: &str = "サポステ";
pub const WORLDSKILLS: &str = "技能五輪全国大会";
pub const YOUTH_GAMES: &str = "若年者ものづくり競技大会";
pub const QUALIFIER: &str = "技能五輪予選";
pub const COMPETITOR: &str = "選手";
pub const INSTRUCTOR: &str = "指導者";

/// Count of rows where `pred` holds.
pub fn count_if(pred: Expr) -> Expr {
    pred.cast(DataType::UInt32).sum()
}

/// `col(name)` equals one of `values`.
pub fn is_one_of(name: &str, values: &[&str]) -> Expr {
    values.iter().map(|v| col(name).eq(lit(*v))).reduce(|a, b| a.or(b)).unwrap_or(lit(false))
}

/// Rows whose `date_col` lies in `from ..= to`.
pub fn dated_between(date_col: &str, from: NaiveDate, to: NaiveDate) -> Expr {
    col(date_col).is_not_null().and(col(date_col).gt_eq(lit(from))).and(col(date_col).lt_eq(lit(to)))
}

fn meister() -> Expr {
    col("instructor_type").eq(lit(MEISTER))
}
fn skilled() -> Expr {
    col("instructor_type").eq(lit(SKILLED))
}
fn kind(k: &str) -> Expr {
    col("kind").eq(lit(k.to_string()))
}
/// Participants × the event's days (日数; blank = 1): person-days.
fn person_days() -> Expr {
    col("participants") * col("days").fill_null(lit(1i64))
}
fn entries(event: &str, role: Option<&str>) -> Expr {
    let is_event = col("event").eq(lit(event.to_string()));
    let active = col("withdrawn").fill_null(lit(false)).not();
    match role {
        Some(r) => count_if(is_event.and(active).and(col("role").eq(lit(r.to_string())))),
        None => lit(0),
    }
}
fn distinct(event: &str, column: &str) -> Expr {
    let keep = col("event").eq(lit(event.to_string())).and(col("withdrawn").fill_null(lit(false)).not());
    col(column).filter(keep).drop_nulls().n_unique()
}
/// An incident is late when 報告日 is blank or after 発生日 + the limit.
pub fn late_report(limit_days: i64) -> Expr {
    let days = (col("reported_on").cast(DataType::Int32) - col("date").cast(DataType::Int32)).cast(DataType::Int64);
    col("reported_on").is_null().or(days.gt(lit(limit_days)))
}

const fn kpi(
    id: &'static str,
    dataset: DatasetId,
    unit: &'static str,
    counts: &'static str,
    period: Period,
    rule: fn(&Ctx) -> Expr,
) -> KpiDef {
    KpiDef { id, dataset, unit, counts, period, count: Count::Expr(rule) }
}

use DatasetId::*;
use Period::*;

/// Every KPI, in the order of the embedded plan.
static STANDARD: &[KpiDef] = &[
    kpi(
        "dispatch.sessions",
        Dispatches,
        "回",
        "ものづくりマイスターの派遣（指導1日が1回）",
        Dated,
        |_| count_if(meister()),
    ),
    kpi("dispatch.person_days", Dispatches, "人日", "その派遣の受講者数の合計", Dated, |_| {
        col("trainees").filter(meister()).sum()
    }),
    kpi(
        "dispatch.sme_groups.sessions",
        Dispatches,
        "回",
        "うち中小企業・業界団体への派遣",
        Dated,
        |_| count_if(meister().and(is_one_of("dest_type", &["中小企業", "業界団体"]))),
    ),
    kpi("dispatch.schools.sessions", Dispatches, "回", "うち工業高校等への派遣", Dated, |_| {
        count_if(meister().and(col("dest_type").eq(lit("工業高校等"))))
    }),
    kpi("dispatch.public.sessions", Dispatches, "回", "うち公共施設等での派遣", Dated, |_| {
        count_if(meister().and(col("dest_type").eq(lit("公共施設等"))))
    }),
    kpi("skilled.sessions", Dispatches, "回", "熟練技能者等の派遣", Dated, |_| count_if(skilled())),
    kpi("skilled.trainees", Dispatches, "人", "その派遣の受講者数の合計", Dated, |_| {
        col("trainees").filter(skilled()).sum()
    }),
    kpi("outreach.school.sessions", Outreach, "回", "小中学校等での魅力講座", Dated, |_| {
        count_if(kind(SCHOOL))
    }),
    kpi("outreach.school.person_days", Outreach, "人日", "その参加者数×日数の合計", Dated, |_| {
        person_days().filter(kind(SCHOOL)).sum()
    }),
    kpi("outreach.saposte.places", Outreach, "か所", "サポステの異なる実施先", Dated, |_| {
        col("place").filter(kind(SAPOSTE)).drop_nulls().n_unique()
    }),
    kpi("meister.new_certified", Meisters, "名", "認定日が年度内の登録", Registry, |c| {
        count_if(dated_between("certified_on", c.from, c.until))
    }),
    kpi("training.sessions", Trainings, "回", "指導技法等講習会（前期・後期・再講習）", Dated, |_| len()),
    kpi("coordinator.visits", Visits, "件", "コーディネーターの開拓訪問", Dated, |_| len()),
    kpi("worldskills.competitors", Competitions, "人", "技能五輪全国大会の選手", Entries, |_| {
        entries(WORLDSKILLS, Some(COMPETITOR))
    }),
    kpi("worldskills.instructors", Competitions, "人", "技能五輪全国大会の指導者", Entries, |_| {
        entries(WORLDSKILLS, Some(INSTRUCTOR))
    }),
    kpi("worldskills.trades", Competitions, "職種", "技能五輪全国大会の異なる職種", Entries, |_| {
        distinct(WORLDSKILLS, "trade")
    }),
    kpi("worldskills.orgs", Competitions, "社・校", "技能五輪全国大会の異なる所属", Entries, |_| {
        distinct(WORLDSKILLS, "org")
    }),
    kpi(
        "youth_games.competitors",
        Competitions,
        "人",
        "若年者ものづくり競技大会の選手",
        Entries,
        |_| entries(YOUTH_GAMES, Some(COMPETITOR)),
    ),
    kpi(
        "youth_games.instructors",
        Competitions,
        "人",
        "若年者ものづくり競技大会の指導者",
        Entries,
        |_| entries(YOUTH_GAMES, Some(INSTRUCTOR)),
    ),
    kpi(
        "youth_games.trades",
        Competitions,
        "職種",
        "若年者ものづくり競技大会の異なる職種",
        Entries,
        |_| distinct(YOUTH_GAMES, "trade"),
    ),
    kpi(
        "youth_games.orgs",
        Competitions,
        "校",
        "若年者ものづくり競技大会の異なる所属",
        Entries,
        |_| distinct(YOUTH_GAMES, "org"),
    ),
    kpi(
        "qualifier.trades",
        Competitions,
        "職種",
        "技能五輪予選で実施した異なる職種",
        Entries,
        |_| distinct(QUALIFIER, "trade"),
    ),
    kpi("council.meetings", Meetings, "回", "連携会議の開催", Dated, |_| len()),
    kpi("privacy.incidents", Incidents, "件", "個人情報インシデント", Dated, |_| len()),
    kpi("privacy.late_reports", Incidents, "件", "委託者への報告が遅れたインシデント", Dated, |c| {
        count_if(late_report(c.incident_report_limit_days))
    }),
    KpiDef {
        id: "meister.inactive_3y",
        dataset: Meisters,
        unit: "名",
        counts: "3年間活動のない登録マイスター",
        period: Snapshot,
        count: Count::Join(Join::InactiveMeisters),
    },
    kpi("meister.deregistered", Meisters, "名", "登録解除日が年度内の登録", Registry, |c| {
        count_if(dated_between("deregistered_on", c.from, c.until))
    }),
    KpiDef {
        id: "meister.untrained_dispatches",
        dataset: Dispatches,
        unit: "回",
        counts: "講習受講前のマイスターによる派遣",
        period: Dated,
        count: Count::Join(Join::UntrainedDispatches),
    },
    kpi("competition.withdrawals", Competitions, "人", "辞退した参加者", Entries, |_| {
        count_if(col("withdrawn").fill_null(lit(false)))
    }),
];

/// A KPI the unit tests add to the catalogue, and nothing else: sessions
/// of more than two hours. It shows that an entry is all a new KPI needs.
#[cfg(test)]
static ADDED_IN_TESTS: &[KpiDef] =
    &[kpi("dispatch.long.sessions", Dispatches, "回", "2時間を超える派遣", Dated, |_| {
        count_if(meister().and(col("hours").gt(lit(2.0))))
    })];
#[cfg(not(test))]
static ADDED_IN_TESTS: &[KpiDef] = &[];

/// Every KPI of the catalogue, in its order.
pub fn all() -> impl Iterator<Item = &'static KpiDef> {
    STANDARD.iter().chain(ADDED_IN_TESTS)
}

/// The KPI of an id.
pub fn def(id: &str) -> Option<&'static KpiDef> {
    all().find(|k| k.id == id)
}

/// Every id, in catalogue order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    all().map(|k| k.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_unique_and_every_record_type_counted_is_dated_as_its_period_says() {
        let mut ids: Vec<&str> = ids().collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all().count(), "an id twice");
        for k in all() {
            let dated = k.dataset.schema().date_field.is_some();
            match k.period {
                Period::Dated => assert!(dated, "{}: a dated KPI of an undated record type", k.id),
                Period::Registry | Period::Snapshot => assert_eq!(k.dataset, Meisters, "{}", k.id),
                Period::Entries => assert_eq!(k.dataset, Competitions, "{}", k.id),
            }
        }
    }
}
