//! The ground truth: plain typed records, one struct per record type of
//! `datasets.md`, each with its fate (accepted, rejected, skipped as a
//! repeat, not held) and its place (file, sheet, 1-based Excel row) in the
//! generated folder.
//!
//! Values are what a correct reader must recover: canonical category values
//! (as in `mapping.toml`), NFKC-normalised trades, counts as integers, dates
//! as `NaiveDate`, whatever alias, wareki text, full-width digits or unit the
//! cell was written with. Rejected records carry what the row would have
//! meant once fixed (each documents its meaning in `build/`).

use chrono::NaiveDate;

/// Where a record's row is in the sample folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    /// Path relative to the folder, with `/` separators.
    pub file: String,
    pub sheet: String,
    /// 1-based Excel row number.
    pub row: u32,
}

/// What a correct reader does with the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Accepted into its dataset with exactly the record's values.
    Accepted,
    /// Rejected; `column` is the canonical header of the offending field
    /// (e.g. `"実施日"`, `"派遣先区分"`, `"受講者数"`).
    Rejected { column: &'static str },
    /// A repeated 派遣番号 (in the fiscal year of its 実施日) whose counted
    /// fields equal the earlier, accepted row's: skipped as a duplicate (not
    /// a rejection) of that row.
    Duplicate { of_dispatch_no: String },
    /// A repeated number whose counted fields differ from the earlier,
    /// accepted row's: a 派遣番号 within one fiscal year, or a registry
    /// 認定番号. Rejected at the number's cell (`column` is `"派遣番号"` or
    /// `"認定番号"`); the first row is kept. The record holds the repeat's
    /// own values.
    Conflict {
        column: &'static str,
        number: String,
        /// The row kept (the earlier one, in path order).
        kept: Place,
        /// Canonical headers of the counted fields that differ, in the
        /// schema's order (e.g. `["受講者数"]`).
        differing: Vec<&'static str>,
    },
    /// A record that did not happen (中止, 延期, 予定, struck through, nobody
    /// came): listed in `not_held` at `cell`, never counted. The record holds
    /// what the row says (its date the one meant, where the date cell holds
    /// only 「中止」).
    NotHeld {
        kind: NotHeldKind,
        /// A1 cell of what says so (状況, 備考, the date cell, the count), or
        /// of the row's first matched cell for a struck-through row.
        cell: String,
    },
    /// A row without a 派遣番号 whose event fields equal a counted row of
    /// another sheet or book (`kept`, earlier in path order): the same
    /// session pasted again, skipped and listed to check.
    RepeatWithoutNumber { kept: Place },
    /// A row of a sheet that copies another sheet of its workbook row for
    /// row (「5月 (2)」): the whole sheet is skipped.
    InSheetCopy { of_sheet: String },
}

/// Why a row did not happen (`NotHeldKind` of the reader, by key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotHeldKind {
    /// 状況 中止 (取消, キャンセル …).
    Cancelled,
    /// 状況 延期.
    Postponed,
    /// 状況 予定.
    Planned,
    /// 備考 begins with a cancellation word standing alone (「延期→7/5」).
    Remarks,
    /// The date cell holds only a cancellation word (「中止」).
    DateWord,
    /// Every non-empty cell of the row struck through (見え消し).
    StruckThrough,
    /// 受講者数 / 参加者数 0.
    ZeroAttendance,
}

impl NotHeldKind {
    /// The reader's key (kpis.json `not_held[].kind`).
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

impl Fate {
    pub fn is_accepted(&self) -> bool {
        matches!(self, Fate::Accepted)
    }

    /// The column a rejected row is listed under (a conflict is a rejection
    /// too), `None` for rows that are accepted or skipped.
    pub fn rejected_column(&self) -> Option<&'static str> {
        match self {
            Fate::Rejected { column } | Fate::Conflict { column, .. } => Some(column),
            Fate::Accepted
            | Fate::Duplicate { .. }
            | Fate::NotHeld { .. }
            | Fate::RepeatWithoutNumber { .. }
            | Fate::InSheetCopy { .. } => None,
        }
    }

    /// Skipped as a repeat (of a number, of a row without one, of a sheet):
    /// counted in a sheet's `skipped_duplicate`.
    pub fn is_repeat(&self) -> bool {
        matches!(self, Fate::Duplicate { .. } | Fate::RepeatWithoutNumber { .. } | Fate::InSheetCopy { .. })
    }

    /// Why the row did not happen, when it did not.
    pub fn not_held(&self) -> Option<NotHeldKind> {
        match self {
            Fate::NotHeld { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// 派遣実績: one instruction session.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchRecord {
    pub date: NaiveDate,
    /// 中小企業 | 業界団体 | 工業高校等 | 公共施設等
    pub dest_type: &'static str,
    pub requester: String,
    pub trade: String,
    pub trainees: i64,
    /// ものづくりマイスター | 熟練技能者
    pub instructor_type: &'static str,
    pub meister_no: Option<String>,
    /// PII.
    pub instructor_name: Option<String>,
    pub hours: Option<f64>,
    pub dispatch_no: Option<String>,
    /// 東部 | 西部
    pub region: Option<&'static str>,
    /// 日数 as written (1 when blank): the row is that many sessions, all on
    /// `date`, each with `trainees`.
    pub days: u32,
    /// The last day of a range written in the 実施日 cell (`2023/8/31〜9/1`):
    /// one session on each calendar day from `date` to it, each in its own
    /// month. `None` for a single date.
    pub last_day: Option<NaiveDate>,
    pub fate: Fate,
    pub place: Place,
}

impl DispatchRecord {
    /// The date of each session the row makes (datasets.md, "Sessions over
    /// several days"): each day of a range, else `date` `days` times.
    pub fn sessions(&self) -> Vec<NaiveDate> {
        match self.last_day {
            Some(last) => self.date.iter_days().take_while(|d| *d <= last).collect(),
            None => vec![self.date; self.days.max(1) as usize],
        }
    }
}

/// ものづくりの魅力発信: one event.
#[derive(Debug, Clone, PartialEq)]
pub struct OutreachRecord {
    pub date: NaiveDate,
    /// 小中学校等 | サポステ
    pub kind: &'static str,
    /// 実施先名 (mapping field `place`; named `venue` here because `place`
    /// is the record's position).
    pub venue: String,
    pub participants: i64,
    pub trade: Option<String>,
    pub meister_no: Option<String>,
    /// 日数 as written (1 when blank): one event (回) however many days;
    /// its participants × days are its person-days.
    pub days: u32,
    pub fate: Fate,
    pub place: Place,
}

/// ものづくりマイスター登録台帳: one meister.
#[derive(Debug, Clone, PartialEq)]
pub struct MeisterRecord {
    pub meister_no: String,
    pub trade: String,
    pub certified_on: NaiveDate,
    /// PII.
    pub name: Option<String>,
    pub region: Option<&'static str>,
    /// `None` = never trained (指導技法等講習 not recorded).
    pub trained_on: Option<NaiveDate>,
    pub deregistered_on: Option<NaiveDate>,
    pub last_activity_on: Option<NaiveDate>,
    pub fate: Fate,
    pub place: Place,
}

/// 指導技法等講習会: one session.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRecord {
    pub date: NaiveDate,
    /// 前期 | 後期 | 再講習
    pub term: &'static str,
    pub attendees: i64,
    pub travel_yen: Option<i64>,
    pub allowance_yen: Option<i64>,
    pub fate: Fate,
    pub place: Place,
}

/// 技能競技大会の参加者: one person entered.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetitionRecord {
    /// 技能五輪全国大会 | 若年者ものづくり競技大会 | 技能五輪予選
    pub event: &'static str,
    /// 選手 | 指導者
    pub role: &'static str,
    pub trade: String,
    pub org: String,
    /// PII.
    pub name: Option<String>,
    pub withdrawn: bool,
    pub travel_yen: Option<i64>,
    pub tool_transport_yen: Option<i64>,
    pub fee_yen: Option<i64>,
    /// The fiscal year the entry belongs to: its 年度 cell (`R5` → 2023),
    /// else the year its sheet's title rows or name, its file name or its
    /// folders name (`…_令和5年度.xlsx`, a title 「令和4年度 …」). `None` when
    /// nothing names one (the row counts in the plan's year, a check item
    /// when the folder holds dated records of another year).
    pub fiscal_year: Option<i32>,
    pub fate: Fate,
    pub place: Place,
}

/// 連携会議: one meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRecord {
    pub date: NaiveDate,
    pub round: String,
    /// 対面 | WEB | 併用
    pub format: Option<&'static str>,
    pub attending_orgs: Option<i64>,
    pub fate: Fate,
    pub place: Place,
}

/// コーディネーター開拓訪問: one visit.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRecord {
    pub date: NaiveDate,
    /// PII (a person's name).
    pub coordinator: String,
    pub visited: String,
    pub region: Option<&'static str>,
    pub trade: Option<String>,
    pub candidates: Option<i64>,
    pub fate: Fate,
    pub place: Place,
}

/// 個人情報インシデント: one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    pub date: NaiveDate,
    /// メール誤送付 | FAX誤送信 | 郵送誤り | 手渡し誤り | 誤アップロード | その他
    pub kind: &'static str,
    pub reported_on: Option<NaiveDate>,
    /// PII (never written to reports).
    pub summary: Option<String>,
    pub fate: Fate,
    pub place: Place,
}

/// A warning a correct reader lists for an accepted row (the row still
/// counts; the warning says where to look).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExpectedWarning {
    pub file: String,
    pub sheet: String,
    /// A1 cell of the value concerned.
    pub cell: String,
    pub kind: ExpectedWarningKind,
}

/// What an [`ExpectedWarning`] is about (`WarningKind` of the reader).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExpectedWarningKind {
    /// A value in an optional column that cannot be read: the field is
    /// left empty (the record holds `None`). `column` is the canonical
    /// header, e.g. `"指導時間"`.
    Field { column: &'static str },
    /// A date in another fiscal year than the one at least 80% of the
    /// sheet's (at least 5) dated rows fall in.
    DateOutsideSheetYear { date: NaiveDate, sheet_year: i32 },
    /// A check item of the office conventions (`WarningKind::Check`).
    Check(CheckKind),
}

/// The check items of the office conventions (`CheckKind` of the reader,
/// by key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckKind {
    /// 状況 予定 on or before the as-of date (the row is not counted).
    PlannedPastDate,
    /// A cancellation word elsewhere in 備考, or leading it under 状況 実施
    /// (the row counts).
    RemarksWord,
    /// Some cells of the row struck through, not all (the row counts).
    PartlyStruck,
    /// 受講者数 / 参加者数 0 (the row is not held).
    ZeroAttendance,
    /// A row without a number equal to a counted row of another sheet or
    /// book (the repeat is skipped).
    RepeatWithoutNumber,
    /// Equal rows without a number within one sheet (both count).
    EqualRowsInSheet,
    /// A count with a note in brackets (`10（うち女性3）` reads as 10).
    CountWithNote,
    /// A competition entry whose fiscal year nothing names, in a folder
    /// holding dated records of another year.
    YearUnnamed,
}

impl CheckKind {
    /// The reader's key (kpis.json `warnings[].kind`).
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
}

/// Every record planted in the sample folder, per record type, in file,
/// sheet and row order.
#[derive(Debug, Clone, Default)]
pub struct SampleSet {
    pub dispatches: Vec<DispatchRecord>,
    pub outreach: Vec<OutreachRecord>,
    pub meisters: Vec<MeisterRecord>,
    pub trainings: Vec<TrainingRecord>,
    pub competitions: Vec<CompetitionRecord>,
    pub meetings: Vec<MeetingRecord>,
    pub visits: Vec<VisitRecord>,
    pub incidents: Vec<IncidentRecord>,
    /// The unreadable optional values planted (kind `Field`); the records
    /// concerned hold `None` for that field. Warnings about dates are not
    /// planted one by one: [`crate::expected_warnings`] derives
    /// them from the records and the sheets.
    pub field_warnings: Vec<ExpectedWarning>,
    /// The check items planted (kind `Check`) that do not depend on the
    /// as-of date; 予定 past its date and competition rows without a year
    /// are derived by [`crate::expected_warnings_at`].
    pub check_warnings: Vec<ExpectedWarning>,
}

/// A vertically merged cell in a sheet's data area (its value applies to
/// every row it spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataMerge {
    /// Column letter, e.g. `"C"`.
    pub col: String,
    /// 1-based Excel rows, inclusive.
    pub first_row: u32,
    pub last_row: u32,
}

/// What a reader should make of one sheet. Counts reconcile:
/// `rows_read = accepted + rejected + skipped_blank + skipped_total + skipped_duplicate + not_held`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedSheet {
    pub file: String,
    pub sheet: String,
    /// Dataset key (`"dispatches"`, `"outreach"`, …); `None` = ignored sheet.
    pub dataset: Option<&'static str>,
    /// 1-based header row; `None` for ignored sheets.
    pub header_row: Option<u32>,
    /// The header cells as written (line breaks, brackets, spaces kept), from
    /// column A; `""` for a blank column. Empty for ignored sheets.
    pub headers: Vec<String>,
    /// Rows below the header row up to the last non-empty row.
    pub rows_read: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub skipped_blank: u32,
    pub skipped_total: u32,
    pub skipped_duplicate: u32,
    /// Rows that did not happen.
    pub not_held: u32,
    /// For a copy of another sheet of the same workbook (「5月 (2)」): that
    /// sheet's name. Every row of a copy is skipped (its total row too).
    pub copy_of: Option<String>,
    /// Vertically merged cells in the data area.
    pub data_merges: Vec<DataMerge>,
}
