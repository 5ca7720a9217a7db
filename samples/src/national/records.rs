//! The records of one generated corner: its meister registry (every
//! certification from 2000 to the drop date, whatever the years written)
//! and, per fiscal year, its dispatch sessions, outreach events, training
//! sessions, council meetings and coordinator visits. What they are; how
//! they are drawn is `draw.rs`.

use chrono::NaiveDate;

/// Where a session took place (the canonical 派遣先区分).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dest {
    Sme,
    Group,
    School,
    Public,
}

impl Dest {
    pub(crate) fn canonical(self) -> &'static str {
        match self {
            Dest::Sme => "中小企業",
            Dest::Group => "業界団体",
            Dest::School => "工業高校等",
            Dest::Public => "公共施設等",
        }
    }

    /// The labels staff type for it (the mapping's aliases, canonical first).
    pub(crate) fn labels(self) -> &'static [&'static str] {
        match self {
            Dest::Sme => &["中小企業", "中小企業等", "企業"],
            Dest::Group => &["業界団体", "団体", "商工会", "協同組合"],
            Dest::School => &["工業高校等", "工業高校", "学校", "専修学校"],
            Dest::Public => &["公共施設等", "公共施設", "民間施設", "イベント"],
        }
    }
}

/// What is wrong with a session's row (anything but `None` is rejected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bad {
    None,
    /// 実施日 as free text (`9月中旬`) or an impossible day (`2023/9/31`).
    DateText,
    /// 受講者数 negative.
    NegativeCount,
}

#[derive(Debug, Clone)]
pub(crate) struct Meister {
    /// 認定番号 `NN-MMM` (NN the prefecture code).
    pub(crate) no: String,
    /// PII.
    pub(crate) name: String,
    pub(crate) trade: &'static str,
    pub(crate) region: &'static str,
    pub(crate) certified_on: NaiveDate,
    /// `None`: never trained (a session led by them is an untrained dispatch).
    pub(crate) trained_on: Option<NaiveDate>,
    pub(crate) deregistered_on: Option<NaiveDate>,
    /// After this day the meister is never asked again (still registered:
    /// three years later they count as inactive).
    pub(super) active_until: NaiveDate,
    pub(super) weight: u32,
}

impl Meister {
    pub(super) fn can_lead(&self, date: NaiveDate) -> bool {
        self.certified_on <= date
            && self.trained_on.is_none_or(|t| t <= date)
            && self.deregistered_on.is_none_or(|x| date < x)
            && date <= self.active_until
    }
}

/// One dispatch session (派遣実績 row).
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) date: NaiveDate,
    pub(crate) dest: Dest,
    pub(crate) requester: String,
    pub(crate) trade: &'static str,
    pub(crate) trainees: i64,
    /// Index into the corner's registry; `None` for a 熟練技能者 session.
    pub(crate) meister: Option<usize>,
    /// The instructor's name (PII): the meister's, or the skilled worker's.
    pub(crate) instructor: String,
    pub(crate) hours: f64,
    pub(crate) region: &'static str,
    /// 派遣番号: `001` … restarting every fiscal year.
    pub(crate) no: String,
    pub(crate) bad: Bad,
    /// Entered twice in a row (the copy is a skipped duplicate).
    pub(crate) twice: bool,
}

impl Session {
    pub(crate) fn accepted(&self) -> bool {
        self.bad == Bad::None
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Outreach {
    pub(crate) date: NaiveDate,
    /// 小中学校等 (true) or サポステ.
    pub(crate) school: bool,
    pub(crate) place: String,
    pub(crate) participants: i64,
    pub(crate) trade: &'static str,
    pub(crate) meister: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Training {
    pub(crate) date: NaiveDate,
    /// 前期 | 後期 | 再講習
    pub(crate) term: &'static str,
    pub(crate) attendees: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Meeting {
    pub(crate) date: NaiveDate,
    pub(crate) round: u32,
    pub(crate) format: &'static str,
    pub(crate) orgs: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Visit {
    pub(crate) date: NaiveDate,
    /// PII.
    pub(crate) coordinator: String,
    pub(crate) visited: String,
    pub(crate) region: &'static str,
    pub(crate) trade: &'static str,
    pub(crate) candidates: i64,
}

/// One fiscal year of a corner.
#[derive(Debug, Clone)]
pub(crate) struct Year {
    pub(crate) fy: i32,
    pub(crate) sessions: Vec<Session>,
    pub(crate) outreach: Vec<Outreach>,
    pub(crate) trainings: Vec<Training>,
    pub(crate) meetings: Vec<Meeting>,
    pub(crate) visits: Vec<Visit>,
}

/// One corner's records.
#[derive(Debug, Clone)]
pub(crate) struct CornerRecords {
    pub(crate) code: u8,
    /// How big the corner is (1.0 ≈ the Yamaguchi samples).
    pub(crate) scale: f64,
    pub(crate) meisters: Vec<Meister>,
    /// Oldest first.
    pub(crate) years: Vec<Year>,
}
