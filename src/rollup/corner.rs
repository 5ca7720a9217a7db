//! One corner of the national roll-up: its sub-folder read and counted
//! exactly as its own `run` would count it (its own plan, its own mapping,
//! its own duplicates), or its `kpis.json` read back — and only what the
//! national view needs kept (the frames are dropped once the figures are
//! taken).

use crate::kpi::verdict::Verdict;
use crate::kpi::{self, KpiFigure};
use crate::kpis_json::{KpiJson, KpisJson, Num};
use crate::mapping::Mapping;
use crate::personal::PersonalValues;
use crate::plan::Plan;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// A corner's sub-folder, before it is read.
#[derive(Debug, Clone)]
pub struct CornerFolder {
    /// The sub-folder's name (`35_山口`).
    pub folder: String,
    pub path: PathBuf,
    /// The prefecture code (JIS X 0401, 01–47) the folder name starts with.
    pub code: Option<u8>,
}

/// What became of a corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Figures as of the roll-up's date.
    Ok,
    /// No figures for the as-of date (nothing in the folder, a `kpis.json`
    /// of another date, no record dated in the as-of month): shown as
    /// missing, never as zero.
    Missing,
    /// The folder could not be counted (a bad plan, an unreadable `kpis.json` …).
    Failed,
}

impl State {
    pub fn key(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Missing => "missing",
            State::Failed => "failed",
        }
    }
}

/// One KPI of one corner, against that corner's own plan.
#[derive(Debug, Clone, PartialEq)]
pub struct CornerKpi {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub expected_to_date: Option<f64>,
    pub achievement: Option<f64>,
    pub forecast: Option<f64>,
    /// The status, its word (順調, 未達 …) and tone, as the corner's own run
    /// decided them.
    pub verdict: Verdict,
}

impl From<&KpiJson<'_>> for CornerKpi {
    /// A KPI as a report set's kpis.json states it (any version).
    fn from(k: &KpiJson<'_>) -> CornerKpi {
        let n = |x: Option<Num>| x.map(|n| n.0);
        CornerKpi {
            verdict: k.verdict(),
            id: k.id.to_string(),
            label: k.label.to_string(),
            unit: k.unit.to_string(),
            target: n(k.target),
            actual: n(k.actual),
            expected_to_date: n(k.expected_to_date),
            achievement: n(k.achievement),
            forecast: n(k.forecast),
        }
    }
}

/// A corner's data-quality counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quality {
    pub files_read: usize,
    pub unreadable_files: usize,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub warnings: usize,
}

/// A corner as the national view shows it.
#[derive(Debug, Clone)]
pub struct Corner {
    pub folder: String,
    pub code: Option<u8>,
    /// The corner's name from its plan (`山口県地域技能振興コーナー`), or the folder's.
    pub name: String,
    pub state: State,
    /// Why the corner is missing or failed (Japanese).
    pub reason: Option<String>,
    /// Where the figures came from: `workbooks` or `kpis.json`.
    pub source: &'static str,
    pub kpis: Vec<CornerKpi>,
    pub quality: Quality,
}

impl Corner {
    pub fn kpi(&self, id: &str) -> Option<&CornerKpi> {
        self.kpis.iter().find(|k| k.id == id)
    }

    pub(super) fn without_figures(f: &CornerFolder, state: State, reason: String, source: &'static str) -> Corner {
        Corner {
            folder: f.folder.clone(),
            code: f.code,
            name: f.folder.clone(),
            state,
            reason: Some(reason),
            source,
            kpis: Vec::new(),
            quality: Quality::default(),
        }
    }
}

/// The prefecture code a folder name starts with (`35_山口` → 35, `01北海道` → 1).
pub fn code_of(folder: &str) -> Option<u8> {
    // Full-width digits too (３５_山口), one digit for 1–9 (8_茨城), and a
    // leading zero more (035_山口).
    let name = crate::text::nfkc(folder);
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    if !(1..=3).contains(&digits.len()) {
        return None;
    }
    digits.parse::<u8>().ok().filter(|c| (1..=47).contains(c))
}

/// The prefectures in JIS X 0401 order (code = position + 1), without
/// 都・府・県 (北海道 whole).
const PREFECTURES: [&str; 47] = [
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

/// The prefecture code of a folder named the roll-up's way, by [`code_of`]
/// followed by that prefecture's name (`35_山口`, `31鳥取県`, `８ 茨城`); `None`
/// for a folder a corner keeps its own books in (`10月`, `01_派遣`, `2023年度`).
pub fn prefecture_folder(folder: &str) -> Option<u8> {
    let code = code_of(folder)?;
    let name = crate::text::nfkc(folder);
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['_', '-', ' ', '.', '・']);
    PREFECTURES.get(usize::from(code) - 1).is_some_and(|p| rest.starts_with(p)).then_some(code)
}

/// The corners' sub-folders of a roll-up folder: every folder that is not
/// hidden, in prefecture order (by code; folders without one after, by name).
pub fn list(root: &Path) -> std::io::Result<Vec<CornerFolder>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !e.file_type()?.is_dir() {
            continue;
        }
        out.push(CornerFolder { code: code_of(&name), folder: name, path: e.path() });
    }
    out.sort_by(|a, b| (a.code.is_none(), a.code, &a.folder).cmp(&(b.code.is_none(), b.code, &b.folder)));
    Ok(out)
}

/// The files directly in a roll-up folder (not hidden, not an Excel lock
/// file): a roll-up reads only the corners' folders, so the summary names them.
pub fn loose_files(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut out: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.starts_with("~$"))
        .collect();
    out.sort();
    out
}

/// The name a corner's plan file has in its folder.
pub const PLAN_FILE: &str = "plan.toml";
/// A corner may bring its own header mapping.
pub const MAPPING_FILE: &str = "mapping.toml";

/// Reads and counts one corner as of `as_of` (of fiscal year `fy`).
/// `threads` workbooks of the corner are read at once.
pub fn count(f: &CornerFolder, as_of: NaiveDate, fy: i32, bar: &indicatif::ProgressBar, threads: usize) -> Corner {
    let found = match crate::ingest::list(&f.path) {
        Ok(found) => found,
        Err(e) => return Corner::without_figures(f, State::Failed, e.to_string(), "workbooks"),
    };
    let has_workbooks = found.iter().any(|x| matches!(x.kind, crate::ingest::walk::FoundKind::Workbook(_)));
    let json = f.path.join("kpis.json");
    if !has_workbooks {
        if json.is_file() {
            return from_json(f, &json, as_of);
        }
        return Corner::without_figures(f, State::Missing, "ブックも kpis.json もありません".into(), "workbooks");
    }
    let plan_path = f.path.join(PLAN_FILE);
    let plan = match Plan::from_file(&plan_path) {
        Ok(p) => p,
        Err(_) if !plan_path.exists() => {
            return Corner::without_figures(
                f,
                State::Failed,
                format!(
                    "{PLAN_FILE} がありません。corner-kpi plan > {PLAN_FILE} で作り、このコーナーの目標に直して置いてください"
                ),
                "workbooks",
            );
        }
        Err(e) => return Corner::without_figures(f, State::Failed, format!("{e:#}"), "workbooks"),
    };
    if plan.fiscal_year.year() != fy {
        return Corner::without_figures(
            f,
            State::Failed,
            format!("計画の年度（{}）が集計の年度（{fy}年度）と違います", plan.fiscal_year.label_ja()),
            "workbooks",
        );
    }
    let mapping_path = f.path.join(MAPPING_FILE);
    let mapping = if mapping_path.is_file() {
        match Mapping::from_file(&mapping_path) {
            Ok(m) => m,
            Err(e) => return Corner::without_figures(f, State::Failed, format!("{e:#}"), "workbooks"),
        }
    } else {
        Mapping::embedded()
    };
    let ingested = crate::ingest::read_found(found, &mapping, bar, threads);
    let (files_read, unreadable_files) = file_counts(&ingested.files);
    let mut normalised = match crate::normalise::checked(ingested, &mapping, &f.path) {
        Ok(n) => n,
        Err(e) => {
            // Nothing to count: the workbooks' own state says why.
            let (state, reason) = if unreadable_files > 0 {
                let reason = format!(
                    "読めないブックが {unreadable_files} 件あり、集計できるシートがありません。\
                     ブックが壊れていないか、パスワードがないか確かめ、Excel で開いて保存し直してください"
                );
                (State::Failed, reason)
            } else {
                (State::Missing, format!("{e:#}"))
            };
            let mut c = Corner::without_figures(f, state, reason, "workbooks");
            c.quality.files_read = files_read;
            c.quality.unreadable_files = unreadable_files;
            return c;
        }
    };
    normalised.settle(plan.fiscal_year, as_of);
    // As its own run does (a name inside a requester is masked, and listed).
    let personal = PersonalValues::new(&normalised.pii, &crate::personal::plan_texts(&plan));
    if let Err(e) = normalised.mask_personal_values(&mapping, &personal) {
        return Corner::without_figures(f, State::Failed, format!("{e:#}"), "workbooks");
    }
    // The KPIs exactly as the corner's own run counts them; none of what only
    // its own reports show (monthly series, last year, breakdowns, findings).
    let computed =
        crate::timing::time(crate::timing::Stage::Kpis, || kpi::rollup_figures(&plan, &normalised.datasets, as_of));
    let (figures, has_month) = match computed {
        Ok(fig) => fig,
        Err(e) => return Corner::without_figures(f, State::Failed, format!("{e:#}"), "workbooks"),
    };
    let q = &normalised.quality;
    let quality = Quality {
        files_read,
        unreadable_files,
        rows_read: q.rows_read(),
        accepted: q.accepted(),
        rejected: q.rejected.len(),
        warnings: q.warnings.len(),
    };
    let mut c = Corner {
        folder: f.folder.clone(),
        code: f.code,
        name: plan.corner.clone(),
        state: State::Ok,
        reason: None,
        source: "workbooks",
        kpis: kpis_of(&figures),
        quality,
    };
    if !has_month {
        c.state = State::Missing;
        c.kpis.clear();
        c.reason = Some(no_record_in(as_of));
    }
    c
}

/// (workbooks read, workbooks unreadable) of a corner's files.
fn file_counts(files: &[crate::ingest::InputFile]) -> (usize, usize) {
    use crate::ingest::FileOutcome;
    let count = |f: fn(&FileOutcome) -> bool| files.iter().filter(|x| f(&x.outcome)).count();
    (count(|o| matches!(o, FileOutcome::Read { .. })), count(|o| matches!(o, FileOutcome::Unreadable { .. })))
}

fn kpis_of(kpis: &[KpiFigure]) -> Vec<CornerKpi> {
    kpis.iter()
        .map(|k| CornerKpi {
            id: k.id.clone(),
            label: k.label.clone(),
            unit: k.unit.clone(),
            target: k.target,
            actual: k.actual,
            expected_to_date: k.expected_to_date,
            achievement: k.achievement,
            forecast: k.forecast,
            verdict: k.verdict.clone(),
        })
        .collect()
}

/// A corner given only by its own run's kpis.json.
fn from_json(f: &CornerFolder, path: &Path, as_of: NaiveDate) -> Corner {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return Corner::without_figures(f, State::Failed, format!("kpis.json を読めません（{e}）"), "kpis.json");
        }
    };
    let doc = match KpisJson::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            return Corner::without_figures(f, State::Failed, format!("kpis.json の形が違います（{e}）"), "kpis.json");
        }
    };
    let name = Some(doc.corner.to_string()).filter(|c| !c.trim().is_empty()).unwrap_or_else(|| f.folder.clone());
    let quality = Quality {
        files_read: doc.inputs.iter().filter(|i| i.status == "read").count(),
        unreadable_files: doc.inputs.iter().filter(|i| i.status == "unreadable").count(),
        rows_read: doc.inputs.iter().flat_map(|i| &i.sheets).map(|s| s.rows_read).sum(),
        accepted: doc.inputs.iter().flat_map(|i| &i.sheets).map(|s| s.accepted).sum(),
        rejected: doc.rejected.len(),
        warnings: doc.warnings.len(),
    };
    let kpis = doc.kpis.iter().map(CornerKpi::from).collect();
    let mut c = Corner {
        folder: f.folder.clone(),
        code: f.code,
        name,
        state: State::Ok,
        reason: None,
        source: "kpis.json",
        kpis,
        quality,
    };
    let wanted = as_of.to_string();
    if doc.as_of != wanted || crate::fiscal::FiscalYear::of(as_of).year() != doc.fiscal_year {
        c.state = State::Missing;
        c.kpis.clear();
        c.reason = Some(format!("kpis.json は {} 現在のもので、基準日 {wanted} のものではありません", doc.as_of));
    } else if let Some(monthly) = &doc.monthly {
        // As for workbooks: a dated KPI must have counted something in the
        // as-of month (its monthly figure is that month's change).
        let month = as_of.format("%Y-%m").to_string();
        if !monthly.values().any(|m| m.get(&month).is_some_and(|v| v.0 != 0.0)) {
            c.state = State::Missing;
            c.kpis.clear();
            c.reason = Some(no_record_in(as_of));
        }
    }
    c
}

/// Why a corner with nothing dated in the as-of month is missing.
fn no_record_in(as_of: NaiveDate) -> String {
    format!(
        "基準月（{}）の日付の記録がありません（入力がまだの可能性があります）",
        crate::format::month(chrono::Datelike::year(&as_of), chrono::Datelike::month(&as_of))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_name_gives_its_prefecture_code() {
        assert_eq!(code_of("35_山口"), Some(35));
        assert_eq!(code_of("01北海道"), Some(1));
        assert_eq!(code_of("48_架空"), None);
        assert_eq!(code_of("山口"), None);
        assert_eq!(code_of("350_x"), None);
        assert_eq!(code_of("035_山口"), Some(35), "a leading zero more");
        assert_eq!(code_of("8_茨城"), Some(8), "one digit");
        assert_eq!(code_of("３３_岡山"), Some(33), "full-width");
        assert_eq!(code_of("0_x"), None);
    }

    #[test]
    fn a_corners_folder_is_a_code_and_its_prefecture_and_a_month_folder_is_not() {
        assert_eq!(prefecture_folder("35_山口"), Some(35));
        assert_eq!(prefecture_folder("31鳥取県"), Some(31));
        assert_eq!(prefecture_folder("01 北海道"), Some(1));
        assert_eq!(prefecture_folder("８＿茨城"), Some(8), "full-width");
        assert_eq!(prefecture_folder("47_沖縄"), Some(47));
        assert_eq!(prefecture_folder("35_鳥取"), None, "the code of another prefecture");
        for kept in ["10月", "4月", "01_派遣", "02_講習", "2023年度", "35", "山口"] {
            assert_eq!(prefecture_folder(kept), None, "{kept}");
        }
    }
}
