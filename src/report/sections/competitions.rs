//! 技能競技大会の参加者: entries of the year by competition, trade and
//! organisation type, with a subtotal per competition that ties to its KPIs
//! (competitors, instructors, distinct trades and organisations) and the
//! withdrawal rate.

use crate::kpi::center::EntryRow;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};

/// The KPI id prefix of a competition and what its organisations are called.
fn kpis_of(event: &str) -> Option<(&'static str, &'static str)> {
    match event {
        "技能五輪全国大会" => Some(("worldskills", "社・校")),
        "若年者ものづくり競技大会" => Some(("youth_games", "校")),
        "技能五輪予選" => Some(("qualifier", "")),
        _ => None,
    }
}

/// The competitions in the plan's order, then any other.
const ORDER: [&str; 3] = ["技能五輪全国大会", "若年者ものづくり競技大会", "技能五輪予選"];

pub fn build(input: &ReportInput) -> Section {
    let list = &input.figures.competition_entries;
    let s = Section::new("competitions", "技能競技大会の参加者", "競技大会");
    if list.is_empty() {
        return s.with(Block::Nothing("この年度の競技大会の参加者の記録はありません。".into()));
    }
    let mut t = Table::new(vec![
        Column::wide("職種"),
        Column::plain("所属"),
        Column::plain("選手"),
        Column::plain("指導者"),
        Column::plain("辞退"),
    ]);
    let actual = |id: String| input.figures.kpis.iter().find(|k| k.id == id).and_then(|k| k.actual);
    let mut events: Vec<&str> = ORDER.iter().copied().filter(|e| list.iter().any(|x| x.event == *e)).collect();
    for e in list {
        if !events.contains(&e.event.as_str()) {
            events.push(&e.event);
        }
    }
    let sum = |rows: &[&EntryRow], f: fn(&EntryRow) -> i64| rows.iter().map(|r| f(r)).sum::<i64>();
    let mut all: Vec<&EntryRow> = Vec::new();
    for ev in events {
        let rows: Vec<&EntryRow> = list.iter().filter(|e| e.event == ev).collect();
        t.push(RowKind::Group, vec![Cell::text(ev)]);
        for r in &rows {
            t.row(vec![
                Cell::text(&r.trade),
                Cell::text(&r.org_type),
                Cell::int(r.competitors),
                Cell::int(r.instructors),
                Cell::int(r.withdrawn),
            ]);
        }
        let mut what = Vec::new();
        if let Some((p, orgs_word)) = kpis_of(ev) {
            if let Some(n) = actual(format!("{p}.trades")) {
                what.push(format!("{} 職種", crate::format::count(Some(n))));
            }
            if !orgs_word.is_empty()
                && let Some(n) = actual(format!("{p}.orgs"))
            {
                what.push(format!("{} {orgs_word}", crate::format::count(Some(n))));
            }
        }
        let label = if what.is_empty() { "小計".to_string() } else { format!("小計（{}）", what.join("・")) };
        t.push(
            RowKind::Subtotal,
            vec![
                Cell::text(label),
                Cell::Empty,
                Cell::int(sum(&rows, |r| r.competitors)),
                Cell::int(sum(&rows, |r| r.instructors)),
                Cell::int(sum(&rows, |r| r.withdrawn)),
            ],
        );
        all.extend(rows);
    }
    let (c, i, w) = (sum(&all, |r| r.competitors), sum(&all, |r| r.instructors), sum(&all, |r| r.withdrawn));
    t.push(RowKind::Total, vec![Cell::text("合計"), Cell::Empty, Cell::int(c), Cell::int(i), Cell::int(w)]);
    let entries = c + i + w;
    s.with(Block::Paragraph(format!(
        "エントリー {entries} 件のうち辞退 {w} 件（辞退率 {}）。",
        crate::format::percent((entries > 0).then(|| w as f64 / entries as f64)),
    )))
    .with(Block::Note(
        "選手・指導者は辞退を除いた人数（辞退は別の欄）。小計の職種数・所属数は、その大会の指標と同じ数え方（辞退を除く異なる職種・所属の数）。"
            .into(),
    ))
    .with(Block::Table(t))
}
