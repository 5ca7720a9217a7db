//! Each cell of a row read by its field's kind: dates (and a range of days
//! in the date cell), counts (with a note in brackets), categories (looked
//! up once per distinct text of a column), personal texts (kept only to
//! compare repeats and to mask them elsewhere), and what a person must fix
//! (a required field) or check (an optional one).

use super::{MAX_LABELS_KEPT, SheetReader, date_of_days, epoch_days};
use crate::ingest::RawCell;
use crate::mapping::DatasetMapping;
use crate::normalise::columns::Value;
use crate::normalise::quality::CheckKind;
use crate::normalise::values::{
    cell_str, cell_text, count_with_note, parse_count, parse_date_range, parse_date_with_epoch, parse_fiscal_year,
    parse_flag, parse_hours, parse_yen,
};
use crate::schema::{Days, FieldKind, FieldSpec, Schema};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// A row's cells read: every field's value in schema order (personal
/// fields: none; their texts apart, only to compare repeats of a number),
/// and what was found on the way.
pub(super) struct Fields<'v> {
    pub(super) values: Vec<Option<Value<'v>>>,
    pub(super) personal: Vec<(&'static str, Option<Cow<'v, str>>)>,
    /// Required fields that cannot be read: (column, field, reason).
    pub(super) problems: Vec<(u32, &'static str, String)>,
    /// Optional fields left empty: (column, field, reason).
    pub(super) warnings: Vec<(u32, &'static str, String)>,
    /// Check items: (column, field, kind, reason).
    pub(super) checks: Vec<(u32, &'static str, CheckKind, String)>,
    /// The days of a range in the record's date cell.
    pub(super) range: Option<(NaiveDate, NaiveDate)>,
}

impl<'v> Fields<'v> {
    /// The value of a field, when it has one.
    pub(super) fn value(&self, schema: &Schema, key: &str) -> Option<&Value<'v>> {
        schema.fields.iter().position(|f| f.key == key).and_then(|i| self.values[i].as_ref())
    }

    /// The record's date, when read.
    pub(super) fn date(&self, schema: &Schema) -> Option<NaiveDate> {
        match schema.date_field.and_then(|f| self.value(schema, f)) {
            Some(Value::Date(d)) => Some(date_of_days(*d)),
            _ => None,
        }
    }
}

/// Parses one cell for a field: `Ok(None)` when blank.
pub(super) fn parse_cell<'v>(
    spec: &FieldSpec,
    cell: &'v RawCell,
    mapping: &'v DatasetMapping,
    is_1904: bool,
) -> Result<Option<Value<'v>>, String> {
    Ok(match spec.kind {
        FieldKind::Date => parse_date_with_epoch(cell, is_1904)?.map(|d| Value::Date(epoch_days(d))),
        FieldKind::Count => parse_count(cell)?.map(Value::Int),
        FieldKind::Yen => parse_yen(cell)?.map(Value::Int),
        FieldKind::Hours => parse_hours(cell)?.map(Value::Float),
        FieldKind::Flag => parse_flag(cell)?.map(Value::Bool),
        FieldKind::FiscalYear => parse_fiscal_year(cell)?.map(Value::Year),
        FieldKind::Text => {
            if let RawCell::Error(e) = cell {
                return Err(format!("セルがエラー値（{e}）です。数式か参照元を直してください"));
            }
            cell_str(cell).map(Value::Str)
        }
        FieldKind::Category => {
            if let RawCell::Error(e) = cell {
                return Err(format!("セルがエラー値（{e}）です。数式か参照元を直してください"));
            }
            match cell_text(cell) {
                None => spec.default.map(|d| Value::Str(Cow::Borrowed(d))),
                Some(label) => match mapping.canonical(spec.key, &label) {
                    Some(canon) => Some(Value::Str(Cow::Borrowed(canon))),
                    None => {
                        let shown: String = label.chars().take(30).collect();
                        return Err(format!(
                            "「{shown}」は{}として登録されていない値です。使える値: {}（別名はマッピングファイルに追加できます）",
                            mapping.header(spec.key),
                            mapping.values(spec.key).join("、")
                        ));
                    }
                },
            }
        }
    })
}

/// 日数: a count, also written `3日` or `3日間`.
pub(super) fn parse_days(cell: &RawCell) -> Result<Option<i64>, String> {
    if let RawCell::Text(t) = cell
        && let Some(n) = t.trim().strip_suffix("日間").or_else(|| t.trim().strip_suffix('日'))
    {
        return parse_count(&RawCell::Text(n.to_string()));
    }
    parse_count(cell)
}

impl<'a> SheetReader<'a> {
    /// Reads every field of a row.
    pub(super) fn read_fields<'v>(&mut self, cells: &'v [RawCell], pii: &mut BTreeSet<String>) -> Fields<'v>
    where
        'a: 'v,
    {
        let schema = self.schema;
        let dm = self.dm;
        // Every field's value, in schema order (personal fields: none; their
        // texts only for comparing repeats of a number).
        let mut values: Vec<Option<Value<'v>>> = Vec::with_capacity(schema.fields.len());
        let mut personal: Vec<(&'static str, Option<Cow<'v, str>>)> = Vec::new();
        let mut problems: Vec<(u32, &'static str, String)> = Vec::new();
        let mut warnings: Vec<(u32, &'static str, String)> = Vec::new();
        let mut checks: Vec<(u32, &'static str, CheckKind, String)> = Vec::new();
        // The days of a range in the record's date cell.
        let mut range: Option<(NaiveDate, NaiveDate)> = None;
        for (field, spec) in schema.fields.iter().enumerate() {
            let (cell, col) = match self.slot[field] {
                Some((i, c)) => (&cells[i], c),
                None => (&RawCell::Empty, self.first_col),
            };
            if spec.pii {
                personal.push((spec.key, self.personal(spec, cell, col, pii, &mut problems, &mut warnings)));
                values.push(None);
                continue;
            }
            let is_record_date = Some(spec.key) == schema.date_field && schema.days != Days::None;
            let parsed = match (spec.kind, cell) {
                _ if is_record_date => parse_date_range(cell, self.is_1904).map(|r| {
                    range = r.filter(|(a, b)| a != b);
                    r.map(|(first, _)| Value::Date(epoch_days(first)))
                }),
                _ if spec.key == "days" => parse_days(cell).map(|n| n.map(Value::Int)),
                (FieldKind::Category, RawCell::Text(raw)) => self.category(field, spec, raw, cell),
                _ => parse_cell(spec, cell, dm, self.is_1904),
            };
            // 10（うち女性3）: the leading count, to check.
            let parsed = match parsed {
                Err(_) if spec.kind == FieldKind::Count && count_with_note(cell).is_some() => {
                    let n = count_with_note(cell).unwrap_or_default();
                    checks.push((
                        col,
                        spec.key,
                        CheckKind::CountWithNote,
                        format!(
                            "「{}」に注記付きの数（{}）が入っています。先頭の {n} を数えました。注記は備考の列に書いてください",
                            dm.header(spec.key),
                            cell_text(cell).map(|t| t.chars().take(30).collect::<String>()).unwrap_or_default()
                        ),
                    ));
                    Ok(Some(Value::Int(n)))
                }
                other => other,
            };
            match parsed {
                Ok(None) if spec.required => {
                    problems.push((
                        col,
                        spec.key,
                        format!("必須の「{}」が空です。入力してください", dm.header(spec.key)),
                    ));
                    values.push(None);
                }
                Ok(v) => values.push(v),
                Err(reason) if spec.required || spec.strict => {
                    problems.push((col, spec.key, format!("「{}」: {reason}", dm.header(spec.key))));
                    values.push(None);
                }
                Err(reason) => {
                    warnings.push((
                        col,
                        spec.key,
                        format!("「{}」: {reason}（この欄は空として扱い、行は集計しています）", dm.header(spec.key)),
                    ));
                    values.push(None);
                }
            }
        }
        Fields { values, personal, problems, warnings, checks, range }
    }

    /// The personal values of a row (names), kept only to mask them elsewhere.
    pub(super) fn collect_personal(&self, cells: &[RawCell], pii: &mut BTreeSet<String>) {
        for (field, spec) in self.schema.fields.iter().enumerate() {
            if !spec.pii {
                continue;
            }
            if let Some((i, _)) = self.slot[field]
                && let Some(t) = cell_str(&cells[i])
            {
                pii.insert(t.to_string());
                pii.insert(t.replace(' ', ""));
            }
        }
    }

    /// A personal field's text (for comparing repeats only), collected into
    /// `pii`; an error value or a missing required one is a problem.
    pub(super) fn personal<'v>(
        &self,
        spec: &FieldSpec,
        cell: &'v RawCell,
        col: u32,
        pii: &mut BTreeSet<String>,
        problems: &mut Vec<(u32, &'static str, String)>,
        warnings: &mut Vec<(u32, &'static str, String)>,
    ) -> Option<Cow<'v, str>> {
        let dm = self.dm;
        // An error value (#N/A) is no one's name: said like any other
        // field's, never taken as a personal value.
        if let RawCell::Error(e) = cell {
            let reason =
                format!("「{}」: セルがエラー値（{e}）です。数式か参照元を直してください", dm.header(spec.key));
            if spec.required {
                problems.push((col, spec.key, reason));
            } else {
                warnings.push((col, spec.key, format!("{reason}（この欄は空として扱い、行は集計しています）")));
            }
            return None;
        }
        let text = cell_str(cell);
        // 「山田 太郎」 is also written 「山田太郎」.
        let squeezed: Option<Cow<'v, str>> = match &text {
            None => None,
            Some(Cow::Borrowed(t)) if !t.contains(' ') => Some(Cow::Borrowed(*t)),
            Some(t) => Some(Cow::Owned(t.replace(' ', ""))),
        };
        if let (Some(t), Some(sq)) = (&text, &squeezed) {
            for v in [t, sq] {
                if !pii.contains(v.as_ref()) {
                    pii.insert(v.to_string());
                }
            }
        } else if spec.required {
            problems.push((col, spec.key, format!("必須の「{}」が空です。入力してください", dm.header(spec.key))));
        }
        squeezed
    }

    /// A category cell's canonical label, looked up once per distinct text
    /// of the sheet's column (an unknown label is parsed, and refused, each
    /// time: its reason names the row).
    pub(super) fn category<'v>(
        &mut self,
        field: usize,
        spec: &FieldSpec,
        raw: &str,
        cell: &'v RawCell,
    ) -> Result<Option<Value<'v>>, String>
    where
        'a: 'v,
    {
        if let Some((_, canon)) = self.labels[field].iter().find(|(r, _)| r == raw) {
            return Ok(Some(Value::Str(Cow::Borrowed(canon))));
        }
        let canon = cell_text(cell).and_then(|label| self.dm.canonical(spec.key, &label));
        match canon {
            Some(canon) => {
                if self.labels[field].len() < MAX_LABELS_KEPT {
                    self.labels[field].push((raw.to_string(), canon));
                }
                Ok(Some(Value::Str(Cow::Borrowed(canon))))
            }
            None => parse_cell(spec, cell, self.dm, self.is_1904),
        }
    }
}
