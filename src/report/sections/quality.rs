//! データの品質（付録）: where every file, sheet and row of the folder went,
//! in counts (shared with data-quality.xlsx's 概要), and the rows a person
//! must fix. The center sees the counts and the rejected rows; the staff's
//! data-quality.xlsx has every detail.

use crate::ingest::FileOutcome;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};

/// The counts of the ledger, as (label, count, is a sub-item), with the
/// accepted rows split so rows not counted are never read as counted.
pub fn counts(input: &ReportInput) -> Vec<(&'static str, usize, bool)> {
    let q = input.quality;
    let f = input.figures;
    let files = |p: fn(&FileOutcome) -> bool| q.files.iter().filter(|x| p(&x.outcome)).count();
    let recognised = q.sheets.iter().filter(|s| s.dataset.is_some()).count();
    // Rows, not sessions: a range over a month end is one row in two months.
    let counted = f
        .ledger
        .iter()
        .filter(|r| r.month.is_some())
        .map(|r| (r.dataset, &r.file, &r.sheet, &r.cell))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let later = f.after_as_of.len();
    let before = f.before_fiscal_year;
    let undated = q.accepted().saturating_sub(counted + later + before);
    let blank: usize = q.sheets.iter().map(|s| s.skipped_blank).sum();
    let total: usize = q.sheets.iter().map(|s| s.skipped_total).sum();
    let dup: usize = q.sheets.iter().map(|s| s.skipped_duplicate).sum();
    let checks = q.warnings.iter().filter(|w| matches!(w.kind, crate::normalise::WarningKind::Check(_))).count();
    vec![
        ("フォルダー内のファイル", q.files.len(), false),
        ("読み込んだブック", files(|o| matches!(o, FileOutcome::Read { .. })), true),
        ("読めなかったブック", files(|o| matches!(o, FileOutcome::Unreadable { .. })), true),
        ("対象外のファイル", files(|o| matches!(o, FileOutcome::Skipped { .. })), true),
        ("同じ内容の重複ファイル", files(|o| matches!(o, FileOutcome::Duplicate { .. })), true),
        ("集計したシート", recognised, false),
        ("対象外・判定不能のシート", q.sheets.len() - recognised, false),
        ("読み込んだ行", q.rows_read(), false),
        ("採用した行", q.accepted(), false),
        ("うち この報告の期間（年度初め〜基準日）の行", counted, true),
        ("うち 日付のない記録（登録台帳・競技大会の参加者）", undated, true),
        ("うち 年度前の日付（活動の履歴としてだけ使用）", before, true),
        ("うち 基準日より後の日付（集計外）", later, true),
        ("除外した行", q.rejected.len(), false),
        ("うち 番号の重複で内容が異なる", q.conflicts(), true),
        (
            "うち 前の年度の行（過年度、一覧は別）",
            q.rejected.len() - q.rejected_from(input.figures.fiscal_year.year()),
            true,
        ),
        ("読み飛ばした行", q.skipped(), false),
        ("うち 空行", blank, true),
        ("うち 合計行", total, true),
        ("うち 重複（同じ内容の繰り返し・シートの複製）", dup, true),
        ("実施しなかった行（中止・延期・予定・取り消し線・受講者数 0）", q.not_held_rows(), false),
        ("確認が必要な行・項目", q.warnings.len(), false),
        ("うち 年度外の日付", q.warnings_of("date_outside_sheet_year"), true),
        ("うち 読めない任意項目", q.warnings_of("field"), true),
        ("うち 書き方の確認（予定・備考・取り消し線・番号のない同じ行など）", checks, true),
        ("前の年度の除外・確認（過年度、一覧は別）", q.past_items(input.figures.fiscal_year.year()), false),
    ]
}

/// The counts as a two-column table.
pub fn counts_table(input: &ReportInput) -> Table {
    let mut t = Table::new(vec![Column::wide("項目"), Column::plain("件数")]);
    for (label, n, sub) in counts(input) {
        let label = if sub { format!("　{label}") } else { label.to_string() };
        t.push(if sub { RowKind::Data } else { RowKind::Subtotal }, vec![Cell::text(label), Cell::int(n as i64)]);
    }
    t
}

/// The center report's appendix.
pub fn build(input: &ReportInput) -> Section {
    let q = input.quality;
    let mut s =
        Section::new("quality", "データの品質", "データの品質").appendix().with(Block::Table(counts_table(input)));
    let unreconciled: Vec<String> = q
        .sheets
        .iter()
        .filter(|x| x.dataset.is_some() && !x.reconciles())
        .map(|x| format!("{} / {}", x.file, x.sheet))
        .collect();
    s.push(Block::Note(if unreconciled.is_empty() {
        "すべてのシートで「読み込んだ行 = 採用 + 除外 + 読み飛ばし + 実施しなかった行」が一致しています。".into()
    } else {
        format!("行数が一致しないシート: {}", unreconciled.join("、"))
    }));
    // Rows of earlier fiscal years are the corner's history (過年度), not this year's to fix.
    let year = input.figures.fiscal_year.year();
    let rejected: Vec<_> =
        q.rejected.iter().filter(|r| !crate::normalise::quality::is_past(r.fiscal_year, year)).collect();
    if rejected.is_empty() {
        s.push(Block::Nothing("除外した行はありません。".into()));
        return s;
    }
    let mut t = Table::new(vec![
        Column::wide("場所（ファイル / シート / セル）"),
        Column::plain("記録"),
        Column::plain("列"),
        Column::wide("理由"),
    ])
    .limit_html(super::HTML_ROW_LIMIT, "data-quality.xlsx");
    for r in rejected {
        t.row(vec![
            Cell::text(format!("{} / {} / {}", r.file, r.sheet, r.cell)),
            Cell::text(r.dataset.label_ja()),
            Cell::text(&r.column),
            Cell::text(&r.reason),
        ]);
    }
    s.push(Block::Paragraph("除外した行（コーナーで修正します）".into()));
    s.push(Block::Table(t));
    s
}
