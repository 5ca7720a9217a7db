//! data-quality.xlsx 過年度: rejected rows and warnings of earlier fiscal
//! years than the plan's (last year's books kept in the folder for 前年同期).
//! They do not touch this year's figures and raise no exit status, so they
//! are listed apart from this year's rows to fix.

use super::place;
use crate::normalise::quality::is_past;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Table};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let year = input.figures.fiscal_year.year();
    let s = Section::new("dq_past", "過年度の行（今年度の集計には関係しません）", "過年度").landscape();
    let rejected: Vec<_> = q.rejected.iter().filter(|r| is_past(r.fiscal_year, year)).collect();
    let warnings: Vec<_> = q.warnings.iter().filter(|w| is_past(w.fiscal_year, year)).collect();
    if rejected.is_empty() && warnings.is_empty() {
        return s.with(Block::Nothing("前の年度の除外・確認の行はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::plain("年度"),
        Column::plain("種類"),
        Column::wide("場所（ファイル / シート / セル）"),
        Column::plain("記録"),
        Column::wide("内容"),
    ])
    .filtered();
    let label = |y: Option<i32>| {
        y.and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 4, 1))
            .map_or(String::new(), |d| crate::fiscal::FiscalYear::of(d).label_ja())
    };
    let total = rejected.len() + warnings.len();
    let room = super::DQ_ROW_LIMIT.saturating_sub(rejected.len().min(super::DQ_ROW_LIMIT));
    for r in rejected.into_iter().take(super::DQ_ROW_LIMIT) {
        t.row(vec![
            Cell::text(label(r.fiscal_year)),
            Cell::text("除外"),
            place(input, &r.file, &r.sheet, &r.cell),
            Cell::text(r.dataset.label_ja()),
            Cell::text(&r.reason),
        ]);
    }
    for w in warnings.into_iter().take(room) {
        t.row(vec![
            Cell::text(label(w.fiscal_year)),
            Cell::text(w.kind.label_ja()),
            place(input, &w.file, &w.sheet, &w.cell),
            Cell::text(w.dataset.label_ja()),
            Cell::text(&w.reason),
        ]);
    }
    s.with(Block::Note(
        "前の年度のブック（前年同期の比較のために置いたもの）の行です。今年度の数値には入らず、終了コードにも関係しません。前の年度の報告を作り直すときに直してください。"
            .into(),
    ))
    .with(Block::Table(t))
    .with_all(super::more_in_json(total, "rejected と warnings（past_year が true）"))
}
