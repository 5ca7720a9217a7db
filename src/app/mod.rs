//! The commands: each calls the stages in order and says what to show on
//! the terminal and which exit status to end with ([`Outcome`]). The top of
//! the library: nothing below imports it, and `main.rs` does no more than
//! hand it the [`Action`] the command line asked for.
//!
//! [`run`] (`corner-kpi run`, the monthly report set, and with `--mail` its
//! drafts), [`rollup`] (`corner-kpi rollup`, the national set),
//! [`mail_existing`] (`corner-kpi mail`, the drafts of a set written
//! earlier), and the commands that print or write a file to start from
//! (`plan`, `mapping`, `recipients`, `template`, `html-templates`), all in
//! [`execute`]. Every `run` and `mail` appends a line to the run log
//! ([`RUN_LOG`]).

mod log;
mod mail;
mod rollup;
mod run;
pub mod summary;

pub use log::RUN_LOG;
pub use mail::mail_existing;
pub use rollup::{RollupSummary, rollup};
pub use run::run;
pub use summary::RunSummary;

use crate::config::Action;

/// What a command leaves for the terminal: `main.rs` prints `stdout` as it
/// is, then each line of `stderr` after `corner-kpi: `, and exits with `exit`
/// (0 clean, 1 reports written with something to fix or check, 2 nothing
/// written, or a mail group refused or not sent).
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: Vec<String>,
    pub exit: u8,
}

impl Outcome {
    fn printed(stdout: String) -> Outcome {
        Outcome { stdout, ..Outcome::default() }
    }

    /// Nothing done: one line on stderr, exit status 2.
    pub fn failed(line: String) -> Outcome {
        Outcome { stderr: vec![line], exit: 2, ..Outcome::default() }
    }
}

/// Runs the command the user asked for.
pub fn execute(action: Action) -> Outcome {
    match action {
        Action::PrintPlan { fiscal_year: None, .. } => Outcome::printed(crate::plan::DEFAULT_PLAN_TOML.to_string()),
        Action::PrintPlan { fiscal_year: Some(year), from } => {
            match crate::plan::roll::from_file(from.as_deref(), year) {
                Ok(text) => Outcome::printed(text),
                Err(e) => Outcome::failed(format!("{e:#}")),
            }
        }
        Action::PrintMapping => Outcome::printed(crate::mapping::DEFAULT_MAPPING_TOML.to_string()),
        Action::Template(config) => match crate::template::write(&config) {
            Ok(written) => Outcome::printed(written.display().to_string()),
            Err(e) => Outcome::failed(format!("{e:#}")),
        },
        Action::WriteHtmlTemplates(dir) => match crate::report::write_html_templates(&dir) {
            Ok(written) => Outcome::printed(written.iter().map(|p| format!("{}\n", p.display())).collect()),
            Err(e) => Outcome::failed(format!("{e:#}")),
        },
        Action::PrintRecipients => Outcome::printed(crate::mail::recipients::EXAMPLE_RECIPIENTS_TOML.to_string()),
        Action::Mail(config) => match mail_existing(&config) {
            Ok(outcome) => Outcome {
                stdout: if config.progress { outcome.checklist.clone() } else { String::new() },
                stderr: outcome.errors.clone(),
                exit: outcome.exit_code(),
            },
            Err(e) => Outcome::failed(format!("{e:#}")),
        },
        Action::Rollup(config) => match rollup(&config) {
            Ok(summary) => {
                let mut stderr = Vec::new();
                if summary.exit_code() != 0 {
                    stderr.push(format!(
                        "全国集計を作成しました。欠測 {}・失敗 {} のコーナーがあります（national.xlsx の「読み込み状況」）",
                        summary.missing, summary.failed
                    ));
                }
                Outcome {
                    stdout: if config.progress { summary.display() } else { String::new() },
                    stderr,
                    exit: summary.exit_code(),
                }
            }
            Err(e) => Outcome::failed(format!("{e:#}")),
        },
        Action::Run(config) => match run(&config) {
            Ok(summary) => {
                let mut stdout = String::new();
                if config.progress {
                    stdout.push_str(&summary.display());
                    if let Some(Ok(mail)) = &summary.mail {
                        stdout.push('\n');
                        stdout.push_str(&mail.checklist);
                    }
                }
                let mut stderr = summary.mail_errors();
                stderr.extend(summary.check_line());
                Outcome { stdout, stderr, exit: summary.exit_code() }
            }
            Err(e) => Outcome::failed(format!("{e:#}")),
        },
    }
}

/// Set, the binary says its peak resident size on its last stderr line
/// (`peak_rss_kb=N`): what the memory tests and the benchmark read.
pub const PEAK_ENV: &str = "CORNER_KPI_PEAK_RSS";

/// The process's peak resident size so far, in KiB (`VmHWM`; Linux only).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
