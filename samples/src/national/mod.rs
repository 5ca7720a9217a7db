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
mod draw;
mod records;
mod truth;

use crate::build::d;
use chrono::NaiveDate;
use records::CornerRecords;
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
    let records = draw::corner(code, prefecture(code), fys, until);
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
