//! corner-kpi: monthly progress reports of a regional skills-promotion corner
//! (地域技能振興コーナー) from the Excel workbooks its staff keep.
//!
//! The pipeline has four stages with a plain data type between each:
//! [`ingest`] (files → [`ingest::Ingested`], raw rows with cell positions) →
//! [`normalise`] ([`normalise::Normalised`]: typed polars DataFrames per
//! record type, plus the data-quality ledger) → [`kpi`] (plan × data →
//! [`kpi::Figures`]) → [`report`] (figures → xlsx/html/json). [`run`] drives
//! them; `main.rs` only maps the outcome to an exit status. With `--mail`,
//! [`mail`] then drafts (and with `--send` sends) the checked emails that
//! carry the reports; every run appends one line to `<output>/run-log.txt`.

pub mod cli;
pub mod config;
pub mod fiscal;
pub mod format;
pub mod ingest;
pub mod kpi;
pub mod mail;
pub mod mapping;
pub mod normalise;
pub mod plan;
pub mod publish;
pub mod report;
pub mod samples;
pub mod schema;
pub mod text;

pub use config::{AsOf, Config, MailConfig, ReportSet, Source};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
    /// Accepted rows dated before the fiscal year (history only).
    pub rows_before_fiscal_year: usize,
    /// Rejected repeats of a number whose contents differ.
    pub rows_conflicting: usize,
    /// Accepted rows listed for checking: unreadable optional values, and
    /// dates outside their sheet's fiscal year.
    pub warnings_field: usize,
    pub warnings_outside_year: usize,
    /// One line on the months changed since the previous report set.
    pub revisions_line: String,
    /// Leftovers of killed runs cleaned up before writing.
    pub leftovers: publish::atomic::Leftovers,
    /// (status label, count) over the KPIs.
    pub statuses: Vec<(String, usize)>,
    /// Files in the report set.
    pub reports_written: usize,
    /// The mail step, when `--mail` was given: what it did, or why it could not start.
    pub mail: Option<Result<mail::MailOutcome, String>>,
}

impl RunSummary {
    /// 0 when nothing needs fixing; 1 when rows were rejected or a workbook
    /// or sheet could not be used.
    /// 2 when the mail step refused a group or failed (the reports are
    /// written, but the run did not do all it was asked).
    pub fn exit_code(&self) -> u8 {
        match &self.mail {
            Some(Err(_)) => return 2,
            Some(Ok(m)) if m.exit_code() != 0 => return m.exit_code(),
            _ => {}
        }
        let to_check = self.rows_rejected + self.warnings_field + self.warnings_outside_year;
        if to_check > 0 || self.files_unreadable > 0 || self.sheets_ambiguous > 0 { 1 } else { 0 }
    }

    /// The one line stderr says when the run ends with exit status 1: the
    /// reports are written, and this is what a person must fix or check.
    pub fn check_line(&self) -> Option<String> {
        if self.exit_code() != 1 {
            return None;
        }
        let mut parts = Vec::new();
        if self.rows_rejected > 0 {
            parts.push(format!("除外した行 {}", self.rows_rejected));
        }
        let warnings = self.warnings_field + self.warnings_outside_year;
        if warnings > 0 {
            parts.push(format!("確認が必要な行 {warnings}"));
        }
        if self.files_unreadable > 0 {
            parts.push(format!("読めないブック {}", self.files_unreadable));
        }
        if self.sheets_ambiguous > 0 {
            parts.push(format!("判定できないシート {}", self.sheets_ambiguous));
        }
        Some(format!(
            "報告書は作成しました。直すか確かめるものがあります（{}）: {}",
            parts.join("、"),
            self.report_dir.join("data-quality.xlsx").display()
        ))
    }

    /// Why the run ends with exit status 2 although the reports were
    /// written (the mail step), one line each, for stderr.
    pub fn mail_errors(&self) -> Vec<String> {
        match &self.mail {
            Some(Err(e)) => vec![e.clone()],
            Some(Ok(m)) => m.errors.clone(),
            None => Vec::new(),
        }
    }

    /// A few lines for the terminal (no personal data: counts and paths).
    pub fn display(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "基準日 {}", fiscal::date_prose(self.as_of));
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
        let conflicts = if self.rows_conflicting > 0 {
            format!("（うち番号の重複で内容が異なる {} 行）", self.rows_conflicting)
        } else {
            String::new()
        };
        let to_check = self.warnings_field + self.warnings_outside_year;
        let _ = writeln!(
            s,
            "行 {}: 採用 {}、除外 {}{conflicts}、読み飛ばし {}（年度前の日付 {} 行は履歴のみ、基準日より後の日付 {} 行は集計外、確認が必要な行 {}）",
            self.rows_read,
            self.rows_accepted,
            self.rows_rejected,
            self.rows_skipped,
            self.rows_before_fiscal_year,
            self.rows_after_as_of,
            to_check
        );
        if to_check > 0 {
            let _ = writeln!(
                s,
                "確認: 年度外の日付 {} 行、読めない任意項目 {} 件（行は集計しています。data-quality.xlsx の「確認」）",
                self.warnings_outside_year, self.warnings_field
            );
        }
        let _ = writeln!(s, "{}", self.revisions_line);
        let left = &self.leftovers;
        if left.removed > 0 || !left.restored.is_empty() {
            let mut line = format!("中断した実行の一時フォルダー {} 個を片付けました", left.removed);
            if !left.restored.is_empty() {
                let _ = write!(line, "（移動途中だった報告書 {} を元に戻しました）", left.restored.join("、"));
            }
            let _ = writeln!(s, "{line}");
        }
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

/// Runs the whole pipeline for one as-of date, writes the report set and,
/// with `--mail`, the checked drafts; appends one line to the run log.
pub fn run(config: &Config) -> anyhow::Result<RunSummary> {
    let result = run_pipeline(config);
    let as_of = match (&result, config.as_of) {
        (Ok(s), _) => Some(s.as_of),
        (Err(_), AsOf::Date(d)) => Some(d),
        (Err(_), AsOf::Default) => None,
    };
    let line = match &result {
        Ok(s) => {
            run_log_line("run", as_of, Some(s), s.mail.as_ref().and_then(|m| m.as_ref().ok()), s.exit_code(), None)
        }
        Err(e) => run_log_line("run", as_of, None, None, 2, Some(&format!("{e:#}"))),
    };
    append_run_log(&config.output, &line);
    result
}

fn run_pipeline(config: &Config) -> anyhow::Result<RunSummary> {
    // A recipients file that cannot be read stops the run before anything is written.
    let recipients = match &config.mail {
        Some(m) => Some(mail::Recipients::from_file(&m.recipients)?),
        None => None,
    };
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
        AsOf::Default => fy.end().min(config::last_complete_month_end(config.today)),
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
    // In total, too: every accepted row is in exactly one frame, every
    // rejected row in the ledger.
    let in_frames: usize = normalised.datasets.values().map(|df| df.height()).sum();
    let rejected: usize = q.sheets.iter().map(|s| s.rejected).sum();
    if in_frames != q.accepted() || rejected != q.rejected.len() {
        bail!(
            "internal error: {} rows accepted but {in_frames} in the datasets, {rejected} rejected but {} listed; no report was written",
            q.accepted(),
            q.rejected.len()
        );
    }
    if normalised.datasets.is_empty() {
        let files = q.files.len();
        bail!(
            "{} に集計できるシートがありません（ファイル {files} 件）。ブック（.xlsx/.xlsm/.xls/.xlsb/.ods）を置き、見出し行に必須の列名があるか確かめてください",
            config.input.display()
        );
    }

    let mut figures = kpi::compute(&plan, &mapping, &normalised.datasets, as_of).context("computing the KPIs")?;
    let revisions_line = match report::previous::latest(&config.output, fy.year(), as_of) {
        Ok(Some(previous)) => {
            let data = &normalised.datasets;
            let then = kpi::monthly::monthly(&plan, data, previous.as_of).context("counting the reported months")?;
            let ledger = kpi::monthly::ledger(data, fy, previous.as_of).context("listing the reported rows")?;
            figures.revisions = kpi::revisions::compare(&plan, &previous, &then, &ledger);
            revisions_line(&figures.revisions)
        }
        Ok(None) => "前回報告: この年度の報告書はまだありません（修正の確認は次回から）".to_string(),
        Err(reason) => format!("前回報告: {reason}。修正の確認を省きました"),
    };
    let leftovers = publish::atomic::remove_leftovers(
        &config.output.join(fy.year().to_string()),
        publish::atomic::LEFTOVER_MIN_AGE,
    );
    let input_dir = std::path::absolute(&config.input).unwrap_or_else(|_| config.input.clone());
    let set_dir = std::path::absolute(&config.output)
        .unwrap_or_else(|_| config.output.clone())
        .join(fy.year().to_string())
        .join(as_of.format("%Y-%m-%d").to_string());
    let input_link = report::relative_link(&set_dir, &input_dir);
    let input_dir_text = input_dir.display().to_string();
    let input = report::ReportInput {
        input_dir: Some(&input_dir_text),
        input_link: input_link.as_deref(),
        plan: &plan,
        figures: &figures,
        quality: q,
        pii: &normalised.pii,
        generated_at: chrono::Local::now().naive_local(),
    };
    let report_dir = report::write_report_set(&input, &config.output)?;
    let mail = match (&recipients, &config.mail) {
        (Some(r), Some(m)) => Some(
            mail::mail_report_set(
                r,
                &report_dir,
                &normalised.pii,
                m.send,
                |k| std::env::var(k).ok(),
                chrono::Local::now().fixed_offset(),
            )
            .map_err(|e| format!("{e:#}")),
        ),
        _ => None,
    };

    let count = |f: fn(&ingest::FileOutcome) -> bool| q.files.iter().filter(|x| f(&x.outcome)).count();
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for k in &figures.kpis {
        let Some(p) = plan.kpi(&k.id) else { continue };
        let word = report::status::status(k, p, fy, as_of).word;
        match statuses.iter_mut().find(|(l, _)| *l == word) {
            Some((_, n)) => *n += 1,
            None => statuses.push((word, 1)),
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
        rows_before_fiscal_year: figures.before_fiscal_year,
        rows_conflicting: q.conflicts(),
        warnings_field: q.warnings_of("field"),
        warnings_outside_year: q.warnings_of("date_outside_sheet_year"),
        revisions_line,
        leftovers,
        statuses,
        reports_written: report::REPORT_FILES.len(),
        mail,
    })
}

/// The terminal's one line on revisions.
fn revisions_line(r: &kpi::revisions::Revisions) -> String {
    let Some(against) = &r.against else { return String::new() };
    let when = format!("前回報告（{}現在）", fiscal::date_prose(against.as_of));
    if !r.comparable {
        return format!("{when}: 月別の数値がない（古い版で作った）ため、修正の確認を省きました");
    }
    if r.list.is_empty() {
        return format!("{when}からの修正: なし");
    }
    let num = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x}"));
    let shown: Vec<String> = r
        .list
        .iter()
        .take(5)
        .map(|v| format!("{}年{}月 {} {}→{}", v.month.0, v.month.1, v.label, num(v.reported), num(v.now)))
        .collect();
    let more = if r.list.len() > 5 { format!(" ほか {} 件", r.list.len() - 5) } else { String::new() };
    format!(
        "{when}からの修正: {} 件（{}{more}）。報告書の「前回報告からの修正」に行の場所があります",
        r.list.len(),
        shown.join("、")
    )
}

/// `corner-kpi mail`: checks and drafts (and with `--send` sends) the mail
/// of a report set written earlier. The drop folder is read again (only to
/// collect the personal values to search the attachments for).
pub fn mail_existing(config: &MailConfig) -> anyhow::Result<mail::MailOutcome> {
    let result = (|| {
        let recipients = mail::Recipients::from_file(&config.request.recipients)?;
        let dir = config.report.dir();
        if !dir.join("kpis.json").is_file() {
            bail!(
                "報告書フォルダー {} がないか、kpis.json がありません。先に corner-kpi run で報告書を作ってください",
                dir.display()
            );
        }
        let mapping = match &config.mapping {
            Source::Embedded => mapping::Mapping::embedded(),
            Source::File(p) => mapping::Mapping::from_file(p)?,
        };
        let ingested = ingest::ingest(&config.input, &mapping, config.progress)?;
        let normalised = normalise::normalise(ingested, &mapping).context("normalising the records")?;
        mail::mail_report_set(
            &recipients,
            &dir,
            &normalised.pii,
            config.request.send,
            |k| std::env::var(k).ok(),
            chrono::Local::now().fixed_offset(),
        )
    })();
    if let Some(root) = config.report.output_root() {
        let as_of = match &config.report {
            ReportSet::Date { as_of, .. } => Some(*as_of),
            ReportSet::Dir(_) => result.as_ref().ok().map(|m| m.as_of),
        };
        let line = match &result {
            Ok(m) => run_log_line("mail", as_of, None, Some(m), m.exit_code(), None),
            Err(e) => run_log_line("mail", as_of, None, None, 2, Some(&format!("{e:#}"))),
        };
        append_run_log(&root, &line);
    }
    result
}

/// The run log, `<output>/run-log.txt`: one line per run, for the person
/// who checks that the scheduled runs happened. Counts only, no personal
/// data (an error is the same one line stderr showed).
pub const RUN_LOG: &str = "run-log.txt";

/// `2026-11-01T07:00:02+09:00 run as_of=2023-10-31 files_read=9 rows_accepted=… exit=1`.
fn run_log_line(
    command: &str,
    as_of: Option<NaiveDate>,
    summary: Option<&RunSummary>,
    mail: Option<&mail::MailOutcome>,
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
fn append_run_log(output: &Path, line: &str) {
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
