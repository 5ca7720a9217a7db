//! The national roll-up (`corner-kpi rollup`): the center's view of every
//! corner side by side, each against its own plan.
//!
//! The roll-up folder holds one sub-folder per corner: its workbooks and its
//! own `plan.toml` (and optionally `mapping.toml`), or only the `kpis.json`
//! of its own monthly run. Each corner is counted exactly as its own `run`
//! would count it ([`corner::count`]); corners are counted in parallel, one
//! per core, and each corner's frames are dropped once its figures are taken,
//! so memory stays bounded by a corner, not by the nation. Then the national
//! figures ([`National`]): totals of the corners that have each KPI, against
//! the sum of their targets. This module computes that model and writes
//! nothing: the report stage renders it (`report::write_national_set`), and
//! the command (`app::rollup`) drives both.

pub mod corner;
pub mod detect;

pub use corner::{Corner, CornerKpi, State};

use crate::fiscal::FiscalYear;
use anyhow::Context;
use chrono::NaiveDate;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One KPI nationally: the corners that have it (state ok, in their plan).
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// The sum of the targets of the corners counted: corners (state ok)
    /// with a figure for the KPI and, when any corner's plan gives it a
    /// target, a target too (a KPI reported but planned nowhere sums the
    /// actuals of every corner with a figure).
    pub target: Option<f64>,
    /// The sum of the same corners' actuals.
    pub actual: Option<f64>,
    pub expected_to_date: Option<f64>,
    /// `actual / target`.
    pub achievement: Option<f64>,
    /// The corners counted in the sums above.
    pub corners_with_kpi: usize,
    /// Counted corners whose plan gives the KPI a target, with a figure or
    /// not (more than `corners_with_kpi` when some have no sheet for it).
    pub corners_with_target: usize,
}

/// The national figures at one as-of date.
#[derive(Debug, Clone)]
pub struct National {
    pub fiscal_year: FiscalYear,
    pub as_of: NaiveDate,
    pub corners: Vec<Corner>,
    /// Every KPI any corner has, in the order of the embedded plan, then others.
    pub totals: Vec<Total>,
    pub generated_at: chrono::NaiveDateTime,
}

/// Counts every corner of `root` as of `as_of` (in parallel, `threads` at once).
pub fn count_all(
    root: &Path,
    as_of: NaiveDate,
    bar: &indicatif::ProgressBar,
    threads: usize,
) -> anyhow::Result<Vec<Corner>> {
    let folders = corner::list(root).with_context(|| format!("cannot read the roll-up folder {}", root.display()))?;
    let fy = FiscalYear::of(as_of).year();
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Corner)>> = Mutex::new(Vec::with_capacity(folders.len()));
    // A second folder with a prefecture code already taken (`35_山口` and
    // `35_山口 - コピー`) would count that corner twice: it is not counted.
    let twin_of: Vec<Option<&str>> = folders
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let code = f.code?;
            folders[..i].iter().find(|g| g.code == Some(code)).map(|g| g.folder.as_str())
        })
        .collect();
    let workers = threads.clamp(1, folders.len().max(1));
    // The workers are polars' own pool threads: a corner's queries then run
    // inline on the thread counting it, rather than being handed to pool
    // threads that then spin idle beside the counting threads (about 6 % of
    // the cycles of a 47 × 10 roll-up on two cores).
    polars_core::runtime::THREAD_POOL.scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = folders.get(i) else { break };
                    bar.set_message(f.folder.clone());
                    if let Some(first) = twin_of[i] {
                        let reason = format!(
                            "都道府県コードが {first} と同じフォルダーです。同じコーナーを二重に数えないよう集計しませんでした。\
                             どちらかを消すか、フォルダー名を直してください"
                        );
                        if let Ok(mut d) = done.lock() {
                            d.push((i, Corner::without_figures(f, State::Failed, reason, "workbooks")));
                        }
                        continue;
                    }
                    // One workbook at a time inside a corner: the corners are the parallel unit.
                    let c =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| corner::count(f, as_of, fy, bar, 1)))
                            .unwrap_or_else(|_| Corner {
                                folder: f.folder.clone(),
                                code: f.code,
                                name: f.folder.clone(),
                                state: State::Failed,
                                reason: Some("集計中に内部エラーが起きました".into()),
                                source: "workbooks",
                                kpis: Vec::new(),
                                quality: corner::Quality::default(),
                            });
                    if let Ok(mut d) = done.lock() {
                        d.push((i, c));
                    }
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_default();
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, c)| c).collect())
}

/// The national figures of counted corners.
pub fn national(corners: Vec<Corner>, as_of: NaiveDate, generated_at: chrono::NaiveDateTime) -> National {
    let plan = crate::plan::Plan::embedded();
    let mut ids: Vec<(String, String, String)> =
        plan.kpis.iter().map(|k| (k.id.clone(), k.label.clone(), k.unit.clone())).collect();
    for c in &corners {
        for k in &c.kpis {
            if !ids.iter().any(|(id, _, _)| *id == k.id) {
                ids.push((k.id.clone(), k.label.clone(), k.unit.clone()));
            }
        }
    }
    let totals = ids
        .into_iter()
        .filter_map(|(id, label, unit)| {
            let have: Vec<&CornerKpi> =
                corners.iter().filter(|c| c.state == State::Ok).filter_map(|c| c.kpi(&id)).collect();
            if have.is_empty() && !corners.iter().any(|c| c.kpi(&id).is_some()) {
                return None;
            }
            let with_target: Vec<&&CornerKpi> = have.iter().filter(|k| k.target.is_some()).collect();
            // The corners counted: those with a figure, and a target when
            // any corner gives the KPI one (else it is reported, not planned,
            // everywhere and only actuals are summed), so that actual and
            // target always cover the same corners. A corner without a figure
            // (no sheet of its record type) adds neither a zero nor its
            // target; a corner whose plan lacks the KPI adds nothing.
            let counted: Vec<&&CornerKpi> =
                if with_target.is_empty() { have.iter().collect() } else { with_target.clone() }
                    .into_iter()
                    .filter(|k| k.actual.is_some())
                    .collect();
            let sum = |f: fn(&CornerKpi) -> Option<f64>| -> Option<f64> {
                let v: Vec<f64> = counted.iter().filter_map(|k| f(k)).collect();
                (!v.is_empty()).then(|| v.iter().sum())
            };
            let target = sum(|k| k.target);
            let actual = sum(|k| k.actual);
            Some(Total {
                label: have.first().map_or(label, |k| k.label.clone()),
                unit: have.first().map_or(unit, |k| k.unit.clone()),
                achievement: match (actual, target) {
                    (Some(a), Some(t)) if t > 0.0 => Some(a / t),
                    _ => None,
                },
                id,
                target,
                actual,
                expected_to_date: sum(|k| k.expected_to_date),
                corners_with_kpi: counted.len(),
                corners_with_target: with_target.len(),
            })
        })
        .collect();
    National { fiscal_year: FiscalYear::of(as_of), as_of, corners, totals, generated_at }
}
