//! Report: figures → ministry/center xlsx and html, data-quality.xlsx, kpis.json.
//!
//! The only stage that writes, and only under its output folder. Each
//! report is a list of sections ([`ministry`], [`center`], [`data_quality`]
//! below), each section built once as typed tables in `sections/`; the
//! writers [`excel`] and [`html`] turn any [`doc::Doc`] into a workbook or a
//! page and know nothing of KPIs; [`json`] writes kpis.json.
//! [`write_report_set`] renders all six files in memory, writes them into a
//! temporary folder, checks every byte for personal information
//! ([`crate::publish::guard`]), and then renames the folder into place
//! ([`crate::publish::atomic`]), so a failed run never leaves a half-written
//! or mixed set.

pub mod doc;
mod dump;
pub mod excel;
pub mod html;
pub mod json;
#[cfg(test)]
mod look;
pub mod national;
pub mod previous;
pub mod sections;
pub mod status;
pub mod svg;

pub use html::write_templates as write_html_templates;

use crate::format::generator;
use crate::kpi::Figures;
use crate::normalise::Quality;
use crate::personal::PersonalValues;
use crate::plan::Plan;
use crate::publish::{atomic, guard};
use anyhow::Context;
use doc::{Doc, Section};
use sections::*;
use std::path::{Path, PathBuf};

/// The files of a report set, in the order they are written.
pub const REPORT_FILES: [&str; 6] =
    ["ministry.xlsx", "ministry.html", "center.xlsx", "center.html", "data-quality.xlsx", "kpis.json"];

/// Everything the reports are made from.
#[derive(Clone, Copy)]
pub struct ReportInput<'a> {
    pub plan: &'a Plan,
    pub figures: &'a Figures,
    pub quality: &'a Quality,
    /// The run's personal-values policy: the values it looks for must not
    /// occur in any output byte.
    pub personal: &'a PersonalValues,
    /// A folder of edited HTML templates (`--html-templates`), or the embedded ones.
    pub html_templates: Option<&'a Path>,
    /// Local time of the run, shown in the reports' footers and kpis.json.
    pub generated_at: chrono::NaiveDateTime,
    /// The drop folder as the user named it (shown at the top of data-quality.xlsx).
    pub input_dir: Option<&'a str>,
    /// The drop folder relative to the report set's folder, ending in `/`
    /// (`../../../実績/`): data-quality.xlsx links each place to its cell.
    pub input_link: Option<&'a str>,
}

/// `令和5年度 若年技能者人材育成支援等委託事業 進捗状況報告`.
pub fn report_title(plan: &Plan) -> String {
    format!("{} 進捗状況報告", plan.name.trim())
}

/// The path from folder `from` to folder `to` (both absolute), with `/`
/// separators and a trailing `/` (`../../../実績/`); `None` when there is no
/// relative path (another drive).
pub fn relative_link(from: &Path, to: &Path) -> Option<String> {
    use std::path::Component;
    let a: Vec<Component> = from.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    let b: Vec<Component> = to.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    if a.first() != b.first() {
        return None;
    }
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    for c in &b[common..] {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            _ => return None,
        }
    }
    let mut out = parts.join("/");
    if !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn doc(input: &ReportInput, addressee: Option<&str>, title: String, sections: Vec<Section>) -> Doc {
    Doc {
        addressee: addressee.map(str::to_string),
        title,
        corner: input.plan.corner.clone(),
        as_of: input.figures.as_of,
        generated_at: input.generated_at,
        generator: generator(),
        footer_note: "本報告は集計値のみを掲載しており、個人名その他の個人情報は含みません。数値は基準日現在のもので、後日の記録の追加・修正により変わることがあります（変わった月は「前回報告からの修正」に示します）。"
            .into(),
        sections,
    }
}

/// The ministry report (厚生労働省): page 1 answers "are we on track?".
pub fn ministry(input: &ReportInput) -> Doc {
    doc(
        input,
        Some("厚生労働省"),
        report_title(input.plan),
        vec![
            headline::build(input),
            attention::build(input),
            legend::build(input),
            kpis::build(input),
            monthly::build(input),
            breakdowns::dispatch_mix(input),
            timeline::build(input),
            revisions::build(input),
        ],
    )
}

/// The center report (中央技能振興センター): the ministry report plus the
/// breakdowns, meister activity, findings and the data-quality appendix.
pub fn center(input: &ReportInput) -> Doc {
    let mut d = ministry(input);
    d.addressee = Some("中央技能振興センター".into());
    d.sections.extend([
        breakdowns::by_trade(input),
        breakdowns::by_region(input),
        competitions::build(input),
        visits::build(input),
        meisters::build(input),
        findings::build(input),
        later::build(input),
        quality::build(input),
    ]);
    d
}

/// data-quality.xlsx, for the corner's own staff: every row to fix or check.
pub fn data_quality(input: &ReportInput) -> Doc {
    doc(
        input,
        None,
        format!("{}（データの品質）", report_title(input.plan)),
        vec![
            dq_summary::build(input),
            dq_rejected::build(input),
            dq_warnings::build(input),
            dq_not_held::build(input),
            dq_duplicates::build(input),
            dq_past::build(input),
            dq_sheets::build(input),
            dq_files::build(input),
        ],
    )
}

/// The national report: every corner side by side.
pub fn national_doc(n: &crate::rollup::National) -> Doc {
    Doc {
        addressee: None,
        title: format!("{} 若年技能者人材育成支援等委託事業 全国集計（各コーナーの進捗）", n.fiscal_year.label_ja()),
        corner: "中央技能振興センター".into(),
        as_of: n.as_of,
        generated_at: n.generated_at,
        generator: generator(),
        footer_note: "各コーナーの数値は、そのコーナーの推進計画と記録だけから数えたもの（コーナーの数値を混ぜて数え直してはいない）。個人名その他の個人情報は含みません。".into(),
        sections: vec![
            national::totals::build(n),
            national::map::build(n),
            national::ranking::build(n),
            national::quality::build(n),
            national::corners::build(n),
        ],
    }
}

/// The national set's files, in the order they are written.
pub const NATIONAL_FILES: [&str; 3] = ["national.xlsx", "national.html", "national.json"];

/// Writes `national.xlsx`, `national.html` and `national.json` atomically
/// into `<output_root>/<fiscal year>/<YYYY-MM-DD>/`, keeping a corner's own
/// report files there.
pub fn write_national_set(
    n: &crate::rollup::National,
    output_root: &Path,
    html_templates: Option<&Path>,
) -> anyhow::Result<PathBuf> {
    use crate::timing::{Stage, time};
    let doc = time(Stage::NationalXlsx, || national_doc(n));
    let tera = html::engine(html_templates)?;
    let [x, h, j] = NATIONAL_FILES;
    let files = vec![
        (x, time(Stage::NationalXlsx, || excel::write(&doc)).with_context(|| format!("cannot build {x}"))?),
        (
            h,
            time(Stage::NationalHtml, || html::write(&tera, &doc))
                .with_context(|| format!("cannot build {h}"))?
                .into_bytes(),
        ),
        (
            j,
            time(Stage::NationalJson, || national::json::render(n))
                .with_context(|| format!("cannot build {j}"))?
                .into_bytes(),
        ),
    ];
    let parent = output_root.join(n.fiscal_year.year().to_string());
    let name = n.as_of.format("%Y-%m-%d").to_string();
    time(Stage::Publish, || atomic::publish_beside(&parent, &name, &files, |_| Ok(())))
}

/// Writes the whole report set to `<output_root>/<fiscal year, e.g. 2023>/<YYYY-MM-DD as-of>/` atomically and returns that folder.
///
/// A set already there for the same as-of date is replaced only once the new
/// one is complete and has passed the personal-information guard; on any
/// failure it stays as it was. The environment variable
/// [`atomic::FAIL_AT_ENV`] (`CORNER_KPI_FAIL_AT`) is a test hook: set to a
/// report file name, writing that file fails.
pub fn write_report_set(input: &ReportInput, output_root: &Path) -> anyhow::Result<PathBuf> {
    write_report_set_with(input, output_root, atomic::fail_at_from_env().as_deref())
}

/// [`write_report_set`] with the fault-injection hook given directly.
pub fn write_report_set_with(
    input: &ReportInput,
    output_root: &Path,
    fail_at: Option<&str>,
) -> anyhow::Result<PathBuf> {
    use crate::timing::{Stage, add, time};
    let needles = time(Stage::PiiGuard, || guard::Needles::new(input.personal));
    time(Stage::PiiGuard, || check_plan_notes(input.plan, &needles))?;
    let files = render_reports(input)?;
    let parent = output_root.join(input.figures.fiscal_year.year().to_string());
    let name = input.figures.as_of.format("%Y-%m-%d").to_string();
    let start = std::time::Instant::now();
    let mut guarded = std::time::Duration::ZERO;
    // kpis.json goes straight into its file (a large folder's rows never sit in a string).
    let write_json = |out: &mut dyn std::io::Write| time(Stage::KpisJson, || json::write(input, out));
    let mut contents: Vec<(&str, atomic::Content<'_>)> =
        files.iter().map(|(f, b)| (*f, atomic::Content::Bytes(b))).collect();
    contents.push((REPORT_FILES[5], atomic::Content::Stream(&write_json)));
    let published = atomic::publish_streamed(&parent, &name, &contents, fail_at, |dir| {
        let t = std::time::Instant::now();
        let checked = guard::check_dir(dir, &needles);
        guarded = t.elapsed();
        checked
    });
    add(Stage::PiiGuard, guarded);
    add(Stage::Publish, start.elapsed().saturating_sub(guarded));
    published
}

/// Renders the six files in memory, in [`REPORT_FILES`] order.
pub fn render_all(input: &ReportInput) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    use crate::timing::{Stage, time};
    let mut files = render_reports(input)?;
    let js = REPORT_FILES[5];
    files.push((
        js,
        time(Stage::KpisJson, || json::render(input)).with_context(|| format!("cannot build {js}"))?.into_bytes(),
    ));
    Ok(files)
}

/// The five reports (all but kpis.json), rendered in memory.
fn render_reports(input: &ReportInput) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    use crate::timing::{Stage, time};
    let tera = html::engine(input.html_templates)?;
    // Only the staff's own workbook links to the drop folder.
    let outside = ReportInput { input_link: None, input_dir: None, ..*input };
    // Each report's sections are built once, counted with its workbook.
    let m = time(Stage::MinistryXlsx, || ministry(&outside));
    let c = time(Stage::CenterXlsx, || center(&outside));
    let q = time(Stage::DataQualityXlsx, || data_quality(input));
    let [mx, mh, cx, ch, dq, _] = REPORT_FILES;
    Ok(vec![
        (mx, time(Stage::MinistryXlsx, || excel::write(&m)).with_context(|| format!("cannot build {mx}"))?),
        (
            mh,
            time(Stage::MinistryHtml, || html::write(&tera, &m))
                .with_context(|| format!("cannot build {mh}"))?
                .into_bytes(),
        ),
        (cx, time(Stage::CenterXlsx, || excel::write(&c)).with_context(|| format!("cannot build {cx}"))?),
        (
            ch,
            time(Stage::CenterHtml, || html::write(&tera, &c))
                .with_context(|| format!("cannot build {ch}"))?
                .into_bytes(),
        ),
        (dq, time(Stage::DataQualityXlsx, || excel::write(&q)).with_context(|| format!("cannot build {dq}"))?),
    ])
}

/// Refuses a plan whose item note holds a personal value read from the
/// workbooks (a name typed into a note would reach the ministry), naming the
/// item's section and never the value. The guard would stop the set anyway;
/// this says where to look.
fn check_plan_notes(plan: &Plan, needles: &guard::Needles) -> anyhow::Result<()> {
    use unicode_normalization::UnicodeNormalization;
    let holds_pii = |note: &str| {
        // As workbook values are read: NFKC; and with every space gone, so
        // 「山田太郎」 and 「山田　太郎」 are both found.
        let nfkc: String = note.nfkc().collect();
        let tight: String = nfkc.chars().filter(|c| !c.is_whitespace()).collect();
        [note, nfkc.as_str(), tight.as_str()].iter().any(|t| needles.found_in(t.as_bytes()))
    };
    for i in &plan.items {
        if i.note.as_deref().is_some_and(holds_pii) {
            anyhow::bail!(
                "the plan's note of item {} contains a name or other personal value from the workbooks; \
                 remove it from the plan file (the reports go to the ministry and the center)",
                i.section
            );
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::fixture::{d, fixture};
    use super::*;

    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_the_six_files_under_fiscal_year_and_as_of() {
        let fx = fixture();
        let root = tempfile::tempdir().unwrap();
        let dir = write_report_set_with(&fx.input(), root.path(), None).unwrap();
        assert_eq!(dir, root.path().join("2023").join("2023-10-31"));
        let mut names: Vec<_> = snapshot(&dir).into_iter().map(|(n, _)| n).collect();
        names.sort();
        let mut expected = REPORT_FILES.to_vec();
        expected.sort();
        assert_eq!(names, expected);
        let in_fy: Vec<_> = std::fs::read_dir(root.path().join("2023")).unwrap().collect();
        assert_eq!(in_fy.len(), 1, "no temporary folder left behind");
    }

    #[test]
    fn injected_failure_keeps_the_previous_set() {
        let fx = fixture();
        let root = tempfile::tempdir().unwrap();
        let dir = write_report_set_with(&fx.input(), root.path(), None).unwrap();
        let before = snapshot(&dir);
        let mut later = fixture();
        later.generated_at = d(2023, 11, 3).and_hms_opt(8, 0, 0).unwrap();
        for name in REPORT_FILES {
            let err = write_report_set_with(&later.input(), root.path(), Some(name)).unwrap_err();
            assert!(format!("{err:#}").contains("injected failure"), "{err:#}");
            assert_eq!(snapshot(&dir), before, "after failing at {name}");
        }
        assert_eq!(std::fs::read_dir(root.path().join("2023")).unwrap().count(), 1);
        // Without the fault the new set replaces the old one.
        write_report_set_with(&later.input(), root.path(), None).unwrap();
        assert_ne!(snapshot(&dir), before);
    }

    #[test]
    fn a_planted_name_stops_the_set_and_keeps_the_previous_one() {
        let fx = fixture();
        let root = tempfile::tempdir().unwrap();
        let dir = write_report_set_with(&fx.input(), root.path(), None).unwrap();
        let before = snapshot(&dir);
        let mut leaky = fixture();
        // A rejection reason quoting a person's name (as a buggy normaliser might).
        leaky.quality.rejected[1].reason = "指導者「山田 太郎」の番号がありません".into();
        let err = write_report_set_with(&leaky.input(), root.path(), None).unwrap_err().to_string();
        assert!(err.contains("personal information found in"), "{err}");
        assert!(!err.contains("山田"), "the error names the file, never the value: {err}");
        assert_eq!(snapshot(&dir), before);
        assert_eq!(std::fs::read_dir(root.path().join("2023")).unwrap().count(), 1);
    }

    #[test]
    fn a_surname_that_is_part_of_the_corner_name_is_no_leak() {
        let mut fx = fixture();
        fx.read("山口");
        let root = tempfile::tempdir().unwrap();
        write_report_set_with(&fx.input(), root.path(), None).unwrap();
    }

    #[test]
    fn a_name_in_a_plan_note_stops_the_set_and_names_the_item() {
        let mut fx = fixture();
        let at = fx.plan.items.iter().position(|i| i.section == "2(2)").unwrap();
        fx.plan.items[at].note = Some("山田\u{3000}太郎さんに取材を依頼".into());
        let root = tempfile::tempdir().unwrap();
        let err = write_report_set_with(&fx.input(), root.path(), None).unwrap_err().to_string();
        assert!(err.contains("note of item 2(2)"), "{err}");
        assert!(!err.contains("山田"), "{err}");
        assert!(!root.path().join("2023").exists(), "nothing written");
    }

    #[test]
    fn a_personal_value_inside_a_plan_commitment_is_no_leak() {
        let mut fx = fixture();
        // A value that happens to be part of the seed's own words.
        fx.read("グッドスキルマーク");
        let root = tempfile::tempdir().unwrap();
        write_report_set_with(&fx.input(), root.path(), None).unwrap();
    }

    #[test]
    fn rerun_gives_the_same_bytes() {
        let fx = fixture();
        let a = render_all(&fx.input()).unwrap();
        let b = render_all(&fx.input()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn guard_catches_a_planted_name_inside_an_xlsx_part() {
        let mut fx = fixture();
        let name = "植木 花子";
        // A sheet named after a person ends up in data-quality.xlsx's shared strings.
        fx.quality.sheets[0].sheet = format!("{name}さん分");
        let bytes = excel::write(&data_quality(&fx.input())).unwrap();
        let needles = guard::Needles::new(&PersonalValues::without_exemptions(&[name.to_string()].into()));
        let part = guard::xlsx_part_with(&bytes, &needles).unwrap();
        assert_eq!(part.as_deref(), Some("xl/sharedStrings.xml"));

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data-quality.xlsx"), &bytes).unwrap();
        let err = guard::check_dir(dir.path(), &needles).unwrap_err().to_string();
        assert!(err.contains("data-quality.xlsx") && err.contains("xl/sharedStrings.xml"), "{err}");
        assert!(!err.contains(name), "the error must not repeat the value: {err}");
    }

    #[test]
    fn clean_outputs_pass() {
        let fx = fixture();
        let bytes = excel::write(&center(&fx.input())).unwrap();
        let needles = guard::Needles::new(&PersonalValues::without_exemptions(&fx.pii));
        assert_eq!(guard::xlsx_part_with(&bytes, &needles).unwrap(), None);
    }
}
