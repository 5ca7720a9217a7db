//! The run log, `<output>/run-log.txt`: what `run` and `mail` append after
//! each run.

use super::RunSummary;
use crate::mail::MailOutcome;
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::Path;

/// The run log, `<output>/run-log.txt`: one line per run, for the person
/// who checks that the scheduled runs happened. Counts only, no personal
/// data (an error is the same one line stderr showed).
pub const RUN_LOG: &str = "run-log.txt";

/// `2026-11-01T07:00:02+09:00 run as_of=2023-10-31 files_read=9 rows_accepted=… exit=1`.
pub(super) fn run_log_line(
    command: &str,
    as_of: Option<NaiveDate>,
    summary: Option<&RunSummary>,
    mail: Option<&MailOutcome>,
    exit: u8,
    error: Option<&str>,
) -> String {
    let mut line = format!("{} {command}", chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z"));
    let _ = write!(line, " as_of={}", as_of.map_or("-".to_string(), |d| d.to_string()));
    if let Some(s) = summary {
        let _ = write!(
            line,
            " files_read={} files_unreadable={} rows_read={} rows_accepted={} rows_rejected={} reports_written={}",
            s.files_read, s.files_unreadable, s.rows_read, s.rows_accepted, s.rows_rejected, s.reports_written
        );
    } else if command == "run" {
        line.push_str(" reports_written=0");
    }
    if let Some(m) = mail {
        let refused = m.groups.iter().filter(|g| g.outcome.is_err()).count();
        let _ = write!(line, " drafts={} refused={refused} sent={}", m.drafts_written, m.sent);
    }
    let _ = write!(line, " exit={exit}");
    if let Some(e) = error {
        let one: String = e.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect();
        let _ = write!(line, " error=\"{}\"", one.replace('"', "'"));
    }
    line
}

/// Appends a line to the run log of an output folder that exists (a run
/// that fails before writing anything does not create the folder for it).
/// A log that cannot be written is reported on stderr and does not change
/// the exit status.
pub(super) fn append_run_log(output: &Path, line: &str) {
    use std::io::Write as _;
    if !output.is_dir() {
        return;
    }
    let path = output.join(RUN_LOG);
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(format!("{line}\n").as_bytes()));
    if let Err(e) = written {
        eprintln!("corner-kpi: cannot append to {}: {e}", path.display());
    }
}
