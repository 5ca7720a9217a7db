//! One dispatch session as a row: the record it stands for, and the cells
//! its workbook writes (each book's habits of dates, counts and labels, the
//! bad values planted, the conventions' cells).

use super::conventions;
use super::sessions::{Bad, NPO_NAME, Sess};
use super::sheet::placeholder;
use crate::data::{EAST, MEISTERS, REQUESTERS, SKILLED_TRADES};
use crate::layout::{Cell, DateFmt};
use crate::mess::{CountStyle, DateStyle, count_cell, date_cell};
use crate::model::{DispatchRecord, ExpectedWarning, Fate};
use crate::rng::Rng;
use std::cell::RefCell;

/// Which dispatch workbook a row is written into (each has its own habits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Book {
    Kamiki,
    Shimoki,
    Prior,
    /// The 技能継承講座 `.ods` (cells written by `skilled_book`).
    Courses,
}

pub(super) struct DispatchCtx<'a> {
    pub(super) meister_names: &'a [String],
    pub(super) skilled_names: &'a [String],
    /// The check items planted on the rows written (see `conventions`).
    pub(super) checks: RefCell<Vec<ExpectedWarning>>,
}

/// The record a session stands for (place filled in later).
pub(super) fn dispatch_record(s: &Sess, book: Book, ctx: &DispatchCtx<'_>) -> DispatchRecord {
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
pub(super) fn dispatch_cells(s: &Sess, rec: &DispatchRecord, book: Book, rng: &mut Rng) -> Vec<(&'static str, Cell)> {
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
