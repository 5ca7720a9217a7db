//! data-quality.xlsx 除外した行: every rejected row with its place (a link
//! that opens the workbook at the cell), record type, column and reason.

use super::place;
use crate::normalise::quality::is_past;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Table};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let year = input.figures.fiscal_year.year();
    let s = Section::new("dq_rejected", "除外した行（要修正）", "除外した行").landscape();
    // Rows of earlier fiscal years are listed apart (過年度).
    let rejected: Vec<_> = q.rejected.iter().filter(|r| !is_past(r.fiscal_year, year)).collect();
    if rejected.is_empty() {
        return s.with(Block::Nothing("除外した行はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::wide("場所（ファイル / シート / セル）"),
        Column::plain("記録"),
        Column::plain("列"),
        Column::wide("理由と直し方"),
    ])
    .filtered();
    for r in rejected {
        t.row(vec![
            place(input, &r.file, &r.sheet, &r.cell),
            Cell::text(r.dataset.label_ja()),
            Cell::text(&r.column),
            Cell::text(&r.reason),
        ]);
    }
    s.with(Block::Table(t))
}
