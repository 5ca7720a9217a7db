//! A sheet's layout once its cells are in a grid: the header row (one row,
//! or two rows with merged cells), the title lines above it, and the data
//! rows below it with how much of each is struck through.

use super::grid::{Grid, GridCell};
use super::header::{HEADER_SCAN_ROWS, HeaderCache, INSTRUCTIONS_TITLE, detect_row, instructions_reason, not_found};
use super::{Detection, RawCell, RawRow, RawSheet, Strike};
use crate::mapping::Mapping;

/// A header of two rows (merged cells 実施日, 職種 … down both rows, a group
/// 派遣先 over 区分 and 名): when row `h` has a cell merged into the row below,
/// each column's header is its texts of both rows joined (派遣先 + 区分 =
/// 派遣先区分), or the lower text alone, or the upper, whichever first names a
/// field (a cell merged down both rows counts once). Taken when a text of
/// the lower row names a field by itself and the joined row names a record
/// type with at least as many headers as row `h` alone (which may name
/// none); the data then starts below the second row.
fn two_row_header<T: GridCell>(
    grid: &Grid<T>,
    h: u32,
    (c0, c1): (u32, u32),
    mapping: &Mapping,
    headers: &mut HeaderCache,
    alone: Option<&Detection>,
) -> Option<Detection> {
    let below = h + 1;
    let down_both = |c: u32| grid.origin(below, c) == grid.origin(h, c);
    if !(c0..=c1).any(|c| down_both(c) && grid.origin(h, c).0 == h) {
        return None;
    }
    let text = |r: u32, c: u32| match grid.get(r, c) {
        RawCell::Text(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    };
    let mut joined: Vec<(u32, String)> = Vec::new();
    // Whether a text of the lower row names a field by itself: a header row
    // does, a data row (A社, 2023/7/1, 5人) does not.
    let mut lower_names_a_field = false;
    // Or a row of units in brackets ((人), (年/月/日)) under cells merged down into it.
    let (mut lower_texts, mut lower_notes) = (0, 0);
    for c in c0..=c1 {
        if !down_both(c)
            && let Some(bottom) = text(below, c)
        {
            lower_names_a_field |= headers.names_a_field(&bottom, mapping);
            lower_texts += 1;
            lower_notes += usize::from(crate::text::is_bracketed_note(&bottom));
        }
        let header = match (text(h, c), text(below, c)) {
            (top, _) if down_both(c) => top,
            // 派遣先 over 区分, or over 派遣先区分: whichever names a field.
            (Some(top), Some(bottom)) => {
                let both = format!("{top}{bottom}");
                let pick = [both.as_str(), bottom.as_str(), top.as_str()]
                    .into_iter()
                    .find(|t| headers.names_a_field(t, mapping))
                    .map(str::to_string);
                Some(pick.unwrap_or(both))
            }
            (top, bottom) => top.or(bottom),
        };
        joined.extend(header.map(|t| (c, t)));
    }
    let matched = |d: Option<&Detection>| match d {
        Some(Detection::Dataset { columns, .. }) => columns.len(),
        Some(Detection::Ambiguous { .. } | Detection::Ignored { .. }) | None => 0,
    };
    // The lower row must read as headers: one of its own texts names a
    // field. A first data row never does, whatever it holds.
    let lower_is_units = lower_texts > 0 && lower_notes == lower_texts;
    if !(lower_names_a_field || lower_is_units) {
        return None;
    }
    match detect_row(below, &joined, mapping, headers)? {
        d @ Detection::Dataset { .. } if matched(Some(&d)) >= matched(alone) => Some(d),
        _ => None,
    }
}

/// One sheet to read: where it is, and what its header row is matched with.
pub(super) struct OneSheet<'r> {
    pub(super) file: &'r str,
    pub(super) name: &'r str,
    pub(super) hidden: bool,
    pub(super) mapping: &'r Mapping,
    /// Shared by the sheets of a workbook.
    pub(super) headers: &'r mut HeaderCache,
}

pub(super) fn read_sheet<T: GridCell>(one: OneSheet<'_>, grid: &Grid<T>) -> RawSheet {
    let OneSheet { file, name, hidden, mapping, headers } = one;
    let sheet = |detection, rows, blank_rows, titles| RawSheet {
        file: file.to_string(),
        sheet: name.to_string(),
        hidden,
        is_1904: grid.is_1904,
        detection,
        rows,
        blank_rows,
        titles,
    };
    let Some((c0, c1)) = grid.col_span() else {
        return sheet(Detection::Ignored { reason: "空のシートです".to_string() }, Vec::new(), 0, Vec::new());
    };

    // The header row: the first of the first rows whose text cells name a
    // record type. Rows are read only until it is found.
    let mut first_texts: Option<(u32, String)> = None;
    let mut found = None;
    // The texts of a two-row header's rows: a month that repeats both is
    // the header again, not two records.
    let mut two_rows: Vec<Vec<(u32, String)>> = Vec::new();
    for (present, _) in grid.present_rows().take_while(|(p, _)| p.row() < HEADER_SCAN_ROWS) {
        let cells = grid.texts(present, c0, c1);
        let Some((_, first)) = cells.first() else { continue };
        first_texts.get_or_insert_with(|| (present.row(), first.clone()));
        // A row that names a record type alone, or with the row below as
        // a two-row header (派遣先 over 区分 and 名: neither row alone does).
        let alone = detect_row(present.row(), &cells, mapping, headers);
        if let Some(d) = two_row_header(grid, present.row(), (c0, c1), mapping, headers, alone.as_ref()) {
            let lower = grid.present_rows().find(|(p, _)| p.row() == present.row() + 1);
            two_rows = [Some(cells), lower.map(|(p, _)| grid.texts(p, c0, c1))].into_iter().flatten().collect();
            found = Some(d);
            break;
        }
        if let Some(d) = alone {
            found = Some(d);
            break;
        }
    }
    let detection = match found {
        Some(d) => d,
        None if is_instructions(first_texts.as_ref()) => Detection::Ignored { reason: instructions_reason() },
        None => not_found(),
    };
    let Detection::Dataset { header_row, columns, .. } = &detection else {
        return sheet(detection, Vec::new(), 0, Vec::new());
    };
    // The title lines above the header (a sheet may name its fiscal year there).
    let titles: Vec<String> = grid
        .present_rows()
        .take_while(|(p, _)| p.row() < *header_row)
        .map(|(p, _)| grid.texts(p, c0, c1).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect();

    // Data rows: below the header up to the last row holding anything.
    // Rows with no cell at all are only counted (sparse sheets stay cheap).
    let mut rows = Vec::new();
    let last = grid.last_row().filter(|l| l > header_row);
    let mut blank_rows = 0;
    if let Some(last) = last {
        let below = grid.present_rows().skip_while(|(p, _)| p.row() <= *header_row);
        for (present, first) in below {
            if !two_rows.is_empty() && two_rows.contains(&grid.texts(present, c0, c1)) {
                continue; // counted as a blank row below
            }
            let cells: Vec<RawCell> = columns.iter().map(|m| grid.row_get(present, m.col)).collect();
            let strike = if grid.has_struck() { strike(grid, present, columns) } else { Strike::None };
            rows.push(RawRow { row: present.row(), cells, first: Some(first.to_raw(grid.is_1904)), strike });
        }
        blank_rows = (last - header_row) as usize - rows.len();
    }
    sheet(detection, rows, blank_rows, titles)
}

/// How much of a row's own cells in the matched columns are struck through.
fn strike<T: GridCell>(grid: &Grid<T>, row: super::grid::PresentRow, columns: &[super::ColumnMatch]) -> Strike {
    let (mut own, mut struck, mut first) = (0, 0, None);
    for (i, m) in columns.iter().enumerate() {
        match grid.own_struck(row, m.col) {
            Some(true) => {
                own += 1;
                struck += 1;
                first.get_or_insert(i);
            }
            Some(false) => own += 1,
            None => {}
        }
    }
    match first {
        Some(_) if struck == own => Strike::Whole,
        Some(cell) => Strike::Partly { cell },
        None => Strike::None,
    }
}

/// Whether a sheet's first row starts with the instructions title (the
/// 記入のしかた sheet of a blank workbook): `first` is the first row holding
/// text and its first text.
fn is_instructions(first: Option<&(u32, String)>) -> bool {
    first.is_some_and(|(row, text)| *row == 0 && text.trim().starts_with(INSTRUCTIONS_TITLE))
}
