//! The eight record types as data: which fields each has, their value kinds,
//! which are required, and which hold personal information.
//!
//! A dataset is a schema, not a code path: ingest and normalise are driven by
//! this table alone. Header names and category aliases live in the mapping
//! file (`defaults/mapping.toml`), so users can add aliases without
//! recompiling; what a field *is* (its key and kind) lives here, because the
//! KPI code depends on it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the record types of datasets.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetId {
    Dispatches,
    Outreach,
    Meisters,
    Trainings,
    Competitions,
    Meetings,
    Visits,
    Incidents,
}

impl DatasetId {
    pub const ALL: [DatasetId; 8] = [
        DatasetId::Dispatches,
        DatasetId::Outreach,
        DatasetId::Meisters,
        DatasetId::Trainings,
        DatasetId::Competitions,
        DatasetId::Meetings,
        DatasetId::Visits,
        DatasetId::Incidents,
    ];

    /// The id used in files (`dispatches`, `outreach`, …).
    pub fn key(self) -> &'static str {
        match self {
            DatasetId::Dispatches => "dispatches",
            DatasetId::Outreach => "outreach",
            DatasetId::Meisters => "meisters",
            DatasetId::Trainings => "trainings",
            DatasetId::Competitions => "competitions",
            DatasetId::Meetings => "meetings",
            DatasetId::Visits => "visits",
            DatasetId::Incidents => "incidents",
        }
    }

    /// The Japanese name staff know the record type by.
    pub fn label_ja(self) -> &'static str {
        match self {
            DatasetId::Dispatches => "派遣実績",
            DatasetId::Outreach => "ものづくりの魅力発信",
            DatasetId::Meisters => "ものづくりマイスター登録台帳",
            DatasetId::Trainings => "指導技法等講習会",
            DatasetId::Competitions => "技能競技大会の参加者",
            DatasetId::Meetings => "連携会議",
            DatasetId::Visits => "コーディネーター開拓訪問",
            DatasetId::Incidents => "個人情報インシデント",
        }
    }

    pub fn from_key(key: &str) -> Option<DatasetId> {
        DatasetId::ALL.into_iter().find(|d| d.key() == key)
    }

    pub fn schema(self) -> &'static Schema {
        SCHEMAS.iter().find(|s| s.id == self).expect("every DatasetId has a schema")
    }
}

impl fmt::Display for DatasetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How a cell's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A calendar date (Excel date, serial, text, wareki).
    Date,
    /// A non-negative whole number, possibly with a unit (`12人`).
    Count,
    /// A non-negative number of hours (`1.5`, `2時間`, `90分`).
    Hours,
    /// A non-negative amount of yen (`1,000円`, `￥1,000`).
    Yen,
    /// One of the canonical labels of the mapping, or one of their aliases.
    Category,
    /// Free text, NFKC-normalised and trimmed.
    Text,
    /// A yes/no mark such as ○ (withdrawn).
    Flag,
    /// A fiscal year: `2023`, `R5`, `令和5年度`.
    FiscalYear,
}

/// One column of a record type.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Stable key used in the mapping file and as the DataFrame column name.
    pub key: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// Personal information: read only to validate, never stored in a
    /// DataFrame nor written anywhere.
    pub pii: bool,
    /// Value used when an optional category cell is blank.
    pub default: Option<&'static str>,
    /// The canonical values of a category field, in display order. Fixed
    /// here because the KPIs count by them: a mapping file may add aliases,
    /// never a value. Empty for other kinds.
    pub values: &'static [&'static str],
    /// An optional field whose unreadable value rejects the row all the same
    /// (a dispatch's 区分 decides which KPI counts the session). Other
    /// optional fields leave an unreadable value empty and warn.
    pub strict: bool,
    /// One of the columns every record type of events may have (状況, 備考,
    /// 日数): it does not count toward "the most matched headers" when a
    /// sheet's record type is decided.
    pub common: bool,
    /// Kept as a column of the record type's frame. Personal fields never
    /// are; 状況 and 備考 decide whether a row counts and are not kept either.
    pub stored: bool,
}

/// One record type: its id and its fields.
#[derive(Debug)]
pub struct Schema {
    pub id: DatasetId,
    pub fields: &'static [FieldSpec],
    /// A number that names one record (派遣番号, 認定番号): a repeat is a
    /// duplicate or a conflict.
    pub unique_key: Option<UniqueKey>,
    /// The date a record happened on (its fiscal year decides where it
    /// counts); `None` for the registry (認定日 spans many years) and for
    /// competition entries (the plan holds the event dates).
    pub date_field: Option<&'static str>,
    /// Records of events that may not have happened (datasets.md, "Records
    /// that did not happen"): a leading cancellation word in 備考, a date cell
    /// holding only 中止, a struck-through row. (状況 applies wherever the
    /// schema has the field.)
    pub events: bool,
    /// The count whose 0 means nobody came, so the row was not held.
    pub attendance: Option<&'static str>,
    /// What a session over several days (日数, a date range) means here.
    pub days: Days,
}

/// How a record type reads a session over several days (datasets.md,
/// "Sessions over several days").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Days {
    /// A date range is refused as any other unreadable date.
    None,
    /// Each day is a session (dispatches): 日数 N is N sessions in the month
    /// of the date; each day of a range a session in its own month.
    Sessions,
    /// One event however many days (outreach); its days multiply its count
    /// into person-days.
    PersonDays,
    /// One course or meeting: a range is read as its first day, 日数 changes nothing.
    Ignored,
}

/// How a record's number identifies it.
#[derive(Debug)]
pub struct UniqueKey {
    /// The number's field.
    pub field: &'static str,
    /// The number names one record within the fiscal year of this date
    /// field: corners restart their numbering every year. `None`: one
    /// record per number in the whole folder (the registry).
    pub per_fiscal_year_of: Option<&'static str>,
    /// The fields a repeat must agree on to be a duplicate (skipped); a
    /// repeat that differs in any of them is a conflict (rejected).
    pub compared: &'static [&'static str],
}

impl Schema {
    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }
}

const fn req(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        key,
        kind,
        required: true,
        pii: false,
        default: None,
        values: &[],
        strict: false,
        common: false,
        stored: true,
    }
}
const fn opt(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { required: false, ..req(key, kind) }
}
const fn pii(key: &'static str, required: bool) -> FieldSpec {
    FieldSpec { required, pii: true, stored: false, ..req(key, FieldKind::Text) }
}
/// A category field with its fixed canonical values.
const fn cat(key: &'static str, required: bool, values: &'static [&'static str]) -> FieldSpec {
    FieldSpec { required, values, ..req(key, FieldKind::Category) }
}

/// 状況: whether the record happened. Only 実施 (or a blank) counts; the row
/// is read for it before anything else (datasets.md, "Records that did not
/// happen"). An unknown word is a field warning and the row counts.
pub const STATUS: FieldSpec = FieldSpec {
    default: Some(STATUS_HELD),
    common: true,
    stored: false,
    ..cat("status", false, &[STATUS_HELD, STATUS_PLANNED, STATUS_CANCELLED, STATUS_POSTPONED])
};
pub const STATUS_HELD: &str = "実施";
pub const STATUS_PLANNED: &str = "予定";
pub const STATUS_CANCELLED: &str = "中止";
pub const STATUS_POSTPONED: &str = "延期";
/// 備考: free text, read only for a leading cancellation word (中止, 延期 …),
/// never kept (it may hold anything, names included).
const REMARKS: FieldSpec = FieldSpec { common: true, stored: false, ..opt("remarks", FieldKind::Text) };
/// 日数: the days a session ran. A dispatch row of N days is N sessions (the
/// frame holds one row per day, so the column itself is not kept); an
/// outreach event keeps it to multiply its participants into person-days.
const DAYS_SESSIONS: FieldSpec = FieldSpec { common: true, stored: false, ..opt("days", FieldKind::Count) };
const DAYS_KEPT: FieldSpec = FieldSpec { common: true, ..opt("days", FieldKind::Count) };

const REGIONS: &[&str] = &["東部", "西部"];

use FieldKind::*;

/// The schema table: every record type of datasets.md.
pub static SCHEMAS: &[Schema] = &[
    Schema {
        id: DatasetId::Dispatches,
        unique_key: Some(UniqueKey {
            field: "dispatch_no",
            per_fiscal_year_of: Some("date"),
            compared: &["date", "dest_type", "requester", "trade", "trainees", "instructor_type"],
        }),
        date_field: Some("date"),
        events: true,
        attendance: Some("trainees"),
        days: Days::Sessions,
        fields: &[
            req("date", Date),
            cat("dest_type", true, &["中小企業", "業界団体", "工業高校等", "公共施設等"]),
            req("requester", Text),
            req("trade", Text),
            req("trainees", Count),
            FieldSpec {
                default: Some("ものづくりマイスター"),
                strict: true,
                ..cat("instructor_type", false, &["ものづくりマイスター", "熟練技能者"])
            },
            opt("meister_no", Text),
            pii("instructor_name", false),
            opt("hours", Hours),
            opt("dispatch_no", Text),
            cat("region", false, REGIONS),
            STATUS,
            REMARKS,
            DAYS_SESSIONS,
        ],
    },
    Schema {
        id: DatasetId::Outreach,
        unique_key: None,
        date_field: Some("date"),
        events: true,
        attendance: Some("participants"),
        days: Days::PersonDays,
        fields: &[
            req("date", Date),
            cat("kind", true, &["小中学校等", "サポステ"]),
            req("place", Text),
            req("participants", Count),
            opt("trade", Text),
            opt("meister_no", Text),
            STATUS,
            REMARKS,
            DAYS_KEPT,
        ],
    },
    Schema {
        id: DatasetId::Meisters,
        unique_key: Some(UniqueKey {
            field: "meister_no",
            per_fiscal_year_of: None,
            compared: &["trade", "certified_on", "name", "region", "trained_on", "deregistered_on", "last_activity_on"],
        }),
        date_field: None,
        events: false,
        attendance: None,
        days: Days::None,
        fields: &[
            req("meister_no", Text),
            req("trade", Text),
            req("certified_on", Date),
            pii("name", false),
            cat("region", false, REGIONS),
            opt("trained_on", Date),
            opt("deregistered_on", Date),
            opt("last_activity_on", Date),
        ],
    },
    Schema {
        id: DatasetId::Trainings,
        unique_key: None,
        date_field: Some("date"),
        events: true,
        attendance: None,
        days: Days::Ignored,
        fields: &[
            req("date", Date),
            cat("term", true, &["前期", "後期", "再講習"]),
            req("attendees", Count),
            opt("travel_yen", Yen),
            opt("allowance_yen", Yen),
            STATUS,
            REMARKS,
        ],
    },
    Schema {
        id: DatasetId::Competitions,
        unique_key: None,
        date_field: None,
        events: false,
        attendance: None,
        days: Days::None,
        fields: &[
            cat("event", true, &["技能五輪全国大会", "若年者ものづくり競技大会", "技能五輪予選"]),
            cat("role", true, &["選手", "指導者"]),
            req("trade", Text),
            req("org", Text),
            pii("name", false),
            opt("withdrawn", Flag),
            opt("travel_yen", Yen),
            opt("tool_transport_yen", Yen),
            opt("fee_yen", Yen),
            opt("fiscal_year", FiscalYear),
        ],
    },
    Schema {
        id: DatasetId::Meetings,
        unique_key: None,
        date_field: Some("date"),
        events: true,
        attendance: None,
        days: Days::Ignored,
        fields: &[
            req("date", Date),
            req("round", Text),
            cat("format", false, &["対面", "WEB", "併用"]),
            opt("attending_orgs", Count),
            STATUS,
            REMARKS,
        ],
    },
    Schema {
        id: DatasetId::Visits,
        unique_key: None,
        date_field: Some("date"),
        events: false,
        attendance: None,
        days: Days::None,
        fields: &[
            req("date", Date),
            pii("coordinator", true),
            req("visited", Text),
            cat("region", false, REGIONS),
            opt("trade", Text),
            opt("candidates", Count),
            STATUS,
        ],
    },
    Schema {
        id: DatasetId::Incidents,
        unique_key: None,
        date_field: Some("date"),
        events: false,
        attendance: None,
        days: Days::None,
        fields: &[
            req("date", Date),
            cat("kind", true, &["メール誤送付", "FAX誤送信", "郵送誤り", "手渡し誤り", "誤アップロード", "その他"]),
            opt("reported_on", Date),
            pii("summary", false),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_has_exactly_one_schema_with_unique_keys() {
        for id in DatasetId::ALL {
            assert_eq!(SCHEMAS.iter().filter(|s| s.id == id).count(), 1, "{id}");
            let schema = id.schema();
            let mut keys: Vec<_> = schema.fields.iter().map(|f| f.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), schema.fields.len(), "{id} repeats a key");
            if let Some(u) = &schema.unique_key {
                assert!(schema.field(u.field).is_some(), "{id} unique key {}", u.field);
                for c in u.compared.iter().chain(u.per_fiscal_year_of.iter()) {
                    assert!(schema.field(c).is_some(), "{id} compares unknown field {c}");
                }
            }
            if let Some(d) = schema.date_field {
                assert_eq!(schema.field(d).map(|f| f.kind), Some(FieldKind::Date), "{id} date field {d}");
            }
            assert!(schema.fields.iter().any(|f| f.required), "{id}");
            for f in schema.fields {
                assert_eq!(f.kind == FieldKind::Category, !f.values.is_empty(), "{id}.{}: values iff category", f.key);
                if let Some(d) = f.default {
                    assert!(f.values.contains(&d), "{id}.{}: default {d} is a canonical value", f.key);
                }
            }
        }
    }
}
