//! ルールに照らした確認事項: what the seed's rules say should not happen,
//! found in the records, one group per rule, its records sorted by date
//! and then by place (by number, never by person).

use crate::format;
use crate::kpi::findings::FindingItem;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, RowKind, Section, Table};

/// The place of a record (file / sheet / cell), or empty.
pub fn place(i: &FindingItem) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(i.file.iter().cloned());
    parts.extend(i.sheet.iter().cloned());
    if let Some(c) = &i.cell {
        parts.push(c.clone());
    } else if let Some(r) = i.row {
        parts.push(format!("{r}行目"));
    }
    parts.join(" / ")
}

/// Records by date (undated last), then file, sheet and row.
pub fn sorted(items: &[FindingItem]) -> Vec<&FindingItem> {
    let mut v: Vec<&FindingItem> = items.iter().collect();
    v.sort_by(|a, b| {
        (a.date.is_none(), a.date, &a.file, &a.sheet, a.row, &a.meister_no).cmp(&(
            b.date.is_none(),
            b.date,
            &b.file,
            &b.sheet,
            b.row,
            &b.meister_no,
        ))
    });
    v
}

pub fn build(input: &ReportInput) -> Section {
    let list = &input.figures.findings;
    let s = Section::new("findings", "ルールに照らした確認事項", "確認事項").landscape();
    if list.is_empty() {
        return s.with(Block::Nothing("推進計画のルールに照らして確認が必要な記録はありません。".into()));
    }
    let total: usize = list.iter().map(|f| f.count).sum();
    let mut t = Table::new(vec![
        Column::plain("日付"),
        Column::wide("場所（ファイル / シート / セル）"),
        Column::plain("マイスター番号"),
        Column::wide("内容"),
    ])
    .limit_html(super::HTML_ROW_LIMIT, "center.xlsx");
    for f in list {
        t.push(RowKind::Group, vec![Cell::text(format!("{}（{}）　{} 件", f.title, f.section, f.count))]);
        for i in sorted(&f.items) {
            t.row(vec![
                Cell::Date(i.date),
                Cell::text(place(i)),
                i.meister_no.as_ref().map_or(Cell::Empty, Cell::text),
                Cell::text(&i.detail),
            ]);
        }
    }
    s.with(Block::Paragraph(format!("{} 項目・{} 件。", list.len(), format::int(total as i64)))).with(Block::Table(t))
}
