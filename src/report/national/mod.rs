//! The national report (`national.xlsx`, `national.html`): every corner
//! side by side, each against its own plan. One file per section, as for a
//! corner's reports; the same writers turn them into a workbook and a page.
//! [`json`] writes `national.json`. All of it renders the roll-up's model
//! ([`crate::rollup::National`]) and computes nothing.

pub mod corners;
pub mod json;
pub mod map;
pub mod quality;
pub mod ranking;
pub mod totals;

use crate::report::doc::{Cell, Status, Tone};
use crate::rollup::{Corner, CornerKpi, State};

/// The word of a corner's KPI in the national tables: its status, or why
/// there is none (計画なし: the corner's plan lacks the KPI; 欠測: no figures).
pub fn status(c: &Corner, id: &str) -> Status {
    match (c.state, c.kpi(id)) {
        (State::Ok, Some(k)) => Status::new(k.verdict.word.clone(), k.verdict.tone),
        (State::Ok, None) => Status::new("計画なし", Tone::Muted),
        (State::Missing, _) => Status::new("欠測", Tone::Muted),
        (State::Failed, _) => Status::new("失敗", Tone::Bad),
    }
}

/// A figure of a corner, or 欠測 / 計画なし as text (never a zero for a missing corner).
pub fn figure(c: &Corner, id: &str, f: fn(&CornerKpi) -> Option<f64>) -> Cell {
    match (c.state, c.kpi(id)) {
        (State::Ok, Some(k)) => Cell::Count(f(k)),
        (State::Ok, None) => Cell::text("計画なし"),
        (State::Missing, _) => Cell::text("欠測"),
        (State::Failed, _) => Cell::text("失敗"),
    }
}

/// `35 山口県地域技能振興コーナー`.
pub fn corner_name(c: &Corner) -> String {
    match c.code {
        Some(code) => format!("{code:02} {}", c.name),
        None => c.name.clone(),
    }
}
