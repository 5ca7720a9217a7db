//! What the mail says about a report set, read from the set's own
//! `kpis.json` (the contract of outputs.md): the corner, the plan, the
//! as-of date and every KPI. Reading the published file rather than the
//! figures in memory means a draft can only ever describe the reports it
//! carries, whether it is made right after the run or later by `mail`.
//! The status of each KPI is the verdict the file states (its word, as the
//! reports show it). Also the Japanese date the mail text and the checklist
//! both show: [`as_of_ja`].

use crate::fiscal::{date_wareki, era_year, month_end};
use crate::kpis_json::KpisJson;
use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// One KPI as kpis.json gives it (the roll-up reads a corner's the same way).
pub type KpiFact = crate::rollup::CornerKpi;

/// A commitment of the plan (`plan_items` of kpis.json): the seed's own words.
#[derive(Debug, Clone)]
pub struct PlanItemFact {
    pub section: String,
    pub text: String,
}

/// The facts of one report set.
#[derive(Debug, Clone)]
pub struct ReportFacts {
    pub plan: String,
    pub corner: String,
    pub fiscal_year: i32,
    pub as_of: NaiveDate,
    pub kpis: Vec<KpiFact>,
    pub plan_items: Vec<PlanItemFact>,
}

impl ReportFacts {
    /// Reads `<dir>/kpis.json` and checks that the folder is the set of the
    /// date the file names (`…/2023-10-31/` holds the 2023-10-31 figures).
    pub fn read(report_dir: &Path) -> anyhow::Result<ReportFacts> {
        let path = report_dir.join("kpis.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "報告書フォルダー {} に kpis.json がありません。先に corner-kpi run で報告書を作ってください",
                report_dir.display()
            )
        })?;
        let facts = ReportFacts::parse(&text).with_context(|| format!("cannot read {}", path.display()))?;
        let folder = report_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if folder != facts.as_of.format("%Y-%m-%d").to_string() {
            bail!(
                "報告書フォルダー {} の kpis.json は基準日 {} のものです（フォルダー名と合いません）。別の月の報告書を送らないよう、止めました",
                report_dir.display(),
                facts.as_of
            );
        }
        Ok(facts)
    }

    /// Parses kpis.json text.
    pub fn parse(text: &str) -> anyhow::Result<ReportFacts> {
        let f = KpisJson::parse(text).context("kpis.json is not in the format of outputs.md")?;
        let as_of = NaiveDate::parse_from_str(&f.as_of, "%Y-%m-%d")
            .with_context(|| format!("kpis.json: as_of \"{}\" is not a date", f.as_of))?;
        Ok(ReportFacts {
            plan: f.plan.to_string(),
            corner: f.corner.to_string(),
            fiscal_year: f.fiscal_year,
            as_of,
            kpis: f.kpis.iter().map(KpiFact::from).collect(),
            plan_items: f
                .plan_items
                .iter()
                .map(|i| PlanItemFact { section: i.section.to_string(), text: i.text.to_string() })
                .collect(),
        })
    }

    pub fn kpi(&self, id: &str) -> Option<&KpiFact> {
        self.kpis.iter().find(|k| k.id == id)
    }

    /// The plan's own words as the set gives them (plan name, corner, KPI
    /// labels and units, the plan items' sections and texts): the list
    /// [`crate::personal::plan_texts`] gives of the plan the set was made from.
    pub fn plan_texts(&self) -> Vec<String> {
        crate::personal::plan_words(
            &self.plan,
            &self.corner,
            self.kpis.iter().map(|k| (k.label.as_str(), k.unit.as_str())),
            self.plan_items.iter().map(|i| (i.section.as_str(), i.text.as_str())),
        )
    }
}

/// `令和5年10月末現在` for a month end, `令和5年10月15日現在` otherwise.
pub fn as_of_ja(d: NaiveDate) -> String {
    if month_end(d.year(), d.month()) == Some(d) {
        format!("{}{}月末現在", era_year(d), d.month())
    } else {
        format!("{}現在", date_wareki(d))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"plan": "令和5年度 推進計画", "fiscal_year": 2023, "as_of": "2023-10-31",
        "elapsed_fraction": 0.5847, "corner": "山口県地域技能振興コーナー",
        "kpis": [{"id": "dispatch.sessions", "label": "ものづくりマイスター派遣回数", "unit": "回",
                  "target": 270, "actual": 151, "expected_to_date": 157.9, "achievement": 0.5593,
                  "forecast": 258.3, "status": "at_risk", "section": "4(2)ア"}],
        "inputs": [], "rejected": []}"#;

    #[test]
    fn reads_the_contract_fields_and_checks_the_folder_date() {
        let f = ReportFacts::parse(JSON).unwrap();
        assert_eq!(f.as_of, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
        assert_eq!(f.kpi("dispatch.sessions").unwrap().actual, Some(151.0));
        assert_eq!(f.kpi("dispatch.sessions").unwrap().verdict.word, "やや遅れ");
        assert!(f.plan_texts().contains(&"山口県地域技能振興コーナー".to_string()));

        let root = tempfile::tempdir().unwrap();
        let right = root.path().join("2023-10-31");
        let wrong = root.path().join("2023-09-30");
        for d in [&right, &wrong] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("kpis.json"), JSON).unwrap();
        }
        assert!(ReportFacts::read(&right).is_ok());
        let err = ReportFacts::read(&wrong).unwrap_err().to_string();
        assert!(err.contains("2023-10-31") && err.contains("合いません"), "{err}");
        assert!(ReportFacts::read(root.path()).unwrap_err().to_string().contains("kpis.json"));
    }

    #[test]
    fn month_ends_say_matsu_other_days_the_day() {
        assert_eq!(as_of_ja(NaiveDate::from_ymd_opt(2023, 10, 31).unwrap()), "令和5年10月末現在");
        assert_eq!(as_of_ja(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), "令和6年2月末現在");
        assert_eq!(as_of_ja(NaiveDate::from_ymd_opt(2023, 10, 15).unwrap()), "令和5年10月15日現在");
        assert_eq!(as_of_ja(NaiveDate::from_ymd_opt(2019, 5, 31).unwrap()), "令和元年5月末現在");
    }
}
