//! 年間の予定と実施状況: the year's dated events (competitions on their plan
//! dates, council meetings and training sessions from the records, plan due
//! dates not yet met) on a timeline, and the same events as a table.

use crate::kpi::center::TimelineEvent;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, MarkKind, MarkState, Section, Table, TimelineChart, TimelineMark};
use chrono::NaiveDate;

/// Where an event stands at `as_of`: only records make an event held; a
/// competition's date is the plan's, so once passed it is 大会日 (the
/// qualifier's deadline 期限日); a due date passed with no record is 未実施.
pub fn state(e: &TimelineEvent, as_of: NaiveDate) -> MarkState {
    let past = e.date <= as_of;
    match (e.kind, e.planned, past) {
        (_, _, false) => MarkState::Planned,
        ("competition", _, true) if e.label.contains("期限") => MarkState::Deadline,
        ("competition", _, true) => MarkState::PlanDate,
        (_, false, true) => MarkState::Held,
        (_, true, true) => MarkState::Missed,
    }
}

fn kind(e: &TimelineEvent) -> (MarkKind, &'static str) {
    match e.kind {
        "competition" => (MarkKind::Competition, "競技大会"),
        "council" => (MarkKind::Council, "連携会議"),
        _ => (MarkKind::Training, "講習会"),
    }
}

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let s = Section::new("timeline", "年間の主な予定と実施状況", "年間予定");
    if f.timeline.is_empty() {
        return s.with(Block::Nothing("この年度の予定・実施の記録はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::plain("日付"),
        Column::wide("予定・実施"),
        Column::plain("種類"),
        Column::plain("状況"),
    ]);
    let mut marks = Vec::new();
    for e in &f.timeline {
        let st = state(e, f.as_of);
        let (k, name) = kind(e);
        t.row(vec![Cell::Date(Some(e.date)), Cell::text(&e.label), Cell::text(name), Cell::Status(st.status())]);
        marks.push(TimelineMark { date: e.date, label: e.label.clone(), kind: k, state: st });
    }
    s.with(Block::Timeline(TimelineChart { start: f.fiscal_year.start(), end: f.fiscal_year.end(), as_of: f.as_of, events: marks }))
        .with(Block::Note(
            "競技大会の日付は推進計画の日付（過ぎた日付は「大会日」、予選は「期限日」）。連携会議・講習会は記録のあるものを「実施」、記録のない計画上の期限を「予定」（過ぎたものは「未実施」）とする。"
                .into(),
        ))
        .with(Block::Table(t))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_competition_day_is_a_plan_date_never_held() {
        let as_of = NaiveDate::from_ymd_opt(2023, 10, 31).unwrap();
        let ev = |y, m, d, label: &str, kind: &'static str, planned| TimelineEvent {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            label: label.into(),
            kind,
            planned,
        };
        assert_eq!(
            state(&ev(2023, 8, 2, "若年者ものづくり競技大会", "competition", false), as_of),
            MarkState::PlanDate
        );
        assert_eq!(MarkState::PlanDate.word(), "大会日");
        assert_eq!(
            state(&ev(2023, 9, 30, "技能五輪県予選（実施期限）", "competition", false), as_of),
            MarkState::Deadline
        );
        assert_eq!(state(&ev(2023, 11, 21, "技能五輪全国大会", "competition", true), as_of), MarkState::Planned);
        assert_eq!(state(&ev(2023, 6, 20, "連携会議 第1回", "council", false), as_of), MarkState::Held);
        assert_eq!(state(&ev(2023, 9, 30, "指導技法等講習会（予定期限）", "training", true), as_of), MarkState::Missed);
        assert_eq!(MarkState::Missed.word(), "未実施");
    }
}
