//! 計画どおりでない指標: one short list of every KPI that is not on track,
//! each with one plain sentence (「計画比 −7 回。年度末見込み 258 回（目標 270 回）」).

use super::groups::plan_groups;
use crate::report::ReportInput;
use crate::report::doc::{Block, ListItem, Section};
use crate::report::sections::groups::PlanEntry;
use crate::report::status::{needs_attention, sentence, status};

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let mut items = Vec::new();
    // In the order of the KPI table.
    for (_, entries) in plan_groups(&f.kpis, input.plan) {
        for e in entries {
            let PlanEntry::Kpi(k) = e else { continue };
            let Some(plan) = input.plan.kpi(&k.id) else { continue };
            if needs_attention(k) {
                items.push(ListItem {
                    status: status(k),
                    title: k.label.clone(),
                    text: sentence(k, plan, f.fiscal_year),
                });
            }
        }
    }
    let with_target = f.kpis.iter().filter(|k| k.target.is_some()).count();
    let s = Section::below("attention", "計画どおりでない指標");
    if items.is_empty() {
        return s.with(Block::Nothing(format!("目標を定めた {with_target} 指標はすべて計画どおりです。")));
    }
    s.with(Block::Paragraph(format!("目標を定めた {with_target} 指標のうち {} 指標。", items.len())))
        .with(Block::List(items))
}
