//! The coordinators' visit records: one sheet per half year, the visits of
//! each month drawn from the requesters and prospects of the coordinator's
//! region, one row rejected for an impossible 訪問日.

use super::calendar::workday;
use super::sheet::{SheetBuilder, title};
use super::{d, files};
use crate::data::{COORDINATORS, Cat, PROSPECTS, REQUESTERS, WEST};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt};
use crate::mess::{DateStyle, date_cell};
use crate::model::{Fate, SampleSet, VisitRecord};
use crate::rng::Rng;
use chrono::NaiveDate;

/// Visits per month, April first (54 by October, 95 in the year).
const VISITS_PER_MONTH: [u32; 12] = [6, 8, 9, 8, 6, 8, 9, 9, 7, 8, 9, 8];

pub(super) fn visits_book(rng: &mut Rng, set: &mut SampleSet) -> BookLayout {
    struct V {
        date: NaiveDate,
        coord: usize,
        visited: &'static str,
        region: &'static str,
        trade: &'static str,
        candidates: Option<i64>,
        bad: bool,
    }
    let targets = |region: &str| -> Vec<(&'static str, &'static str)> {
        let mut t: Vec<(&'static str, &'static str)> = REQUESTERS
            .iter()
            .filter(|r| matches!(r.cat, Cat::Sme | Cat::Group) && r.region == region)
            .map(|r| (r.name, r.trades[0]))
            .collect();
        t.extend(PROSPECTS.iter().filter(|p| p.1 == region).map(|p| (p.0, p.2)));
        t
    };
    let mut visits = Vec::new();
    for (i, &n) in VISITS_PER_MONTH.iter().enumerate() {
        let (y, m) = if i < 9 { (2023, 4 + i as u32) } else { (2024, i as u32 - 8) };
        for k in 0..n {
            let coord = ((k as usize) + rng.below(2)) % 2;
            let region = COORDINATORS[coord].1;
            let pool = targets(region);
            let (visited, trade) = *rng.pick(&pool);
            let candidates = if rng.chance(15) { None } else { Some(rng.range(0, 2)) };
            visits.push(V { date: workday(rng, y, m), coord, visited, region, trade, candidates, bad: false });
        }
    }
    // An impossible date (meant 2023-11-30).
    visits.push(V {
        date: d(2023, 11, 30),
        coord: 1,
        visited: "株式会社長府製作",
        region: WEST,
        trade: "板金",
        candidates: Some(1),
        bad: true,
    });
    visits.sort_by_key(|v| (v.date, v.coord));

    let mut sheets = Vec::new();
    for (half, header, from, to) in [
        ("上期", "コーディネーター", d(2023, 4, 1), d(2023, 9, 30)),
        ("下期", "担当者", d(2023, 10, 1), d(2024, 3, 31)),
    ] {
        let cols: &[(&str, &str)] = &[
            ("訪問日", "date"),
            (header, "coordinator"),
            ("訪問先名", "visited"),
            ("地区", "region"),
            ("職種", "trade"),
            ("マイスター候補者数", "candidates"),
            ("備考", "note"),
        ];
        let top = vec![title(0, &format!("コーディネーター開拓訪問記録（令和5年度{half}）"), cols.len())];
        let mut sb =
            SheetBuilder::new(files::VISITS, half, "visits", top, 1, cols, &[12.0, 14.0, 30.0, 6.0, 14.0, 10.0, 20.0]);
        for v in visits.iter().filter(|v| v.date >= from && v.date <= to) {
            let style = if half == "上期" {
                match rng.below(100) {
                    0..=84 => DateStyle::Cell(DateFmt::Slash),
                    85..=94 => DateStyle::Slash,
                    _ => DateStyle::EraDot,
                }
            } else if rng.chance(60) {
                DateStyle::EraDot
            } else {
                DateStyle::Cell(DateFmt::Slash)
            };
            let date = if v.bad { Cell::text("令和5年11月31日") } else { date_cell(v.date, style) };
            let coordinator = COORDINATORS[v.coord].0;
            let mut cells = vec![
                ("date", date),
                ("coordinator", Cell::text(coordinator)),
                ("visited", Cell::text(v.visited)),
                ("region", Cell::text(v.region)),
                ("trade", Cell::text(v.trade)),
            ];
            if let Some(c) = v.candidates {
                cells.push(("candidates", Cell::Num(c as f64)));
            }
            if v.candidates == Some(2) {
                cells.push(("note", Cell::text("次回、推薦書を持参")));
            }
            let place = sb.record(cells);
            set.visits.push(VisitRecord {
                date: v.date,
                coordinator: coordinator.to_string(),
                visited: v.visited.to_string(),
                region: Some(v.region),
                trade: Some(v.trade.to_string()),
                candidates: v.candidates,
                fate: if v.bad { Fate::Rejected { column: "訪問日" } } else { Fate::Accepted },
                place,
            });
        }
        sheets.push(sb.finish());
    }
    BookLayout { path: files::VISITS.into(), kind: BookKind::Xlsx, created: d(2023, 4, 5), sheets }
}
