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

/// An .ods with one value at A1 and one at IV65536 (the rows and columns
/// between them empty, written as repeats: a file of a few hundred bytes).
fn far_apart_ods() -> Vec<u8> {
    use std::io::Write;
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
        r#" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
        r#" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        r#"<office:body><office:spreadsheet><table:table table:name="遠い">"#,
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>A1</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="65534"><table:table-cell/></table:table-row>"#,
        r#"<table:table-row><table:table-cell table:number-columns-repeated="255"/>"#,
        r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_ods_with_a_value_at_a1_and_one_at_iv65536_is_refused_within_the_bound() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples");
    let (alone, base) = run(&samples, &tmp.path().join("alone"));
    let mixed = tmp.path().join("mixed");
    corner_kpi_samples::write_samples(&mixed).unwrap();
    std::fs::write(mixed.join("遠いセル.ods"), far_apart_ods()).unwrap();
    let (with, peak) = run(&mixed, &tmp.path().join("with"));
    assert_eq!(with["kpis"], alone["kpis"], "the same figures");
    let input = with["inputs"].as_array().unwrap().iter().find(|i| i["file"] == "遠いセル.ods").unwrap();
    assert_eq!(input["status"], "unreadable");
    let reason = input["reason"].as_str().unwrap();
    assert!(reason.contains("「遠い」") && reason.contains("65536 行 × 256 列"), "{reason}");
    if base > 0 {
        assert!(peak < base + 150 * 1024, "peak {peak} KiB against {base} KiB");
    }
}

#[test]
fn the_calamine_corpus_mixed_into_the_samples_changes_no_figure_panics_nowhere_and_stays_bounded() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/calamine-tests");
    let files: Vec<PathBuf> = std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(files.len() > 100, "the corpus is in the repository, never skipped");
    let tmp = tempfile::tempdir().unwrap();
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples");
    let (alone, base) = run(&samples, &tmp.path().join("alone"));
    let mixed = tmp.path().join("mixed");
    corner_kpi_samples::write_samples(&mixed).unwrap();
    std::fs::create_dir_all(mixed.join("corpus")).unwrap();
    for f in &files {
        std::fs::copy(f, mixed.join("corpus").join(f.file_name().unwrap())).unwrap();
    }
    let (with, peak) = run(&mixed, &tmp.path().join("with"));
    assert_eq!(with["kpis"], alone["kpis"], "the same figures");
    // Every corpus file is accounted for: read, skipped (not a workbook) or unreadable with a reason.
    let inputs = with["inputs"].as_array().unwrap();
    for f in &files {
        let name = format!("corpus/{}", f.file_name().unwrap().to_string_lossy());
        let input = inputs.iter().find(|i| i["file"] == name.as_str()).unwrap_or_else(|| panic!("{name} not listed"));
        match input["status"].as_str().unwrap() {
            "read" | "duplicate" => {}
            "skipped" | "unreadable" => assert!(input["reason"].as_str().is_some_and(|r| !r.is_empty()), "{name}"),
            other => panic!("{name}: {other}"),
        }
    }
    if base > 0 {
        assert!(peak < base + 150 * 1024, "peak {peak} KiB against {base} KiB");
    }
}
