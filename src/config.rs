//! A validated request: what the command line (or a test) asks a run to do,
//! in the library's own types. `cli.rs` turns clap's arguments into these at
//! once; nothing past that point sees clap.

use crate::fiscal;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What the user asked for: one command with its validated request.
pub enum Action {
    Run(Config),
    Mail(MailConfig),
    Rollup(RollupConfig),
    /// Print the embedded plan, or `from` (or the embedded plan) rolled forward.
    PrintPlan {
        fiscal_year: Option<i32>,
        from: Option<PathBuf>,
    },
    PrintMapping,
    PrintRecipients,
    Template(TemplateConfig),
    /// Write the embedded HTML templates into this folder.
    WriteHtmlTemplates(PathBuf),
}

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
    /// `--mail FILE [--send]`: draft (and send) the report emails.
    pub mail: Option<MailRequest>,
    /// `--html-templates DIR`: edited HTML templates instead of the embedded ones.
    pub html_templates: Option<PathBuf>,
}

/// Where the `mail` subcommand finds its report set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportSet {
    /// `--report DIR`.
    Dir(PathBuf),
    /// `--month` / `--as-of` under `--output`: `<output>/<fiscal year>/<date>/`.
    Date { output: PathBuf, as_of: NaiveDate },
}

impl ReportSet {
    pub fn dir(&self) -> PathBuf {
        match self {
            ReportSet::Dir(d) => d.clone(),
            ReportSet::Date { output, as_of } => output
                .join(fiscal::FiscalYear::of(*as_of).year().to_string())
                .join(as_of.format("%Y-%m-%d").to_string()),
        }
    }

    /// The output root whose run log the step appends to (`<set>/../..`).
    pub(crate) fn output_root(&self) -> Option<PathBuf> {
        match self {
            ReportSet::Dir(d) => d.parent().and_then(Path::parent).map(Path::to_path_buf),
            ReportSet::Date { output, .. } => Some(output.clone()),
        }
    }
}

/// A validated `corner-kpi mail` request: the drafts of an existing report set.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub request: MailRequest,
    pub report: ReportSet,
    /// The drop folder the set was made from: re-read for the personal
    /// values the attachments are searched for.
    pub input: PathBuf,
    pub mapping: Source,
    pub progress: bool,
}

/// A validated `corner-kpi rollup` request: the folder of corners' folders.
#[derive(Debug, Clone)]
pub struct RollupConfig {
    pub input: PathBuf,
    pub output: PathBuf,
    pub as_of: AsOf,
    pub today: NaiveDate,
    pub progress: bool,
    /// `--html-templates DIR`: edited HTML templates for national.html.
    pub html_templates: Option<PathBuf>,
}

/// A validated `corner-kpi template` request: blank input workbooks for one
/// fiscal year.
#[derive(Debug, Clone)]
pub struct TemplateConfig {
    /// `--fiscal-year`; `None`: the plan's fiscal year (`--plan` given).
    pub fiscal_year: Option<fiscal::FiscalYear>,
    /// Where the corner's name comes from.
    pub plan: Source,
    /// The headers to write (a corner's own first names, see
    /// [`crate::mapping::DatasetMapping::template_header`]).
    pub mapping: Source,
    /// `--output`; `None`: `templates-<year>` in the working folder.
    pub output: Option<PathBuf>,
}

/// What the user asked of the mail step (`--mail FILE [--send]`, or the
/// `mail` subcommand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRequest {
    pub recipients: PathBuf,
    /// Send the checked drafts (`--send`); otherwise nothing leaves the machine.
    pub send: bool,
}

/// The last day of the last complete month before `today`.
pub fn last_complete_month_end(today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .and_then(|d| d.pred_opt())
        .expect("a month has a day before its first")
}
