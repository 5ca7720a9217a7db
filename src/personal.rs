//! The personal-values policy, in one place: which texts are personal (the
//! values of the personal columns — names, 概要 — that normalise reads and
//! never keeps), which texts a personal value may appear inside without
//! being a leak (the plan's own words and the record types' fixed words: a
//! surname 山口 inside 山口県地域技能振興コーナー, 西部 as a region), and how
//! short a value may be before it is no longer looked for ([`MIN_CHARS`]).
//!
//! A run builds one [`PersonalValues`] from the values read and the plan's
//! words, and every step that hides or looks for a personal value uses it:
//! masking the texts of the records and the input folder's name (normalise,
//! app), the output guard and the plan-note check (report, with
//! `publish::guard`), and the attachment check of the mail drafts. The mail
//! of a set written earlier builds the same policy from the workbooks the set
//! was made from and the plan's words as the set's kpis.json gives them.
//!
//! Rejection reasons and file and sheet names are masked while they are
//! read, before any plan is known: with every value read, none exempt
//! ([`PersonalValues::without_exemptions`]).

use crate::plan::Plan;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::BTreeSet;

/// Values shorter than this (in characters) are neither masked nor looked
/// for: a single character would match everywhere.
pub const MIN_CHARS: usize = 2;

/// What a personal value in a rejection reason or warning is replaced with.
pub const REASON_MASK: &str = "＊＊＊（個人情報のため非表示）";
/// What a personal value in a file or sheet name, a text of the records or
/// the input folder's name is replaced with.
pub const PLACE_MASK: &str = "＊＊＊";

/// The personal values of a run, as the policy says to treat them.
#[derive(Debug, Clone, Default)]
pub struct PersonalValues {
    /// How many values were read (the mail checklist says it).
    read: usize,
    /// The values looked for and masked: every value read, trimmed, of
    /// [`MIN_CHARS`] or more, inside no exempt text; sorted.
    searched: Vec<String>,
    /// `searched` in one automaton, leftmost-longest (山田太郎 is masked
    /// whole, not as 山田 and the rest); `None` when there is nothing to look for.
    automaton: Option<AhoCorasick>,
}

impl PersonalValues {
    /// The policy of a run: `read`, the values of the personal columns;
    /// `plan_words`, the plan's own words ([`plan_texts`], or [`plan_words`]
    /// from a set's kpis.json). The record types' fixed words are added here.
    pub fn new(read: &BTreeSet<String>, plan_words: &[String]) -> PersonalValues {
        let mut exempt: Vec<&str> = plan_words.iter().map(String::as_str).collect();
        for word in fixed_words() {
            exempt.push(word);
        }
        PersonalValues::build(read, &exempt)
    }

    /// Every value read, none exempt: for what is masked as it is read,
    /// before a plan is known (rejection reasons, file and sheet names).
    pub fn without_exemptions(read: &BTreeSet<String>) -> PersonalValues {
        PersonalValues::build(read, &[])
    }

    fn build(read: &BTreeSet<String>, exempt: &[&str]) -> PersonalValues {
        let searched: BTreeSet<&str> = read
            .iter()
            .map(|v| v.trim())
            .filter(|v| v.chars().count() >= MIN_CHARS && !exempt.iter().any(|e| e.contains(v)))
            .collect();
        let searched: Vec<String> = searched.into_iter().map(str::to_string).collect();
        // Building fails only past the automaton's size limits: then nothing
        // is masked here, and the output guard (which then refuses every
        // output) keeps a value from leaving unchecked.
        let automaton = (!searched.is_empty())
            .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&searched).ok())
            .flatten();
        PersonalValues { read: read.len(), searched, automaton }
    }

    /// How many values were read, exempt and short ones included.
    pub fn read_count(&self) -> usize {
        self.read
    }

    /// The values to look for and mask.
    pub fn searched(&self) -> impl Iterator<Item = &str> {
        self.searched.iter().map(String::as_str)
    }

    /// Nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.searched.is_empty()
    }

    /// Whether `text` holds a value to mask.
    pub fn holds(&self, text: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(text))
    }

    /// `s` with every value to mask in it replaced by `with`.
    pub fn mask(&self, s: &mut String, with: &str) {
        let Some(a) = &self.automaton else { return };
        if a.is_match(s.as_str()) {
            let mut out = String::with_capacity(s.len());
            a.replace_all_with(s, &mut out, |_, _, dst| {
                dst.push_str(with);
                true
            });
            *s = out;
        }
    }

    /// `text` with its personal values shown as [`PLACE_MASK`] when it holds
    /// any (a folder under `C:\Users\佐藤花子\…`); `None` when it holds none.
    pub fn masked(&self, text: &str) -> Option<String> {
        self.holds(text).then(|| {
            let mut s = text.to_string();
            self.mask(&mut s, PLACE_MASK);
            s
        })
    }
}

/// The plan's own words, which a personal value may be part of without being
/// a leak: its name, its corner, each KPI's label and unit, and each item's
/// section and text (the commitments: the seed's own words; the staff's
/// monthly notes are not exempt, and the report refuses a note holding a
/// personal value).
pub fn plan_texts(plan: &Plan) -> Vec<String> {
    plan_words(
        &plan.name,
        &plan.corner,
        plan.kpis.iter().map(|k| (k.label.as_str(), k.unit.as_str())),
        plan.items.iter().map(|i| (i.section.as_str(), i.text.as_str())),
    )
}

/// [`plan_texts`] from wherever the words come from (a plan, or the
/// kpis.json written from one): `kpis` as (label, unit), `items` as
/// (section, text).
pub fn plan_words<'a>(
    name: &str,
    corner: &str,
    kpis: impl IntoIterator<Item = (&'a str, &'a str)>,
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut v = vec![name.to_string(), corner.to_string()];
    for (label, unit) in kpis {
        v.push(label.to_string());
        v.push(unit.to_string());
    }
    for (section, text) in items {
        v.push(section.to_string());
        v.push(text.to_string());
    }
    v
}

/// The record types' fixed words (地区 西部, 区分 熟練技能者 …): a surname 西部
/// is no reason to hide the region the reports group by.
fn fixed_words() -> impl Iterator<Item = &'static str> {
    crate::schema::DatasetId::ALL
        .into_iter()
        .flat_map(|id| id.schema().fields.iter().flat_map(|f| f.values.iter().copied()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    fn of_embedded_plan(values: &[&str]) -> PersonalValues {
        PersonalValues::new(&read(values), &plan_texts(&Plan::embedded()))
    }

    #[test]
    fn a_surname_inside_the_plans_words_or_a_fixed_word_is_exempt() {
        let p = of_embedded_plan(&["山口", "西部", "山田 太郎"]);
        assert_eq!(p.searched().collect::<Vec<_>>(), ["山田 太郎"], "山口 in 山口県…, 西部 a region");
        assert_eq!(p.masked("山口県地域技能振興コーナー"), None);
        assert_eq!(p.read_count(), 3);
        // Before a plan is known, nothing is exempt.
        let strict = PersonalValues::without_exemptions(&read(&["山口", "西部"]));
        assert_eq!(strict.masked("山口県").as_deref(), Some("＊＊＊県"));
    }

    #[test]
    fn a_name_inside_another_text_is_masked_and_the_rest_shown() {
        let p = of_embedded_plan(&["中村"]);
        assert_eq!(p.masked("中村鉄工所").as_deref(), Some("＊＊＊鉄工所"));
        let mut reason = "指導者「中村」の番号がありません".to_string();
        p.mask(&mut reason, REASON_MASK);
        assert_eq!(reason, "指導者「＊＊＊（個人情報のため非表示）」の番号がありません");
    }

    #[test]
    fn two_characters_are_a_name_and_one_is_not() {
        let p = of_embedded_plan(&["林", "山田"]);
        assert_eq!(p.searched().collect::<Vec<_>>(), ["山田"]);
        assert_eq!(p.masked("林業の山田").as_deref(), Some("林業の＊＊＊"));
        assert_eq!(p.masked("林業"), None);
        assert!(PersonalValues::without_exemptions(&read(&["x"])).is_empty());
        assert_eq!(p.read_count(), 2, "the count says every value read");
    }

    #[test]
    fn the_longest_value_is_masked_whole() {
        let p = of_embedded_plan(&["山田", "山田太郎"]);
        assert_eq!(p.masked("講師 山田太郎さん").as_deref(), Some("講師 ＊＊＊さん"));
    }

    #[test]
    fn the_words_of_a_plan_and_of_its_kpis_json_are_one_list() {
        let plan = Plan::embedded();
        let texts = plan_texts(&plan);
        assert!(texts.contains(&plan.corner) && texts.contains(&plan.kpis[0].label));
        assert!(texts.contains(&plan.items[0].text));
        assert!(plan.items.iter().filter_map(|i| i.note.as_ref()).all(|n| !texts.contains(n)), "notes are not exempt");
    }
}
