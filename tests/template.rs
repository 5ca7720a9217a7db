//! `corner-kpi template`: the blank workbooks of a fiscal year. Filled with
//! the generator's accepted records under the headers read back from the
//! written files, they give exactly the generator's figures; their data
//! validation, frozen header and A4 setup are in the files; blank, they read
//! as recognised sheets with no rows; a corner's own headers (--mapping) are
//! used and still recognised; the binary writes them once and never over a
//! file.

use crate::harness::{files_under, stderr};
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use corner_kpi::config::{Source, TemplateConfig};
use corner_kpi::fiscal::FiscalYear;
use corner_kpi::ingest::header::instructions_reason;
use corner_kpi::mapping::Mapping;
use corner_kpi::normalise::Normalised;
use corner_kpi::plan::Plan;
use corner_kpi::schema::{DatasetId, FieldKind};
use corner_kpi::template::{INSTRUCTIONS_SHEET, WAREKI_DATE_FORMAT};
use corner_kpi::text::normalise_header;
use corner_kpi_samples::{SampleSet, sample_set};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Writes the templates of `year` into `dir` with the library call the
/// binary makes; returns the written paths.
fn write_templates(year: i32, dir: &Path, mapping: Source) -> Vec<PathBuf> {
    let config = TemplateConfig {
        fiscal_year: FiscalYear::new(year),
        plan: Source::Embedded,
        mapping,
        output: Some(dir.to_path_buf()),
    };
    let written = corner_kpi::template::write(&config).unwrap();
    assert_eq!(written.files.len(), DatasetId::ALL.len(), "one book per record type");
    written.files.iter().map(|f| dir.join(f)).collect()
}

/// Every sheet of a workbook as a grid of cells: (name, rows of cells from column A).
fn read_sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let mut grid: Vec<Vec<Data>> = Vec::new();
            if let Some((r0, c0)) = range.start() {
                for (r, c, v) in range.used_cells() {
                    let (r, c) = (r0 as usize + r, c0 as usize + c);
                    if grid.len() <= r {
                        grid.resize(r + 1, Vec::new());
                    }
                    if grid[r].len() <= c {
                        grid[r].resize(c + 1, Data::Empty);
                    }
                    grid[r][c] = v.clone();
                }
            }
            (name, grid)
        })
        .collect()
}

fn text(d: &Data) -> Option<&str> {
    match d {
        Data::String(s) => Some(s.as_str()),
        _ => None,
    }
}

/// The header row of a data sheet, found the way a person checking the file
/// would: the row whose every cell names a field of one record type, with
/// all of that type's fields. Returns (row, record type, field key per column).
fn header_row(grid: &[Vec<Data>], mapping: &Mapping) -> (usize, DatasetId, Vec<&'static str>) {
    for (r, row) in grid.iter().enumerate().take(20) {
        let cells: Vec<&str> = row.iter().filter_map(text).collect();
        if cells.len() < 2 || cells.len() != row.len() {
            continue;
        }
        for id in DatasetId::ALL {
            let ds = mapping.dataset(id);
            let fields: Option<Vec<&'static str>> =
                cells.iter().map(|h| ds.field_for_header(&normalise_header(h))).collect();
            if let Some(fields) = fields
                && fields.len() == id.schema().fields.len()
            {
                return (r, id, fields);
            }
        }
    }
    panic!("no header row naming every field of a record type");
}

/// A value to put in a cell.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Num(f64),
    Date(NaiveDate),
}

type Row = BTreeMap<&'static str, Cell>;

fn put(row: &mut Row, key: &'static str, v: Option<Cell>) {
    if let Some(v) = v {
        row.insert(key, v);
    }
}

fn t(s: &str) -> Option<Cell> {
    Some(Cell::Text(s.to_string()))
}
fn ot(s: &Option<String>) -> Option<Cell> {
    s.as_deref().and_then(t)
}
fn n(v: i64) -> Option<Cell> {
    Some(Cell::Num(v as f64))
}
fn on(v: Option<i64>) -> Option<Cell> {
    v.and_then(n)
}
fn dt(v: NaiveDate) -> Option<Cell> {
    Some(Cell::Date(v))
}
fn odt(v: Option<NaiveDate>) -> Option<Cell> {
    v.and_then(dt)
}

fn fy_of(date: NaiveDate) -> i32 {
    FiscalYear::of(date).year()
}

/// The generator's accepted records of one record type that belong in the
/// books of fiscal year `fy` (by their date; the registry in the latest
/// year; competition entries by their 年度), as rows by field key.
fn rows_for(set: &SampleSet, id: DatasetId, fy: i32, registry_year: i32) -> Vec<Row> {
    let mut out = Vec::new();
    match id {
        DatasetId::Dispatches => {
            for r in set.dispatches.iter().filter(|r| r.fate.is_accepted() && fy_of(r.date) == fy) {
                let mut row = Row::new();
                // A range as staff type it into the date cell; 日数 as it is.
                match r.last_day {
                    Some(last) => put(
                        &mut row,
                        "date",
                        Some(Cell::Text(format!("{}〜{}", r.date.format("%Y/%m/%d"), last.format("%-m/%-d")))),
                    ),
                    None => put(&mut row, "date", dt(r.date)),
                }
                if r.days > 1 {
                    put(&mut row, "days", n(r.days.into()));
                }
                put(&mut row, "dest_type", t(r.dest_type));
                put(&mut row, "requester", t(&r.requester));
                put(&mut row, "trade", t(&r.trade));
                put(&mut row, "trainees", n(r.trainees));
                put(&mut row, "instructor_type", t(r.instructor_type));
                put(&mut row, "meister_no", ot(&r.meister_no));
                put(&mut row, "instructor_name", ot(&r.instructor_name));
                put(&mut row, "hours", r.hours.map(Cell::Num));
                put(&mut row, "dispatch_no", ot(&r.dispatch_no));
                put(&mut row, "region", r.region.and_then(t));
                out.push(row);
            }
        }
        DatasetId::Outreach => {
            for r in set.outreach.iter().filter(|r| r.fate.is_accepted() && fy_of(r.date) == fy) {
                let mut row = Row::new();
                put(&mut row, "date", dt(r.date));
                put(&mut row, "kind", t(r.kind));
                put(&mut row, "place", t(&r.venue));
                put(&mut row, "participants", n(r.participants));
                put(&mut row, "trade", ot(&r.trade));
                put(&mut row, "meister_no", ot(&r.meister_no));
                if r.days > 1 {
                    put(&mut row, "days", n(r.days.into()));
                }
                out.push(row);
            }
        }
        DatasetId::Meisters if fy == registry_year => {
            for r in set.meisters.iter().filter(|r| r.fate.is_accepted()) {
                let mut row = Row::new();
                put(&mut row, "meister_no", t(&r.meister_no));
                put(&mut row, "trade", t(&r.trade));
                put(&mut row, "certified_on", dt(r.certified_on));
                put(&mut row, "name", ot(&r.name));
                put(&mut row, "region", r.region.and_then(t));
                put(&mut row, "trained_on", odt(r.trained_on));
                put(&mut row, "deregistered_on", odt(r.deregistered_on));
                put(&mut row, "last_activity_on", odt(r.last_activity_on));
                out.push(row);
            }
        }
        DatasetId::Meisters => {}
        DatasetId::Trainings => {
            for r in set.trainings.iter().filter(|r| r.fate.is_accepted() && fy_of(r.date) == fy) {
                let mut row = Row::new();
                put(&mut row, "date", dt(r.date));
                put(&mut row, "term", t(r.term));
                put(&mut row, "attendees", n(r.attendees));
                put(&mut row, "travel_yen", on(r.travel_yen));
                put(&mut row, "allowance_yen", on(r.allowance_yen));
                out.push(row);
            }
        }
        DatasetId::Competitions => {
            let mine = |y: Option<i32>| y.unwrap_or(registry_year) == fy;
            for r in set.competitions.iter().filter(|r| r.fate.is_accepted() && mine(r.fiscal_year)) {
                let mut row = Row::new();
                put(&mut row, "event", t(r.event));
                put(&mut row, "role", t(r.role));
                put(&mut row, "trade", t(&r.trade));
                put(&mut row, "org", t(&r.org));
                put(&mut row, "name", ot(&r.name));
                put(&mut row, "withdrawn", if r.withdrawn { t("○") } else { None });
                put(&mut row, "travel_yen", on(r.travel_yen));
                put(&mut row, "tool_transport_yen", on(r.tool_transport_yen));
                put(&mut row, "fee_yen", on(r.fee_yen));
                // The template's own list value for its year.
                let year = r.fiscal_year.and_then(FiscalYear::new).map(FiscalYear::label_ja);
                put(&mut row, "fiscal_year", year.as_deref().and_then(t));
                out.push(row);
            }
        }
        DatasetId::Meetings => {
            for r in set.meetings.iter().filter(|r| r.fate.is_accepted() && fy_of(r.date) == fy) {
                let mut row = Row::new();
                put(&mut row, "date", dt(r.date));
                put(&mut row, "round", t(&r.round));
                put(&mut row, "format", r.format.and_then(t));
                put(&mut row, "attending_orgs", on(r.attending_orgs));
                out.push(row);
            }
        }
        DatasetId::Visits => {
            for r in set.visits.iter().filter(|r| r.fate.is_accepted() && fy_of(r.date) == fy) {
                let mut row = Row::new();
                put(&mut row, "date", dt(r.date));
                put(&mut row, "coordinator", t(&r.coordinator));
                put(&mut row, "visited", t(&r.visited));
                put(&mut row, "region", r.region.and_then(t));
                put(&mut row, "trade", ot(&r.trade));
                put(&mut row, "candidates", on(r.candidates));
                out.push(row);
            }
        }
        DatasetId::Incidents => {
            for r in set.incidents.iter().filter(|r| r.fate.is_accepted() && fy_of(r.date) == fy) {
                let mut row = Row::new();
                put(&mut row, "date", dt(r.date));
                put(&mut row, "kind", t(r.kind));
                put(&mut row, "reported_on", odt(r.reported_on));
                put(&mut row, "summary", ot(&r.summary));
                out.push(row);
            }
        }
    }
    out
}

/// A filled copy of a template as staff would make it: the instructions
/// sheet and the rows above and at the header as the template holds them
/// (read back with calamine), the records typed below the header row, dates
/// as date cells in the template's 和暦 format. Checks each value against
/// the template's rule for its column on the way (a record the template
/// would refuse is a wrong template). Returns the bytes and the rows written.
fn fill(template: &Path, mapping: &Mapping, set: &SampleSet, fy: i32, registry_year: i32) -> (Vec<u8>, usize) {
    let sheets = read_sheets(template);
    assert_eq!(sheets.len(), 2, "{}: instructions and data", template.display());
    assert_eq!(sheets[0].0, INSTRUCTIONS_SHEET);
    let (name, grid) = &sheets[1];
    let (header, id, fields) = header_row(grid, mapping);
    let rows = rows_for(set, id, fy, registry_year);
    let year = FiscalYear::new(fy).unwrap();

    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format(WAREKI_DATE_FORMAT);
    let copy = |ws: &mut rust_xlsxwriter::Worksheet, grid: &[Vec<Data>], upto: usize| {
        for (r, row) in grid.iter().enumerate().take(upto) {
            for (c, v) in row.iter().enumerate() {
                if let Some(s) = text(v) {
                    ws.write_string(r as u32, c as u16, s).unwrap();
                }
            }
        }
    };
    let ws = wb.add_worksheet().set_name(&sheets[0].0).unwrap();
    copy(ws, &sheets[0].1, usize::MAX);
    let ws = wb.add_worksheet().set_name(name).unwrap();
    copy(ws, grid, header + 1);
    let schema = id.schema();
    for (c, key) in fields.iter().enumerate() {
        // Wide enough for a person to read the dates (令和5年10月31日).
        let wide = schema.field(key).is_some_and(|f| f.kind == FieldKind::Date);
        ws.set_column_width(c as u16, if wide { 18 } else { 14 }).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = (header + 1 + i) as u32;
        for (c, key) in fields.iter().enumerate() {
            let spec = schema.field(key).unwrap();
            let c = c as u16;
            match row.get(key) {
                None => {}
                Some(Cell::Text(s)) => {
                    match spec.kind {
                        FieldKind::Category => {
                            assert!(mapping.dataset(id).values(key).contains(&s.as_str()), "{id}.{key}: {s} is listed");
                        }
                        FieldKind::FiscalYear => assert_eq!(*s, year.label_ja(), "{id}.{key}: the listed year"),
                        FieldKind::Flag => assert_eq!(s, "○", "{id}.{key}"),
                        _ => {}
                    }
                    ws.write_string(r, c, s).unwrap();
                }
                Some(Cell::Num(v)) => {
                    assert!(*v >= 0.0, "{id}.{key}: {v} passes the ≥ 0 rule");
                    if spec.kind == FieldKind::Hours {
                        assert!(*v <= 24.0, "{id}.{key}: {v} hours");
                    }
                    if matches!(spec.kind, FieldKind::Count | FieldKind::Yen) {
                        assert_eq!(v.fract(), 0.0, "{id}.{key}: whole");
                    }
                    ws.write_number(r, c, *v).unwrap();
                }
                Some(Cell::Date(v)) => {
                    if schema.date_field == Some(key) {
                        assert!(year.contains(*v), "{id}.{key}: {v} lies in {fy}'s year");
                    } else {
                        assert!(*v >= d(1950, 1, 1) && *v <= d(fy + 2, 3, 31), "{id}.{key}: {v} in the wide range");
                    }
                    ws.write_datetime_with_format(r, c, v, &date).unwrap();
                }
            }
        }
    }
    (wb.save_to_buffer().unwrap(), rows.len())
}

/// Templates of FY2022 and FY2023 filled with the generator's accepted
/// records (each in the year of its date), in one drop folder; read.
fn filled_folder(root: &Path, mapping: &Mapping, mapping_source: &Source) -> (Normalised, usize) {
    let set = sample_set();
    let drop = root.join("drop");
    let mut written = 0;
    for fy in [2022, 2023] {
        let templates = root.join(format!("templates-{fy}"));
        for path in write_templates(fy, &templates, mapping_source.clone()) {
            let (bytes, rows) = fill(&path, mapping, &set, fy, 2023);
            let to = drop.join(fy.to_string()).join(path.file_name().unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(&to, bytes).unwrap();
            written += rows;
        }
    }
    // To look at the filled books (e.g. with LibreOffice): KEEP_FILLED_TEMPLATES=DIR.
    if let Some(keep) = std::env::var_os("KEEP_FILLED_TEMPLATES") {
        for f in files_under(&drop) {
            let to = PathBuf::from(&keep).join(f.strip_prefix(&drop).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&f, to).unwrap();
        }
    }
    let ingested = corner_kpi::ingest::ingest(&drop, mapping, false).unwrap();
    (corner_kpi::checked(ingested, mapping, &drop).unwrap(), written)
}

/// Every sheet is a recognised record sheet, or the instructions: nothing
/// ignored for another reason, nothing ambiguous.
fn assert_every_sheet_is_recognised(n: &Normalised) {
    for s in &n.quality.sheets {
        match s.dataset {
            Some(_) => assert!(s.reconciles(), "{} / {}", s.file, s.sheet),
            None => {
                assert_eq!(s.sheet, INSTRUCTIONS_SHEET, "{} / {}: {:?}", s.file, s.sheet, s.note);
                assert_eq!(s.note.as_deref(), Some(instructions_reason().as_str()), "{} / {}", s.file, s.sheet);
            }
        }
    }
}

fn assert_figures_are_the_generators(n: &Normalised, mapping: &Mapping) {
    // The blank books are FY2023's (「…_令和5年度.xlsx」): a competition entry
    // without a 年度 of its own is of the year its book names.
    let mut set = sample_set();
    for r in &mut set.competitions {
        r.fiscal_year.get_or_insert(2023);
    }
    let fy2022 = corner_kpi::plan::roll::roll_forward(corner_kpi::plan::DEFAULT_PLAN_TOML, "(embedded)", 2022).unwrap();
    let plans = [
        (Plan::parse(&fy2022, "fy2022").unwrap(), d(2023, 3, 31)),
        (Plan::embedded(), d(2023, 10, 31)),
        (Plan::embedded(), d(2024, 3, 31)),
    ];
    for (plan, as_of) in plans {
        let fig = corner_kpi::kpi::compute(&plan, mapping, &n.datasets, as_of).unwrap();
        let truth = set.kpi_actuals(as_of);
        assert_eq!(truth.len(), fig.kpis.len(), "every KPI id has a ground truth");
        for (id, expected) in truth {
            let k = fig.kpis.iter().find(|k| k.id == id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(k.actual, Some(expected), "{id} at {as_of}");
        }
    }
}

#[test]
fn templates_filled_with_the_generators_records_give_the_generators_figures() {
    let root = tempfile::tempdir().unwrap();
    let mapping = Mapping::embedded();
    let (n, written) = filled_folder(root.path(), &mapping, &Source::Embedded);
    assert!(written > 500, "the whole sample set: {written} rows");
    let q = &n.quality;
    assert_eq!(
        (q.accepted(), q.rows_read()),
        (written, written),
        "every row typed is read and accepted: {:?} {:?} {:?}",
        q.warnings.iter().map(|w| (&w.file, &w.cell, w.kind.key())).collect::<Vec<_>>(),
        q.not_held.first(),
        q.sheet_copies.first()
    );
    assert!(q.rejected.is_empty(), "{:?}", q.rejected.first());
    // Only the samples' two equal classes of one June day, which count and are to check.
    let only_equal = |w: &corner_kpi::normalise::Warning| w.kind.key() == "equal_rows_in_sheet";
    assert!(q.warnings.iter().all(only_equal), "{:?}", q.warnings.iter().find(|w| !only_equal(w)));
    assert!(q.duplicates.is_empty() && q.totals.is_empty());
    assert_eq!(q.sheets.iter().filter(|s| s.dataset.is_some()).count(), 16, "8 record types × 2 years");
    assert_every_sheet_is_recognised(&n);
    assert_figures_are_the_generators(&n, &mapping);
}

#[test]
fn blank_templates_read_as_recognised_sheets_with_no_rows() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("blank");
    write_templates(2026, &dir, Source::Embedded);
    let mapping = Mapping::embedded();
    let ingested = corner_kpi::ingest::ingest(&dir, &mapping, false).unwrap();
    let n = corner_kpi::checked(ingested, &mapping, &dir).unwrap();
    let q = &n.quality;
    assert_eq!(q.files.len(), 8);
    assert_eq!(q.sheets.len(), 16, "two sheets a book");
    assert_every_sheet_is_recognised(&n);
    for id in DatasetId::ALL {
        let recognised: Vec<_> = q.sheets.iter().filter(|s| s.dataset == Some(id)).collect();
        assert_eq!(recognised.len(), 1, "{id}");
        assert_eq!(recognised[0].header_row, Some(corner_kpi::template::HEADER_ROW + 1), "{id}");
        assert_eq!(n.datasets[&id].height(), 0, "{id}: a real zero");
    }
    assert_eq!(q.rows_read(), 0, "formats and validation make no rows");
    assert!(q.rejected.is_empty() && q.warnings.is_empty());
}

/// The `<dataValidation …>` elements of a sheet part: attributes and formulas.
struct Validation {
    attrs: BTreeMap<String, String>,
    formula1: Option<String>,
    formula2: Option<String>,
}

fn validations(xml: &str) -> Vec<Validation> {
    let attr_map = |tag: &str| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut rest = tag;
        while let Some(eq) = rest.find("=\"") {
            let name = rest[..eq].rsplit(' ').next().unwrap_or("").to_string();
            let after = &rest[eq + 2..];
            let end = after.find('"').unwrap();
            out.insert(name, after[..end].to_string());
            rest = &after[end + 1..];
        }
        out
    };
    let element = |body: &str, name: &str| {
        let open = format!("<{name}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find(&format!("</{name}>"))?;
        Some(body[start..start + end].to_string())
    };
    xml.split("<dataValidation ")
        .skip(1)
        .map(|part| {
            let tag_end = part.find('>').unwrap();
            let body = part.split("</dataValidation>").next().unwrap_or("");
            Validation {
                attrs: attr_map(&part[..tag_end]),
                formula1: element(body, "formula1"),
                formula2: element(body, "formula2"),
            }
        })
        .collect()
}

fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Excel's serial of a date (1900 system).
fn serial(date: NaiveDate) -> i64 {
    (date - d(1899, 12, 30)).num_days()
}

fn col_letter(c: usize) -> String {
    let mut c = c + 1;
    let mut s = String::new();
    while c > 0 {
        s.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    s
}

#[test]
fn the_written_files_hold_the_validation_rules_the_frozen_header_and_the_a4_setup() {
    let root = tempfile::tempdir().unwrap();
    let mapping = Mapping::embedded();
    let fy = FiscalYear::new(2026).unwrap();
    let mut seen_kinds = std::collections::BTreeSet::new();
    for path in write_templates(2026, &root.path().join("t"), Source::Embedded) {
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        let sheets = read_sheets(&path);
        let (header, id, fields) = header_row(&sheets[1].1, &mapping);
        // The office conventions' columns: 状況 (a drop-down, checked below), 備考, 日数.
        let wanted: &[&str] = match id {
            DatasetId::Dispatches | DatasetId::Outreach => &["status", "remarks", "days"],
            DatasetId::Trainings | DatasetId::Meetings => &["status", "remarks"],
            DatasetId::Visits => &["status"],
            _ => &[],
        };
        for key in wanted {
            assert!(fields.contains(key), "{label}: {key}");
        }
        let xml = part(&path, "xl/worksheets/sheet2.xml");
        let all = validations(&xml);
        let by_range: BTreeMap<&str, &Validation> = all.iter().map(|v| (v.attrs["sqref"].as_str(), v)).collect();
        let (first, last) = (header + 2, header + 1 + corner_kpi::template::DATA_ROWS as usize);
        for (c, key) in fields.iter().enumerate() {
            let spec = id.schema().field(key).unwrap();
            let col = col_letter(c);
            let at = format!("{label} {col} ({key})");
            // The header cell says what goes there.
            let head = by_range.get(format!("{col}{}", header + 1).as_str()).unwrap_or_else(|| panic!("{at}: header"));
            assert!(!head.attrs["promptTitle"].is_empty() && !head.attrs["prompt"].is_empty(), "{at}");
            assert_eq!(spec.pii, head.attrs["prompt"].contains("個人情報"), "{at}: personal columns say so");
            // The data cells carry the column's rule.
            let v = by_range.get(format!("{col}{first}:{col}{last}").as_str()).unwrap_or_else(|| panic!("{at}: data"));
            let kind = v.attrs.get("type").map(String::as_str);
            seen_kinds.insert(format!("{:?}", spec.kind));
            match spec.kind {
                FieldKind::Category => {
                    assert_eq!(kind, Some("list"), "{at}");
                    let values = mapping.dataset(id).values(key).join(",");
                    assert_eq!(v.formula1.as_deref(), Some(format!("\"{values}\"").as_str()), "{at}");
                }
                FieldKind::Count | FieldKind::Yen => {
                    assert_eq!(
                        (kind, v.attrs.get("operator").map(String::as_str)),
                        (Some("whole"), Some("greaterThanOrEqual")),
                        "{at}"
                    );
                    assert_eq!(v.formula1.as_deref(), Some("0"), "{at}");
                }
                FieldKind::Date => {
                    assert_eq!(kind, Some("date"), "{at}");
                    assert_eq!(v.attrs.get("operator"), None, "{at}: between");
                    let (from, to) = if id.schema().date_field == Some(key) {
                        (fy.start(), fy.end())
                    } else {
                        (d(1950, 1, 1), d(2028, 3, 31))
                    };
                    assert_eq!(v.formula1, Some(serial(from).to_string()), "{at}");
                    assert_eq!(v.formula2, Some(serial(to).to_string()), "{at}");
                }
                FieldKind::Hours => assert_eq!(kind, Some("decimal"), "{at}"),
                FieldKind::Flag | FieldKind::FiscalYear => assert_eq!(kind, Some("list"), "{at}"),
                FieldKind::Text => assert_eq!(kind, None, "{at}: any value, with its message"),
            }
            if spec.kind != FieldKind::Text {
                assert!(v.attrs.contains_key("error") && !v.attrs.contains_key("errorStyle"), "{at}: a stop dialog");
            }
            assert_eq!(v.attrs.get("allowBlank").map(String::as_str), Some("1"), "{at}");
            assert!(!v.attrs["prompt"].is_empty(), "{at}");
        }
        assert!(
            xml.contains(&format!(
                "<pane ySplit=\"{}\" topLeftCell=\"A{}\" activePane=\"bottomLeft\" state=\"frozen\"/>",
                header + 1,
                header + 2
            )),
            "{label}: frozen under the header"
        );
        for sheet in ["sheet1", "sheet2"] {
            let xml = part(&path, &format!("xl/worksheets/{sheet}.xml"));
            assert!(xml.contains("paperSize=\"9\""), "{label} {sheet}: A4");
            assert!(
                xml.contains("fitToHeight=\"0\"") && xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
                "{label} {sheet}: fit to width"
            );
        }
        let workbook = part(&path, "xl/workbook.xml");
        assert!(
            workbook.contains(&format!("_xlnm.Print_Titles\" localSheetId=\"1\">'{}'!$3:$3<", sheets[1].0))
                || workbook.contains(&format!("_xlnm.Print_Titles\" localSheetId=\"1\">{}!$3:$3<", sheets[1].0)),
            "{label}: the header row on every page"
        );
        let styles = part(&path, "xl/styles.xml");
        if fields.iter().any(|k| id.schema().field(k).unwrap().kind == FieldKind::Date) {
            let code = WAREKI_DATE_FORMAT.replace('"', "&quot;");
            assert!(styles.contains(&code), "{label}: the 和暦 date format");
        }
    }
    assert_eq!(seen_kinds.len(), 8, "every kind of field met: {seen_kinds:?}");
}

#[test]
fn a_corners_own_headers_are_written_and_still_recognised() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("mapping.toml");
    std::fs::write(
        &file,
        "[dispatches.fields]\ndate = [\"指導年月日\"]\ntrainees = [\"受講生数（人）\"]\n\n[visits.fields]\ncoordinator = [\"訪問者\", \"担当\"]\n",
    )
    .unwrap();
    let mapping = Mapping::from_file(&file).unwrap();
    let source = Source::File(file.clone());
    let dir = root.path().join("t");
    let paths = write_templates(2026, &dir, source.clone());
    let headers = |id: DatasetId| {
        let path = paths.iter().find(|p| p.to_string_lossy().contains(id.label_ja())).unwrap();
        let grid = read_sheets(path).remove(1).1;
        let (r, _, _) = header_row(&grid, &mapping);
        grid[r].iter().filter_map(text).map(str::to_string).collect::<Vec<_>>()
    };
    let dispatch = headers(DatasetId::Dispatches);
    assert_eq!(dispatch[0], "指導年月日");
    assert_eq!(dispatch[4], "受講生数（人）");
    assert_eq!(dispatch[1], "派遣先区分", "fields the file does not name keep the canonical header");
    assert_eq!(headers(DatasetId::Visits)[1], "訪問者", "the first name the file lists");
    // Without the corner's mapping the reader does not know 指導年月日: say so.
    let embedded = Mapping::embedded();
    let plain = corner_kpi::ingest::ingest(&dir, &embedded, false).unwrap();
    let dispatch_sheet = plain.sheets.iter().find(|s| s.sheet == DatasetId::Dispatches.label_ja()).unwrap();
    assert!(matches!(dispatch_sheet.detection, corner_kpi::ingest::Detection::Ignored { .. }));

    // With it, the whole round trip still holds.
    let (n, written) = filled_folder(&root.path().join("rt"), &mapping, &source);
    assert_eq!(n.quality.accepted(), written);
    assert_every_sheet_is_recognised(&n);
    assert_figures_are_the_generators(&n, &mapping);
}

fn template_cmd(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_corner-kpi")).arg("template").args(args).env("CI", "1").output().unwrap()
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

#[test]
fn the_binary_writes_the_books_once_and_never_over_a_file() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("令和8年度 記入用");
    let out = template_cmd(&["--fiscal-year", "2026", "--output", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let books = snapshot(&dir);
    assert_eq!(books.len(), 8, "{books:?}");
    for id in DatasetId::ALL {
        let name = corner_kpi::template::file_name(FiscalYear::new(2026).unwrap(), id);
        assert!(dir.join(&name).is_file(), "{name}");
        assert!(stdout.contains(&name), "{stdout}");
    }
    assert!(stdout.contains("令和8年度") && stdout.contains("山口県地域技能振興コーナー"), "{stdout}");

    // Again into the same folder: nothing is written, the books are named.
    std::fs::write(
        dir.join(corner_kpi::template::file_name(FiscalYear::new(2026).unwrap(), DatasetId::Visits)),
        b"filled in",
    )
    .unwrap();
    let before = snapshot(&dir);
    let again = template_cmd(&["--fiscal-year", "2026", "--output", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    let err = stderr(&again);
    assert!(err.contains("7_コーディネーター開拓訪問_令和8年度.xlsx") && err.contains("上書き"), "{err}");
    assert!(err.contains("--output"), "the fix is named: {err}");
    assert_eq!(snapshot(&dir), before, "every file as it was");

    // A failure while writing leaves no book behind.
    let other = root.path().join("other");
    let failing = corner_kpi::template::file_name(FiscalYear::new(2026).unwrap(), DatasetId::Meetings);
    let out = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
        .args(["template", "--fiscal-year", "2026", "-o", other.to_str().unwrap()])
        .env(corner_kpi::publish::atomic::FAIL_AT_ENV, &failing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(files_under(&other).is_empty() && !other.exists(), "{:?}", files_under(&other));

    // A year outside the range is a usage error.
    assert_eq!(template_cmd(&["--fiscal-year", "26"]).status.code(), Some(2));
}

#[test]
fn a_new_year_starts_with_two_commands_and_its_blank_books_run_clean() {
    let root = tempfile::tempdir().unwrap();
    let plan = Command::new(env!("CARGO_BIN_EXE_corner-kpi")).args(["plan", "--fiscal-year", "2026"]).output().unwrap();
    assert!(plan.status.success(), "{}", stderr(&plan));
    let plan_file = root.path().join("plan.toml");
    std::fs::write(&plan_file, &plan.stdout).unwrap();
    let books = root.path().join("books");
    // The plan's year is the default year.
    let out = template_cmd(&["--plan", plan_file.to_str().unwrap(), "-o", books.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files_under(&books).len(), 8);
    assert!(files_under(&books).iter().all(|p| p.to_string_lossy().contains("令和8年度")));
    let run = Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
        .args(["run", "--input", books.to_str().unwrap(), "--plan", plan_file.to_str().unwrap()])
        .args(["--as-of", "2026-04-30", "--output", root.path().join("out").to_str().unwrap()])
        .env("CI", "1")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "blank books need nothing fixed: {}", stderr(&run));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.path().join("out/2026/2026-04-30/kpis.json")).unwrap())
            .unwrap();
    let sessions = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "dispatch.sessions").unwrap();
    assert_eq!(sessions["actual"], 0);
}
