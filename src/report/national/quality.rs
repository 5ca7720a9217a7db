//! コーナーの読み込み状況: for each corner, where its figures came from and
//! its data-quality counts — the rows each corner must fix are in its own
//! data-quality.xlsx.

use super::corner_name;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};
use crate::rollup::{National, State};

pub fn build(n: &National) -> Section {
    let mut t = Table::new(vec![
        Column::wide("コーナー"),
        Column::plain("状態"),
        Column::plain("集計元"),
        Column::plain("読んだ\nブック"),
        Column::plain("読めない\nブック"),
        Column::plain("読んだ行"),
        Column::plain("採用"),
        Column::plain("除外"),
        Column::plain("確認"),
        Column::wide("理由"),
    ])
    .filtered();
    for c in &n.corners {
        let state = match c.state {
            State::Ok => Status::new("集計", Tone::Good),
            State::Missing => Status::new("欠測", Tone::Warn),
            State::Failed => Status::new("失敗", Tone::Bad),
        };
        let q = &c.quality;
        let n = |v: usize| if c.state == State::Failed { Cell::Empty } else { Cell::int(v as i64) };
        t.row(vec![
            Cell::text(corner_name(c)),
            Cell::Status(state),
            Cell::text(c.source),
            n(q.files_read),
            n(q.unreadable_files),
            n(q.rows_read),
            n(q.accepted),
            n(q.rejected),
            n(q.warnings),
            c.reason.as_ref().map_or(Cell::Empty, Cell::text),
        ]);
    }
    Section::new("corner_quality", "コーナーの読み込み状況", "読み込み状況").landscape().with(Block::Table(t))
}
