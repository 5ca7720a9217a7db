//! Tables and lists into cells: real number and date cells, status colours,
//! links that open a workbook at its cell, data bars.

use super::layout::{Layout, height, lines_in, placement, shown, spanning_column};
use super::*;

pub(super) fn emphasis(kind: RowKind) -> Emphasis {
    match kind {
        RowKind::Data | RowKind::Group => Emphasis::Normal,
        RowKind::Subtotal => Emphasis::Subtotal,
        RowKind::Total => Emphasis::Total,
    }
}

/// Header, rows; returns the first row below the table.
pub(super) fn write_table(ws: &mut Worksheet, st: &Styles, t: &Table, lay: &Layout, top: u32) -> anyhow::Result<u32> {
    let at = placement(t, lay.print_cols);
    let last_print = (lay.print_cols - 1) as u16;
    let spans = spanning_column(t, lay.print_cols);
    let mut header_lines = 1;
    for (i, c) in t.columns.iter().enumerate() {
        if Some(i) == spans && at[i] < last_print {
            ws.merge_range(top, at[i], top, last_print, &clean(&c.heading), &st.header)?;
        } else {
            ws.write_string_with_format(top, at[i], clean(&c.heading), &st.header)?;
        }
        header_lines = header_lines.max(c.heading.lines().count());
    }
    ws.set_row_height(top, height(header_lines))?;
    let mut row = top + 1;
    if t.rows.is_empty() {
        ws.write_string_with_format(row, 0, "（なし）", &st.note)?;
        return Ok(row + 1);
    }
    let mut bars: Vec<u16> = Vec::new();
    let first_data = row;
    for r in &t.rows {
        row = write_row(ws, st, t, r, &at, spans, lay, last_print, row, &mut bars)?;
    }
    bars.sort_unstable();
    bars.dedup();
    for c in bars {
        let bar = ConditionalFormatDataBar::new()
            .set_minimum(ConditionalFormatType::Number, 0)
            .set_maximum(ConditionalFormatType::Number, 1)
            .set_fill_color(0x9DBDE6)
            .set_solid_fill(true)
            .set_border_off(true);
        ws.add_conditional_format(first_data, c, row - 1, c, &bar)?;
    }
    Ok(row)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn write_row(
    ws: &mut Worksheet,
    st: &Styles,
    t: &Table,
    r: &Row,
    at: &[u16],
    spans: Option<usize>,
    lay: &Layout,
    last_print: u16,
    row: u32,
    bars: &mut Vec<u16>,
) -> anyhow::Result<u32> {
    if r.kind == RowKind::Group {
        let text = r.cells.iter().map(shown).find(|s| !s.is_empty()).unwrap_or_default();
        if last_print > 0 {
            ws.merge_range(row, 0, row, last_print, &clean(&text), &st.group)?;
        } else {
            ws.write_string_with_format(row, 0, clean(&text), &st.group)?;
        }
        return Ok(row + 1);
    }
    let e = emphasis(r.kind);
    let mut lines = 1;
    for (i, cell) in r.cells.iter().enumerate() {
        let Some(&c) = at.get(i) else { continue };
        let wraps = t.columns.get(i).is_some_and(|col| matches!(col.role, Role::Wide | Role::Note));
        let spanning = Some(i) == spans && c < last_print;
        let width: usize = if spanning {
            lay.widths[c as usize..=last_print as usize].iter().sum()
        } else {
            lay.widths.get(c as usize).copied().unwrap_or(MAX_WIDE)
        };
        let n = if wraps || spanning { lines_in(&shown(cell), width) } else { 1 };
        lines = lines.max(n);
        match cell {
            Cell::Text(text) | Cell::Strong(text) if spanning => {
                let f = if matches!(cell, Cell::Strong(_)) { st.strong(e) } else { st.text(e, true) };
                ws.merge_range(row, c, row, last_print, &clean(text), f)?;
            }
            _ => write_cell(ws, st, row, c, cell, e, n > 1)?,
        }
        if matches!(cell, Cell::Progress(_)) {
            bars.push(c);
        }
    }
    if lines > 1 {
        ws.set_row_height(row, height(lines))?;
    }
    Ok(row + 1)
}

pub(super) fn write_cell(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    c: u16,
    cell: &Cell,
    e: Emphasis,
    wrap: bool,
) -> anyhow::Result<()> {
    let dash = |ws: &mut Worksheet| ws.write_string_with_format(row, c, format::DASH, st.dash(e)).map(|_| ());
    match cell {
        Cell::Empty => {
            ws.write_blank(row, c, st.text(e, false))?;
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, c, clean(s), st.text(e, wrap))?;
        }
        Cell::Strong(s) => {
            ws.write_string_with_format(row, c, clean(s), st.strong(e))?;
        }
        Cell::Count(Some(x)) => {
            ws.write_number_with_format(row, c, *x, st.count(e))?;
        }
        Cell::Decimal(Some(x)) => {
            ws.write_number_with_format(row, c, *x, st.decimal(e))?;
        }
        Cell::Percent(Some(x)) => {
            ws.write_number_with_format(row, c, *x, st.percent(e))?;
        }
        Cell::Signed(Some(x)) => {
            ws.write_number_with_format(row, c, x.round(), st.signed(e))?;
        }
        Cell::Yen(Some(x)) => {
            ws.write_number_with_format(row, c, *x as f64, st.yen(e))?;
        }
        Cell::Date(Some(d)) => {
            ws.write_datetime_with_format(row, c, d, st.date(e))?;
        }
        Cell::Month(d) => {
            ws.write_datetime_with_format(row, c, d, st.month(e))?;
        }
        Cell::Count(None) | Cell::Decimal(None) | Cell::Percent(None) | Cell::Signed(None) | Cell::Yen(None) => {
            dash(ws)?
        }
        Cell::Date(None) => dash(ws)?,
        Cell::Status(s) => {
            ws.write_string_with_format(row, c, clean(&s.word), st.tone(s.tone))?;
        }
        Cell::Progress(p) => match p.achievement {
            Some(x) => {
                ws.write_number_with_format(row, c, x, st.percent(e))?;
            }
            None => dash(ws)?,
        },
        Cell::Link(l) => {
            let target = match (&l.sheet, &l.cell) {
                (Some(s), Some(a)) if is_excel(&l.file) => format!("{}#'{}'!{a}", l.file, s.replace('\'', "''")),
                _ => l.file.clone(),
            };
            let url = Url::new(format!("file:///{target}")).set_text(clean(&l.text));
            ws.write_url_with_format(row, c, url, &st.link)?;
        }
    }
    Ok(())
}

/// Workbooks Excel opens at a cell from a link.
pub(super) fn is_excel(file: &str) -> bool {
    let lower = file.to_lowercase();
    [".xlsx", ".xlsm", ".xls"].iter().any(|e| lower.ends_with(e))
}

/// A list: the title in the first column, the status word in the second,
/// the sentence merged across the rest.
pub(super) fn write_list(
    ws: &mut Worksheet,
    st: &Styles,
    items: &[ListItem],
    lay: &Layout,
    mut row: u32,
) -> anyhow::Result<u32> {
    let last = (lay.print_cols.max(3) - 1) as u16;
    let rest: usize = lay.widths.iter().take(lay.print_cols).skip(2).sum();
    for it in items {
        ws.write_string_with_format(row, 0, clean(&it.title), st.text(Emphasis::Normal, true))?;
        ws.write_string_with_format(row, 1, clean(&it.status.word), st.tone(it.status.tone))?;
        let text = clean(&it.text);
        if last > 2 {
            ws.merge_range(row, 2, row, last, &text, st.text(Emphasis::Normal, true))?;
        } else {
            ws.write_string_with_format(row, 2, text.as_ref(), st.text(Emphasis::Normal, true))?;
        }
        let lines = lines_in(&text, rest.max(20)).max(lines_in(&it.title, lay.widths[0]));
        ws.set_row_height(row, height(lines))?;
        row += 1;
    }
    Ok(row)
}
