//! Where a run's time goes: process-wide totals per stage (list and open
//! the workbooks, parse their cells, normalise, KPIs, each report file, the
//! PII guard), added to by the stages themselves as they run. The benchmark
//! (`cargo bench --bench national`) resets and reads them around the very
//! `rollup`/`run` a user calls, so it measures the product's own path.
//!
//! Counting costs two clock reads per workbook, sheet, corner or file;
//! nothing is printed or kept beyond the totals. Stages that run on several
//! threads at once add up their threads' time (a sum of busy time, which can
//! exceed the wall time).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Listing the folder, reading each file's bytes, hashing, the zip
    /// checks and opening the workbook (shared strings, styles).
    ListOpen,
    /// Every cell of every sheet decoded, the header found, the data rows copied.
    ParseCells,
    /// Raw rows → typed frames and the data-quality ledger (with its checks).
    Normalise,
    /// Plan × frames → figures.
    Kpis,
    MinistryXlsx,
    MinistryHtml,
    CenterXlsx,
    CenterHtml,
    DataQualityXlsx,
    KpisJson,
    NationalXlsx,
    NationalHtml,
    NationalJson,
    /// The personal-information guard over a corner's report files.
    PiiGuard,
    /// Writing the files and moving the set into place.
    Publish,
}

impl Stage {
    pub const ALL: [Stage; 15] = [
        Stage::ListOpen,
        Stage::ParseCells,
        Stage::Normalise,
        Stage::Kpis,
        Stage::MinistryXlsx,
        Stage::MinistryHtml,
        Stage::CenterXlsx,
        Stage::CenterHtml,
        Stage::DataQualityXlsx,
        Stage::KpisJson,
        Stage::NationalXlsx,
        Stage::NationalHtml,
        Stage::NationalJson,
        Stage::PiiGuard,
        Stage::Publish,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::ListOpen => "list+open",
            Stage::ParseCells => "parse cells",
            Stage::Normalise => "normalise",
            Stage::Kpis => "KPIs",
            Stage::MinistryXlsx => "ministry.xlsx",
            Stage::MinistryHtml => "ministry.html",
            Stage::CenterXlsx => "center.xlsx",
            Stage::CenterHtml => "center.html",
            Stage::DataQualityXlsx => "data-quality.xlsx",
            Stage::KpisJson => "kpis.json",
            Stage::NationalXlsx => "national.xlsx",
            Stage::NationalHtml => "national.html",
            Stage::NationalJson => "national.json",
            Stage::PiiGuard => "PII guard",
            Stage::Publish => "publish",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

static NANOS: [AtomicU64; Stage::ALL.len()] = [const { AtomicU64::new(0) }; Stage::ALL.len()];

/// Runs `f`, adding its wall time to `stage`.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    add(stage, start.elapsed());
    out
}

/// Adds `d` to `stage`.
pub fn add(stage: Stage, d: Duration) {
    let n = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    NANOS[stage.index()].fetch_add(n, Ordering::Relaxed);
}

/// Sets every total back to zero.
pub fn reset() {
    for n in &NANOS {
        n.store(0, Ordering::Relaxed);
    }
}

/// Every stage's total since the last [`reset`], in [`Stage::ALL`] order.
pub fn totals() -> Vec<(Stage, Duration)> {
    Stage::ALL.iter().map(|s| (*s, Duration::from_nanos(NANOS[s.index()].load(Ordering::Relaxed)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_listed_in_their_own_order() {
        for (i, s) in Stage::ALL.iter().enumerate() {
            assert_eq!(s.index(), i, "{}", s.name());
        }
    }
}
