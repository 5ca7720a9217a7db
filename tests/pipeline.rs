//! The binary end to end on small fixtures: exit codes, bad files beside
//! good ones, atomic report sets, personal names, plan and mapping files.

use crate::harness::{Dir, files_under, stderr};
use crate::messy_sheets::workbook;
use std::io::Read;

fn kpis_json(dir: &Dir, as_of: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.report(2023, as_of).join("kpis.json")).expect("kpis.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn kpi<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

const REPORT_FILES: [&str; 6] =
    ["ministry.xlsx", "ministry.html", "center.xlsx", "center.html", "data-quality.xlsx", "kpis.json"];

#[test]
fn writes_every_report_file_and_exit_1_when_rows_are_rejected() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for f in REPORT_FILES {
        assert!(dir.report(2023, "2023-10-31").join(f).is_file(), "{f} missing");
    }
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(json["as_of"], "2023-10-31");
    assert_eq!(json["fiscal_year"], 2023);
    assert_eq!(kpi(&json, "dispatch.sessions")["actual"], 5.0);
    assert_eq!(kpi(&json, "dispatch.sessions")["target"], 270.0);
    assert_eq!(kpi(&json, "outreach.school.sessions")["actual"], serde_json::Value::Null);
    assert_eq!(kpi(&json, "outreach.school.sessions")["status"], "no_data");
    assert_eq!(json["rejected"].as_array().unwrap().len(), 2);
    assert_eq!(json["rejected"][0]["cell"], "C9");
    assert_eq!(json["rejected"][0]["sheet"], "10月");
}

#[test]
fn a_clean_folder_exits_0() {
    let dir = Dir::new();
    let rows = vec![
        vec![
            crate::harness::V::S("実施日"),
            crate::harness::V::S("派遣先区分"),
            crate::harness::V::S("派遣先名"),
            crate::harness::V::S("職種"),
            crate::harness::V::S("受講者数"),
        ],
        vec![
            crate::harness::V::D(2023, 5, 10),
            crate::harness::V::S("企業"),
            crate::harness::V::S("A社"),
            crate::harness::V::S("旋盤"),
            crate::harness::V::N(7.0),
        ],
    ];
    dir.write("a.xlsx", &crate::harness::xlsx(&[("5月", rows)]));
    let out = dir.run(&["--month", "2023-05"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(kpi(&kpis_json(&dir, "2023-05-31"), "dispatch.person_days")["actual"], 7.0);
}

#[test]
fn bad_files_beside_good_ones_are_listed_and_the_good_rows_still_count() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let mut truncated = workbook();
    truncated.truncate(truncated.len() / 2);
    dir.write("壊れた/途中まで.xlsx", &truncated);
    dir.write("空.xlsx", b"");
    dir.write("ランダム.xls", &(0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect::<Vec<_>>());
    dir.write("実はCSV.xlsx", "実施日,派遣先区分\n2023/4/1,企業\n".as_bytes());
    dir.write("~$派遣実績.xlsx", b"lock");
    dir.write("メモ.pdf", b"%PDF-1.4");
    dir.write("コピー/派遣実績.xlsx", &workbook());
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = kpis_json(&dir, "2023-10-31");
    // The same figures as the good workbook alone (the copy is counted once).
    assert_eq!(kpi(&json, "dispatch.sessions")["actual"], 5.0);
    assert_eq!(kpi(&json, "dispatch.person_days")["actual"], 51.0);
    let inputs = json["inputs"].as_array().unwrap();
    let status = |f: &str| {
        let e = inputs.iter().find(|i| i["file"] == f).unwrap_or_else(|| panic!("{f} not listed"));
        e["status"].as_str().unwrap().to_string()
    };
    // Path order: the copy in コピー/ comes first, so it is read and the
    // top-level file is the duplicate.
    assert_eq!(status("コピー/派遣実績.xlsx"), "read");
    assert_eq!(status("派遣実績.xlsx"), "duplicate");
    for bad in ["壊れた/途中まで.xlsx", "空.xlsx", "ランダム.xls", "実はCSV.xlsx"] {
        assert_eq!(status(bad), "unreadable", "{bad}");
    }
    assert_eq!(status("~$派遣実績.xlsx"), "skipped");
    assert_eq!(status("メモ.pdf"), "skipped");
    let sha = inputs.iter().find(|i| i["file"] == "派遣実績.xlsx").unwrap()["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
}

#[test]
fn a_failed_run_leaves_the_previous_report_set_untouched() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    assert_eq!(dir.run(&["--month", "2023-10"]).status.code(), Some(1));
    let set = dir.report(2023, "2023-10-31");
    let before: Vec<(std::path::PathBuf, Vec<u8>)> =
        files_under(&set).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    assert_eq!(before.len(), REPORT_FILES.len());

    // New data, and the writer fails half-way through the new set.
    dir.write("追加.xlsx", &workbook_with_one_more_session());
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_corner-kpi"));
    cmd.args(["run", "--month", "2023-10", "--input"]).arg(dir.input()).arg("--output").arg(dir.output());
    cmd.env("CORNER_KPI_FAIL_AT", "center.html").env("CI", "1");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).is_empty());
    let after: Vec<(std::path::PathBuf, Vec<u8>)> =
        files_under(&set).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    assert_eq!(before, after, "the previous set changed");
    // No temporary folder is left behind next to the sets.
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.output().join("2023")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("2023-10-31")]);

    // Without the fault, the new set replaces the old one.
    assert_eq!(dir.run(&["--month", "2023-10"]).status.code(), Some(1));
    assert_eq!(kpi(&kpis_json(&dir, "2023-10-31"), "dispatch.sessions")["actual"], 6.0);
}

fn workbook_with_one_more_session() -> Vec<u8> {
    use crate::harness::V::*;
    crate::harness::xlsx(&[(
        "追加",
        vec![
            vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
            vec![D(2023, 10, 20), S("業界団体"), S("H組合"), S("塗装"), N(9.0)],
        ],
    )])
}

/// Every byte of every output, with xlsx parts decompressed.
pub fn output_texts(dir: &Dir) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for p in files_under(&dir.output()) {
        let bytes = std::fs::read(&p).unwrap();
        let name = p.display().to_string();
        if name.ends_with(".xlsx") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut buf = Vec::new();
                part.read_to_end(&mut buf).unwrap();
                out.push((format!("{name}!{}", part.name().map(|n| n.to_string()).unwrap_or_default()), buf));
            }
        }
        out.push((name, bytes));
    }
    out
}

#[test]
fn personal_names_never_reach_any_output() {
    use crate::harness::V::*;
    let names = ["山田 太郎", "山田太郎", "鈴木 花子", "佐藤一郎"];
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    dir.write(
        "氏名入り.xlsx",
        &crate::harness::xlsx(&[(
            "11月",
            vec![
                vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数"), S("マイスター氏名")],
                vec![D(2023, 10, 3), S("企業"), S("J社"), S("溶接"), N(4.0), S("佐藤一郎")],
                // A name typed into the date column: rejected, and the reason must not quote it.
                vec![S("佐藤一郎"), S("企業"), S("J社"), S("溶接"), N(4.0), S("佐藤一郎")],
            ],
        )]),
    );
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let texts = output_texts(&dir);
    assert!(texts.len() > REPORT_FILES.len(), "xlsx parts were scanned");
    for (file, bytes) in &texts {
        let text = String::from_utf8_lossy(bytes);
        for n in names {
            assert!(!text.contains(n), "{n} found in {file}");
        }
    }
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    for n in names {
        assert!(!all.contains(n), "{n} on the terminal");
    }
}

/// A personal value inside another text the reports show (an instructor
/// 中村 at the requester 中村鉄工所, an instructor's name typed into 職種), or
/// in a file or sheet name (a workbook and a sheet per instructor): the run
/// still writes its reports, with the name masked as ＊＊＊ wherever it
/// appears and each such cell listed to check; no output holds the name.
#[test]
fn a_name_inside_a_requester_a_trade_or_a_file_or_sheet_name_is_masked_not_a_reason_to_write_nothing() {
    use crate::harness::V::*;
    let dir = Dir::new();
    let header =
        || vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数"), S("指導者氏名"), S("派遣番号")];
    // 21 sessions at one requester: over the 20-a-year cap, so a finding names it.
    let mut rows = vec![header()];
    for i in 1..=21u32 {
        rows.push(vec![
            D(2023, 4 + (i % 9), 1 + i % 27),
            S("中小企業"),
            S("中村鉄工所"),
            S(if i == 21 { "佐藤一郎" } else { "溶接" }),
            N(1.0),
            S(if i == 20 { "佐藤一郎" } else { "中村" }),
            Str(format!("R5-{i:03}")),
        ]);
    }
    dir.write("派遣_中村.xlsx", &crate::harness::xlsx(&[("中村", rows)]));
    let out = dir.run(&["--month", "2023-12"]);
    assert_eq!(out.status.code(), Some(1), "written, with cells to check: {}", stderr(&out));
    let json = kpis_json(&dir, "2023-12-31");
    assert_eq!(kpi(&json, "dispatch.sessions")["actual"], 21);
    assert_eq!(kpi(&json, "dispatch.person_days")["actual"], 21);
    let text = serde_json::to_string(&json).unwrap();
    assert!(text.contains("＊＊＊鉄工所"), "the requester is shown masked in the cap finding");
    assert!(text.contains("派遣_＊＊＊.xlsx"), "the file name is masked");
    let warned: Vec<&serde_json::Value> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["reason"].as_str().unwrap().contains("氏名の欄にもある文字"))
        .collect();
    assert_eq!(warned.len(), 21 + 1, "every 派遣先名 cell, and the 職種 holding a name");
    assert!(warned.iter().any(|w| w["column"] == "職種" && w["cell"] == "D22"), "the very cell: {warned:?}");
    assert!(warned.iter().any(|w| w["column"] == "派遣先名" && w["cell"] == "C2"), "{warned:?}");
    for (file, bytes) in output_texts(&dir) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains("中村") && !t.contains("佐藤一郎"), "a name found in {file}");
    }
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!all.contains("中村") && !all.contains("佐藤"), "a name on the terminal");
}

/// A surname that is also a word of the schema (an instructor 西部 beside
/// the region 西部) hides no region; a name inside a repeated 派遣番号 is
/// masked in the duplicate listing too. Both runs write their reports.
#[test]
fn a_name_equal_to_a_region_or_inside_a_repeated_number_writes_the_reports() {
    use crate::harness::V::*;
    let dir = Dir::new();
    let head = vec![
        S("実施日"),
        S("派遣先区分"),
        S("派遣先名"),
        S("職種"),
        S("受講者数"),
        S("指導者氏名"),
        S("地区"),
        S("派遣番号"),
    ];
    let row = |d: u32, name: &'static str, no: &'static str| {
        vec![D(2023, 10, d), S("企業"), S("A社"), S("旋盤"), N(3.0), S(name), S("西部"), S(no)]
    };
    let rows = vec![head, row(2, "西部", "R5-1"), row(3, "山田", "山田01"), row(3, "山田", "山田01")];
    dir.write("派遣.xlsx", &crate::harness::xlsx(&[("10月", rows)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "the masked number is listed to check: {}", stderr(&out));
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(kpi(&json, "dispatch.sessions")["actual"], 2, "山田01 twice is one session");
    assert_eq!(json["duplicates"][0]["key"], "＊＊＊01");
    for (file, bytes) in output_texts(&dir) {
        assert!(!String::from_utf8_lossy(&bytes).contains("山田"), "山田 found in {file}");
    }
    let center = std::fs::read_to_string(dir.report(2023, "2023-10-31").join("center.html")).unwrap();
    assert!(center.contains("西部"), "the region is still shown");
}

/// A drop folder under a person's name (C:\\Users\\佐藤花子\\…) whose books
/// name that person: the folder is shown masked in data-quality.xlsx, and
/// the reports are written.
#[test]
fn a_drop_folder_under_a_persons_name_is_shown_masked() {
    use crate::harness::V::*;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("佐藤花子").join("実績");
    std::fs::create_dir_all(&input).unwrap();
    let rows = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数"), S("指導者氏名")],
        vec![D(2023, 10, 2), S("企業"), S("A社"), S("旋盤"), N(3.0), S("佐藤花子")],
    ];
    std::fs::write(input.join("派遣.xlsx"), crate::harness::xlsx(&[("10月", rows)])).unwrap();
    let output = tmp.path().join("報告書");
    let (input, output) = (input.as_os_str(), output.as_os_str());
    let out = crate::harness::corner_kpi([
        "run".as_ref(),
        "--input".as_ref(),
        input,
        "--output".as_ref(),
        output,
        "--month".as_ref(),
        "2023-10".as_ref(),
        "-q".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let set = std::path::Path::new(output).join("2023").join("2023-10-31");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(set.join("data-quality.xlsx")).unwrap()).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    assert!(strings.contains("＊＊＊"), "the folder is shown, masked");
    assert!(!strings.contains("佐藤花子"));
}

#[test]
fn html_templates_written_out_edited_and_passed_back_shape_the_html_reports() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let templates = dir.output().with_file_name("ひな形");
    let write_templates =
        || crate::harness::corner_kpi(["html-templates".as_ref(), "--output".as_ref(), templates.as_os_str()]);
    let out = write_templates();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = templates.join("report.html");
    let edited = std::fs::read_to_string(&page).unwrap().replace("</body>", "<footer>センター様式</footer></body>");
    std::fs::write(&page, edited).unwrap();
    let out = dir.run(&["--month", "2023-10", "--html-templates", templates.to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let set = dir.report(2023, "2023-10-31");
    for html in ["ministry.html", "center.html"] {
        assert!(std::fs::read_to_string(set.join(html)).unwrap().contains("<footer>センター様式</footer>"), "{html}");
    }
    // A second write never replaces the edited files.
    assert_eq!(write_templates().status.code(), Some(2));
    assert!(std::fs::read_to_string(&page).unwrap().contains("センター様式"));
}

#[test]
fn printed_plan_and_mapping_can_be_edited_and_passed_back() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let bin = env!("CARGO_BIN_EXE_corner-kpi");
    let plan = std::process::Command::new(bin).arg("plan").output().unwrap();
    assert_eq!(plan.status.code(), Some(0));
    let plan = String::from_utf8(plan.stdout).unwrap();
    assert!(plan.contains("id = \"dispatch.sessions\""));
    let edited = plan.replacen("target = 270", "target = 300", 1);
    let plan_file = dir.tmp.path().join("plan.toml");
    std::fs::write(&plan_file, &edited).unwrap();

    let mapping = std::process::Command::new(bin).arg("mapping").output().unwrap();
    let mapping = String::from_utf8(mapping.stdout).unwrap();
    // The user's own alias for NPO-like requesters: NPO counts as 業界団体.
    let edited = mapping.replacen("\"業界団体\" = [\"団体\",", "\"業界団体\" = [\"NPO\", \"団体\",", 1);
    assert_ne!(edited, mapping);
    let mapping_file = dir.tmp.path().join("mapping.toml");
    std::fs::write(&mapping_file, &edited).unwrap();

    let out = dir.run(&[
        "--month",
        "2023-10",
        "--plan",
        plan_file.to_str().unwrap(),
        "--mapping",
        mapping_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(kpi(&json, "dispatch.sessions")["target"], 300.0);
    assert_eq!(kpi(&json, "dispatch.sessions")["actual"], 6.0);
    assert_eq!(json["rejected"].as_array().unwrap().len(), 1);
}

#[test]
fn a_bad_plan_writes_nothing_and_names_the_line() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let plan = corner_kpi::plan::DEFAULT_PLAN_TOML.replacen("id = \"skilled.sessions\"", "id = \"skilled.session\"", 1);
    let plan_file = dir.tmp.path().join("plan.toml");
    std::fs::write(&plan_file, plan).unwrap();
    let out = dir.run(&["--month", "2023-10", "--plan", plan_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown KPI id \"skilled.session\"") && err.contains("line "), "{err}");
    assert!(!dir.output().exists() || files_under(&dir.output()).is_empty());
}

#[test]
fn a_missing_or_empty_folder_is_exit_2_with_a_reason() {
    let dir = Dir::new();
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("集計できるシートがありません"), "{}", stderr(&out));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_corner-kpi"));
    let out = cmd.args(["run", "--input", "/nonexistent/drop", "--output"]).arg(dir.output()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/drop"), "{}", stderr(&out));
    let out = dir.run(&["--month", "2025-04"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("年度"), "{}", stderr(&out));
}
