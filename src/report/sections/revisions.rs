//! 前回報告からの修正: every month whose figure changed since the previous
//! report set of the fiscal year (month, KPI, reported, now), and the rows
//! that explain it (added, removed, changed, by file/sheet/cell); or one
//! line saying there were none, and against which set.

use super::place;
use crate::format;
use crate::kpi::revisions::Change;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};

pub fn build(input: &ReportInput) -> Section {
    let r = &input.figures.revisions;
    let s = Section::new("revisions", "前回報告からの修正", "前回報告からの修正");
    let Some(against) = &r.against else {
        return s.with(Block::Nothing("この年度の前回の報告書はありません（修正の確認は次回の報告から）。".into()));
    };
    let when = format!("前回報告（{}現在）", format::date_prose(against.as_of));
    // Counting rules may differ when another version made that set.
    let mut s = match against.other_version_note(&when) {
        Some(note) => s.with(Block::Paragraph(format!("{note}。"))),
        None => s,
    };
    if !r.comparable {
        return s.with(Block::Nothing(format!(
            "{when}には月別の数値が記録されていないため（以前の版で作成）、修正を確かめられません。"
        )));
    }
    if r.list.is_empty() {
        s.push(Block::Nothing(format!("{when}から、報告済みの月の数値に修正はありません。")));
        return s;
    }
    let mut t = Table::new(vec![
        Column::plain("月"),
        Column::wide("指標"),
        Column::plain("前回報告"),
        Column::plain("今回"),
        Column::plain("差"),
        Column::plain("理由の行"),
    ])
    .filtered();
    for v in &r.list {
        t.row(vec![
            Cell::text(format::month(v.month.0, v.month.1)),
            Cell::text(format!("{}（{}）", v.label, v.unit)),
            Cell::Count(v.reported),
            Cell::Count(v.now),
            Cell::Signed(v.reported.zip(v.now).map(|(a, b)| b - a).or(v.now)),
            Cell::text(format!("{} 行", v.rows.len())),
        ]);
    }
    // The rows, once per month (several KPIs of a month share them).
    let mut rows =
        Table::new(vec![Column::plain("月"), Column::plain("変更"), Column::wide("場所（ファイル / シート / セル）")]);
    let mut seen = Vec::new();
    for v in &r.list {
        for row in &v.rows {
            let key = (v.month, row.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let tone = match row.change {
                Change::Added => Tone::Info,
                Change::Removed => Tone::Bad,
                Change::Changed => Tone::Warn,
            };
            rows.row(vec![
                Cell::text(format::month(v.month.0, v.month.1)),
                Cell::Status(Status::new(row.change.label_ja(), tone)),
                place(input, &row.file, &row.sheet, &row.cell),
            ]);
        }
    }
    s = s
        .with(Block::Paragraph(format!(
            "{when}と比べ、報告済みの月の数値が {} 件変わりました。今回の数値は前回の基準日の時点で数え直したものです。",
            r.list.len()
        )))
        .with(Block::Table(t));
    if rows.rows.is_empty() {
        s.push(Block::Note("前回の報告書に行の記録がないため、理由の行は示せません。".into()));
    } else {
        s.push(Block::Paragraph("理由となった行（前回の報告のあとに追加・削除・変更された行）".into()));
        s.push(Block::Table(rows.limit_html(super::HTML_ROW_LIMIT, "center.xlsx")));
    }
    s
}
