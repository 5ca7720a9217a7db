//! What the mail step hands back: each group's draft or the reasons it was
//! refused, and the outcome of the whole step (drafts written, messages
//! sent, the errors that make the exit status 2). Plain data, shared by the
//! driver ([`super::mail_report_set`]) and the checklist ([`super::checklist`]).

use super::checks;
use chrono::NaiveDate;
use std::path::PathBuf;

/// A group's draft, ready to write.
#[derive(Debug, Clone)]
pub struct Draft {
    /// `ministry_2023-10-31.eml`.
    pub file_name: String,
    pub subject: String,
    pub message_id: String,
    pub checked: checks::Checked,
    pub bytes: Vec<u8>,
}

/// One group's result.
#[derive(Debug, Clone)]
pub struct GroupResult {
    pub name: String,
    pub label: Option<String>,
    /// The draft, or every reason the group was refused.
    pub outcome: Result<Draft, Vec<String>>,
}

/// What the mail step did.
#[derive(Debug, Clone)]
pub struct MailOutcome {
    pub as_of: NaiveDate,
    /// `<set>/mail/`.
    pub mail_dir: PathBuf,
    pub groups: Vec<GroupResult>,
    /// The checklist as written to `mail/checklist.txt` (with the send results).
    pub checklist: String,
    pub drafts_written: usize,
    pub sent: usize,
    /// One line per message sent or failed.
    pub send_results: Vec<String>,
    /// Why the step failed (refused groups, sending errors): exit status 2.
    pub errors: Vec<String>,
}

impl MailOutcome {
    /// 0 when every group got its draft (and, with `--send`, was sent); 2 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.errors.is_empty() { 0 } else { 2 }
    }
}
