//! Writes a `BookLayout` as a minimal, valid OpenDocument spreadsheet by
//! hand: `mimetype` stored first and uncompressed, `META-INF/manifest.xml`,
//! `content.xml` with float, string and date cells. No whitespace between
//! elements (calamine reads text nodes inside a row as an error) and fixed
//! zip timestamps, so the bytes are the same on every run.

use super::layout::{BookLayout, Cell, SheetLayout};
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

use crate::text::escape_html as esc;

/// Text as paragraphs: a line break starts a new `text:p`.
fn paragraphs(s: &str) -> String {
    s.split('\n').map(|p| format!("<text:p>{}</text:p>", esc(p))).collect()
}

fn cell_xml(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "<table:table-cell/>".to_string(),
        Cell::Text(s) => {
            format!(r#"<table:table-cell office:value-type="string">{}</table:table-cell>"#, paragraphs(s))
        }
        Cell::Num(v) => format!(
            r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
        ),
        Cell::Date(d, _) => {
            let iso = d.format("%Y-%m-%d");
            let shown = d.format("%Y/%m/%d");
            format!(
                r#"<table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="{iso}"><text:p>{shown}</text:p></table:table-cell>"#
            )
        }
        Cell::Formula { formula, result } => {
            let of = formula.trim_start_matches('=');
            format!(
                r#"<table:table-cell table:formula="of:={}" office:value-type="float" office:value="{result}"><text:p>{result}</text:p></table:table-cell>"#,
                esc(&of.replace("SUM(", "SUM([.").replace(':', ":.").replace(')', "])"))
            )
        }
    }
}

fn row_xml(cells: &[String]) -> String {
    format!("<table:table-row>{}</table:table-row>", cells.concat())
}

fn sheet_xml(sheet: &SheetLayout) -> String {
    let ncols = sheet.headers.len().max(1);
    // Every row of the sheet, in order, as cell strings.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let ensure = |rows: &mut Vec<Vec<String>>, r: usize| {
        while rows.len() <= r {
            rows.push(Vec::new());
        }
    };
    for line in &sheet.top {
        let r = line.row as usize;
        ensure(&mut rows, r);
        let mut cells: Vec<String> = (0..line.col).map(|_| "<table:table-cell/>".to_string()).collect();
        if line.span > 1 {
            cells.push(format!(
                r#"<table:table-cell table:number-columns-spanned="{}" office:value-type="string">{}</table:table-cell>"#,
                line.span,
                paragraphs(&line.text)
            ));
            cells.extend((1..line.span).map(|_| "<table:covered-table-cell/>".to_string()));
        } else {
            cells.push(cell_xml(&Cell::Text(line.text.clone())));
        }
        rows[r] = cells;
    }
    for (r, cells) in &sheet.free {
        ensure(&mut rows, *r as usize);
        rows[*r as usize] = cells.iter().map(cell_xml).collect();
    }
    if sheet.dataset.is_some() {
        let h = sheet.header_row as usize;
        ensure(&mut rows, h + sheet.body.len());
        rows[h] = sheet.headers.iter().map(|t| cell_xml(&Cell::Text(t.clone()))).collect();
        for (i, body) in sheet.body.iter().enumerate() {
            rows[h + 1 + i] = body.cells.iter().map(cell_xml).collect();
        }
    }
    let mut xml = format!(r#"<table:table table:name="{}">"#, esc(&sheet.name));
    xml.push_str(&format!(r#"<table:table-column table:number-columns-repeated="{ncols}"/>"#));
    for cells in &rows {
        if cells.is_empty() {
            xml.push_str("<table:table-row><table:table-cell/></table:table-row>");
        } else {
            xml.push_str(&row_xml(cells));
        }
    }
    xml.push_str("</table:table>");
    xml
}

fn content_xml(book: &BookLayout) -> String {
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
        r#"</office:automatic-styles>"#,
        r#"<office:body><office:spreadsheet>"#,
    ));
    for sheet in &book.sheets {
        xml.push_str(&sheet_xml(sheet));
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
    zip.write_all(content_xml(book).as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
