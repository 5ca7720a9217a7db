//! 月別推移: the headline series month by month — what each month added,
//! the cumulative actual, the cumulative plan and the difference — each
//! with its cumulative chart.

use crate::kpi::MonthlySeries;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, SeriesChart, Table};

fn table(m: &MonthlySeries) -> Table {
    let mut cols = vec![Column::plain("")];
    cols.extend(
        m.months.iter().map(|p| Column { heading: format!("{}月", p.month), role: crate::report::doc::Role::Plain }),
    );
    let mut t = Table::new(cols);
    let line = |label: &str, f: &dyn Fn(&crate::kpi::MonthPoint) -> Cell| {
        let mut r = vec![Cell::text(label)];
        r.extend(m.months.iter().map(f));
        r
    };
    t.row(line("当月実績", &|p| p.actual.map_or(Cell::Empty, Cell::count)));
    t.row(line("累計実績", &|p| p.cumulative_actual.map_or(Cell::Empty, Cell::count)));
    t.row(line("累計計画", &|p| Cell::Count(p.cumulative_plan)));
    t.row(line("計画との差", &|p| match (p.cumulative_actual, p.cumulative_plan) {
        (Some(a), Some(pl)) => Cell::Signed(Some(a - pl)),
        _ => Cell::Empty,
    }));
    if !m.previous.is_empty() {
        let mut r = vec![Cell::text("前年度の累計")];
        r.extend(m.previous.iter().map(|v| Cell::Count(*v)));
        t.row(r);
    }
    t
}

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let mut s = Section::new("monthly", "月別の推移", "月別推移").landscape().with(Block::Note(
        "累計実績は各月末（基準日の月は基準日）までの実績の合計、累計計画は各月末までに達しているべき値。基準日より後の月は空欄。前年度の記録があるときは、前年度の累計をグラフに灰色の線で示す。"
            .into(),
    ));
    for m in &f.monthly {
        let target = m
            .target
            .map(|t| format!("（年間目標 {}）", crate::format::count_unit(Some(t), &m.unit)))
            .unwrap_or_default();
        s.push(Block::Paragraph(format!("{}{target}", m.label)));
        s.push(Block::Table(table(m)));
        s.push(Block::Series(SeriesChart {
            title: m.label.clone(),
            unit: m.unit.clone(),
            target: m.target,
            months: m.months.iter().map(|p| (p.year, p.month)).collect(),
            actual: m.months.iter().map(|p| p.cumulative_actual).collect(),
            plan: m.months.iter().map(|p| p.cumulative_plan).collect(),
            previous: m.previous.clone(),
            as_of: f.as_of,
        }));
    }
    s
}
