//! Whether a record happened, as offices write it beside the record: a
//! cancellation word at the start of 備考 (「中止」「【中止】台風接近のため」
//! 「延期→7/5」), or alone in the date cell; and the fiscal year a title, a
//! sheet, a file or a folder names (「令和5年度 若年者ものづくり競技大会」,
//! `R5`, `FY2023`), for rows that carry no year of their own.

use super::nfkc;
use super::wareki::era_prefix;

/// The words that withdraw a record, longest first where one starts another.
const CANCEL_WORDS: &[&str] = &["取り消し", "取りやめ", "キャンセル", "取消", "中止", "延期"];

/// What 備考 says about whether the record happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remarks {
    /// Nothing about it.
    Plain,
    /// It begins with a cancellation word that stands alone: not held.
    NotHeld(&'static str),
    /// A cancellation word elsewhere (「中止回の振替」「屋外は中止し屋内で実施」):
    /// the row counts, and a person should look.
    Mentions(&'static str),
}

/// Reads 備考 (datasets.md, "Records that did not happen"): the row is not
/// held when the text begins, after opening brackets and spaces, with a
/// cancellation word followed by nothing, a closing bracket, a separator,
/// a date or an arrow, and does not also say 実施 or 振替.
pub fn remarks(text: &str) -> Remarks {
    let text = nfkc(text);
    let text = text.trim();
    let Some(found) = CANCEL_WORDS.iter().copied().find(|w| text.contains(w)) else { return Remarks::Plain };
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || "【(「[『〔<《".contains(c));
    let leading = CANCEL_WORDS.iter().copied().find(|w| body.starts_with(w));
    if let Some(word) = leading
        && stands_alone(&body[word.len()..])
        && !text.contains("実施")
        && !text.contains("振替")
    {
        return Remarks::NotHeld(word);
    }
    Remarks::Mentions(leading.unwrap_or(found))
}

/// What follows a cancellation word lets it stand alone: nothing, a closing
/// bracket, a separator, a date (digits, an era) or an arrow.
fn stands_alone(rest: &str) -> bool {
    let Some(c) = rest.chars().next() else { return true };
    if "】)」]』〕>》:、。・/,.".contains(c) || c.is_whitespace() || c.is_ascii_digit() {
        return true;
    }
    if rest.starts_with("->") || rest.starts_with('→') || rest.starts_with('⇒') {
        return true;
    }
    era_prefix(rest).is_some_and(|(_, after)| after.starts_with(|c: char| c.is_ascii_digit() || c == '元'))
}

/// The cancellation word a date cell holds alone (実施日 = 「中止」), if so.
pub fn cancel_word_alone(text: &str) -> Option<&'static str> {
    let text = nfkc(text);
    let body = text.trim().trim_matches(|c: char| "【】()「」[]".contains(c) || c.is_whitespace());
    CANCEL_WORDS.iter().copied().find(|w| *w == body)
}

/// The fiscal year a text names, if it names exactly one: a 年度 form
/// anywhere (令和5年度, R5年度, 平成31年度, 令和元年度, 2023年度, FY2023); with
/// `bare_era`, also an era year alone (令和5, R5: a file or folder name),
/// unless a month follows (「令和6年1月作成」 names no fiscal year).
pub fn named_fiscal_year(text: &str, bare_era: bool) -> Option<i32> {
    let text = nfkc(text);
    let chars: Vec<char> = text.chars().collect();
    let mut found: Option<i32> = None;
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        // Only at the start of a word: 2023 inside 12023 is no year.
        let after_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let hit = if after_word { year_at(&rest, bare_era) } else { None };
        match hit {
            Some((year, used)) => {
                if found.is_some_and(|f| f != year) {
                    return None; // two different years: names none
                }
                found = Some(year);
                i += used.max(1);
            }
            None => i += 1,
        }
    }
    found
}

/// A fiscal year named at the start of `s`, with the characters it used.
fn year_at(s: &str, bare_era: bool) -> Option<(i32, usize)> {
    let upper = s.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("FY") {
        let digits: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 4 {
            let year: i32 = digits.parse().ok()?;
            return plausible(year).map(|y| (y, 2 + digits.len()));
        }
        return None;
    }
    if let Some((era, after)) = era_prefix(s) {
        let used = s.chars().count() - after.chars().count();
        let (n, tail) = if let Some(t) = after.strip_prefix('元') {
            (1, t)
        } else {
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() || digits.len() > 2 {
                return None;
            }
            (digits.parse::<i32>().ok()?, &after[digits.len()..])
        };
        let year = era.gregorian(u32::try_from(n).ok()?)?;
        let used = used + (after.chars().count() - tail.chars().count());
        if tail.starts_with("年度") {
            return plausible(year).map(|y| (y, used + 2));
        }
        // A bare era year: not a date (R5.8.1, 令和6年1月) nor part of a longer number.
        let month_or_date = tail.starts_with('年') || tail.starts_with(['.', '/', '-']);
        if bare_era && !month_or_date {
            return plausible(year).map(|y| (y, used));
        }
        return None;
    }
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == 4 && s[4..].starts_with("年度") {
        let year: i32 = digits.parse().ok()?;
        return plausible(year).map(|y| (y, 6));
    }
    None
}

fn plausible(year: i32) -> Option<i32> {
    (1989..=2100).contains(&year).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_cancellation_word_that_stands_alone_withdraws_the_row() {
        for t in [
            "中止",
            "【中止】台風接近のため",
            "中止：講師体調不良",
            "（延期）先方都合",
            "延期→7/5",
            " 取消",
            "キャンセル 先方都合",
            "延期 7/5に実施予定",
        ] {
            let expect_held = t.contains("実施");
            match remarks(t) {
                Remarks::NotHeld(_) => assert!(!expect_held, "{t}"),
                Remarks::Mentions(_) => assert!(expect_held, "{t}: says 実施, so held with a check"),
                Remarks::Plain => panic!("{t}"),
            }
        }
    }

    #[test]
    fn the_word_elsewhere_or_with_held_words_is_a_check_not_a_cancellation() {
        for t in ["中止回の振替", "延期分（6/10予定）を実施", "屋外は中止し屋内で実施", "雨天中止の可能性あり"]
        {
            assert!(matches!(remarks(t), Remarks::Mentions(_)), "{t}");
        }
        for t in ["午前の部", "3月分（記入漏れ）", ""] {
            assert_eq!(remarks(t), Remarks::Plain, "{t}");
        }
    }

    #[test]
    fn a_date_cell_holding_only_a_cancellation_word() {
        assert_eq!(cancel_word_alone("中止"), Some("中止"));
        assert_eq!(cancel_word_alone("（延期）"), Some("延期"));
        assert_eq!(cancel_word_alone("中止（7/1）"), None);
        assert_eq!(cancel_word_alone("2023/7/1"), None);
    }

    #[test]
    fn fiscal_years_named_by_titles_files_and_folders() {
        assert_eq!(named_fiscal_year("令和5年度 若年者ものづくり競技大会", false), Some(2023));
        assert_eq!(named_fiscal_year("令和元年度", false), Some(2019));
        assert_eq!(named_fiscal_year("R5年度", false), Some(2023));
        assert_eq!(named_fiscal_year("平成30年度実績", false), Some(2018));
        assert_eq!(named_fiscal_year("2023年度", false), Some(2023));
        assert_eq!(named_fiscal_year("FY2023", false), Some(2023));
        assert_eq!(named_fiscal_year("ｆｙ２０２２_競技大会", false), Some(2022));
        // A bare era year names one only in a file or folder name.
        assert_eq!(named_fiscal_year("派遣実績_R5下期", true), Some(2023));
        assert_eq!(named_fiscal_year("令和4", true), Some(2022));
        assert_eq!(named_fiscal_year("派遣実績_R5下期", false), None);
        // Other years name none.
        assert_eq!(named_fiscal_year("令和6年1月作成", true), None);
        assert_eq!(named_fiscal_year("R5.8.1 作成", true), None);
        assert_eq!(named_fiscal_year("第61回技能五輪", true), None);
        assert_eq!(named_fiscal_year("令和4年度・令和5年度 比較", false), None, "two years: none");
        assert_eq!(named_fiscal_year("12023年度", false), None);
    }
}
