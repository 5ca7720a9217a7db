//! Hostile and broken input (issue 4): every fixture is built here, in
//! the test; each bad file or cell is reported where the user can fix it,
//! the good rows beside it still count, and hostile text stays text.

use crate::harness::{Dir, V::*, stderr, xlsx};
use std::io::{Read, Write};

fn good_rows() -> Vec<Vec<crate::harness::V>> {
    vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![D(2023, 6, 1), S("企業"), S("A社"), S("旋盤"), N(10.0)],
        vec![D(2023, 6, 2), S("学校"), S("B高校"), S("溶接"), N(20.0)],
    ]
}

fn json(dir: &Dir, as_of: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.report(2023, as_of).join("kpis.json")).unwrap()).unwrap()
}

fn actual(j: &serde_json::Value, id: &str) -> f64 {
    j["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap()["actual"].as_f64().unwrap()
}

fn input<'a>(j: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    j["inputs"].as_array().unwrap().iter().find(|i| i["file"] == file).unwrap_or_else(|| panic!("{file} not listed"))
}

/// Runs on `good.xlsx` plus whatever the case adds; the good rows must
/// count exactly as alone, and the run must end with `code`.
fn run_with(setup: impl FnOnce(&Dir), code: i32) -> (Dir, serde_json::Value) {
    let dir = Dir::new();
    dir.write("good.xlsx", &xlsx(&[("6月", good_rows())]));
    setup(&dir);
    let out = dir.run(&["--month", "2023-06"]);
    assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let j = json(&dir, "2023-06-30");
    assert_eq!(actual(&j, "dispatch.sessions"), 2.0);
    assert_eq!(actual(&j, "dispatch.person_days"), 30.0);
    (dir, j)
}

fn unreadable_reason(j: &serde_json::Value, file: &str) -> String {
    let e = input(j, file);
    assert_eq!(e["status"], "unreadable", "{file}: {e}");
    e["reason"].as_str().unwrap().to_string()
}

/// A minimal OLE compound file holding an `EncryptedPackage` stream: what
/// Excel writes for a password-protected workbook.
fn encrypted_workbook() -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut f = vec![0u8; 512 * 3];
    f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let put16 = |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut f, 24, 0x3E);
    put16(&mut f, 26, 3);
    put16(&mut f, 28, 0xFFFE);
    put16(&mut f, 30, 9);
    put16(&mut f, 32, 6);
    put32(&mut f, 44, 1); // one FAT sector
    put32(&mut f, 48, 1); // directory in sector 1
    put32(&mut f, 56, 4096);
    put32(&mut f, 60, END);
    put32(&mut f, 68, END);
    put32(&mut f, 76, 0); // DIFAT[0] = sector 0 holds the FAT
    for i in 1..109 {
        put32(&mut f, 76 + 4 * i, FREE);
    }
    // Sector 0 (file offset 512): the FAT.
    put32(&mut f, 512, 0xFFFF_FFFD);
    put32(&mut f, 516, END);
    for i in 2..128 {
        put32(&mut f, 512 + 4 * i, FREE);
    }
    // Sector 1 (offset 1024): directory entries.
    let entry = |f: &mut Vec<u8>, at: usize, name: &str, kind: u8| {
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            f[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        f[at + 64..at + 66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        f[at + 66] = kind;
        for off in [68, 72, 76] {
            f[at + off..at + off + 4].copy_from_slice(&FREE.to_le_bytes());
        }
        f[at + 116..at + 120].copy_from_slice(&END.to_le_bytes());
    };
    entry(&mut f, 1024, "Root Entry", 5);
    entry(&mut f, 1024 + 128, "EncryptedPackage", 2);
    f
}

/// A zip holding the given parts (stored or deflated).
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// Replaces one part of an xlsx.
fn with_part(xlsx_bytes: &[u8], part: &str, content: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(xlsx_bytes.to_vec())).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        parts.push((name.clone(), if name == part { content.to_vec() } else { buf }));
    }
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    zip_of(&refs)
}

#[test]
fn a_password_protected_workbook_is_reported_as_such() {
    let (_, j) = run_with(|d| drop(d.write("暗号化.xlsx", &encrypted_workbook())), 1);
    assert!(unreadable_reason(&j, "暗号化.xlsx").contains("パスワード"));
}

#[test]
fn random_bytes_named_xlsb_and_a_text_file_named_xls_are_unreadable() {
    let (_, j) = run_with(
        |d| {
            d.write("乱数.xlsb", &(0..2000u32).map(|i| (i.wrapping_mul(0x9E37_79B9) >> 11) as u8).collect::<Vec<_>>());
            d.write("メモ.xls", "これはテキストです".as_bytes());
        },
        1,
    );
    for f in ["乱数.xlsb", "メモ.xls"] {
        let reason = unreadable_reason(&j, f);
        assert!(reason.contains("保存し直して"), "{f}: {reason}");
    }
}

#[test]
fn a_zip_with_a_garbage_sheet_part_is_reported_and_the_rest_counts() {
    let book = xlsx(&[("6月", good_rows())]);
    let broken = with_part(&book, "xl/worksheets/sheet1.xml", b"\x00\x01 not xml <<<");
    let (_, j) = run_with(|d| drop(d.write("壊れたシート.xlsx", &broken)), 1);
    let e = input(&j, "壊れたシート.xlsx");
    // Either the workbook or its one sheet is reported with a reason.
    let sheet_note =
        e["sheets"].as_array().and_then(|s| s.first()).and_then(|s| s["note"].as_str()).map(str::to_string);
    assert!(e["status"] == "unreadable" || sheet_note.is_some_and(|n| n.contains("読み込めません")), "{e}");
}

#[test]
fn empty_workbooks_and_a_sheet_with_headers_only_are_handled() {
    let (_, j) = run_with(
        |d| {
            d.write("空のシート.xlsx", &xlsx(&[("Sheet1", vec![]), ("Sheet2", vec![])]));
            d.write("見出しだけ.xlsx", &xlsx(&[("7月", vec![good_rows()[0].clone()])]));
        },
        0,
    );
    let e = input(&j, "見出しだけ.xlsx");
    assert_eq!(e["sheets"][0]["dataset"], "dispatches");
    assert_eq!(e["sheets"][0]["rows_read"], 0);
    assert_eq!(input(&j, "空のシート.xlsx")["status"], "read");
}

#[test]
fn a_workbook_with_no_sheets_is_not_an_error_for_the_rest() {
    let book = xlsx(&[("6月", good_rows())]);
    let no_sheets = with_part(
        &book,
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets/></workbook>"#,
    );
    let dir = Dir::new();
    dir.write("good.xlsx", &book);
    dir.write("シートなし.xlsx", &no_sheets);
    let out = dir.run(&["--month", "2023-06"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let j = json(&dir, "2023-06-30");
    assert_eq!(actual(&j, "dispatch.sessions"), 2.0);
    assert!(input(&j, "シートなし.xlsx")["status"].is_string());
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_parsed() {
    // 300 MiB of spaces inflating from well under a megabyte.
    let mut big = Vec::with_capacity(300 << 20);
    big.extend_from_slice(b"<?xml version=\"1.0\"?><worksheet>");
    big.resize(300 << 20, b' ');
    big.extend_from_slice(b"</worksheet>");
    let book = xlsx(&[("6月", good_rows())]);
    let bomb = with_part(&book, "xl/worksheets/sheet1.xml", &big);
    drop(big);
    assert!(bomb.len() < 2 << 20, "the bomb is small on disk: {}", bomb.len());
    let (_, j) = run_with(|d| drop(d.write("爆弾.xlsx", &bomb)), 1);
    assert!(unreadable_reason(&j, "爆弾.xlsx").contains("大きすぎる"));
}

#[test]
fn a_sheet_claiming_a_million_rows_is_read_sparsely() {
    let book = xlsx(&[("6月", good_rows())]);
    // The good sheet's XML with one more value at the last row Excel has.
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(book.clone())).unwrap();
    let mut xml = String::new();
    src.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    let far = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#;
    let xml = xml.replacen("</sheetData>", far, 1);
    let huge = with_part(&book, "xl/worksheets/sheet1.xml", xml.as_bytes());
    let dir = Dir::new();
    dir.write("広い.xlsx", &huge);
    let out = dir.run(&["--month", "2023-06"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let j = json(&dir, "2023-06-30");
    assert_eq!(actual(&j, "dispatch.sessions"), 2.0);
    let sheet = &input(&j, "広い.xlsx")["sheets"][0];
    // Every row down to the far cell is accounted for: 2 accepted, the rest blank.
    assert_eq!(sheet["rows_read"], 1_048_575);
    assert_eq!(sheet["accepted"], 2);
    assert_eq!(sheet["skipped"], 1_048_573);
}

#[test]
fn a_file_that_vanishes_after_listing_is_reported() {
    // Listing and reading are separate steps; a path that is gone by the
    // time it is read gives an entry, not a crash.
    let dir = Dir::new();
    let mapping = corner_kpi::mapping::Mapping::embedded();
    let gone = corner_kpi::ingest::walk::Found {
        path: dir.input().join("消えた.xlsx"),
        rel: "消えた.xlsx".into(),
        kind: corner_kpi::ingest::walk::FoundKind::Workbook("xlsx".into()),
    };
    let out = corner_kpi::ingest::read_found(vec![gone], &mapping, &indicatif::ProgressBar::hidden(), 2);
    assert_eq!(out.files.len(), 1);
    assert!(
        matches!(&out.files[0].outcome, corner_kpi::ingest::FileOutcome::Unreadable { reason } if reason.contains("読めません"))
    );
}

#[test]
fn excel_error_cells_in_data_columns_are_rejections_naming_the_cell() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    crate::harness::fill(ws, &good_rows());
    ws.write_formula(2, 4, rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A")).unwrap();
    ws.write_formula(1, 0, rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
    let dir = Dir::new();
    dir.write("エラー.xlsx", &wb.save_to_buffer().unwrap());
    let out = dir.run(&["--month", "2023-06"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let j = json(&dir, "2023-06-30");
    let cells: Vec<(&str, &str)> = j["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["cell"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[0].0, "A2");
    assert!(cells[0].1.contains("#DIV/0!"), "{}", cells[0].1);
    assert_eq!(cells[1].0, "E3");
    assert!(cells[1].1.contains("#N/A"), "{}", cells[1].1);
}

/// The sheet XML of every worksheet part of an xlsx.
fn sheet_xml(path: &std::path::Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().map(|n| n.starts_with("xl/worksheets/") || n == "xl/sharedStrings.xml").unwrap_or(false) {
            f.read_to_string(&mut all).unwrap();
        }
    }
    all
}

#[test]
fn hostile_text_stays_text_in_every_output() {
    let long: String = "長".repeat(100_000);
    let hostile = [
        "=HYPERLINK(\"http://example.com\",\"click\")",
        "+1",
        "-1",
        "@SUM(A1:A2)",
        "<script>alert(1)</script>",
        "</td></tr></table>\"'&",
        "制御\u{1}文字\u{7}\u{1b}",
    ];
    let mut rows = vec![good_rows()[0].clone()];
    for (i, h) in hostile.iter().enumerate() {
        rows.push(vec![D(2023, 6, 3 + i as u32), S("企業"), S("C社"), Str(h.to_string()), N(1.0)]);
    }
    // Excel itself stops at 32,767 characters; a hand-made file need not.
    rows.push(vec![D(2023, 6, 20), S("企業"), S("C社"), S("LONGCELL"), N(1.0)]);
    // A sheet name and an unknown label carrying markup reach the data-quality tables.
    rows.push(vec![D(2023, 6, 21), S("<b>謎</b>"), S("C社"), S("旋盤"), N(1.0)]);
    let dir = Dir::new();
    let book = xlsx(&[("<u>6月", rows)]);
    let mut strings = String::new();
    zip::ZipArchive::new(std::io::Cursor::new(book.clone()))
        .unwrap()
        .by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    assert!(strings.contains("LONGCELL"));
    let book = with_part(&book, "xl/sharedStrings.xml", strings.replace("LONGCELL", &long).as_bytes());
    dir.write("危険.xlsx", &book);
    let out = dir.run(&["--month", "2023-06"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let set = dir.report(2023, "2023-06-30");

    for html in ["ministry.html", "center.html"] {
        let text = std::fs::read_to_string(set.join(html)).unwrap();
        assert!(!text.to_lowercase().contains("<script"), "{html} holds a script tag");
        assert!(!text.contains("<u>6月") && !text.contains("<b>謎</b>"), "{html} holds workbook markup");
        assert!(!text.contains('\u{1}'));
    }
    let center = std::fs::read_to_string(set.join("center.html")).unwrap();
    assert!(center.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "trade shown escaped");
    assert!(center.contains("（以下省略）"), "the 100,000-character cell is cut with a mark");
    assert!(!center.contains(&long), "the long cell is truncated");

    for book in ["center.xlsx", "data-quality.xlsx", "ministry.xlsx"] {
        let xml = sheet_xml(&set.join(book));
        assert!(!xml.contains("<f>"), "{book} holds a formula");
        assert!(!xml.contains('\u{1}') && !xml.contains('\u{1b}'), "{book} holds control characters");
        // The workbook opens and reads back.
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto(set.join(book)).unwrap();
        for name in wb.sheet_names() {
            wb.worksheet_range(&name).unwrap();
        }
    }
    let xml = sheet_xml(&set.join("center.xlsx"));
    assert!(
        xml.contains("=HYPERLINK(&quot;http://example.com&quot;") || xml.contains("=HYPERLINK(\"http://example.com\"")
    );
    assert!(xml.contains("@SUM(A1:A2)"));
}

#[test]
fn an_output_location_that_cannot_be_written_is_exit_2_naming_the_path() {
    let dir = Dir::new();
    dir.write("good.xlsx", &xlsx(&[("6月", good_rows())]));
    // The output "folder" is a file.
    std::fs::write(dir.output(), b"not a folder").unwrap();
    let out = dir.run(&["--month", "2023-06"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&dir.output().display().to_string()), "{err}");
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn the_samples_plus_every_bad_case_give_the_samples_figures() {
    let dir = Dir::new();
    copy_tree(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input-samples"), &dir.input());
    let book = xlsx(&[("6月", good_rows())]);
    let mut truncated = book.clone();
    truncated.truncate(book.len() / 2);
    dir.write("悪い/途中まで.xlsx", &truncated);
    dir.write("悪い/空.xlsx", b"");
    dir.write("悪い/暗号化.xlsx", &encrypted_workbook());
    dir.write("悪い/乱数.xls", &(0..3000u32).map(|i| (i.wrapping_mul(0x9E37_79B9) >> 7) as u8).collect::<Vec<_>>());
    dir.write("悪い/実はCSV.xlsx", "実施日,派遣先区分\n2023/4/1,企業\n".as_bytes());
    dir.write("悪い/壊れたシート.xlsx", &with_part(&book, "xl/worksheets/sheet1.xml", b"garbage"));
    dir.write("悪い/~$開いている.xlsx", b"lock");
    // Hostile text in rows that are all rejected (unknown labels, error cells).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("<u>危険").unwrap();
    crate::harness::fill(
        ws,
        &[
            good_rows()[0].clone(),
            vec![D(2023, 6, 1), S("<script>alert(1)</script>"), S("A社"), S("=HYPERLINK(\"x\")"), N(1.0)],
            vec![D(2023, 6, 1), S("=1+1"), S("@SUM(A1)"), S("+1"), N(1.0)],
            vec![D(2023, 6, 1), S("企業\u{1}"), S("A社"), S("旋盤"), S("-1")],
        ],
    );
    ws.write_formula(4, 0, rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A")).unwrap();
    for (c, v) in ["企業", "B社", "旋盤"].iter().enumerate() {
        ws.write_string(4, c as u16 + 1, *v).unwrap();
    }
    ws.write_number(4, 4, 3).unwrap();
    dir.write("悪い/危険.xlsx", &wb.save_to_buffer().unwrap());
    // A copy of a real workbook in a sub-folder.
    copy_tree(&dir.input().join("下期"), &dir.input().join("コピー"));

    for (as_of, month) in [("2023-10-31", "2023-10"), ("2024-03-31", "2024-03")] {
        let out = dir.run(&["--month", month]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
        let j = json(&dir, as_of);
        let date = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
        for (id, expected) in corner_kpi_samples::sample_set().kpi_actuals(date) {
            assert_eq!(actual(&j, id), expected, "{id} at {as_of}");
        }
        for f in [
            "悪い/途中まで.xlsx",
            "悪い/空.xlsx",
            "悪い/暗号化.xlsx",
            "悪い/乱数.xls",
            "悪い/実はCSV.xlsx",
            "悪い/壊れたシート.xlsx",
        ] {
            assert!(!unreadable_reason(&j, f).is_empty());
        }
        let rejected_here = j["rejected"].as_array().unwrap().iter().filter(|r| r["file"] == "悪い/危険.xlsx").count();
        assert_eq!(rejected_here, 4);
    }
    let set = dir.report(2023, "2024-03-31");
    for html in ["ministry.html", "center.html"] {
        let text = std::fs::read_to_string(set.join(html)).unwrap();
        assert!(!text.to_lowercase().contains("<script"), "{html}");
    }
    for book in ["center.xlsx", "data-quality.xlsx", "ministry.xlsx"] {
        assert!(!sheet_xml(&set.join(book)).contains("<f>"), "{book}");
    }
}
