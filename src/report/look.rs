//! Ignored tests that write report sets to look at (render them with
//! `shared/tools/look.sh <dir>`): the hand-built fixture, and a small
//! generated drop folder run through the real pipeline (ingest → normalise →
//! kpi → report), with personal names planted in it.

use super::fixture::fixture;
use super::write_report_set_with;
use crate::mapping::Mapping;
use crate::plan::Plan;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;

/// The fixture's set in /tmp/report-look/2023/2023-10-31.
#[test]
#[ignore]
fn look() {
    let fx = fixture();
    let dir = write_report_set_with(&fx.input(), Path::new("/tmp/report-look"), None).expect("report set");
    eprintln!("wrote {}", dir.display());
}

enum V {
    S(String),
    N(f64),
    D(NaiveDate),
}

/// A sheet to write: name, header row, data rows.
type SheetSpec<'a> = (&'a str, Vec<&'a str>, Vec<Vec<V>>);

fn book(path: &Path, sheets: &[SheetSpec]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (name, header, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).expect("header");
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    V::S(s) => ws.write_string(r, c, s).map(|_| ()),
                    V::N(n) => ws.write_number(r, c, *n).map(|_| ()),
                    V::D(d) => ws.write_datetime_with_format(r, c, d, &date).map(|_| ()),
                }
                .expect("cell");
            }
        }
    }
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("folder");
    }
    wb.save(path).expect("save");
}

/// A deterministic pseudo-random sequence (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A generated folder through the real pipeline, as of 2023-10-31, into
/// /tmp/report-real.
#[test]
#[ignore]
fn look_real_pipeline() {
    let input = Path::new("/tmp/report-real-input");
    let _ = std::fs::remove_dir_all(input);
    let mut rng = Lcg(7);
    let names = ["山田 太郎", "鈴木 花子", "佐藤 一郎", "田中 次郎", "伊藤 三郎", "渡辺 美咲"];
    let trades = ["機械加工", "電気工事", "溶接", "建築大工", "西洋料理", "左官", "配管", "造園"];
    let dests = ["企業", "工業高校", "商工会", "学校", "公共施設"];
    let s = |x: &str| V::S(x.to_string());
    let start = NaiveDate::from_ymd_opt(2023, 4, 3).expect("date");
    let mut rows = Vec::new();
    for i in 0..170u64 {
        let day = start + chrono::Duration::days((i * 213 / 170) as i64);
        let m = rng.next(6) as usize;
        rows.push(vec![
            V::D(day),
            s(dests[rng.next(dests.len() as u64) as usize]),
            V::S(format!("派遣先{}", rng.next(40))),
            s(trades[rng.next(trades.len() as u64) as usize]),
            V::N((4 + rng.next(10)) as f64),
            s(if i % 25 == 0 { "熟練技能者等" } else { "マイスター" }),
            V::S(format!("M-{:04}", 50 + m)),
            s(names[m]),
            V::S(format!("R5-{i:04}")),
            s(if rng.next(2) == 0 { "東部" } else { "西部" }),
        ]);
    }
    rows.push(vec![s("2023/10/32"), s("企業"), s("X社"), s("溶接"), V::N(5.0), s("マイスター"), s("M-0050")]);
    rows.push(vec![
        V::D(NaiveDate::from_ymd_opt(2023, 11, 6).expect("date")),
        s("企業"),
        s("Y社"),
        s("溶接"),
        V::N(5.0),
    ]);
    book(
        &input.join("派遣実績_令和5年度.xlsx"),
        &[(
            "派遣実績",
            vec![
                "実施日",
                "派遣先区分",
                "派遣先名",
                "職種",
                "受講者数",
                "区分",
                "マイスター番号",
                "指導者氏名",
                "派遣番号",
                "地区",
            ],
            rows,
        )],
    );
    let registry = (0..8)
        .map(|m| {
            vec![
                V::S(format!("M-{:04}", 50 + m)),
                s(trades[m % trades.len()]),
                V::D(NaiveDate::from_ymd_opt(2015 + m as i32, 4, 1).expect("date")),
                s(names.get(m).copied().unwrap_or("高橋 五郎")),
                V::D(NaiveDate::from_ymd_opt(2016 + m as i32, 6, 1).expect("date")),
            ]
        })
        .collect();
    book(
        &input.join("台帳/マイスター台帳.xlsx"),
        &[("台帳", vec!["認定番号", "職種", "認定日", "氏名", "講習受講日"], registry)],
    );
    let outreach = (0..7)
        .map(|i| {
            vec![
                V::D(NaiveDate::from_ymd_opt(2023, 5 + i, 10).expect("date")),
                s("小学校"),
                V::S(format!("第{}小学校", i + 1)),
                V::N((30 + 5 * i) as f64),
            ]
        })
        .collect();
    book(&input.join("魅力発信.xlsx"), &[("魅力講座", vec!["実施日", "発信区分", "実施先名", "参加者数"], outreach)]);

    let plan = Plan::embedded();
    let mapping = Mapping::embedded();
    let as_of = NaiveDate::from_ymd_opt(2023, 10, 31).expect("date");
    let ingested = crate::ingest::ingest(input, &mapping, false).expect("ingest");
    let n = crate::normalise::normalise(ingested, &mapping).expect("normalise");
    let figures = crate::kpi::compute(&plan, &mapping, &n.datasets, as_of).expect("kpis");
    for name in names {
        assert!(n.pii.contains(name), "{name} should be in the PII set");
    }
    let report_input = super::ReportInput {
        plan: &plan,
        figures: &figures,
        quality: &n.quality,
        personal: &crate::personal::PersonalValues::new(&n.pii, &crate::personal::plan_texts(&plan)),
        html_templates: None,
        generated_at: as_of.and_hms_opt(18, 0, 0).expect("time"),
        input_dir: None,
        input_link: None,
    };
    let dir = write_report_set_with(&report_input, Path::new("/tmp/report-real"), None).expect("report set");
    eprintln!("wrote {} ({} personal values guarded)", dir.display(), n.pii.len());
}
