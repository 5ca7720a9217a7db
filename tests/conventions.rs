//! The conventions real offices keep their lists with (datasets.md, "Records
//! that did not happen", "Sessions over several days", "Repeats without a
//! number", "Counts with a note", the competitions' 年度): workbooks built
//! here with known rows, run through the binary, and the figures, months,
//! listings and exit status checked against what the test planted.

use crate::harness::{Dir, V, V::*, stderr, x, xlsx};
use serde_json::Value;
use std::collections::BTreeSet;

fn kpis_json(dir: &Dir, fy: i32, as_of: &str) -> Value {
    let text = std::fs::read_to_string(dir.report(fy, as_of).join("kpis.json")).expect("kpis.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn actual(json: &Value, id: &str) -> Value {
    json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap_or_else(|| panic!("{id}"))["actual"].clone()
}

fn monthly(json: &Value, id: &str, month: &str) -> Value {
    json["monthly"][id][month].clone()
}

/// (cell, kind) of every not-held row of a sheet.
fn not_held(json: &Value) -> BTreeSet<(String, String)> {
    json["not_held"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["cell"].as_str().unwrap().to_string(), n["kind"].as_str().unwrap().to_string()))
        .collect()
}

/// (cell, kind) of every warning.
fn warnings(json: &Value) -> BTreeSet<(String, String)> {
    json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (w.get("cell").and_then(Value::as_str).unwrap_or("").to_string(), w["kind"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The counts of one sheet in kpis.json `inputs`.
fn sheet<'a>(json: &'a Value, file: &str, name: &str) -> &'a Value {
    json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .and_then(|f| f["sheets"].as_array().unwrap().iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("{file} / {name}"))
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

const DISPATCH: [&str; 8] = ["派遣番号", "実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "状況", "備考"];

fn header(cols: &[&'static str]) -> Vec<V> {
    cols.iter().map(|h| S(h)).collect()
}

/// A dispatch row: number, date, requester, trainees, 状況, 備考.
fn dispatch(no: &'static str, date: V, requester: &'static str, trainees: V, status: V, remarks: V) -> Vec<V> {
    vec![S(no), date, S("中小企業"), S(requester), S("旋盤"), trainees, status, remarks]
}

#[test]
fn rows_that_did_not_happen_are_listed_with_their_reason_and_never_counted() {
    let dir = Dir::new();
    let rows = vec![
        header(&DISPATCH),
        // Row 2: held.
        dispatch("001", D(2023, 5, 10), "A社", N(5.0), E, E),
        // Row 3: 状況 中止 (by an alias).
        dispatch("002", D(2023, 5, 11), "B社", N(6.0), S("キャンセル"), E),
        // Rows 4 and 5: postponed in 備考, then held under the same number: one session, no conflict.
        dispatch("003", D(2023, 7, 1), "C社", N(4.0), E, S("延期→7/5")),
        dispatch("003", D(2023, 7, 5), "C社", N(4.0), E, E),
        // Row 6: the date cell says 中止 (nothing else filled in).
        dispatch("004", S("中止"), "D社", E, E, E),
        // Row 7: struck through, every cell.
        vec![x(S("005")), x(D(2023, 6, 1)), x(S("中小企業")), x(S("E社")), x(S("旋盤")), x(N(7.0)), E, E],
        // Row 8: only the requester struck: counts, to check.
        vec![S("006"), D(2023, 6, 2), S("中小企業"), x(S("F社")), S("旋盤"), N(3.0), E, E],
        // Row 9: nobody came.
        dispatch("007", D(2023, 6, 5), "G社", N(0.0), E, E),
        // Row 10: 予定 past the as-of date; row 11: 予定 after it.
        dispatch("008", D(2023, 9, 1), "H社", N(5.0), S("予定"), E),
        dispatch("009", D(2023, 12, 1), "I社", N(5.0), S("未実施"), E),
        // Row 12: 中止 elsewhere in 備考: held, to check.
        dispatch("010", D(2023, 8, 1), "J社", N(2.0), E, S("中止回の振替")),
        // Row 13: 状況 実施 outweighs a leading 中止 in 備考: held, to check.
        dispatch("011", D(2023, 8, 2), "K社", N(2.0), S("実施済"), S("中止")),
        // Row 14: an unknown 状況: held, a field warning.
        dispatch("012", D(2023, 8, 3), "L社", N(1.0), S("たぶん"), E),
        // Row 15: a leading 【中止】 with its reason: not held.
        dispatch("013", D(2023, 8, 4), "M社", N(9.0), E, S("【中止】台風接近のため")),
    ];
    dir.write("派遣実績.xlsx", &xlsx(&[("派遣", rows)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "check items raise exit 1: {}", stderr(&out));
    let json = kpis_json(&dir, 2023, "2023-10-31");
    // Held: 001, 003 (7/5), 006, 010, 011, 012.
    assert_eq!(actual(&json, "dispatch.sessions"), 6);
    assert_eq!(actual(&json, "dispatch.person_days"), 5 + 4 + 3 + 2 + 2 + 1);
    assert_eq!(monthly(&json, "dispatch.sessions", "2023-07"), 1, "the postponed 7/1 row is not July's");
    assert_eq!(
        not_held(&json),
        set(&[
            ("G3", "cancelled"),
            ("H4", "remarks"),
            ("B6", "date_word"),
            ("A7", "struck_through"),
            ("F9", "zero_attendance"),
            ("G10", "planned"),
            ("G11", "planned"),
            ("H15", "remarks"),
        ])
    );
    let reasons: Vec<&str> =
        json["not_held"].as_array().unwrap().iter().map(|n| n["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"状況「キャンセル」"), "{reasons:?}");
    assert_eq!(
        warnings(&json),
        set(&[
            ("D8", "partly_struck"),
            ("F9", "zero_attendance"),
            ("G10", "planned_past_date"),
            ("H12", "remarks_word"),
            ("H13", "remarks_word"),
            ("G14", "field"),
        ])
    );
    assert!(json["rejected"].as_array().unwrap().is_empty(), "003 repeated is no conflict: {}", json["rejected"]);
    let s = sheet(&json, "派遣実績.xlsx", "派遣");
    assert_eq!((s["rows_read"].as_u64(), s["accepted"].as_u64(), s["not_held"].as_u64()), (Some(14), Some(6), Some(8)));
    assert_eq!(
        s["rows_read"],
        s["accepted"].as_u64().unwrap()
            + s["rejected"].as_u64().unwrap()
            + s["skipped"].as_u64().unwrap()
            + s["not_held"].as_u64().unwrap()
    );
    assert_eq!(s["reconciles"], true);
    // The terminal counts them; data-quality.xlsx lists them on their own sheet.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("実施しなかった 8"), "{text}");
    let dq = dir.report(2023, "2023-10-31").join("data-quality.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&dq).unwrap();
    use calamine::Reader as _;
    let range = book.worksheet_range("実施しなかった行").unwrap();
    let listed: Vec<String> = range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(listed.iter().any(|c| c.contains("派遣実績.xlsx / 派遣 / A7")), "{listed:?}");
    assert!(listed.iter().any(|c| c.contains("行全体に取り消し線")), "{listed:?}");
}

#[test]
fn a_row_struck_through_in_an_ods_is_not_held_and_a_partly_struck_one_counts() {
    let dir = Dir::new();
    let head = ["実施日", "発信区分", "実施先名", "参加者数"];
    // Row 2 held, row 3 struck through (every cell), row 4 with one cell struck.
    let rows: Vec<Vec<(&str, bool)>> = vec![
        head.iter().map(|h| (*h, false)).collect(),
        vec![("2023-05-10", false), ("小学校", false), ("A小学校", false), ("30", false)],
        vec![("2023-05-11", true), ("小学校", true), ("B小学校", true), ("40", true)],
        vec![("2023-05-12", false), ("小学校", false), ("C小学校", true), ("20", false)],
    ];
    dir.write("魅力発信.ods", &ods_with_struck(&rows));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = kpis_json(&dir, 2023, "2023-10-31");
    assert_eq!(actual(&json, "outreach.school.sessions"), 2);
    assert_eq!(actual(&json, "outreach.school.person_days"), 50);
    assert_eq!(not_held(&json), set(&[("A3", "struck_through")]));
    assert_eq!(warnings(&json), set(&[("C4", "partly_struck")]));
}

#[test]
fn sessions_over_several_days_count_each_day_in_its_own_month() {
    let dir = Dir::new();
    let dispatches = vec![
        header(&["実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "区分", "日数"]),
        // Row 2: one day.
        vec![D(2023, 5, 10), S("企業"), S("A社"), S("旋盤"), N(5.0), E, E],
        // Row 3: 日数 3 (written 3日), all in May.
        vec![D(2023, 5, 20), S("企業"), S("B社"), S("旋盤"), N(4.0), E, S("3日")],
        // Row 4: a range over a month end: 8/31 in August, 9/1 and 9/2 in September.
        vec![S("2023/8/31〜9/2"), S("学校"), S("C高校"), S("溶接"), N(6.0), E, E],
        // Row 5: a range with a 日数 that disagrees: the range wins, with a warning.
        vec![S("令和5年10月2日～3日"), S("企業"), S("D社"), S("旋盤"), N(2.0), E, N(5.0)],
        // Row 6: 熟練技能者 for two days.
        vec![D(2023, 6, 1), S("企業"), S("E社"), S("塗装"), N(3.0), S("熟練技能者"), N(2.0)],
        // Row 7: 日数 0: counted as one day, with a warning.
        vec![D(2023, 6, 8), S("企業"), S("F社"), S("旋盤"), N(1.0), E, N(0.0)],
        // Row 8: a range of 20 days: rejected.
        vec![S("2023/7/1〜7/20"), S("企業"), S("G社"), S("旋盤"), N(1.0), E, E],
    ];
    let outreach = vec![
        header(&["実施日", "発信区分", "実施先名", "参加者数", "日数"]),
        vec![D(2023, 7, 10), S("小学校"), S("H小学校"), N(30.0), N(2.0)],
        vec![S("2023/11/1〜11/3"), S("中学校"), S("I中学校"), N(10.0), E],
    ];
    let training = vec![header(&["実施日", "講習区分", "受講者数"]), vec![S("2023/9/5〜9/6"), S("前期"), N(12.0)]];
    dir.write("記録.xlsx", &xlsx(&[("派遣", dispatches), ("魅力発信", outreach), ("講習会", training)]));
    let out = dir.run(&["--month", "2023-11"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = kpis_json(&dir, 2023, "2023-11-30");
    // Meister sessions: 1 + 3 + 3 + 2 + 1 = 10; person-days 5 + 12 + 18 + 4 + 1 = 40.
    assert_eq!(actual(&json, "dispatch.sessions"), 10);
    assert_eq!(actual(&json, "dispatch.person_days"), 40);
    assert_eq!(actual(&json, "dispatch.schools.sessions"), 3);
    assert_eq!(actual(&json, "skilled.sessions"), 2);
    assert_eq!(actual(&json, "skilled.trainees"), 6);
    assert_eq!(monthly(&json, "dispatch.sessions", "2023-05"), 4);
    assert_eq!(monthly(&json, "dispatch.sessions", "2023-08"), 1);
    assert_eq!(monthly(&json, "dispatch.sessions", "2023-09"), 2);
    assert_eq!(monthly(&json, "dispatch.sessions", "2023-10"), 2);
    assert_eq!(monthly(&json, "dispatch.person_days", "2023-09"), 12);
    // Outreach: one 回 each, days multiply person-days (60 in July, 30 in November).
    assert_eq!(actual(&json, "outreach.school.sessions"), 2);
    assert_eq!(actual(&json, "outreach.school.person_days"), 90);
    assert_eq!(monthly(&json, "outreach.school.person_days", "2023-11"), 30);
    // A two-day course is one 回, on its first day.
    assert_eq!(actual(&json, "training.sessions"), 1);
    let rejected: Vec<(&str, &str)> = json["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["sheet"].as_str().unwrap(), r["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(rejected, [("派遣", "A8")]);
    assert_eq!(warnings(&json), set(&[("G5", "field"), ("G7", "field")]));
    // Every row is one row of its sheet, however many sessions it makes.
    let s = sheet(&json, "記録.xlsx", "派遣");
    assert_eq!((s["rows_read"].as_u64(), s["accepted"].as_u64(), s["rejected"].as_u64()), (Some(7), Some(6), Some(1)));
}

const NUMBERLESS: [&str; 5] = ["実施日", "派遣先区分", "派遣先名", "職種", "受講者数"];

fn numberless(day: u32, requester: &'static str, trainees: V) -> Vec<V> {
    vec![D(2023, 5, day), S("企業"), S(requester), S("旋盤"), trainees]
}

#[test]
fn a_copied_sheet_and_rows_pasted_into_another_book_count_once_and_are_listed() {
    let dir = Dir::new();
    let may = vec![
        header(&NUMBERLESS),
        numberless(10, "A社", N(5.0)),
        numberless(11, "B社", N(6.0)),
        // Two sessions on one day with the same class: both count, to check.
        numberless(12, "C社", N(4.0)),
        numberless(12, "C社", N(4.0)),
        // A count with a note.
        numberless(15, "D社", S("10（うち女性3）")),
    ];
    let copy = may.clone();
    dir.write("1_派遣実績.xlsx", &xlsx(&[("5月", may), ("5月 (2)", copy)]));
    // A second book pastes two of May's rows and adds one of its own.
    let pasted = vec![
        header(&NUMBERLESS),
        numberless(10, "A社", N(5.0)),
        numberless(11, "B社", N(6.0)),
        numberless(20, "E社", N(2.0)),
    ];
    dir.write("2_集計用.xlsx", &xlsx(&[("派遣", pasted)]));
    // Two sums written with no brackets stay rejected.
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = kpis_json(&dir, 2023, "2023-10-31");
    // A, B, C, C, D (10) and E: 6 sessions.
    assert_eq!(actual(&json, "dispatch.sessions"), 6);
    assert_eq!(actual(&json, "dispatch.person_days"), 5 + 6 + 4 + 4 + 10 + 2);
    let copies = json["sheet_copies"].as_array().unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!((copies[0]["sheet"].as_str(), copies[0]["copy_of"]["sheet"].as_str()), (Some("5月 (2)"), Some("5月")));
    let s = sheet(&json, "1_派遣実績.xlsx", "5月 (2)");
    assert_eq!((s["accepted"].as_u64(), s["skipped_duplicate"].as_u64()), (Some(0), Some(5)));
    let by_sheet: BTreeSet<(String, String, String)> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["sheet"].as_str().unwrap().into(),
                w["cell"].as_str().unwrap().into(),
                w["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        ("5月", "A5", "equal_rows_in_sheet"),
        ("5月", "E6", "count_with_note"),
        ("派遣", "A2", "repeat_without_number"),
        ("派遣", "A3", "repeat_without_number"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(by_sheet, expected);
    let repeat = json["warnings"].as_array().unwrap().iter().find(|w| w["kind"] == "repeat_without_number").unwrap();
    assert!(repeat["reason"].as_str().unwrap().contains("1_派遣実績.xlsx / 5月 / A2"), "{repeat}");
    let pasted = sheet(&json, "2_集計用.xlsx", "派遣");
    assert_eq!((pasted["accepted"].as_u64(), pasted["skipped_duplicate"].as_u64()), (Some(1), Some(2)));
}

#[test]
fn two_numbers_without_brackets_stay_rejected() {
    let dir = Dir::new();
    let rows = vec![header(&NUMBERLESS), numberless(10, "A社", S("5+3")), numberless(11, "B社", S("8(2)"))];
    dir.write("派遣.xlsx", &xlsx(&[("派遣", rows)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1));
    let json = kpis_json(&dir, 2023, "2023-10-31");
    assert_eq!(actual(&json, "dispatch.person_days"), 8);
    let rejected: Vec<&str> =
        json["rejected"].as_array().unwrap().iter().map(|r| r["cell"].as_str().unwrap()).collect();
    assert_eq!(rejected, ["E2"]);
}

/// An .ods with one sheet 「魅力発信」 whose cells (text; digits as numbers,
/// ISO dates as dates) are struck through where marked.
fn ods_with_struck(rows: &[Vec<(&str, bool)>]) -> Vec<u8> {
    use std::io::Write;
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for (text, struck) in row {
            let style = if *struck { r#" table:style-name="ce1""# } else { "" };
            if text.len() == 10 && text.as_bytes()[4] == b'-' {
                body.push_str(&format!(
                    r#"<table:table-cell{style} office:value-type="date" office:date-value="{text}"><text:p>{text}</text:p></table:table-cell>"#
                ));
            } else if text.bytes().all(|b| b.is_ascii_digit()) {
                body.push_str(&format!(
                    r#"<table:table-cell{style} office:value-type="float" office:value="{text}"><text:p>{text}</text:p></table:table-cell>"#
                ));
            } else {
                body.push_str(&format!(
                    r#"<table:table-cell{style} office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
                ));
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
            r#" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0""#,
            r#" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
            r#" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#,
            r#" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">"#,
            r#"<office:automatic-styles><style:style style:name="ce1" style:family="table-cell">"#,
            r#"<style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/>"#,
            r#"</style:style></office:automatic-styles>"#,
            r#"<office:body><office:spreadsheet><table:table table:name="魅力発信">{}</table:table>"#,
            r#"</office:spreadsheet></office:body></office:document-content>"#
        ),
        body
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn entries(title: Option<&'static str>, trade: &'static str, n: usize) -> Vec<Vec<V>> {
    let mut rows = Vec::new();
    if let Some(t) = title {
        rows.push(vec![S(t)]);
    }
    rows.push(header(&["大会", "参加区分", "職種", "所属"]));
    for _ in 0..n {
        rows.push(vec![S("若年者ものづくり競技大会"), S("選手"), S(trade), S("A高校")]);
    }
    rows
}

#[test]
fn a_competition_row_without_a_year_takes_the_year_its_sheet_file_or_folder_names() {
    let dir = Dir::new();
    // Named by the title row, by the file name (a bare R4), by a folder; and by nothing.
    dir.write(
        "a.xlsx",
        &xlsx(&[("参加者", entries(Some("令和5年度 若年者ものづくり競技大会 参加者一覧"), "旋盤", 2))]),
    );
    dir.write("競技大会_R4.xlsx", &xlsx(&[("参加者", entries(None, "溶接", 3))]));
    dir.write("FY2022/b.xlsx", &xlsx(&[("参加者", entries(None, "塗装", 4))]));
    dir.write("c.xlsx", &xlsx(&[("名簿", entries(Some("令和6年1月作成"), "木工", 1))]));
    // Dated records of another fiscal year in the folder make the unnamed one a check item.
    let old = vec![header(&NUMBERLESS), vec![D(2022, 5, 10), S("企業"), S("A社"), S("旋盤"), N(5.0)]];
    dir.write("d.xlsx", &xlsx(&[("派遣", old)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "the unnamed year is to check: {}", stderr(&out));
    let json = kpis_json(&dir, 2023, "2023-10-31");
    assert_eq!(actual(&json, "youth_games.competitors"), 2 + 1);
    assert_eq!(actual(&json, "youth_games.trades"), 2);
    let checks: Vec<(&str, &str)> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["file"].as_str().unwrap(), w["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(checks, [("c.xlsx", "year_unnamed")]);
}

#[test]
fn a_name_typed_into_last_years_book_is_masked_and_listed_as_past_without_exit_status() {
    let dir = Dir::new();
    let rows = vec![
        header(&["実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "指導者氏名"]),
        vec![D(2022, 5, 10), S("企業"), S("A社"), S("旋盤"), N(5.0), S("山田太郎")],
        vec![D(2022, 5, 11), S("企業"), S("B社"), S("山田太郎の旋盤"), N(5.0), E],
    ];
    dir.write("過年度/派遣実績_令和4年度.xlsx", &xlsx(&[("派遣", rows)]));
    let now = vec![header(&NUMBERLESS), numberless(10, "C社", N(5.0))];
    dir.write("派遣実績_令和5年度.xlsx", &xlsx(&[("派遣", now)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(0), "only last year's book has something to check: {}", stderr(&out));
    let json = kpis_json(&dir, 2023, "2023-10-31");
    let w = json["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!((w[0]["cell"].as_str(), w[0]["past_year"].as_bool()), (Some("D3"), Some(true)));
}

#[test]
fn an_excel_lock_file_says_the_book_may_be_open_and_raises_the_exit_status() {
    let dir = Dir::new();
    let rows = vec![header(&NUMBERLESS), numberless(10, "A社", N(5.0))];
    dir.write("派遣/派遣実績.xlsx", &xlsx(&[("派遣", rows)]));
    let clean = dir.run(&["--month", "2023-10"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    // Excel's lock file holds the user's name: it is never read.
    dir.write("派遣/~$派遣実績.xlsx", "\u{6}山田太郎".as_bytes());
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("派遣/派遣実績.xlsx が Excel で開かれているか、Excel が正しく終了しなかったときの残りです。開いていれば保存してから実行してください（保存前の変更は含まれません）"),
        "{text}"
    );
    assert!(stderr(&out).contains("Excel で開かれているブック 1"), "{}", stderr(&out));
    assert!(!text.contains("山田") && !stderr(&out).contains("山田"));
}

#[test]
fn a_sessions_days_reach_its_revisions_and_last_years_figures() {
    let dir = Dir::new();
    let book = |days: f64| {
        let rows = vec![
            header(&["実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "日数"]),
            vec![D(2023, 5, 10), S("企業"), S("A社"), S("旋盤"), N(4.0), N(days)],
            // Last year's session of two days, for 前年同期.
            vec![D(2022, 5, 12), S("企業"), S("B社"), S("旋盤"), N(3.0), N(2.0)],
        ];
        xlsx(&[("派遣", rows)])
    };
    dir.write("派遣.xlsx", &book(2.0));
    let may = dir.run(&["--month", "2023-05"]);
    assert!(matches!(may.status.code(), Some(0 | 1)), "{}", stderr(&may));
    let json = kpis_json(&dir, 2023, "2023-05-31");
    assert_eq!(actual(&json, "dispatch.sessions"), 2);
    let k = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
    assert_eq!(k["previous_year_to_date"], 2, "last year's two days");
    // The May row becomes three days: June's report lists May as revised, by that row.
    dir.write("派遣.xlsx", &book(3.0));
    let june = dir.run(&["--month", "2023-06"]);
    assert!(matches!(june.status.code(), Some(0 | 1)), "{}", stderr(&june));
    let json = kpis_json(&dir, 2023, "2023-06-30");
    let revision = json["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kpi"] == "dispatch.sessions" && r["month"] == "2023-05")
        .unwrap_or_else(|| panic!("{}", json["revisions"]));
    assert_eq!((revision["reported"].as_i64(), revision["now"].as_i64()), (Some(2), Some(3)));
    let rows: Vec<(&str, &str)> = revision["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["change"].as_str().unwrap(), r["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [("changed", "A2")]);
}
