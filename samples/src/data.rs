//! Fixed tables behind the samples: the meister roster, the requesters
//! (schools, companies, industry groups, event venues) with the trades they
//! ask for, and the name parts fake personal names are made from. All names
//! of people, companies and groups are invented; school names are those of
//! real schools in Yamaguchi (the records about them are not).

use super::layout::DateFmt;
use super::mess::DateStyle;

/// Destination type of a dispatch (canonical values of `mapping.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cat {
    School,
    Sme,
    Group,
    Public,
}

impl Cat {
    pub(crate) fn canonical(self) -> &'static str {
        match self {
            Cat::School => "工業高校等",
            Cat::Sme => "中小企業",
            Cat::Group => "業界団体",
            Cat::Public => "公共施設等",
        }
    }
}

pub(crate) const EAST: &str = "東部";
pub(crate) const WEST: &str = "西部";

/// Someone who asks for meisters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Requester {
    pub(crate) name: &'static str,
    pub(crate) cat: Cat,
    pub(crate) region: &'static str,
    /// Trades it usually asks for (meisters of these trades are preferred).
    pub(crate) trades: &'static [&'static str],
    /// FY2023 sessions allocated to it (schools, companies, groups).
    pub(crate) fy2023: u32,
    /// Labels staff write for it in 派遣先区分, besides the canonical one.
    pub(crate) labels: &'static [&'static str],
}

const SCHOOL_LABELS: &[&str] = &["工業高校等", "工業高校", "工業高校", "学校"];
const SENSHU_LABELS: &[&str] = &["専修学校", "工業高校等"];
const SME_LABELS: &[&str] = &["中小企業", "企業", "企業", "中小企業等"];
const KUMIAI_LABELS: &[&str] = &["協同組合", "業界団体"];
const SHOKO_LABELS: &[&str] = &["商工会", "業界団体"];
const DANTAI_LABELS: &[&str] = &["団体", "業界団体"];
const PUBLIC_LABELS: &[&str] = &["公共施設", "公共施設等"];
const EVENT_LABELS: &[&str] = &["イベント", "公共施設等"];
const PRIVATE_LABELS: &[&str] = &["民間施設"];

const fn req(
    name: &'static str,
    cat: Cat,
    region: &'static str,
    trades: &'static [&'static str],
    fy2023: u32,
    labels: &'static [&'static str],
) -> Requester {
    Requester { name, cat, region, trades, fy2023, labels }
}

/// Every requester. School allocations sum to 176, companies to 68, groups
/// to 28 (the FY2023 plan's monthly counts in `build/sessions.rs` use these totals).
/// 下関工科 gets 12 sessions: over the yearly cap of 10 for a school (a finding).
pub(crate) const REQUESTERS: &[Requester] = &[
    req(
        "山口県立下関工科高等学校",
        Cat::School,
        WEST,
        &["溶接", "機械加工", "電気工事", "電子機器組立て", "建築大工"],
        12,
        SCHOOL_LABELS,
    ),
    req(
        "山口県立宇部工業高等学校",
        Cat::School,
        WEST,
        &["溶接", "機械加工", "電気工事", "機械保全"],
        10,
        SCHOOL_LABELS,
    ),
    req("山口県立小野田工業高等学校", Cat::School, WEST, &["機械加工", "電気工事"], 10, SCHOOL_LABELS),
    req("山口県立防府商工高等学校", Cat::School, EAST, &["機械加工", "電気工事", "電子機器組立て"], 10, SCHOOL_LABELS),
    req("山口県立南陽工業高等学校", Cat::School, EAST, &["機械保全", "電気工事", "溶接"], 10, SCHOOL_LABELS),
    req("山口県立下松工業高等学校", Cat::School, EAST, &["機械加工", "板金", "溶接"], 10, SCHOOL_LABELS),
    req("山口県立岩国工業高等学校", Cat::School, EAST, &["建築大工", "電気工事", "機械加工"], 10, SCHOOL_LABELS),
    req("山口県立萩商工高等学校", Cat::School, WEST, &["電子機器組立て", "機械加工"], 9, SCHOOL_LABELS),
    req("山口県立田布施農工高等学校", Cat::School, EAST, &["溶接", "建築大工"], 9, SCHOOL_LABELS),
    req("山口県立美祢青嶺高等学校", Cat::School, WEST, &["機械加工", "電気工事"], 8, SCHOOL_LABELS),
    req("山口県立柳井商工高等学校", Cat::School, EAST, &["電気工事", "機械保全"], 10, SCHOOL_LABELS),
    req("宇部工業高等専門学校", Cat::School, WEST, &["電子機器組立て", "機械保全"], 10, SCHOOL_LABELS),
    req("徳山工業高等専門学校", Cat::School, EAST, &["機械加工", "電子機器組立て"], 10, SCHOOL_LABELS),
    req(
        "山口県立東部高等産業技術学校",
        Cat::School,
        EAST,
        &["溶接", "板金", "建築大工", "電気工事"],
        10,
        SCHOOL_LABELS,
    ),
    req("山口県立西部高等産業技術学校", Cat::School, WEST, &["溶接", "機械加工"], 10, SCHOOL_LABELS),
    req("山口県理容美容専門学校", Cat::School, WEST, &["美容"], 9, SENSHU_LABELS),
    req("大島商船高等専門学校", Cat::School, EAST, &["溶接", "機械保全"], 9, SCHOOL_LABELS),
    req("山口調理製菓専門学校", Cat::School, WEST, &["西洋料理", "日本料理"], 10, SENSHU_LABELS),
    req("株式会社周南精工", Cat::Sme, EAST, &["機械加工", "機械保全"], 7, SME_LABELS),
    req("有限会社岩国溶接工業", Cat::Sme, EAST, &["溶接"], 5, SME_LABELS),
    req("株式会社下松鉄工", Cat::Sme, EAST, &["溶接", "板金"], 5, SME_LABELS),
    req("光テクノ株式会社", Cat::Sme, EAST, &["電子機器組立て", "機械加工"], 4, SME_LABELS),
    req("株式会社柳井電設", Cat::Sme, EAST, &["電気工事"], 5, SME_LABELS),
    req("防府機工株式会社", Cat::Sme, EAST, &["機械加工", "機械保全"], 4, SME_LABELS),
    req("株式会社宇部メンテック", Cat::Sme, WEST, &["機械保全", "溶接"], 6, SME_LABELS),
    req("山陽小野田精密株式会社", Cat::Sme, WEST, &["機械加工"], 4, SME_LABELS),
    req("株式会社彦島マシナリー", Cat::Sme, WEST, &["溶接"], 4, SME_LABELS),
    req("有限会社長門板金", Cat::Sme, WEST, &["板金"], 2, SME_LABELS),
    req("株式会社美祢建設", Cat::Sme, WEST, &["建築大工"], 2, SME_LABELS),
    req("萩塗装工業株式会社", Cat::Sme, WEST, &["塗装"], 4, SME_LABELS),
    req("株式会社山口電子", Cat::Sme, WEST, &["電子機器組立て"], 5, SME_LABELS),
    req("有限会社秋芳配管", Cat::Sme, WEST, &["配管"], 1, SME_LABELS),
    req("株式会社徳山プラント", Cat::Sme, EAST, &["配管", "溶接"], 4, SME_LABELS),
    req("新南陽化工株式会社", Cat::Sme, EAST, &["機械保全", "電気工事"], 3, SME_LABELS),
    req("株式会社湯田温泉ホテル", Cat::Sme, WEST, &["西洋料理", "日本料理"], 3, SME_LABELS),
    req("山口県溶接業協同組合", Cat::Group, WEST, &["溶接"], 6, KUMIAI_LABELS),
    req("周南地区建設業協会", Cat::Group, EAST, &["建築大工", "配管"], 4, DANTAI_LABELS),
    req("下関商工会議所", Cat::Group, WEST, &["機械加工", "電気工事"], 3, SHOKO_LABELS),
    req("岩国市板金工業組合", Cat::Group, EAST, &["板金"], 4, KUMIAI_LABELS),
    req("宇部地区電気工事業協同組合", Cat::Group, WEST, &["電気工事"], 5, KUMIAI_LABELS),
    req("山口県塗装工業協同組合", Cat::Group, WEST, &["塗装"], 3, KUMIAI_LABELS),
    req("柳井地区商工会", Cat::Group, EAST, &["電子機器組立て", "機械保全"], 3, SHOKO_LABELS),
    req("山口きらら博記念公園（やまぐち技能フェア）", Cat::Public, WEST, &[], 0, EVENT_LABELS),
    req("周南市文化会館（夏休みものづくり教室）", Cat::Public, EAST, &[], 0, PUBLIC_LABELS),
    req("ゆめシティ新下関（ものづくり体験コーナー）", Cat::Public, WEST, &[], 0, PRIVATE_LABELS),
    req("下松市スポーツ公園（技能祭）", Cat::Public, EAST, &[], 0, EVENT_LABELS),
    req("防府市地域交流センター", Cat::Public, EAST, &[], 0, PUBLIC_LABELS),
];

/// What the registry and the activity rows make of a meister.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Leads FY2023 dispatches (and usually FY2022 ones).
    Active,
    /// Active only through FY2022 rows (the 過年度 workbook): tests that
    /// history counts as activity.
    History,
    /// No activity in three years: a deregistration candidate.
    Inactive,
    /// Deregistered during FY2023.
    Deregistered,
    /// Certified during FY2023.
    New,
}

/// One registry row. Dates as (y, m, d).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MeisterSpec {
    pub(crate) no: &'static str,
    pub(crate) trade: &'static str,
    pub(crate) region: Option<&'static str>,
    pub(crate) certified: (i32, u32, u32),
    /// How the 認定日 cell is written.
    pub(crate) certified_style: DateStyle,
    pub(crate) trained: Option<(i32, u32, u32)>,
    pub(crate) deregistered: Option<(i32, u32, u32)>,
    pub(crate) last_activity: Option<(i32, u32, u32)>,
    pub(crate) role: Role,
    /// Relative weight when picking a meister for a session.
    pub(crate) weight: u32,
}

const W: DateStyle = DateStyle::Cell(DateFmt::Wareki);

#[allow(clippy::too_many_arguments)]
const fn m(
    no: &'static str,
    trade: &'static str,
    region: Option<&'static str>,
    certified: (i32, u32, u32),
    certified_style: DateStyle,
    trained: Option<(i32, u32, u32)>,
    deregistered: Option<(i32, u32, u32)>,
    last_activity: Option<(i32, u32, u32)>,
    role: Role,
    weight: u32,
) -> MeisterSpec {
    MeisterSpec { no, trade, region, certified, certified_style, trained, deregistered, last_activity, role, weight }
}

/// The registry: 25 meisters certified 2013–2024.
/// - untrained (講習受講日 blank) yet dispatching: 35-012, 35-019;
/// - inactive 3+ years: 35-003 (最終活動日 blank), 35-006, 35-015;
/// - deregistered in FY2023: 35-004 (登録解除日 2023-09-30);
/// - active only through FY2022 rows: 35-007, 35-016;
/// - new in FY2023: 35-022 and 35-023 (2023-09-20, trained at 前期 2023-09-07
///   as candidates), 35-024 and 35-025 (2024-02-20, trained at 後期 2024-02-15);
///   each leads two sessions from its certification day on, the first in the
///   month it is certified (so no month-end sees a registered meister idle
///   only because it is new);
/// - 35-020 has no dispatches at all: active through its 最終活動日 (2022-11-10)
///   and one outreach event (2023-09-14).
pub(crate) const MEISTERS: &[MeisterSpec] = &[
    m(
        "35-001",
        "溶接",
        Some(WEST),
        (2013, 11, 20),
        DateStyle::EraKanji,
        Some((2014, 9, 10)),
        None,
        Some((2021, 3, 12)),
        Role::Active,
        6,
    ),
    m(
        "35-002",
        "機械加工",
        Some(EAST),
        (2013, 11, 20),
        DateStyle::EraKanji,
        Some((2014, 9, 10)),
        None,
        None,
        Role::Active,
        6,
    ),
    m("35-003", "建築大工", Some(WEST), (2014, 2, 12), W, Some((2014, 9, 10)), None, None, Role::Inactive, 0),
    m(
        "35-004",
        "左官",
        Some(EAST),
        (2014, 2, 12),
        W,
        Some((2015, 2, 5)),
        Some((2023, 9, 30)),
        Some((2018, 11, 22)),
        Role::Deregistered,
        0,
    ),
    m(
        "35-005",
        "電気工事",
        Some(EAST),
        (2015, 1, 15),
        DateStyle::EraDot,
        Some((2015, 2, 5)),
        None,
        Some((2021, 11, 2)),
        Role::Active,
        7,
    ),
    m(
        "35-006",
        "造園",
        Some(WEST),
        (2015, 1, 15),
        DateStyle::EraDot,
        Some((2015, 9, 10)),
        None,
        Some((2019, 10, 3)),
        Role::Inactive,
        0,
    ),
    m(
        "35-007",
        "配管",
        Some(EAST),
        (2016, 1, 15),
        DateStyle::EraKanjiWide,
        Some((2016, 9, 8)),
        None,
        Some((2017, 6, 1)),
        Role::History,
        0,
    ),
    m("35-008", "機械保全", Some(EAST), (2016, 1, 15), W, Some((2016, 9, 8)), None, None, Role::Active, 6),
    m("35-009", "電子機器組立て", Some(WEST), (2017, 2, 10), W, Some((2017, 9, 7)), None, None, Role::Active, 6),
    m("35-010", "西洋料理", Some(WEST), (2017, 2, 10), W, Some((2017, 9, 7)), None, None, Role::Active, 4),
    m(
        "35-011",
        "板金",
        Some(EAST),
        (2018, 1, 25),
        DateStyle::Serial,
        Some((2018, 9, 6)),
        None,
        Some((2022, 2, 18)),
        Role::Active,
        5,
    ),
    m("35-012", "塗装", Some(WEST), (2018, 1, 25), W, None, None, None, Role::Active, 3),
    m("35-013", "溶接", Some(EAST), (2019, 1, 24), DateStyle::EraDot, Some((2019, 9, 5)), None, None, Role::Active, 6),
    m("35-014", "建築大工", Some(EAST), (2019, 1, 24), W, Some((2019, 9, 5)), None, None, Role::Active, 5),
    m(
        "35-015",
        "和裁",
        Some(WEST),
        (2019, 1, 24),
        W,
        Some((2019, 9, 5)),
        None,
        Some((2019, 11, 14)),
        Role::Inactive,
        0,
    ),
    m(
        "35-016",
        "機械製図",
        Some(WEST),
        (2020, 1, 23),
        DateStyle::EraKanji,
        Some((2020, 9, 3)),
        None,
        Some((2022, 2, 10)),
        Role::History,
        0,
    ),
    m("35-017", "電気工事", Some(WEST), (2021, 1, 21), W, Some((2021, 9, 9)), None, None, Role::Active, 6),
    m("35-018", "美容", None, (2021, 1, 21), W, Some((2021, 9, 9)), None, None, Role::Active, 4),
    m("35-019", "機械加工", Some(EAST), (2022, 1, 20), DateStyle::EraDot, None, None, None, Role::Active, 1),
    m(
        "35-020",
        "日本料理",
        Some(EAST),
        (2022, 1, 20),
        W,
        Some((2022, 9, 8)),
        None,
        Some((2022, 11, 10)),
        Role::Active,
        4,
    ),
    m("35-021", "溶接", Some(WEST), (2023, 1, 19), W, Some((2023, 2, 16)), None, None, Role::Active, 5),
    m("35-022", "電子機器組立て", Some(EAST), (2023, 9, 20), W, Some((2023, 9, 7)), None, None, Role::New, 2),
    m("35-023", "板金", Some(WEST), (2023, 9, 20), W, Some((2023, 9, 7)), None, None, Role::New, 2),
    m("35-024", "配管", Some(EAST), (2024, 2, 20), W, Some((2024, 2, 15)), None, None, Role::New, 2),
    m("35-025", "造園", Some(WEST), (2024, 2, 20), W, Some((2024, 2, 15)), None, None, Role::New, 2),
];

/// Other expert workers (熟練技能者等): trade and region.
pub(crate) const SKILLED_TRADES: &[(&str, &str)] =
    &[("鉄工", EAST), ("表具", WEST), ("機械組立て", EAST), ("石材施工", WEST)];

/// Surnames common in Yamaguchi (all two characters).
pub(crate) const SURNAMES: &[&str] = &[
    "田中", "山本", "中村", "原田", "岡村", "松本", "吉村", "西村", "福田", "村上", "石田", "藤本", "山田", "井上",
    "木村", "清水", "岩本", "松田", "末永", "弘中", "重岡", "縄田", "守田", "国弘", "兼重", "河野", "宮本", "大田",
    "小田", "徳永", "藤村", "久保", "有田", "貞永", "竹本", "秋本", "上田", "三浦", "安村", "白井",
];

/// Given names (all two or more characters).
pub(crate) const GIVEN: &[&str] = &[
    "健一",
    "浩二",
    "大輔",
    "翔太",
    "拓海",
    "悠斗",
    "颯太",
    "健太",
    "直樹",
    "和也",
    "博之",
    "修二",
    "勝也",
    "秀樹",
    "真一",
    "隆之",
    "由美子",
    "美咲",
    "陽菜",
    "結衣",
    "彩花",
    "恵子",
    "智子",
    "優奈",
    "真由美",
    "千尋",
    "裕子",
    "莉子",
    "達也",
    "光男",
    "幸子",
    "蓮",
];

/// The two coordinators, with the region each covers.
pub(crate) const COORDINATORS: &[(&str, &str)] = &[("藤井　正和", EAST), ("河村　由美子", WEST)];

/// Companies the coordinators visit besides the dispatch requesters: name, region, trade.
pub(crate) const PROSPECTS: &[(&str, &str, &str)] = &[
    ("株式会社大島マリンテック", EAST, "溶接"),
    ("周防化成株式会社", EAST, "機械保全"),
    ("株式会社光精密", EAST, "機械加工"),
    ("有限会社田布施木工", EAST, "家具製作"),
    ("株式会社玖珂製作所", EAST, "機械加工"),
    ("和木ケミカル株式会社", EAST, "配管"),
    ("株式会社長府製作", WEST, "板金"),
    ("有限会社豊北建具", WEST, "建具製作"),
    ("株式会社小月鋳造", WEST, "鋳造"),
    ("有限会社美東石材", WEST, "石材施工"),
    ("株式会社阿知須工芸", WEST, "表具"),
    ("山陽塗装株式会社", WEST, "塗装"),
];
