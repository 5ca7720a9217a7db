//! One workbook → its sheets as raw rows.
//!
//! Reads from bytes already in memory (the same bytes are hashed), picks the
//! calamine reader by extension and falls back to sniffing the content (a
//! `.xls` that is really an `.xlsx`), inflates a zip-based workbook's parts
//! once for calamine and the merge readers ([`super::repack`]), fills merged
//! cells, finds each sheet's header row and copies the data rows below it.
//!
//! Merged regions come from calamine for `.xls`, from a search of each
//! sheet's part for `.xlsx`/`.xlsm` ([`super::xlsx_merges`], calamine as the
//! fallback), and from the file itself for `.ods` ([`super::ods_merges`])
//! and `.xlsb` ([`super::xlsb_merges`]), where calamine 0.38 gives none;
//! every format then fills them the same way ([`super::grid::Grid::merge`]).

use super::grid::{Grid, GridCell};
use super::header::{HEADER_SCAN_ROWS, HeaderCache, INSTRUCTIONS_TITLE, detect_row, instructions_reason, not_found};
use super::ods_merges::{self, OdsSheets};
use super::xlsb_merges::XlsbMerges;
use super::xlsx_merges::XlsxMerges;
use super::{Detection, RawCell, RawRow, RawSheet, Strike};
use crate::mapping::Mapping;
use calamine::{Dimensions, Ods, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsb, Xlsx, open_workbook_auto_from_rs};
use std::io::Cursor;

pub use super::limits::{MAX_CELLS_PER_SHEET, MAX_MERGE_REGIONS, MAX_PART_BYTES, MAX_TOTAL_BYTES};

type Book<'a> = Sheets<Cursor<&'a [u8]>>;

/// Opens a workbook from its bytes. `Err` is a Japanese reason with a fix.
fn open<'a>(bytes: &'a [u8], ext: &str) -> Result<Book<'a>, String> {
    let by_ext: Result<Book<'a>, calamine::Error> = match ext {
        "xlsx" | "xlsm" => Xlsx::new(Cursor::new(bytes)).map(Sheets::Xlsx).map_err(Into::into),
        "xls" => Xls::new(Cursor::new(bytes)).map(Sheets::Xls).map_err(Into::into),
        "xlsb" => Xlsb::new(Cursor::new(bytes)).map(Sheets::Xlsb).map_err(Into::into),
        "ods" => Ods::new(Cursor::new(bytes)).map(Sheets::Ods).map_err(Into::into),
        other => return Err(format!("拡張子 .{other} のファイルは読み込めません")),
    };
    match by_ext {
        Ok(book) => Ok(book),
        Err(first) => {
            if is_password_error(&first) {
                return Err(password_reason());
            }
            // A workbook saved under the wrong extension still opens.
            open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
                if is_password_error(&e) {
                    password_reason()
                } else {
                    format!(
                        "ブックとして読み込めません（{}）。ファイルが壊れているか、Excel形式ではありません。\
                         Excelで開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください",
                        short(&first.to_string())
                    )
                }
            })
        }
    }
}

fn is_password_error(e: &calamine::Error) -> bool {
    use calamine::{OdsError, XlsError, XlsxError};
    matches!(
        e,
        calamine::Error::Xlsx(XlsxError::Password)
            | calamine::Error::Xls(XlsError::Password)
            | calamine::Error::Ods(OdsError::Password)
    ) || e.to_string().to_lowercase().contains("password")
}

fn password_reason() -> String {
    "パスワードで保護（暗号化）されたブックは読み込めません。パスワードを解除したコピーを置いてください".to_string()
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// Refuses a zip-based workbook whose parts inflate beyond the limits.
fn check_zip_sizes(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip: the reader reports what is wrong
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else { continue };
        let size = entry.size();
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return Err(format!(
                "展開すると大きすぎるブックです（{} が {} MiB 以上）。圧縮爆弾の可能性があるため読み込みません。\
                 本物の記録なら、不要なシートや書式を消して保存し直してください",
                name,
                size.max(total) >> 20
            ));
        }
    }
    // A worksheet part that is not worksheet XML (garbage bytes) would read
    // as an empty sheet: say the workbook is damaged instead.
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else { continue };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        let mut head = Vec::with_capacity(1024);
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(&mut entry, 1024), &mut head);
        let head = String::from_utf8_lossy(&head);
        if !head.contains("worksheet") {
            return Err(format!(
                "ブックの中のシート（{name}）が壊れています。Excelで開いて「名前を付けて保存」し直すか、元のブックを置き直してください"
            ));
        }
    }
    Ok(())
}

/// Where a workbook's merged regions come from.
enum MergeSource<'a> {
    /// calamine's (.xls).
    Calamine,
    /// Searched in each sheet's part (.xlsx/.xlsm; `None`: no readable
    /// sheet list, so calamine's).
    Xlsx(Option<XlsxMerges<'a>>),
    /// Read from `content.xml` before calamine opened the workbook.
    Ods(OdsSheets),
    /// Read from each sheet's records (`None`: no readable sheet list).
    Xlsb(Option<XlsbMerges<'a>>),
}

/// The merged regions of an .ods's `content.xml` when the bytes hold one
/// (any zip with that part may end up read as .ods), before calamine reads
/// it: a part ending inside a table is refused here, since calamine 0.38
/// loops forever on it.
fn scan_ods(bytes: &[u8]) -> Result<Option<OdsSheets>, String> {
    let has_content = zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|z| z.index_for_name("content.xml").is_some());
    if !has_content {
        return Ok(None);
    }
    ods_merges::read_sheets(bytes).map(Some).map_err(|_| {
        "ブックの中身（content.xml）が途中で切れています。保存が途中で終わったか、壊れたファイルです。\
         元のブックを置き直すか、LibreOffice/Excelで開いて保存し直してください"
            .to_string()
    })
}

/// [`read_workbook`], with a panic inside the reader (calamine has some on
/// crafted .xls formulas, found by fuzzing) turned into an unreadable file:
/// one hostile file never ends the run.
pub fn read_workbook_guarded(file: &str, bytes: &[u8], ext: &str, mapping: &Mapping) -> Result<Vec<RawSheet>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_workbook(file, bytes, ext, mapping))).unwrap_or_else(
        |_| {
            Err("読み込み中にエラーが起きました（ブックの内部が壊れています）。Excelで開いて「名前を付けて保存」で .xlsx として保存し直してください"
                .to_string())
        },
    )
}

/// Reads every worksheet of a workbook. `Err` when the workbook as a whole
/// cannot be opened; a single unreadable sheet becomes an ignored sheet.
pub fn read_workbook(file: &str, bytes: &[u8], ext: &str, mapping: &Mapping) -> Result<Vec<RawSheet>, String> {
    use crate::timing::{Stage, add};
    let start = std::time::Instant::now();
    check_zip_sizes(bytes)?;
    super::cfb_check::check(bytes)?;
    // Every part inflated once; the readers below share the stored copy.
    let repacked = super::repack::stored(bytes);
    let opened = open_checked(repacked.as_deref().unwrap_or(bytes), ext);
    add(Stage::ListOpen, start.elapsed());
    let (mut book, mut merges, is_1904) = opened?;
    let start = std::time::Instant::now();
    let sheets = read_sheets(file, &mut book, &mut merges, is_1904, mapping);
    add(Stage::ParseCells, start.elapsed());
    Ok(sheets)
}

/// The workbook opened (after the size and format checks), with where its
/// merged regions come from and its date system.
fn open_checked<'a>(bytes: &'a [u8], ext: &str) -> Result<(Book<'a>, MergeSource<'a>, bool), String> {
    let ods = scan_ods(bytes)?;
    let book = open(bytes, ext)?;
    let merges = match &book {
        Sheets::Ods(_) => MergeSource::Ods(ods.unwrap_or_default()),
        Sheets::Xlsb(_) => MergeSource::Xlsb(XlsbMerges::open(bytes)),
        Sheets::Xlsx(_) => MergeSource::Xlsx(XlsxMerges::open(bytes)),
        Sheets::Xls(_) => MergeSource::Calamine,
    };
    let is_1904 = match &book {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        Sheets::Xlsb(x) => x.has_1904_epoch(),
        Sheets::Ods(_) => false,
    };
    Ok((book, merges, is_1904))
}

/// Every worksheet of an opened workbook as raw rows.
fn read_sheets(
    file: &str,
    book: &mut Book<'_>,
    merges: &mut MergeSource<'_>,
    is_1904: bool,
    mapping: &Mapping,
) -> Vec<RawSheet> {
    let metas: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::with_capacity(metas.len());
    let mut cache = HeaderCache::default();
    for (name, hidden) in metas {
        let one = OneSheet { file, name: &name, hidden, mapping, headers: &mut cache };
        let sheet = read_one_sheet(book, merges, is_1904, one).unwrap_or_else(|reason| RawSheet {
            file: file.to_string(),
            sheet: name,
            hidden,
            is_1904,
            detection: Detection::Ignored { reason },
            rows: Vec::new(),
            blank_rows: 0,
            titles: Vec::new(),
        });
        sheets.push(sheet);
    }
    sheets
}

/// Reads a sheet's cells: streamed for .xlsx/.xlsb (memory follows the
/// cells present; shared strings stay borrowed from the workbook), through
/// calamine's range for .xls/.ods; then fills its merged regions, whatever
/// the format, and reads its header and data rows.
fn read_one_sheet(
    book: &mut Book<'_>,
    merges: &mut MergeSource<'_>,
    is_1904: bool,
    one: OneSheet<'_>,
) -> Result<RawSheet, String> {
    let name = one.name;
    let too_big = || {
        format!(
            "セルが多すぎるシートです（{MAX_CELLS_PER_SHEET} 個を超えています）。記録の表だけを別のブックに写して置いてください"
        )
    };
    let unreadable =
        |e: String| format!("シートを読み込めません（{}）。シートをコピーし直して保存してください", short(&e));
    // The merged regions first: the cells below borrow the workbook.
    let regions = merge_regions(book, merges, name);
    match book {
        Sheets::Xlsx(x) => {
            let mut grid = Grid::new(is_1904);
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(e.to_string()))?;
            // Struck-through fonts (見え消し), read in the same pass, only when
            // the workbook's styles define one.
            let struck: Vec<bool> = reader
                .styles()
                .iter()
                .map(|s| s.font.as_ref().is_some_and(calamine::Font::has_strikethrough))
                .collect();
            if struck.contains(&true) {
                while let Some((cell, style)) =
                    reader.next_cell_with_style_id().map_err(|e| unreadable(e.to_string()))?
                {
                    let (r, c) = cell.get_position();
                    if struck.get(style).copied().unwrap_or(false) && !cell.get_value().is_blank() {
                        grid.strike(r, c);
                    }
                    if !grid.insert(r, c, cell.get_value().clone()) {
                        return Err(too_big());
                    }
                }
            } else {
                while let Some(cell) = reader.next_cell().map_err(|e| unreadable(e.to_string()))? {
                    let (r, c) = cell.get_position();
                    if !grid.insert(r, c, cell.get_value().clone()) {
                        return Err(too_big());
                    }
                }
            }
            finish(grid, &regions, &[], one)
        }
        Sheets::Xlsb(x) => {
            let mut grid = Grid::new(is_1904);
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(e.to_string()))? {
                let (r, c) = cell.get_position();
                if !grid.insert(r, c, cell.get_value().clone()) {
                    return Err(too_big());
                }
            }
            finish(grid, &regions, &[], one)
        }
        Sheets::Xls(_) | Sheets::Ods(_) => {
            let range = book.worksheet_range(name).map_err(|e| unreadable(e.to_string()))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut grid = Grid::new(is_1904);
            for (r, c, v) in range.used_cells() {
                if !grid.insert(r0 + r as u32, c0 + c as u32, v.clone()) {
                    return Err(too_big());
                }
            }
            let struck = match merges {
                MergeSource::Ods(sheets) => sheets.struck(name),
                _ => &[],
            };
            finish(grid, &regions, struck, one)
        }
    }
}

/// A loaded sheet's grid put in order, its merged regions filled, its
/// struck-through cells marked (those the format gives apart), then read.
fn finish<T: GridCell>(
    mut grid: Grid<T>,
    regions: &[Dimensions],
    struck: &[(u32, u32)],
    one: OneSheet<'_>,
) -> Result<RawSheet, String> {
    for &(r, c) in struck {
        grid.strike(r, c);
    }
    grid.seal();
    grid.merge(regions)?;
    Ok(read_sheet(one, &grid))
}

/// A sheet's merged regions, from where its format keeps them.
fn merge_regions(book: &mut Book<'_>, merges: &mut MergeSource<'_>, name: &str) -> Vec<Dimensions> {
    match (merges, book) {
        (MergeSource::Xlsx(found), Sheets::Xlsx(x)) => match found.as_mut().and_then(|m| m.sheet(name)) {
            Some(regions) => regions,
            None => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        },
        (MergeSource::Calamine, Sheets::Xlsx(x)) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        (MergeSource::Calamine, Sheets::Xls(x)) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        (MergeSource::Ods(sheets), _) => sheets.merges(name).to_vec(),
        (MergeSource::Xlsb(Some(xlsb)), _) => xlsb.sheet(name),
        (MergeSource::Xlsb(None), _)
        | (MergeSource::Calamine | MergeSource::Xlsx(_), Sheets::Xls(_) | Sheets::Xlsb(_) | Sheets::Ods(_)) => {
            Vec::new()
        }
    }
}

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
struct OneSheet<'r> {
    file: &'r str,
    name: &'r str,
    hidden: bool,
    mapping: &'r Mapping,
    /// Shared by the sheets of a workbook.
    headers: &'r mut HeaderCache,
}

fn read_sheet<T: GridCell>(one: OneSheet<'_>, grid: &Grid<T>) -> RawSheet {
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
