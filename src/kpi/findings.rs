//! Rule findings: what the seed's rules say should not happen, found in the
//! records (untrained meisters instructing, deregistration candidates,
//! attendance allowances, qualifier fees, session lengths, requester caps,
//! late incident reports, missing qualifier trades). Each finding names the
//! records by file/sheet/row or by meister number, never by person.

use super::frame::dated_between;
use super::programme::{self, QUALIFIER};
use crate::format;
use crate::ingest::a1;
use crate::normalise::{COL_COL, COL_FILE, COL_ROW, COL_SHEET};
use crate::plan::Plan;
use crate::schema::DatasetId;
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// One rule and the records that break it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable id (`untrained_instructing`, …).
    pub rule: &'static str,
    /// What the rule says (Japanese).
    pub title: String,
    /// Seed section the rule comes from.
    pub section: &'static str,
    pub count: usize,
    pub items: Vec<FindingItem>,
}

/// One record a finding names.
#[derive(Debug, Clone, Serialize)]
pub struct FindingItem {
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// 1-based row number.
    pub row: Option<u32>,
    /// A1 cell of the row's first matched cell.
    pub cell: Option<String>,
    pub meister_no: Option<String>,
    pub date: Option<NaiveDate>,
    /// Short detail (Japanese): the value that breaks the rule.
    pub detail: String,
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")
}

fn date_of(days: Option<i32>) -> Option<NaiveDate> {
    days.map(|d| epoch() + chrono::Duration::days(i64::from(d)))
}

/// Reads rows of a frame with `_file`, `_sheet`, `_row` and optional
/// `meister_no`/`date` columns into items; `detail` builds the text.
fn items(df: &DataFrame, detail: impl Fn(usize) -> String) -> PolarsResult<Vec<FindingItem>> {
    let files = df.column(COL_FILE)?.str()?.clone();
    let sheets = df.column(COL_SHEET)?.str()?.clone();
    let rows = df.column(COL_ROW)?.u32()?.clone();
    let cols = df.column(COL_COL).ok().map(|c| c.u32().cloned()).transpose()?;
    let nos = df.column("meister_no").ok().map(|c| c.str().cloned()).transpose()?;
    let dates = match df.column("date") {
        Ok(c) => Some(c.cast(&DataType::Int32)?.i32()?.clone()),
        Err(_) => None,
    };
    Ok((0..df.height())
        .map(|i| FindingItem {
            file: files.get(i).map(str::to_string),
            sheet: sheets.get(i).map(str::to_string),
            row: rows.get(i),
            cell: rows.get(i).zip(cols.as_ref().and_then(|c| c.get(i))).map(|(r, c)| a1(r.saturating_sub(1), c)),
            meister_no: nos.as_ref().and_then(|n| n.get(i)).map(str::to_string),
            date: dates.as_ref().and_then(|d| date_of(d.get(i))),
            detail: detail(i),
        })
        .collect())
}

/// A finding lists rows: the further days of a dispatch kept as one row
/// with 日数 N (the same row, the same date) are named once.
fn finding(rule: &'static str, section: &'static str, title: String, mut items: Vec<FindingItem>) -> Option<Finding> {
    items.dedup_by(|a, b| {
        (&a.file, &a.sheet, a.row, a.date, &a.meister_no, &a.detail)
            == (&b.file, &b.sheet, b.row, b.date, &b.meister_no, &b.detail)
    });
    (!items.is_empty()).then_some(Finding { rule, title, section, count: items.len(), items })
}

/// Every finding with at least one record, in a fixed rule order.
pub fn findings(
    plan: &Plan,
    data: &BTreeMap<DatasetId, DataFrame>,
    from: NaiveDate,
    as_of: NaiveDate,
    last_activity: Option<&DataFrame>,
) -> PolarsResult<Vec<Finding>> {
    let mut out = Vec::new();
    let dispatches = data.get(&DatasetId::Dispatches);
    let registry = data.get(&DatasetId::Meisters);

    if let (Some(d), Some(r)) = (dispatches, registry) {
        let u = programme::untrained_sessions(d, r, from, as_of)?;
        out.extend(finding(
            "untrained_instructing",
            "3(2)",
            "指導技法等講習を受講していないマイスターが指導した派遣".into(),
            items(&u, |_| "講習受講日が空欄か、派遣日より後".into())?,
        ));
    }

    if let Some(last) = last_activity {
        let cand = last
            .clone()
            .lazy()
            .filter(programme::inactive_expr(as_of))
            .sort(["meister_no"], Default::default())
            .collect()?;
        let nos = cand.column("meister_no")?.str()?.clone();
        let lasts = cand.column("last_activity")?.cast(&DataType::Int32)?.i32()?.clone();
        let list = (0..cand.height())
            .map(|i| {
                let last = date_of(lasts.get(i));
                FindingItem {
                    file: None,
                    sheet: None,
                    row: None,
                    cell: None,
                    meister_no: nos.get(i).map(str::to_string),
                    date: last,
                    detail: match last {
                        Some(d) => format!("最終活動日 {}", format::date(d)),
                        None => "活動の記録なし".into(),
                    },
                }
            })
            .collect();
        out.extend(finding(
            "deregistration_candidate",
            "3(1)",
            "3年以上活動のない登録マイスター（継続の意向確認・登録解除の対象）".into(),
            list,
        ));
    }

    if let Some(t) = data.get(&DatasetId::Trainings) {
        let paid = t
            .clone()
            .lazy()
            .filter(dated_between("date", from, as_of).and(col("allowance_yen").gt(lit(0))))
            .collect()?;
        let yen = paid.column("allowance_yen")?.i64()?.clone();
        out.extend(finding(
            "attendance_allowance",
            "3(4)ウ",
            "講習会の受講者に受講手当が支給されている（交通費以外は支給不可）".into(),
            items(&paid, |i| format!("受講手当 {}", format::yen(yen.get(i))))?,
        ));
    }

    if let (Some(c), Some(fee)) = (data.get(&DatasetId::Competitions), plan.settings.qualifier_fee_yen) {
        let fy = plan.fiscal_year.year();
        let wrong = c
            .clone()
            .lazy()
            .filter(col("fiscal_year").is_null().or(col("fiscal_year").eq(lit(fy))))
            .filter(col("event").eq(lit(QUALIFIER)).and(col("fee_yen").is_not_null()).and(col("fee_yen").neq(lit(fee))))
            .collect()?;
        let yen = wrong.column("fee_yen")?.i64()?.clone();
        out.extend(finding(
            "qualifier_fee",
            "2(1)ア(ウ)b",
            format!("技能五輪予選の参加手数料が計画の額（{}）と異なる", format::yen(Some(fee))),
            items(&wrong, |i| format!("参加手数料 {}", format::yen(yen.get(i))))?,
        ));
    }

    if let Some(c) = data.get(&DatasetId::Competitions) {
        let fy = plan.fiscal_year.year();
        let held_df = c
            .clone()
            .lazy()
            .filter(col("fiscal_year").is_null().or(col("fiscal_year").eq(lit(fy))))
            .filter(col("event").eq(lit(QUALIFIER)).and(col("withdrawn").fill_null(lit(false)).not()))
            .select([col("trade").unique()])
            .collect()?;
        let held_col = held_df.column("trade")?.str()?.clone();
        let held: Vec<String> = (0..held_col.len()).filter_map(|i| held_col.get(i).map(str::to_string)).collect();
        let missing: Vec<FindingItem> = plan
            .settings
            .qualifier_required_trades
            .iter()
            .filter(|t| !held.contains(t))
            .map(|t| FindingItem {
                file: None,
                sheet: None,
                row: None,
                cell: None,
                meister_no: None,
                date: None,
                detail: format!("職種「{t}」の予選の記録がない"),
            })
            .collect();
        out.extend(finding("qualifier_trade_missing", "2(1)ア(ウ)", "技能五輪予選に必須の職種がない".into(), missing));
    }

    if let Some(d) = dispatches {
        let off = d
            .clone()
            .lazy()
            .filter(dated_between("date", from, as_of))
            .filter(col("hours").is_not_null().and(col("hours").lt(lit(1.0)).or(col("hours").gt(lit(3.0)))))
            .collect()?;
        let hours = off.column("hours")?.f64()?.clone();
        out.extend(finding(
            "session_length",
            "4(2)",
            "1回の指導時間が1〜3時間の範囲外".into(),
            items(&off, |i| {
                format!(
                    "指導時間 {} 時間",
                    hours.get(i).map_or_else(
                        || format::DASH.to_string(),
                        |h| format::fixed(h, if h.fract() == 0.0 { 0 } else { 1 })
                    )
                )
            })?,
        ));

        let caps = plan.settings.requester_cap_companies;
        let school_cap = plan.settings.requester_cap_schools;
        let per = d
            .clone()
            .lazy()
            .filter(dated_between("date", from, as_of))
            .group_by([col("requester"), col("dest_type")])
            .agg([len().cast(DataType::Int64).alias("n"), col("date").max().alias("date")])
            .with_column(
                when(col("dest_type").eq(lit("工業高校等")))
                    .then(lit(school_cap))
                    .otherwise(lit(caps))
                    .cast(DataType::Int64)
                    .alias("cap"),
            )
            .filter(col("n").gt(col("cap")).and(col("dest_type").neq(lit("公共施設等"))))
            .sort(["requester"], Default::default())
            .collect()?;
        let (req, n, cap) = (
            per.column("requester")?.str()?.clone(),
            per.column("n")?.i64()?.clone(),
            per.column("cap")?.i64()?.clone(),
        );
        let list = (0..per.height())
            .map(|i| FindingItem {
                file: None,
                sheet: None,
                row: None,
                cell: None,
                meister_no: None,
                date: None,
                detail: format!(
                    "{}：年間 {} 回（上限 {} 回）",
                    req.get(i).unwrap_or_default(),
                    n.get(i).unwrap_or(0),
                    cap.get(i).unwrap_or(0)
                ),
            })
            .collect();
        out.extend(finding("requester_cap", "4(2)", "同じ派遣先への年間派遣回数が上限を超えている".into(), list));
    }

    if let Some(i) = data.get(&DatasetId::Incidents) {
        let late = i
            .clone()
            .lazy()
            .filter(dated_between("date", from, as_of))
            .filter(programme::late_report_expr(plan.settings.incident_report_limit_days))
            .collect()?;
        let reported = late.column("reported_on")?.cast(&DataType::Int32)?.i32()?.clone();
        out.extend(finding(
            "late_incident_report",
            "個人情報(7)",
            format!(
                "個人情報インシデントの委託者への報告が{}日を超えて遅れた",
                plan.settings.incident_report_limit_days
            ),
            items(&late, |k| match date_of(reported.get(k)) {
                Some(d) => format!("報告日 {}", format::date(d)),
                None => "報告日が空欄".into(),
            })?,
        ));
    }
    Ok(out)
}
