//! The data sheet of a blank workbook: a title row (corner, year, record
//! type), a hint row, the header row the reader recognises, and below it
//! [`DATA_ROWS`] rows with each column's cell format and data validation.
//! Frozen under the header, printed on A4 fitted to the page width with the
//! header row on every page.

use super::columns::Column;
use super::validation::{data_validation, header_prompt};
use super::{Styles, hf};
use crate::schema::DatasetId;
use crate::text::display_width;
use anyhow::Context;
use rust_xlsxwriter::Worksheet;

/// 0-based row of the title.
pub const TITLE_ROW: u32 = 0;
/// 0-based row of the hint line under the title.
pub const HINT_ROW: u32 = 1;
/// 0-based row of the headers (Excel row 3).
pub const HEADER_ROW: u32 = 2;
/// How many rows below the header carry the formats and the validation.
pub const DATA_ROWS: u32 = 2_000;
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;
/// Wider than this (in half-width characters) prints landscape.
const PORTRAIT_WIDTH: f64 = 95.0;

/// What a data sheet says above its header row.
pub struct Heading<'a> {
    pub corner: &'a str,
    /// `令和8年度`.
    pub year: &'a str,
    pub id: DatasetId,
    /// The sheet's name (the record type's Japanese name).
    pub name: &'a str,
}

/// Writes the data sheet.
pub fn write_data_sheet(ws: &mut Worksheet, st: &Styles, h: &Heading<'_>, columns: &[Column]) -> anyhow::Result<()> {
    let at = || format!("the sheet {}", h.name);
    ws.set_name(h.name).with_context(at)?;
    let last_col = u16::try_from(columns.len().saturating_sub(1)).context("too many columns")?;
    let width: f64 = columns.iter().map(|c| c.width).sum();
    let title = format!("{}　{}　{}", h.corner, h.year, h.id.label_ja());
    let pii: Vec<&str> = columns.iter().filter(|c| c.field.pii).map(|c| c.header.as_str()).collect();
    let pii = if pii.is_empty() {
        String::new()
    } else {
        format!("「{}」は個人情報です（報告書には出ません）。", pii.join("」「"))
    };
    let hint = format!(
        "{}を記入します。濃い色の見出しは必須の列です。見出しのセルを選ぶと書き方が出ます。{pii}詳しくは「記入のしかた」シート。",
        super::describe::one_row(h.id)
    );
    // Both lines wrap within the table (text running on past it would
    // widen the printed page and shrink the table on paper).
    for (row, text, f, points) in [(TITLE_ROW, &title, &st.data_title, 14.0), (HINT_ROW, &hint, &st.hint, 9.0)] {
        if last_col > 0 {
            ws.merge_range(row, 0, row, last_col, text, f).with_context(at)?;
        } else {
            ws.write_string_with_format(row, 0, text, f).with_context(at)?;
        }
        let lines = (display_width(text) as f64 * points / 11.0 / (width - 2.0).max(8.0)).ceil().max(1.0);
        ws.set_row_height(row, lines * points * 1.5 + 4.0).with_context(at)?;
    }

    let first = HEADER_ROW + 1;
    let last = HEADER_ROW + DATA_ROWS;
    for (i, c) in columns.iter().enumerate() {
        let col = u16::try_from(i).context("too many columns")?;
        let head = if c.field.required { &st.header_required } else { &st.header_optional };
        ws.write_string_with_format(HEADER_ROW, col, &c.header, head).with_context(at)?;
        ws.set_column_width(col, c.width).with_context(at)?;
        ws.set_column_format(col, &st.data(c.num_format)).with_context(at)?;
        ws.add_data_validation(HEADER_ROW, col, HEADER_ROW, col, &header_prompt(c)?).with_context(at)?;
        ws.add_data_validation(first, col, last, col, &data_validation(c)?).with_context(at)?;
    }
    ws.set_row_height(HEADER_ROW, 30).with_context(at)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0).with_context(at)?;

    ws.set_paper_size(PAPER_A4);
    if columns.iter().map(|c| c.width).sum::<f64>() > PORTRAIT_WIDTH {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_gridlines(true);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW).with_context(at)?;
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    ws.set_header(format!("&L&8 {}&R&8 {}", hf(h.corner), hf(&format!("{}　{}", h.year, h.id.label_ja()))));
    ws.set_footer("&C&P / &N");
    Ok(())
}
