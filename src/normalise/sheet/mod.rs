//! One recognised sheet's rows → accepted, rejected, skipped or not held:
//! every cell parsed by its field's kind, unreadable optional values left
//! empty with a warning, numbers checked for duplicates and conflicts in
//! their scope, rows without a number checked for repeats, and dates checked
//! against the sheet's fiscal year. One file per concern:
//! [`skip`] (blank, total and heading rows), [`held`] (rows that did not
//! happen), [`fields`] (each cell by its field's kind), [`unique`] (repeats
//! of a number or of a row without one), [`accept`] (sessions over several
//! days, check items, the row into its frame), [`year`] (the fiscal year of
//! a row and of a sheet).

mod accept;
mod fields;
mod held;
mod skip;
mod unique;
mod year;

use super::columns::{Builder, Value};
use super::{Quality, RowRef, Warning, WarningKind};
use crate::ingest::{ColumnMatch, RawRow, a1};
use crate::mapping::DatasetMapping;
use crate::schema::{DatasetId, Schema};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use year::named_year;

/// Days from 1970-01-01 (polars' Date representation).
pub(super) fn epoch_days(d: chrono::NaiveDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
}

fn date_of_days(days: i32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    epoch + chrono::Duration::days(i64::from(days))
}

/// A row's fate once its cells are read.
pub(super) enum Outcome {
    Accepted,
    Rejected,
    Skipped,
    /// Did not happen (中止, 延期, 予定, struck through, nobody came).
    NotHeld,
}

/// Where a row is and when: what its outcome is listed with.
struct RowCtx {
    row: u32,
    /// Its date, when read (the first day of a range).
    date: Option<NaiveDate>,
    /// The date cell (0-based row, column).
    date_cell: Option<(u32, u32)>,
    /// Its fiscal year (its date's; a competition entry's own).
    fiscal_year: Option<i32>,
}

/// A row whose date was read, for the sheet's year.
pub(super) struct Dated {
    date: NaiveDate,
    /// The date cell (0-based row, column).
    cell: (u32, u32),
    accepted: bool,
}

/// Reads the rows of one recognised sheet into its record type's builder.
pub(super) struct SheetReader<'a> {
    file: &'a str,
    sheet: &'a str,
    /// The sheet's index among its builder's sources.
    source: u32,
    is_1904: bool,
    dataset: DatasetId,
    schema: &'static Schema,
    dm: &'a DatasetMapping,
    /// For each schema field: its index among the row's cells and its sheet
    /// column, when the sheet has the column.
    slot: Vec<Option<(usize, u32)>>,
    /// The sheet column of the row's first matched cell.
    first_col: u32,
    /// The sheet column of the record type's date field.
    date_col: Option<u32>,
    /// Category labels already looked up, per schema field (the raw cell
    /// text and what it maps to): a column repeats a handful of labels.
    labels: Vec<Vec<(String, &'a str)>>,
    dated: Vec<Dated>,
    /// The row cell of an optional number column (派遣番号): a row holding
    /// nothing else is a pre-numbered template row, so blank.
    number_cell: Option<usize>,
    /// Each row cell's header as matched, normalised: a row repeating them
    /// is the header again (a sheet holding several months), not a record.
    headers: Vec<String>,
    skipped_blank: usize,
    skipped_total: usize,
    skipped_duplicate: usize,
    /// The fiscal year the sheet's titles, its name, its file or its folders
    /// name (competition rows without a 年度 of their own take it).
    named_year: Option<i32>,
    /// Where this sheet's entries of the ledger start (rejected, warnings,
    /// not held), to give them the sheet's year at the end when their own
    /// date could not be read.
    ledger_from: (usize, usize, usize),
}

/// A number as a key: digits alone compare without their leading zeros, so
/// `002` typed as text and the number 2 shown as `002` (a cell formatted
/// 000) are one number; anything else as written.
fn key_number(number: &str) -> String {
    let digits = number.trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = digits.trim_start_matches('0');
        return if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() };
    }
    number.to_string()
}

/// Bytes standing for "no value" in comparisons and fingerprints.
const NONE_KEY: &[u8] = b"-";

impl<'a> SheetReader<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        file: &'a str,
        sheet: &'a str,
        titles: &[String],
        source: u32,
        is_1904: bool,
        dataset: DatasetId,
        dm: &'a DatasetMapping,
        columns: &[ColumnMatch],
        quality: &Quality,
    ) -> SheetReader<'a> {
        let schema = dataset.schema();
        let mut reader = SheetReader {
            file,
            sheet,
            source,
            is_1904,
            dataset,
            schema,
            dm,
            slot: schema
                .fields
                .iter()
                .map(|f| columns.iter().position(|c| c.field == f.key).map(|i| (i, columns[i].col)))
                .collect(),
            first_col: columns.iter().map(|c| c.col).min().unwrap_or(0),
            date_col: None,
            labels: vec![Vec::new(); schema.fields.len()],
            dated: Vec::new(),
            number_cell: None,
            headers: columns.iter().map(|c| crate::text::normalise_header(&c.header)).collect(),
            skipped_blank: 0,
            skipped_total: 0,
            skipped_duplicate: 0,
            named_year: (dataset == DatasetId::Competitions).then(|| named_year(titles, sheet, file)).flatten(),
            ledger_from: (quality.rejected.len(), quality.warnings.len(), quality.not_held.len()),
        };
        reader.date_col = schema.date_field.map(|f| reader.col_of(f));
        reader.number_cell = schema.unique_key.as_ref().and_then(|u| {
            let i = schema.fields.iter().position(|f| f.key == u.field && !f.required)?;
            reader.slot[i].map(|(cell, _)| cell)
        });
        reader
    }

    /// Rows skipped so far as (blank, total, duplicate).
    pub fn skipped(&self) -> (usize, usize, usize) {
        (self.skipped_blank, self.skipped_total, self.skipped_duplicate)
    }

    fn place(&self, row: u32, col: u32) -> RowRef {
        RowRef { file: self.file.to_string(), sheet: self.sheet.to_string(), cell: a1(row, col) }
    }

    /// The sheet column of a field (the first matched column when absent).
    fn col_of(&self, key: &str) -> u32 {
        self.schema
            .fields
            .iter()
            .position(|f| f.key == key)
            .and_then(|i| self.slot[i])
            .map_or(self.first_col, |(_, c)| c)
    }

    /// The row cell and sheet column of a field the sheet has.
    fn slot_of(&self, key: &str) -> Option<(usize, u32)> {
        self.schema.fields.iter().position(|f| f.key == key).and_then(|i| self.slot[i])
    }

    fn warning(
        &self,
        row: u32,
        col: u32,
        key: &str,
        kind: WarningKind,
        reason: String,
        fiscal_year: Option<i32>,
    ) -> Warning {
        Warning {
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            cell: a1(row, col),
            dataset: self.dataset,
            column: if key.is_empty() { String::new() } else { self.dm.header(key).to_string() },
            kind,
            reason,
            fiscal_year,
        }
    }

    fn note_dated(&mut self, date: Option<NaiveDate>, cell: Option<(u32, u32)>, accepted: bool) {
        if let (Some(date), Some(cell)) = (date, cell) {
            self.dated.push(Dated { date, cell, accepted });
        }
    }

    /// One data row: accepted into `builder`, rejected, skipped or not held,
    /// with what a person must check recorded in `quality`.
    pub fn row(
        &mut self,
        raw: RawRow,
        builder: &mut Builder,
        quality: &mut Quality,
        pii: &mut BTreeSet<String>,
    ) -> Outcome {
        let RawRow { row, cells, first, strike } = raw;
        if let Some(skipped) = self.skip(row, &cells, first.as_ref(), quality) {
            return skipped;
        }
        // A row that did not happen, told before anything else (its other
        // cells may well be empty): its personal values are still read, so
        // they are masked wherever else they appear.
        if let Some(not) = self.not_held_by_marks(&cells, strike) {
            self.collect_personal(&cells, pii);
            return self.not_held(row, not, &cells, quality);
        }
        let mut f = self.read_fields(&cells, pii);
        let at =
            RowCtx { row, date: f.date(self.schema), date_cell: self.date_col.map(|c| (row, c)), fiscal_year: None };
        let at = RowCtx { fiscal_year: self.row_year(at.date, f.value(self.schema, "fiscal_year")), ..at };
        if let Some(out) = self.nobody_came(&f, &at, quality) {
            return out;
        }
        if let Some(out) = self.reject(&f, &at, quality) {
            return out;
        }
        let numbered = match self.number_repeat(&f, &at, builder, quality) {
            Ok(numbered) => numbered,
            Err(out) => return out,
        };
        if !numbered && let Some(out) = self.event_repeat(&mut f, &at, builder, quality) {
            return out;
        }
        self.accept(f, strike, &at, builder, quality)
    }
}

/// Distinct category texts remembered per column of a sheet.
pub(super) const MAX_LABELS_KEPT: usize = 64;
