//! A national drop folder for `corner-kpi rollup` and its ground truth:
//! one sub-folder per corner (`01_北海道` … `47_沖縄`, JIS X 0401 order),
//! each with its own `plan.toml` (the embedded FY2023 plan with the
//! corner's name and its targets scaled to its size) and, per fiscal year
//! (the `years` years ending with the plan's FY2023), a folder `令和5年度/`
//! holding the year's dispatch workbook (one sheet per month) and its
//! activities workbook (outreach, training sessions, council meetings,
//! coordinator visits; the latest year's also holds the meister registry),
//! plus an Excel lock file beside the latest year's dispatch workbook.
//!
//! The mess is that of `datasets.md` (see `books.rs`): titles above the
//! header, header aliases, 和暦 and other text dates among real date
//! cells, counts as `12人`, total rows (合計, `10月計`, 計), blank rows,
//! 派遣番号 restarting at `001` every year. Every year plants two rejected
//! session rows (an unreadable 実施日, a negative 受講者数) and one session
//! entered twice (a skipped duplicate).
//!
//! Records are drawn up to [`AS_OF`] (the drop date, 2023-12-31: FY2023 has
//! nine months), so 47 corners × 10 years is 940 workbooks and about
//! 150,000 data rows. Each corner and each year has its own seed: a
//! corner's FY2023 is the same whether one year or ten are written. The
//! truth ([`NationTruth`]) is the generator's own arithmetic over the
//! records it planted, never the reader's.

mod books;
mod records;

use crate::build::d;
use chrono::{Datelike, Months, NaiveDate};
use records::{CornerRecords, Session};
use std::io;
use std::path::Path;

/// The plan's fiscal year: the latest year written.
pub const PLAN_YEAR: i32 = 2023;

/// The drop date: no record is dated after it (the as-of date of the truth
/// by default).
pub const AS_OF: (i32, u32, u32) = (2023, 12, 31);

/// The as-of date [`AS_OF`].
pub fn as_of() -> NaiveDate {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// The 47 prefectures in JIS X 0401 order (code = index + 1).
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森",
    "岩手",
    "宮城",
    "秋田",
    "山形",
    "福島",
    "茨城",
    "栃木",
    "群馬",
    "埼玉",
    "千葉",
    "東京",
    "神奈川",
    "新潟",
    "富山",
    "石川",
    "福井",
    "山梨",
    "長野",
    "岐阜",
    "静岡",
    "愛知",
    "三重",
    "滋賀",
    "京都",
    "大阪",
    "兵庫",
    "奈良",
    "和歌山",
    "鳥取",
    "島根",
    "岡山",
    "広島",
    "山口",
    "徳島",
    "香川",
    "愛媛",
    "高知",
    "福岡",
    "佐賀",
    "長崎",
    "熊本",
    "大分",
    "宮崎",
    "鹿児島",
    "沖縄",
];

/// The KPIs the generator plants records for, in plan order. Every other
/// KPI of the plan (competitions, incidents) has no sheet in the folder.
pub const PLANTED: &[&str] = &[
    "dispatch.sessions",
    "dispatch.person_days",
    "dispatch.sme_groups.sessions",
    "dispatch.schools.sessions",
    "dispatch.public.sessions",
    "skilled.sessions",
    "skilled.trainees",
    "outreach.school.sessions",
    "outreach.school.person_days",
    "outreach.saposte.places",
    "meister.new_certified",
    "training.sessions",
    "coordinator.visits",
    "council.meetings",
    "meister.inactive_3y",
    "meister.deregistered",
    "meister.untrained_dispatches",
];

/// The folder name of a corner: `35_山口`.
pub fn corner_folder(code: u8) -> String {
    format!("{code:02}_{}", prefecture(code))
}

fn prefecture(code: u8) -> &'static str {
    PREFECTURES.get(usize::from(code).wrapping_sub(1)).copied().unwrap_or("不明")
}

/// The corner's name in its plan: `山口県地域技能振興コーナー`, `東京都…`.
pub fn corner_name(code: u8) -> String {
    let p = prefecture(code);
    let suffix = match p {
        "北海道" => "",
        "東京" => "都",
        "京都" | "大阪" => "府",
        _ => "県",
    };
    format!("{p}{suffix}地域技能振興コーナー")
}

/// The fiscal years of `years` years ending with [`PLAN_YEAR`], oldest first.
pub fn fiscal_years(years: usize) -> Vec<i32> {
    let n = years.clamp(1, 30) as i32;
    (PLAN_YEAR - n + 1..=PLAN_YEAR).collect()
}

/// The fiscal year (April to March) of a date.
fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 { date.year() } else { date.year() - 1 }
}

fn fy_start(fy: i32) -> NaiveDate {
    d(fy, 4, 1)
}

fn fy_end(fy: i32) -> NaiveDate {
    d(fy + 1, 3, 31)
}

/// The day one year before (29 February → 28 February), as the reader's 前年同期.
fn year_before(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year() - 1, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(date.year() - 1, date.month(), 28))
        .unwrap_or(date)
}

/// What the generator wrote for the nation, and the figures it planted.
#[derive(Debug, Clone)]
pub struct NationTruth {
    /// The plan's fiscal year (2023).
    pub fiscal_year: i32,
    /// The drop date ([`AS_OF`]).
    pub as_of: NaiveDate,
    /// The fiscal years written, oldest first.
    pub years: Vec<i32>,
    /// In folder (prefecture) order.
    pub corners: Vec<CornerTruth>,
    /// Workbooks written (lock files and plans not counted).
    pub workbooks: usize,
    /// Data rows of all workbooks (record rows: accepted, rejected and
    /// duplicate; not titles, headers, blank or total rows).
    pub data_rows: usize,
    /// Bytes of the workbooks.
    pub bytes: u64,
}

/// One corner: where it is, what it planted, its truth.
#[derive(Debug, Clone)]
pub struct CornerTruth {
    pub code: u8,
    /// Its sub-folder (`35_山口`).
    pub folder: String,
    /// The corner's name in its plan.
    pub corner: String,
    /// Each KPI id of its plan with the target it was given.
    pub targets: Vec<(String, f64)>,
    pub workbooks: usize,
    pub data_rows: usize,
    /// Rows a reader rejects (2 per year).
    pub rejected: usize,
    /// Rows a reader skips as duplicates (1 per year).
    pub duplicates: usize,
    records: CornerRecords,
}

/// The record type a planted KPI is counted from (for 前年同期: a record
/// type with no row in the previous year gives no figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dispatches,
    Outreach,
    Registry,
    Trainings,
    Visits,
    Meetings,
}

impl CornerTruth {
    /// The target of a KPI in the corner's plan.
    pub fn target(&self, id: &str) -> Option<f64> {
        self.targets.iter().find(|(k, _)| k == id).map(|(_, t)| *t)
    }

    /// Every planted dated KPI counted from `from` to `until` (inclusive).
    fn dated(&self, from: NaiveDate, until: NaiveDate) -> Vec<(&'static str, Kind, f64)> {
        let c = &self.records;
        let within = |x: NaiveDate| x >= from && x <= until;
        let sessions: Vec<&Session> =
            c.years.iter().flat_map(|y| &y.sessions).filter(|s| s.accepted() && within(s.date)).collect();
        let meister: Vec<&&Session> = sessions.iter().filter(|s| s.meister.is_some()).collect();
        let skilled: Vec<&&Session> = sessions.iter().filter(|s| s.meister.is_none()).collect();
        let by = |dests: &[&str]| meister.iter().filter(|s| dests.contains(&s.dest.canonical())).count() as f64;
        let outreach: Vec<_> = c.years.iter().flat_map(|y| &y.outreach).filter(|o| within(o.date)).collect();
        let school: Vec<_> = outreach.iter().filter(|o| o.school).collect();
        let places: std::collections::BTreeSet<&str> =
            outreach.iter().filter(|o| !o.school).map(|o| o.place.as_str()).collect();
        let count = |n: usize| n as f64;
        let untrained = meister
            .iter()
            .filter(|s| s.meister.is_some_and(|i| c.meisters[i].trained_on.is_none_or(|t| t > s.date)))
            .count();
        use Kind::*;
        vec![
            ("dispatch.sessions", Dispatches, count(meister.len())),
            ("dispatch.person_days", Dispatches, meister.iter().map(|s| s.trainees).sum::<i64>() as f64),
            ("dispatch.sme_groups.sessions", Dispatches, by(&["中小企業", "業界団体"])),
            ("dispatch.schools.sessions", Dispatches, by(&["工業高校等"])),
            ("dispatch.public.sessions", Dispatches, by(&["公共施設等"])),
            ("skilled.sessions", Dispatches, count(skilled.len())),
            ("skilled.trainees", Dispatches, skilled.iter().map(|s| s.trainees).sum::<i64>() as f64),
            ("outreach.school.sessions", Outreach, count(school.len())),
            ("outreach.school.person_days", Outreach, school.iter().map(|o| o.participants).sum::<i64>() as f64),
            ("outreach.saposte.places", Outreach, count(places.len())),
            ("meister.new_certified", Registry, count(c.meisters.iter().filter(|m| within(m.certified_on)).count())),
            (
                "training.sessions",
                Trainings,
                count(c.years.iter().flat_map(|y| &y.trainings).filter(|t| within(t.date)).count()),
            ),
            (
                "coordinator.visits",
                Visits,
                count(c.years.iter().flat_map(|y| &y.visits).filter(|v| within(v.date)).count()),
            ),
            (
                "council.meetings",
                Meetings,
                count(c.years.iter().flat_map(|y| &y.meetings).filter(|m| within(m.date)).count()),
            ),
            (
                "meister.deregistered",
                Registry,
                count(c.meisters.iter().filter(|m| m.deregistered_on.is_some_and(within)).count()),
            ),
            ("meister.untrained_dispatches", Dispatches, count(untrained)),
        ]
    }

    /// Whether the corner has an accepted row of a record type dated in `fy`.
    fn has_year(&self, kind: Kind, fy: i32) -> bool {
        let c = &self.records;
        let of = |d: NaiveDate| fiscal_year(d) == fy;
        let years = c.years.iter();
        match kind {
            Kind::Registry => !c.meisters.is_empty(),
            Kind::Dispatches => years.flat_map(|y| &y.sessions).any(|s| s.accepted() && of(s.date)),
            Kind::Outreach => years.flat_map(|y| &y.outreach).any(|o| of(o.date)),
            Kind::Trainings => years.flat_map(|y| &y.trainings).any(|t| of(t.date)),
            Kind::Visits => years.flat_map(|y| &y.visits).any(|v| of(v.date)),
            Kind::Meetings => years.flat_map(|y| &y.meetings).any(|m| of(m.date)),
        }
    }

    /// `meister.inactive_3y` at `as_of`: registered (certified by `as_of`,
    /// not deregistered by it), certified more than three years before it,
    /// and no dispatch or outreach row of theirs dated in the three years
    /// up to it.
    fn inactive(&self, as_of: NaiveDate) -> f64 {
        let c = &self.records;
        let cutoff = as_of.checked_sub_months(Months::new(36)).unwrap_or(as_of);
        let mut last: Vec<Option<NaiveDate>> = vec![None; c.meisters.len()];
        let mut note = |i: usize, date: NaiveDate| {
            if date <= as_of && last[i].is_none_or(|l| l < date) {
                last[i] = Some(date);
            }
        };
        for y in &c.years {
            for s in y.sessions.iter().filter(|s| s.accepted()) {
                if let Some(i) = s.meister {
                    note(i, s.date);
                }
            }
            for o in &y.outreach {
                if let Some(i) = o.meister {
                    note(i, o.date);
                }
            }
        }
        c.meisters
            .iter()
            .zip(&last)
            .filter(|(m, last)| {
                m.certified_on <= as_of
                    && m.deregistered_on.is_none_or(|x| x > as_of)
                    && m.certified_on < cutoff
                    && last.is_none_or(|l| l <= cutoff)
            })
            .count() as f64
    }

    /// Every planted KPI at `as_of`: the dated ones from the first day of
    /// its fiscal year to it, and `meister.inactive_3y`. In [`PLANTED`] order.
    pub fn actuals(&self, as_of: NaiveDate) -> Vec<(&'static str, f64)> {
        let fy = fiscal_year(as_of);
        let mut out: Vec<(&'static str, f64)> =
            self.dated(fy_start(fy), as_of.min(fy_end(fy))).into_iter().map(|(id, _, v)| (id, v)).collect();
        out.push(("meister.inactive_3y", self.inactive(as_of)));
        PLANTED.iter().filter_map(|id| out.iter().find(|(k, _)| k == id).copied()).collect()
    }

    /// One planted KPI at `as_of`.
    pub fn actual(&self, id: &str, as_of: NaiveDate) -> Option<f64> {
        self.actuals(as_of).into_iter().find(|(k, _)| *k == id).map(|(_, v)| v)
    }

    /// 前年同期 of every planted dated KPI at `as_of`: the previous fiscal
    /// year from its first day to one year before `as_of`; `None` when the
    /// corner has no row of that record type dated in that year (the
    /// registry always has: it carries every year's 認定日).
    pub fn previous_year_to_date(&self, as_of: NaiveDate) -> Vec<(&'static str, Option<f64>)> {
        let fy = fiscal_year(as_of) - 1;
        let until = year_before(as_of).min(fy_end(fy));
        self.dated(fy_start(fy), until)
            .into_iter()
            .map(|(id, kind, v)| (id, self.has_year(kind, fy).then_some(v)))
            .collect()
    }

    /// Every planted dated KPI over the whole of fiscal year `fy` (as far as
    /// records were drawn).
    pub fn year_actuals(&self, fy: i32) -> Vec<(&'static str, f64)> {
        self.dated(fy_start(fy), fy_end(fy)).into_iter().map(|(id, _, v)| (id, v)).collect()
    }

    /// Personal values planted in the corner's workbooks (instructor,
    /// meister and coordinator names), for leak checks.
    pub fn pii_values(&self) -> Vec<String> {
        let c = &self.records;
        let mut v: std::collections::BTreeSet<String> = c.meisters.iter().map(|m| m.name.clone()).collect();
        for y in &c.years {
            v.extend(y.sessions.iter().map(|s| s.instructor.clone()));
            v.extend(y.visits.iter().map(|x| x.coordinator.clone()));
        }
        v.into_iter().collect()
    }
}

impl NationTruth {
    /// The national total of every planted KPI at `as_of`: the sum over the
    /// corners.
    pub fn totals(&self, as_of: NaiveDate) -> Vec<(&'static str, f64)> {
        let mut out: Vec<(&'static str, f64)> = PLANTED.iter().map(|id| (*id, 0.0)).collect();
        for c in &self.corners {
            for (id, v) in c.actuals(as_of) {
                if let Some(slot) = out.iter_mut().find(|(k, _)| *k == id) {
                    slot.1 += v;
                }
            }
        }
        out
    }

    /// The corner in `folder`.
    pub fn corner(&self, folder: &str) -> Option<&CornerTruth> {
        self.corners.iter().find(|c| c.folder == folder)
    }
}

/// The embedded plan for corner `code`: its name, every target of 2 or more
/// scaled by the corner's size. Returns the text and each KPI's target.
fn plan_text(code: u8, scale: f64) -> (String, Vec<(String, f64)>) {
    const PLAN: &str = include_str!("../../../src/defaults/plan-fy2023-yamaguchi.toml");
    let text =
        PLAN.replacen("corner = \"山口県地域技能振興コーナー\"", &format!("corner = \"{}\"", corner_name(code)), 1);
    let mut out = String::with_capacity(text.len());
    let mut targets = Vec::new();
    let mut id: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("[[") {
            id = None;
        }
        if let Some(v) = line.strip_prefix("id = \"").and_then(|r| r.strip_suffix('"')) {
            id = Some(v.to_string());
        }
        if let (Some(k), Some(v)) = (&id, line.strip_prefix("target = ").and_then(|v| v.trim().parse::<f64>().ok())) {
            let t = if v >= 2.0 { (v * scale).round().max(1.0) } else { v };
            targets.push((k.clone(), t));
            out.push_str(&format!("target = {t}\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    (out, targets)
}

/// Writes corners `1..=corners` (at most 47) with `years` fiscal years each
/// into `dir`, and returns what was planted.
pub fn write_nation(dir: &Path, corners: usize, years: usize) -> io::Result<NationTruth> {
    let codes: Vec<u8> = (1..=corners.clamp(1, 47) as u8).collect();
    write_corners(dir, &codes, years)
}

/// Writes the corners of prefecture codes `codes` (1–47) with `years` fiscal
/// years each into `dir` (several corners at once, one per core).
pub fn write_corners(dir: &Path, codes: &[u8], years: usize) -> io::Result<NationTruth> {
    plant(Some(dir), codes, years)
}

/// What [`write_corners`] plants, without writing a file (for a folder
/// written earlier; `bytes` is then 0).
pub fn nation_truth(codes: &[u8], years: usize) -> io::Result<NationTruth> {
    plant(None, codes, years)
}

fn plant(dir: Option<&Path>, codes: &[u8], years: usize) -> io::Result<NationTruth> {
    let fys = fiscal_years(years);
    let until = as_of();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(codes.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&code) = codes.get(i) else { break };
                    let r = write_corner(dir, code, &fys, until);
                    if let Ok(mut d) = done.lock() {
                        d.push((i, r));
                    }
                }
            });
        }
    });
    let mut done = done.into_inner().map_err(|_| io::Error::other("a generator thread panicked"))?;
    done.sort_by_key(|(i, _)| *i);
    let mut truth = NationTruth {
        fiscal_year: PLAN_YEAR,
        as_of: until,
        years: fys,
        corners: Vec::new(),
        workbooks: 0,
        data_rows: 0,
        bytes: 0,
    };
    for (_, r) in done {
        let (c, bytes) = r?;
        truth.workbooks += c.workbooks;
        truth.data_rows += c.data_rows;
        truth.bytes += bytes;
        truth.corners.push(c);
    }
    truth.corners.sort_by_key(|c| c.code);
    Ok(truth)
}

fn write_corner(dir: Option<&Path>, code: u8, fys: &[i32], until: NaiveDate) -> io::Result<(CornerTruth, u64)> {
    let folder = corner_folder(code);
    let records = records::corner(code, prefecture(code), fys, until);
    let name = corner_name(code);
    let (books, data_rows) = books::corner_books(&records, &name);
    let (plan, targets) = plan_text(code, records.scale);
    let mut bytes = 0;
    if let Some(dir) = dir {
        let root = dir.join(&folder);
        for book in &books {
            let b = crate::xlsx::xlsx_bytes(book).map_err(io::Error::other)?;
            bytes += b.len() as u64;
            crate::write_file(&root, &book.path, &b)?;
        }
        crate::write_file(&root, "plan.toml", plan.as_bytes())?;
        write_lock(&root, code, fys)?;
    }
    let years = records.years.len();
    let duplicates = records.years.iter().flat_map(|y| &y.sessions).filter(|s| s.twice).count();
    let rejected = records.years.iter().flat_map(|y| &y.sessions).filter(|s| !s.accepted()).count();
    debug_assert!(rejected <= 2 * years);
    Ok((
        CornerTruth {
            code,
            folder,
            corner: name,
            targets,
            workbooks: books.len(),
            data_rows,
            rejected,
            duplicates,
            records,
        },
        bytes,
    ))
}

/// Someone has the latest year's dispatch workbook open: its Excel lock
/// file `~$…xlsx` lies beside it (a reader skips it).
fn write_lock(root: &Path, code: u8, fys: &[i32]) -> io::Result<()> {
    let Some(&fy) = fys.last() else { return Ok(()) };
    let (path, _) = books::year_paths(fy);
    let lock = match path.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/~${file}"),
        None => format!("~${path}"),
    };
    crate::write_file(root, &lock, &crate::lock_file(&format!("corner{code:02}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nation_is_of_the_issues_size() {
        let t = nation_truth(&(1..=47).collect::<Vec<u8>>(), 10).expect("truth");
        assert_eq!(t.workbooks, 940);
        assert!((140_000..=165_000).contains(&t.data_rows), "{} data rows", t.data_rows);
        assert_eq!(t.years, (2014..=2023).collect::<Vec<_>>());
        assert!(t.corners.iter().all(|c| c.rejected == 20 && c.duplicates == 10));
    }

    #[test]
    fn a_corners_year_is_the_same_whatever_else_is_written() {
        let one = nation_truth(&[35], 1).expect("truth");
        let ten = nation_truth(&[1, 35], 10).expect("truth");
        let a = &one.corners[0];
        let b = ten.corner("35_山口").expect("corner");
        assert_eq!(a.actuals(as_of())[..10], b.actuals(as_of())[..10]);
        assert_eq!(a.year_actuals(2023), b.year_actuals(2023));
        assert_eq!(a.corner, "山口県地域技能振興コーナー");
        // Last year only with last year's workbooks.
        assert!(a.previous_year_to_date(as_of()).iter().any(|(_, v)| v.is_none()));
        assert!(b.previous_year_to_date(as_of()).iter().all(|(_, v)| v.is_some()));
    }

    #[test]
    fn plans_keep_the_embedded_text_with_the_corners_name_and_targets() {
        let (text, targets) = plan_text(13, 1.5);
        assert!(text.contains("corner = \"東京都地域技能振興コーナー\""));
        assert!(targets.contains(&("dispatch.sessions".to_string(), 405.0)));
        assert!(targets.contains(&("privacy.incidents".to_string(), 0.0)));
        let parsed: toml::Value = toml::from_str(&text).expect("a plan");
        assert_eq!(parsed["plan"]["fiscal_year"].as_integer(), Some(2023));
    }
}
