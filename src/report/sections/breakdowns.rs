//! Dispatches of the year to date broken down by 派遣先区分 (both reports),
//! by 職種 and by 地区 (center): meister and skilled-worker sessions and
//! trainees, the total and each row's share, with a total row.

use crate::kpi::BreakdownRow;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};

fn sessions(r: &BreakdownRow) -> i64 {
    r.meister_sessions + r.skilled_sessions
}

fn table(key_heading: &str, rows: &[BreakdownRow]) -> Table {
    let mut t = Table::new(vec![
        Column::wide(key_heading),
        Column::plain("マイスター\n派遣回数"),
        Column::plain("マイスター\n受講者延べ人数"),
        Column::plain("熟練技能者等\n派遣回数"),
        Column::plain("熟練技能者等\n受講者数"),
        Column::plain("派遣回数\n計"),
        Column::plain("構成比"),
    ]);
    let total = BreakdownRow {
        key: "合計".into(),
        meister_sessions: rows.iter().map(|r| r.meister_sessions).sum(),
        meister_trainees: rows.iter().map(|r| r.meister_trainees).sum(),
        skilled_sessions: rows.iter().map(|r| r.skilled_sessions).sum(),
        skilled_trainees: rows.iter().map(|r| r.skilled_trainees).sum(),
    };
    let all = sessions(&total);
    let line = |r: &BreakdownRow| {
        vec![
            Cell::text(&r.key),
            Cell::int(r.meister_sessions),
            Cell::int(r.meister_trainees),
            Cell::int(r.skilled_sessions),
            Cell::int(r.skilled_trainees),
            Cell::int(sessions(r)),
            Cell::Percent((all > 0).then(|| sessions(r) as f64 / all as f64)),
        ]
    };
    for r in rows {
        t.row(line(r));
    }
    t.push(RowKind::Total, line(&total));
    t
}

fn section(s: Section, key_heading: &str, note: &str, rows: &[BreakdownRow]) -> Section {
    if rows.iter().all(|r| sessions(r) == 0) {
        return s.with(Block::Nothing("基準日までの派遣の記録はありません。".into()));
    }
    s.with(Block::Note(note.into())).with(Block::Table(table(key_heading, rows)))
}

/// 派遣先区分別: every canonical destination type, with zeros.
pub fn dispatch_mix(input: &ReportInput) -> Section {
    section(
        Section::new("dispatch_mix", "派遣先区分別の派遣実績", "派遣先区分別"),
        "派遣先区分",
        "年度当初から基準日までの派遣（ものづくりマイスター・熟練技能者等）を派遣先区分ごとに集計。構成比は派遣回数計に占める割合。",
        &input.figures.dispatch_mix,
    )
}

/// 職種別: most sessions first.
pub fn by_trade(input: &ReportInput) -> Section {
    section(
        Section::new("by_trade", "職種別の派遣実績", "職種別"),
        "職種",
        "年度当初から基準日までの派遣を職種ごとに集計（派遣回数の多い順）。",
        &input.figures.by_trade,
    )
}

/// 地区別: 東部, 西部, then 未記入.
pub fn by_region(input: &ReportInput) -> Section {
    section(
        Section::new("by_region", "地区別の派遣実績", "地区別"),
        "地区",
        "年度当初から基準日までの派遣を地区ごとに集計（地区の欄が空の行は「未記入」）。",
        &input.figures.by_region,
    )
}
