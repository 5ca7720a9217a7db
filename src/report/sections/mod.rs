//! One file per report section. Each builds its [`Section`] once from the
//! figures — typed tables, paragraphs, charts — and knows no output format;
//! `report::excel` and `report::html` turn any section into a sheet or a
//! part of a page. A report is a list of sections (`report::mod`); adding a
//! section is one file here plus one line per report that shows it.
//!
//! [`Section`]: super::doc::Section

pub mod attention;
pub mod breakdowns;
pub mod competitions;
pub mod dq_duplicates;
pub mod dq_files;
pub mod dq_not_held;
pub mod dq_past;
pub mod dq_rejected;
pub mod dq_sheets;
pub mod dq_summary;
pub mod dq_warnings;
pub mod findings;
pub mod groups;
pub mod headline;
pub mod kpis;
pub mod later;
pub mod legend;
pub mod meisters;
pub mod monthly;
pub mod quality;
pub mod revisions;
pub mod timeline;
pub mod visits;

use super::ReportInput;
use super::doc::{Cell, Link, Status, Tone};
use crate::kpi::KpiFigure;
use crate::plan::KpiPlan;

/// How many detail rows an HTML report lists before pointing to a workbook
/// (the workbooks always list all of them).
pub const HTML_ROW_LIMIT: usize = 200;

/// How many rows one sheet of data-quality.xlsx lists (outputs.md); kpis.json
/// always holds them all, and a last line says how many more there are.
pub const DQ_ROW_LIMIT: usize = 10_000;

/// The line under a list of data-quality.xlsx cut at [`DQ_ROW_LIMIT`]:
/// `total` rows in all, under `key` in kpis.json.
pub fn more_in_json(total: usize, key: &str) -> Option<super::doc::Block> {
    (total > DQ_ROW_LIMIT).then(|| {
        super::doc::Block::Note(format!(
            "このシートには最初の {} 行を載せています。ほかの {} 行（全 {} 行）は、報告書フォルダーの kpis.json の「{key}」にあります。",
            crate::format::count(Some(DQ_ROW_LIMIT as f64)),
            crate::format::count(Some((total - DQ_ROW_LIMIT) as f64)),
            crate::format::count(Some(total as f64)),
        ))
    })
}

/// A KPI's figure and plan entry, when the plan has the KPI.
pub fn kpi<'a>(input: &ReportInput<'a>, id: &str) -> Option<(&'a KpiFigure, &'a KpiPlan)> {
    let f = input.figures.kpis.iter().find(|k| k.id == id)?;
    Some((f, input.plan.kpi(id)?))
}

/// The status cell of a KPI, in the words the reader sees.
pub fn status_cell(f: &KpiFigure) -> Status {
    super::status::status(f)
}

/// A place in the drop folder as a cell: a link that opens the workbook at
/// the cell where the report set knows the input folder, plain text otherwise.
pub fn place(input: &ReportInput, file: &str, sheet: &str, cell: &str) -> Cell {
    let text = format!("{file} / {sheet} / {cell}");
    match input.input_link {
        Some(prefix) => Cell::Link(Link {
            text,
            file: format!("{prefix}{file}"),
            sheet: Some(sheet.to_string()),
            cell: Some(cell.to_string()),
        }),
        None => Cell::Text(text),
    }
}

/// A pace figure (expected to date, forecast) as kpis.json states it, to
/// one decimal, so a report rounding it to a whole number agrees with the
/// file (58.47 is 58.5 there, and 59 here — never 58).
pub fn as_in_json(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite()).map(|v| (v * 10.0).round() / 10.0)
}

/// A status word for a count of things to fix: 0 is fine, more is not.
pub fn problem_count(n: usize) -> Status {
    if n == 0 { Status::new("なし", Tone::Good) } else { Status::new(format!("{n} 件"), Tone::Bad) }
}
