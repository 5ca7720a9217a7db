//! The verdict on a KPI: its status (the machine value of kpis.json), the
//! word the reader sees and its tone, decided once here and stored on the
//! figure (outputs.md, "Pace, status, forecast" and "Status words the reader
//! sees"). Every consumer — both reports, the national set, the mail drafts,
//! the terminal, kpis.json — reads it; none decides a status of its own.

use super::Status;
use crate::fiscal::FiscalYear;
use crate::format;
use crate::plan::{Direction, KpiPlan, Schedule};
use chrono::NaiveDate;
use serde::Serialize;

/// The colour family of a status (and of anything else a report marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Info,
    Muted,
}

impl Tone {
    /// The CSS class of the HTML reports.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Warn => "warn",
            Tone::Bad => "bad",
            Tone::Info => "info",
            Tone::Muted => "muted",
        }
    }
}

/// A KPI's status with the word and tone the reports show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub status: Status,
    /// 順調, 未達, 発生（上限0件） …
    pub word: String,
    pub tone: Tone,
}

impl Verdict {
    /// The verdict of a status; an at-most KPI's 発生 names its limit
    /// (`target` in `unit`).
    pub fn of(status: Status, target: Option<f64>, unit: &str) -> Verdict {
        let tone = status.tone();
        let word = match status {
            Status::Breach => format!("{}（上限{}{unit}）", status.label_ja(), format::count(target)),
            _ => status.label_ja().to_string(),
        };
        Verdict { status, word, tone }
    }
}

impl Status {
    /// The tone the reports colour the status with.
    pub fn tone(self) -> Tone {
        match self {
            Status::Achieved | Status::OnTrack | Status::Ok => Tone::Good,
            Status::AtRisk => Tone::Warn,
            Status::Behind | Status::Missed | Status::Breach => Tone::Bad,
            Status::Info => Tone::Info,
            Status::NotPlanned | Status::NoData => Tone::Muted,
        }
    }

    /// Whether the KPI belongs on the "not on track" list of page 1.
    pub fn needs_attention(self, has_target: bool) -> bool {
        match self {
            Status::AtRisk | Status::Behind | Status::Missed | Status::Breach => true,
            Status::NoData => has_target,
            Status::Achieved | Status::OnTrack | Status::Ok | Status::Info | Status::NotPlanned => false,
        }
    }
}

/// The last date any of a KPI's target is due: the fiscal year's end for
/// linear KPIs, the last due date, the event day; `None` when not paced.
pub fn last_due(k: &KpiPlan, fy: FiscalYear) -> Option<NaiveDate> {
    if k.direction != Direction::AtLeast {
        return None;
    }
    match &k.schedule {
        Schedule::Linear => Some(fy.end()),
        Schedule::Due(dates) => dates.iter().max().copied(),
        Schedule::Event(day) => Some(*day),
        Schedule::None => None,
    }
}

/// Whether the KPI's last due date has passed at `as_of` (the target can no
/// longer be met in time).
pub fn due_passed(k: &KpiPlan, fy: FiscalYear, as_of: NaiveDate) -> bool {
    last_due(k, fy).is_some_and(|d| as_of >= d)
}
