//! Pace: expected-to-date, achievement, forecast and status of one KPI at an
//! as-of date, exactly as outputs.md defines them.

use super::Status;
use crate::fiscal::FiscalYear;
use crate::plan::{Direction, KpiPlan, Schedule};
use chrono::NaiveDate;

/// The pace figures of one KPI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub expected_to_date: Option<f64>,
    pub achievement: Option<f64>,
    pub forecast: Option<f64>,
    pub status: Status,
}

/// The planned cumulative amount due by `date` (None when not paced).
pub fn expected_by(plan: &KpiPlan, fy: FiscalYear, date: NaiveDate) -> Option<f64> {
    let target = plan.target?;
    match plan.direction {
        Direction::Info => None,
        Direction::AtMost => Some(target),
        Direction::AtLeast => Some(match &plan.schedule {
            Schedule::Linear => target * fy.elapsed_fraction(date),
            Schedule::Due(dates) => {
                let due = dates.iter().filter(|d| **d <= date).count();
                target * due as f64 / dates.len() as f64
            }
            Schedule::Event(day) => {
                if date >= *day {
                    target
                } else {
                    0.0
                }
            }
            Schedule::None => target,
        }),
    }
}

/// Pace of a KPI with `actual` at `as_of`. `actual = None` means the record
/// type has no sheet at all: status `no_data`.
pub fn pace(plan: &KpiPlan, fy: FiscalYear, as_of: NaiveDate, actual: Option<f64>) -> Pace {
    let none = |status| Pace { expected_to_date: None, achievement: None, forecast: None, status };
    if plan.direction == Direction::Info {
        return none(if actual.is_some() { Status::Info } else { Status::NoData });
    }
    if !plan.planned || plan.target.is_none() {
        return none(if actual.is_some() { Status::NotPlanned } else { Status::NoData });
    }
    let target = plan.target.unwrap_or(0.0);
    let expected = expected_by(plan, fy, as_of);
    let achievement = (target > 0.0).then(|| actual.map(|a| a / target)).flatten();
    let Some(actual) = actual else {
        return Pace { expected_to_date: expected, achievement: None, forecast: None, status: Status::NoData };
    };
    let exp = expected.unwrap_or(target);
    if plan.direction == Direction::AtMost {
        return Pace {
            expected_to_date: Some(target),
            achievement,
            forecast: Some(actual),
            status: if actual <= target { Status::Ok } else { Status::Breach },
        };
    }
    let forecast = match &plan.schedule {
        Schedule::Linear => {
            let f = fy.elapsed_fraction(as_of);
            if f > 0.0 { actual / f } else { actual }
        }
        Schedule::Due(_) => actual + (target - exp),
        Schedule::Event(_) | Schedule::None => actual,
    };
    let status = if actual >= target {
        Status::Achieved
    } else if super::verdict::due_passed(plan, fy, as_of) {
        // Past its last due date an unmet target can no longer be caught up.
        Status::Missed
    } else if actual >= exp {
        Status::OnTrack
    } else if actual >= 0.8 * exp {
        Status::AtRisk
    } else {
        Status::Behind
    };
    Pace { expected_to_date: Some(exp), achievement, forecast: Some(forecast), status }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn linear_pace_matches_the_outputs_md_example() {
        // outputs.md: target 270, actual 151 at 2023-10-31 → expected 157.9,
        // achievement 0.5593, forecast 258.3, at_risk.
        let plan = Plan::embedded();
        let k = plan.kpi("dispatch.sessions").unwrap();
        let p = pace(k, plan.fiscal_year, d(2023, 10, 31), Some(151.0));
        let f = 214.0 / 366.0;
        assert!((p.expected_to_date.unwrap() - 270.0 * f).abs() < 1e-9);
        assert!((p.expected_to_date.unwrap() - 157.9).abs() < 0.05);
        assert!((p.achievement.unwrap() - 0.5593).abs() < 0.0001);
        assert!((p.forecast.unwrap() - 258.3).abs() < 0.05);
        assert_eq!(p.status, Status::AtRisk);
    }

    #[test]
    fn status_thresholds() {
        let plan = Plan::embedded();
        let k = plan.kpi("dispatch.sessions").unwrap();
        let exp: f64 = 270.0 * 214.0 / 366.0; // 157.87
        let at = |a: f64| pace(k, plan.fiscal_year, d(2023, 10, 31), Some(a)).status;
        assert_eq!(at(270.0), Status::Achieved);
        assert_eq!(at(158.0), Status::OnTrack);
        assert_eq!(at((0.8 * exp).ceil()), Status::AtRisk);
        assert_eq!(at((0.8 * exp).floor()), Status::Behind);
    }

    #[test]
    fn dated_share_and_event_and_at_most() {
        let plan = Plan::embedded();
        let fy = plan.fiscal_year;
        let council = plan.kpi("council.meetings").unwrap();
        let p = pace(council, fy, d(2023, 10, 31), Some(1.0));
        assert_eq!(p.expected_to_date, Some(1.0));
        assert_eq!(p.forecast, Some(2.0));
        assert_eq!(p.status, Status::OnTrack);
        assert_eq!(pace(council, fy, d(2023, 6, 29), Some(0.0)).expected_to_date, Some(0.0));

        let ws = plan.kpi("worldskills.competitors").unwrap();
        assert_eq!(expected_by(ws, fy, d(2023, 11, 20)), Some(0.0));
        assert_eq!(expected_by(ws, fy, d(2023, 11, 21)), Some(16.0));
        let p = pace(ws, fy, d(2023, 10, 31), Some(15.0));
        assert_eq!((p.forecast, p.status), (Some(15.0), Status::OnTrack));
        // Past the event an unmet target is missed, not slightly behind.
        let p = pace(ws, fy, d(2023, 12, 31), Some(15.0));
        assert_eq!(p.status, Status::Missed);
        assert_eq!(pace(ws, fy, d(2023, 12, 31), Some(16.0)).status, Status::Achieved);

        let inc = plan.kpi("privacy.incidents").unwrap();
        let p = pace(inc, fy, d(2023, 10, 31), Some(0.0));
        assert_eq!((p.expected_to_date, p.achievement, p.status), (Some(0.0), None, Status::Ok));
        assert_eq!(pace(inc, fy, d(2023, 10, 31), Some(1.0)).status, Status::Breach);
    }

    #[test]
    fn info_not_planned_and_no_data() {
        let plan = Plan::embedded();
        let fy = plan.fiscal_year;
        let info = plan.kpi("meister.inactive_3y").unwrap();
        let p = pace(info, fy, d(2023, 10, 31), Some(3.0));
        assert_eq!((p.expected_to_date, p.forecast, p.status), (None, None, Status::Info));
        let public = plan.kpi("dispatch.public.sessions").unwrap();
        assert_eq!(pace(public, fy, d(2023, 10, 31), Some(4.0)).status, Status::NotPlanned);
        let k = plan.kpi("dispatch.sessions").unwrap();
        assert_eq!(pace(k, fy, d(2023, 10, 31), None).status, Status::NoData);
    }
}
