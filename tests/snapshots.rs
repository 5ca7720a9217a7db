//! Snapshots of the built report sections for the bundled samples at two
//! as-of dates: every section of ministry, center and data-quality as plain
//! text (`Doc::dump`: headings, paragraphs, every table cell as the reports
//! show it). A change to what a report says shows up as a diff of
//! `tests/snapshots/*.txt`, to be read and accepted deliberately:
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --release --test integration snapshots`
//!
//! The figures themselves are checked against the generator's records in
//! `samples.rs`; these files pin how they are presented.

use chrono::NaiveDate;
use corner_kpi::mapping::Mapping;
use corner_kpi::personal::{PersonalValues, plan_texts};
use corner_kpi::plan::Plan;
use corner_kpi::report::{self, ReportInput};
use std::path::PathBuf;

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_SNAPSHOTS=1 and review it", path.display()));
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        let show = |s: &str| s.lines().skip(first.saturating_sub(2)).take(6).collect::<Vec<_>>().join("\n");
        panic!(
            "{name} differs from the snapshot at line {}:\n--- expected\n{}\n--- actual\n{}\n(if the change is intended: UPDATE_SNAPSHOTS=1)",
            first + 1,
            show(&expected),
            show(actual)
        );
    }
}

#[test]
fn the_sections_of_every_report_match_their_snapshots_at_both_dates() {
    let mapping = Mapping::embedded();
    let plan = Plan::embedded();
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples");
    let ingested = corner_kpi::ingest::ingest(&samples, &mapping, false).unwrap();
    let n = corner_kpi::normalise::normalise(ingested, &mapping).unwrap();
    let personal = PersonalValues::new(&n.pii, &plan_texts(&plan));
    for as_of in [NaiveDate::from_ymd_opt(2023, 10, 31).unwrap(), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()] {
        let figures = corner_kpi::kpi::compute(&plan, &mapping, &n.datasets, as_of).unwrap();
        let input = ReportInput {
            plan: &plan,
            figures: &figures,
            quality: &n.quality,
            personal: &personal,
            html_templates: None,
            generated_at: as_of.succ_opt().unwrap().and_hms_opt(9, 0, 0).unwrap(),
            input_dir: Some("input-samples"),
            input_link: Some("../../../input-samples/"),
        };
        for (name, doc) in [
            ("ministry", report::ministry(&input)),
            ("center", report::center(&input)),
            ("data-quality", report::data_quality(&input)),
        ] {
            snapshot(&format!("{name}-{as_of}.txt"), &doc.dump());
        }
    }
}
