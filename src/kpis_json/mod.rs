//! `kpis.json`, the product's public interface: one set of serde types that
//! the writer (`report::json`) fills and every reader parses — the previous
//! report set for revisions (`report::previous`), a corner given by its
//! kpis.json in the roll-up (`rollup::corner`), the mail drafts and their
//! input check (`mail`), and the tests. Fields are added, never renamed or
//! dropped; `schema_version` grows when fields or values are added (a file
//! without it is version 1) and readers accept every earlier version.
//!
//! Texts are `Cow`: the writer lends its figures' strings, a reader borrows
//! from the file's text where it can. Lists that can grow with the data
//! (rejected rows, warnings, rows not held) are [`Seq`]s, which a writer may
//! fill from an iterator, written as a stream without a vector in between.
//!
//! Versions: 1 (no `schema_version`), 2 (`schema_version`, `status: missed`
//! for an at-least KPI past its last due date without its target — version
//! 1 wrote `at_risk` or `behind` with `status_label: 未達` —, `not_held`,
//! `sheet_copies`, `fiscal_year`/`past_year` on listed rows).

use crate::kpi::Status;
use crate::kpi::verdict::Verdict;
mod parts;
mod seq;

pub use parts::*;
pub use seq::Seq;

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The version this build writes.
pub const SCHEMA_VERSION: u32 = 2;

/// The ledger format written under `ledger`.
pub const LEDGER_VERSION: u32 = 1;

pub(crate) type Text<'a> = Cow<'a, str>;

fn version_1() -> u32 {
    1
}

/// The whole file, in the order its keys are written: the contract's own
/// keys first (outputs.md), then the ones added since.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct KpisJson<'a> {
    #[serde(default = "version_1")]
    pub schema_version: u32,
    #[serde(default, borrow)]
    pub plan: Text<'a>,
    pub fiscal_year: i32,
    #[serde(borrow)]
    pub as_of: Text<'a>,
    #[serde(default)]
    pub elapsed_fraction: Num,
    #[serde(borrow)]
    pub kpis: Vec<KpiJson<'a>>,
    #[serde(default, borrow)]
    pub inputs: Vec<InputJson<'a>>,
    #[serde(default, borrow)]
    pub rejected: Seq<'a, RejectedJson<'a>>,
    #[serde(default, borrow)]
    pub warnings: Seq<'a, WarningJson<'a>>,
    #[serde(default, borrow)]
    pub findings: Vec<FindingJson<'a>>,
    /// Each dated KPI's figure for each month up to the as-of date (what
    /// the month added, not cumulative). Absent in files of old runs.
    #[serde(default)]
    pub monthly: Option<BTreeMap<String, BTreeMap<String, Num>>>,
    #[serde(default, borrow)]
    pub revisions: Vec<RevisionJson<'a>>,
    // ---- additions to the contract ----
    #[serde(default, borrow)]
    pub corner: Text<'a>,
    #[serde(default)]
    pub generated_at: Option<String>,
    /// The program and version that wrote the file (`corner-kpi 0.1.0`).
    #[serde(default)]
    pub generator: Option<String>,
    #[serde(default, borrow)]
    pub duplicates: Vec<DuplicateJson<'a>>,
    #[serde(default, borrow)]
    pub total_rows: Vec<PlaceJson<'a>>,
    /// Rows dated after the as-of date (listed in center.xlsx, not counted).
    #[serde(default)]
    pub after_as_of: usize,
    /// The plan's commitments with no count, in plan order, as the plan
    /// file states them (`status`: 未着手 / 実施中 / 実施済 / 該当なし, or null).
    #[serde(default, borrow)]
    pub plan_items: Vec<PlanItemJson<'a>>,
    /// Accepted rows dated before the fiscal year (history only, not counted).
    #[serde(default)]
    pub before_fiscal_year: usize,
    /// The earlier set the revisions compare with (null when there is none).
    #[serde(default, borrow)]
    pub revisions_against: Option<AgainstJson<'a>>,
    /// The rows behind `monthly`: place, month and a fingerprint of each
    /// row's non-personal values, so a later run can explain a revision.
    #[serde(default, borrow)]
    pub ledger: Option<LedgerJson<'a>>,
    /// Rows that did not happen (中止, 延期, 予定, struck through, nobody
    /// came): listed with their reason, never counted. Per sheet, rows read =
    /// accepted + rejected + skipped + not held.
    #[serde(default, borrow)]
    pub not_held: Seq<'a, NotHeldJson<'a>>,
    /// Sheets whose rows all repeat another sheet's, in order (シートの複製):
    /// their rows are counted as skipped duplicates.
    #[serde(default, borrow)]
    pub sheet_copies: Vec<SheetCopyJson<'a>>,
    /// The corner's reasons and next steps beside its KPIs (the 報告メモ sheet,
    /// outputs.md "Notes beside the figures"). The sheet is not read yet:
    /// always empty in this version.
    #[serde(default, borrow)]
    pub notes: Vec<NoteJson<'a>>,
}

impl<'a> KpisJson<'a> {
    /// Reads a kpis.json of any version, borrowing its texts from `text`.
    pub fn parse(text: &'a str) -> Result<KpisJson<'a>, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The text of the file: pretty-printed, ending with a newline.
    pub fn render(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// The text of the file written into `out` as it is made.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }

    /// A KPI by id.
    pub fn kpi(&self, id: &str) -> Option<&KpiJson<'a>> {
        self.kpis.iter().find(|k| k.id == id)
    }
}

/// A figure rounded as the file states it, written as an integer when whole.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Num(pub f64);

impl Num {
    pub fn round(x: f64, decimals: i32) -> Num {
        let p = 10f64.powi(decimals);
        let r = (x * p).round() / p;
        Num(if r == 0.0 { 0.0 } else { r })
    }

    /// `x` rounded, when it is a finite number.
    pub fn opt(x: Option<f64>, decimals: i32) -> Option<Num> {
        x.filter(|v| v.is_finite()).map(|v| Num::round(v, decimals))
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if x.fract() == 0.0 && x.abs() < 9.0e15 { s.serialize_i64(x as i64) } else { s.serialize_f64(x) }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        f64::deserialize(d).map(Num)
    }
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct KpiJson<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    #[serde(default, borrow)]
    pub label: Text<'a>,
    #[serde(default, borrow)]
    pub unit: Text<'a>,
    #[serde(default)]
    pub target: Option<Num>,
    #[serde(default)]
    pub actual: Option<Num>,
    #[serde(default)]
    pub expected_to_date: Option<Num>,
    #[serde(default)]
    pub achievement: Option<Num>,
    #[serde(default)]
    pub forecast: Option<Num>,
    /// `on_track`, `missed` …: [`Status::key`].
    #[serde(borrow)]
    pub status: Text<'a>,
    #[serde(default, borrow)]
    pub section: Text<'a>,
    /// The word the reports show for the status (順調, 未達, 発生（上限0件）…).
    #[serde(default, borrow)]
    pub status_label: Option<Text<'a>>,
    /// 前年同期: the previous fiscal year to the same date; null when the
    /// folder has no record of that year for this KPI's record type.
    #[serde(default)]
    pub previous_year_to_date: Option<Num>,
}

impl KpiJson<'_> {
    /// The status as this version reads it: a file of version 1 says
    /// `at_risk` or `behind` beside the word 未達 for what is now `missed`;
    /// an id this version does not know reads as `no_data`.
    pub fn status(&self) -> Status {
        match (Status::from_key(&self.status), self.status_label.as_deref()) {
            (Some(Status::AtRisk | Status::Behind), Some("未達")) => Status::Missed,
            (Some(s), _) => s,
            (None, _) => Status::NoData,
        }
    }

    /// The verdict the file states: its status and, where it has one, its word.
    pub fn verdict(&self) -> Verdict {
        let mut v = Verdict::of(self.status(), self.target.map(|n| n.0), &self.unit);
        if let Some(word) = self.status_label.as_deref().filter(|w| !w.is_empty()) {
            v.word = word.to_string();
        }
        v
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_and_whole_numbers_are_integers() {
        assert_eq!(serde_json::to_string(&Num::round(270.0, 4)).unwrap(), "270");
        assert_eq!(serde_json::to_string(&Num::round(157.868_852, 1)).unwrap(), "157.9");
        assert_eq!(serde_json::to_string(&Num::round(0.584_699_4, 4)).unwrap(), "0.5847");
        assert_eq!(serde_json::to_string(&Num::round(-0.000_01, 1)).unwrap(), "0");
    }

    #[test]
    fn a_streamed_list_is_written_like_a_vector_and_read_back_as_one() {
        let rows = (0..3).map(|i| PlaceJson { file: "a.xlsx".into(), sheet: "s".into(), cell: format!("A{i}").into() });
        let streamed: Seq<'_, PlaceJson<'_>> = Seq::stream(rows);
        let text = serde_json::to_string(&streamed).unwrap();
        let back: Seq<'_, PlaceJson<'_>> = serde_json::from_str(&text).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back.items()[2].cell, "A2");
        let direct: Seq<'_, PlaceJson<'_>> = Seq::Items(
            back.items()
                .iter()
                .map(|p| PlaceJson { file: p.file.clone(), sheet: p.sheet.clone(), cell: p.cell.clone() })
                .collect(),
        );
        assert_eq!(serde_json::to_string(&direct).unwrap(), text);
    }

    #[test]
    fn a_version_1_unmet_target_reads_as_missed_and_an_unknown_status_as_no_data() {
        let k = |status: &'static str, label: Option<&'static str>| KpiJson {
            status: status.into(),
            status_label: label.map(Into::into),
            ..KpiJson::default()
        };
        assert_eq!(k("at_risk", Some("未達")).status(), Status::Missed);
        assert_eq!(k("behind", Some("未達")).status(), Status::Missed);
        assert_eq!(k("at_risk", Some("やや遅れ")).status(), Status::AtRisk);
        assert_eq!(k("missed", Some("未達")).status(), Status::Missed);
        assert_eq!(k("someday", None).status(), Status::NoData);
        assert_eq!(k("at_risk", None).verdict().word, "やや遅れ");
    }

    #[test]
    fn a_file_without_schema_version_is_version_1() {
        let doc = KpisJson::parse(r#"{"plan": "p", "fiscal_year": 2023, "as_of": "2023-10-31", "kpis": []}"#).unwrap();
        assert_eq!(doc.schema_version, 1);
        assert!(doc.rejected.is_empty());
    }
}
