//! The office conventions of `datasets.md` ("Records that did not happen",
//! "Sessions over several days", "Repeats without a number", counts with a
//! note, a competition row's year named by its sheet), planted where a real
//! office would write them (`build/mod.rs` lists each place).
//!
//! Two kinds of plant, neither of which touches another row's draws:
//! - a session changed in place ([`mark_sessions`]): its 実施日 a range, a
//!   日数, a count with a note, a 備考, a 状況 or a struck cell;
//! - a row added at the end of a month's sheet ([`extra_sessions`]): a row
//!   that did not happen, or two equal rows; written with the draws of their
//!   own generator.
//!
//! Then whole sheets and books: a copy of the 上期 5月 sheet named as Excel
//! names a copy (「5月 (2)」), a 付番依頼 book pasting the 上期 rows without
//! a 派遣番号, the 魅力発信 events over two days, with nobody, struck
//! through. Last year's 技能五輪 list in the 過年度 folder is a book of its
//! own (`competitions.rs`); the sheet builder's struck cells and check
//! items are in `sheet.rs`.

use super::calendar::is_holiday;
use super::dispatch_rows::Book;
use super::outreach::{OUTREACH_ROWS, OutreachRow, SAP, SCH, orow};
use super::sessions::{Bad, Sess};
use super::sheet::{SheetBuilder, Strike, line, title};
use super::{d, files};
use crate::data::{Cat, MEISTERS, REQUESTERS};
use crate::layout::{BookKind, BookLayout, Cell, SheetLayout};
use crate::model::{CheckKind, DispatchRecord, ExpectedWarning, Fate, NotHeldKind, OutreachRecord};
use chrono::{Datelike, NaiveDate, Weekday};
use std::cell::RefCell;

/// The convention planted on one session's row (all `None`: a plain row).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Conv {
    /// A row added at the end of this book's sheet of this month.
    pub(super) extra: Option<(Book, (i32, u32))>,
    /// The row did not happen.
    not_held: Option<NotHeldKind>,
    /// 状況 as written.
    status: Option<&'static str>,
    /// 備考 as written (replaces the session's own).
    note: Option<String>,
    /// The 実施日 cell as written: a range, or 「中止」.
    date_text: Option<String>,
    /// The last day of the range in the 実施日 cell.
    last_day: Option<NaiveDate>,
    /// 日数 as written.
    days: Option<u32>,
    /// 受講者数 as written (a count with a note).
    count_text: Option<&'static str>,
    strike: Strike,
    /// The check item the row raises, and the field whose cell it names
    /// (`""`: the row's first matched cell).
    check: Option<(CheckKind, &'static str)>,
}

/// A FY2023 session on the month sheets that nothing else is planted on:
/// no bad value, no note, numbered, a meister's, not the one repeating last
/// year's namesake.
fn plain(s: &Sess, mirrored: &str) -> bool {
    s.bad == Bad::None
        && s.skilled.is_none()
        && s.course.is_none()
        && s.note.is_none()
        && s.numbered
        && s.cat != Cat::Public
        && s.no.as_deref() != Some(mirrored)
        && s.conv == Conv::default()
}

/// The `nth` plain session of a month among `cats`, in date order (the
/// `last` one instead when `nth` is `usize::MAX`).
fn pick<'a>(v: &'a mut [Sess], mirrored: &str, ym: (i32, u32), cats: &[Cat], nth: usize) -> &'a mut Sess {
    let found: Vec<usize> = (0..v.len())
        .filter(|&i| (v[i].date.year(), v[i].date.month()) == ym && cats.contains(&v[i].cat) && plain(&v[i], mirrored))
        .collect();
    let i = if nth == usize::MAX { found.last() } else { found.get(nth) };
    &mut v[*i.unwrap_or_else(|| panic!("no plain session {nth} of {ym:?} among {cats:?}"))]
}

const ANY: &[Cat] = &[Cat::School, Cat::Sme, Cat::Group];
const MAKE_UP: &str = "中止回の振替";

/// Plants the conventions on FY2023 sessions in place (after numbering and
/// after last year's namesake was chosen, so no number moves).
pub(super) fn mark_sessions(v: &mut [Sess], mirrored: &str) {
    // 上期 8月: a company session over two days across the month end, its
    // 実施日 a range (one session on 31 August, one on 1 September).
    let s = pick(v, mirrored, (2023, 8), &[Cat::Sme, Cat::Group], usize::MAX);
    s.date = d(2023, 8, 31);
    s.conv.last_day = Some(d(2023, 9, 1));
    s.conv.date_text = Some("2023/8/31〜9/1".to_string());
    s.conv.note = Some("2日間の集中講習".to_string());
    // 上期 9月: a group's class of ten with a note in the count cell.
    let s = pick(v, mirrored, (2023, 9), &[Cat::Group], 0);
    s.trainees = 10;
    s.conv.count_text = Some("10（うち女性3）");
    s.conv.check = Some((CheckKind::CountWithNote, "trainees"));
    // 下期 12月: the make-up of the session cancelled on 21 November.
    let s = pick(v, mirrored, (2023, 12), ANY, 0);
    s.conv.note = Some(MAKE_UP.to_string());
    s.conv.check = Some((CheckKind::RemarksWord, "note"));
    // 下期 1月: held after a postponement, 状況 実施済 (which outweighs the
    // 延期 leading its 備考: the row counts, to check) …
    let s = pick(v, mirrored, (2024, 1), ANY, 0);
    s.conv.status = Some("実施済");
    s.conv.note = Some(format!("延期→{}/{}", s.date.month(), s.date.day()));
    s.conv.check = Some((CheckKind::RemarksWord, "note"));
    // … and a row whose 備考 alone is struck through (it counts, to check).
    let s = pick(v, mirrored, (2024, 1), ANY, 0);
    s.conv.note = Some("講師交代の可能性あり".to_string());
    s.conv.strike = Strike::Cells(&["note"]);
    s.conv.check = Some((CheckKind::PartlyStruck, "note"));
    // 下期 2月: a company's course of three days in one row (日数 3).
    let s = pick(v, mirrored, (2024, 2), &[Cat::Sme], 0);
    s.conv.days = Some(3);
    s.conv.note = Some("3日間の連続講習".to_string());
}

/// The working day `n` working days before `date`.
fn workday_before(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    for _ in 0..n {
        loop {
            day = day.pred_opt().expect("a date");
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(day) {
                break;
            }
        }
    }
    day
}

/// A copy of `s` added at the end of `book`'s sheet of month `ym`.
fn added(s: &Sess, book: Book, ym: (i32, u32)) -> Sess {
    let mut x = s.clone();
    x.conv = Conv { extra: Some((book, ym)), ..Conv::default() };
    x
}

/// Without a 派遣番号 (planned, cancelled rows: numbers are given when held).
fn unnumbered(mut s: Sess) -> Sess {
    s.numbered = false;
    s.no = None;
    s
}

/// The rows added at the end of month sheets, each a session that did not
/// happen, or (上期 6月) two equal sessions without a number.
pub(super) fn extra_sessions(v: &[Sess], mirrored: &str) -> Vec<Sess> {
    let mut v = v.to_vec();
    let mut out = Vec::new();

    // 上期 6月: two classes of one school on one day, one meister, equal in
    // every field, no number yet: both count, the second to check.
    let school = REQUESTERS.iter().position(|r| r.name == "山口県立美祢青嶺高等学校").expect("requester");
    let meister = MEISTERS.iter().position(|m| m.no == "35-017").expect("meister");
    for (k, class) in ["電気科1組", "電気科2組"].into_iter().enumerate() {
        let mut s = unnumbered(Sess::new(d(2023, 6, 27), Cat::School));
        s.req = school;
        s.meister = Some(meister);
        s.trainees = 6;
        s.hours = 2.0;
        s.conv = Conv { extra: Some((Book::Kamiki, (2023, 6))), note: Some(class.to_string()), ..Conv::default() };
        if k == 1 {
            s.conv.check = Some((CheckKind::EqualRowsInSheet, ""));
        }
        out.push(s);
    }

    // 上期 7月: a session first set for two working days earlier, its row
    // kept with 備考 「延期→7/d」 and the same 派遣番号 as the row held.
    let held = v
        .iter()
        .find(|s| {
            (s.date.year(), s.date.month()) == (2023, 7)
                && matches!(s.cat, Cat::School | Cat::Sme)
                && plain(s, mirrored)
                && workday_before(s.date, 2).month() == 7
        })
        .expect("a July session postponed within July")
        .clone();
    let mut x = added(&held, Book::Kamiki, (2023, 7));
    x.date = workday_before(held.date, 2);
    x.conv.note = Some(format!("延期→{}/{}", held.date.month(), held.date.day()));
    x.conv.not_held = Some(NotHeldKind::Remarks);
    out.push(x);

    // 上期 8月: a school's summer session called off, 中止 in its 実施日 cell.
    let s = pick(&mut v, mirrored, (2023, 8), &[Cat::School], 0).clone();
    let mut x = unnumbered(added(&s, Book::Kamiki, (2023, 8)));
    x.conv.date_text = Some("中止".to_string());
    x.conv.note = Some("台風6号接近のため".to_string());
    x.conv.not_held = Some(NotHeldKind::DateWord);
    out.push(x);

    // 下期 10月: still 予定 though its day (27 October) has passed.
    let s = pick(&mut v, mirrored, (2023, 10), ANY, 0).clone();
    let mut x = unnumbered(added(&s, Book::Shimoki, (2023, 10)));
    x.date = d(2023, 10, 27);
    x.conv.status = Some("予定");
    x.conv.not_held = Some(NotHeldKind::Planned);
    out.push(x);

    // 下期 11月: the session made up in December, 状況 中止.
    let make_up = v.iter().find(|s| s.conv.note.as_deref() == Some(MAKE_UP)).expect("the make-up session");
    let mut x = unnumbered(added(make_up, Book::Shimoki, (2023, 11)));
    x.date = d(2023, 11, 21);
    x.conv.status = Some("中止");
    x.conv.note = Some("講師体調不良のため".to_string());
    x.conv.not_held = Some(NotHeldKind::Cancelled);
    out.push(x);

    // 下期 12月: a session typed twice, the second row struck through whole
    // (same 派遣番号: withdrawn before any repeat is looked for).
    let s = pick(&mut v, mirrored, (2023, 12), ANY, 0).clone();
    let mut x = added(&s, Book::Shimoki, (2023, 12));
    x.conv.strike = Strike::Whole;
    x.conv.not_held = Some(NotHeldKind::StruckThrough);
    out.push(x);

    // 下期 3月: 予定 for 28 March, in the future at 2023-10-31, past at the
    // year end (a check then only). Dated within the year: a row of next
    // year's in this year's book would be next year's check item.
    let s = pick(&mut v, mirrored, (2024, 3), ANY, 0).clone();
    let mut x = unnumbered(added(&s, Book::Shimoki, (2024, 3)));
    x.date = d(2024, 3, 28);
    x.conv.status = Some("予定");
    x.conv.note = Some("日程は先方と調整中".to_string());
    x.conv.not_held = Some(NotHeldKind::Planned);
    out.push(x);
    out
}

/// The record's share of the convention: its days, its range, whether it
/// happened (the cell that says so is set once the row is placed).
pub(super) fn record(s: &Sess, rec: &mut DispatchRecord) {
    rec.days = s.conv.days.unwrap_or(1);
    rec.last_day = s.conv.last_day;
    if let Some(kind) = s.conv.not_held {
        rec.fate = Fate::NotHeld { kind, cell: String::new() };
    }
}

/// The cells the convention writes, replacing the session's own.
pub(super) fn cells(s: &Sess, cells: &mut Vec<(&'static str, Cell)>) {
    let c = &s.conv;
    let mut set = |key: &'static str, cell: Cell| {
        cells.retain(|(k, _)| *k != key);
        cells.push((key, cell));
    };
    if let Some(t) = &c.date_text {
        set("date", Cell::text(t.clone()));
    }
    if let Some(t) = c.count_text {
        set("trainees", Cell::text(t));
    }
    if let Some(t) = &c.note {
        set("note", Cell::text(t.clone()));
    }
    if let Some(t) = c.status {
        set("status", Cell::text(t));
    }
    if let Some(n) = c.days {
        set("days", Cell::Num(f64::from(n)));
    }
}

/// The field whose cell says a row did not happen (`""`: the row's first
/// matched cell).
fn not_held_key(kind: NotHeldKind, count: &'static str) -> &'static str {
    match kind {
        NotHeldKind::Cancelled | NotHeldKind::Postponed | NotHeldKind::Planned => "status",
        NotHeldKind::Remarks => "note",
        NotHeldKind::DateWord => "date",
        NotHeldKind::StruckThrough => "",
        NotHeldKind::ZeroAttendance => count,
    }
}

/// Once a session's row is placed: its struck cells, the cell of a
/// not-held row, the check item it raises.
pub(super) fn placed(
    sb: &mut SheetBuilder,
    s: &Sess,
    rec: &mut DispatchRecord,
    checks: &RefCell<Vec<ExpectedWarning>>,
) {
    let c = &s.conv;
    sb.strike_last(c.strike);
    if let Some(kind) = c.not_held {
        rec.fate = Fate::NotHeld { kind, cell: sb.cell_at(not_held_key(kind, "trainees"), rec.place.row) };
    }
    if let Some((kind, key)) = c.check {
        checks.borrow_mut().push(sb.check(kind, key, rec.place.row));
    }
}

/// 上期 5月 copied as Excel copies a sheet (「5月 (2)」, right after it):
/// its rows, each the record of the row it copies, skipped.
pub(super) fn copy_sheet(sheets: &mut Vec<SheetLayout>, records: &mut Vec<DispatchRecord>, name: &str) {
    let i = sheets.iter().position(|s| s.name == name).expect("the sheet copied");
    let mut copy = sheets[i].clone();
    copy.name = format!("{name} (2)");
    copy.copy_of = Some(name.to_string());
    let copies: Vec<DispatchRecord> = records
        .iter()
        .filter(|r| r.place.file == files::KAMIKI && r.place.sheet == name)
        .map(|r| {
            let mut c = r.clone();
            c.place.sheet = copy.name.clone();
            c.fate = Fate::InSheetCopy { of_sheet: name.to_string() };
            c
        })
        .collect();
    records.extend(copies);
    sheets.insert(i + 1, copy);
}

const NUMBERING_COLS: &[(&str, &str)] = &[
    ("派遣番号", "dispatch_no"),
    ("実施日", "date"),
    ("派遣先区分", "dest_type"),
    ("派遣先名", "requester"),
    ("地区", "region"),
    ("職種", "trade"),
    ("区分", "instructor_type"),
    ("マイスター番号", "meister_no"),
    ("指導者氏名", "instructor_name"),
    ("指導時間", "hours"),
    ("受講者数", "trainees"),
    ("備考", "note"),
];

/// 派遣番号_付番依頼.xlsx: the 上期 5月 and 6月 rows without a 派遣番号,
/// pasted (cell for cell) into a list sent to have numbers given. Each is
/// the session of the 上期 row it repeats: skipped, to check.
pub(super) fn numbering_request_book(
    kamiki: &[SheetLayout],
    records: &[DispatchRecord],
    checks: &RefCell<Vec<ExpectedWarning>>,
) -> (Vec<DispatchRecord>, BookLayout) {
    let top = vec![
        title(0, "派遣番号 付番依頼（令和5年度上期・番号なしの派遣）", NUMBERING_COLS.len()),
        line(1, 0, "※派遣番号の欄に番号を記入して返送してください"),
    ];
    let widths = [9.0, 11.0, 10.0, 30.0, 6.0, 14.0, 12.0, 10.0, 14.0, 8.0, 8.0, 16.0];
    let mut sb = SheetBuilder::new(files::NUMBERING, "上期分", "dispatches", top, 2, NUMBERING_COLS, &widths);
    let mut out = Vec::new();
    let pasted = records.iter().filter(|r| {
        r.place.file == files::KAMIKI
            && matches!(r.place.sheet.as_str(), "5月" | "6月")
            && r.dispatch_no.is_none()
            && r.fate.is_accepted()
    });
    for r in pasted {
        let layout = kamiki.iter().find(|s| s.name == r.place.sheet).expect("the 上期 sheet");
        let body = &layout.body[(r.place.row - layout.excel_row(0)) as usize];
        let cells: Vec<(&'static str, Cell)> = layout
            .keys
            .iter()
            .zip(&body.cells)
            .filter(|(k, c)| !matches!(**k, "seq" | "dispatch_no") && !c.is_empty())
            .map(|(k, c)| (*k, c.clone()))
            .collect();
        let mut rec = r.clone();
        rec.place = sb.record(cells);
        rec.fate = Fate::RepeatWithoutNumber { kept: r.place.clone() };
        checks.borrow_mut().push(sb.check(CheckKind::RepeatWithoutNumber, "", rec.place.row));
        out.push(rec);
    }
    let book = BookLayout {
        path: files::NUMBERING.into(),
        kind: BookKind::Xlsx,
        created: d(2023, 7, 10),
        sheets: vec![sb.finish()],
    };
    (out, book)
}

/// One 魅力発信 row with the convention planted on it.
pub(super) struct OutreachPlant {
    pub(super) row: &'static OutreachRow,
    /// 日数 (1: the cell is left blank).
    pub(super) days: u32,
    /// 備考 as written (else the row's own).
    pub(super) note: Option<&'static str>,
    not_held: Option<NotHeldKind>,
    struck: bool,
}

/// A サポステ programme nobody came to (参加者数 0): not held, to check.
static NOBODY_CAME: OutreachRow =
    orow((2023, 9, 28), None, "サポステ", SAP, "うべ地域若者サポートステーション", "溶接", "35-021", None, 0, None);

/// A school event entered, then struck through whole (moved to January).
static STRUCK_EVENT: OutreachRow =
    orow((2023, 12, 21), None, "小学校", SCH, "周南市立岐山小学校", "機械加工", "35-002", Some((26, 3)), 29, None);

/// The school whose event ran over two days (日数 2).
const TWO_DAYS_AT: &str = "防府市立華城小学校";

/// The 魅力発信 rows in date order: the events of `OUTREACH_ROWS` (one over
/// two days) and the two that did not happen.
pub(super) fn outreach_rows() -> Vec<OutreachPlant> {
    let as_is = |row: &'static OutreachRow| OutreachPlant { row, days: 1, note: None, not_held: None, struck: false };
    let mut v: Vec<OutreachPlant> = OUTREACH_ROWS
        .iter()
        .map(|row| match row.venue {
            TWO_DAYS_AT => OutreachPlant { days: 2, note: Some("5年生・6年生（2日間）"), ..as_is(row) },
            _ => as_is(row),
        })
        .collect();
    v.push(OutreachPlant {
        note: Some("就労体験プログラム（参加者なし）"),
        not_held: Some(NotHeldKind::ZeroAttendance),
        ..as_is(&NOBODY_CAME)
    });
    v.push(OutreachPlant {
        note: Some("1月に日程変更"),
        not_held: Some(NotHeldKind::StruckThrough),
        struck: true,
        ..as_is(&STRUCK_EVENT)
    });
    v.sort_by_key(|p| p.row.date);
    v
}

/// Once a 魅力発信 row is placed: struck through, not held, its check item.
pub(super) fn placed_outreach(
    sb: &mut SheetBuilder,
    p: &OutreachPlant,
    rec: &mut OutreachRecord,
    checks: &mut Vec<ExpectedWarning>,
) {
    if p.struck {
        sb.strike_last(Strike::Whole);
    }
    if let Some(kind) = p.not_held {
        rec.fate = Fate::NotHeld { kind, cell: sb.cell_at(not_held_key(kind, "participants"), rec.place.row) };
        if kind == NotHeldKind::ZeroAttendance {
            checks.push(sb.check(CheckKind::ZeroAttendance, "participants", rec.place.row));
        }
    }
}
