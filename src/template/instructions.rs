//! The first sheet of every blank workbook: 記入のしかた, short instructions
//! in Japanese. What the book is for, the rules of typing (one row per
//! record, dates, numbers as numbers, the drop-down lists, the required
//! columns), every column with what goes in it and whether it is personal,
//! where to put the files, and the list of all the books.
//!
//! Its first cell is [`INSTRUCTIONS_TITLE`], by which the reader lists the
//! sheet as instructions rather than as an unknown sheet.

use super::columns::{Column, Rule};
use super::{Styles, hf};
use crate::fiscal::{FiscalYear, date_wareki};
use crate::ingest::header::INSTRUCTIONS_TITLE;
use crate::schema::{DatasetId, FieldKind};
use crate::text::display_width;
use anyhow::Context;
use rust_xlsxwriter::Worksheet;

/// The instructions sheet's name.
pub const SHEET_NAME: &str = "記入のしかた";

/// Column widths: 列名, 必須, 個人情報, 書くこと.
const WIDTHS: [f64; 4] = [24.0, 7.0, 9.0, 64.0];

/// What the instructions of one book are about.
pub struct About<'a> {
    pub corner: &'a str,
    pub fy: FiscalYear,
    pub id: DatasetId,
    /// This book's file name.
    pub file: &'a str,
    /// The data sheet's name.
    pub sheet: &'a str,
    pub columns: &'a [Column],
    /// Every book of the set (this one included), in order: record type and file name.
    pub books: &'a [(DatasetId, String)],
}

/// Writes the instructions sheet.
pub fn write_instructions(ws: &mut Worksheet, st: &Styles, a: &About<'_>) -> anyhow::Result<()> {
    let mut w = Writer { ws, st, row: 0 };
    w.ws.set_name(SHEET_NAME).context("the instructions sheet")?;
    for (i, width) in WIDTHS.iter().enumerate() {
        w.ws.set_column_width(i as u16, *width)?;
    }
    let year = a.fy.label_ja();
    w.cell(INSTRUCTIONS_TITLE, &st.title)?;
    w.ws.set_row_height(0, 24)?;
    w.row += 1;
    w.cell(&format!("{}　{year}　{}（{}）", a.corner, a.id.label_ja(), a.file), &st.subtitle)?;
    w.row += 2;

    w.heading("このブックについて")?;
    w.paragraph(&format!(
        "このブックは「{}」の記録です。{}を、「{}」シートの4行目から下に記入します。",
        a.id.label_ja(),
        super::describe::one_row(a.id),
        a.sheet
    ))?;
    if let Some(note) = super::describe::book_note(a.id) {
        w.paragraph(note)?;
    }
    // What the reports count from this book (the KPI catalogue's entries of its record type).
    let counted: Vec<&str> = crate::catalogue::all().filter(|k| k.dataset == a.id).map(|k| k.counts).collect();
    if !counted.is_empty() {
        w.paragraph(&format!("このブックから数える指標: {}。", counted.join("、")))?;
    }
    w.paragraph(
        "1〜3行目（タイトル・説明・見出し）はそのままにしてください。集計は見出しの文字で列を見分けるので、\
         見出しを書き換えると、その列（必須の列なら、シート全体）が集計されません。列の並べ替えや、備考などの列の追加はできます。",
    )?;
    w.row += 1;

    w.heading("入力のきまり")?;
    w.paragraph("・1行に1件を記入します。行の間に空行や合計行があっても構いません（合計の行は数えません）。")?;
    if let Some(c) = a.columns.iter().find(|c| matches!(c.rule, Rule::Date { of_year: true, .. })) {
        w.paragraph(&format!(
            "・日付は {}/5/12 のように入力すると「{}」と表示されます。「{}」には {}〜{} の日付だけを入力できます（前の年度の記録は、前の年度のブックへ）。",
            a.fy.year(),
            chrono::NaiveDate::from_ymd_opt(a.fy.year(), 5, 12).map(date_wareki).unwrap_or_default(),
            c.header,
            date_wareki(a.fy.start()),
            date_wareki(a.fy.end())
        ))?;
    } else if a.columns.iter().any(|c| c.field.kind == FieldKind::Date) {
        w.paragraph(&format!(
            "・日付は {}/5/12 のように入力すると和暦で表示されます。前の年度の日付も入力できます。",
            a.fy.year()
        ))?;
    }
    if a.columns.iter().any(|c| matches!(c.field.kind, FieldKind::Count | FieldKind::Yen | FieldKind::Hours)) {
        w.paragraph(
            "・人数・回数・金額・時間は数字だけを入力します（「12人」ではなく 12、「1,000円」ではなく 1000）。",
        )?;
    }
    if a.columns.iter().any(|c| matches!(c.rule, Rule::List(_))) {
        w.paragraph("・区分などの列は、セルの右の ▼ から選びます。一覧にない値は入力できません。")?;
    }
    w.paragraph(
        "・濃い色の見出しは必須の列です。必須の列が空欄の行は集計されず、報告書と一緒に作られる data-quality.xlsx に、直す行として出ます。",
    )?;
    w.paragraph("・見出しや記入欄のセルを選ぶと、その列に何を書くかが表示されます。入力できない値を入れると、理由が表示されます。")?;
    w.row += 1;

    w.heading("列の一覧")?;
    w.table_row(&["列名（見出し）", "必須", "個人情報", "書くこと"], &st.table_header)?;
    for c in a.columns {
        let what = format!("{}{}", c.about, c.how);
        let required = if c.field.required { "必須" } else { "任意" };
        let pii = if c.field.pii { "個人情報" } else { "" };
        w.table_row(&[c.header.as_str(), required, pii, what.as_str()], &st.table_cell)?;
    }
    w.row += 1;

    w.heading("個人情報")?;
    let pii: Vec<&str> = a.columns.iter().filter(|c| c.field.pii).map(|c| c.header.as_str()).collect();
    if pii.is_empty() {
        w.paragraph("このブックに個人情報の列はありません。氏名などを備考の列に書かないでください。")?;
    } else {
        w.paragraph(&format!(
            "「{}」は個人情報です。集計のときに読みますが、報告書・集計表・メールには一切出ません。\
             ブックそのものには個人情報が残るので、保存場所とメールでの送付に注意してください。",
            pii.join("」「")
        ))?;
    }
    w.row += 1;

    w.heading("ブックの置き場所")?;
    w.paragraph(
        "記入したブックは、集計に使うフォルダー（corner-kpi run --input で指定するフォルダー）に置きます。\
         サブフォルダーに分けても、ファイル名を変えても構いません。前の年度のブックも同じフォルダーに置けます（日付で年度を見分けます）。",
    )?;
    w.paragraph("保存していない入力は集計されません。集計の前にブックを保存してください。")?;
    w.row += 1;

    w.heading(&format!("ブックの一覧（{year}）"))?;
    for (id, file) in a.books {
        let what = format!("{}: {}", id.label_ja(), super::describe::one_row(*id));
        w.book_row(file, &what)?;
    }

    w.ws.set_paper_size(9);
    w.ws.set_portrait();
    w.ws.set_print_fit_to_pages(1, 0);
    w.ws.set_margins(0.6, 0.6, 0.75, 0.75, 0.3, 0.3);
    w.ws.set_header(format!("&L&8 {}&R&8 {}", hf(a.corner), hf(&format!("{year}　{}　記入のしかた", a.id.label_ja()))));
    w.ws.set_footer("&C&P / &N");
    Ok(())
}

/// Writes rows one after the other.
struct Writer<'a, 'b> {
    ws: &'a mut Worksheet,
    st: &'b Styles,
    row: u32,
}

impl Writer<'_, '_> {
    fn cell(&mut self, text: &str, f: &rust_xlsxwriter::Format) -> anyhow::Result<()> {
        self.ws.write_string_with_format(self.row, 0, text, f)?;
        Ok(())
    }

    fn heading(&mut self, text: &str) -> anyhow::Result<()> {
        self.ws.write_string_with_format(self.row, 0, text, &self.st.heading)?;
        self.ws.set_row_height(self.row, 20)?;
        self.row += 1;
        Ok(())
    }

    /// A paragraph over the four columns, wrapped, its row as tall as its lines.
    fn paragraph(&mut self, text: &str) -> anyhow::Result<()> {
        let width: f64 = WIDTHS.iter().sum();
        self.ws.merge_range(self.row, 0, self.row, 3, text, &self.st.paragraph)?;
        self.ws.set_row_height(self.row, height(text, width))?;
        self.row += 1;
        Ok(())
    }

    /// One row of a four-column table.
    fn table_row(&mut self, cells: &[&str; 4], f: &rust_xlsxwriter::Format) -> anyhow::Result<()> {
        for (i, text) in cells.iter().enumerate() {
            self.ws.write_string_with_format(self.row, i as u16, *text, f)?;
        }
        let tallest = cells.iter().zip(WIDTHS).map(|(t, w)| height(t, w)).fold(0.0, f64::max);
        self.ws.set_row_height(self.row, tallest)?;
        self.row += 1;
        Ok(())
    }
}

impl Writer<'_, '_> {
    /// A book of the list: its file name over the first three columns.
    fn book_row(&mut self, file: &str, what: &str) -> anyhow::Result<()> {
        let f = &self.st.table_cell;
        self.ws.merge_range(self.row, 0, self.row, 2, file, f)?;
        self.ws.write_string_with_format(self.row, 3, what, f)?;
        let h = height(file, WIDTHS[..3].iter().sum()).max(height(what, WIDTHS[3]));
        self.ws.set_row_height(self.row, h)?;
        self.row += 1;
        Ok(())
    }
}

/// Row height (points) for `text` wrapped in `width` half-width characters.
fn height(text: &str, width: f64) -> f64 {
    let per_line = (width - 1.0).max(4.0);
    let lines: f64 = text.split('\n').map(|l| (display_width(l) as f64 / per_line).ceil().max(1.0)).sum();
    lines * 14.5 + 4.0
}
