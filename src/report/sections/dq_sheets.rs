//! data-quality.xlsx シート別: every sheet of every workbook — what it was
//! taken as, its header row, and its rows read = accepted + rejected +
//! skipped (blank, total, duplicate) + not held; ignored and ambiguous sheets with why.

use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let s = Section::new("dq_sheets", "シート別の行数", "シート別").landscape();
    if q.sheets.is_empty() {
        return s.with(Block::Nothing("読み込んだシートはありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::wide("ファイル"),
        Column::plain("シート"),
        Column::plain("記録"),
        Column::plain("見出し行"),
        Column::plain("読んだ行"),
        Column::plain("採用"),
        Column::plain("除外"),
        Column::plain("空行"),
        Column::plain("合計行"),
        Column::plain("重複"),
        Column::plain("実施せず"),
        Column::plain("行数の一致"),
        Column::wide("備考"),
    ])
    .filtered();
    for x in &q.sheets {
        let what = match x.dataset {
            Some(d) => Cell::text(d.label_ja()),
            None if x.header_row.is_some() => Cell::Status(Status::new("判定不能", Tone::Bad)),
            None => Cell::Status(Status::new("対象外", Tone::Muted)),
        };
        let ok = if x.dataset.is_none() {
            Cell::Empty
        } else if x.reconciles() {
            Cell::Status(Status::new("一致", Tone::Good))
        } else {
            Cell::Status(Status::new("不一致", Tone::Bad))
        };
        let mut note = x.note.clone().unwrap_or_default();
        if x.hidden {
            note = if note.is_empty() {
                "非表示のシート".into()
            } else {
                format!("非表示のシート。{note}")
            };
        }
        let n = |v: usize| if x.dataset.is_some() { Cell::int(v as i64) } else { Cell::Empty };
        t.row(vec![
            Cell::text(&x.file),
            Cell::text(&x.sheet),
            what,
            x.header_row.map_or(Cell::Empty, |r| Cell::int(i64::from(r))),
            n(x.rows_read),
            n(x.accepted),
            n(x.rejected),
            n(x.skipped_blank),
            n(x.skipped_total),
            n(x.skipped_duplicate),
            n(x.not_held),
            ok,
            Cell::text(note),
        ]);
    }
    s.with(Block::Table(t))
}
