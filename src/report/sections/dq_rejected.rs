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
    let total = rejected.len();
    for r in rejected.into_iter().take(super::DQ_ROW_LIMIT) {
        t.row(vec![
            place(input, &r.file, &r.sheet, &r.cell),
            Cell::text(r.dataset.label_ja()),
            Cell::text(&r.column),
            Cell::text(&r.reason),
        ]);
    }
    s.with(Block::Table(t)).with_all(super::more_in_json(total, "rejected"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::sections::DQ_ROW_LIMIT;

    #[test]
    fn a_list_longer_than_the_limit_says_how_many_more_are_in_kpis_json() {
        let mut fx = crate::report::fixture::fixture();
        let one = fx.quality.rejected[0].clone();
        fx.quality.rejected = vec![one; DQ_ROW_LIMIT + 5];
        let s = build(&fx.input());
        assert_eq!(s.tables().next().unwrap().rows.len(), DQ_ROW_LIMIT);
        let note = s.blocks.iter().rev().find_map(|b| match b {
            Block::Note(n) => Some(n.clone()),
            _ => None,
        });
        let note = note.unwrap();
        assert!(note.contains("ほかの 5 行（全 10,005 行）") && note.contains("rejected"), "{note}");
        // At the limit: every row, no line.
        fx.quality.rejected.truncate(DQ_ROW_LIMIT);
        let s = build(&fx.input());
        assert!(!s.blocks.iter().any(|b| matches!(b, Block::Note(n) if n.contains("kpis.json"))));
    }
}
