//! The misdelivery checks of one group, run before anything is written:
//! the mistakes the seed's personal-information section names (wrong
//! address, outside recipients visible to each other, wrong attachment,
//! confidential data sent out) turned into refusals.
//!
//! 1. Every address parses ([`super::address`]) and its domain belongs to an
//!    organisation of the allow-list; no address appears twice.
//! 2. When the group addresses more than one outside organisation, every
//!    outside address is in Bcc, unless the group says
//!    `allow_outside_in_to_cc = true` (and the checklist shows that it did).
//! 3. Each attachment is a report file of the set meant for the group's
//!    audience; `data-quality.xlsx` (internal) never goes to a group with
//!    an outside recipient; an `internal` group has no outside recipient.
//! 4. Attachment names end with `_<as-of date>.<ext>` and carry no other date.
//! 5. Every attachment is searched for the personal values read this run
//!    with the report guard ([`crate::publish::guard`]: every zip part of an
//!    .xlsx); a hit refuses the group and names the file, never the value.
//!
//! Every failed check adds a reason; a group with any reason gets no draft.

use super::address::{Mailbox, parse_mailbox};
use super::recipients::{AtLine, Audience, Group, Recipients};
use crate::publish::guard::{Needles, xlsx_part_with};
use crate::report::REPORT_FILES;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::path::Path;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Who a report file is for, and its media type.
pub fn report_kind(file: &str) -> Option<(Audience, &'static str)> {
    match file {
        "ministry.xlsx" => Some((Audience::Ministry, XLSX)),
        "ministry.html" => Some((Audience::Ministry, "text/html; charset=UTF-8")),
        "center.xlsx" => Some((Audience::Center, XLSX)),
        "center.html" => Some((Audience::Center, "text/html; charset=UTF-8")),
        "kpis.json" => Some((Audience::Center, "application/json")),
        "data-quality.xlsx" => Some((Audience::Internal, XLSX)),
        _ => None,
    }
}

/// The report files an audience may receive.
pub fn files_for(audience: Audience) -> Vec<&'static str> {
    REPORT_FILES
        .iter()
        .copied()
        .filter(|f| audience == Audience::Internal || report_kind(f).is_some_and(|(a, _)| a == audience))
        .collect()
}

/// A checked recipient.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub mailbox: Mailbox,
    pub organisation: String,
    pub internal: bool,
}

/// A checked attachment.
#[derive(Debug, Clone)]
pub struct Attached {
    /// The report file (`ministry.xlsx`).
    pub file: String,
    /// The name the recipient sees (`…_2023-10-31.xlsx`).
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// A group that passed every check.
#[derive(Debug, Clone)]
pub struct Checked {
    pub to: Vec<Recipient>,
    pub cc: Vec<Recipient>,
    pub bcc: Vec<Recipient>,
    pub attachments: Vec<Attached>,
    /// The checks passed, one line each, for the checklist.
    pub passed: Vec<String>,
    /// Set when `allow_outside_in_to_cc` let several outside organisations into To/CC.
    pub override_note: Option<String>,
}

impl Checked {
    pub fn all(&self) -> impl Iterator<Item = &Recipient> {
        self.to.iter().chain(&self.cc).chain(&self.bcc)
    }
}

/// Runs every check of one group. `Err` holds every reason found.
pub fn check_group(
    r: &Recipients,
    g: &Group,
    as_of: NaiveDate,
    report_dir: &Path,
    needles: &Needles,
    pii_count: usize,
) -> Result<Checked, Vec<String>> {
    let mut why: Vec<String> = Vec::new();
    let mut passed: Vec<String> = Vec::new();

    // 1. Addresses and domains.
    let field = |label: &str, list: &[AtLine<String>], why: &mut Vec<String>| -> Vec<Recipient> {
        let mut out = Vec::new();
        for e in list {
            match parse_mailbox(&e.value) {
                Err(reason) => why.push(format!("line {}: {label} {reason}", e.line)),
                Ok(m) => match r.organisation_of(m.domain()) {
                    None => why.push(format!(
                        "line {}: {label} {} のドメイン {} は許可リスト（[[organisation]] の domains）にありません",
                        e.line,
                        m.address,
                        m.domain()
                    )),
                    Some(o) => out.push(Recipient { mailbox: m, organisation: o.name.clone(), internal: o.internal }),
                },
            }
        }
        out
    };
    let to = field("To", &g.to, &mut why);
    let cc = field("Cc", &g.cc, &mut why);
    let bcc = field("Bcc", &g.bcc, &mut why);
    let count = g.to.len() + g.cc.len() + g.bcc.len();
    if count == 0 {
        why.push(format!("line {}: 宛先（to / cc / bcc）がありません", g.line));
    }
    let all: Vec<(&str, &Recipient)> = to
        .iter()
        .map(|x| ("To", x))
        .chain(cc.iter().map(|x| ("Cc", x)))
        .chain(bcc.iter().map(|x| ("Bcc", x)))
        .collect();
    for (i, (f, x)) in all.iter().enumerate() {
        let a = x.mailbox.address.to_ascii_lowercase();
        if let Some((f2, _)) = all[..i].iter().find(|(_, y)| y.mailbox.address.to_ascii_lowercase() == a) {
            why.push(format!("{} が {f2} と {f} の両方（または2回）にあります", x.mailbox.address));
        }
    }
    let bad_addresses = why.len();
    if bad_addresses == 0 && count > 0 {
        let mut orgs: Vec<&str> = all.iter().map(|(_, x)| x.organisation.as_str()).collect();
        orgs.dedup();
        orgs.sort();
        orgs.dedup();
        passed.push(format!("宛先の形式: {count} 件とも正しい"));
        passed.push(format!("宛先のドメイン: すべて許可リストにある（{}）", orgs.join("、")));
    }

    // 2. The BCC rule.
    let mut outside: Vec<&str> =
        all.iter().filter(|(_, x)| !x.internal).map(|(_, x)| x.organisation.as_str()).collect();
    outside.sort();
    outside.dedup();
    let visible: Vec<&Recipient> = to.iter().chain(&cc).filter(|x| !x.internal).collect();
    let mut override_note = None;
    match outside.len() {
        0 => passed.push("外部の組織: なし（内部の宛先だけ）".into()),
        1 => passed.push(format!("外部の組織: 1 つ（{}）→ To/Cc に入れてよい", outside[0])),
        n if visible.is_empty() => {
            passed.push(format!("外部の組織: {n} つ（{}）→ 外部の宛先はすべて Bcc", outside.join("、")))
        }
        n if g.allow_outside_in_to_cc => {
            let note = format!(
                "BCC 規則を上書き（allow_outside_in_to_cc = true）: 外部の組織 {n} つ（{}）が To/Cc で互いのアドレスを見ます",
                outside.join("、")
            );
            passed.push(format!("外部の組織: {n} つ — 注意: {note}"));
            override_note = Some(note);
        }
        n => why.push(format!(
            "外部の組織が {n} つ（{}）あるのに To/Cc に外部の宛先があります（{}）: 外部の宛先は Bcc に入れてください",
            outside.join("、"),
            visible.iter().map(|x| x.mailbox.address.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }

    // 3. Which reports the group may get.
    if g.audience == Audience::Internal && !outside.is_empty() {
        why.push(format!(
            "line {}: audience = \"internal\" のグループに外部の組織（{}）の宛先があります",
            g.line,
            outside.join("、")
        ));
    }
    if g.attachments.is_empty() {
        why.push(format!("line {}: 添付（attachments）がありません", g.line));
    }
    let date = as_of.format("%Y-%m-%d").to_string();
    let mut planned: Vec<(String, String, &'static str, usize)> = Vec::new();
    let before = why.len();
    for a in &g.attachments {
        let Some((audience, content_type)) = report_kind(&a.file) else {
            why.push(format!(
                "line {}: 添付「{}」は報告書のファイルではありません（{} のどれかを書いてください）",
                a.line,
                a.file,
                REPORT_FILES.join(", ")
            ));
            continue;
        };
        if planned.iter().any(|p| p.0 == a.file) {
            why.push(format!("line {}: 添付 {} が2回あります", a.line, a.file));
            continue;
        }
        if a.file == "data-quality.xlsx" && !outside.is_empty() {
            why.push(format!(
                "line {}: data-quality.xlsx は内部用です。外部の組織（{}）を宛先に含むグループ「{}」には添付できません",
                a.line,
                outside.join("、"),
                g.name
            ));
            continue;
        }
        if g.audience != Audience::Internal && audience != g.audience {
            why.push(format!(
                "line {}: {} は audience = \"{}\" のグループには添付できません（添付できるのは {}）",
                a.line,
                a.file,
                g.audience.key(),
                files_for(g.audience).join(", ")
            ));
            continue;
        }
        let (stem, ext) = a.file.rsplit_once('.').unwrap_or((&a.file, ""));
        let base = match &a.name {
            Some(n) => match check_attachment_name(n, &date) {
                Ok(n) => n,
                Err(e) => {
                    why.push(format!("line {}: 添付 {} の name「{n}」: {e}", a.line, a.file));
                    continue;
                }
            },
            None => stem.to_string(),
        };
        let name = format!("{base}_{date}.{ext}");
        if planned.iter().any(|p| p.1 == name) {
            why.push(format!("line {}: 添付名 {name} が2つあります", a.line));
            continue;
        }
        planned.push((a.file.clone(), name, content_type, a.line));
    }
    if why.len() == before && !planned.is_empty() {
        passed.push(format!("添付: audience = \"{}\" の報告書だけ", g.audience.key()));
        if planned.iter().any(|p| p.0 == "data-quality.xlsx") {
            passed.push("data-quality.xlsx（内部用）: 宛先は内部だけ".into());
        } else {
            passed.push("data-quality.xlsx（内部用）: 添付しない".into());
        }
        passed.push(format!("添付名: すべて基準日 _{date} 付き、ほかの日付なし"));
    }
    if !why.is_empty() {
        return Err(why);
    }

    // 4. Read and re-scan every attachment.
    let mut attachments = Vec::new();
    for (file, name, content_type, line) in planned {
        let path = report_dir.join(&file);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                why.push(format!("line {line}: 添付 {} を読めません: {e}", path.display()));
                continue;
            }
        };
        let hit = if file.ends_with(".xlsx") {
            match xlsx_part_with(&bytes, needles) {
                Ok(part) => part.map(|p| format!("{file}（部品 {p}）")),
                Err(e) => {
                    why.push(format!("line {line}: 添付 {file} を .xlsx として開けません: {e:#}"));
                    continue;
                }
            }
        } else {
            needles.found_in(&bytes).then(|| file.clone())
        };
        if let Some(place) = hit {
            why.push(format!(
                "添付 {place} に、今回読んだ個人情報（氏名・概要など）が含まれています。このグループには送りません（報告書を作り直すか、編集した人に確認してください）"
            ));
            continue;
        }
        let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        attachments.push(Attached { file, name, content_type, bytes, sha256 });
    }
    if !why.is_empty() {
        return Err(why);
    }
    passed.push(format!("個人情報: 添付 {} 件に今回読んだ値（{pii_count} 件）なし", attachments.len()));
    Ok(Checked { to, cc, bcc, attachments, passed, override_note })
}

/// A custom attachment name (without date and extension): a valid Windows
/// file name carrying no date of its own.
fn check_attachment_name(name: &str, as_of: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("空です".into());
    }
    if n.chars().count() > 80 {
        return Err("80文字までにしてください".into());
    }
    if let Some(c) = n.chars().find(|c| c.is_control() || "\\/:*?\"<>|".contains(*c)) {
        return Err(format!("ファイル名に使えない文字「{c}」があります"));
    }
    if n.starts_with('.') || n.ends_with('.') {
        return Err("ファイル名が . で始まるか終わります".into());
    }
    if let Some(d) = find_iso_date(n) {
        return Err(format!(
            "日付 {d} が入っています（基準日 {as_of} は自動で付きます。別の月の名前で送らないよう、日付は書かないでください）"
        ));
    }
    Ok(n.to_string())
}

/// The first date-like `YYYY-MM-DD` (or `_` `.` `/` as separator, or
/// `YYYYMMDD`) of year 19xx/20xx in `s`, not part of a longer number.
fn find_iso_date(s: &str) -> Option<String> {
    let c: Vec<char> = s.chars().collect();
    let d = |i: usize| c.get(i).is_some_and(|x| x.is_ascii_digit());
    for i in 0..c.len() {
        if (i > 0 && d(i - 1)) || !(0..4).all(|k| d(i + k)) || !matches!(c[i..i + 2], ['1', '9'] | ['2', '0']) {
            continue;
        }
        let mut j = i + 4;
        let sep = c.get(j).copied().filter(|x| "-_./".contains(*x));
        j += usize::from(sep.is_some());
        if !(d(j) && d(j + 1)) {
            continue;
        }
        j += 2;
        if let Some(sep) = sep {
            if c.get(j) != Some(&sep) {
                continue;
            }
            j += 1;
        }
        if !(d(j) && d(j + 1)) || d(j + 2) {
            continue;
        }
        return Some(c[i..j + 2].iter().collect());
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_report_file_has_a_kind_and_data_quality_is_internal_only() {
        for f in REPORT_FILES {
            assert!(report_kind(f).is_some(), "{f}");
        }
        assert_eq!(files_for(Audience::Ministry), ["ministry.xlsx", "ministry.html"]);
        assert_eq!(files_for(Audience::Center), ["center.xlsx", "center.html", "kpis.json"]);
        assert_eq!(files_for(Audience::Internal).len(), REPORT_FILES.len());
    }

    #[test]
    fn attachment_names_may_not_carry_a_date_of_their_own() {
        assert_eq!(
            check_attachment_name(" 月次実績報告（厚生労働省） ", "2023-10-31").unwrap(),
            "月次実績報告（厚生労働省）"
        );
        for bad in ["報告_2023-09-30", "報告20230930", "報告 2023.09.30", "a/b", "a:b", "", ".x"] {
            assert!(check_attachment_name(bad, "2023-10-31").is_err(), "{bad}");
        }
        assert!(check_attachment_name("令和5年度 報告 第12号", "2023-10-31").is_ok());
    }

    fn recipients(group: &str) -> Recipients {
        let text = format!(
            "[sender]\naddress = \"me@corner.example.jp\"\n\
             [[organisation]]\nname = \"us\"\ndomains = [\"corner.example.jp\"]\ninternal = true\n\
             [[organisation]]\nname = \"厚生労働省\"\ndomains = [\"mhlw.example.jp\"]\n\
             [[organisation]]\nname = \"県\"\ndomains = [\"*.pref.example.jp\"]\n\
             [[group]]\n{group}\nsubject = \"s\"\nbody = \"b\"\n"
        );
        Recipients::parse(&text, "r.toml").unwrap()
    }

    fn check(group: &str, dir: &Path) -> Result<Checked, Vec<String>> {
        let r = recipients(group);
        let pii: BTreeSet<String> = ["山田 太郎".to_string()].into();
        let needles = Needles::new(&crate::personal::PersonalValues::without_exemptions(&pii));
        check_group(&r, &r.groups[0], NaiveDate::from_ymd_opt(2023, 10, 31).unwrap(), dir, &needles, 1)
    }

    fn report_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in REPORT_FILES {
            std::fs::write(dir.path().join(f), b"<p>figures</p>").unwrap();
        }
        dir
    }

    #[test]
    fn a_clean_group_passes_with_dated_names() {
        let dir = report_dir();
        let ok = check(
            "name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]\ncc = [\"me@corner.example.jp\"]\n\
             attachments = [{ file = \"ministry.html\", name = \"月次報告\" }]",
            dir.path(),
        )
        .unwrap();
        assert_eq!(ok.attachments[0].name, "月次報告_2023-10-31.html");
        assert_eq!(ok.attachments[0].content_type, "text/html; charset=UTF-8");
        assert_eq!(ok.attachments[0].sha256.len(), 64);
        assert!(ok.passed.iter().any(|p| p.contains("外部の組織: 1 つ（厚生労働省）")), "{:?}", ok.passed);
    }

    #[test]
    fn refusals_name_the_line_and_the_reason() {
        let dir = report_dir();
        let cases: &[(&str, &str)] = &[
            ("name = \"ministry\"\nto = [\"a@mhlw.example.com\"]\nattachments = [\"ministry.xlsx\"]", "許可リスト"),
            (
                "name = \"ministry\"\nto = [\"a@mhlw.example.jp\", \"b@x.pref.example.jp\"]\nattachments = [\"ministry.html\"]",
                "Bcc に入れて",
            ),
            (
                "name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]\nattachments = [\"data-quality.xlsx\"]",
                "data-quality.xlsx は内部用",
            ),
            (
                "name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]\nattachments = [\"center.html\"]",
                "audience = \"ministry\"",
            ),
            (
                "name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]\nattachments = [\"secret.docx\"]",
                "報告書のファイルではありません",
            ),
            (
                "name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]\nbcc = [\"A@mhlw.example.jp\"]\nattachments = [\"ministry.html\"]",
                "両方",
            ),
            ("name = \"ministry\"\nattachments = [\"ministry.html\"]", "宛先（to / cc / bcc）がありません"),
            ("name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]", "添付（attachments）がありません"),
            (
                "name = \"x\"\naudience = \"internal\"\nto = [\"a@mhlw.example.jp\"]\nattachments = [\"kpis.json\"]",
                "audience = \"internal\" のグループに外部",
            ),
        ];
        for (group, reason) in cases {
            let why = check(group, dir.path()).unwrap_err();
            assert!(why.iter().any(|w| w.contains(reason)), "{group}: {why:?}");
        }
        let why =
            check("name = \"ministry\"\nto = [\"a@mhlw.example.com\"]\nattachments = [\"ministry.xlsx\"]", dir.path())
                .unwrap_err();
        assert!(why[0].starts_with("line 15: To a@mhlw.example.com"), "{why:?}");
    }

    #[test]
    fn several_outside_organisations_in_bcc_or_with_the_override_pass() {
        let dir = report_dir();
        let ok = check(
            "name = \"ministry\"\nto = [\"me@corner.example.jp\"]\nbcc = [\"a@mhlw.example.jp\", \"b@x.pref.example.jp\"]\nattachments = [\"ministry.html\"]",
            dir.path(),
        )
        .unwrap();
        assert!(ok.passed.iter().any(|p| p.contains("すべて Bcc")), "{:?}", ok.passed);
        assert!(ok.override_note.is_none());
        let ok = check(
            "name = \"ministry\"\nto = [\"a@mhlw.example.jp\", \"b@x.pref.example.jp\"]\nallow_outside_in_to_cc = true\nattachments = [\"ministry.html\"]",
            dir.path(),
        )
        .unwrap();
        assert!(ok.override_note.unwrap().contains("allow_outside_in_to_cc = true"));
    }

    #[test]
    fn the_mail_check_refuses_the_name_the_report_guard_refuses_and_passes_what_it_passes() {
        use crate::personal::PersonalValues;
        use crate::report::{self, fixture::fixture};
        let group = "name = \"staff\"\naudience = \"internal\"\nto = [\"me@corner.example.jp\"]\n\
                     attachments = [\"ministry.xlsx\", \"ministry.html\", \"center.xlsx\", \"center.html\", \"kpis.json\", \"data-quality.xlsx\"]";
        let r = recipients(group);
        for planted in [false, true] {
            // One policy: the values read (山口 among them, inside the corner's
            // name: exempt) and the plan's words.
            let mut fx = fixture();
            fx.read("山口");
            if planted {
                fx.quality.rejected[1].reason = "指導者「山田 太郎」の番号がありません".into();
            }
            let root = tempfile::tempdir().unwrap();
            let guarded = report::write_report_set_with(&fx.input(), root.path(), None);
            // The same files as the mail finds them, had they been written unguarded.
            let dir = tempfile::tempdir().unwrap();
            for (name, bytes) in report::render_all(&fx.input()).unwrap() {
                std::fs::write(dir.path().join(name), bytes).unwrap();
            }
            let personal: &PersonalValues = &fx.personal;
            let as_of = NaiveDate::from_ymd_opt(2023, 10, 31).unwrap();
            let checked =
                check_group(&r, &r.groups[0], as_of, dir.path(), &Needles::new(personal), personal.read_count());
            assert_eq!(guarded.is_err(), planted, "the report guard, planted {planted}: {guarded:?}");
            assert_eq!(checked.is_err(), planted, "the mail check, planted {planted}: {:?}", checked.err());
            if let Err(why) = checked {
                assert!(why.iter().any(|w| w.contains("data-quality.xlsx") && w.contains("個人情報")), "{why:?}");
            }
        }
    }

    #[test]
    fn a_personal_value_in_an_attachment_refuses_without_repeating_it() {
        let dir = report_dir();
        std::fs::write(dir.path().join("ministry.html"), "<td>山田 太郎</td>").unwrap();
        let why =
            check("name = \"ministry\"\nto = [\"a@mhlw.example.jp\"]\nattachments = [\"ministry.html\"]", dir.path())
                .unwrap_err();
        assert!(why[0].contains("ministry.html") && why[0].contains("個人情報"), "{why:?}");
        assert!(!why[0].contains("山田"));
    }
}
