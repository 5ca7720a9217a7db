//! Rows that hold no record: blank rows (or only a pre-filled number),
//! total rows (合計, 10月計), and headings between the months of one sheet.

use super::{Outcome, SheetReader};
use crate::ingest::RawCell;
use crate::normalise::Quality;
use crate::normalise::values::{cell_text, is_period_heading, is_total_label};

impl SheetReader<'_> {
    /// `Some` when the row holds no record (counted as skipped).
    pub(super) fn skip(
        &mut self,
        row: u32,
        cells: &[RawCell],
        first: Option<&RawCell>,
        quality: &mut Quality,
    ) -> Option<Outcome> {
        // Blank: nothing in any column of the record type, or only the
        // number of a pre-numbered template row (派遣番号 R5-002 and nothing else).
        if self.is_blank(cells) {
            self.skipped_blank += 1;
            return Some(Outcome::Skipped);
        }
        if first.and_then(cell_text).is_some_and(|label| is_total_label(&label)) {
            self.skipped_total += 1;
            quality.totals.push(self.place(row, self.first_col));
            return Some(Outcome::Skipped);
        }
        // Headings between the months of one sheet hold no record: the header
        // row again, or a period title alone (5月, 令和5年5月分). Blank rows.
        if self.is_heading(cells) {
            self.skipped_blank += 1;
            return Some(Outcome::Skipped);
        }
        None
    }

    /// Nothing in any column of the record type, or only the number of a
    /// pre-numbered template row.
    pub fn is_blank(&self, cells: &[RawCell]) -> bool {
        cells.iter().enumerate().all(|(i, c)| c.is_empty() || Some(i) == self.number_cell)
    }

    /// Whether a row is a heading: the header texts again (two or more, and
    /// nothing else), notes in brackets only (a units row （人）), or one text
    /// naming a period and nothing else.
    pub(super) fn is_heading(&self, cells: &[RawCell]) -> bool {
        let mut filled = cells.iter().enumerate().filter(|(_, c)| !c.is_empty()).peekable();
        let Some(&(_, first)) = filled.peek() else { return false };
        let repeats_header = |(i, c): (usize, &RawCell)| match c {
            RawCell::Text(t) => self.headers.get(i).is_some_and(|h| *h == crate::text::normalise_header(t)),
            _ => false,
        };
        // A row of notes in brackets under the header: （人）, (年/月/日).
        let bracketed = |c: &RawCell| matches!(c, RawCell::Text(t) if crate::text::is_bracketed_note(t));
        if cells.iter().filter(|c| !c.is_empty()).all(bracketed) {
            return true;
        }
        let count = cells.iter().filter(|c| !c.is_empty()).count();
        if count >= 2 {
            return filled.all(repeats_header);
        }
        matches!(first, RawCell::Text(t) if is_period_heading(t))
    }
}
