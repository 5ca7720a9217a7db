//! The workbooks of one generated corner, laid out for the samples' own
//! writer (`xlsx.rs`): per fiscal year a dispatch workbook with one sheet
//! per month and a workbook of the year's other activities (outreach,
//! training sessions, council meetings, coordinator visits; the latest
//! year's also holds the registry). Three house styles rotate by corner and
//! year: titles above the header or none, the header aliases of
//! `mapping.toml`, real date cells in three display formats mixed with
//! 和暦 and other text dates, counts as `12人`/`12名`/`１２`, a total row
//! (合計, `10月計`, 計) closing every month, now and then a blank row.

use super::records::{Bad, CornerRecords, Dest, Meister, Session, Year};
use crate::build::d;
use crate::layout::{BodyKind, BodyRow, BookKind, BookLayout, Cell, DateFmt, SheetLayout, TopLine};
use crate::mess::{CountStyle, DateStyle, count_cell, date_cell};
use crate::rng::Rng;
use chrono::{Datelike, NaiveDate};

/// `令和5年度`, `令和元年度`, `平成30年度`.
pub(crate) fn era_year(fy: i32) -> String {
    match fy {
        2019 => "令和元年度".to_string(),
        y if y > 2019 => format!("令和{}年度", y - 2018),
        y => format!("平成{}年度", y - 1988),
    }
}

/// `R5`, `R1`, `H30`.
pub(crate) fn era_short(fy: i32) -> String {
    if fy >= 2019 { format!("R{}", fy - 2018) } else { format!("H{}", fy - 1988) }
}

/// The relative paths of a year's two workbooks.
pub(crate) fn year_paths(fy: i32) -> (String, String) {
    let (dir, short) = (era_year(fy), era_short(fy));
    (format!("{dir}/{short}_派遣実績.xlsx"), format!("{dir}/{short}_事業実績.xlsx"))
}

/// One house style of the dispatch workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Title and corner line, header on row 4, 通し番号 first, total 合計.
    Titled,
    /// One title line, header on row 2, 管理番号 first, a blank column, total `10月計`.
    Monthly,
    /// No title, header on row 1, 区分 filled for 熟練技能者 only, total 計.
    Plain,
}

impl Style {
    fn of(code: u8, fy: i32) -> Style {
        match (i32::from(code) + fy) % 3 {
            0 => Style::Titled,
            1 => Style::Monthly,
            _ => Style::Plain,
        }
    }

    fn cols(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Style::Titled => &[
                ("通し番号", "seq"),
                ("派遣番号", "no"),
                ("実施日 ", "date"),
                ("派遣先区分", "dest"),
                ("派遣先名", "requester"),
                ("地区", "region"),
                ("職種", "trade"),
                ("区分", "type"),
                ("ﾏｲｽﾀｰ番号", "meister_no"),
                ("指導者氏名", "name"),
                ("指導時間\n（h）", "hours"),
                ("受講者数\n（人）", "trainees"),
                ("備考", "note"),
            ],
            Style::Monthly => &[
                ("管理番号", "no"),
                ("指導日", "date"),
                ("派遣先名", "requester"),
                ("派遣先種別", "dest"),
                ("職種", "trade"),
                ("指導者区分", "type"),
                ("指導者番号", "meister_no"),
                ("氏名", "name"),
                ("", "blank"),
                ("時間", "hours"),
                ("受講者数(名)", "trainees"),
                ("地区", "region"),
                ("備考", "note"),
            ],
            Style::Plain => &[
                ("No.", "seq"),
                ("派遣番号", "no"),
                ("実施年月日", "date"),
                ("派遣先種別", "dest"),
                ("企業・学校名", "requester"),
                ("職種", "trade"),
                ("受講人数", "trainees"),
                ("区分", "type"),
                ("認定番号", "meister_no"),
                ("マイスター氏名", "name"),
            ],
        }
    }

    fn date_fmt(self) -> DateFmt {
        match self {
            Style::Titled => DateFmt::Slash,
            Style::Monthly => DateFmt::MonthDay,
            Style::Plain => DateFmt::Wareki,
        }
    }
}

/// A sheet being laid out: header keys, then body rows.
struct Sheet {
    layout: SheetLayout,
}

impl Sheet {
    fn new(
        name: &str,
        dataset: &'static str,
        top: Vec<TopLine>,
        header_row: u32,
        cols: &[(&str, &'static str)],
    ) -> Sheet {
        let mut layout = SheetLayout::new(name, Some(dataset));
        layout.top = top;
        layout.header_row = header_row;
        layout.headers = cols.iter().map(|(h, _)| (*h).to_string()).collect();
        layout.keys = cols.iter().map(|(_, k)| *k).collect();
        layout.widths = cols.iter().map(|(h, _)| if h.is_empty() { 3.0 } else { 12.0 }).collect();
        Sheet { layout }
    }

    fn row(&mut self, kind: BodyKind, cells: Vec<(&str, Cell)>) {
        let mut row = vec![Cell::Empty; self.layout.keys.len()];
        for (key, cell) in cells {
            if let Some(i) = self.layout.col_of(key) {
                row[usize::from(i)] = cell;
            }
        }
        self.layout.body.push(BodyRow { kind, cells: row });
    }

    fn record(&mut self, cells: Vec<(&str, Cell)>) {
        self.row(BodyKind::Record, cells);
    }

    fn blank(&mut self) {
        self.row(BodyKind::Blank, Vec::new());
    }

    /// A total row: `label` under `label_key`, `=SUM(..)` (cached: the
    /// number cells above) under `sum_key`.
    fn total(&mut self, label_key: &str, label: &str, sum_key: &str) {
        let Some(c) = self.layout.col_of(sum_key) else { return };
        let formula = self.layout.sum_above(c);
        self.row(BodyKind::Total, vec![(label_key, Cell::text(label)), (sum_key, formula)]);
    }

    /// Rows that hold a record (what a reader counts as data rows).
    fn records(&self) -> usize {
        self.layout.body.iter().filter(|r| r.kind == BodyKind::Record).count()
    }
}

fn title(row: u32, text: &str, span: usize) -> TopLine {
    TopLine { row, col: 0, text: text.to_string(), span: span as u16 }
}

fn line(row: u32, col: u16, text: &str) -> TopLine {
    TopLine { row, col, text: text.to_string(), span: 1 }
}

/// A date as staff type it: mostly a real date cell, else 和暦 and other text.
fn date_of(rng: &mut Rng, date: NaiveDate, fmt: DateFmt) -> Cell {
    let style = match rng.below(100) {
        0..=79 => DateStyle::Cell(fmt),
        80..=84 => DateStyle::Serial,
        85..=88 => DateStyle::EraDot,
        89..=91 => DateStyle::EraKanji,
        92..=93 => DateStyle::EraKanjiWide,
        94..=95 => DateStyle::Kanji,
        96..=97 => DateStyle::EraSlash,
        _ => DateStyle::Iso,
    };
    date_cell(date, style)
}

fn count_of(rng: &mut Rng, n: i64) -> Cell {
    let style = match rng.below(100) {
        0..=87 => CountStyle::Num,
        88..=92 => CountStyle::Nin,
        93..=96 => CountStyle::Mei,
        _ => CountStyle::Wide,
    };
    count_cell(n, style)
}

/// The text of an unreadable 実施日: free text, or a day the month lacks.
fn bad_date(rng: &mut Rng, date: NaiveDate) -> Cell {
    if rng.chance(50) {
        Cell::text(format!("{}月中旬", date.month()))
    } else {
        let next = if date.month() == 12 { d(date.year() + 1, 1, 1) } else { d(date.year(), date.month() + 1, 1) };
        let days = next.pred_opt().map_or(28, |x| x.day());
        Cell::text(format!("{}/{}/{}", date.year(), date.month(), days + 1))
    }
}

fn session_cells(
    rng: &mut Rng,
    s: &Session,
    seq: usize,
    style: Style,
    meisters: &[Meister],
) -> Vec<(&'static str, Cell)> {
    let date = match s.bad {
        Bad::DateText => bad_date(rng, s.date),
        _ => date_of(rng, s.date, style.date_fmt()),
    };
    let trainees = match s.bad {
        Bad::NegativeCount => Cell::Num(-(s.trainees as f64)),
        _ => count_of(rng, s.trainees),
    };
    let dest = if rng.chance(40) { s.dest.canonical() } else { *rng.pick(s.dest.labels()) };
    let kind = match (s.meister, style) {
        (Some(_), Style::Plain) => Cell::Empty,
        (Some(_), _) => Cell::text(if rng.chance(60) { "マイスター" } else { "ものづくりマイスター" }),
        (None, Style::Titled) => Cell::text("熟練技能者等"),
        (None, _) => Cell::text("熟練技能者"),
    };
    let mut cells = vec![
        ("seq", Cell::Num(seq as f64)),
        ("no", Cell::text(s.no.clone())),
        ("date", date),
        ("dest", Cell::text(dest)),
        ("requester", Cell::text(s.requester.clone())),
        ("region", Cell::text(s.region)),
        ("trade", Cell::text(s.trade)),
        ("type", kind),
        ("name", Cell::text(s.instructor.clone())),
        ("hours", Cell::Num(s.hours)),
        ("trainees", trainees),
    ];
    if let Some(i) = s.meister {
        cells.push(("meister_no", Cell::text(meisters[i].no.clone())));
    }
    if s.dest == Dest::Public && rng.chance(30) {
        cells.push(("note", Cell::text("雨天のため屋内で実施")));
    }
    cells
}

/// A year's dispatch workbook: one sheet per month (up to the drop date).
fn dispatch_book(c: &CornerRecords, y: &Year, corner: &str, rng: &mut Rng) -> (BookLayout, usize) {
    let style = Style::of(c.code, y.fy);
    let cols = style.cols();
    let era = era_year(y.fy);
    let mut sheets = Vec::new();
    let mut rows = 0;
    let mut seq = 0;
    for (yy, m) in super::draw::fiscal_months(y.fy) {
        let month: Vec<&Session> = y.sessions.iter().filter(|s| (s.date.year(), s.date.month()) == (yy, m)).collect();
        if month.is_empty() {
            continue;
        }
        let name = format!("{m}月");
        let (top, header_row) = match style {
            Style::Titled => (
                vec![
                    title(0, &format!("{era} ものづくりマイスター派遣実績一覧（{m}月）"), cols.len()),
                    line(1, 9, corner),
                ],
                3,
            ),
            Style::Monthly => (vec![title(0, &format!("{}年度 派遣実績（{m}月分）", era_short(y.fy)), cols.len())], 1),
            Style::Plain => (Vec::new(), 0),
        };
        let mut sheet = Sheet::new(&name, "dispatches", top, header_row, cols);
        let blank_at = rng.chance(30).then(|| rng.below(month.len()));
        for (i, s) in month.iter().enumerate() {
            if blank_at == Some(i) {
                sheet.blank();
            }
            seq += 1;
            let cells = session_cells(rng, s, seq, style, &c.meisters);
            if s.twice {
                sheet.record(cells.clone());
            }
            sheet.record(cells);
        }
        match style {
            Style::Titled => sheet.total("seq", "合計", "trainees"),
            Style::Monthly => sheet.total("no", &format!("{m}月計"), "trainees"),
            Style::Plain => sheet.total("seq", "計", "trainees"),
        }
        rows += sheet.records();
        sheets.push(sheet.layout);
    }
    let (path, _) = year_paths(y.fy);
    (BookLayout { path, kind: BookKind::Xlsx, created: d(y.fy, 4, 1), sheets }, rows)
}

const OUTREACH_COLS: &[(&str, &str)] = &[
    ("No.", "seq"),
    ("実施日", "date"),
    ("発信区分", "kind"),
    ("実施先名", "place"),
    ("参加者数", "participants"),
    ("職種", "trade"),
    ("マイスター番号", "meister_no"),
];
const TRAINING_COLS: &[(&str, &str)] =
    &[("開催日", "date"), ("講習区分", "term"), ("受講者数", "attendees"), ("交通費", "travel")];
const MEETING_COLS: &[(&str, &str)] =
    &[("会議名", "round"), ("開催日", "date"), ("開催形式", "format"), ("出席団体数", "orgs")];
const VISIT_COLS: &[(&str, &str)] = &[
    ("訪問日", "date"),
    ("担当者", "coordinator"),
    ("訪問先名", "visited"),
    ("地区", "region"),
    ("職種", "trade"),
    ("マイスター候補者数", "candidates"),
];
const REGISTRY_COLS: &[(&str, &str)] = &[
    ("認定番号", "no"),
    ("氏名", "name"),
    ("職種", "trade"),
    ("認定日", "certified"),
    ("地区", "region"),
    ("講習受講日", "trained"),
    ("登録解除日", "deregistered"),
];

/// A year's other activities; the registry too when `registry`.
fn activities_book(c: &CornerRecords, y: &Year, corner: &str, registry: bool, rng: &mut Rng) -> (BookLayout, usize) {
    let era = era_year(y.fy);
    let mut sheets = Vec::new();
    let mut rows = 0;

    let mut s = Sheet::new(
        "魅力発信",
        "outreach",
        vec![title(0, &format!("{era} ものづくりの魅力発信 実施状況"), OUTREACH_COLS.len())],
        2,
        OUTREACH_COLS,
    );
    for (i, o) in y.outreach.iter().enumerate() {
        let kind = match (o.school, rng.below(3)) {
            (true, 0) => "小中学校等",
            (true, _) if o.place.ends_with("小学校") => "小学校",
            (true, _) => "中学校",
            (false, 0) => "地域若者サポートステーション",
            (false, _) => "サポステ",
        };
        let mut cells = vec![
            ("seq", Cell::Num(i as f64 + 1.0)),
            ("date", date_of(rng, o.date, DateFmt::Wareki)),
            ("kind", Cell::text(kind)),
            ("place", Cell::text(o.place.clone())),
            ("participants", count_of(rng, o.participants)),
            ("trade", Cell::text(o.trade)),
        ];
        if let Some(m) = o.meister {
            cells.push(("meister_no", Cell::text(c.meisters[m].no.clone())));
        }
        s.record(cells);
    }
    s.total("seq", "合計", "participants");
    rows += s.records();
    sheets.push(s.layout);

    let mut s = Sheet::new(
        "講習会",
        "trainings",
        vec![title(0, &format!("{era} 指導技法等講習会"), TRAINING_COLS.len())],
        1,
        TRAINING_COLS,
    );
    for t in &y.trainings {
        s.record(vec![
            ("date", date_of(rng, t.date, DateFmt::Slash)),
            ("term", Cell::text(t.term)),
            ("attendees", count_of(rng, t.attendees)),
            ("travel", Cell::Num((t.attendees * 1_200) as f64)),
        ]);
    }
    rows += s.records();
    sheets.push(s.layout);

    let mut s = Sheet::new("連携会議", "meetings", vec![line(0, 0, corner)], 1, MEETING_COLS);
    for m in &y.meetings {
        s.record(vec![
            ("round", Cell::text(format!("第{}回 連携会議", m.round))),
            ("date", date_of(rng, m.date, DateFmt::Wareki)),
            ("format", Cell::text(m.format)),
            ("orgs", Cell::Num(m.orgs as f64)),
        ]);
    }
    rows += s.records();
    sheets.push(s.layout);

    let mut s = Sheet::new(
        "開拓訪問",
        "visits",
        vec![title(0, &format!("{era} コーディネーター開拓訪問記録"), VISIT_COLS.len())],
        2,
        VISIT_COLS,
    );
    for v in &y.visits {
        s.record(vec![
            ("date", date_of(rng, v.date, DateFmt::MonthDay)),
            ("coordinator", Cell::text(v.coordinator.clone())),
            ("visited", Cell::text(v.visited.clone())),
            ("region", Cell::text(v.region)),
            ("trade", Cell::text(v.trade)),
            ("candidates", Cell::Num(v.candidates as f64)),
        ]);
    }
    rows += s.records();
    sheets.push(s.layout);

    if registry {
        let mut s = Sheet::new(
            "マイスター台帳",
            "meisters",
            vec![title(0, &format!("ものづくりマイスター登録台帳（{corner}）"), REGISTRY_COLS.len())],
            1,
            REGISTRY_COLS,
        );
        let on = |x: Option<NaiveDate>, rng: &mut Rng| x.map_or(Cell::Empty, |x| date_of(rng, x, DateFmt::Wareki));
        for m in &c.meisters {
            s.record(vec![
                ("no", Cell::text(m.no.clone())),
                ("name", Cell::text(m.name.clone())),
                ("trade", Cell::text(m.trade)),
                ("certified", on(Some(m.certified_on), rng)),
                ("region", Cell::text(m.region)),
                ("trained", on(m.trained_on, rng)),
                ("deregistered", on(m.deregistered_on, rng)),
            ]);
        }
        rows += s.records();
        sheets.push(s.layout);
    }
    let (_, path) = year_paths(y.fy);
    (BookLayout { path, kind: BookKind::Xlsx, created: d(y.fy, 4, 1), sheets }, rows)
}

/// Every workbook of a corner, with the number of data rows (record rows)
/// in them; the registry goes in the latest year's activities book.
pub(crate) fn corner_books(c: &CornerRecords, corner: &str) -> (Vec<BookLayout>, usize) {
    let mut books = Vec::new();
    let mut rows = 0;
    let last = c.years.len().saturating_sub(1);
    for (i, y) in c.years.iter().enumerate() {
        // A year's own seed: its bytes do not depend on the other years written.
        let mut rng = Rng::new(0x424F_4F4B ^ (u64::from(c.code) << 32) ^ (y.fy as u64).wrapping_mul(0x9E37_79B9));
        let (b, n) = dispatch_book(c, y, corner, &mut rng);
        books.push(b);
        rows += n;
        let (b, n) = activities_book(c, y, corner, i == last, &mut rng);
        books.push(b);
        rows += n;
    }
    (books, rows)
}
