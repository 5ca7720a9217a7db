//! `kpis.json`: the machine-readable figures, written through the one set of
//! types every reader parses ([`crate::kpis_json`]): the schema of
//! outputs.md (`schema_version`, `plan`, `fiscal_year`, `as_of`,
//! `elapsed_fraction`, `kpis`, `inputs`, `rejected` …) with the keys added
//! since after the contract's own. Numbers stay numbers: whole numbers as
//! integers, `expected_to_date` and `forecast` rounded to one decimal,
//! `achievement` and `elapsed_fraction` to four.

use super::ReportInput;
use crate::format::generator;
use crate::ingest::FileOutcome;
use crate::kpi::monthly::month_key;
use crate::kpis_json::{
    AgainstJson, DuplicateJson, FindingJson, FindingRecordJson, InputJson, KpiJson, KpisJson, LEDGER_VERSION,
    LedgerJson, LedgerSheetJson, NotHeldJson, Num, PlaceJson, PlanItemJson, RejectedJson, RevisionJson, RowChangeJson,
    SCHEMA_VERSION, Seq, SheetCopyJson, SheetJson, SheetRefJson, WarningJson,
};
use crate::normalise::quality::is_past;
use crate::normalise::{RowRef, WarningKind};
use std::borrow::Cow;

/// The status id of a file in kpis.json (`read`, `skipped`, `unreadable`, `duplicate`).
pub fn file_status_key(o: &FileOutcome) -> &'static str {
    match o {
        FileOutcome::Read { .. } => "read",
        FileOutcome::Skipped { .. } => "skipped",
        FileOutcome::Unreadable { .. } => "unreadable",
        FileOutcome::Duplicate { .. } => "duplicate",
    }
}

fn place(r: &RowRef) -> PlaceJson<'_> {
    PlaceJson { file: r.file.as_str().into(), sheet: r.sheet.as_str().into(), cell: r.cell.as_str().into() }
}

fn b(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// The ledger of a run, grouped by sheet (rows in ledger order).
fn ledger_json(rows: &[crate::kpi::monthly::LedgerRow]) -> LedgerJson<'_> {
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

/// The text of kpis.json (pretty-printed, ending with a newline).
pub fn render(input: &ReportInput) -> anyhow::Result<String> {
    Ok(document(input).render()?)
}

/// kpis.json written into `out` as it is made (the same text as [`render`]):
/// its long lists go from the ledger to the file, never through a string.
pub fn write(input: &ReportInput, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    document(input).write(out)?;
    Ok(())
}

/// kpis.json as its types, lending the figures' texts.
pub fn document<'a>(input: &'a ReportInput<'a>) -> KpisJson<'a> {
    let f = input.figures;
    let q = input.quality;
    let year = f.fiscal_year.year();
    KpisJson {
        schema_version: SCHEMA_VERSION,
        plan: b(&input.plan.name),
        fiscal_year: year,
        as_of: f.as_of.to_string().into(),
        elapsed_fraction: Num::round(f.elapsed_fraction, 4),
        kpis: f
            .kpis
            .iter()
            .map(|k| KpiJson {
                id: b(&k.id),
                label: b(&k.label),
                unit: b(&k.unit),
                target: Num::opt(k.target, 4),
                actual: Num::opt(k.actual, 4),
                expected_to_date: Num::opt(k.expected_to_date, 1),
                achievement: Num::opt(k.achievement, 4),
                forecast: Num::opt(k.forecast, 1),
                status: k.verdict.status.key().into(),
                section: b(&k.section),
                status_label: Some(b(&k.verdict.word)),
                previous_year_to_date: Num::opt(k.previous_year_to_date, 4),
            })
            .collect(),
        inputs: q
            .files
            .iter()
            .map(|file| InputJson {
                file: b(&file.file),
                sha256: file.sha256.as_deref().map(b),
                size: file.size,
                status: file_status_key(&file.outcome).into(),
                sheets: q
                    .sheets
                    .iter()
                    .filter(|s| s.file == file.file)
                    .map(|s| SheetJson {
                        name: b(&s.sheet),
                        dataset: s.dataset.map(|d| d.key().into()),
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
                        note: s.note.as_deref().map(b),
                        not_held: s.not_held,
                    })
                    .collect(),
                reason: match &file.outcome {
                    FileOutcome::Skipped { reason } | FileOutcome::Unreadable { reason } => Some(b(reason)),
                    FileOutcome::Read { .. } | FileOutcome::Duplicate { .. } => None,
                },
                duplicate_of: match &file.outcome {
                    FileOutcome::Duplicate { of } => Some(b(of)),
                    _ => None,
                },
            })
            .collect(),
        rejected: Seq::stream(q.rejected.iter().map(move |r| RejectedJson {
            file: b(&r.file),
            sheet: b(&r.sheet),
            cell: b(&r.cell),
            dataset: r.dataset.key().into(),
            reason: b(&r.reason),
            column: b(&r.column),
            fiscal_year: r.fiscal_year,
            past_year: is_past(r.fiscal_year, year),
        })),
        warnings: Seq::stream(q.warnings.iter().map(move |w| {
            let (date, sheet_year) = match &w.kind {
                WarningKind::DateOutsideSheetYear { date, sheet_year } => (Some(date.to_string()), Some(*sheet_year)),
                WarningKind::Field | WarningKind::Check(_) => (None, None),
            };
            WarningJson {
                file: b(&w.file),
                sheet: b(&w.sheet),
                cell: b(&w.cell),
                kind: w.kind.key().into(),
                reason: b(&w.reason),
                dataset: w.dataset.key().into(),
                column: b(&w.column),
                date,
                sheet_year,
                fiscal_year: w.fiscal_year,
                past_year: is_past(w.fiscal_year, year),
            }
        })),
        findings: f
            .findings
            .iter()
            .map(|x| FindingJson {
                rule: x.rule.into(),
                label: b(&x.title),
                count: x.count,
                records: x
                    .items
                    .iter()
                    .map(|i| FindingRecordJson {
                        file: i.file.as_deref().map(b),
                        sheet: i.sheet.as_deref().map(b),
                        cell: i.cell.as_deref().map(b),
                        meister: i.meister_no.as_deref().map(b),
                        date: i.date.map(|d| d.to_string()),
                        detail: b(&i.detail),
                    })
                    .collect(),
                section: x.section.into(),
            })
            .collect(),
        monthly: Some(
            f.by_month
                .kpis
                .iter()
                .map(|(id, k)| {
                    let months =
                        f.by_month.months.iter().zip(&k.values).map(|(m, v)| (month_key(*m), Num::round(*v, 4)));
                    (id.clone(), months.collect())
                })
                .collect(),
        ),
        revisions: f
            .revisions
            .list
            .iter()
            .map(|r| RevisionJson {
                month: month_key(r.month),
                kpi: b(&r.kpi),
                reported: Num::opt(r.reported, 4),
                now: Num::opt(r.now, 4),
                as_of_reported: f.revisions.against.as_ref().map(|a| a.as_of.to_string()).unwrap_or_default(),
                rows: r
                    .rows
                    .iter()
                    .map(|c| RowChangeJson {
                        change: c.change.key().into(),
                        file: b(&c.file),
                        sheet: b(&c.sheet),
                        cell: b(&c.cell),
                    })
                    .collect(),
                label: b(&r.label),
                unit: b(&r.unit),
            })
            .collect(),
        corner: b(&input.plan.corner),
        generated_at: Some(input.generated_at.format("%Y-%m-%dT%H:%M:%S").to_string()),
        generator: Some(generator()),
        duplicates: q
            .duplicates
            .iter()
            .map(|d| DuplicateJson {
                dataset: d.dataset.key().into(),
                key: b(&d.key),
                skipped: place(&d.skipped),
                kept: place(&d.kept),
            })
            .collect(),
        total_rows: q.totals.iter().map(place).collect(),
        after_as_of: f.after_as_of.len(),
        plan_items: input
            .plan
            .items
            .iter()
            .map(|i| PlanItemJson {
                section: b(&i.section),
                text: b(&i.text),
                status: i.status.map(|s| s.label_ja().into()),
                note: i.note.as_deref().map(b),
            })
            .collect(),
        before_fiscal_year: f.before_fiscal_year,
        revisions_against: f.revisions.against.as_ref().map(|a| AgainstJson {
            folder: b(&a.folder),
            as_of: a.as_of.to_string(),
            generated_at: a.generated_at.clone(),
            comparable: f.revisions.comparable,
            generator: a.generator.clone(),
        }),
        ledger: Some(ledger_json(&f.ledger)),
        not_held: Seq::stream(q.not_held.iter().map(move |n| NotHeldJson {
            file: b(&n.file),
            sheet: b(&n.sheet),
            cell: b(&n.cell),
            dataset: n.dataset.key().into(),
            reason: b(&n.reason),
            kind: n.kind.key().into(),
            date: n.date.map(|d| d.to_string()),
            fiscal_year: n.fiscal_year,
            past_year: is_past(n.fiscal_year, year),
        })),
        sheet_copies: q
            .sheet_copies
            .iter()
            .map(|c| SheetCopyJson {
                dataset: c.dataset.key().into(),
                file: b(&c.file),
                sheet: b(&c.sheet),
                copy_of: SheetRefJson { file: b(&c.of_file), sheet: b(&c.of_sheet) },
                rows: c.rows,
            })
            .collect(),
        // The 報告メモ sheet is not read yet (issue 20): the key is there, empty.
        notes: Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::fixture::fixture;
    use super::*;
    use serde_json::Value;

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
