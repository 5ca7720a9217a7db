//! マイスターの活動: every registered meister and every meister number seen
//! in this year's records, by number only: trade, dates, sessions and
//! events this year, last activity, and what needs attention — instructing
//! without the 指導技法等講習 (seed 3(2)), no activity for three years or
//! more (candidates for deregistration, seed 3(1)), a number not in the
//! registry.

use crate::kpi::center::MeisterActivity;
use crate::kpi::programme::three_years_before;
use crate::report::ReportInput;
use crate::report::doc::{Block, Cell, Column, Section, Status, Table, Tone};
use chrono::NaiveDate;

/// Registered, certified more than three years before `as_of`, and no
/// activity in the three years up to it (the rule of `meister.inactive_3y`).
pub fn inactive(m: &MeisterActivity, as_of: NaiveDate) -> bool {
    let cutoff = three_years_before(as_of);
    m.in_registry
        && m.deregistered_on.is_none()
        && m.certified_on.is_some_and(|c| c < cutoff)
        && m.last_activity.is_none_or(|d| d <= cutoff)
}

/// What needs attention about a meister (empty when nothing).
pub fn flags(m: &MeisterActivity, as_of: NaiveDate) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !m.in_registry && (m.sessions > 0 || m.outreach_events > 0) {
        out.push("台帳に番号なし");
    }
    if m.in_registry && m.sessions > 0 && m.trained_on.is_none() {
        out.push("講習未受講で指導");
    }
    if inactive(m, as_of) {
        out.push("3年以上活動なし");
    }
    out
}

fn registry_word(m: &MeisterActivity) -> &'static str {
    if !m.in_registry {
        "台帳になし"
    } else if m.deregistered_on.is_some() {
        "登録解除"
    } else {
        "登録中"
    }
}

pub fn build(input: &ReportInput) -> Section {
    let f = input.figures;
    let list = &f.meister_activity;
    let s = Section::new("meisters", "ものづくりマイスターの活動（認定番号別）", "マイスター").landscape();
    if list.is_empty() {
        return s.with(Block::Nothing("登録台帳とマイスター番号の記録はありません。".into()));
    }
    let registered = list.iter().filter(|m| m.in_registry && m.deregistered_on.is_none()).count();
    let active = list.iter().filter(|m| m.sessions > 0 || m.outreach_events > 0).count();
    let sleeping = list.iter().filter(|m| inactive(m, f.as_of)).count();
    let unknown = list.iter().filter(|m| !m.in_registry && (m.sessions > 0 || m.outreach_events > 0)).count();
    let mut text = format!(
        "登録中 {registered} 名のうち、今年度に派遣・魅力発信で活動したのは {active} 名。3年以上活動のない登録者は {sleeping} 名（継続の意向確認・登録解除の対象）。"
    );
    if unknown > 0 {
        text.push_str(&format!(
            "台帳にない番号で記録された活動が {unknown} 件あります（番号の誤りか、台帳への記入漏れ）。"
        ));
    }
    let mut t = Table::new(vec![
        Column::plain("認定番号"),
        Column::wide("職種"),
        Column::plain("認定日"),
        Column::plain("講習受講日"),
        Column::plain("派遣回数"),
        Column::plain("受講者数"),
        Column::plain("魅力発信"),
        Column::plain("最終活動日"),
        Column::plain("台帳"),
        Column::plain("注意"),
    ])
    .filtered()
    .limit_html(super::HTML_ROW_LIMIT, "center.xlsx");
    for m in list {
        let flags = flags(m, f.as_of);
        t.row(vec![
            Cell::text(&m.meister_no),
            m.trade.as_ref().map_or(Cell::Count(None), Cell::text),
            Cell::Date(m.certified_on),
            Cell::Date(m.trained_on),
            Cell::int(m.sessions),
            Cell::int(m.trainees),
            Cell::int(m.outreach_events),
            Cell::Date(m.last_activity),
            Cell::text(registry_word(m)),
            if flags.is_empty() { Cell::Empty } else { Cell::Status(Status::new(flags.join("・"), Tone::Warn)) },
        ]);
    }
    s.with(Block::Paragraph(text)).with(Block::Table(t))
}
