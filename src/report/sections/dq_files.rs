//! data-quality.xlsx ファイル: every file of the folder and what came of it
//! (read, skipped, unreadable with the reason and the fix, a byte-identical
//! duplicate), with its size and SHA-256 so a report can be traced to it.

use crate::ingest::FileOutcome;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let s = Section::new("dq_files", "フォルダー内のファイル", "ファイル").landscape();
    if q.files.is_empty() {
        return s.with(Block::Nothing("フォルダーにファイルはありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::wide("ファイル"),
        Column::plain("状態"),
        Column::plain("大きさ（バイト）"),
        Column::plain("SHA-256（先頭12桁）"),
        Column::wide("備考"),
    ])
    .filtered();
    for f in &q.files {
        let (status, note) = match &f.outcome {
            FileOutcome::Read { sheets } => (Status::new("読込", Tone::Good), format!("{sheets} シート")),
            FileOutcome::Skipped { reason } => (Status::new("対象外", Tone::Muted), reason.clone()),
            FileOutcome::Unreadable { reason } => (Status::new("読めない", Tone::Bad), reason.clone()),
            FileOutcome::Duplicate { of } => {
                (Status::new("重複（同一内容）", Tone::Muted), format!("{of} と同じ内容のため1回だけ集計"))
            }
        };
        t.row(vec![
            Cell::text(&f.file),
            Cell::Status(status),
            Cell::int(f.size as i64),
            Cell::text(f.sha256.as_deref().map(|s| s.chars().take(12).collect::<String>()).unwrap_or_default()),
            Cell::text(note),
        ]);
    }
    s.with(Block::Table(t))
}
