//! Japanese eras (wareki) as staff type them: 令和 and 平成 with their short
//! forms (`令`, `R`, `平`, `H`), and era years (`元` or digits). Dates typed as
//! text, fiscal years and total labels all read eras through here.
//!
//! We keep our own small wareki date reading (here and in `date_text`)
//! instead of using the `wareki-conv` crate: that crate accepts only the JIS
//! X 0301 dot forms (`R05.08.01`), not `R5/8/1` or `令和 5年 8月 1日`, compiles
//! its regexes on every call and pulls in `regex`. The forms staff type are
//! few, so a hand-written scanner reads them without a regex dependency.

use super::digits;

/// A Japanese era that may appear in the data (1990 onwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Era {
    Reiwa,
    Heisei,
}

impl Era {
    /// The Gregorian year of era year `n` (令和1 = 2019, 平成1 = 1989).
    pub(super) fn gregorian(self, n: u32) -> Option<i32> {
        let base = match self {
            Era::Reiwa => 2018,
            Era::Heisei => 1988,
        };
        i32::try_from(n).ok().and_then(|n| n.checked_add(base))
    }
}

/// Splits a leading era name (`令和`, `令`, `R`, `r`, `平成`, `平`, `H`, `h`)
/// off `s`.
pub(super) fn era_prefix(s: &str) -> Option<(Era, &str)> {
    const NAMES: [(&str, Era); 8] = [
        ("令和", Era::Reiwa),
        ("平成", Era::Heisei),
        ("令", Era::Reiwa),
        ("平", Era::Heisei),
        ("R", Era::Reiwa),
        ("r", Era::Reiwa),
        ("H", Era::Heisei),
        ("h", Era::Heisei),
    ];
    NAMES.iter().find_map(|&(name, era)| s.strip_prefix(name).map(|rest| (era, rest)))
}

/// An era year: `元` or one or two digits, at least 1.
pub(super) fn era_year(s: &str) -> Option<u32> {
    if s == "元" {
        return Some(1);
    }
    digits(s, 1..=2).filter(|&n| n >= 1)
}

#[cfg(test)]
mod tests {
    use crate::normalise::values::test_support::{assert_date, ymd};

    #[test]
    fn reiwa_short_forms() {
        let aug1 = ymd(2023, 8, 1);
        for s in ["R5.8.1", "R5/8/1", "R5-8-1", "r5.8.1", "R05.08.01", "令5.8.1", "R5年8月1日"] {
            assert_date(s, aug1);
        }
    }

    #[test]
    fn reiwa_kanji_forms_and_gannen() {
        assert_date("令和5年8月1日", ymd(2023, 8, 1));
        assert_date("令和５年８月１日", ymd(2023, 8, 1));
        assert_date("令和元年5月1日", ymd(2019, 5, 1));
        assert_date("令和1年5月1日", ymd(2019, 5, 1));
        assert_date("R1.5.1", ymd(2019, 5, 1));
        assert_date("R元.5.1", ymd(2019, 5, 1));
    }

    #[test]
    fn heisei_forms() {
        let apr30 = ymd(2019, 4, 30);
        for s in ["H31.4.30", "H31/4/30", "h31.4.30", "平成31年4月30日", "平31.4.30", "平成 31年 4月 30日"] {
            assert_date(s, apr30);
        }
        assert_date("平成2年1月1日", ymd(1990, 1, 1));
        assert_date("平成元年1月8日", ymd(1989, 1, 8));
    }

    #[test]
    fn era_years_past_the_era_end_are_not_checked() {
        // 平成32 never existed (it became 令和2), but the arithmetic is unambiguous.
        assert_date("H32.1.1", ymd(2020, 1, 1));
    }

    #[test]
    fn era_ligatures_normalise_to_their_names() {
        // U+32FF SQUARE ERA NAME REIWA and U+337B SQUARE ERA NAME HEISEI.
        assert_date("\u{32FF}5年8月1日", ymd(2023, 8, 1));
        assert_date("\u{337B}31年4月30日", ymd(2019, 4, 30));
    }
}
