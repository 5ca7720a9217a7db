//! The previous report set of a fiscal year, read back for revisions: the
//! last monthly report, i.e. the set under `<output>/<fiscal year>/` whose
//! as-of date is the latest month end strictly before this run's (a re-run
//! of the same month is never its own baseline, a mid-month set such as
//! 10-15 never a baseline), as its kpis.json states it (`as_of`,
//! `generated_at`, `generator`, `monthly`, `ledger`).

use crate::kpi::monthly::LedgerRow;
use crate::kpi::revisions::PreviousSet;
use crate::kpis_json::{KpisJson, LEDGER_VERSION};
use crate::schema::DatasetId;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// The baseline of a run of `fiscal_year` as of `as_of`: the set under
/// `output` whose as-of date is the latest month end strictly before
/// `as_of` and which has a kpis.json. `Ok(None)`: there is none. `Err`:
/// there is one, but its kpis.json cannot be read (the reason, in Japanese).
pub fn latest(output: &Path, fiscal_year: i32, as_of: NaiveDate) -> Result<Option<PreviousSet>, String> {
    let year_dir = output.join(fiscal_year.to_string());
    let Ok(entries) = std::fs::read_dir(&year_dir) else { return Ok(None) };
    let mut best: Option<(NaiveDate, String)> = None;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(date) = NaiveDate::parse_from_str(&name, "%Y-%m-%d") else { continue };
        if date >= as_of || !is_month_end(date) || !e.path().join("kpis.json").is_file() {
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

/// The last day of its month (a monthly report's as-of date).
fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|next| next.day() == 1)
}

/// A set's kpis.json → what it reported.
pub fn parse(folder: &str, text: &str) -> Result<PreviousSet, String> {
    let doc = KpisJson::parse(text).map_err(|e| e.to_string())?;
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
    Ok(PreviousSet {
        folder: folder.to_string(),
        as_of,
        generated_at: doc.generated_at,
        generator: doc.generator,
        monthly: doc.monthly.map(|m| {
            m.into_iter().map(|(k, months)| (k, months.into_iter().map(|(m, v)| (m, v.0)).collect())).collect()
        }),
        ledger,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// An output folder holding sets of FY2023 at these dates.
    fn output(dates: &[&str]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for d in dates {
            let dir = tmp.path().join("2023").join(d);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("kpis.json"),
                format!("{{\"as_of\": \"{d}\", \"fiscal_year\": 2023, \"kpis\": []}}"),
            )
            .unwrap();
        }
        tmp
    }

    fn baseline(out: &tempfile::TempDir, as_of: &str) -> Option<String> {
        latest(out.path(), 2023, date(as_of)).unwrap().map(|p| p.folder)
    }

    #[test]
    fn the_baseline_is_the_latest_month_end_strictly_before_the_as_of_date() {
        let out = output(&["2023-04-30", "2023-05-15", "2023-05-31", "2024-02-29"]);
        assert_eq!(baseline(&out, "2023-04-30"), None, "a set is never its own baseline");
        assert_eq!(baseline(&out, "2023-05-31").as_deref(), Some("2023-04-30"), "a re-run of May: April");
        assert_eq!(baseline(&out, "2023-05-20").as_deref(), Some("2023-04-30"), "10-15-style sets are skipped");
        assert_eq!(baseline(&out, "2023-06-30").as_deref(), Some("2023-05-31"));
        assert_eq!(baseline(&out, "2023-09-30").as_deref(), Some("2023-05-31"), "a missing month: the last there is");
        assert_eq!(baseline(&out, "2024-03-31").as_deref(), Some("2024-02-29"), "a leap February's end");
        let empty = output(&[]);
        assert_eq!(baseline(&empty, "2023-10-31"), None);
    }

    #[test]
    fn the_version_that_made_a_set_is_read_back() {
        let set = parse(
            "2023-04-30",
            r#"{"as_of": "2023-04-30", "fiscal_year": 2023, "kpis": [], "generator": "corner-kpi 0.0.9"}"#,
        )
        .unwrap();
        assert_eq!(set.generator.as_deref(), Some("corner-kpi 0.0.9"));
        assert_eq!(
            parse("2023-04-30", r#"{"as_of": "2023-04-30", "fiscal_year": 2023, "kpis": []}"#).unwrap().generator,
            None
        );
    }
}
