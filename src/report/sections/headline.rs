//! 主要指標: page 1 answers "are we on track?" for the headline KPIs —
//! target, actual, expected to date, a progress bar against the pace line,
//! status and the year-end forecast.

use super::{kpi, status_cell};
use crate::format;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Progress, Section, Table};

/// The headline KPIs, in the order page 1 shows them.
pub const HEADLINE: [&str; 7] = [
    "dispatch.sessions",
    "dispatch.person_days",
    "dispatch.schools.sessions",
    "outreach.school.sessions",
    "outreach.school.person_days",
    "skilled.sessions",
    "outreach.saposte.places",
];

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let fy = f.fiscal_year;
    let days = (f.as_of - fy.start()).num_days() + 1;
    let mut t = Table::new(vec![
        Column::wide("指標"),
        Column::plain("状況"),
        Column::plain("年間目標"),
        Column::plain("実績"),
        Column::plain("計画値\n（現時点）"),
        Column::plain("達成率と計画線"),
        Column::plain("年度末\n見込み"),
        Column::plain("前年\n同期"),
    ]);
    for id in HEADLINE {
        let Some((k, _)) = kpi(input, id) else { continue };
        let s = status_cell(k);
        let pace = k.expected_to_date.zip(k.target).filter(|(_, t)| *t > 0.0).map(|(e, t)| e / t);
        let tone = s.tone;
        t.row(vec![
            Cell::text(format!("{}（{}）", k.label, k.unit)),
            Cell::Status(s),
            Cell::Count(k.target),
            Cell::Count(k.actual),
            Cell::Count(super::as_in_json(k.expected_to_date)),
            Cell::Progress(Progress { achievement: k.achievement, pace, tone }),
            Cell::Count(super::as_in_json(k.forecast)),
            Cell::Count(k.previous_year_to_date),
        ]);
    }
    Section::new("headline", "主要指標", "概要")
        .with(Block::Paragraph(format!(
            "年度経過 {}（{}日／{}日）。棒は達成率、縦線は基準日までの計画値（年間目標に対する割合）。",
            format::percent(Some(f.elapsed_fraction)),
            days,
            fy.days()
        )))
        .with(Block::Table(t))
}
