//! The workbook mixing three record types (競技大会・講習会・連携会議):
//! an explanation sheet no dataset matches, the three competition sheets
//! (`competitions.rs`), the 指導技法等講習会 sheet (text dates and counts, a
//! wrongly paid allowance) and the 連携会議 sheet (和暦 date cells).

use super::competitions::competition_sheets;
use super::sheet::{SheetBuilder, line, title, yen};
use super::{Names, d, files};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt, SheetLayout};
use crate::mess::{CountStyle, count_cell};
use crate::model::{Fate, MeetingRecord, SampleSet, TrainingRecord};
use crate::rng::Rng;
use chrono::NaiveDate;

/// 競技大会・講習会・連携会議_令和5年度.xlsx, its sheets in order: the
/// explanation, the three competition sheets, 講習会, 連携会議.
pub(super) fn mixed_book(names: &mut Names, rng: &mut Rng, set: &mut SampleSet) -> BookLayout {
    let file = files::MIXED;
    let mut sheets = vec![explanation_sheet()];
    sheets.extend(competition_sheets(names, rng, set));

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
