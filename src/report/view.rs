//! View models: what the reports show, already ordered, labelled and (for the
//! HTML templates) formatted as strings.
//!
//! Both writers share the decisions made here: how KPIs are grouped by seed
//! section, which labels statuses and files get, how numbers are written.
//! The templates see only the `#[derive(Serialize)]` structs of this module,
//! never the domain types; every string that came from a user workbook passes
//! through [`crate::text::clean`] on its way in (the template engine escapes it on
//! the way out).
//!
//! The ministry report is [`ReportView`]: the KPI table grouped by seed
//! section with the plan's qualitative items among the KPIs of their section
//! ([`plan_groups`]), the fiscal-year timeline (SVG and table), the monthly
//! series and the dispatch mix. The center report is [`CenterView`]: that
//! plus one field per extra section (breakdowns, visits, competition
//! entries, meister activity, rule findings, later rows, data quality). A
//! further section is one more view struct here, one more field there, and
//! one more partial template; nothing existing changes.

use super::{ReportInput, old_svg};
use crate::fiscal::{FiscalYear, date_prose};
use crate::ingest::{FileOutcome, InputFile};
use crate::kpi::center::{EntryRow, MeisterActivity, TimelineEvent};
use crate::kpi::findings::FindingItem;
use crate::kpi::{BreakdownRow, KpiFigure, MonthlySeries, Status};
use crate::normalise::SheetReport;
use crate::plan::{Direction, ItemStatus, Plan, PlanItem};
use crate::text::{clean, clean_owned};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

/// Placeholder shown where a figure does not exist (no target, no data, a
/// month still to come).
pub const DASH: &str = "－";

/// How many detail rows the HTML reports list before pointing to
/// data-quality.xlsx (the Excel files always list all of them).
pub const HTML_ROW_LIMIT: usize = 300;

// ---- numbers -----------------------------------------------------------------

/// `1234567` → `1,234,567`.
pub fn fmt_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A number with thousands separators and exactly `decimals` decimals.
pub fn fmt_fixed(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let int: i64 = int_part.parse().unwrap_or(0);
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&fmt_int(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Counts as whole numbers, anything fractional with one decimal; `－` for none.
pub fn fmt_count(x: Option<f64>) -> String {
    match x {
        Some(v) if is_whole(v) => fmt_int(v.round() as i64),
        Some(v) => fmt_fixed(v, 1),
        None => DASH.to_string(),
    }
}

/// One decimal (`157.9`); `－` for none.
pub fn fmt_dec1(x: Option<f64>) -> String {
    x.map_or_else(|| DASH.to_string(), |v| fmt_fixed(v, 1))
}

/// A ratio as a percentage with one decimal (`0.5593` → `55.9%`); `－` for none.
pub fn fmt_pct(x: Option<f64>) -> String {
    x.map_or_else(|| DASH.to_string(), |v| format!("{}%", fmt_fixed(v * 100.0, 1)))
}

/// A signed difference with one decimal (`+3.0`, `-6.9`, `±0.0`).
pub fn fmt_signed(x: f64) -> String {
    let body = fmt_fixed(x.abs(), 1);
    if body == "0.0" {
        format!("±{body}")
    } else if x > 0.0 {
        format!("+{body}")
    } else {
        format!("-{body}")
    }
}

/// Whether a figure is a whole number (to the precision reports show).
pub fn is_whole(x: f64) -> bool {
    (x - x.round()).abs() < 1e-9
}

/// `2023年11月2日 9時05分`.
pub fn fmt_datetime_ja(t: NaiveDateTime) -> String {
    format!("{}年{}月{}日 {}時{:02}分", t.year(), t.month(), t.day(), t.hour(), t.minute())
}

/// `2023年4月` style month label.
pub fn month_label(month: u32) -> String {
    format!("{month}月")
}

// ---- statuses, sections, files ------------------------------------------------

/// Colour family of a status: `good`, `warn`, `bad` or `muted`. The reports
/// always print the word as well, so colour never carries meaning alone.
pub fn status_class(s: Status) -> &'static str {
    match s {
        Status::Achieved | Status::OnTrack | Status::Ok => "good",
        Status::AtRisk => "warn",
        Status::Behind | Status::Breach => "bad",
        Status::Info | Status::NotPlanned | Status::NoData => "muted",
    }
}

/// Statuses in the order the summary counts them.
pub const STATUS_ORDER: [Status; 9] = [
    Status::Achieved,
    Status::OnTrack,
    Status::AtRisk,
    Status::Behind,
    Status::Ok,
    Status::Breach,
    Status::NoData,
    Status::NotPlanned,
    Status::Info,
];

/// Sort key of a seed section code in the seed's own order: `2(1)イ(ア)` →
/// `[2, 1, 2, 1]`, `4(2)ア①②` → `[4, 2, 1, 1, 2]`, `個人情報(7)` → `[6, 7]`.
/// Only the part before `・` counts (`3(2)・3(4)` sorts as `3(2)`).
pub fn section_key(section: &str) -> Vec<u32> {
    const KANA: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ";
    let head = section.split('・').next().unwrap_or("").trim();
    let mut key = Vec::new();
    let mut rest = head;
    if let Some(r) = rest.strip_prefix("個人情報") {
        key.push(6);
        rest = r;
    }
    let mut number: Option<u32> = None;
    for c in rest.chars() {
        let digit = c.to_digit(10).or_else(|| {
            // fullwidth digits
            ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32)
        });
        if let Some(d) = digit {
            number = Some(number.unwrap_or(0) * 10 + d);
            continue;
        }
        if let Some(n) = number.take() {
            key.push(n);
        }
        if let Some(i) = KANA.chars().position(|k| k == c) {
            key.push(i as u32 + 1);
        } else if ('\u{2460}'..='\u{2473}').contains(&c) {
            key.push(c as u32 - 0x2460 + 1);
        }
    }
    if let Some(n) = number {
        key.push(n);
    }
    if key.is_empty() {
        key.push(99);
    }
    key
}

/// Heading of a group of KPIs, by the first number of their section.
fn group_heading(top: u32) -> &'static str {
    match top {
        1 => "1 事業の実施体制等",
        2 => "2 地域における技能振興事業（技能競技大会）",
        3 => "3 ものづくりマイスターの認定・登録に関する業務",
        4 => "4 ものづくりマイスターの活用に係る業務",
        5 => "5 連携会議の設置・運営",
        6 => "個人情報等の適切な取扱い",
        _ => "その他",
    }
}

const INFO_HEADING: &str = "参考（目標を定めない指標）";

/// The short form of a group heading, for a column of a table.
pub fn short_heading(heading: &str) -> &'static str {
    match heading.split(' ').next().unwrap_or("") {
        "1" => "1 実施体制",
        "2" => "2 技能競技大会",
        "3" => "3 マイスター認定・登録",
        "4" => "4 マイスターの活用",
        "5" => "5 連携会議",
        _ if heading == INFO_HEADING => "参考（目標なし）",
        _ if heading.starts_with("個人情報") => "個人情報の取扱い",
        _ => "その他",
    }
}

/// Whether a KPI is informational (the plan gives it no target by design),
/// whatever its status (it may have no data).
pub fn is_info(k: &KpiFigure, plan: &Plan) -> bool {
    k.status == Status::Info || plan.kpi(&k.id).is_some_and(|p| p.direction == Direction::Info)
}

/// KPIs grouped by seed section in the seed's order; informational KPIs
/// (no target) form a last group of their own. Shared by the HTML and Excel
/// writers so both show the same order.
pub fn kpi_groups<'a>(kpis: &'a [KpiFigure], plan: &Plan) -> Vec<(&'static str, Vec<&'a KpiFigure>)> {
    let mut sorted: Vec<(bool, Vec<u32>, usize, &KpiFigure)> =
        kpis.iter().enumerate().map(|(i, k)| (is_info(k, plan), section_key(&k.section), i, k)).collect();
    sorted.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let mut groups: Vec<(&'static str, Vec<&KpiFigure>)> = Vec::new();
    for (info, key, _, k) in sorted {
        let heading = if info { INFO_HEADING } else { group_heading(key[0]) };
        match groups.last_mut() {
            Some((h, list)) if *h == heading => list.push(k),
            _ => groups.push((heading, vec![k])),
        }
    }
    groups
}

/// One line of a plan group: a KPI, or a commitment of the plan with no count.
#[derive(Debug, Clone, Copy)]
pub enum PlanEntry<'a> {
    Kpi(&'a KpiFigure),
    Item(&'a PlanItem),
}

/// The whole plan grouped by seed section: [`kpi_groups`] with the plan's
/// qualitative items ([`PlanItem`]) placed among the KPIs of their section
/// (by section in the seed's order, a KPI before an item of the same section,
/// plan order otherwise). A section with items but no KPI gets a group of
/// its own; items never join the informational group. Both writers show
/// this order.
pub fn plan_groups<'a>(kpis: &'a [KpiFigure], plan: &'a Plan) -> Vec<(&'static str, Vec<PlanEntry<'a>>)> {
    let mut groups: Vec<(&'static str, Vec<PlanEntry<'a>>)> = kpi_groups(kpis, plan)
        .into_iter()
        .map(|(h, list)| (h, list.into_iter().map(PlanEntry::Kpi).collect()))
        .collect();
    for item in &plan.items {
        let key = section_key(&item.section);
        let heading = group_heading(key[0]);
        let at = match groups.iter().position(|(h, _)| *h == heading) {
            Some(i) => i,
            None => {
                // Before the first group of a later section (or the info group).
                let i = groups
                    .iter()
                    .position(|(h, _)| *h == INFO_HEADING || heading_rank(h) > key[0])
                    .unwrap_or(groups.len());
                groups.insert(i, (heading, Vec::new()));
                i
            }
        };
        let list = &mut groups[at].1;
        // After every entry whose section sorts at or before the item's.
        let pos = list
            .iter()
            .rposition(|e| match e {
                PlanEntry::Kpi(k) => section_key(&k.section) <= key,
                PlanEntry::Item(i) => section_key(&i.section) <= key,
            })
            .map_or(0, |p| p + 1);
        list.insert(pos, PlanEntry::Item(item));
    }
    groups
}

/// The first section number of a group heading (`99` for その他).
fn heading_rank(heading: &str) -> u32 {
    (1..=6).find(|n| group_heading(*n) == heading).unwrap_or(99)
}

/// The word and colour class of a plan item's status (`－` when none).
pub fn item_status(s: Option<ItemStatus>) -> (&'static str, &'static str) {
    match s {
        Some(ItemStatus::Done) => (ItemStatus::Done.label_ja(), "good"),
        Some(ItemStatus::InProgress) => (ItemStatus::InProgress.label_ja(), "info"),
        Some(st @ (ItemStatus::NotStarted | ItemStatus::NotApplicable)) => (st.label_ja(), "muted"),
        None => (DASH, ""),
    }
}

/// `読込` / `対象外` / `読めない` / `重複`.
pub fn file_status_label(o: &FileOutcome) -> &'static str {
    match o {
        FileOutcome::Read { .. } => "読込",
        FileOutcome::Skipped { .. } => "対象外",
        FileOutcome::Unreadable { .. } => "読めない",
        FileOutcome::Duplicate { .. } => "重複（同一内容）",
    }
}

/// The status id used in kpis.json (`read`, `skipped`, `unreadable`, `duplicate`).
pub fn file_status_key(o: &FileOutcome) -> &'static str {
    match o {
        FileOutcome::Read { .. } => "read",
        FileOutcome::Skipped { .. } => "skipped",
        FileOutcome::Unreadable { .. } => "unreadable",
        FileOutcome::Duplicate { .. } => "duplicate",
    }
}

/// What to say about a file besides its status (cleaned workbook text).
pub fn file_note(o: &FileOutcome) -> String {
    match o {
        FileOutcome::Read { sheets } => format!("{sheets}シート"),
        FileOutcome::Skipped { reason } | FileOutcome::Unreadable { reason } => clean_owned(reason),
        FileOutcome::Duplicate { of } => format!("{} と同じ内容のため1回だけ集計", clean(of)),
    }
}

/// First 12 hex digits of a SHA-256 (enough to tell files apart by eye).
pub fn sha_short(f: &InputFile) -> String {
    f.sha256.as_deref().map(|s| s.chars().take(12).collect()).unwrap_or_default()
}

/// Days elapsed (inclusive) and days in the year.
pub fn elapsed_days(fy: FiscalYear, as_of: NaiveDate) -> (i64, i64) {
    let days = ((as_of - fy.start()).num_days() + 1).clamp(0, fy.days());
    (days, fy.days())
}

/// A recognised sheet (it has a dataset) rather than an ignored one.
pub fn is_recognised(s: &SheetReport) -> bool {
    s.dataset.is_some()
}

// ---- view structs (what the templates see) -------------------------------------

/// The ministry report; also the first part of the center report.
#[derive(Debug, Serialize)]
pub struct ReportView {
    /// 厚生労働省 / 中央技能振興センター.
    pub addressee: String,
    /// `令和5年度 …推進計画 進捗状況報告`.
    pub title: String,
    pub plan_name: String,
    pub corner: String,
    /// `令和5年度（2023年度）`.
    pub fiscal_year: String,
    /// `2023年10月31日（令和5年10月31日）現在`.
    pub as_of: String,
    pub as_of_iso: String,
    /// `58.5%（214日／366日）`.
    pub elapsed: String,
    pub generated_at: String,
    pub generator: String,
    /// One sentence summing up the statuses.
    pub status_sentence: String,
    pub status_counts: Vec<StatusCountView>,
    pub kpi_groups: Vec<KpiGroupView>,
    pub monthly: Vec<MonthlyView>,
    pub dispatch_mix: BreakdownView,
    /// Whether the plan has items without a count (the KPI table then explains them).
    pub has_items: bool,
    /// Dated events of the year: the SVG timeline and its table.
    pub timeline: TimelineView,
}

/// The fiscal-year timeline: an inline SVG and the same events as a table.
#[derive(Debug, Serialize)]
pub struct TimelineView {
    /// Inline SVG generated by `svg.rs` (all its text escaped there).
    pub svg: String,
    pub rows: Vec<TimelineRowView>,
}

#[derive(Debug, Serialize)]
pub struct StatusCountView {
    pub label: String,
    pub class: String,
    pub count: String,
}

#[derive(Debug, Serialize)]
pub struct KpiGroupView {
    pub heading: String,
    /// KPIs and plan items in section order; exactly one of each entry's
    /// fields is set.
    pub rows: Vec<GroupRowView>,
}

/// A line of a KPI group: a KPI or a plan item.
#[derive(Debug, Serialize)]
pub struct GroupRowView {
    pub kpi: Option<KpiRowView>,
    pub item: Option<PlanItemView>,
}

/// A commitment of the plan with no count, as the plan file states it.
#[derive(Debug, Serialize)]
pub struct PlanItemView {
    pub section: String,
    pub text: String,
    /// 未着手 / 実施中 / 実施済 / 該当なし, or `－`.
    pub status: String,
    /// Colour class of the status (empty when there is none).
    pub status_class: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct KpiRowView {
    pub id: String,
    pub label: String,
    pub section: String,
    pub unit: String,
    pub target: String,
    pub actual: String,
    pub achievement: String,
    pub expected: String,
    pub status: String,
    pub status_class: String,
    pub forecast: String,
}

/// One headline KPI month by month, with its chart.
#[derive(Debug, Serialize)]
pub struct MonthlyView {
    pub kpi_id: String,
    pub label: String,
    pub unit: String,
    pub target: String,
    pub months: Vec<String>,
    pub actual: Vec<String>,
    pub cumulative_actual: Vec<String>,
    pub cumulative_plan: Vec<String>,
    /// Cumulative actual minus cumulative plan.
    pub difference: Vec<String>,
    /// Inline SVG generated by `svg.rs` (all its text escaped there).
    pub svg: String,
}

#[derive(Debug, Serialize)]
pub struct BreakdownView {
    pub title: String,
    pub key_heading: String,
    pub note: String,
    pub rows: Vec<BreakdownRowView>,
    pub total: BreakdownRowView,
}

#[derive(Debug, Serialize)]
pub struct BreakdownRowView {
    pub key: String,
    pub meister_sessions: String,
    pub meister_trainees: String,
    pub skilled_sessions: String,
    pub skilled_trainees: String,
    pub total_sessions: String,
    pub share: String,
}

/// The center report: the ministry report plus one field per extra section.
#[derive(Debug, Serialize)]
pub struct CenterView {
    pub report: ReportView,
    pub by_trade: BreakdownView,
    pub by_region: BreakdownView,
    pub visits: VisitsView,
    pub meisters: MeistersView,
    pub entries: EntriesView,
    pub findings: FindingsView,
    pub after_as_of: LaterView,
    pub quality: QualityView,
}

/// Coordinator visits by region and month.
#[derive(Debug, Serialize)]
pub struct VisitsView {
    pub months: Vec<String>,
    pub rows: Vec<VisitRowView>,
    pub total: VisitRowView,
}

#[derive(Debug, Serialize)]
pub struct VisitRowView {
    pub region: String,
    pub months: Vec<String>,
    pub total: String,
}

/// Meister activity by number (never by name).
#[derive(Debug, Serialize)]
pub struct MeistersView {
    pub summary: String,
    pub rows: Vec<MeisterRowView>,
    pub more: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MeisterRowView {
    pub meister_no: String,
    pub trade: String,
    pub certified_on: String,
    pub trained_on: String,
    pub sessions: String,
    pub trainees: String,
    pub outreach_events: String,
    pub last_activity: String,
    /// 登録中 / 登録解除 / 台帳になし.
    pub registry: String,
    /// Set when the meister needs attention (a short reason).
    pub flag: String,
}

/// Competition entries by event, trade and organisation type.
#[derive(Debug, Serialize)]
pub struct EntriesView {
    pub rows: Vec<EntryRowView>,
    pub total: EntryRowView,
    pub withdrawal_rate: String,
}

#[derive(Debug, Serialize)]
pub struct EntryRowView {
    pub event: String,
    pub trade: String,
    pub org_type: String,
    pub competitors: String,
    pub instructors: String,
    pub withdrawn: String,
}

#[derive(Debug, Serialize)]
pub struct TimelineRowView {
    pub date: String,
    pub label: String,
    pub kind: String,
    /// 実施 / 予定 / 大会日 / 期限日 / 未実施.
    pub state: String,
    pub state_class: String,
}

/// Rule findings, one block per rule with its records.
#[derive(Debug, Serialize)]
pub struct FindingsView {
    pub count: String,
    pub rules: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub title: String,
    pub section: String,
    pub count: String,
    /// Which columns this rule's records fill (the others are left out).
    pub has_place: bool,
    pub has_meister: bool,
    pub has_date: bool,
    pub items: Vec<FindingItemView>,
    pub more: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FindingItemView {
    /// `file / sheet / 行 n`, or empty.
    pub place: String,
    pub meister_no: String,
    pub date: String,
    pub detail: String,
}

/// Rows dated after the as-of date (not counted), one line per sheet: the
/// HTML report summarises them (a whole year of rows ahead would fill pages);
/// center.xlsx lists every row.
#[derive(Debug, Serialize)]
pub struct LaterView {
    pub count: String,
    pub rows: Vec<LaterRowView>,
}

#[derive(Debug, Serialize)]
pub struct LaterRowView {
    pub dataset: String,
    pub file: String,
    pub sheet: String,
    /// Row numbers as ranges: `3〜38、41`.
    pub rows: String,
    /// How many rows.
    pub count: String,
    /// `2023年11月2日` or `2023年11月2日〜2024年3月15日`.
    pub dates: String,
}

/// The data-quality appendix.
#[derive(Debug, Serialize)]
pub struct QualityView {
    pub summary: Vec<LabelValue>,
    /// `true` when every recognised sheet reconciles.
    pub reconciles: bool,
    pub unreconciled: Vec<String>,
    pub rejected: Vec<RejectedView>,
    pub rejected_more: Option<String>,
    pub ignored_sheets: Vec<IgnoredSheetView>,
    pub problem_files: Vec<FileView>,
}

#[derive(Debug, Serialize)]
pub struct LabelValue {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct RejectedView {
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub dataset: String,
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct IgnoredSheetView {
    pub file: String,
    pub sheet: String,
    pub hidden: bool,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct FileView {
    pub file: String,
    pub status: String,
    pub note: String,
}

// ---- building ------------------------------------------------------------------

/// Who a report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Ministry,
    Center,
}

impl Audience {
    pub fn addressee(self) -> &'static str {
        match self {
            Audience::Ministry => "厚生労働省",
            Audience::Center => "中央技能振興センター",
        }
    }
}

/// The report title: `令和5年度 若年技能者人材育成支援等委託事業 進捗状況報告`.
pub fn report_title(input: &ReportInput) -> String {
    format!("{} 進捗状況報告", input.plan.name.trim())
}

/// `2023年10月31日（令和5年10月31日）現在`.
pub fn as_of_line(as_of: NaiveDate) -> String {
    format!("{}現在", date_prose(as_of))
}

/// `58.5%（214日／366日）`.
pub fn elapsed_line(input: &ReportInput) -> String {
    let f = input.figures;
    let (days, total) = elapsed_days(f.fiscal_year, f.as_of);
    format!("{}（{}日／{}日）", fmt_pct(Some(f.elapsed_fraction)), days, total)
}

/// The generator's name and version, shown in footers.
pub fn generator() -> String {
    format!("corner-kpi {}", env!("CARGO_PKG_VERSION"))
}

impl ReportView {
    pub fn build(input: &ReportInput, audience: Audience) -> ReportView {
        let f = input.figures;
        let fy = f.fiscal_year;
        let kpi_groups = plan_groups(&f.kpis, input.plan)
            .into_iter()
            .map(|(heading, entries)| KpiGroupView {
                heading: heading.to_string(),
                rows: entries
                    .into_iter()
                    .map(|e| match e {
                        PlanEntry::Kpi(k) => GroupRowView { kpi: Some(kpi_row(k)), item: None },
                        PlanEntry::Item(i) => GroupRowView { kpi: None, item: Some(item_row(i)) },
                    })
                    .collect(),
            })
            .collect();
        let (status_counts, status_sentence) = status_summary(&f.kpis);
        ReportView {
            addressee: audience.addressee().to_string(),
            title: report_title(input),
            plan_name: input.plan.name.clone(),
            corner: input.plan.corner.clone(),
            fiscal_year: format!("{}（{}年度）", fy.label_ja(), fy.year()),
            as_of: as_of_line(f.as_of),
            as_of_iso: f.as_of.to_string(),
            elapsed: elapsed_line(input),
            generated_at: fmt_datetime_ja(input.generated_at),
            generator: generator(),
            status_sentence,
            status_counts,
            kpi_groups,
            monthly: f.monthly.iter().map(|m| monthly_view(m, fy, f.as_of)).collect(),
            dispatch_mix: breakdown_view(
                "派遣先区分別の派遣実績",
                "派遣先区分",
                "年度当初から基準日までの派遣（ものづくりマイスター・熟練技能者等）を派遣先区分ごとに集計。",
                &f.dispatch_mix,
            ),
            has_items: !input.plan.items.is_empty(),
            timeline: timeline_view(input),
        }
    }
}

fn item_row(i: &PlanItem) -> PlanItemView {
    let (status, class) = item_status(i.status);
    PlanItemView {
        section: clean_owned(&i.section),
        text: clean_owned(&i.text),
        status: status.to_string(),
        status_class: class.to_string(),
        note: i.note.as_deref().map(clean_owned).unwrap_or_default(),
    }
}

fn kpi_row(k: &KpiFigure) -> KpiRowView {
    KpiRowView {
        id: k.id.clone(),
        label: k.label.clone(),
        section: k.section.clone(),
        unit: k.unit.clone(),
        target: fmt_count(k.target),
        actual: fmt_count(k.actual),
        achievement: fmt_pct(k.achievement),
        expected: fmt_dec1(k.expected_to_date),
        status: k.status.label_ja().to_string(),
        status_class: status_class(k.status).to_string(),
        forecast: fmt_dec1(k.forecast),
    }
}

/// Counts per status (every KPI) and one sentence about the KPIs that have
/// a target.
pub fn status_summary(kpis: &[KpiFigure]) -> (Vec<StatusCountView>, String) {
    let mut counts = Vec::new();
    let mut parts = Vec::new();
    let with_target: Vec<&KpiFigure> = kpis.iter().filter(|k| k.target.is_some()).collect();
    for s in STATUS_ORDER {
        let n = kpis.iter().filter(|k| k.status == s).count();
        if n > 0 {
            counts.push(StatusCountView {
                label: s.label_ja().to_string(),
                class: status_class(s).to_string(),
                count: fmt_int(n as i64),
            });
        }
        let t = with_target.iter().filter(|k| k.status == s).count();
        if t > 0 {
            parts.push(format!("{} {}", s.label_ja(), t));
        }
    }
    let sentence = format!(
        "目標を定めた{}指標の状況：{}。",
        with_target.len(),
        if parts.is_empty() { "該当なし".to_string() } else { parts.join("、") }
    );
    (counts, sentence)
}

fn monthly_view(m: &MonthlySeries, fy: FiscalYear, as_of: NaiveDate) -> MonthlyView {
    let cell = |x: Option<f64>| fmt_count(x);
    MonthlyView {
        kpi_id: m.kpi_id.clone(),
        label: m.label.clone(),
        unit: m.unit.clone(),
        target: m.target.map_or_else(|| DASH.to_string(), |t| format!("{}{}", fmt_count(Some(t)), m.unit)),
        months: m.months.iter().map(|p| month_label(p.month)).collect(),
        actual: m.months.iter().map(|p| cell(p.actual)).collect(),
        cumulative_actual: m.months.iter().map(|p| cell(p.cumulative_actual)).collect(),
        cumulative_plan: m.months.iter().map(|p| fmt_dec1(p.cumulative_plan)).collect(),
        difference: m
            .months
            .iter()
            .map(|p| match (p.cumulative_actual, p.cumulative_plan) {
                (Some(a), Some(pl)) => fmt_signed(((a - pl) * 10.0).round() / 10.0),
                _ => DASH.to_string(),
            })
            .collect(),
        svg: old_svg::cumulative_chart(m, fy, as_of),
    }
}

/// Sessions of a breakdown row (meister + skilled).
pub fn row_sessions(r: &BreakdownRow) -> i64 {
    r.meister_sessions + r.skilled_sessions
}

/// The total row of a breakdown.
pub fn breakdown_total(rows: &[BreakdownRow]) -> BreakdownRow {
    BreakdownRow {
        key: "合計".to_string(),
        meister_sessions: rows.iter().map(|r| r.meister_sessions).sum(),
        meister_trainees: rows.iter().map(|r| r.meister_trainees).sum(),
        skilled_sessions: rows.iter().map(|r| r.skilled_sessions).sum(),
        skilled_trainees: rows.iter().map(|r| r.skilled_trainees).sum(),
    }
}

/// Share of a row's sessions in the total (`None` when the total is 0).
pub fn share(r: &BreakdownRow, total: &BreakdownRow) -> Option<f64> {
    let t = row_sessions(total);
    (t > 0).then(|| row_sessions(r) as f64 / t as f64)
}

pub fn breakdown_view(title: &str, key_heading: &str, note: &str, rows: &[BreakdownRow]) -> BreakdownView {
    let total = breakdown_total(rows);
    let row = |r: &BreakdownRow| BreakdownRowView {
        key: clean_owned(&r.key),
        meister_sessions: fmt_int(r.meister_sessions),
        meister_trainees: fmt_int(r.meister_trainees),
        skilled_sessions: fmt_int(r.skilled_sessions),
        skilled_trainees: fmt_int(r.skilled_trainees),
        total_sessions: fmt_int(row_sessions(r)),
        share: fmt_pct(share(r, &total)),
    };
    BreakdownView {
        title: title.to_string(),
        key_heading: key_heading.to_string(),
        note: note.to_string(),
        rows: rows.iter().map(row).collect(),
        total: row(&total),
    }
}

impl CenterView {
    pub fn build(input: &ReportInput) -> CenterView {
        let f = input.figures;
        CenterView {
            report: ReportView::build(input, Audience::Center),
            by_trade: breakdown_view("職種別の派遣実績", "職種", "派遣回数の多い順。", &f.by_trade),
            by_region: breakdown_view("地区別の派遣実績", "地区", "", &f.by_region),
            visits: visits_view(input),
            meisters: meisters_view(input),
            entries: entries_view(input),
            findings: findings_view(input),
            after_as_of: later_view(input),
            quality: quality_view(input),
        }
    }
}

/// `2023年11月2日`.
pub fn fmt_date_ja(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2023/10/27` (dense tables); `－` for none.
fn opt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| DASH.to_string(), |d| d.format("%Y/%m/%d").to_string())
}

/// Where a meister stands in the registry.
pub fn registry_label(m: &MeisterActivity) -> &'static str {
    if !m.in_registry {
        "台帳になし"
    } else if m.deregistered_on.is_some() {
        "登録解除"
    } else {
        "登録中"
    }
}

/// Why a meister needs attention, or an empty string: activity without a
/// registry entry, or instruction without the 指導技法等講習 (seed 3(2)).
pub fn meister_flag(m: &MeisterActivity) -> String {
    let mut flags = Vec::new();
    if !m.in_registry && (m.sessions > 0 || m.outreach_events > 0) {
        flags.push("台帳に番号なし");
    }
    if m.in_registry && m.sessions > 0 && m.trained_on.is_none() {
        flags.push("講習未受講で指導");
    }
    flags.join("・")
}

fn visits_view(input: &ReportInput) -> VisitsView {
    let f = input.figures;
    let rows: Vec<VisitRowView> = f
        .visits_by_region
        .iter()
        .map(|r| VisitRowView {
            region: clean_owned(&r.region),
            months: visit_months(&r.months, f.fiscal_year, f.as_of),
            total: fmt_int(r.total),
        })
        .collect();
    let mut sums = vec![0i64; 12];
    for r in &f.visits_by_region {
        for (i, n) in r.months.iter().enumerate().take(12) {
            sums[i] += n;
        }
    }
    VisitsView {
        months: f.fiscal_year.months().iter().map(|&(_, m)| month_label(m)).collect(),
        rows,
        total: VisitRowView {
            region: "合計".to_string(),
            months: visit_months(&sums, f.fiscal_year, f.as_of),
            total: fmt_int(f.visits_by_region.iter().map(|r| r.total).sum()),
        },
    }
}

/// Monthly counts, `－` for months after the as-of date.
fn visit_months(months: &[i64], fy: FiscalYear, as_of: NaiveDate) -> Vec<String> {
    fy.months()
        .iter()
        .enumerate()
        .map(|(i, &(y, m))| {
            let started = NaiveDate::from_ymd_opt(y, m, 1).is_some_and(|d| d <= as_of);
            if started { fmt_int(months.get(i).copied().unwrap_or(0)) } else { DASH.to_string() }
        })
        .collect()
}

fn meisters_view(input: &ReportInput) -> MeistersView {
    let list = &input.figures.meister_activity;
    let registered = list.iter().filter(|m| m.in_registry && m.deregistered_on.is_none()).count();
    let active = list.iter().filter(|m| m.sessions > 0 || m.outreach_events > 0).count();
    MeistersView {
        summary: format!(
            "登録中 {} 名のうち、今年度に派遣・魅力発信で活動したのは {} 名（台帳にない番号を含む）。",
            fmt_int(registered as i64),
            fmt_int(active as i64)
        ),
        rows: list
            .iter()
            .take(HTML_ROW_LIMIT)
            .map(|m| MeisterRowView {
                meister_no: clean_owned(&m.meister_no),
                trade: m.trade.as_deref().map_or_else(|| DASH.to_string(), clean_owned),
                certified_on: opt_date(m.certified_on),
                trained_on: opt_date(m.trained_on),
                sessions: fmt_int(m.sessions),
                trainees: fmt_int(m.trainees),
                outreach_events: fmt_int(m.outreach_events),
                last_activity: opt_date(m.last_activity),
                registry: registry_label(m).to_string(),
                flag: meister_flag(m),
            })
            .collect(),
        more: more_line(list.len(), "center.xlsx"),
    }
}

fn entries_view(input: &ReportInput) -> EntriesView {
    let list = &input.figures.competition_entries;
    let row = |e: &EntryRow| EntryRowView {
        event: clean_owned(&e.event),
        trade: clean_owned(&e.trade),
        org_type: clean_owned(&e.org_type),
        competitors: fmt_int(e.competitors),
        instructors: fmt_int(e.instructors),
        withdrawn: fmt_int(e.withdrawn),
    };
    let total = EntryRow {
        event: "合計".to_string(),
        trade: String::new(),
        org_type: String::new(),
        competitors: list.iter().map(|e| e.competitors).sum(),
        instructors: list.iter().map(|e| e.instructors).sum(),
        withdrawn: list.iter().map(|e| e.withdrawn).sum(),
    };
    let all = total.competitors + total.instructors + total.withdrawn;
    EntriesView {
        rows: list.iter().map(row).collect(),
        withdrawal_rate: fmt_pct((all > 0).then(|| total.withdrawn as f64 / all as f64)),
        total: row(&total),
    }
}

/// The Japanese name of a timeline event's kind.
pub fn timeline_kind(kind: &str) -> &str {
    match kind {
        "competition" => "競技大会",
        "council" => "連携会議",
        "training" => "講習会",
        other => other,
    }
}

/// Where a timeline event stands at the as-of date. Only records make an
/// event 実施: a competition's date is the plan's, so once it has passed it
/// is shown as 大会日 (the qualifier's deadline as 期限日), never as held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineState {
    /// A council meeting or training session in the records.
    Held,
    /// A date still to come.
    Planned,
    /// A competition day of the plan that has passed.
    PlanDate,
    /// A deadline of the plan (技能五輪県予選（実施期限）) that has passed.
    Deadline,
    /// A planned due date that passed with no record.
    Missed,
}

impl TimelineState {
    /// The word shown next to the event.
    pub fn label(self) -> &'static str {
        match self {
            TimelineState::Held => "実施",
            TimelineState::Planned => "予定",
            TimelineState::PlanDate => "大会日",
            TimelineState::Deadline => "期限日",
            TimelineState::Missed => "未実施",
        }
    }

    /// Colour class (the word is always shown too).
    pub fn class(self) -> &'static str {
        match self {
            TimelineState::Held => "good",
            TimelineState::Planned => "muted",
            TimelineState::PlanDate | TimelineState::Deadline => "info",
            TimelineState::Missed => "bad",
        }
    }
}

/// The state of an event at `as_of` (see [`TimelineState`]).
pub fn timeline_state(e: &TimelineEvent, as_of: NaiveDate) -> TimelineState {
    let past = e.date <= as_of;
    match (e.kind, e.planned, past) {
        (_, _, false) => TimelineState::Planned,
        ("competition", _, true) if e.label.contains("期限") => TimelineState::Deadline,
        ("competition", _, true) => TimelineState::PlanDate,
        (_, false, true) => TimelineState::Held,
        (_, true, true) => TimelineState::Missed,
    }
}

fn timeline_view(input: &ReportInput) -> TimelineView {
    let f = input.figures;
    let rows = f
        .timeline
        .iter()
        .map(|e: &TimelineEvent| {
            let state = timeline_state(e, f.as_of);
            TimelineRowView {
                date: fmt_date_ja(e.date),
                label: clean_owned(&e.label),
                kind: timeline_kind(e.kind).to_string(),
                state: state.label().to_string(),
                state_class: state.class().to_string(),
            }
        })
        .collect();
    TimelineView { svg: old_svg::timeline_chart(&f.timeline, f.fiscal_year, f.as_of), rows }
}

/// `file / sheet / 行 n` of a finding's record (empty when it has none).
pub fn finding_place(i: &FindingItem) -> String {
    let mut parts = Vec::new();
    if let Some(f) = &i.file {
        parts.push(clean_owned(f));
    }
    if let Some(s) = &i.sheet {
        parts.push(clean_owned(s));
    }
    if let Some(r) = i.row {
        parts.push(format!("{r}行目"));
    }
    parts.join(" / ")
}

fn findings_view(input: &ReportInput) -> FindingsView {
    let list = &input.figures.findings;
    FindingsView {
        count: fmt_int(list.iter().map(|f| f.count as i64).sum()),
        rules: list
            .iter()
            .map(|f| FindingView {
                title: clean_owned(&f.title),
                section: f.section.to_string(),
                count: fmt_int(f.count as i64),
                has_place: f.items.iter().any(|i| i.file.is_some() || i.sheet.is_some()),
                has_meister: f.items.iter().any(|i| i.meister_no.is_some()),
                has_date: f.items.iter().any(|i| i.date.is_some()),
                items: f
                    .items
                    .iter()
                    .take(HTML_ROW_LIMIT)
                    .map(|i| FindingItemView {
                        place: finding_place(i),
                        meister_no: i.meister_no.as_deref().map_or_else(String::new, clean_owned),
                        date: i.date.map_or_else(String::new, fmt_date_ja),
                        detail: clean_owned(&i.detail),
                    })
                    .collect(),
                more: more_line(f.items.len(), "center.xlsx"),
            })
            .collect(),
    }
}

/// `ほかN件は … を参照` when a list was cut at [`HTML_ROW_LIMIT`].
fn more_line(total: usize, workbook: &str) -> Option<String> {
    (total > HTML_ROW_LIMIT)
        .then(|| format!("ほか{}件は {workbook} を参照してください。", fmt_int((total - HTML_ROW_LIMIT) as i64)))
}

fn later_view(input: &ReportInput) -> LaterView {
    let rows = &input.figures.after_as_of;
    // One group per (dataset, file, sheet), in order of first appearance.
    let mut groups: Vec<(&crate::kpi::LaterRow, Vec<u32>, NaiveDate, NaiveDate)> = Vec::new();
    for r in rows {
        match groups.iter_mut().find(|g| g.0.dataset == r.dataset && g.0.file == r.file && g.0.sheet == r.sheet) {
            Some(g) => {
                g.1.push(r.row);
                g.2 = g.2.min(r.date);
                g.3 = g.3.max(r.date);
            }
            None => groups.push((r, vec![r.row], r.date, r.date)),
        }
    }
    LaterView {
        count: fmt_int(rows.len() as i64),
        rows: groups
            .into_iter()
            .map(|(r, nos, first, last)| LaterRowView {
                dataset: r.dataset.label_ja().to_string(),
                file: clean_owned(&r.file),
                sheet: clean_owned(&r.sheet),
                count: fmt_int(nos.len() as i64),
                rows: row_ranges(nos),
                dates: date_span_ja(first, last),
            })
            .collect(),
    }
}

/// `2023年11月6日`, `2023年11月6日〜11月30日`, `2023年12月1日〜2024年1月31日`.
pub fn date_span_ja(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        fmt_date_ja(first)
    } else if first.year() == last.year() {
        format!("{}〜{}月{}日", fmt_date_ja(first), last.month(), last.day())
    } else {
        format!("{}〜{}", fmt_date_ja(first), fmt_date_ja(last))
    }
}

/// Row numbers as ranges (`3〜38、41、45〜47`); after eight ranges the rest
/// is counted (`ほか2か所`).
pub fn row_ranges(mut rows: Vec<u32>) -> String {
    const SHOWN: usize = 8;
    rows.sort_unstable();
    rows.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for r in rows {
        match ranges.last_mut() {
            Some(last) if last.1 + 1 == r => last.1 = r,
            _ => ranges.push((r, r)),
        }
    }
    let mut parts: Vec<String> =
        ranges.iter().take(SHOWN).map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}〜{b}") }).collect();
    if ranges.len() > SHOWN {
        parts.push(format!("ほか{}か所", ranges.len() - SHOWN));
    }
    parts.join("、")
}

/// Summary counts of the data-quality ledger, shared by the HTML appendix and
/// the 概要 sheets of center.xlsx and data-quality.xlsx.
pub fn quality_summary(input: &ReportInput) -> Vec<(String, i64)> {
    let q = input.quality;
    let files = |pred: fn(&FileOutcome) -> bool| q.files.iter().filter(|f| pred(&f.outcome)).count() as i64;
    let recognised = q.sheets.iter().filter(|s| is_recognised(s)).count() as i64;
    vec![
        ("フォルダ内のファイル".to_string(), q.files.len() as i64),
        ("読み込んだブック".to_string(), files(|o| matches!(o, FileOutcome::Read { .. }))),
        ("読めなかったブック".to_string(), files(|o| matches!(o, FileOutcome::Unreadable { .. }))),
        ("対象外のファイル".to_string(), files(|o| matches!(o, FileOutcome::Skipped { .. }))),
        ("同一内容の重複ファイル".to_string(), files(|o| matches!(o, FileOutcome::Duplicate { .. }))),
        ("集計対象として認識したシート".to_string(), recognised),
        ("対象外のシート".to_string(), q.sheets.len() as i64 - recognised),
        ("読み込んだ行".to_string(), q.rows_read() as i64),
        ("採用した行".to_string(), q.accepted() as i64),
        ("除外した行（要修正）".to_string(), q.rejected.len() as i64),
        ("スキップした行（空行・合計行・重複）".to_string(), q.skipped() as i64),
        ("基準日より後の日付の行（集計外）".to_string(), input.figures.after_as_of.len() as i64),
    ]
}

/// `file / sheet` of each recognised sheet whose counts do not add up.
pub fn unreconciled(input: &ReportInput) -> Vec<String> {
    input
        .quality
        .sheets
        .iter()
        .filter(|s| is_recognised(s) && !s.reconciles())
        .map(|s| format!("{} / {}", clean(&s.file), clean(&s.sheet)))
        .collect()
}

fn quality_view(input: &ReportInput) -> QualityView {
    let q = input.quality;
    let unreconciled = unreconciled(input);
    QualityView {
        summary: quality_summary(input).into_iter().map(|(label, n)| LabelValue { label, value: fmt_int(n) }).collect(),
        reconciles: unreconciled.is_empty(),
        unreconciled,
        rejected: q
            .rejected
            .iter()
            .take(HTML_ROW_LIMIT)
            .map(|r| RejectedView {
                file: clean_owned(&r.file),
                sheet: clean_owned(&r.sheet),
                cell: clean_owned(&r.cell),
                dataset: r.dataset.label_ja().to_string(),
                column: clean_owned(&r.column),
                reason: clean_owned(&r.reason),
            })
            .collect(),
        rejected_more: more_line(q.rejected.len(), "data-quality.xlsx"),
        ignored_sheets: q
            .sheets
            .iter()
            .filter(|s| !is_recognised(s))
            .map(|s| IgnoredSheetView {
                file: clean_owned(&s.file),
                sheet: clean_owned(&s.sheet),
                hidden: s.hidden,
                note: s.note.as_deref().map(clean_owned).unwrap_or_default(),
            })
            .collect(),
        problem_files: q
            .files
            .iter()
            .filter(|f| !matches!(f.outcome, FileOutcome::Read { .. }))
            .map(|f| FileView {
                file: clean_owned(&f.file),
                status: file_status_label(&f.outcome).to_string(),
                note: file_note(&f.outcome),
            })
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(fmt_int(0), "0");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_int(1600), "1,600");
        assert_eq!(fmt_int(-1234567), "-1,234,567");
        assert_eq!(fmt_fixed(157.8688, 1), "157.9");
        assert_eq!(fmt_fixed(12345.25, 2), "12,345.25");
        assert_eq!(fmt_fixed(-0.01, 1), "0.0");
        assert_eq!(fmt_count(Some(270.0)), "270");
        assert_eq!(fmt_count(Some(1600.0)), "1,600");
        assert_eq!(fmt_count(Some(2.5)), "2.5");
        assert_eq!(fmt_count(None), DASH);
        assert_eq!(fmt_pct(Some(0.5593)), "55.9%");
        assert_eq!(fmt_pct(Some(1.0)), "100.0%");
        assert_eq!(fmt_signed(-6.9), "-6.9");
        assert_eq!(fmt_signed(3.0), "+3.0");
        assert_eq!(fmt_signed(0.0), "±0.0");
        assert_eq!(fmt_signed(-0.04), "±0.0");
    }

    #[test]
    fn sections_sort_in_seed_order() {
        assert_eq!(section_key("4(2)ア"), vec![4, 2, 1]);
        assert_eq!(section_key("4(2)ア①②"), vec![4, 2, 1, 1, 2]);
        assert_eq!(section_key("2(1)イ(ア)"), vec![2, 1, 2, 1]);
        assert_eq!(section_key("3(2)・3(4)"), vec![3, 2]);
        assert_eq!(section_key("個人情報(7)"), vec![6, 7]);
        assert_eq!(section_key("個人情報"), vec![6]);
        assert_eq!(section_key(""), vec![99]);
        assert!(section_key("2(1)ア(ウ)") < section_key("2(1)イ(ア)"));
        assert!(section_key("4(3)ア") < section_key("4(3)イ"));
        assert!(section_key("4(3)イ") < section_key("4(4)ア"));
    }

    #[test]
    fn kpis_group_by_section_with_info_last() {
        let fx = super::super::tests::fixture();
        let groups = kpi_groups(&fx.figures.kpis, &fx.plan);
        let headings: Vec<_> = groups.iter().map(|g| g.0).collect();
        assert_eq!(headings.first(), Some(&"2 地域における技能振興事業（技能競技大会）"));
        assert_eq!(headings.last(), Some(&INFO_HEADING));
        let total: usize = groups.iter().map(|g| g.1.len()).sum();
        assert_eq!(total, fx.figures.kpis.len());
        let four = groups.iter().find(|g| g.0.starts_with("4 ")).unwrap();
        let ids: Vec<_> = four.1.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(&ids[..2], &["dispatch.sessions", "dispatch.person_days"]);
        assert_eq!(ids.last(), Some(&"skilled.trainees"));
    }

    #[test]
    fn an_informational_kpi_without_data_stays_in_the_reference_group() {
        let mut fx = super::super::tests::fixture();
        let k = fx.figures.kpis.iter_mut().find(|k| k.id == "competition.withdrawals").unwrap();
        k.actual = None;
        k.status = Status::NoData;
        let groups = kpi_groups(&fx.figures.kpis, &fx.plan);
        let (heading, last) = groups.last().unwrap();
        assert_eq!(*heading, INFO_HEADING);
        assert!(last.iter().any(|k| k.id == "competition.withdrawals"));
    }

    #[test]
    fn plan_items_sit_among_the_kpis_of_their_section() {
        let fx = super::super::tests::fixture();
        let groups = plan_groups(&fx.figures.kpis, &fx.plan);
        let headings: Vec<_> = groups.iter().map(|g| g.0).collect();
        // The embedded plan has a 1(1)ウ item: its group comes first; info stays last.
        assert_eq!(headings.first(), Some(&"1 事業の実施体制等"));
        assert_eq!(headings.last(), Some(&INFO_HEADING));
        let items: usize = groups.iter().flat_map(|g| &g.1).filter(|e| matches!(e, PlanEntry::Item(_))).count();
        assert_eq!(items, fx.plan.items.len());
        let kpis: usize = groups.iter().flat_map(|g| &g.1).filter(|e| matches!(e, PlanEntry::Kpi(_))).count();
        assert_eq!(kpis, fx.figures.kpis.len());
        assert!(
            groups.last().unwrap().1.iter().all(|e| matches!(e, PlanEntry::Kpi(_))),
            "items never join the reference group"
        );
        // Within each group, sections stay in the seed's order.
        for (h, entries) in &groups {
            let keys: Vec<Vec<u32>> = entries
                .iter()
                .map(|e| match e {
                    PlanEntry::Kpi(k) => section_key(&k.section),
                    PlanEntry::Item(i) => section_key(&i.section),
                })
                .collect();
            if *h != INFO_HEADING {
                assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{h}: {keys:?}");
            }
        }
        // 2(2) and 2(3) follow the competition KPIs of 2(1); 3(4)エ ends group 3.
        let two = &groups.iter().find(|g| g.0.starts_with("2 ")).unwrap().1;
        let pos = |sec: &str| two.iter().position(|e| matches!(e, PlanEntry::Item(i) if i.section == sec)).unwrap();
        let last_kpi = two.iter().rposition(|e| matches!(e, PlanEntry::Kpi(_))).unwrap();
        assert!(pos("2(2)") > last_kpi && pos("2(3)") > pos("2(2)"));
        let three = &groups.iter().find(|g| g.0.starts_with("3 ")).unwrap().1;
        assert!(matches!(three.last().unwrap(), PlanEntry::Item(i) if i.section == "3(4)エ"));
    }

    #[test]
    fn a_section_without_kpis_gets_its_own_group_in_seed_order() {
        let mut fx = super::super::tests::fixture();
        fx.plan.items =
            vec![PlanItem { section: "6(1)".into(), text: "新しい取組".into(), status: None, note: None }];
        let groups = plan_groups(&fx.figures.kpis, &fx.plan);
        let headings: Vec<_> = groups.iter().map(|g| g.0).collect();
        let at = headings.iter().position(|h| *h == "個人情報等の適切な取扱い").unwrap();
        assert_eq!(headings[at - 1], "5 連携会議の設置・運営");
        assert!(groups[at].1.iter().any(|e| matches!(e, PlanEntry::Item(i) if i.text == "新しい取組")));
        assert_eq!(item_status(None), (DASH, ""));
        assert_eq!(item_status(Some(ItemStatus::Done)), ("実施済", "good"));
    }

    #[test]
    fn a_passed_competition_day_is_a_plan_date_never_held() {
        let as_of = NaiveDate::from_ymd_opt(2023, 10, 31).unwrap();
        let ev = |y, m, d, label: &str, kind: &'static str, planned| TimelineEvent {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            label: label.into(),
            kind,
            planned,
        };
        let youth = ev(2023, 8, 2, "若年者ものづくり競技大会", "competition", false);
        assert_eq!(timeline_state(&youth, as_of), TimelineState::PlanDate);
        assert_eq!(TimelineState::PlanDate.label(), "大会日");
        let qualifier = ev(2023, 9, 30, "技能五輪県予選（実施期限）", "competition", false);
        assert_eq!(timeline_state(&qualifier, as_of), TimelineState::Deadline);
        let national = ev(2023, 11, 21, "技能五輪全国大会", "competition", true);
        assert_eq!(timeline_state(&national, as_of), TimelineState::Planned);
        let council = ev(2023, 6, 20, "連携会議 第1回", "council", false);
        assert_eq!(timeline_state(&council, as_of), TimelineState::Held);
        let missed = ev(2023, 9, 30, "指導技法等講習会（予定期限）", "training", true);
        assert_eq!(timeline_state(&missed, as_of), TimelineState::Missed);
        assert_eq!(TimelineState::Missed.label(), "未実施");
    }

    #[test]
    fn later_rows_are_summarised_as_row_ranges() {
        assert_eq!(row_ranges(vec![5, 3, 4, 9, 12, 11]), "3〜5、9、11〜12");
        assert_eq!(row_ranges(vec![7]), "7");
        let many: Vec<u32> = (0..10).map(|i| i * 3).collect();
        assert!(row_ranges(many).ends_with("ほか2か所"));
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(date_span_ja(d(2023, 11, 6), d(2023, 11, 6)), "2023年11月6日");
        assert_eq!(date_span_ja(d(2023, 11, 6), d(2023, 11, 30)), "2023年11月6日〜11月30日");
        assert_eq!(date_span_ja(d(2023, 12, 1), d(2024, 1, 31)), "2023年12月1日〜2024年1月31日");
    }

    #[test]
    fn the_status_sentence_counts_only_kpis_with_a_target() {
        let fx = super::super::tests::fixture();
        let (_, sentence) = status_summary(&fx.figures.kpis);
        let with_target = fx.figures.kpis.iter().filter(|k| k.target.is_some()).count();
        assert!(sentence.starts_with(&format!("目標を定めた{with_target}指標の状況：")), "{sentence}");
        let counted: usize = sentence
            .trim_end_matches('。')
            .split('：')
            .nth(1)
            .unwrap()
            .split('、')
            .map(|p| p.rsplit(' ').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(counted, with_target);
    }
}
