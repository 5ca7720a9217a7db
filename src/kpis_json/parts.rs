//! The parts of kpis.json below its top level: inputs and their sheets,
//! listed rows (rejected, warnings, not held, duplicates, totals), findings,
//! revisions, the ledger, plan items, sheet copies.

use super::{Num, Text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InputJson<'a> {
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sha256: Option<Text<'a>>,
    pub size: u64,
    /// `read`, `skipped`, `unreadable`, `duplicate`.
    #[serde(borrow)]
    pub status: Text<'a>,
    #[serde(borrow)]
    pub sheets: Vec<SheetJson<'a>>,
    /// Why a file was skipped or unreadable.
    #[serde(borrow)]
    pub reason: Option<Text<'a>>,
    /// The earlier file a byte-identical duplicate repeats.
    #[serde(borrow)]
    pub duplicate_of: Option<Text<'a>>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SheetJson<'a> {
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(borrow)]
    pub dataset: Option<Text<'a>>,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub skipped: usize,
    pub hidden: bool,
    pub header_row: Option<u32>,
    pub skipped_blank: usize,
    pub skipped_total: usize,
    pub skipped_duplicate: usize,
    pub reconciles: bool,
    #[serde(borrow)]
    pub note: Option<Text<'a>>,
    /// Rows that did not happen (see `not_held`).
    pub not_held: usize,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RejectedJson<'a> {
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub cell: Text<'a>,
    #[serde(borrow)]
    pub dataset: Text<'a>,
    #[serde(borrow)]
    pub reason: Text<'a>,
    #[serde(borrow)]
    pub column: Text<'a>,
    /// The fiscal year of the row (its date, else its sheet's year).
    pub fiscal_year: Option<i32>,
    /// Of an earlier fiscal year than the plan's (過年度): listed apart, no
    /// exit status.
    pub past_year: bool,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct WarningJson<'a> {
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub cell: Text<'a>,
    /// `field`, `date_outside_sheet_year`, or a check item (`planned_past_date` …).
    #[serde(borrow)]
    pub kind: Text<'a>,
    #[serde(borrow)]
    pub reason: Text<'a>,
    #[serde(borrow)]
    pub dataset: Text<'a>,
    #[serde(borrow)]
    pub column: Text<'a>,
    /// For `date_outside_sheet_year`: the row's date and the sheet's fiscal year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet_year: Option<i32>,
    /// The fiscal year of the row (its date, else its sheet's year).
    pub fiscal_year: Option<i32>,
    /// Of an earlier fiscal year than the plan's (過年度): listed apart, no
    /// exit status.
    pub past_year: bool,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FindingJson<'a> {
    #[serde(borrow)]
    pub rule: Text<'a>,
    #[serde(borrow)]
    pub label: Text<'a>,
    pub count: usize,
    #[serde(borrow)]
    pub records: Vec<FindingRecordJson<'a>>,
    #[serde(borrow)]
    pub section: Text<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FindingRecordJson<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub file: Option<Text<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Text<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub cell: Option<Text<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meister: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(borrow)]
    pub detail: Text<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RevisionJson<'a> {
    pub month: String,
    #[serde(borrow)]
    pub kpi: Text<'a>,
    pub reported: Option<Num>,
    pub now: Option<Num>,
    pub as_of_reported: String,
    #[serde(borrow)]
    pub rows: Vec<RowChangeJson<'a>>,
    #[serde(borrow)]
    pub label: Text<'a>,
    #[serde(borrow)]
    pub unit: Text<'a>,
}

/// A row that explains a revision.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RowChangeJson<'a> {
    /// `added`, `removed`, `changed`.
    #[serde(borrow)]
    pub change: Text<'a>,
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub cell: Text<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AgainstJson<'a> {
    #[serde(borrow)]
    pub folder: Text<'a>,
    pub as_of: String,
    pub generated_at: Option<String>,
    /// false when that set holds no monthly figures (made by an older version).
    pub comparable: bool,
    /// The program and version that made that set (`corner-kpi 0.1.0`), as its kpis.json says.
    pub generator: Option<String>,
}

/// A place in the drop folder.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PlaceJson<'a> {
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub cell: Text<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct DuplicateJson<'a> {
    #[serde(borrow)]
    pub dataset: Text<'a>,
    #[serde(borrow)]
    pub key: Text<'a>,
    #[serde(borrow)]
    pub skipped: PlaceJson<'a>,
    #[serde(borrow)]
    pub kept: PlaceJson<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PlanItemJson<'a> {
    #[serde(borrow)]
    pub section: Text<'a>,
    #[serde(borrow)]
    pub text: Text<'a>,
    #[serde(borrow)]
    pub status: Option<Text<'a>>,
    #[serde(borrow)]
    pub note: Option<Text<'a>>,
}

/// The ledger: one entry per sheet, its rows as `[cell, month or null, fingerprint]`.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LedgerJson<'a> {
    pub version: u32,
    #[serde(borrow)]
    pub sheets: Vec<LedgerSheetJson<'a>>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LedgerSheetJson<'a> {
    #[serde(borrow)]
    pub dataset: Text<'a>,
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub rows: Vec<(Text<'a>, Option<String>, String)>,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct NotHeldJson<'a> {
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub cell: Text<'a>,
    #[serde(borrow)]
    pub dataset: Text<'a>,
    #[serde(borrow)]
    pub reason: Text<'a>,
    /// `cancelled`, `postponed`, `planned`, `remarks`, `date_word`,
    /// `struck_through`, `zero_attendance`.
    #[serde(borrow)]
    pub kind: Text<'a>,
    pub date: Option<String>,
    pub fiscal_year: Option<i32>,
    /// Of an earlier fiscal year than the plan's (過年度: history kept in the folder).
    pub past_year: bool,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SheetCopyJson<'a> {
    #[serde(borrow)]
    pub dataset: Text<'a>,
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub copy_of: SheetRefJson<'a>,
    pub rows: usize,
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SheetRefJson<'a> {
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
}

/// A note beside a KPI: the corner's reason and next step.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct NoteJson<'a> {
    #[serde(borrow)]
    pub kpi: Text<'a>,
    /// `YYYY-MM`, or null for every month of its fiscal year.
    pub month: Option<String>,
    #[serde(borrow)]
    pub text: Text<'a>,
    #[serde(borrow)]
    pub file: Text<'a>,
    #[serde(borrow)]
    pub sheet: Text<'a>,
    #[serde(borrow)]
    pub cell: Text<'a>,
}
