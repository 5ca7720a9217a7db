//! The words of a mail: the recipients file's subject and body templates
//! (tera) rendered with a view of the report set, and the HTML alternative
//! that shows the same text with the KPI summary as a table.
//!
//! The templates see only [`MailView`]: strings already formatted (thousands
//! separators, percentages, Japanese status words), never the domain model.
//! The templates were compiled with the recipients file
//! ([`super::templates`]: subject and body plain text, the HTML part
//! autoescaped); this module only renders them. `{{ summary }}` in the
//! body places the summary: as lines in the text part, as a table in the
//! HTML part (a body without it gets the summary at the end of both).

use super::facts::{ReportFacts, as_of_ja};
use super::recipients::{Group, Recipients};
use super::templates::Templates;
use crate::fiscal::{FiscalYear, era_year};
use crate::format;
use anyhow::{anyhow, bail};
use chrono::Datelike;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

/// Stands for the summary while the HTML part is cut into blocks.
const MARKER: &str = "\u{E000}corner-kpi-summary\u{E000}";

/// One KPI as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct KpiView {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// `151` / `データなし`. Counts are whole numbers ([`format::count`]).
    pub actual: String,
    /// `270` / `－` (no target).
    pub target: String,
    /// What the plan expects by the as-of date, rounded: `158` (157.9) / `－`.
    pub expected: String,
    /// The year-end forecast, rounded: `258` (258.3) / `－`.
    pub forecast: String,
    /// `55.9%` / `－`.
    pub achievement: String,
    /// `順調`, `やや遅れ`, …
    pub status: String,
    pub has_actual: bool,
    pub has_target: bool,
}

/// Everything a subject or body template can use.
#[derive(Debug, Clone, Serialize)]
pub struct MailView {
    pub corner: String,
    pub plan: String,
    /// `令和5年度`.
    pub fiscal_year: String,
    pub fiscal_year_ad: i32,
    /// `2023-10-31`.
    pub as_of: String,
    /// `令和5年10月末現在` (a month end) or `令和5年10月15日現在`.
    pub as_of_ja: String,
    /// `2023年10月31日（令和5年10月31日）`.
    pub as_of_prose: String,
    /// `令和5年10月`.
    pub report_month: String,
    pub group: String,
    pub label: String,
    pub sender_name: String,
    /// The attachment names as the recipient sees them.
    pub attachments: Vec<String>,
    /// The headline KPIs of the file, in its order.
    pub headline: Vec<KpiView>,
    /// Every KPI by id: `{{ kpis["dispatch.sessions"].actual }}`.
    pub kpis: BTreeMap<String, KpiView>,
    /// The headline KPIs as text lines.
    pub summary: String,
}

fn kpi_view(k: &super::facts::KpiFact) -> KpiView {
    KpiView {
        id: k.id.clone(),
        label: k.label.clone(),
        unit: k.unit.clone(),
        actual: if k.actual.is_some() { format::count(k.actual) } else { "データなし".into() },
        target: format::count(k.target),
        expected: format::count(k.expected_to_date),
        forecast: format::count(k.forecast),
        achievement: format::percent(k.achievement),
        status: k.verdict.word.clone(),
        has_actual: k.actual.is_some(),
        has_target: k.target.is_some(),
    }
}

/// `・ものづくりマイスター派遣回数: 151回（年間目標 270回、達成率 55.9%、やや遅れ）`
fn summary_line(k: &KpiView) -> String {
    let actual = if k.has_actual { format!("{}{}", k.actual, k.unit) } else { k.actual.clone() };
    if k.has_target {
        format!("・{}: {actual}（年間目標 {}{}、達成率 {}、{}）", k.label, k.target, k.unit, k.achievement, k.status)
    } else {
        format!("・{}: {actual}（{}）", k.label, k.status)
    }
}

impl MailView {
    /// The view for one group. Fails on a headline id the report set lacks.
    pub fn build(
        facts: &ReportFacts,
        recipients: &Recipients,
        group: &Group,
        attachments: Vec<String>,
    ) -> anyhow::Result<MailView> {
        let kpis: BTreeMap<String, KpiView> = facts.kpis.iter().map(|k| (k.id.clone(), kpi_view(k))).collect();
        let mut headline = Vec::new();
        for id in &recipients.headline {
            match kpis.get(id) {
                Some(k) => headline.push(k.clone()),
                None => bail!(
                    "送付先ファイル {}: headline の \"{id}\" は報告書の指標にありません（kpis.json の id を書いてください）",
                    recipients.source
                ),
            }
        }
        let as_of_ja = as_of_ja(facts.as_of);
        let mut summary = format!("【主な指標（{as_of_ja}）】");
        for k in &headline {
            summary.push('\n');
            summary.push_str(&summary_line(k));
        }
        let fy = FiscalYear::new(facts.fiscal_year).unwrap_or_else(|| FiscalYear::of(facts.as_of));
        Ok(MailView {
            corner: facts.corner.clone(),
            plan: facts.plan.clone(),
            fiscal_year: fy.label_ja(),
            fiscal_year_ad: fy.year(),
            as_of: facts.as_of.format("%Y-%m-%d").to_string(),
            as_of_ja,
            as_of_prose: format::date_prose(facts.as_of),
            report_month: format!("{}{}月", era_year(facts.as_of), facts.as_of.month()),
            group: group.name.clone(),
            label: group.label.clone().unwrap_or_else(|| group.name.clone()),
            sender_name: recipients.sender.name.clone().unwrap_or_else(|| recipients.sender.address.clone()),
            attachments,
            headline,
            kpis,
            summary,
        })
    }
}

/// The rendered words of one mail.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Serialize)]
struct Block {
    summary: bool,
    lines: Vec<String>,
}

/// Renders the group's subject and body, and the HTML alternative.
pub fn render(templates: &Templates, group: &Group, view: &MailView) -> anyhow::Result<Rendered> {
    let ctx = |v: &MailView| {
        let mut c = Context::new();
        c.insert("corner", &v.corner);
        c.insert("plan", &v.plan);
        c.insert("fiscal_year", &v.fiscal_year);
        c.insert("fiscal_year_ad", &v.fiscal_year_ad);
        c.insert("as_of", &v.as_of);
        c.insert("as_of_ja", &v.as_of_ja);
        c.insert("as_of_prose", &v.as_of_prose);
        c.insert("report_month", &v.report_month);
        c.insert("group", &v.group);
        c.insert("label", &v.label);
        c.insert("sender_name", &v.sender_name);
        c.insert("attachments", &v.attachments);
        c.insert("headline", &v.headline);
        c.insert("kpis", &v.kpis);
        c.insert("summary", &v.summary);
        c
    };
    let subject = templates
        .subject(&group.name, &ctx(view))
        .map_err(|e| anyhow!("件名（subject）のテンプレートを展開できません: {e:#}"))?;
    let subject = subject.trim().to_string();
    if subject.is_empty() {
        bail!("件名（subject）が空になりました");
    }
    if subject.contains(['\n', '\r']) {
        bail!("件名（subject）が複数行になりました: 1行にしてください");
    }
    let body = |v: &MailView| {
        templates.body(&group.name, &ctx(v)).map_err(|e| anyhow!("本文（body）のテンプレートを展開できません: {e:#}"))
    };
    let mut text = body(view)?.trim().to_string();
    let marked_view = MailView { summary: MARKER.to_string(), ..view.clone() };
    let mut marked = body(&marked_view)?.trim().to_string();
    if !marked.contains(MARKER) {
        text = format!("{text}\n\n{}", view.summary);
        marked = format!("{marked}\n\n{MARKER}");
    }
    text.push('\n');

    let mut blocks = Vec::new();
    for (i, chunk) in marked.split(MARKER).enumerate() {
        if i > 0 {
            blocks.push(Block { summary: true, lines: Vec::new() });
        }
        for para in chunk.replace("\r\n", "\n").split("\n\n") {
            let lines: Vec<String> = para.lines().map(|l| l.trim_end().to_string()).collect();
            if lines.iter().any(|l| !l.trim().is_empty()) {
                blocks.push(Block { summary: false, lines });
            }
        }
    }
    let mut c = Context::new();
    c.insert("subject", &subject);
    c.insert("blocks", &blocks);
    c.insert("m", view);
    let html = templates.html(&c).map_err(|e| anyhow!("cannot render the HTML part: {e:#}"))?;
    Ok(Rendered { subject, text, html })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn facts() -> ReportFacts {
        ReportFacts::parse(
            r#"{"plan": "計画", "corner": "山口県地域技能振興コーナー", "fiscal_year": 2023, "as_of": "2023-10-31",
            "kpis": [
              {"id": "dispatch.sessions", "label": "派遣回数", "unit": "回", "target": 270, "actual": 1151,
               "achievement": 4.263, "status": "achieved"},
              {"id": "dispatch.person_days", "label": "受講者数<延べ>", "unit": "人日", "target": 1600, "actual": null,
               "status": "no_data"},
              {"id": "dispatch.public.sessions", "label": "公共施設等", "unit": "回", "target": null, "actual": 3,
               "status": "not_planned"}]}"#,
        )
        .unwrap()
    }

    fn recipients(body: &str) -> Recipients {
        let text = format!(
            "headline = [\"dispatch.sessions\", \"dispatch.person_days\", \"dispatch.public.sessions\"]\n\
             [sender]\nname = \"コーナー\"\naddress = \"me@corner.example.jp\"\n\
             [[organisation]]\nname = \"us\"\ndomains = [\"corner.example.jp\"]\ninternal = true\n\
             [[group]]\nname = \"ministry\"\nto = [\"a@corner.example.jp\"]\nattachments = [\"ministry.xlsx\"]\n\
             subject = \"【{{{{ corner }}}}】月次報告（{{{{ as_of_ja }}}}）\"\nbody = '''{body}'''\n"
        );
        Recipients::parse(&text, "r.toml").unwrap()
    }

    #[test]
    fn counts_are_whole_numbers_and_only_achievement_has_a_decimal() {
        let f = ReportFacts::parse(
            r#"{"plan": "計画", "fiscal_year": 2023, "as_of": "2023-10-31", "kpis": [
              {"id": "a", "label": "派遣回数", "unit": "回", "target": 1600, "actual": 1151.4,
               "expected_to_date": 157.9, "forecast": 258.3, "achievement": 0.5593, "status": "at_risk"},
              {"id": "b", "label": "受講者数", "unit": "人", "target": null, "actual": null, "status": "no_data"}]}"#,
        )
        .unwrap();
        let a = kpi_view(&f.kpis[0]);
        assert_eq!(
            [a.actual.as_str(), &a.target, &a.expected, &a.forecast, &a.achievement],
            ["1,151", "1,600", "158", "258", "55.9%"],
            "the old report::view::fmt_count showed 157.9 and 258.3"
        );
        let b = kpi_view(&f.kpis[1]);
        assert_eq!(
            [b.actual.as_str(), &b.target, &b.expected, &b.forecast, &b.achievement],
            ["データなし", "－", "－", "－", "－"]
        );
    }

    #[test]
    fn subject_body_and_html_carry_the_figures_and_escape_everything() {
        let r = recipients(
            "ご担当者様 <&>\n\n{{ fiscal_year }}の実績です。\n{{ kpis[\"dispatch.sessions\"].actual }}回\n\n{{ summary }}\n\n--\n{{ sender_name }}",
        );
        let g = &r.groups[0];
        let view = MailView::build(&facts(), &r, g, vec!["報告_2023-10-31.xlsx".into()]).unwrap();
        let out = render(r.templates(), g, &view).unwrap();
        assert_eq!(out.subject, "【山口県地域技能振興コーナー】月次報告（令和5年10月末現在）");
        assert!(
            out.text
                .starts_with("ご担当者様 <&>\n\n令和5年度の実績です。\n1,151回\n\n【主な指標（令和5年10月末現在）】\n")
        );
        assert!(out.text.contains("・派遣回数: 1,151回（年間目標 270回、達成率 426.3%、達成）"), "{}", out.text);
        assert!(out.text.contains("・受講者数<延べ>: データなし（年間目標 1,600人日、達成率 －、データなし）"));
        assert!(out.text.contains("・公共施設等: 3回（計画外）"));
        assert!(out.text.ends_with("--\nコーナー\n"));
        assert!(out.html.contains("ご担当者様 &lt;&amp;&gt;</p>"), "{}", out.html);
        assert!(out.html.contains("令和5年度の実績です。<br>1,151回</p>"));
        assert!(out.html.contains("<td style=\"border: 1px solid #999; padding: 4px 8px;\">受講者数&lt;延べ&gt;</td>"));
        assert!(!out.html.contains("<延べ>") && !out.html.contains("【主な指標"), "the summary is a table, not text");
        let table = out.html.find("<table").unwrap();
        assert!(out.html.find("実績です").unwrap() < table && table < out.html.find("コーナー</p>").unwrap());
    }

    #[test]
    fn a_body_without_summary_gets_it_at_the_end_and_bad_ids_or_variables_fail() {
        let r = recipients("本文だけ");
        let view = MailView::build(&facts(), &r, &r.groups[0], vec![]).unwrap();
        let out = render(r.templates(), &r.groups[0], &view).unwrap();
        assert!(out.text.starts_with("本文だけ\n\n【主な指標"));
        assert!(out.html.contains("<table"));

        let r = recipients("{{ no_such_thing }}");
        let view = MailView::build(&facts(), &r, &r.groups[0], vec![]).unwrap();
        assert!(render(r.templates(), &r.groups[0], &view).unwrap_err().to_string().contains("本文"));

        let mut r = recipients("x");
        r.headline.push("no.such.kpi".into());
        let err = MailView::build(&facts(), &r, &r.groups[0], vec![]).unwrap_err().to_string();
        assert!(err.contains("no.such.kpi"), "{err}");
    }
}
