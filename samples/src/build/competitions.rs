//! The competition entries: this year's three sheets of the mixed workbook
//! (技能五輪全国大会 with last year's two rows, a withdrawal and an unknown
//! 参加区分; 若年者ものづくり競技大会 and 技能五輪県予選, without a 年度
//! column), their organisations, trades and fees, and last year's list in
//! the 過年度 folder (its rejected row history).

use super::sheet::{SheetBuilder, placeholder, title, yen};
use super::{Names, d, files};
use crate::layout::{BookKind, BookLayout, Cell, SheetLayout};
use crate::model::{CompetitionRecord, Fate, SampleSet};
use crate::rng::Rng;

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

/// The three competition sheets of the mixed workbook (`mixed.rs`), in
/// order: 技能五輪全国大会, 若年者大会, 県予選.
pub(super) fn competition_sheets(names: &mut Names, rng: &mut Rng, set: &mut SampleSet) -> Vec<SheetLayout> {
    const WS: &str = "技能五輪全国大会";
    const YG: &str = "若年者ものづくり競技大会";
    const QF: &str = "技能五輪予選";
    let file = files::MIXED;
    let mut sheets = Vec::new();

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
    sheets
}

const PAST_COLS: &[(&str, &str)] = &[
    ("No", "seq"),
    ("大会名", "event"),
    ("職種", "trade"),
    ("参加区分", "role"),
    ("氏名", "name"),
    ("所属", "org"),
    ("旅費", "travel"),
    ("備考", "note"),
];

/// Last year's (第60回, 令和4年度) entries: (trade, org, role as written,
/// role meant). コーチ is no label: that row is rejected, in last year.
const PAST_ENTRIES: &[(&str, &str, &str, &str)] = &[
    ("機械製図CAD", SHIMONOSEKI_KOKA, "選手", "選手"),
    ("電子機器組立て", UBE_KOSEN, "選手", "選手"),
    ("電工", YANAI_DENSETSU, "選手", "選手"),
    ("電工", TOBU_GIJUTSU, "選手", "選手"),
    ("建築大工", SEIBU_GIJUTSU, "競技者", "選手"),
    ("西洋料理", YUDA_HOTEL, "選手", "選手"),
    ("機械製図CAD", SHIMONOSEKI_KOKA, "指導者", "指導者"),
    ("電工", YANAI_DENSETSU, "指導者", "指導者"),
    ("電工", TOBU_GIJUTSU, "コーチ", "指導者"),
    ("建築大工", SEIBU_GIJUTSU, "引率", "指導者"),
    ("西洋料理", YUDA_HOTEL, "指導者", "指導者"),
];

/// 過年度/技能五輪全国大会_第60回名簿.xlsx: last year's list of the national
/// competition, no 年度 column, its title naming 令和4年度: the entries are
/// FY2022's (never counted in FY2023), the rejected row is history (過年度).
pub(super) fn past_competition_book(names: &mut Names, set: &mut SampleSet) -> BookLayout {
    let top = vec![title(0, "令和4年度 第60回技能五輪全国大会（栃木県）山口県選手団 名簿", PAST_COLS.len())];
    let widths = [4.0, 16.0, 14.0, 9.0, 14.0, 28.0, 9.0, 18.0];
    let mut sb = SheetBuilder::new(files::PAST_COMPETITION, "名簿", "competitions", top, 2, PAST_COLS, &widths);
    for (i, &(trade, org, written, role)) in PAST_ENTRIES.iter().enumerate() {
        let name = names.next();
        let mut rec = comp("技能五輪全国大会", role, trade, org, &name, false, Some(27_400), None, None, Some(2022));
        let mut cells = vec![
            ("seq", Cell::Num(i as f64 + 1.0)),
            ("event", Cell::text("技能五輪全国大会")),
            ("trade", Cell::text(trade)),
            ("role", Cell::text(written)),
            ("name", Cell::text(name)),
            ("org", Cell::text(org)),
            ("travel", Cell::Num(27_400.0)),
        ];
        if written == "コーチ" {
            rec.fate = Fate::Rejected { column: "参加区分" };
            cells.push(("note", Cell::text("企業の指導員")));
        }
        rec.place = sb.record(cells);
        set.competitions.push(rec);
    }
    BookLayout {
        path: files::PAST_COMPETITION.into(),
        kind: BookKind::Xlsx,
        created: d(2022, 9, 1),
        sheets: vec![sb.finish()],
    }
}
