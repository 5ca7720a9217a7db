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
    let files = render_all(input)?;
    let parent = output_root.join(input.figures.fiscal_year.year().to_string());
    let name = input.figures.as_of.format("%Y-%m-%d").to_string();
    let start = std::time::Instant::now();
    let mut guarded = std::time::Duration::ZERO;
    let published = atomic::publish(&parent, &name, &files, fail_at, |dir| {
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
    let tera = html::engine(input.html_templates)?;
    // Only the staff's own workbook links to the drop folder.
    let outside = ReportInput { input_link: None, input_dir: None, ..*input };
    // Each report's sections are built once, counted with its workbook.
    let m = time(Stage::MinistryXlsx, || ministry(&outside));
    let c = time(Stage::CenterXlsx, || center(&outside));
    let q = time(Stage::DataQualityXlsx, || data_quality(input));
    let [mx, mh, cx, ch, dq, js] = REPORT_FILES;
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
        (js, time(Stage::KpisJson, || json::render(input)).with_context(|| format!("cannot build {js}"))?.into_bytes()),
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
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    //! A hand-built report input (FY2023 Yamaguchi, as of 2023-10-31) for the
    //! writers' tests, and the ignored `look` test that writes it to
    //! /tmp/report-look for rendering with shared/tools/look.sh.

    use super::*;
    use crate::fiscal::{FiscalYear, month_end};
    use crate::ingest::{FileOutcome, InputFile};
    use crate::kpi::center::{EntryRow, MeisterActivity, TimelineEvent, VisitRow};
    use crate::kpi::findings::{Finding, FindingItem};
    use crate::kpi::{BreakdownRow, KpiFigure, LaterRow, MonthPoint, MonthlySeries};
    use crate::normalise::{Duplicate, Rejection, RowRef, SheetReport};
    use crate::plan::KpiPlan;
    use crate::schema::DatasetId;
    use chrono::{NaiveDate, NaiveDateTime};
    use std::collections::BTreeSet;
    use std::io::Read;

    pub(crate) struct Fixture {
        pub plan: Plan,
        pub figures: Figures,
        pub quality: Quality,
        pub pii: BTreeSet<String>,
        /// The policy of `pii` and the plan ([`Fixture::read`] keeps it so).
        pub personal: PersonalValues,
        pub generated_at: NaiveDateTime,
    }

    impl Fixture {
        /// `value` read from the workbooks too.
        pub fn read(&mut self, value: &str) {
            self.pii.insert(value.to_string());
            self.personal = PersonalValues::new(&self.pii, &crate::personal::plan_texts(&self.plan));
        }

        pub fn input(&self) -> ReportInput<'_> {
            ReportInput {
                input_dir: None,
                input_link: None,
                plan: &self.plan,
                figures: &self.figures,
                quality: &self.quality,
                personal: &self.personal,
                html_templates: None,
                generated_at: self.generated_at,
            }
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A KPI figure with the real pace rules.
    fn figure(k: &KpiPlan, actual: Option<f64>, fy: FiscalYear, as_of: NaiveDate) -> KpiFigure {
        KpiFigure::at(k, fy, as_of, actual)
    }

    fn series(plan: &Plan, id: &str, per_month: &[f64], fy: FiscalYear, as_of: NaiveDate) -> MonthlySeries {
        let k = plan.kpi(id).unwrap();
        let mut cum = 0.0;
        let months = fy
            .months()
            .iter()
            .enumerate()
            .map(|(i, &(y, m))| {
                let end = month_end(y, m).unwrap();
                let past = d(y, m, 1) <= as_of;
                let actual = past.then(|| per_month.get(i).copied().unwrap_or(0.0));
                if let Some(a) = actual {
                    cum += a;
                }
                MonthPoint {
                    year: y,
                    month: m,
                    actual,
                    cumulative_actual: past.then_some(cum),
                    cumulative_plan: k.target.map(|t| t * fy.elapsed_fraction(end)),
                }
            })
            .collect();
        MonthlySeries {
            kpi_id: id.to_string(),
            label: k.label.clone(),
            unit: k.unit.clone(),
            target: k.target,
            months,
            previous: Vec::new(),
        }
    }

    fn row(key: &str, ms: i64, mt: i64, ss: i64, stt: i64) -> BreakdownRow {
        BreakdownRow {
            key: key.to_string(),
            meister_sessions: ms,
            meister_trainees: mt,
            skilled_sessions: ss,
            skilled_trainees: stt,
        }
    }

    fn sheet(
        file: &str,
        name: &str,
        dataset: Option<DatasetId>,
        header: Option<u32>,
        counts: [usize; 6],
    ) -> SheetReport {
        let [read, acc, rej, blank, total, dup] = counts;
        SheetReport {
            file: file.to_string(),
            sheet: name.to_string(),
            hidden: false,
            dataset,
            header_row: header,
            note: None,
            rows_read: read,
            accepted: acc,
            rejected: rej,
            skipped_blank: blank,
            skipped_total: total,
            skipped_duplicate: dup,
            not_held: 0,
            sheet_year: None,
        }
    }

    fn item(at: Option<(&str, &str, u32)>, no: Option<&str>, date: Option<NaiveDate>, detail: &str) -> FindingItem {
        FindingItem {
            file: at.map(|a| a.0.to_string()),
            sheet: at.map(|a| a.1.to_string()),
            row: at.map(|a| a.2),
            cell: at.map(|a| format!("A{}", a.2)),
            meister_no: no.map(str::to_string),
            date,
            detail: detail.to_string(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn meister(
        no: &str,
        trade: Option<&str>,
        certified_on: Option<NaiveDate>,
        trained_on: Option<NaiveDate>,
        sessions: i64,
        trainees: i64,
        outreach_events: i64,
        last_activity: Option<NaiveDate>,
        in_registry: bool,
    ) -> MeisterActivity {
        MeisterActivity {
            meister_no: no.to_string(),
            trade: trade.map(str::to_string),
            certified_on,
            trained_on,
            deregistered_on: None,
            sessions,
            trainees,
            outreach_events,
            last_activity,
            in_registry,
        }
    }

    fn entry(event: &str, trade: &str, org: &str, competitors: i64, instructors: i64, withdrawn: i64) -> EntryRow {
        EntryRow { event: event.into(), trade: trade.into(), org_type: org.into(), competitors, instructors, withdrawn }
    }

    fn event(date: NaiveDate, label: &str, kind: &'static str, planned: bool) -> TimelineEvent {
        TimelineEvent { date, label: label.into(), kind, planned }
    }

    fn place(file: &str, sheet: &str, cell: &str) -> RowRef {
        RowRef { file: file.into(), sheet: sheet.into(), cell: cell.into() }
    }

    pub(crate) fn fixture() -> Fixture {
        let plan = Plan::embedded();
        let fy = plan.fiscal_year;
        let as_of = d(2023, 10, 31);
        let actuals: &[(&str, f64)] = &[
            ("dispatch.sessions", 151.0),
            ("dispatch.person_days", 905.0),
            ("dispatch.sme_groups.sessions", 52.0),
            ("dispatch.schools.sessions", 96.0),
            ("dispatch.public.sessions", 3.0),
            ("skilled.sessions", 6.0),
            ("skilled.trainees", 71.0),
            ("outreach.school.sessions", 6.0),
            ("outreach.school.person_days", 248.0),
            ("outreach.saposte.places", 0.0),
            ("meister.new_certified", 2.0),
            ("training.sessions", 1.0),
            ("coordinator.visits", 49.0),
            ("worldskills.competitors", 15.0),
            ("worldskills.instructors", 13.0),
            ("worldskills.trades", 9.0),
            ("worldskills.orgs", 11.0),
            ("youth_games.competitors", 10.0),
            ("youth_games.instructors", 9.0),
            ("youth_games.trades", 8.0),
            ("youth_games.orgs", 5.0),
            ("qualifier.trades", 3.0),
            ("council.meetings", 1.0),
            ("privacy.incidents", 0.0),
            ("privacy.late_reports", 0.0),
            ("meister.inactive_3y", 7.0),
            ("meister.deregistered", 2.0),
            ("meister.untrained_dispatches", 3.0),
            ("competition.withdrawals", 2.0),
        ];
        let kpis = plan
            .kpis
            .iter()
            .map(|k| {
                let a = actuals.iter().find(|(id, _)| *id == k.id).map(|x| x.1);
                figure(k, a, fy, as_of)
            })
            .collect();
        let monthly = vec![
            series(&plan, "dispatch.sessions", &[12.0, 18.0, 22.0, 25.0, 15.0, 28.0, 31.0], fy, as_of),
            series(&plan, "dispatch.person_days", &[70.0, 105.0, 130.0, 150.0, 88.0, 170.0, 192.0], fy, as_of),
            series(&plan, "outreach.school.sessions", &[0.0, 1.0, 1.0, 0.0, 0.0, 2.0, 2.0], fy, as_of),
        ];
        let f1 = "2023派遣実績.xlsx";
        let f2 = "魅力発信_令和5年度.xlsx";
        let f3 = "マイスター台帳.xlsx";
        let by_month = crate::kpi::monthly::Monthly {
            as_of: Some(as_of),
            months: fy.months().into_iter().filter(|&(y, m)| d(y, m, 1) <= as_of).collect(),
            kpis: monthly
                .iter()
                .map(|s| {
                    let values = s.months.iter().filter_map(|p| p.actual).collect();
                    (s.kpi_id.clone(), crate::kpi::monthly::MonthlyKpi { dataset: DatasetId::Dispatches, values })
                })
                .collect(),
        };
        let figures = Figures {
            fiscal_year: fy,
            as_of,
            elapsed_fraction: fy.elapsed_fraction(as_of),
            kpis,
            monthly,
            before_fiscal_year: 12,
            by_month,
            ledger: Vec::new(),
            revisions: Default::default(),
            dispatch_mix: vec![
                row("中小企業", 40, 248, 2, 20),
                row("業界団体", 12, 95, 1, 15),
                row("工業高校等", 96, 540, 3, 36),
                row("公共施設等", 3, 22, 0, 0),
            ],
            by_trade: vec![
                row("機械加工", 34, 200, 1, 12),
                row("電気工事", 28, 170, 2, 25),
                row("溶接", 24, 140, 0, 0),
                row("建築大工", 18, 110, 1, 10),
                row("西洋料理", 15, 85, 0, 0),
                row("左官", 12, 70, 1, 12),
                row("配管", 10, 60, 0, 0),
                row("造園", 6, 40, 1, 12),
                row("未記入", 4, 30, 0, 0),
            ],
            by_region: vec![row("東部", 82, 498, 4, 45), row("西部", 66, 392, 2, 26), row("未記入", 3, 15, 0, 0)],
            after_as_of: vec![
                LaterRow {
                    dataset: DatasetId::Dispatches,
                    file: f1.into(),
                    sheet: "派遣実績".into(),
                    row: 178,
                    date: d(2023, 11, 2),
                },
                LaterRow {
                    dataset: DatasetId::Outreach,
                    file: f2.into(),
                    sheet: "魅力講座".into(),
                    row: 11,
                    date: d(2023, 11, 8),
                },
            ],
            findings: vec![
                Finding {
                    rule: "untrained_instructing",
                    title: "指導技法等講習を受講していないマイスターが指導した派遣".into(),
                    section: "3(2)",
                    count: 2,
                    items: vec![
                        item(
                            Some((f1, "派遣実績", 41)),
                            Some("M-0107"),
                            Some(d(2023, 6, 14)),
                            "講習受講日が空欄か、派遣日より後",
                        ),
                        item(
                            Some((f1, "派遣実績", 88)),
                            Some("M-0107"),
                            Some(d(2023, 7, 20)),
                            "講習受講日が空欄か、派遣日より後",
                        ),
                    ],
                },
                Finding {
                    rule: "deregistration_candidate",
                    title: "3年以上活動のない登録マイスター（継続の意向確認・登録解除の対象）".into(),
                    section: "3(1)",
                    count: 2,
                    items: vec![
                        item(None, Some("M-0009"), Some(d(2019, 11, 5)), "最終活動日 2019-11-05"),
                        item(None, Some("M-0031"), None, "活動の記録なし"),
                    ],
                },
                Finding {
                    rule: "requester_cap",
                    title: "同じ派遣先への年間派遣回数が上限を超えている".into(),
                    section: "4(2)",
                    count: 1,
                    items: vec![item(None, None, None, "県立宇部工業高等学校：年間 11 回（上限 10 回）")],
                },
            ],
            meister_activity: vec![
                meister(
                    "M-0009",
                    Some("旋盤"),
                    Some(d(2012, 3, 1)),
                    Some(d(2012, 5, 1)),
                    0,
                    0,
                    0,
                    Some(d(2019, 11, 5)),
                    true,
                ),
                meister("M-0031", Some("建築大工"), Some(d(2016, 2, 1)), Some(d(2016, 4, 1)), 0, 0, 0, None, true),
                meister(
                    "M-0052",
                    Some("機械加工"),
                    Some(d(2018, 3, 1)),
                    Some(d(2018, 6, 1)),
                    21,
                    132,
                    1,
                    Some(d(2023, 10, 27)),
                    true,
                ),
                meister(
                    "M-0077",
                    Some("電気工事"),
                    Some(d(2019, 2, 1)),
                    Some(d(2019, 6, 1)),
                    18,
                    104,
                    2,
                    Some(d(2023, 10, 30)),
                    true,
                ),
                meister("M-0107", Some("溶接"), Some(d(2023, 5, 1)), None, 9, 61, 0, Some(d(2023, 10, 12)), true),
                meister(
                    "M-0115",
                    Some("西洋料理"),
                    Some(d(2023, 7, 1)),
                    Some(d(2023, 9, 12)),
                    4,
                    30,
                    1,
                    Some(d(2023, 10, 19)),
                    true,
                ),
                meister("M-0199", None, None, None, 2, 14, 0, Some(d(2023, 9, 8)), false),
            ],
            competition_entries: vec![
                entry("技能五輪全国大会", "電気溶接", "企業", 2, 2, 0),
                entry("技能五輪全国大会", "旋盤", "企業", 3, 2, 1),
                entry("技能五輪全国大会", "西洋料理", "学校", 2, 1, 0),
                entry("若年者ものづくり競技大会", "電気工事", "学校", 3, 3, 0),
                entry("若年者ものづくり競技大会", "旋盤", "学校", 2, 2, 1),
                entry("技能五輪予選", "電工", "企業", 6, 0, 0),
            ],
            visits_by_region: vec![
                VisitRow { region: "東部".into(), months: vec![4, 5, 4, 3, 2, 5, 4, 0, 0, 0, 0, 0], total: 27 },
                VisitRow { region: "西部".into(), months: vec![3, 3, 4, 3, 1, 4, 3, 0, 0, 0, 0, 0], total: 21 },
                VisitRow { region: "未記入".into(), months: vec![0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], total: 1 },
            ],
            timeline: vec![
                event(d(2023, 6, 28), "連携会議 第1回", "council", false),
                event(d(2023, 8, 2), "若年者ものづくり競技大会", "competition", false),
                event(d(2023, 9, 12), "指導技法等講習会（前期）", "training", false),
                event(d(2023, 9, 30), "技能五輪県予選（実施期限）", "competition", false),
                event(d(2023, 11, 21), "技能五輪全国大会", "competition", true),
                event(d(2023, 12, 31), "連携会議（予定期限）", "council", true),
                event(d(2024, 3, 31), "指導技法等講習会（予定期限）", "training", true),
            ],
        };
        let sha = |seed: &str| seed.repeat(32);
        let mut memo = sheet(f1, "メモ", None, None, [0; 6]);
        memo.note = Some("記録の種類を判定できる見出し行がありません。集計する表なら、1〜20行目に見出し行（例：実施日・派遣先区分・職種・受講者数）を置いてください。".into());
        let mut hidden = sheet(f3, "集計（旧）", None, Some(2), [0; 6]);
        hidden.hidden = true;
        hidden.note = Some("見出しが「派遣実績」と「ものづくりの魅力発信」の両方に当てはまり、判定できません。".into());
        let quality = Quality {
            files: vec![
                InputFile {
                    file: f1.into(),
                    size: 48_213,
                    sha256: Some(sha("a1")),
                    outcome: FileOutcome::Read { sheets: 2 },
                },
                InputFile {
                    file: format!("{f1} - コピー.xlsx"),
                    size: 48_213,
                    sha256: Some(sha("a1")),
                    outcome: FileOutcome::Duplicate { of: f1.into() },
                },
                InputFile {
                    file: f2.into(),
                    size: 12_804,
                    sha256: Some(sha("b2")),
                    outcome: FileOutcome::Read { sheets: 1 },
                },
                InputFile {
                    file: f3.into(),
                    size: 20_115,
                    sha256: Some(sha("c3")),
                    outcome: FileOutcome::Read { sheets: 2 },
                },
                InputFile {
                    file: "古い報告/研修.xlsx".into(),
                    size: 9_120,
                    sha256: Some(sha("d4")),
                    outcome: FileOutcome::Unreadable {
                        reason: "パスワードで保護されているため読めません。保護を解除して保存し直してください。".into(),
                    },
                },
                InputFile {
                    file: "~$2023派遣実績.xlsx".into(),
                    size: 165,
                    sha256: None,
                    outcome: FileOutcome::Skipped {
                        reason: "Excel の一時ファイル（ロックファイル）のため対象外".into(),
                    },
                },
            ],
            sheets: vec![
                sheet(f1, "派遣実績", Some(DatasetId::Dispatches), Some(3), [180, 171, 3, 4, 1, 1]),
                memo,
                sheet(f2, "魅力講座", Some(DatasetId::Outreach), Some(2), [9, 8, 1, 0, 0, 0]),
                sheet(f3, "台帳", Some(DatasetId::Meisters), Some(1), [64, 64, 0, 0, 0, 0]),
                hidden,
            ],
            rejected: vec![
                Rejection {
                    file: f1.into(),
                    sheet: "派遣実績".into(),
                    cell: "D14".into(),
                    dataset: DatasetId::Dispatches,
                    column: "実施日".into(),
                    reason: "「10月32日」は日付として読めません。正しい日付を入力してください。".into(),
                    conflicts_with: None,
                    key: None,
                    fiscal_year: Some(2023),
                },
                Rejection {
                    file: f1.into(),
                    sheet: "派遣実績".into(),
                    cell: "G52".into(),
                    dataset: DatasetId::Dispatches,
                    column: "受講者数".into(),
                    reason: "受講者数「十数名」は人数として読めません。数字で入力してください（例：12）。".into(),
                    conflicts_with: None,
                    key: None,
                    fiscal_year: Some(2023),
                },
                Rejection {
                    file: f1.into(),
                    sheet: "派遣実績".into(),
                    cell: "E97".into(),
                    dataset: DatasetId::Dispatches,
                    column: "派遣先区分".into(),
                    reason:
                        "派遣先区分「その他」は 中小企業・業界団体・工業高校等・公共施設等 のどれにも当たりません。"
                            .into(),
                    conflicts_with: None,
                    key: None,
                    fiscal_year: Some(2023),
                },
                Rejection {
                    file: f2.into(),
                    sheet: "魅力講座".into(),
                    cell: "B7".into(),
                    dataset: DatasetId::Outreach,
                    column: "実施日".into(),
                    reason: "実施日が空欄です。".into(),
                    conflicts_with: None,
                    key: None,
                    fiscal_year: Some(2023),
                },
            ],
            duplicates: vec![Duplicate {
                dataset: DatasetId::Dispatches,
                key: "R5-0123".into(),
                skipped: place(f1, "派遣実績", "A120"),
                kept: place(f1, "派遣実績", "A87"),
            }],
            totals: vec![place(f1, "派遣実績", "A185")],
            warnings: Vec::new(),
            ..Quality::default()
        };
        let pii =
            ["山田 太郎", "佐藤 花子", "工場見学の際に体調不良者が出た件"].iter().map(|s| s.to_string()).collect();
        let personal = PersonalValues::new(&pii, &crate::personal::plan_texts(&plan));
        Fixture { plan, figures, quality, pii, personal, generated_at: d(2023, 11, 2).and_hms_opt(9, 15, 0).unwrap() }
    }

    /// Every part of an xlsx, decompressed, as text.
    pub(crate) fn xlsx_parts(bytes: &[u8]) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut part = zip.by_index(i).unwrap();
                let name = part.name().unwrap().into_owned();
                let mut data = Vec::new();
                part.read_to_end(&mut data).unwrap();
                (name, String::from_utf8_lossy(&data).into_owned())
            })
            .collect()
    }

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
