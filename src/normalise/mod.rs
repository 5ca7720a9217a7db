//! Normalise: raw rows → one typed polars DataFrame per record type, plus the
//! data-quality ledger (rejections, skips, reconciliation).
//!
//! Pure: no I/O. Driven by the schema table alone: every record type goes
//! through the same code.

pub mod quality;

pub use quality::{Duplicate, Quality, Rejection, RowRef, SheetReport};

use crate::schema::DatasetId;
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet};

/// Column names every dataset frame carries besides its fields.
pub const COL_FILE: &str = "_file";
pub const COL_SHEET: &str = "_sheet";
/// 1-based Excel row number.
pub const COL_ROW: &str = "_row";

/// The typed datasets and the ledger.
#[derive(Debug, Default)]
pub struct Normalised {
    /// One frame per record type that had at least one recognised sheet
    /// (possibly with zero rows). A record type with no sheet is absent.
    ///
    /// Columns: every non-PII field of the schema by key (Date → Date,
    /// Count/Yen → Int64, Hours → Float64, Category/Text → String,
    /// Flag → Boolean, FiscalYear → Int32; null when blank), plus `_file`,
    /// `_sheet`, `_row`.
    pub datasets: BTreeMap<DatasetId, DataFrame>,
    pub quality: Quality,
    /// Personal values read this run (names, 概要). Never written anywhere;
    /// used only to check that no output contains them.
    pub pii: BTreeSet<String>,
}

use crate::ingest::values::{
    cell_text, is_total_label, parse_count, parse_date_with_epoch, parse_fiscal_year, parse_flag, parse_hours,
    parse_yen,
};
use crate::ingest::{Detection, Ingested, RawCell, RawRow, a1};
use crate::mapping::{DatasetMapping, Mapping};
use crate::schema::{FieldKind, FieldSpec};
use polars::prelude::*;
use std::collections::HashMap;

/// One field's accepted values, typed.
enum ColumnBuf {
    Date(Vec<Option<i32>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Str(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
    Year(Vec<Option<i32>>),
}

/// A parsed cell value.
enum Value {
    Date(i32),
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Year(i32),
}

impl ColumnBuf {
    fn for_kind(kind: FieldKind) -> ColumnBuf {
        match kind {
            FieldKind::Date => ColumnBuf::Date(Vec::new()),
            FieldKind::Count | FieldKind::Yen => ColumnBuf::Int(Vec::new()),
            FieldKind::Hours => ColumnBuf::Float(Vec::new()),
            FieldKind::Category | FieldKind::Text => ColumnBuf::Str(Vec::new()),
            FieldKind::Flag => ColumnBuf::Bool(Vec::new()),
            FieldKind::FiscalYear => ColumnBuf::Year(Vec::new()),
        }
    }

    fn push(&mut self, v: Option<Value>) {
        match (self, v) {
            (ColumnBuf::Date(c), Some(Value::Date(d))) => c.push(Some(d)),
            (ColumnBuf::Int(c), Some(Value::Int(i))) => c.push(Some(i)),
            (ColumnBuf::Float(c), Some(Value::Float(f))) => c.push(Some(f)),
            (ColumnBuf::Str(c), Some(Value::Str(s))) => c.push(Some(s)),
            (ColumnBuf::Bool(c), Some(Value::Bool(b))) => c.push(Some(b)),
            (ColumnBuf::Year(c), Some(Value::Year(y))) => c.push(Some(y)),
            (ColumnBuf::Date(c) | ColumnBuf::Year(c), None) => c.push(None),
            (ColumnBuf::Int(c), None) => c.push(None),
            (ColumnBuf::Float(c), None) => c.push(None),
            (ColumnBuf::Str(c), None) => c.push(None),
            (ColumnBuf::Bool(c), None) => c.push(None),
            (buf, Some(_)) => unreachable!("value kind does not match column {}", buf.kind_name()),
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            ColumnBuf::Date(_) => "date",
            ColumnBuf::Int(_) => "int",
            ColumnBuf::Float(_) => "float",
            ColumnBuf::Str(_) => "str",
            ColumnBuf::Bool(_) => "bool",
            ColumnBuf::Year(_) => "year",
        }
    }

    fn into_column(self, name: &str) -> PolarsResult<Column> {
        let name: PlSmallStr = name.into();
        Ok(match self {
            ColumnBuf::Date(v) => Column::new(name, v).cast(&DataType::Date)?,
            ColumnBuf::Int(v) => Column::new(name, v),
            ColumnBuf::Float(v) => Column::new(name, v),
            ColumnBuf::Str(v) => Column::new(name, v),
            ColumnBuf::Bool(v) => Column::new(name, v),
            ColumnBuf::Year(v) => Column::new(name, v),
        })
    }
}

/// Accepted rows of one record type, column by column.
struct Builder {
    fields: Vec<&'static FieldSpec>,
    columns: Vec<ColumnBuf>,
    file: Vec<String>,
    sheet: Vec<String>,
    row: Vec<u32>,
    /// unique key value → where it was first accepted.
    seen: HashMap<String, RowRef>,
}

impl Builder {
    fn new(id: DatasetId) -> Builder {
        let fields: Vec<_> = id.schema().fields.iter().filter(|f| !f.pii).collect();
        let columns = fields.iter().map(|f| ColumnBuf::for_kind(f.kind)).collect();
        Builder { fields, columns, file: Vec::new(), sheet: Vec::new(), row: Vec::new(), seen: HashMap::new() }
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        let height = self.row.len();
        let mut cols = Vec::with_capacity(self.columns.len() + 3);
        for (f, c) in self.fields.iter().zip(self.columns) {
            cols.push(c.into_column(f.key)?);
        }
        cols.push(Column::new(COL_FILE.into(), self.file));
        cols.push(Column::new(COL_SHEET.into(), self.sheet));
        cols.push(Column::new(COL_ROW.into(), self.row));
        DataFrame::new(height, cols)
    }
}

/// Days from 1970-01-01 (polars' Date representation).
fn epoch_days(d: chrono::NaiveDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
}

/// Parses one cell for a field: `Ok(None)` when blank.
fn parse_cell(
    spec: &FieldSpec,
    cell: &RawCell,
    mapping: &DatasetMapping,
    is_1904: bool,
) -> Result<Option<Value>, String> {
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
            cell_text(cell).map(Value::Str)
        }
        FieldKind::Category => {
            if let RawCell::Error(e) = cell {
                return Err(format!("セルがエラー値（{e}）です。数式か参照元を直してください"));
            }
            match cell_text(cell) {
                None => spec.default.map(|d| Value::Str(d.to_string())),
                Some(label) => match mapping.canonical(spec.key, &label) {
                    Some(canon) => Some(Value::Str(canon.to_string())),
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

/// Raw rows → typed DataFrames and the data-quality ledger.
pub fn normalise(ingested: Ingested, mapping: &Mapping) -> PolarsResult<Normalised> {
    let mut builders: BTreeMap<DatasetId, Builder> = BTreeMap::new();
    let mut quality = Quality { files: ingested.files, ..Quality::default() };
    let mut pii = BTreeSet::new();

    for sheet in ingested.sheets {
        let mut report = SheetReport {
            file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            hidden: sheet.hidden,
            dataset: None,
            header_row: None,
            note: None,
            rows_read: sheet.rows.len() + sheet.blank_rows,
            accepted: 0,
            rejected: 0,
            skipped_blank: sheet.blank_rows,
            skipped_total: 0,
            skipped_duplicate: 0,
        };
        let (dataset, header_row, columns) = match sheet.detection {
            Detection::Dataset { dataset, header_row, columns } => (dataset, header_row, columns),
            Detection::Ignored { reason } => {
                report.note = Some(reason);
                quality.sheets.push(report);
                continue;
            }
            Detection::Ambiguous { header_row, candidates } => {
                let names: Vec<_> = candidates.iter().map(|d| format!("{}（{}）", d.label_ja(), d.key())).collect();
                report.header_row = Some(header_row + 1);
                report.note = Some(format!(
                    "{}行目の見出しが {} に同じだけ一致し、どの記録か決められません。不要な列見出しを消すか名前を変えてください",
                    header_row + 1,
                    names.join(" と ")
                ));
                quality.sheets.push(report);
                continue;
            }
        };
        report.dataset = Some(dataset);
        report.header_row = Some(header_row + 1);
        let dm = mapping.dataset(dataset);
        let schema = dataset.schema();
        let builder = builders.entry(dataset).or_insert_with(|| Builder::new(dataset));
        // Column index (in the sheet's matches) of each schema field.
        let slot: Vec<Option<usize>> =
            schema.fields.iter().map(|f| columns.iter().position(|c| c.field == f.key)).collect();

        for RawRow { row, cells, first_text } in sheet.rows {
            if cells.iter().all(RawCell::is_empty) {
                report.skipped_blank += 1;
                continue;
            }
            let first_col = columns.iter().map(|c| c.col).min().unwrap_or(0);
            let place = |col: u32| RowRef { file: sheet.file.clone(), sheet: sheet.sheet.clone(), cell: a1(row, col) };
            if first_text.as_deref().is_some_and(is_total_label) {
                report.skipped_total += 1;
                quality.totals.push(place(first_col));
                continue;
            }
            let mut values: Vec<Option<Value>> = Vec::with_capacity(builder.fields.len());
            let mut problems: Vec<(u32, &'static str, String)> = Vec::new();
            for (spec, slot) in schema.fields.iter().zip(&slot) {
                let (cell, col) = match slot {
                    Some(i) => (&cells[*i], columns[*i].col),
                    None => (&RawCell::Empty, first_col),
                };
                if spec.pii {
                    if let Some(t) = cell_text(cell) {
                        // 「山田 太郎」 is also written 「山田太郎」.
                        pii.insert(t.replace(' ', ""));
                        pii.insert(t);
                    } else if spec.required {
                        problems.push((
                            col,
                            spec.key,
                            format!("必須の「{}」が空です。入力してください", dm.header(spec.key)),
                        ));
                    }
                    continue;
                }
                match parse_cell(spec, cell, dm, sheet.is_1904) {
                    Ok(None) if spec.required => {
                        problems.push((
                            col,
                            spec.key,
                            format!("必須の「{}」が空です。入力してください", dm.header(spec.key)),
                        ));
                        values.push(None);
                    }
                    Ok(v) => values.push(v),
                    Err(reason) => {
                        problems.push((col, spec.key, format!("「{}」: {reason}", dm.header(spec.key))));
                        values.push(None);
                    }
                }
            }
            if let Some((col, key, _)) = problems.first() {
                report.rejected += 1;
                quality.rejected.push(Rejection {
                    file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    cell: a1(row, *col),
                    dataset,
                    column: dm.header(key).to_string(),
                    reason: problems.iter().map(|(_, _, r)| r.as_str()).collect::<Vec<_>>().join(" ／ "),
                });
                continue;
            }
            if let Some(key_field) = schema.unique_key {
                let idx = builder.fields.iter().position(|f| f.key == key_field);
                if let Some(Some(Value::Str(k))) = idx.map(|i| &values[i]) {
                    let key_col = slot[schema.fields.iter().position(|f| f.key == key_field).unwrap_or(0)]
                        .map_or(first_col, |i| columns[i].col);
                    if let Some(kept) = builder.seen.get(k) {
                        report.skipped_duplicate += 1;
                        quality.duplicates.push(Duplicate {
                            dataset,
                            key: k.clone(),
                            skipped: place(key_col),
                            kept: kept.clone(),
                        });
                        continue;
                    }
                    builder.seen.insert(k.clone(), place(key_col));
                }
            }
            for (buf, v) in builder.columns.iter_mut().zip(values) {
                buf.push(v);
            }
            builder.file.push(sheet.file.clone());
            builder.sheet.push(sheet.sheet.clone());
            builder.row.push(row + 1);
            report.accepted += 1;
        }
        quality.sheets.push(report);
    }

    // A personal value must not reach a report through a rejection reason.
    let redact: Vec<&String> = pii.iter().filter(|p| p.chars().count() >= 2).collect();
    for r in &mut quality.rejected {
        for p in &redact {
            if r.reason.contains(p.as_str()) {
                r.reason = r.reason.replace(p.as_str(), "＊＊＊（個人情報のため非表示）");
            }
        }
    }

    let mut datasets = BTreeMap::new();
    for (id, b) in builders {
        datasets.insert(id, b.finish()?);
    }
    Ok(Normalised { datasets, quality, pii })
}
