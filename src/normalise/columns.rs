//! Accepted rows of one record type, column by column: the typed buffers a
//! sheet's rows are pushed into and turned into one polars DataFrame.

use super::{COL_COL, COL_DAY, COL_FILE, COL_FP, COL_ROW, COL_SHEET, RowRef};
use crate::schema::{DatasetId, FieldKind, FieldSpec};
use foldhash::{HashMap, HashMapExt};
use polars::prelude::*;
use std::borrow::Cow;

/// One field's accepted values, typed.
pub(super) enum ColumnBuf {
    Date(Vec<Option<i32>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    /// Text goes straight into polars' string buffer: no `String` per value.
    Str(StringChunkedBuilder),
    Bool(Vec<Option<bool>>),
    Year(Vec<Option<i32>>),
}

/// A parsed cell value; text is borrowed from the cell or the mapping
/// where it can be.
pub(super) enum Value<'v> {
    Date(i32),
    Int(i64),
    Float(f64),
    Str(Cow<'v, str>),
    Bool(bool),
    Year(i32),
}

impl Value<'_> {
    /// The same value, borrowing its text.
    pub(super) fn borrowed(&self) -> Value<'_> {
        match self {
            Value::Date(d) => Value::Date(*d),
            Value::Int(i) => Value::Int(*i),
            Value::Float(f) => Value::Float(*f),
            Value::Str(s) => Value::Str(Cow::Borrowed(s.as_ref())),
            Value::Bool(b) => Value::Bool(*b),
            Value::Year(y) => Value::Year(*y),
        }
    }

    /// The value as bytes for comparing and fingerprinting (a kind tag, then
    /// the value).
    pub(super) fn write_key(&self, out: &mut Vec<u8>) {
        match self {
            Value::Date(d) => {
                out.push(b'd');
                out.extend_from_slice(&d.to_le_bytes());
            }
            Value::Int(i) => {
                out.push(b'i');
                out.extend_from_slice(&i.to_le_bytes());
            }
            Value::Float(f) => {
                out.push(b'f');
                out.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Value::Str(s) => {
                out.push(b's');
                out.extend_from_slice(&(s.len() as u64).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            Value::Bool(b) => out.extend_from_slice(&[b'b', u8::from(*b)]),
            Value::Year(y) => {
                out.push(b'y');
                out.extend_from_slice(&y.to_le_bytes());
            }
        }
    }
}

impl ColumnBuf {
    pub(super) fn for_kind(kind: FieldKind) -> ColumnBuf {
        match kind {
            FieldKind::Date => ColumnBuf::Date(Vec::new()),
            FieldKind::Count | FieldKind::Yen => ColumnBuf::Int(Vec::new()),
            FieldKind::Hours => ColumnBuf::Float(Vec::new()),
            FieldKind::Category | FieldKind::Text => ColumnBuf::Str(StringChunkedBuilder::new(PlSmallStr::EMPTY, 0)),
            FieldKind::Flag => ColumnBuf::Bool(Vec::new()),
            FieldKind::FiscalYear => ColumnBuf::Year(Vec::new()),
        }
    }

    pub(super) fn push(&mut self, v: Option<Value<'_>>) {
        match (self, v) {
            (ColumnBuf::Date(c), Some(Value::Date(d))) => c.push(Some(d)),
            (ColumnBuf::Int(c), Some(Value::Int(i))) => c.push(Some(i)),
            (ColumnBuf::Float(c), Some(Value::Float(f))) => c.push(Some(f)),
            (ColumnBuf::Str(c), Some(Value::Str(s))) => c.append_value(s.as_ref()),
            (ColumnBuf::Bool(c), Some(Value::Bool(b))) => c.push(Some(b)),
            (ColumnBuf::Year(c), Some(Value::Year(y))) => c.push(Some(y)),
            (ColumnBuf::Date(c) | ColumnBuf::Year(c), None) => c.push(None),
            (ColumnBuf::Int(c), None) => c.push(None),
            (ColumnBuf::Float(c), None) => c.push(None),
            (ColumnBuf::Str(c), None) => c.append_null(),
            (ColumnBuf::Bool(c), None) => c.push(None),
            (buf, Some(_)) => unreachable!("value kind does not match column {}", buf.kind_name()),
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            ColumnBuf::Date(_) => "date",
            ColumnBuf::Int(_) => "int",
            ColumnBuf::Float(_) => "float",
            ColumnBuf::Str(_) => "str",
            ColumnBuf::Bool(_) => "bool",
            ColumnBuf::Year(_) => "year",
        }
    }

    fn into_column(self, name: &str) -> PolarsResult<Column> {
        let name: PlSmallStr = name.into();
        Ok(match self {
            ColumnBuf::Date(v) => Column::new(name, v).cast(&DataType::Date)?,
            ColumnBuf::Int(v) => Column::new(name, v),
            ColumnBuf::Float(v) => Column::new(name, v),
            ColumnBuf::Str(b) => b.finish().with_name(name).into_series().into(),
            ColumnBuf::Bool(v) => Column::new(name, v),
            ColumnBuf::Year(v) => Column::new(name, v),
        })
    }
}

/// Accepted rows of one record type, column by column.
pub(super) struct Builder {
    pub(super) fields: Vec<&'static FieldSpec>,
    pub(super) columns: Vec<ColumnBuf>,
    /// The (file, sheet) pairs rows came from; `source` indexes it.
    sources: Vec<(String, String)>,
    /// Per source: the sheet column of each field the sheet has.
    source_cols: Vec<Vec<(&'static str, u32)>>,
    pub(super) source: Vec<u32>,
    pub(super) row: Vec<u32>,
    pub(super) col: Vec<u32>,
    /// 0 for a record's first session, k for its k-th further day.
    pub(super) day: Vec<u32>,
    pub(super) fp: Vec<u64>,
    /// Each number (派遣番号, 認定番号) in its scope → the row first accepted
    /// with it and the values a repeat is compared on.
    pub(super) seen: HashMap<RecordKey, Seen>,
    /// Rows without a number by the fields an event is told by.
    pub(super) events: super::repeats::EventIndex,
}

/// A record's number in the scope it is unique in. Today the scope is the
/// fiscal year of the record's date (dispatches; numbering restarts each
/// year) or none (the registry); a national roll-up reads each corner on
/// its own, so the corner is the outer scope of every key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordKey {
    /// The fiscal year the number is unique in, when it is per year.
    pub fiscal_year: Option<i32>,
    pub number: String,
}

/// The first row accepted with a number.
pub(super) struct Seen {
    /// Where: the index of its (file, sheet) in the builder, its row and the
    /// number's column (0-based).
    pub(super) source: u32,
    pub(super) row: u32,
    pub(super) col: u32,
    /// The compared fields' values as bytes (personal values included: they
    /// stay in memory for the comparison and are never written).
    pub(super) compared: Compared,
}

/// The values a repeat of a number is compared on, one after another in
/// one buffer (each a little-endian `u32` length, then its bytes): one
/// allocation per numbered row.
#[derive(Default)]
pub(super) struct Compared(Vec<u8>);

impl Compared {
    /// Appends one field's bytes, as `write` puts them.
    pub(super) fn push(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        let start = self.0.len();
        self.0.extend_from_slice(&[0; 4]);
        write(&mut self.0);
        let len = u32::try_from(self.0.len() - start - 4).unwrap_or(u32::MAX);
        self.0[start..start + 4].copy_from_slice(&len.to_le_bytes());
    }

    /// The fields' bytes, in the order pushed.
    pub(super) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut rest = self.0.as_slice();
        std::iter::from_fn(move || {
            let (len, tail) = rest.split_first_chunk::<4>()?;
            let len = (u32::from_le_bytes(*len) as usize).min(tail.len());
            let (field, next) = tail.split_at(len);
            rest = next;
            Some(field)
        })
    }
}

impl Builder {
    pub(super) fn new(id: DatasetId) -> Builder {
        let fields: Vec<_> = id.schema().fields.iter().filter(|f| f.stored).collect();
        let columns = fields.iter().map(|f| ColumnBuf::for_kind(f.kind)).collect();
        Builder {
            fields,
            columns,
            sources: Vec::new(),
            source_cols: Vec::new(),
            source: Vec::new(),
            row: Vec::new(),
            col: Vec::new(),
            day: Vec::new(),
            fp: Vec::new(),
            seen: HashMap::new(),
            events: super::repeats::EventIndex::default(),
        }
    }

    /// The index rows of a sheet carry in [`Builder::source`].
    pub(super) fn add_source(&mut self, file: &str, sheet: &str, cols: Vec<(&'static str, u32)>) -> u32 {
        self.sources.push((file.to_string(), sheet.to_string()));
        self.source_cols.push(cols);
        u32::try_from(self.sources.len() - 1).unwrap_or(u32::MAX)
    }

    /// Every file and sheet name of the rows through `mask`.
    pub(super) fn mask_sources(&mut self, mask: &impl Fn(&mut String)) {
        for (file, sheet) in &mut self.sources {
            mask(file);
            mask(sheet);
        }
    }

    /// (file, sheet) of each source, with the sheet column of each field.
    pub(super) fn source_columns(&self) -> impl Iterator<Item = (&(String, String), &Vec<(&'static str, u32)>)> {
        self.sources.iter().zip(&self.source_cols)
    }

    /// The place of a cell of a row from `source`.
    pub(super) fn place(&self, source: u32, row: u32, col: u32) -> RowRef {
        let (file, sheet) = self.sources.get(source as usize).cloned().unwrap_or_default();
        RowRef { file, sheet, cell: crate::ingest::a1(row, col) }
    }

    pub(super) fn finish(self) -> PolarsResult<DataFrame> {
        let height = self.row.len();
        let mut cols = Vec::with_capacity(self.columns.len() + 6);
        for (f, c) in self.fields.iter().zip(self.columns) {
            cols.push(c.into_column(f.key)?);
        }
        let of = |pick: fn(&(String, String)) -> &str| -> Vec<&str> {
            self.source.iter().map(|&i| self.sources.get(i as usize).map_or("", pick)).collect()
        };
        cols.push(Column::new(COL_FILE.into(), of(|(f, _)| f.as_str())));
        cols.push(Column::new(COL_SHEET.into(), of(|(_, s)| s.as_str())));
        cols.push(Column::new(COL_ROW.into(), self.row));
        cols.push(Column::new(COL_COL.into(), self.col));
        cols.push(Column::new(COL_FP.into(), self.fp));
        cols.push(Column::new(COL_DAY.into(), self.day));
        DataFrame::new(height, cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_fields_come_back_as_pushed_even_when_empty() {
        let mut c = Compared::default();
        c.push(|out| out.extend_from_slice("山田太郎".as_bytes()));
        c.push(|_| {});
        c.push(|out| Value::Int(12).write_key(out));
        let fields: Vec<&[u8]> = c.fields().collect();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0], "山田太郎".as_bytes());
        assert!(fields[1].is_empty());
        assert_eq!(fields[2][0], b'i');
        let mut other = Compared::default();
        other.push(|out| out.extend_from_slice("山田太郎".as_bytes()));
        other.push(|out| out.push(b'x'));
        other.push(|out| Value::Int(12).write_key(out));
        let differ: Vec<usize> =
            c.fields().zip(other.fields()).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| i).collect();
        assert_eq!(differ, [1]);
    }
}
