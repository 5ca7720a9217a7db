//! `corner-kpi rollup`: every corner counted ([`crate::rollup`]), the
//! national figures, the national set written ([`crate::report`]), and what
//! the roll-up did ([`RollupSummary`]).

use crate::config::{AsOf, RollupConfig, last_complete_month_end};
use crate::rollup::{State, corner, count_all, national};
use anyhow::bail;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

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
