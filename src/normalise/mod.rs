//! Normalise: raw rows → one typed polars DataFrame per record type, plus the
//! data-quality ledger (rejections, skips, reconciliation).
//!
//! Pure: no I/O. Driven by the schema table alone: every record type goes
//! through the same code. Ingest hands over raw cells; [`values`] reads them
//! (dates, counts, hours, flags, total labels) and says why when it cannot.
//! [`checked`] is the stage as a run and the roll-up call it: [`normalise`],
//! then every row accounted for.

mod checked;
mod columns;
pub mod quality;
mod repeats;
mod sheet;
pub mod values;

pub use checked::checked;
pub use quality::{
    CheckKind, Duplicate, NotHeld, NotHeldKind, Quality, Rejection, RowRef, SheetCopy, SheetReport, Warning,
    WarningKind,
};

use crate::personal::{PLACE_MASK, PersonalValues, REASON_MASK};
use crate::schema::DatasetId;
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet};

/// Column names every dataset frame carries besides its fields.
pub const COL_FILE: &str = "_file";
pub const COL_SHEET: &str = "_sheet";
/// 1-based Excel row number.
pub const COL_ROW: &str = "_row";
/// 0-based column of the row's first matched cell (with `_row`, the row's
/// A1 place).
pub const COL_COL: &str = "_col";
/// A fingerprint of the row's non-personal values (xxh3-64): equal rows have
/// equal fingerprints, so a later run can tell an edited row from a moved one
/// without keeping any value.
pub const COL_FP: &str = "_fp";
/// 0 on a record's row; 1, 2 … on the further sessions of a dispatch over
/// several days (one frame row per day, each a session): counts of rows
/// (history, after the as-of date) take day 0 only.
pub const COL_DAY: &str = "_day";

/// The typed datasets and the ledger.
#[derive(Debug, Default)]
pub struct Normalised {
    /// One frame per record type that had at least one recognised sheet
    /// (possibly with zero rows). A record type with no sheet is absent.
    ///
    /// Columns: every non-PII field of the schema by key (Date → Date,
    /// Count/Yen → Int64, Hours → Float64, Category/Text → String,
    /// Flag → Boolean, FiscalYear → Int32; null when blank), plus `_file`,
    /// `_sheet`, `_row`, `_col`, `_fp` and `_day`.
    pub datasets: BTreeMap<DatasetId, DataFrame>,
    pub quality: Quality,
    /// Personal values read this run (names, 概要). Never written anywhere;
    /// the run's policy ([`PersonalValues::new`]) is built from them, to mask
    /// them and to check that no output contains them.
    pub pii: BTreeSet<String>,
    /// The sheet column of each field, per record type, file and sheet (as
    /// the frames name them): where a cell of a frame's row is.
    pub sheet_columns: SheetColumns,
}

/// (record type, file, sheet) → the sheet column of each field it has.
pub type SheetColumns = BTreeMap<(DatasetId, String, String), Vec<(&'static str, u32)>>;

impl Normalised {
    /// Masks every personal value (names, 概要) found inside the texts of the
    /// frames (none personal: PII columns are never kept) — an instructor's
    /// name typed into 職種, a surname inside a requester 中村鉄工所 — as
    /// 「＊＊＊」, listing each such cell as a field warning, so the reports can
    /// show the rest. What counts as personal, and what is exempt (山口 in
    /// 山口県…), is the run's policy ([`PersonalValues`]), the one the output
    /// guard uses.
    pub fn mask_personal_values(&mut self, mapping: &Mapping, personal: &PersonalValues) -> PolarsResult<()> {
        if personal.is_empty() {
            return Ok(());
        }
        for (id, df) in &mut self.datasets {
            let texts: Vec<PlSmallStr> = df
                .columns()
                .iter()
                .filter(|c| c.dtype() == &DataType::String && !matches!(c.name().as_str(), COL_FILE | COL_SHEET))
                .map(|c| c.name().clone())
                .collect();
            for name in texts {
                let values = df.column(&name)?.str()?.clone();
                if !values.iter().flatten().any(|v| personal.holds(v)) {
                    continue;
                }
                let (files, sheets) = (df.column(COL_FILE)?.str()?.clone(), df.column(COL_SHEET)?.str()?.clone());
                let (rows, cols) = (df.column(COL_ROW)?.u32()?.clone(), df.column(COL_COL)?.u32()?.clone());
                let header = mapping.dataset(*id).header(&name).to_string();
                // The row's fiscal year (its date's; a competition entry's own),
                // so a name in last year's book is listed as 過年度.
                let years: Option<Vec<Option<i32>>> = match id.schema().date_field {
                    Some(f) => df
                        .column(f)?
                        .cast(&DataType::Date)?
                        .date()?
                        .as_date_iter()
                        .map(|d| Some(d.map(|d| crate::fiscal::FiscalYear::of(d).year())))
                        .collect(),
                    None => df
                        .column("fiscal_year")
                        .ok()
                        .and_then(|c| c.i32().ok())
                        .map(|c| (0..c.len()).map(|i| c.get(i)).collect()),
                };
                let column_in = |file: &str, sheet: &str| {
                    self.sheet_columns
                        .get(&(*id, file.to_string(), sheet.to_string()))
                        .and_then(|cols| cols.iter().find(|(k, _)| *k == name.as_str()))
                        .map(|(_, c)| *c)
                };
                let mut masked: Vec<Option<String>> = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    let Some(v) = v.filter(|v| personal.holds(v)) else {
                        masked.push(v.map(str::to_string));
                        continue;
                    };
                    let mut m = v.to_string();
                    personal.mask(&mut m, PLACE_MASK);
                    masked.push(Some(m));
                    let (file, sheet) = (files.get(i).unwrap_or_default(), sheets.get(i).unwrap_or_default());
                    let col = column_in(file, sheet).or(cols.get(i)).unwrap_or(0);
                    self.quality.warnings.push(Warning {
                        file: file.to_string(),
                        sheet: sheet.to_string(),
                        cell: crate::ingest::a1(rows.get(i).unwrap_or(1).saturating_sub(1), col),
                        dataset: *id,
                        column: header.clone(),
                        kind: WarningKind::Field,
                        reason: format!(
                            "「{header}」に、氏名の欄にもある文字（個人情報）が入っています。報告書ではその部分を「{PLACE_MASK}」にしました。氏名は氏名の欄だけに入れてください"
                        ),
                        fiscal_year: years.as_ref().and_then(|y| y.get(i).copied().flatten()),
                    });
                }
                df.replace(&name, Column::new(name.clone(), masked))?;
            }
        }
        Ok(())
    }
}
impl Normalised {
    /// The check items that depend on the plan and the as-of date: a 予定
    /// row dated on or before the as-of date (予定のまま基準日を過ぎた行), and
    /// competition entries whose fiscal year nothing names, in a folder that
    /// also holds dated records of another fiscal year than the plan's.
    pub fn settle(&mut self, fy: crate::fiscal::FiscalYear, as_of: chrono::NaiveDate) {
        let q = &mut self.quality;
        let mut added = Vec::new();
        for n in &q.not_held {
            let Some(date) = n.date.filter(|d| n.kind == NotHeldKind::Planned && *d <= as_of) else { continue };
            added.push(Warning {
                file: n.file.clone(),
                sheet: n.sheet.clone(),
                cell: n.cell.clone(),
                dataset: n.dataset,
                column: "状況".to_string(),
                kind: WarningKind::Check(CheckKind::PlannedPastDate),
                reason: format!(
                    "状況が「予定」のまま、その日 {} が基準日を過ぎています。実施したなら「実施」、実施しなかったなら「中止」か「延期」と入れてください（この行は集計していません）",
                    crate::fiscal::date_prose(date)
                ),
                fiscal_year: n.fiscal_year,
            });
        }
        if q.dated_years.iter().any(|y| *y != fy.year()) {
            for r in &q.year_unnamed {
                added.push(Warning {
                    file: r.file.clone(),
                    sheet: r.sheet.clone(),
                    cell: r.cell.clone(),
                    dataset: DatasetId::Competitions,
                    column: "年度".to_string(),
                    kind: WarningKind::Check(CheckKind::YearUnnamed),
                    reason: format!(
                        "この行には年度がなく、シートの見出し・シート名・ファイル名・フォルダー名のどれにも年度がないため、{}の参加者として数えています。\
                         フォルダーには別の年度の記録もあります。前の年度の名簿なら、シートかファイルの名前に「令和5年度」のように年度を入れるか、年度の列を足してください",
                        fy.label_ja()
                    ),
                    fiscal_year: None,
                });
            }
        }
        q.warnings.extend(added);
    }
}

use crate::ingest::{Detection, Ingested};
use crate::mapping::Mapping;
use columns::Builder;
use polars::prelude::*;
use sheet::{Outcome, SheetReader};

pub use columns::RecordKey;

/// Raw rows → typed DataFrames and the data-quality ledger.
pub fn normalise(ingested: Ingested, mapping: &Mapping) -> PolarsResult<Normalised> {
    let mut builders: BTreeMap<DatasetId, Builder> = BTreeMap::new();
    let mut quality = Quality { files: ingested.files, ..Quality::default() };
    let mut pii = BTreeSet::new();
    let mut signatures = repeats::SheetSignatures::default();

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
            not_held: 0,
            sheet_year: None,
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
        let builder = builders.entry(dataset).or_insert_with(|| Builder::new(dataset));
        let source = builder.add_source(&sheet.file, &sheet.sheet, columns.iter().map(|c| (c.field, c.col)).collect());
        let mut reader = SheetReader::new(
            &sheet.file,
            &sheet.sheet,
            &sheet.titles,
            source,
            sheet.is_1904,
            dataset,
            mapping.dataset(dataset),
            &columns,
            &quality,
        );
        // A copy of another sheet (「5月 (2)」): listed, its rows not counted.
        let fields: Vec<&'static str> = columns.iter().map(|c| c.field).collect();
        let copy =
            signatures.copy_of(dataset, &sheet.file, &sheet.sheet, &fields, &sheet.rows, |r| reader.is_blank(&r.cells));
        if let Some((of_file, of_sheet)) = copy {
            report.skipped_duplicate = sheet.rows.len();
            report.note = Some(format!(
                "{of_file} / {of_sheet} の複製です（すべての行が同じ順で同じ内容）。二重に数えないよう、このシートの行は集計していません。不要なら削除してください"
            ));
            quality.sheet_copies.push(SheetCopy {
                dataset,
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                of_file,
                of_sheet,
                rows: sheet.rows.len(),
            });
            quality.sheets.push(report);
            continue;
        }
        for raw in sheet.rows {
            match reader.row(raw, builder, &mut quality, &mut pii) {
                Outcome::Accepted => report.accepted += 1,
                Outcome::Rejected => report.rejected += 1,
                Outcome::NotHeld => report.not_held += 1,
                Outcome::Skipped => {}
            }
        }
        let (blank, total, duplicate) = reader.skipped();
        report.skipped_blank += blank;
        report.skipped_total = total;
        report.skipped_duplicate = duplicate;
        report.sheet_year = reader.sheet_year(&mut quality);
        quality.sheets.push(report);
    }

    // A personal value must not reach a report through a reason, nor
    // through the name of a file or sheet (a sheet per coordinator, named
    // after them).
    let strict = PersonalValues::without_exemptions(&pii);
    if !strict.is_empty() {
        let mask = |reason: &mut String| strict.mask(reason, REASON_MASK);
        quality.rejected.iter_mut().for_each(|r| mask(&mut r.reason));
        quality.warnings.iter_mut().for_each(|w| mask(&mut w.reason));
        quality.not_held.iter_mut().for_each(|n| mask(&mut n.reason));
        let place = |s: &mut String| strict.mask(s, PLACE_MASK);
        mask_places(&mut quality, &place);
        builders.values_mut().for_each(|b| b.mask_sources(&place));
    }

    let mut sheet_columns: SheetColumns = BTreeMap::new();
    for (id, b) in &builders {
        for ((file, sheet), cols) in b.source_columns() {
            sheet_columns.entry((*id, file.clone(), sheet.clone())).or_insert_with(|| cols.clone());
        }
    }
    let mut datasets = BTreeMap::new();
    for (id, b) in builders {
        datasets.insert(id, b.finish()?);
    }
    Ok(Normalised { datasets, quality, pii, sheet_columns })
}

/// Every file and sheet name of the ledger, and every repeated number it
/// lists, through `mask`.
fn mask_places(q: &mut Quality, mask: &impl Fn(&mut String)) {
    let place = |file: &mut String, sheet: &mut String| {
        mask(file);
        mask(sheet);
    };
    for f in &mut q.files {
        mask(&mut f.file);
        if let crate::ingest::FileOutcome::Duplicate { of } = &mut f.outcome {
            mask(of);
        }
    }
    q.sheets.iter_mut().for_each(|s| place(&mut s.file, &mut s.sheet));
    q.warnings.iter_mut().for_each(|w| place(&mut w.file, &mut w.sheet));
    q.totals.iter_mut().for_each(|r| place(&mut r.file, &mut r.sheet));
    q.not_held.iter_mut().for_each(|n| place(&mut n.file, &mut n.sheet));
    q.year_unnamed.iter_mut().for_each(|r| place(&mut r.file, &mut r.sheet));
    for c in &mut q.sheet_copies {
        place(&mut c.file, &mut c.sheet);
        place(&mut c.of_file, &mut c.of_sheet);
    }
    for r in &mut q.rejected {
        place(&mut r.file, &mut r.sheet);
        r.conflicts_with.iter_mut().for_each(|k| place(&mut k.file, &mut k.sheet));
        r.key.iter_mut().for_each(mask);
    }
    // A repeated number is shown too (山田01 where an instructor is 山田).
    for d in &mut q.duplicates {
        place(&mut d.skipped.file, &mut d.skipped.sheet);
        place(&mut d.kept.file, &mut d.kept.sheet);
        mask(&mut d.key);
    }
}
