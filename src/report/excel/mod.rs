//! The workbook writer: any [`Doc`] → an `.xlsx`. It knows sheets, cells and
//! charts, nothing of KPIs.
//!
//! Sections go on the sheet they name ([`SheetPlace`]); each sheet gets a
//! title block, then its sections one below the other: a heading, paragraphs
//! merged across the printed columns, tables with real number and date
//! cells (never numbers as text, never formulas), a native line chart per
//! cumulative series (its data on a hidden sheet). Columns are sized by
//! East-Asian width; headings break only where the section put a line
//! break. Machine columns (KPI ids) sit at the far right, outside the print
//! area. The first filtered table of a sheet gets the filter, the frozen
//! header and the header repeated on every printed page. Page setup is A4,
//! fitted to the page width, with page numbers in the footer.
//!
//! Every string goes through [`crate::text::clean`] and is written as a
//! string, so `=HYPERLINK(…)` in a sheet name stays literal text.

mod chart;
mod layout;
pub(crate) mod styles;
mod table;

use layout::{height, layout, lines_in};
use table::{write_list, write_table};

pub use styles::FONT;

use super::doc::{Block, Cell, Doc, ListItem, Role, Row, RowKind, Section, SheetPlace, Table};
use crate::format;
use crate::text::{clean, display_width};
use anyhow::Context;
use chart::{ChartData, line_chart};
use rust_xlsxwriter::{ConditionalFormatDataBar, ConditionalFormatType, DocProperties, Url, Workbook, Worksheet};
use styles::{Emphasis, Styles};

/// A4 in Excel's paper size numbering.
const PAPER_A4: u8 = 9;
/// Height of an ordinary row, and of each further line of a wrapped one (points).
const ROW_HEIGHT: f64 = 18.0;
const LINE_HEIGHT: f64 = 14.5;
/// Widest a column gets (in character widths), by role.
const MAX_WIDE: usize = 56;
const MAX_PLAIN: usize = 22;
const MAX_NOTE: usize = 30;
const MIN_WIDTH: usize = 6;
/// The column of a sheet that holds only text (an A4 portrait width).
const TEXT_ONLY_WIDTH: usize = 90;
/// The hidden sheet holding the charts' data.
const CHART_DATA: &str = "グラフデータ";
/// A chart's height (px), and the rows it takes (225 px are 169 pt: 10 rows of 18 pt).
const CHART_HEIGHT: u32 = 225;
const CHART_ROWS: u32 = 10;
/// The printable area of an A4 page within the margins set below, in points
/// (portrait width, height).
const A4_PRINTABLE: (f64, f64) = (523.0, 734.0);

/// The workbook of a document, as bytes.
pub fn write(doc: &Doc) -> anyhow::Result<Vec<u8>> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_default_format(&styles::base(), 18, 72)?;
    let props = DocProperties::new()
        .set_title(clean(&doc.title))
        .set_company(clean(&doc.corner))
        .set_author(&doc.generator)
        .set_creation_datetime(&doc.generated_at);
    wb.set_properties(&props);
    let mut charts = ChartData::default();
    let mut used_names: Vec<String> = Vec::new();
    for sheet in plan_sheets(doc) {
        let name = unique_name(&sheet.name, &mut used_names);
        let ws = wb.add_worksheet();
        ws.set_name(&name).with_context(|| format!("sheet name {name}"))?;
        write_sheet(ws, &st, doc, &sheet, &mut charts)?;
    }
    if !charts.columns.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(CHART_DATA)?;
        charts.write(ws, &st)?;
        ws.set_hidden(true);
    }
    Ok(wb.save_to_buffer()?)
}

/// The sections of one sheet.
struct SheetPlan<'a> {
    name: String,
    landscape: bool,
    sections: Vec<&'a Section>,
}

fn plan_sheets(doc: &Doc) -> Vec<SheetPlan<'_>> {
    let mut out: Vec<SheetPlan<'_>> = Vec::new();
    for s in &doc.sections {
        match (&s.sheet, out.last_mut()) {
            (SheetPlace::Same, Some(last)) => last.sections.push(s),
            (SheetPlace::New(name), _) => {
                out.push(SheetPlan { name: name.clone(), landscape: s.landscape, sections: vec![s] })
            }
            (SheetPlace::Same, None) => {
                out.push(SheetPlan { name: s.title.clone(), landscape: s.landscape, sections: vec![s] })
            }
        }
    }
    out
}

/// A valid, unique sheet name (at most 31 characters, none of `[]:*?/\`).
fn unique_name(wanted: &str, used: &mut Vec<String>) -> String {
    let base: String = clean(wanted).chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(28).collect();
    let base = if base.trim().is_empty() { "Sheet".to_string() } else { base };
    let mut name = base.clone();
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        name = format!("{base}({n})");
        n += 1;
    }
    used.push(name.clone());
    name
}

/// `&` is a control character in Excel headers and footers.
fn hf(s: &str) -> String {
    clean(s).replace('&', "&&")
}

fn write_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    doc: &Doc,
    sheet: &SheetPlan<'_>,
    charts: &mut ChartData,
) -> anyhow::Result<()> {
    let lay = layout(sheet);
    for (i, w) in lay.widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w as f64)?;
    }
    let last_print = (lay.print_cols - 1) as u16;
    let print_width: usize = lay.widths[..lay.print_cols].iter().sum();

    ws.set_default_row_height(ROW_HEIGHT);
    ws.set_paper_size(PAPER_A4);
    if sheet.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    // A sheet with charts is printed at a fixed scale, so the page breaks
    // that keep a chart with its table hold (Excel ignores manual breaks
    // under "fit to page"); the others fit to the page width.
    let has_charts = sheet.sections.iter().flat_map(|s| &s.blocks).any(|b| matches!(b, Block::Series(_)));
    let (page_w, page_h) = if sheet.landscape { (A4_PRINTABLE.1, A4_PRINTABLE.0) } else { A4_PRINTABLE };
    // Column widths are in characters of about 7.2 px (0.75 pt a px).
    let sheet_w = print_width as f64 * 7.2 * 0.75;
    let scale = (page_w / sheet_w).min(1.0) * 0.97;
    let page_rows_pt = page_h / scale;
    if has_charts {
        ws.set_print_scale((scale * 100.0).floor().clamp(10.0, 100.0) as u16);
    } else {
        ws.set_print_fit_to_pages(1, 0);
    }
    let mut breaks: Vec<u32> = Vec::new();
    // Points used on the current printed page (approximate: wrapped rows are
    // taller; the header lines of the sheet count as a few rows).
    let mut used = 4.0 * ROW_HEIGHT;
    // Whether a table, list or chart is on the current page yet.
    let mut content_on_page = false;
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    let as_of = format!("{}現在", format::date_prose(doc.as_of));
    // `&8 ` sets the font size; the space keeps a following digit out of it.
    ws.set_header(format!("&L&8 {}&R&8 {}", hf(&doc.corner), hf(&doc.title)));
    ws.set_footer(format!("&L&8 {}&C&P / &N&R&8 作成 {}", hf(&as_of), hf(&format::datetime(doc.generated_at))));

    ws.write_string_with_format(0, 0, clean(&doc.title), &st.title)?;
    ws.set_row_height(0, 24)?;
    let to = doc.addressee.as_ref().map(|a| format!("　報告先：{a}")).unwrap_or_default();
    ws.write_string_with_format(1, 0, clean(&format!("{}　{as_of}{to}", doc.corner)), &st.subtitle)?;
    let mut row: u32 = 3;
    let mut frozen = false;
    let mut last_row = row;
    for section in &sheet.sections {
        ws.write_string_with_format(row, 0, clean(&section.title), &st.heading)?;
        ws.set_row_height(row, 22)?;
        row += 1;
        used += 22.0;
        for (i, block) in section.blocks.iter().enumerate() {
            // A chart, its table and the line above them stay on one page.
            if has_charts {
                let unit = keep_together(&section.blocks[i..], print_width);
                // Never before the first: a heading stays with what it heads.
                if unit > 0.0 && used + unit > page_rows_pt && content_on_page {
                    breaks.push(row);
                    used = 0.0;
                    content_on_page = false;
                }
            }
            let before = row;
            match block {
                Block::Paragraph(text) | Block::Note(text) | Block::Nothing(text) => {
                    let f = if matches!(block, Block::Paragraph(_)) { &st.paragraph } else { &st.note };
                    let text = clean(text);
                    if last_print > 0 {
                        ws.merge_range(row, 0, row, last_print, &text, f)?;
                    } else {
                        ws.write_string_with_format(row, 0, text.as_ref(), f)?;
                    }
                    ws.set_row_height(row, height(lines_in(&text, print_width)))?;
                    row += 1;
                }
                Block::Table(t) => {
                    let top = row;
                    row = write_table(ws, st, t, &lay, row)?;
                    if t.filter && !frozen && row > top + 1 {
                        ws.autofilter(top, 0, row - 1, last_print)?;
                        ws.set_freeze_panes(top + 1, 0)?;
                        ws.set_repeat_rows(top, top)?;
                        frozen = true;
                    }
                }
                Block::List(items) => row = write_list(ws, st, items, &lay, row)?,
                Block::Series(chart) => {
                    let c = charts.add(chart);
                    let mut ch = line_chart(chart, &c);
                    let px: f64 = lay.widths[..lay.print_cols].iter().map(|w| *w as f64 * 7.2).sum();
                    ch.set_width(px.clamp(480.0, 760.0) as u32).set_height(CHART_HEIGHT);
                    ws.insert_chart(row, 0, &ch)?;
                    row += CHART_ROWS;
                }
                // The timeline's table says it in a workbook.
                Block::Timeline(_) => continue,
            }
            last_row = row;
            row += 1;
            used += f64::from(row - before) * ROW_HEIGHT;
            content_on_page |= matches!(block, Block::Table(_) | Block::List(_) | Block::Series(_));
            while used > page_rows_pt {
                used -= page_rows_pt;
                content_on_page = used > 0.0;
            }
        }
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    if lay.widths.len() > lay.print_cols {
        ws.set_print_area(0, 0, last_row.max(1), last_print)?;
    }
    Ok(())
}

/// The height (points, with the blank row after each block) of the blocks
/// that must print together starting at `blocks[0]`: a line, a table and
/// its chart, or a table and its chart; 0 when `blocks[0]` starts none.
fn keep_together(blocks: &[Block], print_width: usize) -> f64 {
    let table = |t: &Table| (t.rows.len() as f64 + 2.0) * ROW_HEIGHT;
    let chart = f64::from(CHART_ROWS + 1) * ROW_HEIGHT;
    match blocks {
        [Block::Paragraph(text), Block::Table(t), Block::Series(_), ..] => {
            height(lines_in(text, print_width)) + ROW_HEIGHT + table(t) + chart
        }
        [Block::Table(t), Block::Series(_), ..] => table(t) + chart,
        _ => 0.0,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::fixture::{fixture, xlsx_parts};
    use crate::report::{center, data_quality, ministry};
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn book(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
    }

    fn strings(range: &calamine::Range<Data>) -> Vec<String> {
        range
            .used_cells()
            .filter_map(|(_, _, v)| match v {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn workbooks_open_with_the_summary_and_keep_the_chart_data_hidden() {
        let fx = fixture();
        let m = write(&ministry(&fx.input())).unwrap();
        let names = book(&m).sheet_names().to_vec();
        assert_eq!(names, ["概要", "指標別", "月別推移", "派遣先区分別", "年間予定", "前回報告からの修正", CHART_DATA]);
        let meta = book(&m).sheets_metadata().to_vec();
        assert!(meta.iter().any(|s| s.name == CHART_DATA && s.visible != calamine::SheetVisible::Visible));
        let c = book(&write(&center(&fx.input())).unwrap()).sheet_names().to_vec();
        for s in ["職種別", "地区別", "開拓訪問", "競技大会", "マイスター", "確認事項", "基準日後の行", "データの品質"]
        {
            assert!(c.iter().any(|n| n == s), "{s} in {c:?}");
        }
        let q = book(&write(&data_quality(&fx.input())).unwrap()).sheet_names().to_vec();
        assert_eq!(q, ["概要", "除外した行", "確認", "実施しなかった行", "重複", "過年度", "シート別", "ファイル"]);
    }

    #[test]
    fn figures_are_number_cells_months_real_dates_and_there_are_native_charts() {
        let fx = fixture();
        let bytes = write(&ministry(&fx.input())).unwrap();
        let parts = xlsx_parts(&bytes);
        let charts: Vec<_> = parts.iter().filter(|(n, _)| n.starts_with("xl/charts/chart")).collect();
        assert_eq!(charts.len(), 3, "one line chart per headline series");
        assert!(charts.iter().all(|(_, x)| x.contains("<c:lineChart>")));
        let mut wb = book(&bytes);
        let range = wb.worksheet_range("指標別").unwrap();
        assert!(range.used_cells().any(|(_, _, v)| matches!(v, Data::Float(x) if *x == 270.0)), "270 is a number");
        assert!(!strings(&range).iter().any(|s| s == "270"), "never a number stored as text");
        let timeline = wb.worksheet_range("年間予定").unwrap();
        let dates = timeline.used_cells().filter(|(_, _, v)| matches!(v, Data::DateTime(_))).count();
        assert_eq!(dates, fx.figures.timeline.len(), "one real date per event");
    }

    /// The XML of the worksheet named `name`.
    fn sheet_xml(bytes: &[u8], name: &str) -> String {
        let i = book(bytes).sheet_names().iter().position(|n| n == name).unwrap_or_else(|| panic!("{name}"));
        let part = format!("xl/worksheets/sheet{}.xml", i + 1);
        xlsx_parts(bytes).into_iter().find(|(n, _)| *n == part).unwrap().1
    }

    #[test]
    fn each_chart_prints_with_its_table_and_text_alone_reads_across_the_page() {
        let fx = fixture();
        let bytes = write(&ministry(&fx.input())).unwrap();
        let monthly = sheet_xml(&bytes, "月別推移");
        // Three table + chart units, one a page: breaks before the second and third at least.
        assert!(monthly.matches("<brk ").count() >= 2, "{monthly}");
        assert!(monthly.contains(" scale=\"") && !monthly.contains("fitToPage=\"1\""), "a fixed scale, so breaks hold");
        let names = book(&bytes).sheet_names();
        let text_only = names.iter().find(|n| n.contains("修正")).expect("the revisions sheet");
        let xml = sheet_xml(&bytes, text_only);
        let width: f64 = xml
            .split("<col ")
            .nth(1)
            .and_then(|c| c.split("width=\"").nth(1))
            .and_then(|w| w.split('"').next())
            .and_then(|w| w.parse().ok())
            .expect("a column width");
        assert!(width >= TEXT_ONLY_WIDTH as f64, "{width}");
        assert!(xml.contains("fitToPage=\"1\""), "sheets without charts fit the page width");
    }

    #[test]
    fn the_kpi_id_column_sits_outside_the_print_area() {
        let fx = fixture();
        let bytes = write(&ministry(&fx.input())).unwrap();
        let wb_xml = xlsx_parts(&bytes).into_iter().find(|(n, _)| n == "xl/workbook.xml").unwrap().1;
        // 指標別 has 12 printed columns (A:L), a gap (M) and the id in N.
        assert!(wb_xml.contains("指標別!$A$1:$L$"), "print area of 指標別: {wb_xml}");
        let mut wb = book(&bytes);
        let range = wb.worksheet_range("指標別").unwrap();
        let id_at = range
            .used_cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == "dispatch.sessions"))
            .map(|(_, c, _)| c)
            .unwrap();
        assert_eq!(id_at, 13, "column N");
    }

    #[test]
    fn formula_like_workbook_text_is_written_as_a_string() {
        let mut fx = fixture();
        let evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
        fx.quality.sheets[0].sheet = evil.to_string();
        fx.quality.rejected[0].sheet = "+1".to_string();
        fx.quality.rejected[0].reason = "@SUM(A1:A9)".to_string();
        fx.plan.items[0].text = "=1+1".into();
        for bytes in [write(&data_quality(&fx.input())).unwrap(), write(&center(&fx.input())).unwrap()] {
            for (name, xml) in xlsx_parts(&bytes) {
                if name.starts_with("xl/worksheets/") {
                    assert!(!xml.contains("<f>") && !xml.contains("<f "), "{name} has a formula");
                }
            }
        }
        let mut wb = book(&write(&data_quality(&fx.input())).unwrap());
        assert!(strings(&wb.worksheet_range("シート別").unwrap()).contains(&evil.to_string()));
        let rejected = strings(&wb.worksheet_range("除外した行").unwrap());
        assert!(rejected.iter().any(|s| s.contains("+1")));
        assert!(rejected.contains(&"@SUM(A1:A9)".to_string()));
        let mut wb = book(&write(&ministry(&fx.input())).unwrap());
        assert!(strings(&wb.worksheet_range("指標別").unwrap()).contains(&"=1+1".to_string()));
    }

    #[test]
    fn sheets_are_set_up_for_a4_with_page_numbers_and_the_japanese_font() {
        let fx = fixture();
        let bytes = write(&data_quality(&fx.input())).unwrap();
        for (name, xml) in xlsx_parts(&bytes) {
            if name.starts_with("xl/worksheets/sheet") {
                assert!(xml.contains("paperSize=\"9\""), "{name}");
                assert!(xml.contains("fitToWidth") || xml.contains("fitToPage=\"1\""), "{name}");
                assert!(xml.contains("&amp;P / &amp;N"), "{name} page numbers");
                assert!(!xml.contains("2023-10-31"), "{name}: no ISO date in headers or footers");
            }
        }
        let sheet = |n: &str| xlsx_parts(&bytes).into_iter().find(|(p, _)| p == n).unwrap().1;
        let rejected = sheet("xl/worksheets/sheet2.xml");
        assert!(rejected.contains("<autoFilter") && rejected.contains("state=\"frozen\""), "the list is filtered");
        let styles = sheet("xl/styles.xml");
        assert!(styles.contains(FONT));
    }

    #[test]
    fn a_unique_sheet_name_is_cut_cleaned_and_numbered() {
        let mut used = Vec::new();
        assert_eq!(unique_name("概要", &mut used), "概要");
        assert_eq!(unique_name("概要", &mut used), "概要(2)");
        assert_eq!(unique_name("a/b:c?", &mut used), "a_b_c_");
        assert!(unique_name(&"長".repeat(40), &mut used).chars().count() <= 31);
    }
}
