//! Memory follows the data (issue 19): a workbook whose sheet spans far more
//! cells than it holds never makes a run take what the area would (a child
//! process's peak resident size, `VmHWM`, read by the binary itself: a bound
//! on memory, never on time), and the rest of the folder counts the same.

use crate::harness::stderr;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/poi-tests").join(name)
}

/// Runs `run` on `input` as of 2023-10-31; its kpis.json and its peak in KiB.
fn run(input: &Path, out: &Path) -> (serde_json::Value, u64) {
    let o = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
        .args(["run", "--as-of", "2023-10-31", "--input"])
        .arg(input)
        .arg("--output")
        .arg(out)
        .env("CI", "1")
        .env(corner_kpi::app::PEAK_ENV, "1")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
    let peak = err.lines().find_map(|l| l.strip_prefix("peak_rss_kb=")).and_then(|n| n.parse().ok()).unwrap_or(0);
    let json = std::fs::read_to_string(out.join("2023/2023-10-31/kpis.json")).unwrap();
    (serde_json::from_str(&json).unwrap(), peak)
}

#[test]
fn sheets_spanning_millions_of_cells_are_refused_within_the_bound_and_the_rest_counts_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples");
    let (alone, base) = run(&samples, &tmp.path().join("alone"));
    // The samples with the two files mixed in.
    let mixed = tmp.path().join("mixed");
    corner_kpi_samples::write_samples(&mixed).unwrap();
    for f in ["51535.xls", "SharedFormulaTest.xls"] {
        std::fs::copy(corpus(f), mixed.join(f)).unwrap();
    }
    let (with, peak) = run(&mixed, &tmp.path().join("with"));
    assert_eq!(with["kpis"], alone["kpis"], "the same figures");
    for f in ["51535.xls", "SharedFormulaTest.xls"] {
        let input = with["inputs"].as_array().unwrap().iter().find(|i| i["file"] == f).unwrap();
        assert_eq!(input["status"], "unreadable", "{f}");
        let reason = input["reason"].as_str().unwrap();
        assert!(reason.contains("広すぎて") && reason.contains(".xlsx"), "{f}: {reason}");
    }
    if base > 0 {
        // 150 MB above a run without them (a dense read needs a gigabyte).
        assert!(peak < base + 150 * 1024, "peak {peak} KiB against {base} KiB");
    }
}
