//! Merged regions of an `.ods` workbook, read from its `content.xml`: calamine
//! 0.38 reads the cells of an .ods but not its merges.
//!
//! A merged region starts at a `table:table-cell` carrying
//! `table:number-rows-spanned` / `table:number-columns-spanned`; the cells it
//! covers are `table:covered-table-cell`s. Positions are counted exactly as
//! calamine counts them, so a region lands on the cells calamine reports:
//! every `table:table-row` inside a `table:table` is a row (rows inside
//! `table:table-header-rows` or `table:table-row-group` too), a row takes
//! `table:number-rows-repeated` rows, every cell (covered or not) takes
//! `table:number-columns-repeated` columns, and both counts are capped where
//! calamine caps them (1,048,576 rows per table, 16,384 columns per row).
//! One calamine quirk is followed too: rows repeated zero times before the
//! first row holding a value move the whole sheet down (see [`read_table`]).
//!
//! The part is streamed: memory follows the regions found, never a repeat
//! count, and each sheet keeps at most one region more than
//! [`MAX_MERGE_REGIONS`] (so the caller can tell an over-full sheet). XML that
//! does not parse gives no merges (calamine reports the file). The same pass
//! finds a `content.xml` that ends inside a table, on which calamine 0.38
//! loops forever: [`read`] reports it, so the workbook is refused before
//! calamine sees it.

use super::limits::{MAX_MERGE_REGIONS, MAX_PART_BYTES};
use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};

/// Rows per table and columns per row at most, as calamine caps them.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

const TABLE: &str = "table:table";
const ROW: &str = "table:table-row";
const CELL: &str = "table:table-cell";
const COVERED: &str = "table:covered-table-cell";

/// Merged regions by sheet name (0-based rows and columns, inclusive).
pub type SheetMerges = HashMap<String, Vec<Dimensions>>;

/// What calamine 0.38 does not give of an .ods's sheets: their merged
/// regions, and their cells whose style strikes the text through (見え消し:
/// an automatic cell style of `content.xml` with a
/// `style:text-line-through-style` other than `none`).
#[derive(Debug, Clone, Default)]
pub struct OdsSheets {
    pub merges: SheetMerges,
    /// Struck-through cells holding a value, by sheet name.
    pub struck: HashMap<String, Vec<(u32, u32)>>,
    /// The cells from each sheet's first valued cell to its last (rows ×
    /// columns), which calamine lays out densely.
    pub areas: Vec<(String, u64, u64)>,
}

impl OdsSheets {
    pub fn merges(&self, sheet: &str) -> &[Dimensions] {
        self.merges.get(sheet).map_or(&[], Vec::as_slice)
    }

    pub fn struck(&self, sheet: &str) -> &[(u32, u32)] {
        self.struck.get(sheet).map_or(&[], Vec::as_slice)
    }
}

/// Struck-through cells kept per sheet at most (a sheet holds no more cells).
const MAX_STRUCK: usize = super::limits::MAX_CELLS_PER_SHEET;

/// `content.xml` ends inside a table: a truncated or crafted part, which
/// calamine 0.38 would read forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncated;

/// Why reading a table stopped early.
enum Stop {
    Truncated,
    /// Malformed XML or attributes: calamine fails on the same part.
    Broken,
}

/// The merged regions of every sheet of an `.ods` held in `bytes`. Not a
/// zip, or no `content.xml`: no merges.
pub fn read(bytes: &[u8]) -> Result<SheetMerges, Truncated> {
    read_sheets(bytes).map(|s| s.merges)
}

/// The merged regions and struck-through cells of every sheet of an `.ods`
/// held in `bytes`.
pub fn read_sheets(bytes: &[u8]) -> Result<OdsSheets, Truncated> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(OdsSheets::default());
    };
    let Ok(part) = zip.by_name("content.xml") else {
        return Ok(OdsSheets::default());
    };
    read_content_sheets(BufReader::new(part.take(MAX_PART_BYTES)))
}

/// The merged regions of every table of a `content.xml` stream.
pub fn read_content<R: BufRead>(xml: R) -> Result<SheetMerges, Truncated> {
    read_content_sheets(xml).map(|s| s.merges)
}

/// The merged regions and struck-through cells of every table of a
/// `content.xml` stream.
pub fn read_content_sheets<R: BufRead>(xml: R) -> Result<OdsSheets, Truncated> {
    let mut reader = Reader::from_reader(xml);
    // calamine's settings, so both readers see the same events.
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;

    let mut sheets = OdsSheets::default();
    let mut buf = Vec::with_capacity(1024);
    // Automatic cell styles that strike the text through, and the one being read.
    let mut struck_styles: Vec<String> = Vec::new();
    let mut style: Option<String> = None;
    loop {
        let name = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName(TABLE) => match table_name(&e) {
                Ok(name) => name,
                Err(()) => return Ok(OdsSheets::default()),
            },
            Ok(Event::Start(e)) if e.name() == QName("style:style") => {
                let cell_style =
                    matches!(e.try_get_attribute("style:family"), Ok(Some(a)) if a.value.as_ref() == "table-cell");
                style = match e.try_get_attribute("style:name") {
                    Ok(Some(a)) if cell_style => Some(a.value.into_owned()),
                    _ => None,
                };
                None
            }
            Ok(Event::End(e)) if e.name() == QName("style:style") => {
                style = None;
                None
            }
            Ok(Event::Start(e)) if e.name() == QName("style:text-properties") => {
                let through = matches!(
                    e.try_get_attribute("style:text-line-through-style"),
                    Ok(Some(a)) if a.value.as_ref() != "none"
                );
                if let (true, Some(name)) = (through, &style) {
                    struck_styles.push(name.clone());
                }
                None
            }
            Ok(Event::Eof) => return Ok(sheets),
            Ok(_) => None,
            Err(_) => return Ok(OdsSheets::default()),
        };
        buf.clear();
        // A table without a name is not a sheet for calamine: its rows are
        // passed over like any other element.
        let Some(name) = name else { continue };
        match read_table(&mut reader, &struck_styles) {
            // A second table of the same name replaces the first, as in calamine.
            Ok((regions, struck, (rows, cols))) => {
                sheets.merges.insert(name.clone(), regions);
                sheets.struck.insert(name.clone(), struck);
                sheets.areas.push((name, rows, cols));
            }
            Err(Stop::Truncated) => return Err(Truncated),
            Err(Stop::Broken) => return Ok(OdsSheets::default()),
        }
    }
}

/// A table's merged regions, struck-through cells and valued area (rows, columns).
type Table = (Vec<Dimensions>, Vec<(u32, u32)>, (u64, u64));

/// Where a row's struck-through cells go, and which styles strike.
struct Struck<'s> {
    styles: &'s [String],
    cells: Vec<(u32, u32)>,
    /// First and last row and column of the cells holding a value.
    area: Option<(u32, u32, u32, u32)>,
}

/// `table:name`, entities decoded as calamine decodes them.
fn table_name(e: &BytesStart<'_>) -> Result<Option<String>, ()> {
    match e.try_get_attribute(TABLE_NAME) {
        Ok(Some(a)) => quick_xml::escape::unescape(&a.value).map(|s| Some(s.into_owned())).map_err(|_| ()),
        Ok(None) => Ok(None),
        Err(_) => Err(()),
    }
}

const TABLE_NAME: &str = "table:name";

/// Reads one table after its start tag, up to its end tag.
///
/// A row's first line is the number of lines before it (each row element
/// counting its capped repeat). calamine places the sheet's first row that
/// holds a value at `max(its element index, its line)`: the two differ only
/// when rows before it are repeated zero times (`number-rows-repeated="0"`,
/// invalid ODF), and then every row moves down by the difference; so do the
/// regions here.
fn read_table<R: BufRead>(reader: &mut Reader<R>, struck_styles: &[String]) -> Result<Table, Stop> {
    let mut regions = Vec::new();
    let mut struck = Struck { styles: struck_styles, cells: Vec::new(), area: None };
    let mut buf = Vec::with_capacity(1024);
    let mut line: u32 = 0;
    let mut elements: u64 = 0;
    let mut first_valued: Option<(u64, u32)> = None;
    loop {
        let repeats = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName(ROW) => Some(row_repeats(&e)?),
            Ok(Event::End(e)) if e.name() == QName(TABLE) => break,
            Ok(Event::Eof) => return Err(Stop::Truncated),
            Ok(_) => None,
            Err(_) => return Err(Stop::Broken),
        };
        buf.clear();
        let Some(repeats) = repeats else { continue };
        let at = line;
        let capped = u32::try_from(repeats).unwrap_or(u32::MAX).min(MAX_ROWS - line);
        line += capped;
        let valued = read_row(reader, (capped > 0).then_some((at, capped)), &mut regions, &mut struck)?;
        if valued && first_valued.is_none() {
            first_valued = Some((elements, at));
        }
        elements += 1;
    }
    if let Some((index, at)) = first_valued {
        let shift = u32::try_from(index.saturating_sub(u64::from(at))).unwrap_or(u32::MAX);
        if shift > 0 {
            for r in &mut regions {
                r.start.0 = r.start.0.saturating_add(shift);
                r.end.0 = r.end.0.saturating_add(shift);
            }
            for c in &mut struck.cells {
                c.0 = c.0.saturating_add(shift);
            }
        }
    }
    let area = struck
        .area
        .map_or((0, 0), |(r0, r1, c0, c1)| (u64::from(r1) - u64::from(r0) + 1, u64::from(c1) - u64::from(c0) + 1));
    Ok((regions, struck.cells, area))
}

/// `table:number-rows-repeated` (1 when absent). A value that is not a count
/// makes calamine refuse the file.
fn row_repeats(e: &BytesStart<'_>) -> Result<usize, Stop> {
    match e.try_get_attribute("table:number-rows-repeated") {
        Ok(Some(a)) => {
            let v = quick_xml::escape::unescape(&a.value).map_err(|_| Stop::Broken)?;
            v.parse().map_err(|_| Stop::Broken)
        }
        Ok(None) => Ok(1),
        Err(_) => Err(Stop::Broken),
    }
}

/// A cell's start tag: what it occupies and whether it starts a region.
struct CellTag {
    covered: bool,
    repeats: usize,
    rows_spanned: u32,
    cols_spanned: u32,
    /// Has a value calamine keeps (a value attribute, or a string type
    /// whose text is the value).
    valued: bool,
    /// `table:style-name`.
    style: Option<String>,
}

fn cell_tag(e: &BytesStart<'_>, covered: bool) -> Result<CellTag, Stop> {
    let mut tag = CellTag { covered, repeats: 1, rows_spanned: 1, cols_spanned: 1, valued: false, style: None };
    let (mut seen_repeats, mut seen_rows, mut seen_cols) = (false, false, false);
    // calamine ignores spans, so an unreadable span is no span here.
    let span = |v: &str| v.parse::<u32>().ok().filter(|n| *n > 0).unwrap_or(1);
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|_| Stop::Broken)?;
        let v = a.value.as_ref();
        match a.key.as_ref() {
            "table:number-columns-repeated" if !seen_repeats => {
                tag.repeats = v.parse().map_err(|_| Stop::Broken)?;
                seen_repeats = true;
            }
            "table:number-rows-spanned" if !seen_rows => {
                tag.rows_spanned = span(v);
                seen_rows = true;
            }
            "table:number-columns-spanned" if !seen_cols => {
                tag.cols_spanned = span(v);
                seen_cols = true;
            }
            "office:value"
            | "office:string-value"
            | "office:date-value"
            | "office:time-value"
            | "office:boolean-value" => tag.valued = true,
            "office:value-type" if v == "string" => tag.valued = true,
            "table:style-name" => tag.style = Some(v.to_string()),
            _ => {}
        }
    }
    Ok(tag)
}

/// Reads one row after its start tag; `row` is its line and how many lines
/// it repeats over, `None` past the row cap. `Ok(true)` when a cell of the
/// row holds a value calamine keeps.
fn read_row<R: BufRead>(
    reader: &mut Reader<R>,
    row: Option<(u32, u32)>,
    regions: &mut Vec<Dimensions>,
    struck: &mut Struck<'_>,
) -> Result<bool, Stop> {
    let lines = row;
    let row = row.map(|(r, _)| r);
    let mut buf = Vec::with_capacity(256);
    let mut skip = Vec::with_capacity(256);
    let mut col: u32 = 0;
    let mut valued = false;
    loop {
        let tag = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName(CELL) => Some(cell_tag(&e, false)?),
            Ok(Event::Start(e)) if e.name() == QName(COVERED) => Some(cell_tag(&e, true)?),
            Ok(Event::End(e)) if e.name() == QName(ROW) => return Ok(valued),
            Ok(Event::Eof) => return Err(Stop::Truncated),
            Ok(_) => None,
            Err(_) => return Err(Stop::Broken),
        };
        buf.clear();
        let Some(tag) = tag else { continue };
        let capped = u32::try_from(tag.repeats).unwrap_or(u32::MAX).min(MAX_COLUMNS - col);
        if let (Some((r, n)), true, Some(name)) = (lines, tag.valued && !tag.covered, &tag.style)
            && struck.styles.contains(name)
        {
            for line in r..r.saturating_add(n) {
                for c in col..col.saturating_add(capped) {
                    if struck.cells.len() < MAX_STRUCK {
                        struck.cells.push((line, c));
                    }
                }
            }
        }
        if let (Some((r, n)), true, true) = (lines, tag.valued, capped > 0) {
            let (r1, c1) = (r.saturating_add(n.saturating_sub(1)), col.saturating_add(capped - 1));
            struck.area = Some(match struck.area {
                None => (r, r1, col, c1),
                Some((a, b, c, d)) => (a.min(r), b.max(r1), c.min(col), d.max(c1)),
            });
        }
        if capped > 0 {
            valued |= tag.valued;
            let spans = tag.rows_spanned > 1 || tag.cols_spanned > 1;
            if let (Some(r), false, true) = (row, tag.covered, spans)
                && regions.len() <= MAX_MERGE_REGIONS
            {
                let last_row = (u64::from(r) + u64::from(tag.rows_spanned) - 1).min(u64::from(MAX_ROWS - 1));
                let last_col = (u64::from(col) + u64::from(tag.cols_spanned) - 1).min(u64::from(MAX_COLUMNS - 1));
                // Both fit in u32: they are capped just above.
                regions.push(Dimensions::new((r, col), (last_row as u32, last_col as u32)));
            }
        }
        col += capped;
        // The cell's content (text, annotations) holds nothing for us.
        let name = if tag.covered { COVERED } else { CELL };
        reader.read_to_end_into(QName(name), &mut skip).map_err(|_| Stop::Broken)?;
        skip.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Ods, Reader as _};
    use proptest::prelude::*;
    use std::io::Write;

    const HEAD: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
        r#" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
        r#" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        r#"<office:body><office:spreadsheet>"#,
    );
    const TAIL: &str = "</office:spreadsheet></office:body></office:document-content>";

    fn doc(tables: &str) -> String {
        format!("{HEAD}{tables}{TAIL}")
    }

    fn s(text: &str) -> String {
        format!(r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#)
    }

    fn merges(xml: &str) -> SheetMerges {
        read_content(xml.as_bytes()).expect("complete")
    }

    fn dims(r0: u32, c0: u32, r1: u32, c1: u32) -> Dimensions {
        Dimensions::new((r0, c0), (r1, c1))
    }

    /// An .ods holding `content`, for calamine.
    fn ods(content: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(
            br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"></manifest:manifest>"#,
        )
        .unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// Where calamine puts the string `text` of `sheet` (absolute row, column).
    fn calamine_position(content: &str, sheet: &str, text: &str) -> (u32, u32) {
        let mut book = Ods::new(Cursor::new(ods(content))).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        let (r0, c0) = range.start().unwrap();
        let (r, c, _) = range.used_cells().find(|(_, _, v)| **v == Data::String(text.to_string())).unwrap();
        (r0 + r as u32, c0 + c as u32)
    }

    #[test]
    fn a_vertical_and_a_horizontal_region_with_their_covered_cells() {
        let xml = doc(&format!(
            concat!(
                r#"<table:table table:name="S">"#,
                "<table:table-row>{}{}</table:table-row>",
                r#"<table:table-row><table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>V</text:p></table:table-cell>"#,
                r#"<table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>H</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"#,
                "<table:table-row><table:covered-table-cell/>{}</table:table-row>",
                "<table:table-row><table:covered-table-cell/></table:table-row>",
                "</table:table>",
            ),
            s("a"),
            s("b"),
            s("x")
        ));
        assert_eq!(merges(&xml)["S"], [dims(1, 0, 3, 0), dims(1, 1, 1, 2)]);
        assert_eq!(calamine_position(&xml, "S", "V"), (1, 0));
        assert_eq!(calamine_position(&xml, "S", "H"), (1, 1));
        assert_eq!(calamine_position(&xml, "S", "x"), (2, 1));
    }

    #[test]
    fn repeats_header_rows_and_row_groups_count_as_calamine_counts_them() {
        // Row 0 in the header rows, rows 1-3 one repeated element inside a
        // group, then columns: 2 repeated empty cells, a covered pair.
        let xml = doc(&format!(
            concat!(
                r#"<table:table table:name="S"><table:table-column table:number-columns-repeated="9"/>"#,
                "<table:table-header-rows><table:table-row>{}</table:table-row></table:table-header-rows>",
                r#"<table:table-row-group><table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row></table:table-row-group>"#,
                r#"<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell table:number-columns-repeated="2"/>"#,
                r#"<table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="2" office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell><table:covered-table-cell/>{}</table:table-row>"#,
                "</table:table>",
            ),
            s("head"),
            s("after")
        ));
        assert_eq!(merges(&xml)["S"], [dims(4, 4, 5, 5)]);
        assert_eq!(calamine_position(&xml, "S", "head"), (0, 0));
        assert_eq!(calamine_position(&xml, "S", "after"), (4, 6));
    }

    #[test]
    fn each_named_table_is_a_sheet_and_an_unnamed_one_is_not() {
        let span = r#"<table:table-row><table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>m</text:p></table:table-cell></table:table-row>"#;
        let xml = doc(&format!(
            r#"<table:table table:name="A&amp;B">{span}</table:table><table:table>{span}</table:table><table:table table:name="C"><table:table-row>{}</table:table-row>{span}</table:table>"#,
            s("c")
        ));
        let m = merges(&xml);
        assert_eq!(m.len(), 2);
        assert_eq!(m["A&B"], [dims(0, 0, 1, 0)]);
        assert_eq!(m["C"], [dims(1, 0, 2, 0)]);
    }

    #[test]
    fn zero_repeated_rows_before_the_first_value_move_the_sheet_as_in_calamine() {
        let xml = doc(&format!(
            concat!(
                r#"<table:table table:name="S">"#,
                r#"<table:table-row table:number-rows-repeated="0"><table:table-cell/></table:table-row>"#,
                r#"<table:table-row table:number-rows-repeated="0"><table:table-cell/></table:table-row>"#,
                r#"<table:table-row><table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>m</text:p></table:table-cell></table:table-row>"#,
                "<table:table-row>{}</table:table-row></table:table>",
            ),
            s("below")
        ));
        let at = calamine_position(&xml, "S", "m");
        assert_eq!(at, (2, 0), "calamine's own placement changed: revisit read_table");
        assert_eq!(merges(&xml)["S"], [dims(2, 0, 3, 0)]);
        assert_eq!(calamine_position(&xml, "S", "below"), (3, 0));
    }

    #[test]
    fn absurd_repeats_are_capped_where_calamine_caps_them_without_allocating() {
        let xml = doc(concat!(
            r#"<table:table table:name="S">"#,
            r#"<table:table-row table:number-rows-repeated="999999999"><table:table-cell table:number-columns-repeated="999999999"/>"#,
            r#"<table:table-cell table:number-rows-spanned="5" office:value-type="string"><text:p>late</text:p></table:table-cell></table:table-row>"#,
            r#"<table:table-row><table:table-cell table:number-rows-spanned="4000000000" table:number-columns-spanned="4000000000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
            "</table:table>",
        ));
        // The first row takes every line and its second cell no column: no
        // region; the row after it is past the cap.
        assert!(merges(&xml)["S"].is_empty());

        let xml = doc(concat!(
            r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-columns-repeated="16383"/>"#,
            r#"<table:table-cell table:number-rows-spanned="4000000000" table:number-columns-spanned="9" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
        ));
        assert_eq!(merges(&xml)["S"], [dims(0, 16_383, 1_048_575, 16_383)]);
    }

    #[test]
    fn regions_stop_one_past_the_limit() {
        let cell = r#"<table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/>"#;
        let row = format!("<table:table-row>{}</table:table-row>", cell.repeat(1000));
        let n = MAX_MERGE_REGIONS / 1000 + 2;
        let xml = doc(&format!(r#"<table:table table:name="S">{}</table:table>"#, row.repeat(n)));
        assert_eq!(merges(&xml)["S"].len(), MAX_MERGE_REGIONS + 1);
    }

    #[test]
    fn a_part_ending_inside_a_table_is_reported_and_broken_xml_gives_no_merges() {
        let full = doc(
            r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-rows-spanned="2"/></table:table-row></table:table>"#,
        );
        let end = full.find("</table:table>").unwrap();
        // Cut between elements: calamine would loop forever on these.
        for cut in [full.find("<table:table-row>").unwrap(), full.find("<table:table-cell").unwrap(), end] {
            assert_eq!(read_content(&full.as_bytes()[..cut]), Err(Truncated), "cut at {cut}");
        }
        // Cut inside a tag: an XML error, which calamine reports itself.
        assert_eq!(read_content(&full.as_bytes()[..end - 10]), Ok(SheetMerges::new()));
        // Ends after the table: complete enough (calamine reads it).
        assert_eq!(merges(&full[..end + "</table:table>".len()])["S"], [dims(0, 0, 1, 0)]);
        for broken in [
            full.replace(r#"rows-spanned="2""#, r#"rows-spanned="2"#),
            full.replace("<table:table-row>", r#"<table:table-row table:number-rows-repeated="many">"#),
            full.replace("<table:table-cell ", r#"<table:table-cell table:number-columns-repeated="-1" "#),
            full.replace("<table:table-row>", "<table:table-row <"),
        ] {
            assert_eq!(read_content(broken.as_bytes()), Ok(SheetMerges::new()), "{broken}");
        }
        assert_eq!(read_content(&b"\xff\xfe\x00garbage"[..]), Ok(SheetMerges::new()));
        assert_eq!(read(b"not a zip"), Ok(SheetMerges::new()));
    }

    proptest! {
        #[test]
        fn no_damage_to_a_real_part_makes_the_reader_panic(
            at in any::<prop::sample::Index>(),
            with in r#"[<>/="a-z:0-9 \-]{1,12}"#,
        ) {
            let xml = doc(&format!(
                concat!(
                    r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="2">{}</table:table-row>"#,
                    r#"<table:table-row><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="3"/>"#,
                    r#"<table:covered-table-cell table:number-columns-repeated="2"/></table:table-row></table:table>"#,
                ),
                s("x")
            ));
            let i = at.index(xml.len());
            let damaged = format!("{}{with}{}", &xml[..i], &xml[i..]);
            if let Ok(sheets) = read_content(damaged.as_bytes()) {
                prop_assert!(sheets.values().all(|r| r.len() <= MAX_MERGE_REGIONS + 1));
            }
        }

        #[test]
        fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_content(&bytes[..]);
            let _ = read(&bytes);
        }
    }
}
