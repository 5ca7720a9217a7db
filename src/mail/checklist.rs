//! `mail/checklist.txt`, printed on the terminal as well: the double-check
//! the seed asks staff to do before a report leaves the office, on one
//! screen. Per group: the draft, the subject, the recipients by field with
//! their organisation, each attachment with its report file, size and
//! SHA-256, and every check passed, or the reasons the group was refused.
//! No personal value ever appears (the reasons name files, not values).

use super::checks::Recipient;
use super::facts::as_of_ja;
use super::outcome::{GroupResult, MailOutcome};
use crate::format;
use crate::text::display_width;
use std::fmt::Write as _;

/// Everything the checklist's header shows.
pub struct Header<'a> {
    pub as_of: chrono::NaiveDate,
    pub report_dir: &'a std::path::Path,
    pub recipients_file: &'a str,
    pub sender: String,
    /// `None`: drafts only; `Some(Ok(server))` / `Some(Err(reason))` for `--send`.
    pub send: Option<Result<String, String>>,
    pub created: String,
}

fn recipients_lines(out: &mut String, label: &str, list: &[Recipient]) {
    if list.is_empty() {
        let _ = writeln!(out, "  {label}: （なし）");
        return;
    }
    for (i, r) in list.iter().enumerate() {
        let head = if i == 0 { format!("{label}:") } else { " ".repeat(label.len() + 1) };
        let side = if r.internal { "内部" } else { "外部" };
        let _ = writeln!(out, "  {head} {}  [{}・{side}]", r.mailbox, r.organisation);
    }
}

/// `label` padded to the width of the longest header label, then `: value`.
fn field(out: &mut String, label: &str, value: &str) {
    let pad = display_width("報告書フォルダー").saturating_sub(display_width(label));
    let _ = writeln!(out, "{label}{}: {value}", " ".repeat(pad));
}

/// The checklist text (LF line ends).
pub fn render(h: &Header, groups: &[GroupResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "送信前チェックリスト（corner-kpi {}、{} 作成）", env!("CARGO_PKG_VERSION"), h.created);
    field(&mut out, "基準日", &format!("{}（{}）", h.as_of, as_of_ja(h.as_of)));
    field(&mut out, "報告書フォルダー", &h.report_dir.display().to_string());
    field(&mut out, "送付先ファイル", h.recipients_file);
    field(&mut out, "送信元", &h.sender);
    let send = match &h.send {
        None => "しない（下書きだけ: メールソフトで開いて宛先と添付を確かめてから送ってください）".to_string(),
        Some(Ok(server)) => format!("する（--send）: {server}"),
        Some(Err(e)) => format!("できません: {e}"),
    };
    field(&mut out, "送信", &send);
    for g in groups {
        let title = match &g.label {
            Some(l) => format!("{}（{l}）", g.name),
            None => g.name.clone(),
        };
        let _ = writeln!(out);
        match &g.outcome {
            Ok(d) => {
                let _ = writeln!(out, "■ {title} — 下書き mail/{}", d.file_name);
                let _ = writeln!(out, "  件名: {}", d.subject);
                recipients_lines(&mut out, "To ", &d.checked.to);
                recipients_lines(&mut out, "Cc ", &d.checked.cc);
                recipients_lines(&mut out, "Bcc", &d.checked.bcc);
                let _ = writeln!(out, "  添付:");
                for a in &d.checked.attachments {
                    let _ = writeln!(out, "    {} ← {}  {} バイト", a.name, a.file, format::int(a.bytes.len() as i64));
                    let _ = writeln!(out, "      SHA-256 {}", a.sha256);
                }
                if let Some(note) = &d.checked.override_note {
                    let _ = writeln!(out, "  ！注意: {note}");
                }
                let _ = writeln!(out, "  確認済み:");
                for p in &d.checked.passed {
                    let _ = writeln!(out, "    [OK] {p}");
                }
            }
            Err(reasons) => {
                let _ = writeln!(out, "■ {title} — 送りません（下書きは作っていません）");
                for r in reasons {
                    let _ = writeln!(out, "    [NG] {r}");
                }
            }
        }
    }
    let ok = groups.iter().filter(|g| g.outcome.is_ok()).count();
    let _ = writeln!(out);
    let _ = writeln!(out, "結果: 下書き {ok} 件、送らないグループ {} 件", groups.len() - ok);
    out
}

/// The lines added after `--send`.
pub fn send_lines(outcome: &MailOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out);
    let _ = writeln!(out, "送信結果:");
    for line in &outcome.send_results {
        let _ = writeln!(out, "  {line}");
    }
    out
}
