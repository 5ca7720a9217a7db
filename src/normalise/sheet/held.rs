//! Rows that did not happen (datasets.md, "Records that did not happen"):
//! 状況 中止・延期・予定, a date cell holding only a cancellation word, a row
//! struck through, 備考 beginning with a cancellation word, nobody came.
//! Decided before duplicates and conflicts are looked for.

use super::fields::Fields;
use super::{Outcome, RowCtx, SheetReader};
use crate::fiscal::FiscalYear;
use crate::ingest::{RawCell, Strike, a1};
use crate::normalise::columns::Value;
use crate::normalise::quality::{CheckKind, NotHeld, NotHeldKind};
use crate::normalise::values::{Remarks, cancel_word_alone, cell_text, parse_date_range, remarks};
use crate::normalise::{Quality, WarningKind};
use crate::schema::{STATUS_CANCELLED, STATUS_PLANNED, STATUS_POSTPONED};
use chrono::NaiveDate;

/// Why a row did not happen, and the cell that says so.
pub(super) struct NotHeldMark {
    kind: NotHeldKind,
    col: u32,
    reason: String,
}

impl SheetReader<'_> {
    /// A row that says it did not happen (datasets.md, "Records that did not
    /// happen"): 状況 中止/延期/予定; for events also a date cell holding only a
    /// cancellation word, 備考 beginning with one, every cell struck through.
    pub(super) fn not_held_by_marks(&self, cells: &[RawCell], strike: Strike) -> Option<NotHeldMark> {
        let mut status_held = false;
        if let Some((i, col)) = self.slot_of("status")
            && let Some(label) = cell_text(&cells[i])
        {
            let kind = match self.dm.canonical("status", &label) {
                Some(STATUS_CANCELLED) => Some(NotHeldKind::Cancelled),
                Some(STATUS_POSTPONED) => Some(NotHeldKind::Postponed),
                Some(STATUS_PLANNED) => Some(NotHeldKind::Planned),
                Some(_) => {
                    status_held = true;
                    None
                }
                None => None,
            };
            if let Some(kind) = kind {
                let shown: String = label.chars().take(30).collect();
                return Some(NotHeldMark { kind, col, reason: format!("{}「{shown}」", self.dm.header("status")) });
            }
        }
        if !self.schema.events {
            return None;
        }
        if let Some(field) = self.schema.date_field
            && let Some((i, col)) = self.slot_of(field)
            && let RawCell::Text(t) = &cells[i]
            && let Some(word) = cancel_word_alone(t)
        {
            let reason = format!("{}が「{word}」", self.dm.header(field));
            return Some(NotHeldMark { kind: NotHeldKind::DateWord, col, reason });
        }
        if strike == Strike::Whole {
            let reason = "行全体に取り消し線（見え消し）".to_string();
            return Some(NotHeldMark { kind: NotHeldKind::StruckThrough, col: self.first_col, reason });
        }
        // An explicit 状況 実施 outweighs 備考 (the row counts, to check).
        if !status_held
            && let Some((i, col)) = self.slot_of("remarks")
            && let Some(text) = cell_text(&cells[i])
            && let Remarks::NotHeld(word) = remarks(&text)
        {
            let reason = format!("{}が「{word}」で始まる", self.dm.header("remarks"));
            return Some(NotHeldMark { kind: NotHeldKind::Remarks, col, reason });
        }
        None
    }

    /// Lists a row that did not happen, its date read if it can be.
    pub(super) fn not_held(
        &mut self,
        row: u32,
        mark: NotHeldMark,
        cells: &[RawCell],
        quality: &mut Quality,
    ) -> Outcome {
        let date = self
            .schema
            .date_field
            .and_then(|f| self.slot_of(f))
            .and_then(|(i, _)| parse_date_range(&cells[i], self.is_1904).ok().flatten())
            .map(|(first, _)| first);
        self.not_held_dated(row, mark, date, quality)
    }

    pub(super) fn not_held_dated(
        &mut self,
        row: u32,
        mark: NotHeldMark,
        date: Option<NaiveDate>,
        quality: &mut Quality,
    ) -> Outcome {
        quality.not_held.push(NotHeld {
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            cell: a1(row, mark.col),
            dataset: self.dataset,
            kind: mark.kind,
            reason: mark.reason,
            date,
            fiscal_year: date.map(|d| FiscalYear::of(d).year()),
        });
        self.note_dated(date, self.date_col.map(|c| (row, c)), false);
        Outcome::NotHeld
    }

    /// Nobody came (受講者数 / 参加者数 0): not held, and a check item.
    pub(super) fn nobody_came(&mut self, f: &Fields<'_>, at: &RowCtx, quality: &mut Quality) -> Option<Outcome> {
        // Nobody came: not held, and a person should say whether it was.
        if let Some(att) = self.schema.attendance
            && matches!(f.value(self.schema, att), Some(Value::Int(0)))
        {
            let header = self.dm.header(att);
            let col = self.col_of(att);
            quality.warnings.push(self.warning(
                at.row,
                col,
                att,
                WarningKind::Check(CheckKind::ZeroAttendance),
                format!(
                    "{header}が 0 です。中止なら状況に「中止」、実施したなら{header}を入れてください（この行は集計していません）"
                ),
                at.fiscal_year,
            ));
            let not = NotHeldMark { kind: NotHeldKind::ZeroAttendance, col, reason: format!("{header} 0") };
            return Some(self.not_held_dated(at.row, not, at.date, quality));
        }
        None
    }
}
