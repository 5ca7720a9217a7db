//! The truth of a generated nation: each corner's planted KPIs counted by
//! the generator's own arithmetic over the records it planted (year to
//! date, 前年同期, whole fiscal years, `meister.inactive_3y`), its personal
//! values, and the national totals. The types ([`NationTruth`],
//! [`CornerTruth`]) are in `mod.rs`, with the writer that fills them.

use super::records::Session;
use super::{CornerTruth, NationTruth, PLANTED};
use crate::build::d;
use chrono::{Datelike, Months, NaiveDate};

/// The fiscal year (April to March) of a date.
fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 { date.year() } else { date.year() - 1 }
}

fn fy_start(fy: i32) -> NaiveDate {
    d(fy, 4, 1)
}

fn fy_end(fy: i32) -> NaiveDate {
    d(fy + 1, 3, 31)
}

/// The day one year before (29 February → 28 February), as the reader's 前年同期.
fn year_before(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year() - 1, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(date.year() - 1, date.month(), 28))
        .unwrap_or(date)
}

/// The record type a planted KPI is counted from (for 前年同期: a record
/// type with no row in the previous year gives no figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dispatches,
    Outreach,
    Registry,
    Trainings,
    Visits,
    Meetings,
}

impl CornerTruth {
    /// The target of a KPI in the corner's plan.
    pub fn target(&self, id: &str) -> Option<f64> {
        self.targets.iter().find(|(k, _)| k == id).map(|(_, t)| *t)
    }

    /// Every planted dated KPI counted from `from` to `until` (inclusive).
    fn dated(&self, from: NaiveDate, until: NaiveDate) -> Vec<(&'static str, Kind, f64)> {
        let c = &self.records;
        let within = |x: NaiveDate| x >= from && x <= until;
        let sessions: Vec<&Session> =
            c.years.iter().flat_map(|y| &y.sessions).filter(|s| s.accepted() && within(s.date)).collect();
        let meister: Vec<&&Session> = sessions.iter().filter(|s| s.meister.is_some()).collect();
        let skilled: Vec<&&Session> = sessions.iter().filter(|s| s.meister.is_none()).collect();
        let by = |dests: &[&str]| meister.iter().filter(|s| dests.contains(&s.dest.canonical())).count() as f64;
        let outreach: Vec<_> = c.years.iter().flat_map(|y| &y.outreach).filter(|o| within(o.date)).collect();
        let school: Vec<_> = outreach.iter().filter(|o| o.school).collect();
        let places: std::collections::BTreeSet<&str> =
            outreach.iter().filter(|o| !o.school).map(|o| o.place.as_str()).collect();
        let count = |n: usize| n as f64;
        let untrained = meister
            .iter()
            .filter(|s| s.meister.is_some_and(|i| c.meisters[i].trained_on.is_none_or(|t| t > s.date)))
            .count();
        use Kind::*;
        vec![
            ("dispatch.sessions", Dispatches, count(meister.len())),
            ("dispatch.person_days", Dispatches, meister.iter().map(|s| s.trainees).sum::<i64>() as f64),
            ("dispatch.sme_groups.sessions", Dispatches, by(&["中小企業", "業界団体"])),
            ("dispatch.schools.sessions", Dispatches, by(&["工業高校等"])),
            ("dispatch.public.sessions", Dispatches, by(&["公共施設等"])),
            ("skilled.sessions", Dispatches, count(skilled.len())),
            ("skilled.trainees", Dispatches, skilled.iter().map(|s| s.trainees).sum::<i64>() as f64),
            ("outreach.school.sessions", Outreach, count(school.len())),
            ("outreach.school.person_days", Outreach, school.iter().map(|o| o.participants).sum::<i64>() as f64),
            ("outreach.saposte.places", Outreach, count(places.len())),
            ("meister.new_certified", Registry, count(c.meisters.iter().filter(|m| within(m.certified_on)).count())),
            (
                "training.sessions",
                Trainings,
                count(c.years.iter().flat_map(|y| &y.trainings).filter(|t| within(t.date)).count()),
            ),
            (
                "coordinator.visits",
                Visits,
                count(c.years.iter().flat_map(|y| &y.visits).filter(|v| within(v.date)).count()),
            ),
            (
                "council.meetings",
                Meetings,
                count(c.years.iter().flat_map(|y| &y.meetings).filter(|m| within(m.date)).count()),
            ),
            (
                "meister.deregistered",
                Registry,
                count(c.meisters.iter().filter(|m| m.deregistered_on.is_some_and(within)).count()),
            ),
            ("meister.untrained_dispatches", Dispatches, count(untrained)),
        ]
    }

    /// Whether the corner has an accepted row of a record type dated in `fy`.
    fn has_year(&self, kind: Kind, fy: i32) -> bool {
        let c = &self.records;
        let of = |d: NaiveDate| fiscal_year(d) == fy;
        let years = c.years.iter();
        match kind {
            Kind::Registry => !c.meisters.is_empty(),
            Kind::Dispatches => years.flat_map(|y| &y.sessions).any(|s| s.accepted() && of(s.date)),
            Kind::Outreach => years.flat_map(|y| &y.outreach).any(|o| of(o.date)),
            Kind::Trainings => years.flat_map(|y| &y.trainings).any(|t| of(t.date)),
            Kind::Visits => years.flat_map(|y| &y.visits).any(|v| of(v.date)),
            Kind::Meetings => years.flat_map(|y| &y.meetings).any(|m| of(m.date)),
        }
    }

    /// `meister.inactive_3y` at `as_of`: registered (certified by `as_of`,
    /// not deregistered by it), certified more than three years before it,
    /// and no dispatch or outreach row of theirs dated in the three years
    /// up to it.
    fn inactive(&self, as_of: NaiveDate) -> f64 {
        let c = &self.records;
        let cutoff = as_of.checked_sub_months(Months::new(36)).unwrap_or(as_of);
        let mut last: Vec<Option<NaiveDate>> = vec![None; c.meisters.len()];
        let mut note = |i: usize, date: NaiveDate| {
            if date <= as_of && last[i].is_none_or(|l| l < date) {
                last[i] = Some(date);
            }
        };
        for y in &c.years {
            for s in y.sessions.iter().filter(|s| s.accepted()) {
                if let Some(i) = s.meister {
                    note(i, s.date);
                }
            }
            for o in &y.outreach {
                if let Some(i) = o.meister {
                    note(i, o.date);
                }
            }
        }
        c.meisters
            .iter()
            .zip(&last)
            .filter(|(m, last)| {
                m.certified_on <= as_of
                    && m.deregistered_on.is_none_or(|x| x > as_of)
                    && m.certified_on < cutoff
                    && last.is_none_or(|l| l <= cutoff)
            })
            .count() as f64
    }

    /// Every planted KPI at `as_of`: the dated ones from the first day of
    /// its fiscal year to it, and `meister.inactive_3y`. In [`PLANTED`] order.
    pub fn actuals(&self, as_of: NaiveDate) -> Vec<(&'static str, f64)> {
        let fy = fiscal_year(as_of);
        let mut out: Vec<(&'static str, f64)> =
            self.dated(fy_start(fy), as_of.min(fy_end(fy))).into_iter().map(|(id, _, v)| (id, v)).collect();
        out.push(("meister.inactive_3y", self.inactive(as_of)));
        PLANTED.iter().filter_map(|id| out.iter().find(|(k, _)| k == id).copied()).collect()
    }

    /// One planted KPI at `as_of`.
    pub fn actual(&self, id: &str, as_of: NaiveDate) -> Option<f64> {
        self.actuals(as_of).into_iter().find(|(k, _)| *k == id).map(|(_, v)| v)
    }

    /// 前年同期 of every planted dated KPI at `as_of`: the previous fiscal
    /// year from its first day to one year before `as_of`; `None` when the
    /// corner has no row of that record type dated in that year (the
    /// registry always has: it carries every year's 認定日).
    pub fn previous_year_to_date(&self, as_of: NaiveDate) -> Vec<(&'static str, Option<f64>)> {
        let fy = fiscal_year(as_of) - 1;
        let until = year_before(as_of).min(fy_end(fy));
        self.dated(fy_start(fy), until)
            .into_iter()
            .map(|(id, kind, v)| (id, self.has_year(kind, fy).then_some(v)))
            .collect()
    }

    /// Every planted dated KPI over the whole of fiscal year `fy` (as far as
    /// records were drawn).
    pub fn year_actuals(&self, fy: i32) -> Vec<(&'static str, f64)> {
        self.dated(fy_start(fy), fy_end(fy)).into_iter().map(|(id, _, v)| (id, v)).collect()
    }

    /// Personal values planted in the corner's workbooks (instructor,
    /// meister and coordinator names), for leak checks.
    pub fn pii_values(&self) -> Vec<String> {
        let c = &self.records;
        let mut v: std::collections::BTreeSet<String> = c.meisters.iter().map(|m| m.name.clone()).collect();
        for y in &c.years {
            v.extend(y.sessions.iter().map(|s| s.instructor.clone()));
            v.extend(y.visits.iter().map(|x| x.coordinator.clone()));
        }
        v.into_iter().collect()
    }
}

impl NationTruth {
    /// The national total of every planted KPI at `as_of`: the sum over the
    /// corners.
    pub fn totals(&self, as_of: NaiveDate) -> Vec<(&'static str, f64)> {
        let mut out: Vec<(&'static str, f64)> = PLANTED.iter().map(|id| (*id, 0.0)).collect();
        for c in &self.corners {
            for (id, v) in c.actuals(as_of) {
                if let Some(slot) = out.iter_mut().find(|(k, _)| *k == id) {
                    slot.1 += v;
                }
            }
        }
        out
    }

    /// The corner in `folder`.
    pub fn corner(&self, folder: &str) -> Option<&CornerTruth> {
        self.corners.iter().find(|c| c.folder == folder)
    }
}
