//! The マイスター台帳: one row per meister of the roster (dates in several
//! styles, notes by role), and the 認定番号 conflict at the bottom (a
//! meister entered again with the 地区 filled in).

use super::sheet::{SheetBuilder, line, placeholder, title};
use super::{d, files, ymd};
use crate::data::{MEISTERS, Role, WEST};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt};
use crate::mess::{DateStyle, date_cell};
use crate::model::{Fate, MeisterRecord};

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

pub(super) fn registry_book(names: &[String]) -> (Vec<MeisterRecord>, BookLayout) {
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
