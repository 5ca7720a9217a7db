//! One recognised sheet's rows → accepted, rejected or skipped: every cell
//! parsed by its field's kind, unreadable optional values left empty with a
//! warning, numbers checked for duplicates and conflicts in their scope, and
//! dates checked against the sheet's fiscal year.

use super::columns::{Builder, Compared, RecordKey, Seen, Value};
use super::values::{
    cell_str, cell_text, is_period_heading, is_total_label, parse_count, parse_date_with_epoch, parse_fiscal_year,
    parse_flag, parse_hours, parse_yen,
};
use super::{Duplicate, Quality, Rejection, RowRef, Warning, WarningKind};
use crate::fiscal::FiscalYear;
use crate::ingest::{ColumnMatch, RawCell, RawRow, a1};
use crate::mapping::DatasetMapping;
use crate::schema::{DatasetId, FieldKind, FieldSpec, Schema};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Days from 1970-01-01 (polars' Date representation).
pub(super) fn epoch_days(d: chrono::NaiveDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
}

fn date_of_days(days: i32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    epoch + chrono::Duration::days(i64::from(days))
}

/// Parses one cell for a field: `Ok(None)` when blank.
fn parse_cell<'v>(
    spec: &FieldSpec,
    cell: &'v RawCell,
    mapping: &'v DatasetMapping,
    is_1904: bool,
) -> Result<Option<Value<'v>>, String> {
    Ok(match spec.kind {
        FieldKind::Date => parse_date_with_epoch(cell, is_1904)?.map(|d| Value::Date(epoch_days(d))),
        FieldKind::Count => parse_count(cell)?.map(Value::Int),
        FieldKind::Yen => parse_yen(cell)?.map(Value::Int),
        FieldKind::Hours => parse_hours(cell)?.map(Value::Float),
        FieldKind::Flag => parse_flag(cell)?.map(Value::Bool),
        FieldKind::FiscalYear => parse_fiscal_year(cell)?.map(Value::Year),
        FieldKind::Text => {
            if let RawCell::Error(e) = cell {
                return Err(format!("セルがエラー値（{e}）です。数式か参照元を直してください"));
            }
            cell_str(cell).map(Value::Str)
        }
        FieldKind::Category => {
            if let RawCell::Error(e) = cell {
                return Err(format!("セルがエラー値（{e}）です。数式か参照元を直してください"));
            }
            match cell_text(cell) {
                None => spec.default.map(|d| Value::Str(Cow::Borrowed(d))),
                Some(label) => match mapping.canonical(spec.key, &label) {
                    Some(canon) => Some(Value::Str(Cow::Borrowed(canon))),
                    None => {
                        let shown: String = label.chars().take(30).collect();
                        return Err(format!(
                            "「{shown}」は{}として登録されていない値です。使える値: {}（別名はマッピングファイルに追加できます）",
                            mapping.header(spec.key),
                            mapping.values(spec.key).join("、")
                        ));
                    }
                },
            }
        }
    })
}

/// A row's fate once its cells are read.
pub(super) enum Outcome {
    Accepted,
    Rejected,
    Skipped,
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
    pub fn new(
        file: &'a str,
        sheet: &'a str,
        source: u32,
        is_1904: bool,
        dataset: DatasetId,
        dm: &'a DatasetMapping,
        columns: &[ColumnMatch],
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

    /// Whether a row is a heading: the header texts again (two or more, and
    /// nothing else), notes in brackets only (a units row （人）), or one text
    /// naming a period and nothing else.
    fn is_heading(&self, cells: &[RawCell]) -> bool {
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

    /// The sheet column of a field (the first matched column when absent).
    fn col_of(&self, key: &str) -> u32 {
        self.schema
            .fields
            .iter()
            .position(|f| f.key == key)
            .and_then(|i| self.slot[i])
            .map_or(self.first_col, |(_, c)| c)
    }

    /// One data row: accepted into `builder`, rejected or skipped, with
    /// what a person must check recorded in `quality`.
    pub fn row(
        &mut self,
        raw: RawRow,
        builder: &mut Builder,
        quality: &mut Quality,
        pii: &mut BTreeSet<String>,
    ) -> Outcome {
        let RawRow { row, cells, first } = raw;
        // Blank: nothing in any column of the record type, or only the
        // number of a pre-numbered template row (派遣番号 R5-002 and nothing else).
        let blank = |(i, c): (usize, &RawCell)| c.is_empty() || Some(i) == self.number_cell;
        if cells.iter().enumerate().all(blank) {
            self.skipped_blank += 1;
            return Outcome::Skipped;
        }
        if first.as_ref().and_then(cell_text).is_some_and(|label| is_total_label(&label)) {
            self.skipped_total += 1;
            quality.totals.push(self.place(row, self.first_col));
            return Outcome::Skipped;
        }
        // Headings between the months of one sheet hold no record: the header
        // row again, or a period title alone (5月, 令和5年5月分). Blank rows.
        if self.is_heading(&cells) {
            self.skipped_blank += 1;
            return Outcome::Skipped;
        }
        let schema = self.schema;
        let dm = self.dm;
        // Values of the non-personal fields (builder order); personal texts
        // only for comparing repeats of a number.
        let mut values: Vec<Option<Value<'_>>> = Vec::with_capacity(builder.fields.len());
        let mut personal: Vec<(&'static str, Option<Cow<'_, str>>)> = Vec::new();
        let mut problems: Vec<(u32, &'static str, String)> = Vec::new();
        let mut warnings: Vec<(u32, &'static str, String)> = Vec::new();
        for (field, spec) in schema.fields.iter().enumerate() {
            let (cell, col) = match self.slot[field] {
                Some((i, c)) => (&cells[i], c),
                None => (&RawCell::Empty, self.first_col),
            };
            if spec.pii {
                // An error value (#N/A) is no one's name: said like any other
                // field's, never taken as a personal value.
                if let RawCell::Error(e) = cell {
                    let reason =
                        format!("「{}」: セルがエラー値（{e}）です。数式か参照元を直してください", dm.header(spec.key));
                    if spec.required {
                        problems.push((col, spec.key, reason));
                    } else {
                        warnings.push((col, spec.key, format!("{reason}（この欄は空として扱い、行は集計しています）")));
                    }
                    personal.push((spec.key, None));
                    continue;
                }
                let text = cell_str(cell);
                // 「山田 太郎」 is also written 「山田太郎」.
                let squeezed: Option<Cow<'_, str>> = match &text {
                    None => None,
                    Some(Cow::Borrowed(t)) if !t.contains(' ') => Some(Cow::Borrowed(*t)),
                    Some(t) => Some(Cow::Owned(t.replace(' ', ""))),
                };
                if let (Some(t), Some(sq)) = (&text, &squeezed) {
                    for v in [t, sq] {
                        if !pii.contains(v.as_ref()) {
                            pii.insert(v.to_string());
                        }
                    }
                } else if spec.required {
                    problems.push((
                        col,
                        spec.key,
                        format!("必須の「{}」が空です。入力してください", dm.header(spec.key)),
                    ));
                }
                personal.push((spec.key, squeezed));
                continue;
            }
            let parsed = match (spec.kind, cell) {
                (FieldKind::Category, RawCell::Text(raw)) => self.category(field, spec, raw, cell),
                _ => parse_cell(spec, cell, dm, self.is_1904),
            };
            match parsed {
                Ok(None) if spec.required => {
                    problems.push((
                        col,
                        spec.key,
                        format!("必須の「{}」が空です。入力してください", dm.header(spec.key)),
                    ));
                    values.push(None);
                }
                Ok(v) => values.push(v),
                Err(reason) if spec.required || spec.strict => {
                    problems.push((col, spec.key, format!("「{}」: {reason}", dm.header(spec.key))));
                    values.push(None);
                }
                Err(reason) => {
                    warnings.push((
                        col,
                        spec.key,
                        format!("「{}」: {reason}（この欄は空として扱い、行は集計しています）", dm.header(spec.key)),
                    ));
                    values.push(None);
                }
            }
        }
        let value_of = |key: &str| builder.fields.iter().position(|f| f.key == key).and_then(|i| values[i].as_ref());
        let date = schema.date_field.and_then(|f| match value_of(f) {
            Some(Value::Date(d)) => Some(date_of_days(*d)),
            _ => None,
        });
        let date_cell = self.date_col.map(|c| (row, c));

        if let Some((col, key, _)) = problems.first() {
            quality.rejected.push(Rejection {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                cell: a1(row, *col),
                dataset: self.dataset,
                column: dm.header(key).to_string(),
                reason: problems.iter().map(|(_, _, r)| r.as_str()).collect::<Vec<_>>().join(" ／ "),
                conflicts_with: None,
                key: None,
            });
            self.note_dated(date, date_cell, false);
            return Outcome::Rejected;
        }

        if let Some(unique) = &schema.unique_key
            && let Some(Value::Str(number)) = value_of(unique.field)
        {
            let fiscal_year = unique.per_fiscal_year_of.and_then(|f| match value_of(f) {
                Some(Value::Date(d)) => Some(FiscalYear::of(date_of_days(*d)).year()),
                _ => None,
            });
            let key = RecordKey { fiscal_year, number: key_number(number) };
            let mut compared = Compared::default();
            for f in unique.compared {
                match personal.iter().find(|(k, _)| k == f) {
                    Some((_, text)) => {
                        compared.push(|out| out.extend_from_slice(text.as_ref().map_or(NONE_KEY, |t| t.as_bytes())))
                    }
                    None => compared.push(|out| match value_of(f) {
                        Some(v) => v.write_key(out),
                        None => out.extend_from_slice(NONE_KEY),
                    }),
                }
            }
            let number_col = self.col_of(unique.field);
            if let Some(seen) = builder.seen.get(&key) {
                let here = self.place(row, number_col);
                let kept = builder.place(seen.source, seen.row, seen.col);
                let differ: Vec<&str> = unique
                    .compared
                    .iter()
                    .zip(compared.fields().zip(seen.compared.fields()))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(f, _)| dm.header(f))
                    .collect();
                let header = dm.header(unique.field);
                if differ.is_empty() {
                    self.skipped_duplicate += 1;
                    quality.duplicates.push(Duplicate {
                        dataset: self.dataset,
                        key: number.to_string(),
                        skipped: here,
                        kept,
                    });
                    self.note_dated(date, date_cell, false);
                    return Outcome::Skipped;
                }
                let year = fiscal_year.map(|y| format!("{}の", fiscal_label(y))).unwrap_or_default();
                quality.rejected.push(Rejection {
                    file: self.file.to_string(),
                    sheet: self.sheet.to_string(),
                    cell: here.cell.clone(),
                    dataset: self.dataset,
                    column: header.to_string(),
                    reason: format!(
                        "{header}の重複（内容が異なる）: {year}{header}「{number}」は {} / {} / {} の行と {} が異なります。\
                         どちらが正しいか確かめ、番号か内容を直してください（先の行だけを集計しています）",
                        kept.file,
                        kept.sheet,
                        kept.cell,
                        differ.join("・")
                    ),
                    conflicts_with: Some(kept),
                    key: Some(number.to_string()),
                });
                self.note_dated(date, date_cell, false);
                return Outcome::Rejected;
            }
            builder.seen.insert(key, Seen { source: self.source, row, col: number_col, compared });
        }

        for (col, key, reason) in warnings {
            quality.warnings.push(Warning {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                cell: a1(row, col),
                dataset: self.dataset,
                column: dm.header(key).to_string(),
                kind: WarningKind::Field,
                reason,
            });
        }
        let mut key_bytes = Vec::with_capacity(128);
        key_bytes.extend_from_slice(self.dataset.key().as_bytes());
        for v in &values {
            match v {
                Some(v) => v.write_key(&mut key_bytes),
                None => key_bytes.extend_from_slice(NONE_KEY),
            }
        }
        builder.fp.push(xxhash_rust::xxh3::xxh3_64(&key_bytes));
        for (buf, v) in builder.columns.iter_mut().zip(values) {
            buf.push(v);
        }
        builder.source.push(self.source);
        builder.row.push(row + 1);
        builder.col.push(self.first_col);
        self.note_dated(date, date_cell, true);
        Outcome::Accepted
    }

    /// A category cell's canonical label, looked up once per distinct text
    /// of the sheet's column (an unknown label is parsed, and refused, each
    /// time: its reason names the row).
    fn category<'v>(
        &mut self,
        field: usize,
        spec: &FieldSpec,
        raw: &str,
        cell: &'v RawCell,
    ) -> Result<Option<Value<'v>>, String>
    where
        'a: 'v,
    {
        if let Some((_, canon)) = self.labels[field].iter().find(|(r, _)| r == raw) {
            return Ok(Some(Value::Str(Cow::Borrowed(canon))));
        }
        let canon = cell_text(cell).and_then(|label| self.dm.canonical(spec.key, &label));
        match canon {
            Some(canon) => {
                if self.labels[field].len() < MAX_LABELS_KEPT {
                    self.labels[field].push((raw.to_string(), canon));
                }
                Ok(Some(Value::Str(Cow::Borrowed(canon))))
            }
            None => parse_cell(spec, cell, self.dm, self.is_1904),
        }
    }

    fn note_dated(&mut self, date: Option<NaiveDate>, cell: Option<(u32, u32)>, accepted: bool) {
        if let (Some(date), Some(cell)) = (date, cell) {
            self.dated.push(Dated { date, cell, accepted });
        }
    }

    /// The fiscal year at least 80% of the sheet's dated rows fall in (when
    /// it has at least 5), listing every accepted row dated in another year
    /// as 「年度外の日付」.
    pub fn sheet_year(&self, quality: &mut Quality) -> Option<i32> {
        if self.dated.len() < MIN_DATED_ROWS {
            return None;
        }
        let mut by_year: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
        for d in &self.dated {
            *by_year.entry(FiscalYear::of(d.date).year()).or_default() += 1;
        }
        let (&year, &n) = by_year.iter().max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))?;
        if n * 5 < self.dated.len() * 4 {
            return None;
        }
        let label = fiscal_label;
        let header = self.schema.date_field.map_or("日付", |f| self.dm.header(f));
        for d in self.dated.iter().filter(|d| d.accepted && FiscalYear::of(d.date).year() != year) {
            let own = FiscalYear::of(d.date).year();
            quality.warnings.push(Warning {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                cell: a1(d.cell.0, d.cell.1),
                dataset: self.dataset,
                column: header.to_string(),
                kind: WarningKind::DateOutsideSheetYear { date: d.date, sheet_year: year },
                reason: format!(
                    "{header} {}は{}ですが、このシートの日付は {}/{} 行が{}です。入力の誤り（年の打ち間違い）でないか確かめてください（この行は{}の実績として扱っています）",
                    crate::fiscal::date_prose(d.date),
                    label(own),
                    n,
                    self.dated.len(),
                    label(year),
                    label(own)
                ),
            });
        }
        Some(year)
    }
}

/// 令和5年度 for 2023.
fn fiscal_label(year: i32) -> String {
    NaiveDate::from_ymd_opt(year, 4, 1).map_or_else(|| format!("{year}年度"), |d| FiscalYear::of(d).label_ja())
}

/// Distinct category texts remembered per column of a sheet.
const MAX_LABELS_KEPT: usize = 64;

/// A sheet needs at least this many dated rows to have a year of its own.
const MIN_DATED_ROWS: usize = 5;
