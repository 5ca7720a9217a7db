//! The plan grouped by seed section, in the seed's own order: the KPIs of
//! each section with the plan's items (commitments with no count) among
//! them, informational KPIs last. The KPI table and the not-on-track list
//! show this order.

use crate::kpi::{self, KpiFigure};
use crate::plan::{Direction, ItemStatus, Plan, PlanItem};
use crate::report::doc::{Status, Tone};

/// Sort key of a seed section code in the seed's own order: `2(1)イ(ア)` →
/// `[2, 1, 2, 1]`, `4(2)ア①②` → `[4, 2, 1, 1, 2]`, `個人情報(7)` → `[6, 7]`.
/// Only the part before `・` counts (`3(2)・3(4)` sorts as `3(2)`).
pub fn section_key(section: &str) -> Vec<u32> {
    const KANA: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ";
    let head = section.split('・').next().unwrap_or("").trim();
    let mut key = Vec::new();
    let mut rest = head;
    if let Some(r) = rest.strip_prefix("個人情報") {
        key.push(6);
        rest = r;
    }
    let mut number: Option<u32> = None;
    for c in rest.chars() {
        let digit = c.to_digit(10).or_else(|| {
            // fullwidth digits
            ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32)
        });
        if let Some(d) = digit {
            number = Some(number.unwrap_or(0) * 10 + d);
            continue;
        }
        if let Some(n) = number.take() {
            key.push(n);
        }
        if let Some(i) = KANA.chars().position(|k| k == c) {
            key.push(i as u32 + 1);
        } else if ('\u{2460}'..='\u{2473}').contains(&c) {
            key.push(c as u32 - 0x2460 + 1);
        }
    }
    if let Some(n) = number {
        key.push(n);
    }
    if key.is_empty() {
        key.push(99);
    }
    key
}

/// Heading of a group of KPIs, by the first number of their section.
fn group_heading(top: u32) -> &'static str {
    match top {
        1 => "1 事業の実施体制等",
        2 => "2 地域における技能振興事業（技能競技大会）",
        3 => "3 ものづくりマイスターの認定・登録に関する業務",
        4 => "4 ものづくりマイスターの活用に係る業務",
        5 => "5 連携会議の設置・運営",
        6 => "個人情報等の適切な取扱い",
        _ => "その他",
    }
}

const INFO_HEADING: &str = "参考（目標を定めない指標）";

/// The short form of a group heading, for a column of a table.
pub fn short_heading(heading: &str) -> &'static str {
    match heading.split(' ').next().unwrap_or("") {
        "1" => "1 実施体制",
        "2" => "2 技能競技大会",
        "3" => "3 マイスター認定・登録",
        "4" => "4 マイスターの活用",
        "5" => "5 連携会議",
        _ if heading == INFO_HEADING => "参考（目標なし）",
        _ if heading.starts_with("個人情報") => "個人情報の取扱い",
        _ => "その他",
    }
}

/// Whether a KPI is informational (the plan gives it no target by design),
/// whatever its status (it may have no data).
pub fn is_info(k: &KpiFigure, plan: &Plan) -> bool {
    k.verdict.status == kpi::Status::Info || plan.kpi(&k.id).is_some_and(|p| p.direction == Direction::Info)
}

/// KPIs grouped by seed section in the seed's order; informational KPIs
/// (no target) form a last group of their own. Shared by the HTML and Excel
/// writers so both show the same order.
pub fn kpi_groups<'a>(kpis: &'a [KpiFigure], plan: &Plan) -> Vec<(&'static str, Vec<&'a KpiFigure>)> {
    let mut sorted: Vec<(bool, Vec<u32>, usize, &KpiFigure)> =
        kpis.iter().enumerate().map(|(i, k)| (is_info(k, plan), section_key(&k.section), i, k)).collect();
    sorted.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let mut groups: Vec<(&'static str, Vec<&KpiFigure>)> = Vec::new();
    for (info, key, _, k) in sorted {
        let heading = if info { INFO_HEADING } else { group_heading(key[0]) };
        match groups.last_mut() {
            Some((h, list)) if *h == heading => list.push(k),
            _ => groups.push((heading, vec![k])),
        }
    }
    groups
}

/// One line of a plan group: a KPI, or a commitment of the plan with no count.
#[derive(Debug, Clone, Copy)]
pub enum PlanEntry<'a> {
    Kpi(&'a KpiFigure),
    Item(&'a PlanItem),
}

/// The whole plan grouped by seed section: [`kpi_groups`] with the plan's
/// qualitative items ([`PlanItem`]) placed among the KPIs of their section
/// (by section in the seed's order, a KPI before an item of the same section,
/// plan order otherwise). A section with items but no KPI gets a group of
/// its own; items never join the informational group. Both writers show
/// this order.
pub fn plan_groups<'a>(kpis: &'a [KpiFigure], plan: &'a Plan) -> Vec<(&'static str, Vec<PlanEntry<'a>>)> {
    let mut groups: Vec<(&'static str, Vec<PlanEntry<'a>>)> = kpi_groups(kpis, plan)
        .into_iter()
        .map(|(h, list)| (h, list.into_iter().map(PlanEntry::Kpi).collect()))
        .collect();
    for item in &plan.items {
        let key = section_key(&item.section);
        let heading = group_heading(key[0]);
        let at = match groups.iter().position(|(h, _)| *h == heading) {
            Some(i) => i,
            None => {
                // Before the first group of a later section (or the info group).
                let i = groups
                    .iter()
                    .position(|(h, _)| *h == INFO_HEADING || heading_rank(h) > key[0])
                    .unwrap_or(groups.len());
                groups.insert(i, (heading, Vec::new()));
                i
            }
        };
        let list = &mut groups[at].1;
        // After every entry whose section sorts at or before the item's.
        let pos = list
            .iter()
            .rposition(|e| match e {
                PlanEntry::Kpi(k) => section_key(&k.section) <= key,
                PlanEntry::Item(i) => section_key(&i.section) <= key,
            })
            .map_or(0, |p| p + 1);
        list.insert(pos, PlanEntry::Item(item));
    }
    groups
}

/// The first section number of a group heading (`99` for その他).
fn heading_rank(heading: &str) -> u32 {
    (1..=6).find(|n| group_heading(*n) == heading).unwrap_or(99)
}

/// The word and tone of a plan item's status (`None` when the plan gives none).
pub fn item_status(s: Option<ItemStatus>) -> Option<Status> {
    let tone = match s? {
        ItemStatus::Done => Tone::Good,
        ItemStatus::InProgress => Tone::Info,
        ItemStatus::NotStarted | ItemStatus::NotApplicable => Tone::Muted,
    };
    s.map(|st| Status::new(st.label_ja(), tone))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::fixture::fixture;

    #[test]
    fn sections_sort_in_seed_order() {
        assert_eq!(section_key("4(2)ア"), vec![4, 2, 1]);
        assert_eq!(section_key("4(2)ア①②"), vec![4, 2, 1, 1, 2]);
        assert_eq!(section_key("2(1)イ(ア)"), vec![2, 1, 2, 1]);
        assert_eq!(section_key("3(2)・3(4)"), vec![3, 2]);
        assert_eq!(section_key("個人情報(7)"), vec![6, 7]);
        assert_eq!(section_key("個人情報"), vec![6]);
        assert_eq!(section_key(""), vec![99]);
        assert!(section_key("2(1)ア(ウ)") < section_key("2(1)イ(ア)"));
        assert!(section_key("4(3)ア") < section_key("4(3)イ"));
        assert!(section_key("4(3)イ") < section_key("4(4)ア"));
    }

    #[test]
    fn kpis_group_by_section_with_info_last() {
        let fx = fixture();
        let groups = kpi_groups(&fx.figures.kpis, &fx.plan);
        let headings: Vec<_> = groups.iter().map(|g| g.0).collect();
        assert_eq!(headings.first(), Some(&"2 地域における技能振興事業（技能競技大会）"));
        assert_eq!(headings.last(), Some(&INFO_HEADING));
        let total: usize = groups.iter().map(|g| g.1.len()).sum();
        assert_eq!(total, fx.figures.kpis.len());
        let four = groups.iter().find(|g| g.0.starts_with("4 ")).unwrap();
        let ids: Vec<_> = four.1.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(&ids[..2], &["dispatch.sessions", "dispatch.person_days"]);
        assert_eq!(ids.last(), Some(&"skilled.trainees"));
    }

    #[test]
    fn an_informational_kpi_without_data_stays_in_the_reference_group() {
        let mut fx = fixture();
        let k = fx.figures.kpis.iter_mut().find(|k| k.id == "competition.withdrawals").unwrap();
        k.actual = None;
        k.verdict = kpi::verdict::Verdict::of(kpi::Status::NoData, None, "");
        let groups = kpi_groups(&fx.figures.kpis, &fx.plan);
        let (heading, last) = groups.last().unwrap();
        assert_eq!(*heading, INFO_HEADING);
        assert!(last.iter().any(|k| k.id == "competition.withdrawals"));
    }

    #[test]
    fn plan_items_sit_among_the_kpis_of_their_section() {
        let fx = fixture();
        let groups = plan_groups(&fx.figures.kpis, &fx.plan);
        let headings: Vec<_> = groups.iter().map(|g| g.0).collect();
        // The embedded plan has a 1(1)ウ item: its group comes first; info stays last.
        assert_eq!(headings.first(), Some(&"1 事業の実施体制等"));
        assert_eq!(headings.last(), Some(&INFO_HEADING));
        let items: usize = groups.iter().flat_map(|g| &g.1).filter(|e| matches!(e, PlanEntry::Item(_))).count();
        assert_eq!(items, fx.plan.items.len());
        let kpis: usize = groups.iter().flat_map(|g| &g.1).filter(|e| matches!(e, PlanEntry::Kpi(_))).count();
        assert_eq!(kpis, fx.figures.kpis.len());
        assert!(
            groups.last().unwrap().1.iter().all(|e| matches!(e, PlanEntry::Kpi(_))),
            "items never join the reference group"
        );
        // Within each group, sections stay in the seed's order.
        for (h, entries) in &groups {
            let keys: Vec<Vec<u32>> = entries
                .iter()
                .map(|e| match e {
                    PlanEntry::Kpi(k) => section_key(&k.section),
                    PlanEntry::Item(i) => section_key(&i.section),
                })
                .collect();
            if *h != INFO_HEADING {
                assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{h}: {keys:?}");
            }
        }
        // 2(2) and 2(3) follow the competition KPIs of 2(1); 3(4)エ ends group 3.
        let two = &groups.iter().find(|g| g.0.starts_with("2 ")).unwrap().1;
        let pos = |sec: &str| two.iter().position(|e| matches!(e, PlanEntry::Item(i) if i.section == sec)).unwrap();
        let last_kpi = two.iter().rposition(|e| matches!(e, PlanEntry::Kpi(_))).unwrap();
        assert!(pos("2(2)") > last_kpi && pos("2(3)") > pos("2(2)"));
        let three = &groups.iter().find(|g| g.0.starts_with("3 ")).unwrap().1;
        assert!(matches!(three.last().unwrap(), PlanEntry::Item(i) if i.section == "3(4)エ"));
    }

    #[test]
    fn a_section_without_kpis_gets_its_own_group_in_seed_order() {
        let mut fx = fixture();
        fx.plan.items =
            vec![PlanItem { section: "6(1)".into(), text: "新しい取組".into(), status: None, note: None }];
        let groups = plan_groups(&fx.figures.kpis, &fx.plan);
        let headings: Vec<_> = groups.iter().map(|g| g.0).collect();
        let at = headings.iter().position(|h| *h == "個人情報等の適切な取扱い").unwrap();
        assert_eq!(headings[at - 1], "5 連携会議の設置・運営");
        assert!(groups[at].1.iter().any(|e| matches!(e, PlanEntry::Item(i) if i.text == "新しい取組")));
        assert_eq!(item_status(None), None);
        assert_eq!(item_status(Some(ItemStatus::Done)), Some(Status::new("実施済", Tone::Good)));
    }
}
