//! Header-row detection: which row of a sheet holds the column headers, and
//! which record type they name.
//!
//! The header row is the first of the first [`HEADER_SCAN_ROWS`] rows that
//! holds every required header of at least one record type. When several
//! qualify, the one with the most matched headers wins; a tie is ambiguous.

use super::{ColumnMatch, Detection};
use crate::mapping::Mapping;
use crate::schema::DatasetId;
use crate::text::normalise_header;
use foldhash::HashMap;

/// How many rows from the top of a sheet may hold the header row.
pub const HEADER_SCAN_ROWS: u32 = 20;

/// The first cell of an instructions sheet (the 記入のしかた sheet of the
/// blank workbooks `corner-kpi template` writes). A sheet that starts with it
/// and names no record type is listed as instructions, with its own reason,
/// rather than as an unknown sheet to look at.
pub const INSTRUCTIONS_TITLE: &str = "記入のしかた（このシートは集計されません）";

/// Why an instructions sheet (see [`INSTRUCTIONS_TITLE`]) is not counted.
pub fn instructions_reason() -> String {
    format!("記入のしかたのシートです（1行目が「{INSTRUCTIONS_TITLE}」）。記録の表ではないため集計しません")
}

/// Finds the header row among `rows` (each a 0-based row index with its
/// non-empty text cells) and the record type it names.
pub fn detect(rows: &[(u32, Vec<(u32, String)>)], mapping: &Mapping) -> Detection {
    let mut cache = HeaderCache::default();
    rows.iter()
        .filter(|(r, _)| *r < HEADER_SCAN_ROWS)
        .find_map(|(row, cells)| detect_row(*row, cells, mapping, &mut cache))
        .unwrap_or_else(not_found)
}

/// What each header text names in each record type of a mapping, kept
/// across the sheets of a workbook: a sheet per month repeats one header
/// row, normalised and looked up once.
#[derive(Default)]
pub struct HeaderCache {
    /// Header text as written → the field it names in each record type of
    /// the mapping (in the mapping's order).
    fields: HashMap<String, Vec<Option<&'static str>>>,
}

impl HeaderCache {
    fn learn(&mut self, text: &str, mapping: &Mapping) {
        if !self.fields.contains_key(text) {
            let norm = normalise_header(text);
            let found = mapping.datasets.iter().map(|ds| ds.field_for_header(&norm)).collect();
            self.fields.insert(text.to_string(), found);
        }
    }

    /// Whether `text` names a field of any record type of `mapping`.
    pub fn names_a_field(&mut self, text: &str, mapping: &Mapping) -> bool {
        self.learn(text, mapping);
        self.fields(text).iter().any(Option::is_some)
    }

    fn fields(&self, text: &str) -> &[Option<&'static str>] {
        self.fields.get(text).map_or(&[], Vec::as_slice)
    }
}

/// The record type one row's text cells name as a header row, if they hold
/// every required header of one (see [`detect`]); rows are tried top down
/// and the first that names one is the header row.
pub fn detect_row(row: u32, cells: &[(u32, String)], mapping: &Mapping, cache: &mut HeaderCache) -> Option<Detection> {
    for (_, t) in cells {
        cache.learn(t, mapping);
    }
    let named: Vec<(u32, &str, &[Option<&'static str>])> =
        cells.iter().map(|(c, t)| (*c, t.as_str(), cache.fields(t))).collect();
    // Per record type that qualifies: its (field, column, header as written).
    type Found<'t> = Vec<(&'static str, u32, &'t str)>;
    let mut qualifying: Vec<(DatasetId, Found<'_>)> = Vec::new();
    for (i, ds) in mapping.datasets.iter().enumerate() {
        let mut columns: Found<'_> = Vec::new();
        for (col, raw, fields) in &named {
            let Some(field) = fields.get(i).copied().flatten() else { continue };
            match columns.iter_mut().find(|(f, _, _)| *f == field) {
                None => columns.push((field, *col, raw)),
                // Of 参加者数（児童）…（計）, the total; otherwise the first.
                Some(kept) if is_total_note(raw) && !is_total_note(kept.2) => *kept = (field, *col, raw),
                Some(_) => {}
            }
        }
        let schema = ds.id.schema();
        let complete = schema.fields.iter().filter(|f| f.required).all(|f| columns.iter().any(|(k, _, _)| *k == f.key));
        if complete {
            qualifying.push((ds.id, columns));
        }
    }
    // 状況, 備考 and 日数 are common to the record types of events: they
    // tell none of them apart.
    let score = |(id, columns): &(DatasetId, Found<'_>)| {
        let schema = id.schema();
        columns.iter().filter(|(k, _, _)| schema.field(k).is_some_and(|f| !f.common)).count()
    };
    let best = qualifying.iter().map(score).max()?;
    let mut top: Vec<_> = qualifying.into_iter().filter(|q| score(q) == best).collect();
    if top.len() > 1 {
        return Some(Detection::Ambiguous { header_row: row, candidates: top.into_iter().map(|(id, _)| id).collect() });
    }
    let (dataset, columns) = top.pop()?;
    let columns = columns
        .into_iter()
        .map(|(field, col, header)| ColumnMatch { field, col, header: header.to_string() })
        .collect();
    Some(Detection::Dataset { dataset, header_row: row, columns })
}

/// Whether a header's trailing note in brackets says it is a total:
/// `参加者数（計）`, `受講者数(合計)`, `参加者数【総数】`.
fn is_total_note(raw: &str) -> bool {
    let text = crate::text::nfkc(raw.trim());
    let Some(body) = text.strip_suffix([')', '】', ']']) else { return false };
    let Some(open) = body.rfind(['(', '【', '[']) else { return false };
    let note = body[open..].chars().skip(1).collect::<String>();
    let note = note.trim();
    note.contains('計') || note.starts_with("総数")
}

/// A sheet none of whose first rows is a header row.
pub fn not_found() -> Detection {
    Detection::Ignored {
        reason: format!(
            "先頭{HEADER_SCAN_ROWS}行に、どの記録の必須見出しもそろった行がありません（対象外として扱いました）。\
             集計対象のシートなら、見出し行に必須の列名（例：派遣実績なら 実施日・派遣先区分・派遣先名・職種・受講者数）を入れてください"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_split_columns_of_one_field_the_total_is_taken_else_the_first() {
        let mapping = Mapping::embedded();
        let cells = |heads: &[&str]| -> Vec<(u32, String)> {
            heads.iter().enumerate().map(|(i, h)| (i as u32, (*h).to_string())).collect()
        };
        let col_of = |heads: &[&str]| match detect(&[(0, cells(heads))], &mapping) {
            Detection::Dataset { dataset: DatasetId::Outreach, columns, .. } => {
                columns.iter().find(|c| c.field == "participants").map(|c| c.col)
            }
            other => panic!("{other:?}"),
        };
        let base = ["実施日", "発信区分", "実施先名"];
        let with = |extra: &[&'static str]| -> Vec<&'static str> { base.iter().chain(extra).copied().collect() };
        assert_eq!(
            col_of(&with(&["参加者数（児童）", "参加者数（教員）", "参加者数（保護者）", "参加者数（計）"])),
            Some(6)
        );
        assert_eq!(col_of(&with(&["参加者数(合計)", "参加者数(児童)"])), Some(3));
        assert_eq!(col_of(&with(&["参加者数（児童）", "参加者数【総数】"])), Some(4));
        assert_eq!(col_of(&with(&["参加者数（児童）", "参加者数（教員）"])), Some(3), "no total: the first");
        assert!(!is_total_note("参加者数（人）"));
        assert!(!is_total_note("計画"));
    }

    #[test]
    fn header_text_variants_normalise_to_the_same_name() {
        for h in [
            "受講者数",
            "受講者数\n（人）",
            "受講者数(名)",
            " 受講者数 ",
            "受講者数【必須】",
            "受 講 者 数",
            "受講者数※延べ",
            "＊受講者数",
        ] {
            assert_eq!(normalise_header(h), "受講者数", "{h:?}");
        }
        assert_eq!(normalise_header("実施日 "), "実施日");
        assert_eq!(normalise_header("企業・学校名"), "企業・学校名");
        assert_eq!(normalise_header("（備考）"), "(備考)");
    }

    fn row(r: u32, texts: &[&str]) -> (u32, Vec<(u32, String)>) {
        (r, texts.iter().enumerate().filter(|(_, t)| !t.is_empty()).map(|(i, t)| (i as u32, t.to_string())).collect())
    }

    #[test]
    fn dispatch_sheet_wins_over_trainings_by_more_matches() {
        let m = Mapping::embedded();
        let rows = vec![
            row(0, &["令和5年度 派遣実績一覧"]),
            row(2, &["通し番号", "実施日", "派遣先区分", "派遣先名", "職種", "受講者数\n（人）", "区分", "備考"]),
        ];
        match detect(&rows, &m) {
            Detection::Dataset { dataset, header_row, columns } => {
                assert_eq!(dataset, DatasetId::Dispatches);
                assert_eq!(header_row, 2);
                let trainees = columns.iter().find(|c| c.field == "trainees").unwrap();
                assert_eq!(trainees.col, 5);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_sheet_without_required_headers_is_ignored_and_a_late_header_is_not_seen() {
        let m = Mapping::embedded();
        assert!(matches!(detect(&[row(0, &["集計表", "合計"])], &m), Detection::Ignored { .. }));
        let late = vec![row(25, &["実施日", "派遣先区分", "派遣先名", "職種", "受講者数"])];
        assert!(matches!(detect(&late, &m), Detection::Ignored { .. }));
    }

    #[test]
    fn one_cache_across_the_sheets_of_a_workbook_gives_each_row_its_own_answer() {
        let m = Mapping::embedded();
        let mut cache = HeaderCache::default();
        let dispatch = row(2, &["実施日", "派遣先区分", "派遣先名", "職種", "受講者数\n（人）"]);
        let title = row(0, &["令和5年度 派遣実績一覧", "実施日"]);
        for _ in 0..2 {
            assert!(detect_row(title.0, &title.1, &m, &mut cache).is_none());
            match detect_row(dispatch.0, &dispatch.1, &m, &mut cache) {
                Some(Detection::Dataset { dataset, header_row, columns }) => {
                    assert_eq!((dataset, header_row), (DatasetId::Dispatches, 2));
                    let trainees = columns.iter().find(|c| c.field == "trainees").expect("trainees");
                    assert_eq!((trainees.col, trainees.header.as_str()), (4, "受講者数\n（人）"));
                }
                other => panic!("{other:?}"),
            }
        }
        // The texts were normalised once each, whatever the number of rows.
        assert_eq!(cache.fields.len(), 6);
    }

    #[test]
    fn equal_matches_are_ambiguous() {
        let m = Mapping::embedded();
        // outreach matches 開催日, 区分, 受講者数, 会場 (4); trainings matches
        // 開催日, 区分, 受講者数, 交通費 (4): a tie.
        let rows = vec![row(0, &["開催日", "区分", "受講者数", "会場", "交通費"])];
        match detect(&rows, &m) {
            Detection::Ambiguous { candidates, .. } => {
                assert!(candidates.contains(&DatasetId::Outreach));
                assert!(candidates.contains(&DatasetId::Trainings));
            }
            other => panic!("{other:?}"),
        }
    }
}
