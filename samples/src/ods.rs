//! Writes a `BookLayout` as a minimal, valid OpenDocument spreadsheet by
//! hand: `mimetype` stored first and uncompressed, `META-INF/manifest.xml`,
//! `content.xml` with float, string and date cells and merged ranges (title
//! lines across, the layout's vertical data merges down, or any range given:
//! `table:number-columns-spanned` / `table:number-rows-spanned` on the
//! top-left cell, `table:covered-table-cell` for the rest). No whitespace between
//! elements (calamine reads text nodes inside a row as an error) and fixed
//! zip timestamps, so the bytes are the same on every run.

use super::layout::{BookKind, BookLayout, Cell, SheetLayout};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
    r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
    r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
    r#"<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>"#,
    r#"</manifest:manifest>"#,
);

/// Text escaped for XML content and attributes.
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// Text as paragraphs: a line break starts a new `text:p`.
fn paragraphs(s: &str) -> String {
    s.split('\n').map(|p| format!("<text:p>{}</text:p>", esc(p))).collect()
}

/// A merged range: its top-left cell and its size. The top-left cell keeps
/// the value; the others are written as covered cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) row: u32,
    pub(crate) col: u16,
    pub(crate) rows: u32,
    pub(crate) cols: u16,
}

impl Span {
    fn covers(&self, row: u32, col: u16) -> bool {
        (self.row..self.row + self.rows).contains(&row) && (self.col..self.col + self.cols).contains(&col)
    }

    /// The span attributes of the top-left cell (only those above 1).
    fn attrs(&self) -> String {
        let mut a = String::new();
        if self.cols > 1 {
            a.push_str(&format!(r#" table:number-columns-spanned="{}""#, self.cols));
        }
        if self.rows > 1 {
            a.push_str(&format!(r#" table:number-rows-spanned="{}""#, self.rows));
        }
        a
    }
}

/// Automatic cell styles whose font strikes the text through (見え消し):
/// `ce2` for text and numbers, `ce3` for dates; written only into a book
/// that has such a cell.
const STRUCK_STYLES: &str = concat!(
    r#"<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Default"><style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/></style:style>"#,
    r#"<style:style style:name="ce3" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N1"><style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/></style:style>"#,
);

/// A cell; `span` holds the span attributes when it starts a merged range;
/// `struck` strikes its text through.
fn cell_xml(cell: &Cell, span: &str, struck: bool) -> String {
    let style = if struck { r#" table:style-name="ce2""# } else { "" };
    match cell {
        Cell::Empty => format!("<table:table-cell{span}/>"),
        Cell::Text(s) => {
            format!(r#"<table:table-cell{span}{style} office:value-type="string">{}</table:table-cell>"#, paragraphs(s))
        }
        Cell::Num(v) => format!(
            r#"<table:table-cell{span}{style} office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
        ),
        Cell::Date(d, _) => {
            let iso = d.format("%Y-%m-%d");
            let shown = d.format("%Y/%m/%d");
            let style = if struck { "ce3" } else { "ce1" };
            format!(
                r#"<table:table-cell{span} table:style-name="{style}" office:value-type="date" office:date-value="{iso}"><text:p>{shown}</text:p></table:table-cell>"#
            )
        }
        Cell::Formula { formula, result } => {
            let of = formula.trim_start_matches('=');
            format!(
                r#"<table:table-cell{span}{style} table:formula="of:={}" office:value-type="float" office:value="{result}"><text:p>{result}</text:p></table:table-cell>"#,
                esc(&of.replace("SUM(", "SUM([.").replace(':', ":.").replace(')', "])"))
            )
        }
    }
}

/// Row `r`: its cells, merged ranges starting there with their attributes,
/// cells they cover as `table:covered-table-cell` (padded out to the
/// ranges' last column).
fn row_xml(r: u32, cells: &[Cell], spans: &[Span], struck: &[(u32, u16)]) -> String {
    let width =
        spans.iter().filter(|s| s.covers(r, s.col)).map(|s| usize::from(s.col + s.cols)).fold(cells.len(), usize::max);
    if width == 0 {
        return "<table:table-row><table:table-cell/></table:table-row>".to_string();
    }
    let mut xml = String::from("<table:table-row>");
    for c in 0..width {
        let col = c as u16;
        let cell = cells.get(c).unwrap_or(&Cell::Empty);
        let strike = struck.contains(&(r, col));
        match spans.iter().find(|s| s.covers(r, col)) {
            Some(s) if (s.row, s.col) == (r, col) => xml.push_str(&cell_xml(cell, &s.attrs(), strike)),
            Some(_) => xml.push_str("<table:covered-table-cell/>"),
            None => xml.push_str(&cell_xml(cell, "", strike)),
        }
    }
    xml.push_str("</table:table-row>");
    xml
}

/// A sheet: title lines (merged across when they span), free cells, the
/// header and body rows with their vertical merges, plus `extra` merged
/// ranges.
fn sheet_xml(sheet: &SheetLayout, extra: &[Span]) -> String {
    let ncols = sheet.headers.len().max(1);
    // Every row of the sheet, in order; a row written later replaces an
    // earlier one, with the title range that started on it.
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    fn put(rows: &mut Vec<Vec<Cell>>, spans: &mut Vec<Span>, r: usize, cells: Vec<Cell>) {
        while rows.len() <= r {
            rows.push(Vec::new());
        }
        rows[r] = cells;
        spans.retain(|s| s.row as usize != r);
    }
    for line in &sheet.top {
        let mut cells = vec![Cell::Empty; usize::from(line.col)];
        cells.push(Cell::Text(line.text.clone()));
        put(&mut rows, &mut spans, line.row as usize, cells);
        if line.span > 1 {
            spans.push(Span { row: line.row, col: line.col, rows: 1, cols: line.span });
        }
    }
    for (r, cells) in &sheet.free {
        put(&mut rows, &mut spans, *r as usize, cells.clone());
    }
    if sheet.dataset.is_some() {
        let h = sheet.header_row as usize;
        put(&mut rows, &mut spans, h, sheet.headers.iter().map(|t| Cell::Text(t.clone())).collect());
        for (i, body) in sheet.body.iter().enumerate() {
            put(&mut rows, &mut spans, h + 1 + i, body.cells.clone());
        }
        for m in &sheet.merges {
            let row = sheet.header_row + 1 + m.first as u32;
            spans.push(Span { row, col: m.col, rows: (m.last - m.first + 1) as u32, cols: 1 });
        }
    }
    spans.extend_from_slice(extra);
    let struck: Vec<(u32, u16)> = sheet.struck.iter().map(|&(i, c)| (sheet.header_row + 1 + i as u32, c)).collect();
    let last_span_row = spans.iter().map(|s| (s.row + s.rows) as usize).max().unwrap_or(0);
    let mut xml = format!(r#"<table:table table:name="{}">"#, esc(&sheet.name));
    xml.push_str(&format!(r#"<table:table-column table:number-columns-repeated="{ncols}"/>"#));
    for r in 0..rows.len().max(last_span_row) {
        xml.push_str(&row_xml(r as u32, rows.get(r).map_or(&[][..], Vec::as_slice), &spans, &struck));
    }
    xml.push_str("</table:table>");
    xml
}

/// `extra[i]`: merged ranges written into sheet `i` besides its layout's own.
fn content_xml(book: &BookLayout, extra: &[Vec<Span>]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content"#,
        r#" xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
        r#" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0""#,
        r#" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#,
        r#" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
        r#" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0""#,
        r#" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#,
        r#" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2""#,
        r#" office:version="1.2">"#,
        r#"<office:automatic-styles>"#,
        r#"<number:date-style style:name="N1"><number:year number:style="long"/><number:text>/</number:text><number:month/><number:text>/</number:text><number:day/></number:date-style>"#,
        r#"<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N1"/>"#,
    ));
    if book.sheets.iter().any(|s| !s.struck.is_empty()) {
        xml.push_str(STRUCK_STYLES);
    }
    xml.push_str(concat!(r#"</office:automatic-styles>"#, r#"<office:body><office:spreadsheet>"#));
    for (i, sheet) in book.sheets.iter().enumerate() {
        xml.push_str(&sheet_xml(sheet, extra.get(i).map_or(&[][..], Vec::as_slice)));
    }
    xml.push_str("</office:spreadsheet></office:body></office:document-content>");
    xml
}

fn meta_xml(book: &BookLayout) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">"#,
            r#"<office:meta><meta:creation-date>{}T09:00:00</meta:creation-date><meta:generator>corner-kpi gen-samples</meta:generator></office:meta>"#,
            r#"</office:document-meta>"#,
        ),
        book.created.format("%Y-%m-%d")
    )
}

/// The spreadsheet's bytes.
pub(crate) fn ods_bytes(book: &BookLayout) -> zip::result::ZipResult<Vec<u8>> {
    write_ods(book, &[])
}

/// One sheet of plain rows (`rows[i]` is row `i`, from column A) with merged
/// ranges, as `.ods` bytes.
pub(crate) fn plain_sheet_bytes(name: &str, rows: Vec<Vec<Cell>>, spans: Vec<Span>) -> zip::result::ZipResult<Vec<u8>> {
    let mut sheet = SheetLayout::new(name, None);
    sheet.free = rows.into_iter().enumerate().map(|(r, cells)| (r as u32, cells)).collect();
    let created = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    let book = BookLayout { path: format!("{name}.ods"), kind: BookKind::Ods, created, sheets: vec![sheet] };
    write_ods(&book, &[spans])
}

fn write_ods(book: &BookLayout, extra: &[Vec<Span>]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let fixed = DateTime::default();
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored).last_modified_time(fixed);
    let deflated =
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(fixed);
    zip.start_file("mimetype", stored)?;
    zip.write_all(MIMETYPE.as_bytes())?;
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(MANIFEST.as_bytes())?;
    zip.start_file("meta.xml", deflated)?;
    zip.write_all(meta_xml(book).as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content_xml(book, extra).as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{BodyKind, BodyMerge, BodyRow, TopLine};
    use calamine::{Data, Ods, Reader};

    /// A dispatch-like sheet: a title across three columns, a header, and a
    /// 区分 merged down three body rows.
    fn sheet() -> SheetLayout {
        let mut s = SheetLayout::new("派遣", Some("dispatches"));
        s.top.push(TopLine { row: 0, col: 0, text: "題".into(), span: 3 });
        s.header_row = 1;
        s.headers = vec!["職種".into(), "区分".into(), "受講者数".into()];
        for (trade, kubun, n) in [("旋盤", "熟練技能者", 3.0), ("溶接", "", 4.0), ("塗装", "", 5.0), ("木工", "", 6.0)]
        {
            let kubun = if kubun.is_empty() { Cell::Empty } else { Cell::text(kubun) };
            s.body.push(BodyRow { kind: BodyKind::Record, cells: vec![Cell::text(trade), kubun, Cell::Num(n)] });
        }
        s.merges.push(BodyMerge { first: 0, last: 2, col: 1 });
        s
    }

    #[test]
    fn title_spans_and_data_merges_are_written_as_spanned_and_covered_cells() {
        let book = BookLayout {
            path: "x.ods".into(),
            kind: BookKind::Ods,
            created: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            sheets: vec![sheet()],
        };
        let xml = content_xml(&book, &[]);
        let rows: Vec<&str> = xml.split("<table:table-row>").skip(1).collect();
        assert!(rows[0].contains(r#"table:number-columns-spanned="3""#), "{xml}");
        assert!(rows[2].contains(r#"table:number-rows-spanned="3""#), "{xml}");
        assert_eq!(rows[3].matches("<table:covered-table-cell/>").count(), 1, "{xml}");
        assert_eq!(rows[4].matches("<table:covered-table-cell/>").count(), 1, "{xml}");
        let bytes = ods_bytes(&book).unwrap();
        let mut ods = Ods::new(Cursor::new(bytes)).unwrap();
        let range = ods.worksheet_range("派遣").unwrap();
        assert_eq!(range.get_value((2, 1)), Some(&Data::String("熟練技能者".into())));
        assert_eq!(range.get_value((3, 1)), Some(&Data::Empty));
        assert_eq!(range.get_value((5, 2)), Some(&Data::Float(6.0)));
    }

    #[test]
    fn a_range_past_the_last_row_pads_with_covered_cells() {
        let xml = sheet_xml(&SheetLayout::new("s", None), &[Span { row: 1, col: 2, rows: 2, cols: 2 }]);
        let rows: Vec<&str> = xml.split("<table:table-row>").skip(1).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].starts_with("<table:table-cell/></table:table-row>"), "{xml}");
        assert!(rows[1].starts_with(
            r#"<table:table-cell/><table:table-cell/><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2"/><table:covered-table-cell/></table:table-row>"#
        ), "{xml}");
        assert!(rows[2].starts_with(
            "<table:table-cell/><table:table-cell/><table:covered-table-cell/><table:covered-table-cell/></table:table-row>"
        ), "{xml}");
    }
}
