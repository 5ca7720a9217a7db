//! The previous report set of a fiscal year, read back for revisions: the
//! latest set under `<output>/<fiscal year>/` whose as-of date is on or
//! before this run's (the set this run replaces, when it has the same date),
//! as its kpis.json states it (`as_of`, `generated_at`, `monthly`, `ledger`).

use super::json::{LEDGER_VERSION, LedgerJson};
use crate::kpi::monthly::LedgerRow;
use crate::kpi::revisions::PreviousSet;
use crate::schema::DatasetId;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
struct Doc<'a> {
    as_of: String,
    #[serde(default)]
    generated_at: Option<String>,
    #[serde(default)]
    monthly: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    #[serde(default, borrow)]
    ledger: Option<LedgerJson<'a>>,
}

/// The latest set of `fiscal_year` under `output` dated on or before
/// `as_of`. `Ok(None)`: there is none. `Err`: there is one, but its
/// kpis.json cannot be read (the reason, in Japanese).
pub fn latest(output: &Path, fiscal_year: i32, as_of: NaiveDate) -> Result<Option<PreviousSet>, String> {
    let year_dir = output.join(fiscal_year.to_string());
    let Ok(entries) = std::fs::read_dir(&year_dir) else { return Ok(None) };
    let mut best: Option<(NaiveDate, String)> = None;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(date) = NaiveDate::parse_from_str(&name, "%Y-%m-%d") else { continue };
        if date > as_of || !e.path().join("kpis.json").is_file() {
            continue;
        }
        if best.as_ref().is_none_or(|(d, _)| date > *d) {
            best = Some((date, name));
        }
    }
    let Some((_, folder)) = best else { return Ok(None) };
    let path = year_dir.join(&folder).join("kpis.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{} を読めません（{e}）", path.display()))?;
    parse(&folder, &text).map(Some).map_err(|e| format!("{} を読めません（{e}）", path.display()))
}

/// A set's kpis.json → what it reported.
pub fn parse(folder: &str, text: &str) -> Result<PreviousSet, String> {
    let doc: Doc<'_> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let as_of = NaiveDate::parse_from_str(&doc.as_of, "%Y-%m-%d").map_err(|e| format!("as_of: {e}"))?;
    let mut ledger = Vec::new();
    if let Some(l) = doc.ledger.filter(|l| l.version == LEDGER_VERSION) {
        for sheet in l.sheets {
            let Some(dataset) = DatasetId::from_key(&sheet.dataset) else { continue };
            for (cell, month, fp) in sheet.rows {
                let month =
                    month.as_deref().and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok());
                ledger.push(LedgerRow {
                    dataset,
                    file: sheet.file.to_string(),
                    sheet: sheet.sheet.to_string(),
                    cell: cell.into_owned(),
                    month: month.map(|d| (d.year(), d.month())),
                    fingerprint: u64::from_str_radix(&fp, 16).unwrap_or(0),
                });
            }
        }
    }
    Ok(PreviousSet { folder: folder.to_string(), as_of, generated_at: doc.generated_at, monthly: doc.monthly, ledger })
}
