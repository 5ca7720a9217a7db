//! Mail: the last step of the monthly run. Turns a published report set
//! into one checked `.eml` draft per recipient group, a checklist, and,
//! only with `--send`, the same messages over SMTP.
//!
//! The recipients file is read once per run, before anything is written:
//! [`Recipients::parse`] checks its shape and compiles its templates
//! ([`templates`]), and the value it returns is all the step reads of it.
//! The caller reads the set's `kpis.json` ([`facts`]: it checks that it is
//! the set of the folder's date) and hands it over with the run's
//! personal-values policy ([`crate::personal`]). [`mail_report_set`] then
//! does it in this order, and writes nothing before the checks are done:
//! 1. per group: the misdelivery checks ([`checks`]: addresses, allow-list,
//!    the BCC rule, which reports, the personal-information re-scan of every
//!    attachment with the report guard), then the words ([`compose`]: the
//!    compiled templates rendered with a view of the set) and the MIME
//!    draft ([`mime`]); a group failing anything gets no draft, and its
//!    reasons go to the checklist and to stderr;
//! 2. publish `<set>/mail/` (drafts + `checklist.txt`) atomically, replacing
//!    any earlier drafts of the set whole;
//! 3. with `--send`, and only when every group passed: read each draft back
//!    from disk and send it ([`smtp`], STARTTLS required).
//!
//! The recipients file is [`recipients`]; addresses are [`address`]; the
//! checklist text is [`checklist`]; what the step returns is in `outcome`
//! ([`MailOutcome`]).
//!
//! # Which module uses which
//!
//! The imports form a DAG; each module uses only those below it, and none
//! uses this file (`mod.rs` is the driver on top):
//!
//! ```text
//! mod.rs      -> checklist, checks, compose, facts, mime, outcome, recipients, smtp
//! checklist   -> outcome, checks, facts
//! outcome     -> checks                      (Draft carries the checked group)
//! compose     -> recipients, templates, facts
//! checks      -> recipients, address
//! smtp        -> recipients                  (the [smtp] table)
//! mime        -> address
//! recipients  -> address, templates
//! address, templates, facts, inputs          (nothing in mail/)
//! ```
//!
//! `corner-kpi mail` on an existing set first checks, with [`inputs`],
//! that the folder it reads holds the workbooks the set was made from.
//!
//! Outside `mail/` it uses the layers below it only: [`crate::publish`]
//! (the personal-information guard, atomic publishing), [`crate::personal`]
//! (which values the guard looks for), [`crate::format`]
//! (how figures and dates are written), [`crate::text`], [`crate::fiscal`],
//! [`crate::kpi::Status`] (the status words), [`crate::config`]
//! ([`MailRequest`]), and of the report stage nothing but the names of
//! the files of a set ([`crate::report::REPORT_FILES`]).

pub mod address;
pub mod checklist;
pub mod checks;
pub mod compose;
pub mod facts;
pub mod inputs;
pub mod mime;
mod outcome;
pub mod recipients;
pub mod smtp;
pub mod templates;

pub use outcome::{Draft, GroupResult, MailOutcome};
pub use recipients::Recipients;

use crate::personal::PersonalValues;
use crate::publish::guard::Needles;
use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::Path;

pub use crate::config::MailRequest;

/// Checks, drafts, and (with `send`) sends the mail of the report set in
/// `report_dir`, whose kpis.json says `facts` ([`facts::ReportFacts::read`]).
/// `personal` is the run's personal-values policy (for a set written
/// earlier: built from the workbooks it was made from and the plan's words
/// in its kpis.json); `env` looks up environment variables (SMTP settings);
/// `now` dates the drafts. `Err` only when nothing could be done at all (the
/// mail folder cannot be written).
pub fn mail_report_set(
    r: &Recipients,
    facts: &facts::ReportFacts,
    report_dir: &Path,
    personal: &PersonalValues,
    send: bool,
    env: impl Fn(&str) -> Option<String>,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<MailOutcome> {
    let needles = Needles::new(personal);

    let mut groups = Vec::new();
    for g in &r.groups {
        let outcome = checks::check_group(r, g, facts.as_of, report_dir, &needles, personal.read_count())
            .and_then(|c| draft(r, g, facts, &needles, c, now).map_err(|e| vec![format!("{e:#}")]));
        groups.push(GroupResult { name: g.name.clone(), label: g.label.clone(), outcome });
    }

    let settings = send.then(|| smtp::Settings::resolve(r.smtp.as_ref(), &env));
    let header = checklist::Header {
        as_of: facts.as_of,
        report_dir,
        recipients_file: &r.source,
        sender: r.sender.to_string(),
        send: settings.as_ref().map(|s| s.as_ref().map(smtp::Settings::describe).map_err(Clone::clone)),
        created: now.format("%Y-%m-%d %H:%M").to_string(),
    };
    let mut checklist = checklist::render(&header, &groups);

    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    for g in &groups {
        if let Ok(d) = &g.outcome {
            files.push((d.file_name.as_str(), d.bytes.clone()));
        }
    }
    files.push(("checklist.txt", checklist.clone().into_bytes()));
    let mail_dir = crate::publish::atomic::publish(report_dir, "mail", &files, None, |_| Ok(()))
        .with_context(|| format!("cannot write the drafts to {}", report_dir.join("mail").display()))?;

    let mut errors: Vec<String> = Vec::new();
    for g in &groups {
        if let Err(reasons) = &g.outcome {
            for why in reasons {
                errors.push(format!("group「{}」を送りません: {why}", g.name));
            }
        }
    }
    let mut outcome = MailOutcome {
        as_of: facts.as_of,
        mail_dir,
        drafts_written: files.len() - 1,
        groups,
        checklist: String::new(),
        sent: 0,
        send_results: Vec::new(),
        errors,
    };

    if let Some(settings) = settings {
        match settings {
            Err(e) => outcome.errors.push(format!("送信しませんでした: {e}")),
            Ok(_) if !outcome.errors.is_empty() => outcome
                .errors
                .push("送信しませんでした: 確認に通らないグループがあります（一部だけ送ることはしません）".to_string()),
            Ok(s) => send_drafts(r, &s, &mut outcome),
        }
        if !outcome.send_results.is_empty() {
            let lines = checklist::send_lines(&outcome);
            checklist.push_str(&lines);
            let path = outcome.mail_dir.join("checklist.txt");
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(lines.as_bytes()))
                .with_context(|| format!("cannot add the send results to {}", path.display()))?;
        }
    }
    outcome.checklist = checklist;
    Ok(outcome)
}

/// Reads each draft back from disk and sends its wire form.
fn send_drafts(r: &Recipients, settings: &smtp::Settings, outcome: &mut MailOutcome) {
    let mut messages = Vec::new();
    for g in &outcome.groups {
        let Ok(d) = &g.outcome else { continue };
        let path = outcome.mail_dir.join(&d.file_name);
        match std::fs::read(&path) {
            Ok(bytes) => messages.push(smtp::Outgoing {
                group: g.name.clone(),
                from: r.sender.address.clone(),
                recipients: d.checked.all().map(|x| x.mailbox.address.clone()).collect(),
                bytes: mime::wire_form(&bytes),
            }),
            Err(e) => outcome.errors.push(format!("送信しませんでした: {} を読めません: {e}", path.display())),
        }
    }
    if !outcome.errors.is_empty() {
        return;
    }
    for (m, result) in messages.iter().zip(smtp::send_all(settings, &messages)) {
        match result {
            Ok(reply) => {
                outcome.sent += 1;
                outcome.send_results.push(format!(
                    "{}: 送信しました（{} 宛、サーバーの応答 {reply}）",
                    m.group,
                    m.recipients.len()
                ));
            }
            Err(e) => {
                outcome.send_results.push(format!("{}: 送信できませんでした: {e}", m.group));
                outcome.errors.push(format!("group「{}」を送信できませんでした: {e}", m.group));
            }
        }
    }
}

/// The words and the MIME draft of a checked group.
fn draft(
    r: &Recipients,
    g: &recipients::Group,
    facts: &facts::ReportFacts,
    needles: &Needles,
    checked: checks::Checked,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<Draft> {
    let names = checked.attachments.iter().map(|a| a.name.clone()).collect();
    let view = compose::MailView::build(facts, r, g, names)?;
    let words = compose::render(r.templates(), g, &view)?;
    if [&words.subject, &words.text, &words.html].iter().any(|t| needles.found_in(t.as_bytes())) {
        anyhow::bail!(
            "件名か本文に、今回読んだ個人情報（氏名・概要など）が含まれています。送付先ファイルのテンプレートを確かめてください"
        );
    }
    let mut h = Sha256::new();
    h.update(now.to_rfc3339().as_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(g.name.as_bytes());
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    h.update(nanos.to_le_bytes());
    for a in &checked.attachments {
        h.update(a.sha256.as_bytes());
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let message_id = format!("<{}.{}@{}>", now.format("%Y%m%d%H%M%S"), &hex[..20], r.sender.domain());
    let date = now.to_rfc2822();
    let to: Vec<_> = checked.to.iter().map(|x| x.mailbox.clone()).collect();
    let cc: Vec<_> = checked.cc.iter().map(|x| x.mailbox.clone()).collect();
    let bcc: Vec<_> = checked.bcc.iter().map(|x| x.mailbox.clone()).collect();
    let attachments: Vec<mime::Attachment> = checked
        .attachments
        .iter()
        .map(|a| mime::Attachment { name: &a.name, content_type: a.content_type, bytes: &a.bytes })
        .collect();
    let bytes = mime::compose(&mime::Message {
        from: &r.sender,
        to: &to,
        cc: &cc,
        bcc: &bcc,
        subject: &words.subject,
        date: &date,
        message_id: &message_id,
        text: &words.text,
        html: &words.html,
        attachments: &attachments,
        boundary_token: &hex[20..44],
    });
    Ok(Draft {
        file_name: format!("{}_{}.eml", g.name, facts.as_of.format("%Y-%m-%d")),
        subject: words.subject,
        message_id,
        checked,
        bytes,
    })
}
