//! The normalise stage as a run uses it: [`normalise`](super::normalise)
//! followed by the checks that every row is accounted for.

use super::Normalised;
use crate::ingest::{FileOutcome, Ingested};
use crate::mapping::Mapping;
use anyhow::{Context, bail};
use std::path::Path;

/// Raw rows → typed frames and the ledger, checked: every sheet's rows
/// reconcile, every accepted row is in exactly one frame, and at least one
/// sheet was recognised (else there is nothing to report: `Err`).
pub fn checked(ingested: Ingested, mapping: &Mapping, input: &Path) -> anyhow::Result<Normalised> {
    let start = std::time::Instant::now();
    let result = checked_untimed(ingested, mapping, input);
    crate::timing::add(crate::timing::Stage::Normalise, start.elapsed());
    result
}

fn checked_untimed(ingested: Ingested, mapping: &Mapping, input: &Path) -> anyhow::Result<Normalised> {
    let normalised = super::normalise(ingested, mapping).context("normalising the records")?;
    let q = &normalised.quality;
    for s in &q.sheets {
        if !s.reconciles() {
            bail!(
                "internal error: rows of {} / {} do not reconcile (read {}, accepted {}, rejected {}, skipped {}); no report was written",
                s.file,
                s.sheet,
                s.rows_read,
                s.accepted,
                s.rejected,
                s.skipped()
            );
        }
    }
    // In total, too: every accepted row is in exactly one frame, every
    // rejected row in the ledger.
    // (A dispatch over several days is one frame row per day.)
    let in_frames: usize = normalised.datasets.values().map(|df| df.height()).sum();
    let rejected: usize = q.sheets.iter().map(|s| s.rejected).sum();
    let not_held: usize = q.sheets.iter().map(|s| s.not_held).sum();
    if in_frames != q.accepted() + q.further_days || rejected != q.rejected.len() || not_held != q.not_held.len() {
        bail!(
            "internal error: {} rows accepted (+{} further days) but {in_frames} in the datasets, {rejected} rejected but {} listed, {not_held} not held but {} listed; no report was written",
            q.accepted(),
            q.further_days,
            q.rejected.len(),
            q.not_held.len()
        );
    }
    if normalised.datasets.is_empty() {
        let books = q.files.iter().filter(|f| !matches!(f.outcome, FileOutcome::Skipped { .. })).count();
        let others = q.files.len() - books;
        bail!(
            "{} に集計できるシートがありません（ブック {books} 件、ほかのファイル {others} 件）。ブック（.xlsx/.xlsm/.xls/.xlsb/.ods）を置き、見出し行に必須の列名があるか確かめてください",
            input.display()
        );
    }
    Ok(normalised)
}
