//! Builds the sample records and the workbook layouts that hold them, in one
//! pass, from a fixed seed: every record gets its place (file, sheet, row)
//! from the very layout the writers turn into bytes, so the ground truth and
//! the files cannot drift apart.
//!
//! Rows a user must fix (rejected, each carrying what it would have meant):
//! - 上期 9月: 実施日 `2023/9/31` (impossible; record holds 2023-09-30) and
//!   `9月中旬` (free text; record holds 2023-09-15);
//! - 上期 7月: 受講者数 `-2` (record holds 2, the sign a typo);
//! - 下期 11月: 派遣先種別 `NPO` (unknown label; record holds 業界団体);
//! - 下期 12月: 職種 blank (record holds the meister's trade);
//! - 下期 1月: 受講者数 `3.5` (fractional; record holds 4);
//! - outreach: 発信区分 `義務教育学校` (unknown label; record holds 小中学校等);
//! - visits 下期: 訪問日 `令和5年11月31日` (impossible; record holds 2023-11-30);
//! - competitions 技能五輪全国大会: 参加区分 `補助員` (unknown; record holds 指導者);
//! - 過年度 技能五輪 list: 参加区分 `コーチ` (last year's: listed apart).
//!
//! Numbering: both years' 派遣番号 start at `001` (FY2022 in the 過年度
//! book, `001`–`080`; FY2023 across 上期, 下期 and the 技能継承講座 `.ods`),
//! so most numbers occur in both years: two sessions, each counted in its
//! own year. FY2022 `001` repeats FY2023 `001` in everything but 実施日 (an
//! annual request); the two late FY2022 rows at the top of 上期 4月 carry
//! FY2022's next numbers (`081`, `082`), which FY2023 uses too.
//!
//! Repeats within one fiscal year (`Fate::Duplicate`, `Fate::Conflict`):
//! - duplicates (counted fields equal, skipped): the first row of 上期 6月
//!   repeats the last numbered row of 5月; one 下期 11月 row is entered twice
//!   in a row;
//! - a 派遣番号 conflict (rejected at the number): 下期 2月 opens with 1月's
//!   last meister session typed again with another 受講者数 (and 時間, which
//!   is not a counted field);
//! - a 認定番号 conflict: the registry's last row repeats 35-018 with its
//!   地区 filled in (the first row, kept, left it blank).
//!
//! Warnings (accepted rows, counted; see `expected_warnings`):
//! - 下期 10月: 時間 `2時間程度` (unreadable optional value, left empty);
//! - 上期 4月: the two late FY2022 rows, dated outside the sheet's FY2023.
//!
//! Merged data cells: 上期 7月 実施日 over a 午前/午後 pair (`.xlsx`); in
//! the 技能継承講座 `.ods`, 区分 (熟練技能者, 熟練技能者等) and 講座名 down
//! each course (4 rows and 2 rows), 実施日 over the two sessions of one day.
//!
//! Office conventions (`conventions.rs`; rows added at the end of a month's
//! sheet unless said otherwise, so no other row moves):
//! - not held (`Fate::NotHeld`, listed at the cell named): 上期 7月 a row
//!   two working days before a held session, same 派遣番号, 備考
//!   「延期→7/d」 (備考 cell); 上期 8月 実施日 「中止」 (date cell); 下期 10月
//!   状況 「予定」 dated 2023-10-27, past at both as-of dates (状況 cell; a
//!   planned_past_date check at 2023-10-31 and 2024-03-31); 下期 11月 状況
//!   「中止」 on 2023-11-21 (the session made up in December); 下期 12月 a
//!   session typed twice, the copy struck through whole (.xlsx, its first
//!   matched cell); 下期 3月 状況 「予定」 dated 2024-03-28 (in the future
//!   at 2023-10-31; a planned_past_date check at 2024-03-31 only);
//!   魅力発信 `.ods` a サポステ programme with 参加者数 0 on 2023-09-28 (the
//!   count's cell, and a zero_attendance check) and a school event of
//!   2023-12-21 struck through whole (`.ods` cell styles);
//! - over several days: 上期 8月 the last company session is
//!   `2023/8/31〜9/1` (a session in August and one in September); 下期 2月
//!   the first company session has 日数 3 (three sessions, 3 × 受講者数);
//!   the 魅力発信 event at 防府市立華城小学校 has 日数 2 (one 回, twice its
//!   participants in person-days);
//! - counted, to check: 上期 9月 受講者数 `10（うち女性3）` (count_with_note);
//!   下期 12月 備考 「中止回の振替」 and 下期 1月 状況 「実施済」 with 備考
//!   「延期→1/d」 (remarks_word); 下期 1月 a 備考 struck through alone
//!   (partly_struck); 上期 6月 two classes of one school, equal and without a
//!   number (both count; equal_rows_in_sheet on the second);
//! - skipped: 「5月 (2)」, a copy of 上期 5月 right after it (its total row
//!   too); 派遣番号_付番依頼.xlsx pastes the 上期 5月 and 6月 rows without a
//!   派遣番号 (repeat_without_number at each);
//! - competitions: this year's book is named …_令和5年度 (the 若年者大会 and
//!   県予選 sheets have no 年度 column); 過年度/技能五輪全国大会_第60回名簿.xlsx
//!   holds last year's list, its title naming 令和4年度, no 年度 column, with
//!   one row rejected for 参加区分 「コーチ」 (listed apart as 過年度).

use super::data::{
    COORDINATORS, Cat, EAST, GIVEN, MEISTERS, MeisterSpec, PROSPECTS, REQUESTERS, Requester, Role, SKILLED_TRADES,
    SURNAMES, WEST,
};
use super::layout::{
    BodyKind, BodyMerge, BodyRow, BookKind, BookLayout, Cell, DateFmt, SheetLayout, TopLine, col_letter, ym,
};
use super::mess::{CountStyle, DateStyle, count_cell, date_cell};
use super::model::{
    CompetitionRecord, DispatchRecord, ExpectedWarning, ExpectedWarningKind, Fate, IncidentRecord, MeetingRecord,
    MeisterRecord, OutreachRecord, Place, SampleSet, TrainingRecord, VisitRecord,
};
use super::rng::Rng;
use chrono::{Datelike, NaiveDate, Weekday};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The office conventions planted (状況, 備考, 見え消し, 日数, ranges,
/// repeats without a number, a copied sheet, a count with a note, last
/// year's competition book).
#[path = "conventions.rs"]
mod conventions;

/// The one seed everything derives from.
const SEED: u64 = 0x3520_2300_4B50_4931;

/// Everything the generator makes: the records and the workbooks.
pub(crate) struct Built {
    pub(crate) set: SampleSet,
    pub(crate) books: Vec<BookLayout>,
}

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid calendar date in the generator's tables")
}

fn ymd(t: (i32, u32, u32)) -> NaiveDate {
    d(t.0, t.1, t.2)
}

/// File names of the folder (relative, `/`).
pub(crate) mod files {
    pub(crate) const KAMIKI: &str = "派遣実績_令和5年度_上期.xlsx";
    pub(crate) const SHIMOKI: &str = "下期/派遣実績_R5下期.xlsx";
    pub(crate) const PRIOR: &str = "過年度/派遣実績_令和4年度.xlsx";
    pub(crate) const OUTREACH: &str = "ものづくりの魅力発信_令和5年度.ods";
    pub(crate) const COURSES: &str = "技能継承講座_令和5年度.ods";
    pub(crate) const REGISTRY: &str = "マイスター台帳.xlsx";
    pub(crate) const MIXED: &str = "競技大会・講習会・連携会議_令和5年度.xlsx";
    pub(crate) const NUMBERING: &str = "派遣番号_付番依頼.xlsx";
    pub(crate) const PAST_COMPETITION: &str = "過年度/技能五輪全国大会_第60回名簿.xlsx";
    pub(crate) const VISITS: &str = "コーディネーター訪問記録.xlsx";
    pub(crate) const INCIDENTS: &str = "個人情報インシデント.xlsx";
    pub(crate) const LOCK: &str = "~$派遣実績_令和5年度_上期.xlsx";
    pub(crate) const PDF: &str = "令和5年度推進計画.pdf";
    pub(crate) const TXT: &str = "作業メモ.txt";
    pub(crate) const README: &str = "README.md";
}

// ---------------------------------------------------------------------------
// Names

/// Invented personal names, unique across the whole folder.
struct Names {
    rng: Rng,
    used: BTreeSet<String>,
}

impl Names {
    fn new(seed: u64) -> Names {
        let used = COORDINATORS.iter().map(|(n, _)| (*n).to_string()).collect();
        Names { rng: Rng::new(seed), used }
    }

    /// `姓　名` with an ideographic space, as typed in Japanese offices.
    fn next(&mut self) -> String {
        loop {
            let s = format!("{}\u{3000}{}", self.rng.pick(SURNAMES), self.rng.pick(GIVEN));
            if self.used.insert(s.clone()) {
                return s;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Sheet builder

/// Lays out one dataset sheet row by row and hands out each record's place.
struct SheetBuilder {
    file: String,
    layout: SheetLayout,
}

impl SheetBuilder {
    /// `cols`: (header text as written, field key). Keys not in a record's
    /// cells stay empty. The title lines go above `header_row` (0-based).
    fn new(
        file: &str,
        name: &str,
        dataset: &'static str,
        top: Vec<TopLine>,
        header_row: u32,
        cols: &[(&str, &'static str)],
        widths: &[f64],
    ) -> SheetBuilder {
        let mut layout = SheetLayout::new(name, Some(dataset));
        layout.top = top;
        layout.header_row = header_row;
        layout.headers = cols.iter().map(|(h, _)| (*h).to_string()).collect();
        layout.keys = cols.iter().map(|(_, k)| *k).collect();
        layout.widths = widths.to_vec();
        SheetBuilder { file: file.to_string(), layout }
    }

    fn col(&self, key: &str) -> u16 {
        self.layout.col_of(key).expect("column key exists in the sheet")
    }

    /// A1 of field `key`'s cell on the row of `place`.
    fn cell_of(&self, key: &str, place: &Place) -> String {
        format!("{}{}", col_letter(self.col(key)), place.row)
    }

    fn record(&mut self, cells: Vec<(&'static str, Cell)>) -> Place {
        let mut row = vec![Cell::Empty; self.layout.keys.len()];
        for (key, cell) in cells {
            if let Some(i) = self.layout.col_of(key) {
                row[usize::from(i)] = cell;
            }
        }
        self.layout.body.push(BodyRow { kind: BodyKind::Record, cells: row });
        Place {
            file: self.file.clone(),
            sheet: self.layout.name.clone(),
            row: self.layout.excel_row(self.layout.body.len() - 1),
        }
    }

    fn blank(&mut self) {
        let cells = vec![Cell::Empty; self.layout.keys.len()];
        self.layout.body.push(BodyRow { kind: BodyKind::Blank, cells });
    }

    /// A total row: `label` in the `label_key` column, `=SUM(..)` with its
    /// cached result (numbers only, as Excel computes it) under `sum_keys`.
    fn total(&mut self, label_key: &str, label: &str, sum_keys: &[&str]) {
        let mut row = vec![Cell::Empty; self.layout.keys.len()];
        row[usize::from(self.col(label_key))] = Cell::text(label);
        for key in sum_keys {
            let c = self.col(key);
            row[usize::from(c)] = self.layout.sum_above(c);
        }
        self.layout.body.push(BodyRow { kind: BodyKind::Total, cells: row });
    }

    /// Merge the last `n` body rows vertically in column `key` (the upper
    /// cell keeps the value, the ones below must be empty).
    fn merge_last(&mut self, n: usize, key: &str) {
        let len = self.layout.body.len();
        let col = self.col(key);
        debug_assert!(n >= 2 && len >= n);
        debug_assert!(self.layout.body[len - n + 1..].iter().all(|r| r.cells[usize::from(col)].is_empty()));
        self.layout.merges.push(BodyMerge { first: len - n, last: len - 1, col });
    }

    fn finish(self) -> SheetLayout {
        self.layout
    }
}

/// A title line merged across `span` columns.
fn title(row: u32, text: &str, span: usize) -> TopLine {
    TopLine { row, col: 0, text: text.to_string(), span: span as u16 }
}

/// A plain line (not merged) in column `col`.
fn line(row: u32, col: u16, text: &str) -> TopLine {
    TopLine { row, col, text: text.to_string(), span: 1 }
}

fn placeholder() -> Place {
    Place { file: String::new(), sheet: String::new(), row: 0 }
}

// ---------------------------------------------------------------------------
// Dispatch sessions

/// What is wrong with a session's row (all but `None` are rejected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    None,
    ImpossibleDate,
    FreeTextDate,
    NegativeCount,
    UnknownDest,
    BlankTrade,
    FractionalCount,
}

#[derive(Debug, Clone)]
struct Sess {
    date: NaiveDate,
    cat: Cat,
    /// Index into `REQUESTERS`, or `usize::MAX` for the NPO of the bad row.
    req: usize,
    meister: Option<usize>,
    skilled: Option<usize>,
    trainees: i64,
    hours: f64,
    no: Option<String>,
    /// Whether it gets a 派遣番号 at all.
    numbered: bool,
    bad: Bad,
    note: Option<&'static str>,
    /// Index into `COURSES` for a session of the `.ods` 技能継承講座 (written
    /// there, not on the month sheets).
    course: Option<usize>,
    /// The office convention planted on the row, if any.
    conv: conventions::Conv,
}

impl Sess {
    fn new(date: NaiveDate, cat: Cat) -> Sess {
        Sess {
            date,
            cat,
            req: usize::MAX,
            meister: None,
            skilled: None,
            trainees: 0,
            hours: 2.0,
            no: None,
            numbered: true,
            bad: Bad::None,
            note: None,
            course: None,
            conv: conventions::Conv::default(),
        }
    }
}

/// 備考 of the two sessions whose 実施日 cells are merged.
const PAIR_HEAD: &str = "午前の部";
const PAIR_TAIL: &str = "午後の部";

const NPO_NAME: &str = "NPO法人しゅうなんものづくり応援団";

/// A 技能継承講座: a series of 熟練技能者 sessions at one requester, kept in
/// its own `.ods` workbook, where the series' 区分 is one cell merged down
/// over all its rows (and two sessions of one day share a merged 実施日).
struct Course {
    name: &'static str,
    requester: &'static str,
    /// Index into `SKILLED_TRADES` (the instructor and the trade).
    skilled: usize,
    /// 区分 as written, once, in the merged cell.
    label: &'static str,
    /// 派遣先区分 as written.
    dest_label: &'static str,
    sessions: &'static [CourseSession],
}

/// One session of a course: (実施日, 受講者数, 指導時間, 備考).
type CourseSession = ((i32, u32, u32), i64, f64, Option<&'static str>);

const COURSES: &[Course] = &[
    Course {
        name: "技能継承講座（鉄工）全4回",
        requester: "株式会社下松鉄工",
        skilled: 0,
        label: "熟練技能者",
        dest_label: "中小企業",
        sessions: &[
            ((2023, 11, 8), 8, 3.0, Some("第1回 午前")),
            ((2023, 11, 8), 7, 2.0, Some("第1回 午後")),
            ((2023, 11, 15), 8, 3.0, None),
            ((2023, 11, 22), 9, 3.0, None),
        ],
    },
    Course {
        name: "技能継承講座（表具）全2回",
        requester: "株式会社美祢建設",
        skilled: 1,
        label: "熟練技能者等",
        dest_label: "企業",
        sessions: &[((2024, 1, 17), 6, 2.0, None), ((2024, 1, 24), 5, 2.0, Some("修了式を併せて実施"))],
    },
];

/// FY2023 plan of sessions per month: (year, month, school, SME, group, public, skilled).
/// Schools are heavy in autumn, companies in winter; July gets one more
/// school session (the merged-date partner), so schools total 176.
const FY2023_MONTHS: [(i32, u32, u32, u32, u32, u32, u32); 12] = [
    (2023, 4, 5, 3, 1, 0, 0),
    (2023, 5, 12, 4, 2, 0, 0),
    (2023, 6, 16, 5, 2, 0, 1),
    (2023, 7, 16, 5, 2, 1, 2),
    (2023, 8, 7, 4, 1, 2, 0),
    (2023, 9, 20, 5, 2, 0, 1),
    (2023, 10, 27, 6, 2, 0, 2),
    (2023, 11, 24, 7, 3, 1, 2),
    (2023, 12, 14, 6, 3, 0, 0),
    (2024, 1, 16, 7, 4, 0, 2),
    (2024, 2, 14, 8, 4, 1, 1),
    (2024, 3, 4, 8, 2, 0, 0),
];

/// FY2022 sessions per month (the 過年度 workbook), April first.
const FY2022_MONTHS: [u32; 12] = [4, 6, 8, 8, 4, 8, 9, 8, 6, 7, 7, 5];

/// Trainees of the 11 skilled-worker sessions, in date order.
const SKILLED_TRAINEES: [i64; 11] = [12, 13, 11, 12, 12, 13, 14, 12, 15, 13, 11];

/// Weekday public holidays of FY2022–FY2023 (Monday holidays and others).
const HOLIDAYS: [(i32, u32, u32); 18] = [
    (2022, 7, 18),
    (2022, 9, 19),
    (2022, 9, 23),
    (2022, 10, 10),
    (2023, 1, 9),
    (2023, 2, 23),
    (2023, 3, 21),
    (2023, 7, 17),
    (2023, 9, 18),
    (2023, 10, 9),
    (2024, 1, 8),
    (2024, 2, 12),
    (2024, 2, 23),
    (2024, 3, 20),
    (2022, 4, 29),
    (2023, 11, 3),
    (2022, 11, 3),
    (2022, 11, 23),
];

fn is_holiday(date: NaiveDate) -> bool {
    let (m, day) = (date.month(), date.day());
    matches!((m, day), (5, 3..=5) | (8, 11..=16) | (12, 28..=31) | (1, 1..=4) | (11, 23))
        || HOLIDAYS.contains(&(date.year(), m, day))
}

/// A random working day of a month.
pub(crate) fn workday(rng: &mut Rng, y: i32, m: u32) -> NaiveDate {
    let days = if m == 12 { d(y + 1, 1, 1) } else { d(y, m + 1, 1) }.pred_opt().expect("date").day();
    loop {
        let date = d(y, m, rng.range(1, i64::from(days)) as u32);
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date) {
            return date;
        }
    }
}

fn eligible(ms: &MeisterSpec, date: NaiveDate) -> bool {
    ymd(ms.certified) <= date
        && ms.trained.is_none_or(|t| ymd(t) <= date)
        && ms.deregistered.is_none_or(|x| date < ymd(x))
}

/// A meister for a session: same trade and region as the requester asks
/// for when possible, then same trade, then anyone eligible.
fn pick_meister(rng: &mut Rng, req: Option<&Requester>, date: NaiveDate, fy2022: bool) -> usize {
    let weight = |ms: &MeisterSpec| -> u32 {
        match ms.role {
            Role::Active | Role::New if !fy2022 => ms.weight,
            Role::Active if fy2022 => ms.weight,
            Role::History if fy2022 => 3,
            _ => 0,
        }
    };
    let base: Vec<usize> =
        (0..MEISTERS.len()).filter(|&i| weight(&MEISTERS[i]) > 0 && eligible(&MEISTERS[i], date)).collect();
    let trade_ok = |i: &usize| req.is_some_and(|r| r.trades.contains(&MEISTERS[*i].trade));
    let region_ok = |i: &usize| req.is_some_and(|r| MEISTERS[*i].region.is_none_or(|g| g == r.region));
    let tiers: [Vec<usize>; 3] = [
        base.iter().copied().filter(|i| trade_ok(i) && region_ok(i)).collect(),
        base.iter().copied().filter(trade_ok).collect(),
        base.clone(),
    ];
    let pool = tiers.iter().find(|t| !t.is_empty()).expect("some meister is always eligible");
    let total: u32 = pool.iter().map(|&i| weight(&MEISTERS[i])).sum();
    let mut x = rng.below(total as usize) as u32;
    for &i in pool {
        let w = weight(&MEISTERS[i]);
        if x < w {
            return i;
        }
        x -= w;
    }
    pool[pool.len() - 1]
}

fn trainees_for(rng: &mut Rng, cat: Cat) -> i64 {
    match cat {
        Cat::School => {
            if rng.chance(6) {
                rng.range(10, 14)
            } else {
                rng.range(4, 8)
            }
        }
        Cat::Sme => rng.range(2, 6),
        Cat::Group => rng.range(5, 11),
        Cat::Public => rng.range(10, 20),
    }
}

fn hours_for(rng: &mut Rng, cat: Cat) -> f64 {
    match cat {
        Cat::Group => {
            if rng.chance(75) {
                3.0
            } else {
                2.0
            }
        }
        Cat::Public => 2.0,
        Cat::School | Cat::Sme => {
            if rng.chance(55) {
                2.0
            } else {
                3.0
            }
        }
    }
}

fn requesters_of(cat: Cat) -> Vec<usize> {
    (0..REQUESTERS.len()).filter(|&i| REQUESTERS[i].cat == cat).collect()
}

/// The FY2023 sessions in date order, numbered R5-001…, with the bad rows
/// and the special cases planted.
fn fy2023_sessions(rng: &mut Rng) -> Vec<Sess> {
    let mut v: Vec<Sess> = Vec::new();
    for &(y, m, school, sme, group, public, skilled) in &FY2023_MONTHS {
        for (cat, n) in [(Cat::School, school), (Cat::Sme, sme), (Cat::Group, group), (Cat::Public, public)] {
            for _ in 0..n {
                v.push(Sess::new(workday(rng, y, m), cat));
            }
        }
        for _ in 0..skilled {
            let cat = if rng.chance(65) { Cat::Sme } else { Cat::Group };
            let mut s = Sess::new(workday(rng, y, m), cat);
            s.skilled = Some(0);
            v.push(s);
        }
    }
    v.sort_by_key(|s| s.date);

    // Requesters: each category's allocation, shuffled, dealt in date order.
    for cat in [Cat::School, Cat::Sme, Cat::Group] {
        let mut bag: Vec<usize> = requesters_of(cat)
            .into_iter()
            .flat_map(|i| std::iter::repeat_n(i, REQUESTERS[i].fy2023 as usize))
            .collect();
        rng.shuffle(&mut bag);
        for s in v.iter_mut().filter(|s| s.cat == cat && s.skilled.is_none()) {
            s.req = bag.pop().expect("allocation covers the plan");
        }
    }
    let publics = requesters_of(Cat::Public);
    for (k, s) in v.iter_mut().filter(|s| s.cat == Cat::Public).enumerate() {
        s.req = publics[k % publics.len()];
    }
    for (k, s) in v.iter_mut().filter(|s| s.skilled.is_some()).enumerate() {
        let pool = requesters_of(s.cat);
        s.req = *rng.pick(&pool);
        s.skilled = Some(rng.below(SKILLED_TRADES.len()));
        s.trainees = SKILLED_TRAINEES[k];
    }

    // The bad rows (real sessions whose rows need fixing).
    let schools = requesters_of(Cat::School);
    let smes = requesters_of(Cat::Sme);
    let groups = requesters_of(Cat::Group);
    let bad = |date: NaiveDate, cat: Cat, req: usize, bad: Bad| {
        let mut s = Sess::new(date, cat);
        s.req = req;
        s.bad = bad;
        s
    };
    let bads = vec![
        bad(d(2023, 9, 30), Cat::School, schools[3], Bad::ImpossibleDate),
        bad(d(2023, 9, 15), Cat::Sme, smes[6], Bad::FreeTextDate),
        bad(d(2023, 7, 20), Cat::School, schools[9], Bad::NegativeCount),
        bad(d(2023, 11, 16), Cat::Group, usize::MAX, Bad::UnknownDest),
        bad(d(2023, 12, 12), Cat::Sme, smes[11], Bad::BlankTrade),
        bad(d(2024, 1, 23), Cat::Group, groups[4], Bad::FractionalCount),
    ];
    v.extend(bads);
    v.sort_by_key(|s| s.date);

    // Meisters, trainees, hours.
    for s in &mut v {
        if s.skilled.is_none() {
            let req = REQUESTERS.get(s.req);
            s.meister = Some(pick_meister(rng, req, s.date, false));
            s.trainees = trainees_for(rng, s.cat);
        }
        s.hours = hours_for(rng, s.cat);
    }
    for s in &mut v {
        match s.bad {
            Bad::NegativeCount => s.trainees = 2,
            Bad::FractionalCount => s.trainees = 4,
            _ => {}
        }
    }

    // New meisters lead their first two sessions from their certification
    // day on (never before their 講習受講日, which precedes it).
    let mut forced: Vec<usize> = Vec::new();
    for no in ["35-022", "35-023", "35-024", "35-025"] {
        let mi = MEISTERS.iter().position(|ms| ms.no == no).expect("meister in roster");
        let from = ymd(MEISTERS[mi].certified);
        let open = |i: &usize| {
            let s = &v[*i];
            s.date >= from && s.skilled.is_none() && s.bad == Bad::None && s.cat != Cat::Public && !forced.contains(i)
        };
        // Sessions asking for the meister's trade first, else any.
        let wants = |i: &usize| REQUESTERS[v[*i].req].trades.contains(&MEISTERS[mi].trade);
        let mut picks: Vec<usize> = (0..v.len()).filter(open).filter(wants).take(2).collect();
        let first_any = (0..v.len()).find(open).expect("sessions after every certification");
        if picks.first().is_none_or(|&p| ym(v[p].date) != ym(from)) {
            picks.insert(0, first_any);
        }
        for i in (0..v.len()).filter(open) {
            if picks.len() >= 2 {
                break;
            }
            if !picks.contains(&i) {
                picks.push(i);
            }
        }
        picks.truncate(2);
        for i in picks {
            v[i].meister = Some(mi);
            forced.push(i);
        }
    }

    // One session of 4 hours (outside 1–3: a rule finding), in June.
    if let Some(s) = v.iter_mut().find(|s| ym(s.date) == (2023, 6) && s.cat == Cat::Sme && s.skilled.is_none()) {
        s.hours = 4.0;
        s.note = Some("午前・午後の通し");
    }

    // Two sessions without a 派遣番号 (optional column left blank).
    if let Some(s) = v.iter_mut().find(|s| ym(s.date) == (2023, 5) && s.cat == Cat::School) {
        s.numbered = false;
    }
    if let Some(s) = v.iter_mut().filter(|s| ym(s.date) == (2023, 8)).nth(2) {
        s.numbered = false;
    }

    // The merged-date pair: a July school session (requester under its cap)
    // gets a partner on the same day, same school and meister, right after it.
    let first = v
        .iter()
        .position(|s| {
            ym(s.date) == (2023, 7) && s.cat == Cat::School && s.bad == Bad::None && REQUESTERS[s.req].fy2023 <= 9
        })
        .expect("a July school session");
    let mut partner = v[first].clone();
    partner.trainees = trainees_for(rng, Cat::School);
    partner.note = Some(PAIR_TAIL);
    v[first].note = Some(PAIR_HEAD);
    v.insert(first + 1, partner);

    // The 技能継承講座 sessions of the `.ods` (fixed: no draw).
    for (ci, c) in COURSES.iter().enumerate() {
        let req = REQUESTERS.iter().position(|r| r.name == c.requester).expect("course requester");
        for &(date, trainees, hours, note) in c.sessions {
            let mut s = Sess::new(ymd(date), REQUESTERS[req].cat);
            s.req = req;
            s.skilled = Some(c.skilled);
            s.trainees = trainees;
            s.hours = hours;
            s.note = note;
            s.course = Some(ci);
            v.push(s);
        }
    }
    v.sort_by_key(|s| s.date);

    // 派遣番号 in date order, restarting at 001 as every year.
    let mut k = 0;
    for s in &mut v {
        if s.numbered {
            k += 1;
            s.no = Some(dispatch_no(k));
        }
    }
    v
}

/// The 派遣番号 of a year's `k`-th session: the corner restarts at `001`
/// every fiscal year, so last year's book holds the same numbers.
fn dispatch_no(k: usize) -> String {
    format!("{k:03}")
}

/// Makes one FY2022 session repeat its FY2023 namesake: the same requester
/// asks each year for the same meister, trade and class size, and both
/// years' numbering started at 001, so the two rows share a 派遣番号 and
/// differ only in 実施日 (two sessions, each counted in its own year).
/// Returns the number.
fn mirror_last_year(fy22: &mut [Sess], fy23: &[Sess]) -> String {
    // FY2022 sessions whose meister is planted on purpose keep it.
    let planted =
        |s: &Sess| s.meister.is_some_and(|mi| MEISTERS[mi].role == Role::History || MEISTERS[mi].no == "35-021");
    let plain = |s: &&Sess| {
        s.bad == Bad::None && s.skilled.is_none() && s.course.is_none() && s.note.is_none() && s.cat != Cat::Public
    };
    for s23 in fy23.iter().filter(plain) {
        let (Some(no), Some(mi)) = (&s23.no, s23.meister) else { continue };
        let Some(s22) = fy22.iter_mut().find(|s| s.no.as_ref() == Some(no)) else { continue };
        if planted(s22) || !eligible(&MEISTERS[mi], s22.date) {
            continue;
        }
        s22.cat = s23.cat;
        s22.req = s23.req;
        s22.meister = Some(mi);
        s22.trainees = s23.trainees;
        return no.clone();
    }
    panic!("no FY2023 session can repeat a FY2022 one")
}

/// FY2022 sessions (history for meister activity), in date order.
fn fy2022_sessions(rng: &mut Rng) -> Vec<Sess> {
    let mut v = Vec::new();
    for (i, &n) in FY2022_MONTHS.iter().enumerate() {
        let (y, m) = if i < 9 { (2022, 4 + i as u32) } else { (2023, i as u32 - 8) };
        for _ in 0..n {
            let r = rng.below(100);
            let cat = match r {
                0..=54 => Cat::School,
                55..=84 => Cat::Sme,
                85..=96 => Cat::Group,
                _ => Cat::Public,
            };
            v.push(Sess::new(workday(rng, y, m), cat));
        }
    }
    v.sort_by_key(|s| s.date);
    for s in &mut v {
        let pool = requesters_of(s.cat);
        s.req = *rng.pick(&pool);
        s.meister = Some(pick_meister(rng, Some(&REQUESTERS[s.req]), s.date, true));
        s.trainees = trainees_for(rng, s.cat);
    }
    // The two history-only meisters each lead a few FY2022 sessions.
    let m7 = MEISTERS.iter().position(|ms| ms.no == "35-007").expect("roster");
    let m16 = MEISTERS.iter().position(|ms| ms.no == "35-016").expect("roster");
    for (idx, mi) in [(10, m7), (40, m7), (70, m7), (25, m16), (60, m16)] {
        v[idx].meister = Some(mi);
    }
    // 35-021 (certified 2023-01, trained 2023-02-16) leads one session in
    // March 2023, so it is active from the first monthly report on.
    let m21 = MEISTERS.iter().position(|ms| ms.no == "35-021").expect("roster");
    let from = ymd(MEISTERS[m21].trained.expect("trained"));
    if let Some(s) = v.iter_mut().find(|s| s.date >= from && s.cat != Cat::Public) {
        s.meister = Some(m21);
    }
    // 派遣番号 from 001, like FY2023's.
    for (k, s) in v.iter_mut().enumerate() {
        s.no = Some(dispatch_no(k + 1));
    }
    v
}

// ---------------------------------------------------------------------------
// Dispatch workbooks

/// Which dispatch workbook a row is written into (each has its own habits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Book {
    Kamiki,
    Shimoki,
    Prior,
    /// The 技能継承講座 `.ods` (cells written by `skilled_book`).
    Courses,
}

struct DispatchCtx<'a> {
    meister_names: &'a [String],
    skilled_names: &'a [String],
    /// The check items planted on the rows written (see `conventions`).
    checks: RefCell<Vec<ExpectedWarning>>,
}

/// The record a session stands for (place filled in later).
fn dispatch_record(s: &Sess, book: Book, ctx: &DispatchCtx<'_>) -> DispatchRecord {
    let (requester, region) = match REQUESTERS.get(s.req) {
        Some(r) => (r.name.to_string(), r.region),
        None => (NPO_NAME.to_string(), EAST),
    };
    let (instructor_type, meister_no, name, trade) = match (s.skilled, s.meister) {
        (Some(k), _) => ("熟練技能者", None, ctx.skilled_names[k].clone(), SKILLED_TRADES[k].0),
        (None, Some(mi)) => (
            "ものづくりマイスター",
            Some(MEISTERS[mi].no.to_string()),
            ctx.meister_names[mi].clone(),
            MEISTERS[mi].trade,
        ),
        (None, None) => unreachable!("every session has a meister or a skilled worker"),
    };
    let fate = match s.bad {
        Bad::None => Fate::Accepted,
        Bad::ImpossibleDate | Bad::FreeTextDate => Fate::Rejected { column: "実施日" },
        Bad::NegativeCount | Bad::FractionalCount => Fate::Rejected { column: "受講者数" },
        Bad::UnknownDest => Fate::Rejected { column: "派遣先区分" },
        Bad::BlankTrade => Fate::Rejected { column: "職種" },
    };
    let prior = book == Book::Prior;
    let mut rec = DispatchRecord {
        date: s.date,
        dest_type: s.cat.canonical(),
        requester,
        trade: trade.to_string(),
        trainees: s.trainees,
        instructor_type,
        meister_no,
        instructor_name: Some(name),
        hours: if prior { None } else { Some(s.hours) },
        dispatch_no: s.no.clone(),
        region: if prior { None } else { Some(region) },
        days: 1,
        last_day: None,
        fate,
        place: placeholder(),
    };
    conventions::record(s, &mut rec);
    rec
}

/// The cells of a session's row, with the workbook's habits and the bad
/// values planted.
fn dispatch_cells(s: &Sess, rec: &DispatchRecord, book: Book, rng: &mut Rng) -> Vec<(&'static str, Cell)> {
    let date_style = match book {
        Book::Kamiki => match rng.below(100) {
            0..=77 => DateStyle::Cell(DateFmt::Slash),
            78..=81 => DateStyle::Serial,
            82..=85 => DateStyle::Slash,
            86..=89 => DateStyle::EraDot,
            90..=92 => DateStyle::EraKanji,
            93..=95 => DateStyle::EraKanjiWide,
            96..=97 => DateStyle::Kanji,
            _ => DateStyle::EraSlash,
        },
        Book::Shimoki => match rng.below(100) {
            0..=84 => DateStyle::Cell(DateFmt::MonthDay),
            85..=89 => DateStyle::Dot,
            90..=92 => DateStyle::Iso,
            93..=95 => DateStyle::Kanji,
            _ => DateStyle::EraSlash,
        },
        Book::Prior | Book::Courses => DateStyle::Cell(DateFmt::Slash),
    };
    let count_style = match book {
        Book::Kamiki => match rng.below(100) {
            0..=87 => CountStyle::Num,
            88..=92 => CountStyle::Nin,
            93..=96 => CountStyle::Wide,
            _ => CountStyle::Mei,
        },
        Book::Shimoki => match rng.below(100) {
            0..=91 => CountStyle::Num,
            92..=95 => CountStyle::Mei,
            _ => CountStyle::Wide,
        },
        Book::Prior | Book::Courses => CountStyle::Num,
    };
    let dest_label = match REQUESTERS.get(s.req) {
        Some(r) => {
            let canonical_share = if book == Book::Shimoki { 70 } else { 25 };
            if rng.chance(canonical_share) { r.cat.canonical() } else { *rng.pick(r.labels) }
        }
        None => "NPO",
    };
    let type_label = match (s.skilled.is_some(), book) {
        (true, Book::Kamiki) => "熟練技能者等",
        (true, _) => "熟練技能者",
        (false, Book::Kamiki) => {
            if rng.chance(70) {
                "マイスター"
            } else {
                "ものづくりマイスター"
            }
        }
        (false, _) => "ものづくりマイスター",
    };
    let date = match s.bad {
        Bad::ImpossibleDate => Cell::text("2023/9/31"),
        Bad::FreeTextDate => Cell::text("9月中旬"),
        _ => date_cell(s.date, date_style),
    };
    let trainees = match s.bad {
        Bad::NegativeCount => Cell::Num(-2.0),
        Bad::FractionalCount => Cell::Num(3.5),
        _ => count_cell(s.trainees, count_style),
    };
    let trade = if s.bad == Bad::BlankTrade { Cell::Empty } else { Cell::text(rec.trade.clone()) };
    let mut cells = vec![
        ("date", date),
        ("dest_type", Cell::text(dest_label)),
        ("requester", Cell::text(rec.requester.clone())),
        ("trade", trade),
        ("trainees", trainees),
        ("instructor_type", Cell::text(type_label)),
        ("instructor_name", Cell::text(rec.instructor_name.clone().unwrap_or_default())),
        ("hours", Cell::Num(s.hours)),
        ("region", Cell::text(rec.region.unwrap_or_default())),
    ];
    if let Some(no) = &rec.meister_no {
        cells.push(("meister_no", Cell::text(no.clone())));
    }
    if let Some(no) = &rec.dispatch_no {
        cells.push(("dispatch_no", Cell::text(no.clone())));
    }
    if let Some(note) = s.note {
        cells.push(("note", Cell::text(note)));
    }
    conventions::cells(s, &mut cells);
    cells
}

const KAMIKI_COLS: &[(&str, &str)] = &[
    ("通し番号", "seq"),
    ("派遣番号", "dispatch_no"),
    ("実施日 ", "date"),
    ("派遣先区分", "dest_type"),
    ("派遣先名", "requester"),
    ("地区", "region"),
    ("職種", "trade"),
    ("区分", "instructor_type"),
    ("ﾏｲｽﾀｰ番号", "meister_no"),
    ("指導者氏名", "instructor_name"),
    ("指導時間\n（h）", "hours"),
    ("受講者数\n（人）", "trainees"),
    ("備考", "note"),
];
const KAMIKI_WIDTHS: &[f64] = &[6.0, 9.0, 11.0, 10.0, 30.0, 6.0, 14.0, 12.0, 10.0, 14.0, 8.0, 8.0, 16.0];

const SHIMOKI_COLS: &[(&str, &str)] = &[
    ("管理番号", "dispatch_no"),
    ("指導日", "date"),
    ("派遣先名", "requester"),
    ("派遣先種別", "dest_type"),
    ("職種", "trade"),
    ("指導者区分", "instructor_type"),
    ("指導者番号", "meister_no"),
    ("氏名", "instructor_name"),
    ("", "blank"),
    ("時間", "hours"),
    ("受講者数(名)", "trainees"),
    ("地区", "region"),
    ("備考", "note"),
    ("状況", "status"),
    ("日数", "days"),
];
const SHIMOKI_WIDTHS: &[f64] = &[9.0, 9.0, 30.0, 10.0, 14.0, 14.0, 10.0, 14.0, 3.0, 6.0, 10.0, 6.0, 16.0, 8.0, 6.0];

const PRIOR_COLS: &[(&str, &str)] = &[
    ("No.", "seq"),
    ("派遣番号", "dispatch_no"),
    ("実施年月日", "date"),
    ("派遣先種別", "dest_type"),
    ("企業・学校名", "requester"),
    ("職種", "trade"),
    ("受講人数", "trainees"),
    ("認定番号", "meister_no"),
    ("マイスター氏名", "instructor_name"),
];
const PRIOR_WIDTHS: &[f64] = &[5.0, 9.0, 11.0, 10.0, 30.0, 14.0, 8.0, 10.0, 14.0];

/// What the dispatch workbooks plant: the records, the books, and the
/// unreadable optional values (field warnings).
struct Dispatches {
    records: Vec<DispatchRecord>,
    books: Vec<BookLayout>,
    field_warnings: Vec<ExpectedWarning>,
    check_warnings: Vec<ExpectedWarning>,
}

/// Builds the dispatch workbooks (上期, 下期, 過年度, the 技能継承講座 `.ods`,
/// the 付番依頼 list) and their records.
fn dispatch_books(rng: &mut Rng, meister_names: &[String], skilled_names: &[String]) -> Dispatches {
    let mut fy23 = fy2023_sessions(rng);
    let mut fy22 = fy2022_sessions(rng);
    let mirrored = mirror_last_year(&mut fy22, &fy23);
    // The conventions: rows changed in place, and rows added at the end of
    // a month's sheet (written with their own draws, so every other row
    // stays as it was).
    conventions::mark_sessions(&mut fy23, &mirrored);
    let extras = conventions::extra_sessions(&fy23, &mirrored);
    let mut extra_rng = Rng::new(SEED ^ 0x434F_4E56);
    let mut records = Vec::new();
    let mut field_warnings = Vec::new();
    let ctx = DispatchCtx { meister_names, skilled_names, checks: RefCell::new(Vec::new()) };

    // Two late-entered FY2022 sessions at the top of 上期 4月, numbered on
    // from the FY2022 book's last number (FY2023 has the same numbers too).
    let late_from = fy22.len() + 1;
    let mut late: Vec<Sess> = [d(2023, 3, 27), d(2023, 3, 29)]
        .into_iter()
        .enumerate()
        .map(|(k, date)| {
            let mut s = Sess::new(date, Cat::Sme);
            s.req = requesters_of(Cat::Sme)[k * 5];
            s.meister = Some(pick_meister(rng, Some(&REQUESTERS[s.req]), date, true));
            s.trainees = trainees_for(rng, Cat::Sme);
            s.hours = 2.0;
            s.no = Some(dispatch_no(late_from + k));
            s.note = Some("3月分（記入漏れ）");
            s
        })
        .collect();
    let on_month_sheets = |s: &&Sess| s.course.is_none();

    // 上期: one sheet per month, title + org line + blank row, header on row 4.
    let mut kamiki_sheets = Vec::new();
    let mut summary: Vec<(u32, i64, i64, i64)> = Vec::new();
    let mut last_may: Option<(Sess, DispatchRecord)> = None;
    for m in 4..=9u32 {
        let sheet = format!("{m}月");
        let top = vec![
            title(0, &format!("令和5年度 ものづくりマイスター派遣実績一覧（{m}月）"), KAMIKI_COLS.len()),
            line(1, 9, "山口県地域技能振興コーナー"),
        ];
        let mut sb = SheetBuilder::new(files::KAMIKI, &sheet, "dispatches", top, 3, KAMIKI_COLS, KAMIKI_WIDTHS);
        let mut month: Vec<Sess> =
            fy23.iter().filter(|s| ym(s.date) == (2023, m)).filter(on_month_sheets).cloned().collect();
        if m == 4 {
            late.append(&mut month);
            month = std::mem::take(&mut late);
        }
        let mut seq = 0u32;
        // 6月 opens with a copy of 5月's last numbered row (a duplicate).
        if m == 6
            && let Some((s, orig)) = &last_may
        {
            let of = orig.dispatch_no.clone().expect("numbered");
            let fate = Some(Fate::Duplicate { of_dispatch_no: of });
            records.push(kamiki_row(&mut sb, s, &ctx, rng, &mut seq, fate, DateMode::AsDrawn));
        }
        for (i, s) in month.iter().enumerate() {
            if m == 8 && i == 4 {
                sb.blank();
            }
            let rec = match s.note {
                // The merged 実施日 pair: a real date cell on the upper row,
                // nothing on the lower one, the merge carries the date.
                Some(PAIR_HEAD) => kamiki_row(&mut sb, s, &ctx, rng, &mut seq, None, DateMode::RealCell),
                Some(PAIR_TAIL) => {
                    let rec = kamiki_row(&mut sb, s, &ctx, rng, &mut seq, None, DateMode::Omit);
                    sb.merge_last(2, "date");
                    rec
                }
                _ => kamiki_row(&mut sb, s, &ctx, rng, &mut seq, None, DateMode::AsDrawn),
            };
            if m == 5 && rec.dispatch_no.is_some() && rec.fate.is_accepted() {
                last_may = Some((s.clone(), rec.clone()));
            }
            records.push(rec);
        }
        for s in extras.iter().filter(|s| s.conv.extra == Some((Book::Kamiki, (2023, m)))) {
            records.push(kamiki_row(&mut sb, s, &ctx, &mut extra_rng, &mut seq, None, DateMode::AsDrawn));
        }
        sb.total("seq", "合計", &["trainees"]);
        kamiki_sheets.push(sb.finish());
        let month_recs: Vec<&DispatchRecord> = records
            .iter()
            .filter(|r| r.fate.is_accepted() && ym(r.date) == (2023, m) && r.instructor_type == "ものづくりマイスター")
            .collect();
        summary.push((
            m,
            month_recs.len() as i64,
            month_recs.iter().map(|r| r.trainees).sum(),
            month_recs.iter().filter(|r| r.dest_type == "工業高校等").count() as i64,
        ));
    }
    conventions::copy_sheet(&mut kamiki_sheets, &mut records, "5月");
    kamiki_sheets.push(summary_sheet(&summary));

    // 下期: one sheet per month, one title line, header on row 2, a blank column.
    let mut shimoki_sheets = Vec::new();
    let mut last_jan: Option<(DispatchRecord, Vec<(&'static str, Cell)>)> = None;
    for (y, m) in [(2023, 10), (2023, 11), (2023, 12), (2024, 1), (2024, 2), (2024, 3)] {
        let sheet = format!("{m}月");
        let top = vec![title(0, &format!("R5年度下期 派遣実績（{m}月分）"), SHIMOKI_COLS.len())];
        let mut sb = SheetBuilder::new(files::SHIMOKI, &sheet, "dispatches", top, 1, SHIMOKI_COLS, SHIMOKI_WIDTHS);
        // 2月 opens with 1月's last meister session typed again with another
        // 受講者数 and 時間 (corrected on the copy): a conflict, rejected.
        if (y, m) == (2024, 2)
            && let Some((orig, cells)) = &last_jan
        {
            records.push(conflicting_copy(&mut sb, orig, cells));
        }
        let month: Vec<&Sess> = fy23.iter().filter(|s| ym(s.date) == (y, m)).filter(on_month_sheets).collect();
        for (i, s) in month.iter().enumerate() {
            if (y, m) == (2023, 12) && i == 6 {
                sb.blank();
            }
            let mut rec = dispatch_record(s, Book::Shimoki, &ctx);
            let mut cells = dispatch_cells(s, &rec, Book::Shimoki, rng);
            // An unreadable 時間 (optional): the row counts, the field is empty.
            let vague = (y, m) == (2023, 10) && i == 2;
            if vague {
                cells.retain(|(k, _)| *k != "hours");
                cells.push(("hours", Cell::text("2時間程度")));
                rec.hours = None;
            }
            rec.place = sb.record(cells.clone());
            conventions::placed(&mut sb, s, &mut rec, &ctx.checks);
            if vague {
                field_warnings.push(ExpectedWarning {
                    file: rec.place.file.clone(),
                    sheet: rec.place.sheet.clone(),
                    cell: sb.cell_of("hours", &rec.place),
                    kind: ExpectedWarningKind::Field { column: "指導時間" },
                });
            }
            let dup = (y, m) == (2023, 11) && i == 4 && rec.fate.is_accepted() && rec.dispatch_no.is_some();
            if (y, m) == (2024, 1)
                && rec.fate.is_accepted()
                && rec.dispatch_no.is_some()
                && rec.instructor_type == "ものづくりマイスター"
            {
                last_jan = Some((rec.clone(), cells.clone()));
            }
            records.push(rec.clone());
            if dup {
                // Entered twice: same 管理番号 on the next row.
                let mut again = rec.clone();
                again.fate = Fate::Duplicate { of_dispatch_no: rec.dispatch_no.clone().expect("numbered") };
                again.place = sb.record(cells);
                records.push(again);
            }
        }
        for s in extras.iter().filter(|s| s.conv.extra == Some((Book::Shimoki, (y, m)))) {
            let mut rec = dispatch_record(s, Book::Shimoki, &ctx);
            rec.place = sb.record(dispatch_cells(s, &rec, Book::Shimoki, &mut extra_rng));
            conventions::placed(&mut sb, s, &mut rec, &ctx.checks);
            records.push(rec);
        }
        sb.total("dispatch_no", "計", &["trainees"]);
        shimoki_sheets.push(sb.finish());
    }

    // 過年度: header on row 1, no title, aliases everywhere, a total row.
    let mut sb = SheetBuilder::new(files::PRIOR, "R4実績", "dispatches", Vec::new(), 0, PRIOR_COLS, PRIOR_WIDTHS);
    for (i, s) in fy22.iter().enumerate() {
        let mut rec = dispatch_record(s, Book::Prior, &ctx);
        let mut cells = dispatch_cells(s, &rec, Book::Prior, rng);
        cells.push(("seq", Cell::Num(i as f64 + 1.0)));
        rec.place = sb.record(cells);
        records.push(rec);
    }
    sb.total("seq", "合計", &["trainees"]);
    let prior_sheet = sb.finish();

    let (course_records, courses) = courses_book(&fy23, &ctx);
    records.extend(course_records);
    let (pasted, numbering) = conventions::numbering_request_book(&kamiki_sheets, &records, &ctx.checks);
    records.extend(pasted);

    let books = vec![
        BookLayout { path: files::KAMIKI.into(), kind: BookKind::Xlsx, created: d(2023, 4, 3), sheets: kamiki_sheets },
        BookLayout {
            path: files::SHIMOKI.into(),
            kind: BookKind::Xlsx,
            created: d(2023, 10, 2),
            sheets: shimoki_sheets,
        },
        BookLayout {
            path: files::PRIOR.into(),
            kind: BookKind::Xlsx,
            created: d(2022, 4, 1),
            sheets: vec![prior_sheet],
        },
        courses,
        numbering,
    ];
    Dispatches { records, books, field_warnings, check_warnings: ctx.checks.into_inner() }
}

/// A row typed again under the same 派遣番号 with another 受講者数 and
/// 時間 (時間 is not a counted field: only 受講者数 differs).
fn conflicting_copy(sb: &mut SheetBuilder, orig: &DispatchRecord, cells: &[(&'static str, Cell)]) -> DispatchRecord {
    let mut again = orig.clone();
    again.trainees = orig.trainees + 2;
    again.hours = Some(if orig.hours == Some(3.0) { 2.0 } else { 3.0 });
    let mut cells: Vec<(&'static str, Cell)> =
        cells.iter().filter(|(k, _)| !matches!(*k, "trainees" | "hours" | "note")).cloned().collect();
    cells.push(("trainees", Cell::Num(again.trainees as f64)));
    cells.push(("hours", Cell::Num(again.hours.expect("set above"))));
    cells.push(("note", Cell::text("1月分（人数・時間を訂正）")));
    again.place = sb.record(cells);
    again.fate = Fate::Conflict {
        column: "派遣番号",
        number: orig.dispatch_no.clone().expect("numbered"),
        kept: orig.place.clone(),
        differing: vec!["受講者数"],
    };
    again
}

const COURSE_COLS: &[(&str, &str)] = &[
    ("派遣番号", "dispatch_no"),
    ("講座名", "course"),
    ("実施日", "date"),
    ("区分", "instructor_type"),
    ("派遣先区分", "dest_type"),
    ("派遣先名", "requester"),
    ("地区", "region"),
    ("職種", "trade"),
    ("指導者氏名", "instructor_name"),
    ("指導時間", "hours"),
    ("受講者数", "trainees"),
    ("備考", "note"),
];

/// The 技能継承講座 `.ods`: one block per course, 区分 and 講座名 merged down
/// the block, 実施日 merged over the two sessions of one day, a blank row
/// between blocks, a total row.
fn courses_book(fy23: &[Sess], ctx: &DispatchCtx<'_>) -> (Vec<DispatchRecord>, BookLayout) {
    let top = vec![title(0, "令和5年度 熟練技能者等派遣 技能継承講座 実施記録", COURSE_COLS.len())];
    let widths = [8.0, 24.0, 11.0, 12.0, 10.0, 20.0, 6.0, 10.0, 14.0, 8.0, 8.0, 18.0];
    let mut sb = SheetBuilder::new(files::COURSES, "R5講座", "dispatches", top, 2, COURSE_COLS, &widths);
    let mut records = Vec::new();
    for (ci, course) in COURSES.iter().enumerate() {
        if ci > 0 {
            sb.blank();
        }
        let sessions: Vec<&Sess> = fy23.iter().filter(|s| s.course == Some(ci)).collect();
        let mut prev: Option<NaiveDate> = None;
        for (i, s) in sessions.iter().enumerate() {
            let mut rec = dispatch_record(s, Book::Courses, ctx);
            let mut cells = vec![
                ("dispatch_no", Cell::text(rec.dispatch_no.clone().expect("numbered"))),
                ("dest_type", Cell::text(course.dest_label)),
                ("requester", Cell::text(rec.requester.clone())),
                ("region", Cell::text(rec.region.unwrap_or_default())),
                ("trade", Cell::text(rec.trade.clone())),
                ("instructor_name", Cell::text(rec.instructor_name.clone().unwrap_or_default())),
                ("hours", Cell::Num(s.hours)),
                ("trainees", Cell::Num(s.trainees as f64)),
            ];
            if i == 0 {
                cells.push(("course", Cell::text(course.name)));
                cells.push(("instructor_type", Cell::text(course.label)));
            }
            let same_day = prev == Some(s.date);
            if !same_day {
                cells.push(("date", Cell::Date(s.date, DateFmt::Slash)));
            }
            if let Some(n) = s.note {
                cells.push(("note", Cell::text(n)));
            }
            rec.place = sb.record(cells);
            if same_day {
                sb.merge_last(2, "date");
            }
            prev = Some(s.date);
            records.push(rec);
        }
        sb.merge_last(sessions.len(), "instructor_type");
        sb.merge_last(sessions.len(), "course");
    }
    sb.total("course", "合計", &["trainees"]);
    let book = BookLayout {
        path: files::COURSES.into(),
        kind: BookKind::Ods,
        created: d(2023, 11, 1),
        sheets: vec![sb.finish()],
    };
    (records, book)
}

/// How the 実施日 cell of a 上期 row is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateMode {
    /// In the style drawn for the row.
    AsDrawn,
    /// A real date cell whatever was drawn (the head of a merge).
    RealCell,
    /// Left empty (covered by a merge).
    Omit,
}

/// Writes one 上期 row and returns its record.
fn kamiki_row(
    sb: &mut SheetBuilder,
    s: &Sess,
    ctx: &DispatchCtx<'_>,
    rng: &mut Rng,
    seq: &mut u32,
    fate: Option<Fate>,
    mode: DateMode,
) -> DispatchRecord {
    *seq += 1;
    let mut rec = dispatch_record(s, Book::Kamiki, ctx);
    if let Some(f) = fate {
        rec.fate = f;
    }
    let mut cells = dispatch_cells(s, &rec, Book::Kamiki, rng);
    match mode {
        DateMode::AsDrawn => {}
        DateMode::RealCell => {
            for c in cells.iter_mut().filter(|(k, _)| *k == "date") {
                c.1 = Cell::Date(s.date, DateFmt::Slash);
            }
        }
        DateMode::Omit => cells.retain(|(k, _)| *k != "date"),
    }
    cells.push(("seq", Cell::Num(f64::from(*seq))));
    rec.place = sb.record(cells);
    conventions::placed(sb, s, &mut rec, &ctx.checks);
    rec
}

/// 集計: a hand summary no dataset matches (an ignored sheet).
fn summary_sheet(rows: &[(u32, i64, i64, i64)]) -> SheetLayout {
    let mut s = SheetLayout::new("集計", None);
    s.free.push((0, vec![Cell::text("令和5年度 上期 マイスター派遣 月別集計（手集計）")]));
    s.free.push((
        2,
        vec![Cell::text("月"), Cell::text("派遣回数"), Cell::text("延べ人数"), Cell::text("うち工業高校等")],
    ));
    for (i, (m, n, p, sc)) in rows.iter().enumerate() {
        s.free.push((
            3 + i as u32,
            vec![Cell::text(format!("{m}月")), Cell::Num(*n as f64), Cell::Num(*p as f64), Cell::Num(*sc as f64)],
        ));
    }
    let r = 3 + rows.len() as u32 + 1;
    s.free.push((r, vec![Cell::text("※ 日付が未確定の行は集計から除いている。9月分は要確認。")]));
    s.free.push((r + 1, vec![Cell::text("※ 延べ人数は受講者数の合計。熟練技能者等の派遣は含まない。")]));
    s.widths = vec![8.0, 10.0, 10.0, 14.0];
    s
}

// ---------------------------------------------------------------------------
// Outreach (ODS)

/// One 魅力発信 event as planted.
struct OutreachRow {
    date: (i32, u32, u32),
    /// Text written instead of a date cell.
    date_text: Option<&'static str>,
    label: &'static str,
    kind: &'static str,
    venue: &'static str,
    trade: &'static str,
    meister: &'static str,
    /// (pupils, teachers and parents); `None` for サポステ rows.
    split: Option<(i64, i64)>,
    total: i64,
    /// Text written instead of a number cell for the total.
    total_text: Option<&'static str>,
}

#[allow(clippy::too_many_arguments)]
const fn orow(
    date: (i32, u32, u32),
    date_text: Option<&'static str>,
    label: &'static str,
    kind: &'static str,
    venue: &'static str,
    trade: &'static str,
    meister: &'static str,
    split: Option<(i64, i64)>,
    total: i64,
    total_text: Option<&'static str>,
) -> OutreachRow {
    OutreachRow { date, date_text, label, kind, venue, trade, meister, split, total, total_text }
}

const SCH: &str = "小中学校等";
const SAP: &str = "サポステ";
/// A label no alias covers: that row is rejected (it means 小中学校等).
const UNKNOWN_OUTREACH_LABEL: &str = "義務教育学校";

/// School events: 6 (215 participants) by 2023-10-31, 11 (427) in the year;
/// サポステ: 2 sites (one visited twice).
const OUTREACH_ROWS: &[OutreachRow] = &[
    orow((2023, 6, 22), None, "小学校", SCH, "下関市立川中小学校", "溶接", "35-001", Some((30, 4)), 34, None),
    orow((2023, 7, 6), None, "中学校", SCH, "宇部市立厚南中学校", "電気工事", "35-017", Some((36, 5)), 41, None),
    orow(
        (2023, 7, 13),
        Some("令和5年7月13日"),
        "小中学校等",
        SCH,
        "周南市立岐山小学校",
        "機械加工",
        "35-002",
        Some((25, 3)),
        28,
        None,
    ),
    orow(
        (2023, 8, 24),
        None,
        "サポステ",
        SAP,
        "やまぐち地域若者サポートステーション",
        "電子機器組立て",
        "35-009",
        None,
        8,
        None,
    ),
    orow((2023, 9, 14), None, "小学校", SCH, "山口市立湯田小学校", "日本料理", "35-020", Some((32, 4)), 36, None),
    orow(
        (2023, 10, 5),
        Some("R5.10.5"),
        "中学校",
        SCH,
        "下松市立久保中学校",
        "建築大工",
        "35-014",
        Some((40, 5)),
        45,
        None,
    ),
    orow(
        (2023, 10, 19),
        None,
        "地域若者サポートステーション",
        SAP,
        "やまぐち地域若者サポートステーション",
        "溶接",
        "35-021",
        None,
        6,
        None,
    ),
    orow(
        (2023, 10, 26),
        None,
        "小学校",
        SCH,
        "岩国市立麻里布小学校",
        "板金",
        "35-011",
        Some((27, 4)),
        31,
        Some("31人"),
    ),
    orow((2023, 11, 9), None, "小学校", SCH, "防府市立華城小学校", "電子機器組立て", "35-022", Some((46, 6)), 52, None),
    orow(
        (2023, 11, 10),
        None,
        UNKNOWN_OUTREACH_LABEL,
        SCH,
        "山口市立むつみ義務教育学校",
        "塗装",
        "35-012",
        Some((29, 3)),
        32,
        None,
    ),
    orow(
        (2023, 11, 30),
        Some("2023/11/30"),
        "中学校",
        SCH,
        "山陽小野田市立竜王中学校",
        "機械保全",
        "35-008",
        Some((34, 4)),
        38,
        Some("３８"),
    ),
    orow((2023, 12, 7), None, "小学校", SCH, "長門市立仙崎小学校", "西洋料理", "35-010", Some((36, 4)), 40, None),
    orow(
        (2024, 1, 18),
        None,
        "サポートステーション",
        SAP,
        "しゅうなん地域若者サポートステーション",
        "電気工事",
        "35-005",
        None,
        7,
        None,
    ),
    orow((2024, 1, 25), None, "中学校", SCH, "柳井市立柳井中学校", "電気工事", "35-005", Some((31, 4)), 35, None),
    orow((2024, 2, 8), None, "小学校", SCH, "美祢市立伊佐小学校", "溶接", "35-013", Some((41, 6)), 47, None),
];

const OUTREACH_COLS: &[(&str, &str)] = &[
    ("No", "seq"),
    ("実施日", "date"),
    ("発信区分", "kind"),
    ("実施先名", "venue"),
    ("内容（職種）", "trade"),
    ("マイスター番号", "meister_no"),
    ("児童・生徒数", "kids"),
    ("教員・保護者数", "adults"),
    ("参加者数\n（計）", "participants"),
    ("備考", "note"),
    ("日数", "days"),
];

fn outreach_book(checks: &mut Vec<ExpectedWarning>) -> (Vec<OutreachRecord>, BookLayout) {
    let top = vec![title(0, "令和5年度 ものづくりの魅力発信事業 実施状況", OUTREACH_COLS.len())];
    let mut sb = SheetBuilder::new(
        files::OUTREACH,
        "R5実績",
        "outreach",
        top,
        2,
        OUTREACH_COLS,
        &[4.0, 11.0, 14.0, 30.0, 14.0, 11.0, 9.0, 9.0, 9.0, 16.0, 6.0],
    );
    let mut records = Vec::new();
    // The events in date order, with the conventions planted among them.
    for (i, p) in conventions::outreach_rows().iter().enumerate() {
        let r = p.row;
        let date = ymd(r.date);
        let mut cells = vec![
            ("seq", Cell::Num(i as f64 + 1.0)),
            ("date", r.date_text.map_or(Cell::Date(date, DateFmt::Slash), Cell::text)),
            ("kind", Cell::text(r.label)),
            ("venue", Cell::text(r.venue)),
            ("trade", Cell::text(r.trade)),
            ("meister_no", Cell::text(r.meister)),
            ("participants", r.total_text.map_or(Cell::Num(r.total as f64), Cell::text)),
        ];
        if let Some((kids, adults)) = r.split {
            cells.push(("kids", Cell::Num(kids as f64)));
            cells.push(("adults", Cell::Num(adults as f64)));
        }
        match p.note {
            Some(n) => cells.push(("note", Cell::text(n))),
            None if r.kind == SAP => cells.push(("note", Cell::text("就労体験プログラム"))),
            None => {}
        }
        if p.days > 1 {
            cells.push(("days", Cell::Num(f64::from(p.days))));
        }
        let place = sb.record(cells);
        let mut rec = OutreachRecord {
            date,
            kind: r.kind,
            venue: r.venue.to_string(),
            participants: r.total,
            trade: Some(r.trade.to_string()),
            meister_no: Some(r.meister.to_string()),
            days: p.days,
            fate: if r.label == UNKNOWN_OUTREACH_LABEL {
                Fate::Rejected { column: "発信区分" }
            } else {
                Fate::Accepted
            },
            place,
        };
        conventions::placed_outreach(&mut sb, p, &mut rec, checks);
        records.push(rec);
    }
    sb.total("seq", "合計", &["kids", "adults", "participants"]);
    let book = BookLayout {
        path: files::OUTREACH.into(),
        kind: BookKind::Ods,
        created: d(2023, 6, 1),
        sheets: vec![sb.finish()],
    };
    (records, book)
}

// ---------------------------------------------------------------------------
// Registry

const REGISTRY_COLS: &[(&str, &str)] = &[
    ("認定番号", "meister_no"),
    ("氏名", "name"),
    ("職種", "trade"),
    ("認定日", "certified_on"),
    ("地区", "region"),
    ("指導技法等講習\n受講日", "trained_on"),
    ("登録解除日", "deregistered_on"),
    ("最終活動日", "last_activity_on"),
    ("備考", "note"),
];

/// The meister whose row is entered a second time with its 地区 filled in
/// (the first row left it blank): a 認定番号 conflict, rejected.
const REREGISTERED: &str = "35-018";

fn registry_book(names: &[String]) -> (Vec<MeisterRecord>, BookLayout) {
    let top = vec![
        title(0, "ものづくりマイスター登録台帳（山口県）", REGISTRY_COLS.len()),
        line(1, 0, "※登録を解除した方は解除日を記入してください。"),
    ];
    let mut sb = SheetBuilder::new(
        files::REGISTRY,
        "台帳",
        "meisters",
        top,
        2,
        REGISTRY_COLS,
        &[9.0, 14.0, 14.0, 18.0, 6.0, 12.0, 11.0, 11.0, 22.0],
    );
    let mut records: Vec<MeisterRecord> = Vec::new();
    // Row `i` of the roster, with `region` in its 地区 column.
    let row = |i: usize, region: Option<&'static str>| -> (MeisterRecord, Vec<(&'static str, Cell)>) {
        let ms = &MEISTERS[i];
        let certified = ymd(ms.certified);
        let trained = ms.trained.map(ymd);
        let dereg = ms.deregistered.map(ymd);
        let last = ms.last_activity.map(ymd);
        let mut cells = vec![
            ("meister_no", Cell::text(ms.no)),
            ("name", Cell::text(names[i].clone())),
            ("trade", Cell::text(ms.trade)),
            ("certified_on", date_cell(certified, ms.certified_style)),
        ];
        if let Some(r) = region {
            cells.push(("region", Cell::text(r)));
        }
        if let Some(t) = trained {
            let style = if i < 2 { DateStyle::Slash } else { DateStyle::Cell(DateFmt::Slash) };
            cells.push(("trained_on", date_cell(t, style)));
        }
        if let Some(x) = dereg {
            cells.push(("deregistered_on", date_cell(x, DateStyle::EraDot)));
        }
        if let Some(l) = last {
            cells.push(("last_activity_on", Cell::Date(l, DateFmt::Slash)));
        }
        let note = match ms.role {
            Role::Deregistered => Some("本人申出により登録解除"),
            Role::Inactive => Some("活動状況の確認中"),
            Role::New => Some("令和5年度新規認定"),
            Role::Active | Role::History if trained.is_none() => Some("講習未受講（次回案内）"),
            _ => None,
        };
        if let Some(n) = note {
            cells.push(("note", Cell::text(n)));
        }
        let rec = MeisterRecord {
            meister_no: ms.no.to_string(),
            trade: ms.trade.to_string(),
            certified_on: certified,
            name: Some(names[i].clone()),
            region,
            trained_on: trained,
            deregistered_on: dereg,
            last_activity_on: last,
            fate: Fate::Accepted,
            place: placeholder(),
        };
        (rec, cells)
    };
    for (i, ms) in MEISTERS.iter().enumerate() {
        let (mut rec, cells) = row(i, ms.region);
        rec.place = sb.record(cells);
        records.push(rec);
    }
    // The same meister again at the bottom, 地区 now filled in.
    let i = MEISTERS.iter().position(|ms| ms.no == REREGISTERED).expect("roster");
    debug_assert!(MEISTERS[i].region.is_none());
    let (mut rec, mut cells) = row(i, Some(WEST));
    cells.retain(|(k, _)| *k != "note");
    cells.push(("note", Cell::text("地区が空欄だったため追記")));
    rec.place = sb.record(cells);
    rec.fate = Fate::Conflict {
        column: "認定番号",
        number: REREGISTERED.to_string(),
        kept: records[i].place.clone(),
        differing: vec!["地区"],
    };
    records.push(rec);
    let book = BookLayout {
        path: files::REGISTRY.into(),
        kind: BookKind::Xlsx,
        created: d(2014, 2, 12),
        sheets: vec![sb.finish()],
    };
    (records, book)
}

// ---------------------------------------------------------------------------
// Competitions, trainings, meetings (one workbook)

/// (trade as written, trade NFKC-normalised, org)
type Entry = (&'static str, &'static str, &'static str);

const SHIMONOSEKI_KOKA: &str = "山口県立下関工科高等学校";
const SHUNAN_SEIKO: &str = "株式会社周南精工";
const HOFU_KIKO: &str = "防府機工株式会社";
const UBE_KOSEN: &str = "宇部工業高等専門学校";
const YAMAGUCHI_DENSHI: &str = "株式会社山口電子";
const YANAI_DENSETSU: &str = "株式会社柳井電設";
const TOBU_GIJUTSU: &str = "山口県立東部高等産業技術学校";
const UBE_MENTEC: &str = "株式会社宇部メンテック";
const SEIBU_GIJUTSU: &str = "山口県立西部高等産業技術学校";
const HIKARI_TECHNO: &str = "光テクノ株式会社";
const YUDA_HOTEL: &str = "株式会社湯田温泉ホテル";
const RIYO_BIYO: &str = "山口県理容美容専門学校";

/// 第61回技能五輪全国大会: 16 competitors (9 trades, 12 orgs).
const WS_COMPETITORS: &[Entry] = &[
    ("機械製図ＣＡＤ", "機械製図CAD", SHIMONOSEKI_KOKA),
    ("機械製図CAD", "機械製図CAD", SHUNAN_SEIKO),
    ("旋盤", "旋盤", SHUNAN_SEIKO),
    ("旋盤", "旋盤", HOFU_KIKO),
    ("電子機器組立て", "電子機器組立て", UBE_KOSEN),
    ("電子機器組立て", "電子機器組立て", YAMAGUCHI_DENSHI),
    ("電工", "電工", YANAI_DENSETSU),
    ("電工", "電工", TOBU_GIJUTSU),
    ("電工", "電工", SHIMONOSEKI_KOKA),
    ("溶接", "溶接", UBE_MENTEC),
    ("溶接", "溶接", SEIBU_GIJUTSU),
    ("自動車板金", "自動車板金", HIKARI_TECHNO),
    ("建築大工", "建築大工", TOBU_GIJUTSU),
    ("建築大工", "建築大工", SEIBU_GIJUTSU),
    ("西洋料理", "西洋料理", YUDA_HOTEL),
    ("美容", "美容", RIYO_BIYO),
];

/// … and 13 instructors.
const WS_INSTRUCTORS: &[Entry] = &[
    ("機械製図CAD", "機械製図CAD", SHIMONOSEKI_KOKA),
    ("旋盤", "旋盤", SHUNAN_SEIKO),
    ("旋盤", "旋盤", HOFU_KIKO),
    ("電子機器組立て", "電子機器組立て", UBE_KOSEN),
    ("電子機器組立て", "電子機器組立て", YAMAGUCHI_DENSHI),
    ("電工", "電工", YANAI_DENSETSU),
    ("電工", "電工", TOBU_GIJUTSU),
    ("溶接", "溶接", UBE_MENTEC),
    ("溶接", "溶接", SEIBU_GIJUTSU),
    ("自動車板金", "自動車板金", HIKARI_TECHNO),
    ("建築大工", "建築大工", TOBU_GIJUTSU),
    ("西洋料理", "西洋料理", YUDA_HOTEL),
    ("美容", "美容", RIYO_BIYO),
];

const WS_TRAVEL: i64 = 28_600;

fn tool_transport(trade: &str) -> Option<i64> {
    match trade {
        "旋盤" => Some(45_000),
        "建築大工" => Some(38_000),
        "溶接" => Some(30_000),
        _ => None,
    }
}

const YOUTH_SCHOOLS: [&str; 5] = [
    "山口県立下関工科高等学校",
    "山口県立宇部工業高等学校",
    "山口県立南陽工業高等学校",
    "山口県立岩国工業高等学校",
    "山口県立下松工業高等学校",
];

/// 第18回若年者ものづくり競技大会: 10 competitors, 9 trades, 5 schools
/// (メカトロニクス is a team of two; its one instructor coaches both).
const YOUTH_COMPETITORS: &[(&str, &str, usize)] = &[
    ("旋盤", "旋盤", 0),
    ("フライス盤", "フライス盤", 3),
    ("電気工事", "電気工事", 2),
    ("木材加工", "木材加工", 4),
    ("機械製図（CAD）", "機械製図(CAD)", 1),
    ("電子回路組立て", "電子回路組立て", 2),
    ("自動車整備", "自動車整備", 0),
    ("メカトロニクス", "メカトロニクス", 1),
    ("メカトロニクス", "メカトロニクス", 1),
    ("建築大工", "建築大工", 3),
];

/// 技能五輪県予選: the three required trades, 12 competitors.
const QUALIFIER: &[(&str, &str)] = &[
    ("電気溶接", UBE_MENTEC),
    ("電気溶接", SEIBU_GIJUTSU),
    ("電気溶接", SHUNAN_SEIKO),
    ("電気溶接", "山口県立下松工業高等学校"),
    ("西洋料理", YUDA_HOTEL),
    ("西洋料理", "山口調理製菓専門学校"),
    ("西洋料理", "山口調理製菓専門学校"),
    ("電工", YANAI_DENSETSU),
    ("電工", TOBU_GIJUTSU),
    ("電工", TOBU_GIJUTSU),
    ("電工", SHIMONOSEKI_KOKA),
    ("電工", "山口県立南陽工業高等学校"),
];

const QUALIFIER_FEE: i64 = 8_900;
/// Last year's fee, left in one row (differs from the plan's 8,900: a finding).
const QUALIFIER_OLD_FEE: i64 = 8_500;

#[allow(clippy::too_many_arguments)]
fn comp(
    event: &'static str,
    role: &'static str,
    trade: &str,
    org: &str,
    name: &str,
    withdrawn: bool,
    travel: Option<i64>,
    tools: Option<i64>,
    fee: Option<i64>,
    fy: Option<i32>,
) -> CompetitionRecord {
    CompetitionRecord {
        event,
        role,
        trade: trade.to_string(),
        org: org.to_string(),
        name: Some(name.to_string()),
        withdrawn,
        travel_yen: travel,
        tool_transport_yen: tools,
        fee_yen: fee,
        fiscal_year: fy,
        fate: Fate::Accepted,
        place: placeholder(),
    }
}

fn yen(v: Option<i64>) -> Cell {
    v.map_or(Cell::Empty, |y| Cell::Num(y as f64))
}

fn mixed_book(names: &mut Names, rng: &mut Rng, set: &mut SampleSet) -> BookLayout {
    const WS: &str = "技能五輪全国大会";
    const YG: &str = "若年者ものづくり競技大会";
    const QF: &str = "技能五輪予選";
    let file = files::MIXED;
    let mut sheets = vec![explanation_sheet()];

    // 技能五輪全国大会
    let cols: &[(&str, &str)] = &[
        ("No", "seq"),
        ("大会名", "event"),
        ("年度", "fy"),
        ("職種", "trade"),
        ("参加区分", "role"),
        ("氏名", "name"),
        ("所属", "org"),
        ("旅費", "travel"),
        ("工具運搬費", "tools"),
        ("辞退", "withdrawn"),
        ("備考", "note"),
    ];
    let top = vec![title(0, "第61回技能五輪全国大会（愛知県）山口県選手団 名簿", cols.len())];
    let mut sb = SheetBuilder::new(
        file,
        "技能五輪全国大会",
        "competitions",
        top,
        2,
        cols,
        &[4.0, 16.0, 10.0, 14.0, 9.0, 14.0, 28.0, 9.0, 10.0, 6.0, 18.0],
    );
    let fy_labels = ["R5", "令和5年度", "2023"];
    let ev_labels = ["技能五輪全国大会", "技能五輪", "全国大会"];
    let mut seq = 0.0;
    let mut rows: Vec<(CompetitionRecord, Vec<(&'static str, Cell)>)> = Vec::new();
    // Two rows left over from last year's list (年度 令和4年度: do not count).
    for (role, label) in [("選手", "選手"), ("指導者", "指導者")] {
        let name = names.next();
        let rec = comp(WS, role, "旋盤", HOFU_KIKO, &name, false, Some(27_400), None, None, Some(2022));
        let cells = vec![
            ("event", Cell::text("技能五輪全国大会")),
            ("fy", Cell::text("令和4年度")),
            ("trade", Cell::text("旋盤")),
            ("role", Cell::text(label)),
            ("name", Cell::text(name)),
            ("org", Cell::text(HOFU_KIKO)),
            ("travel", Cell::Num(27_400.0)),
            ("note", Cell::text("第60回（栃木）")),
        ];
        rows.push((rec, cells));
    }
    let trade_order =
        ["機械製図CAD", "旋盤", "電子機器組立て", "電工", "溶接", "自動車板金", "建築大工", "西洋料理", "美容"];
    for t in trade_order {
        let competitors = WS_COMPETITORS.iter().filter(|e| e.1 == t);
        let instructors = WS_INSTRUCTORS.iter().filter(|e| e.1 == t);
        let mut entries: Vec<(&'static str, &Entry, bool)> = competitors.map(|e| ("選手", e, false)).collect();
        if t == "電工" {
            // A withdrawn second competitor from 柳井電設 (counts only as a withdrawal).
            entries.insert(1, ("選手", &WS_COMPETITORS[6], true));
        }
        entries.extend(instructors.map(|e| ("指導者", e, false)));
        for (role, e, withdrawn) in entries {
            let name = names.next();
            let tools = if role == "選手" { tool_transport(e.1) } else { None };
            let travel = if withdrawn { None } else { Some(WS_TRAVEL) };
            let fy = 2023;
            let rec = comp(WS, role, e.1, e.2, &name, withdrawn, travel, tools, None, Some(fy));
            let role_label = if role == "選手" && rng.chance(25) { "競技者" } else { role };
            let mut cells = vec![
                ("event", Cell::text(*rng.pick(&ev_labels))),
                ("fy", Cell::text(*rng.pick(&fy_labels))),
                ("trade", Cell::text(e.0)),
                ("role", Cell::text(role_label)),
                ("name", Cell::text(name)),
                ("org", Cell::text(e.2)),
                ("travel", yen(travel)),
                ("tools", yen(tools)),
            ];
            if withdrawn {
                cells.push(("withdrawn", Cell::text("○")));
                cells.push(("note", Cell::text("9月に辞退届")));
            }
            rows.push((rec, cells));
        }
        if t == "溶接" {
            // An unknown role label: rejected (meant 指導者, an assistant coach).
            let name = names.next();
            let mut rec = comp(WS, "指導者", "溶接", UBE_MENTEC, &name, false, Some(WS_TRAVEL), None, None, Some(2023));
            rec.fate = Fate::Rejected { column: "参加区分" };
            let cells = vec![
                ("event", Cell::text("技能五輪全国大会")),
                ("fy", Cell::text("R5")),
                ("trade", Cell::text("溶接")),
                ("role", Cell::text("補助員")),
                ("name", Cell::text(name)),
                ("org", Cell::text(UBE_MENTEC)),
                ("travel", Cell::Num(WS_TRAVEL as f64)),
            ];
            rows.push((rec, cells));
        }
    }
    for (mut rec, mut cells) in rows {
        seq += 1.0;
        cells.push(("seq", Cell::Num(seq)));
        rec.place = sb.record(cells);
        set.competitions.push(rec);
    }
    sheets.push(sb.finish());

    // 若年者ものづくり競技大会 (no 年度 column: the file name names the year)
    let cols: &[(&str, &str)] = &[
        ("大会", "event"),
        ("職種", "trade"),
        ("役割", "role"),
        ("氏名", "name"),
        ("所属先", "org"),
        ("旅費助成額", "travel"),
        ("辞退有無", "withdrawn"),
    ];
    let top = vec![title(0, "第18回若年者ものづくり競技大会（静岡県）参加者", cols.len())];
    let mut sb =
        SheetBuilder::new(file, "若年者大会", "competitions", top, 1, cols, &[22.0, 16.0, 8.0, 14.0, 28.0, 10.0, 8.0]);
    let yg_labels = ["若年者ものづくり競技大会", "若年者大会", "若年者ものづくり"];
    let mut seen_trades: Vec<&str> = Vec::new();
    for &(written, trade, school) in YOUTH_COMPETITORS {
        let mut people = vec![("選手", "競技者")];
        if !seen_trades.contains(&trade) {
            seen_trades.push(trade);
            people.push(("指導者", if rng.chance(50) { "引率" } else { "指導者" }));
        }
        for (role, label) in people {
            let name = names.next();
            let org = YOUTH_SCHOOLS[school];
            let travel = Some(24_800);
            // No 年度 column: the book's name (…_令和5年度) names the year.
            let mut rec = comp(YG, role, trade, org, &name, false, travel, None, None, Some(2023));
            let cells = vec![
                ("event", Cell::text(*rng.pick(&yg_labels))),
                ("trade", Cell::text(written)),
                ("role", Cell::text(if role == "選手" && rng.chance(50) { "選手" } else { label })),
                ("name", Cell::text(name)),
                ("org", Cell::text(org)),
                ("travel", yen(travel)),
            ];
            rec.place = sb.record(cells);
            set.competitions.push(rec);
        }
    }
    sheets.push(sb.finish());

    // 技能五輪県予選 (header on row 1, no title)
    let cols: &[(&str, &str)] = &[
        ("大会", "event"),
        ("職種", "trade"),
        ("区分", "role"),
        ("氏名", "name"),
        ("企業・学校名", "org"),
        ("参加手数料", "fee"),
        ("備考", "note"),
    ];
    let mut sb = SheetBuilder::new(
        file,
        "県予選",
        "competitions",
        Vec::new(),
        0,
        cols,
        &[12.0, 12.0, 8.0, 14.0, 28.0, 10.0, 18.0],
    );
    for (i, &(trade, org)) in QUALIFIER.iter().enumerate() {
        let name = names.next();
        let fee = if i == 6 { QUALIFIER_OLD_FEE } else { QUALIFIER_FEE };
        let mut rec = comp(QF, "選手", trade, org, &name, false, None, None, Some(fee), Some(2023));
        let mut cells = vec![
            ("event", Cell::text(if i % 3 == 0 { "技能五輪予選" } else { "県予選" })),
            ("trade", Cell::text(trade)),
            ("role", Cell::text("選手")),
            ("name", Cell::text(name)),
            ("org", Cell::text(org)),
            ("fee", Cell::Num(fee as f64)),
        ];
        if fee != QUALIFIER_FEE {
            cells.push(("note", Cell::text("昨年度の額で徴収")));
        }
        rec.place = sb.record(cells);
        set.competitions.push(rec);
    }
    sheets.push(sb.finish());

    // 指導技法等講習会
    let cols: &[(&str, &str)] = &[
        ("開催日", "date"),
        ("講習区分", "term"),
        ("会場名", "venue"),
        ("受講者数", "attendees"),
        ("交通費（円）", "travel"),
        ("受講手当（円）", "allowance"),
        ("備考", "note"),
    ];
    let top = vec![title(0, "指導技法等講習会 開催実績", cols.len()), line(1, 5, "（単位：円）")];
    let mut sb =
        SheetBuilder::new(file, "講習会", "trainings", top, 3, cols, &[12.0, 9.0, 30.0, 9.0, 11.0, 12.0, 24.0]);
    /// One 講習会 row: its values and how each cell is written.
    struct TrainingRow {
        date: NaiveDate,
        date_cell: Cell,
        term: &'static str,
        attendees: i64,
        attendees_cell: Cell,
        travel: Option<i64>,
        travel_cell: Cell,
        allowance: Option<i64>,
        note: Option<&'static str>,
    }
    let trainings = [
        TrainingRow {
            date: d(2023, 2, 16),
            date_cell: Cell::Date(d(2023, 2, 16), DateFmt::Slash),
            term: "後期",
            attendees: 11,
            attendees_cell: Cell::Num(11.0),
            travel: Some(24_600),
            travel_cell: Cell::Num(24_600.0),
            allowance: Some(0),
            note: Some("令和4年度分"),
        },
        TrainingRow {
            date: d(2023, 9, 7),
            date_cell: Cell::Date(d(2023, 9, 7), DateFmt::Slash),
            term: "前期",
            attendees: 14,
            attendees_cell: Cell::Num(14.0),
            travel: Some(31_200),
            travel_cell: Cell::Num(31_200.0),
            allowance: Some(0),
            note: None,
        },
        TrainingRow {
            date: d(2023, 12, 6),
            date_cell: Cell::text("令和5年12月6日"),
            term: "再講習",
            attendees: 5,
            attendees_cell: Cell::Num(5.0),
            travel: Some(9_800),
            travel_cell: count_cell(9_800, CountStyle::Comma),
            allowance: None,
            note: Some("受講期限切れの方の再講習"),
        },
        TrainingRow {
            date: d(2024, 2, 15),
            date_cell: Cell::Date(d(2024, 2, 15), DateFmt::Slash),
            term: "後期",
            attendees: 12,
            attendees_cell: Cell::text("12名"),
            travel: Some(28_400),
            travel_cell: Cell::Num(28_400.0),
            allowance: Some(3_000),
            note: Some("受講手当を誤って支給（返納手続中）"),
        },
    ];
    for TrainingRow {
        date,
        date_cell,
        term,
        attendees,
        attendees_cell: att_cell,
        travel,
        travel_cell,
        allowance,
        note,
    } in trainings
    {
        let mut cells = vec![
            ("date", date_cell),
            ("term", Cell::text(term)),
            ("venue", Cell::text("山口県職業能力開発協会 研修室")),
            ("attendees", att_cell),
            ("travel", travel_cell),
            ("allowance", yen(allowance)),
        ];
        if let Some(n) = note {
            cells.push(("note", Cell::text(n)));
        }
        let place = sb.record(cells);
        set.trainings.push(TrainingRecord {
            date,
            term,
            attendees,
            travel_yen: travel,
            allowance_yen: allowance,
            fate: Fate::Accepted,
            place,
        });
    }
    sheets.push(sb.finish());

    // 連携会議
    let cols: &[(&str, &str)] = &[
        ("回", "round"),
        ("開催日", "date"),
        ("開催形式", "format"),
        ("出席団体数\n（11団体中）", "orgs"),
        ("主な議題", "agenda"),
    ];
    let top = vec![title(0, "地域技能振興コーナー連携会議 開催記録", cols.len())];
    let mut sb = SheetBuilder::new(file, "連携会議", "meetings", top, 2, cols, &[8.0, 12.0, 10.0, 12.0, 40.0]);
    let meetings = [
        ("第1回", d(2023, 6, 20), "対面", "対面", 10, Cell::text("１０"), "令和5年度事業計画、マイスター派遣の重点先"),
        (
            "第2回",
            d(2023, 12, 14),
            "ハイブリッド",
            "併用",
            9,
            Cell::Num(9.0),
            "上期実績、技能五輪全国大会の結果、次年度に向けて",
        ),
    ];
    for (round, date, label, format, orgs, orgs_cell, agenda) in meetings {
        let cells = vec![
            ("round", Cell::text(round)),
            ("date", Cell::Date(date, DateFmt::Wareki)),
            ("format", Cell::text(label)),
            ("orgs", orgs_cell),
            ("agenda", Cell::text(agenda)),
        ];
        let place = sb.record(cells);
        set.meetings.push(MeetingRecord {
            date,
            round: round.to_string(),
            format: Some(format),
            attending_orgs: Some(orgs),
            fate: Fate::Accepted,
            place,
        });
    }
    sheets.push(sb.finish());

    BookLayout { path: file.into(), kind: BookKind::Xlsx, created: d(2023, 5, 8), sheets }
}

/// 記入例の説明: free text no dataset matches (an ignored sheet).
fn explanation_sheet() -> SheetLayout {
    let mut s = SheetLayout::new("記入例の説明", None);
    let lines = [
        "このブックの使い方",
        "・シート「技能五輪全国大会」「若年者大会」「県予選」には、大会ごとに参加者を1人1行で記入してください。",
        "・辞退した場合は「辞退」欄に○を付け、行は削除しないでください。",
        "・シート「講習会」には指導技法等講習会（前期・後期・再講習）を1回1行で記入してください。",
        "・受講手当は支給できません（交通費のみ支給可）。",
        "・シート「連携会議」には会議ごとに1行で記入してください。",
        "問い合わせ先：山口県地域技能振興コーナー（内線 215）",
    ];
    for (i, l) in lines.iter().enumerate() {
        let row = if i == 0 { 0 } else { i as u32 + 1 };
        s.free.push((row, vec![Cell::text(*l)]));
    }
    s.widths = vec![90.0];
    s
}

// ---------------------------------------------------------------------------
// Visits

/// Visits per month, April first (54 by October, 95 in the year).
const VISITS_PER_MONTH: [u32; 12] = [6, 8, 9, 8, 6, 8, 9, 9, 7, 8, 9, 8];

fn visits_book(rng: &mut Rng, set: &mut SampleSet) -> BookLayout {
    struct V {
        date: NaiveDate,
        coord: usize,
        visited: &'static str,
        region: &'static str,
        trade: &'static str,
        candidates: Option<i64>,
        bad: bool,
    }
    let targets = |region: &str| -> Vec<(&'static str, &'static str)> {
        let mut t: Vec<(&'static str, &'static str)> = REQUESTERS
            .iter()
            .filter(|r| matches!(r.cat, Cat::Sme | Cat::Group) && r.region == region)
            .map(|r| (r.name, r.trades[0]))
            .collect();
        t.extend(PROSPECTS.iter().filter(|p| p.1 == region).map(|p| (p.0, p.2)));
        t
    };
    let mut visits = Vec::new();
    for (i, &n) in VISITS_PER_MONTH.iter().enumerate() {
        let (y, m) = if i < 9 { (2023, 4 + i as u32) } else { (2024, i as u32 - 8) };
        for k in 0..n {
            let coord = ((k as usize) + rng.below(2)) % 2;
            let region = COORDINATORS[coord].1;
            let pool = targets(region);
            let (visited, trade) = *rng.pick(&pool);
            let candidates = if rng.chance(15) { None } else { Some(rng.range(0, 2)) };
            visits.push(V { date: workday(rng, y, m), coord, visited, region, trade, candidates, bad: false });
        }
    }
    // An impossible date (meant 2023-11-30).
    visits.push(V {
        date: d(2023, 11, 30),
        coord: 1,
        visited: "株式会社長府製作",
        region: WEST,
        trade: "板金",
        candidates: Some(1),
        bad: true,
    });
    visits.sort_by_key(|v| (v.date, v.coord));

    let mut sheets = Vec::new();
    for (half, header, from, to) in [
        ("上期", "コーディネーター", d(2023, 4, 1), d(2023, 9, 30)),
        ("下期", "担当者", d(2023, 10, 1), d(2024, 3, 31)),
    ] {
        let cols: &[(&str, &str)] = &[
            ("訪問日", "date"),
            (header, "coordinator"),
            ("訪問先名", "visited"),
            ("地区", "region"),
            ("職種", "trade"),
            ("マイスター候補者数", "candidates"),
            ("備考", "note"),
        ];
        let top = vec![title(0, &format!("コーディネーター開拓訪問記録（令和5年度{half}）"), cols.len())];
        let mut sb =
            SheetBuilder::new(files::VISITS, half, "visits", top, 1, cols, &[12.0, 14.0, 30.0, 6.0, 14.0, 10.0, 20.0]);
        for v in visits.iter().filter(|v| v.date >= from && v.date <= to) {
            let style = if half == "上期" {
                match rng.below(100) {
                    0..=84 => DateStyle::Cell(DateFmt::Slash),
                    85..=94 => DateStyle::Slash,
                    _ => DateStyle::EraDot,
                }
            } else if rng.chance(60) {
                DateStyle::EraDot
            } else {
                DateStyle::Cell(DateFmt::Slash)
            };
            let date = if v.bad { Cell::text("令和5年11月31日") } else { date_cell(v.date, style) };
            let coordinator = COORDINATORS[v.coord].0;
            let mut cells = vec![
                ("date", date),
                ("coordinator", Cell::text(coordinator)),
                ("visited", Cell::text(v.visited)),
                ("region", Cell::text(v.region)),
                ("trade", Cell::text(v.trade)),
            ];
            if let Some(c) = v.candidates {
                cells.push(("candidates", Cell::Num(c as f64)));
            }
            if v.candidates == Some(2) {
                cells.push(("note", Cell::text("次回、推薦書を持参")));
            }
            let place = sb.record(cells);
            set.visits.push(VisitRecord {
                date: v.date,
                coordinator: coordinator.to_string(),
                visited: v.visited.to_string(),
                region: Some(v.region),
                trade: Some(v.trade.to_string()),
                candidates: v.candidates,
                fate: if v.bad { Fate::Rejected { column: "訪問日" } } else { Fate::Accepted },
                place,
            });
        }
        sheets.push(sb.finish());
    }
    BookLayout { path: files::VISITS.into(), kind: BookKind::Xlsx, created: d(2023, 4, 5), sheets }
}

// ---------------------------------------------------------------------------
// Incidents

pub(crate) const INCIDENT_SUMMARIES: [&str; 2] = [
    "講習会の案内メールを送信する際、宛先をBCCではなくTOに入力し、受講予定者8名のメールアドレスが相互に表示された。全員に削除を依頼。",
    "マイスター派遣の依頼書（担当者名・電話番号記載）を別の企業へFAX誤送信。先方に廃棄を依頼し、同日中に廃棄を確認。",
];

fn incidents_book(set: &mut SampleSet) -> BookLayout {
    let cols: &[(&str, &str)] = &[
        ("No.", "seq"),
        ("発生日", "date"),
        ("種別", "kind"),
        ("概要", "summary"),
        ("報告日\n（委託者へ）", "reported_on"),
        ("対応状況", "status"),
    ];
    let top = vec![title(0, "個人情報の取扱いに関する事故等 記録簿", cols.len())];
    let mut sb =
        SheetBuilder::new(files::INCIDENTS, "記録簿", "incidents", top, 2, cols, &[5.0, 12.0, 12.0, 60.0, 12.0, 10.0]);
    let rows = [
        (d(2023, 7, 12), "メール", "メール誤送付", d(2023, 7, 15), INCIDENT_SUMMARIES[0]),
        (d(2024, 1, 22), "FAX誤送信", "FAX誤送信", d(2024, 1, 22), INCIDENT_SUMMARIES[1]),
    ];
    for (i, (date, label, kind, reported, summary)) in rows.into_iter().enumerate() {
        let cells = vec![
            ("seq", Cell::Num(i as f64 + 1.0)),
            ("date", Cell::Date(date, DateFmt::Slash)),
            ("kind", Cell::text(label)),
            ("summary", Cell::text(summary)),
            ("reported_on", Cell::Date(reported, DateFmt::Slash)),
            ("status", Cell::text("対応済")),
        ];
        let place = sb.record(cells);
        set.incidents.push(IncidentRecord {
            date,
            kind,
            reported_on: Some(reported),
            summary: Some(summary.to_string()),
            fate: Fate::Accepted,
            place,
        });
    }
    BookLayout {
        path: files::INCIDENTS.into(),
        kind: BookKind::Xlsx,
        created: d(2023, 4, 3),
        sheets: vec![sb.finish()],
    }
}

// ---------------------------------------------------------------------------

/// Builds everything, deterministically.
pub(crate) fn build() -> Built {
    let mut rng = Rng::new(SEED);
    let mut names = Names::new(SEED ^ 0x4E41_4D45);
    let meister_names: Vec<String> = MEISTERS.iter().map(|_| names.next()).collect();
    let skilled_names: Vec<String> = SKILLED_TRADES.iter().map(|_| names.next()).collect();

    let mut set = SampleSet::default();
    let mut books = Vec::new();

    let dispatches = dispatch_books(&mut rng, &meister_names, &skilled_names);
    set.dispatches = dispatches.records;
    set.field_warnings = dispatches.field_warnings;
    set.check_warnings = dispatches.check_warnings;
    books.extend(dispatches.books);

    let (outreach, book) = outreach_book(&mut set.check_warnings);
    set.outreach = outreach;
    books.push(book);

    let (meisters, book) = registry_book(&meister_names);
    set.meisters = meisters;
    books.push(book);

    books.push(mixed_book(&mut names, &mut rng, &mut set));
    books.push(visits_book(&mut rng, &mut set));
    books.push(incidents_book(&mut set));
    // Last year's competition book, its names drawn after everyone else's.
    books.push(conventions::past_competition_book(&mut names, &mut set));
    Built { set, books }
}
