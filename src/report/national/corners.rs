//! コーナー別・指標別: one row per corner and KPI — target, actual,
//! achievement, expected to date, status — against that corner's own plan.
//! Long: the workbook lists every row; the page points to it.

use super::{corner_name, figure, status};
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};
use crate::rollup::{National, State};

pub fn build(n: &National) -> Section {
    let mut t = Table::new(vec![
        Column::wide("コーナー"),
        Column::wide("指標"),
        Column::plain("年間目標"),
        Column::plain("実績"),
        Column::plain("達成率"),
        Column::plain("計画値\n（現時点）"),
        Column::plain("状況"),
        Column::machine("指標ID"),
    ])
    .filtered()
    .limit_html(0, "national.xlsx");
    for tot in &n.totals {
        t.push(RowKind::Group, vec![Cell::text(format!("{}（{}）", tot.label, tot.unit))]);
        for c in &n.corners {
            let pct = match (c.state, c.kpi(&tot.id)) {
                (State::Ok, Some(k)) => Cell::Percent(k.achievement),
                _ => Cell::Empty,
            };
            t.row(vec![
                Cell::text(corner_name(c)),
                Cell::text(&tot.label),
                figure(c, &tot.id, |k| k.target),
                figure(c, &tot.id, |k| k.actual),
                pct,
                figure(c, &tot.id, |k| k.expected_to_date.map(|e| (e * 10.0).round() / 10.0)),
                Cell::Status(status(c, &tot.id)),
                Cell::text(&tot.id),
            ]);
        }
    }
    Section::new("corners", "コーナー別・指標別の数値", "コーナー別").landscape().with(Block::Table(t))
}
