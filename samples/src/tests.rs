//! Tests of the sample generator: the folder is reproducible, every workbook
//! opens with calamine, headers and merges are where `expected_sheets` says,
//! the header rule of `datasets.md` (with the default `mapping.toml`) finds
//! the intended dataset on every sheet, and a small independent reader
//! recovers every accepted record's values from the cells (and fails exactly
//! on the column a rejected record names).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use calamine::{Data, Reader, Xlsx, open_workbook, open_workbook_auto};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A fresh scratch directory under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corner-kpi-samples-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The folder, generated once per test binary.
fn folder() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("shared");
        write_samples(&dir).unwrap();
        dir
    })
}

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn range(file: &str, sheet: &str) -> calamine::Range<Data> {
    let mut wb = open_workbook_auto(folder().join(file)).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

fn cell(r: &calamine::Range<Data>, row1: u32, col: usize) -> Data {
    r.get_value((row1 - 1, col as u32)).cloned().unwrap_or(Data::Empty)
}

// ---------------------------------------------------------------------------
// Reproducibility and the folder's files

#[test]
fn folder_is_byte_identical_across_generations() {
    let a = scratch("gen-a");
    let b = scratch("gen-b");
    write_samples(&a).unwrap();
    write_samples(&b).unwrap();
    let (fa, fb) = (files_under(&a), files_under(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between two generations");
    }
    // Writing again over an existing folder changes nothing.
    write_samples(&a).unwrap();
    assert_eq!(files_under(&a), fa);
}

#[test]
fn bundled_input_samples_are_up_to_date() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../input-samples");
    let (have, want) = (files_under(&bundled), files_under(folder()));
    assert_eq!(have.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (name, bytes) in &want {
        assert!(
            &have[name] == bytes,
            "input-samples/{name} is stale: run `cargo run --release -p corner-kpi-samples -- input-samples`"
        );
    }
}

#[test]
fn folder_holds_exactly_the_workbooks_and_skipped_files() {
    let found: BTreeSet<String> = files_under(folder()).into_keys().collect();
    let mut expected: BTreeSet<String> = expected_workbooks().into_iter().collect();
    expected.extend(expected_skipped_files());
    assert_eq!(found, expected);
    assert!(found.iter().any(|f| f.contains('/')), "one sub-folder at least");
    assert!(found.iter().any(|f| f.ends_with(".ods")));
    assert!(expected_skipped_files().iter().any(|f| f.starts_with("~$")));
    assert!(expected_skipped_files().iter().any(|f| f.ends_with(".pdf")));
    assert!(expected_skipped_files().iter().any(|f| f.ends_with(".txt")));
}

#[test]
fn every_workbook_opens_and_has_exactly_the_expected_sheets() {
    let sheets = expected_sheets();
    for file in expected_workbooks() {
        let wb = open_workbook_auto(folder().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let names = wb.sheet_names();
        let want: Vec<String> = sheets.iter().filter(|s| s.file == file).map(|s| s.sheet.clone()).collect();
        assert_eq!(names, want, "{file}");
    }
    // Some sheets are ignored (free text), all others are datasets.
    assert!(sheets.iter().filter(|s| s.dataset.is_none()).count() >= 2);
    let datasets: BTreeSet<&str> = sheets.iter().filter_map(|s| s.dataset).collect();
    assert_eq!(datasets.len(), 8, "all eight record types: {datasets:?}");
}

// ---------------------------------------------------------------------------
// Layout: headers, counts, totals, merges

#[test]
fn header_cells_are_where_expected() {
    for s in expected_sheets().iter().filter(|s| s.dataset.is_some()) {
        let r = range(&s.file, &s.sheet);
        let h = s.header_row.unwrap();
        for (c, text) in s.headers.iter().enumerate() {
            let got = cell(&r, h, c);
            if text.is_empty() {
                assert_eq!(got, Data::Empty, "{} {} col {c}", s.file, s.sheet);
            } else {
                assert_eq!(got, Data::String(text.clone()), "{} {} col {c}", s.file, s.sheet);
            }
        }
    }
}

fn row_is_empty(r: &calamine::Range<Data>, row1: u32) -> bool {
    let width = r.end().map_or(0, |e| e.1 + 1);
    (0..width).all(|c| {
        matches!(cell(r, row1, c as usize), Data::Empty)
            || matches!(cell(r, row1, c as usize), Data::String(ref s) if s.trim().is_empty())
    })
}

fn first_text(r: &calamine::Range<Data>, row1: u32) -> Option<String> {
    let width = r.end().map_or(0, |e| e.1 + 1);
    (0..width).map(|c| cell(r, row1, c as usize)).find(|v| !matches!(v, Data::Empty)).map(|v| v.to_string())
}

#[test]
fn per_sheet_counts_reconcile_with_the_cells() {
    for s in expected_sheets() {
        assert_eq!(
            s.rows_read,
            s.accepted + s.rejected + s.skipped_blank + s.skipped_total + s.skipped_duplicate + s.not_held,
            "{} {}",
            s.file,
            s.sheet
        );
        let Some(h) = s.header_row else {
            assert_eq!(s.rows_read, 0);
            continue;
        };
        let r = range(&s.file, &s.sheet);
        let last = r.end().unwrap().0 + 1;
        assert!(!row_is_empty(&r, last));
        assert_eq!(s.rows_read, last - h, "{} {}: rows up to the last non-empty one", s.file, s.sheet);
        let blanks = (h + 1..=last).filter(|&row| row_is_empty(&r, row)).count() as u32;
        assert_eq!(blanks, s.skipped_blank, "{} {}", s.file, s.sheet);
        let totals = (h + 1..=last)
            .filter(|&row| matches!(first_text(&r, row).as_deref(), Some("合計" | "計" | "小計" | "総計")))
            .count() as u32;
        // A copied sheet is skipped whole, its total row with its records.
        let skipped_totals = if s.copy_of.is_some() { 0 } else { totals };
        assert_eq!(skipped_totals, s.skipped_total, "{} {}", s.file, s.sheet);
    }
}

#[test]
fn the_merged_date_cell_is_where_expected() {
    let set = sample_set();
    let merged: Vec<_> =
        expected_sheets().into_iter().filter(|s| !s.data_merges.is_empty() && s.file.ends_with(".xlsx")).collect();
    assert_eq!(merged.len(), 1);
    let s = &merged[0];
    let m = &s.data_merges[0];
    assert_eq!(m.last_row, m.first_row + 1);
    let col = s.headers.iter().position(|h| h.trim() == "実施日").unwrap();
    assert_eq!(layout::col_letter(col as u16), m.col);

    let mut wb: Xlsx<_> = open_workbook(folder().join(&s.file)).unwrap();
    let merges = wb.merge_cells_by_sheet_name(&s.sheet).unwrap();
    assert!(
        merges.iter().any(|dm| dm.start == (m.first_row - 1, col as u32) && dm.end == (m.last_row - 1, col as u32)),
        "{merges:?}"
    );
    let r = wb.worksheet_range(&s.sheet).unwrap();
    let top = cell(&r, m.first_row, col);
    assert!(matches!(top, Data::DateTime(_)), "{top:?}");
    assert_eq!(cell(&r, m.last_row, col), Data::Empty);
    let recs: Vec<_> = set
        .dispatches
        .iter()
        .filter(|d| {
            d.place.file == s.file && d.place.sheet == s.sheet && (m.first_row..=m.last_row).contains(&d.place.row)
        })
        .collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].date, recs[1].date);
    assert!(recs.iter().all(|r| r.fate.is_accepted()));
    use calamine::DataType;
    assert_eq!(top.as_date(), Some(recs[0].date));
}

/// The `.ods` 技能継承講座: 区分 merged down each course (熟練技能者 written
/// once), 実施日 merged over the two sessions of one day; the file itself
/// spans the rows (`table:number-rows-spanned`, covered cells below).
#[test]
fn the_ods_merges_carry_the_skilled_category_down_each_course() {
    let set = sample_set();
    let sheets: Vec<_> =
        expected_sheets().into_iter().filter(|s| s.file.ends_with(".ods") && !s.data_merges.is_empty()).collect();
    assert_eq!(sheets.len(), 1);
    let s = &sheets[0];
    let col_of = |name: &str| layout::col_letter(s.headers.iter().position(|h| h.trim() == name).unwrap() as u16);
    let (kubun, date) = (col_of("区分"), col_of("実施日"));
    let kubun_merges: Vec<_> = s.data_merges.iter().filter(|m| m.col == kubun).collect();
    assert_eq!(kubun_merges.len(), 2, "{:?}", s.data_merges);
    assert!(kubun_merges.iter().any(|m| m.last_row - m.first_row >= 3), "one course of four rows at least");
    assert_eq!(s.data_merges.iter().filter(|m| m.col == date).count(), 1);
    let r = range(&s.file, &s.sheet);
    let kubun_col = s.headers.iter().position(|h| h.trim() == "区分").unwrap();
    for m in &kubun_merges {
        assert!(matches!(cell(&r, m.first_row, kubun_col), Data::String(ref t) if t.starts_with("熟練技能者")));
        for row in m.first_row + 1..=m.last_row {
            assert_eq!(cell(&r, row, kubun_col), Data::Empty, "row {row} is covered by the merge");
        }
        let recs: Vec<_> = set
            .dispatches
            .iter()
            .filter(|d| d.place.file == s.file && (m.first_row..=m.last_row).contains(&d.place.row))
            .collect();
        assert_eq!(recs.len() as u32, m.last_row - m.first_row + 1);
        assert!(recs.iter().all(|d| d.instructor_type == "熟練技能者" && d.fate.is_accepted()));
    }
    // The spans are in content.xml (calamine exposes none for .ods).
    let mut zip = zip::ZipArchive::new(std::fs::File::open(folder().join(&s.file)).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("content.xml").unwrap(), &mut xml).unwrap();
    for m in &s.data_merges {
        let spanned = format!(r#"table:number-rows-spanned="{}""#, m.last_row - m.first_row + 1);
        assert!(xml.contains(&spanned), "{spanned} not in content.xml");
    }
    assert!(xml.contains("<table:covered-table-cell"));
}

// ---------------------------------------------------------------------------
// Header detection with the default mapping (datasets.md's rule)

struct Mapping {
    /// dataset → (field, header names)
    fields: BTreeMap<String, Vec<(String, Vec<String>)>>,
    /// (dataset, field) → label → canonical
    cats: BTreeMap<(String, String), BTreeMap<String, String>>,
}

fn mapping() -> Mapping {
    let t: toml::Table = include_str!("../../src/defaults/mapping.toml").parse().unwrap();
    let mut fields = BTreeMap::new();
    let mut cats = BTreeMap::new();
    for (ds, v) in &t {
        let tab = v.as_table().unwrap();
        let f: Vec<(String, Vec<String>)> = tab["fields"]
            .as_table()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_array().unwrap().iter().map(|x| norm_header(x.as_str().unwrap())).collect()))
            .collect();
        fields.insert(ds.clone(), f);
        if let Some(c) = tab.get("categories") {
            for (field, vals) in c.as_table().unwrap() {
                let mut m = BTreeMap::new();
                for (canon, aliases) in vals.as_table().unwrap() {
                    m.insert(norm_label(canon), canon.clone());
                    for a in aliases.as_array().unwrap() {
                        m.insert(norm_label(a.as_str().unwrap()), canon.clone());
                    }
                }
                cats.insert((ds.clone(), field.clone()), m);
            }
        }
    }
    Mapping { fields, cats }
}

fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// NFKC, no whitespace, no trailing bracketed note.
fn norm_header(s: &str) -> String {
    let mut h: String = nfkc(s).chars().filter(|c| !c.is_whitespace()).collect();
    while h.ends_with(')') {
        match h.rfind('(') {
            Some(i) if i > 0 => h.truncate(i),
            _ => break,
        }
    }
    h
}

fn norm_label(s: &str) -> String {
    nfkc(s).trim().to_string()
}

fn required(ds: &str) -> &'static [&'static str] {
    match ds {
        "dispatches" => &["date", "dest_type", "requester", "trade", "trainees"],
        "outreach" => &["date", "kind", "place", "participants"],
        "meisters" => &["meister_no", "trade", "certified_on"],
        "trainings" => &["date", "term", "attendees"],
        "competitions" => &["event", "role", "trade", "org"],
        "meetings" => &["date", "round"],
        "visits" => &["date", "coordinator", "visited"],
        "incidents" => &["date", "kind"],
        other => panic!("unknown dataset {other}"),
    }
}

/// Per dataset, the fields a row's cells name (field → column).
fn matched(map: &Mapping, cells: &[String]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out = BTreeMap::new();
    for (ds, fields) in &map.fields {
        let mut m = BTreeMap::new();
        for (field, names) in fields {
            if let Some(c) = cells.iter().position(|h| !h.is_empty() && names.contains(h)) {
                m.insert(field.clone(), c);
            }
        }
        out.insert(ds.clone(), m);
    }
    out
}

/// datasets.md: the first row within 20 holding every required header of a
/// dataset; the most matched headers wins; a tie is an error.
fn detect(map: &Mapping, r: &calamine::Range<Data>) -> Option<(u32, String, BTreeMap<String, usize>)> {
    let width = r.end().map_or(0, |e| e.1 + 1) as usize;
    for row1 in 1..=20u32 {
        let cells: Vec<String> = (0..width)
            .map(|c| match cell(r, row1, c) {
                Data::String(s) => norm_header(&s),
                _ => String::new(),
            })
            .collect();
        let m = matched(map, &cells);
        // The columns common to every record type (状況, 備考, 日数) do not
        // count toward the most matched headers.
        let common = |k: &String| matches!(k.as_str(), "status" | "remarks" | "days");
        let mut cands: Vec<(usize, &String)> = m
            .iter()
            .filter(|(ds, f)| required(ds).iter().all(|k| f.contains_key(*k)))
            .map(|(ds, f)| (f.keys().filter(|k| !common(k)).count(), ds))
            .collect();
        if cands.is_empty() {
            continue;
        }
        cands.sort();
        let best = cands[cands.len() - 1];
        if cands.len() > 1 {
            assert!(cands[cands.len() - 2].0 < best.0, "tie on row {row1}: {cands:?}");
        }
        return Some((row1, best.1.clone(), m[best.1].clone()));
    }
    None
}

#[test]
fn header_rule_finds_the_intended_dataset_on_every_sheet() {
    let map = mapping();
    for s in expected_sheets() {
        let r = range(&s.file, &s.sheet);
        match (detect(&map, &r), s.dataset) {
            (None, None) => {}
            (Some((row, ds, _)), Some(want)) => {
                assert_eq!(ds, want, "{} {}", s.file, s.sheet);
                assert_eq!(Some(row), s.header_row, "{} {}", s.file, s.sheet);
            }
            (got, want) => panic!("{} {}: detected {got:?}, expected {want:?}", s.file, s.sheet),
        }
    }
}

// ---------------------------------------------------------------------------
// A small independent reader: cell → value

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Blank,
    Date(NaiveDate),
    Int(i64),
    Num(f64),
    Text(String),
    Flag(bool),
}

fn opt_text(v: &Option<String>) -> Val {
    v.as_ref().map_or(Val::Blank, |s| Val::Text(s.clone()))
}
fn opt_cat(v: Option<&str>) -> Val {
    v.map_or(Val::Blank, |s| Val::Text(s.to_string()))
}
fn opt_date(v: Option<NaiveDate>) -> Val {
    v.map_or(Val::Blank, Val::Date)
}
fn opt_int(v: Option<i64>) -> Val {
    v.map_or(Val::Blank, Val::Int)
}
/// 日数: blank for one day.
fn days(n: u32) -> Val {
    if n == 1 { Val::Blank } else { Val::Int(i64::from(n)) }
}

fn wide_to_ascii(s: &str) -> String {
    nfkc(s)
}

fn num_list(s: &str) -> Option<Vec<u32>> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(|p| p.parse().ok()).collect()
}

/// The date text forms of datasets.md.
fn parse_date_text(raw: &str) -> Option<NaiveDate> {
    let s = wide_to_ascii(raw.trim());
    let (base, rest) = if let Some(r) = s.strip_prefix("令和").or_else(|| s.strip_prefix('R')) {
        (2018, r)
    } else if let Some(r) = s.strip_prefix("平成").or_else(|| s.strip_prefix('H')) {
        (1988, r)
    } else {
        (0, s.as_str())
    };
    let rest = rest.replacen("元", "1", 1);
    if base == 0 {
        let ok = rest.chars().all(|c| c.is_ascii_digit() || "/-.年月日".contains(c));
        if !ok {
            return None;
        }
    } else if !rest.chars().all(|c| c.is_ascii_digit() || "/.年月日".contains(c)) {
        return None;
    }
    let n = num_list(&rest)?;
    if n.len() != 3 {
        return None;
    }
    let y = if base == 0 { n[0] as i32 } else { base + n[0] as i32 };
    NaiveDate::from_ymd_opt(y, n[1], n[2])
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Date,
    Count,
    Number,
    Category,
    Flag,
    Year,
    Text,
    Trade,
}

fn kind_of(map: &Mapping, ds: &str, field: &str) -> Kind {
    if map.cats.contains_key(&(ds.to_string(), field.to_string())) {
        return Kind::Category;
    }
    match field {
        "date" | "certified_on" | "trained_on" | "deregistered_on" | "last_activity_on" | "reported_on" => Kind::Date,
        "trainees" | "participants" | "attendees" | "attending_orgs" | "candidates" | "travel_yen"
        | "allowance_yen" | "tool_transport_yen" | "fee_yen" | "days" => Kind::Count,
        "hours" => Kind::Number,
        "withdrawn" => Kind::Flag,
        "fiscal_year" => Kind::Year,
        "trade" => Kind::Trade,
        _ => Kind::Text,
    }
}

/// A cell as a value of a kind, or `Err` (what a reader rejects).
fn parse(map: &Mapping, ds: &str, field: &str, v: &Data) -> Result<Val, String> {
    let kind = kind_of(map, ds, field);
    if let Data::String(s) = v
        && s.trim().is_empty()
    {
        return Ok(if kind == Kind::Flag { Val::Flag(false) } else { Val::Blank });
    }
    if matches!(v, Data::Empty) {
        return Ok(if kind == Kind::Flag { Val::Flag(false) } else { Val::Blank });
    }
    match kind {
        Kind::Date => match v {
            Data::DateTime(dt) => Ok(Val::Date(dt.as_datetime().unwrap().date())),
            Data::DateTimeIso(s) => Ok(Val::Date(NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap())),
            Data::Float(f) => Ok(Val::Date(d(1899, 12, 30) + chrono::Duration::days(*f as i64))),
            // A range (`2023/8/31〜9/1`) reads as its first day.
            Data::String(s) => parse_date_text(s.split('〜').next().unwrap_or(s))
                .map(Val::Date)
                .ok_or_else(|| format!("not a date: {s}")),
            other => Err(format!("not a date: {other:?}")),
        },
        Kind::Count => {
            let n = match v {
                Data::Float(f) if f.fract() == 0.0 => *f as i64,
                Data::Int(i) => *i,
                Data::String(s) => {
                    let t = wide_to_ascii(s.trim()).replace(',', "");
                    // A note in brackets after the count: 10（うち女性3）.
                    let t = match t.split_once('(') {
                        Some((n, _)) if t.ends_with(')') => n.to_string(),
                        _ => t,
                    };
                    let t = t.trim_end_matches(['人', '名', '円']);
                    t.parse::<i64>().map_err(|_| format!("not a count: {s}"))?
                }
                other => return Err(format!("not a count: {other:?}")),
            };
            if n < 0 { Err(format!("negative: {n}")) } else { Ok(Val::Int(n)) }
        }
        Kind::Number => match v {
            Data::Float(f) => Ok(Val::Num(*f)),
            other => Err(format!("not a number: {other:?}")),
        },
        Kind::Category => {
            let Data::String(s) = v else {
                return Err(format!("not a label: {v:?}"));
            };
            map.cats[&(ds.to_string(), field.to_string())]
                .get(&norm_label(s))
                .map(|c| Val::Text(c.clone()))
                .ok_or_else(|| format!("unknown label {s}"))
        }
        Kind::Flag => {
            let Data::String(s) = v else {
                return Err(format!("not a flag: {v:?}"));
            };
            let yes = ["○", "◯", "有", "あり", "はい", "1", "TRUE", "辞退"];
            if yes.contains(&norm_label(s).as_str()) { Ok(Val::Flag(true)) } else { Err(format!("flag {s}")) }
        }
        Kind::Year => {
            let s = match v {
                Data::String(s) => norm_label(s),
                Data::Float(f) => format!("{f}"),
                other => return Err(format!("not a year: {other:?}")),
            };
            let n = num_list(&s).ok_or("year")?;
            let y = if s.starts_with('R') || s.starts_with("令和") { 2018 + n[0] as i64 } else { n[0] as i64 };
            Ok(Val::Int(y))
        }
        Kind::Text | Kind::Trade => match v {
            Data::String(s) => Ok(Val::Text(if kind == Kind::Trade { nfkc(s.trim()) } else { s.trim().to_string() })),
            other => Err(format!("not text: {other:?}")),
        },
    }
}

/// (dataset, place, fate, field values) of every record.
/// (dataset, place, fate, field values) of one record.
type Expectation = (&'static str, Place, Fate, Vec<(&'static str, Val)>);

fn expectations(set: &SampleSet) -> Vec<Expectation> {
    let mut v = Vec::new();
    for r in &set.dispatches {
        v.push((
            "dispatches",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("date", Val::Date(r.date)),
                ("dest_type", Val::Text(r.dest_type.into())),
                ("requester", Val::Text(r.requester.clone())),
                ("trade", Val::Text(r.trade.clone())),
                ("trainees", Val::Int(r.trainees)),
                ("instructor_type", Val::Text(r.instructor_type.into())),
                ("meister_no", opt_text(&r.meister_no)),
                ("instructor_name", opt_text(&r.instructor_name)),
                ("hours", r.hours.map_or(Val::Blank, Val::Num)),
                ("dispatch_no", opt_text(&r.dispatch_no)),
                ("region", opt_cat(r.region)),
                ("days", days(r.days)),
            ],
        ));
    }
    for r in &set.outreach {
        v.push((
            "outreach",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("date", Val::Date(r.date)),
                ("kind", Val::Text(r.kind.into())),
                ("place", Val::Text(r.venue.clone())),
                ("participants", Val::Int(r.participants)),
                ("trade", opt_text(&r.trade)),
                ("meister_no", opt_text(&r.meister_no)),
                ("days", days(r.days)),
            ],
        ));
    }
    for r in &set.meisters {
        v.push((
            "meisters",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("meister_no", Val::Text(r.meister_no.clone())),
                ("trade", Val::Text(r.trade.clone())),
                ("certified_on", Val::Date(r.certified_on)),
                ("name", opt_text(&r.name)),
                ("region", opt_cat(r.region)),
                ("trained_on", opt_date(r.trained_on)),
                ("deregistered_on", opt_date(r.deregistered_on)),
                ("last_activity_on", opt_date(r.last_activity_on)),
            ],
        ));
    }
    for r in &set.trainings {
        v.push((
            "trainings",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("date", Val::Date(r.date)),
                ("term", Val::Text(r.term.into())),
                ("attendees", Val::Int(r.attendees)),
                ("travel_yen", opt_int(r.travel_yen)),
                ("allowance_yen", opt_int(r.allowance_yen)),
            ],
        ));
    }
    for r in &set.competitions {
        v.push((
            "competitions",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("event", Val::Text(r.event.into())),
                ("role", Val::Text(r.role.into())),
                ("trade", Val::Text(r.trade.clone())),
                ("org", Val::Text(r.org.clone())),
                ("name", opt_text(&r.name)),
                ("withdrawn", Val::Flag(r.withdrawn)),
                ("travel_yen", opt_int(r.travel_yen)),
                ("tool_transport_yen", opt_int(r.tool_transport_yen)),
                ("fee_yen", opt_int(r.fee_yen)),
                ("fiscal_year", r.fiscal_year.map_or(Val::Blank, |y| Val::Int(i64::from(y)))),
            ],
        ));
    }
    for r in &set.meetings {
        v.push((
            "meetings",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("date", Val::Date(r.date)),
                ("round", Val::Text(r.round.clone())),
                ("format", opt_cat(r.format)),
                ("attending_orgs", opt_int(r.attending_orgs)),
            ],
        ));
    }
    for r in &set.visits {
        v.push((
            "visits",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("date", Val::Date(r.date)),
                ("coordinator", Val::Text(r.coordinator.clone())),
                ("visited", Val::Text(r.visited.clone())),
                ("region", opt_cat(r.region)),
                ("trade", opt_text(&r.trade)),
                ("candidates", opt_int(r.candidates)),
            ],
        ));
    }
    for r in &set.incidents {
        v.push((
            "incidents",
            r.place.clone(),
            r.fate.clone(),
            vec![
                ("date", Val::Date(r.date)),
                ("kind", Val::Text(r.kind.into())),
                ("reported_on", opt_date(r.reported_on)),
                ("summary", opt_text(&r.summary)),
            ],
        ));
    }
    v
}

/// The canonical header of a field (the first name in mapping.toml).
fn canonical_header(ds: &str, field: &str) -> String {
    let t: toml::Table = include_str!("../../src/defaults/mapping.toml").parse().unwrap();
    t[ds]["fields"][field][0].as_str().unwrap().to_string()
}

#[test]
fn an_independent_reader_recovers_every_record_from_its_cells() {
    let map = mapping();
    let set = sample_set();
    let sheets = expected_sheets();
    // Unreadable optional values: the cell does not parse, the record holds None.
    let unreadable: BTreeSet<(String, String, String)> = set
        .field_warnings
        .iter()
        .map(|w| {
            let ExpectedWarningKind::Field { column } = w.kind else { panic!("planted field warnings only") };
            let row = w.cell.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            (format!("{}/{}/{row}", w.file, w.sheet), w.cell.clone(), column.to_string())
        })
        .collect();
    let mut ranges: BTreeMap<(String, String), calamine::Range<Data>> = BTreeMap::new();
    let mut checked = 0;
    for (ds, place, fate, vals) in expectations(&set) {
        let key = (place.file.clone(), place.sheet.clone());
        let r = ranges.entry(key.clone()).or_insert_with(|| range(&place.file, &place.sheet));
        let (_, found_ds, cols) = detect(&map, r).unwrap();
        assert_eq!(found_ds, ds);
        let merges = &sheets.iter().find(|s| s.file == key.0 && s.sheet == key.1).unwrap().data_merges;
        let mut failed: Vec<&'static str> = Vec::new();
        for (field, want) in &vals {
            let Some(&col) = cols.get(*field) else {
                // Column absent: only blanks and defaults may be expected.
                assert!(
                    *want == Val::Blank
                        || matches!(
                            (ds, *field),
                            ("dispatches", "instructor_type" | "hours" | "dispatch_no" | "region")
                                | (
                                    "competitions",
                                    "fiscal_year" | "withdrawn" | "travel_yen" | "tool_transport_yen" | "fee_yen"
                                )
                        ),
                    "{ds}.{field} has no column in {place:?}"
                );
                continue;
            };
            let here = format!("{}/{}/{}", place.file, place.sheet, place.row);
            let a1 = format!("{}{}", layout::col_letter(col as u16), place.row);
            if unreadable.contains(&(here, a1, canonical_header(ds, field))) {
                assert_eq!(want, &Val::Blank, "{ds}.{field} at {place:?}: an unreadable value is left empty");
                assert!(parse(&map, ds, field, &cell(r, place.row, col)).is_err(), "{ds}.{field} at {place:?}");
                continue;
            }
            let mut raw = cell(r, place.row, col);
            if matches!(raw, Data::Empty) {
                // A vertically merged cell gives its value to every row it spans.
                if let Some(m) = merges.iter().find(|m| {
                    layout::col_letter(col as u16) == m.col && (m.first_row..=m.last_row).contains(&place.row)
                }) {
                    raw = cell(r, m.first_row, col);
                }
            }
            match parse(&map, ds, field, &raw) {
                Ok(got) if &got == want => {}
                Ok(Val::Blank) if required(ds).contains(field) => failed.push(field),
                Ok(got) => {
                    if fate.rejected_column().is_none() || matches!(fate, Fate::Conflict { .. }) {
                        panic!("{ds}.{field} at {place:?}: cell {raw:?} reads {got:?}, record says {want:?}");
                    }
                    failed.push(field);
                }
                Err(_) => failed.push(field),
            }
        }
        match &fate {
            // A conflict's cells all read: only the repeated number is wrong.
            Fate::Accepted
            | Fate::Duplicate { .. }
            | Fate::Conflict { .. }
            | Fate::RepeatWithoutNumber { .. }
            | Fate::InSheetCopy { .. } => {
                assert!(failed.is_empty(), "{ds} {place:?}: {failed:?}")
            }
            // A row that did not happen reads whole, but for a date cell
            // holding only 「中止」.
            Fate::NotHeld { kind: NotHeldKind::DateWord, .. } => assert_eq!(failed, ["date"], "{ds} {place:?}"),
            Fate::NotHeld { .. } => assert!(failed.is_empty(), "{ds} {place:?}: {failed:?}"),
            Fate::Rejected { column } => {
                assert_eq!(failed.len(), 1, "{ds} {place:?}: {failed:?}");
                assert_eq!(canonical_header(ds, failed[0]), *column, "{ds} {place:?}");
            }
        }
        checked += 1;
    }
    assert!(checked > 550, "{checked}");
}

// ---------------------------------------------------------------------------
// Ground-truth properties

#[test]
fn planted_pii_values_occur_in_the_files() {
    let mut texts: BTreeSet<String> = BTreeSet::new();
    for file in expected_workbooks() {
        let mut wb = open_workbook_auto(folder().join(&file)).unwrap();
        for name in wb.sheet_names() {
            let r = wb.worksheet_range(&name).unwrap();
            for v in r.used_cells() {
                if let Data::String(s) = v.2 {
                    texts.insert(s.clone());
                }
            }
        }
    }
    let pii = pii_values();
    let planted: Vec<&String> = pii.iter().filter(|p| texts.contains(*p)).collect();
    // Every raw value (names with the ideographic space, 概要 texts) is a cell.
    for p in pii.iter().filter(|p| p.contains('\u{3000}') || p.chars().count() > 20) {
        assert!(texts.contains(p), "{p} not found in any cell");
    }
    assert!(planted.len() > 90, "{}", planted.len());
    // And no PII in file or sheet names (reports list those).
    for s in expected_sheets() {
        for p in &pii {
            assert!(!s.file.contains(p.as_str()) && !s.sheet.contains(p.as_str()));
        }
    }
}

#[test]
fn volumes_and_statuses_are_as_designed() {
    let set = sample_set();
    let at = |as_of: NaiveDate| -> BTreeMap<&'static str, f64> { set.kpi_actuals(as_of).into_iter().collect() };
    let oct = at(d(2023, 10, 31));
    let year = at(d(2024, 3, 31));
    assert_eq!(oct.len(), 29);
    let elapsed = 214.0 / 366.0;
    // Ahead at 2023-10-31: schools; behind: SME and groups.
    assert!(oct["dispatch.schools.sessions"] >= 170.0 * elapsed);
    assert!(oct["dispatch.sme_groups.sessions"] < 0.8 * 100.0 * elapsed);
    assert!(oct["dispatch.sessions"] < 270.0 * elapsed);
    // The year ends near the plan.
    for (id, target) in [
        ("dispatch.sessions", 270.0),
        ("dispatch.person_days", 1600.0),
        ("dispatch.schools.sessions", 170.0),
        ("coordinator.visits", 96.0),
    ] {
        assert!((year[id] - target).abs() / target < 0.1, "{id}: {}", year[id]);
    }
    assert_eq!(year["meister.new_certified"], 4.0);
    assert_eq!(year["qualifier.trades"], 3.0);
    assert_eq!(year["council.meetings"], 2.0);
    assert_eq!(oct["privacy.late_reports"], 1.0);
    assert_eq!(oct["competition.withdrawals"], 1.0);
}

#[test]
fn meister_activity_is_unambiguous_at_every_month_end() {
    let set = sample_set();
    let mut as_of = d(2023, 4, 30);
    while as_of <= d(2024, 3, 31) {
        let mut want = vec!["35-003", "35-006", "35-015"];
        if as_of < d(2023, 9, 30) {
            want.insert(1, "35-004");
        }
        assert_eq!(set.inactive_meisters(as_of), want, "as of {as_of}");
        let next = as_of + chrono::Duration::days(1);
        as_of = NaiveDate::from_ymd_opt(next.year(), next.month(), 1)
            .unwrap()
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
            - chrono::Duration::days(1);
    }
}

/// The fiscal year of a date (April to March).
fn fy(date: NaiveDate) -> i32 {
    if date.month() >= 4 { date.year() } else { date.year() - 1 }
}

#[test]
fn dispatch_links_and_numbers_are_consistent() {
    let set = sample_set();
    let registry: BTreeMap<&str, &MeisterRecord> =
        set.meisters.iter().filter(|m| m.fate.is_accepted()).map(|m| (m.meister_no.as_str(), m)).collect();
    // A 派遣番号 names one session within the fiscal year of its 実施日.
    let mut seen: BTreeMap<(i32, &str), &DispatchRecord> = BTreeMap::new();
    for r in &set.dispatches {
        if let Some(no) = &r.meister_no {
            let m = registry[no.as_str()];
            assert!(m.certified_on <= r.date, "{no} dispatched before certification");
            if let Some(t) = m.trained_on {
                assert!(t <= r.date, "{no} dispatched before its 講習 (would make 'untrained' ambiguous)");
            }
            assert!(m.deregistered_on.is_none_or(|x| r.date < x));
        }
        match (&r.fate, &r.dispatch_no) {
            (Fate::Duplicate { of_dispatch_no }, Some(no)) => {
                assert_eq!(of_dispatch_no, no);
                let orig = seen[&(fy(r.date), no.as_str())];
                assert_eq!(orig.place.file, r.place.file, "duplicate within one workbook");
                assert!(orig.place < r.place || orig.place.sheet != r.place.sheet);
                assert_eq!((orig.date, &orig.requester, orig.trainees), (r.date, &r.requester, r.trainees));
            }
            (Fate::Conflict { column, number, kept, differing }, Some(no)) => {
                assert_eq!((*column, number), ("派遣番号", no));
                let orig = seen[&(fy(r.date), no.as_str())];
                assert_eq!(&orig.place, kept);
                assert_eq!(differing, &vec!["受講者数"]);
                assert_ne!(orig.trainees, r.trainees);
                assert_ne!(orig.hours, r.hours, "時間 differs too, but is not a counted field");
            }
            (Fate::Duplicate { .. } | Fate::Conflict { .. }, None) => panic!("a repeat needs a number"),
            // A row that did not happen, or of a copied sheet, takes no part
            // in the numbering (a postponed row keeps its number).
            (Fate::NotHeld { .. } | Fate::InSheetCopy { .. }, _) => {}
            (_, Some(no)) => {
                assert!(seen.insert((fy(r.date), no.as_str()), r).is_none(), "{no} repeated but not marked");
            }
            (_, None) => {}
        }
    }
    for o in &set.outreach {
        assert!(registry.contains_key(o.meister_no.as_deref().unwrap()));
    }
    let dups = set.dispatches.iter().filter(|r| matches!(r.fate, Fate::Duplicate { .. })).count();
    assert_eq!(dups, 2);
    let conflicts = set.dispatches.iter().filter(|r| matches!(r.fate, Fate::Conflict { .. })).count();
    assert_eq!(conflicts, 1);
    let rejected = expected_sheets().iter().map(|s| s.rejected).sum::<u32>();
    assert!((9..=12).contains(&rejected), "{rejected}");
    // One 4-hour session (a finding), all others 2 or 3 hours.
    let hours: Vec<f64> = set.dispatches.iter().filter_map(|r| r.hours).collect();
    assert_eq!(hours.iter().filter(|h| **h == 4.0).count(), 1);
    assert!(hours.iter().all(|h| [2.0, 3.0, 4.0].contains(h)));
}

/// Path order as a reader walks the folder: by path component, then the
/// workbook's sheet order, then the row.
fn path_order(sheets: &[ExpectedSheet], p: &Place) -> (Vec<String>, usize, u32) {
    let parts = p.file.split('/').map(str::to_string).collect();
    let sheet = sheets.iter().filter(|s| s.file == p.file).position(|s| s.sheet == p.sheet).unwrap();
    (parts, sheet, p.row)
}

/// Every planted repeat is what `datasets.md`'s rule makes of it, derived
/// here from the records alone: within a scope (the 実施日's fiscal year for
/// a 派遣番号; the registry for a 認定番号) the first row in path order is
/// kept, a repeat with equal counted fields is a duplicate, one with any
/// difference a conflict naming the fields; rejected rows take no part.
#[test]
fn every_repeat_of_a_number_has_the_fate_of_the_numbering_rule() {
    let set = sample_set();
    let sheets = expected_sheets();
    type Counted = Vec<(&'static str, String)>;
    let rule = |rows: Vec<(String, &Place, &Fate, Counted)>| {
        let mut rows: Vec<_> = rows
            .into_iter()
            .filter(|r| !matches!(r.2, Fate::Rejected { .. } | Fate::NotHeld { .. } | Fate::InSheetCopy { .. }))
            .collect();
        rows.sort_by_key(|r| path_order(&sheets, r.1));
        let mut kept: BTreeMap<String, (&Place, Counted)> = BTreeMap::new();
        for (key, place, fate, counted) in rows {
            match kept.get(&key) {
                None => {
                    assert!(fate.is_accepted(), "{key} at {place:?}: the first row is kept, planted {fate:?}");
                    kept.insert(key, (place, counted));
                }
                Some((first, was)) => {
                    let differing: Vec<&str> =
                        was.iter().zip(&counted).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0).collect();
                    match fate {
                        Fate::Duplicate { .. } => assert!(differing.is_empty(), "{key} at {place:?}: {differing:?}"),
                        Fate::Conflict { kept, differing: planted, .. } => {
                            assert_eq!(kept, *first, "{key}");
                            assert_eq!(planted, &differing, "{key}");
                        }
                        other => panic!("{key} at {place:?} repeats {first:?} but is planted {other:?}"),
                    }
                }
            }
        }
    };
    rule(
        set.dispatches
            .iter()
            .filter_map(|r| {
                let no = r.dispatch_no.as_ref()?;
                let counted = vec![
                    ("実施日", r.date.to_string()),
                    ("派遣先区分", r.dest_type.to_string()),
                    ("派遣先名", r.requester.clone()),
                    ("職種", r.trade.clone()),
                    ("受講者数", r.trainees.to_string()),
                    ("区分", r.instructor_type.to_string()),
                ];
                Some((format!("{}:{no}", fy(r.date)), &r.place, &r.fate, counted))
            })
            .collect(),
    );
    rule(
        set.meisters
            .iter()
            .map(|m| {
                let counted = vec![
                    ("職種", m.trade.clone()),
                    ("認定日", m.certified_on.to_string()),
                    ("氏名", format!("{:?}", m.name)),
                    ("地区", format!("{:?}", m.region)),
                    ("講習受講日", format!("{:?}", m.trained_on)),
                    ("登録解除日", format!("{:?}", m.deregistered_on)),
                    ("最終活動日", format!("{:?}", m.last_activity_on)),
                ];
                (m.meister_no.clone(), &m.place, &m.fate, counted)
            })
            .collect(),
    );
    assert_eq!(set.meisters.iter().filter(|m| matches!(m.fate, Fate::Conflict { .. })).count(), 1);
}

/// Both years number from 001: many numbers occur in FY2022 and FY2023,
/// each an accepted session of its own year; one such pair differs only in
/// 実施日 (an annual request). The 上期 4月 sheet also holds two FY2022
/// rows among its FY2023 ones, so they are warned about as dated outside
/// the sheet's year, and the sheet-year rule is exercised.
#[test]
fn numbers_restart_each_year_and_late_rows_are_warned_about() {
    let set = sample_set();
    let accepted = |year: i32| -> BTreeMap<&str, &DispatchRecord> {
        set.dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && fy(r.date) == year)
            .filter_map(|r| Some((r.dispatch_no.as_deref()?, r)))
            .collect()
    };
    let (fy22, fy23) = (accepted(2022), accepted(2023));
    assert!(fy22.contains_key("001") && fy23.contains_key("001"));
    let both: Vec<&str> = fy22.keys().filter(|k| fy23.contains_key(*k)).copied().collect();
    assert!(both.len() >= 80, "{}", both.len());
    let similar: Vec<&str> = both
        .iter()
        .filter(|no| {
            let (a, b) = (fy22[*no], fy23[*no]);
            (a.dest_type, &a.requester, &a.trade, a.trainees, a.instructor_type)
                == (b.dest_type, &b.requester, &b.trade, b.trainees, b.instructor_type)
        })
        .copied()
        .collect();
    assert!(!similar.is_empty(), "one cross-year pair differs only in 実施日");
    // FY2022 numbers on the FY2023 上期 book (late entries).
    assert!(fy22.values().any(|r| r.place.file.contains("令和5年度")));

    let warnings = expected_warnings();
    let dates: Vec<_> =
        warnings.iter().filter(|w| matches!(w.kind, ExpectedWarningKind::DateOutsideSheetYear { .. })).collect();
    assert_eq!(dates.len(), 2, "{dates:?}");
    for w in dates {
        assert_eq!((w.file.as_str(), w.sheet.as_str()), (build::files::KAMIKI, "4月"));
        let ExpectedWarningKind::DateOutsideSheetYear { date, sheet_year } = w.kind else { unreachable!() };
        assert_eq!((fy(date), sheet_year), (2022, 2023));
    }
    assert_eq!(warnings.iter().filter(|w| matches!(w.kind, ExpectedWarningKind::Field { .. })).count(), 1);
}

#[test]
fn wareki_formatted_date_cells_read_as_dates() {
    let set = sample_set();
    let m = set.meisters.iter().find(|m| m.meister_no == "35-003").unwrap();
    let r = range(&m.place.file, &m.place.sheet);
    let v = cell(&r, m.place.row, 3);
    assert!(matches!(v, Data::DateTime(_)), "{v:?}");
}

// ---------------------------------------------------------------------------
// Office conventions in the files

/// Every struck-through cell of the folder as a reader sees it: (file,
/// sheet, 1-based row, 0-based column). `.xlsx`: the cell's font (calamine's
/// styles); `.ods`: a cell whose automatic style strikes its text through.
fn struck_in_files() -> BTreeSet<(String, String, u32, u16)> {
    let mut out = BTreeSet::new();
    for file in expected_workbooks() {
        let path = folder().join(&file);
        if file.ends_with(".xlsx") {
            let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
            for name in wb.sheet_names() {
                let mut cells = wb.worksheet_cells_reader(&name).unwrap();
                let struck: Vec<bool> = cells
                    .styles()
                    .iter()
                    .map(|s| s.font.as_ref().is_some_and(calamine::Font::has_strikethrough))
                    .collect();
                while let Some((c, style)) = cells.next_cell_with_style_id().unwrap() {
                    if struck[style] && !matches!(c.get_value(), calamine::DataRef::Empty) {
                        let (r, col) = c.get_position();
                        out.insert((file.clone(), name.clone(), r + 1, col as u16));
                    }
                }
            }
        } else {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("content.xml").unwrap(), &mut xml).unwrap();
            // The styles that strike through, then each table's cells in order.
            let struck_styles: Vec<&str> = xml
                .split("<style:style style:name=\"")
                .skip(1)
                .filter(|s| s.split("</style:style>").next().unwrap().contains("text-line-through-style=\"solid\""))
                .map(|s| s.split('"').next().unwrap())
                .collect();
            for table in xml.split("<table:table table:name=\"").skip(1) {
                let name = table.split('"').next().unwrap().to_string();
                for (r, row) in table.split("<table:table-row>").skip(1).enumerate() {
                    let cells = row.split("</table:table-row>").next().unwrap();
                    let starts: Vec<&str> = cells.split('<').filter(|t| t.starts_with("table:")).collect();
                    let mut col = 0u16;
                    for tag in starts {
                        if tag.starts_with("table:table-cell") || tag.starts_with("table:covered-table-cell") {
                            let styled =
                                struck_styles.iter().any(|s| tag.contains(&format!("table:style-name=\"{s}\"")));
                            if styled {
                                out.insert((file.clone(), name.clone(), r as u32 + 1, col));
                            }
                            col += 1;
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn struck_cells_are_in_the_files_where_the_records_say() {
    let set = sample_set();
    let built = build::build();
    let mut planted = BTreeSet::new();
    for book in &built.books {
        for sheet in &book.sheets {
            for &(i, col) in &sheet.struck {
                planted.insert((book.path.clone(), sheet.name.clone(), sheet.excel_row(i), col));
            }
        }
    }
    assert_eq!(struck_in_files(), planted);
    // A row struck through whole: every non-empty cell of it, in an .xlsx
    // and in an .ods; a row struck in part: only the cell its check names.
    let whole: Vec<&Place> = set
        .dispatches
        .iter()
        .map(|r| (&r.fate, &r.place))
        .chain(set.outreach.iter().map(|r| (&r.fate, &r.place)))
        .filter(|(f, _)| f.not_held() == Some(NotHeldKind::StruckThrough))
        .map(|(_, p)| p)
        .collect();
    assert!(whole.iter().any(|p| p.file.ends_with(".xlsx")) && whole.iter().any(|p| p.file.ends_with(".ods")));
    for p in whole {
        let r = range(&p.file, &p.sheet);
        let width = r.end().unwrap().1 + 1;
        for c in 0..width {
            let filled = !matches!(cell(&r, p.row, c as usize), Data::Empty);
            assert_eq!(planted.contains(&(p.file.clone(), p.sheet.clone(), p.row, c as u16)), filled, "{p:?} col {c}");
        }
    }
    let partly: Vec<&ExpectedWarning> =
        set.check_warnings.iter().filter(|w| w.kind == ExpectedWarningKind::Check(CheckKind::PartlyStruck)).collect();
    assert_eq!(partly.len(), 1);
    for w in partly {
        let row: u32 = w.cell.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap();
        let in_row: Vec<u16> =
            planted.iter().filter(|s| (&s.0, &s.1, s.2) == (&w.file, &w.sheet, row)).map(|s| s.3).collect();
        assert_eq!(in_row.len(), 1);
        assert_eq!(format!("{}{row}", layout::col_letter(in_row[0])), w.cell);
    }
}

#[test]
fn the_copied_sheet_and_the_pasted_rows_repeat_their_originals_cell_for_cell() {
    let set = sample_set();
    let copies: Vec<ExpectedSheet> = expected_sheets().into_iter().filter(|s| s.copy_of.is_some()).collect();
    assert_eq!(copies.len(), 1);
    for c in &copies {
        let of = c.copy_of.as_deref().unwrap();
        assert_eq!(c.sheet, format!("{of} (2)"), "named as Excel names a copy");
        let (a, b) = (range(&c.file, of), range(&c.file, &c.sheet));
        assert_eq!(
            a.cells().map(|x| (x.0, x.1, x.2.clone())).collect::<Vec<_>>(),
            b.cells().map(|x| (x.0, x.1, x.2.clone())).collect::<Vec<_>>()
        );
        let names = open_workbook_auto(folder().join(&c.file)).unwrap().sheet_names();
        let at = names.iter().position(|n| n == of).unwrap();
        assert_eq!(names[at + 1], c.sheet, "right after the sheet it copies");
        assert_eq!((c.accepted, c.skipped_total, c.not_held), (0, 0, 0));
        assert_eq!(c.skipped_duplicate + c.skipped_blank, c.rows_read);
    }
    // Each pasted row is its original's session (same record), in another book.
    let pasted: Vec<&DispatchRecord> =
        set.dispatches.iter().filter(|r| matches!(r.fate, Fate::RepeatWithoutNumber { .. })).collect();
    assert_eq!(pasted.len(), 3);
    for r in pasted {
        let Fate::RepeatWithoutNumber { kept } = &r.fate else { unreachable!() };
        let orig = set.dispatches.iter().find(|o| &o.place == kept).unwrap();
        assert!(orig.fate.is_accepted() && orig.dispatch_no.is_none() && r.dispatch_no.is_none());
        assert_ne!(orig.place.file, r.place.file);
        fn same(x: &DispatchRecord) -> impl PartialEq + std::fmt::Debug + '_ {
            (
                x.date,
                x.dest_type,
                &x.requester,
                &x.trade,
                x.trainees,
                x.instructor_type,
                &x.meister_no,
                &x.instructor_name,
                x.hours,
            )
        }
        assert_eq!(same(orig), same(r));
    }
}

#[test]
fn every_convention_is_planted_and_the_ground_truth_counts_its_sessions() {
    let set = sample_set();
    let kinds: BTreeSet<NotHeldKind> = set
        .dispatches
        .iter()
        .filter_map(|r| r.fate.not_held())
        .chain(set.outreach.iter().filter_map(|r| r.fate.not_held()))
        .collect();
    for k in [
        NotHeldKind::Cancelled,
        NotHeldKind::Planned,
        NotHeldKind::Remarks,
        NotHeldKind::DateWord,
        NotHeldKind::StruckThrough,
        NotHeldKind::ZeroAttendance,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    // 予定: one past at 2023-10-31, one in the future then and past at the
    // year end (checked then only).
    let planned: Vec<NaiveDate> =
        set.dispatches.iter().filter(|r| r.fate.not_held() == Some(NotHeldKind::Planned)).map(|r| r.date).collect();
    assert!(planned.iter().any(|d| *d <= d_(2023, 10, 31)));
    assert!(planned.iter().any(|d| *d > d_(2023, 10, 31) && *d <= d_(2024, 3, 31)));
    let past_plans = |as_of| {
        expected_warnings_at(as_of)
            .into_iter()
            .filter(|w| w.kind == ExpectedWarningKind::Check(CheckKind::PlannedPastDate))
            .count()
    };
    assert_eq!((past_plans(d_(2023, 10, 31)), past_plans(d_(2024, 3, 31))), (1, 2));
    // The check items: expected at every as-of date, 予定 past its day added.
    let checks: BTreeSet<CheckKind> = expected_warnings_at(d_(2023, 10, 31))
        .into_iter()
        .filter_map(|w| match w.kind {
            ExpectedWarningKind::Check(c) => Some(c),
            _ => None,
        })
        .collect();
    for c in [
        CheckKind::PlannedPastDate,
        CheckKind::RemarksWord,
        CheckKind::PartlyStruck,
        CheckKind::ZeroAttendance,
        CheckKind::RepeatWithoutNumber,
        CheckKind::EqualRowsInSheet,
        CheckKind::CountWithNote,
    ] {
        assert!(checks.contains(&c), "{c:?}");
    }
    // Sessions over several days: 日数 3 is three sessions on its day, a range
    // over a month end one session a day, each in its own month.
    let three = set.dispatches.iter().find(|r| r.days == 3).unwrap();
    assert_eq!(three.sessions(), vec![three.date; 3]);
    let range = set.dispatches.iter().find(|r| r.last_day.is_some()).unwrap();
    let days = range.sessions();
    assert_eq!(days.len(), 2);
    assert_ne!(days[0].month(), days[1].month(), "{days:?}");
    let two = set.outreach.iter().find(|r| r.days == 2).unwrap();
    assert!(two.fate.is_accepted() && two.kind == "小中学校等");
    // The arithmetic: person-days are trainees × days.
    let at = |as_of| -> BTreeMap<&'static str, f64> { set.kpi_actuals(as_of).into_iter().collect() };
    let year = at(d_(2024, 3, 31));
    let by_rows: i64 = set
        .dispatches
        .iter()
        .filter(|r| r.fate.is_accepted() && r.instructor_type == "ものづくりマイスター")
        .filter(|r| r.date >= d_(2023, 4, 1) && r.date <= d_(2024, 3, 31))
        .map(|r| r.trainees * r.sessions().len() as i64)
        .sum();
    assert_eq!(year["dispatch.person_days"], by_rows as f64);
    // Last year's competition list never counts this year.
    assert!(set.competitions.iter().any(|r| r.fiscal_year == Some(2022) && r.place.file.starts_with("過年度/")));
}

fn d_(y: i32, m: u32, day: u32) -> NaiveDate {
    d(y, m, day)
}
