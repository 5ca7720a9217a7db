//! How the records of one generated corner are drawn: its requesters, its
//! registry, and per fiscal year its sessions (two rejected rows and one
//! entered twice), outreach events, trainings, meetings and visits, spread
//! over the months up to the drop date. Each corner and each of its years
//! has its own seed, so a corner's FY2023 is the same records whether one
//! year or ten are written, and whether one corner or 47.

use super::records::{Bad, CornerRecords, Dest, Meeting, Meister, Outreach, Session, Training, Visit, Year};
use crate::build::{d, workday};
use crate::data::{EAST, GIVEN, SURNAMES, WEST};
use crate::rng::Rng;
use chrono::{Datelike, Months, NaiveDate};

const SEED: u64 = 0x4E41_5449_4F4E_2023;

pub(crate) const TRADES: &[&str] = &[
    "機械加工",
    "電気工事",
    "溶接",
    "建築大工",
    "左官",
    "配管",
    "塗装",
    "電子機器組立て",
    "とび",
    "和裁",
    "西洋料理",
    "日本料理",
    "旋盤",
    "フライス盤",
    "造園",
    "板金",
];

const PLACES: &[&str] =
    &["中央", "東", "西", "南", "北", "第一", "第二", "臨海", "山手", "港", "緑", "桜", "城北", "城南"];

/// Session weights by fiscal month (April first): busy autumn, quiet spring.
const MONTH_WEIGHTS: [u32; 12] = [6, 8, 9, 9, 7, 9, 10, 10, 8, 7, 8, 9];

/// Sessions, outreach events and visits a corner of scale 1.0 has in a year.
const SESSIONS: f64 = 232.0;
const SCHOOL_EVENTS: f64 = 12.0;
const VISITS: f64 = 45.0;

fn name(rng: &mut Rng) -> String {
    format!("{}\u{3000}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// The months of fiscal year `fy`, April first.
pub(crate) fn fiscal_months(fy: i32) -> [(i32, u32); 12] {
    let mut out = [(0, 0); 12];
    for (i, slot) in out.iter_mut().enumerate() {
        let m = (i as u32 + 3) % 12 + 1;
        *slot = (if m >= 4 { fy } else { fy + 1 }, m);
    }
    out
}

/// A random day of fiscal year `fy` up to `until` (a workday).
fn day_in_year(rng: &mut Rng, fy: i32, until: NaiveDate) -> Option<NaiveDate> {
    let months: Vec<(i32, u32)> = fiscal_months(fy).into_iter().filter(|&(y, m)| d(y, m, 1) <= until).collect();
    if months.is_empty() {
        return None;
    }
    for _ in 0..20 {
        let (y, m) = *rng.pick(&months);
        let date = workday(rng, y, m);
        if date <= until {
            return Some(date);
        }
    }
    None
}

fn scaled(rng: &mut Rng, base: f64, scale: f64) -> usize {
    let year = 0.9 + rng.below(21) as f64 / 100.0;
    (base * scale * year).round() as usize
}

/// A requester of a corner: name, kind, region.
struct Requester {
    name: String,
    dest: Dest,
    region: &'static str,
}

fn requesters(rng: &mut Rng, pref: &str) -> Vec<Requester> {
    let mut out = Vec::new();
    for (i, w) in PLACES.iter().enumerate() {
        let region = if i % 2 == 0 { EAST } else { WEST };
        out.push(Requester { name: format!("{pref}立{w}工業高等学校"), dest: Dest::School, region });
        out.push(Requester { name: format!("株式会社{w}精工"), dest: Dest::Sme, region });
        if rng.chance(50) {
            out.push(Requester { name: format!("{w}機工株式会社"), dest: Dest::Sme, region });
        }
        if i % 3 == 0 {
            out.push(Requester { name: format!("{pref}{w}鉄工協同組合"), dest: Dest::Group, region });
        }
        if i % 4 == 0 {
            out.push(Requester { name: format!("{w}市民会館"), dest: Dest::Public, region });
        }
    }
    out
}

/// The registry: meisters certified from 2000 to `until`.
fn registry(rng: &mut Rng, code: u8, scale: f64, until: NaiveDate) -> Vec<Meister> {
    let mut dates = Vec::new();
    // The founding meisters, certified 2000–2004: always active.
    for _ in 0..8 + rng.below(5) {
        let y = 2000 + rng.below(5) as i32;
        let m = 1 + rng.below(12) as u32;
        dates.push((workday(rng, y, m), true));
    }
    for fy in 2005..=until.year() {
        let n = ((3.0 * scale).round() as i64 + rng.range(-1, 1)).max(0);
        for _ in 0..n {
            if let Some(date) = day_in_year(rng, fy, until) {
                dates.push((date, false));
            }
        }
    }
    dates.sort();
    let far = d(2100, 1, 1);
    dates
        .into_iter()
        .enumerate()
        .map(|(i, (certified_on, founder))| {
            let trained_on = if !founder && rng.chance(6) {
                None
            } else {
                Some((certified_on + chrono::Duration::days(rng.range(14, 90))).min(until))
            };
            let deregistered_on = (!founder && rng.chance(8))
                .then(|| certified_on.checked_add_months(Months::new(12 * rng.range(3, 10) as u32)))
                .flatten()
                .filter(|x| *x <= until);
            let active_until = if !founder && deregistered_on.is_none() && rng.chance(12) {
                certified_on.checked_add_months(Months::new(12 * rng.range(1, 6) as u32)).unwrap_or(far)
            } else {
                far
            };
            Meister {
                no: format!("{code:02}-{:03}", i + 1),
                name: name(rng),
                trade: TRADES[rng.below(TRADES.len())],
                region: if rng.chance(50) { EAST } else { WEST },
                certified_on,
                trained_on,
                deregistered_on,
                active_until,
                weight: 1 + rng.below(6) as u32,
            }
        })
        .collect()
}

/// A meister who can lead a session on `date` (weighted), if any.
fn pick_meister(rng: &mut Rng, meisters: &[Meister], date: NaiveDate) -> Option<usize> {
    let total: u32 = meisters.iter().filter(|m| m.can_lead(date)).map(|m| m.weight).sum();
    if total == 0 {
        return None;
    }
    let mut k = rng.below(total as usize) as u32;
    for (i, m) in meisters.iter().enumerate().filter(|(_, m)| m.can_lead(date)) {
        if k < m.weight {
            return Some(i);
        }
        k -= m.weight;
    }
    None
}

fn trainees(rng: &mut Rng, dest: Dest) -> i64 {
    match dest {
        Dest::School => rng.range(10, 40),
        Dest::Sme => rng.range(3, 15),
        Dest::Group => rng.range(5, 25),
        Dest::Public => rng.range(10, 60),
    }
}

/// A corner's records for fiscal years `years` (each up to `until`).
pub(crate) fn corner(code: u8, pref: &str, years: &[i32], until: NaiveDate) -> CornerRecords {
    let mut rng = Rng::new(SEED ^ (u64::from(code) << 40));
    let scale = 0.55 + rng.below(100) as f64 / 100.0;
    let meisters = registry(&mut rng, code, scale, until);
    let reqs = requesters(&mut rng, pref);
    let skilled: Vec<(String, &'static str)> = (0..4).map(|_| (name(&mut rng), *rng.pick(TRADES))).collect();
    let coordinators = [name(&mut rng), name(&mut rng)];
    let venues: Vec<String> = PLACES.iter().take(3).map(|w| format!("地域若者サポートステーション{pref}{w}")).collect();
    let years = years
        .iter()
        .map(|&fy| {
            let mut rng = Rng::new(SEED ^ (u64::from(code) << 40) ^ (fy as u64).wrapping_mul(0x9E37_79B9));
            year(&mut rng, fy, until, scale, &meisters, &reqs, &skilled, &coordinators, &venues)
        })
        .collect();
    CornerRecords { code, scale, meisters, years }
}

#[allow(clippy::too_many_arguments)]
fn year(
    rng: &mut Rng,
    fy: i32,
    until: NaiveDate,
    scale: f64,
    meisters: &[Meister],
    reqs: &[Requester],
    skilled: &[(String, &'static str)],
    coordinators: &[String; 2],
    venues: &[String],
) -> Year {
    let months: Vec<(i32, u32)> = fiscal_months(fy).into_iter().filter(|&(y, m)| d(y, m, 1) <= until).collect();
    // Sessions, month by month.
    let n = scaled(rng, SESSIONS, scale);
    let mut sessions = Vec::with_capacity(n);
    let weights: u32 = MONTH_WEIGHTS.iter().sum();
    for (i, &(y, m)) in months.iter().enumerate() {
        let k = (n as f64 * f64::from(MONTH_WEIGHTS[i]) / f64::from(weights)).round() as usize;
        let mut dates: Vec<NaiveDate> = (0..k).map(|_| workday(rng, y, m)).filter(|x| *x <= until).collect();
        dates.sort();
        for date in dates {
            let req = rng.pick(reqs);
            let meister = if rng.chance(4) { None } else { pick_meister(rng, meisters, date) };
            let (instructor, trade) = match meister {
                Some(i) => (meisters[i].name.clone(), meisters[i].trade),
                None => {
                    let (n, t) = rng.pick(skilled);
                    (n.clone(), *t)
                }
            };
            sessions.push(Session {
                date,
                dest: req.dest,
                requester: req.name.clone(),
                trade,
                trainees: trainees(rng, req.dest),
                meister,
                instructor,
                hours: *rng.pick(&[1.5, 2.0, 2.0, 3.0, 4.0]),
                region: req.region,
                no: String::new(),
                bad: Bad::None,
                twice: false,
            });
        }
    }
    for (i, s) in sessions.iter_mut().enumerate() {
        s.no = format!("{:03}", i + 1);
    }
    // The mess of the year: one row with an unreadable 実施日, one with a
    // negative 受講者数 (both rejected), one row entered twice.
    if sessions.len() >= 3 {
        let picks = three_distinct(rng, sessions.len());
        sessions[picks[0]].bad = Bad::DateText;
        sessions[picks[1]].bad = Bad::NegativeCount;
        sessions[picks[2]].twice = true;
    }

    let mut outreach = Vec::new();
    for _ in 0..scaled(rng, SCHOOL_EVENTS, scale) {
        let Some(date) = day_in_year(rng, fy, until) else { continue };
        let w = rng.pick(PLACES);
        let school = if rng.chance(50) { format!("{w}小学校") } else { format!("{w}中学校") };
        outreach.push(Outreach {
            date,
            school: true,
            place: school,
            participants: rng.range(20, 120),
            trade: TRADES[rng.below(TRADES.len())],
            meister: if rng.chance(70) { pick_meister(rng, meisters, date) } else { None },
        });
    }
    for _ in 0..2 + rng.below(3) {
        let Some(date) = day_in_year(rng, fy, until) else { continue };
        outreach.push(Outreach {
            date,
            school: false,
            place: rng.pick(venues).clone(),
            participants: rng.range(3, 15),
            trade: TRADES[rng.below(TRADES.len())],
            meister: pick_meister(rng, meisters, date),
        });
    }
    outreach.sort_by_key(|o| o.date);

    let mut trainings = Vec::new();
    let mut terms = vec![("前期", fy, 7u32), ("後期", fy + 1, 1u32)];
    if rng.chance(30) {
        terms.insert(1, ("再講習", fy, 10));
    }
    for (term, y, m) in terms {
        let date = workday(rng, y, m);
        if date <= until {
            trainings.push(Training { date, term, attendees: rng.range(8, 30) });
        }
    }

    let mut meetings = Vec::new();
    let mut rounds = vec![(fy, 6u32), (fy, 10u32)];
    if rng.chance(50) {
        rounds.push((fy + 1, 2));
    }
    for (i, (y, m)) in rounds.into_iter().enumerate() {
        let date = workday(rng, y, m);
        if date <= until {
            let format = *rng.pick(&["対面", "対面", "WEB", "オンライン", "併用"]);
            meetings.push(Meeting { date, round: i as u32 + 1, format, orgs: rng.range(8, 20) });
        }
    }

    let nv = scaled(rng, VISITS, scale);
    let mut visits = Vec::with_capacity(nv);
    for i in 0..nv {
        let (y, m) = months[i % months.len()];
        let date = workday(rng, y, m);
        if date > until {
            continue;
        }
        let who = rng.below(2);
        let w = rng.pick(PLACES);
        visits.push(Visit {
            date,
            coordinator: coordinators[who].clone(),
            visited: format!("{w}{}株式会社", rng.pick(&["工業", "製作所", "建設", "電機", "食品"])),
            region: if who == 0 { EAST } else { WEST },
            trade: TRADES[rng.below(TRADES.len())],
            candidates: rng.range(0, 3),
        });
    }
    visits.sort_by_key(|v| v.date);
    Year { fy, sessions, outreach, trainings, meetings, visits }
}

fn three_distinct(rng: &mut Rng, n: usize) -> [usize; 3] {
    let a = rng.below(n);
    let mut b = rng.below(n);
    while b == a {
        b = rng.below(n);
    }
    let mut c = rng.below(n);
    while c == a || c == b {
        c = rng.below(n);
    }
    [a, b, c]
}
