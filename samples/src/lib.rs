//! The bundled sample drop folder (`input-samples/`) and its ground truth.
//!
//! A deterministic generator writes a realistic FY2023 (令和5年度) folder of
//! the Yamaguchi corner: all eight record types across several workbooks
//! (one sheet per month for dispatches, a prior-year workbook whose 派遣番号
//! restart at 001 like this year's, two `.ods` (one with 区分 merged down a
//! course of 熟練技能者 sessions), a workbook mixing three record types, a
//! sub-folder), with the layout and value mess of `datasets.md`, a handful
//! of rows a user must fix (including a conflicting repeat of a 派遣番号 and
//! of a 認定番号) or check (warnings), every office convention the reader
//! understands (rows that did not happen, sessions over several days,
//! repeats without a number, a copied sheet, a count with a note, last
//! year's competition list), plus the files a real folder holds (an Excel
//! lock file, a PDF, a memo). `build/mod.rs` lists what is planted where.
//!
//! The same code that writes the files returns the ground truth, so tests
//! compare a reader against figures that cannot drift from the bytes:
//! - [`sample_set`]: every planted record, typed, with its fate and place;
//! - [`expected_sheets`]: per sheet, the header row and what a reader counts;
//! - [`expected_warnings`]: every warning a reader lists (file, sheet, cell,
//!   kind), the dates outside a sheet's year derived by the contract's rule;
//!   [`expected_warnings_at`] adds those that depend on the plan and the
//!   as-of date (予定 past its date);
//! - [`expected_not_held`]: every row that did not happen, at its cell;
//! - [`expected_skipped_files`]: files a reader lists as skipped;
//! - [`pii_values`]: every personal value planted (for leak tests);
//! - [`SampleSet::kpi_actuals`]: the generator's own arithmetic of each KPI,
//!   for the fiscal year of the as-of date (FY2023, or FY2022).
//!
//! [`national`] writes a national roll-up folder instead: up to 47 corners ×
//! ten fiscal years of workbooks, with the figures each corner planted.
//!
//! Regenerate the folder with
//! `cargo run --release -p corner-kpi-samples -- input-samples`.
//!
//! Its own crate, so the `corner-kpi` binary never compiles it: the tests of
//! `corner-kpi` take it as a dev-dependency.

mod build;
mod data;
mod layout;
mod mess;
mod model;
pub mod national;
mod ods;
mod rng;
mod truth;
mod xlsx;

#[cfg(test)]
mod tests;

pub use model::{
    CheckKind, CompetitionRecord, DataMerge, DispatchRecord, ExpectedSheet, ExpectedWarning, ExpectedWarningKind, Fate,
    IncidentRecord, MeetingRecord, MeisterRecord, NotHeldKind, OutreachRecord, Place, SampleSet, TrainingRecord,
    VisitRecord,
};

use build::files;
use chrono::NaiveDate;
use layout::{BodyKind, BookKind, col_letter};
use std::collections::BTreeSet;
use std::io;
use std::path::Path;

/// Every record planted in the folder (deterministic: the same on every call).
pub fn sample_set() -> SampleSet {
    build::build().set
}

/// Writes the sample folder into `dir` (created if missing; existing files
/// of the same names are overwritten, nothing else is touched).
pub fn write_samples(dir: &Path) -> io::Result<()> {
    let built = build::build();
    for book in &built.books {
        let bytes = match book.kind {
            BookKind::Xlsx => xlsx::xlsx_bytes(book).map_err(io::Error::other)?,
            BookKind::Ods => ods::ods_bytes(book).map_err(io::Error::other)?,
        };
        write_file(dir, &book.path, &bytes)?;
    }
    for (name, bytes) in extra_files() {
        write_file(dir, name, &bytes)?;
    }
    Ok(())
}

/// A cell for [`ods_sheet`].
#[derive(Debug, Clone, PartialEq)]
pub enum PlainCell {
    Empty,
    Text(String),
    Number(f64),
    /// A real date cell (shown `yyyy/mm/dd`).
    Date(NaiveDate),
}

/// A merged range for [`ods_sheet`]: `((first row, first column), (last row,
/// last column))`, 0-based, inclusive.
pub type MergedRange = ((u32, u16), (u32, u16));

/// One sheet of plain rows (`rows[i]` is row `i`, from column A) with merged
/// ranges (the top-left cell keeps its value, the others are written as
/// covered cells), as `.ods` bytes from the generator's own writer. Tests use
/// it to write the rows they also write as `.xlsx`. A range outside a sheet,
/// or ending before it starts, is an error.
pub fn ods_sheet(name: &str, rows: &[Vec<PlainCell>], merges: &[MergedRange]) -> io::Result<Vec<u8>> {
    let rows = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    PlainCell::Empty => layout::Cell::Empty,
                    PlainCell::Text(s) => layout::Cell::Text(s.clone()),
                    PlainCell::Number(v) => layout::Cell::Num(*v),
                    PlainCell::Date(d) => layout::Cell::Date(*d, layout::DateFmt::Slash),
                })
                .collect()
        })
        .collect();
    let mut spans = Vec::with_capacity(merges.len());
    for &((r0, c0), (r1, c1)) in merges {
        // Inside a sheet (1,048,576 rows, 16,384 columns), first before last.
        if r1 < r0 || c1 < c0 || r1 >= 1 << 20 || c1 >= 1 << 14 {
            return Err(io::Error::other(format!("not a merged range of a sheet: {:?}", ((r0, c0), (r1, c1)))));
        }
        spans.push(ods::Span { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 });
    }
    ods::plain_sheet_bytes(name, rows, spans).map_err(io::Error::other)
}

fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = rel.split('/').fold(dir.to_path_buf(), |p, part| p.join(part));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, bytes)
}

/// The non-workbook files of the folder: README, an Excel owner (lock) file,
/// a PDF and a memo. A reader lists each as skipped.
fn extra_files() -> Vec<(&'static str, Vec<u8>)> {
    let lock = lock_file("kikaku01");
    vec![
        (files::README, include_str!("folder-readme.md").as_bytes().to_vec()),
        (files::LOCK, lock),
        (files::PDF, minimal_pdf()),
        (
            files::TXT,
            "月次報告の作業メモ\r\n・毎月5日までに前月分を入力\r\n・9月分の日付未確定2件は要確認\r\n"
                .as_bytes()
                .to_vec(),
        ),
    ]
}

/// Excel's owner (lock) file `~$…xlsx`: a length byte, the user name
/// padded, then UTF-16.
fn lock_file(user: &str) -> Vec<u8> {
    let mut lock = vec![user.len() as u8];
    lock.extend(format!("{user:<53}").as_bytes());
    lock.extend(user.encode_utf16().flat_map(|u| u.to_le_bytes()));
    lock.resize(165, 0x20);
    lock
}

/// A one-page blank PDF (valid enough for a viewer; a reader must skip it).
fn minimal_pdf() -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1));
    for off in offsets {
        out.push_str(&format!("{off:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1));
    out.into_bytes()
}

/// Files a reader must list as skipped (not workbooks, or lock files), in
/// path order.
pub fn expected_skipped_files() -> Vec<String> {
    let mut v: Vec<String> = extra_files().into_iter().map(|(n, _)| n.to_string()).collect();
    v.sort();
    v
}

/// Every workbook file of the folder (relative paths, in path order).
pub fn expected_workbooks() -> Vec<String> {
    let mut v: Vec<String> = build::build().books.into_iter().map(|b| b.path).collect();
    v.sort();
    v
}

/// Per sheet of every workbook (in file then sheet order): the header row and
/// what a correct reader counts. Record counts come from the records' fates
/// and places; blank and total rows from the layout.
pub fn expected_sheets() -> Vec<ExpectedSheet> {
    let built = build::build();
    let fates = all_fates(&built.set);
    let mut out = Vec::new();
    for book in &built.books {
        for sheet in &book.sheets {
            let mine = |f: &&(Place, Fate)| f.0.file == book.path && f.0.sheet == sheet.name;
            let count = |pred: fn(&Fate) -> bool| fates.iter().filter(mine).filter(|f| pred(&f.1)).count() as u32;
            let kind = |k: BodyKind| sheet.body.iter().filter(|r| r.kind == k).count() as u32;
            let is_data = sheet.dataset.is_some();
            // A copied sheet is skipped whole: its total row with its records.
            let copy = sheet.copy_of.is_some();
            let totals = kind(BodyKind::Total);
            out.push(ExpectedSheet {
                file: book.path.clone(),
                sheet: sheet.name.clone(),
                dataset: sheet.dataset,
                header_row: is_data.then_some(sheet.header_row + 1),
                headers: if is_data { sheet.headers.clone() } else { Vec::new() },
                rows_read: if is_data { sheet.body.len() as u32 } else { 0 },
                accepted: count(|f| matches!(f, Fate::Accepted)),
                rejected: count(|f| f.rejected_column().is_some()),
                skipped_blank: kind(BodyKind::Blank),
                skipped_total: if copy { 0 } else { totals },
                skipped_duplicate: count(Fate::is_repeat) + if copy { totals } else { 0 },
                not_held: count(|f| matches!(f, Fate::NotHeld { .. })),
                copy_of: sheet.copy_of.clone(),
                data_merges: sheet
                    .merges
                    .iter()
                    .map(|m| model::DataMerge {
                        col: col_letter(m.col),
                        first_row: sheet.excel_row(m.first),
                        last_row: sheet.excel_row(m.last),
                    })
                    .collect(),
            });
        }
    }
    out
}

/// Every warning a correct reader lists when it reads the folder, sorted:
/// the planted unreadable optional values ([`SampleSet::field_warnings`])
/// and check items ([`SampleSet::check_warnings`]) and, derived from the
/// records and the sheets by `datasets.md`'s rule, every accepted row dated
/// outside its sheet's fiscal year.
pub fn expected_warnings() -> Vec<ExpectedWarning> {
    let built = build::build();
    let mut v = built.set.field_warnings.clone();
    v.extend(built.set.check_warnings.iter().cloned());
    v.extend(truth::date_warnings(&built.set, &built.books));
    v.sort();
    v
}

/// [`expected_warnings`] and those a run at `as_of` with a plan of its
/// fiscal year adds (`Normalised::settle`): each 予定 row dated on or before
/// `as_of` (at its 状況 cell), and each competition entry whose year nothing
/// names when the folder holds accepted dated rows of another fiscal year.
pub fn expected_warnings_at(as_of: NaiveDate) -> Vec<ExpectedWarning> {
    let built = build::build();
    let mut v = expected_warnings();
    v.extend(truth::settled_warnings(&built.set, &built.books, as_of));
    v.sort();
    v
}

/// A row a correct reader lists as not held (`quality.not_held`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExpectedNotHeld {
    pub file: String,
    pub sheet: String,
    /// A1 cell of what says so.
    pub cell: String,
    pub kind: NotHeldKind,
    /// The date read from the row's date cell (`None` when it holds only a
    /// cancellation word).
    pub date: Option<NaiveDate>,
}

/// Every row that did not happen, sorted.
pub fn expected_not_held() -> Vec<ExpectedNotHeld> {
    let set = sample_set();
    let mut v = Vec::new();
    let mut add = |fate: &Fate, place: &Place, date: NaiveDate| {
        if let Fate::NotHeld { kind, cell } = fate {
            v.push(ExpectedNotHeld {
                file: place.file.clone(),
                sheet: place.sheet.clone(),
                cell: cell.clone(),
                kind: *kind,
                date: (*kind != NotHeldKind::DateWord).then_some(date),
            });
        }
    };
    set.dispatches.iter().for_each(|r| add(&r.fate, &r.place, r.date));
    set.outreach.iter().for_each(|r| add(&r.fate, &r.place, r.date));
    set.trainings.iter().for_each(|r| add(&r.fate, &r.place, r.date));
    set.meetings.iter().for_each(|r| add(&r.fate, &r.place, r.date));
    set.visits.iter().for_each(|r| add(&r.fate, &r.place, r.date));
    v.sort();
    v
}

/// (place, fate) of every record of every type.
fn all_fates(set: &SampleSet) -> Vec<(Place, Fate)> {
    let mut v = Vec::new();
    v.extend(set.dispatches.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.outreach.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.meisters.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.trainings.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.competitions.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.meetings.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.visits.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v.extend(set.incidents.iter().map(|r| (r.place.clone(), r.fate.clone())));
    v
}

/// Every personal value planted in the folder: meister and instructor names,
/// competitors' and coordinators' names, incident 概要 texts. Names are
/// written `姓　名` (ideographic space); each is also listed with an ASCII
/// space and with no space, so a leak survives NFKC or trimming in a search.
/// Sorted, no repeats.
pub fn pii_values() -> Vec<String> {
    let set = sample_set();
    let mut raw: BTreeSet<String> = BTreeSet::new();
    raw.extend(set.dispatches.iter().filter_map(|r| r.instructor_name.clone()));
    raw.extend(set.meisters.iter().filter_map(|r| r.name.clone()));
    raw.extend(set.competitions.iter().filter_map(|r| r.name.clone()));
    raw.extend(set.visits.iter().map(|r| r.coordinator.clone()));
    let mut out: BTreeSet<String> = BTreeSet::new();
    for name in raw {
        out.insert(name.replace('\u{3000}', " "));
        out.insert(name.replace('\u{3000}', ""));
        out.insert(name);
    }
    out.extend(set.incidents.iter().filter_map(|r| r.summary.clone()));
    out.into_iter().collect()
}
