//! `corner-kpi mail`: the drafts of a report set written earlier.

use super::log::{append_run_log, run_log_line};
use crate::config::{MailConfig, ReportSet, Source};
use crate::personal::PersonalValues;
use crate::{ingest, mail, mapping, normalise};
use anyhow::{Context, bail};

/// `corner-kpi mail`: checks and drafts (and with `--send` sends) the mail
/// of a report set written earlier. The drop folder is read again (only to
/// collect the personal values to search the attachments for), and must
/// hold the very workbooks the set was made from (their SHA-256 in its
/// kpis.json), else nothing is drafted.
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
        // The personal values are those of the workbooks the set was made from, or none.
        let json = dir.join("kpis.json");
        let made_from = std::fs::read_to_string(&json).with_context(|| format!("{} を読めません", json.display()))?;
        let read = normalised.quality.files.iter().map(|f| (f.file.as_str(), f.sha256.as_deref()));
        mail::inputs::check_same(&dir, &made_from, &config.input, read).map_err(anyhow::Error::msg)?;
        let facts = mail::facts::ReportFacts::read(&dir)?;
        let personal = PersonalValues::new(&normalised.pii, &facts.plan_texts());
        mail::mail_report_set(
            &recipients,
            &facts,
            &dir,
            &personal,
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
