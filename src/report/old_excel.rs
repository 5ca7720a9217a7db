//! The three workbooks: ministry.xlsx, center.xlsx and data-quality.xlsx.
//!
//! Every sheet is built the same way: a title block, then one table through
//! `write_table`, which writes real number and date cells (never numbers as
//! text, never formulas), sizes columns by East-Asian width, puts a filter on
//! the table and freezes its header. Page setup is A4, fitted to the page
//! width, with the header rows repeated and page numbers in the footer. The
//! 概要 sheet has a second table below the KPIs (the year's dated events),
//! written by `write_table_below` in the same columns, without a filter.
//!
//! Every string from a user workbook (file and sheet names, reasons, trades)
//! or the plan file (item texts and notes) goes through
//! [`crate::text::clean`] and is written with `write_string`, so
//! `=HYPERLINK(…)` or `+1` in a sheet name stays literal text.
//!
//! The center workbook is the ministry workbook plus more sheets, each one
//! `*_sheet` function called from [`center`]; a further section is one more.

use super::ReportInput;
use super::view::{
    self, Audience, DASH, PlanEntry, as_of_line, breakdown_total, file_note, file_status_label, generator, plan_groups,
    report_title, row_sessions, sha_short, share, status_class,
};
use crate::fiscal::date_wareki;
use crate::kpi::{BreakdownRow, Status};
use crate::text::{clean, display_width};
use anyhow::Context;
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartEmptyCells, ChartFont, ChartFormat, ChartLegendPosition, ChartLine, ChartLineDashType, ChartMarker,
    ChartMarkerType, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// The default font of every workbook (Japanese; charset 128 = SHIFTJIS).
pub const FONT: &str = "ＭＳ Ｐゴシック";
const FONT_CHARSET: u8 = 128;
/// A4 in Excel's paper size numbering.
const PAPER_A4: u8 = 9;
/// Widest a column gets (in character widths); longer text wraps.
const MAX_COL_WIDTH: usize = 60;
/// Rows of the title block above each table.
const TABLE_TOP: u32 = 4;
/// Height of an ordinary row, and of each further line of a wrapped one (points).
const ROW_HEIGHT: f64 = 17.0;
const LINE_HEIGHT: f64 = 14.5;

const SHEET_SUMMARY: &str = "概要";
const SHEET_MONTHLY: &str = "月別推移";
const SHEET_CHARTS: &str = "グラフ";

// ---- formats -------------------------------------------------------------------

struct Styles {
    title: Format,
    subtitle: Format,
    note: Format,
    header: Format,
    header_group: Format,
    text: Format,
    wrap: Format,
    int: Format,
    dec1: Format,
    pct: Format,
    signed: Format,
    date: Format,
    month: Format,
    datetime: Format,
    dash: Format,
    total_text: Format,
    total_int: Format,
    total_pct: Format,
    good: Format,
    warn: Format,
    bad: Format,
    muted: Format,
    info: Format,
    label: Format,
    info_date: Format,
    info_pct: Format,
}

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(FONT_CHARSET)
        .set_font_size(11)
        .set_align(FormatAlign::VerticalCenter)
}

fn boxed(f: Format) -> Format {
    f.set_border(FormatBorder::Thin).set_border_color(0xBFC5CC)
}

impl Styles {
    fn new() -> Styles {
        let num = |code: &str| boxed(base().set_num_format(code).set_align(FormatAlign::Right));
        let status = |bg: u32, fg: u32| {
            boxed(base().set_background_color(bg).set_font_color(fg).set_bold()).set_align(FormatAlign::Center)
        };
        let total = |f: Format| f.set_bold().set_background_color(0xF2F4F7).set_border_top(FormatBorder::Double);
        Styles {
            title: base().set_font_size(14).set_bold(),
            subtitle: base().set_font_size(11),
            note: base().set_font_size(10).set_font_color(0x555555),
            header: boxed(base().set_bold().set_background_color(0xDCE3EC).set_text_wrap())
                .set_align(FormatAlign::Center),
            header_group: boxed(base().set_bold().set_background_color(0xC9D4E2).set_text_wrap())
                .set_align(FormatAlign::Center),
            text: boxed(base()),
            wrap: boxed(base().set_text_wrap()),
            int: num("#,##0"),
            dec1: num("#,##0.0"),
            pct: num("0.0%"),
            signed: num("+#,##0.0;-#,##0.0;\"±\"0.0"),
            date: boxed(base().set_num_format("yyyy\"年\"m\"月\"d\"日\"").set_align(FormatAlign::Left)),
            month: boxed(base().set_num_format("yyyy\"年\"m\"月\"").set_align(FormatAlign::Left)),
            datetime: boxed(base().set_num_format("yyyy\"年\"m\"月\"d\"日\" h:mm").set_align(FormatAlign::Left)),
            dash: boxed(base().set_font_color(0x888888)).set_align(FormatAlign::Center),
            total_text: total(boxed(base())),
            total_int: total(num("#,##0")),
            total_pct: total(num("0.0%")),
            good: status(0xDFF3E0, 0x1B5E20),
            warn: status(0xFFF0C2, 0x7A4F00),
            bad: status(0xFBDCD9, 0x9F1D14),
            muted: status(0xECEFF1, 0x50575E),
            info: status(0xE3EEFB, 0x16365F),
            label: base().set_bold(),
            info_date: boxed(base().set_num_format("yyyy\"年\"m\"月\"d\"日\"").set_align(FormatAlign::Left)),
            info_pct: boxed(base().set_num_format("0.0%").set_align(FormatAlign::Left)),
        }
    }

    fn status(&self, s: Status) -> &Format {
        self.class(status_class(s))
    }

    /// The coloured format of a view colour class (`good`, `warn`, `bad`,
    /// `info`, anything else muted).
    fn class(&self, class: &str) -> &Format {
        match class {
            "good" => &self.good,
            "warn" => &self.warn,
            "bad" => &self.bad,
            "info" => &self.info,
            _ => &self.muted,
        }
    }
}

// ---- cells and tables ----------------------------------------------------------

/// One cell of a table, typed so it is written as what it is.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    /// Text (from the plan or a user workbook): cleaned, written as a string.
    Text(String),
    Int(i64),
    /// A count: whole numbers without decimals, otherwise one decimal.
    Count(f64),
    Dec1(f64),
    Pct(f64),
    /// A signed difference.
    Signed(f64),
    Date(NaiveDate),
    /// A month (the first of it), shown as `2023年4月`.
    Month(NaiveDate),
    Status(Status),
    /// A state word in the colour of its view class (plan item status,
    /// timeline state); the word always carries the meaning.
    Tag(&'static str, &'static str),
    /// ✓ when a sheet reconciles, ✗ when not.
    Check(bool),
    /// `－`: a figure that does not exist.
    Dash,
    Empty,
}

impl Cell {
    fn opt_count(x: Option<f64>) -> Cell {
        x.map_or(Cell::Dash, Cell::Count)
    }
    fn opt_dec1(x: Option<f64>) -> Cell {
        x.map_or(Cell::Dash, Cell::Dec1)
    }
    fn opt_pct(x: Option<f64>) -> Cell {
        x.map_or(Cell::Dash, Cell::Pct)
    }
    fn text(s: impl AsRef<str>) -> Cell {
        Cell::Text(clean(s.as_ref()).into_owned())
    }

    /// Columns the shown value takes (for sizing).
    fn width(&self) -> usize {
        match self {
            Cell::Text(s) => s.lines().map(display_width).max().unwrap_or(0),
            Cell::Int(n) => view::fmt_int(*n).len(),
            Cell::Count(x) => view::fmt_count(Some(*x)).len(),
            Cell::Dec1(x) | Cell::Signed(x) => view::fmt_fixed(*x, 1).len() + 1,
            Cell::Pct(x) => view::fmt_pct(Some(*x)).len(),
            Cell::Date(_) => 16,
            Cell::Month(_) => 11,
            Cell::Status(s) => display_width(s.label_ja()) + 2,
            Cell::Tag(word, _) => display_width(word) + 2,
            Cell::Check(_) => 8,
            Cell::Dash => 2,
            Cell::Empty => 0,
        }
    }
}

/// A column: its header and the widest it may get.
pub(crate) struct Col {
    header: String,
    max: usize,
}

fn col(header: &str, max: usize) -> Col {
    Col { header: header.to_string(), max }
}

/// A table written by [`write_table`].
pub(crate) struct Table {
    cols: Vec<Col>,
    rows: Vec<Vec<Cell>>,
    /// A total row below the filtered range.
    total: Option<Vec<Cell>>,
    /// Shown in the first column when there are no rows.
    empty_note: &'static str,
}

/// Writes a cell with the style its type calls for.
fn write_cell(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    c: u16,
    cell: &Cell,
    wrap: bool,
    total: bool,
) -> anyhow::Result<()> {
    match cell {
        Cell::Text(s) => {
            let f = if total {
                &st.total_text
            } else if wrap {
                &st.wrap
            } else {
                &st.text
            };
            ws.write_string_with_format(row, c, clean(s), f)?;
        }
        Cell::Int(n) => {
            ws.write_number_with_format(row, c, *n as f64, if total { &st.total_int } else { &st.int })?;
        }
        Cell::Count(x) => {
            let f = if total {
                &st.total_int
            } else if view::is_whole(*x) {
                &st.int
            } else {
                &st.dec1
            };
            ws.write_number_with_format(row, c, *x, f)?;
        }
        Cell::Dec1(x) => {
            ws.write_number_with_format(row, c, *x, &st.dec1)?;
        }
        Cell::Pct(x) => {
            ws.write_number_with_format(row, c, *x, if total { &st.total_pct } else { &st.pct })?;
        }
        Cell::Signed(x) => {
            ws.write_number_with_format(row, c, *x, &st.signed)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, c, d, &st.date)?;
        }
        Cell::Month(d) => {
            ws.write_datetime_with_format(row, c, d, &st.month)?;
        }
        Cell::Status(s) => {
            ws.write_string_with_format(row, c, s.label_ja(), st.status(*s))?;
        }
        Cell::Tag(word, class) => {
            let f = if class.is_empty() { &st.dash } else { st.class(class) };
            ws.write_string_with_format(row, c, *word, f)?;
        }
        Cell::Check(ok) => {
            let (text, f) = if *ok { ("✓", &st.good) } else { ("✗ 不一致", &st.bad) };
            ws.write_string_with_format(row, c, text, f)?;
        }
        Cell::Dash => {
            ws.write_string_with_format(row, c, DASH, if total { &st.total_text } else { &st.dash })?;
        }
        Cell::Empty => {
            ws.write_blank(row, c, if total { &st.total_text } else { &st.text })?;
        }
    }
    Ok(())
}

/// Lines a cell needs in a column `width` characters wide (text wraps;
/// Excel does not grow rows for wrapped text by itself, so we size them).
fn cell_lines(cell: &Cell, width: usize) -> usize {
    match cell {
        Cell::Text(s) => {
            s.lines().map(|l| display_width(l).div_ceil(width.saturating_sub(1).max(1)).max(1)).sum::<usize>().max(1)
        }
        _ => 1,
    }
}

/// Column widths (in character widths) for a table: the widest cell, with
/// the header counted up to 12 (headers wrap), at least 6, at most `max`.
fn column_widths(t: &Table) -> Vec<usize> {
    t.cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells =
                t.rows.iter().chain(t.total.iter()).filter_map(|r| r.get(i)).map(Cell::width).max().unwrap_or(0);
            let header = c.header.lines().map(display_width).max().unwrap_or(0).min(12);
            (cells.max(header) + 2).clamp(6, c.max.max(6))
        })
        .collect()
}

/// Writes a table with its header at `top`: filter on header + rows, header
/// frozen and repeated on every printed page, columns sized. Returns the
/// first row below the table.
fn write_table(ws: &mut Worksheet, st: &Styles, top: u32, t: &Table) -> anyhow::Result<u32> {
    let widths = column_widths(t);
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w as f64)?;
    }
    let row = write_rows(ws, st, top, t, &widths, true)?;
    ws.set_freeze_panes(top + 1, 0)?;
    ws.set_repeat_rows(0, top)?;
    Ok(row)
}

/// Writes a further table below the sheet's main one, in the columns the
/// main table sized (`widths`): no filter (a sheet has one), no frozen
/// header. Returns the first row below it.
fn write_table_below(ws: &mut Worksheet, st: &Styles, top: u32, t: &Table, widths: &[usize]) -> anyhow::Result<u32> {
    write_rows(ws, st, top, t, widths, false)
}

/// Header, rows and total of a table, rows grown for wrapped text; with
/// `filter`, an autofilter on header + rows.
fn write_rows(
    ws: &mut Worksheet,
    st: &Styles,
    top: u32,
    t: &Table,
    widths: &[usize],
    filter: bool,
) -> anyhow::Result<u32> {
    let mut header_lines = 1;
    for (i, c) in t.cols.iter().enumerate() {
        let w = widths.get(i).copied().unwrap_or(MAX_COL_WIDTH);
        ws.write_string_with_format(top, i as u16, &c.header, &st.header)?;
        header_lines = header_lines.max(cell_lines(&Cell::Text(c.header.clone()), w));
    }
    if header_lines > 1 {
        ws.set_row_height(top, ROW_HEIGHT + LINE_HEIGHT * (header_lines - 1) as f64)?;
    }
    let last_col = (t.cols.len() - 1) as u16;
    let mut row = top + 1;
    if t.rows.is_empty() {
        ws.write_string_with_format(row, 0, t.empty_note, &st.note)?;
        row += 1;
    }
    for r in &t.rows {
        let mut lines = 1;
        for (i, cell) in r.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(MAX_COL_WIDTH);
            let n = cell_lines(cell, w);
            lines = lines.max(n);
            write_cell(ws, st, row, i as u16, cell, n > 1, false)?;
        }
        if lines > 1 {
            ws.set_row_height(row, ROW_HEIGHT + LINE_HEIGHT * (lines - 1) as f64)?;
        }
        row += 1;
    }
    if filter {
        ws.autofilter(top, 0, row - 1, last_col)?;
    }
    if let Some(total) = &t.total {
        for (i, cell) in total.iter().enumerate() {
            write_cell(ws, st, row, i as u16, cell, false, true)?;
        }
        row += 1;
    }
    Ok(row)
}

// ---- sheets --------------------------------------------------------------------

/// What every sheet's title block and page setup needs.
struct Meta {
    corner: String,
    title: String,
    as_of: NaiveDate,
    as_of_line: String,
    generated: String,
}

/// `&` is a control character in Excel headers and footers.
fn hf(s: &str) -> String {
    clean(s).replace('&', "&&")
}

/// Adds a sheet with its title block and A4 page setup.
fn add_sheet<'a>(
    wb: &'a mut Workbook,
    st: &Styles,
    meta: &Meta,
    name: &str,
    title: &str,
    landscape: bool,
) -> anyhow::Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, clean(title), &st.title)?;
    ws.write_string_with_format(1, 0, clean(&format!("{}　{}", meta.corner, meta.as_of_line)), &st.subtitle)?;
    ws.set_row_height(0, 22)?;
    ws.set_default_row_height(ROW_HEIGHT);
    ws.set_paper_size(PAPER_A4);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    ws.set_header(format!("&L&8{}&R&8{}", hf(&meta.corner), hf(&meta.title)));
    ws.set_footer(format!("&L&8基準日 {}&C&P / &N&R&8作成 {}", meta.as_of.format("%Y-%m-%d"), hf(&meta.generated)));
    Ok(ws)
}

fn new_workbook(input: &ReportInput, title: &str) -> anyhow::Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_default_format(&base(), 18, 72)?;
    let props = DocProperties::new()
        .set_title(title)
        .set_company(&input.plan.corner)
        .set_author(generator())
        .set_creation_datetime(&input.generated_at);
    wb.set_properties(&props);
    Ok(wb)
}

fn meta(input: &ReportInput) -> Meta {
    Meta {
        corner: input.plan.corner.clone(),
        title: report_title(input),
        as_of: input.figures.as_of,
        as_of_line: as_of_line(input.figures.as_of),
        generated: input.generated_at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// 概要: the KPI table grouped by seed section with the plan's items (no
/// count) among the KPIs of their section, the year's dated events as a
/// table of real dates, then when and how the figures were made.
fn summary_sheet(
    wb: &mut Workbook,
    st: &Styles,
    m: &Meta,
    input: &ReportInput,
    audience: Audience,
) -> anyhow::Result<()> {
    let f = input.figures;
    let ws = add_sheet(wb, st, m, SHEET_SUMMARY, &m.title, true)?;
    let (_, sentence) = view::status_summary(&f.kpis);
    ws.write_string_with_format(
        2,
        0,
        format!("報告先：{}　　年度経過 {}　　{}", audience.addressee(), view::elapsed_line(input), sentence),
        &st.subtitle,
    )?;
    let mut rows = Vec::new();
    for (heading, entries) in plan_groups(&f.kpis, input.plan) {
        let group = Cell::text(view::short_heading(heading));
        for e in entries {
            rows.push(match e {
                PlanEntry::Kpi(k) => vec![
                    group.clone(),
                    Cell::text(&k.section),
                    Cell::text(&k.label),
                    Cell::text(&k.unit),
                    Cell::opt_count(k.target),
                    Cell::opt_count(k.actual),
                    Cell::opt_pct(k.achievement),
                    Cell::opt_dec1(k.expected_to_date),
                    Cell::Status(k.status),
                    Cell::opt_dec1(k.forecast),
                    Cell::Empty,
                    Cell::text(&k.id),
                ],
                PlanEntry::Item(i) => {
                    let (word, class) = view::item_status(i.status);
                    vec![
                        group.clone(),
                        Cell::text(&i.section),
                        Cell::text(&i.text),
                        Cell::text("取組"),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Tag(word, class),
                        Cell::Empty,
                        i.note.as_ref().map_or(Cell::Empty, Cell::text),
                        Cell::Empty,
                    ]
                }
            });
        }
    }
    let table = Table {
        cols: vec![
            col("区分", 24),
            col("項番", 12),
            col("指標・取組", 52),
            col("単位", 8),
            col("年間目標", 10),
            col("実績", 10),
            col("達成率", 9),
            col("計画値\n（現時点）", 12),
            col("状況", 11),
            col("年度末\n見込み", 10),
            col("備考", 36),
            col("指標ID", 30),
        ],
        rows,
        total: None,
        empty_note: "（指標なし）",
    };
    let widths = column_widths(&table);
    let mut row = write_table(ws, st, TABLE_TOP, &table)?;
    if !input.plan.items.is_empty() {
        ws.write_string_with_format(
            row,
            0,
            "単位欄が「取組」の行は数値目標のない推進計画の記載事項。状況（未着手・実施中・実施済・該当なし）と備考はコーナーが推進計画ファイルに記入したもの。",
            &st.note,
        )?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "年間の主な予定と実施状況", &st.label)?;
    ws.write_string_with_format(
        row + 1,
        0,
        "競技大会の日付は推進計画の日付（過ぎた日付は「大会日」、予選は「期限日」）。連携会議・講習会は記録のあるものを「実施」、記録のない計画上の期限を「予定」（過ぎたものは「未実施」）とする。",
        &st.note,
    )?;
    row = write_table_below(ws, st, row + 2, &timeline_table(input), &widths)? + 1;
    ws.write_string_with_format(row, 0, "作成情報", &st.label)?;
    row += 1;
    let (days, total) = view::elapsed_days(f.fiscal_year, f.as_of);
    let info: [(&str, Cell); 6] = [
        ("計画", Cell::text(&input.plan.name)),
        ("基準日", Cell::Date(f.as_of)),
        ("基準日（和暦）", Cell::text(format!("{}現在", date_wareki(f.as_of)))),
        ("年度経過率", Cell::Pct(f.elapsed_fraction)),
        ("経過日数／年度の日数", Cell::text(format!("{days}日／{total}日"))),
        ("作成", Cell::text(generator())),
    ];
    for (label, cell) in info {
        ws.write_string_with_format(row, 0, label, &st.text)?;
        match cell {
            Cell::Date(d) => {
                ws.write_datetime_with_format(row, 2, d, &st.info_date)?;
            }
            Cell::Pct(x) => {
                ws.write_number_with_format(row, 2, x, &st.info_pct)?;
            }
            other => write_cell(ws, st, row, 2, &other, false, false)?,
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "作成日時", &st.text)?;
    ws.write_datetime_with_format(row, 2, input.generated_at, &st.datetime)?;
    row += 2;
    ws.write_string_with_format(
        row,
        0,
        "達成率＝実績÷年間目標。計画値（現時点）＝基準日までに達成しているべき値。年度末見込み＝現在のペースが続いた場合の年度末の値。状況は色と文字の両方で示す。",
        &st.note,
    )?;
    Ok(())
}

/// 月別推移: the headline series month by month (April..March), four
/// columns each (当月実績, 累計実績, 累計計画, 計画との差); the charts read
/// columns 2 and 3 of each group.
fn monthly_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let f = input.figures;
    let ws = add_sheet(wb, st, m, SHEET_MONTHLY, "月別の推移（当月実績・累計実績・累計計画）", true)?;
    ws.write_string_with_format(
        2,
        0,
        "累計実績＝各月末（基準日の月は基準日）までの実績の合計。累計計画＝各月末までに達成しているべき値。基準日より後の月は実績欄を空欄とする。",
        &st.note,
    )?;
    let group_row = TABLE_TOP;
    let top = TABLE_TOP + 1;
    let mut cols = vec![col("年月", 12)];
    for _ in &f.monthly {
        cols.extend([col("当月実績", 10), col("累計実績", 10), col("累計計画", 10), col("計画との差", 10)]);
    }
    let rows: Vec<Vec<Cell>> = (0..12)
        .map(|i| {
            let (y, mo) = f.fiscal_year.months()[i];
            let mut r = vec![NaiveDate::from_ymd_opt(y, mo, 1).map_or(Cell::Empty, Cell::Month)];
            for s in &f.monthly {
                let p = s.months.get(i);
                let a = p.and_then(|p| p.actual);
                let ca = p.and_then(|p| p.cumulative_actual);
                let cp = p.and_then(|p| p.cumulative_plan);
                r.push(a.map_or(Cell::Empty, Cell::Count));
                r.push(ca.map_or(Cell::Empty, Cell::Count));
                r.push(cp.map_or(Cell::Empty, Cell::Dec1));
                r.push(match (ca, cp) {
                    (Some(a), Some(p)) => Cell::Signed(((a - p) * 10.0).round() / 10.0),
                    _ => Cell::Empty,
                });
            }
            r
        })
        .collect();
    let table = Table { cols, rows, total: None, empty_note: "" };
    write_table(ws, st, top, &table)?;
    ws.write_string_with_format(group_row, 0, "", &st.header_group)?;
    for (i, s) in f.monthly.iter().enumerate() {
        let c0 = 1 + 4 * i as u16;
        let target =
            s.target.map_or(String::new(), |t| format!("\n（年間目標 {}{}）", view::fmt_count(Some(t)), s.unit));
        ws.merge_range(group_row, c0, group_row, c0 + 3, &format!("{}{}", clean(&s.label), target), &st.header_group)?;
    }
    ws.set_row_height(group_row, ROW_HEIGHT + LINE_HEIGHT * 2.0)?;
    ws.set_freeze_panes(top + 1, 1)?;
    ws.set_repeat_rows(0, top)?;
    Ok(())
}

/// グラフ: one native line chart per headline series, cumulative actual
/// (solid) against cumulative plan (dashed), read from 月別推移.
fn charts_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let f = input.figures;
    let ws = add_sheet(wb, st, m, SHEET_CHARTS, "累計実績と累計計画（グラフ）", false)?;
    ws.set_print_fit_to_pages(1, 1);
    let font = |size: f64, bold: bool| {
        let mut cf = ChartFont::new();
        cf.set_name(FONT).set_character_set(FONT_CHARSET).set_size(size);
        if bold {
            cf.set_bold();
        } else {
            cf.unset_bold();
        }
        cf
    };
    let first = TABLE_TOP + 2; // first data row of 月別推移
    let last = first + 11;
    for (i, s) in f.monthly.iter().enumerate() {
        let c_actual = 2 + 4 * i as u16;
        let c_plan = c_actual + 1;
        let mut chart = Chart::new_line();
        let target = s.target.map_or(String::new(), |t| format!("（年間目標 {}{}）", view::fmt_count(Some(t)), s.unit));
        chart.title().set_name(&format!("{}{}", clean(&s.label), target)).set_font(&font(12.0, true));
        chart
            .add_series()
            .set_name("累計実績")
            .set_categories((SHEET_MONTHLY, first, 0, last, 0))
            .set_values((SHEET_MONTHLY, first, c_actual, last, c_actual))
            .set_format(ChartFormat::new().set_line(ChartLine::new().set_color(0x1F5FA8).set_width(2.5)))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Circle).set_size(5).set_format(
                ChartFormat::new().set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(0x1F5FA8)),
            ));
        chart
            .add_series()
            .set_name("累計計画")
            .set_categories((SHEET_MONTHLY, first, 0, last, 0))
            .set_values((SHEET_MONTHLY, first, c_plan, last, c_plan))
            .set_format(
                ChartFormat::new().set_line(
                    ChartLine::new().set_color(0x7A7A7A).set_width(2.0).set_dash_type(ChartLineDashType::Dash),
                ),
            );
        chart.x_axis().set_text_axis(true).set_num_format("m\"月\"").set_font(&font(10.0, false));
        chart
            .y_axis()
            .set_num_format("#,##0")
            .set_min(0)
            .set_name(&s.unit)
            .set_name_font(&font(10.0, false))
            .set_font(&font(10.0, false));
        chart.legend().set_position(ChartLegendPosition::Bottom).set_font(&font(10.0, false));
        chart.show_empty_cells_as(ChartEmptyCells::Gaps);
        chart.set_width(720).set_height(320);
        ws.insert_chart(3 + 18 * i as u32, 0, &chart).with_context(|| format!("chart of {}", s.kpi_id))?;
    }
    Ok(())
}

fn breakdown_sheet(
    wb: &mut Workbook,
    st: &Styles,
    m: &Meta,
    name: &str,
    title: &str,
    key_heading: &str,
    rows: &[BreakdownRow],
) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, name, title, true)?;
    ws.write_string_with_format(
        2,
        0,
        "年度当初から基準日までの派遣。派遣回数計＝マイスター＋熟練技能者等。構成比は派遣回数計に占める割合。",
        &st.note,
    )?;
    let total = breakdown_total(rows);
    let line = |r: &BreakdownRow, key: Cell| {
        vec![
            key,
            Cell::Int(r.meister_sessions),
            Cell::Int(r.meister_trainees),
            Cell::Int(r.skilled_sessions),
            Cell::Int(r.skilled_trainees),
            Cell::Int(row_sessions(r)),
            share(r, &total).map_or(Cell::Dash, Cell::Pct),
        ]
    };
    let table = Table {
        cols: vec![
            col(key_heading, 40),
            col("マイスター派遣回数", 10),
            col("マイスター受講者延べ人数", 10),
            col("熟練技能者等派遣回数", 10),
            col("熟練技能者等受講者数", 10),
            col("派遣回数計", 10),
            col("構成比", 9),
        ],
        rows: rows.iter().map(|r| line(r, Cell::text(&r.key))).collect(),
        total: Some(line(&total, Cell::text("合計"))),
        empty_note: "（派遣の記録なし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn later_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "基準日後の行", "基準日より後の日付の行（集計に含めていない）", true)?;
    let rows = input
        .figures
        .after_as_of
        .iter()
        .map(|r| {
            vec![
                Cell::text(r.dataset.label_ja()),
                Cell::text(&r.file),
                Cell::text(&r.sheet),
                Cell::Int(i64::from(r.row)),
                Cell::Date(r.date),
            ]
        })
        .collect();
    let table = Table {
        cols: vec![col("データ種別", 30), col("ファイル", 50), col("シート", 30), col("行", 8), col("日付", 18)],
        rows,
        total: None,
        empty_note: "（該当なし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn visits_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let f = input.figures;
    let ws = add_sheet(wb, st, m, "開拓訪問", "コーディネーターの開拓訪問（地区別・月別）", true)?;
    let started = |i: usize| {
        let (y, mo) = f.fiscal_year.months()[i];
        NaiveDate::from_ymd_opt(y, mo, 1).is_some_and(|d| d <= f.as_of)
    };
    let line = |key: &str, months: &[i64], total: i64| {
        let mut r = vec![Cell::text(key)];
        r.extend(
            (0..12).map(|i| if started(i) { Cell::Int(months.get(i).copied().unwrap_or(0)) } else { Cell::Empty }),
        );
        r.push(Cell::Int(total));
        r
    };
    let mut sums = vec![0i64; 12];
    for r in &f.visits_by_region {
        for (i, n) in r.months.iter().enumerate().take(12) {
            sums[i] += n;
        }
    }
    let mut cols = vec![col("地区", 16)];
    cols.extend(f.fiscal_year.months().iter().map(|&(_, mo)| col(&view::month_label(mo), 7)));
    cols.push(col("計", 8));
    let table = Table {
        cols,
        rows: f.visits_by_region.iter().map(|r| line(&r.region, &r.months, r.total)).collect(),
        total: Some(line("合計", &sums, f.visits_by_region.iter().map(|r| r.total).sum())),
        empty_note: "（開拓訪問の記録なし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn meisters_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(
        wb,
        st,
        m,
        "マイスター活動",
        "ものづくりマイスターの活動状況（マイスター番号別・氏名は掲載しない）",
        true,
    )?;
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Dash, Cell::Date);
    let rows = input
        .figures
        .meister_activity
        .iter()
        .map(|a| {
            vec![
                Cell::text(&a.meister_no),
                a.trade.as_ref().map_or(Cell::Dash, Cell::text),
                date(a.certified_on),
                date(a.trained_on),
                date(a.deregistered_on),
                Cell::Int(a.sessions),
                Cell::Int(a.trainees),
                Cell::Int(a.outreach_events),
                date(a.last_activity),
                Cell::text(view::registry_label(a)),
                Cell::text(view::meister_flag(a)),
            ]
        })
        .collect();
    let table = Table {
        cols: vec![
            col("マイスター番号", 14),
            col("職種", 20),
            col("認定日", 16),
            col("講習受講日", 16),
            col("登録解除日", 16),
            col("派遣回数", 8),
            col("受講者数", 8),
            col("魅力発信", 8),
            col("最終活動日", 16),
            col("台帳", 10),
            col("確認事項", 24),
        ],
        rows,
        total: None,
        empty_note: "（マイスターの記録なし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn findings_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "点検結果", "推進計画のルールに照らした点検結果（確認が必要な記録）", true)?;
    let mut rows = Vec::new();
    for f in &input.figures.findings {
        for i in &f.items {
            rows.push(vec![
                Cell::text(&f.title),
                Cell::text(f.section),
                i.file.as_ref().map_or(Cell::Empty, Cell::text),
                i.sheet.as_ref().map_or(Cell::Empty, Cell::text),
                i.row.map_or(Cell::Empty, |r| Cell::Int(i64::from(r))),
                i.meister_no.as_ref().map_or(Cell::Empty, Cell::text),
                i.date.map_or(Cell::Empty, Cell::Date),
                Cell::text(&i.detail),
            ]);
        }
    }
    let table = Table {
        cols: vec![
            col("ルール", 48),
            col("項番", 12),
            col("ファイル", 30),
            col("シート", 16),
            col("行", 7),
            col("マイスター番号", 14),
            col("日付", 16),
            col("内容", 40),
        ],
        rows,
        total: None,
        empty_note: "（ルールに合わない記録はありません）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn entries_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "競技大会参加者", "技能競技大会の参加者（大会・職種・所属別）", true)?;
    let list = &input.figures.competition_entries;
    let total = vec![
        Cell::text("合計"),
        Cell::Empty,
        Cell::Empty,
        Cell::Int(list.iter().map(|e| e.competitors).sum()),
        Cell::Int(list.iter().map(|e| e.instructors).sum()),
        Cell::Int(list.iter().map(|e| e.withdrawn).sum()),
    ];
    let table = Table {
        cols: vec![col("大会", 28), col("職種", 20), col("所属", 8), col("選手", 8), col("指導者", 8), col("辞退", 8)],
        rows: list
            .iter()
            .map(|e| {
                vec![
                    Cell::text(&e.event),
                    Cell::text(&e.trade),
                    Cell::text(&e.org_type),
                    Cell::Int(e.competitors),
                    Cell::Int(e.instructors),
                    Cell::Int(e.withdrawn),
                ]
            })
            .collect(),
        total: Some(total),
        empty_note: "（参加者の記録なし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

/// The dated events of the year (real date cells), for the 概要 sheets:
/// date, kind, what, state.
fn timeline_table(input: &ReportInput) -> Table {
    let as_of = input.figures.as_of;
    let rows = input
        .figures
        .timeline
        .iter()
        .map(|e| {
            let state = view::timeline_state(e, as_of);
            vec![
                Cell::Date(e.date),
                Cell::text(view::timeline_kind(e.kind)),
                Cell::text(&e.label),
                Cell::Tag(state.label(), state.class()),
            ]
        })
        .collect();
    Table {
        cols: vec![col("日付", 16), col("区分", 10), col("内容", 40), col("状況", 8)],
        rows,
        total: None,
        empty_note: "（予定・実施の記録なし）",
    }
}

// ---- data-quality sheets (data-quality.xlsx and the center appendix) ---------------

fn quality_summary_sheet(
    wb: &mut Workbook,
    st: &Styles,
    m: &Meta,
    input: &ReportInput,
    name: &str,
) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, name, "データ品質の概要（取り込んだブックの点検結果）", false)?;
    let unreconciled = view::unreconciled(input);
    let check = if unreconciled.is_empty() {
        "照合：すべてのシートで 読込行数＝採用＋除外＋スキップ ✓".to_string()
    } else {
        format!("照合：行数が合わないシートがあります（{}）", unreconciled.join("、"))
    };
    ws.write_string_with_format(2, 0, clean(&check), &st.subtitle)?;
    let rows =
        view::quality_summary(input).into_iter().map(|(label, n)| vec![Cell::Text(label), Cell::Int(n)]).collect();
    let table = Table { cols: vec![col("項目", 40), col("件数", 10)], rows, total: None, empty_note: "" };
    let row = write_table(ws, st, TABLE_TOP, &table)? + 1;
    let notes = [
        "除外した行は集計に含めていません。「除外行」シートのファイル・シート・セルを開き、理由に従って元のブックを直してから再実行してください。",
        "スキップした行（空行・合計行・重複）は正常な扱いです。重複は先に現れた行を採用しています（「重複・合計行」シート）。",
        "対象外シートは、見出し行から記録の種類を判定できなかったシートです（「対象外シート」シート）。",
    ];
    for (i, n) in notes.iter().enumerate() {
        ws.write_string_with_format(row + i as u32, 0, *n, &st.note)?;
    }
    Ok(())
}

fn files_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "取込結果", "取込結果（フォルダ内のファイルごと）", true)?;
    let rows = input
        .quality
        .files
        .iter()
        .map(|f| {
            vec![
                Cell::text(&f.file),
                Cell::text(file_status_label(&f.outcome)),
                Cell::text(file_note(&f.outcome)),
                Cell::Int(f.size as i64),
                if f.sha256.is_some() { Cell::text(sha_short(f)) } else { Cell::Dash },
            ]
        })
        .collect();
    let table = Table {
        cols: vec![
            col("ファイル", 50),
            col("状態", 18),
            col("内容・理由", 60),
            col("サイズ（バイト）", 14),
            col("SHA-256（先頭12桁）", 16),
        ],
        rows,
        total: None,
        empty_note: "（ファイルなし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn sheets_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "シート別集計", "シート別集計（読込行数＝採用＋除外＋スキップ の照合）", true)?;
    let rows = input
        .quality
        .sheets
        .iter()
        .filter(|s| view::is_recognised(s))
        .map(|s| {
            vec![
                Cell::text(&s.file),
                Cell::text(&s.sheet),
                Cell::text(if s.hidden { "非表示" } else { "" }),
                s.dataset.map_or(Cell::Dash, |d| Cell::text(d.label_ja())),
                s.header_row.map_or(Cell::Dash, |r| Cell::Int(i64::from(r))),
                Cell::Int(s.rows_read as i64),
                Cell::Int(s.accepted as i64),
                Cell::Int(s.rejected as i64),
                Cell::Int(s.skipped() as i64),
                Cell::Int(s.skipped_blank as i64),
                Cell::Int(s.skipped_total as i64),
                Cell::Int(s.skipped_duplicate as i64),
                Cell::Check(s.reconciles()),
            ]
        })
        .collect();
    let table = Table {
        cols: vec![
            col("ファイル", 40),
            col("シート", 24),
            col("表示", 8),
            col("データ種別", 28),
            col("見出し行", 8),
            col("読込行数", 8),
            col("採用", 8),
            col("除外", 8),
            col("スキップ計", 8),
            col("うち空行", 8),
            col("うち合計行", 8),
            col("うち重複", 8),
            col("照合", 10),
        ],
        rows,
        total: None,
        empty_note: "（集計対象のシートなし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn rejected_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "除外行", "除外した行（元のブックの修正が必要）", true)?;
    let rows = input
        .quality
        .rejected
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.file),
                Cell::text(&r.sheet),
                Cell::text(&r.cell),
                Cell::text(r.dataset.label_ja()),
                Cell::text(&r.column),
                Cell::text(&r.reason),
            ]
        })
        .collect();
    let table = Table {
        cols: vec![
            col("ファイル", 36),
            col("シート", 20),
            col("セル", 8),
            col("データ種別", 24),
            col("列", 16),
            col("理由・直し方", 60),
        ],
        rows,
        total: None,
        empty_note: "（除外した行はありません）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn duplicates_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "重複・合計行", "重複・合計行としてスキップした行", true)?;
    let q = input.quality;
    let mut rows: Vec<Vec<Cell>> = q
        .duplicates
        .iter()
        .map(|d| {
            vec![
                Cell::text("重複"),
                Cell::text(d.dataset.label_ja()),
                Cell::text(&d.key),
                Cell::text(&d.skipped.file),
                Cell::text(&d.skipped.sheet),
                Cell::text(&d.skipped.cell),
                Cell::text(&d.kept.file),
                Cell::text(&d.kept.sheet),
                Cell::text(&d.kept.cell),
            ]
        })
        .collect();
    rows.extend(q.totals.iter().map(|t| {
        vec![
            Cell::text("合計行"),
            Cell::Empty,
            Cell::Empty,
            Cell::text(&t.file),
            Cell::text(&t.sheet),
            Cell::text(&t.cell),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]
    }));
    let table = Table {
        cols: vec![
            col("種別", 8),
            col("データ種別", 24),
            col("番号（キー）", 14),
            col("スキップした行：ファイル", 32),
            col("シート", 18),
            col("セル", 8),
            col("採用した行：ファイル", 32),
            col("シート", 18),
            col("セル", 8),
        ],
        rows,
        total: None,
        empty_note: "（該当なし）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

fn ignored_sheet(wb: &mut Workbook, st: &Styles, m: &Meta, input: &ReportInput) -> anyhow::Result<()> {
    let ws = add_sheet(wb, st, m, "対象外シート", "対象外としたシート（記録の種類を判定できなかったもの）", true)?;
    let rows = input
        .quality
        .sheets
        .iter()
        .filter(|s| !view::is_recognised(s))
        .map(|s| {
            vec![
                Cell::text(&s.file),
                Cell::text(&s.sheet),
                Cell::text(if s.hidden { "非表示" } else { "" }),
                s.header_row.map_or(Cell::Dash, |r| Cell::Int(i64::from(r))),
                Cell::text(s.note.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let table = Table {
        cols: vec![col("ファイル", 40), col("シート", 24), col("表示", 8), col("見出し行", 8), col("理由・対応", 60)],
        rows,
        total: None,
        empty_note: "（対象外のシートはありません）",
    };
    write_table(ws, st, TABLE_TOP, &table)?;
    Ok(())
}

// ---- workbooks -------------------------------------------------------------------

fn common_sheets(
    wb: &mut Workbook,
    st: &Styles,
    m: &Meta,
    input: &ReportInput,
    audience: Audience,
) -> anyhow::Result<()> {
    summary_sheet(wb, st, m, input, audience)?;
    monthly_sheet(wb, st, m, input)?;
    charts_sheet(wb, st, m, input)?;
    breakdown_sheet(wb, st, m, "派遣先区分別", "派遣先区分別の派遣実績", "派遣先区分", &input.figures.dispatch_mix)?;
    Ok(())
}

/// ministry.xlsx: 概要 (KPI table with the plan's items, timeline), 月別推移,
/// グラフ, 派遣先区分別.
pub fn ministry(input: &ReportInput) -> anyhow::Result<Vec<u8>> {
    let m = meta(input);
    let st = Styles::new();
    let mut wb = new_workbook(input, &m.title)?;
    common_sheets(&mut wb, &st, &m, input, Audience::Ministry)?;
    Ok(wb.save_to_buffer()?)
}

/// center.xlsx: the ministry sheets, 職種別, 地区別, 開拓訪問,
/// 競技大会参加者, マイスター活動, 点検結果, 基準日後の行, and the
/// data-quality appendix (品質概要, 除外行, 対象外シート, 取込結果).
pub fn center(input: &ReportInput) -> anyhow::Result<Vec<u8>> {
    let m = meta(input);
    let st = Styles::new();
    let f = input.figures;
    let mut wb = new_workbook(input, &m.title)?;
    common_sheets(&mut wb, &st, &m, input, Audience::Center)?;
    breakdown_sheet(&mut wb, &st, &m, "職種別", "職種別の派遣実績", "職種", &f.by_trade)?;
    breakdown_sheet(&mut wb, &st, &m, "地区別", "地区別の派遣実績", "地区", &f.by_region)?;
    visits_sheet(&mut wb, &st, &m, input)?;
    entries_sheet(&mut wb, &st, &m, input)?;
    meisters_sheet(&mut wb, &st, &m, input)?;
    findings_sheet(&mut wb, &st, &m, input)?;
    later_sheet(&mut wb, &st, &m, input)?;
    quality_summary_sheet(&mut wb, &st, &m, input, "品質概要")?;
    rejected_sheet(&mut wb, &st, &m, input)?;
    ignored_sheet(&mut wb, &st, &m, input)?;
    files_sheet(&mut wb, &st, &m, input)?;
    Ok(wb.save_to_buffer()?)
}

/// data-quality.xlsx, for the corner's staff: 概要, 取込結果, シート別集計,
/// 除外行, 重複・合計行, 対象外シート.
pub fn data_quality(input: &ReportInput) -> anyhow::Result<Vec<u8>> {
    let mut m = meta(input);
    m.title = format!("データ品質点検結果（{}）", m.as_of.format("%Y-%m-%d"));
    let st = Styles::new();
    let mut wb = new_workbook(input, &m.title)?;
    quality_summary_sheet(&mut wb, &st, &m, input, SHEET_SUMMARY)?;
    files_sheet(&mut wb, &st, &m, input)?;
    sheets_sheet(&mut wb, &st, &m, input)?;
    rejected_sheet(&mut wb, &st, &m, input)?;
    duplicates_sheet(&mut wb, &st, &m, input)?;
    ignored_sheet(&mut wb, &st, &m, input)?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tests::{fixture, xlsx_parts};
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn sheet_names(bytes: &[u8]) -> Vec<String> {
        let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
        wb.sheet_names().to_vec()
    }

    #[test]
    fn workbooks_open_with_summary_first() {
        let fx = fixture();
        let input = fx.input();
        assert_eq!(sheet_names(&ministry(&input).unwrap()), ["概要", "月別推移", "グラフ", "派遣先区分別"]);
        let c = sheet_names(&center(&input).unwrap());
        assert_eq!(c[0], "概要");
        for s in [
            "職種別",
            "地区別",
            "開拓訪問",
            "競技大会参加者",
            "マイスター活動",
            "点検結果",
            "基準日後の行",
            "品質概要",
            "除外行",
            "対象外シート",
            "取込結果",
        ] {
            assert!(c.iter().any(|n| n == s), "{s}");
        }
        assert_eq!(
            sheet_names(&data_quality(&input).unwrap()),
            ["概要", "取込結果", "シート別集計", "除外行", "重複・合計行", "対象外シート"]
        );
    }

    #[test]
    fn formula_like_workbook_text_is_written_as_a_string() {
        let mut fx = fixture();
        let evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
        fx.quality.sheets[0].sheet = evil.to_string();
        fx.quality.rejected[0].sheet = "+1".to_string();
        fx.quality.rejected[0].reason = "@SUM(A1:A9)".to_string();
        let bytes = data_quality(&fx.input()).unwrap();
        for (name, xml) in xlsx_parts(&bytes) {
            if name.starts_with("xl/worksheets/") {
                assert!(!xml.contains("<f>") && !xml.contains("<f "), "{name} has a formula");
            }
        }
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("シート別集計").unwrap();
        let found = range.used_cells().any(|(_, _, v)| matches!(v, Data::String(s) if s == evil));
        assert!(found, "formula-like sheet name read back as the same string");
        let range = wb.worksheet_range("除外行").unwrap();
        let cells: Vec<_> = range.used_cells().map(|(_, _, v)| v.clone()).collect();
        assert!(cells.contains(&Data::String("+1".into())));
        assert!(cells.contains(&Data::String("@SUM(A1:A9)".into())));
    }

    #[test]
    fn figures_are_number_and_date_cells_and_there_is_a_native_chart() {
        let fx = fixture();
        let bytes = ministry(&fx.input()).unwrap();
        let parts = xlsx_parts(&bytes);
        let charts: Vec<_> = parts.iter().filter(|(n, _)| n.starts_with("xl/charts/chart")).collect();
        assert_eq!(charts.len(), 3, "one line chart per headline KPI");
        assert!(charts.iter().all(|(_, x)| x.contains("<c:lineChart>")));
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("概要").unwrap();
        // 年間目標 of dispatch.sessions (270) is a number cell.
        let has_270 = range.used_cells().any(|(_, _, v)| matches!(v, Data::Float(x) if *x == 270.0));
        assert!(has_270);
        assert!(!range.used_cells().any(|(_, _, v)| matches!(v, Data::String(s) if s == "270")));
        let monthly = wb.worksheet_range("月別推移").unwrap();
        let dates = monthly.used_cells().filter(|(_, _, v)| matches!(v, Data::DateTime(_))).count();
        assert_eq!(dates, 12, "the month column holds real dates");
    }

    #[test]
    fn summary_holds_the_plan_items_and_the_timeline_as_real_dates() {
        let fx = fixture();
        for bytes in [ministry(&fx.input()).unwrap(), center(&fx.input()).unwrap()] {
            let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
            assert!(!wb.sheet_names().iter().any(|n| n == "年間予定"), "the timeline lives on 概要");
            let range = wb.worksheet_range("概要").unwrap();
            let strings: Vec<String> = range
                .used_cells()
                .filter_map(|(_, _, v)| match v {
                    Data::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            for item in &fx.plan.items {
                assert!(strings.contains(&item.text), "{}", item.text);
                assert!(strings.contains(&item.section), "{}", item.section);
                if let Some(n) = &item.note {
                    assert!(strings.contains(n), "{n}");
                }
            }
            // The timeline: a header 日付 in column A, then one real date per event.
            let top = range
                .used_cells()
                .find(|(_, c, v)| *c == 0 && matches!(v, Data::String(s) if s == "日付"))
                .map(|(r, _, _)| r)
                .expect("timeline header");
            for (i, e) in fx.figures.timeline.iter().enumerate() {
                let cell = range.get((top + 1 + i, 0)).unwrap();
                match cell {
                    Data::DateTime(dt) => assert_eq!(dt.as_datetime().unwrap().date(), e.date),
                    other => panic!("event {i} date is {other:?}"),
                }
                let state = range.get((top + 1 + i, 3)).unwrap().to_string();
                assert_eq!(state, view::timeline_state(e, fx.figures.as_of).label());
            }
            assert!(strings.iter().any(|s| s == "大会日"), "a passed competition day is 大会日");
        }
    }

    #[test]
    fn plan_text_that_looks_like_a_formula_stays_a_string() {
        let mut fx = fixture();
        fx.plan.items[0].text = "=HYPERLINK(\"http://evil.example\",\"x\")".into();
        fx.plan.items[0].note = Some("+1 @SUM(A1)".into());
        let bytes = ministry(&fx.input()).unwrap();
        for (name, xml) in xlsx_parts(&bytes) {
            if name.starts_with("xl/worksheets/") {
                assert!(!xml.contains("<f>") && !xml.contains("<f "), "{name} has a formula");
            }
        }
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let cells: Vec<_> = wb.worksheet_range("概要").unwrap().used_cells().map(|(_, _, v)| v.clone()).collect();
        assert!(cells.contains(&Data::String("=HYPERLINK(\"http://evil.example\",\"x\")".into())));
        assert!(cells.contains(&Data::String("+1 @SUM(A1)".into())));
    }

    #[test]
    fn sheets_are_set_up_for_a4_with_filters_and_frozen_headers() {
        let fx = fixture();
        let bytes = data_quality(&fx.input()).unwrap();
        for (name, xml) in xlsx_parts(&bytes) {
            if name.starts_with("xl/worksheets/sheet") {
                assert!(xml.contains("paperSize=\"9\""), "{name}");
                assert!(xml.contains("<autoFilter"), "{name}");
                assert!(xml.contains("state=\"frozen\""), "{name}");
                assert!(xml.contains("fitToWidth") || xml.contains("fitToPage=\"1\""), "{name}");
                assert!(xml.contains("&amp;P / &amp;N"), "{name} page numbers");
            }
        }
        let styles = xlsx_parts(&bytes).into_iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1;
        assert!(styles.contains(FONT));
    }
}
