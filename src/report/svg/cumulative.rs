//! The cumulative chart of one KPI: the x axis is the fiscal year by days
//! (April 1 at the left, March 31 at the right, month labels 4月..3月 centred
//! in their month); cumulative figures are plotted at each month's end (the
//! as-of month at the as-of date). The actual line is solid, the plan line
//! dashed, the annual target a dotted horizontal line, the as-of date a
//! vertical marker.

use super::{AS_OF, FONT, W, count_axis};
use crate::fiscal::{FiscalYear, month_end};
use crate::format;
use crate::report::doc::SeriesChart;
use crate::text::escape_html;
use chrono::NaiveDate;
use std::fmt::Write as _;

const H: f64 = 300.0;
const X0: f64 = 58.0;
const X1: f64 = 622.0;
const Y0: f64 = 44.0;
const Y1: f64 = 258.0;

const ACTUAL: &str = "#1f5fa8";
const PLAN: &str = "#7a7a7a";
/// Last year's line: grey, so this year stands out.
const PREVIOUS: &str = "#b8b8b8";
const TARGET: &str = "#2e7d32";

fn x_of(t: f64) -> f64 {
    X0 + t.clamp(0.0, 1.0) * (X1 - X0)
}

/// The chart of one series as a standalone `<svg>` element.
pub fn chart(m: &SeriesChart) -> String {
    let as_of = m.as_of;
    let Some(fy) = m.months.first().and_then(|&(y, mo)| NaiveDate::from_ymd_opt(y, mo, 1)).map(FiscalYear::of) else {
        return String::new();
    };
    let days = fy.days() as f64;
    let frac = |d: NaiveDate| ((d - fy.start()).num_days() + 1) as f64 / days;
    let as_of_t = frac(as_of.clamp(fy.start(), fy.end()));
    let month_end_t: Vec<f64> = fy.months().iter().map(|&(y, mo)| month_end(y, mo).map_or(0.0, frac)).collect();

    let mut actual = vec![(0.0, 0.0)];
    let mut plan = vec![(0.0, 0.0)];
    for (i, t) in month_end_t.iter().enumerate() {
        if let Some(v) = m.actual.get(i).copied().flatten() {
            actual.push((t.min(as_of_t), v));
        }
        if let Some(v) = m.plan.get(i).copied().flatten() {
            plan.push((*t, v));
        }
    }
    let mut last_year = vec![(0.0, 0.0)];
    for (i, t) in month_end_t.iter().enumerate() {
        if let Some(v) = m.previous.get(i).copied().flatten() {
            last_year.push((*t, v));
        }
    }
    let has_actual = actual.len() > 1;
    let max_v =
        actual.iter().chain(plan.iter()).chain(last_year.iter()).map(|p| p.1).chain(m.target).fold(0.0_f64, f64::max)
            * 1.05;
    let (step, y_max) = count_axis(max_v);
    let y_of = |v: f64| Y1 - (v / y_max).clamp(0.0, 1.05) * (Y1 - Y0);

    let title = format!("{}：累計実績と累計計画", m.title);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{t}" font-family="{FONT}" font-size="12" style="height:auto;display:block">"#,
        t = escape_html(&title)
    );
    let _ = write!(s, "<title>{}</title>", escape_html(&title));
    let _ = write!(s, r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>"##);

    // Month bands: alternating shading, boundaries, labels.
    let mut start_t = 0.0;
    for (i, &(_, mo)) in fy.months().iter().enumerate() {
        let end_t = month_end_t[i];
        if i % 2 == 1 {
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{Y0}" width="{:.1}" height="{:.1}" fill="#f4f6f9"/>"##,
                x_of(start_t),
                x_of(end_t) - x_of(start_t),
                Y1 - Y0
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}月</text>"##,
            (x_of(start_t) + x_of(end_t)) / 2.0,
            Y1 + 18.0,
            mo
        );
        start_t = end_t;
    }

    // Y grid and labels.
    let mut v = 0.0;
    while v <= y_max + step * 1e-6 {
        let y = y_of(v);
        let _ = write!(s, r##"<line x1="{X0}" y1="{y:.1}" x2="{X1}" y2="{y:.1}" stroke="#d9d9d9" stroke-width="1"/>"##);
        let label = format::int(v.round() as i64);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            X0 - 6.0,
            y + 4.0,
            label
        );
        v += step;
    }
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="start" fill="#555" font-size="11">（{}）</text>"##,
        6.0,
        Y0 - 10.0,
        escape_html(&m.unit)
    );
    // Axes.
    let _ = write!(
        s,
        r##"<line x1="{X0}" y1="{Y1}" x2="{X1}" y2="{Y1}" stroke="#333" stroke-width="1.2"/><line x1="{X0}" y1="{Y0}" x2="{X0}" y2="{Y1}" stroke="#333" stroke-width="1.2"/>"##
    );

    // Target marker.
    if let Some(t) = m.target {
        let y = y_of(t);
        let _ = write!(
            s,
            r##"<line x1="{X0}" y1="{y:.1}" x2="{X1}" y2="{y:.1}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="2 3"/>"##
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="{TARGET}" font-size="12">目標 {}{}</text>"##,
            X1 + 6.0,
            y + 4.0,
            format::count(Some(t)),
            escape_html(&m.unit)
        );
    }

    // As-of marker.
    let xa = x_of(as_of_t);
    let _ = write!(
        s,
        r##"<line x1="{xa:.1}" y1="{:.1}" x2="{xa:.1}" y2="{Y1}" stroke="{AS_OF}" stroke-width="1.2"/>"##,
        Y0 - 4.0
    );
    let anchor = if xa > X1 - 60.0 { "end" } else { "middle" };
    let _ = write!(
        s,
        r##"<text x="{xa:.1}" y="{:.1}" text-anchor="{anchor}" fill="{AS_OF}" font-size="11">基準日 {}/{}</text>"##,
        Y0 - 8.0,
        chrono::Datelike::month(&as_of),
        chrono::Datelike::day(&as_of)
    );

    // Last year (grey, behind), plan (dashed), then actual (solid, on top).
    if last_year.len() > 1 {
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{PREVIOUS}" stroke-width="2" points="{}"/>"#,
            points(&last_year, &y_of)
        );
    }
    let _ = write!(
        s,
        r#"<polyline fill="none" stroke="{PLAN}" stroke-width="2" stroke-dasharray="7 5" points="{}"/>"#,
        points(&plan, &y_of)
    );
    if has_actual {
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{ACTUAL}" stroke-width="2.6" stroke-linejoin="round" points="{}"/>"#,
            points(&actual, &y_of)
        );
        for &(t, v) in &actual[1..] {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{ACTUAL}" stroke="#fff" stroke-width="1"/>"##,
                x_of(t),
                y_of(v)
            );
        }
        if let Some(&(t, v)) = actual.last() {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{ACTUAL}" font-weight="bold">{}{}</text>"##,
                x_of(t) - 6.0,
                y_of(v) - 8.0,
                format::count(Some(v)),
                escape_html(&m.unit)
            );
        }
    } else {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555" font-size="14">実績データなし</text>"##,
            (X0 + X1) / 2.0,
            (Y0 + Y1) / 2.0
        );
    }

    // Legend.
    let ly = 14.0;
    let _ = write!(
        s,
        r##"<g font-size="12" fill="#333"><line x1="60" y1="{ly}" x2="90" y2="{ly}" stroke="{ACTUAL}" stroke-width="2.6"/><text x="96" y="{}">累計実績</text><line x1="170" y1="{ly}" x2="200" y2="{ly}" stroke="{PLAN}" stroke-width="2" stroke-dasharray="7 5"/><text x="206" y="{}">累計計画</text>"##,
        ly + 4.0,
        ly + 4.0
    );
    if m.target.is_some() {
        let _ = write!(
            s,
            r##"<line x1="280" y1="{ly}" x2="310" y2="{ly}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="2 3"/><text x="316" y="{}">年間目標</text>"##,
            ly + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<line x1="390" y1="{}" x2="390" y2="{}" stroke="{AS_OF}" stroke-width="1.2"/><text x="396" y="{}">基準日</text>"##,
        ly - 7.0,
        ly + 7.0,
        ly + 4.0
    );
    if last_year.len() > 1 {
        let _ = write!(
            s,
            r##"<line x1="460" y1="{ly}" x2="490" y2="{ly}" stroke="{PREVIOUS}" stroke-width="2"/><text x="496" y="{}">前年度の累計</text>"##,
            ly + 4.0
        );
    }
    s.push_str("</g>");
    s.push_str("</svg>");
    s
}

fn points(pts: &[(f64, f64)], y_of: &dyn Fn(f64) -> f64) -> String {
    pts.iter().map(|&(t, v)| format!("{:.1},{:.1}", x_of(t), y_of(v))).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn series() -> SeriesChart {
        let fy = FiscalYear::new(2023).unwrap();
        let per = [21.0, 24.0, 22.0, 20.0, 18.0, 23.0, 23.0];
        let mut cum = 0.0;
        let actual = (0..12)
            .map(|i| {
                per.get(i).map(|v| {
                    cum += v;
                    cum
                })
            })
            .collect();
        SeriesChart {
            title: "ものづくりマイスター派遣回数".into(),
            unit: "回".into(),
            target: Some(270.0),
            months: fy.months().to_vec(),
            actual,
            plan: fy
                .months()
                .iter()
                .map(|&(y, m)| Some(270.0 * fy.elapsed_fraction(month_end(y, m).unwrap())))
                .collect(),
            previous: Vec::new(),
            as_of: NaiveDate::from_ymd_opt(2023, 10, 31).unwrap(),
        }
    }

    #[test]
    fn the_chart_has_month_labels_both_lines_the_target_and_no_script() {
        let svg = chart(&series());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for mo in ["4月", "9月", "12月", "3月"] {
            assert!(svg.contains(&format!(">{mo}<")), "{mo}");
        }
        assert!(svg.contains("stroke-dasharray=\"7 5\""), "plan line dashed");
        assert!(svg.contains("目標 270回"));
        assert!(svg.contains("基準日 10/31"));
        assert!(svg.contains(">151回<"), "the last actual is labelled");
        assert!(!svg.to_lowercase().contains("<script"));
    }

    #[test]
    fn last_year_is_a_grey_line_with_its_legend_only_when_there_is_one() {
        let plain = chart(&series());
        assert!(!plain.contains(PREVIOUS) && !plain.contains("前年度の累計"));
        let mut s = series();
        s.previous = (1..=12).map(|i| Some(20.0 * i as f64)).collect();
        let svg = chart(&s);
        assert!(svg.contains(&format!("stroke=\"{PREVIOUS}\"")) && svg.contains("前年度の累計"));
    }

    #[test]
    fn a_small_count_axis_has_whole_number_ticks() {
        let mut s = series();
        s.target = Some(10.0);
        s.actual = (0..12).map(|i| (i < 7).then_some(i as f64)).collect();
        s.plan = (0..12).map(|i| Some(10.0 * (i + 1) as f64 / 12.0)).collect();
        let svg = chart(&s);
        for tick in ["\">0<", "\">5<", "\">10<"] {
            assert!(svg.contains(tick), "{tick}");
        }
        for odd in ["\">2.5<", "\">3<", "\">8<", "\">13<"] {
            assert!(!svg.contains(odd), "{odd}");
        }
    }

    #[test]
    fn text_is_escaped() {
        let mut s = series();
        s.title = "<b>x</b>".into();
        s.unit = "&".into();
        let svg = chart(&s);
        assert!(!svg.contains("<b>") && svg.contains("&lt;b&gt;x&lt;/b&gt;") && svg.contains("&amp;"));
    }
}
