//! The fiscal-year timeline as a standalone `<svg>`: April..March axis with
//! the elapsed part shaded and the as-of date marked, each event a marker on
//! the axis (shape = kind, fill = state) with a leader line up to its label
//! (`m/d label`); labels stack in lanes so none overlap.

use super::{AS_OF, FONT, W};
use crate::fiscal::{FiscalYear, month_end};
use crate::report::doc::{MarkKind, MarkState, TimelineChart};
use crate::text::escape_html;
use chrono::NaiveDate;
use std::fmt::Write as _;

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

fn kind_colour(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Competition => KIND_COMPETITION,
        MarkKind::Council => KIND_COUNCIL,
        MarkKind::Training => KIND_TRAINING,
    }
}

/// Approximate width of `text` at `size` (CJK one em, ASCII a little over half).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.56 } else { 1.0 }).sum::<f64>() * size
}

/// The marker shape of an event kind at (x, y): diamond for competitions,
/// square for the council, circle for training.
fn shape(kind: MarkKind, x: f64, y: f64, r: f64, fill: &str, stroke: &str, width: f64) -> String {
    match kind {
        MarkKind::Competition => {
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
        MarkKind::Council => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>"#,
            x - r * 0.9,
            y - r * 0.9,
            r * 1.8,
            r * 1.8
        ),
        MarkKind::Training => format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>"#
        ),
    }
}

/// An event's marker: filled when held, hollow when still to come, hollow
/// with a filled core when the plan's date has passed (大会日・期限日),
/// hollow and crossed out when a due date passed with no record. Shape and
/// fill carry the meaning; colour only repeats it.
fn marker(kind: MarkKind, state: MarkState, x: f64, y: f64) -> String {
    let c = kind_colour(kind);
    match state {
        MarkState::Held => shape(kind, x, y, 6.0, c, "#ffffff", 1.0),
        MarkState::Planned => shape(kind, x, y, 6.0, "#ffffff", c, 1.8),
        MarkState::PlanDate | MarkState::Deadline => {
            shape(kind, x, y, 6.0, "#ffffff", c, 1.8) + &shape(kind, x, y, 2.6, c, c, 0.5)
        }
        MarkState::Missed => {
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
pub fn chart(c: &TimelineChart) -> String {
    let (events, as_of) = (&c.events, c.as_of);
    let fy = FiscalYear::of(c.start);
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
        kind: MarkKind,
        state: MarkState,
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
        placed.push(Placed { x, lane, text, anchor_end, kind: e.kind, state: e.state });
    }
    let n_lanes = lanes.len().max(1) as f64;

    let states: Vec<MarkState> =
        [MarkState::Held, MarkState::PlanDate, MarkState::Deadline, MarkState::Planned, MarkState::Missed]
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
    for (kind, name) in
        [(MarkKind::Competition, "競技大会"), (MarkKind::Council, "連携会議"), (MarkKind::Training, "講習会")]
    {
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
            MarkState::Held => "塗り＝実施（記録あり）",
            MarkState::Planned => "白抜き＝予定",
            MarkState::PlanDate => "二重＝大会日（計画上の日付）",
            MarkState::Deadline => "二重＝期限日（計画上の期限）",
            MarkState::Missed => "×＝未実施（期限を過ぎて記録なし）",
        };
        if *st == MarkState::Deadline && states.contains(&MarkState::PlanDate) {
            continue;
        }
        let what = if *st == MarkState::PlanDate && states.contains(&MarkState::Deadline) {
            "二重＝大会日・期限日（計画上の日付）"
        } else {
            what
        };
        s.push_str(&marker(MarkKind::Training, *st, lx + 6.0, 31.0).replace(KIND_TRAINING, "#555555"));
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
        let dash = if p.state == MarkState::Held { "" } else { r#" stroke-dasharray="3 2""# };
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
        let weight = if p.state == MarkState::Held { r#" font-weight="bold""# } else { "" };
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

    fn d(m: u32, day: u32) -> NaiveDate {
        let y = if m < 4 { 2024 } else { 2023 };
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn mark(date: NaiveDate, label: &str, kind: MarkKind, state: MarkState) -> crate::report::doc::TimelineMark {
        crate::report::doc::TimelineMark { date, label: label.into(), kind, state }
    }

    fn year(events: Vec<crate::report::doc::TimelineMark>) -> TimelineChart {
        TimelineChart { start: d(4, 1), end: d(3, 31), as_of: d(10, 31), events }
    }

    #[test]
    fn the_timeline_has_its_events_the_as_of_marker_and_a_legend_by_shape() {
        let svg = chart(&year(vec![
            mark(d(6, 28), "連携会議 第1回", MarkKind::Council, MarkState::Held),
            mark(d(8, 2), "若年者ものづくり競技大会", MarkKind::Competition, MarkState::PlanDate),
            mark(d(11, 21), "技能五輪全国大会", MarkKind::Competition, MarkState::Planned),
        ]));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for label in ["6/28 連携会議 第1回", "8/2 若年者ものづくり競技大会", "11/21 技能五輪全国大会"]
        {
            assert!(svg.contains(label), "{label}");
        }
        for mo in ["4月", "10月", "3月"] {
            assert!(svg.contains(&format!(">{mo}<")), "{mo}");
        }
        assert!(svg.contains("基準日 10/31"));
        assert!(svg.contains("塗り＝実施") && svg.contains("白抜き＝予定") && svg.contains("大会日"));
        assert!(!svg.to_lowercase().contains("<script"));
    }

    #[test]
    fn labels_are_escaped_and_close_events_sit_in_different_lanes() {
        let svg = chart(&year(vec![mark(d(6, 28), "<b>第1回</b> & \"x\"", MarkKind::Council, MarkState::Held)]));
        assert!(svg.contains("&lt;b&gt;第1回&lt;/b&gt; &amp; &quot;x&quot;") && !svg.contains("<b>"));
        let svg = chart(&year(vec![
            mark(d(9, 7), "指導技法等講習会（前期）", MarkKind::Training, MarkState::Held),
            mark(d(9, 8), "連携会議 臨時", MarkKind::Council, MarkState::Held),
        ]));
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
}
