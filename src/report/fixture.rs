//! A hand-built report input (FY2023 Yamaguchi, as of 2023-10-31) for the
//! writers' tests, and the ignored `look` test that writes it to
//! /tmp/report-look for rendering with shared/tools/look.sh.

#![allow(clippy::unwrap_used)]

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

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
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

fn sheet(file: &str, name: &str, dataset: Option<DatasetId>, header: Option<u32>, counts: [usize; 6]) -> SheetReport {
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
                    reason: "Excel の一時ファイル（ロックファイル）のため対象外".into()
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
                reason: "派遣先区分「その他」は 中小企業・業界団体・工業高校等・公共施設等 のどれにも当たりません。"
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
    let pii = ["山田 太郎", "佐藤 花子", "工場見学の際に体調不良者が出た件"].iter().map(|s| s.to_string()).collect();
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
