//! The dispatch workbooks: 上期 (one sheet per month, a hand summary, a
//! copied sheet), 下期 (one sheet per month), 過年度 (FY2022), with the
//! repeats within a year (duplicates, a 派遣番号 conflict) and the
//! unreadable optional value planted; then the 技能継承講座 `.ods`
//! (`courses.rs`) and the 付番依頼 list (`conventions.rs`).

use super::conventions;
use super::courses::courses_book;
use super::dispatch_rows::{Book, DispatchCtx, dispatch_cells, dispatch_record};
use super::sessions::{
    PAIR_HEAD, PAIR_TAIL, Sess, dispatch_no, fy2022_sessions, fy2023_sessions, mirror_last_year, pick_meister,
    requesters_of, trainees_for,
};
use super::sheet::{SheetBuilder, line, title};
use super::{SEED, d, files};
use crate::data::{Cat, REQUESTERS};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt, SheetLayout, ym};
use crate::model::{DispatchRecord, ExpectedWarning, ExpectedWarningKind, Fate};
use crate::rng::Rng;
use std::cell::RefCell;

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
pub(super) struct Dispatches {
    pub(super) records: Vec<DispatchRecord>,
    pub(super) books: Vec<BookLayout>,
    pub(super) field_warnings: Vec<ExpectedWarning>,
    pub(super) check_warnings: Vec<ExpectedWarning>,
}

/// Builds the dispatch workbooks (上期, 下期, 過年度, the 技能継承講座 `.ods`,
/// the 付番依頼 list) and their records.
pub(super) fn dispatch_books(rng: &mut Rng, meister_names: &[String], skilled_names: &[String]) -> Dispatches {
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
