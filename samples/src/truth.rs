//! The generator's own arithmetic of every KPI id of `domain.md`, straight
//! from the records, as an independent oracle for the real pipeline; and
//! the warnings about dates outside their sheet's year, from the records and
//! the sheets.
//!
//! Rules used (those of `datasets.md`/`outputs.md`): only accepted records
//! (duplicates, conflicts, repeats without a number, copied sheets and rows
//! that did not happen are not); a dispatch row is one session per day (日数
//! N: N sessions on its 実施日; a range: one on each day, each in its own
//! month), each with its 受講者数; an outreach event is one 回 and its
//! participants × days person-days; dated KPIs count the first day of
//! `as_of`'s fiscal year to `as_of` inclusive (so each year's sessions count
//! in their own year, whatever their 派遣番号); competition entries carry no
//! date and count at any `as_of` (withdrawn entries only in
//! `competition.withdrawals`; rows with a 年度 other than `as_of`'s fiscal
//! year never); an incident is late when 報告日 is blank or more than one day after
//! 発生日; a meister is inactive when registered at `as_of` (certified more
//! than three years before it, not deregistered on or before it) with no dispatch or outreach
//! row of theirs dated in the three years up to `as_of` (after `as_of` minus
//! three years) and no 最終活動日 in that window; an untrained dispatch is a
//! counted meister session whose meister has no 講習受講日.

use super::layout::{BookLayout, col_letter};
use super::model::{
    CheckKind, DispatchRecord, ExpectedWarning, ExpectedWarningKind, Fate, NotHeldKind, Place, SampleSet,
};
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The fiscal year (April to March) a date falls in: 2023 for 2024-03-31.
pub(crate) fn fiscal_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 { d.year() } else { d.year() - 1 }
}

impl SampleSet {
    /// `(kpi id, actual)` for every KPI id of `domain.md`, in its order, for
    /// the fiscal year of `as_of` (the samples' FY2023, or FY2022 from the
    /// 過年度 book and the late rows of 上期 4月).
    pub fn kpi_actuals(&self, as_of: NaiveDate) -> Vec<(&'static str, f64)> {
        let fy = fiscal_year(as_of);
        let start = NaiveDate::from_ymd_opt(fy, 4, 1).expect("valid date");
        let in_fy = |d: NaiveDate| d >= start && d <= as_of;
        let ok = |f: &Fate| matches!(f, Fate::Accepted);

        // One entry per session (a row over several days is several).
        let sessions = |instructor_type: &str| -> Vec<&DispatchRecord> {
            self.dispatches
                .iter()
                .filter(|r| ok(&r.fate) && r.instructor_type == instructor_type)
                .flat_map(|r| r.sessions().into_iter().filter(|d| in_fy(*d)).map(move |_| r))
                .collect()
        };
        let meister_sessions = sessions("ものづくりマイスター");
        let skilled = sessions("熟練技能者");
        let by_dest = |t: &[&str]| meister_sessions.iter().filter(|r| t.contains(&r.dest_type)).count() as f64;
        let outreach =
            |kind: &'static str| self.outreach.iter().filter(move |r| ok(&r.fate) && in_fy(r.date) && r.kind == kind);
        let entries = |event: &'static str| {
            self.competitions
                .iter()
                .filter(move |r| ok(&r.fate) && r.event == event && r.fiscal_year.is_none_or(|y| y == fy))
        };
        let counted = |event: &'static str| entries(event).filter(|r| !r.withdrawn);
        let people = |event: &'static str, role: &str| counted(event).filter(|r| r.role == role).count() as f64;
        let distinct = |items: Vec<&str>| items.into_iter().collect::<BTreeSet<_>>().len() as f64;
        let trades = |event: &'static str| distinct(counted(event).map(|r| r.trade.as_str()).collect());
        let orgs = |event: &'static str| distinct(counted(event).map(|r| r.org.as_str()).collect());
        let incidents: Vec<_> = self.incidents.iter().filter(|r| ok(&r.fate) && in_fy(r.date)).collect();

        // Meister activity.
        let window_start = as_of.checked_sub_months(Months::new(36)).expect("valid date");
        let active_in_window = |no: &str| {
            let in_window = |d: NaiveDate| d > window_start && d <= as_of;
            self.dispatches
                .iter()
                .any(|r| ok(&r.fate) && r.meister_no.as_deref() == Some(no) && r.sessions().into_iter().any(in_window))
                || self.outreach.iter().any(|r| ok(&r.fate) && r.meister_no.as_deref() == Some(no) && in_window(r.date))
                || self
                    .meisters
                    .iter()
                    .any(|m| ok(&m.fate) && m.meister_no == no && m.last_activity_on.is_some_and(in_window))
        };
        let registered: Vec<_> = self
            .meisters
            .iter()
            .filter(|m| ok(&m.fate) && m.certified_on <= as_of && m.deregistered_on.is_none_or(|x| x > as_of))
            .collect();
        let untrained: BTreeSet<&str> = self
            .meisters
            .iter()
            .filter(|m| ok(&m.fate) && m.trained_on.is_none())
            .map(|m| m.meister_no.as_str())
            .collect();

        vec![
            ("dispatch.sessions", meister_sessions.len() as f64),
            ("dispatch.person_days", meister_sessions.iter().map(|r| r.trainees).sum::<i64>() as f64),
            ("dispatch.sme_groups.sessions", by_dest(&["中小企業", "業界団体"])),
            ("dispatch.schools.sessions", by_dest(&["工業高校等"])),
            ("dispatch.public.sessions", by_dest(&["公共施設等"])),
            ("skilled.sessions", skilled.len() as f64),
            ("skilled.trainees", skilled.iter().map(|r| r.trainees).sum::<i64>() as f64),
            ("outreach.school.sessions", outreach("小中学校等").count() as f64),
            (
                "outreach.school.person_days",
                outreach("小中学校等").map(|r| r.participants * i64::from(r.days)).sum::<i64>() as f64,
            ),
            ("outreach.saposte.places", distinct(outreach("サポステ").map(|r| r.venue.as_str()).collect())),
            (
                "meister.new_certified",
                self.meisters.iter().filter(|m| ok(&m.fate) && in_fy(m.certified_on)).count() as f64,
            ),
            ("training.sessions", self.trainings.iter().filter(|r| ok(&r.fate) && in_fy(r.date)).count() as f64),
            ("coordinator.visits", self.visits.iter().filter(|r| ok(&r.fate) && in_fy(r.date)).count() as f64),
            ("worldskills.competitors", people("技能五輪全国大会", "選手")),
            ("worldskills.instructors", people("技能五輪全国大会", "指導者")),
            ("worldskills.trades", trades("技能五輪全国大会")),
            ("worldskills.orgs", orgs("技能五輪全国大会")),
            ("youth_games.competitors", people("若年者ものづくり競技大会", "選手")),
            ("youth_games.instructors", people("若年者ものづくり競技大会", "指導者")),
            ("youth_games.trades", trades("若年者ものづくり競技大会")),
            ("youth_games.orgs", orgs("若年者ものづくり競技大会")),
            ("qualifier.trades", trades("技能五輪予選")),
            ("council.meetings", self.meetings.iter().filter(|r| ok(&r.fate) && in_fy(r.date)).count() as f64),
            ("privacy.incidents", incidents.len() as f64),
            (
                "privacy.late_reports",
                incidents.iter().filter(|r| r.reported_on.is_none_or(|rep| (rep - r.date).num_days() > 1)).count()
                    as f64,
            ),
            (
                "meister.inactive_3y",
                registered.iter().filter(|m| m.certified_on < window_start && !active_in_window(&m.meister_no)).count()
                    as f64,
            ),
            (
                "meister.deregistered",
                self.meisters.iter().filter(|m| ok(&m.fate) && m.deregistered_on.is_some_and(in_fy)).count() as f64,
            ),
            (
                "meister.untrained_dispatches",
                meister_sessions
                    .iter()
                    .filter(|r| r.meister_no.as_deref().is_some_and(|n| untrained.contains(n)))
                    .count() as f64,
            ),
            (
                "competition.withdrawals",
                self.competitions
                    .iter()
                    .filter(|r| ok(&r.fate) && r.withdrawn && r.fiscal_year.is_none_or(|y| y == fy))
                    .count() as f64,
            ),
        ]
    }

    /// Meister numbers counted in `meister.inactive_3y` at `as_of` (same rule).
    pub fn inactive_meisters(&self, as_of: NaiveDate) -> Vec<String> {
        let window_start = as_of.checked_sub_months(Months::new(36)).expect("valid date");
        let in_window = |d: NaiveDate| d > window_start && d <= as_of;
        let ok = |f: &Fate| matches!(f, Fate::Accepted);
        self.meisters
            .iter()
            .filter(|m| ok(&m.fate) && m.certified_on <= as_of && m.deregistered_on.is_none_or(|x| x > as_of))
            // Certified more than three years before `as_of` (issue 3).
            .filter(|m| m.certified_on < window_start)
            .filter(|m| {
                let no = Some(m.meister_no.as_str());
                !(self
                    .dispatches
                    .iter()
                    .any(|r| ok(&r.fate) && r.meister_no.as_deref() == no && r.sessions().into_iter().any(in_window))
                    || self.outreach.iter().any(|r| ok(&r.fate) && r.meister_no.as_deref() == no && in_window(r.date))
                    || m.last_activity_on.is_some_and(in_window))
            })
            .map(|m| m.meister_no.clone())
            .collect()
    }
}

/// One row of a record type with a date field, for the sheet-year rule.
struct DatedRow<'a> {
    place: &'a Place,
    date: NaiveDate,
    fate: &'a Fate,
    /// The canonical header of the record type's date column.
    date_header: &'static str,
}

/// Every accepted row dated outside its sheet's fiscal year (`datasets.md`):
/// a sheet's dated rows are its rows whose date was read (accepted,
/// duplicates, conflicts, repeats without a number, rows that did not
/// happen but hold a date, and rows rejected for another field; not the
/// rows of a copied sheet, never read); when at
/// least 5 of them and at least 80% fall in one fiscal year, each accepted
/// row dated in another year is listed at its date cell. Record types with
/// a date field only (not meisters, not competitions).
pub(crate) fn date_warnings(set: &SampleSet, books: &[BookLayout]) -> Vec<ExpectedWarning> {
    let mut rows: Vec<DatedRow<'_>> = Vec::new();
    let mut add = |place, date, fate, date_header| rows.push(DatedRow { place, date, fate, date_header });
    set.dispatches.iter().for_each(|r| add(&r.place, r.date, &r.fate, "実施日"));
    set.outreach.iter().for_each(|r| add(&r.place, r.date, &r.fate, "実施日"));
    set.trainings.iter().for_each(|r| add(&r.place, r.date, &r.fate, "実施日"));
    set.meetings.iter().for_each(|r| add(&r.place, r.date, &r.fate, "開催日"));
    set.visits.iter().for_each(|r| add(&r.place, r.date, &r.fate, "訪問日"));
    set.incidents.iter().for_each(|r| add(&r.place, r.date, &r.fate, "発生日"));

    let mut by_sheet: BTreeMap<(&str, &str), Vec<&DatedRow<'_>>> = BTreeMap::new();
    let unread = |f: &Fate| matches!(f, Fate::InSheetCopy { .. } | Fate::NotHeld { kind: NotHeldKind::DateWord, .. });
    for r in rows.iter().filter(|r| r.fate.rejected_column() != Some(r.date_header) && !unread(r.fate)) {
        by_sheet.entry((r.place.file.as_str(), r.place.sheet.as_str())).or_default().push(r);
    }
    let mut out = Vec::new();
    for ((file, sheet), dated) in by_sheet {
        if dated.len() < 5 {
            continue;
        }
        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
        for r in &dated {
            *per_year.entry(fiscal_year(r.date)).or_default() += 1;
        }
        let Some((&year, &n)) = per_year.iter().max_by_key(|(_, n)| **n) else { continue };
        if n * 5 < dated.len() * 4 {
            continue;
        }
        let layout = books
            .iter()
            .filter(|b| b.path == file)
            .flat_map(|b| &b.sheets)
            .find(|s| s.name == sheet)
            .expect("every record's sheet is laid out");
        let col = col_letter(layout.col_of("date").expect("a dated sheet has a date column"));
        for r in dated.iter().filter(|r| r.fate.is_accepted() && fiscal_year(r.date) != year) {
            out.push(ExpectedWarning {
                file: file.to_string(),
                sheet: sheet.to_string(),
                cell: format!("{col}{}", r.place.row),
                kind: ExpectedWarningKind::DateOutsideSheetYear { date: r.date, sheet_year: year },
            });
        }
    }
    out
}

/// The warnings a run adds for a plan of `as_of`'s fiscal year
/// (`Normalised::settle`): each 予定 row dated on or before `as_of`, at the
/// cell it is listed at (its 状況); each accepted competition entry whose
/// year nothing names, at the row's first matched cell, when some accepted
/// dated row falls in another fiscal year.
pub(crate) fn settled_warnings(set: &SampleSet, books: &[BookLayout], as_of: NaiveDate) -> Vec<ExpectedWarning> {
    let mut out = Vec::new();
    let mut planned = |fate: &Fate, place: &Place, date: NaiveDate| {
        if let Fate::NotHeld { kind: NotHeldKind::Planned, cell } = fate
            && date <= as_of
        {
            out.push(ExpectedWarning {
                file: place.file.clone(),
                sheet: place.sheet.clone(),
                cell: cell.clone(),
                kind: ExpectedWarningKind::Check(CheckKind::PlannedPastDate),
            });
        }
    };
    set.dispatches.iter().for_each(|r| planned(&r.fate, &r.place, r.date));
    set.outreach.iter().for_each(|r| planned(&r.fate, &r.place, r.date));
    set.trainings.iter().for_each(|r| planned(&r.fate, &r.place, r.date));
    set.meetings.iter().for_each(|r| planned(&r.fate, &r.place, r.date));
    set.visits.iter().for_each(|r| planned(&r.fate, &r.place, r.date));

    let fy = fiscal_year(as_of);
    let accepted_dates = set
        .dispatches
        .iter()
        .filter(|r| r.fate.is_accepted())
        .map(|r| r.date)
        .chain(set.outreach.iter().filter(|r| r.fate.is_accepted()).map(|r| r.date))
        .chain(set.trainings.iter().filter(|r| r.fate.is_accepted()).map(|r| r.date))
        .chain(set.meetings.iter().filter(|r| r.fate.is_accepted()).map(|r| r.date))
        .chain(set.visits.iter().filter(|r| r.fate.is_accepted()).map(|r| r.date))
        .chain(set.incidents.iter().filter(|r| r.fate.is_accepted()).map(|r| r.date));
    let other_year = accepted_dates.map(fiscal_year).any(|y| y != fy)
        || set.competitions.iter().any(|r| r.fate.is_accepted() && r.fiscal_year.is_some_and(|y| y != fy));
    if other_year {
        for r in set.competitions.iter().filter(|r| r.fate.is_accepted() && r.fiscal_year.is_none()) {
            let layout = books
                .iter()
                .filter(|b| b.path == r.place.file)
                .flat_map(|b| &b.sheets)
                .find(|s| s.name == r.place.sheet)
                .expect("every record's sheet is laid out");
            out.push(ExpectedWarning {
                file: r.place.file.clone(),
                sheet: r.place.sheet.clone(),
                cell: format!("{}{}", col_letter(layout.first_matched_col()), r.place.row),
                kind: ExpectedWarningKind::Check(CheckKind::YearUnnamed),
            });
        }
    }
    out
}
