//! kpis.json is one contract (`corner_kpi::kpis_json`): what the writer
//! writes reads back equal; a file written by an earlier version (128503a,
//! schema 1) reads in every reader; and the status is one verdict — the
//! file, the reports and the mail drafts say the same word for every KPI.

use crate::harness::stderr;
use corner_kpi::kpi::Status;
use corner_kpi::kpis_json::KpisJson;
use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples")
}

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kpis-json").join(name);
    std::fs::read_to_string(p).unwrap()
}

const OLD: [&str; 2] = ["kpis-128503a-2023-10-31.json", "kpis-128503a-2024-03-31.json"];

/// `run` on the samples as of `as_of` into `out`, with `args`; the set's folder.
fn run(out: &Path, month_or_day: &[&str], args: &[&str]) -> PathBuf {
    let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
        .arg("run")
        .arg("--input")
        .arg(samples())
        .arg("--output")
        .arg(out)
        .args(month_or_day)
        .args(args)
        .env("CI", "1")
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("報告書: ")).unwrap_or_else(|| panic!("{text}"));
    PathBuf::from(line.trim_start_matches("報告書: "))
}

#[test]
fn what_the_writer_writes_reads_back_equal() {
    let tmp = tempfile::tempdir().unwrap();
    let set = run(tmp.path(), &["--month", "2024-03"], &[]);
    let text = std::fs::read_to_string(set.join("kpis.json")).unwrap();
    // write → read → write: the same text, and read again the same document.
    let again = KpisJson::parse(&text).unwrap().render().unwrap();
    assert_eq!(again, text);
    let doc = KpisJson::parse(&text).unwrap();
    assert_eq!(doc.schema_version, corner_kpi::kpis_json::SCHEMA_VERSION);
    assert!(!doc.kpis.is_empty() && !doc.rejected.is_empty() && !doc.inputs.is_empty());
    // Every top-level key of the contract is there (notes: empty until the 報告メモ sheet is read).
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in ["schema_version", "kpis", "inputs", "rejected", "warnings", "monthly", "revisions", "not_held", "notes"]
    {
        assert!(raw.get(key).is_some(), "{key}");
    }
    assert_eq!(raw["notes"], serde_json::json!([]));
    assert_eq!(KpisJson::parse(&again).unwrap(), doc);
}

#[test]
fn a_file_of_the_first_schema_reads_in_every_reader() {
    for name in OLD {
        let text = fixture(name);
        let doc = KpisJson::parse(&text).unwrap();
        assert_eq!(doc.schema_version, 1, "{name}: no schema_version means 1");
        // Schema 1 wrote at_risk/behind beside 未達: read as missed, the word kept.
        let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (k, r) in doc.kpis.iter().zip(raw["kpis"].as_array().unwrap()) {
            let unmet = r["status_label"] == "未達";
            assert_eq!(k.status() == Status::Missed, unmet, "{name}: {}", k.id);
            assert_eq!(k.verdict().word, r["status_label"].as_str().unwrap(), "{name}: {}", k.id);
        }
        // The mail drafts' reader.
        let facts = corner_kpi::mail::facts::ReportFacts::parse(&text).unwrap();
        assert_eq!(facts.kpis.len(), doc.kpis.len());
        // The revisions' reader: the months and the ledger behind them.
        let folder = doc.as_of.to_string();
        let previous = corner_kpi::report::previous::parse(&folder, &text).unwrap();
        assert!(previous.monthly.as_ref().is_some_and(|m| !m.is_empty()), "{name}");
        assert!(!previous.ledger.is_empty(), "{name}");
    }
    // The roll-up's reader: a corner given by the old file only.
    let tmp = tempfile::tempdir().unwrap();
    let corner = tmp.path().join("全国").join("35_山口");
    std::fs::create_dir_all(&corner).unwrap();
    std::fs::write(corner.join("kpis.json"), fixture(OLD[1])).unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
        .args(["rollup", "--as-of", "2024-03-31", "--input"])
        .arg(tmp.path().join("全国"))
        .arg("--output")
        .arg(&out)
        .env("CI", "1")
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let national: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("2023/2024-03-31/national.json")).unwrap()).unwrap();
    let c = &national["corners"][0];
    assert_eq!(c["state"], "ok");
    let old: serde_json::Value = serde_json::from_str(&fixture(OLD[1])).unwrap();
    for k in c["kpis"].as_array().unwrap() {
        let then = old["kpis"].as_array().unwrap().iter().find(|o| o["id"] == k["id"]).unwrap();
        let expected = if then["status_label"] == "未達" { "missed" } else { then["status"].as_str().unwrap() };
        assert_eq!(k["status"], expected, "{}", k["id"]);
    }
}

/// The text of an .eml's plain part (quoted-printable or base64 decoded).
fn mail_text(path: &Path) -> String {
    let raw = std::fs::read(path).unwrap();
    let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
    m.body_text(0).unwrap().into_owned()
}

#[test]
fn the_mail_the_reports_and_the_file_say_the_same_status_for_every_kpi_at_three_dates() {
    let plan = corner_kpi::plan::Plan::embedded();
    let ids: Vec<String> = plan.kpis.iter().map(|k| format!("\"{}\"", k.id)).collect();
    let example = include_str!("../examples/recipients.toml");
    let start = example.find("headline = [").unwrap();
    let end = start + example[start..].find(']').unwrap() + 1;
    let recipients = format!("{}headline = [{}]{}", &example[..start], ids.join(", "), &example[end..]);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("recipients.toml");
    std::fs::write(&file, recipients).unwrap();
    // Mid-year, the 技能五輪 deadline day (2023-11-21), the year end.
    for day in ["2023-10-31", "2023-11-21", "2024-03-31"] {
        let out = tmp.path().join(day);
        let set = run(&out, &["--as-of", day], &["--mail", file.to_str().unwrap()]);
        let doc_text = std::fs::read_to_string(set.join("kpis.json")).unwrap();
        let doc = KpisJson::parse(&doc_text).unwrap();
        let mail = mail_text(&set.join("mail").join(format!("ministry_{day}.eml")));
        let html = std::fs::read_to_string(set.join("ministry.html")).unwrap();
        let mut missed = 0;
        for k in &doc.kpis {
            let word = k.status_label.as_deref().unwrap();
            assert_eq!(k.status(), k.verdict().status);
            // The machine value never disagrees with the word.
            assert_eq!(word == "未達", k.status() == Status::Missed, "{day} {}", k.id);
            missed += usize::from(k.status() == Status::Missed);
            // The mail's summary line of the KPI ends with the same word.
            let line = mail
                .lines()
                .find(|l| l.starts_with(&format!("・{}: ", k.label)))
                .unwrap_or_else(|| panic!("{day}: {} not in the mail", k.id));
            assert!(line.ends_with(&format!("{word}）")), "{day} {}: {line} vs {word}", k.id);
            // The report's KPI table row of the KPI shows the same word.
            let row = html
                .split("<tr")
                .find(|r| r.contains(&format!(">{}<", k.label)) && r.contains("class=\"status"))
                .unwrap_or_else(|| panic!("{day}: {} not in ministry.html", k.id));
            assert!(row.contains(&format!(">{word}<")), "{day} {}: {word} not in its row", k.id);
        }
        if day == "2023-11-21" || day == "2024-03-31" {
            assert!(missed > 0, "{day}: the samples miss some target once its deadline passed");
        }
    }
}
