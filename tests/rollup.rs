//! The national roll-up on a folder of corners the test writes: each
//! corner's figures are counted from the rows written here, and the
//! national totals from those.

use crate::harness::{V, V::*, stderr, xlsx};
use corner_kpi::plan::DEFAULT_PLAN_TOML;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn header() -> Vec<V> {
    ["派遣番号", "実施日", "派遣先区分", "派遣先名", "職種", "受講者数"].iter().map(|h| S(h)).collect()
}

/// `n` sessions numbered 001.. in `month` of `year`, `trainees` each.
fn sessions(year: i32, month: u32, n: usize, trainees: f64) -> Vec<Vec<V>> {
    let mut rows = vec![header()];
    for i in 0..n {
        rows.push(vec![
            Str(format!("{:03}", i + 1)),
            D(year, month, 1 + i as u32),
            S("工業高校"),
            S("A高校"),
            S("旋盤"),
            N(trainees),
        ]);
    }
    rows
}

struct Nation {
    tmp: tempfile::TempDir,
}

impl Nation {
    fn new() -> Nation {
        Nation { tmp: tempfile::tempdir().unwrap() }
    }
    fn root(&self) -> PathBuf {
        self.tmp.path().join("corners")
    }
    fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }
    fn put(&self, rel: &str, bytes: &[u8]) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    /// A corner folder: the embedded plan under the corner's name, and one workbook.
    fn corner(&self, folder: &str, name: &str, book: &[u8]) {
        self.put(&format!("{folder}/plan.toml"), &plan(name, |t| t));
        self.put(&format!("{folder}/派遣.xlsx"), book);
    }
    fn rollup(&self, month: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
            .args(["rollup", "--input"])
            .arg(self.root())
            .arg("--output")
            .arg(self.out())
            .args(["--month", month])
            .env("CI", "1")
            .output()
            .unwrap()
    }
    fn json(&self, as_of: &str) -> Value {
        let p = self.out().join("2023").join(as_of).join("national.json");
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    }
}

/// The embedded plan for another corner: its name, and `edit` applied.
fn plan(corner: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    edit(DEFAULT_PLAN_TOML.replacen("corner = \"山口県地域技能振興コーナー\"", &format!("corner = \"{corner}\""), 1))
        .into_bytes()
}

/// A plan without one KPI block.
fn without(id: &str) -> impl Fn(String) -> String {
    let id = id.to_string();
    move |text: String| {
        let start = text.find(&format!("[[kpi]]\nid = \"{id}\"")).expect("kpi block");
        let end = text[start + 7..].find("[[kpi]]").map_or(text.len(), |i| start + 7 + i);
        format!("{}{}", &text[..start], &text[end..])
    }
}

fn corner<'a>(json: &'a Value, folder: &str) -> &'a Value {
    json["corners"].as_array().unwrap().iter().find(|c| c["folder"] == folder).unwrap_or_else(|| panic!("{folder}"))
}

fn kpi<'a>(c: &'a Value, id: &str) -> Option<&'a Value> {
    c["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id)
}

fn total<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["totals"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap()
}

/// Runs `corner-kpi run` on a folder and returns its kpis.json.
fn own_run(dir: &Path, month: &str) -> Vec<u8> {
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
        .args(["run", "--input"])
        .arg(dir.join("in"))
        .arg("--output")
        .arg(&out)
        .args(["--month", month, "-q"])
        .env("CI", "1")
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    std::fs::read(out.join("2023").join("2023-12-31").join("kpis.json")).unwrap()
}

/// Five corners: 35 and 34 with colliding 派遣番号 (and 34's plan lacking a
/// KPI and with its own target), 13 given only by its kpis.json, 27 with an
/// unreadable workbook beside a good one, 01 with no record in December.
fn nation() -> Nation {
    let n = Nation::new();
    // 35 山口: 12 sessions in December (001–012) and last year's 001–005.
    n.put("35_山口/plan.toml", &plan("山口県地域技能振興コーナー", |t| t));
    n.put("35_山口/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 12, 4.0)), ("R4", sessions(2022, 12, 5, 9.0))]));
    // 34 広島: 8 sessions (001–008 again), a target of 100, no schools KPI.
    n.put(
        "34_広島/plan.toml",
        &plan("広島県地域技能振興コーナー", |t| {
            without("dispatch.schools.sessions")(t.replacen("target = 270", "target = 100", 1))
        }),
    );
    n.put("34_広島/派遣実績.xlsx", &xlsx(&[("12月", sessions(2023, 12, 8, 5.0))]));
    // 13 東京: only the kpis.json of its own run (20 sessions of 3).
    let own = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(own.path().join("in")).unwrap();
    std::fs::write(own.path().join("in").join("a.xlsx"), xlsx(&[("12月", sessions(2023, 12, 20, 3.0))])).unwrap();
    n.put("13_東京/kpis.json", &own_run(own.path(), "2023-12"));
    // 27 大阪: a good workbook (6 sessions) and a truncated one.
    n.put("27_大阪/plan.toml", &plan("大阪府地域技能振興コーナー", |t| t));
    n.put("27_大阪/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 6, 2.0))]));
    let mut broken = xlsx(&[("12月", sessions(2023, 12, 6, 2.0))]);
    broken.truncate(broken.len() / 2);
    n.put("27_大阪/壊れた.xlsx", &broken);
    // 01 北海道: April and May only — nothing in the as-of month.
    n.put("01_北海道/plan.toml", &plan("北海道地域技能振興コーナー", |t| t));
    n.put("01_北海道/派遣.xlsx", &xlsx(&[("4月", sessions(2023, 4, 3, 6.0))]));
    n
}

#[test]
fn every_corner_is_counted_as_its_own_run_and_the_nation_is_their_sum() {
    let n = nation();
    let out = n.rollup("2023-12");
    assert_eq!(out.status.code(), Some(1), "a missing corner is for a person to see: {}", stderr(&out));
    let json = n.json("2023-12-31");
    assert_eq!(json["as_of"], "2023-12-31");
    let folders: Vec<&str> =
        json["corners"].as_array().unwrap().iter().map(|c| c["folder"].as_str().unwrap()).collect();
    assert_eq!(folders, ["01_北海道", "13_東京", "27_大阪", "34_広島", "35_山口"], "prefecture order");

    let sessions =
        |folder: &str| kpi(corner(&json, folder), "dispatch.sessions").map(|k| k["actual"].as_i64().unwrap());
    // The same numbers in two corners and in last year: each counted in its own corner and year.
    assert_eq!(sessions("35_山口"), Some(12));
    assert_eq!(sessions("34_広島"), Some(8));
    assert_eq!(sessions("13_東京"), Some(20));
    assert_eq!(sessions("27_大阪"), Some(6), "the unreadable workbook costs its own rows only");
    assert_eq!(kpi(corner(&json, "35_山口"), "dispatch.person_days").unwrap()["actual"], 48);
    assert_eq!(corner(&json, "34_広島")["corner"], "広島県地域技能振興コーナー", "the name comes from the plan");
    assert_eq!(kpi(corner(&json, "34_広島"), "dispatch.sessions").unwrap()["target"], 100);

    // 27: its data quality shows the broken file; the others are unaffected.
    assert_eq!(corner(&json, "27_大阪")["data_quality"]["unreadable_files"], 1);
    assert_eq!(corner(&json, "35_山口")["data_quality"]["unreadable_files"], 0);
    assert_eq!(corner(&json, "13_東京")["source"], "kpis.json");

    // 01: no record in December → missing, never zero.
    let hokkaido = corner(&json, "01_北海道");
    assert_eq!(hokkaido["state"], "missing");
    assert!(hokkaido["reason"].as_str().unwrap().contains("2023年12月"), "{}", hokkaido["reason"]);
    assert_eq!(hokkaido["kpis"].as_array().unwrap().len(), 0);

    // Totals: the corners that have the KPI, against the sum of their targets.
    let t = total(&json, "dispatch.sessions");
    assert_eq!(t["actual"], 12 + 8 + 20 + 6);
    assert_eq!(t["target"], 270 + 100 + 270 + 270);
    assert_eq!(t["corners_with_kpi"], 4);
    let schools = total(&json, "dispatch.schools.sessions");
    assert_eq!(schools["corners_with_kpi"], 3, "広島's plan lacks it");
    assert_eq!(schools["actual"], 12 + 20 + 6);
    assert_eq!(schools["target"], 170 * 3);
    assert!(kpi(corner(&json, "34_広島"), "dispatch.schools.sessions").is_none());
}

#[test]
fn the_national_report_shows_no_plan_and_missing_as_words_never_as_zero() {
    let n = nation();
    n.rollup("2023-12");
    let set = n.out().join("2023").join("2023-12-31");
    let html = std::fs::read_to_string(set.join("national.html")).unwrap();
    let map = &html[html.find("<section id=\"map\"").unwrap()..];
    let map = &map[..map.find("</section>").unwrap()];
    // A corner's row in every part of the map (ten KPI columns a table).
    let row = |name: &str| -> String {
        let parts: Vec<&str> = map.split("<tr").filter(|r| r.contains(name)).collect();
        assert!(!parts.is_empty(), "{name} row");
        parts.concat()
    };
    assert!(row(">34 広島県<").contains(">計画なし<"), "a KPI the corner's plan lacks");
    let hokkaido = row(">01 北海道<");
    assert!(hokkaido.contains(">欠測<") && !hokkaido.contains(">0<"), "{hokkaido}");
    assert!(
        html.contains("id=\"ranking\"") && html.contains("id=\"totals\"") && html.contains("id=\"corner_quality\"")
    );
    for f in ["national.xlsx", "national.json"] {
        assert!(set.join(f).is_file(), "{f}");
    }
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(set.join("national.xlsx")).unwrap();
    let rows = wb.worksheet_range("コーナー別").unwrap();
    let hokkaido_sessions = rows
        .rows()
        .find(|r| {
            r.first().is_some_and(|c| c.to_string().contains("北海道"))
                && r.get(1).is_some_and(|c| *c == "ものづくりマイスター派遣回数")
        })
        .unwrap()
        .to_vec();
    assert_eq!(hokkaido_sessions[3].to_string(), "欠測", "{hokkaido_sessions:?}");
}

#[test]
fn the_national_set_sits_beside_a_corners_own_reports() {
    let n = nation();
    let own = n.out().join("2023").join("2023-12-31");
    std::fs::create_dir_all(own.join("mail")).unwrap();
    std::fs::write(own.join("ministry.html"), "a corner's own report").unwrap();
    std::fs::write(own.join("mail").join("checklist.txt"), "checked").unwrap();
    n.rollup("2023-12");
    assert_eq!(std::fs::read_to_string(own.join("ministry.html")).unwrap(), "a corner's own report");
    assert_eq!(std::fs::read_to_string(own.join("mail").join("checklist.txt")).unwrap(), "checked");
    assert!(own.join("national.json").is_file());
}

#[test]
fn a_corner_with_a_bad_plan_fails_alone() {
    let n = nation();
    n.put("35_山口/plan.toml", b"[plan]\nname = 1\n");
    let out = n.rollup("2023-12");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = n.json("2023-12-31");
    assert_eq!(corner(&json, "35_山口")["state"], "failed");
    assert_eq!(kpi(corner(&json, "34_広島"), "dispatch.sessions").unwrap()["actual"], 8);
    assert_eq!(total(&json, "dispatch.sessions")["actual"], 8 + 20 + 6);
}

// ---------------------------------------------------------------------------
// A generated nation (the samples crate's `national` generator): workbooks
// with the usual mess, several fiscal years each; every expected figure is
// the generator's own arithmetic over the records it planted.

mod generated {
    use super::{corner, kpi, stderr, total};
    use corner_kpi_samples::national;
    use serde_json::Value;
    use std::path::Path;
    use std::process::Command;

    fn json(path: &Path) -> Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn a_generated_nation_rolls_up_to_the_figures_each_corner_planted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("全国");
        let truth = national::write_corners(&root, &[1, 13, 35], 3).unwrap();
        let out = tmp.path().join("out");
        let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
            .args(["rollup", "--input"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .args(["--month", "2023-12"])
            .env("CI", "1")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "every corner counted: {}", stderr(&o));
        let as_of = truth.as_of;
        let n = json(&out.join("2023").join(as_of.to_string()).join("national.json"));
        assert_eq!(n["as_of"], as_of.to_string());
        let folders: Vec<&str> =
            n["corners"].as_array().unwrap().iter().map(|c| c["folder"].as_str().unwrap()).collect();
        assert_eq!(folders, ["01_北海道", "13_東京", "35_山口"]);
        for t in &truth.corners {
            let c = corner(&n, &t.folder);
            assert_eq!(c["state"], "ok", "{}: {}", t.folder, c["reason"]);
            assert_eq!(c["corner"], t.corner.as_str());
            for (id, want) in t.actuals(as_of) {
                let k = kpi(c, id).unwrap_or_else(|| panic!("{} {id}", t.folder));
                assert_eq!(k["actual"].as_f64(), Some(want), "{} {id}", t.folder);
                assert_eq!(k["target"].as_f64(), t.target(id), "{} {id} target", t.folder);
            }
            let q = &c["data_quality"];
            assert_eq!(q["rejected"].as_u64(), Some(t.rejected as u64), "{}: two rejected rows a year", t.folder);
            assert_eq!(q["warnings"], 0, "{}", t.folder);
            assert_eq!(q["unreadable_files"], 0, "{}", t.folder);
            assert_eq!(q["files_read"].as_u64(), Some(t.workbooks as u64), "{}: the lock file is not read", t.folder);
        }
        for (id, want) in truth.totals(as_of) {
            assert_eq!(total(&n, id)["actual"].as_f64(), Some(want), "total {id}");
            assert_eq!(total(&n, id)["corners_with_kpi"], 3, "{id}");
        }
        let target: f64 = truth.corners.iter().filter_map(|c| c.target("dispatch.sessions")).sum();
        assert_eq!(total(&n, "dispatch.sessions")["target"].as_f64(), Some(target));
    }

    #[test]
    fn one_corner_with_years_of_history_counts_this_year_and_last_years_same_period() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("in");
        let truth = national::write_corners(&root, &[35], 4).unwrap();
        let t = &truth.corners[0];
        let dir = root.join(&t.folder);
        let out = tmp.path().join("out");
        let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
            .args(["run", "--input"])
            .arg(&dir)
            .arg("--plan")
            .arg(dir.join("plan.toml"))
            .arg("--output")
            .arg(&out)
            .args(["--month", "2023-12", "-q"])
            .env("CI", "1")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "the planted rejected rows are for a person to fix: {}", stderr(&o));
        let k = json(&out.join("2023").join(truth.as_of.to_string()).join("kpis.json"));
        let of = |id: &str| k["kpis"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap().clone();
        for (id, want) in t.actuals(truth.as_of) {
            assert_eq!(of(id)["actual"].as_f64(), Some(want), "{id}");
        }
        let previous = t.previous_year_to_date(truth.as_of);
        assert!(previous.iter().all(|(_, v)| v.is_some()), "four years written: last year is there");
        for (id, want) in previous {
            assert_eq!(of(id)["previous_year_to_date"].as_f64(), want, "{id} 前年同期");
        }
        // Last year counted in full is not this year's figure: numbering
        // restarts every year, and each year counts in its own.
        let last_year = t.year_actuals(2022);
        let sessions = |v: &[(&str, f64)]| v.iter().find(|(id, _)| *id == "dispatch.sessions").map(|(_, x)| *x);
        assert!(sessions(&last_year).unwrap() > 0.0);
        assert_eq!(k["rejected"].as_array().unwrap().len(), t.rejected, "two rejected rows a year, all years");
    }
}

/// A total counts the same corners on both sides: those whose plan has the
/// KPI and that have a figure for it. A corner with no outreach sheet (データなし)
/// adds neither a zero nor its target; a corner whose plan lacks a KPI adds
/// nothing even though its workbooks count sessions for it.
#[test]
fn national_totals_add_actuals_and_targets_of_the_same_corners() {
    let n = Nation::new();
    let outreach = |count: usize| {
        let mut rows = vec![["実施日", "発信区分", "実施先名", "参加者数"].iter().map(|h| S(h)).collect::<Vec<V>>()];
        for i in 0..count {
            rows.push(vec![D(2023, 12, 1 + i as u32), S("中学校"), S("C中学校"), N(30.0)]);
        }
        rows
    };
    // 35: dispatches and 3 outreach events. 34: dispatches only (no outreach sheet).
    n.put("35_山口/plan.toml", &plan("山口県地域技能振興コーナー", |t| t));
    n.put("35_山口/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 4, 2.0)), ("発信", outreach(3))]));
    n.put("34_広島/plan.toml", &plan("広島県地域技能振興コーナー", |t| t));
    n.put("34_広島/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 6, 2.0))]));
    // 33: its plan lacks the schools KPI, but its books hold 5 school sessions.
    n.put("33_岡山/plan.toml", &plan("岡山県地域技能振興コーナー", without("dispatch.schools.sessions")));
    n.put("33_岡山/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 5, 2.0))]));
    let out = n.rollup("2023-12");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = n.json("2023-12-31");
    let target_of = |id: &str| {
        let block = &DEFAULT_PLAN_TOML[DEFAULT_PLAN_TOML.find(&format!("id = \"{id}\"")).unwrap()..];
        let line = block.lines().find(|l| l.starts_with("target = ")).unwrap();
        line["target = ".len()..].trim().parse::<i64>().unwrap()
    };

    let o = total(&json, "outreach.school.sessions");
    assert_eq!(kpi(corner(&json, "34_広島"), "outreach.school.sessions").unwrap()["status"], "no_data");
    assert_eq!(o["actual"], 3);
    assert_eq!(o["target"], target_of("outreach.school.sessions"), "35's target only");
    assert_eq!(o["corners_with_kpi"], 1);
    assert_eq!(o["corners_with_target"], 3, "34 and 33 have it in their plan, without a figure");
    let a = o["achievement"].as_f64().unwrap();
    assert!((a - 3.0 / target_of("outreach.school.sessions") as f64).abs() < 1e-9, "{a}");

    let s = total(&json, "dispatch.schools.sessions");
    assert_eq!(s["actual"], 4 + 6, "33's five sessions are outside its plan");
    assert_eq!(s["target"], 2 * target_of("dispatch.schools.sessions"));
    assert_eq!(s["corners_with_kpi"], 2);
    assert_eq!(total(&json, "dispatch.sessions")["actual"], 4 + 6 + 5);
}

/// A corner whose only workbook cannot be read is a failed corner whose
/// data-quality counts show that workbook, not an empty corner.
#[test]
fn a_corner_whose_only_workbook_is_unreadable_fails_and_counts_it() {
    let n = Nation::new();
    n.corner("35_山口", "山口県地域技能振興コーナー", &xlsx(&[("12月", sessions(2023, 12, 4, 2.0))]));
    n.corner("29_奈良", "奈良県地域技能振興コーナー", b"PK\x03\x04 this is not a workbook");
    let out = n.rollup("2023-12");
    assert_eq!(out.status.code(), Some(1), "a failed corner: {}", stderr(&out));
    let json = n.json("2023-12-31");
    let nara = corner(&json, "29_奈良");
    assert_eq!(nara["state"], "failed");
    assert_eq!(nara["data_quality"]["unreadable_files"], 1);
    assert_eq!(nara["data_quality"]["files_read"], 0);
    assert!(nara["reason"].as_str().unwrap().contains("読めないブックが 1 件"), "{}", nara["reason"]);
    assert_eq!(total(&json, "dispatch.sessions")["actual"], 4, "the other corner is unaffected");
}

/// A corner with records up to November only is missing at 2023-12-31,
/// whether the roll-up reads its workbooks or the kpis.json of its own run.
#[test]
fn nothing_dated_in_the_as_of_month_is_missing_from_workbooks_and_from_kpis_json_alike() {
    let n = Nation::new();
    n.put("35_山口/plan.toml", &plan("山口県地域技能振興コーナー", |t| t));
    n.put("35_山口/派遣.xlsx", &xlsx(&[("11月", sessions(2023, 11, 3, 2.0))]));
    let own = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(own.path().join("in")).unwrap();
    std::fs::write(own.path().join("in").join("a.xlsx"), xlsx(&[("11月", sessions(2023, 11, 3, 2.0))])).unwrap();
    n.put("34_広島/kpis.json", &own_run(own.path(), "2023-12"));
    // And one with December records, by its kpis.json: counted.
    let own = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(own.path().join("in")).unwrap();
    std::fs::write(own.path().join("in").join("a.xlsx"), xlsx(&[("12月", sessions(2023, 12, 2, 2.0))])).unwrap();
    n.put("33_岡山/kpis.json", &own_run(own.path(), "2023-12"));
    let out = n.rollup("2023-12");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = n.json("2023-12-31");
    for folder in ["35_山口", "34_広島"] {
        let c = corner(&json, folder);
        assert_eq!(c["state"], "missing", "{folder}");
        assert!(c["reason"].as_str().unwrap().contains("2023年12月"), "{folder}: {}", c["reason"]);
    }
    assert_eq!(corner(&json, "33_岡山")["state"], "ok");
    assert_eq!(total(&json, "dispatch.sessions")["actual"], 2);
}

/// A copy of a corner's folder (same prefecture code) is not counted twice;
/// an output folder inside the input is refused before anything is read or
/// written (the next roll-up would read the national set back).
#[test]
fn a_second_folder_of_one_code_is_not_counted_and_an_output_inside_the_input_is_refused() {
    let n = Nation::new();
    let book = xlsx(&[("12月", sessions(2023, 12, 4, 2.0))]);
    n.corner("35_山口", "山口県地域技能振興コーナー", &book);
    n.corner("35_山口 - コピー", "山口県地域技能振興コーナー", &book);
    n.put("stray.xlsx", &xlsx(&[("12月", sessions(2023, 12, 1, 2.0))]));
    let root = n.root();
    let with_output = |output: &Path| {
        let args: [&std::ffi::OsStr; 7] = [
            "rollup".as_ref(),
            "--input".as_ref(),
            root.as_os_str(),
            "--output".as_ref(),
            output.as_os_str(),
            "--month".as_ref(),
            "2023-12".as_ref(),
        ];
        crate::harness::corner_kpi(args)
    };
    for inside in [n.root(), n.root().join("集計結果"), n.root().join("35_山口").join("報告")] {
        let out = with_output(&inside);
        assert_eq!(out.status.code(), Some(2), "{}", inside.display());
        assert!(stderr(&out).contains("集計フォルダーの外"), "{}", stderr(&out));
        assert!(!inside.join("2023").exists(), "nothing written: {}", inside.display());
    }
    let out = n.rollup("2023-12");
    assert_eq!(out.status.code(), Some(1), "the copy is a failed corner: {}", stderr(&out));
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(said.contains("直下にあるファイル 1 件は読みません"), "the loose book is mentioned: {said}");
    assert!(!said.contains("stray"), "counted, not named");
    let json = n.json("2023-12-31");
    let copy = corner(&json, "35_山口 - コピー");
    assert_eq!(copy["state"], "failed");
    assert!(copy["reason"].as_str().unwrap().contains("35_山口"), "{}", copy["reason"]);
    assert_eq!(total(&json, "dispatch.sessions")["actual"], 4, "counted once");
}

impl Nation {
    /// `corner-kpi run` (one corner's report) on the roll-up folder.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
            .args(["run", "--input"])
            .arg(self.root())
            .arg("--output")
            .arg(self.out())
            .args(args)
            .env("CI", "1")
            .output()
            .unwrap()
    }

    /// `run` on the folder stops naming `corner-kpi rollup` and `evidence`, writing nothing.
    fn assert_run_refused(&self, evidence: &[&str]) {
        let o = self.run(&["--month", "2023-12"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        let rollup = format!("corner-kpi rollup --input {}", self.root().display());
        assert!(err.contains("全国集計用のフォルダーのようです") && err.contains(&rollup), "{err}");
        assert!(err.contains("そのコーナーのフォルダーを --input に指定してください"), "{err}");
        for e in evidence {
            assert!(err.contains(e), "{e} in {err}");
        }
        assert!(o.stdout.is_empty());
        assert!(!self.out().exists(), "nothing written");
    }
}

#[test]
fn run_on_a_folder_of_corners_with_their_plans_stops_and_names_rollup() {
    let n = Nation::new();
    n.corner("山口", "山口県地域技能振興コーナー", &xlsx(&[("12月", sessions(2023, 12, 3, 4.0))]));
    n.corner("鳥取", "鳥取県地域技能振興コーナー", &xlsx(&[("12月", sessions(2023, 12, 2, 4.0))]));
    n.assert_run_refused(&[
        "山口/plan.toml は「山口県地域技能振興コーナー」",
        "鳥取/plan.toml は「鳥取県地域技能振興コーナー」",
    ]);
}

#[test]
fn run_on_a_folder_of_corners_kpis_json_stops_and_names_rollup() {
    let n = Nation::new();
    for (folder, count) in [("山口", 4), ("鳥取", 2)] {
        let own = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(own.path().join("in")).unwrap();
        std::fs::write(own.path().join("in/a.xlsx"), xlsx(&[("12月", sessions(2023, 12, count, 3.0))])).unwrap();
        n.put(&format!("{folder}/kpis.json"), &own_run(own.path(), "2023-12"));
    }
    n.assert_run_refused(&["それぞれ kpis.json を持つフォルダー 山口、鳥取"]);
}

#[test]
fn run_on_folders_named_after_two_prefectures_stops_and_names_rollup() {
    let n = Nation::new();
    n.put("35_山口/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 3, 4.0))]));
    n.put("31_鳥取/派遣.xlsx", &xlsx(&[("12月", sessions(2023, 12, 2, 4.0))]));
    n.assert_run_refused(&["都道府県番号で始まるフォルダー 31_鳥取、35_山口"]);
}

/// One corner keeping each year's plan in its year folder, and its books
/// by month (4月, 10月: numbers that are no prefecture's folder).
#[test]
fn one_corner_with_a_plan_in_each_years_folder_runs_as_one_corner() {
    let n = Nation::new();
    let plan_2022 = corner_kpi_stdout(&["plan", "--fiscal-year", "2022"]);
    n.put("令和4年度/plan.toml", plan_2022.as_bytes());
    n.put("令和4年度/派遣.xlsx", &xlsx(&[("12月", sessions(2022, 12, 5, 9.0))]));
    n.put("令和5年度/plan.toml", DEFAULT_PLAN_TOML.as_bytes());
    n.put("令和5年度/4月/派遣.xlsx", &xlsx(&[("4月", sessions(2023, 4, 2, 3.0))]));
    // Numbered on from April's 001–002 (the same number within a year is one session).
    let mut december = sessions(2023, 12, 3, 4.0);
    for (i, row) in december.iter_mut().skip(1).enumerate() {
        row[0] = Str(format!("{:03}", 3 + i));
    }
    n.put("令和5年度/12月/派遣.xlsx", &xlsx(&[("12月", december)]));
    let plan = n.root().join("令和5年度/plan.toml");
    let o = n.run(&["--month", "2023-12", "--plan", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(n.out().join("2023").join("2023-12-31").join("kpis.json")).unwrap(),
    )
    .unwrap();
    let k = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
    assert_eq!(k["actual"], 2 + 3, "this year's sessions; last year's are history");
    assert_eq!(k["previous_year_to_date"], 5);
}

fn corner_kpi_stdout(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi")).args(args).env("CI", "1").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}
