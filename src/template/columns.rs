//! One template column per schema field: its header (what the reader
//! recognises), width, cell format, the rule a typed value must meet, and
//! the Japanese texts staff see (input message, error message).
//!
//! Plain data, no Excel types: [`super::validation`] turns a [`Rule`] into
//! Excel's data validation and [`super::sheet`] lays the columns out.

use super::describe;
use crate::fiscal::{FiscalYear, date_wareki};
use crate::mapping::DatasetMapping;
use crate::schema::{DatasetId, FieldKind, FieldSpec};
use crate::text::display_width;
use chrono::{Datelike, NaiveDate};

/// The 和暦 date format of date columns: `令和8年4月1日`. `[$-411]` (the
/// Japanese locale id) is the form Excel 2010 onwards and LibreOffice all
/// read; the newer `[$-ja-JP-x-gannen]` (令和元年) is not understood by older
/// Excel, so 2019's dates show as 令和1年 (which the reader reads too).
pub const WAREKI_DATE_FORMAT: &str = "[$-411]ggge\"年\"m\"月\"d\"日\"";

/// Earliest date a date column accepts: the reader rejects earlier dates as
/// implausible (a count typed into a date column).
pub fn earliest_date() -> NaiveDate {
    crate::normalise::values::earliest_plausible()
}

/// What a typed value must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A date between `from` and `to` inclusive; `of_year` when the range is
    /// the fiscal year (the record's own date).
    Date { from: NaiveDate, to: NaiveDate, of_year: bool },
    /// A whole number ≥ 0 (counts, yen).
    Whole,
    /// A number between the bounds (hours).
    Decimal { min: f64, max: f64 },
    /// One of these values (a drop-down list).
    List(Vec<String>),
    /// Anything (text): only the input message.
    Any,
}

/// One column of a data sheet.
#[derive(Debug, Clone)]
pub struct Column {
    pub field: &'static FieldSpec,
    /// The header written: what the reader recognises.
    pub header: String,
    /// Column width in half-width characters.
    pub width: f64,
    /// Number format of the data cells (`@` for text).
    pub num_format: Option<&'static str>,
    pub rule: Rule,
    /// What goes in the column (one sentence), and how to type it.
    pub about: &'static str,
    pub how: String,
    /// Input message title (≤ 32 UTF-16 units) and text (≤ 255).
    pub prompt_title: String,
    pub prompt: String,
    /// Error message title and text shown when a typed value breaks the rule.
    pub error_title: String,
    pub error: String,
}

/// Longest input/error title Excel keeps (UTF-16 units).
pub const MAX_TITLE: usize = 32;
/// Longest input/error message Excel keeps (UTF-16 units).
pub const MAX_MESSAGE: usize = 255;

/// `text` cut to at most `max` UTF-16 units (Excel's measure), with `…`
/// when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 1; // the ellipsis
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The columns of a record type's data sheet for fiscal year `fy`, in the
/// schema's order, with the headers of `mapping`.
pub fn columns(id: DatasetId, mapping: &DatasetMapping, fy: FiscalYear) -> Vec<Column> {
    let schema = id.schema();
    schema.fields.iter().map(|f| column(id, f, schema.date_field == Some(f.key), mapping, fy)).collect()
}

fn column(id: DatasetId, f: &'static FieldSpec, of_year: bool, m: &DatasetMapping, fy: FiscalYear) -> Column {
    let header = m.template_header(f.key).to_string();
    let (about, text_width) = describe::field(id, f.key).unwrap_or(("", 16));
    let year = fy.label_ja();
    let (rule, how, num_format, kind_width): (Rule, String, Option<&'static str>, usize) = match f.kind {
        FieldKind::Date => {
            // The record's own date lies in the fiscal year; other dates
            // (認定日, 講習受講日, 報告日 …) may be years before, or (報告日 of
            // a March incident) just after.
            let (from, to) = if of_year {
                (fy.start(), fy.end())
            } else {
                (earliest_date(), FiscalYear::new(fy.year() + 1).map_or(fy.end(), FiscalYear::end))
            };
            let example = NaiveDate::from_ymd_opt(fy.year(), 5, 12).unwrap_or(fy.start());
            let typed = format!("{}/{}/{}", example.year(), example.month(), example.day());
            let how = if of_year {
                format!(
                    "{}〜{} の日付。{typed} と入力すると {} と表示されます。",
                    date_wareki(from),
                    date_wareki(to),
                    date_wareki(example)
                )
            } else {
                format!(
                    "日付。{typed} と入力すると {} と表示されます。前の年度の日付も入力できます。",
                    date_wareki(example)
                )
            };
            (Rule::Date { from, to, of_year }, how, Some(WAREKI_DATE_FORMAT), 18)
        }
        FieldKind::Count => (Rule::Whole, "0以上の整数を数字だけで入力（12人 → 12）。".into(), Some("#,##0"), 10),
        FieldKind::Yen => (Rule::Whole, "0以上の金額を数字だけで入力（1,000円 → 1000）。".into(), Some("#,##0"), 12),
        FieldKind::Hours => {
            (Rule::Decimal { min: 0.0, max: 24.0 }, "時間数を数字で入力（2、1.5。90分 → 1.5）。".into(), None, 10)
        }
        FieldKind::Category => {
            let values: Vec<String> = m.values(f.key).into_iter().map(str::to_string).collect();
            let widest = values.iter().map(|v| display_width(v)).max().unwrap_or(8);
            let how = format!("▼の一覧から選ぶ（{}）。", values.join("、"));
            (Rule::List(values), how, Some("@"), widest + 4)
        }
        FieldKind::Flag => {
            (Rule::List(vec!["○".into(), "×".into()]), "辞退なら ○ を▼から選ぶ。参加なら空欄か ×。".into(), None, 8)
        }
        FieldKind::FiscalYear => {
            (Rule::List(vec![year.clone()]), format!("{year} を▼から選ぶか、空欄のまま。"), Some("@"), 12)
        }
        FieldKind::Text => (Rule::Any, String::new(), Some("@"), text_width),
    };
    let status = match (f.required, f.default) {
        (true, _) => "必須。".to_string(),
        (false, Some(d)) => format!("任意（空欄は {d}）。"),
        (false, None) => "任意（空欄可）。".to_string(),
    };
    let pii = if f.pii {
        "\n個人情報: ブックの中にだけ残り、報告書やメールには出ません。"
    } else {
        ""
    };
    let prompt = fit(&format!("{about}\n{how}\n{status}{pii}").replace("\n\n", "\n"), MAX_MESSAGE);
    let prompt_title = fit(&format!("{header}（{}）", if f.required { "必須" } else { "任意" }), MAX_TITLE);
    let (error_title, error) = error_text(&rule, &header, fy);
    let width = (display_width(&header) + 4).max(kind_width).max(8) as f64;
    Column { field: f, header, width, num_format, rule, about, how, prompt_title, prompt, error_title, error }
}

/// The error dialog's title and text for a rule.
fn error_text(rule: &Rule, header: &str, fy: FiscalYear) -> (String, String) {
    let (title, text) = match rule {
        Rule::Date { from, to, of_year: true } => (
            "年度の外の日付です".to_string(),
            format!(
                "「{header}」には {}〜{} の日付を入力してください（例: {}/5/12）。前の年度の記録は、その年度のブックに記入します。",
                date_wareki(*from),
                date_wareki(*to),
                fy.year()
            ),
        ),
        Rule::Date { from, to, of_year: false } => (
            "日付を入力してください".to_string(),
            format!(
                "「{header}」には {}〜{} の日付を入力してください（例: {}/5/12）。",
                date_wareki(*from),
                date_wareki(*to),
                fy.year()
            ),
        ),
        Rule::Whole => (
            "数字で入力してください".to_string(),
            format!("「{header}」には 0 以上の整数を数字だけで入力してください（「12人」ではなく 12）。"),
        ),
        Rule::Decimal { min, max } => (
            "数字で入力してください".to_string(),
            format!("「{header}」には {min}〜{max} の数を数字だけで入力してください（例: 2、1.5）。"),
        ),
        Rule::List(values) => (
            "一覧にない値です".to_string(),
            format!("「{header}」は ▼ の一覧から選んでください: {}", values.join("、")),
        ),
        Rule::Any => (String::new(), String::new()),
    };
    (fit(&title, MAX_TITLE), fit(&text, MAX_MESSAGE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Mapping;

    #[test]
    fn every_message_fits_excels_limits_and_says_what_to_type() {
        let m = Mapping::embedded();
        let fy = FiscalYear::new(2026).unwrap();
        for id in DatasetId::ALL {
            for c in columns(id, m.dataset(id), fy) {
                let at = format!("{id}.{}", c.field.key);
                assert!(c.prompt_title.encode_utf16().count() <= MAX_TITLE, "{at}");
                assert!(c.error_title.encode_utf16().count() <= MAX_TITLE, "{at}");
                assert!(!c.prompt.ends_with('…') && !c.error.ends_with('…'), "{at}: a message was cut: {}", c.prompt);
                assert!(c.prompt.contains(if c.field.required { "必須" } else { "任意" }), "{at}");
                assert_eq!(c.field.pii, c.prompt.contains("個人情報"), "{at}");
                if let Rule::List(values) = &c.rule {
                    // Excel's limit for a list typed into the rule.
                    assert!(values.join(",").encode_utf16().count() <= 255, "{at}");
                }
            }
        }
    }

    #[test]
    fn only_the_records_own_date_is_held_to_the_fiscal_year() {
        let m = Mapping::embedded();
        let fy = FiscalYear::new(2026).unwrap();
        let rule = |id: DatasetId, key: &str| {
            columns(id, m.dataset(id), fy).into_iter().find(|c| c.field.key == key).map(|c| c.rule)
        };
        let year = Rule::Date { from: fy.start(), to: fy.end(), of_year: true };
        assert_eq!(rule(DatasetId::Dispatches, "date"), Some(year.clone()));
        assert_eq!(rule(DatasetId::Incidents, "date"), Some(year));
        let wide =
            Rule::Date { from: earliest_date(), to: NaiveDate::from_ymd_opt(2028, 3, 31).unwrap(), of_year: false };
        for key in ["certified_on", "trained_on", "deregistered_on", "last_activity_on"] {
            assert_eq!(rule(DatasetId::Meisters, key), Some(wide.clone()), "{key}");
        }
        assert_eq!(rule(DatasetId::Incidents, "reported_on"), Some(wide), "a March incident is reported in April");
        assert_eq!(rule(DatasetId::Dispatches, "trainees"), Some(Rule::Whole));
        assert_eq!(
            rule(DatasetId::Meetings, "format"),
            Some(Rule::List(vec!["対面".into(), "WEB".into(), "併用".into()]))
        );
        assert_eq!(rule(DatasetId::Competitions, "fiscal_year"), Some(Rule::List(vec!["令和8年度".into()])));
    }

    #[test]
    fn fit_cuts_by_utf16_units() {
        assert_eq!(fit("実施日", 32), "実施日");
        assert_eq!(fit("あいうえお", 3), "あい…");
        assert_eq!(fit("𠮷𠮷", 3), "𠮷…", "a surrogate pair is two units");
    }
}
