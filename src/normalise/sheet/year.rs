//! The fiscal year of a row (its date's; a competition entry's own, or the
//! one its sheet, file or folders name) and of a sheet (the year 80 % of its
//! dated rows fall in), with the rows dated in another year listed.

use super::{SheetReader, Value};
use crate::fiscal::FiscalYear;
use crate::ingest::a1;
use crate::normalise::values::named_fiscal_year;
use crate::normalise::{Quality, Warning, WarningKind};
use chrono::NaiveDate;

impl SheetReader<'_> {
    /// The fiscal year of a row: its date's, else (competitions) its 年度 or
    /// the year its sheet, file or folders name.
    pub(super) fn row_year(&self, date: Option<NaiveDate>, year_cell: Option<&Value<'_>>) -> Option<i32> {
        match (date, year_cell) {
            (Some(d), _) => Some(FiscalYear::of(d).year()),
            (None, Some(Value::Year(y))) => Some(*y),
            (None, _) => self.named_year,
        }
    }

    /// The fiscal year at least 80% of the sheet's dated rows fall in (when
    /// it has at least 5), listing every accepted row dated in another year
    /// as 「年度外の日付」.
    pub fn sheet_year(&self, quality: &mut Quality) -> Option<i32> {
        // The rows of this sheet whose own date could not be read take the
        // year 80 % of its dated rows fall in (for 過年度).
        if let Some(year) = self.main_year() {
            let (r, w, n) = self.ledger_from;
            let fill = |y: &mut Option<i32>| {
                y.get_or_insert(year);
            };
            quality.rejected.iter_mut().skip(r).for_each(|x| fill(&mut x.fiscal_year));
            quality.warnings.iter_mut().skip(w).for_each(|x| fill(&mut x.fiscal_year));
            quality.not_held.iter_mut().skip(n).for_each(|x| fill(&mut x.fiscal_year));
        }
        if self.dated.len() < MIN_DATED_ROWS {
            return None;
        }
        let mut by_year: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
        for d in &self.dated {
            *by_year.entry(FiscalYear::of(d.date).year()).or_default() += 1;
        }
        let (&year, &n) = by_year.iter().max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))?;
        if n * 5 < self.dated.len() * 4 {
            return None;
        }
        let label = fiscal_label;
        let header = self.schema.date_field.map_or("日付", |f| self.dm.header(f));
        for d in self.dated.iter().filter(|d| d.accepted && FiscalYear::of(d.date).year() != year) {
            let own = FiscalYear::of(d.date).year();
            quality.warnings.push(Warning {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                cell: a1(d.cell.0, d.cell.1),
                dataset: self.dataset,
                column: header.to_string(),
                kind: WarningKind::DateOutsideSheetYear { date: d.date, sheet_year: year },
                // The sheet's year, not the typo's: this year's sheet is where
                // it is to be fixed (a 過年度 label would hide it).
                fiscal_year: Some(year),
                reason: format!(
                    "{header} {}は{}ですが、このシートの日付は {}/{} 行が{}です。入力の誤り（年の打ち間違い）でないか確かめてください（この行は{}の実績として扱っています）",
                    crate::fiscal::date_prose(d.date),
                    label(own),
                    n,
                    self.dated.len(),
                    label(year),
                    label(own)
                ),
            });
        }
        Some(year)
    }
    /// The fiscal year at least 80 % of the sheet's dated rows fall in.
    pub(super) fn main_year(&self) -> Option<i32> {
        let mut by_year: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
        for d in &self.dated {
            *by_year.entry(FiscalYear::of(d.date).year()).or_default() += 1;
        }
        let (&year, &n) = by_year.iter().max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))?;
        (n * 5 >= self.dated.len() * 4).then_some(year)
    }
}

/// The fiscal year a sheet's title lines or its name name (a 年度 form),
/// else its file name, else its folders, nearest first (a bare era year
/// such as R5 names one there too).
pub(super) fn named_year(titles: &[String], sheet: &str, file: &str) -> Option<i32> {
    if let Some(y) = titles.iter().find_map(|t| named_fiscal_year(t, false)) {
        return Some(y);
    }
    if let Some(y) = named_fiscal_year(sheet, false) {
        return Some(y);
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    named_fiscal_year(stem, true).or_else(|| parts.iter().rev().find_map(|d| named_fiscal_year(d, true)))
}

/// 令和5年度 for 2023.
pub(super) fn fiscal_label(year: i32) -> String {
    NaiveDate::from_ymd_opt(year, 4, 1).map_or_else(|| format!("{year}年度"), |d| FiscalYear::of(d).label_ja())
}

/// A sheet needs at least this many dated rows to have a year of its own.
const MIN_DATED_ROWS: usize = 5;
