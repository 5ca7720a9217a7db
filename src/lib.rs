//! corner-kpi: monthly progress reports of a regional skills-promotion corner
//! (地域技能振興コーナー) from the Excel workbooks its staff keep.
//!
//! The pipeline has four stages with a plain data type between each:
//! [`ingest`] (files → [`ingest::Ingested`], raw rows with cell positions) →
//! [`normalise`] ([`normalise::Normalised`]: typed polars DataFrames per
//! record type, plus the data-quality ledger) → [`kpi`] (plan × data →
//! [`kpi::Figures`]) → [`report`] (figures → xlsx/html/json). [`run`] drives
//! them; `main.rs` only maps the outcome to an exit status.

pub mod cli;
pub mod fiscal;
pub mod ingest;
pub mod kpi;
pub mod mapping;
pub mod normalise;
pub mod plan;
pub mod report;
pub mod samples;
pub mod schema;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Where a plan or mapping comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Embedded,
    File(PathBuf),
}

/// The as-of date of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// The plan's fiscal-year end, or the end of the last complete month
    /// when that is earlier.
    Default,
    Date(NaiveDate),
}

/// A validated run request.
#[derive(Debug, Clone)]
pub struct Config {
    pub input: PathBuf,
    pub plan: Source,
    pub mapping: Source,
    pub as_of: AsOf,
    pub output: PathBuf,
    pub progress: bool,
    /// Today's date (for the default as-of date).
    pub today: NaiveDate,
}

/// What a successful run did.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub as_of: NaiveDate,
    pub report_dir: PathBuf,
    pub files_read: usize,
    pub files_unreadable: usize,
    pub files_skipped: usize,
    pub files_duplicate: usize,
    pub sheets_recognised: usize,
    pub sheets_ignored: usize,
    pub sheets_ambiguous: usize,
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    pub rows_skipped: usize,
    pub rows_after_as_of: usize,
    /// (status label, count) over the KPIs.
    pub statuses: Vec<(&'static str, usize)>,
}

impl RunSummary {
    /// 0 when nothing needs fixing; 1 when rows were rejected or a workbook
    /// or sheet could not be used.
    pub fn exit_code(&self) -> u8 {
        if self.rows_rejected > 0 || self.files_unreadable > 0 || self.sheets_ambiguous > 0 { 1 } else { 0 }
    }

    /// A few lines for the terminal (no personal data: counts and paths).
    pub fn display(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "基準日 {}（{}）", self.as_of, fiscal::date_wareki(self.as_of));
        let _ = writeln!(
            s,
            "ブック {} 件を読み込み（読めない {} 件、対象外 {} 件、重複 {} 件）、シート {} 枚を集計（対象外 {} 枚、判定不能 {} 枚）",
            self.files_read,
            self.files_unreadable,
            self.files_skipped,
            self.files_duplicate,
            self.sheets_recognised,
            self.sheets_ignored,
            self.sheets_ambiguous
        );
        let _ = writeln!(
            s,
            "行 {}: 採用 {}、除外 {}、読み飛ばし {}（基準日より後の日付 {} 行は集計外）",
            self.rows_read, self.rows_accepted, self.rows_rejected, self.rows_skipped, self.rows_after_as_of
        );
        let st: Vec<String> = self.statuses.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let _ = writeln!(s, "指標: {}", st.join("、"));
        let _ = writeln!(s, "報告書: {}", self.report_dir.display());
        if self.exit_code() != 0 {
            let _ = writeln!(
                s,
                "直すべき行・ファイルがあります: {} を開いてください",
                self.report_dir.join("data-quality.xlsx").display()
            );
        }
        s
    }
}

/// Runs the whole pipeline for one as-of date and writes the report set.
pub fn run(config: &Config) -> anyhow::Result<RunSummary> {
    let plan = match &config.plan {
        Source::Embedded => plan::Plan::embedded(),
        Source::File(p) => plan::Plan::from_file(p)?,
    };
    let mapping = match &config.mapping {
        Source::Embedded => mapping::Mapping::embedded(),
        Source::File(p) => mapping::Mapping::from_file(p)?,
    };
    let fy = plan.fiscal_year;
    let as_of = match config.as_of {
        AsOf::Date(d) => d,
        AsOf::Default => fy.end().min(cli::last_complete_month_end(config.today)),
    };
    if !fy.contains(as_of) {
        bail!(
            "基準日 {as_of} は計画の年度（{}: {} 〜 {}）の外です。--month / --as-of を年度内にするか、その年度の計画を --plan で指定してください",
            fy.label_ja(),
            fy.start(),
            fy.end()
        );
    }

    let ingested = ingest::ingest(&config.input, &mapping, config.progress)?;
    let normalised = normalise::normalise(ingested, &mapping).context("normalising the records")?;
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
    if normalised.datasets.is_empty() {
        let files = q.files.len();
        bail!(
            "{} に集計できるシートがありません（ファイル {files} 件）。ブック（.xlsx/.xlsm/.xls/.xlsb/.ods）を置き、見出し行に必須の列名があるか確かめてください",
            config.input.display()
        );
    }

    let figures = kpi::compute(&plan, &mapping, &normalised.datasets, as_of).context("computing the KPIs")?;
    let input = report::ReportInput {
        plan: &plan,
        figures: &figures,
        quality: q,
        pii: &normalised.pii,
        generated_at: chrono::Local::now().naive_local(),
    };
    let report_dir = report::write_report_set(&input, &config.output)?;

    let count = |f: fn(&ingest::FileOutcome) -> bool| q.files.iter().filter(|x| f(&x.outcome)).count();
    let mut statuses: Vec<(&'static str, usize)> = Vec::new();
    for k in &figures.kpis {
        match statuses.iter_mut().find(|(l, _)| *l == k.status.label_ja()) {
            Some((_, n)) => *n += 1,
            None => statuses.push((k.status.label_ja(), 1)),
        }
    }
    Ok(RunSummary {
        as_of,
        report_dir,
        files_read: count(|o| matches!(o, ingest::FileOutcome::Read { .. })),
        files_unreadable: count(|o| matches!(o, ingest::FileOutcome::Unreadable { .. })),
        files_skipped: count(|o| matches!(o, ingest::FileOutcome::Skipped { .. })),
        files_duplicate: count(|o| matches!(o, ingest::FileOutcome::Duplicate { .. })),
        sheets_recognised: q.sheets.iter().filter(|s| s.dataset.is_some()).count(),
        sheets_ignored: q.sheets.iter().filter(|s| s.dataset.is_none() && s.header_row.is_none()).count(),
        sheets_ambiguous: q.sheets.iter().filter(|s| s.dataset.is_none() && s.header_row.is_some()).count(),
        rows_read: q.rows_read(),
        rows_accepted: q.accepted(),
        rows_rejected: q.rejected.len(),
        rows_skipped: q.skipped(),
        rows_after_as_of: figures.after_as_of.len(),
        statuses,
    })
}
