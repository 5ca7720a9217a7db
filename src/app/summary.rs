//! What a run did, for the terminal, the run log and the exit status: files
//! and rows counted, what was not counted and what to check, the revisions
//! line, the statuses, and the exit code (0 clean, 1 something to fix or
//! check, 2 the mail step refused or failed).

use crate::config::Source;
use crate::plan::Plan;
use crate::{fiscal, kpi, mail, publish};
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
    /// The workbooks an Excel lock file (`~$…`) stands beside: open in Excel,
    /// or left over after Excel closed badly (their unsaved edits are not read).
    pub locked: Vec<String>,
    pub files_duplicate: usize,
    pub sheets_recognised: usize,
    pub sheets_ignored: usize,
    pub sheets_ambiguous: usize,
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    /// Of those, rows of earlier fiscal years (過年度: no exit status).
    pub rows_rejected_past: usize,
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
    /// Rows that did not happen (中止, 延期, 予定, struck through, nobody came).
    pub rows_not_held: usize,
    /// Check items of the office conventions (予定 past its date, 備考 …).
    pub checks: usize,
    /// Rejected rows and warnings of earlier fiscal years (過年度): listed
    /// apart, no exit status. The counts above leave them out.
    pub past_year_items: usize,
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
    /// The terminal's first lines: which folder was read, which plan, which
    /// corner the report is for ([`source_lines`]).
    pub sources: Vec<String>,
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
        let to_fix = self.rows_rejected - self.rows_rejected_past;
        let to_check = to_fix + self.warnings_field + self.warnings_outside_year + self.checks;
        let something = to_check > 0 || self.files_unreadable > 0 || self.sheets_ambiguous > 0;
        if something || !self.locked.is_empty() { 1 } else { 0 }
    }

    /// The one line stderr says when the run ends with exit status 1: the
    /// reports are written, and this is what a person must fix or check.
    pub fn check_line(&self) -> Option<String> {
        if self.exit_code() != 1 {
            return None;
        }
        let mut parts = Vec::new();
        if self.rows_rejected > self.rows_rejected_past {
            parts.push(format!("除外した行 {}", self.rows_rejected - self.rows_rejected_past));
        }
        let warnings = self.warnings_field + self.warnings_outside_year + self.checks;
        if warnings > 0 {
            parts.push(format!("確認が必要な行 {warnings}"));
        }
        if self.files_unreadable > 0 {
            parts.push(format!("読めないブック {}", self.files_unreadable));
        }
        if self.sheets_ambiguous > 0 {
            parts.push(format!("判定できないシート {}", self.sheets_ambiguous));
        }
        if !self.locked.is_empty() {
            parts.push(format!("Excel で開かれているブック {}", self.locked.len()));
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
        for line in &self.sources {
            let _ = writeln!(s, "{line}");
        }
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
        let mut of = Vec::new();
        if self.rows_conflicting > 0 {
            of.push(format!("番号の重複で内容が異なる {} 行", self.rows_conflicting));
        }
        if self.rows_rejected_past > 0 {
            of.push(format!("前の年度の行 {} 行", self.rows_rejected_past));
        }
        let conflicts = if of.is_empty() { String::new() } else { format!("（うち{}）", of.join("、")) };
        let to_check = self.warnings_field + self.warnings_outside_year + self.checks;
        let _ = writeln!(
            s,
            "行 {}: 採用 {}、除外 {}{conflicts}、読み飛ばし {}、実施しなかった {}（年度前の日付 {} 行は履歴のみ、基準日より後の日付 {} 行は集計外、確認が必要な行 {}）",
            self.rows_read,
            self.rows_accepted,
            self.rows_rejected,
            self.rows_skipped,
            self.rows_not_held,
            self.rows_before_fiscal_year,
            self.rows_after_as_of,
            to_check
        );
        if self.rows_not_held > 0 {
            let _ = writeln!(
                s,
                "実施しなかった行 {} は集計していません（中止・延期・予定・取り消し線・受講者数 0。data-quality.xlsx の「実施しなかった行」）",
                self.rows_not_held
            );
        }
        if to_check > 0 {
            let _ = writeln!(
                s,
                "確認: 年度外の日付 {} 行、読めない任意項目 {} 件、書き方の確認 {} 件（data-quality.xlsx の「確認」）",
                self.warnings_outside_year, self.warnings_field, self.checks
            );
        }
        if self.past_year_items > 0 {
            let _ = writeln!(
                s,
                "過年度: 前の年度の行の除外・確認 {} 件は一覧に分けてあります（今年度の集計と終了コードには関係しません）",
                self.past_year_items
            );
        }
        for book in &self.locked {
            let _ = writeln!(s, "{}", locked_line(book));
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

/// The terminal's one line on revisions (and, when another version of
/// corner-kpi made the set compared with, that it did).
pub fn revisions_line(r: &kpi::revisions::Revisions) -> String {
    let Some(against) = &r.against else { return String::new() };
    let when = format!("前回報告（{}現在）", fiscal::date_prose(against.as_of));
    let line = revisions_said(r, &when);
    match against.other_version_note(&when) {
        Some(note) => format!("{line}（{note}）"),
        None => line,
    }
}

fn revisions_said(r: &kpi::revisions::Revisions, when: &str) -> String {
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

/// The terminal's first lines: the folder read (as the user named it), the
/// plan (its file, or 「内蔵の計画（山口県 令和5年度）」 from the embedded plan's
/// own corner and year) and the corner the report is for.
pub fn source_lines(input: &Path, plan_source: &Source, plan: &Plan) -> Vec<String> {
    let year = plan.fiscal_year.label_ja();
    let plan_line = match plan_source {
        Source::Embedded => {
            let corner = plan.corner.trim();
            let place = corner.strip_suffix("地域技能振興コーナー").filter(|p| !p.is_empty()).unwrap_or(corner);
            format!("計画: 内蔵の計画（{place} {year}）")
        }
        Source::File(p) => format!("計画: {}（{year}）", p.display()),
    };
    vec![format!("入力フォルダー: {}", input.display()), plan_line, format!("報告の対象: {}", plan.corner.trim())]
}

/// What an Excel lock file beside `book` means (its content, which holds
/// the user's name, is never read).
pub fn locked_line(book: &str) -> String {
    format!(
        "{book} が Excel で開かれているか、Excel が正しく終了しなかったときの残りです。開いていれば保存してから実行してください（保存前の変更は含まれません）"
    )
}
