//! The physical layout of the sample workbooks, between the records
//! (`build/`) and the writers (`xlsx.rs`, `ods.rs`): which cell holds what,
//! row by row. `expected_sheets` reads its blank and total rows from here.

use chrono::{Datelike, NaiveDate};

/// How a real date cell is displayed (the value is the same serial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateFmt {
    /// `yyyy/m/d`
    Slash,
    /// `m月d日`
    MonthDay,
    /// `ggge年m月d日` (Japanese era, e.g. 令和5年8月1日)
    Wareki,
}

/// One cell as the generator writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A number cell with the general format (a date serial written this way
    /// is a "plain serial number").
    Num(f64),
    /// A real date cell.
    Date(NaiveDate, DateFmt),
    /// A formula with its cached result (what calamine reads back).
    Formula {
        formula: String,
        result: f64,
    },
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

/// What a data-area row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// A record's row (accepted, rejected or duplicate: the record says).
    Record,
    /// An empty row between records.
    Blank,
    /// A 合計/計 row.
    Total,
}

#[derive(Debug, Clone)]
pub(crate) struct BodyRow {
    pub(crate) kind: BodyKind,
    pub(crate) cells: Vec<Cell>,
}

/// A line above the header row, optionally merged across `span` columns.
#[derive(Debug, Clone)]
pub(crate) struct TopLine {
    /// 0-based row.
    pub(crate) row: u32,
    pub(crate) col: u16,
    pub(crate) text: String,
    /// Number of columns merged (≤ 1 = not merged).
    pub(crate) span: u16,
}

/// A vertical merge in the data area: body indexes `first..=last` in column `col`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyMerge {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) col: u16,
}

#[derive(Debug, Clone)]
pub(crate) struct SheetLayout {
    pub(crate) name: String,
    /// Dataset key, `None` for a sheet no dataset matches.
    pub(crate) dataset: Option<&'static str>,
    pub(crate) top: Vec<TopLine>,
    /// 0-based header row (data starts on the next row).
    pub(crate) header_row: u32,
    pub(crate) headers: Vec<String>,
    /// The generator's field key of each header column (`"date"`,
    /// `"instructor_type"`, …; `"note"`, `"seq"` for extra columns).
    pub(crate) keys: Vec<&'static str>,
    pub(crate) body: Vec<BodyRow>,
    pub(crate) merges: Vec<BodyMerge>,
    /// Free cells of an ignored sheet: (0-based row, cells from column A).
    pub(crate) free: Vec<(u32, Vec<Cell>)>,
    pub(crate) widths: Vec<f64>,
    /// Body cells whose font strikes the text through (見え消し): (body
    /// index, column).
    pub(crate) struck: Vec<(usize, u16)>,
    /// For a copy of another sheet of the workbook (「5月 (2)」): its name.
    pub(crate) copy_of: Option<String>,
}

impl SheetLayout {
    pub(crate) fn new(name: &str, dataset: Option<&'static str>) -> SheetLayout {
        SheetLayout {
            name: name.to_string(),
            dataset,
            top: Vec::new(),
            header_row: 0,
            headers: Vec::new(),
            keys: Vec::new(),
            body: Vec::new(),
            merges: Vec::new(),
            free: Vec::new(),
            widths: Vec::new(),
            struck: Vec::new(),
            copy_of: None,
        }
    }

    /// Whether body cell (`index`, `col`) is struck through.
    pub(crate) fn is_struck(&self, index: usize, col: u16) -> bool {
        self.struck.contains(&(index, col))
    }

    /// The first column a reader matches to a field of the sheet's record
    /// type (where it lists a row as a whole): the generator's own keys
    /// (`seq`, `blank`, `course`, the split counts) name none, nor does a
    /// competition sheet's 備考.
    pub(crate) fn first_matched_col(&self) -> u16 {
        let own = |k: &str| {
            matches!(k, "seq" | "blank" | "course" | "kids" | "adults")
                || (k == "note" && self.dataset == Some("competitions"))
        };
        self.keys.iter().position(|k| !own(k)).map_or(0, |i| i as u16)
    }

    /// 1-based Excel row of body row `index`.
    pub(crate) fn excel_row(&self, index: usize) -> u32 {
        self.header_row + 2 + index as u32
    }

    /// The 0-based column of field `key`, when the sheet has one.
    pub(crate) fn col_of(&self, key: &str) -> Option<u16> {
        self.keys.iter().position(|k| *k == key).map(|i| i as u16)
    }

    /// A total of column `c` over the body rows so far: `=SUM(..)` with the
    /// sum of the record rows' numbers as its cached result.
    pub(crate) fn sum_above(&self, c: u16) -> Cell {
        let result: f64 = self
            .body
            .iter()
            .filter(|r| r.kind == BodyKind::Record)
            .map(|r| match &r.cells[usize::from(c)] {
                Cell::Num(v) => *v,
                _ => 0.0,
            })
            .sum();
        let letter = col_letter(c);
        let (first, last) = (self.excel_row(0), self.excel_row(self.body.len().saturating_sub(1)));
        Cell::Formula { formula: format!("=SUM({letter}{first}:{letter}{last})"), result }
    }
}

/// The file format of a generated workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BookKind {
    Xlsx,
    Ods,
}

#[derive(Debug, Clone)]
pub(crate) struct BookLayout {
    /// Relative path with `/`.
    pub(crate) path: String,
    pub(crate) kind: BookKind,
    /// Document creation time written into the file (fixed: reproducible bytes).
    pub(crate) created: NaiveDate,
    pub(crate) sheets: Vec<SheetLayout>,
}

/// Excel serial number of a date (1900 date system).
pub(crate) fn excel_serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid epoch");
    (d - epoch).num_days() as f64
}

/// `A`, `B`, … `AA` for a 0-based column.
pub(crate) fn col_letter(col: u16) -> String {
    let mut c = u32::from(col) + 1;
    let mut out = Vec::new();
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Year-month key used to pick monthly sheets.
pub(crate) fn ym(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}
