//! The report sections that are not KPI figures, on the bundled samples run
//! through the real binary (`--month 2023-10`): the plan's qualitative items
//! (`[[item]]`) in ministry.html, center.html, both workbooks' 指標別 sheet and
//! kpis.json; the fiscal-year timeline as inline SVG in both HTML reports and
//! as a table of real date cells on both 年間予定 sheets; and plan files whose
//! items are wrong or carry a name.

use crate::harness::{Dir, files_under, stderr};
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use corner_kpi::plan::{DEFAULT_PLAN_TOML, Plan};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples")
}

/// `corner-kpi run --input input-samples --output OUT ARGS…`.
fn run_samples(out: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corner-kpi"));
    cmd.arg("run").arg("--input").arg(samples_dir()).arg("--output").arg(out).args(args);
    cmd.env("CI", "1");
    cmd.output().expect("run corner-kpi")
}

/// The bundled samples' report set as of 2023-10-31, made once.
fn report() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = run_samples(tmp.path(), &["--month", "2023-10"]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let path = tmp.path().join("2023").join("2023-10-31");
        (tmp, path)
    });
    path
}

fn read(name: &str) -> String {
    std::fs::read_to_string(report().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// HTML text with the entities tera writes turned back into characters.
fn unescape(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A sheet of a workbook of the October set (概要 is always the first).
fn sheet(name: &str, sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = calamine::open_workbook(report().join(name)).unwrap();
    assert_eq!(wb.sheet_names().first().map(String::as_str), Some("概要"), "{name}: 概要 first");
    wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("{name}: {sheet}: {e}"))
}

fn strings(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .used_cells()
        .filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The events the samples give as of 2023-10-31: the plan's competition
/// days, the council and training held, and the due dates still to come.
const EVENTS: [((i32, u32, u32), &str, &str); 7] = [
    ((2023, 6, 20), "連携会議 第1回", "実施"),
    ((2023, 8, 2), "若年者ものづくり競技大会", "大会日"),
    ((2023, 9, 7), "指導技法等講習会（前期）", "実施"),
    ((2023, 9, 30), "技能五輪県予選（実施期限）", "期限日"),
    ((2023, 11, 21), "技能五輪全国大会", "予定"),
    ((2023, 12, 31), "連携会議（予定期限）", "予定"),
    ((2024, 3, 31), "指導技法等講習会（予定期限）", "予定"),
];

#[test]
fn plan_items_appear_in_both_html_reports_under_their_sections() {
    let plan = Plan::embedded();
    assert!(plan.items.len() >= 3);
    for name in ["ministry.html", "center.html"] {
        let html = unescape(&read(name));
        for item in &plan.items {
            assert!(html.contains(&item.text), "{name}: {}", item.text);
            if let Some(n) = &item.note {
                assert!(html.contains(n.as_str()), "{name}: {n}");
            }
        }
        // Each item is a row of the KPI table, in its seed section's group.
        let table = &html[html.find("<section id=\"kpis\"").unwrap()..];
        let table = &table[table.find("<table").unwrap()..];
        let table = &table[..table.find("</table>").unwrap()];
        for (text, group) in [
            ("現代の名工", "2 地域における技能振興事業"),
            ("グッドスキルマーク", "2 地域における技能振興事業"),
            ("事例発表・意見交換会", "3 ものづくりマイスターの認定・登録"),
        ] {
            let at = table.find(text).unwrap_or_else(|| panic!("{name}: {text} in the KPI table"));
            let heading = table[..at].rfind("<tr class=\"group\">").unwrap();
            assert!(table[heading..at].contains(group), "{name}: {text} under {group}");
        }
        assert!(html.contains("未着手") && html.contains("実施済") && html.contains("該当なし"));
    }
}

#[test]
fn plan_items_appear_on_both_kpi_sheets_and_in_kpis_json() {
    let plan = Plan::embedded();
    for name in ["ministry.xlsx", "center.xlsx"] {
        let cells = strings(&sheet(name, "指標別"));
        for item in &plan.items {
            assert!(cells.contains(&item.text), "{name}: {}", item.text);
            assert!(cells.contains(&item.section), "{name}: {}", item.section);
            if let Some(st) = item.status {
                assert!(cells.iter().any(|c| c == st.label_ja()), "{name}: {}", st.label_ja());
            }
            if let Some(n) = &item.note {
                assert!(cells.contains(n), "{name}: {n}");
            }
        }
    }
    let json: serde_json::Value = serde_json::from_str(&read("kpis.json")).unwrap();
    let items = json["plan_items"].as_array().expect("plan_items");
    assert_eq!(items.len(), plan.items.len());
    for (j, i) in items.iter().zip(&plan.items) {
        assert_eq!(j["section"], i.section.as_str());
        assert_eq!(j["text"], i.text.as_str());
        assert_eq!(j["status"].as_str(), i.status.map(|s| s.label_ja()));
        assert_eq!(j["note"].as_str(), i.note.as_deref());
    }
    // The contract's keys are still there, with every KPI.
    assert_eq!(json["kpis"].as_array().unwrap().len(), plan.kpis.len());
    for key in ["plan", "fiscal_year", "as_of", "elapsed_fraction", "inputs", "rejected"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn both_html_reports_draw_the_fiscal_year_timeline() {
    for name in ["ministry.html", "center.html"] {
        let html = unescape(&read(name));
        let at = html.find("aria-label=\"年間の主な予定と実施状況（年度の時間軸）\"").expect("timeline SVG");
        let svg = &html[html[..at].rfind("<svg").unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert!(svg.contains("基準日 10/31"), "{name}: as-of marker");
        for mo in ["4月", "10月", "3月"] {
            assert!(svg.contains(&format!(">{mo}<")), "{name}: {mo}");
        }
        for ((_, m, day), label, _) in EVENTS {
            assert!(svg.contains(&format!("{m}/{day} {label}")), "{name}: {label} labelled");
        }
        assert!(svg.contains("塗り＝実施") && svg.contains("白抜き＝予定"), "{name}: legend by shape");
        // The table under it: a passed competition day is 大会日, never 実施.
        for ((y, m, day), label, state) in EVENTS {
            let row = html
                .split("<tr>")
                .find(|r| r.contains(&format!("{y}年{m}月{day}日")) && r.contains(&format!(">{label}<")))
                .unwrap_or_else(|| panic!("{name}: row of {label}"));
            assert!(row.contains(&format!(">{state}<")), "{name}: {label} is {state}: {row}");
        }
    }
}

#[test]
fn both_workbooks_list_the_events_as_real_dates() {
    for name in ["ministry.xlsx", "center.xlsx"] {
        let range = sheet(name, "年間予定");
        let top = range
            .used_cells()
            .find(|(_, c, v)| *c == 0 && matches!(v, Data::String(s) if s == "日付"))
            .map(|(r, _, _)| r)
            .unwrap_or_else(|| panic!("{name}: timeline table"));
        for (i, ((y, m, day), label, state)) in EVENTS.iter().enumerate() {
            let r = top + 1 + i;
            match range.get((r, 0)) {
                Some(Data::DateTime(dt)) => assert_eq!(dt.as_datetime().unwrap().date(), d(*y, *m, *day), "{name}"),
                other => panic!("{name}: {label} date cell is {other:?}"),
            }
            assert_eq!(range.get((r, 1)), Some(&Data::String(label.to_string())), "{name}");
            assert_eq!(range.get((r, 3)), Some(&Data::String(state.to_string())), "{name}");
        }
    }
}

/// The embedded plan with `from` replaced by `to`, written to the folder.
fn edited_plan(dir: &Dir, from: &str, to: &str) -> PathBuf {
    assert!(DEFAULT_PLAN_TOML.contains(from), "{from}");
    let path = dir.tmp.path().join("plan.toml");
    std::fs::write(&path, DEFAULT_PLAN_TOML.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn an_unknown_item_status_is_a_plan_error_with_its_line() {
    let dir = Dir::new();
    let plan = edited_plan(&dir, "status = \"未着手\"", "status = \"着手前\"");
    let line = DEFAULT_PLAN_TOML.lines().position(|l| l == "status = \"未着手\"").unwrap() + 1;
    let out = run_samples(&dir.output(), &["--month", "2023-10", "--plan", plan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("line {line}: ")) && err.contains("\"着手前\""), "{err}");
    assert!(files_under(&dir.output()).is_empty());
}

#[test]
fn an_unknown_item_key_is_a_plan_error() {
    let dir = Dir::new();
    let plan = edited_plan(&dir, "note = \"4月に協会ホームページへ掲示済\"", "memo = \"4月に掲示\"");
    let out = run_samples(&dir.output(), &["--month", "2023-10", "--plan", plan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("memo") && stderr(&out).contains("line "), "{}", stderr(&out));
    assert!(files_under(&dir.output()).is_empty());
}

#[test]
fn staff_notes_are_escaped_in_html_and_strings_in_excel() {
    let dir = Dir::new();
    let note = "<b>10月</b> =SUM(A1) & 取材日程を調整中";
    let plan = edited_plan(
        &dir,
        "note = \"被表彰者の発表（11月）後に、センターと取材日程を調整する\"",
        &format!("note = \"{note}\""),
    );
    let out = run_samples(&dir.output(), &["--month", "2023-10", "--plan", plan.to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let set = dir.output().join("2023").join("2023-10-31");
    for name in ["ministry.html", "center.html"] {
        let html = std::fs::read_to_string(set.join(name)).unwrap();
        assert!(!html.contains("<b>10月"), "{name}: markup escaped");
        assert!(unescape(&html).contains(note), "{name}");
    }
    for name in ["ministry.xlsx", "center.xlsx"] {
        let mut wb: Xlsx<_> = calamine::open_workbook(set.join(name)).unwrap();
        let cells = strings(&wb.worksheet_range("指標別").unwrap());
        assert!(cells.iter().any(|c| c == note), "{name}");
    }
}

#[test]
fn a_workbook_name_typed_into_a_plan_note_writes_nothing() {
    let dir = Dir::new();
    let name = corner_kpi::samples::pii_values().into_iter().find(|v| v.contains('\u{3000}')).expect("a planted name");
    let plan = edited_plan(
        &dir,
        "note = \"開催案内を受け取り次第、該当職種のマイスターへ案内する\"",
        &format!("note = \"{name}さんに参加を依頼\""),
    );
    let out = run_samples(&dir.output(), &["--month", "2023-10", "--plan", plan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("3(4)エ"), "{err}");
    assert!(!err.contains(&name), "the error never repeats the value: {err}");
    assert!(files_under(&dir.output()).is_empty());
}
