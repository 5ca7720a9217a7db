//! 基準日より後の日付の行: rows dated after the as-of date are accepted but
//! not counted; summarised by sheet (how many, which rows, which dates), so
//! a person sees at once that they are there without pages of rows.

use crate::format;
use crate::kpi::LaterRow;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};
use chrono::NaiveDate;

/// Row numbers as ranges (`3〜38、41、45〜47`); after eight ranges the rest
/// is counted (`ほか2か所`).
pub fn row_ranges(mut rows: Vec<u32>) -> String {
    const SHOWN: usize = 8;
    rows.sort_unstable();
    rows.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for r in rows {
        match ranges.last_mut() {
            Some(last) if last.1 + 1 == r => last.1 = r,
            _ => ranges.push((r, r)),
        }
    }
    let mut parts: Vec<String> =
        ranges.iter().take(SHOWN).map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}〜{b}") }).collect();
    if ranges.len() > SHOWN {
        parts.push(format!("ほか{}か所", ranges.len() - SHOWN));
    }
    parts.join("、")
}

pub fn build(input: &ReportInput) -> Section {
    let rows = &input.figures.after_as_of;
    let s = Section::new("later", "基準日より後の日付の行（集計外）", "基準日後の行");
    if rows.is_empty() {
        return s.with(Block::Nothing("基準日より後の日付の行はありません。".into()));
    }
    let mut groups: Vec<(&LaterRow, Vec<u32>, NaiveDate, NaiveDate)> = Vec::new();
    for r in rows {
        match groups.iter_mut().find(|g| g.0.dataset == r.dataset && g.0.file == r.file && g.0.sheet == r.sheet) {
            Some(g) => {
                g.1.push(r.row);
                g.2 = g.2.min(r.date);
                g.3 = g.3.max(r.date);
            }
            None => groups.push((r, vec![r.row], r.date, r.date)),
        }
    }
    let mut t = Table::new(vec![
        Column::plain("記録"),
        Column::wide("ファイル"),
        Column::plain("シート"),
        Column::plain("行数"),
        Column::wide("行"),
        Column::plain("日付の範囲"),
    ]);
    for (r, nos, first, last) in groups {
        t.row(vec![
            Cell::text(r.dataset.label_ja()),
            Cell::text(&r.file),
            Cell::text(&r.sheet),
            Cell::int(nos.len() as i64),
            Cell::text(row_ranges(nos)),
            Cell::text(format::date_span(first, last)),
        ]);
    }
    t.push(
        RowKind::Total,
        vec![Cell::text("合計"), Cell::Empty, Cell::Empty, Cell::int(rows.len() as i64), Cell::Empty, Cell::Empty],
    );
    s.with(Block::Note(format!(
        "基準日（{}）より後の日付の行は採用していますが、この報告の数値には含めていません（次回以降の報告で数えます）。",
        format::date(input.figures.as_of)
    )))
    .with(Block::Table(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_rows_are_summarised_as_row_ranges() {
        assert_eq!(row_ranges(vec![5, 3, 4, 9, 12, 11]), "3〜5、9、11〜12");
        assert_eq!(row_ranges(vec![7]), "7");
        let many: Vec<u32> = (0..10).map(|i| i * 3).collect();
        assert!(row_ranges(many).ends_with("ほか2か所"));
    }
}
