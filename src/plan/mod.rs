//! The plan: the corner's yearly targets, one per stable KPI id, with the
//! schedule that says how much of each target is due by a given day, and the
//! plan's qualitative commitments (`[[item]]`: work the seed commits the
//! corner to without a count, with a status and a note the staff update).
//!
//! `Plan::parse` is pure (text in, validated plan out); `Plan::from_file`
//! adds the file. The embedded FY2023 Yamaguchi plan is the same text,
//! included at compile time and printable with `corner-kpi plan`.

use crate::fiscal::FiscalYear;
use anyhow::Context;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The embedded plan text (FY2023, Yamaguchi).
pub mod roll;

pub const DEFAULT_PLAN_TOML: &str = include_str!("../defaults/plan-fy2023-yamaguchi.toml");

/// Every KPI id the software knows how to compute (domain.md).
/// Every KPI id a plan may give a target (the catalogue's).
pub fn known_kpi_ids() -> Vec<&'static str> {
    crate::catalogue::ids().collect()
}

/// Whether more is better, less is better, or the figure is only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    AtLeast,
    AtMost,
    Info,
}

/// How a target is spread over the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// Due in proportion to the elapsed share of the year.
    Linear,
    /// Equal shares due on each date.
    Due(Vec<NaiveDate>),
    /// The whole target due on the event day.
    Event(NaiveDate),
    /// Not paced (at-most and informational KPIs).
    None,
}

/// One target of the plan.
#[derive(Debug, Clone)]
pub struct KpiPlan {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub section: String,
    pub direction: Direction,
    /// `None` for informational and not-planned KPIs.
    pub target: Option<f64>,
    /// `false` for a figure counted without a target (公共施設等).
    pub planned: bool,
    pub schedule: Schedule,
}

/// Corner-wide settings the rules use.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSettings {
    pub qualifier_fee_yen: Option<i64>,
    pub incident_report_limit_days: i64,
    pub requester_cap_companies: i64,
    pub requester_cap_schools: i64,
    pub qualifier_required_trades: Vec<String>,
}

/// How far a qualitative commitment of the plan has got, as the staff
/// record it in the plan file (a small fixed set, written in Japanese there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    /// 未着手: not begun.
    NotStarted,
    /// 実施中: under way.
    InProgress,
    /// 実施済: done.
    Done,
    /// 該当なし: nothing to do this year (e.g. no request came).
    NotApplicable,
}

impl ItemStatus {
    /// Every status, in the order the plan file's comment lists them.
    pub const ALL: [ItemStatus; 4] =
        [ItemStatus::NotStarted, ItemStatus::InProgress, ItemStatus::Done, ItemStatus::NotApplicable];

    /// The word written in the plan file and shown in the reports.
    pub fn label_ja(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "未着手",
            ItemStatus::InProgress => "実施中",
            ItemStatus::Done => "実施済",
            ItemStatus::NotApplicable => "該当なし",
        }
    }

    /// The status a plan-file word names (exact match after trimming).
    pub fn from_label(s: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|st| st.label_ja() == s.trim())
    }
}

/// A commitment of the plan that has no count (seed 2(2), 2(3), 3(4)エ, …):
/// what the corner said it would do, and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    /// Seed section, e.g. `2(2)` (groups the item with the KPIs of its section).
    pub section: String,
    /// What the plan commits to (Japanese, from the plan).
    pub text: String,
    /// `None` when the staff have not recorded one.
    pub status: Option<ItemStatus>,
    /// Free text the staff update monthly (`None` when blank).
    pub note: Option<String>,
}

/// A validated plan.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    pub corner: String,
    pub fiscal_year: FiscalYear,
    pub settings: PlanSettings,
    pub kpis: Vec<KpiPlan>,
    /// Qualitative commitments, in plan-file order.
    pub items: Vec<PlanItem>,
}

// ---- file format -----------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    plan: PlanHeader,
    #[serde(default)]
    kpi: Vec<KpiEntry>,
    #[serde(default)]
    item: Vec<ItemEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemEntry {
    section: toml::Spanned<String>,
    text: toml::Spanned<String>,
    status: Option<toml::Spanned<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanHeader {
    name: String,
    corner: String,
    fiscal_year: i32,
    qualifier_fee_yen: Option<i64>,
    #[serde(default = "one")]
    incident_report_limit_days: i64,
    #[serde(default = "twenty")]
    requester_cap_companies: i64,
    #[serde(default = "ten")]
    requester_cap_schools: i64,
    #[serde(default)]
    qualifier_required_trades: Vec<String>,
}

fn one() -> i64 {
    1
}
fn twenty() -> i64 {
    20
}
fn ten() -> i64 {
    10
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KpiEntry {
    id: String,
    label: String,
    unit: String,
    #[serde(default)]
    section: String,
    direction: Direction,
    target: Option<f64>,
    #[serde(default = "yes")]
    planned: bool,
    schedule: Option<ScheduleEntry>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ScheduleEntry {
    Name(String),
    Due { due: Vec<String> },
    Event { event: String },
}

/// A plan that could not be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("plan {source_name}: {message}")]
pub struct PlanError {
    pub source_name: String,
    pub message: String,
}

impl Plan {
    /// The embedded FY2023 Yamaguchi plan.
    pub fn embedded() -> Plan {
        Plan::parse(DEFAULT_PLAN_TOML, "(embedded)").expect("the embedded plan is valid")
    }

    /// Reads and validates a plan file.
    pub fn from_file(path: &Path) -> anyhow::Result<Plan> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read plan file {}", path.display()))?;
        Ok(Plan::parse(&text, &path.display().to_string())?)
    }

    /// Parses and validates plan text; `source_name` names it in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<Plan, PlanError> {
        let err = |message: String| PlanError { source_name: source_name.to_string(), message };
        let file: PlanFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or_default();
            err(format!("{line}{}", e.message()))
        })?;
        let fy = FiscalYear::new(file.plan.fiscal_year)
            .ok_or_else(|| err(format!("fiscal_year {} is not a plausible year", file.plan.fiscal_year)))?;
        let line_of = |id: &str| -> String {
            let needle = format!("\"{id}\"");
            text.lines().position(|l| l.contains(&needle)).map(|i| format!("line {}: ", i + 1)).unwrap_or_default()
        };
        let mut kpis = Vec::with_capacity(file.kpi.len());
        for entry in file.kpi {
            let at = line_of(&entry.id);
            if crate::catalogue::def(&entry.id).is_none() {
                return Err(err(format!(
                    "{at}unknown KPI id \"{}\" (known ids: {})",
                    entry.id,
                    known_kpi_ids().join(", ")
                )));
            }
            if kpis.iter().any(|k: &KpiPlan| k.id == entry.id) {
                return Err(err(format!("{at}KPI id \"{}\" appears twice", entry.id)));
            }
            if let Some(t) = entry.target
                && !(t.is_finite() && t >= 0.0)
            {
                return Err(err(format!(
                    "{at}KPI \"{}\": target {t} is negative; targets are counts of zero or more",
                    entry.id
                )));
            }
            let schedule = match entry.schedule {
                None => match entry.direction {
                    Direction::AtLeast => Schedule::Linear,
                    _ => Schedule::None,
                },
                Some(ScheduleEntry::Name(n)) => match n.as_str() {
                    "linear" => Schedule::Linear,
                    "none" => Schedule::None,
                    other => {
                        return Err(err(format!(
                            "{at}KPI \"{}\": schedule \"{other}\" is not one of \"linear\", \"none\", {{ due = [...] }}, {{ event = \"YYYY-MM-DD\" }}",
                            entry.id
                        )));
                    }
                },
                Some(ScheduleEntry::Due { due }) => {
                    if due.is_empty() {
                        return Err(err(format!("{at}KPI \"{}\": due = [] lists no date", entry.id)));
                    }
                    let mut dates = Vec::with_capacity(due.len());
                    for d in &due {
                        let date = parse_plan_date(d).ok_or_else(|| {
                            err(format!("{at}KPI \"{}\": due date \"{d}\" is not YYYY-MM-DD or YYYY-MM", entry.id))
                        })?;
                        check_in_year(fy, date, &entry.id, &at).map_err(err)?;
                        dates.push(date);
                    }
                    dates.sort_unstable();
                    Schedule::Due(dates)
                }
                Some(ScheduleEntry::Event { event }) => {
                    let date = parse_plan_date(&event).ok_or_else(|| {
                        err(format!("{at}KPI \"{}\": event date \"{event}\" is not YYYY-MM-DD", entry.id))
                    })?;
                    check_in_year(fy, date, &entry.id, &at).map_err(err)?;
                    Schedule::Event(date)
                }
            };
            let (target, planned) = match entry.direction {
                Direction::Info => (None, true),
                _ if !entry.planned => (None, false),
                _ => {
                    let t = entry.target.ok_or_else(|| {
                        err(format!("{at}KPI \"{}\" has no target (add `target = N`, or `planned = false`)", entry.id))
                    })?;
                    (Some(t), true)
                }
            };
            kpis.push(KpiPlan {
                id: entry.id,
                label: entry.label,
                unit: entry.unit,
                section: entry.section,
                direction: entry.direction,
                target,
                planned,
                schedule,
            });
        }
        let items = parse_items(file.item, text).map_err(err)?;
        let p = file.plan;
        if p.incident_report_limit_days < 0 {
            return Err(err("incident_report_limit_days must be 0 or more".into()));
        }
        Ok(Plan {
            name: p.name,
            corner: p.corner,
            fiscal_year: fy,
            settings: PlanSettings {
                qualifier_fee_yen: p.qualifier_fee_yen,
                incident_report_limit_days: p.incident_report_limit_days,
                requester_cap_companies: p.requester_cap_companies,
                requester_cap_schools: p.requester_cap_schools,
                qualifier_required_trades: p.qualifier_required_trades,
            },
            kpis,
            items,
        })
    }

    pub fn kpi(&self, id: &str) -> Option<&KpiPlan> {
        self.kpis.iter().find(|k| k.id == id)
    }
}

/// `line N: ` of a byte offset into the plan text.
fn line_at(text: &str, offset: usize) -> String {
    let upto = text.get(..offset.min(text.len())).unwrap_or(text);
    format!("line {}: ", upto.matches('\n').count() + 1)
}

/// Validates the `[[item]]` tables: a section and a text, and a status from
/// the fixed set when there is one. Blank notes count as none.
fn parse_items(entries: Vec<ItemEntry>, text: &str) -> Result<Vec<PlanItem>, String> {
    let mut items = Vec::with_capacity(entries.len());
    for e in entries {
        let section = e.section.get_ref().trim().to_string();
        if section.is_empty() {
            return Err(format!(
                "{}[[item]] has an empty section (write the seed section, e.g. \"2(2)\")",
                line_at(text, e.section.span().start)
            ));
        }
        let body = e.text.get_ref().trim().to_string();
        if body.is_empty() {
            return Err(format!(
                "{}[[item]] {section}: text is empty (write what the plan commits to)",
                line_at(text, e.text.span().start)
            ));
        }
        let status = match &e.status {
            None => None,
            Some(s) if s.get_ref().trim().is_empty() => None,
            Some(s) => Some(ItemStatus::from_label(s.get_ref()).ok_or_else(|| {
                format!(
                    "{}[[item]] {section}: status \"{}\" is not one of {}",
                    line_at(text, s.span().start),
                    s.get_ref(),
                    ItemStatus::ALL.map(|st| format!("\"{}\"", st.label_ja())).join(", ")
                )
            })?),
        };
        let note = e.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        items.push(PlanItem { section, text: body, status, note });
    }
    Ok(items)
}

/// `YYYY-MM-DD`, or `YYYY-MM` meaning the month's last day.
fn parse_plan_date(s: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let (y, m) = s.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    crate::fiscal::month_end(y, m)
}

fn check_in_year(fy: FiscalYear, date: NaiveDate, id: &str, at: &str) -> Result<(), String> {
    if fy.contains(date) {
        Ok(())
    } else {
        Err(format!("{at}KPI \"{id}\": {date} is outside fiscal year {} ({} .. {})", fy.year(), fy.start(), fy.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_plan_holds_every_known_kpi_once() {
        let plan = Plan::embedded();
        assert_eq!(plan.fiscal_year.year(), 2023);
        // (The unit tests' catalogue has one KPI more: the one a test adds.)
        let standard: Vec<&str> = known_kpi_ids().into_iter().filter(|id| *id != "dispatch.long.sessions").collect();
        for id in &standard {
            assert!(plan.kpi(id).is_some(), "{id} missing from the embedded plan");
        }
        assert_eq!(plan.kpis.len(), standard.len());
        assert_eq!(plan.kpi("dispatch.sessions").unwrap().target, Some(270.0));
        assert_eq!(plan.kpi("dispatch.public.sessions").unwrap().target, None);
        assert!(!plan.kpi("dispatch.public.sessions").unwrap().planned);
        assert_eq!(
            plan.kpi("council.meetings").unwrap().schedule,
            Schedule::Due(vec![
                NaiveDate::from_ymd_opt(2023, 6, 30).unwrap(),
                NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()
            ])
        );
    }

    fn with_kpi(body: &str) -> String {
        format!("[plan]\nname = \"x\"\ncorner = \"y\"\nfiscal_year = 2023\n\n[[kpi]]\n{body}\n")
    }

    #[test]
    fn unknown_kpi_id_is_rejected_with_its_line() {
        let text =
            with_kpi("id = \"dispatch.sesions\"\nlabel = \"a\"\nunit = \"回\"\ndirection = \"at_least\"\ntarget = 1");
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("line 7"), "{e}");
        assert!(e.contains("unknown KPI id \"dispatch.sesions\""), "{e}");
    }

    #[test]
    fn negative_target_is_rejected() {
        let text =
            with_kpi("id = \"dispatch.sessions\"\nlabel = \"a\"\nunit = \"回\"\ndirection = \"at_least\"\ntarget = -3");
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("negative"), "{e}");
    }

    #[test]
    fn due_month_outside_the_fiscal_year_is_rejected() {
        let text = with_kpi(
            "id = \"council.meetings\"\nlabel = \"a\"\nunit = \"回\"\ndirection = \"at_least\"\ntarget = 2\nschedule = { due = [\"2023-06\", \"2024-06\"] }",
        );
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("outside fiscal year 2023"), "{e}");
    }

    fn with_item(body: &str) -> String {
        format!("[plan]\nname = \"x\"\ncorner = \"y\"\nfiscal_year = 2023\n\n[[item]]\n{body}\n")
    }

    #[test]
    fn embedded_plan_carries_the_seed_commitments_without_a_count() {
        let plan = Plan::embedded();
        for section in ["2(2)", "2(3)", "3(4)エ"] {
            assert!(plan.items.iter().any(|i| i.section == section), "{section} missing");
        }
        assert!(plan.items.iter().any(|i| i.text.contains("現代の名工")));
        assert!(plan.items.iter().any(|i| i.text.contains("グッドスキルマーク")));
        assert!(plan.items.iter().any(|i| i.text.contains("事例発表")));
        assert!(plan.items.iter().all(|i| !i.text.is_empty() && !i.section.is_empty()));
    }

    #[test]
    fn items_parse_with_optional_status_and_note() {
        let text = with_item(
            "section = \"2(2)\"\ntext = \"取材に協力する\"\nstatus = \"実施中\"\nnote = \"  10月 取材日程を調整中 \"\n\n[[item]]\nsection = \"3(4)エ\"\ntext = \"参加を呼びかける\"\nnote = \"\"",
        );
        let plan = Plan::parse(&text, "p.toml").unwrap();
        assert_eq!(
            plan.items,
            vec![
                PlanItem {
                    section: "2(2)".into(),
                    text: "取材に協力する".into(),
                    status: Some(ItemStatus::InProgress),
                    note: Some("10月 取材日程を調整中".into()),
                },
                PlanItem {
                    section: "3(4)エ".into(), text: "参加を呼びかける".into(), status: None, note: None
                },
            ]
        );
        for st in ItemStatus::ALL {
            assert_eq!(ItemStatus::from_label(st.label_ja()), Some(st));
        }
    }

    #[test]
    fn unknown_item_status_is_rejected_with_its_line() {
        let text = with_item("section = \"2(3)\"\ntext = \"掲示する\"\nstatus = \"完了\"");
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("line 9: "), "{e}");
        assert!(e.contains("status \"完了\" is not one of \"未着手\", \"実施中\", \"実施済\", \"該当なし\""), "{e}");
    }

    #[test]
    fn unknown_item_key_is_rejected_with_its_line() {
        let text = with_item("section = \"2(3)\"\ntext = \"掲示する\"\nstatsu = \"実施済\"");
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("statsu"), "{e}");
        assert!(e.contains("line 9: "), "{e}");
    }

    #[test]
    fn item_without_text_is_rejected() {
        let text = with_item("section = \"2(3)\"\ntext = \" \"");
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("line 8: ") && e.contains("text is empty"), "{e}");
        let text = with_item("section = \"2(3)\"");
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("text"), "{e}");
    }

    #[test]
    fn unknown_field_is_rejected() {
        let text = with_kpi(
            "id = \"council.meetings\"\nlabel = \"a\"\nunit = \"回\"\ndirection = \"at_least\"\ntarget = 2\ntargte = 3",
        );
        let e = Plan::parse(&text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("targte"), "{e}");
    }
}
