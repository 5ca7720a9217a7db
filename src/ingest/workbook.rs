//! One workbook → its sheets as raw rows.
//!
//! Reads from bytes already in memory (the same bytes are hashed), picks the
//! calamine reader by extension and falls back to sniffing the content (a
//! `.xls` that is really an `.xlsx`), fills merged cells, finds each sheet's
//! header row and copies the data rows below it.

use super::header::{HEADER_SCAN_ROWS, detect};
use super::values::cell_text;
use super::{Detection, RawCell, RawRow, RawSheet};
use crate::mapping::Mapping;
use calamine::{
    Data, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsb, Xlsx, open_workbook_auto_from_rs,
};
use std::collections::HashMap;
use std::io::Cursor;

/// Merged regions larger than this are not filled (a stray merge over a
/// whole column would otherwise copy one value into a million rows).
const MAX_MERGE_FILL_CELLS: u64 = 10_000;

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

fn to_raw(d: &Data, is_1904: bool) -> RawCell {
    match d {
        Data::Empty => RawCell::Empty,
        Data::Int(i) => RawCell::Int(*i),
        Data::Float(f) => RawCell::Float(*f),
        Data::String(s) => RawCell::Text(s.clone()),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(dt) => RawCell::Date { serial: dt.as_f64(), is_1904 },
        Data::DateTimeIso(s) => RawCell::DateIso(s.clone()),
        Data::DurationIso(s) => RawCell::Text(s.clone()),
        Data::Error(e) => RawCell::Error(e.to_string()),
    }
}

/// A sheet's cells with merged regions filled from their top-left cell.
struct Grid<'r> {
    range: &'r Range<Data>,
    merged_origin: HashMap<(u32, u32), (u32, u32)>,
    is_1904: bool,
}

impl Grid<'_> {
    fn get(&self, row: u32, col: u32) -> RawCell {
        let at = self.merged_origin.get(&(row, col)).copied().unwrap_or((row, col));
        self.range.get_value(at).map_or(RawCell::Empty, |d| to_raw(d, self.is_1904))
    }
}

/// Reads every worksheet of a workbook. `Err` when the workbook as a whole
/// cannot be opened; a single unreadable sheet becomes an ignored sheet.
pub fn read_workbook(file: &str, bytes: &[u8], ext: &str, mapping: &Mapping) -> Result<Vec<RawSheet>, String> {
    let mut book = open(bytes, ext)?;
    let is_1904 = match &book {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        Sheets::Xlsb(x) => x.has_1904_epoch(),
        Sheets::Ods(_) => false,
    };
    let metas: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::with_capacity(metas.len());
    for (name, hidden) in metas {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                sheets.push(RawSheet {
                    file: file.to_string(),
                    sheet: name,
                    hidden,
                    is_1904,
                    detection: Detection::Ignored {
                        reason: format!(
                            "シートを読み込めません（{}）。シートをコピーし直して保存してください",
                            short(&e.to_string())
                        ),
                    },
                    rows: Vec::new(),
                });
                continue;
            }
        };
        let merges: Vec<Dimensions> = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
        };
        sheets.push(read_sheet(file, &name, hidden, &range, &merges, is_1904, mapping));
    }
    Ok(sheets)
}

fn read_sheet(
    file: &str,
    name: &str,
    hidden: bool,
    range: &Range<Data>,
    merges: &[Dimensions],
    is_1904: bool,
    mapping: &Mapping,
) -> RawSheet {
    let mut merged_origin = HashMap::new();
    for m in merges {
        let cells = (u64::from(m.end.0 - m.start.0) + 1) * (u64::from(m.end.1 - m.start.1) + 1);
        if m.end.0 < m.start.0 || m.end.1 < m.start.1 || cells > MAX_MERGE_FILL_CELLS {
            continue;
        }
        for r in m.start.0..=m.end.0 {
            for c in m.start.1..=m.end.1 {
                if (r, c) != m.start {
                    merged_origin.insert((r, c), m.start);
                }
            }
        }
    }
    let grid = Grid { range, merged_origin, is_1904 };
    let empty = |detection| RawSheet {
        file: file.to_string(),
        sheet: name.to_string(),
        hidden,
        is_1904,
        detection,
        rows: Vec::new(),
    };
    let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else {
        return empty(Detection::Ignored { reason: "空のシートです".to_string() });
    };

    // Header candidates: the text cells of the first rows.
    let mut candidates = Vec::new();
    for r in r0..=r1.min(HEADER_SCAN_ROWS.saturating_sub(1)) {
        let cells: Vec<(u32, String)> = (c0..=c1)
            .filter_map(|c| match grid.get(r, c) {
                RawCell::Text(t) if !t.trim().is_empty() => Some((c, t)),
                _ => None,
            })
            .collect();
        if !cells.is_empty() {
            candidates.push((r, cells));
        }
    }
    let detection = detect(&candidates, mapping);
    let Detection::Dataset { header_row, columns, .. } = &detection else {
        return empty(detection);
    };

    // Data rows: below the header up to the last row holding anything.
    let row_has_content = |r: u32| (c0..=c1).any(|c| !grid.get(r, c).is_empty());
    let last = (header_row + 1..=r1).rev().find(|&r| row_has_content(r));
    let mut rows = Vec::new();
    if let Some(last) = last {
        rows.reserve((last - header_row) as usize);
        for r in header_row + 1..=last {
            let cells: Vec<RawCell> = columns.iter().map(|m| grid.get(r, m.col)).collect();
            let first_text = (c0..=c1).map(|c| grid.get(r, c)).find(|v| !v.is_empty()).and_then(|v| cell_text(&v));
            rows.push(RawRow { row: r, cells, first_text });
        }
    }
    RawSheet { file: file.to_string(), sheet: name.to_string(), hidden, is_1904, detection, rows }
}
