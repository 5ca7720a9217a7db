//! `national.json`: the roll-up for machines, in the schema of the output
//! contract (`fiscal_year`, `as_of`, `corners[]` with `folder`, `corner`,
//! `state`, `reason`, `kpis[]`, `data_quality`; `totals[]`), with a few
//! added keys (`code`, `source`, `label`, `unit`, `status_label`,
//! `expected_to_date`, `corners_with_target`, `generated_at`, `generator`).
//! Add fields freely; never rename or drop one.

use crate::kpis_json::Num;
use crate::rollup::{National, State};
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    fiscal_year: i32,
    as_of: String,
    corners: Vec<CornerJson<'a>>,
    totals: Vec<TotalJson<'a>>,
    generated_at: String,
    generator: String,
}

#[derive(Serialize)]
struct CornerJson<'a> {
    folder: &'a str,
    corner: &'a str,
    state: &'static str,
    reason: Option<&'a str>,
    kpis: Vec<KpiJson<'a>>,
    data_quality: QualityJson,
    code: Option<u8>,
    source: &'static str,
}

#[derive(Serialize)]
struct KpiJson<'a> {
    id: &'a str,
    target: Option<Num>,
    actual: Option<Num>,
    achievement: Option<Num>,
    status: &'a str,
    label: &'a str,
    unit: &'a str,
    status_label: &'a str,
    expected_to_date: Option<Num>,
    forecast: Option<Num>,
}

#[derive(Serialize)]
struct QualityJson {
    rejected: usize,
    warnings: usize,
    unreadable_files: usize,
    files_read: usize,
    rows_read: usize,
    accepted: usize,
}

#[derive(Serialize)]
struct TotalJson<'a> {
    id: &'a str,
    target: Option<Num>,
    actual: Option<Num>,
    corners_with_kpi: usize,
    label: &'a str,
    unit: &'a str,
    achievement: Option<Num>,
    expected_to_date: Option<Num>,
    corners_with_target: usize,
}

fn num(x: Option<f64>, decimals: i32) -> Option<Num> {
    x.filter(|v| v.is_finite()).map(|v| Num::round(v, decimals))
}

/// The text of national.json (pretty-printed, ending with a newline).
pub fn render(n: &National) -> anyhow::Result<String> {
    let doc = Doc {
        fiscal_year: n.fiscal_year.year(),
        as_of: n.as_of.to_string(),
        corners: n
            .corners
            .iter()
            .map(|c| CornerJson {
                folder: &c.folder,
                corner: &c.name,
                state: c.state.key(),
                reason: c.reason.as_deref(),
                kpis: if c.state == State::Ok {
                    c.kpis
                        .iter()
                        .map(|k| KpiJson {
                            id: &k.id,
                            target: num(k.target, 4),
                            actual: num(k.actual, 4),
                            achievement: num(k.achievement, 4),
                            status: k.verdict.status.key(),
                            label: &k.label,
                            unit: &k.unit,
                            status_label: &k.verdict.word,
                            expected_to_date: num(k.expected_to_date, 1),
                            forecast: num(k.forecast, 1),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                data_quality: QualityJson {
                    rejected: c.quality.rejected,
                    warnings: c.quality.warnings,
                    unreadable_files: c.quality.unreadable_files,
                    files_read: c.quality.files_read,
                    rows_read: c.quality.rows_read,
                    accepted: c.quality.accepted,
                },
                code: c.code,
                source: c.source,
            })
            .collect(),
        totals: n
            .totals
            .iter()
            .map(|t| TotalJson {
                id: &t.id,
                target: num(t.target, 4),
                actual: num(t.actual, 4),
                corners_with_kpi: t.corners_with_kpi,
                label: &t.label,
                unit: &t.unit,
                achievement: num(t.achievement, 4),
                expected_to_date: num(t.expected_to_date, 1),
                corners_with_target: t.corners_with_target,
            })
            .collect(),
        generated_at: n.generated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        generator: crate::format::generator(),
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}
