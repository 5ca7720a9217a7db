//! Inputs named, never guessed: without `--input` only `./input-samples` of
//! the working folder is read (never a path compiled into the binary), the
//! terminal's first lines say which folder, plan and corner a report is for,
//! and no output byte holds the absolute path of the input folder.

use crate::harness::{Dir, V::*, corner_kpi, files_under, stderr, xlsx};
use crate::pipeline::output_texts;
use std::path::Path;
use std::process::{Command, Output};

/// The binary run in `cwd` with `args`.
fn in_folder(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corner-kpi")).current_dir(cwd).args(args).env("CI", "1").output().unwrap()
}

/// One October session (3 trainees).
fn book() -> Vec<u8> {
    xlsx(&[(
        "10月",
        vec![
            vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
            vec![D(2023, 10, 2), S("企業"), S("A社"), S("旋盤"), N(3.0)],
        ],
    )])
}

#[test]
fn without_input_in_a_folder_without_input_samples_nothing_is_read_and_nothing_written() {
    let cwd = tempfile::tempdir().unwrap();
    for args in [&["run", "--month", "2023-10"][..], &[], &["mail", "送付先.toml", "--month", "2023-10"]] {
        let o = in_folder(cwd.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("入力フォルダーが指定されていません。--input に、"), "{args:?}: {err}");
        assert!(err.contains("（このフォルダーに input-samples/ はありません）"), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert!(files_under(cwd.path()).is_empty(), "nothing written");
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0, "not even a folder");
}

#[test]
fn without_input_the_working_folders_input_samples_is_read_and_the_first_lines_say_what_the_report_is_for() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(cwd.path().join("input-samples")).unwrap();
    std::fs::write(cwd.path().join("input-samples").join("派遣.xlsx"), book()).unwrap();
    let o = in_folder(cwd.path(), &["run", "--month", "2023-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    let first: Vec<&str> = said.lines().take(4).collect();
    assert_eq!(
        first,
        [
            "入力フォルダー: input-samples",
            "計画: 内蔵の計画（山口県 令和5年度）",
            "報告の対象: 山口県地域技能振興コーナー",
            "基準日 2023年10月31日（令和5年10月31日）",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cwd.path().join("output/2023/2023-10-31/kpis.json")).unwrap())
            .unwrap();
    let files: Vec<&str> = json["inputs"].as_array().unwrap().iter().map(|i| i["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["派遣.xlsx"], "the working folder's samples, not the repository's");
    let sessions = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
    assert_eq!(sessions["actual"], 1);
}

#[test]
fn a_plan_file_is_named_with_its_year_and_its_corner() {
    let dir = Dir::new();
    dir.write("派遣.xlsx", &book());
    let plan_text = String::from_utf8(corner_kpi(["plan"]).stdout).unwrap();
    let plan_text =
        plan_text.replace("corner = \"山口県地域技能振興コーナー\"", "corner = \"鳥取県地域技能振興コーナー\"");
    let plan = dir.tmp.path().join("鳥取 plan.toml");
    std::fs::write(&plan, plan_text).unwrap();
    let o = dir.run(&["--month", "2023-10", "--plan", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    let first: Vec<&str> = said.lines().take(3).collect();
    assert_eq!(
        first,
        [
            format!("入力フォルダー: {}", dir.input().display()),
            format!("計画: {}（令和5年度）", plan.display()),
            "報告の対象: 鳥取県地域技能振興コーナー".to_string(),
        ]
    );
}

#[test]
fn no_output_byte_holds_the_absolute_path_of_the_input_folder() {
    let dir = Dir::new();
    dir.write("派遣.xlsx", &book());
    let o = dir.run(&["--month", "2023-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let input = dir.input().display().to_string();
    let root = dir.tmp.path().display().to_string();
    let texts = output_texts(&dir);
    assert!(texts.iter().any(|(f, _)| f.ends_with("data-quality.xlsx!xl/sharedStrings.xml")), "xlsx parts scanned");
    for (file, bytes) in &texts {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(&input) && !text.contains(&root), "{file} holds {root}");
    }
    // data-quality.xlsx names the folder as its links reach it, from the set's folder.
    let (_, strings) = texts.iter().find(|(f, _)| f.ends_with("data-quality.xlsx!xl/sharedStrings.xml")).unwrap();
    assert!(String::from_utf8_lossy(strings).contains("入力フォルダー：../../../in/"), "relative to the set");
}
