//! Builds the sample records and the workbook layouts that hold them, in one
//! pass, from a fixed seed: every record gets its place (file, sheet, row)
//! from the very layout the writers turn into bytes, so the ground truth and
//! the files cannot drift apart.
//!
//! Rows a user must fix (rejected, each carrying what it would have meant):
//! - 上期 9月: 実施日 `2023/9/31` (impossible; record holds 2023-09-30) and
//!   `9月中旬` (free text; record holds 2023-09-15);
//! - 上期 7月: 受講者数 `-2` (record holds 2, the sign a typo);
//! - 下期 11月: 派遣先種別 `NPO` (unknown label; record holds 業界団体);
//! - 下期 12月: 職種 blank (record holds the meister's trade);
//! - 下期 1月: 受講者数 `3.5` (fractional; record holds 4);
//! - outreach: 発信区分 `義務教育学校` (unknown label; record holds 小中学校等);
//! - visits 下期: 訪問日 `令和5年11月31日` (impossible; record holds 2023-11-30);
//! - competitions 技能五輪全国大会: 参加区分 `補助員` (unknown; record holds 指導者);
//! - 過年度 技能五輪 list: 参加区分 `コーチ` (last year's: listed apart).
//!
//! Numbering: both years' 派遣番号 start at `001` (FY2022 in the 過年度
//! book, `001`–`080`; FY2023 across 上期, 下期 and the 技能継承講座 `.ods`),
//! so most numbers occur in both years: two sessions, each counted in its
//! own year. FY2022 `001` repeats FY2023 `001` in everything but 実施日 (an
//! annual request); the two late FY2022 rows at the top of 上期 4月 carry
//! FY2022's next numbers (`081`, `082`), which FY2023 uses too.
//!
//! Repeats within one fiscal year (`Fate::Duplicate`, `Fate::Conflict`):
//! - duplicates (counted fields equal, skipped): the first row of 上期 6月
//!   repeats the last numbered row of 5月; one 下期 11月 row is entered twice
//!   in a row;
//! - a 派遣番号 conflict (rejected at the number): 下期 2月 opens with 1月's
//!   last meister session typed again with another 受講者数 (and 時間, which
//!   is not a counted field);
//! - a 認定番号 conflict: the registry's last row repeats 35-018 with its
//!   地区 filled in (the first row, kept, left it blank).
//!
//! Warnings (accepted rows, counted; see `expected_warnings`):
//! - 下期 10月: 時間 `2時間程度` (unreadable optional value, left empty);
//! - 上期 4月: the two late FY2022 rows, dated outside the sheet's FY2023.
//!
//! Merged data cells: 上期 7月 実施日 over a 午前/午後 pair (`.xlsx`); in
//! the 技能継承講座 `.ods`, 区分 (熟練技能者, 熟練技能者等) and 講座名 down
//! each course (4 rows and 2 rows), 実施日 over the two sessions of one day.
//!
//! Office conventions (`conventions.rs`; rows added at the end of a month's
//! sheet unless said otherwise, so no other row moves):
//! - not held (`Fate::NotHeld`, listed at the cell named): 上期 7月 a row
//!   two working days before a held session, same 派遣番号, 備考
//!   「延期→7/d」 (備考 cell); 上期 8月 実施日 「中止」 (date cell); 下期 10月
//!   状況 「予定」 dated 2023-10-27, past at both as-of dates (状況 cell; a
//!   planned_past_date check at 2023-10-31 and 2024-03-31); 下期 11月 状況
//!   「中止」 on 2023-11-21 (the session made up in December); 下期 12月 a
//!   session typed twice, the copy struck through whole (.xlsx, its first
//!   matched cell); 下期 3月 状況 「予定」 dated 2024-03-28 (in the future
//!   at 2023-10-31; a planned_past_date check at 2024-03-31 only);
//!   魅力発信 `.ods` a サポステ programme with 参加者数 0 on 2023-09-28 (the
//!   count's cell, and a zero_attendance check) and a school event of
//!   2023-12-21 struck through whole (`.ods` cell styles);
//! - over several days: 上期 8月 the last company session is
//!   `2023/8/31〜9/1` (a session in August and one in September); 下期 2月
//!   the first company session has 日数 3 (three sessions, 3 × 受講者数);
//!   the 魅力発信 event at 防府市立華城小学校 has 日数 2 (one 回, twice its
//!   participants in person-days);
//! - counted, to check: 上期 9月 受講者数 `10（うち女性3）` (count_with_note);
//!   下期 12月 備考 「中止回の振替」 and 下期 1月 状況 「実施済」 with 備考
//!   「延期→1/d」 (remarks_word); 下期 1月 a 備考 struck through alone
//!   (partly_struck); 上期 6月 two classes of one school, equal and without a
//!   number (both count; equal_rows_in_sheet on the second);
//! - skipped: 「5月 (2)」, a copy of 上期 5月 right after it (its total row
//!   too); 派遣番号_付番依頼.xlsx pastes the 上期 5月 and 6月 rows without a
//!   派遣番号 (repeat_without_number at each);
//! - competitions: this year's book is named …_令和5年度 (the 若年者大会 and
//!   県予選 sheets have no 年度 column); 過年度/技能五輪全国大会_第60回名簿.xlsx
//!   holds last year's list, its title naming 令和4年度, no 年度 column, with
//!   one row rejected for 参加区分 「コーチ」 (listed apart as 過年度).
//!
//! One module per concern: [`sheet`] (the sheet builder every book uses),
//! [`calendar`] (working days), [`sessions`] (the dispatch sessions drawn),
//! [`dispatch_rows`] and [`dispatch`] (the dispatch workbooks), [`courses`]
//! (the 技能継承講座 `.ods`), [`conventions`], [`outreach`], [`registry`],
//! [`competitions`] and [`mixed`] (the competitions, trainings and meetings
//! workbook), [`visits`], [`incidents`]; here the seed, the file names, the
//! invented names and [`build`], which calls them in a fixed order.

mod calendar;
mod competitions;
mod conventions;
mod courses;
mod dispatch;
mod dispatch_rows;
mod incidents;
mod mixed;
mod outreach;
mod registry;
mod sessions;
mod sheet;
mod visits;

pub(crate) use calendar::workday;

use crate::data::{COORDINATORS, GIVEN, MEISTERS, SKILLED_TRADES, SURNAMES};
use crate::layout::BookLayout;
use crate::model::SampleSet;
use crate::rng::Rng;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The one seed everything derives from.
const SEED: u64 = 0x3520_2300_4B50_4931;

/// Everything the generator makes: the records and the workbooks.
pub(crate) struct Built {
    pub(crate) set: SampleSet,
    pub(crate) books: Vec<BookLayout>,
}

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid calendar date in the generator's tables")
}

fn ymd(t: (i32, u32, u32)) -> NaiveDate {
    d(t.0, t.1, t.2)
}

/// File names of the folder (relative, `/`).
pub(crate) mod files {
    pub(crate) const KAMIKI: &str = "派遣実績_令和5年度_上期.xlsx";
    pub(crate) const SHIMOKI: &str = "下期/派遣実績_R5下期.xlsx";
    pub(crate) const PRIOR: &str = "過年度/派遣実績_令和4年度.xlsx";
    pub(crate) const OUTREACH: &str = "ものづくりの魅力発信_令和5年度.ods";
    pub(crate) const COURSES: &str = "技能継承講座_令和5年度.ods";
    pub(crate) const REGISTRY: &str = "マイスター台帳.xlsx";
    pub(crate) const MIXED: &str = "競技大会・講習会・連携会議_令和5年度.xlsx";
    pub(crate) const NUMBERING: &str = "派遣番号_付番依頼.xlsx";
    pub(crate) const PAST_COMPETITION: &str = "過年度/技能五輪全国大会_第60回名簿.xlsx";
    pub(crate) const VISITS: &str = "コーディネーター訪問記録.xlsx";
    pub(crate) const INCIDENTS: &str = "個人情報インシデント.xlsx";
    pub(crate) const LOCK: &str = "~$派遣実績_令和5年度_上期.xlsx";
    pub(crate) const PDF: &str = "令和5年度推進計画.pdf";
    pub(crate) const TXT: &str = "作業メモ.txt";
    pub(crate) const README: &str = "README.md";
}

/// Invented personal names, unique across the whole folder.
struct Names {
    rng: Rng,
    used: BTreeSet<String>,
}

impl Names {
    fn new(seed: u64) -> Names {
        let used = COORDINATORS.iter().map(|(n, _)| (*n).to_string()).collect();
        Names { rng: Rng::new(seed), used }
    }

    /// `姓　名` with an ideographic space, as typed in Japanese offices.
    fn next(&mut self) -> String {
        loop {
            let s = format!("{}\u{3000}{}", self.rng.pick(SURNAMES), self.rng.pick(GIVEN));
            if self.used.insert(s.clone()) {
                return s;
            }
        }
    }
}

/// Builds everything, deterministically.
pub(crate) fn build() -> Built {
    let mut rng = Rng::new(SEED);
    let mut names = Names::new(SEED ^ 0x4E41_4D45);
    let meister_names: Vec<String> = MEISTERS.iter().map(|_| names.next()).collect();
    let skilled_names: Vec<String> = SKILLED_TRADES.iter().map(|_| names.next()).collect();

    let mut set = SampleSet::default();
    let mut books = Vec::new();

    let dispatches = dispatch::dispatch_books(&mut rng, &meister_names, &skilled_names);
    set.dispatches = dispatches.records;
    set.field_warnings = dispatches.field_warnings;
    set.check_warnings = dispatches.check_warnings;
    books.extend(dispatches.books);

    let (outreach, book) = outreach::outreach_book(&mut set.check_warnings);
    set.outreach = outreach;
    books.push(book);

    let (meisters, book) = registry::registry_book(&meister_names);
    set.meisters = meisters;
    books.push(book);

    books.push(mixed::mixed_book(&mut names, &mut rng, &mut set));
    books.push(visits::visits_book(&mut rng, &mut set));
    books.push(incidents::incidents_book(&mut set));
    // Last year's competition book, its names drawn after everyone else's.
    books.push(competitions::past_competition_book(&mut names, &mut set));
    Built { set, books }
}
