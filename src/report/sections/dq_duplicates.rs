//! data-quality.xlsx 番号の重複: repeats of a 派遣番号 (within a fiscal
//! year) or 認定番号 — skipped when the contents agree, rejected when they
//! differ (a person decides which is right) — with both places.

use super::place;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let s = Section::new("dq_duplicates", "番号の重複", "重複");
    let conflicts: Vec<_> = q.rejected.iter().filter(|r| r.conflicts_with.is_some()).collect();
    if q.duplicates.is_empty() && conflicts.is_empty() {
        return s.with(Block::Nothing("派遣番号・認定番号の重複はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::plain("種類"),
        Column::plain("記録"),
        Column::plain("番号"),
        Column::wide("読み飛ばし・除外した行"),
        Column::wide("集計に残した行"),
    ])
    .filtered();
    let total = conflicts.len() + q.duplicates.len();
    let room = super::DQ_ROW_LIMIT.saturating_sub(conflicts.len().min(super::DQ_ROW_LIMIT));
    for r in conflicts.into_iter().take(super::DQ_ROW_LIMIT) {
        let kept = r.conflicts_with.as_ref().map_or(Cell::Empty, |k| place(input, &k.file, &k.sheet, &k.cell));
        t.row(vec![
            Cell::Status(Status::new("内容が異なる（除外）", Tone::Bad)),
            Cell::text(r.dataset.label_ja()),
            Cell::text(r.key.as_deref().unwrap_or(&r.column)),
            place(input, &r.file, &r.sheet, &r.cell),
            kept,
        ]);
    }
    for d in q.duplicates.iter().take(room) {
        t.row(vec![
            Cell::Status(Status::new("同じ内容（読み飛ばし）", Tone::Muted)),
            Cell::text(d.dataset.label_ja()),
            Cell::text(&d.key),
            place(input, &d.skipped.file, &d.skipped.sheet, &d.skipped.cell),
            place(input, &d.kept.file, &d.kept.sheet, &d.kept.cell),
        ]);
    }
    s.with(Block::Note(
        "派遣番号は年度ごとに振り直されるため、同じ番号でも年度（実施日の年度）が違えば別の派遣として数えます。同じ年度で内容が同じ繰り返しは1回だけ数え、内容が異なるものは先の行だけを数えて後の行を除外します。"
            .into(),
    ))
    .with(Block::Table(t))
    .with_all(super::more_in_json(total, "duplicates と rejected"))
}
