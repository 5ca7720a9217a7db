//! A sheet's layout: which column each table column takes (machine columns
//! outside the print area), column widths by East-Asian width, and row
//! heights for wrapped text.

use super::*;

/// Where a table's columns land on the sheet.
pub(super) fn placement(t: &Table, print_cols: usize) -> Vec<u16> {
    let mut next_print = 0u16;
    let mut next_machine = print_cols as u16 + 1;
    t.columns
        .iter()
        .map(|c| {
            if c.role == Role::Machine {
                next_machine += 1;
                next_machine - 1
            } else {
                next_print += 1;
                next_print - 1
            }
        })
        .collect()
}

/// The text a cell shows (for sizing); a status gets room for its fill.
pub(super) fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Status(s) => format!("  {}  ", s.word),
        other => other.shown(),
    }
}

pub(super) fn width_of(s: &str) -> usize {
    s.lines().map(display_width).max().unwrap_or(0)
}

/// Column widths (characters) of a sheet: printed columns first, then the
/// machine columns after one empty column.
pub(super) struct Layout {
    pub(super) print_cols: usize,
    pub(super) widths: Vec<usize>,
}

pub(super) fn layout(sheet: &SheetPlan<'_>) -> Layout {
    let tables: Vec<&Table> = sheet.sections.iter().flat_map(|s| s.tables()).collect();
    let print_cols = tables
        .iter()
        .map(|t| t.columns.iter().filter(|c| c.role != Role::Machine).count())
        .chain(sheet.sections.iter().flat_map(|s| &s.blocks).map(|b| match b {
            Block::List(_) => 3,
            _ => 1,
        }))
        .max()
        .unwrap_or(1)
        .max(1);
    let machine =
        tables.iter().map(|t| t.columns.iter().filter(|c| c.role == Role::Machine).count()).max().unwrap_or(0);
    let total = print_cols + if machine > 0 { 1 + machine } else { 0 };
    let mut widths = vec![MIN_WIDTH; total];
    for t in &tables {
        let at = placement(t, print_cols);
        let spans = spanning_column(t, print_cols);
        for (i, c) in t.columns.iter().enumerate() {
            if Some(i) == spans {
                continue; // it spans the sheet's further columns and wraps there
            }
            let cap = match c.role {
                Role::Wide => MAX_WIDE,
                Role::Note => MAX_NOTE,
                Role::Plain | Role::Machine => MAX_PLAIN,
            };
            let header = width_of(&c.heading);
            let cells = t
                .rows
                .iter()
                .filter(|r| r.kind != RowKind::Group)
                .filter_map(|r| r.cells.get(i))
                .map(|cell| width_of(&shown(cell)))
                .max()
                .unwrap_or(0);
            let w = (cells.min(cap) + 2).max(header + 2).max(MIN_WIDTH);
            let slot = &mut widths[at[i] as usize];
            *slot = (*slot).max(w);
        }
    }
    for b in sheet.sections.iter().flat_map(|s| &s.blocks) {
        if let Block::List(items) = b {
            for it in items {
                widths[0] = widths[0].max((width_of(&it.title) + 2).min(MAX_WIDE));
                widths[1] = widths[1].max(width_of(&it.status.word) + 4);
            }
        }
    }
    if machine > 0 {
        widths[print_cols] = 3;
    }
    // A sheet of text alone (no table, no list) reads across the page, not
    // down a column of minimum width.
    if print_cols == 1 && tables.is_empty() {
        widths[0] = widths[0].max(TEXT_ONLY_WIDTH);
    }
    Layout { print_cols, widths }
}

/// The index of a table's last printed column when the table has fewer
/// printed columns than its sheet: that column spans the rest of the sheet.
pub(super) fn spanning_column(t: &Table, print_cols: usize) -> Option<usize> {
    let own = t.columns.iter().filter(|c| c.role != Role::Machine).count();
    if own == 0 || own >= print_cols {
        return None;
    }
    t.columns.iter().enumerate().filter(|(_, c)| c.role != Role::Machine).map(|(i, _)| i).next_back()
}

/// Lines a text needs in `width` characters.
pub(super) fn lines_in(text: &str, width: usize) -> usize {
    let w = width.saturating_sub(1).max(1);
    text.lines().map(|l| display_width(l).div_ceil(w).max(1)).sum::<usize>().max(1)
}

pub(super) fn height(lines: usize) -> f64 {
    ROW_HEIGHT + LINE_HEIGHT * (lines.saturating_sub(1)) as f64
}
