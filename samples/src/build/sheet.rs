//! The sheet builder every book of the folder is laid out with: one dataset
//! sheet row by row, each record's place handed out as its row is written
//! (records, blank and total rows, vertical merges, struck cells, the cell
//! of a check item), and the small helpers for title lines and cells.

use crate::layout::{BodyKind, BodyMerge, BodyRow, Cell, SheetLayout, TopLine, col_letter};
use crate::model::{CheckKind, ExpectedWarning, ExpectedWarningKind, Place};

/// Which cells of a row are struck through (見え消し).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Strike {
    #[default]
    None,
    /// Every non-empty cell: the row is withdrawn.
    Whole,
    /// These fields' cells only: the row counts, to check.
    Cells(&'static [&'static str]),
}

/// Lays out one dataset sheet row by row and hands out each record's place.
pub(super) struct SheetBuilder {
    file: String,
    layout: SheetLayout,
}

impl SheetBuilder {
    /// `cols`: (header text as written, field key). Keys not in a record's
    /// cells stay empty. The title lines go above `header_row` (0-based).
    pub(super) fn new(
        file: &str,
        name: &str,
        dataset: &'static str,
        top: Vec<TopLine>,
        header_row: u32,
        cols: &[(&str, &'static str)],
        widths: &[f64],
    ) -> SheetBuilder {
        let mut layout = SheetLayout::new(name, Some(dataset));
        layout.top = top;
        layout.header_row = header_row;
        layout.headers = cols.iter().map(|(h, _)| (*h).to_string()).collect();
        layout.keys = cols.iter().map(|(_, k)| *k).collect();
        layout.widths = widths.to_vec();
        SheetBuilder { file: file.to_string(), layout }
    }

    fn col(&self, key: &str) -> u16 {
        self.layout.col_of(key).expect("column key exists in the sheet")
    }

    /// A1 of field `key`'s cell on the row of `place`.
    pub(super) fn cell_of(&self, key: &str, place: &Place) -> String {
        format!("{}{}", col_letter(self.col(key)), place.row)
    }

    pub(super) fn record(&mut self, cells: Vec<(&'static str, Cell)>) -> Place {
        let mut row = vec![Cell::Empty; self.layout.keys.len()];
        for (key, cell) in cells {
            if let Some(i) = self.layout.col_of(key) {
                row[usize::from(i)] = cell;
            }
        }
        self.layout.body.push(BodyRow { kind: BodyKind::Record, cells: row });
        Place {
            file: self.file.clone(),
            sheet: self.layout.name.clone(),
            row: self.layout.excel_row(self.layout.body.len() - 1),
        }
    }

    pub(super) fn blank(&mut self) {
        let cells = vec![Cell::Empty; self.layout.keys.len()];
        self.layout.body.push(BodyRow { kind: BodyKind::Blank, cells });
    }

    /// A total row: `label` in the `label_key` column, `=SUM(..)` with its
    /// cached result (numbers only, as Excel computes it) under `sum_keys`.
    pub(super) fn total(&mut self, label_key: &str, label: &str, sum_keys: &[&str]) {
        let mut row = vec![Cell::Empty; self.layout.keys.len()];
        row[usize::from(self.col(label_key))] = Cell::text(label);
        for key in sum_keys {
            let c = self.col(key);
            row[usize::from(c)] = self.layout.sum_above(c);
        }
        self.layout.body.push(BodyRow { kind: BodyKind::Total, cells: row });
    }

    /// Merge the last `n` body rows vertically in column `key` (the upper
    /// cell keeps the value, the ones below must be empty).
    pub(super) fn merge_last(&mut self, n: usize, key: &str) {
        let len = self.layout.body.len();
        let col = self.col(key);
        debug_assert!(n >= 2 && len >= n);
        debug_assert!(self.layout.body[len - n + 1..].iter().all(|r| r.cells[usize::from(col)].is_empty()));
        self.layout.merges.push(BodyMerge { first: len - n, last: len - 1, col });
    }

    pub(super) fn finish(self) -> SheetLayout {
        self.layout
    }

    /// A1 of field `key`'s cell on the row at `row`, or of the row's first
    /// matched cell for `""`.
    pub(super) fn cell_at(&self, key: &str, row: u32) -> String {
        let col = if key.is_empty() { self.layout.first_matched_col() } else { self.col(key) };
        format!("{}{row}", col_letter(col))
    }

    /// Strikes the last row's cells through: every non-empty one, or those
    /// of `keys`.
    pub(super) fn strike_last(&mut self, strike: Strike) {
        let index = self.layout.body.len() - 1;
        let cols: Vec<u16> = match strike {
            Strike::None => Vec::new(),
            Strike::Whole => (0..self.layout.keys.len())
                .filter(|&c| !self.layout.body[index].cells[c].is_empty())
                .map(|c| c as u16)
                .collect(),
            Strike::Cells(keys) => keys.iter().map(|k| self.col(k)).collect(),
        };
        self.layout.struck.extend(cols.into_iter().map(|c| (index, c)));
    }

    /// The check item a reader lists at field `key`'s cell of the row at `row`.
    pub(super) fn check(&self, kind: CheckKind, key: &str, row: u32) -> ExpectedWarning {
        ExpectedWarning {
            file: self.file.clone(),
            sheet: self.layout.name.clone(),
            cell: self.cell_at(key, row),
            kind: ExpectedWarningKind::Check(kind),
        }
    }
}

/// A title line merged across `span` columns.
pub(super) fn title(row: u32, text: &str, span: usize) -> TopLine {
    TopLine { row, col: 0, text: text.to_string(), span: span as u16 }
}

/// A plain line (not merged) in column `col`.
pub(super) fn line(row: u32, col: u16, text: &str) -> TopLine {
    TopLine { row, col, text: text.to_string(), span: 1 }
}

/// The place of a record not yet written (set when its row is).
pub(super) fn placeholder() -> Place {
    Place { file: String::new(), sheet: String::new(), row: 0 }
}

/// An amount in yen as a number cell (empty for `None`).
pub(super) fn yen(v: Option<i64>) -> Cell {
    v.map_or(Cell::Empty, |y| Cell::Num(y as f64))
}
