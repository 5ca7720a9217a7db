//! Total-row labels: whether the first cell of a row (合計, 10月計, 上期小計,
//! 【合計】…) marks a row of totals, which is skipped rather than read as a
//! record. Trade names ending in 計 (機械設計) are not totals.

use super::digits;
use super::wareki::{era_prefix, era_year};
use crate::text::normalise_label;

/// Words that make a label a total, alone or after a period prefix.
const TOTAL_WORDS: &str = "総合計 合計 小計 総計 累計 月計 年計 計";
/// Named periods that may precede a total word (`上期計`, `前期小計`).
const TOTAL_PERIODS: &str = "上期 下期 前期 後期 上半期 下半期 通期 全体 年間";

/// Whether a label marks a total row: 合計 計 小計 総計 総合計 累計 月計 年計,
/// alone or after a period (`10月計`, `10月合計`, `4~9月計`, `上期計`,
/// `前期小計`, `年度合計`, `R5年度計`, `第1四半期計`), with an optional trailing
/// colon or enclosing brackets (`【合計】`). Trade names ending in 計
/// (`機械設計`, `設計`) and everything else are not totals.
pub fn is_total_label(s: &str) -> bool {
    // Every total word ends in 計, and no other character becomes 計 under
    // NFKC: most labels are told apart without normalising them.
    if !s.contains('計') {
        return false;
    }
    let label = normalise_label(s);
    let label = label.trim_end_matches([':', '：']);
    let label = strip_enclosing_brackets(label);
    TOTAL_WORDS.split(' ').any(|word| label.strip_suffix(word).is_some_and(is_period_prefix))
}

/// Whether `s` is a heading that names a period, as staff put between the
/// months of one sheet: `5月`, `5月分`, `【5月】`, `5月実績`, `令和5年5月`,
/// `2023年5月分`, `上期`, `第1四半期`, `令和5年度`.
pub fn is_period_heading(s: &str) -> bool {
    let label = normalise_label(s);
    let label = strip_enclosing_brackets(label.trim_end_matches([':', '：']));
    let label = label.strip_suffix("実績").map_or(label, |l| l.strip_suffix('の').unwrap_or(l));
    if label.is_empty() {
        return false;
    }
    if is_period_prefix(label) {
        return true;
    }
    // A year before the month: 令和5年5月, 2023年5月分.
    label.split_once('年').is_some_and(|(year, rest)| {
        let year = digits(year, 4..=4).is_some() || era_prefix(year).is_some_and(|(_, n)| era_year(n).is_some());
        year && !rest.is_empty() && !rest.starts_with('度') && is_period_prefix(rest)
    })
}

fn strip_enclosing_brackets(s: &str) -> &str {
    const PAIRS: [(char, char); 5] = [('(', ')'), ('[', ']'), ('【', '】'), ('〔', '〕'), ('<', '>')];
    PAIRS.iter().find_map(|&(open, close)| s.strip_prefix(open).and_then(|r| r.strip_suffix(close))).unwrap_or(s)
}

/// Whether `p` may precede a total word: nothing, a named period, a month or
/// month range, a quarter, or a (fiscal) year.
fn is_period_prefix(p: &str) -> bool {
    if p.is_empty() || TOTAL_PERIODS.split(' ').any(|w| w == p) {
        return true;
    }
    if let Some(year) = p.strip_suffix("年度") {
        return year.is_empty()
            || digits(year, 4..=4).is_some()
            || era_prefix(year).is_some_and(|(_, n)| era_year(n).is_some());
    }
    if let Some(quarter) = p.strip_prefix('第').and_then(|q| q.strip_suffix("四半期")) {
        return digits(quarter, 1..=1).is_some_and(|q| (1..=4).contains(&q));
    }
    if let Some(months) = p.strip_suffix("月分").or_else(|| p.strip_suffix('月')) {
        let is_month = |m: &str| digits(m, 1..=2).is_some_and(|m| (1..=12).contains(&m));
        return is_month(months)
            || months
                .split_once(['~', '〜', '-'])
                .is_some_and(|(from, to)| is_month(from.strip_suffix('月').unwrap_or(from)) && is_month(to));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_headings() {
        for s in [
            "5月",
            "５月",
            "5月分",
            "【5月】",
            "(5月)",
            "5月:",
            "5月実績",
            "5月の実績",
            "令和5年5月",
            "R5年5月",
            "2023年5月分",
            "上期",
            "第1四半期",
            "令和5年度",
            "4~9月",
        ] {
            assert!(is_period_heading(s), "{s}");
        }
        for s in ["", "13月", "5日", "A社", "溶接", "2023年", "令和5年", "5", "2023/5/1", "R5.5.1", "5月1日", "5月計"]
        {
            assert!(!is_period_heading(s), "{s}");
        }
    }

    #[test]
    fn total_labels() {
        for s in [
            "合計",
            "計",
            "小計",
            "総計",
            "総合計",
            "累計",
            "月計",
            "年計",
            "合　計",
            " 計 ",
            "合計:",
            "合計：",
            "【合計】",
            "(小計)",
            "10月計",
            "１０月計",
            "10月合計",
            "4月分計",
            "4~9月計",
            "4月~9月計",
            "4月〜9月合計",
            "4〜9月合計",
            "上期計",
            "下期計",
            "前期小計",
            "後期計",
            "上半期計",
            "通期合計",
            "年度合計",
            "年度計",
            "2023年度合計",
            "R5年度計",
            "令和5年度合計",
            "第1四半期計",
            "全体合計",
        ] {
            assert!(is_total_label(s), "{s} should be a total");
        }
    }

    #[test]
    fn trade_names_and_other_labels_are_not_totals() {
        for s in [
            "機械設計",
            "設計",
            "計装",
            "計測",
            "会計",
            "統計",
            "時計",
            "家計",
            "前期",
            "10月",
            "合計額",
            "13月計",
            "第5四半期計",
            "中小企業",
            "",
            "計画",
            "合計人数",
        ] {
            assert!(!is_total_label(s), "{s} should not be a total");
        }
    }
}
