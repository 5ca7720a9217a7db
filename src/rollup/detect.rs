//! A folder of corners given to `run`: the center's roll-up folder passed
//! where one corner's drop folder belongs would make one corner's report
//! with one plan and count the other corners' books as that corner's (and
//! as duplicates). `run` asks [`folder_of_corners`] before it reads a
//! workbook, and stops, naming `corner-kpi rollup`, when the folder holds
//! - `plan.toml` files (at any depth) that name two or more different
//!   corners,
//! - two or more sub-folders that each hold a `kpis.json`, or
//! - sub-folders named the roll-up's way after two or more prefectures
//!   (`35_山口`, `31_鳥取`: [`super::corner::prefecture_folder`]).
//!
//! One corner that keeps each year's `plan.toml` in its 令和4年度/ and
//! 令和5年度/ folders names one corner, and is read as usual.

use super::corner::{self, PLAN_FILE};
use std::path::Path;

/// Why `root` looks like a folder of several corners (Japanese, naming
/// what was found and `corner-kpi rollup`); `None` when it is one
/// corner's folder (or cannot be read: the run then says so itself).
pub fn folder_of_corners(root: &Path) -> Option<String> {
    if !root.is_dir() {
        return None;
    }
    let evidence =
        plans_of_several_corners(root).or_else(|| several_kpis_json(root)).or_else(|| several_prefectures(root))?;
    let root = root.display();
    Some(format!(
        "{root} は、コーナーごとのフォルダーを集めた全国集計用のフォルダーのようです（{evidence}）。\
         全国集計は corner-kpi rollup --input {root} で作ります。1 つのコーナーの報告書なら、そのコーナーのフォルダーを --input に指定してください"
    ))
}

/// `plan.toml` files under `root` naming two or more corners: the first
/// file of each of the first two corners, in path order.
fn plans_of_several_corners(root: &Path) -> Option<String> {
    // (corner as compared: NFKC, no spaces; as written; its first file), in path order.
    let mut corners: Vec<(String, String, String)> = Vec::new();
    for found in crate::ingest::walk::walk(root) {
        let name = found.rel.rsplit('/').next().unwrap_or(&found.rel);
        if !name.eq_ignore_ascii_case(PLAN_FILE) {
            continue;
        }
        let Some(corner) = corner_of(&found.path) else { continue };
        let key: String = crate::text::nfkc(&corner).chars().filter(|c| !c.is_whitespace()).collect();
        if !corners.iter().any(|(k, _, _)| *k == key) {
            corners.push((key, corner, found.rel));
        }
    }
    if corners.len() < 2 {
        return None;
    }
    let named: Vec<String> = corners.iter().take(2).map(|(_, corner, file)| format!("{file} は「{corner}」")).collect();
    let more = if corners.len() > 2 { format!("、ほか {} コーナー", corners.len() - 2) } else { String::new() };
    Some(format!("計画の {}{more}", named.join("、")))
}

/// The corner a plan file names (`[plan] corner`), read leniently: a
/// file that is no plan names none.
fn corner_of(path: &Path) -> Option<String> {
    const MAX_PLAN_BYTES: u64 = 1 << 20;
    if std::fs::metadata(path).ok()?.len() > MAX_PLAN_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let doc: toml::Table = toml::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    let corner = doc.get("plan")?.get("corner")?.as_str()?.trim();
    (!corner.is_empty()).then(|| corner.to_string())
}

/// Two or more sub-folders of `root` that each hold a `kpis.json` (a
/// corner's own report, as the roll-up reads it).
fn several_kpis_json(root: &Path) -> Option<String> {
    let folders = corner::list(root).ok()?;
    let with: Vec<&str> =
        folders.iter().filter(|f| f.path.join("kpis.json").is_file()).map(|f| f.folder.as_str()).collect();
    if with.len() < 2 {
        return None;
    }
    Some(format!("それぞれ kpis.json を持つフォルダー {}", listed(&with)))
}

/// Sub-folders of `root` named after two or more prefectures.
fn several_prefectures(root: &Path) -> Option<String> {
    let folders = corner::list(root).ok()?;
    let mut codes: Vec<u8> = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    for f in &folders {
        if let Some(code) = corner::prefecture_folder(&f.folder)
            && !codes.contains(&code)
        {
            codes.push(code);
            named.push(&f.folder);
        }
    }
    if codes.len() < 2 {
        return None;
    }
    Some(format!("都道府県番号で始まるフォルダー {}", listed(&named)))
}

/// `a、b` (and 「ほか N 件」 beyond two).
fn listed(names: &[&str]) -> String {
    let more = if names.len() > 2 { format!("、ほか {} 件", names.len() - 2) } else { String::new() };
    format!("{}{more}", names[..names.len().min(2)].join("、"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = tmp.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        tmp
    }

    fn plan(corner: &str) -> String {
        format!("[plan]\nname = \"x\"\ncorner = \"{corner}\"\nfiscal_year = 2023\n")
    }

    #[test]
    fn plans_of_two_corners_are_a_folder_of_corners() {
        let tmp = folder(&[
            ("35_山口/plan.toml", &plan("山口県地域技能振興コーナー")),
            ("鳥取/plan.toml", &plan("鳥取県地域技能振興コーナー")),
        ]);
        let why = folder_of_corners(tmp.path()).unwrap();
        assert!(why.contains("35_山口/plan.toml は「山口県地域技能振興コーナー」"), "{why}");
        assert!(why.contains("鳥取/plan.toml は「鳥取県地域技能振興コーナー」"), "{why}");
        assert!(why.contains("corner-kpi rollup --input"), "{why}");
    }

    #[test]
    fn one_corners_plans_of_several_years_and_its_own_folders_are_one_corner() {
        let tmp = folder(&[
            ("令和4年度/plan.toml", &plan("山口県地域技能振興コーナー")),
            ("令和5年度/plan.toml", &plan("山口県 地域技能振興コーナー")),
            ("令和5年度/10月/a.txt", ""),
            ("令和5年度/4月/a.txt", ""),
            ("01_派遣/a.txt", ""),
            ("02_講習/a.txt", ""),
            ("令和5年度/not-a-plan/plan.toml", "this is not toml ["),
            ("output/2023/2023-10-31/kpis.json", "{}"),
            ("過年度/kpis.json", "{}"),
        ]);
        assert_eq!(folder_of_corners(tmp.path()), None);
    }

    #[test]
    fn two_sub_folders_with_a_kpis_json_each_are_a_folder_of_corners() {
        let tmp = folder(&[("a/kpis.json", "{}"), ("b/kpis.json", "{}")]);
        let why = folder_of_corners(tmp.path()).unwrap();
        assert!(why.contains("それぞれ kpis.json を持つフォルダー a、b"), "{why}");
    }

    #[test]
    fn folders_of_two_prefectures_are_a_folder_of_corners() {
        let tmp = folder(&[("35_山口/a.txt", ""), ("31_鳥取/a.txt", "")]);
        let why = folder_of_corners(tmp.path()).unwrap();
        assert!(why.contains("都道府県番号で始まるフォルダー 31_鳥取、35_山口"), "{why}");
        let one = folder(&[("35_山口/a.txt", ""), ("035_山口 (2)/a.txt", "")]);
        assert_eq!(folder_of_corners(one.path()), None, "one prefecture");
    }
}
