//! Ingest: the drop folder → raw rows with their cell positions.
//!
//! Walks the folder, reads every workbook with calamine, finds each sheet's
//! header row and record type (by headers, never by names), and hands on the
//! data rows below it, cell by cell, untouched. Nothing here interprets a
//! value; that is `normalise`'s job. This is the only stage that reads files.

pub mod cfb_check;
mod grid;
pub mod header;
pub mod limits;
pub mod ods_merges;
mod package;
mod repack;
mod sheet_layout;
pub mod walk;
pub mod workbook;
pub mod xlsb_merges;
pub mod xlsx_merges;

use crate::mapping::Mapping;
use crate::schema::DatasetId;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Why a drop folder could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("入力フォルダー {0} がありません。--input に、ブックを置いたフォルダーを指定してください")]
    Missing(String),
    #[error("{0} はフォルダーではありません。--input には、ブックを置いたフォルダーを指定してください")]
    NotADirectory(String),
}

/// Reads the drop folder: every file listed, every workbook read, every
/// sheet's record type detected. A file that cannot be read is recorded with
/// the reason and the rest goes on.
pub fn ingest(root: &Path, mapping: &Mapping, progress: bool) -> Result<Ingested, IngestError> {
    let found = list(root)?;
    let bar = progress_bar(progress, &found);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let out = read_found(found, mapping, &bar, threads);
    bar.finish_and_clear();
    Ok(out)
}

/// Every file under the drop folder, in path order (see [`walk::walk`]).
pub fn list(root: &Path) -> Result<Vec<walk::Found>, IngestError> {
    if !root.exists() {
        return Err(IngestError::Missing(root.display().to_string()));
    }
    if !root.is_dir() {
        return Err(IngestError::NotADirectory(root.display().to_string()));
    }
    Ok(crate::timing::time(crate::timing::Stage::ListOpen, || walk::walk(root)))
}

/// What reading one workbook gave: its size, hash and sheets, or why not.
struct ReadResult {
    size: u64,
    sha256: Option<String>,
    sheets: Result<Vec<RawSheet>, String>,
}

fn read_one(path: &Path, rel: &str, ext: &str, mapping: &Mapping) -> ReadResult {
    let start = std::time::Instant::now();
    let read = std::fs::read(path);
    crate::timing::add(crate::timing::Stage::ListOpen, start.elapsed());
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            return ReadResult {
                size: 0,
                sha256: None,
                sheets: Err(format!(
                    "ファイルを読めません（{e}）。ほかのアプリで開いていないか、アクセス権があるかを確かめてください"
                )),
            };
        }
    };
    let size = bytes.len() as u64;
    let sha256 = Some(crate::timing::time(crate::timing::Stage::ListOpen, || hex(&Sha256::digest(&bytes))));
    if bytes.is_empty() {
        let reason =
            "空のファイル（0バイト）です。保存が途中で終わった可能性があります。元のブックを置き直してください";
        return ReadResult { size, sha256, sheets: Err(reason.into()) };
    }
    ReadResult { size, sha256, sheets: workbook::read_workbook_guarded(rel, &bytes, ext, mapping) }
}

/// Reads listed files: workbooks in parallel (one per core), results merged
/// in path order; a file whose content equals an earlier one's is listed as
/// a duplicate and its sheets dropped.
/// `bar` advances once per workbook; `threads` workbooks are read at once.
pub fn read_found(
    found: Vec<walk::Found>,
    mapping: &Mapping,
    bar: &indicatif::ProgressBar,
    threads: usize,
) -> Ingested {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let books: Vec<(usize, &Path, &str, &str)> = found
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.kind {
            walk::FoundKind::Workbook(ext) => Some((i, f.path.as_path(), f.rel.as_str(), ext.as_str())),
            walk::FoundKind::Skip(_) => None,
        })
        .collect();
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, books.len().max(1));
    let mut results: Vec<Option<ReadResult>> = (0..found.len()).map(|_| None).collect();
    if threads == 1 {
        // One at a time (a roll-up's corner): on this thread, no worker spawned.
        for &(i, path, rel, ext) in &books {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_one(path, rel, ext, mapping)));
            results[i] = r.ok();
            bar.inc(1);
        }
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let k = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&(i, path, rel, ext)) = books.get(k) else { break };
                            done.push((i, read_one(path, rel, ext, mapping)));
                            bar.inc(1);
                        }
                        done
                    })
                })
                .collect();
            for w in workers {
                if let Ok(done) = w.join() {
                    for (i, r) in done {
                        results[i] = Some(r);
                    }
                }
            }
        });
    }

    let mut out = Ingested::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (f, result) in found.into_iter().zip(results) {
        let (file, path) = (f.rel, f.path);
        let outcome = match (f.kind, result) {
            (walk::FoundKind::Skip(reason), _) => {
                let size = std::fs::symlink_metadata(&path).map(|m| if m.is_dir() { 0 } else { m.len() }).unwrap_or(0);
                out.files.push(InputFile { file, size, sha256: None, outcome: FileOutcome::Skipped { reason } });
                continue;
            }
            (walk::FoundKind::Workbook(_), None) => {
                let reason =
                    "読み込み中に内部エラーが起きました。ファイルをExcelで開いて保存し直してください".to_string();
                out.files.push(InputFile { file, size: 0, sha256: None, outcome: FileOutcome::Unreadable { reason } });
                continue;
            }
            (walk::FoundKind::Workbook(_), Some(r)) => r,
        };
        let ReadResult { size, sha256, sheets } = outcome;
        if let Some(first) = sha256.as_ref().and_then(|h| seen.get(h)) {
            let outcome = FileOutcome::Duplicate { of: first.clone() };
            out.files.push(InputFile { file, size, sha256, outcome });
            continue;
        }
        let outcome = match sheets {
            Ok(sheets) => {
                if let Some(h) = &sha256 {
                    seen.insert(h.clone(), file.clone());
                }
                let n = sheets.len();
                out.sheets.extend(sheets);
                FileOutcome::Read { sheets: n }
            }
            Err(reason) => FileOutcome::Unreadable { reason },
        };
        out.files.push(InputFile { file, size, sha256, outcome });
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A progress bar on a terminal for runs with many workbooks; hidden in CI,
/// when stderr is not a terminal, or when `progress` is off.
fn progress_bar(progress: bool, found: &[walk::Found]) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let books = found.iter().filter(|f| matches!(f.kind, walk::FoundKind::Workbook(_))).count() as u64;
    let show = progress && books >= 8 && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(books);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} ブック  {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// Everything read from one drop folder.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Every file met in the folder, read or not, in path order.
    pub files: Vec<InputFile>,
    /// Every sheet of every readable workbook, in file then sheet order.
    pub sheets: Vec<RawSheet>,
}

/// One file of the drop folder and what came of it.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// Path relative to the drop folder, with `/` separators.
    pub file: String,
    pub size: u64,
    /// SHA-256 of the content, when it could be read.
    pub sha256: Option<String>,
    pub outcome: FileOutcome,
}

/// What the run did with a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileOutcome {
    /// Read as a workbook with this many sheets.
    Read { sheets: usize },
    /// Not a workbook we read (lock file, hidden file, other type): listed only.
    Skipped { reason: String },
    /// A workbook that could not be read; `reason` says why and what to do.
    Unreadable { reason: String },
    /// Byte-for-byte the same as an earlier file: counted once.
    Duplicate { of: String },
}

/// One worksheet, with its detected record type and its data rows.
#[derive(Debug, Clone)]
pub struct RawSheet {
    pub file: String,
    pub sheet: String,
    pub hidden: bool,
    /// The workbook counts dates from 1904 (old Mac Excel): plain numbers in
    /// date columns are serials in that system.
    pub is_1904: bool,
    pub detection: Detection,
    /// Rows below the header row up to the last non-empty one that hold at
    /// least one cell. Empty when the sheet was not recognised.
    pub rows: Vec<RawRow>,
    /// Rows in that span with no cell at all (blank rows, counted only).
    pub blank_rows: usize,
    /// The texts of the rows above the header row (title lines such as
    /// 「令和5年度 若年者ものづくり競技大会 参加者一覧」), in order.
    pub titles: Vec<String>,
}

/// What a sheet was recognised as.
#[derive(Debug, Clone, PartialEq)]
pub enum Detection {
    /// The header row (0-based) holds every required header of `dataset`.
    Dataset { dataset: DatasetId, header_row: u32, columns: Vec<ColumnMatch> },
    /// No dataset's required headers in the first rows.
    Ignored { reason: String },
    /// Two datasets matched equally well.
    Ambiguous { header_row: u32, candidates: Vec<DatasetId> },
}

/// A schema field found in a header cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMatch {
    pub field: &'static str,
    /// 0-based column index.
    pub col: u32,
    /// The header text as written.
    pub header: String,
}

/// One data row: the cells of the matched columns, in `columns` order.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 0-based sheet row index (A1 row number is `row + 1`).
    pub row: u32,
    pub cells: Vec<RawCell>,
    /// The first non-empty cell of the whole row, matched column or not, as
    /// the workbook holds it: normalise reads it to tell a total row.
    pub first: Option<RawCell>,
    /// How much of the row is struck through (見え消し), counting the row's
    /// own non-empty cells of the matched columns (a value filled from a
    /// merged region above is no cell of the row's own).
    pub strike: Strike,
}

/// How much of a row is struck through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Strike {
    #[default]
    None,
    /// Some of its cells, not all: `cell` is the first struck one (an index
    /// into [`RawRow::cells`]).
    Partly { cell: usize },
    /// Every one of its cells: the row is withdrawn.
    Whole,
}

/// A cell as the workbook holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A cell formatted as a date: the Excel serial and the workbook's epoch.
    Date {
        serial: f64,
        is_1904: bool,
    },
    /// An ISO 8601 date or date-time (ODS).
    DateIso(String),
    /// An Excel error such as `#N/A`.
    Error(String),
}

impl RawCell {
    pub fn is_empty(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(s) => s.trim().is_empty(),
            RawCell::Int(_)
            | RawCell::Float(_)
            | RawCell::Bool(_)
            | RawCell::Date { .. }
            | RawCell::DateIso(_)
            | RawCell::Error(_) => false,
        }
    }
}

/// `A1` notation for a 0-based (row, col).
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ASCII"), row + 1)
}

#[cfg(test)]
mod tests {
    use super::a1;

    #[test]
    fn a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(13, 3), "D14");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
