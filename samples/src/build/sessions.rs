//! The dispatch sessions of the two fiscal years, drawn from the seed: the
//! FY2023 plan per month (with the bad rows, the new meisters' first
//! sessions, the merged-date pair and the 技能継承講座 sessions planted),
//! FY2022's history, and the one FY2022 session repeating its FY2023
//! namesake. What a session is ([`Sess`]) and what can be wrong with its
//! row ([`Bad`]).

use super::calendar::workday;
use super::conventions;
use super::courses::COURSES;
use super::{d, ymd};
use crate::data::{Cat, MEISTERS, MeisterSpec, REQUESTERS, Requester, Role, SKILLED_TRADES};
use crate::layout::ym;
use crate::rng::Rng;
use chrono::NaiveDate;

/// What is wrong with a session's row (all but `None` are rejected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bad {
    None,
    ImpossibleDate,
    FreeTextDate,
    NegativeCount,
    UnknownDest,
    BlankTrade,
    FractionalCount,
}

#[derive(Debug, Clone)]
pub(super) struct Sess {
    pub(super) date: NaiveDate,
    pub(super) cat: Cat,
    /// Index into `REQUESTERS`, or `usize::MAX` for the NPO of the bad row.
    pub(super) req: usize,
    pub(super) meister: Option<usize>,
    pub(super) skilled: Option<usize>,
    pub(super) trainees: i64,
    pub(super) hours: f64,
    pub(super) no: Option<String>,
    /// Whether it gets a 派遣番号 at all.
    pub(super) numbered: bool,
    pub(super) bad: Bad,
    pub(super) note: Option<&'static str>,
    /// Index into `COURSES` for a session of the `.ods` 技能継承講座 (written
    /// there, not on the month sheets).
    pub(super) course: Option<usize>,
    /// The office convention planted on the row, if any.
    pub(super) conv: conventions::Conv,
}

impl Sess {
    pub(super) fn new(date: NaiveDate, cat: Cat) -> Sess {
        Sess {
            date,
            cat,
            req: usize::MAX,
            meister: None,
            skilled: None,
            trainees: 0,
            hours: 2.0,
            no: None,
            numbered: true,
            bad: Bad::None,
            note: None,
            course: None,
            conv: conventions::Conv::default(),
        }
    }
}

/// 備考 of the two sessions whose 実施日 cells are merged.
pub(super) const PAIR_HEAD: &str = "午前の部";
pub(super) const PAIR_TAIL: &str = "午後の部";

pub(super) const NPO_NAME: &str = "NPO法人しゅうなんものづくり応援団";

/// FY2023 plan of sessions per month: (year, month, school, SME, group, public, skilled).
/// Schools are heavy in autumn, companies in winter; July gets one more
/// school session (the merged-date partner), so schools total 176.
const FY2023_MONTHS: [(i32, u32, u32, u32, u32, u32, u32); 12] = [
    (2023, 4, 5, 3, 1, 0, 0),
    (2023, 5, 12, 4, 2, 0, 0),
    (2023, 6, 16, 5, 2, 0, 1),
    (2023, 7, 16, 5, 2, 1, 2),
    (2023, 8, 7, 4, 1, 2, 0),
    (2023, 9, 20, 5, 2, 0, 1),
    (2023, 10, 27, 6, 2, 0, 2),
    (2023, 11, 24, 7, 3, 1, 2),
    (2023, 12, 14, 6, 3, 0, 0),
    (2024, 1, 16, 7, 4, 0, 2),
    (2024, 2, 14, 8, 4, 1, 1),
    (2024, 3, 4, 8, 2, 0, 0),
];

/// FY2022 sessions per month (the 過年度 workbook), April first.
const FY2022_MONTHS: [u32; 12] = [4, 6, 8, 8, 4, 8, 9, 8, 6, 7, 7, 5];

/// Trainees of the 11 skilled-worker sessions, in date order.
const SKILLED_TRAINEES: [i64; 11] = [12, 13, 11, 12, 12, 13, 14, 12, 15, 13, 11];

fn eligible(ms: &MeisterSpec, date: NaiveDate) -> bool {
    ymd(ms.certified) <= date
        && ms.trained.is_none_or(|t| ymd(t) <= date)
        && ms.deregistered.is_none_or(|x| date < ymd(x))
}

/// A meister for a session: same trade and region as the requester asks
/// for when possible, then same trade, then anyone eligible.
pub(super) fn pick_meister(rng: &mut Rng, req: Option<&Requester>, date: NaiveDate, fy2022: bool) -> usize {
    let weight = |ms: &MeisterSpec| -> u32 {
        match ms.role {
            Role::Active | Role::New if !fy2022 => ms.weight,
            Role::Active if fy2022 => ms.weight,
            Role::History if fy2022 => 3,
            _ => 0,
        }
    };
    let base: Vec<usize> =
        (0..MEISTERS.len()).filter(|&i| weight(&MEISTERS[i]) > 0 && eligible(&MEISTERS[i], date)).collect();
    let trade_ok = |i: &usize| req.is_some_and(|r| r.trades.contains(&MEISTERS[*i].trade));
    let region_ok = |i: &usize| req.is_some_and(|r| MEISTERS[*i].region.is_none_or(|g| g == r.region));
    let tiers: [Vec<usize>; 3] = [
        base.iter().copied().filter(|i| trade_ok(i) && region_ok(i)).collect(),
        base.iter().copied().filter(trade_ok).collect(),
        base.clone(),
    ];
    let pool = tiers.iter().find(|t| !t.is_empty()).expect("some meister is always eligible");
    let total: u32 = pool.iter().map(|&i| weight(&MEISTERS[i])).sum();
    let mut x = rng.below(total as usize) as u32;
    for &i in pool {
        let w = weight(&MEISTERS[i]);
        if x < w {
            return i;
        }
        x -= w;
    }
    pool[pool.len() - 1]
}

pub(super) fn trainees_for(rng: &mut Rng, cat: Cat) -> i64 {
    match cat {
        Cat::School => {
            if rng.chance(6) {
                rng.range(10, 14)
            } else {
                rng.range(4, 8)
            }
        }
        Cat::Sme => rng.range(2, 6),
        Cat::Group => rng.range(5, 11),
        Cat::Public => rng.range(10, 20),
    }
}

fn hours_for(rng: &mut Rng, cat: Cat) -> f64 {
    match cat {
        Cat::Group => {
            if rng.chance(75) {
                3.0
            } else {
                2.0
            }
        }
        Cat::Public => 2.0,
        Cat::School | Cat::Sme => {
            if rng.chance(55) {
                2.0
            } else {
                3.0
            }
        }
    }
}

pub(super) fn requesters_of(cat: Cat) -> Vec<usize> {
    (0..REQUESTERS.len()).filter(|&i| REQUESTERS[i].cat == cat).collect()
}

/// The FY2023 sessions in date order, numbered R5-001…, with the bad rows
/// and the special cases planted.
pub(super) fn fy2023_sessions(rng: &mut Rng) -> Vec<Sess> {
    let mut v: Vec<Sess> = Vec::new();
    for &(y, m, school, sme, group, public, skilled) in &FY2023_MONTHS {
        for (cat, n) in [(Cat::School, school), (Cat::Sme, sme), (Cat::Group, group), (Cat::Public, public)] {
            for _ in 0..n {
                v.push(Sess::new(workday(rng, y, m), cat));
            }
        }
        for _ in 0..skilled {
            let cat = if rng.chance(65) { Cat::Sme } else { Cat::Group };
            let mut s = Sess::new(workday(rng, y, m), cat);
            s.skilled = Some(0);
            v.push(s);
        }
    }
    v.sort_by_key(|s| s.date);

    // Requesters: each category's allocation, shuffled, dealt in date order.
    for cat in [Cat::School, Cat::Sme, Cat::Group] {
        let mut bag: Vec<usize> = requesters_of(cat)
            .into_iter()
            .flat_map(|i| std::iter::repeat_n(i, REQUESTERS[i].fy2023 as usize))
            .collect();
        rng.shuffle(&mut bag);
        for s in v.iter_mut().filter(|s| s.cat == cat && s.skilled.is_none()) {
            s.req = bag.pop().expect("allocation covers the plan");
        }
    }
    let publics = requesters_of(Cat::Public);
    for (k, s) in v.iter_mut().filter(|s| s.cat == Cat::Public).enumerate() {
        s.req = publics[k % publics.len()];
    }
    for (k, s) in v.iter_mut().filter(|s| s.skilled.is_some()).enumerate() {
        let pool = requesters_of(s.cat);
        s.req = *rng.pick(&pool);
        s.skilled = Some(rng.below(SKILLED_TRADES.len()));
        s.trainees = SKILLED_TRAINEES[k];
    }

    // The bad rows (real sessions whose rows need fixing).
    let schools = requesters_of(Cat::School);
    let smes = requesters_of(Cat::Sme);
    let groups = requesters_of(Cat::Group);
    let bad = |date: NaiveDate, cat: Cat, req: usize, bad: Bad| {
        let mut s = Sess::new(date, cat);
        s.req = req;
        s.bad = bad;
        s
    };
    let bads = vec![
        bad(d(2023, 9, 30), Cat::School, schools[3], Bad::ImpossibleDate),
        bad(d(2023, 9, 15), Cat::Sme, smes[6], Bad::FreeTextDate),
        bad(d(2023, 7, 20), Cat::School, schools[9], Bad::NegativeCount),
        bad(d(2023, 11, 16), Cat::Group, usize::MAX, Bad::UnknownDest),
        bad(d(2023, 12, 12), Cat::Sme, smes[11], Bad::BlankTrade),
        bad(d(2024, 1, 23), Cat::Group, groups[4], Bad::FractionalCount),
    ];
    v.extend(bads);
    v.sort_by_key(|s| s.date);

    // Meisters, trainees, hours.
    for s in &mut v {
        if s.skilled.is_none() {
            let req = REQUESTERS.get(s.req);
            s.meister = Some(pick_meister(rng, req, s.date, false));
            s.trainees = trainees_for(rng, s.cat);
        }
        s.hours = hours_for(rng, s.cat);
    }
    for s in &mut v {
        match s.bad {
            Bad::NegativeCount => s.trainees = 2,
            Bad::FractionalCount => s.trainees = 4,
            _ => {}
        }
    }

    // New meisters lead their first two sessions from their certification
    // day on (never before their 講習受講日, which precedes it).
    let mut forced: Vec<usize> = Vec::new();
    for no in ["35-022", "35-023", "35-024", "35-025"] {
        let mi = MEISTERS.iter().position(|ms| ms.no == no).expect("meister in roster");
        let from = ymd(MEISTERS[mi].certified);
        let open = |i: &usize| {
            let s = &v[*i];
            s.date >= from && s.skilled.is_none() && s.bad == Bad::None && s.cat != Cat::Public && !forced.contains(i)
        };
        // Sessions asking for the meister's trade first, else any.
        let wants = |i: &usize| REQUESTERS[v[*i].req].trades.contains(&MEISTERS[mi].trade);
        let mut picks: Vec<usize> = (0..v.len()).filter(open).filter(wants).take(2).collect();
        let first_any = (0..v.len()).find(open).expect("sessions after every certification");
        if picks.first().is_none_or(|&p| ym(v[p].date) != ym(from)) {
            picks.insert(0, first_any);
        }
        for i in (0..v.len()).filter(open) {
            if picks.len() >= 2 {
                break;
            }
            if !picks.contains(&i) {
                picks.push(i);
            }
        }
        picks.truncate(2);
        for i in picks {
            v[i].meister = Some(mi);
            forced.push(i);
        }
    }

    // One session of 4 hours (outside 1–3: a rule finding), in June.
    if let Some(s) = v.iter_mut().find(|s| ym(s.date) == (2023, 6) && s.cat == Cat::Sme && s.skilled.is_none()) {
        s.hours = 4.0;
        s.note = Some("午前・午後の通し");
    }

    // Two sessions without a 派遣番号 (optional column left blank).
    if let Some(s) = v.iter_mut().find(|s| ym(s.date) == (2023, 5) && s.cat == Cat::School) {
        s.numbered = false;
    }
    if let Some(s) = v.iter_mut().filter(|s| ym(s.date) == (2023, 8)).nth(2) {
        s.numbered = false;
    }

    // The merged-date pair: a July school session (requester under its cap)
    // gets a partner on the same day, same school and meister, right after it.
    let first = v
        .iter()
        .position(|s| {
            ym(s.date) == (2023, 7) && s.cat == Cat::School && s.bad == Bad::None && REQUESTERS[s.req].fy2023 <= 9
        })
        .expect("a July school session");
    let mut partner = v[first].clone();
    partner.trainees = trainees_for(rng, Cat::School);
    partner.note = Some(PAIR_TAIL);
    v[first].note = Some(PAIR_HEAD);
    v.insert(first + 1, partner);

    // The 技能継承講座 sessions of the `.ods` (fixed: no draw).
    for (ci, c) in COURSES.iter().enumerate() {
        let req = REQUESTERS.iter().position(|r| r.name == c.requester).expect("course requester");
        for &(date, trainees, hours, note) in c.sessions {
            let mut s = Sess::new(ymd(date), REQUESTERS[req].cat);
            s.req = req;
            s.skilled = Some(c.skilled);
            s.trainees = trainees;
            s.hours = hours;
            s.note = note;
            s.course = Some(ci);
            v.push(s);
        }
    }
    v.sort_by_key(|s| s.date);

    // 派遣番号 in date order, restarting at 001 as every year.
    let mut k = 0;
    for s in &mut v {
        if s.numbered {
            k += 1;
            s.no = Some(dispatch_no(k));
        }
    }
    v
}

/// The 派遣番号 of a year's `k`-th session: the corner restarts at `001`
/// every fiscal year, so last year's book holds the same numbers.
pub(super) fn dispatch_no(k: usize) -> String {
    format!("{k:03}")
}

/// Makes one FY2022 session repeat its FY2023 namesake: the same requester
/// asks each year for the same meister, trade and class size, and both
/// years' numbering started at 001, so the two rows share a 派遣番号 and
/// differ only in 実施日 (two sessions, each counted in its own year).
/// Returns the number.
pub(super) fn mirror_last_year(fy22: &mut [Sess], fy23: &[Sess]) -> String {
    // FY2022 sessions whose meister is planted on purpose keep it.
    let planted =
        |s: &Sess| s.meister.is_some_and(|mi| MEISTERS[mi].role == Role::History || MEISTERS[mi].no == "35-021");
    let plain = |s: &&Sess| {
        s.bad == Bad::None && s.skilled.is_none() && s.course.is_none() && s.note.is_none() && s.cat != Cat::Public
    };
    for s23 in fy23.iter().filter(plain) {
        let (Some(no), Some(mi)) = (&s23.no, s23.meister) else { continue };
        let Some(s22) = fy22.iter_mut().find(|s| s.no.as_ref() == Some(no)) else { continue };
        if planted(s22) || !eligible(&MEISTERS[mi], s22.date) {
            continue;
        }
        s22.cat = s23.cat;
        s22.req = s23.req;
        s22.meister = Some(mi);
        s22.trainees = s23.trainees;
        return no.clone();
    }
    panic!("no FY2023 session can repeat a FY2022 one")
}

/// FY2022 sessions (history for meister activity), in date order.
pub(super) fn fy2022_sessions(rng: &mut Rng) -> Vec<Sess> {
    let mut v = Vec::new();
    for (i, &n) in FY2022_MONTHS.iter().enumerate() {
        let (y, m) = if i < 9 { (2022, 4 + i as u32) } else { (2023, i as u32 - 8) };
        for _ in 0..n {
            let r = rng.below(100);
            let cat = match r {
                0..=54 => Cat::School,
                55..=84 => Cat::Sme,
                85..=96 => Cat::Group,
                _ => Cat::Public,
            };
            v.push(Sess::new(workday(rng, y, m), cat));
        }
    }
    v.sort_by_key(|s| s.date);
    for s in &mut v {
        let pool = requesters_of(s.cat);
        s.req = *rng.pick(&pool);
        s.meister = Some(pick_meister(rng, Some(&REQUESTERS[s.req]), s.date, true));
        s.trainees = trainees_for(rng, s.cat);
    }
    // The two history-only meisters each lead a few FY2022 sessions.
    let m7 = MEISTERS.iter().position(|ms| ms.no == "35-007").expect("roster");
    let m16 = MEISTERS.iter().position(|ms| ms.no == "35-016").expect("roster");
    for (idx, mi) in [(10, m7), (40, m7), (70, m7), (25, m16), (60, m16)] {
        v[idx].meister = Some(mi);
    }
    // 35-021 (certified 2023-01, trained 2023-02-16) leads one session in
    // March 2023, so it is active from the first monthly report on.
    let m21 = MEISTERS.iter().position(|ms| ms.no == "35-021").expect("roster");
    let from = ymd(MEISTERS[m21].trained.expect("trained"));
    if let Some(s) = v.iter_mut().find(|s| s.date >= from && s.cat != Cat::Public) {
        s.meister = Some(m21);
    }
    // 派遣番号 from 001, like FY2023's.
    for (k, s) in v.iter_mut().enumerate() {
        s.no = Some(dispatch_no(k + 1));
    }
    v
}
