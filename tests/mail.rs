//! The mail step end to end: drafts parsed back with a MIME parser
//! (mail-parser), every refusal case, the checklist, the run log, and
//! `--send` into an SMTP sink this file runs on 127.0.0.1.

use crate::harness::{Dir, V::*, stderr, xlsx};
use crate::messy_sheets::workbook;
use corner_kpi::mail::smtp::{ENV_HOST, ENV_PASSWORD, ENV_PLAIN_LOCALHOST, ENV_PORT, ENV_USER};
use mail_parser::{Message, MessageParser, MimeHeaders};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLE: &str = include_str!("../examples/recipients.toml");
const SUBJECT: &str = "【山口県地域技能振興コーナー】令和5年度 月次実績報告（令和5年10月末現在）";
const MINISTRY_NAME: &str = "月次実績報告_山口県地域技能振興コーナー（厚生労働省向け）_2023-10-31";
const CENTER_NAME: &str = "月次実績報告_山口県地域技能振興コーナー（センター向け）_2023-10-31";

/// The binary, with no SMTP setting inherited from the developer's shell.
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corner-kpi"));
    c.env("CI", "1");
    for k in [ENV_HOST, ENV_PORT, ENV_USER, ENV_PASSWORD, ENV_PLAIN_LOCALHOST] {
        c.env_remove(k);
    }
    c
}

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples")
}

/// A recipients file in a folder whose name has Japanese and a space.
fn recipients_file(dir: &Dir, text: &str) -> PathBuf {
    let folder = dir.tmp.path().join("設定 ファイル");
    std::fs::create_dir_all(&folder).unwrap();
    let p = folder.join("送付先 一覧.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// The output folder: Japanese and a space, as on the corner's PCs.
fn out(dir: &Dir) -> PathBuf {
    dir.tmp.path().join("出力 フォルダー")
}

/// `run --month 2023-10 --mail FILE` on `input` into [`out`], plus `args`.
fn run_mail(dir: &Dir, input: &Path, recipients: &Path, args: &[&str]) -> Output {
    bin()
        .args(["run", "--month", "2023-10", "--input"])
        .arg(input)
        .arg("--output")
        .arg(out(dir))
        .arg("--mail")
        .arg(recipients)
        .args(args)
        .output()
        .unwrap()
}

fn set_dir(dir: &Dir) -> PathBuf {
    out(dir).join("2023").join("2023-10-31")
}

fn mail_dir(dir: &Dir) -> PathBuf {
    set_dir(dir).join("mail")
}

fn names_in(p: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(p).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn parse(bytes: &[u8]) -> Message<'_> {
    MessageParser::default().parse(bytes).expect("a MIME message")
}

fn addresses(a: Option<&mail_parser::Address>) -> Vec<(Option<String>, String)> {
    a.map(|a| a.iter().map(|x| (x.name().map(str::to_string), x.address().unwrap_or_default().to_string())).collect())
        .unwrap_or_default()
}

/// The example plus one more group.
fn with_group(group: &str) -> String {
    format!("{EXAMPLE}\n[[group]]\n{group}\nsubject = \"共同 {{{{ as_of_ja }}}}\"\nbody = \"{{{{ summary }}}}\"\n")
}

const JOINT_BCC: &str = "name = \"joint\"\naudience = \"ministry\"\n\
    to = [\"skills-corner@vada-yamaguchi.example.jp\"]\n\
    bcc = [\"skills-report@mhlw.example.jp\", \"wakate@javada.example.jp\"]\n\
    attachments = [\"ministry.html\"]";

#[test]
fn the_samples_give_two_drafts_that_parse_back_with_the_right_headers_body_and_attachments() {
    let dir = Dir::new();
    let r = recipients_file(&dir, EXAMPLE);
    let o = run_mail(&dir, &samples(), &r, &[]);
    assert_eq!(o.status.code(), Some(1), "rows rejected, mail fine: {}", stderr(&o));
    assert_eq!(names_in(&mail_dir(&dir)), ["center_2023-10-31.eml", "checklist.txt", "ministry_2023-10-31.eml"]);

    let kpis: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(set_dir(&dir).join("kpis.json")).unwrap()).unwrap();
    let sessions = kpis["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
    let sessions_line = format!(
        "・ものづくりマイスター派遣回数: {}回（年間目標 270回",
        corner_kpi::format::count(sessions["actual"].as_f64())
    );

    for (group, to, name, files) in [
        (
            "ministry",
            ("厚生労働省 人材開発統括官付", "skills-report@mhlw.example.jp"),
            MINISTRY_NAME,
            vec!["ministry.xlsx", "ministry.html"],
        ),
        (
            "center",
            ("中央技能振興センター 事業担当", "wakate@javada.example.jp"),
            CENTER_NAME,
            vec!["center.xlsx", "center.html", "kpis.json"],
        ),
    ] {
        let raw = std::fs::read(mail_dir(&dir).join(format!("{group}_2023-10-31.eml"))).unwrap();
        assert!(raw.is_ascii(), "7-bit");
        let text = String::from_utf8(raw.clone()).unwrap();
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
        assert!(text.split("\r\n").all(|l| l.len() <= 80), "folded lines");
        let m = parse(&raw);
        assert_eq!(m.subject(), Some(SUBJECT));
        assert_eq!(
            addresses(m.from()),
            [(Some("山口県地域技能振興コーナー".into()), "skills-corner@vada-yamaguchi.example.jp".into())]
        );
        assert_eq!(addresses(m.to()), [(Some(to.0.to_string()), to.1.to_string())]);
        assert_eq!(addresses(m.cc())[0].1, "skills-corner@vada-yamaguchi.example.jp");
        assert!(m.bcc().is_none());
        assert!(m.date().is_some());
        assert!(m.message_id().unwrap().ends_with("@vada-yamaguchi.example.jp"));
        assert_eq!(m.header_raw("X-Unsent").map(str::trim), Some("1"));
        let root = m.root_part().content_type().unwrap();
        assert_eq!((root.ctype(), root.subtype()), ("multipart", Some("mixed")));

        let body = m.body_text(0).unwrap();
        assert!(body.contains("令和5年度 若年技能者") || body.contains("令和5年度の事業実績"), "{body}");
        assert!(body.contains("【主な指標（令和5年10月末現在）】"), "{body}");
        assert!(body.contains(&sessions_line), "{body}");
        let html = m.body_html(0).unwrap();
        assert!(html.contains("<table") && html.contains("ものづくりマイスター派遣回数"), "{html}");
        assert!(!html.contains("【主な指標"));

        let attached: Vec<_> = m.attachments().collect();
        assert_eq!(attached.len(), files.len());
        for (part, file) in attached.iter().zip(&files) {
            let ext = file.rsplit_once('.').unwrap().1;
            let shown = if *file == "kpis.json" { "kpis_2023-10-31.json".to_string() } else { format!("{name}.{ext}") };
            assert_eq!(part.attachment_name(), Some(shown.as_str()), "RFC 2231 filename");
            assert_eq!(part.content_type().unwrap().attribute("name"), Some(shown.as_str()), "RFC 2047 name");
            assert_eq!(part.contents(), std::fs::read(set_dir(&dir).join(file)).unwrap(), "{file}");
        }
    }

    // The checklist file is what the terminal showed.
    let checklist = std::fs::read_to_string(mail_dir(&dir).join("checklist.txt")).unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains(&checklist));
    for want in [
        "基準日",
        "2023-10-31（令和5年10月末現在）",
        "■ ministry（厚生労働省向け） — 下書き mail/ministry_2023-10-31.eml",
        "To : 厚生労働省 人材開発統括官付 <skills-report@mhlw.example.jp>  [厚生労働省・外部]",
        "Bcc: （なし）",
        &format!("{MINISTRY_NAME}.xlsx ← ministry.xlsx"),
        "kpis_2023-10-31.json ← kpis.json",
        "[OK] 宛先のドメイン: すべて許可リストにある",
        "[OK] 外部の組織: 1 つ（厚生労働省）",
        "[OK] data-quality.xlsx（内部用）: 添付しない",
        "[OK] 個人情報: 添付 3 件に今回読んだ値",
        "送信            : しない",
        "結果: 下書き 2 件、送らないグループ 0 件",
    ] {
        assert!(checklist.contains(want), "{want} missing from:\n{checklist}");
    }
    // Size and SHA-256 of each attachment.
    let xlsx = std::fs::read(set_dir(&dir).join("ministry.xlsx")).unwrap();
    let sha: String = <sha2::Sha256 as sha2::Digest>::digest(&xlsx).iter().map(|b| format!("{b:02x}")).collect();
    assert!(checklist.contains(&format!("SHA-256 {sha}")));
    assert!(checklist.contains(&format!("{} バイト", corner_kpi::format::int(xlsx.len() as i64))));
    for name in corner_kpi_samples::pii_values() {
        assert!(!checklist.contains(&name), "{name} in the checklist");
    }
}

#[test]
fn several_outside_organisations_go_to_bcc_and_the_draft_keeps_the_bcc_field() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, &with_group(JOINT_BCC));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let raw = std::fs::read(mail_dir(&dir).join("joint_2023-10-31.eml")).unwrap();
    let m = parse(&raw);
    assert_eq!(addresses(m.to()), [(None, "skills-corner@vada-yamaguchi.example.jp".to_string())]);
    let bcc: Vec<String> = addresses(m.bcc()).into_iter().map(|a| a.1).collect();
    assert_eq!(bcc, ["skills-report@mhlw.example.jp", "wakate@javada.example.jp"]);
    assert_eq!(m.subject(), Some("共同 令和5年10月末現在"));
    let checklist = std::fs::read_to_string(mail_dir(&dir).join("checklist.txt")).unwrap();
    assert!(checklist.contains(
        "外部の組織: 2 つ（中央職業能力開発協会（中央技能振興センター）、厚生労働省）→ 外部の宛先はすべて Bcc"
    ));
}

/// A refused group: exit 2, the reason on stderr and in the checklist, no
/// draft for it, the other groups' drafts written.
fn assert_refused(dir: &Dir, o: &Output, group: &str, reason: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let err = stderr(o);
    assert!(err.contains(&format!("group「{group}」を送りません")) && err.contains(reason), "{err}");
    let files = names_in(&mail_dir(dir));
    assert!(!files.iter().any(|f| f.starts_with(&format!("{group}_"))), "{files:?}");
    assert!(files.contains(&"checklist.txt".to_string()));
    let checklist = std::fs::read_to_string(mail_dir(dir).join("checklist.txt")).unwrap();
    assert!(checklist.contains(&format!("■ {group}")) && checklist.contains("[NG]") && checklist.contains(reason));
}

#[test]
fn an_address_outside_the_allow_list_is_refused() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, &EXAMPLE.replace("skills-report@mhlw.example.jp", "skills-report@mhlw.example.com"));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_refused(&dir, &o, "ministry", "mhlw.example.com は許可リスト");
    assert!(stderr(&o).contains("line "), "names the line");
    assert!(mail_dir(&dir).join("center_2023-10-31.eml").is_file());
    assert!(set_dir(&dir).join("ministry.xlsx").is_file(), "the reports are still written");
}

#[test]
fn two_outside_organisations_in_to_are_refused_unless_the_override_is_set_and_shown() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let joint_to = "name = \"joint\"\naudience = \"ministry\"\n\
        to = [\"skills-report@mhlw.example.jp\", \"wakate@javada.example.jp\"]\nattachments = [\"ministry.html\"]";
    let r = recipients_file(&dir, &with_group(joint_to));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_refused(&dir, &o, "joint", "外部の宛先は Bcc に入れてください");
    assert_eq!(names_in(&mail_dir(&dir)).len(), 3, "ministry, center, checklist");

    let r = recipients_file(&dir, &with_group(&format!("{joint_to}\nallow_outside_in_to_cc = true")));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let m = std::fs::read(mail_dir(&dir).join("joint_2023-10-31.eml")).unwrap();
    assert_eq!(addresses(parse(&m).to()).len(), 2);
    let checklist = std::fs::read_to_string(mail_dir(&dir).join("checklist.txt")).unwrap();
    assert!(checklist.contains("！注意: BCC 規則を上書き（allow_outside_in_to_cc = true）"), "{checklist}");
}

#[test]
fn data_quality_xlsx_assigned_to_an_outside_group_is_refused() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let text = EXAMPLE.replace("  \"kpis.json\",\n]", "  \"kpis.json\",\n  \"data-quality.xlsx\",\n]");
    assert_ne!(text, EXAMPLE);
    let r = recipients_file(&dir, &text);
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_refused(&dir, &o, "center", "data-quality.xlsx は内部用です");
    assert!(mail_dir(&dir).join("ministry_2023-10-31.eml").is_file());

    // Even a group that calls itself internal may not send it outside.
    let sneaky = "name = \"archive\"\naudience = \"internal\"\nto = [\"skills-report@mhlw.example.jp\"]\n\
        attachments = [\"data-quality.xlsx\"]";
    let r = recipients_file(&dir, &with_group(sneaky));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_refused(&dir, &o, "archive", "data-quality.xlsx は内部用です");
    // …and an internal group may have it.
    let own = "name = \"archive\"\naudience = \"internal\"\nto = [\"skills-corner@vada-yamaguchi.example.jp\"]\n\
        attachments = [\"data-quality.xlsx\", \"ministry.xlsx\"]";
    let r = recipients_file(&dir, &with_group(own));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let m = std::fs::read(mail_dir(&dir).join("archive_2023-10-31.eml")).unwrap();
    let m = parse(&m);
    let part = m.attachments().next().unwrap();
    assert_eq!(part.attachment_name(), Some("data-quality_2023-10-31.xlsx"));
    assert_eq!(part.contents(), std::fs::read(set_dir(&dir).join("data-quality.xlsx")).unwrap());
}

#[test]
fn a_name_planted_inside_an_attachment_is_found_and_that_group_is_refused() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, EXAMPLE);
    assert_eq!(run_mail(&dir, &dir.input(), &r, &[]).status.code(), Some(1));
    assert!(mail_dir(&dir).join("ministry_2023-10-31.eml").is_file());

    // Someone opens ministry.xlsx, types a note naming a meister read in this run, saves.
    let edited = xlsx(&[("メモ", vec![vec![S("確認: 山田 太郎 さんの分を追加")]])]);
    std::fs::write(set_dir(&dir).join("ministry.xlsx"), edited).unwrap();
    let o = bin()
        .arg("mail")
        .arg(&r)
        .args(["--month", "2023-10", "--output"])
        .arg(out(&dir))
        .arg("--input")
        .arg(dir.input())
        .output()
        .unwrap();
    assert_refused(&dir, &o, "ministry", "個人情報");
    let err = stderr(&o);
    assert!(err.contains("ministry.xlsx") && err.contains("xl/sharedStrings.xml"), "names file and part: {err}");
    let terminal = format!("{}{err}", String::from_utf8_lossy(&o.stdout));
    let checklist = std::fs::read_to_string(mail_dir(&dir).join("checklist.txt")).unwrap();
    for text in [&terminal, &checklist] {
        assert!(!text.contains("山田"), "never the value: {text}");
    }
    // The earlier ministry draft is gone with the old mail/ folder; center is drafted again.
    assert_eq!(names_in(&mail_dir(&dir)), ["center_2023-10-31.eml", "checklist.txt"]);
}

/// `mail DIR --month 2023-10` on the set in [`out`], reading `input`.
fn mail_step(dir: &Dir, recipients: &Path, input: &Path) -> Output {
    bin()
        .arg("mail")
        .arg(recipients)
        .args(["--month", "2023-10", "--output"])
        .arg(out(dir))
        .arg("--input")
        .arg(input)
        .output()
        .unwrap()
}

#[test]
fn mail_refuses_a_folder_whose_workbooks_are_not_the_ones_the_set_was_made_from() {
    let dir = Dir::new();
    let book = dir.write("派遣実績.xlsx", &workbook());
    let original = std::fs::read(&book).unwrap();
    let r = recipients_file(&dir, EXAMPLE);
    assert_eq!(run_mail(&dir, &dir.input(), &r, &[]).status.code(), Some(1));
    std::fs::remove_dir_all(mail_dir(&dir)).unwrap();

    // The workbook is edited after the set was made (one more session).
    let more = xlsx(&[(
        "11月",
        vec![
            vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
            vec![D(2023, 10, 30), S("企業"), S("Z社"), S("旋盤"), N(2.0)],
        ],
    )]);
    std::fs::write(&book, &more).unwrap();
    let o = mail_step(&dir, &r, &dir.input());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("派遣実績.xlsx は、報告書") && err.contains("を作ったあとに変わっています"), "{err}");
    assert!(err.contains("sha256") && err.contains("--input") && err.contains("corner-kpi run"), "what to do: {err}");
    assert!(!mail_dir(&dir).exists(), "no draft, no checklist");

    // A workbook added since, beside the original one.
    std::fs::write(&book, &original).unwrap();
    dir.write("追加/11月分.xlsx", &more);
    let o = mail_step(&dir, &r, &dir.input());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("追加/11月分.xlsx は、報告書") && stderr(&o).contains("なかったブックです"),
        "{}",
        stderr(&o)
    );

    // Another folder altogether: its first file that differs is named.
    let o = mail_step(&dir, &r, &samples());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!mail_dir(&dir).exists());

    // The very files the set was made from: drafted.
    std::fs::remove_dir_all(dir.input().join("追加")).unwrap();
    let o = mail_step(&dir, &r, &dir.input());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names_in(&mail_dir(&dir)), ["center_2023-10-31.eml", "checklist.txt", "ministry_2023-10-31.eml"]);
}

#[test]
fn a_broken_recipients_file_stops_the_run_before_anything_is_written() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, &EXAMPLE.replace("[[group]]\nname = \"center\"", "[[group]]\nnmae = \"center\""));
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("送付先 一覧.toml") && stderr(&o).contains("nmae"), "{}", stderr(&o));
    assert!(!out(&dir).exists(), "nothing written");

    let missing = bin().args(["mail", "nowhere.toml", "--report"]).arg(dir.tmp.path()).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_template_that_does_not_compile_stops_the_run_before_anything_is_written_naming_its_group() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let bad = format!(
        "{EXAMPLE}\n[[group]]\n{JOINT_BCC}\nsubject = \"{{{{ as_of_ja | no_such_filter }}}}\"\nbody = \"{{{{ summary }}}}\"\n"
    );
    let r = recipients_file(&dir, &bad);
    let o = run_mail(&dir, &dir.input(), &r, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("送付先 一覧.toml") && err.contains("group「joint」の subject"), "{err}");
    assert!(!out(&dir).exists(), "nothing written");
}

#[test]
fn the_recipients_command_prints_the_commented_example() {
    let o = bin().arg("recipients").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8(o.stdout).unwrap(), EXAMPLE);
    corner_kpi::mail::Recipients::parse(EXAMPLE, "example").unwrap();
}

#[test]
fn every_run_appends_one_line_to_the_run_log() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, EXAMPLE);
    assert_eq!(run_mail(&dir, &dir.input(), &r, &[]).status.code(), Some(1));
    let bad = recipients_file(&dir, &EXAMPLE.replace("skills-report@mhlw.example.jp", "x@mhlw.example.com"));
    assert_eq!(run_mail(&dir, &dir.input(), &bad, &[]).status.code(), Some(2));
    let bad_plan = bin()
        .args(["run", "--month", "2023-10", "--plan", "no-such-plan.toml", "--input"])
        .arg(dir.input())
        .arg("--output")
        .arg(out(&dir))
        .output()
        .unwrap();
    assert_eq!(bad_plan.status.code(), Some(2));

    let log = std::fs::read_to_string(out(&dir).join("run-log.txt")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    for line in &lines {
        assert!(line.contains(" run as_of=2023-10-31 "), "{line}");
    }
    assert!(lines[0].ends_with(" exit=1") && lines[1].ends_with(" exit=2"), "{log}");
    assert!(lines[2].contains(" exit=2 error=\""), "{log}");
    assert!(lines[0].contains("files_read=1") && lines[0].contains("rows_rejected=2") && lines[0].contains("drafts=2"));
    assert!(lines[0].contains("reports_written=6") && lines[0].contains("sent=0"));
    assert!(lines[1].contains("drafts=1 refused=1"));
    assert!(lines[2].contains("reports_written=0") && lines[2].contains("error="));
    for name in ["山田", "鈴木"] {
        assert!(!log.contains(name));
    }
}

// ---- SMTP ---------------------------------------------------------------------

/// One SMTP transaction the sink accepted.
#[derive(Debug, Default)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: Vec<u8>,
}

/// A minimal SMTP server on 127.0.0.1, in a thread: enough of RFC 5321 for
/// lettre without TLS. It serves connections one after another until one
/// says `STOP`, which [`Sink::finish`] sends after the client has exited,
/// so the connections before it have all been served: no sleeping, no timing.
struct Sink {
    port: u16,
    thread: std::thread::JoinHandle<Vec<Received>>,
}

impl Sink {
    fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let thread = std::thread::spawn(move || {
            let mut got = Vec::new();
            for stream in listener.incoming() {
                if !serve(stream.unwrap(), &mut got) {
                    break;
                }
            }
            got
        });
        Sink { port, thread }
    }

    fn finish(self) -> Vec<Received> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.write_all(b"STOP\r\n").unwrap();
        self.thread.join().unwrap()
    }
}

/// Serves one connection; false when it was the STOP connection.
fn serve(stream: TcpStream, got: &mut Vec<Received>) -> bool {
    // A safety net against a hung client, not a synchronisation.
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    let mut w = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    let _ = w.write_all(b"220 sink.test ESMTP\r\n");
    let mut current = Received::default();
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
            return true;
        }
        let cmd = String::from_utf8_lossy(&line).trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let reply: &[u8] = if upper == "STOP" {
            return false;
        } else if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") || upper.starts_with("RSET") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            current = Received { mail_from: angle(&cmd), ..Received::default() };
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            current.rcpt_to.push(angle(&cmd));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = w.write_all(b"354 go ahead\r\n");
            let mut data = Vec::new();
            while !(data.ends_with(b"\r\n.\r\n") || data == b".\r\n") {
                if r.read_until(b'\n', &mut data).unwrap_or(0) == 0 {
                    return true;
                }
            }
            // lettre writes the message, then CRLF.CRLF: strip that, undo dot-stuffing.
            data.truncate(data.len().saturating_sub(5));
            current.data = undot(&data);
            got.push(std::mem::take(&mut current));
            b"250 queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = w.write_all(b"221 bye\r\n");
            return true;
        } else {
            b"502 not here\r\n"
        };
        let _ = w.write_all(reply);
    }
}

fn angle(cmd: &str) -> String {
    cmd.split_once('<').and_then(|(_, r)| r.split_once('>')).map(|(a, _)| a.to_string()).unwrap_or_default()
}

fn undot(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut start_of_line = true;
    let mut i = 0;
    while i < data.len() {
        if start_of_line && data[i] == b'.' && data.get(i + 1) == Some(&b'.') {
            i += 1;
        }
        out.push(data[i]);
        start_of_line = data[i] == b'\n';
        i += 1;
    }
    out
}

/// The draft without its `Bcc:` and `X-Unsent:` header fields, computed here
/// independently of the library's `wire_form`.
fn without_bcc(draft: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(draft.to_vec()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in head.split("\r\n") {
        if !line.starts_with(' ') {
            skipping = line.starts_with("Bcc:") || line.starts_with("X-Unsent:");
        }
        if !skipping {
            kept.push(line);
        }
    }
    format!("{}\r\n\r\n{body}", kept.join("\r\n")).into_bytes()
}

#[test]
fn send_delivers_every_draft_byte_for_byte_to_a_local_smtp_server() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, &with_group(JOINT_BCC));
    let sink = Sink::start();
    let o = bin()
        .args(["run", "--month", "2023-10", "--input"])
        .arg(dir.input())
        .arg("--output")
        .arg(out(&dir))
        .arg("--mail")
        .arg(&r)
        .arg("--send")
        .env(ENV_HOST, "127.0.0.1")
        .env(ENV_PORT, sink.port.to_string())
        .env(ENV_PLAIN_LOCALHOST, "1")
        .output()
        .unwrap();
    let got = sink.finish();
    assert_eq!(o.status.code(), Some(1), "sent; rows were rejected: {}", stderr(&o));
    assert_eq!(got.len(), 3);
    for (rec, (group, rcpt)) in got.iter().zip([
        ("ministry", vec!["skills-report@mhlw.example.jp", "skills-corner@vada-yamaguchi.example.jp"]),
        ("center", vec!["wakate@javada.example.jp", "skills-corner@vada-yamaguchi.example.jp"]),
        (
            "joint",
            vec![
                "skills-corner@vada-yamaguchi.example.jp",
                "skills-report@mhlw.example.jp",
                "wakate@javada.example.jp",
            ],
        ),
    ]) {
        let draft = std::fs::read(mail_dir(&dir).join(format!("{group}_2023-10-31.eml"))).unwrap();
        assert_eq!(rec.data, without_bcc(&draft), "{group}: the draft, byte for byte, minus Bcc/X-Unsent");
        assert_eq!(rec.data, corner_kpi::mail::mime::wire_form(&draft));
        assert_eq!(rec.mail_from, "skills-corner@vada-yamaguchi.example.jp");
        assert_eq!(rec.rcpt_to, rcpt, "{group}: every To, Cc and Bcc address in the envelope");
        let m = parse(&rec.data);
        assert!(m.bcc().is_none(), "Bcc never on the wire");
        let attachments = match group {
            "ministry" => 2,
            "center" => 3,
            _ => 1,
        };
        assert_eq!(m.attachment_count(), attachments, "{group}");
    }
    let joint = std::fs::read(mail_dir(&dir).join("joint_2023-10-31.eml")).unwrap();
    assert_eq!(addresses(parse(&joint).bcc()).len(), 2, "the draft keeps Bcc for the mail program");
    let checklist = std::fs::read_to_string(mail_dir(&dir).join("checklist.txt")).unwrap();
    assert!(checklist.contains("送信            : する（--send）: 127.0.0.1:"), "{checklist}");
    assert!(
        checklist.contains("送信結果:") && checklist.contains("joint: 送信しました（3 宛、サーバーの応答 250 queued）")
    );
    let log = std::fs::read_to_string(out(&dir).join("run-log.txt")).unwrap();
    assert!(log.contains("drafts=3 refused=0 sent=3 exit=1"), "{log}");
}

#[test]
fn without_the_test_setting_send_requires_starttls_and_nothing_leaves_in_clear() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let r = recipients_file(&dir, EXAMPLE);
    let sink = Sink::start();
    let o = run_mail_env(&dir, &r, &[(ENV_HOST, "127.0.0.1"), (ENV_PORT, &sink.port.to_string())]);
    let got = sink.finish();
    assert_eq!(o.status.code(), Some(2));
    assert!(got.is_empty(), "no message reached a server without STARTTLS");
    assert!(stderr(&o).to_ascii_uppercase().contains("STARTTLS"), "{}", stderr(&o));
    assert_eq!(names_in(&mail_dir(&dir)).len(), 3, "the drafts are still there to send by hand");

    // The plain-text test setting is for a loopback IP only, and never with a password.
    let o = run_mail_env(&dir, &r, &[(ENV_HOST, "smtp.example.jp"), (ENV_PLAIN_LOCALHOST, "1")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("127.0.0.1"), "{}", stderr(&o));

    // A refused group: nothing is sent at all.
    let sink = Sink::start();
    let bad = recipients_file(&dir, &EXAMPLE.replace("wakate@javada.example.jp", "wakate@javada.example.com"));
    let o = run_mail_env(
        &dir,
        &bad,
        &[(ENV_HOST, "127.0.0.1"), (ENV_PORT, &sink.port.to_string()), (ENV_PLAIN_LOCALHOST, "1")],
    );
    assert!(sink.finish().is_empty());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("一部だけ送ることはしません"), "{}", stderr(&o));
}

fn run_mail_env(dir: &Dir, recipients: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = bin();
    c.args(["run", "--month", "2023-10", "--input"])
        .arg(dir.input())
        .arg("--output")
        .arg(out(dir))
        .arg("--mail")
        .arg(recipients)
        .arg("--send");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}
