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
use super::header::HeaderCache;
use super::ods_merges::{self, OdsSheets};
use super::sheet_layout::{OneSheet, read_sheet};
use super::xlsb_merges::XlsbMerges;
use super::xlsx_merges::XlsxMerges;
use super::{Detection, RawSheet};
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
    let sheets = ods_merges::read_sheets(bytes).map_err(|_| {
        "ブックの中身（content.xml）が途中で切れています。保存が途中で終わったか、壊れたファイルです。\
         元のブックを置き直すか、LibreOffice/Excelで開いて保存し直してください"
            .to_string()
    })?;
    // calamine lays every sheet out densely from its first valued cell to its last.
    if let Some((name, rows, cols)) =
        sheets.areas.iter().find(|(_, r, c)| r.saturating_mul(*c) > super::cfb_check::MAX_XLS_AREA)
    {
        return Err(format!(
            "シート「{name}」は、使われている範囲（{rows} 行 × {cols} 列、約 {} 万セル）が広すぎて .ods のままでは読み込めません（この形式は範囲全体を一度に読むため）。\
             記録の表の外に入っている値の行・列を削除してから、.xlsx で保存し直してください",
            rows.saturating_mul(*cols) / 10_000
        ));
    }
    Ok(Some(sheets))
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
