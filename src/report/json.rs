//! `kpis.json`: the machine-readable figures, in exactly the schema of
//! outputs.md (`plan`, `fiscal_year`, `as_of`, `elapsed_fraction`, `kpis`,
//! `inputs`, `rejected`), with a few added keys after the contract's own
//! (`corner`, `generated_at`, `generator`, `duplicates`, `total_rows`,
//! `after_as_of`, `plan_items`). Keys come out in struct order, numbers stay numbers:
//! whole numbers as integers, `expected_to_date` and `forecast` rounded to one
//! decimal, `achievement` and `elapsed_fraction` to four.

use super::ReportInput;
use super::generator;
use crate::ingest::FileOutcome;
use crate::kpi::monthly::month_key;
use crate::normalise::quality::is_past;
use crate::normalise::{RowRef, WarningKind};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// A rounded figure that serialises as an integer when it is whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(f64);

impl Num {
    pub fn round(x: f64, decimals: i32) -> Num {
        let p = 10f64.powi(decimals);
        let r = (x * p).round() / p;
        Num(if r == 0.0 { 0.0 } else { r })
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if x.fract() == 0.0 && x.abs() < 9.0e15 { s.serialize_i64(x as i64) } else { s.serialize_f64(x) }
    }
}

fn opt(x: Option<f64>, decimals: i32) -> Option<Num> {
    x.filter(|v| v.is_finite()).map(|v| Num::round(v, decimals))
}

#[derive(Serialize)]
struct KpisJson<'a> {
    plan: &'a str,
    fiscal_year: i32,
    as_of: String,
    elapsed_fraction: Num,
    kpis: Vec<KpiJson<'a>>,
    inputs: Vec<InputJson<'a>>,
    rejected: Vec<RejectedJson<'a>>,
    warnings: Vec<WarningJson<'a>>,
    findings: Vec<FindingJson<'a>>,
    /// Each dated KPI's figure for each month up to the as-of date (what
    /// the month added, not cumulative).
    monthly: BTreeMap<&'a str, BTreeMap<String, Num>>,
    revisions: Vec<RevisionJson<'a>>,
    // ---- additions to the contract ----
    corner: &'a str,
    generated_at: String,
    generator: String,
    duplicates: Vec<DuplicateJson<'a>>,
    total_rows: Vec<&'a RowRef>,
    /// Rows dated after the as-of date (listed in center.xlsx, not counted).
    after_as_of: usize,
    /// The plan's commitments with no count, in plan order, as the plan
    /// file states them (`status`: 未着手 / 実施中 / 実施済 / 該当なし, or null).
    plan_items: Vec<PlanItemJson<'a>>,
    /// Accepted rows dated before the fiscal year (history only, not counted).
    before_fiscal_year: usize,
    /// The earlier set the revisions compare with (null when there is none).
    revisions_against: Option<AgainstJson<'a>>,
    /// The rows behind `monthly`: place, month and a fingerprint of each
    /// row's non-personal values, so a later run can explain a revision.
    ledger: LedgerJson<'a>,
    /// Rows that did not happen (中止, 延期, 予定, struck through, nobody
    /// came): listed with their reason, never counted. Per sheet, rows read =
    /// accepted + rejected + skipped + not held.
    not_held: Vec<NotHeldJson<'a>>,
    /// Sheets whose rows all repeat another sheet's, in order (シートの複製):
    /// their rows are counted as skipped duplicates.
    sheet_copies: Vec<SheetCopyJson<'a>>,
}

#[derive(Serialize)]
struct NotHeldJson<'a> {
    file: &'a str,
    sheet: &'a str,
    cell: &'a str,
    dataset: &'static str,
    reason: &'a str,
    /// `cancelled`, `postponed`, `planned`, `remarks`, `date_word`,
    /// `struck_through`, `zero_attendance`.
    kind: &'static str,
    date: Option<String>,
    fiscal_year: Option<i32>,
    /// Of an earlier fiscal year than the plan's (過年度: history kept in the folder).
    past_year: bool,
}

#[derive(Serialize)]
struct SheetCopyJson<'a> {
    dataset: &'static str,
    file: &'a str,
    sheet: &'a str,
    copy_of: RowRefJson<'a>,
    rows: usize,
}

#[derive(Serialize)]
struct RowRefJson<'a> {
    file: &'a str,
    sheet: &'a str,
}

#[derive(Serialize)]
struct WarningJson<'a> {
    file: &'a str,
    sheet: &'a str,
    cell: &'a str,
    kind: &'static str,
    reason: &'a str,
    dataset: &'static str,
    column: &'a str,
    /// For `date_outside_sheet_year`: the row's date and the sheet's fiscal year.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet_year: Option<i32>,
    /// The fiscal year of the row (its date, else its sheet's year).
    fiscal_year: Option<i32>,
    /// Of an earlier fiscal year than the plan's (過年度): listed apart,
    /// no exit status.
    past_year: bool,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'static str,
    label: &'a str,
    count: usize,
    records: Vec<FindingRecordJson<'a>>,
    section: &'static str,
}

#[derive(Serialize)]
struct FindingRecordJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meister: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    detail: &'a str,
}

#[derive(Serialize)]
struct RevisionJson<'a> {
    month: String,
    kpi: &'a str,
    reported: Option<Num>,
    now: Option<Num>,
    as_of_reported: String,
    rows: &'a [crate::kpi::revisions::RowChange],
    label: &'a str,
    unit: &'a str,
}

#[derive(Serialize)]
struct AgainstJson<'a> {
    folder: &'a str,
    as_of: String,
    generated_at: Option<&'a str>,
    /// false when that set holds no monthly figures (made by an older version).
    comparable: bool,
    /// The program and version that made that set (`corner-kpi 0.1.0`), as its kpis.json says.
    generator: Option<&'a str>,
}

/// The ledger: one entry per sheet, its rows as `[cell, month or null, fingerprint]`.
#[derive(Serialize, serde::Deserialize)]
pub struct LedgerJson<'a> {
    pub version: u32,
    #[serde(borrow)]
    pub sheets: Vec<LedgerSheetJson<'a>>,
}

#[derive(Serialize, serde::Deserialize)]
pub struct LedgerSheetJson<'a> {
    #[serde(borrow)]
    pub dataset: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub file: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub sheet: std::borrow::Cow<'a, str>,
    pub rows: Vec<(std::borrow::Cow<'a, str>, Option<String>, String)>,
}

/// The ledger of a run, grouped by sheet (rows in ledger order).
fn ledger_json(rows: &[crate::kpi::monthly::LedgerRow]) -> LedgerJson<'_> {
    use crate::kpi::monthly::month_key;
    let mut sheets: Vec<LedgerSheetJson<'_>> = Vec::new();
    for r in rows {
        let same =
            sheets.last().is_some_and(|s| s.dataset == r.dataset.key() && s.file == r.file && s.sheet == r.sheet);
        if !same {
            sheets.push(LedgerSheetJson {
                dataset: r.dataset.key().into(),
                file: r.file.as_str().into(),
                sheet: r.sheet.as_str().into(),
                rows: Vec::new(),
            });
        }
        if let Some(s) = sheets.last_mut() {
            s.rows.push((r.cell.as_str().into(), r.month.map(month_key), format!("{:016x}", r.fingerprint)));
        }
    }
    LedgerJson { version: LEDGER_VERSION, sheets }
}

/// The ledger format written to kpis.json.
pub const LEDGER_VERSION: u32 = 1;

#[derive(Serialize)]
struct PlanItemJson<'a> {
    section: &'a str,
    text: &'a str,
    status: Option<&'static str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct KpiJson<'a> {
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    target: Option<Num>,
    actual: Option<Num>,
    expected_to_date: Option<Num>,
    achievement: Option<Num>,
    forecast: Option<Num>,
    status: &'static str,
    section: &'a str,
    /// The word the reports show for the status (順調, 未達, 発生（上限0件）…).
    status_label: Option<String>,
    /// 前年同期: the previous fiscal year to the same date; null when the
    /// folder has no record of that year for this KPI's record type.
    previous_year_to_date: Option<Num>,
}

#[derive(Serialize)]
struct InputJson<'a> {
    file: &'a str,
    sha256: Option<&'a str>,
    size: u64,
    status: &'static str,
    sheets: Vec<SheetJson<'a>>,
    /// Why a file was skipped or unreadable.
    reason: Option<&'a str>,
    /// The earlier file a byte-identical duplicate repeats.
    duplicate_of: Option<&'a str>,
}

#[derive(Serialize)]
struct SheetJson<'a> {
    name: &'a str,
    dataset: Option<&'static str>,
    rows_read: usize,
    accepted: usize,
    rejected: usize,
    skipped: usize,
    hidden: bool,
    header_row: Option<u32>,
    skipped_blank: usize,
    skipped_total: usize,
    skipped_duplicate: usize,
    reconciles: bool,
    note: Option<&'a str>,
    /// Rows that did not happen (see `not_held`).
    not_held: usize,
}

#[derive(Serialize)]
struct RejectedJson<'a> {
    file: &'a str,
    sheet: &'a str,
    cell: &'a str,
    dataset: &'static str,
    reason: &'a str,
    column: &'a str,
    /// The fiscal year of the row (its date, else its sheet's year).
    fiscal_year: Option<i32>,
    /// Of an earlier fiscal year than the plan's (過年度): listed apart,
    /// no exit status.
    past_year: bool,
}

#[derive(Serialize)]
struct DuplicateJson<'a> {
    dataset: &'static str,
    key: &'a str,
    skipped: &'a RowRef,
    kept: &'a RowRef,
}

/// The status id of a file in kpis.json (`read`, `skipped`, `unreadable`, `duplicate`).
pub fn file_status_key(o: &FileOutcome) -> &'static str {
    match o {
        FileOutcome::Read { .. } => "read",
        FileOutcome::Skipped { .. } => "skipped",
        FileOutcome::Unreadable { .. } => "unreadable",
        FileOutcome::Duplicate { .. } => "duplicate",
    }
}

/// The text of kpis.json (pretty-printed, ending with a newline).
pub fn render(input: &ReportInput) -> anyhow::Result<String> {
    let f = input.figures;
    let q = input.quality;
    let year = f.fiscal_year.year();
    let doc = KpisJson {
        plan: &input.plan.name,
        fiscal_year: f.fiscal_year.year(),
        as_of: f.as_of.to_string(),
        elapsed_fraction: Num::round(f.elapsed_fraction, 4),
        kpis: f
            .kpis
            .iter()
            .map(|k| KpiJson {
                id: &k.id,
                label: &k.label,
                unit: &k.unit,
                target: opt(k.target, 4),
                actual: opt(k.actual, 4),
                expected_to_date: opt(k.expected_to_date, 1),
                achievement: opt(k.achievement, 4),
                forecast: opt(k.forecast, 1),
                status: k.status.key(),
                section: &k.section,
                status_label: input.plan.kpi(&k.id).map(|p| super::status::status(k, p, f.fiscal_year, f.as_of).word),
                previous_year_to_date: opt(k.previous_year_to_date, 4),
            })
            .collect(),
        inputs: q
            .files
            .iter()
            .map(|file| InputJson {
                file: &file.file,
                sha256: file.sha256.as_deref(),
                size: file.size,
                status: file_status_key(&file.outcome),
                sheets: q
                    .sheets
                    .iter()
                    .filter(|s| s.file == file.file)
                    .map(|s| SheetJson {
                        name: &s.sheet,
                        dataset: s.dataset.map(|d| d.key()),
                        rows_read: s.rows_read,
                        accepted: s.accepted,
                        rejected: s.rejected,
                        skipped: s.skipped(),
                        hidden: s.hidden,
                        header_row: s.header_row,
                        skipped_blank: s.skipped_blank,
                        skipped_total: s.skipped_total,
                        skipped_duplicate: s.skipped_duplicate,
                        reconciles: s.reconciles(),
                        note: s.note.as_deref(),
                        not_held: s.not_held,
                    })
                    .collect(),
                reason: match &file.outcome {
                    FileOutcome::Skipped { reason } | FileOutcome::Unreadable { reason } => Some(reason),
                    FileOutcome::Read { .. } | FileOutcome::Duplicate { .. } => None,
                },
                duplicate_of: match &file.outcome {
                    FileOutcome::Duplicate { of } => Some(of),
                    FileOutcome::Read { .. } | FileOutcome::Skipped { .. } | FileOutcome::Unreadable { .. } => None,
                },
            })
            .collect(),
        rejected: q
            .rejected
            .iter()
            .map(|r| RejectedJson {
                file: &r.file,
                sheet: &r.sheet,
                cell: &r.cell,
                dataset: r.dataset.key(),
                reason: &r.reason,
                column: &r.column,
                fiscal_year: r.fiscal_year,
                past_year: is_past(r.fiscal_year, year),
            })
            .collect(),
        warnings: q
            .warnings
            .iter()
            .map(|w| {
                let (date, sheet_year) = match &w.kind {
                    WarningKind::DateOutsideSheetYear { date, sheet_year } => {
                        (Some(date.to_string()), Some(*sheet_year))
                    }
                    WarningKind::Field | WarningKind::Check(_) => (None, None),
                };
                WarningJson {
                    file: &w.file,
                    sheet: &w.sheet,
                    cell: &w.cell,
                    kind: w.kind.key(),
                    reason: &w.reason,
                    dataset: w.dataset.key(),
                    column: &w.column,
                    date,
                    sheet_year,
                    fiscal_year: w.fiscal_year,
                    past_year: is_past(w.fiscal_year, year),
                }
            })
            .collect(),
        findings: f
            .findings
            .iter()
            .map(|x| FindingJson {
                rule: x.rule,
                label: &x.title,
                count: x.count,
                records: x
                    .items
                    .iter()
                    .map(|i| FindingRecordJson {
                        file: i.file.as_deref(),
                        sheet: i.sheet.as_deref(),
                        cell: i.cell.as_deref(),
                        meister: i.meister_no.as_deref(),
                        date: i.date.map(|d| d.to_string()),
                        detail: &i.detail,
                    })
                    .collect(),
                section: x.section,
            })
            .collect(),
        monthly: f
            .by_month
            .kpis
            .iter()
            .map(|(id, k)| {
                let months = f.by_month.months.iter().zip(&k.values).map(|(m, v)| (month_key(*m), Num::round(*v, 4)));
                (id.as_str(), months.collect())
            })
            .collect(),
        revisions: f
            .revisions
            .list
            .iter()
            .map(|r| RevisionJson {
                month: month_key(r.month),
                kpi: &r.kpi,
                reported: opt(r.reported, 4),
                now: opt(r.now, 4),
                as_of_reported: f.revisions.against.as_ref().map(|a| a.as_of.to_string()).unwrap_or_default(),
                rows: &r.rows,
                label: &r.label,
                unit: &r.unit,
            })
            .collect(),
        corner: &input.plan.corner,
        generated_at: input.generated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        generator: generator(),
        duplicates: q
            .duplicates
            .iter()
            .map(|d| DuplicateJson { dataset: d.dataset.key(), key: &d.key, skipped: &d.skipped, kept: &d.kept })
            .collect(),
        total_rows: q.totals.iter().collect(),
        after_as_of: f.after_as_of.len(),
        plan_items: input
            .plan
            .items
            .iter()
            .map(|i| PlanItemJson {
                section: &i.section,
                text: &i.text,
                status: i.status.map(|s| s.label_ja()),
                note: i.note.as_deref(),
            })
            .collect(),
        before_fiscal_year: f.before_fiscal_year,
        revisions_against: f.revisions.against.as_ref().map(|a| AgainstJson {
            folder: &a.folder,
            as_of: a.as_of.to_string(),
            generated_at: a.generated_at.as_deref(),
            comparable: f.revisions.comparable,
            generator: a.generator.as_deref(),
        }),
        ledger: ledger_json(&f.ledger),
        not_held: q
            .not_held
            .iter()
            .map(|n| NotHeldJson {
                file: &n.file,
                sheet: &n.sheet,
                cell: &n.cell,
                dataset: n.dataset.key(),
                reason: &n.reason,
                kind: n.kind.key(),
                date: n.date.map(|d| d.to_string()),
                fiscal_year: n.fiscal_year,
                past_year: is_past(n.fiscal_year, year),
            })
            .collect(),
        sheet_copies: q
            .sheet_copies
            .iter()
            .map(|c| SheetCopyJson {
                dataset: c.dataset.key(),
                file: &c.file,
                sheet: &c.sheet,
                copy_of: RowRefJson { file: &c.of_file, sheet: &c.of_sheet },
                rows: c.rows,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tests::fixture;
    use super::*;
    use serde_json::Value;

    #[test]
    fn numbers_round_and_whole_numbers_are_integers() {
        assert_eq!(serde_json::to_string(&Num::round(270.0, 4)).unwrap(), "270");
        assert_eq!(serde_json::to_string(&Num::round(157.868_852, 1)).unwrap(), "157.9");
        assert_eq!(serde_json::to_string(&Num::round(0.584_699_4, 4)).unwrap(), "0.5847");
        assert_eq!(serde_json::to_string(&Num::round(-0.000_01, 1)).unwrap(), "0");
    }

    #[test]
    fn kpis_json_has_the_contract_keys_in_order_and_numbers() {
        let fx = fixture();
        let text = render(&fx.input()).unwrap();
        let top_keys = [
            "\"plan\"",
            "\"fiscal_year\"",
            "\"as_of\"",
            "\"elapsed_fraction\"",
            "\"kpis\"",
            "\"inputs\"",
            "\"rejected\"",
        ];
        let positions: Vec<usize> = top_keys.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "contract key order");

        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["fiscal_year"], 2023);
        assert_eq!(v["as_of"], "2023-10-31");
        assert_eq!(v["elapsed_fraction"].as_f64(), Some(0.5847));
        let kpis = v["kpis"].as_array().unwrap();
        assert_eq!(kpis.len(), fx.figures.kpis.len());
        let d = kpis.iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
        for key in ["id", "label", "unit", "target", "actual", "expected_to_date", "achievement", "forecast", "status"]
        {
            assert!(d.get(key).is_some(), "kpi key {key}");
        }
        assert_eq!(d["target"], 270);
        assert_eq!(d["actual"], 151);
        assert_eq!(d["expected_to_date"].as_f64(), Some(157.9));
        assert_eq!(d["achievement"].as_f64(), Some(0.5593));
        assert_eq!(d["forecast"].as_f64(), Some(258.3));
        assert_eq!(d["status"], "at_risk");
        let info = kpis.iter().find(|k| k["id"] == "meister.inactive_3y").unwrap();
        assert!(info["target"].is_null());
        assert_eq!(info["status"], "info");

        let input = &v["inputs"][0];
        for key in ["file", "sha256", "size", "status", "sheets"] {
            assert!(input.get(key).is_some(), "input key {key}");
        }
        let sheet = &input["sheets"][0];
        for key in ["name", "dataset", "rows_read", "accepted", "rejected", "skipped"] {
            assert!(sheet.get(key).is_some(), "sheet key {key}");
            if key != "name" && key != "dataset" {
                assert!(sheet[key].is_u64(), "{key} is a number");
            }
        }
        let rej = &v["rejected"][0];
        for key in ["file", "sheet", "cell", "dataset", "reason"] {
            assert!(rej.get(key).is_some(), "rejected key {key}");
        }
        assert_eq!(rej["cell"], "D14");
    }

    #[test]
    fn kpis_json_is_deterministic() {
        let fx = fixture();
        assert_eq!(render(&fx.input()).unwrap(), render(&fx.input()).unwrap());
    }

    #[test]
    fn plan_items_are_listed_after_the_contract_keys() {
        let fx = fixture();
        let text = render(&fx.input()).unwrap();
        assert!(text.find("\"rejected\"").unwrap() < text.find("\"plan_items\"").unwrap());
        let v: Value = serde_json::from_str(&text).unwrap();
        let items = v["plan_items"].as_array().unwrap();
        assert_eq!(items.len(), fx.plan.items.len());
        for (j, i) in items.iter().zip(&fx.plan.items) {
            assert_eq!(j["section"], i.section.as_str());
            assert_eq!(j["text"], i.text.as_str());
            assert_eq!(j["status"].as_str(), i.status.map(|s| s.label_ja()));
            assert_eq!(j["note"].as_str(), i.note.as_deref());
            assert_eq!(j.as_object().unwrap().len(), 4);
        }
        assert!(items.iter().any(|j| j["status"].is_null()), "an item without status is null");
    }
}
