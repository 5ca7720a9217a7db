//! Repeats: of a number (派遣番号, 認定番号) within its scope — a duplicate
//! when the counted fields agree (skipped), a conflict when not (rejected) —
//! and of a row without a number in another sheet or book (the same event,
//! skipped and listed) or in its own sheet (counted, listed). Also the
//! rejection of a row a required field of which cannot be read.

use super::fields::Fields;
use super::year::fiscal_label;
use super::{NONE_KEY, Outcome, RowCtx, SheetReader, date_of_days, key_number};
use crate::fiscal::FiscalYear;
use crate::ingest::a1;
use crate::normalise::columns::{Builder, Compared, RecordKey, Seen, Value};
use crate::normalise::quality::CheckKind;
use crate::normalise::repeats::{At, Repeat, event_fields};
use crate::normalise::{Duplicate, Quality, Rejection, WarningKind};
use crate::schema::DatasetId;
use std::borrow::Cow;

impl SheetReader<'_> {
    /// Rejects a row whose required field cannot be read (every problem named).
    pub(super) fn reject(&mut self, f: &Fields<'_>, at: &RowCtx, quality: &mut Quality) -> Option<Outcome> {
        if let Some((col, key, _)) = f.problems.first() {
            quality.rejected.push(Rejection {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                cell: a1(at.row, *col),
                dataset: self.dataset,
                column: self.dm.header(key).to_string(),
                reason: f.problems.iter().map(|(_, _, r)| r.as_str()).collect::<Vec<_>>().join(" ／ "),
                conflicts_with: None,
                key: None,
                fiscal_year: at.fiscal_year,
            });
            self.note_dated(at.date, at.date_cell, false);
            return Some(Outcome::Rejected);
        }
        None
    }

    /// A repeat of a number seen before (`Err`: skipped as a duplicate or
    /// rejected as a conflict); `Ok(true)` when the row has a number.
    pub(super) fn number_repeat(
        &mut self,
        f: &Fields<'_>,
        at: &RowCtx,
        builder: &mut Builder,
        quality: &mut Quality,
    ) -> Result<bool, Outcome> {
        let schema = self.schema;
        let dm = self.dm;
        let value_of = |key: &str| f.value(schema, key);
        if let Some(unique) = &schema.unique_key
            && let Some(Value::Str(number)) = value_of(unique.field)
        {
            let key_year = unique.per_fiscal_year_of.and_then(|k| match value_of(k) {
                Some(Value::Date(d)) => Some(FiscalYear::of(date_of_days(*d)).year()),
                _ => None,
            });
            let key = RecordKey { fiscal_year: key_year, number: key_number(number) };
            let mut compared = Compared::default();
            for field in unique.compared {
                match f.personal.iter().find(|(k, _)| k == field) {
                    Some((_, text)) => {
                        compared.push(|out| out.extend_from_slice(text.as_ref().map_or(NONE_KEY, |t| t.as_bytes())))
                    }
                    None => compared.push(|out| match value_of(field) {
                        Some(v) => v.write_key(out),
                        None => out.extend_from_slice(NONE_KEY),
                    }),
                }
            }
            let number_col = self.col_of(unique.field);
            if let Some(seen) = builder.seen.get(&key) {
                let here = self.place(at.row, number_col);
                let kept = builder.place(seen.source, seen.row, seen.col);
                let differ: Vec<&str> = unique
                    .compared
                    .iter()
                    .zip(compared.fields().zip(seen.compared.fields()))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(k, _)| dm.header(k))
                    .collect();
                let header = dm.header(unique.field);
                if differ.is_empty() {
                    self.skipped_duplicate += 1;
                    quality.duplicates.push(Duplicate {
                        dataset: self.dataset,
                        key: number.to_string(),
                        skipped: here,
                        kept,
                    });
                    self.note_dated(at.date, at.date_cell, false);
                    return Err(Outcome::Skipped);
                }
                let year = key_year.map(|y| format!("{}の", fiscal_label(y))).unwrap_or_default();
                quality.rejected.push(Rejection {
                    file: self.file.to_string(),
                    sheet: self.sheet.to_string(),
                    cell: here.cell.clone(),
                    dataset: self.dataset,
                    column: header.to_string(),
                    reason: format!(
                        "{header}の重複（内容が異なる）: {year}{header}「{number}」は {} / {} / {} の行と {} が異なります。\
                         どちらが正しいか確かめ、番号か内容を直してください（先の行だけを集計しています）",
                        kept.file,
                        kept.sheet,
                        kept.cell,
                        differ.join("・")
                    ),
                    conflicts_with: Some(kept),
                    key: Some(number.to_string()),
                    fiscal_year: at.fiscal_year,
                });
                self.note_dated(at.date, at.date_cell, false);
                return Err(Outcome::Rejected);
            }
            builder.seen.insert(key, Seen { source: self.source, row: at.row, col: number_col, compared });
            return Ok(true);
        }
        Ok(false)
    }

    /// A row without a number repeated in another sheet or book: the same
    /// event (`Some`: skipped); equal to a row of its own sheet: counted, to check.
    pub(super) fn event_repeat(
        &mut self,
        f: &mut Fields<'_>,
        at: &RowCtx,
        builder: &mut Builder,
        quality: &mut Quality,
    ) -> Option<Outcome> {
        let event = self.event_key(&f.values, &f.personal);
        if let Some(key) = event {
            let here = At { sheet: self.source, row: at.row, col: self.first_col };
            match builder.events.classify(key, self.source) {
                Repeat::OtherSheet(first) => {
                    builder.events.insert(key, here, false);
                    let kept = builder.place(first.sheet, first.row, first.col);
                    self.skipped_duplicate += 1;
                    quality.warnings.push(self.warning(
                        at.row,
                        self.first_col,
                        self.first_field(),
                        WarningKind::Check(CheckKind::RepeatWithoutNumber),
                        format!(
                            "{} / {} / {} の行と同じ内容です。{}がないため同じ{}とみなし、この行は数えていません。別の{}なら{}を入れてください",
                            kept.file,
                            kept.sheet,
                            kept.cell,
                            self.number_header(),
                            self.event_word(),
                            self.event_word(),
                            self.number_header()
                        ),
                        at.fiscal_year,
                    ));
                    self.note_dated(at.date, at.date_cell, false);
                    return Some(Outcome::Skipped);
                }
                Repeat::SameSheet(first) => {
                    builder.events.insert(key, here, true);
                    f.checks.push((
                        self.first_col,
                        self.first_field(),
                        CheckKind::EqualRowsInSheet,
                        format!(
                            "同じシートの {} の行と同じ内容です。別の{}として両方数えています。同じ{}の二重入力なら、どちらかの行を消してください",
                            a1(first.row, first.col),
                            self.event_word(),
                            self.event_word()
                        ),
                    ));
                }
                Repeat::New => builder.events.insert(key, here, true),
            }
        }
        None
    }

    /// The fingerprint of the fields an event without a number is told by
    /// (dispatches and outreach; `None` elsewhere).
    pub(super) fn event_key(
        &self,
        values: &[Option<Value<'_>>],
        personal: &[(&'static str, Option<Cow<'_, str>>)],
    ) -> Option<u64> {
        let fields = event_fields(self.dataset);
        if fields.is_empty() {
            return None;
        }
        let mut bytes = Vec::with_capacity(128);
        for f in fields {
            bytes.extend_from_slice(f.as_bytes());
            match personal.iter().find(|(k, _)| k == f) {
                Some((_, Some(t))) => bytes.extend_from_slice(t.as_bytes()),
                Some((_, None)) => bytes.extend_from_slice(NONE_KEY),
                None => match self.schema.fields.iter().position(|s| s.key == *f).and_then(|i| values[i].as_ref()) {
                    Some(v) => v.write_key(&mut bytes),
                    None => bytes.extend_from_slice(NONE_KEY),
                },
            }
        }
        Some(xxhash_rust::xxh3::xxh3_64(&bytes))
    }

    /// The field of the row's first matched column (where a row's place points).
    pub(super) fn first_field(&self) -> &'static str {
        self.schema
            .fields
            .iter()
            .zip(&self.slot)
            .find(|(_, s)| s.is_some_and(|(_, c)| c == self.first_col))
            .map_or("", |(f, _)| f.key)
    }

    /// 派遣番号 (the number a repeat would carry).
    pub(super) fn number_header(&self) -> &str {
        self.schema.unique_key.as_ref().map_or("番号", |u| self.dm.header(u.field))
    }

    /// What one row of the record type is (派遣, 行事).
    pub(super) fn event_word(&self) -> &'static str {
        match self.dataset {
            DatasetId::Dispatches => "派遣",
            _ => "行事",
        }
    }
}
