//! 指標別の進捗: every KPI of the plan grouped by seed section (the group
//! heading once, as a row of its own), with the plan's items (no count)
//! among them. The English KPI id is kept for machines in a column the
//! workbook puts outside the print area.

use super::groups::{PlanEntry, item_status, plan_groups};
use super::status_cell;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let mut t = Table::new(vec![
        Column::plain("項番"),
        Column::wide("指標・取組"),
        Column::plain("単位"),
        Column::plain("年間\n目標"),
        Column::plain("実績"),
        Column::plain("達成率"),
        Column::plain("計画値\n（現時点）"),
        Column::plain("状況"),
        Column::plain("年度末\n見込み"),
        Column::plain("前年\n同期"),
        Column::plain("前年\n同期比"),
        Column::note("備考"),
        Column::machine("指標ID"),
    ])
    .filtered();
    for (heading, entries) in plan_groups(&f.kpis, input.plan) {
        t.push(RowKind::Group, vec![Cell::text(heading)]);
        for e in entries {
            match e {
                PlanEntry::Kpi(k) => {
                    let status = match input.plan.kpi(&k.id) {
                        Some(_) => Cell::Status(status_cell(k)),
                        None => Cell::Empty,
                    };
                    t.row(vec![
                        Cell::text(&k.section),
                        Cell::text(&k.label),
                        Cell::text(&k.unit),
                        Cell::Count(k.target),
                        Cell::Count(k.actual),
                        Cell::Percent(k.achievement),
                        Cell::Count(super::as_in_json(k.expected_to_date)),
                        status,
                        Cell::Count(super::as_in_json(k.forecast)),
                        Cell::Count(k.previous_year_to_date),
                        Cell::Signed(k.actual.zip(k.previous_year_to_date).map(|(a, p)| a - p)),
                        Cell::Empty,
                        Cell::text(&k.id),
                    ]);
                }
                PlanEntry::Item(i) => t.row(vec![
                    Cell::text(&i.section),
                    Cell::text(&i.text),
                    Cell::text("取組"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    item_status(i.status).map_or(Cell::Empty, Cell::Status),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    i.note.as_ref().map_or(Cell::Empty, Cell::text),
                    Cell::Empty,
                ]),
            }
        }
    }
    let mut s = Section::new("kpis", "指標別の進捗", "指標別").landscape().with(Block::Table(t));
    s.push(Block::Note(
        "前年同期＝前年度の初日から、基準日の1年前の日まで。前年度の記録がフォルダーにない指標は「－」（0 ではない）。"
            .into(),
    ));
    if !input.plan.items.is_empty() {
        s.push(Block::Note(
            "単位が「取組」の行は数値目標のない推進計画の記載事項。状況（未着手・実施中・実施済・該当なし）と備考はコーナーが推進計画ファイルに記入したもの。"
                .into(),
        ));
    }
    s
}
