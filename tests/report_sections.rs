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
    let name = corner_kpi_samples::pii_values().into_iter().find(|v| v.contains('\u{3000}')).expect("a planted name");
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

/// A report set of the samples at another date, made once per date.
fn report_at(as_of: &str) -> PathBuf {
    static DIRS: OnceLock<tempfile::TempDir> = OnceLock::new();
    // Tests run in parallel: one of them makes a date's set, the others wait for it.
    static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let tmp = DIRS.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    let set = tmp.path().join("2023").join(as_of);
    let _one_at_a_time = MAKING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !set.join("kpis.json").is_file() {
        let out = run_samples(tmp.path(), &["--as-of", as_of]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    }
    set
}

fn json_at(set: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(set.join("kpis.json")).unwrap()).unwrap()
}

/// The text of an HTML fragment without its tags.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The shown text of a count, as the reports write it.
fn count_text(v: &serde_json::Value) -> String {
    corner_kpi::format::count(v.as_f64())
}

#[test]
fn the_kpi_table_in_ministry_xlsx_and_html_equals_kpis_json_cell_by_cell() {
    for as_of in ["2023-10-31", "2024-03-31"] {
        let set = report_at(as_of);
        let json = json_at(&set);
        let kpis = json["kpis"].as_array().unwrap();
        // Excel: the row of each KPI id (far right, column N) holds its figures as numbers.
        let mut wb: Xlsx<_> = calamine::open_workbook(set.join("ministry.xlsx")).unwrap();
        let range = wb.worksheet_range("指標別").unwrap();
        let num = |r: usize, c: usize| match range.get((r, c)) {
            Some(Data::Float(x)) => Some(*x),
            Some(Data::Int(x)) => Some(*x as f64),
            _ => None,
        };
        let close = |a: Option<f64>, b: &serde_json::Value, tol: f64| match (a, b.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= tol,
            (None, None) => true,
            _ => false,
        };
        for k in kpis {
            let id = k["id"].as_str().unwrap();
            let row = range
                .used_cells()
                .find(|(_, c, v)| *c == 13 && matches!(v, Data::String(s) if s == id))
                .map(|(r, _, _)| r)
                .unwrap_or_else(|| panic!("{as_of}: {id} in 指標別"));
            assert!(close(num(row, 3), &k["target"], 0.0), "{as_of} {id} target");
            assert!(close(num(row, 4), &k["actual"], 0.0), "{as_of} {id} actual");
            // kpis.json holds the achievement to four decimals (1.09375 → 1.0938).
            assert!(close(num(row, 5), &k["achievement"], 0.000_051), "{as_of} {id} achievement");
            assert!(close(num(row, 6), &k["expected_to_date"], 0.05), "{as_of} {id} expected");
            assert!(close(num(row, 8), &k["forecast"], 0.05), "{as_of} {id} forecast");
            assert_eq!(range.get((row, 1)), Some(&Data::String(k["label"].as_str().unwrap().to_string())), "{id}");
            assert_eq!(
                range.get((row, 7)).map(|d| d.to_string()),
                Some(k["status_label"].as_str().unwrap().to_string()),
                "{as_of} {id} status word"
            );
        }
        // HTML: the KPI table's row of each label shows the same figures as text.
        let html = unescape(&std::fs::read_to_string(set.join("ministry.html")).unwrap());
        let table = &html[html.find("<section id=\"kpis\"").unwrap()..];
        let table = &table[..table.find("</section>").unwrap()];
        for k in kpis {
            let label = k["label"].as_str().unwrap();
            let row = table
                .split("<tr")
                .find(|r| r.contains(&format!(">{label}<")))
                .unwrap_or_else(|| panic!("{as_of}: {label} row in ministry.html"));
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|c| strip_tags(&c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()]))
                .collect();
            assert_eq!(cells[3], count_text(&k["target"]), "{as_of} {label} target");
            assert_eq!(cells[4], count_text(&k["actual"]), "{as_of} {label} actual");
            // kpis.json rounds achievement to four decimals; the report shows one decimal of the percent.
            match k["achievement"].as_f64() {
                Some(a) => {
                    let shown: f64 = cells[5].trim_end_matches('%').parse().unwrap();
                    assert!((shown - a * 100.0).abs() <= 0.06, "{as_of} {label} achievement {shown} vs {a}");
                }
                None => assert_eq!(cells[5], corner_kpi::format::DASH, "{as_of} {label}"),
            }
            assert_eq!(cells[6], count_text(&k["expected_to_date"]), "{as_of} {label} expected");
            assert_eq!(cells[7], k["status_label"].as_str().unwrap(), "{as_of} {label} status");
            assert_eq!(cells[8], count_text(&k["forecast"]), "{as_of} {label} forecast");
        }
    }
}

#[test]
fn page_one_shows_the_headline_kpis_then_every_kpi_not_on_track() {
    for as_of in ["2023-10-31", "2024-03-31"] {
        let set = report_at(as_of);
        let json = json_at(&set);
        let html = unescape(&std::fs::read_to_string(set.join("ministry.html")).unwrap());
        let first = html.find("<section id=").unwrap();
        assert!(html[first..].starts_with("<section id=\"headline\""), "{as_of}: 主要指標 first");
        let headline = &html[first..html.find("<section id=\"attention\"").unwrap()];
        for id in ["dispatch.sessions", "dispatch.person_days", "dispatch.schools.sessions", "skilled.sessions"] {
            let k = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap();
            assert!(headline.contains(k["label"].as_str().unwrap()), "{as_of}: {id} on page 1");
        }
        let attention =
            &html[html.find("<section id=\"attention\"").unwrap()..html.find("<section id=\"legend\"").unwrap()];
        for k in json["kpis"].as_array().unwrap() {
            let off = matches!(k["status"].as_str(), Some("at_risk" | "behind" | "missed" | "breach"));
            let listed = attention.contains(&format!("<strong>{}</strong>", k["label"].as_str().unwrap()));
            assert_eq!(off, listed, "{as_of}: {} ({}) listed iff not on track", k["id"], k["status"]);
        }
        if as_of == "2024-03-31" {
            // Everything but the legend (which states every word's rule).
            let legend = html.find("<section id=\"legend\"").unwrap();
            let kpis = html.find("<section id=\"kpis\"").unwrap();
            for part in [&html[..legend], &html[kpis..]] {
                assert!(
                    !part.contains(">やや遅れ<") && !part.contains(">遅れ<"),
                    "at year end an unmet target is 未達"
                );
            }
            assert!(attention.contains(">未達<"));
        }
    }
}

#[test]
fn competition_subtotals_tie_to_their_kpis() {
    let json: serde_json::Value = serde_json::from_str(&read("kpis.json")).unwrap();
    let kpi = |id: &str| json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap()["actual"].as_i64();
    let mut wb: Xlsx<_> = calamine::open_workbook(report().join("center.xlsx")).unwrap();
    let range = wb.worksheet_range("競技大会").unwrap();
    for (event, p, orgs) in
        [("技能五輪全国大会", "worldskills", "社・校"), ("若年者ものづくり競技大会", "youth_games", "校")]
    {
        let group = range
            .used_cells()
            .find(|(_, c, v)| *c == 0 && matches!(v, Data::String(s) if s == event))
            .map(|(r, _, _)| r)
            .unwrap_or_else(|| panic!("{event}"));
        let sub = (group + 1..range.height())
            .find(|r| matches!(range.get((*r, 0)), Some(Data::String(s)) if s.starts_with("小計")))
            .unwrap();
        let label = range.get((sub, 0)).unwrap().to_string();
        assert_eq!(
            label,
            format!(
                "小計（{} 職種・{} {orgs}）",
                kpi(&format!("{p}.trades")).unwrap(),
                kpi(&format!("{p}.orgs")).unwrap()
            )
        );
        let n = |c: usize| match range.get((sub, c)) {
            Some(Data::Float(x)) => *x as i64,
            other => panic!("{other:?}"),
        };
        assert_eq!(Some(n(2)), kpi(&format!("{p}.competitors")), "{event} 選手");
        assert_eq!(Some(n(3)), kpi(&format!("{p}.instructors")), "{event} 指導者");
    }
}

#[test]
fn inactive_meisters_are_flagged_as_the_finding_lists_them() {
    let json: serde_json::Value = serde_json::from_str(&read("kpis.json")).unwrap();
    let finding =
        json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "deregistration_candidate").unwrap();
    let mut expected: Vec<String> =
        finding["records"].as_array().unwrap().iter().map(|r| r["meister"].as_str().unwrap().to_string()).collect();
    expected.sort();
    let mut wb: Xlsx<_> = calamine::open_workbook(report().join("center.xlsx")).unwrap();
    let range = wb.worksheet_range("マイスター").unwrap();
    let mut flagged: Vec<String> = range
        .rows()
        .filter(|r| r.iter().any(|c| matches!(c, Data::String(s) if s.contains("3年以上活動なし"))))
        .map(|r| r[0].to_string())
        .collect();
    flagged.sort();
    assert_eq!(flagged, expected);
    assert!(!expected.is_empty());
}

#[test]
fn an_empty_section_says_so_in_one_line_instead_of_an_empty_table() {
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
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = unescape(&std::fs::read_to_string(dir.report(2023, "2023-10-31").join("center.html")).unwrap());
    for (id, line) in [
        ("visits", "開拓訪問の記録のシートはありません。"),
        ("competitions", "この年度の競技大会の参加者の記録はありません。"),
        ("findings", "推進計画のルールに照らして確認が必要な記録はありません。"),
        ("later", "基準日より後の日付の行はありません。"),
    ] {
        let sec = &html[html.find(&format!("<section id=\"{id}\"")).unwrap()..];
        let sec = &sec[..sec.find("</section>").unwrap()];
        assert!(sec.contains(line), "{id}: {sec}");
        assert!(!sec.contains("<table"), "{id}: no empty table");
    }
    assert!(!html.contains("台帳にない番号"), "no sentence about numbers not in the registry when there are none");
}
