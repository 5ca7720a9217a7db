//! The data-quality ledger: where every input row went.
//!
//! Built by `normalise` from the ingest result; read by `report`. Every row
//! of a recognised sheet ends up in exactly one of accepted, rejected or
//! skipped, and `SheetReport::reconciles` checks it.

use crate::ingest::InputFile;
use crate::schema::DatasetId;
use chrono::NaiveDate;
use serde::Serialize;

/// Where every file, sheet and row of the run went.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Every file met in the drop folder.
    pub files: Vec<InputFile>,
    /// Every sheet of every readable workbook.
    pub sheets: Vec<SheetReport>,
    /// Every rejected row, in file/sheet/row order.
    pub rejected: Vec<Rejection>,
    /// Accepted rows with something to check: an unreadable optional value
    /// (left empty) or a date outside the sheet's fiscal year.
    pub warnings: Vec<Warning>,
    /// Rows skipped as duplicates, with the place of the row kept.
    pub duplicates: Vec<Duplicate>,
    /// Rows skipped as totals (合計, 小計 …).
    pub totals: Vec<RowRef>,
}

/// A place in the drop folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RowRef {
    pub file: String,
    pub sheet: String,
    /// A1 notation of the row's first matched cell, or of the offending cell.
    pub cell: String,
}

/// What a sheet was taken as, and its row counts.
#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    pub file: String,
    pub sheet: String,
    pub hidden: bool,
    /// `None` when the sheet was ignored or ambiguous.
    pub dataset: Option<DatasetId>,
    /// 1-based header row, when one was found.
    pub header_row: Option<u32>,
    /// For ignored or ambiguous sheets: why (and what to do).
    pub note: Option<String>,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub skipped_blank: usize,
    pub skipped_total: usize,
    pub skipped_duplicate: usize,
    /// The fiscal year most of the sheet's dated rows fall in (at least 80%
    /// of at least 5), when there is one: rows dated in another year are
    /// listed for checking.
    pub sheet_year: Option<i32>,
}

impl SheetReport {
    pub fn skipped(&self) -> usize {
        self.skipped_blank + self.skipped_total + self.skipped_duplicate
    }

    /// rows read = accepted + rejected + skipped.
    pub fn reconciles(&self) -> bool {
        self.rows_read == self.accepted + self.rejected + self.skipped()
    }
}

/// A row that could not be accepted.
#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub file: String,
    pub sheet: String,
    /// A1 cell of the first problem.
    pub cell: String,
    pub dataset: DatasetId,
    /// The canonical header of the offending column.
    pub column: String,
    /// What is wrong and how to fix it (Japanese).
    pub reason: String,
    /// For a conflicting repeat of a number (派遣番号, 認定番号): the row that
    /// was kept.
    pub conflicts_with: Option<RowRef>,
    /// For a conflicting repeat: the repeated number (not personal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// An accepted row with something a person should check. The row counts;
/// the warning says where and why.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub file: String,
    pub sheet: String,
    /// A1 cell of the value concerned.
    pub cell: String,
    pub dataset: DatasetId,
    /// The canonical header of the column.
    pub column: String,
    pub kind: WarningKind,
    /// What was found and what to do (Japanese).
    pub reason: String,
}

/// What a warning is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An optional value that could not be read: the field was left empty.
    Field,
    /// A date in another fiscal year than the sheet's other rows (a typo
    /// such as `R4.7.10` in this year's sheet). It counts where it falls.
    DateOutsideSheetYear { date: NaiveDate, sheet_year: i32 },
}

impl WarningKind {
    /// The id used in kpis.json.
    pub fn key(&self) -> &'static str {
        match self {
            WarningKind::Field => "field",
            WarningKind::DateOutsideSheetYear { .. } => "date_outside_sheet_year",
        }
    }

    /// The Japanese heading staff see.
    pub fn label_ja(&self) -> &'static str {
        match self {
            WarningKind::Field => "読めない任意項目",
            WarningKind::DateOutsideSheetYear { .. } => "年度外の日付",
        }
    }
}

/// A row skipped because its unique key (派遣番号, 認定番号) was seen before.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub dataset: DatasetId,
    /// The repeated key value (派遣番号 or 認定番号: not personal).
    pub key: String,
    /// The row that was skipped.
    pub skipped: RowRef,
    /// The row that was kept.
    pub kept: RowRef,
}

impl Quality {
    pub fn rows_read(&self) -> usize {
        self.sheets.iter().map(|s| s.rows_read).sum()
    }
    pub fn accepted(&self) -> usize {
        self.sheets.iter().map(|s| s.accepted).sum()
    }
    pub fn skipped(&self) -> usize {
        self.sheets.iter().map(SheetReport::skipped).sum()
    }
    /// Rejected rows that repeat a number with other contents.
    pub fn conflicts(&self) -> usize {
        self.rejected.iter().filter(|r| r.conflicts_with.is_some()).count()
    }
    /// Warnings of one kind (by [`WarningKind::key`]).
    pub fn warnings_of(&self, key: &str) -> usize {
        self.warnings.iter().filter(|w| w.kind.key() == key).count()
    }
}
