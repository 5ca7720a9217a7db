//! コーディネーター開拓訪問: visits by region and month (the coordinators
//! are people: the report groups by region, never by name).

use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};
use chrono::NaiveDate;

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let s = Section::new("visits", "コーディネーターの開拓訪問（地区・月別）", "開拓訪問").landscape();
    if f.visits_by_region.is_empty() {
        return s.with(Block::Nothing("開拓訪問の記録のシートはありません。".into()));
    }
    let months = f.fiscal_year.months();
    let mut cols = vec![Column::plain("地区")];
    cols.extend(months.iter().map(|&(_, m)| Column::plain(&format!("{m}月"))));
    cols.push(Column::plain("計"));
    let mut t = Table::new(cols);
    let started: Vec<bool> =
        months.iter().map(|&(y, m)| NaiveDate::from_ymd_opt(y, m, 1).is_some_and(|d| d <= f.as_of)).collect();
    let line = |name: &str, values: &[i64], total: i64| {
        let mut r = vec![Cell::text(name)];
        r.extend(values.iter().zip(&started).map(|(v, s)| if *s { Cell::int(*v) } else { Cell::Count(None) }));
        r.push(Cell::int(total));
        r
    };
    let mut sums = vec![0i64; 12];
    for r in &f.visits_by_region {
        for (i, n) in r.months.iter().enumerate().take(12) {
            sums[i] += n;
        }
        t.row(line(&r.region, &r.months, r.total));
    }
    t.push(RowKind::Total, line("合計", &sums, f.visits_by_region.iter().map(|r| r.total).sum()));
    s.with(Block::Table(t))
}
