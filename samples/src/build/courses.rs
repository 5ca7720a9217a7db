//! The 技能継承講座 `.ods`: the courses of 熟練技能者 sessions (fixed, no
//! draw) and their book, one block per course with 区分 and 講座名 merged
//! down the block and 実施日 merged over the two sessions of one day.

use super::dispatch_rows::{Book, DispatchCtx, dispatch_record};
use super::sessions::Sess;
use super::sheet::{SheetBuilder, title};
use super::{d, files};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt};
use crate::model::DispatchRecord;
use chrono::NaiveDate;

/// A 技能継承講座: a series of 熟練技能者 sessions at one requester, kept in
/// its own `.ods` workbook, where the series' 区分 is one cell merged down
/// over all its rows (and two sessions of one day share a merged 実施日).
pub(super) struct Course {
    pub(super) name: &'static str,
    pub(super) requester: &'static str,
    /// Index into `SKILLED_TRADES` (the instructor and the trade).
    pub(super) skilled: usize,
    /// 区分 as written, once, in the merged cell.
    pub(super) label: &'static str,
    /// 派遣先区分 as written.
    pub(super) dest_label: &'static str,
    pub(super) sessions: &'static [CourseSession],
}

/// One session of a course: (実施日, 受講者数, 指導時間, 備考).
type CourseSession = ((i32, u32, u32), i64, f64, Option<&'static str>);

pub(super) const COURSES: &[Course] = &[
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
pub(super) fn courses_book(fy23: &[Sess], ctx: &DispatchCtx<'_>) -> (Vec<DispatchRecord>, BookLayout) {
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
