//! 全国の合計: each KPI summed over the corners that have it, against the
//! sum of their own targets, with how many corners that is.

use crate::report::doc::{Block, Cell, Column, Section, Table};
use crate::rollup::{National, State};

pub fn build(n: &National) -> Section {
    let ok = n.corners.iter().filter(|c| c.state == State::Ok).count();
    let mut t = Table::new(vec![
        Column::wide("指標"),
        Column::plain("年間目標\n（合計）"),
        Column::plain("実績\n（合計）"),
        Column::plain("達成率"),
        Column::plain("計画値\n（合計）"),
        Column::plain("集計した\nコーナー"),
        Column::plain("目標のある\nコーナー"),
        Column::machine("指標ID"),
    ]);
    for tot in &n.totals {
        t.row(vec![
            Cell::text(format!("{}（{}）", tot.label, tot.unit)),
            Cell::Count(tot.target),
            Cell::Count(tot.actual),
            Cell::Percent(tot.achievement),
            Cell::Count(tot.expected_to_date),
            Cell::int(tot.corners_with_kpi as i64),
            Cell::int(tot.corners_with_target as i64),
            Cell::text(&tot.id),
        ]);
    }
    Section::new("totals", "全国の合計", "全国の合計").with(Block::Paragraph(format!(
        "集計できたコーナー {ok}／{}。合計は、その指標が計画にあり数値のあるコーナーだけを足したもの（欠測・失敗・データなし・計画なしのコーナーは実績も目標も含めない）。達成率はその実績÷目標の合計。",
        n.corners.len()
    )))
    .with(Block::Table(t.filtered()))
}
