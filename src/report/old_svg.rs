//! The charts of the HTML reports as inline SVG, drawn in Rust so the
//! reports need no script, image or font from anywhere: the cumulative chart
//! of a headline KPI ([`cumulative_chart`]) and the fiscal-year timeline of
//! dated events ([`timeline_chart`]).
//!
//! Cumulative chart:
//! The x axis is the fiscal year by days (April 1 at the left, March 31 at
//! the right, month labels 4月..3月 centred in their month); cumulative figures
//! are plotted at each month's end (the as-of month at the as-of date). The
//! actual line is solid, the plan line dashed, the annual target a dotted
//! horizontal line, the as-of date a vertical marker. Every piece of text is
//! escaped here, because the template inserts the result unescaped.

use super::view::{TimelineState, fmt_count, fmt_fixed, fmt_int, timeline_state};
use crate::fiscal::{FiscalYear, month_end};
use crate::kpi::MonthlySeries;
use crate::kpi::center::TimelineEvent;
use crate::text::escape_html;
use chrono::NaiveDate;
use std::fmt::Write as _;

const W: f64 = 720.0;
const H: f64 = 300.0;
const X0: f64 = 58.0;
const X1: f64 = 622.0;
const Y0: f64 = 44.0;
const Y1: f64 = 258.0;

const ACTUAL: &str = "#1f5fa8";
const PLAN: &str = "#7a7a7a";
const TARGET: &str = "#2e7d32";
const AS_OF: &str = "#b3261e";
const FONT: &str = "'Hiragino Kaku Gothic ProN','Hiragino Sans','Yu Gothic','YuGothic','Meiryo','Noto Sans CJK JP','Noto Sans JP',sans-serif";

/// A "nice" axis: step and maximum for about five ticks covering `max`.
pub fn nice_axis(max: f64) -> (f64, f64) {
    if !(max.is_finite() && max > 0.0) {
        return (1.0, 5.0);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let step = if step < 1.0 && max >= 1.0 { 1.0 } else { step };
    (step, (max / step).ceil() * step)
}

fn x_of(t: f64) -> f64 {
    X0 + t.clamp(0.0, 1.0) * (X1 - X0)
}

/// The chart of one series as a standalone `<svg>` element.
pub fn cumulative_chart(m: &MonthlySeries, fy: FiscalYear, as_of: NaiveDate) -> String {
    let days = fy.days() as f64;
    let frac = |d: NaiveDate| ((d - fy.start()).num_days() + 1) as f64 / days;
    let as_of_t = frac(as_of.clamp(fy.start(), fy.end()));
    let month_end_t: Vec<f64> = fy.months().iter().map(|&(y, mo)| month_end(y, mo).map_or(0.0, frac)).collect();

    let mut actual = vec![(0.0, 0.0)];
    let mut plan = vec![(0.0, 0.0)];
    for (i, p) in m.months.iter().enumerate().take(12) {
        let t = month_end_t[i];
        if let Some(v) = p.cumulative_actual {
            actual.push((t.min(as_of_t), v));
        }
        if let Some(v) = p.cumulative_plan {
            plan.push((t, v));
        }
    }
    let has_actual = actual.len() > 1;
    let max_v = actual.iter().chain(plan.iter()).map(|p| p.1).chain(m.target).fold(0.0_f64, f64::max) * 1.05;
    let (step, y_max) = nice_axis(max_v);
    let y_of = |v: f64| Y1 - (v / y_max).clamp(0.0, 1.05) * (Y1 - Y0);

    let title = format!("{}：累計実績と累計計画", m.label);
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
        let label = if step >= 1.0 { fmt_int(v.round() as i64) } else { fmt_fixed(v, 1) };
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
            fmt_count(Some(t)),
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

    // Plan (dashed) then actual (solid, on top).
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
                fmt_count(Some(v)),
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
        r##"<line x1="390" y1="{}" x2="390" y2="{}" stroke="{AS_OF}" stroke-width="1.2"/><text x="396" y="{}">基準日</text></g>"##,
        ly - 7.0,
        ly + 7.0,
        ly + 4.0
    );
    s.push_str("</svg>");
    s
}

fn points(pts: &[(f64, f64)], y_of: &dyn Fn(f64) -> f64) -> String {
    pts.iter().map(|&(t, v)| format!("{:.1},{:.1}", x_of(t), y_of(v))).collect::<Vec<_>>().join(" ")
}

// ---- timeline ------------------------------------------------------------------

/// Left and right ends of the timeline's axis.
const TX0: f64 = 36.0;
const TX1: f64 = 700.0;
/// Height of one lane of event labels, and the label font size.
const LANE: f64 = 18.0;
const LABEL_SIZE: f64 = 11.5;
/// Most label lanes stacked above the axis (further labels share the top one).
const MAX_LANES: usize = 10;

const KIND_COMPETITION: &str = "#a15c00";
const KIND_COUNCIL: &str = "#1f5fa8";
const KIND_TRAINING: &str = "#2e7d32";
const MISSED: &str = "#9f1d14";

fn kind_colour(kind: &str) -> &'static str {
    match kind {
        "competition" => KIND_COMPETITION,
        "council" => KIND_COUNCIL,
        _ => KIND_TRAINING,
    }
}

/// Approximate width of `text` at `size` (CJK one em, ASCII a little over half).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.56 } else { 1.0 }).sum::<f64>() * size
}

/// The marker shape of an event kind at (x, y): diamond for competitions,
/// square for the council, circle for training.
fn shape(kind: &str, x: f64, y: f64, r: f64, fill: &str, stroke: &str, width: f64) -> String {
    match kind {
        "competition" => {
            let d = r * 1.3;
            format!(
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>"#,
                x,
                y - d,
                x + d,
                y,
                x,
                y + d,
                x - d,
                y
            )
        }
        "council" => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>"#,
            x - r * 0.9,
            y - r * 0.9,
            r * 1.8,
            r * 1.8
        ),
        _ => format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>"#
        ),
    }
}

/// An event's marker: filled when held, hollow when still to come, hollow
/// with a filled core when the plan's date has passed (大会日・期限日),
/// hollow and crossed out when a due date passed with no record. Shape and
/// fill carry the meaning; colour only repeats it.
fn marker(kind: &str, state: TimelineState, x: f64, y: f64) -> String {
    let c = kind_colour(kind);
    match state {
        TimelineState::Held => shape(kind, x, y, 6.0, c, "#ffffff", 1.0),
        TimelineState::Planned => shape(kind, x, y, 6.0, "#ffffff", c, 1.8),
        TimelineState::PlanDate | TimelineState::Deadline => {
            shape(kind, x, y, 6.0, "#ffffff", c, 1.8) + &shape(kind, x, y, 2.6, c, c, 0.5)
        }
        TimelineState::Missed => {
            let r = 5.0;
            shape(kind, x, y, 6.0, "#ffffff", MISSED, 1.8)
                + &format!(
                    r#"<path d="M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}" stroke="{MISSED}" stroke-width="1.8"/>"#,
                    x - r,
                    y - r,
                    x + r,
                    y + r,
                    x - r,
                    y + r,
                    x + r,
                    y - r
                )
        }
    }
}

/// The fiscal-year timeline as a standalone `<svg>`: April..March axis with
/// the elapsed part shaded and the as-of date marked, each event a marker on
/// the axis (shape = kind, fill = state, see [`marker`]) with a leader line
/// up to its label (`m/d label`); labels stack in lanes so none overlap.
/// Every piece of text is escaped here.
pub fn timeline_chart(events: &[TimelineEvent], fy: FiscalYear, as_of: NaiveDate) -> String {
    let days = fy.days() as f64;
    let x_at = |d: NaiveDate| {
        let t = ((d - fy.start()).num_days() as f64 + 0.5) / days;
        TX0 + t.clamp(0.0, 1.0) * (TX1 - TX0)
    };

    // Lay the labels out in lanes (lane 0 nearest the axis).
    struct Placed {
        x: f64,
        lane: usize,
        text: String,
        anchor_end: bool,
        kind: &'static str,
        state: TimelineState,
    }
    let mut lanes: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut placed = Vec::with_capacity(events.len());
    for e in events {
        let x = x_at(e.date);
        let text = format!("{}/{} {}", chrono::Datelike::month(&e.date), chrono::Datelike::day(&e.date), e.label);
        let w = text_width(&text, LABEL_SIZE);
        let anchor_end = x + 4.0 + w > W - 4.0;
        let (from, to) = if anchor_end { (x - 4.0 - w, x) } else { (x, x + 4.0 + w) };
        let free = |lane: &Vec<(f64, f64)>| lane.iter().all(|&(a, b)| to + 8.0 < a || from > b + 8.0);
        let lane = match lanes.iter().position(free) {
            Some(l) => l,
            None if lanes.len() < MAX_LANES => {
                lanes.push(Vec::new());
                lanes.len() - 1
            }
            None => MAX_LANES - 1,
        };
        lanes[lane].push((from, to));
        placed.push(Placed { x, lane, text, anchor_end, kind: e.kind, state: timeline_state(e, as_of) });
    }
    let n_lanes = lanes.len().max(1) as f64;

    let states: Vec<TimelineState> = [
        TimelineState::Held,
        TimelineState::PlanDate,
        TimelineState::Deadline,
        TimelineState::Planned,
        TimelineState::Missed,
    ]
    .into_iter()
    .filter(|st| placed.iter().any(|p| p.state == *st))
    .collect();
    let legend_rows = 2.0;
    let as_of_y = 18.0 * legend_rows + 16.0;
    let axis_y = as_of_y + 22.0 + n_lanes * LANE;
    let h = axis_y + 44.0;
    let lane_y = |lane: usize| axis_y - 16.0 - lane as f64 * LANE;

    let title = "年間の主な予定と実施状況（年度の時間軸）";
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h:.0}" width="100%" role="img" aria-label="{t}" font-family="{FONT}" font-size="12" style="height:auto;display:block">"#,
        t = escape_html(title)
    );
    let _ = write!(s, "<title>{}</title>", escape_html(title));
    let _ = write!(s, r##"<rect x="0" y="0" width="{W}" height="{h:.0}" fill="#ffffff"/>"##);

    // Legend: kinds on the first row, the states present on the second.
    let mut lx = 8.0;
    for (kind, name) in [("competition", "競技大会"), ("council", "連携会議"), ("training", "講習会")] {
        s.push_str(&shape(kind, lx + 6.0, 13.0, 5.5, kind_colour(kind), "#ffffff", 1.0));
        let _ = write!(s, r##"<text x="{:.1}" y="17" fill="#333">{name}</text>"##, lx + 16.0);
        lx += 24.0 + text_width(name, 12.0);
    }
    lx += 12.0;
    let _ = write!(
        s,
        r##"<line x1="{:.1}" y1="6" x2="{:.1}" y2="20" stroke="{AS_OF}" stroke-width="1.4"/><text x="{:.1}" y="17" fill="#333">基準日</text>"##,
        lx + 4.0,
        lx + 4.0,
        lx + 10.0
    );
    let mut lx = 8.0;
    for st in &states {
        let what = match st {
            TimelineState::Held => "塗り＝実施（記録あり）",
            TimelineState::Planned => "白抜き＝予定",
            TimelineState::PlanDate => "二重＝大会日（計画上の日付）",
            TimelineState::Deadline => "二重＝期限日（計画上の期限）",
            TimelineState::Missed => "×＝未実施（期限を過ぎて記録なし）",
        };
        if *st == TimelineState::Deadline && states.contains(&TimelineState::PlanDate) {
            continue;
        }
        let what = if *st == TimelineState::PlanDate && states.contains(&TimelineState::Deadline) {
            "二重＝大会日・期限日（計画上の日付）"
        } else {
            what
        };
        s.push_str(&marker("training", *st, lx + 6.0, 31.0).replace(KIND_TRAINING, "#555555"));
        let _ = write!(s, r##"<text x="{:.1}" y="35" fill="#333">{}</text>"##, lx + 16.0, escape_html(what));
        lx += 30.0 + text_width(what, 12.0);
    }

    // Month bands, boundaries and labels; year labels under April and January.
    for (i, &(y, mo)) in fy.months().iter().enumerate() {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(y, mo, 1), month_end(y, mo)) else { continue };
        let (a, b) = (x_at(first) - 0.5 * (TX1 - TX0) / days, x_at(last) + 0.5 * (TX1 - TX0) / days);
        if i % 2 == 1 {
            let _ = write!(
                s,
                r##"<rect x="{a:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#f4f6f9"/>"##,
                as_of_y + 6.0,
                b - a,
                axis_y - as_of_y - 6.0
            );
        }
        let _ = write!(
            s,
            r##"<line x1="{a:.1}" y1="{:.1}" x2="{a:.1}" y2="{:.1}" stroke="#9aa3ad" stroke-width="1"/>"##,
            axis_y - 4.0,
            axis_y + 4.0
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{mo}月</text>"##,
            (a + b) / 2.0,
            axis_y + 20.0
        );
        if i == 0 || mo == 1 {
            let _ = write!(s, r##"<text x="{a:.1}" y="{:.1}" fill="#555" font-size="11">{y}年</text>"##, axis_y + 36.0);
        }
    }
    // Axis, the elapsed part shaded.
    let xa = x_at(as_of.clamp(fy.start(), fy.end()));
    let _ = write!(
        s,
        r##"<rect x="{TX0}" y="{:.1}" width="{:.1}" height="6" fill="#c9d8ea"/><line x1="{TX0}" y1="{axis_y:.1}" x2="{TX1}" y2="{axis_y:.1}" stroke="#333" stroke-width="1.2"/><line x1="{TX1}" y1="{:.1}" x2="{TX1}" y2="{:.1}" stroke="#9aa3ad" stroke-width="1"/>"##,
        axis_y - 3.0,
        xa - TX0,
        axis_y - 4.0,
        axis_y + 4.0
    );
    // As-of marker.
    let _ = write!(
        s,
        r##"<line x1="{xa:.1}" y1="{:.1}" x2="{xa:.1}" y2="{:.1}" stroke="{AS_OF}" stroke-width="1.4"/>"##,
        as_of_y + 4.0,
        axis_y + 6.0
    );
    let anchor = if xa > TX1 - 50.0 {
        "end"
    } else if xa < TX0 + 50.0 {
        "start"
    } else {
        "middle"
    };
    let _ = write!(
        s,
        r##"<text x="{xa:.1}" y="{as_of_y:.1}" text-anchor="{anchor}" fill="{AS_OF}" font-size="11">基準日 {}/{}</text>"##,
        chrono::Datelike::month(&as_of),
        chrono::Datelike::day(&as_of)
    );

    // Leaders, then labels (with a white halo over crossing leaders), then markers.
    for p in &placed {
        let dash = if p.state == TimelineState::Held { "" } else { r#" stroke-dasharray="3 2""# };
        let _ = write!(
            s,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="1"{dash}/>"##,
            p.x,
            axis_y - 8.0,
            p.x,
            lane_y(p.lane) - 4.0,
            kind_colour(p.kind)
        );
    }
    for p in &placed {
        let (x, anchor) = if p.anchor_end { (p.x - 4.0, "end") } else { (p.x + 4.0, "start") };
        let weight = if p.state == TimelineState::Held { r#" font-weight="bold""# } else { "" };
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" font-size="{LABEL_SIZE}" fill="#1f2328" stroke="#ffffff" stroke-width="3" paint-order="stroke"{weight}>{}</text>"##,
            lane_y(p.lane),
            escape_html(&p.text)
        );
    }
    for p in &placed {
        s.push_str(&marker(p.kind, p.state, p.x, axis_y));
    }
    if placed.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555" font-size="13">予定・実施の記録なし</text>"##,
            (TX0 + TX1) / 2.0,
            lane_y(0)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nice_axis_covers_the_maximum_in_round_steps() {
        assert_eq!(nice_axis(283.5), (100.0, 300.0));
        assert_eq!(nice_axis(1680.0), (500.0, 2000.0));
        assert_eq!(nice_axis(10.5), (2.5, 12.5));
        assert_eq!(nice_axis(0.0), (1.0, 5.0));
        assert_eq!(nice_axis(3.0), (1.0, 3.0));
    }

    #[test]
    fn chart_has_month_labels_lines_and_no_script() {
        let fx = super::super::tests::fixture();
        let m = &fx.figures.monthly[0];
        let svg = cumulative_chart(m, fx.figures.fiscal_year, fx.figures.as_of);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 720 300\""));
        for mo in ["4月", "9月", "12月", "3月"] {
            assert!(svg.contains(&format!(">{mo}<")), "{mo}");
        }
        assert!(svg.contains("stroke-dasharray=\"7 5\""), "plan line dashed");
        assert!(svg.contains("目標 270回"));
        assert!(svg.contains("基準日 10/31"));
        assert!(!svg.to_lowercase().contains("<script"));
    }

    #[test]
    fn timeline_has_the_events_the_as_of_marker_and_distinct_markers() {
        let fx = super::super::tests::fixture();
        let f = &fx.figures;
        let svg = timeline_chart(&f.timeline, f.fiscal_year, f.as_of);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for label in ["6/28 連携会議 第1回", "8/2 若年者ものづくり競技大会", "11/21 技能五輪全国大会"]
        {
            assert!(svg.contains(label), "{label}");
        }
        for mo in ["4月", "10月", "3月"] {
            assert!(svg.contains(&format!(">{mo}<")), "{mo}");
        }
        assert!(svg.contains("基準日 10/31"));
        // Held, plan date and planned each have their legend entry (shape, not colour).
        assert!(svg.contains("塗り＝実施"));
        assert!(svg.contains("白抜き＝予定"));
        assert!(svg.contains("大会日"));
        assert!(!svg.to_lowercase().contains("<script"));
    }

    #[test]
    fn timeline_labels_are_escaped_and_do_not_overlap_in_a_lane() {
        let fx = super::super::tests::fixture();
        let f = &fx.figures;
        let mut events = f.timeline.clone();
        events[0].label = "<b>第1回</b> & \"x\"".into();
        let svg = timeline_chart(&events, f.fiscal_year, f.as_of);
        assert!(svg.contains("&lt;b&gt;第1回&lt;/b&gt; &amp; &quot;x&quot;"));
        assert!(!svg.contains("<b>"));
        // Two events a day apart still get readable labels (two lanes).
        let d = |m, day| NaiveDate::from_ymd_opt(2023, m, day).unwrap();
        let close = vec![
            TimelineEvent {
                date: d(9, 7), label: "指導技法等講習会（前期）".into(), kind: "training", planned: false
            },
            TimelineEvent { date: d(9, 8), label: "連携会議 臨時".into(), kind: "council", planned: false },
        ];
        let svg = timeline_chart(&close, f.fiscal_year, f.as_of);
        let ys: Vec<&str> = svg
            .match_indices("font-size=\"11.5\"")
            .map(|(i, _)| {
                let head = &svg[..i];
                let y = head.rfind(" y=\"").unwrap();
                &head[y + 4..y + 4 + head[y + 4..].find('"').unwrap()]
            })
            .collect();
        assert_eq!(ys.len(), 2);
        assert_ne!(ys[0], ys[1], "labels of close events sit in different lanes");
    }

    #[test]
    fn escapes_markup_in_labels() {
        assert_eq!(escape_html("<a href='x'>&\""), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
    }
}
