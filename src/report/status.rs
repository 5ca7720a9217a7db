//! The status words the reader sees (outputs.md, "Status words the reader
//! sees"): the machine ids of `kpi::Status` stay in kpis.json; the reports
//! show a Japanese word, and once a KPI's last due date has passed an unmet
//! target is 「未達」, never 「やや遅れ」; an at-most KPI over its limit is
//! 「発生（上限0件）」. Also the legend stating each rule, and the one plain
//! sentence that says where a KPI not on track stands.

use super::doc::Status;
use crate::fiscal::FiscalYear;
use crate::format;
use crate::kpi::{KpiFigure, Status as Id};
use crate::plan::{KpiPlan, Schedule};
use chrono::NaiveDate;

pub use crate::kpi::verdict::{due_passed, last_due};

/// The word and tone of a KPI's status, as the kpi stage decided them.
pub fn status(f: &KpiFigure) -> Status {
    Status::new(f.verdict.word.clone(), f.verdict.tone)
}

/// Whether a KPI belongs on the "not on track" list of page 1.
pub fn needs_attention(f: &KpiFigure) -> bool {
    f.verdict.status.needs_attention(f.target.is_some())
}

/// One plain sentence on where a KPI not on track stands
/// (「計画比 −7 回。年度末見込み 258 回（目標 270 回）」).
pub fn sentence(f: &KpiFigure, k: &KpiPlan, fy: FiscalYear) -> String {
    let u = &k.unit;
    let c = |x: Option<f64>| format::count_unit(x, u);
    match f.verdict.status {
        Id::Breach => format!("上限 {}に対し {}発生しています。", c(f.target), c(f.actual)),
        Id::NoData => "この指標を数える記録のシートがフォルダーにありません。".to_string(),
        Id::Missed => {
            let when = match &k.schedule {
                Schedule::Linear => "年度末".to_string(),
                _ => last_due(k, fy).map_or_else(|| "期限".to_string(), |d| format!("期限の{}", format::date(d))),
            };
            let short = f.target.zip(f.actual).map(|(t, a)| a - t);
            format!(
                "{when}までに目標 {}に対し {}（{}{}）で、目標に届いていません。",
                c(f.target),
                c(f.actual),
                short.map_or_else(|| format::DASH.to_string(), format::signed),
                if short.is_some() { format!(" {u}") } else { String::new() }
            )
        }
        _ => {
            let diff = f.actual.zip(one_decimal(f.expected_to_date)).map(|(a, e)| a - e);
            // Behind by less than one: the whole number would read ±0.
            let gap = match diff {
                Some(d) if d < 0.0 && d.round() == 0.0 => format!(
                    "計画値をわずかに下回っています（{} {u}）",
                    format::decimal1(Some(d)).replace('-', "\u{2212}")
                ),
                Some(d) => format!("計画比 {} {u}", format::signed(d)),
                None => format!("計画比 {}", format::DASH),
            };
            format!("{gap}。年度末見込み {}（目標 {}）。", c(one_decimal(f.forecast)), c(f.target))
        }
    }
}

/// A pace figure as kpis.json states it (one decimal), so the sentence
/// agrees with the file.
fn one_decimal(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite()).map(|v| (v * 10.0).round() / 10.0)
}

/// Every status word with the rule that gives it, for the legend.
pub fn legend() -> Vec<(Status, &'static str)> {
    use crate::kpi::verdict::Verdict;
    let rule = |s: Id| match s {
        Id::Achieved => "実績 ≥ 年間目標",
        Id::OnTrack => "実績 ≥ 計画値（基準日までに達しているべき値）",
        Id::AtRisk => "実績 ≥ 計画値の80%",
        Id::Behind => "実績 < 計画値の80%",
        Id::Missed => "最後の期限（直線配分の指標は年度末）を過ぎて年間目標に届かない",
        Id::Ok => "件数が上限以下（個人情報の事故など「以下」の指標）",
        Id::Breach => "件数が上限を超えた",
        Id::Info => "目標のない参考値",
        Id::NotPlanned => "計画に目標のない区分の実績",
        Id::NoData => "その指標の記録のシートがない",
    };
    // The words and tones are the verdict's own (発生 shown with a limit of 0件).
    Id::ALL
        .into_iter()
        .map(|s| {
            let v = Verdict::of(s, Some(0.0), "件");
            (Status::new(v.word, v.tone), rule(s))
        })
        .collect()
}

/// How the pace figures are computed, for the legend's note.
pub fn pace_note(fy: FiscalYear, as_of: NaiveDate) -> String {
    let elapsed = fy.elapsed_fraction(as_of);
    let days = (as_of - fy.start()).num_days() + 1;
    let total = (fy.end() - fy.start()).num_days() + 1;
    format!(
        "計画値（現時点）は、年間目標を年度の経過日数で按分した値（基準日まで {days}日／{total}日 = {}、例：目標 270 回なら {} 回）。\
         講習会・連携会議は予定日ごとに、競技大会は大会日に目標の全体が計画値になります。年度末見込みは、今のペースが年度末まで続いた場合の値です。",
        format::percent(Some(elapsed)),
        format::decimal1(Some(270.0 * elapsed)),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use crate::report::doc::Tone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fig(plan: &Plan, id: &str, as_of: NaiveDate, actual: f64) -> (KpiFigure, KpiPlan) {
        let k = plan.kpi(id).unwrap().clone();
        (KpiFigure::at(&k, plan.fiscal_year, as_of, Some(actual)), k)
    }

    #[test]
    fn an_unmet_target_after_its_last_due_date_is_unmet_never_slightly_behind() {
        let plan = Plan::embedded();
        let fy = plan.fiscal_year;
        let (f, _) = fig(&plan, "dispatch.sessions", d(2023, 10, 31), 151.0);
        assert_eq!(status(&f).word, "やや遅れ");
        let (f, k) = fig(&plan, "dispatch.sessions", d(2024, 3, 31), 258.0);
        assert_eq!(f.verdict.status, Id::Missed, "the machine id agrees with the word");
        assert_eq!(status(&f), Status::new("未達", Tone::Bad));
        assert_eq!(
            sentence(&f, &k, fy),
            "年度末までに目標 270 回に対し 258 回（\u{2212}12 回）で、目標に届いていません。"
        );
        // An event KPI: unmet once the event day has passed.
        let (f, k) = fig(&plan, "worldskills.instructors", d(2023, 11, 30), 13.0);
        assert_eq!(status(&f).word, "未達");
        assert!(sentence(&f, &k, fy).starts_with("期限の2023年11月21日までに目標 14 人に対し 13 人"));
    }

    #[test]
    fn an_at_most_kpi_over_its_limit_says_it_happened_with_the_limit() {
        let plan = Plan::embedded();
        let (f, k) = fig(&plan, "privacy.incidents", d(2023, 10, 31), 2.0);
        let s = status(&f);
        assert_eq!(s, Status::new("発生（上限0件）", Tone::Bad));
        assert_eq!(sentence(&f, &k, plan.fiscal_year), "上限 0 件に対し 2 件発生しています。");
        let (f, _) = fig(&plan, "privacy.incidents", d(2023, 10, 31), 0.0);
        assert_eq!(status(&f).word, "上限内");
    }

    #[test]
    fn the_sentence_of_a_kpi_behind_pace_gives_the_gap_and_the_forecast_in_whole_numbers() {
        let plan = Plan::embedded();
        let (f, k) = fig(&plan, "dispatch.sessions", d(2023, 10, 31), 151.0);
        assert_eq!(sentence(&f, &k, plan.fiscal_year), "計画比 \u{2212}7 回。年度末見込み 258 回（目標 270 回）。");
    }

    #[test]
    fn a_gap_under_one_is_said_in_words_not_as_plus_minus_zero() {
        let plan = Plan::embedded();
        // 2 名 against 2.3 名 expected: やや遅れ, and the gap is not "±0".
        let (f, k) = fig(&plan, "meister.new_certified", d(2023, 10, 31), 2.0);
        assert_eq!(f.verdict.status, Id::AtRisk);
        assert_eq!(
            sentence(&f, &k, plan.fiscal_year),
            "計画値をわずかに下回っています（\u{2212}0.3 名）。年度末見込み 3 名（目標 4 名）。"
        );
    }

    #[test]
    fn every_word_of_the_reports_is_in_the_legend() {
        let words: Vec<String> = legend().into_iter().map(|(s, _)| s.word).collect();
        for w in
            ["達成", "順調", "やや遅れ", "遅れ", "未達", "上限内", "発生（上限0件）", "参考", "計画外", "データなし"]
        {
            assert!(words.iter().any(|x| x == w), "{w}");
        }
    }
}
