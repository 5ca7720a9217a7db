//! data-quality.xlsx 実施しなかった行: every row that did not happen (状況
//! 中止・延期・予定, a cancellation word at the start of 備考 or alone in the
//! date cell, a row struck through, nobody came), with its place (a link),
//! record type, reason and date. None of them is counted.

use super::place;
use crate::normalise::quality::is_past;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let year = input.figures.fiscal_year.year();
    let s = Section::new("dq_not_held", "実施しなかった行（集計外）", "実施しなかった行").landscape();
    if q.not_held.is_empty() {
        return s
            .with(Block::Nothing("実施しなかった行（中止・延期・予定・取り消し線・受講者数 0）はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::wide("場所（ファイル / シート / セル）"),
        Column::plain("記録"),
        Column::plain("理由"),
        Column::plain("日付"),
        Column::plain("年度"),
    ])
    .filtered();
    for n in q.not_held.iter().take(super::DQ_ROW_LIMIT) {
        let fy =
            n.fiscal_year.and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 4, 1)).map(crate::fiscal::FiscalYear::of);
        let year_cell = match fy {
            Some(fy) if is_past(n.fiscal_year, year) => {
                Cell::Status(Status::new(format!("{}（過年度）", fy.label_ja()), Tone::Muted))
            }
            Some(fy) => Cell::text(fy.label_ja()),
            None => Cell::Empty,
        };
        t.row(vec![
            place(input, &n.file, &n.sheet, &n.cell),
            Cell::text(n.dataset.label_ja()),
            Cell::text(&n.reason),
            if n.date.is_some() { Cell::Date(n.date) } else { Cell::Empty },
            year_cell,
        ]);
    }
    s.with(Block::Note(
        "これらの行は実施しなかった記録として、回数・人数のどれにも数えていません。実施した行なら、状況を「実施」にする、備考の先頭の「中止」「延期」を消す、取り消し線を外す、受講者数を入れる、のどれかで直してください。"
            .into(),
    ))
    .with(Block::Table(t))
    .with_all(super::more_in_json(q.not_held.len(), "not_held"))
}
