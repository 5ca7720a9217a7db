//! 状況の一覧（コーナー × 指標）: one row per corner, one column per KPI
//! with a target, each cell the status word in its colour (the word reads
//! in grey print); columns are numbered, the numbers explained below.

use super::{corner_name, status};
use crate::report::doc::{Block, Cell, Column, Section, Table};
use crate::rollup::National;

/// KPI columns per table: more would not fit an A4 landscape page.
const COLUMNS_PER_TABLE: usize = 10;

/// Circled numbers for the column headings (① … ⑳, ㉑ … ㉟, then (36) …).
fn number(i: usize) -> String {
    let c = match i {
        0..=19 => char::from_u32(0x2460 + i as u32),
        20..=34 => char::from_u32(0x3251 + (i - 20) as u32),
        _ => None,
    };
    c.map_or_else(|| format!("({})", i + 1), |c| c.to_string())
}

/// The corner as the map shows it: without the common 「地域技能振興コーナー」,
/// so a row label stays on one line (`35 山口県`).
fn short_name(name: &str) -> &str {
    name.strip_suffix("地域技能振興コーナー").filter(|s| !s.trim().is_empty()).unwrap_or(name)
}

pub fn build(n: &National) -> Section {
    let kpis: Vec<_> = n.totals.iter().filter(|t| t.corners_with_target > 0).collect();
    let mut section = Section::new("map", "状況の一覧（コーナー × 指標）", "状況の一覧").landscape().with(Block::Note(
        "各コーナーの状況を、そのコーナーの計画に照らして示す。計画なし＝そのコーナーの計画にない指標、欠測＝基準日の数値がないコーナー（0 ではない）、失敗＝読み込めなかったコーナー。番号の指標名は表の下にある。".into(),
    ));
    for (chunk, part) in kpis.chunks(COLUMNS_PER_TABLE).enumerate() {
        let first = chunk * COLUMNS_PER_TABLE;
        let mut cols = vec![Column::wide("コーナー")];
        cols.extend((first..first + part.len()).map(|i| Column::plain(&number(i))));
        let mut t = Table::new(cols).filtered();
        for c in &n.corners {
            let name = corner_name(c);
            let mut row = vec![Cell::text(short_name(&name))];
            row.extend(part.iter().map(|k| Cell::Status(status(c, &k.id))));
            t.row(row);
        }
        section = section.with(Block::Table(t));
    }
    // The numbers explained in two column pairs, so the legend stays on the map's page.
    let mut legend =
        Table::new(vec![Column::plain("番号"), Column::wide("指標"), Column::plain("番号"), Column::wide("指標")]);
    let half = kpis.len().div_ceil(2);
    let entry = |i: usize| match kpis.get(i) {
        Some(k) => [Cell::text(number(i)), Cell::text(format!("{}（{}）", k.label, k.unit))],
        None => [Cell::Empty, Cell::Empty],
    };
    for i in 0..half {
        legend.row(entry(i).into_iter().chain(entry(i + half)).collect());
    }
    section.with(Block::Table(legend))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_numbered_in_circles_and_corners_named_short() {
        assert_eq!(number(0), "①");
        assert_eq!(number(19), "⑳");
        assert_eq!(number(20), "㉑");
        assert_eq!(number(34), "㉟");
        assert_eq!(number(35), "(36)");
        assert_eq!(short_name("35 山口県地域技能振興コーナー"), "35 山口県");
        assert_eq!(short_name("地域技能振興コーナー"), "地域技能振興コーナー");
        assert_eq!(short_name("東京都職業能力開発協会"), "東京都職業能力開発協会");
    }
}
