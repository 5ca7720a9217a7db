//! Merged cells in every format (issue: "Merged cells in every format"): one
//! dispatch sheet with a 区分 merged over three rows and a 実施日 merged over
//! two, written as `.xlsx`, `.ods` (ours and LibreOffice's), `.xls` and
//! `.xlsb`, must give the figures its own rows imply, the same in every
//! format. The fixtures under `tests/fixtures/merged_cells/` were made from
//! these rows (see the README there), and each is checked against them here,
//! so a fixture cannot drift from the rows.

use crate::harness::{Dir, V, V::*, fill};
use calamine::{Data, Dimensions, Reader, Sheets, open_workbook_auto_from_rs};
use chrono::NaiveDate;
use corner_kpi::ingest::ods_merges;
use corner_kpi::ingest::xlsb_merges::XlsbMerges;
use corner_kpi::kpi::Figures;
use corner_kpi::mapping::Mapping;
use corner_kpi::plan::Plan;
use corner_kpi::schema::DatasetId;
use corner_kpi_samples::{MergedRange, PlainCell, ods_sheet};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;
use std::path::PathBuf;

const SHEET: &str = "派遣実績";
const TITLE: &str = "令和5年度 派遣実績一覧（結合セルの確認）";
const HEADERS: [&str; 7] = ["実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "区分", "派遣番号"];

/// Merged ranges `((first row, first col), (last row, last col))`, 0-based:
/// the title across A1:G1, 実施日 down A3:A4, 区分 down F3:F5.
const MERGES: [MergedRange; 3] = [((0, 0), (0, 6)), ((2, 0), (3, 0)), ((2, 5), (4, 5))];

/// The sheet, row by row; a cell covered by a merge is empty (`E`).
fn rows() -> Vec<Vec<V>> {
    let mut rows = vec![vec![S(TITLE)], HEADERS.map(S).to_vec()];
    rows.extend([
        // 区分 熟練技能者 merged over this row and the two below; 実施日 over
        // this row and the next.
        vec![D(2023, 6, 5), S("企業"), S("A社"), S("旋盤"), N(10.0), S("熟練技能者"), S("D-001")],
        vec![E, S("企業"), S("B社"), S("溶接"), N(7.0), E, S("D-002")],
        vec![D(2023, 6, 12), S("工業高校"), S("C高校"), S("電気工事"), N(20.0), E, S("D-003")],
        vec![D(2023, 7, 3), S("団体"), S("D会"), S("機械加工"), N(5.0), S("マイスター"), S("D-004")],
        // A blank 区分 that no merge covers: the default, ものづくりマイスター.
        vec![D(2023, 7, 10), S("企業"), S("E社"), S("塗装"), N(8.0), E, S("D-005")],
        vec![D(2023, 8, 1), S("公共施設"), S("F館"), S("木工"), N(12.0), S("熟練技能者"), S("D-006")],
    ]);
    rows
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 8, 31).unwrap()
}

/// (dispatch.sessions, dispatch.person_days, skilled.sessions, skilled.trainees).
type Four = (f64, f64, f64, f64);

/// The figures the rows imply, counted here: each merge's top-left value
/// copied to every cell it covers, then every row with a date in the fiscal
/// year up to the as-of date counted as a meister session (区分 blank or
/// マイスター) or a skilled-worker one (熟練技能者). A row without a date is
/// not counted (the reader rejects it).
fn figures_from_rows(rows: &[Vec<V>], merges: &[MergedRange]) -> Four {
    let mut grid: Vec<Vec<V>> = rows.to_vec();
    for &((r0, c0), (r1, c1)) in merges {
        let top = rows[r0 as usize].get(usize::from(c0)).cloned().unwrap_or(E);
        for r in r0..=r1 {
            for c in c0..=c1 {
                let row = &mut grid[r as usize];
                if row.len() <= usize::from(c) {
                    row.resize(usize::from(c) + 1, E);
                }
                row[usize::from(c)] = top.clone();
            }
        }
    }
    let col = |h: &str| HEADERS.iter().position(|x| *x == h).unwrap();
    let (date, kubun, trainees) = (col("実施日"), col("区分"), col("受講者数"));
    let fy_start = NaiveDate::from_ymd_opt(2023, 4, 1).unwrap();
    let mut four = (0.0, 0.0, 0.0, 0.0);
    for row in &grid[2..] {
        let Some(D(y, m, d)) = row.get(date) else { continue };
        let day = NaiveDate::from_ymd_opt(*y, *m, *d).unwrap();
        if day < fy_start || day > as_of() {
            continue;
        }
        let Some(N(n)) = row.get(trainees) else { panic!("a count in every row: {row:?}") };
        match row.get(kubun) {
            Some(S("熟練技能者")) => {
                four.2 += 1.0;
                four.3 += n;
            }
            Some(S("マイスター") | E) | None => {
                four.0 += 1.0;
                four.1 += n;
            }
            other => panic!("unexpected 区分 {other:?}"),
        }
    }
    four
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The sheet as `.xlsx` (rust_xlsxwriter `merge_range`, then the top-left
/// value written again with its format).
fn xlsx_bytes() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).unwrap();
    let rows = rows();
    fill(ws, &rows);
    let date = Format::new().set_num_format("yyyy/m/d");
    for &((r0, c0), (r1, c1)) in &MERGES {
        ws.merge_range(r0, c0, r1, c1, "", &Format::new()).unwrap();
        match &rows[r0 as usize][usize::from(c0)] {
            S(s) => {
                ws.write_string(r0, c0, *s).unwrap();
            }
            D(y, m, d) => {
                let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8).unwrap();
                ws.write_datetime_with_format(r0, c0, &dt, &date).unwrap();
            }
            other => panic!("merge origin {other:?}"),
        }
    }
    wb.save_to_buffer().unwrap()
}

fn plain(v: &V) -> PlainCell {
    match v {
        S(s) => PlainCell::Text(s.to_string()),
        Str(s) => PlainCell::Text(s.clone()),
        N(n) => PlainCell::Number(*n),
        D(y, m, d) => PlainCell::Date(NaiveDate::from_ymd_opt(*y, *m, *d).unwrap()),
        E => PlainCell::Empty,
        X(inner) => plain(inner),
    }
}

/// The sheet as `.ods`, by the sample generator's writer.
fn ods_bytes() -> Vec<u8> {
    let rows: Vec<Vec<PlainCell>> = rows().iter().map(|r| r.iter().map(plain).collect()).collect();
    ods_sheet(SHEET, &rows, &MERGES).unwrap()
}

/// Every format of the sheet: (file name, bytes).
fn books() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("派遣実績.xlsx", xlsx_bytes()),
        ("派遣実績.ods", ods_bytes()),
        ("派遣実績.xls", read_fixture("merged_cells/dispatch.xls")),
        ("派遣実績_LibreOffice.ods", read_fixture("merged_cells/dispatch.libreoffice.ods")),
        ("派遣実績.xlsb", xlsb::workbook(SHEET, &rows(), &MERGES)),
    ]
}

fn pipeline(dir: &Dir) -> (corner_kpi::normalise::Normalised, Figures) {
    let mapping = Mapping::embedded();
    let plan = Plan::embedded();
    let ingested = corner_kpi::ingest::ingest(&dir.input(), &mapping, false).unwrap();
    let norm = corner_kpi::normalise::normalise(ingested, &mapping).unwrap();
    let fig = corner_kpi::kpi::compute(&plan, &mapping, &norm.datasets, as_of()).unwrap();
    (norm, fig)
}

fn actual(f: &Figures, id: &str) -> f64 {
    f.kpis.iter().find(|k| k.id == id).unwrap().actual.unwrap()
}

#[test]
fn a_merged_kubun_and_a_merged_date_give_the_same_figures_in_every_format() {
    let rows = rows();
    let want = figures_from_rows(&rows, &MERGES);
    // Read without its merges the sheet says something else (the second
    // row has no date, the rows under 熟練技能者 would be meister sessions),
    // so a reader that misses a merge fails here.
    assert_ne!(figures_from_rows(&rows, &[]), want);
    let mut all = Vec::new();
    for (file, bytes) in books() {
        let dir = Dir::new();
        dir.write(file, &bytes);
        let (norm, fig) = pipeline(&dir);
        let sheet = norm.quality.sheets.iter().find(|s| s.sheet == SHEET).unwrap_or_else(|| panic!("{file}"));
        assert_eq!(sheet.dataset, Some(DatasetId::Dispatches), "{file}");
        assert_eq!((sheet.rows_read, sheet.accepted, sheet.rejected), (6, 6, 0), "{file}");
        let got = (
            actual(&fig, "dispatch.sessions"),
            actual(&fig, "dispatch.person_days"),
            actual(&fig, "skilled.sessions"),
            actual(&fig, "skilled.trainees"),
        );
        assert_eq!(got, want, "{file}");
        all.push(got);
        // The blank 区分 cells under the merge are 熟練技能者, not the default.
        let df = &norm.datasets[&DatasetId::Dispatches];
        let no = df.column("dispatch_no").unwrap().str().unwrap();
        let kind = df.column("instructor_type").unwrap().str().unwrap();
        let kind_of = |n: &str| (0..df.height()).find(|&i| no.get(i) == Some(n)).and_then(|i| kind.get(i));
        for n in ["D-002", "D-003"] {
            assert_eq!(kind_of(n), Some("熟練技能者"), "{file} {n}");
        }
        assert_eq!(kind_of("D-005"), Some("ものづくりマイスター"), "{file}");
    }
    assert!(all.windows(2).all(|w| w[0] == w[1]), "{all:?}");
}

/// What a cell holds, across formats: a date cell, a serial number in a
/// date column and an ISO date are the same date.
#[derive(Debug, PartialEq)]
enum Seen {
    Text(String),
    Num(f64),
    Date(NaiveDate),
    Empty,
}

fn seen(d: &Data) -> Seen {
    match d {
        Data::String(s) => Seen::Text(s.clone()),
        Data::Float(f) => Seen::Num(*f),
        Data::Int(i) => Seen::Num(*i as f64),
        Data::DateTime(dt) => Seen::Date(dt.as_datetime().unwrap().date()),
        Data::DateTimeIso(s) => Seen::Date(NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap()),
        Data::Empty => Seen::Empty,
        Data::Bool(_) | Data::DurationIso(_) | Data::Error(_) => panic!("unexpected cell {d:?}"),
    }
}

fn want(v: &V) -> Seen {
    match v {
        S(s) => Seen::Text(s.to_string()),
        Str(s) => Seen::Text(s.clone()),
        N(n) => Seen::Num(*n),
        D(y, m, d) => Seen::Date(NaiveDate::from_ymd_opt(*y, *m, *d).unwrap()),
        E => Seen::Empty,
        X(inner) => want(inner),
    }
}

/// The file's cells are the rows' cells (no more), and its merges (as
/// calamine or our readers give them) are `MERGES`.
fn assert_holds_rows(name: &str, bytes: &[u8]) {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let range = book.worksheet_range(SHEET).unwrap_or_else(|e| panic!("{name}: {e}"));
    let rows = rows();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let got = range.get_value((r as u32, c as u32)).map_or(Seen::Empty, seen);
            let got = match (got, v) {
                // A serial number where the rows hold a date (the pipeline reads it as one).
                (Seen::Num(serial), D(..)) => {
                    Seen::Date(NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + chrono::Days::new(serial as u64))
                }
                (got, _) => got,
            };
            assert_eq!(got, want(v), "{name} row {r} col {c}");
        }
    }
    let written = rows.iter().flatten().filter(|v| !matches!(v, E)).count();
    assert_eq!(range.used_cells().count(), written, "{name}: cells beyond the rows");
    let mut merges = match &mut book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(SHEET).unwrap(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(SHEET).unwrap(),
        Sheets::Ods(_) => ods_merges::read(bytes).unwrap()[SHEET].clone(),
        Sheets::Xlsb(_) => XlsbMerges::open(bytes).unwrap().sheet(SHEET),
    };
    merges.sort();
    let mut expected: Vec<Dimensions> =
        MERGES.iter().map(|&((r0, c0), (r1, c1))| Dimensions::new((r0, u32::from(c0)), (r1, u32::from(c1)))).collect();
    expected.sort();
    assert_eq!(merges, expected, "{name}");
}

#[test]
fn every_written_book_and_fixture_holds_the_test_rows_and_merges() {
    assert_holds_rows("xlsx", &xlsx_bytes());
    assert_holds_rows("ods", &ods_bytes());
    assert_holds_rows("xlsb", &xlsb::workbook(SHEET, &rows(), &MERGES));
    for f in [
        "merged_cells/dispatch.xlsx",
        "merged_cells/dispatch.xls",
        "merged_cells/dispatch.libreoffice.ods",
        "merged_cells/dispatch.xlsb",
        // LibreOffice's own reading of our .xlsb: it sees the cells and merges.
        "merged_cells/dispatch.xlsb.libreoffice.xlsx",
    ] {
        assert_holds_rows(f, &read_fixture(f));
    }
}

/// The fixtures LibreOffice converted are the bytes this test writes:
/// `dispatch.xlsb` is `xlsb::workbook` byte for byte (it is deterministic),
/// so LibreOffice's verdict on the fixture holds for the writer.
/// `REGENERATE_FIXTURES=1` rewrites the two inputs of the conversions (then
/// convert again, see `tests/fixtures/merged_cells/README.md`).
#[test]
fn the_xlsb_fixture_is_what_the_writer_writes() {
    let xlsb = xlsb::workbook(SHEET, &rows(), &MERGES);
    if std::env::var_os("REGENERATE_FIXTURES").is_some() {
        std::fs::write(fixture("merged_cells/dispatch.xlsb"), &xlsb).unwrap();
        std::fs::write(fixture("merged_cells/dispatch.xlsx"), xlsx_bytes()).unwrap();
    }
    assert!(read_fixture("merged_cells/dispatch.xlsb") == xlsb, "the xlsb writer changed: regenerate the fixtures");
}

/// calamine's own test workbooks (tests/fixtures/calamine/, MIT): the regions
/// LibreOffice 7.4 shows there (A2:A3 in both, checked by converting each to
/// .xlsx with `soffice --convert-to xlsx` and reading its `mergeCells`).
#[test]
fn the_ods_reader_finds_the_regions_libreoffice_shows_in_calamines_workbooks() {
    let a2_a3 = Dimensions::new((1, 0), (2, 0));
    let merged = ods_merges::read(&read_fixture("calamine/merged_cells.ods")).unwrap();
    assert_eq!(merged.len(), 1);
    assert_eq!(merged["Sheet1"], [a2_a3]);
    // covered.ods keeps a value ("a3") in its covered cell: the merge wins,
    // as LibreOffice shows it.
    let covered = ods_merges::read(&read_fixture("calamine/covered.ods")).unwrap();
    assert_eq!(covered["sheet1"], [a2_a3]);
}

/// A `content.xml` that ends inside a table makes calamine 0.38 loop for
/// ever; the reader refuses the workbook first.
#[test]
fn an_ods_whose_content_ends_inside_a_table_is_refused_not_read_forever() {
    let ods = ods_bytes();
    let mut zip = zip::ZipArchive::new(Cursor::new(ods.clone())).unwrap();
    let mut content = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("content.xml").unwrap(), &mut content).unwrap();
    let cut = content.find("</table:table>").unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let opts = zip::write::SimpleFileOptions::default().compression_method(part.compression());
        out.start_file(name.as_str(), opts).unwrap();
        if name == "content.xml" {
            std::io::Write::write_all(&mut out, &content.as_bytes()[..cut]).unwrap();
        } else {
            std::io::copy(&mut part, &mut out).unwrap();
        }
    }
    let truncated = out.finish().unwrap().into_inner();

    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mapping = Mapping::embedded();
        let _ = tx.send(corner_kpi::ingest::workbook::read_workbook_guarded("切れた.ods", &truncated, "ods", &mapping));
    });
    let result = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("read within a minute");
    let reason = result.expect_err("refused");
    assert!(reason.contains("途中で切れて"), "{reason}");
}

/// A minimal `.xlsb` writer: `[Content_Types].xml`, the relationships,
/// `xl/workbook.bin` (one `BrtBundleSh`), `xl/styles.bin` (one font, fill,
/// border and style; cell formats 0 = General and 1 = date, numFmt 14) and
/// `xl/worksheets/sheet1.bin` (`BrtRowHdr`, `BrtCellSt` inline strings,
/// `BrtCellReal` numbers and dates, then the merge block). Record layouts
/// follow MS-XLSB 2.4. Checked with LibreOffice 7.4: `soffice --headless
/// --convert-to xlsx dispatch.xlsb` opens it and keeps its cells and merges
/// (`dispatch.xlsb.libreoffice.xlsx`, checked above).
mod xlsb {
    use crate::harness::V::{self, *};
    use corner_kpi_samples::MergedRange;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime, ZipWriter};

    fn rec(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
        if typ < 0x80 {
            out.push(typ as u8);
        } else {
            out.extend([(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]);
        }
        let mut len = body.len() as u32;
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
        out.extend(body);
    }

    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        out
    }

    fn u32s(v: &[u32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    /// BrtColor: automatic.
    const AUTO: [u8; 8] = [0x01, 0, 0, 0, 0, 0, 0, 0xFF];

    fn workbook_bin(sheet: &str) -> Vec<u8> {
        let mut out = Vec::new();
        rec(&mut out, 0x83, &[]); // BrtBeginBook
        rec(&mut out, 0x99, &[u32s(&[0, 0]), wide("")].concat()); // BrtWbProp: flags, theme, name
        rec(&mut out, 0x8F, &[]); // BrtBeginBundleShs
        // BrtBundleSh: visible, tab id 1, relationship id, name.
        rec(&mut out, 0x9C, &[u32s(&[0, 1]), wide("rId1"), wide(sheet)].concat());
        rec(&mut out, 0x90, &[]); // BrtEndBundleShs
        rec(&mut out, 0x84, &[]); // BrtEndBook
        out
    }

    fn xf(num_fmt: u16) -> Vec<u8> {
        // ixfeParent, iFmt, iFont, iFill, ixBorder, trot, indent, flags, grbitAtr.
        let mut b = Vec::new();
        for v in [0xFFFFu16, num_fmt, 0, 0, 0] {
            b.extend(v.to_le_bytes());
        }
        b.extend([0, 0]);
        b.extend(0u16.to_le_bytes());
        b.extend(0u16.to_le_bytes());
        b
    }

    fn styles_bin() -> Vec<u8> {
        let mut out = Vec::new();
        rec(&mut out, 0x116, &[]); // BrtBeginStyleSheet
        rec(&mut out, 0x263, &u32s(&[1])); // BrtBeginFonts
        let mut font = Vec::new();
        for v in [220u16, 0, 400, 0] {
            font.extend(v.to_le_bytes()); // height (twips), flags, weight, escapement
        }
        font.extend([0, 2, 128, 0]); // underline, family, charset (SHIFTJIS), unused
        font.extend(AUTO);
        font.push(0); // scheme
        font.extend(wide("MS PGothic"));
        rec(&mut out, 0x2B, &font); // BrtFont
        rec(&mut out, 0x264, &[]); // BrtEndFonts
        rec(&mut out, 0x25B, &u32s(&[2])); // BrtBeginFills
        for pattern in [0u32, 17] {
            // none, gray125: pattern, fore and back colours, gradient fields.
            let mut fill = pattern.to_le_bytes().to_vec();
            fill.extend(AUTO);
            fill.extend(AUTO);
            fill.extend(0u32.to_le_bytes());
            fill.extend([0u8; 40]);
            fill.extend(0u32.to_le_bytes());
            rec(&mut out, 0x2D, &fill); // BrtFill
        }
        rec(&mut out, 0x25C, &[]); // BrtEndFills
        rec(&mut out, 0x265, &u32s(&[1])); // BrtBeginBorders
        let mut border = vec![0u8];
        for _ in 0..5 {
            border.extend([0, 0]);
            border.extend(AUTO);
        }
        rec(&mut out, 0x2E, &border); // BrtBorder
        rec(&mut out, 0x266, &[]); // BrtEndBorders
        rec(&mut out, 0x272, &u32s(&[1])); // BrtBeginCellStyleXFs
        rec(&mut out, 0x2F, &xf(0));
        rec(&mut out, 0x273, &[]); // BrtEndCellStyleXFs
        rec(&mut out, 0x269, &u32s(&[2])); // BrtBeginCellXFs
        let mut general = xf(0);
        general[..2].copy_from_slice(&0u16.to_le_bytes()); // parent: style 0
        rec(&mut out, 0x2F, &general);
        let mut date = xf(14);
        date[..2].copy_from_slice(&0u16.to_le_bytes());
        rec(&mut out, 0x2F, &date);
        rec(&mut out, 0x26A, &[]); // BrtEndCellXFs
        rec(&mut out, 0x26B, &u32s(&[1])); // BrtBeginStyles
        let mut style = 0u32.to_le_bytes().to_vec(); // ixf
        style.extend(1u16.to_le_bytes()); // built-in
        style.extend([0, 0xFF]); // Normal, level
        style.extend(wide("Normal"));
        rec(&mut out, 0x30, &style); // BrtStyle
        rec(&mut out, 0x26C, &[]); // BrtEndStyles
        rec(&mut out, 0x117, &[]); // BrtEndStyleSheet
        out
    }

    fn sheet_bin(rows: &[Vec<V>], merges: &[MergedRange]) -> Vec<u8> {
        let last_row = rows.len().saturating_sub(1) as u32;
        let last_col = rows.iter().map(Vec::len).max().unwrap_or(1).saturating_sub(1) as u32;
        let mut out = Vec::new();
        rec(&mut out, 0x81, &[]); // BrtBeginSheet
        rec(&mut out, 0x94, &u32s(&[0, last_row, 0, last_col])); // BrtWsDim
        rec(&mut out, 0x91, &[]); // BrtBeginSheetData
        for (r, row) in rows.iter().enumerate() {
            // BrtRowHdr: row, style, height 15 pt, flags, no column spans.
            let mut hdr = u32s(&[r as u32, 0]);
            hdr.extend(300u16.to_le_bytes());
            hdr.extend([0, 0, 0]);
            hdr.extend(0u32.to_le_bytes());
            rec(&mut out, 0x00, &hdr);
            for (c, v) in row.iter().enumerate() {
                let cell = |xf: u32| u32s(&[c as u32, xf]);
                match v {
                    S(s) => rec(&mut out, 0x06, &[cell(0), wide(s)].concat()), // BrtCellSt
                    Str(s) => rec(&mut out, 0x06, &[cell(0), wide(s)].concat()),
                    N(n) => rec(&mut out, 0x05, &[cell(0), n.to_le_bytes().to_vec()].concat()), // BrtCellReal
                    D(y, m, d) => {
                        let day = chrono::NaiveDate::from_ymd_opt(*y, *m, *d).unwrap();
                        let serial = (day - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
                        rec(&mut out, 0x05, &[cell(1), serial.to_le_bytes().to_vec()].concat());
                    }
                    E | X(_) => {}
                }
            }
        }
        rec(&mut out, 0x92, &[]); // BrtEndSheetData
        rec(&mut out, 0xB1, &u32s(&[merges.len() as u32])); // BrtBeginMergeCells
        for &((r0, c0), (r1, c1)) in merges {
            rec(&mut out, 0xB0, &u32s(&[r0, r1, u32::from(c0), u32::from(c1)])); // BrtMergeCell
        }
        rec(&mut out, 0xB2, &[]); // BrtEndMergeCells
        rec(&mut out, 0x82, &[]); // BrtEndSheet
        out
    }

    const CONTENT_TYPES: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#,
        r#"<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>"#,
        r#"</Types>"#,
    );

    const ROOT_RELS: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/>"#,
        r#"</Relationships>"#,
    );

    const WORKBOOK_RELS: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>"#,
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.bin"/>"#,
        r#"</Relationships>"#,
    );

    /// One sheet of `rows` with `merges`, as `.xlsb` bytes (the same bytes on every run).
    pub fn workbook(sheet: &str, rows: &[Vec<V>], merges: &[MergedRange]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default());
        let parts: [(&str, Vec<u8>); 6] = [
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes().to_vec()),
            ("_rels/.rels", ROOT_RELS.as_bytes().to_vec()),
            ("xl/workbook.bin", workbook_bin(sheet)),
            ("xl/_rels/workbook.bin.rels", WORKBOOK_RELS.as_bytes().to_vec()),
            ("xl/styles.bin", styles_bin()),
            ("xl/worksheets/sheet1.bin", sheet_bin(rows, merges)),
        ];
        for (name, bytes) in parts {
            zip.start_file(name, opts).unwrap();
            zip.write_all(&bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }
}

/// The merged regions found by searching an .xlsx sheet's part are the ones
/// calamine gives, on every sheet of every .xlsx of the samples and here.
#[test]
fn xlsx_merges_found_by_search_equal_calamines() {
    use corner_kpi::ingest::xlsx_merges::XlsxMerges;
    let dir = tempfile::tempdir().unwrap();
    corner_kpi_samples::write_samples(dir.path()).unwrap();
    let mut books: Vec<Vec<u8>> = vec![xlsx_bytes(), read_fixture("merged_cells/dispatch.xlsx")];
    for e in walkdir::WalkDir::new(dir.path()) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".xlsx") && !name.starts_with("~$") {
            books.push(std::fs::read(e.path()).unwrap());
        }
    }
    let mut with_merges = 0;
    for bytes in &books {
        let mut ours = XlsxMerges::open(bytes).expect("an xlsx");
        let mut wb = calamine::Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        for name in wb.sheet_names() {
            let mut theirs = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
            let mut found = ours.sheet(&name).expect("every sheet's part is found");
            theirs.sort();
            found.sort();
            with_merges += usize::from(!found.is_empty());
            assert_eq!(found, theirs, "{name}");
        }
    }
    assert!(with_merges >= 3, "the books hold merged sheets ({with_merges})");
}

/// A header of two rows, as hand-kept books often have it: 実施日, 職種,
/// 受講者数 and 区分 merged down both rows, and a group 派遣先 merged across
/// two columns over its parts, written short (区分, 名) or in full
/// (派遣先区分, 派遣先名). Row 1 alone names `trainings` (実施日, 区分,
/// 受講者数); both rows read together name `dispatches`, and the data starts
/// below the second row (which is no data row). The same in .xlsx and .ods.
#[test]
fn a_two_row_header_with_merged_cells_is_read_as_one() {
    for (parts, kubun) in
        [(["区分", "名"], "区分"), (["派遣先区分", "派遣先名"], "区分"), (["区分", "名"], "指導者区分")]
    {
        // With 指導者区分 (no plain 区分), neither row alone names a record type.
        let top = [S("実施日"), S("派遣先"), E, S("職種"), S("受講者数"), S(kubun)];
        let sub = [E, S(parts[0]), S(parts[1]), E, E, E];
        let mut rows: Vec<Vec<V>> = vec![vec![S("派遣実績（二段見出し）")], top.to_vec(), sub.to_vec()];
        rows.extend([
            vec![D(2023, 7, 3), S("工業高校"), S("B高校"), S("電気工事"), N(5.0), E],
            vec![D(2023, 7, 4), S("企業"), S("A社"), S("旋盤"), N(4.0), S("熟練技能者")],
            vec![D(2023, 7, 5), S("工業高校"), S("B高校"), S("電気工事"), N(6.0), S("マイスター")],
        ]);
        // 0-based ((row, col), (row, col)): 派遣先 across B2:C2; the others down rows 2–3.
        let merges: [MergedRange; 5] =
            [((1, 1), (1, 2)), ((1, 0), (2, 0)), ((1, 3), (2, 3)), ((1, 4), (2, 4)), ((1, 5), (2, 5))];
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("派遣").unwrap();
        fill(ws, &rows);
        for &((r0, c0), (r1, c1)) in &merges {
            let S(text) = rows[r0 as usize][usize::from(c0)] else { panic!("merge origin") };
            ws.merge_range(r0, c0, r1, c1, text, &Format::new()).unwrap();
        }
        let plain_rows: Vec<Vec<PlainCell>> = rows.iter().map(|r| r.iter().map(plain).collect()).collect();
        for (name, bytes) in [
            ("二段.xlsx", wb.save_to_buffer().unwrap()),
            ("二段.ods", ods_sheet("派遣", &plain_rows, &merges).unwrap()),
        ] {
            let dir = Dir::new();
            dir.write(name, &bytes);
            let (norm, fig) = pipeline(&dir);
            let s = &norm.quality.sheets[0];
            assert_eq!(s.dataset, Some(DatasetId::Dispatches), "{name} {parts:?}");
            assert_eq!(s.header_row, Some(3), "{name}: the second header row");
            assert_eq!((s.rows_read, s.accepted, s.rejected), (3, 3, 0), "{name} {parts:?}");
            // 区分 blank = meister: sessions of 7/3 and 7/5; 7/4 is a skilled worker's.
            assert_eq!(actual(&fig, "dispatch.sessions"), 2.0, "{name}");
            assert_eq!(actual(&fig, "dispatch.person_days"), 11.0, "{name}");
            assert_eq!(actual(&fig, "skilled.sessions"), 1.0, "{name}");
        }
    }
}

/// A header cell merged down into the first data row (a 備考 over two rows)
/// does not make a two-row header: the row below holds a date and a count,
/// so it is read as data and counted.
#[test]
fn a_header_cell_merged_into_the_first_data_row_leaves_that_row_a_record() {
    for first in [
        vec![D(2023, 7, 3), S("工業高校"), S("B高校"), S("電気工事"), N(5.0), E],
        // All text, the date and the count too: still a record.
        vec![S("2023/7/3"), S("工業高校"), S("B高校"), S("電気工事"), S("5人"), E],
    ] {
        one_header_cell_merged_into(first);
    }
}

fn one_header_cell_merged_into(first: Vec<V>) {
    let rows: Vec<Vec<V>> = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数"), S("備考")],
        first,
        vec![D(2023, 7, 4), S("企業"), S("A社"), S("旋盤"), N(4.0), E],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("派遣").unwrap();
    fill(ws, &rows);
    ws.merge_range(0, 5, 1, 5, "備考", &Format::new()).unwrap();
    let dir = Dir::new();
    dir.write("派遣.xlsx", &wb.save_to_buffer().unwrap());
    let (norm, fig) = pipeline(&dir);
    let s = &norm.quality.sheets[0];
    assert_eq!(s.header_row, Some(1));
    assert_eq!((s.rows_read, s.accepted), (2, 2));
    assert_eq!(actual(&fig, "dispatch.person_days"), 9.0);
}

/// A sheet of several months, each under a two-row header repeated with its
/// merges: the repeated header rows are no records (skipped as blank).
#[test]
fn a_two_row_header_repeated_between_months_is_not_read_as_records() {
    let top = || vec![S("実施日"), S("派遣先"), E, S("職種"), S("受講者数")];
    let sub = || vec![E, S("区分"), S("名"), E, E];
    let mut rows: Vec<Vec<V>> = vec![top(), sub()];
    rows.push(vec![D(2023, 5, 8), S("企業"), S("A社"), S("旋盤"), N(6.0)]);
    rows.push(vec![S("【6月分】")]);
    rows.push(top());
    rows.push(sub());
    rows.push(vec![D(2023, 6, 5), S("企業"), S("A社"), S("旋盤"), N(5.0)]);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("派遣").unwrap();
    fill(ws, &rows);
    for r in [0u32, 4] {
        ws.merge_range(r, 1, r, 2, "派遣先", &Format::new()).unwrap();
        for (c, text) in [(0u16, "実施日"), (3, "職種"), (4, "受講者数")] {
            ws.merge_range(r, c, r + 1, c, text, &Format::new()).unwrap();
        }
    }
    let dir = Dir::new();
    dir.write("派遣.xlsx", &wb.save_to_buffer().unwrap());
    let (norm, fig) = pipeline(&dir);
    let s = &norm.quality.sheets[0];
    assert_eq!(s.header_row, Some(2));
    assert_eq!((s.rows_read, s.accepted, s.rejected), (5, 2, 0), "{:?}", norm.quality.rejected);
    assert_eq!(actual(&fig, "dispatch.person_days"), 11.0);
}

/// Header cells merged down into a row of units in brackets ((年/月/日),
/// （人）): the two rows are one header, so the units row is no record.
#[test]
fn a_units_row_under_header_cells_merged_into_it_is_part_of_the_header() {
    let rows: Vec<Vec<V>> = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![S("(年/月/日)"), E, E, E, S("（人）")],
        vec![D(2023, 7, 3), S("工業高校"), S("B高校"), S("電気工事"), N(5.0)],
        vec![D(2023, 7, 4), S("企業"), S("A社"), S("旋盤"), N(4.0)],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("派遣").unwrap();
    fill(ws, &rows);
    for (c, text) in [(1u16, "派遣先区分"), (2, "派遣先名"), (3, "職種")] {
        ws.merge_range(0, c, 1, c, text, &Format::new()).unwrap();
    }
    let dir = Dir::new();
    dir.write("派遣.xlsx", &wb.save_to_buffer().unwrap());
    let (norm, fig) = pipeline(&dir);
    let s = &norm.quality.sheets[0];
    assert_eq!(s.header_row, Some(2), "both rows are the header");
    assert_eq!((s.rows_read, s.accepted, s.rejected), (2, 2, 0), "{:?}", norm.quality.rejected);
    assert_eq!(actual(&fig, "dispatch.person_days"), 9.0);
}
