//! 主要指標の達成率順: for each headline KPI, the corners in the order of
//! their achievement (missing corners last, never ranked as zero).

use super::{corner_name, status};
use crate::report::doc::{Block, Cell, Column, Section, Table};
use crate::report::sections::headline::HEADLINE;
use crate::rollup::{National, State};

pub fn build(n: &National) -> Section {
    let mut s = Section::new("ranking", "主要指標の達成率順", "達成率順");
    for id in HEADLINE {
        let Some(tot) = n.totals.iter().find(|t| t.id == id && t.corners_with_target > 0) else { continue };
        let mut ranked: Vec<_> = n
            .corners
            .iter()
            .filter(|c| c.state == State::Ok)
            .filter_map(|c| c.kpi(id).and_then(|k| k.achievement).map(|a| (a, c)))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
        let mut t = Table::new(vec![
            Column::plain("順位"),
            Column::wide("コーナー"),
            Column::plain("実績"),
            Column::plain("年間目標"),
            Column::plain("達成率"),
            Column::plain("状況"),
        ]);
        let mut rank = 0;
        let mut last: Option<f64> = None;
        for (i, (a, c)) in ranked.iter().enumerate() {
            if last != Some(*a) {
                rank = i + 1;
                last = Some(*a);
            }
            let k = c.kpi(id);
            t.row(vec![
                Cell::int(rank as i64),
                Cell::text(corner_name(c)),
                Cell::Count(k.and_then(|k| k.actual)),
                Cell::Count(k.and_then(|k| k.target)),
                Cell::Percent(Some(*a)),
                Cell::Status(status(c, id)),
            ]);
        }
        for c in n.corners.iter().filter(|c| !ranked.iter().any(|(_, r)| r.folder == c.folder)) {
            t.row(vec![
                Cell::Empty,
                Cell::text(corner_name(c)),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Status(status(c, id)),
            ]);
        }
        s.push(Block::Paragraph(format!("{}（{}）", tot.label, tot.unit)));
        s.push(Block::Table(t));
    }
    s
}
