//! The ground truth: plain typed records, one struct per record type of
//! `datasets.md`, each with its fate (accepted, rejected, duplicate) and its
//! place (file, sheet, 1-based Excel row) in the generated folder.
//!
//! Values are what a correct reader must recover: canonical category values
//! (as in `mapping.toml`), NFKC-normalised trades, counts as integers, dates
//! as `NaiveDate`, whatever alias, wareki text, full-width digits or unit the
//! cell was written with. Rejected records carry what the row would have
//! meant once fixed (each documents its meaning in `build.rs`).

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
            Fate::Accepted | Fate::Duplicate { .. } => None,
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
    pub fate: Fate,
    pub place: Place,
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
    /// The 年度 column as a fiscal year (`R5` → 2023); `None` where the sheet
    /// has no 年度 column (then every row counts).
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
/// `rows_read = accepted + rejected + skipped_blank + skipped_total + skipped_duplicate`.
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
    /// Vertically merged cells in the data area.
    pub data_merges: Vec<DataMerge>,
}
