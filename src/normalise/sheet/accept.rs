//! A row that counts: its days (日数, a range: one frame row per day of a
//! dispatch, person-days of an outreach event), its check items, its
//! fingerprint, and its values into the record type's frame.

use super::fields::Fields;
use super::{NONE_KEY, Outcome, RowCtx, SheetReader, epoch_days};
use crate::ingest::Strike;
use crate::normalise::columns::{Builder, Value};
use crate::normalise::quality::CheckKind;
use crate::normalise::values::{MAX_RANGE_DAYS, Remarks, remarks};
use crate::normalise::{Quality, WarningKind};
use crate::schema::{DatasetId, Days};
use chrono::NaiveDate;

/// How many sessions a row makes and how many days an event ran.
pub(super) struct SessionDays {
    /// Dispatches: one session per day, the same date N times or each
    /// calendar day of a range.
    dispatch: DispatchDays,
    /// Outreach: the days that multiply its participants (1 elsewhere).
    outreach: i64,
}

pub(super) enum DispatchDays {
    Same(usize),
    Range(NaiveDate, NaiveDate),
}

impl SessionDays {
    const ONE: SessionDays = SessionDays { dispatch: DispatchDays::Same(1), outreach: 1 };

    /// The date of each frame row the record makes: `None` keeps the row's own.
    pub(super) fn sessions(&self) -> Vec<Option<NaiveDate>> {
        match self.dispatch {
            DispatchDays::Same(n) => vec![None; n.max(1)],
            DispatchDays::Range(a, b) => a.iter_days().take_while(|d| *d <= b).map(Some).collect(),
        }
    }
}

impl SheetReader<'_> {
    /// Accepts a row into `builder` (one frame row per session day).
    pub(super) fn accept(
        &mut self,
        mut f: Fields<'_>,
        strike: Strike,
        at: &RowCtx,
        builder: &mut Builder,
        quality: &mut Quality,
    ) -> Outcome {
        let schema = self.schema;
        let dm = self.dm;
        // Days: a session over several days.
        let written = match f.value(schema, "days") {
            Some(Value::Int(n)) => Some(*n),
            _ => None,
        };
        let days = self.days(written, f.range, &mut f.warnings);
        if let (true, Strike::Partly { cell }) = (schema.events, strike) {
            let field = self.slot.iter().position(|s| s.is_some_and(|(i, _)| i == cell));
            let key = field.map_or("", |f| schema.fields[f].key);
            let col = field.and_then(|f| self.slot[f]).map_or(self.first_col, |(_, c)| c);
            f.checks.push((
                col,
                key,
                CheckKind::PartlyStruck,
                "この行の一部のセルだけに取り消し線があります。行全体を取り消す（見え消し）なら行のすべてのセルに、そうでなければ取り消し線を外してください（この行は集計しています）".to_string(),
            ));
        }
        // A cancellation word elsewhere in 備考 (or leading, under 状況 実施).
        if let Some(Value::Str(text)) = f.value(schema, "remarks")
            && let Remarks::Mentions(word) | Remarks::NotHeld(word) = remarks(text)
        {
            f.checks.push((
                self.col_of("remarks"),
                "remarks",
                CheckKind::RemarksWord,
                format!(
                    "{}に「{word}」とあります。この行は実施した行として集計しています。実施しなかったなら状況に「中止」か「延期」を入れてください",
                    dm.header("remarks")
                ),
            ));
        }

        for (col, key, reason) in std::mem::take(&mut f.warnings) {
            quality.warnings.push(self.warning(at.row, col, key, WarningKind::Field, reason, at.fiscal_year));
        }
        for (col, key, kind, reason) in std::mem::take(&mut f.checks) {
            quality.warnings.push(self.warning(at.row, col, key, WarningKind::Check(kind), reason, at.fiscal_year));
        }
        if let Some(y) = at.fiscal_year {
            quality.dated_years.insert(y);
        }
        let mut key_bytes = Vec::with_capacity(128);
        key_bytes.extend_from_slice(self.dataset.key().as_bytes());
        for (spec, v) in schema.fields.iter().zip(&f.values) {
            match v {
                _ if !spec.stored => {}
                // A common column (日数) only where it holds a value, so a
                // row's fingerprint is the same as before the column existed.
                None if spec.common => {}
                Some(v) => v.write_key(&mut key_bytes),
                None => key_bytes.extend_from_slice(NONE_KEY),
            }
        }
        let sessions = days.sessions();
        // A session over several days: its days are part of what it is.
        if sessions.len() > 1 {
            key_bytes.push(b'D');
            key_bytes.extend_from_slice(&(sessions.len() as u64).to_le_bytes());
        }
        let fp = xxhash_rust::xxh3::xxh3_64(&key_bytes);
        // The competition year a sheet, file or folder names, where the row has none.
        let named = self.named_year.filter(|_| self.dataset == DatasetId::Competitions);
        let mut stored: Vec<Option<Value<'_>>> = Vec::with_capacity(builder.fields.len());
        for (spec, v) in schema.fields.iter().zip(f.values) {
            if !spec.stored {
                continue;
            }
            stored.push(match (spec.key, v) {
                ("fiscal_year", None) => named.map(Value::Year),
                // Blank for one day, so a row's fingerprint stays what it was.
                ("days", _) => (days.outreach != 1).then_some(Value::Int(days.outreach)),
                (_, v) => v,
            });
        }
        let stored_year = builder.fields.iter().position(|f| f.key == "fiscal_year").and_then(|i| stored[i].as_ref());
        if self.dataset == DatasetId::Competitions && stored_year.is_none() {
            quality.year_unnamed.push(self.place(at.row, self.first_col));
        }
        for (k, day) in sessions.iter().enumerate() {
            builder.fp.push(fp);
            for (j, (buf, v)) in builder.columns.iter_mut().zip(&stored).enumerate() {
                let date_field = Some(builder.fields[j].key) == schema.date_field;
                match (date_field, day) {
                    (true, Some(d)) => buf.push(Some(Value::Date(epoch_days(*d)))),
                    _ => buf.push(v.as_ref().map(Value::borrowed)),
                }
            }
            builder.source.push(self.source);
            builder.row.push(at.row + 1);
            builder.col.push(self.first_col);
            builder.day.push(u32::try_from(k).unwrap_or(u32::MAX));
            if k > 0 {
                quality.further_days += 1;
            }
        }
        self.note_dated(at.date, at.date_cell, true);
        Outcome::Accepted
    }

    /// The sessions a row makes (datasets.md, "Sessions over several days"):
    /// 日数 N, or the days of a range in the date cell (which wins, with a
    /// warning, where the two disagree).
    pub(super) fn days(
        &self,
        written: Option<i64>,
        range: Option<(NaiveDate, NaiveDate)>,
        warnings: &mut Vec<(u32, &'static str, String)>,
    ) -> SessionDays {
        if !matches!(self.schema.days, Days::Sessions | Days::PersonDays) {
            return SessionDays::ONE;
        }
        let (col, header) = (self.col_of("days"), self.dm.header("days"));
        let date_header = self.schema.date_field.map_or("日付", |f| self.dm.header(f));
        let spans = range.map(|(a, b)| (b - a).num_days() + 1);
        let n = match (spans, written) {
            (Some(r), Some(w)) if w != r => {
                warnings.push((
                    col,
                    "days",
                    format!("{header} {w} と{date_header}の期間（{r} 日）が合いません。期間の {r} 日として数えています。どちらかを直してください"),
                ));
                r
            }
            (Some(r), _) => r,
            (None, Some(0)) => {
                warnings.push((
                    col,
                    "days",
                    format!(
                        "{header}が 0 です。1 日として数えています。実施しなかったなら状況に「中止」を入れてください"
                    ),
                ));
                1
            }
            (None, Some(w)) if w > MAX_RANGE_DAYS => {
                warnings.push((
                    col,
                    "days",
                    format!(
                        "{header} {w} は1回の派遣・行事として多すぎます（{MAX_RANGE_DAYS} 日まで）。1 日として数えています。日数を直すか、日ごとの行に分けてください"
                    ),
                ));
                1
            }
            (None, Some(w)) => w,
            (None, None) => 1,
        };
        match (self.schema.days, range) {
            (Days::Sessions, Some((a, b))) => SessionDays { dispatch: DispatchDays::Range(a, b), outreach: 1 },
            (Days::Sessions, None) => {
                SessionDays { dispatch: DispatchDays::Same(usize::try_from(n).unwrap_or(1)), outreach: 1 }
            }
            _ => SessionDays { dispatch: DispatchDays::Same(1), outreach: n },
        }
    }
}
