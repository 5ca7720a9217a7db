//! A list of kpis.json that a writer can fill from an iterator: written as a
//! stream, without a vector in between (100,000 rejected rows need none).

use serde::de::Deserializer;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// A list of the file: a vector, or (when writing) an iterator drained once
/// as the file is written, so a list of 100,000 rows needs no vector.
pub enum Seq<'a, T> {
    Items(Vec<T>),
    Stream(RefCell<Option<Box<dyn Iterator<Item = T> + 'a>>>),
}

impl<'a, T> Seq<'a, T> {
    /// A list written from `items` as the file is written (once).
    pub fn stream(items: impl Iterator<Item = T> + 'a) -> Seq<'a, T> {
        Seq::Stream(RefCell::new(Some(Box::new(items))))
    }

    /// The items of a list read back (a stream not yet written is empty here).
    pub fn items(&self) -> &[T] {
        match self {
            Seq::Items(v) => v,
            Seq::Stream(_) => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.items().len()
    }

    pub fn is_empty(&self) -> bool {
        self.items().is_empty()
    }
}

impl<T> Default for Seq<'_, T> {
    fn default() -> Self {
        Seq::Items(Vec::new())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Seq<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seq::Items(v) => v.fmt(f),
            Seq::Stream(_) => f.write_str("Seq::Stream(..)"),
        }
    }
}

impl<T: PartialEq> PartialEq for Seq<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        matches!((self, other), (Seq::Items(a), Seq::Items(b)) if a == b)
    }
}

impl<T: Serialize> Serialize for Seq<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Seq::Items(v) => v.serialize(s),
            Seq::Stream(cell) => {
                let items = cell.borrow_mut().take();
                let mut seq = s.serialize_seq(None)?;
                for item in items.into_iter().flatten() {
                    seq.serialize_element(&item)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Seq<'_, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(d).map(Seq::Items)
    }
}
