//! Native line charts of cumulative series: the data goes on a hidden
//! sheet ([`ChartData`]), gathered while the sheets are written; each chart
//! draws cumulative actual (solid, with markers) against cumulative plan
//! (dashed), on a whole-number axis.

use super::CHART_DATA;
use super::styles::{Emphasis, FONT, FONT_CHARSET, Styles};
use crate::format;
use crate::report::doc::SeriesChart;
use crate::text::clean;
use rust_xlsxwriter::{
    Chart, ChartEmptyCells, ChartFont, ChartFormat, ChartLegendPosition, ChartLine, ChartLineDashType, ChartMarker,
    ChartMarkerType, ChartSolidFill, Worksheet,
};

/// The charts' data, gathered while the sheets are written and put on the
/// hidden sheet at the end: per chart three columns (month, actual, plan).
#[derive(Default)]
pub(super) struct ChartData {
    pub(super) columns: Vec<(String, Vec<ChartPoint>)>,
}

/// A month's label, cumulative actual, cumulative plan and last year's cumulative.
type ChartPoint = (String, Option<f64>, Option<f64>, Option<f64>);

/// Where one chart's data is on the hidden sheet.
pub(super) struct ChartRef {
    col: u16,
    rows: u32,
    previous: bool,
}

impl ChartData {
    pub(super) fn add(&mut self, c: &SeriesChart) -> ChartRef {
        let col = (self.columns.len() * 5) as u16;
        let rows: Vec<ChartPoint> = c
            .months
            .iter()
            .enumerate()
            .map(|(i, &(_, m))| {
                let at = |v: &[Option<f64>]| v.get(i).copied().flatten();
                (format!("{m}月"), at(&c.actual), at(&c.plan), at(&c.previous))
            })
            .collect();
        let n = rows.len() as u32;
        self.columns.push((c.title.clone(), rows));
        ChartRef { col, rows: n, previous: !c.previous.is_empty() }
    }

    pub(super) fn write(&self, ws: &mut Worksheet, st: &Styles) -> anyhow::Result<()> {
        for (k, (title, rows)) in self.columns.iter().enumerate() {
            let c = (k * 5) as u16;
            ws.write_string(0, c, clean(title))?;
            ws.write_string(1, c, "月")?;
            ws.write_string(1, c + 1, "累計実績")?;
            ws.write_string(1, c + 2, "累計計画")?;
            ws.write_string(1, c + 3, "前年度の累計")?;
            for (i, (m, a, p, last)) in rows.iter().enumerate() {
                let r = 2 + i as u32;
                ws.write_string(r, c, m)?;
                if let Some(a) = a {
                    ws.write_number_with_format(r, c + 1, *a, st.count(Emphasis::Normal))?;
                }
                if let Some(p) = p {
                    ws.write_number_with_format(r, c + 2, *p, st.decimal(Emphasis::Normal))?;
                }
                if let Some(v) = last {
                    ws.write_number_with_format(r, c + 3, *v, st.count(Emphasis::Normal))?;
                }
            }
        }
        Ok(())
    }
}

fn chart_font(size: f64, bold: bool) -> ChartFont {
    let mut f = ChartFont::new();
    f.set_name(FONT).set_character_set(FONT_CHARSET).set_size(size);
    if bold {
        f.set_bold();
    } else {
        f.unset_bold();
    }
    f
}

/// Cumulative actual (solid, markers) against cumulative plan (dashed).
pub(super) fn line_chart(c: &SeriesChart, at: &ChartRef) -> Chart {
    let (first, last) = (2, 1 + at.rows);
    let mut chart = Chart::new_line();
    let target = c.target.map(|t| format!("（年間目標 {}）", format::count_unit(Some(t), &c.unit))).unwrap_or_default();
    chart.title().set_name(&format!("{}{target}", clean(&c.title))).set_font(&chart_font(12.0, true));
    chart
        .add_series()
        .set_name("累計実績")
        .set_categories((CHART_DATA, first, at.col, last, at.col))
        .set_values((CHART_DATA, first, at.col + 1, last, at.col + 1))
        .set_format(ChartFormat::new().set_line(ChartLine::new().set_color(0x1F5FA8).set_width(2.5)))
        .set_marker(
            ChartMarker::new()
                .set_type(ChartMarkerType::Circle)
                .set_size(5)
                .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x1F5FA8))),
        );
    chart
        .add_series()
        .set_name("累計計画")
        .set_categories((CHART_DATA, first, at.col, last, at.col))
        .set_values((CHART_DATA, first, at.col + 2, last, at.col + 2))
        .set_format(
            ChartFormat::new()
                .set_line(ChartLine::new().set_color(0x7A7A7A).set_width(2.0).set_dash_type(ChartLineDashType::Dash)),
        );
    if at.previous {
        chart
            .add_series()
            .set_name("前年度の累計")
            .set_categories((CHART_DATA, first, at.col, last, at.col))
            .set_values((CHART_DATA, first, at.col + 3, last, at.col + 3))
            .set_format(ChartFormat::new().set_line(ChartLine::new().set_color(0xB8B8B8).set_width(2.0)));
    }
    chart.x_axis().set_font(&chart_font(10.0, false));
    let (step, max) = crate::report::svg::count_axis(
        c.actual.iter().chain(&c.plan).flatten().copied().chain(c.target).fold(0.0, f64::max),
    );
    chart
        .y_axis()
        .set_num_format("#,##0")
        .set_min(0)
        .set_max(max)
        .set_major_unit(step)
        .set_name(&c.unit)
        .set_name_font(&chart_font(10.0, false))
        .set_font(&chart_font(10.0, false));
    chart.legend().set_position(ChartLegendPosition::Bottom).set_font(&chart_font(10.0, false));
    chart.show_empty_cells_as(ChartEmptyCells::Gaps);
    chart
}
