//! data-quality.xlsx 確認が必要な行: accepted rows with something to check —
//! a date in another fiscal year than the rest of its sheet (年度外の日付),
//! an optional value that could not be read (the field left empty).

use super::place;
use crate::normalise::WarningKind;
use crate::normalise::quality::is_past;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};

pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let year = input.figures.fiscal_year.year();
    let s = Section::new("dq_warnings", "確認が必要な行", "確認").landscape();
    // Rows of earlier fiscal years are listed apart (過年度).
    let warnings: Vec<_> = q.warnings.iter().filter(|w| !is_past(w.fiscal_year, year)).collect();
    if warnings.is_empty() {
        return s.with(Block::Nothing("確認が必要な行はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::plain("種類"),
        Column::wide("場所（ファイル / シート / セル）"),
        Column::plain("列"),
        Column::plain("日付"),
        Column::plain("シートの年度"),
        Column::wide("内容"),
    ])
    .filtered();
    let total = warnings.len();
    for w in warnings.into_iter().take(super::DQ_ROW_LIMIT) {
        let (date, year) = match &w.kind {
            WarningKind::DateOutsideSheetYear { date, sheet_year } => (Some(*date), Some(*sheet_year)),
            WarningKind::Field | WarningKind::Check(_) => (None, None),
        };
        let year = year.and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 4, 1)).map(crate::fiscal::FiscalYear::of);
        t.row(vec![
            Cell::Status(Status::new(w.kind.label_ja(), Tone::Warn)),
            place(input, &w.file, &w.sheet, &w.cell),
            Cell::text(&w.column),
            if date.is_some() { Cell::Date(date) } else { Cell::Empty },
            year.map_or(Cell::Empty, |fy| Cell::text(fy.label_ja())),
            Cell::text(&w.reason),
        ]);
    }
    s.with(Block::Note(
        "年度外の日付は、その日付の年度の実績として数えています（今年度の数値には入りません）。読めない任意項目は空欄として扱い、行は集計しています。\
                         書き方の確認（予定のまま基準日を過ぎた行、受講者数 0、番号のない同じ行など）は、それぞれの内容の欄に、集計したかどうかと直し方を書いています。"
            .into(),
    ))
    .with(Block::Table(t))
    .with_all(super::more_in_json(total, "warnings"))
}
