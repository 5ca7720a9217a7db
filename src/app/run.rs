//! `corner-kpi run`: the stages in order for one corner and one as-of date
//! (plan and mapping → ingest → normalise → the personal values masked →
//! kpi → revisions against the previous set → report → with `--mail`, the
//! drafts), and what the run did ([`RunSummary`]).

use super::RunSummary;
use super::log::{append_run_log, run_log_line};
use super::summary;
use crate::config::{self, AsOf, Config, Source};
use crate::personal::{self, PersonalValues};
use crate::{fiscal, ingest, kpi, mail, mapping, normalise, plan, publish, report, rollup, timing};
use anyhow::{Context, bail};

/// Runs the whole pipeline for one as-of date, writes the report set and,
/// with `--mail`, the checked drafts; appends one line to the run log.
pub fn run(config: &Config) -> anyhow::Result<RunSummary> {
    // On one of polars' own pool threads, so its queries run inline rather
    // than being handed to pool threads that spin once they are done.
    let result = polars_core::runtime::THREAD_POOL.install(|| run_pipeline(config));
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
            "基準日 {} は計画の年度（{}）の外です。その年度の計画を corner-kpi plan --fiscal-year {} > plan.toml で作り、--plan plan.toml で指定してください",
            fiscal::date_prose(as_of),
            fy.label_ja(),
            fiscal::FiscalYear::of(as_of).year()
        );
    }

    if let Some(why) = rollup::detect::folder_of_corners(&config.input) {
        bail!("{why}");
    }
    let ingested = ingest::ingest(&config.input, &mapping, config.progress)?;
    let mut normalised = normalise::checked(ingested, &mapping, &config.input)?;
    normalised.settle(fy, as_of);
    // The run's one personal-values policy: masking, the output guard, the
    // plan-note check and the mail check all use it.
    let personal = PersonalValues::new(&normalised.pii, &personal::plan_texts(&plan));
    normalised.mask_personal_values(&mapping, &personal).context("masking personal values in the records")?;
    let q = &normalised.quality;

    let mut figures = timing::time(timing::Stage::Kpis, || kpi::compute(&plan, &mapping, &normalised.datasets, as_of))
        .context("computing the KPIs")?;
    let revisions_line = match report::previous::latest(&config.output, fy.year(), as_of) {
        Ok(Some(previous)) => {
            let data = &normalised.datasets;
            let then = kpi::monthly::monthly(&plan, data, previous.as_of).context("counting the reported months")?;
            let ledger = kpi::monthly::ledger(data, fy, previous.as_of).context("listing the reported rows")?;
            figures.revisions = kpi::revisions::compare(&plan, &previous, &then, &ledger);
            summary::revisions_line(&figures.revisions)
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
    let mut input_link = report::relative_link(&set_dir, &input_dir);
    // Shown as the links reach it, from the set's folder; never absolute (a
    // home folder can hold a name). Another drive: the folder's own name.
    let name = || input_dir.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let mut input_dir_text = input_link.clone().unwrap_or_else(name);
    // A folder under a person's name (C:\Users\佐藤花子\…) is shown masked, unlinked.
    if personal.holds(&input_dir.display().to_string()) {
        input_dir_text = personal.masked(&input_dir_text).unwrap_or(input_dir_text);
        input_link = None;
    }
    let input = report::ReportInput {
        input_dir: Some(&input_dir_text),
        input_link: input_link.as_deref(),
        plan: &plan,
        figures: &figures,
        quality: q,
        personal: &personal,
        html_templates: config.html_templates.as_deref(),
        generated_at: chrono::Local::now().naive_local(),
    };
    let report_dir = report::write_report_set(&input, &config.output)?;
    let mail = match (&recipients, &config.mail) {
        (Some(r), Some(m)) => Some(
            mail::facts::ReportFacts::read(&report_dir)
                .and_then(|facts| {
                    mail::mail_report_set(
                        r,
                        &facts,
                        &report_dir,
                        &personal,
                        m.send,
                        |k| std::env::var(k).ok(),
                        chrono::Local::now().fixed_offset(),
                    )
                })
                .map_err(|e| format!("{e:#}")),
        ),
        _ => None,
    };

    let count = |f: fn(&ingest::FileOutcome) -> bool| q.files.iter().filter(|x| f(&x.outcome)).count();
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for k in &figures.kpis {
        if plan.kpi(&k.id).is_none() {
            continue;
        }
        let word = k.verdict.word.clone();
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
        locked: locked_books(&q.files),
        files_duplicate: count(|o| matches!(o, ingest::FileOutcome::Duplicate { .. })),
        sheets_recognised: q.sheets.iter().filter(|s| s.dataset.is_some()).count(),
        sheets_ignored: q.sheets.iter().filter(|s| s.dataset.is_none() && s.header_row.is_none()).count(),
        sheets_ambiguous: q.sheets.iter().filter(|s| s.dataset.is_none() && s.header_row.is_some()).count(),
        rows_read: q.rows_read(),
        rows_accepted: q.accepted(),
        rows_rejected: q.rejected.len(),
        rows_rejected_past: q.rejected.len() - q.rejected_from(fy.year()),
        rows_not_held: q.not_held_rows(),
        checks: q.checks_from(fy.year()),
        past_year_items: q.past_items(fy.year()),
        rows_skipped: q.skipped(),
        rows_after_as_of: figures.after_as_of.len(),
        rows_before_fiscal_year: figures.before_fiscal_year,
        rows_conflicting: q.conflicts(),
        warnings_field: q.warnings_of_from("field", fy.year()),
        warnings_outside_year: q.warnings_of_from("date_outside_sheet_year", fy.year()),
        revisions_line,
        leftovers,
        statuses,
        reports_written: report::REPORT_FILES.len(),
        mail,
        sources: summary::source_lines(&config.input, &config.plan, &plan),
    })
}

/// The workbooks an Excel lock file stands beside (`~$派遣.xlsx` → `派遣.xlsx`,
/// in its folder).
fn locked_books(files: &[ingest::InputFile]) -> Vec<String> {
    files
        .iter()
        .filter(|f| matches!(f.outcome, ingest::FileOutcome::Skipped { .. }))
        .filter_map(|f| {
            let (dir, name) = f.file.rsplit_once('/').map_or(("", f.file.as_str()), |(d, n)| (d, n));
            let book = name.strip_prefix("~$")?;
            Some(if dir.is_empty() { book.to_string() } else { format!("{dir}/{book}") })
        })
        .collect()
}
