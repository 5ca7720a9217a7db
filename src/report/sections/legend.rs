//! 状況の見方: every status word with the rule that gives it, and how the
//! pace figures are computed.

use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Table};
use crate::report::status::{legend, pace_note};

pub fn build(input: &ReportInput) -> Section {
    let mut t = Table::new(vec![Column::plain("状況"), Column::wide("判定の基準")]);
    for (s, rule) in legend() {
        t.row(vec![Cell::Status(s), Cell::text(rule)]);
    }
    Section::below("legend", "状況の見方")
        .with(Block::Table(t))
        .with(Block::Note(pace_note(input.figures.fiscal_year, input.figures.as_of)))
}
