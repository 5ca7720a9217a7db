//! Writes a `BookLayout` as an `.xlsx` workbook with rust_xlsxwriter: merged
//! titles, wrapped headers, bordered tables, real date cells in three display
//! formats, SUM formulas with cached results. The document's creation time
//! is fixed, so the bytes are the same on every run.

use super::layout::{BookLayout, Cell, DateFmt, SheetLayout};
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;

struct Formats {
    title: Format,
    plain: Format,
    header: Format,
    cell: Format,
    dates: [Format; 3],
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
            plain: Format::new(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7)),
            dates: [
                cell.clone().set_num_format("yyyy/m/d"),
                cell.clone().set_num_format("m\"月\"d\"日\""),
                cell.clone().set_num_format("[$-411]ggge\"年\"m\"月\"d\"日\""),
            ],
            cell,
        }
    }

    fn date(&self, fmt: DateFmt) -> &Format {
        match fmt {
            DateFmt::Slash => &self.dates[0],
            DateFmt::MonthDay => &self.dates[1],
            DateFmt::Wareki => &self.dates[2],
        }
    }
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell, table: bool, f: &Formats) -> Result<(), XlsxError> {
    write_styled_cell(ws, row, col, cell, table, false, f)
}

/// A cell, its font struck through when `struck` (見え消し: the format is
/// made only for such a cell, so a workbook without one defines no struck
/// font).
fn write_styled_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    table: bool,
    struck: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    fn strike_if(struck: bool, format: &Format) -> Cow<'_, Format> {
        if struck { Cow::Owned(format.clone().set_font_strikethrough()) } else { Cow::Borrowed(format) }
    }
    let strike = |format| strike_if(struck, format);
    let base = strike(if table { &f.cell } else { &f.plain });
    match cell {
        Cell::Empty => {
            if table {
                ws.write_blank(row, col, &base)?;
            }
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, &base)?;
        }
        Cell::Num(v) => {
            ws.write_number_with_format(row, col, *v, &base)?;
        }
        Cell::Date(d, fmt) => {
            ws.write_date_with_format(row, col, d, &strike(f.date(*fmt)))?;
        }
        Cell::Formula { formula, result } => {
            let fx = Formula::new(formula.as_str()).set_result(format_result(*result));
            ws.write_formula_with_format(row, col, fx, &base)?;
        }
    }
    Ok(())
}

/// A cached formula result as Excel writes it (`12` not `12.0`).
fn format_result(v: f64) -> String {
    if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v}") }
}

fn write_sheet(ws: &mut Worksheet, sheet: &SheetLayout, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    for (i, w) in sheet.widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    for line in &sheet.top {
        if line.span > 1 {
            ws.merge_range(line.row, line.col, line.row, line.col + line.span - 1, &line.text, &f.title)?;
        } else {
            ws.write_string(line.row, line.col, &line.text)?;
        }
    }
    for (row, cells) in &sheet.free {
        for (c, cell) in cells.iter().enumerate() {
            write_cell(ws, *row, c as u16, cell, false, f)?;
        }
    }
    if sheet.dataset.is_none() {
        return Ok(());
    }
    let h = sheet.header_row;
    if sheet.headers.iter().any(|t| t.contains('\n')) {
        ws.set_row_height(h, 32)?;
    }
    for (c, text) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(h, c as u16, text, &f.header)?;
    }
    ws.set_freeze_panes(h + 1, 0)?;
    for (i, body) in sheet.body.iter().enumerate() {
        let row = h + 1 + i as u32;
        // Blank rows keep the table's borders, as in a hand-kept sheet.
        for (c, cell) in body.cells.iter().enumerate() {
            write_styled_cell(ws, row, c as u16, cell, true, sheet.is_struck(i, c as u16), f)?;
        }
    }
    for m in &sheet.merges {
        let (r1, r2) = (h + 1 + m.first as u32, h + 1 + m.last as u32);
        let top = &sheet.body[m.first].cells[usize::from(m.col)];
        let fmt = match top {
            Cell::Date(_, fmt) => f.date(*fmt).clone(),
            _ => f.cell.clone(),
        };
        ws.merge_range(r1, m.col, r2, m.col, "", &fmt)?;
        write_cell(ws, r1, m.col, top, true, f)?;
    }
    Ok(())
}

/// The workbook's bytes.
pub(crate) fn xlsx_bytes(book: &BookLayout) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = created_at(book.created);
    let props = DocProperties::new()
        .set_author("山口県地域技能振興コーナー")
        .set_company("山口県職業能力開発協会")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    let f = Formats::new();
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, sheet, &f)?;
    }
    wb.save_to_buffer()
}

fn created_at(d: NaiveDate) -> chrono::NaiveDateTime {
    d.and_hms_opt(9, 0, 0).expect("valid time")
}
