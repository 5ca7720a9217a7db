//! The 魅力発信 `.ods`: the events of the year (school events and サポステ
//! programmes) with their text dates and counts, one row rejected for an
//! unknown 発信区分, and the conventions planted among them
//! (`conventions.rs`: over two days, nobody came, struck through).

use super::conventions;
use super::sheet::{SheetBuilder, title};
use super::{d, files, ymd};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt};
use crate::model::{ExpectedWarning, Fate, OutreachRecord};

/// One 魅力発信 event as planted.
pub(super) struct OutreachRow {
    pub(super) date: (i32, u32, u32),
    /// Text written instead of a date cell.
    pub(super) date_text: Option<&'static str>,
    pub(super) label: &'static str,
    pub(super) kind: &'static str,
    pub(super) venue: &'static str,
    pub(super) trade: &'static str,
    pub(super) meister: &'static str,
    /// (pupils, teachers and parents); `None` for サポステ rows.
    pub(super) split: Option<(i64, i64)>,
    pub(super) total: i64,
    /// Text written instead of a number cell for the total.
    pub(super) total_text: Option<&'static str>,
}

#[allow(clippy::too_many_arguments)]
pub(super) const fn orow(
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

pub(super) const SCH: &str = "小中学校等";
pub(super) const SAP: &str = "サポステ";
/// A label no alias covers: that row is rejected (it means 小中学校等).
const UNKNOWN_OUTREACH_LABEL: &str = "義務教育学校";

/// School events: 6 (215 participants) by 2023-10-31, 11 (427) in the year;
/// サポステ: 2 sites (one visited twice).
pub(super) const OUTREACH_ROWS: &[OutreachRow] = &[
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

pub(super) fn outreach_book(checks: &mut Vec<ExpectedWarning>) -> (Vec<OutreachRecord>, BookLayout) {
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
