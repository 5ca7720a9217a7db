//! 状況の一覧（コーナー × 指標）: one row per corner, one column per KPI
//! with a target, each cell the status word in its colour (the word reads
//! in grey print); columns are numbered, the numbers explained below.

use super::{corner_name, status};
use crate::report::doc::{Block, Cell, Column, Section, Table};
use crate::rollup::National;

/// Circled numbers for the column headings.
fn number(i: usize) -> String {
    char::from_u32(0x2460 + i as u32).filter(|_| i < 20).map_or_else(|| format!("({})", i + 1), |c| c.to_string())
}

pub fn build(n: &National) -> Section {
    let kpis: Vec<_> = n.totals.iter().filter(|t| t.corners_with_target > 0).collect();
    let mut cols = vec![Column::wide("コーナー")];
    cols.extend(kpis.iter().enumerate().map(|(i, _)| Column::plain(&number(i))));
    let mut t = Table::new(cols).filtered();
    for c in &n.corners {
        let mut row = vec![Cell::text(corner_name(c))];
        row.extend(kpis.iter().map(|k| Cell::Status(status(c, &k.id))));
        t.row(row);
    }
    let mut legend = Table::new(vec![Column::plain("番号"), Column::wide("指標")]);
    for (i, k) in kpis.iter().enumerate() {
        legend.row(vec![Cell::text(number(i)), Cell::text(format!("{}（{}）", k.label, k.unit))]);
    }
    Section::new("map", "状況の一覧（コーナー × 指標）", "状況の一覧")
        .landscape()
        .with(Block::Note(
            "各コーナーの状況を、そのコーナーの計画に照らして示す。計画なし＝そのコーナーの計画にない指標、欠測＝基準日の数値がないコーナー（0 ではない）、失敗＝読み込めなかったコーナー。".into(),
        ))
        .with(Block::Table(t))
        .with(Block::Table(legend))
}
