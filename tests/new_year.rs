//! A new fiscal year: the plan rolled forward by the binary and used for a
//! run of that year; a run outside its plan's year says which command makes
//! the right plan.

use crate::harness::{Dir, V::*, stderr, xlsx};
use std::process::Command;

fn plan_for(year: &str, from: Option<&std::path::Path>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corner-kpi"));
    cmd.args(["plan", "--fiscal-year", year]);
    if let Some(f) = from {
        cmd.arg("--from").arg(f);
    }
    cmd.output().unwrap()
}

fn fy2026_folder(dir: &Dir) {
    let rows = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![D(2026, 5, 11), S("企業"), S("A社"), S("旋盤"), N(7.0)],
        vec![D(2026, 10, 2), S("学校"), S("B高校"), S("溶接"), N(5.0)],
        vec![D(2025, 10, 2), S("学校"), S("B高校"), S("溶接"), N(9.0)],
    ];
    dir.write("R8派遣.xlsx", &xlsx(&[("派遣", rows)]));
}

#[test]
fn a_plan_rolled_forward_by_the_binary_runs_the_new_year() {
    let dir = Dir::new();
    fy2026_folder(&dir);
    let out = plan_for("2026", None);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = dir.tmp.path().join("plan.toml");
    std::fs::write(&plan, &out.stdout).unwrap();
    let run = dir.run(&["--month", "2026-10", "--plan", plan.to_str().unwrap()]);
    assert!(matches!(run.status.code(), Some(0 | 1)), "{}", stderr(&run));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.output().join("2026").join("2026-10-31").join("kpis.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["fiscal_year"], 2026);
    assert!(json["plan"].as_str().unwrap().starts_with("令和8年度"));
    let sessions = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
    assert_eq!(sessions["actual"], 2, "the two FY2026 sessions; the FY2025 one is history");
    assert_eq!(sessions["target"], 270, "targets are kept");

    // A corner's own plan rolls forward the same way (and again, a year on).
    let again = plan_for("2027", Some(&plan));
    assert!(again.status.success(), "{}", stderr(&again));
    let text = String::from_utf8(again.stdout).unwrap();
    assert!(text.contains("fiscal_year = 2027") && text.contains("令和9年度") && text.contains("\"2027-11-21\""));
}

#[test]
fn a_run_outside_its_plans_year_names_the_command_that_makes_the_right_plan() {
    let dir = Dir::new();
    fy2026_folder(&dir);
    let out = dir.run(&["--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("corner-kpi plan --fiscal-year 2026 > plan.toml"), "{err}");
    assert!(!dir.output().join("2026").exists());
}

#[test]
fn a_bad_year_or_plan_to_roll_is_a_one_line_error() {
    let out = plan_for("1800", None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("1800"), "{}", stderr(&out));
    let dir = Dir::new();
    let bad = dir.tmp.path().join("bad.toml");
    std::fs::write(&bad, "[plan]\nname = 3\n").unwrap();
    let out = plan_for("2026", Some(&bad));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.toml"), "{}", stderr(&out));
}

/// The samples read once, for the previous-year figures.
fn sample_figures(as_of: chrono::NaiveDate) -> corner_kpi::kpi::Figures {
    use corner_kpi::mapping::Mapping;
    let mapping = Mapping::embedded();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples");
    let n =
        corner_kpi::normalise::normalise(corner_kpi::ingest::ingest(&dir, &mapping, false).unwrap(), &mapping).unwrap();
    corner_kpi::kpi::compute(&corner_kpi::plan::Plan::embedded(), &mapping, &n.datasets, as_of).unwrap()
}

#[test]
fn last_years_figures_equal_the_generators_records_of_that_year_and_are_null_without_them() {
    use chrono::NaiveDate;
    use corner_kpi_samples::{Fate, sample_set};
    let set = sample_set();
    let fy2022 = |d: NaiveDate| {
        d >= NaiveDate::from_ymd_opt(2022, 4, 1).unwrap() && d <= NaiveDate::from_ymd_opt(2023, 3, 31).unwrap()
    };
    // Which record types the folder holds for FY2022 (accepted rows dated in it).
    let has = |prefix: &str| match prefix {
        "dispatch" | "skilled" => set.dispatches.iter().any(|r| matches!(r.fate, Fate::Accepted) && fy2022(r.date)),
        "outreach" => set.outreach.iter().any(|r| matches!(r.fate, Fate::Accepted) && fy2022(r.date)),
        "training" => set.trainings.iter().any(|r| matches!(r.fate, Fate::Accepted) && fy2022(r.date)),
        "coordinator" => set.visits.iter().any(|r| matches!(r.fate, Fate::Accepted) && fy2022(r.date)),
        "council" => set.meetings.iter().any(|r| matches!(r.fate, Fate::Accepted) && fy2022(r.date)),
        "privacy" => set.incidents.iter().any(|r| matches!(r.fate, Fate::Accepted) && fy2022(r.date)),
        _ => false,
    };
    assert!(has("dispatch"), "the samples hold last year's dispatch book");
    for (y, m, d) in [(2023, 10, 31), (2024, 3, 31)] {
        let as_of = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let last = NaiveDate::from_ymd_opt(y - 1, m, d).unwrap();
        let truth: std::collections::BTreeMap<&str, f64> = set.kpi_actuals(last).into_iter().collect();
        let fig = sample_figures(as_of);
        for k in &fig.kpis {
            let prefix = k.id.split('.').next().unwrap();
            let dated_by_dispatch = k.id.starts_with("dispatch.") || k.id.starts_with("skilled.");
            if dated_by_dispatch || (has(prefix) && prefix != "meister") {
                assert_eq!(k.previous_year_to_date, Some(truth[k.id.as_str()]), "{} at {as_of}", k.id);
            } else if !k.id.starts_with("meister.") {
                assert_eq!(k.previous_year_to_date, None, "{} at {as_of}: no record of that year, no figure", k.id);
            }
        }
        // The headline chart's grey line ends at last year's total.
        let s = fig.monthly.iter().find(|s| s.kpi_id == "dispatch.sessions").unwrap();
        let year_end = NaiveDate::from_ymd_opt(2023, 3, 31).unwrap();
        let total: std::collections::BTreeMap<&str, f64> = set.kpi_actuals(year_end).into_iter().collect();
        assert_eq!(s.previous.last().copied().flatten(), Some(total["dispatch.sessions"]));
        assert_eq!(s.previous.len(), 12);
    }
}

#[test]
fn a_folder_without_last_year_has_null_previous_figures_never_zero() {
    let dir = Dir::new();
    let rows = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![D(2023, 5, 11), S("企業"), S("A社"), S("旋盤"), N(7.0)],
    ];
    dir.write("a.xlsx", &xlsx(&[("派遣", rows)]));
    let out = dir.run(&["--month", "2023-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.report(2023, "2023-10-31").join("kpis.json")).unwrap())
            .unwrap();
    for k in json["kpis"].as_array().unwrap() {
        assert!(k.get("previous_year_to_date").is_some(), "{}: the key is always there", k["id"]);
        assert!(k["previous_year_to_date"].is_null(), "{}: {}", k["id"], k["previous_year_to_date"]);
    }
}

/// The new-year folder the README describes: the new year's plan, last
/// year's books kept in a 令和5年度 sub-folder (for 前年同期), and this
/// year's books beside them.
#[test]
fn last_years_books_in_the_new_years_folder_change_no_figure_and_raise_no_exit_status() {
    let dir = Dir::new();
    corner_kpi_samples::write_samples(&dir.input().join("令和5年度")).unwrap();
    let dispatches = vec![
        vec![S("派遣番号"), S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![S("001"), D(2024, 5, 10), S("企業"), S("A社"), S("旋盤"), N(7.0)],
        vec![S("002"), D(2024, 6, 3), S("学校"), S("B高校"), S("溶接"), N(5.0)],
        vec![S("003"), D(2024, 7, 1), S("企業"), S("C社"), S("旋盤"), N(4.0)],
    ];
    let youth = vec![
        vec![S("令和6年度 若年者ものづくり競技大会 参加者")],
        vec![],
        vec![S("大会"), S("参加区分"), S("職種"), S("所属")],
        vec![S("若年者ものづくり競技大会"), S("選手"), S("旋盤"), S("D高校")],
        vec![S("若年者ものづくり競技大会"), S("選手"), S("溶接"), S("E高校")],
        vec![S("若年者ものづくり競技大会"), S("指導者"), S("旋盤"), S("D高校")],
    ];
    dir.write("派遣実績_令和6年度.xlsx", &xlsx(&[("派遣", dispatches)]));
    dir.write("競技大会.xlsx", &xlsx(&[("若年者", youth)]));
    let plan = plan_for("2024", None);
    let plan_file = dir.tmp.path().join("plan.toml");
    std::fs::write(&plan_file, &plan.stdout).unwrap();
    let out = dir.run(&["--month", "2024-10", "--plan", plan_file.to_str().unwrap()]);
    let text = std::fs::read_to_string(dir.report(2024, "2024-10-31").join("kpis.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let actual = |id: &str| json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap()["actual"].clone();
    assert_eq!(actual("dispatch.sessions"), 3);
    assert_eq!(actual("dispatch.person_days"), 16);
    // Last year's entries (their folder says 令和5年度) are not this year's.
    assert_eq!(actual("youth_games.competitors"), 2);
    assert_eq!(actual("youth_games.instructors"), 1);
    assert_eq!(actual("worldskills.competitors"), 0);
    // Every row to fix or check of last year is listed apart (past_year); only
    // the registry, which has no year, raises the exit status.
    let current = |list: &str| -> Vec<String> {
        json[list]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["past_year"] == false)
            .map(|r| r["dataset"].as_str().unwrap().to_string())
            .collect()
    };
    let past = |list: &str| json[list].as_array().unwrap().iter().filter(|r| r["past_year"] == true).count();
    assert!(past("rejected") > 0 && past("warnings") > 0, "last year's rows are listed");
    let rejected_now = current("rejected");
    assert!(!rejected_now.is_empty() && rejected_now.iter().all(|d| d == "meisters"), "{rejected_now:?}");
    assert!(current("warnings").iter().all(|d| d == "meisters"), "{:?}", current("warnings"));
    assert_eq!(out.status.code(), Some(1), "the registry's conflict: {}", stderr(&out));
    assert!(stderr(&out).contains(&format!("除外した行 {}", rejected_now.len())), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("過年度"), "the terminal counts them apart");
}
