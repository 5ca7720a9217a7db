//! One recognised sheet's rows → accepted, rejected or skipped: every cell
//! parsed by its field's kind, unreadable optional values left empty with a
//! warning, numbers checked for duplicates and conflicts in their scope, and
//! dates checked against the sheet's fiscal year.

use super::columns::{Builder, Compared, RecordKey, Seen, Value};
use super::quality::{CheckKind, NotHeld, NotHeldKind};
use super::repeats::{At, Repeat, event_fields};
use super::values::{
    MAX_RANGE_DAYS, Remarks, cancel_word_alone, cell_str, cell_text, count_with_note, is_period_heading,
    is_total_label, named_fiscal_year, parse_count, parse_date_range, parse_date_with_epoch, parse_fiscal_year,
    parse_flag, parse_hours, parse_yen, remarks,
};
use super::{Duplicate, Quality, Rejection, RowRef, Warning, WarningKind};
use crate::fiscal::FiscalYear;
use crate::ingest::{ColumnMatch, RawCell, RawRow, Strike, a1};
use crate::mapping::DatasetMapping;
use crate::schema::{
    DatasetId, Days, FieldKind, FieldSpec, STATUS_CANCELLED, STATUS_PLANNED, STATUS_POSTPONED, Schema,
};
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
    /// Did not happen (中止, 延期, 予定, struck through, nobody came).
    NotHeld,
}

/// Why a row did not happen, and the cell that says so.
struct NotHeldMark {
    kind: NotHeldKind,
    col: u32,
    reason: String,
}

/// How many sessions a row makes and how many days an event ran.
struct SessionDays {
    /// Dispatches: one session per day, the same date N times or each
    /// calendar day of a range.
    dispatch: DispatchDays,
    /// Outreach: the days that multiply its participants (1 elsewhere).
    outreach: i64,
}

enum DispatchDays {
    Same(usize),
    Range(NaiveDate, NaiveDate),
}

impl SessionDays {
    const ONE: SessionDays = SessionDays { dispatch: DispatchDays::Same(1), outreach: 1 };

    /// The date of each frame row the record makes: `None` keeps the row's own.
    fn sessions(&self) -> Vec<Option<NaiveDate>> {
        match self.dispatch {
            DispatchDays::Same(n) => vec![None; n.max(1)],
            DispatchDays::Range(a, b) => a.iter_days().take_while(|d| *d <= b).map(Some).collect(),
        }
    }
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
        // Blank: nothing in any column of the record type, or only the
        // number of a pre-numbered template row (派遣番号 R5-002 and nothing else).
        if self.is_blank(&cells) {
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
        // A row that did not happen, told before anything else (its other
        // cells may well be empty): its personal values are still read, so
        // they are masked wherever else they appear.
        if let Some(not) = self.not_held_by_marks(&cells, strike) {
            self.collect_personal(&cells, pii);
            return self.not_held(row, not, &cells, quality);
        }
        let schema = self.schema;
        let dm = self.dm;
        // Every field's value, in schema order (personal fields: none; their
        // texts only for comparing repeats of a number).
        let mut values: Vec<Option<Value<'_>>> = Vec::with_capacity(schema.fields.len());
        let mut personal: Vec<(&'static str, Option<Cow<'_, str>>)> = Vec::new();
        let mut problems: Vec<(u32, &'static str, String)> = Vec::new();
        let mut warnings: Vec<(u32, &'static str, String)> = Vec::new();
        let mut checks: Vec<(u32, &'static str, CheckKind, String)> = Vec::new();
        // The days of a range in the record's date cell.
        let mut range: Option<(NaiveDate, NaiveDate)> = None;
        for (field, spec) in schema.fields.iter().enumerate() {
            let (cell, col) = match self.slot[field] {
                Some((i, c)) => (&cells[i], c),
                None => (&RawCell::Empty, self.first_col),
            };
            if spec.pii {
                personal.push((spec.key, self.personal(spec, cell, col, pii, &mut problems, &mut warnings)));
                values.push(None);
                continue;
            }
            let is_record_date = Some(spec.key) == schema.date_field && schema.days != Days::None;
            let parsed = match (spec.kind, cell) {
                _ if is_record_date => parse_date_range(cell, self.is_1904).map(|r| {
                    range = r.filter(|(a, b)| a != b);
                    r.map(|(first, _)| Value::Date(epoch_days(first)))
                }),
                _ if spec.key == "days" => parse_days(cell).map(|n| n.map(Value::Int)),
                (FieldKind::Category, RawCell::Text(raw)) => self.category(field, spec, raw, cell),
                _ => parse_cell(spec, cell, dm, self.is_1904),
            };
            // 10（うち女性3）: the leading count, to check.
            let parsed = match parsed {
                Err(_) if spec.kind == FieldKind::Count && count_with_note(cell).is_some() => {
                    let n = count_with_note(cell).unwrap_or_default();
                    checks.push((
                        col,
                        spec.key,
                        CheckKind::CountWithNote,
                        format!(
                            "「{}」に注記付きの数（{}）が入っています。先頭の {n} を数えました。注記は備考の列に書いてください",
                            dm.header(spec.key),
                            cell_text(cell).map(|t| t.chars().take(30).collect::<String>()).unwrap_or_default()
                        ),
                    ));
                    Ok(Some(Value::Int(n)))
                }
                other => other,
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
        let index = |key: &str| schema.fields.iter().position(|f| f.key == key);
        let date = schema.date_field.and_then(|f| match index(f).and_then(|i| values[i].as_ref()) {
            Some(Value::Date(d)) => Some(date_of_days(*d)),
            _ => None,
        });
        let date_cell = self.date_col.map(|c| (row, c));
        let fiscal_year = self.row_year(date, index("fiscal_year").and_then(|i| values[i].as_ref()));

        // Nobody came: not held, and a person should say whether it was.
        if let Some(att) = schema.attendance
            && let Some(i) = index(att)
            && matches!(values[i], Some(Value::Int(0)))
        {
            let header = dm.header(att);
            let col = self.col_of(att);
            quality.warnings.push(self.warning(
                row,
                col,
                att,
                WarningKind::Check(CheckKind::ZeroAttendance),
                format!(
                    "{header}が 0 です。中止なら状況に「中止」、実施したなら{header}を入れてください（この行は集計していません）"
                ),
                fiscal_year,
            ));
            let not = NotHeldMark { kind: NotHeldKind::ZeroAttendance, col, reason: format!("{header} 0") };
            return self.not_held_dated(row, not, date, quality);
        }

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
                fiscal_year,
            });
            self.note_dated(date, date_cell, false);
            return Outcome::Rejected;
        }

        let value_of = |key: &str| index(key).and_then(|i| values[i].as_ref());
        let mut numbered = false;
        if let Some(unique) = &schema.unique_key
            && let Some(Value::Str(number)) = value_of(unique.field)
        {
            numbered = true;
            let key_year = unique.per_fiscal_year_of.and_then(|f| match value_of(f) {
                Some(Value::Date(d)) => Some(FiscalYear::of(date_of_days(*d)).year()),
                _ => None,
            });
            let key = RecordKey { fiscal_year: key_year, number: key_number(number) };
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
                let year = key_year.map(|y| format!("{}の", fiscal_label(y))).unwrap_or_default();
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
                    fiscal_year,
                });
                self.note_dated(date, date_cell, false);
                return Outcome::Rejected;
            }
            builder.seen.insert(key, Seen { source: self.source, row, col: number_col, compared });
        }

        // A row without a number repeated in another sheet or book: the same event.
        let event = (!numbered).then(|| self.event_key(&values, &personal)).flatten();
        if let Some(key) = event {
            let here = At { sheet: self.source, row, col: self.first_col };
            match builder.events.classify(key, self.source) {
                Repeat::OtherSheet(at) => {
                    builder.events.insert(key, here, false);
                    let kept = builder.place(at.sheet, at.row, at.col);
                    self.skipped_duplicate += 1;
                    quality.warnings.push(self.warning(
                        row,
                        self.first_col,
                        self.first_field(),
                        WarningKind::Check(CheckKind::RepeatWithoutNumber),
                        format!(
                            "{} / {} / {} の行と同じ内容です。{}がないため同じ{}とみなし、この行は数えていません。別の{}なら{}を入れてください",
                            kept.file,
                            kept.sheet,
                            kept.cell,
                            self.number_header(),
                            self.event_word(),
                            self.event_word(),
                            self.number_header()
                        ),
                        fiscal_year,
                    ));
                    self.note_dated(date, date_cell, false);
                    return Outcome::Skipped;
                }
                Repeat::SameSheet(at) => {
                    builder.events.insert(key, here, true);
                    checks.push((
                        self.first_col,
                        self.first_field(),
                        CheckKind::EqualRowsInSheet,
                        format!(
                            "同じシートの {} の行と同じ内容です。別の{}として両方数えています。同じ{}の二重入力なら、どちらかの行を消してください",
                            a1(at.row, at.col),
                            self.event_word(),
                            self.event_word()
                        ),
                    ));
                }
                Repeat::New => builder.events.insert(key, here, true),
            }
        }

        // Days: a session over several days.
        let days = self.days(value_of("days"), range, &mut warnings);
        if let (true, Strike::Partly { cell }) = (schema.events, strike) {
            let field = self.slot.iter().position(|s| s.is_some_and(|(i, _)| i == cell));
            let key = field.map_or("", |f| schema.fields[f].key);
            let col = field.and_then(|f| self.slot[f]).map_or(self.first_col, |(_, c)| c);
            checks.push((
                col,
                key,
                CheckKind::PartlyStruck,
                "この行の一部のセルだけに取り消し線があります。行全体を取り消す（見え消し）なら行のすべてのセルに、そうでなければ取り消し線を外してください（この行は集計しています）".to_string(),
            ));
        }
        // A cancellation word elsewhere in 備考 (or leading, under 状況 実施).
        if let Some(i) = index("remarks")
            && let Some(Value::Str(text)) = &values[i]
            && let Remarks::Mentions(word) | Remarks::NotHeld(word) = remarks(text)
        {
            checks.push((
                self.col_of("remarks"),
                "remarks",
                CheckKind::RemarksWord,
                format!(
                    "{}に「{word}」とあります。この行は実施した行として集計しています。実施しなかったなら状況に「中止」か「延期」を入れてください",
                    dm.header("remarks")
                ),
            ));
        }

        for (col, key, reason) in warnings {
            quality.warnings.push(self.warning(row, col, key, WarningKind::Field, reason, fiscal_year));
        }
        for (col, key, kind, reason) in checks {
            quality.warnings.push(self.warning(row, col, key, WarningKind::Check(kind), reason, fiscal_year));
        }
        if let Some(y) = fiscal_year {
            quality.dated_years.insert(y);
        }
        let mut key_bytes = Vec::with_capacity(128);
        key_bytes.extend_from_slice(self.dataset.key().as_bytes());
        for (spec, v) in schema.fields.iter().zip(&values) {
            match v {
                _ if !spec.stored => {}
                // A common column (日数) only where it holds a value, so a
                // row's fingerprint is the same as before the column existed.
                None if spec.common => {}
                Some(v) => v.write_key(&mut key_bytes),
                None => key_bytes.extend_from_slice(NONE_KEY),
            }
        }
        let sessions = days.sessions();
        // A session over several days: its days are part of what it is.
        if sessions.len() > 1 {
            key_bytes.push(b'D');
            key_bytes.extend_from_slice(&(sessions.len() as u64).to_le_bytes());
        }
        let fp = xxhash_rust::xxh3::xxh3_64(&key_bytes);
        // The competition year a sheet, file or folder names, where the row has none.
        let named = self.named_year.filter(|_| self.dataset == DatasetId::Competitions);
        let mut stored: Vec<Option<Value<'_>>> = Vec::with_capacity(builder.fields.len());
        for (spec, v) in schema.fields.iter().zip(values) {
            if !spec.stored {
                continue;
            }
            stored.push(match (spec.key, v) {
                ("fiscal_year", None) => named.map(Value::Year),
                // Blank for one day, so a row's fingerprint stays what it was.
                ("days", _) => (days.outreach != 1).then_some(Value::Int(days.outreach)),
                (_, v) => v,
            });
        }
        let stored_year = builder.fields.iter().position(|f| f.key == "fiscal_year").and_then(|i| stored[i].as_ref());
        if self.dataset == DatasetId::Competitions && stored_year.is_none() {
            quality.year_unnamed.push(self.place(row, self.first_col));
        }
        for (k, day) in sessions.iter().enumerate() {
            builder.fp.push(fp);
            for (j, (buf, v)) in builder.columns.iter_mut().zip(&stored).enumerate() {
                let date_field = Some(builder.fields[j].key) == schema.date_field;
                match (date_field, day) {
                    (true, Some(d)) => buf.push(Some(Value::Date(epoch_days(*d)))),
                    _ => buf.push(v.as_ref().map(Value::borrowed)),
                }
            }
            builder.source.push(self.source);
            builder.row.push(row + 1);
            builder.col.push(self.first_col);
            builder.day.push(u32::try_from(k).unwrap_or(u32::MAX));
            if k > 0 {
                quality.further_days += 1;
            }
        }
        self.note_dated(date, date_cell, true);
        Outcome::Accepted
    }

    /// Nothing in any column of the record type, or only the number of a
    /// pre-numbered template row.
    pub fn is_blank(&self, cells: &[RawCell]) -> bool {
        cells.iter().enumerate().all(|(i, c)| c.is_empty() || Some(i) == self.number_cell)
    }

    /// The row cell and sheet column of a field the sheet has.
    fn slot_of(&self, key: &str) -> Option<(usize, u32)> {
        self.schema.fields.iter().position(|f| f.key == key).and_then(|i| self.slot[i])
    }

    /// A row that says it did not happen (datasets.md, "Records that did not
    /// happen"): 状況 中止/延期/予定; for events also a date cell holding only a
    /// cancellation word, 備考 beginning with one, every cell struck through.
    fn not_held_by_marks(&self, cells: &[RawCell], strike: Strike) -> Option<NotHeldMark> {
        let mut status_held = false;
        if let Some((i, col)) = self.slot_of("status")
            && let Some(label) = cell_text(&cells[i])
        {
            let kind = match self.dm.canonical("status", &label) {
                Some(STATUS_CANCELLED) => Some(NotHeldKind::Cancelled),
                Some(STATUS_POSTPONED) => Some(NotHeldKind::Postponed),
                Some(STATUS_PLANNED) => Some(NotHeldKind::Planned),
                Some(_) => {
                    status_held = true;
                    None
                }
                None => None,
            };
            if let Some(kind) = kind {
                let shown: String = label.chars().take(30).collect();
                return Some(NotHeldMark { kind, col, reason: format!("{}「{shown}」", self.dm.header("status")) });
            }
        }
        if !self.schema.events {
            return None;
        }
        if let Some(field) = self.schema.date_field
            && let Some((i, col)) = self.slot_of(field)
            && let RawCell::Text(t) = &cells[i]
            && let Some(word) = cancel_word_alone(t)
        {
            let reason = format!("{}が「{word}」", self.dm.header(field));
            return Some(NotHeldMark { kind: NotHeldKind::DateWord, col, reason });
        }
        if strike == Strike::Whole {
            let reason = "行全体に取り消し線（見え消し）".to_string();
            return Some(NotHeldMark { kind: NotHeldKind::StruckThrough, col: self.first_col, reason });
        }
        // An explicit 状況 実施 outweighs 備考 (the row counts, to check).
        if !status_held
            && let Some((i, col)) = self.slot_of("remarks")
            && let Some(text) = cell_text(&cells[i])
            && let Remarks::NotHeld(word) = remarks(&text)
        {
            let reason = format!("{}が「{word}」で始まる", self.dm.header("remarks"));
            return Some(NotHeldMark { kind: NotHeldKind::Remarks, col, reason });
        }
        None
    }

    /// Lists a row that did not happen, its date read if it can be.
    fn not_held(&mut self, row: u32, mark: NotHeldMark, cells: &[RawCell], quality: &mut Quality) -> Outcome {
        let date = self
            .schema
            .date_field
            .and_then(|f| self.slot_of(f))
            .and_then(|(i, _)| parse_date_range(&cells[i], self.is_1904).ok().flatten())
            .map(|(first, _)| first);
        self.not_held_dated(row, mark, date, quality)
    }

    fn not_held_dated(
        &mut self,
        row: u32,
        mark: NotHeldMark,
        date: Option<NaiveDate>,
        quality: &mut Quality,
    ) -> Outcome {
        quality.not_held.push(NotHeld {
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            cell: a1(row, mark.col),
            dataset: self.dataset,
            kind: mark.kind,
            reason: mark.reason,
            date,
            fiscal_year: date.map(|d| FiscalYear::of(d).year()),
        });
        self.note_dated(date, self.date_col.map(|c| (row, c)), false);
        Outcome::NotHeld
    }

    /// The personal values of a row (names), kept only to mask them elsewhere.
    fn collect_personal(&self, cells: &[RawCell], pii: &mut BTreeSet<String>) {
        for (field, spec) in self.schema.fields.iter().enumerate() {
            if !spec.pii {
                continue;
            }
            if let Some((i, _)) = self.slot[field]
                && let Some(t) = cell_str(&cells[i])
            {
                pii.insert(t.to_string());
                pii.insert(t.replace(' ', ""));
            }
        }
    }

    /// A personal field's text (for comparing repeats only), collected into
    /// `pii`; an error value or a missing required one is a problem.
    fn personal<'v>(
        &self,
        spec: &FieldSpec,
        cell: &'v RawCell,
        col: u32,
        pii: &mut BTreeSet<String>,
        problems: &mut Vec<(u32, &'static str, String)>,
        warnings: &mut Vec<(u32, &'static str, String)>,
    ) -> Option<Cow<'v, str>> {
        let dm = self.dm;
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
            return None;
        }
        let text = cell_str(cell);
        // 「山田 太郎」 is also written 「山田太郎」.
        let squeezed: Option<Cow<'v, str>> = match &text {
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
            problems.push((col, spec.key, format!("必須の「{}」が空です。入力してください", dm.header(spec.key))));
        }
        squeezed
    }

    /// The fiscal year of a row: its date's, else (competitions) its 年度 or
    /// the year its sheet, file or folders name.
    fn row_year(&self, date: Option<NaiveDate>, year_cell: Option<&Value<'_>>) -> Option<i32> {
        match (date, year_cell) {
            (Some(d), _) => Some(FiscalYear::of(d).year()),
            (None, Some(Value::Year(y))) => Some(*y),
            (None, _) => self.named_year,
        }
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

    /// The fingerprint of the fields an event without a number is told by
    /// (dispatches and outreach; `None` elsewhere).
    fn event_key(
        &self,
        values: &[Option<Value<'_>>],
        personal: &[(&'static str, Option<Cow<'_, str>>)],
    ) -> Option<u64> {
        let fields = event_fields(self.dataset);
        if fields.is_empty() {
            return None;
        }
        let mut bytes = Vec::with_capacity(128);
        for f in fields {
            bytes.extend_from_slice(f.as_bytes());
            match personal.iter().find(|(k, _)| k == f) {
                Some((_, Some(t))) => bytes.extend_from_slice(t.as_bytes()),
                Some((_, None)) => bytes.extend_from_slice(NONE_KEY),
                None => match self.schema.fields.iter().position(|s| s.key == *f).and_then(|i| values[i].as_ref()) {
                    Some(v) => v.write_key(&mut bytes),
                    None => bytes.extend_from_slice(NONE_KEY),
                },
            }
        }
        Some(xxhash_rust::xxh3::xxh3_64(&bytes))
    }

    /// The field of the row's first matched column (where a row's place points).
    fn first_field(&self) -> &'static str {
        self.schema
            .fields
            .iter()
            .zip(&self.slot)
            .find(|(_, s)| s.is_some_and(|(_, c)| c == self.first_col))
            .map_or("", |(f, _)| f.key)
    }

    /// 派遣番号 (the number a repeat would carry).
    fn number_header(&self) -> &str {
        self.schema.unique_key.as_ref().map_or("番号", |u| self.dm.header(u.field))
    }

    /// What one row of the record type is (派遣, 行事).
    fn event_word(&self) -> &'static str {
        match self.dataset {
            DatasetId::Dispatches => "派遣",
            _ => "行事",
        }
    }

    /// The sessions a row makes (datasets.md, "Sessions over several days"):
    /// 日数 N, or the days of a range in the date cell (which wins, with a
    /// warning, where the two disagree).
    fn days(
        &self,
        written: Option<&Value<'_>>,
        range: Option<(NaiveDate, NaiveDate)>,
        warnings: &mut Vec<(u32, &'static str, String)>,
    ) -> SessionDays {
        if !matches!(self.schema.days, Days::Sessions | Days::PersonDays) {
            return SessionDays::ONE;
        }
        let written = match written {
            Some(Value::Int(n)) => Some(*n),
            _ => None,
        };
        let (col, header) = (self.col_of("days"), self.dm.header("days"));
        let date_header = self.schema.date_field.map_or("日付", |f| self.dm.header(f));
        let spans = range.map(|(a, b)| (b - a).num_days() + 1);
        let n = match (spans, written) {
            (Some(r), Some(w)) if w != r => {
                warnings.push((
                    col,
                    "days",
                    format!("{header} {w} と{date_header}の期間（{r} 日）が合いません。期間の {r} 日として数えています。どちらかを直してください"),
                ));
                r
            }
            (Some(r), _) => r,
            (None, Some(0)) => {
                warnings.push((
                    col,
                    "days",
                    format!(
                        "{header}が 0 です。1 日として数えています。実施しなかったなら状況に「中止」を入れてください"
                    ),
                ));
                1
            }
            (None, Some(w)) if w > MAX_RANGE_DAYS => {
                warnings.push((
                    col,
                    "days",
                    format!(
                        "{header} {w} は1回の派遣・行事として多すぎます（{MAX_RANGE_DAYS} 日まで）。1 日として数えています。日数を直すか、日ごとの行に分けてください"
                    ),
                ));
                1
            }
            (None, Some(w)) => w,
            (None, None) => 1,
        };
        match (self.schema.days, range) {
            (Days::Sessions, Some((a, b))) => SessionDays { dispatch: DispatchDays::Range(a, b), outreach: 1 },
            (Days::Sessions, None) => {
                SessionDays { dispatch: DispatchDays::Same(usize::try_from(n).unwrap_or(1)), outreach: 1 }
            }
            _ => SessionDays { dispatch: DispatchDays::Same(1), outreach: n },
        }
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
        // The rows of this sheet whose own date could not be read take the
        // year 80 % of its dated rows fall in (for 過年度).
        if let Some(year) = self.main_year() {
            let (r, w, n) = self.ledger_from;
            let fill = |y: &mut Option<i32>| {
                y.get_or_insert(year);
            };
            quality.rejected.iter_mut().skip(r).for_each(|x| fill(&mut x.fiscal_year));
            quality.warnings.iter_mut().skip(w).for_each(|x| fill(&mut x.fiscal_year));
            quality.not_held.iter_mut().skip(n).for_each(|x| fill(&mut x.fiscal_year));
        }
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
                // The sheet's year, not the typo's: this year's sheet is where
                // it is to be fixed (a 過年度 label would hide it).
                fiscal_year: Some(year),
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

impl SheetReader<'_> {
    /// The fiscal year at least 80 % of the sheet's dated rows fall in.
    fn main_year(&self) -> Option<i32> {
        let mut by_year: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
        for d in &self.dated {
            *by_year.entry(FiscalYear::of(d.date).year()).or_default() += 1;
        }
        let (&year, &n) = by_year.iter().max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))?;
        (n * 5 >= self.dated.len() * 4).then_some(year)
    }
}

/// 日数: a count, also written `3日` or `3日間`.
fn parse_days(cell: &RawCell) -> Result<Option<i64>, String> {
    if let RawCell::Text(t) = cell
        && let Some(n) = t.trim().strip_suffix("日間").or_else(|| t.trim().strip_suffix('日'))
    {
        return parse_count(&RawCell::Text(n.to_string()));
    }
    parse_count(cell)
}

/// The fiscal year a sheet's title lines or its name name (a 年度 form),
/// else its file name, else its folders, nearest first (a bare era year
/// such as R5 names one there too).
fn named_year(titles: &[String], sheet: &str, file: &str) -> Option<i32> {
    if let Some(y) = titles.iter().find_map(|t| named_fiscal_year(t, false)) {
        return Some(y);
    }
    if let Some(y) = named_fiscal_year(sheet, false) {
        return Some(y);
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    named_fiscal_year(stem, true).or_else(|| parts.iter().rev().find_map(|d| named_fiscal_year(d, true)))
}

/// 令和5年度 for 2023.
fn fiscal_label(year: i32) -> String {
    NaiveDate::from_ymd_opt(year, 4, 1).map_or_else(|| format!("{year}年度"), |d| FiscalYear::of(d).label_ja())
}

/// Distinct category texts remembered per column of a sheet.
const MAX_LABELS_KEPT: usize = 64;

/// A sheet needs at least this many dated rows to have a year of its own.
const MIN_DATED_ROWS: usize = 5;
