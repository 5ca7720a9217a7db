//! The HTML reports: one self-contained file each (inline CSS and SVG, no
//! script, nothing fetched), rendered with tera 2 from the templates in
//! `templates/`, embedded at compile time.
//!
//! Autoescape is on for every template (their names end in `.html`); the
//! only values marked `safe` are the SVG charts (cumulative series and the
//! fiscal-year timeline), which `svg.rs` builds with all their text escaped.
//! Workbook text and the plan's item texts and notes are never marked safe.

use super::ReportInput;
use super::view::{Audience, CenterView, ReportView};
use anyhow::anyhow;
use tera::{Context, Tera};

/// The templates, by the name they are registered under.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("ministry.html", include_str!("../../templates/ministry.html")),
    ("center.html", include_str!("../../templates/center.html")),
    ("partials/style.html", include_str!("../../templates/partials/style.html")),
    ("partials/kpis.html", include_str!("../../templates/partials/kpis.html")),
    ("partials/monthly.html", include_str!("../../templates/partials/monthly.html")),
    ("partials/breakdown.html", include_str!("../../templates/partials/breakdown.html")),
    ("partials/visits.html", include_str!("../../templates/partials/visits.html")),
    ("partials/timeline.html", include_str!("../../templates/partials/timeline.html")),
    ("partials/entries.html", include_str!("../../templates/partials/entries.html")),
    ("partials/meisters.html", include_str!("../../templates/partials/meisters.html")),
    ("partials/findings.html", include_str!("../../templates/partials/findings.html")),
    ("partials/later.html", include_str!("../../templates/partials/later.html")),
    ("partials/quality.html", include_str!("../../templates/partials/quality.html")),
];

/// All templates loaded in one place.
pub fn engine() -> anyhow::Result<Tera> {
    let mut tera = Tera::new();
    tera.add_raw_templates(TEMPLATES.iter().copied()).map_err(|e| anyhow!("report templates: {e:#}"))?;
    Ok(tera)
}

fn render(tera: &Tera, name: &str, ctx: &Context) -> anyhow::Result<String> {
    tera.render(name, ctx).map_err(|e| anyhow!("cannot render {name}: {e:#}"))
}

/// ministry.html.
pub fn ministry(tera: &Tera, input: &ReportInput) -> anyhow::Result<String> {
    let mut ctx = Context::new();
    ctx.insert("r", &ReportView::build(input, Audience::Ministry));
    render(tera, "ministry.html", &ctx)
}

/// center.html.
pub fn center(tera: &Tera, input: &ReportInput) -> anyhow::Result<String> {
    let view = CenterView::build(input);
    let mut ctx = Context::new();
    ctx.insert("r", &view.report);
    ctx.insert("c", &view);
    render(tera, "center.html", &ctx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tests::fixture;
    use super::*;

    #[test]
    fn reports_have_no_script_and_nothing_external() {
        let fx = fixture();
        let tera = engine().unwrap();
        for html in [ministry(&tera, &fx.input()).unwrap(), center(&tera, &fx.input()).unwrap()] {
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"));
            assert!(!lower.contains("<link"));
            assert!(!lower.contains("<img"));
            assert!(!lower.contains("src="));
            assert!(!lower.contains("url("));
            assert!(!lower.contains("@import"));
            assert!(lower.contains("@page"));
            assert!(html.contains("2023年10月31日（令和5年10月31日）現在"));
            assert!(html.contains("<svg"));
            assert!(html.contains("1,600"), "thousands separators");
        }
    }

    #[test]
    fn workbook_text_is_escaped() {
        let mut fx = fixture();
        fx.quality.sheets.last_mut().unwrap().sheet = "<script>alert(1)</script>".into();
        fx.quality.rejected[0].reason = "<img src=x onerror=alert(1)>".into();
        let html = center(&engine().unwrap(), &fx.input()).unwrap();
        assert!(!html.to_lowercase().contains("<script"));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert!(!html.contains("<img"));
    }

    #[test]
    fn center_report_carries_the_extra_sections() {
        let fx = fixture();
        let html = center(&engine().unwrap(), &fx.input()).unwrap();
        for heading in [
            "職種別の派遣実績",
            "地区別の派遣実績",
            "開拓訪問",
            "年間の主な予定",
            "技能競技大会の参加者",
            "マイスター番号別",
            "点検結果",
            "基準日より後の日付の行",
            "データ品質",
            "除外した行",
        ] {
            assert!(html.contains(heading), "{heading}");
        }
        let m = ministry(&engine().unwrap(), &fx.input()).unwrap();
        assert!(!m.contains("除外した行"), "the ministry report carries aggregates only");
    }

    #[test]
    fn both_reports_carry_the_plan_items_and_the_timeline() {
        let fx = fixture();
        let tera = engine().unwrap();
        for html in [ministry(&tera, &fx.input()).unwrap(), center(&tera, &fx.input()).unwrap()] {
            for item in &fx.plan.items {
                assert!(html.contains(&item.text), "{}", item.text);
                if let Some(n) = &item.note {
                    assert!(html.contains(n.as_str()), "{n}");
                }
            }
            assert!(html.contains("1 事業の実施体制等"));
            assert!(html.contains("年間の主な予定と実施状況"));
            assert_eq!(html.matches("aria-label=\"年間の主な予定と実施状況（年度の時間軸）\"").count(), 1);
            assert!(html.contains("8/2 若年者ものづくり競技大会"));
            // A competition day that has passed is the plan's date, not a claim it was held.
            let row = html.split("<tr>").find(|r| r.contains("若年者ものづくり競技大会</td>")).unwrap();
            assert!(row.contains(">大会日<") && !row.contains(">実施<"), "{row}");
        }
    }

    #[test]
    fn plan_item_text_and_note_are_escaped() {
        let mut fx = fixture();
        fx.plan.items[0].text = "<img src=x onerror=alert(1)>を掲示".into();
        fx.plan.items[0].note = Some("<script>alert(1)</script>".into());
        let tera = engine().unwrap();
        for html in [ministry(&tera, &fx.input()).unwrap(), center(&tera, &fx.input()).unwrap()] {
            assert!(!html.to_lowercase().contains("<script"));
            assert!(!html.contains("<img"));
            assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;を掲示"));
        }
    }
}
