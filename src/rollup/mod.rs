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
//! the sum of their targets; the report set `national.xlsx`, `national.html`
//! and `national.json` is written atomically under
//! `<output>/<fiscal year>/<YYYY-MM-DD>/`, beside any corner report set there.

pub mod corner;
pub mod detect;

pub use corner::{Corner, CornerKpi, State};

pub use crate::config::RollupConfig;
use crate::config::{AsOf, last_complete_month_end};
use crate::fiscal::FiscalYear;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
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

/// What a roll-up did.
#[derive(Debug, Clone)]
pub struct RollupSummary {
    pub as_of: NaiveDate,
    pub report_dir: PathBuf,
    pub corners: usize,
    pub ok: usize,
    pub missing: usize,
    pub failed: usize,
    /// Files directly in the roll-up folder (not in a corner's folder): not
    /// read, and counted, not named (a name may be a person's).
    pub loose_files: usize,
}

impl RollupSummary {
    /// 0 when every corner has figures; 1 when a corner is missing or failed.
    pub fn exit_code(&self) -> u8 {
        if self.missing + self.failed > 0 { 1 } else { 0 }
    }

    pub fn display(&self) -> String {
        let loose = if self.loose_files > 0 {
            format!(
                "集計フォルダーの直下にあるファイル {} 件は読みません（コーナーのフォルダーの中に置いてください）\n",
                self.loose_files
            )
        } else {
            String::new()
        };
        format!(
            "基準日 {}\nコーナー {}: 集計 {}、欠測 {}、失敗 {}\n{loose}報告書: {}\n",
            crate::fiscal::date_prose(self.as_of),
            self.corners,
            self.ok,
            self.missing,
            self.failed,
            self.report_dir.display()
        )
    }
}

/// `path` absolute, with the part that exists resolved (symbolic links,
/// `..`): a folder not made yet still compares with the folders around it.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    out
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

/// `corner-kpi rollup`: counts every corner, writes the national set.
pub fn rollup(config: &RollupConfig) -> anyhow::Result<RollupSummary> {
    let as_of = match config.as_of {
        AsOf::Date(d) => d,
        AsOf::Default => last_complete_month_end(config.today),
    };
    if !config.input.is_dir() {
        bail!(
            "集計フォルダー {} がありません。--input に、コーナーごとのフォルダーを置いたフォルダーを指定してください",
            config.input.display()
        );
    }
    // Written inside the input, the national set would be read back as a
    // corner (or as one corner's workbooks) by the next roll-up.
    let (input, output) = (resolved(&config.input), resolved(&config.output));
    if output.starts_with(&input) {
        bail!(
            "出力先 {} が集計フォルダー {} の中にあります。次の集計で報告書がコーナーとして読まれないよう、集計フォルダーの外を --output に指定してください",
            config.output.display(),
            config.input.display()
        );
    }
    let books = corner::list(&config.input)
        .map(|fs| {
            fs.iter()
                .flat_map(|f| crate::ingest::walk::walk(&f.path))
                .filter(|x| matches!(x.kind, crate::ingest::walk::FoundKind::Workbook(_)))
                .count() as u64
        })
        .unwrap_or(0);
    let bar = progress_bar(config.progress, books);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let corners = count_all(&config.input, as_of, &bar, threads)?;
    bar.finish_and_clear();
    if corners.is_empty() {
        bail!(
            "{} にコーナーのフォルダーがありません。コーナーごとに、ブックと plan.toml（または kpis.json）を入れたフォルダーを置いてください",
            config.input.display()
        );
    }
    let n = national(corners, as_of, chrono::Local::now().naive_local());
    let dir = crate::report::write_national_set(&n, &config.output, config.html_templates.as_deref())?;
    let count = |s: State| n.corners.iter().filter(|c| c.state == s).count();
    Ok(RollupSummary {
        as_of,
        report_dir: dir,
        corners: n.corners.len(),
        ok: count(State::Ok),
        missing: count(State::Missing),
        failed: count(State::Failed),
        loose_files: corner::loose_files(&config.input).len(),
    })
}

/// A progress bar over the corners' files, drawn once the run has lasted a
/// second, on a terminal only (never in CI, when piped or with `--quiet`).
fn progress_bar(progress: bool, files: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let show = progress && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = indicatif::ProgressBar::with_draw_target(Some(files), indicatif::ProgressDrawTarget::hidden());
    if show {
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} ファイル  {wide_msg}") {
            bar.set_style(style);
        }
        let b = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(1));
            if !b.is_finished() {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        });
    }
    bar
}
