//! Figures that cannot silently move: numbering that restarts each year, a
//! typo'd year, a count typed into a date column, a garbled optional value,
//! conflicting repeats of a number, revisions between two runs, leftovers of
//! a killed run. Each fixture is written here and the expected figures are
//! counted from its rows.

use crate::harness::{Dir, V, V::*, stderr, xlsx};
use serde_json::Value;

fn kpis_json(dir: &Dir, as_of: &str) -> Value {
    let text = std::fs::read_to_string(dir.report(2023, as_of).join("kpis.json")).expect("kpis.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn actual(json: &Value, id: &str) -> Value {
    json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap_or_else(|| panic!("{id}"))["actual"].clone()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const DISPATCH_HEADER: [&str; 8] =
    ["派遣番号", "実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "区分", "指導時間"];

fn header() -> Vec<V> {
    DISPATCH_HEADER.iter().map(|h| S(h)).collect()
}

/// One session: 派遣番号, 実施日, 中小企業, requester, 旋盤, trainees, blank 区分, hours.
fn session(no: &'static str, date: V, requester: &'static str, trainees: f64, hours: V) -> Vec<V> {
    vec![S(no), date, S("中小企業"), S(requester), S("旋盤"), N(trainees), E, hours]
}

/// The folder of the issue: last year's book (001–003) and this year's
/// (001–003 again, `R4.7.10` typed for `R5.7.10`, `15` typed into 実施日, and
/// 指導時間 `2時間程度`).
fn restarting_folder(dir: &Dir) {
    let last_year = vec![
        header(),
        session("001", D(2022, 5, 10), "A社", 6.0, N(2.0)),
        session("002", D(2022, 6, 14), "B社", 7.0, N(2.0)),
        session("003", D(2022, 7, 5), "C社", 8.0, N(2.0)),
    ];
    dir.write("過年度/派遣実績_令和4年度.xlsx", &xlsx(&[("R4", last_year)]));
    let this_year = vec![
        header(),
        session("001", D(2023, 5, 10), "A社", 5.0, N(2.0)),
        session("002", D(2023, 6, 12), "B社", 5.0, N(2.0)),
        session("003", D(2023, 7, 3), "C社", 5.0, N(2.0)),
        session("004", S("R4.7.10"), "D社", 9.0, N(2.0)),
        session("005", N(15.0), "E社", 4.0, N(2.0)),
        session("006", D(2023, 8, 1), "F社", 5.0, S("2時間程度")),
    ];
    dir.write("派遣実績_令和5年度.xlsx", &xlsx(&[("R5", this_year)]));
}

#[test]
fn numbering_that_restarts_each_year_a_typo_year_a_stray_count_and_garbled_hours_lose_no_session() {
    let dir = Dir::new();
    restarting_folder(&dir);
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "something to check: {}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(err.contains("除外した行 1、確認が必要な行 2") && err.contains("data-quality.xlsx"), "{err}");
    let json = kpis_json(&dir, "2023-10-31");
    // 001, 002, 003 and the row with the garbled hours: 4 sessions, 5 + 5 + 5 + 5 人日.
    assert_eq!(actual(&json, "dispatch.sessions"), 4);
    assert_eq!(actual(&json, "dispatch.person_days"), 20);
    assert_eq!(json["duplicates"].as_array().unwrap().len(), 0, "last year's 001–003 are other sessions");

    // `15` in 実施日 (row 6) reads as 1900-01-15: rejected with the reason.
    let rejected = json["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!((rejected[0]["sheet"].as_str(), rejected[0]["cell"].as_str()), (Some("R5"), Some("B6")));
    assert!(rejected[0]["reason"].as_str().unwrap().contains("1950年より前"), "{}", rejected[0]["reason"]);

    // The R4.7.10 row: 4 of the sheet's 5 dated rows are in 令和5年度 (the
    // boundary case of 80%), so it is listed; the garbled hours are a field warning.
    let warnings = json["warnings"].as_array().unwrap();
    let listed: Vec<(&str, &str, &str)> = warnings
        .iter()
        .map(|w| (w["kind"].as_str().unwrap(), w["sheet"].as_str().unwrap(), w["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, [("field", "R5", "H7"), ("date_outside_sheet_year", "R5", "B5")]);
    let outside = &warnings[1];
    assert_eq!(outside["date"], "2022-07-10");
    assert_eq!(outside["sheet_year"], 2023);
    assert_eq!(outside["file"], "派遣実績_令和5年度.xlsx");
    assert!(warnings[0]["reason"].as_str().unwrap().contains("指導時間"), "{}", warnings[0]["reason"]);

    // The terminal says what was not counted and what to check.
    let said = stdout(&out);
    assert!(said.contains("年度前の日付 4 行は履歴のみ"), "three of last year and the R4.7.10 row: {said}");
    assert!(said.contains("確認が必要な行 2"), "{said}");
    assert!(said.contains("年度外の日付 1 行、読めない任意項目 1 件"), "{said}");
}

#[test]
fn a_sheet_with_too_few_dated_rows_or_no_clear_year_lists_nothing() {
    let dir = Dir::new();
    // 4 dated rows: too few to have a year of its own.
    let few = vec![
        header(),
        session("1", D(2023, 5, 10), "A社", 5.0, E),
        session("2", D(2023, 5, 11), "A社", 5.0, E),
        session("3", D(2023, 5, 12), "A社", 5.0, E),
        session("4", D(2022, 5, 12), "A社", 5.0, E),
    ];
    // 7 of 10 in one year (70%): no clear year.
    let mut mixed = vec![header()];
    for i in 0..10u32 {
        let y = if i < 7 { 2023 } else { 2022 };
        mixed.push(vec![E, D(y, 6, 1 + i), S("企業"), S("B社"), S("溶接"), N(3.0)]);
    }
    dir.write("a.xlsx", &xlsx(&[("少ない", few), ("混在", mixed)]));
    let out = dir.run(&["--month", "2023-10"]);
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(json["warnings"].as_array().unwrap().len(), 0, "{}", json["warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_repeated_number_is_a_duplicate_when_equal_and_a_conflict_when_not() {
    let dir = Dir::new();
    let may = vec![
        header(),
        session("001", D(2023, 5, 10), "A社", 5.0, N(2.0)),
        session("002", D(2023, 5, 11), "B社", 6.0, N(2.0)),
    ];
    let june = vec![
        header(),
        // 001 again, the same session (only 指導時間, not a counted field, differs).
        session("001", D(2023, 5, 10), "A社", 5.0, N(3.0)),
        // 002 again with other trainees: a conflict.
        session("002", D(2023, 5, 11), "B社", 9.0, N(2.0)),
    ];
    dir.write("派遣.xlsx", &xlsx(&[("5月", may), ("6月", june)]));
    let registry = vec![
        vec![S("認定番号"), S("職種"), S("認定日"), S("氏名")],
        vec![S("35-001"), S("旋盤"), D(2020, 4, 1), S("山田 太郎")],
        vec![S("35-002"), S("溶接"), D(2021, 4, 1), S("佐藤 花子")],
        vec![S("35-001"), S("旋盤"), D(2020, 4, 1), S("山田 太郎")],
        vec![S("35-002"), S("溶接"), D(2021, 4, 1), S("鈴木 一郎")],
    ];
    dir.write("台帳.xlsx", &xlsx(&[("台帳", registry)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "a conflict is for a person to decide: {}", stderr(&out));
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(actual(&json, "dispatch.sessions"), 2, "001 and 002 once each");
    assert_eq!(actual(&json, "dispatch.person_days"), 11, "the first 002 (6) is kept");

    let mut dups: Vec<(&str, &str, &str)> = json["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (d["key"].as_str().unwrap(), d["skipped"]["cell"].as_str().unwrap(), d["kept"]["cell"].as_str().unwrap())
        })
        .collect();
    dups.sort();
    assert_eq!(dups, [("001", "A2", "A2"), ("35-001", "A4", "A2")]);

    let mut rejected = json["rejected"].as_array().unwrap().clone();
    rejected.sort_by_key(|r| r["column"].as_str().unwrap().to_string());
    let conflicts: Vec<(&str, &str, &str)> = rejected
        .iter()
        .map(|r| (r["sheet"].as_str().unwrap(), r["cell"].as_str().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(conflicts, [("6月", "A3", "派遣番号"), ("台帳", "A5", "認定番号")]);
    let reason = rejected[0]["reason"].as_str().unwrap();
    assert!(reason.contains("派遣番号の重複（内容が異なる）"), "{reason}");
    assert!(reason.contains("受講者数") && !reason.contains("実施日"), "names only the field that differs: {reason}");
    assert!(reason.contains("5月 / A3"), "names the row kept: {reason}");
    let reason = rejected[1]["reason"].as_str().unwrap();
    assert!(reason.contains("認定番号の重複（内容が異なる）") && reason.contains("氏名"), "{reason}");
    let text = std::fs::read_to_string(dir.report(2023, "2023-10-31").join("kpis.json")).unwrap();
    for name in ["佐藤", "鈴木", "山田"] {
        assert!(!text.contains(name), "no name in kpis.json: {name}");
    }
    assert!(stdout(&out).contains("うち番号の重複で内容が異なる 2 行"), "{}", stdout(&out));
}

#[test]
fn unreadable_optional_values_keep_the_row_and_an_unknown_dispatch_category_rejects_it() {
    let dir = Dir::new();
    let dispatches = vec![
        vec![
            S("実施日"),
            S("派遣先区分"),
            S("派遣先名"),
            S("職種"),
            S("受講者数"),
            S("区分"),
            S("指導時間"),
            S("マイスター番号"),
        ],
        vec![D(2023, 6, 1), S("企業"), S("A社"), S("旋盤"), N(4.0), E, S("2時間程度"), S("35-001")],
        vec![D(2023, 6, 2), S("企業"), S("A社"), S("旋盤"), N(3.0), S("マイスター"), N(5.0), S("35-001")],
        vec![D(2023, 6, 3), S("企業"), S("A社"), S("旋盤"), N(7.0), S("講師"), N(2.0), E],
    ];
    let trainings = vec![
        vec![S("実施日"), S("講習区分"), S("受講者数"), S("受講手当")],
        vec![D(2023, 7, 1), S("前期"), N(12.0), S("なし?")],
    ];
    let registry = vec![
        vec![S("認定番号"), S("職種"), S("認定日"), S("講習受講日")],
        vec![S("35-001"), S("旋盤"), D(2022, 4, 1), N(15.0)],
    ];
    dir.write("a.xlsx", &xlsx(&[("派遣", dispatches), ("講習", trainings), ("台帳", registry)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(actual(&json, "dispatch.sessions"), 2, "the garbled hours cost nothing; 講師 is not a 区分");
    assert_eq!(actual(&json, "dispatch.person_days"), 7);
    assert_eq!(actual(&json, "training.sessions"), 1);
    let warnings: Vec<(&str, &str, &str)> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["sheet"].as_str().unwrap(), w["cell"].as_str().unwrap(), w["column"].as_str().unwrap()))
        .collect();
    assert_eq!(warnings, [("派遣", "G2", "指導時間"), ("講習", "D2", "受講手当"), ("台帳", "D2", "講習受講日")]);
    let rejected: Vec<(&str, &str)> = json["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["cell"].as_str().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(rejected, [("F4", "区分")]);

    // Hours outside 1–3 stay a finding, with the row's place; the meister
    // with no readable training date instructed untrained.
    let findings = json["findings"].as_array().unwrap();
    let rule = |id: &str| findings.iter().find(|f| f["rule"] == id).unwrap_or_else(|| panic!("{id}: {findings:?}"));
    let length = rule("session_length");
    assert_eq!(length["count"], 1);
    assert_eq!(length["records"][0]["cell"], "A3");
    assert_eq!(length["records"][0]["sheet"], "派遣");
    assert_eq!(length["records"][0]["file"], "a.xlsx");
    assert!(length["label"].as_str().unwrap().contains("1〜3時間"));
    let untrained = rule("untrained_instructing");
    assert_eq!(untrained["count"], 2);
    assert!(untrained["records"].as_array().unwrap().iter().all(|r| r["meister"] == "35-001"));
}

#[test]
fn a_mapping_that_adds_a_canonical_value_is_refused_with_its_line() {
    let dir = Dir::new();
    dir.write("a.xlsx", &xlsx(&[("派遣", vec![header(), session("1", D(2023, 5, 1), "A社", 3.0, E)])]));
    let mapping = dir.tmp.path().join("mapping.toml");
    std::fs::write(&mapping, "[dispatches.categories.dest_type]\n\"中小企業\" = [\"事業所\"]\n\"NPO法人\" = []\n")
        .unwrap();
    let out = dir.run(&["--month", "2023-10", "--mapping", mapping.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "nothing written");
    let err = stderr(&out);
    assert!(err.contains("line 3: ") && err.contains("\"NPO法人\" is not a value"), "{err}");
    assert!(!dir.report(2023, "2023-10-31").exists());
}

/// The revisions folder: August (3 sessions), September (2), October (1).
fn revisions_rows(late_september: bool, drop_august_second: bool) -> Vec<Vec<V>> {
    let mut rows = vec![header()];
    let all = [
        ("101", D(2023, 8, 3), "A社", 4.0),
        ("102", D(2023, 8, 10), "B社", 6.0),
        ("103", D(2023, 8, 20), "C社", 5.0),
        ("104", D(2023, 9, 4), "D社", 3.0),
        ("105", D(2023, 9, 12), "E社", 2.0),
        ("106", D(2023, 10, 2), "F社", 7.0),
    ];
    for (no, date, req, n) in all {
        if drop_august_second && no == "102" {
            continue;
        }
        rows.push(session(no, date, req, n, N(2.0)));
    }
    if late_september {
        rows.push(session("107", D(2023, 9, 29), "G社", 8.0, N(2.0)));
    }
    rows
}

#[test]
fn a_month_changed_between_two_runs_is_listed_as_a_revision_with_its_rows() {
    let dir = Dir::new();
    dir.write("派遣.xlsx", &xlsx(&[("派遣", revisions_rows(false, false))]));
    let first = dir.run(&["--month", "2023-10"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).contains("この年度の報告書はまだありません"), "{}", stdout(&first));
    let october = kpis_json(&dir, "2023-10-31");
    assert_eq!(october["monthly"]["dispatch.sessions"]["2023-08"], 3);
    assert_eq!(october["monthly"]["dispatch.sessions"]["2023-09"], 2);
    assert_eq!(october["monthly"]["dispatch.person_days"]["2023-10"], 7);
    assert_eq!(october["revisions"].as_array().unwrap().len(), 0);
    assert!(october["revisions_against"].is_null());

    // A late September session added at the bottom; the second August row
    // deleted (every row below it moves up one).
    dir.write("派遣.xlsx", &xlsx(&[("派遣", revisions_rows(true, true))]));
    let second = dir.run(&["--month", "2023-11"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let november = kpis_json(&dir, "2023-11-30");
    let revisions = november["revisions"].as_array().unwrap();
    let got: Vec<(&str, &str, i64, i64)> = revisions
        .iter()
        .map(|r| {
            (
                r["month"].as_str().unwrap(),
                r["kpi"].as_str().unwrap(),
                r["reported"].as_i64().unwrap(),
                r["now"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2023-08", "dispatch.sessions", 3, 2),
            ("2023-08", "dispatch.person_days", 15, 9),
            ("2023-08", "dispatch.sme_groups.sessions", 3, 2),
            ("2023-09", "dispatch.sessions", 2, 3),
            ("2023-09", "dispatch.person_days", 5, 13),
            ("2023-09", "dispatch.sme_groups.sessions", 2, 3),
        ]
    );
    for r in revisions {
        assert_eq!(r["as_of_reported"], "2023-10-31");
        let rows = r["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "only the deleted or the added row, not the rows that moved: {rows:?}");
        let (change, cell) = (rows[0]["change"].as_str().unwrap(), rows[0]["cell"].as_str().unwrap());
        if r["month"] == "2023-08" {
            assert_eq!((change, cell), ("removed", "A3"), "102 was on row 3 in October");
        } else {
            assert_eq!((change, cell), ("added", "A7"), "107 is on row 7 now");
        }
        assert_eq!(rows[0]["file"], "派遣.xlsx");
        assert_eq!(rows[0]["sheet"], "派遣");
    }
    assert_eq!(november["revisions_against"]["folder"], "2023-10-31");
    let said = stdout(&second);
    assert!(said.contains("前回報告（2023年10月31日（令和5年10月31日）現在）からの修正: 6 件"), "{said}");
    assert!(said.contains("2023年8月 ものづくりマイスター派遣回数 3→2"), "{said}");

    // Both reports show them under 「前回報告からの修正」, with the rows.
    let set = dir.report(2023, "2023-11-30");
    for name in ["ministry.html", "center.html"] {
        let html = std::fs::read_to_string(set.join(name)).unwrap();
        let sec = &html[html.find("<section id=\"revisions\"").unwrap()..];
        let sec = &sec[..sec.find("</section>").unwrap()];
        assert!(sec.contains("前回報告からの修正"), "{name}");
        assert!(sec.contains("2023年10月31日（令和5年10月31日）現在"), "{name}: against which set");
        for needle in [
            "2023年8月",
            "2023年9月",
            "ものづくりマイスター派遣回数（回）",
            ">削除<",
            ">追加<",
            "派遣.xlsx / 派遣 / A3",
            "派遣.xlsx / 派遣 / A7",
        ] {
            assert!(sec.contains(needle), "{name}: {needle} in {sec}");
        }
    }
    for name in ["ministry.xlsx", "center.xlsx"] {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(set.join(name)).unwrap();
        let cells: Vec<String> =
            wb.worksheet_range("前回報告からの修正").unwrap().used_cells().map(|(_, _, v)| v.to_string()).collect();
        for needle in ["2023年8月", "2023年9月", "削除", "追加", "派遣.xlsx / 派遣 / A3"] {
            assert!(cells.iter().any(|c| c == needle || c.contains(needle)), "{name}: {needle}");
        }
    }

    // The same month again is never its own baseline: it compares with
    // October again, and lists the same six revisions.
    let third = dir.run(&["--month", "2023-11"]);
    assert!(stdout(&third).contains("現在）からの修正: 6 件"), "{}", stdout(&third));
    let again = kpis_json(&dir, "2023-11-30");
    assert_eq!(again["revisions_against"]["folder"], "2023-10-31");
    assert_eq!(again["revisions"], november["revisions"]);
}

/// Sessions 201–203 (April, April, May), and with `correction` a late
/// April session 204 at the bottom (row 5); with `late_may` a May session
/// 205 below it.
fn baseline_rows(correction: bool, late_may: bool) -> Vec<Vec<V>> {
    let mut rows = vec![
        header(),
        session("201", D(2023, 4, 10), "A社", 3.0, N(2.0)),
        session("202", D(2023, 4, 20), "B社", 4.0, N(2.0)),
        session("203", D(2023, 5, 12), "C社", 5.0, N(2.0)),
    ];
    if correction {
        rows.push(session("204", D(2023, 4, 25), "D社", 6.0, N(2.0)));
    }
    if late_may {
        rows.push(session("205", D(2023, 5, 30), "E社", 2.0, N(2.0)));
    }
    rows
}

/// (month, KPI, reported, now) of a set's revisions.
fn revisions_of(json: &Value) -> Vec<(String, String, i64, i64)> {
    json["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["month"].as_str().unwrap().to_string(),
                r["kpi"].as_str().unwrap().to_string(),
                r["reported"].as_i64().unwrap(),
                r["now"].as_i64().unwrap(),
            )
        })
        .filter(|r| r.1 == "dispatch.sessions" || r.1 == "dispatch.person_days")
        .collect()
}

#[test]
fn the_baseline_of_revisions_is_the_last_month_end_report_never_a_rerun_or_a_mid_month_set() {
    let dir = Dir::new();
    let run = |args: &[&str]| {
        let out = dir.run(args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out
    };
    dir.write("派遣.xlsx", &xlsx(&[("派遣", baseline_rows(false, false))]));
    run(&["--month", "2023-04"]);
    run(&["--month", "2023-05"]);
    assert_eq!(kpis_json(&dir, "2023-05-31")["revisions_against"]["folder"], "2023-04-30");
    assert!(revisions_of(&kpis_json(&dir, "2023-05-31")).is_empty());

    // April corrected after the first May run; May run again.
    dir.write("派遣.xlsx", &xlsx(&[("派遣", baseline_rows(true, false))]));
    let second_may = run(&["--month", "2023-05"]);
    let may = kpis_json(&dir, "2023-05-31");
    assert_eq!(may["revisions_against"]["folder"], "2023-04-30", "the April set, not the first May run");
    let s = |x: &str| x.to_string();
    assert_eq!(
        revisions_of(&may),
        [(s("2023-04"), s("dispatch.sessions"), 2, 3), (s("2023-04"), s("dispatch.person_days"), 3 + 4, 3 + 4 + 6),]
    );
    for r in may["revisions"].as_array().unwrap() {
        assert_eq!(r["as_of_reported"], "2023-04-30");
        assert_eq!(r["rows"][0]["change"], "added");
        assert_eq!(r["rows"][0]["cell"], "A5");
    }
    let said = stdout(&second_may);
    let listed = may["revisions"].as_array().unwrap().len();
    assert_eq!(listed, 3, "sessions, person-days, and sessions for SMEs (中小企業)");
    assert!(
        said.contains(&format!("前回報告（2023年4月30日（令和5年4月30日）現在）からの修正: {listed} 件")),
        "{said}"
    );
    assert!(!said.contains("別の版"), "this version made the April set: {said}");

    // A mid-month set is no baseline: June's report compares with May's,
    // and lists the May correction made after the 06-15 run.
    run(&["--as-of", "2023-06-15"]);
    assert_eq!(kpis_json(&dir, "2023-06-15")["revisions_against"]["folder"], "2023-05-31");
    dir.write("派遣.xlsx", &xlsx(&[("派遣", baseline_rows(true, true))]));
    run(&["--month", "2023-06"]);
    let june = kpis_json(&dir, "2023-06-30");
    assert_eq!(june["revisions_against"]["folder"], "2023-05-31", "not the 06-15 set");
    assert_eq!(
        revisions_of(&june),
        [(s("2023-05"), s("dispatch.sessions"), 1, 2), (s("2023-05"), s("dispatch.person_days"), 5, 5 + 2)]
    );
}

#[test]
fn a_baseline_made_by_another_version_of_the_tool_is_named_as_such() {
    let dir = Dir::new();
    dir.write("派遣.xlsx", &xlsx(&[("派遣", baseline_rows(false, false))]));
    assert_eq!(dir.run(&["--month", "2023-04"]).status.code(), Some(0));
    // The April set as an older version would have left it.
    let april = dir.report(2023, "2023-04-30").join("kpis.json");
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&april).unwrap()).unwrap();
    json["generator"] = Value::from("corner-kpi 0.0.9");
    std::fs::write(&april, serde_json::to_string_pretty(&json).unwrap()).unwrap();

    let may = dir.run(&["--month", "2023-05"]);
    assert_eq!(may.status.code(), Some(0), "{}", stderr(&may));
    let note = "前回報告（2023年4月30日（令和5年4月30日）現在）は別の版の corner-kpi（0.0.9）で作られたため、集計のきまりが違う場合があります";
    let said = stdout(&may);
    assert!(said.contains("からの修正: なし") && said.contains(note), "{said}");
    let set = dir.report(2023, "2023-05-31");
    for name in ["ministry.html", "center.html"] {
        let html = std::fs::read_to_string(set.join(name)).unwrap();
        let sec = &html[html.find("<section id=\"revisions\"").unwrap()..];
        let sec = &sec[..sec.find("</section>").unwrap()];
        assert!(sec.contains(note), "{name}: {sec}");
    }
    assert_eq!(kpis_json(&dir, "2023-05-31")["revisions_against"]["generator"], "corner-kpi 0.0.9");
    // Made again by this version, the May set names no other version to June.
    let june = dir.run(&["--month", "2023-06"]);
    assert!(!stdout(&june).contains("別の版"), "{}", stdout(&june));
    let generator = kpis_json(&dir, "2023-06-30")["revisions_against"]["generator"].clone();
    assert_eq!(generator, kpis_json(&dir, "2023-05-31")["generator"]);
}

#[test]
fn the_ledger_that_explains_revisions_holds_no_value_of_a_row() {
    let dir = Dir::new();
    let rows = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数"), S("指導者氏名")],
        vec![D(2023, 5, 1), S("企業"), S("株式会社ヤマダ"), S("旋盤"), N(4.0), S("高橋 次郎")],
    ];
    dir.write("a.xlsx", &xlsx(&[("派遣", rows)]));
    dir.run(&["--month", "2023-10"]);
    let json = kpis_json(&dir, "2023-10-31");
    let ledger = serde_json::to_string(&json["ledger"]).unwrap();
    assert!(ledger.contains("\"2023-05\"") && ledger.contains("\"A2\""), "{ledger}");
    for value in ["株式会社ヤマダ", "旋盤", "高橋", "2023-05-01"] {
        assert!(!ledger.contains(value), "the ledger keeps places and fingerprints only: {value} in {ledger}");
    }
}

#[test]
fn a_killed_runs_temporary_folder_is_removed_by_the_next_run() {
    let dir = Dir::new();
    dir.write("a.xlsx", &xlsx(&[("派遣", vec![header(), session("1", D(2023, 5, 1), "A社", 3.0, E)])]));
    let year = dir.output().join("2023");
    let killed = year.join(".2023-10-31.tmp-Qx81Zc");
    let running = year.join(".2023-09-30.tmp-Rt02Ab");
    let mine = year.join("my-notes");
    for d in [&killed, &running, &mine] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(killed.join("ministry.xlsx"), b"half written").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for d in [&killed, &mine] {
        std::fs::File::open(d).unwrap().set_modified(two_hours_ago).unwrap();
    }
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!killed.exists(), "the old leftover is gone");
    assert!(running.exists(), "a fresh one may belong to a run in progress");
    assert!(mine.exists(), "nothing else is touched");
    assert!(stdout(&out).contains("中断した実行の一時フォルダー 1 個を片付けました"), "{}", stdout(&out));
}

/// A 派遣番号 kept as the number 2 in a cell formatted `000` (shown as 002)
/// and typed as the text `002` elsewhere is one number: the repeat is a
/// duplicate, counted once. Numbers with other characters compare as written.
#[test]
fn a_dispatch_number_as_a_number_and_as_zero_padded_text_is_one_number() {
    let dir = Dir::new();
    let mut as_number = session("001", D(2023, 5, 10), "A社", 5.0, N(2.0));
    as_number[0] = N(2.0);
    let book = vec![
        header(),
        as_number,
        session("002", D(2023, 5, 10), "A社", 5.0, N(2.0)),
        session("R5-2", D(2023, 5, 11), "B社", 6.0, N(2.0)),
        session("R5-02", D(2023, 5, 12), "C社", 7.0, N(2.0)),
    ];
    dir.write("派遣.xlsx", &xlsx(&[("5月", book)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = kpis_json(&dir, "2023-10-31");
    assert_eq!(actual(&json, "dispatch.sessions"), 3, "2 and 002 once; R5-2 and R5-02 are two");
    let dups = json["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0]["key"], "002", "listed as written");
}
