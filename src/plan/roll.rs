//! A plan rolled forward to another fiscal year (`corner-kpi plan
//! --fiscal-year 2026 [--from plan.toml]`), as text, so the file keeps its
//! comments and layout:
//!
//! - `fiscal_year` becomes the new year;
//! - every plan date (due dates, event days, the examples in comments) moves
//!   to the same month and day of the new fiscal year (a day the new year
//!   lacks, such as 2月29日, becomes the month's last day);
//! - era and year names in the texts follow (令和5年度 → 令和8年度, 2023年度 →
//!   2026年度), and so do the competitions' numbers (第61回技能五輪全国大会 →
//!   第64回);
//! - targets stay as they are; each item's status goes back to 未着手 and its
//!   note (last year's) is removed;
//! - a comment at the top lists every line a person must review: the event
//!   days (competitions move every year), the qualifier fee, each target.
//!
//! The result is parsed again before it is returned, so what is printed is
//! always a valid plan.

use super::{Plan, PlanError};
use chrono::{Datelike, NaiveDate};

/// `text` (a plan) rolled forward to fiscal year `to`.
pub fn roll_forward(text: &str, source_name: &str, to: i32) -> Result<String, PlanError> {
    let plan = Plan::parse(text, source_name)?;
    let err = |message: String| PlanError { source_name: source_name.to_string(), message };
    let from = plan.fiscal_year.year();
    if crate::fiscal::FiscalYear::new(to).is_none() {
        return Err(err(format!("fiscal year {to} is out of range (1990..=2200)")));
    }
    let dy = to - from;
    let mut out: Vec<String> = Vec::new();
    let mut review: Vec<(usize, String)> = Vec::new();
    let mut kpi_id = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        // Last year's item notes are gone; statuses start again.
        if trimmed.starts_with("note =") || trimmed.starts_with("note=") {
            continue;
        }
        let mut new = if trimmed.starts_with("status =") || trimmed.starts_with("status=") {
            format!("{}status = \"未着手\"", &line[..line.len() - trimmed.len()])
        } else if let Some(rest) = trimmed.strip_prefix("fiscal_year") {
            let rest = rest.trim_start();
            if rest.starts_with('=') { format!("fiscal_year = {to}") } else { line.to_string() }
        } else {
            shift_text(&shift_dates(line, from, to), dy)
        };
        if new.trim_end() != new {
            new = new.trim_end().to_string();
        }
        let at = out.len() + 1;
        if let Some(id) = trimmed.strip_prefix("id = ").map(|s| s.trim_matches('"')) {
            kpi_id = id.to_string();
        }
        if trimmed.starts_with("schedule") && trimmed.contains("event") {
            review.push((at, format!("{kpi_id} の大会日（毎年変わります。今年度の開催日に直してください）")));
        } else if trimmed.starts_with("qualifier_fee_yen") {
            review.push((at, "技能五輪予選の参加手数料（今年度の受検手数料に直してください）".into()));
        } else if trimmed.starts_with("target") {
            review.push((at, format!("{kpi_id} の目標")));
        } else if trimmed.starts_with("schedule") && trimmed.contains("due") {
            review.push((at, format!("{kpi_id} の予定日")));
        }
        out.push(new);
    }
    let mut header = vec![
        format!("# {}度へ繰り越した計画（corner-kpi plan --fiscal-year {to} で作成）。", era_year_of(to)),
        format!(
            "# 日付は同じ月日へ移し（{from}年度 → {to}年度）、年度名・大会の回数を直し、取組の状況は「未着手」に戻して備考を消しました。"
        ),
        "# 目標値はそのままです。使う前に、次の行を確かめてください:".to_string(),
    ];
    let lines_before = header.len() + review.len() + 1;
    for (at, what) in &review {
        header.push(format!("#   - {} 行目: {what}", at + lines_before));
    }
    header.push("#".to_string());
    let mut text_out = header.join("\n");
    text_out.push('\n');
    text_out.push_str(&out.join("\n"));
    text_out.push('\n');
    let check = Plan::parse(&text_out, "(rolled forward)")
        .map_err(|e| err(format!("the rolled plan is invalid: {}", e.message)))?;
    if check.fiscal_year.year() != to {
        return Err(err(format!("the rolled plan says fiscal year {}", check.fiscal_year.year())));
    }
    Ok(text_out)
}

/// 令和8年 for fiscal year 2026.
fn era_year_of(fy: i32) -> String {
    NaiveDate::from_ymd_opt(fy, 4, 1).map_or_else(|| format!("{fy}年"), crate::fiscal::era_year)
}

/// The plan in `from` (or the embedded plan) rolled forward to fiscal year `to`.
pub fn from_file(from: Option<&std::path::Path>, to: i32) -> anyhow::Result<String> {
    use anyhow::Context;
    let (text, name) = match from {
        Some(p) => (
            std::fs::read_to_string(p).with_context(|| format!("cannot read plan file {}", p.display()))?,
            p.display().to_string(),
        ),
        None => (super::DEFAULT_PLAN_TOML.to_string(), "(embedded)".to_string()),
    };
    Ok(roll_forward(&text, &name, to)?)
}

/// A date of fiscal year `from` moved to the same month and day of fiscal
/// year `to`; a day the target month lacks becomes its last day.
pub fn shift_date(d: NaiveDate, from: i32, to: i32) -> NaiveDate {
    let year = d.year() + (to - from);
    NaiveDate::from_ymd_opt(year, d.month(), d.day()).or_else(|| crate::fiscal::month_end(year, d.month())).unwrap_or(d)
}

/// Every quoted `"YYYY-MM-DD"` or `"YYYY-MM"` in a line, moved.
fn shift_dates(line: &str, from: i32, to: i32) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(q) = rest.find('"') {
        out.push_str(&rest[..=q]);
        rest = &rest[q + 1..];
        let end = rest.find('"').unwrap_or(rest.len());
        let inner = &rest[..end];
        out.push_str(&shift_one(inner, from, to).unwrap_or_else(|| inner.to_string()));
        rest = &rest[end..];
        if let Some(r) = rest.strip_prefix('"') {
            out.push('"');
            rest = r;
        }
    }
    out.push_str(rest);
    out
}

fn shift_one(s: &str, from: i32, to: i32) -> Option<String> {
    let ok = |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if ok(y, 4) && ok(m, 2) && ok(d, 2) => {
            let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            Some(shift_date(date, from, to).format("%Y-%m-%d").to_string())
        }
        [y, m] if ok(y, 4) && ok(m, 2) => {
            let year: i32 = y.parse().ok()?;
            Some(format!("{:04}-{m}", year + (to - from)))
        }
        _ => None,
    }
}

/// Era and year names and competition numbers in a line, moved by `dy` years.
fn shift_text(line: &str, dy: i32) -> String {
    if dy == 0 {
        return line.to_string();
    }
    let mut s = bump_after(line, "令和", "年", dy, true);
    s = bump_number_before(&s, "年度", dy, 4);
    for event in ["回技能五輪全国大会", "回若年者ものづくり競技大会"] {
        s = bump_after(&s, "第", event, dy, false);
    }
    s
}

/// `{prefix}{n}{suffix}` → `{prefix}{n + dy}{suffix}` everywhere in `s`
/// (with `gannen`, 元 reads as 1 and a result of 1 is written 元).
fn bump_after(s: &str, prefix: &str, suffix: &str, dy: i32, gannen: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let (n, len) = if !digits.is_empty() {
            (digits.parse::<i32>().ok(), digits.len())
        } else if gannen && after.starts_with('元') {
            (Some(1), '元'.len_utf8())
        } else {
            (None, 0)
        };
        match n.filter(|_| after[len..].starts_with(suffix)) {
            Some(n) => {
                let m = n + dy;
                out.push_str(&rest[..i + prefix.len()]);
                if gannen && m == 1 {
                    out.push('元');
                } else {
                    out.push_str(&m.to_string());
                }
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..i + prefix.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A number of exactly `width` ASCII digits right before `suffix` (`2023年度`), moved.
fn bump_number_before(s: &str, suffix: &str, dy: i32, width: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(suffix) {
        let head = &rest[..i];
        let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
        if digits == width
            && let Ok(n) = head[head.len() - width..].parse::<i32>()
        {
            out.push_str(&head[..head.len() - width]);
            out.push_str(&(n + dy).to_string());
        } else {
            out.push_str(head);
        }
        out.push_str(suffix);
        rest = &rest[i + suffix.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::{DEFAULT_PLAN_TOML, ItemStatus, Schedule};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_embedded_plan_rolled_to_2026_moves_every_date_and_name_and_keeps_the_targets() {
        let text = roll_forward(DEFAULT_PLAN_TOML, "(embedded)", 2026).unwrap();
        let old = Plan::embedded();
        let new = Plan::parse(&text, "rolled").unwrap();
        assert_eq!(new.fiscal_year.year(), 2026);
        assert_eq!(new.name, "令和8年度 若年技能者人材育成支援等委託事業推進計画");
        assert_eq!(new.kpis.len(), old.kpis.len());
        for (a, b) in old.kpis.iter().zip(&new.kpis) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.target, b.target, "{}: targets are kept", a.id);
            let moved = |s: &Schedule| match s {
                Schedule::Due(ds) => Schedule::Due(ds.iter().map(|x| shift_date(*x, 2023, 2026)).collect()),
                Schedule::Event(x) => Schedule::Event(shift_date(*x, 2023, 2026)),
                other => other.clone(),
            };
            assert_eq!(b.schedule, moved(&a.schedule), "{}", a.id);
        }
        let ws = new.kpi("worldskills.competitors").unwrap();
        assert_eq!(ws.schedule, Schedule::Event(d(2026, 11, 21)));
        assert_eq!(ws.label, "第64回技能五輪全国大会 選手数");
        assert_eq!(new.kpi("youth_games.competitors").unwrap().label, "第21回若年者ものづくり競技大会 選手数");
        assert_eq!(new.kpi("training.sessions").unwrap().schedule, Schedule::Due(vec![d(2026, 9, 30), d(2027, 3, 31)]));
        assert!(new.items.iter().all(|i| i.status.is_none_or(|s| s == ItemStatus::NotStarted) && i.note.is_none()));
        assert!(new.items.iter().any(|i| i.status == Some(ItemStatus::NotStarted)));
        assert!(new.items.iter().any(|i| i.text.contains("令和8年度の本県被表彰者")), "texts follow the era");
        assert!(!text.contains("令和5年度") && !text.contains("2023-"), "nothing of the old year is left");
        assert_eq!(new.settings.qualifier_fee_yen, old.settings.qualifier_fee_yen);
    }

    #[test]
    fn the_header_names_every_line_to_review_by_its_number() {
        let text = roll_forward(DEFAULT_PLAN_TOML, "(embedded)", 2026).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let review: Vec<(usize, &str)> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("#   - "))
            .map(|l| {
                let (n, what) = l.split_once(" 行目: ").unwrap();
                (n.parse::<usize>().unwrap(), what)
            })
            .collect();
        let events = review.iter().filter(|(_, w)| w.contains("大会日")).count();
        assert_eq!(events, 9, "four 技能五輪, four 若年者 and the qualifier");
        for (n, what) in &review {
            let line = lines[n - 1];
            if what.contains("大会日") {
                assert!(line.contains("event"), "line {n} is an event day: {line}");
            } else if what.contains("参加手数料") {
                assert!(line.starts_with("qualifier_fee_yen"), "line {n}: {line}");
            } else if what.ends_with("の目標") {
                assert!(line.starts_with("target"), "line {n}: {line}");
            }
        }
        assert!(review.iter().any(|(_, w)| w.contains("参加手数料")));
        assert_eq!(
            review.iter().filter(|(_, w)| w.ends_with("の目標")).count(),
            Plan::embedded().kpis.iter().filter(|k| k.target.is_some()).count()
        );
    }

    #[test]
    fn a_day_the_new_year_lacks_becomes_the_months_last_day() {
        // FY2023 holds 2024-02-29; FY2024 ends 2025-03-31 (no 29 February); FY2027 ends in leap 2028.
        assert_eq!(shift_date(d(2024, 2, 29), 2023, 2024), d(2025, 2, 28));
        assert_eq!(shift_date(d(2024, 2, 29), 2023, 2027), d(2028, 2, 29));
        assert_eq!(shift_date(d(2025, 2, 28), 2024, 2027), d(2028, 2, 28));
        let leap = DEFAULT_PLAN_TOML.replacen("\"2024-03-31\"", "\"2024-02-29\"", 1);
        let text = roll_forward(&leap, "leap", 2026).unwrap();
        let p = Plan::parse(&text, "x").unwrap();
        assert_eq!(p.kpi("training.sessions").unwrap().schedule, Schedule::Due(vec![d(2026, 9, 30), d(2027, 2, 28)]));
        let to_2027 = roll_forward(&leap, "leap", 2027).unwrap();
        assert_eq!(
            Plan::parse(&to_2027, "x").unwrap().kpi("training.sessions").unwrap().schedule,
            Schedule::Due(vec![d(2027, 9, 30), d(2028, 2, 29)]),
            "FY2027 ends 2028-03-31 and keeps 29 February"
        );
    }

    #[test]
    fn rolling_back_and_forth_gives_the_same_dates() {
        let there = roll_forward(DEFAULT_PLAN_TOML, "x", 2026).unwrap();
        let back = roll_forward(&there, "x", 2023).unwrap();
        let (a, b) = (Plan::embedded(), Plan::parse(&back, "x").unwrap());
        for (x, y) in a.kpis.iter().zip(&b.kpis) {
            assert_eq!(x.schedule, y.schedule, "{}", x.id);
            assert_eq!(x.label, y.label, "{}", x.id);
        }
        assert_eq!(a.name, b.name);
    }

    #[test]
    fn era_and_year_names_and_numbers_move() {
        assert_eq!(shift_text("令和5年度 計画（2023年度）", 3), "令和8年度 計画（2026年度）");
        assert_eq!(shift_text("令和元年5月", 1), "令和2年5月");
        assert_eq!(shift_text("令和2年", -1), "令和元年");
        assert_eq!(
            shift_text("第61回技能五輪全国大会・第18回若年者ものづくり競技大会", 3),
            "第64回技能五輪全国大会・第21回若年者ものづくり競技大会"
        );
        assert_eq!(shift_text("第3回連携会議", 3), "第3回連携会議", "other numbers stay");
        assert_eq!(
            shift_dates("due = [\"2023-09-30\", \"2024-03\"] # \"x\"", 2023, 2026),
            "due = [\"2026-09-30\", \"2027-03\"] # \"x\""
        );
    }
}
