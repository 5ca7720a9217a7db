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
    /// Rows that did not happen (中止, 延期, 予定, struck through, nobody came).
    pub not_held: Vec<NotHeld>,
    /// Sheets whose rows all repeat another sheet's, in order (シートの複製):
    /// not counted.
    pub sheet_copies: Vec<SheetCopy>,
    /// Competition entries whose fiscal year nothing names (no 年度 cell,
    /// sheet title, sheet, file or folder name): counted in the plan's year.
    pub year_unnamed: Vec<RowRef>,
    /// Frame rows beyond one per accepted row: the further days of a
    /// dispatch over several days (each day a session of its own).
    pub further_days: usize,
    /// The fiscal years of the accepted dated rows.
    pub dated_years: std::collections::BTreeSet<i32>,
}

/// A row that did not happen: listed with its reason, never counted.
#[derive(Debug, Clone, Serialize)]
pub struct NotHeld {
    pub file: String,
    pub sheet: String,
    /// A1 cell of what says so (状況, 備考, the date cell, the count), or of
    /// the row's first cell.
    pub cell: String,
    pub dataset: DatasetId,
    pub kind: NotHeldKind,
    /// Why, in Japanese (「状況「中止」」).
    pub reason: String,
    /// The row's date, when it could be read.
    pub date: Option<NaiveDate>,
    /// The fiscal year of the row (its date, else its sheet's year).
    pub fiscal_year: Option<i32>,
}

/// Why a row did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotHeldKind {
    /// 状況 中止 (取消, キャンセル …).
    Cancelled,
    /// 状況 延期.
    Postponed,
    /// 状況 予定: not yet held.
    Planned,
    /// 備考 begins with a cancellation word.
    Remarks,
    /// The date cell holds only a cancellation word.
    DateWord,
    /// Every cell of the row struck through (見え消し).
    StruckThrough,
    /// 受講者数 / 参加者数 0.
    ZeroAttendance,
}

impl NotHeldKind {
    pub fn key(self) -> &'static str {
        match self {
            NotHeldKind::Cancelled => "cancelled",
            NotHeldKind::Postponed => "postponed",
            NotHeldKind::Planned => "planned",
            NotHeldKind::Remarks => "remarks",
            NotHeldKind::DateWord => "date_word",
            NotHeldKind::StruckThrough => "struck_through",
            NotHeldKind::ZeroAttendance => "zero_attendance",
        }
    }
}

/// A sheet whose rows all equal another sheet's, in order.
#[derive(Debug, Clone, Serialize)]
pub struct SheetCopy {
    pub dataset: DatasetId,
    pub file: String,
    pub sheet: String,
    /// The sheet it copies (the first in path order).
    pub of_file: String,
    pub of_sheet: String,
    /// Its rows, skipped.
    pub rows: usize,
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
    /// Rows that did not happen (see [`NotHeld`]).
    pub not_held: usize,
    /// The fiscal year most of the sheet's dated rows fall in (at least 80%
    /// of at least 5), when there is one: rows dated in another year are
    /// listed for checking.
    pub sheet_year: Option<i32>,
}

impl SheetReport {
    pub fn skipped(&self) -> usize {
        self.skipped_blank + self.skipped_total + self.skipped_duplicate
    }

    /// rows read = accepted + rejected + skipped + not held.
    pub fn reconciles(&self) -> bool {
        self.rows_read == self.accepted + self.rejected + self.skipped() + self.not_held
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
    /// The fiscal year of the row (its date, else its sheet's year; a
    /// competition entry's own): a row of an earlier year than the plan's is
    /// history kept in the folder (過年度), listed apart.
    pub fiscal_year: Option<i32>,
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
    /// The fiscal year of the row (see [`Rejection::fiscal_year`]).
    pub fiscal_year: Option<i32>,
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
    /// A row that counts, or does not, where the way it is written leaves a
    /// doubt a person should settle (予定 past its date, a cancellation word
    /// in 備考, part of a row struck through, nobody came, a repeat without a
    /// number, a count with a note, a competition row without a year).
    Check(CheckKind),
}

/// The check items of the office conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// 予定 on or before the as-of date (not counted).
    PlannedPastDate,
    /// A cancellation word elsewhere in 備考 (counted).
    RemarksWord,
    /// Some cells of the row struck through, not all (counted).
    PartlyStruck,
    /// 受講者数 / 参加者数 0 (not counted).
    ZeroAttendance,
    /// The same row in another sheet or book, without a number (the repeat
    /// is not counted).
    RepeatWithoutNumber,
    /// Equal rows within one sheet, without a number (both counted).
    EqualRowsInSheet,
    /// A count with a note in brackets (the leading count counted).
    CountWithNote,
    /// A competition entry whose fiscal year nothing names, in a folder
    /// holding records of another year (counted in the plan's year).
    YearUnnamed,
}

impl CheckKind {
    pub fn key(self) -> &'static str {
        match self {
            CheckKind::PlannedPastDate => "planned_past_date",
            CheckKind::RemarksWord => "remarks_word",
            CheckKind::PartlyStruck => "partly_struck",
            CheckKind::ZeroAttendance => "zero_attendance",
            CheckKind::RepeatWithoutNumber => "repeat_without_number",
            CheckKind::EqualRowsInSheet => "equal_rows_in_sheet",
            CheckKind::CountWithNote => "count_with_note",
            CheckKind::YearUnnamed => "year_unnamed",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            CheckKind::PlannedPastDate => "予定のまま基準日を過ぎた行",
            CheckKind::RemarksWord => "備考に中止・延期の語",
            CheckKind::PartlyStruck => "一部だけ取り消し線の行",
            CheckKind::ZeroAttendance => "受講者数 0 の行",
            CheckKind::RepeatWithoutNumber => "番号なしの同じ行（別の表）",
            CheckKind::EqualRowsInSheet => "同じ表の同じ行",
            CheckKind::CountWithNote => "注記付きの人数",
            CheckKind::YearUnnamed => "年度の分からない競技大会の行",
        }
    }
}

impl WarningKind {
    /// The id used in kpis.json.
    pub fn key(&self) -> &'static str {
        match self {
            WarningKind::Field => "field",
            WarningKind::DateOutsideSheetYear { .. } => "date_outside_sheet_year",
            WarningKind::Check(c) => c.key(),
        }
    }

    /// The Japanese heading staff see.
    pub fn label_ja(&self) -> &'static str {
        match self {
            WarningKind::Field => "読めない任意項目",
            WarningKind::DateOutsideSheetYear { .. } => "年度外の日付",
            WarningKind::Check(c) => c.label_ja(),
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
    pub fn not_held_rows(&self) -> usize {
        self.sheets.iter().map(|s| s.not_held).sum()
    }
    /// Rejected rows that repeat a number with other contents.
    pub fn conflicts(&self) -> usize {
        self.rejected.iter().filter(|r| r.conflicts_with.is_some()).count()
    }
    /// Warnings of one kind (by [`WarningKind::key`]).
    pub fn warnings_of(&self, key: &str) -> usize {
        self.warnings.iter().filter(|w| w.kind.key() == key).count()
    }

    /// Check items of the office conventions ([`WarningKind::Check`]) of this
    /// fiscal year or later (`year`), those of earlier years being history.
    pub fn checks_from(&self, year: i32) -> usize {
        self.warnings
            .iter()
            .filter(|w| matches!(w.kind, WarningKind::Check(_)) && !is_past(w.fiscal_year, year))
            .count()
    }
}

/// Whether a row of fiscal year `row` is history (過年度) for a plan of `year`.
pub fn is_past(row: Option<i32>, year: i32) -> bool {
    row.is_some_and(|y| y < year)
}

impl Quality {
    /// Rejected rows of this fiscal year or later (or of no year: the registry).
    pub fn rejected_from(&self, year: i32) -> usize {
        self.rejected.iter().filter(|r| !is_past(r.fiscal_year, year)).count()
    }

    /// Warnings of one kind of this fiscal year or later.
    pub fn warnings_of_from(&self, key: &str, year: i32) -> usize {
        self.warnings.iter().filter(|w| w.kind.key() == key && !is_past(w.fiscal_year, year)).count()
    }

    /// Rejected rows and warnings of earlier fiscal years (過年度): listed apart,
    /// no exit status.
    pub fn past_items(&self, year: i32) -> usize {
        self.rejected.iter().filter(|r| is_past(r.fiscal_year, year)).count()
            + self.warnings.iter().filter(|w| is_past(w.fiscal_year, year)).count()
    }
}
