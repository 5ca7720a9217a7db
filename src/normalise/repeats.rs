//! Repeats without a number (datasets.md, "Repeats without a number"):
//! offices copy sheets (Excel names the copy 「5月 (2)」) and paste the same
//! rows into a second book.
//!
//! - A sheet whose rows all equal another sheet's rows, in order, is a copy
//!   ([`SheetSignatures`]): listed, not counted. Every record type.
//! - A dispatch or outreach row without a number whose fields all equal a
//!   row of another sheet or book is the same event ([`EventIndex`]): the
//!   first in path order counts, the repeat is skipped and listed. Equal
//!   rows within one sheet count separately (two sessions on one day
//!   happen) and are listed to check.

use crate::ingest::{RawCell, RawRow};
use crate::schema::DatasetId;
use foldhash::{HashMap, HashMapExt};

/// The fields two rows without a number must agree on to be one event.
pub fn event_fields(dataset: DatasetId) -> &'static [&'static str] {
    match dataset {
        DatasetId::Dispatches => &[
            "date",
            "dest_type",
            "requester",
            "trade",
            "trainees",
            "instructor_type",
            "meister_no",
            "instructor_name",
            "hours",
        ],
        DatasetId::Outreach => &["date", "kind", "place", "participants", "meister_no"],
        _ => &[],
    }
}

/// A sheet's rows as one fingerprint, and the sheets already seen.
#[derive(Default)]
pub struct SheetSignatures {
    /// (record type, fingerprint of the rows) → (file, sheet) first seen.
    seen: HashMap<(DatasetId, u64), (String, String)>,
}

impl SheetSignatures {
    /// The sheet this one copies, when its rows (field by field, in order)
    /// equal an earlier sheet's; otherwise remembers it. A sheet without a
    /// row holding anything but its number copies nothing.
    pub fn copy_of(
        &mut self,
        dataset: DatasetId,
        file: &str,
        sheet: &str,
        fields: &[&'static str],
        rows: &[RawRow],
        is_blank: impl Fn(&RawRow) -> bool,
    ) -> Option<(String, String)> {
        let mut bytes = Vec::with_capacity(64 * rows.len());
        let mut any = false;
        for row in rows.iter().filter(|r| !is_blank(r)) {
            any = true;
            for (field, cell) in fields.iter().zip(&row.cells) {
                bytes.extend_from_slice(field.as_bytes());
                write_cell(cell, &mut bytes);
            }
            bytes.push(b'\n');
        }
        if !any {
            return None;
        }
        let key = (dataset, xxhash_rust::xxh3::xxh3_64(&bytes));
        match self.seen.get(&key) {
            Some(first) => Some(first.clone()),
            None => {
                self.seen.insert(key, (file.to_string(), sheet.to_string()));
                None
            }
        }
    }
}

/// A cell's value as bytes (a kind tag, then the value).
fn write_cell(cell: &RawCell, out: &mut Vec<u8>) {
    match cell {
        RawCell::Empty => out.push(b'e'),
        RawCell::Text(t) => {
            out.push(b's');
            out.extend_from_slice(&(t.len() as u64).to_le_bytes());
            out.extend_from_slice(t.as_bytes());
        }
        RawCell::Int(i) => {
            out.push(b'i');
            out.extend_from_slice(&i.to_le_bytes());
        }
        RawCell::Float(f) => {
            out.push(b'f');
            out.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        RawCell::Bool(b) => out.extend_from_slice(&[b'b', u8::from(*b)]),
        RawCell::Date { serial, .. } => {
            out.push(b'd');
            out.extend_from_slice(&serial.to_bits().to_le_bytes());
        }
        RawCell::DateIso(s) | RawCell::Error(s) => {
            out.push(b'x');
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// Where an accepted row is: its sheet (an index among the sheets read) and
/// its 0-based row and first column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub sheet: u32,
    pub row: u32,
    pub col: u32,
}

/// Accepted rows of one record type by the fields an event is told by.
#[derive(Default)]
pub struct EventIndex {
    /// Rows by event fingerprint, each with whether it counted (a repeat of
    /// another sheet's row is kept too, uncounted, so the next repeat pairs
    /// with the next row there).
    rows: HashMap<u64, Vec<(At, bool)>>,
}

/// What an event key says about a row without a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// No equal row counted yet.
    New,
    /// The same event as a row of another sheet, counted there: skip.
    OtherSheet(At),
    /// Equal to a row of the same sheet: counts, to check.
    SameSheet(At),
}

impl EventIndex {
    /// What a row with event fingerprint `key` in `sheet` is, given the rows
    /// counted so far: a repeat of another sheet's row while that sheet has
    /// more rows of this key than this sheet has counted, else new (or equal
    /// to a row of its own sheet).
    pub fn classify(&self, key: u64, sheet: u32) -> Repeat {
        let Some(rows) = self.rows.get(&key) else { return Repeat::New };
        let own: Vec<&At> = rows.iter().filter(|(a, _)| a.sheet == sheet).map(|(a, _)| a).collect();
        let mut per_sheet: HashMap<u32, Vec<&At>> = HashMap::new();
        for (a, _) in rows.iter().filter(|(a, counted)| *counted && a.sheet != sheet) {
            per_sheet.entry(a.sheet).or_default().push(a);
        }
        // The sheet (first in path order among the largest) whose rows this
        // one's repeat: its (own count + 1)-th row of the key.
        let other =
            per_sheet.values().filter(|v| v.len() > own.len()).min_by_key(|v| v[0].sheet).map(|v| *v[own.len()]);
        match (other, own.first()) {
            (Some(at), _) => Repeat::OtherSheet(at),
            (None, Some(first)) => Repeat::SameSheet(**first),
            (None, None) => Repeat::New,
        }
    }

    /// Remembers a row: counted, or skipped as a repeat.
    pub fn insert(&mut self, key: u64, at: At, counted: bool) {
        self.rows.entry(key).or_default().push((at, counted));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(sheet: u32, row: u32) -> At {
        At { sheet, row, col: 0 }
    }

    #[test]
    fn a_row_of_another_sheet_is_a_repeat_one_of_the_same_sheet_counts() {
        let mut ix = EventIndex::default();
        assert_eq!(ix.classify(7, 0), Repeat::New);
        ix.insert(7, at(0, 3), true);
        assert_eq!(ix.classify(7, 0), Repeat::SameSheet(at(0, 3)));
        ix.insert(7, at(0, 4), true);
        // Sheet 1 pastes both rows and adds a third equal one of its own:
        // the two repeats pair with sheet 0's two rows, the third counts.
        assert_eq!(ix.classify(7, 1), Repeat::OtherSheet(at(0, 3)));
        ix.insert(7, at(1, 9), false);
        assert_eq!(ix.classify(7, 1), Repeat::OtherSheet(at(0, 4)));
        ix.insert(7, at(1, 10), false);
        assert_eq!(ix.classify(7, 1), Repeat::SameSheet(at(1, 9)), "more than sheet 0 holds: its own");
        ix.insert(7, at(1, 11), true);
        // A third sheet repeats sheet 0 (first in path order), not sheet 1.
        assert_eq!(ix.classify(7, 2), Repeat::OtherSheet(at(0, 3)));
        assert_eq!(ix.classify(8, 2), Repeat::New);
    }
}
