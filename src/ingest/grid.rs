//! A sheet's non-empty cells, dense: one flat list in row-major order with
//! an index of where each row starts.
//!
//! The streaming readers (.xlsx, .xlsb) hand cells over in row-major order;
//! the grid keeps them as calamine lends them ([`DataRef`], a shared string
//! borrowed from the workbook, not copied), so a cell's text is copied once,
//! and only for the cells a record type uses, when its row is read
//! ([`Grid::get`]). A sheet whose cells come out of order (hand-made files)
//! is sorted once; a position given twice keeps its last value, as Excel
//! does.

use super::RawCell;
use super::limits::{MAX_CELLS_PER_SHEET, MAX_LARGE_MERGES, MAX_MERGE_FILL_CELLS, MAX_MERGE_FILLED, MAX_MERGE_REGIONS};
use calamine::{Data, DataRef, Dimensions};
use foldhash::HashMap;

/// A cell value a grid can hold.
pub(super) trait GridCell {
    fn is_blank(&self) -> bool;
    fn to_raw(&self, is_1904: bool) -> RawCell;
}

impl GridCell for Data {
    fn is_blank(&self) -> bool {
        match self {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            Data::Int(_)
            | Data::Float(_)
            | Data::Bool(_)
            | Data::DateTime(_)
            | Data::DateTimeIso(_)
            | Data::DurationIso(_)
            | Data::Error(_) => false,
        }
    }

    fn to_raw(&self, is_1904: bool) -> RawCell {
        match self {
            Data::Empty => RawCell::Empty,
            Data::Int(i) => RawCell::Int(*i),
            Data::Float(f) => RawCell::Float(*f),
            Data::String(s) | Data::DurationIso(s) => RawCell::Text(s.clone()),
            Data::Bool(b) => RawCell::Bool(*b),
            Data::DateTime(dt) => RawCell::Date { serial: dt.as_f64(), is_1904 },
            Data::DateTimeIso(s) => RawCell::DateIso(s.clone()),
            Data::Error(e) => RawCell::Error(e.to_string()),
        }
    }
}

impl GridCell for DataRef<'_> {
    fn is_blank(&self) -> bool {
        match self {
            DataRef::Empty => true,
            DataRef::String(s) => s.trim().is_empty(),
            DataRef::SharedString(s) => s.trim().is_empty(),
            DataRef::Int(_)
            | DataRef::Float(_)
            | DataRef::Bool(_)
            | DataRef::DateTime(_)
            | DataRef::DateTimeIso(_)
            | DataRef::DurationIso(_)
            | DataRef::Error(_) => false,
        }
    }

    fn to_raw(&self, is_1904: bool) -> RawCell {
        match self {
            DataRef::Empty => RawCell::Empty,
            DataRef::Int(i) => RawCell::Int(*i),
            DataRef::Float(f) => RawCell::Float(*f),
            DataRef::String(s) | DataRef::DurationIso(s) => RawCell::Text(s.clone()),
            DataRef::SharedString(s) => RawCell::Text((*s).to_owned()),
            DataRef::Bool(b) => RawCell::Bool(*b),
            DataRef::DateTime(dt) => RawCell::Date { serial: dt.as_f64(), is_1904 },
            DataRef::DateTimeIso(s) => RawCell::DateIso(s.clone()),
            DataRef::Error(e) => RawCell::Error(e.to_string()),
        }
    }
}

/// One row's place in the flat cell list.
#[derive(Debug, Clone, Copy)]
struct RowSpan {
    row: u32,
    start: usize,
    end: usize,
}

/// A row of the grid holding cells of its own.
#[derive(Debug, Clone, Copy)]
pub(super) struct PresentRow(RowSpan);

impl PresentRow {
    /// The 0-based sheet row.
    pub(super) fn row(self) -> u32 {
        self.0.row
    }
}

/// A sheet's non-empty cells with merged regions filled from their top-left
/// cell.
pub(super) struct Grid<T> {
    /// (row, col, value), row-major once [`Grid::seal`]ed.
    cells: Vec<(u32, u32, T)>,
    rows: Vec<RowSpan>,
    in_order: bool,
    merged_origin: HashMap<(u32, u32), (u32, u32)>,
    /// Regions too large to list cell by cell (a 区分 merged down a whole
    /// column): looked up by range, at most [`MAX_LARGE_MERGES`] of them.
    large_merges: Vec<Dimensions>,
    /// Cells whose font is struck through (見え消し), by position.
    struck: foldhash::HashSet<(u32, u32)>,
    pub(super) is_1904: bool,
}

impl<T: GridCell> Grid<T> {
    pub(super) fn new(is_1904: bool) -> Grid<T> {
        Grid {
            cells: Vec::new(),
            rows: Vec::new(),
            in_order: true,
            merged_origin: HashMap::default(),
            large_merges: Vec::new(),
            struck: foldhash::HashSet::default(),
            is_1904,
        }
    }

    /// Marks a cell as struck through (its font has a line through it).
    pub(super) fn strike(&mut self, row: u32, col: u32) {
        self.struck.insert((row, col));
    }

    /// Whether the sheet has a struck-through cell at all.
    pub(super) fn has_struck(&self) -> bool {
        !self.struck.is_empty()
    }

    /// For a cell of a present row's own (not filled from a merged region):
    /// whether it is struck through; `None` when the row has no cell of its
    /// own there.
    pub(super) fn own_struck(&self, row: PresentRow, col: u32) -> Option<bool> {
        self.in_span(row.0, col).map(|_| self.struck.contains(&(row.0.row, col)))
    }

    /// Adds a cell; `false` once the sheet holds too many cells.
    pub(super) fn insert(&mut self, row: u32, col: u32, value: T) -> bool {
        if value.is_blank() {
            return true;
        }
        if let Some(&(r, c, _)) = self.cells.last()
            && (row, col) <= (r, c)
        {
            self.in_order = false;
        }
        self.cells.push((row, col, value));
        self.cells.len() <= MAX_CELLS_PER_SHEET
    }

    /// Puts the cells in row-major order (a repeated position keeps its
    /// last value) and indexes the rows. Call once all cells are in.
    pub(super) fn seal(&mut self) {
        if !self.in_order {
            // Stable: of cells at one position, the last inserted ends last.
            self.cells.sort_by_key(|&(r, c, _)| (r, c));
            let mut kept: Vec<(u32, u32, T)> = Vec::with_capacity(self.cells.len());
            for cell in self.cells.drain(..) {
                match kept.last_mut() {
                    Some(last) if (last.0, last.1) == (cell.0, cell.1) => *last = cell,
                    _ => kept.push(cell),
                }
            }
            self.cells = kept;
            self.in_order = true;
        }
        self.rows.clear();
        let mut start = 0;
        while start < self.cells.len() {
            let row = self.cells[start].0;
            let end = start + self.cells[start..].iter().take_while(|c| c.0 == row).count();
            self.rows.push(RowSpan { row, start, end });
            start = end;
        }
    }

    /// Fills merged regions from their top-left cell. `Err` (a reason) when
    /// the sheet holds more regions, or needs more filled cells, than the limits.
    pub(super) fn merge(&mut self, merges: &[Dimensions]) -> Result<(), String> {
        let too_many = || {
            format!(
                "結合セルが多すぎるシートです（{MAX_MERGE_REGIONS} 個、または結合で埋まるセル {MAX_MERGE_FILLED} 個を超えています）。\
                 記録の表だけを別のブックに写し、不要な結合を解除して置いてください"
            )
        };
        if merges.len() > MAX_MERGE_REGIONS {
            return Err(too_many());
        }
        for m in merges {
            if m.end.0 < m.start.0 || m.end.1 < m.start.1 {
                continue;
            }
            let cells = (u64::from(m.end.0 - m.start.0) + 1) * (u64::from(m.end.1 - m.start.1) + 1);
            if cells > MAX_MERGE_FILL_CELLS {
                // Filled where it is read (only rows with cells of their own
                // are), never listed cell by cell.
                if self.large_merges.len() == MAX_LARGE_MERGES {
                    return Err(too_many());
                }
                self.large_merges.push(*m);
                continue;
            }
            for r in m.start.0..=m.end.0 {
                for c in m.start.1..=m.end.1 {
                    if (r, c) != m.start {
                        self.merged_origin.insert((r, c), m.start);
                    }
                }
            }
            if self.merged_origin.len() > MAX_MERGE_FILLED {
                return Err(too_many());
            }
        }
        Ok(())
    }

    fn row_cells(&self, span: RowSpan) -> &[(u32, u32, T)] {
        &self.cells[span.start..span.end]
    }

    fn in_span(&self, span: RowSpan, col: u32) -> Option<&T> {
        let cells = self.row_cells(span);
        cells.binary_search_by_key(&col, |c| c.1).ok().map(|j| &cells[j].2)
    }

    fn own(&self, row: u32, col: u32) -> Option<&T> {
        let i = self.rows.binary_search_by_key(&row, |s| s.row).ok()?;
        self.in_span(self.rows[i], col)
    }

    /// Whether the sheet has no merged region to fill.
    fn unmerged(&self) -> bool {
        self.merged_origin.is_empty() && self.large_merges.is_empty()
    }

    /// The cell whose value a position shows: the top-left cell of the
    /// merged region covering it, or itself.
    pub(super) fn origin(&self, row: u32, col: u32) -> (u32, u32) {
        if let Some(o) = self.merged_origin.get(&(row, col)) {
            return *o;
        }
        self.large_merges
            .iter()
            .find(|m| (m.start.0..=m.end.0).contains(&row) && (m.start.1..=m.end.1).contains(&col))
            .map_or((row, col), |m| m.start)
    }

    /// The value at a position, merged regions filled.
    pub(super) fn get(&self, row: u32, col: u32) -> RawCell {
        let (r, c) = if self.unmerged() { (row, col) } else { self.origin(row, col) };
        self.own(r, c).map_or(RawCell::Empty, |v| v.to_raw(self.is_1904))
    }

    /// The rows holding at least one cell of their own, in order: the row
    /// and the first of those cells, with a handle for [`Grid::row_get`].
    pub(super) fn present_rows(&self) -> impl Iterator<Item = (PresentRow, &T)> + '_ {
        self.rows.iter().map(|s| (PresentRow(*s), &self.cells[s.start].2))
    }

    /// [`Grid::get`] on a present row (no search for the row when the sheet
    /// has no merged cells).
    pub(super) fn row_get(&self, row: PresentRow, col: u32) -> RawCell {
        if self.unmerged() {
            self.in_span(row.0, col).map_or(RawCell::Empty, |v| v.to_raw(self.is_1904))
        } else {
            self.get(row.0.row, col)
        }
    }

    /// The non-blank text cells of a present row between columns `c0` and
    /// `c1`, merged regions filled, as (column, text).
    pub(super) fn texts(&self, row: PresentRow, c0: u32, c1: u32) -> Vec<(u32, String)> {
        let text = |c: u32, v: RawCell| match v {
            RawCell::Text(t) if !t.trim().is_empty() => Some((c, t)),
            _ => None,
        };
        if self.unmerged() {
            // Only the row's own cells can hold anything.
            self.row_cells(row.0)
                .iter()
                .filter(|(_, c, _)| (c0..=c1).contains(c))
                .filter_map(|(_, c, v)| text(*c, v.to_raw(self.is_1904)))
                .collect()
        } else {
            (c0..=c1).filter_map(|c| text(c, self.get(row.0.row, c))).collect()
        }
    }

    /// The last row holding a cell of its own.
    pub(super) fn last_row(&self) -> Option<u32> {
        self.rows.last().map(|s| s.row)
    }

    /// The columns used anywhere (first, last).
    pub(super) fn col_span(&self) -> Option<(u32, u32)> {
        let first = self.rows.iter().map(|s| self.cells[s.start].1).min()?;
        let last = self.rows.iter().map(|s| self.cells[s.end - 1].1).max()?;
        Some((first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Data {
        Data::String(s.into())
    }

    #[test]
    fn merged_regions_fill_from_their_top_left_cell_within_the_limits() {
        let mut grid = Grid::new(false);
        grid.insert(2, 1, text("熟練技能者"));
        grid.seal();
        let regions = [
            Dimensions::new((2, 1), (4, 1)),
            Dimensions::new((0, 0), (1_048_575, 0)), // a whole column: looked up by range
            Dimensions::new((5, 5), (4, 5)),         // ends before it starts: passed over
        ];
        assert_eq!(grid.merge(&regions), Ok(()));
        assert_eq!(grid.get(4, 1), RawCell::Text("熟練技能者".into()));
        assert_eq!(grid.get(5, 1), RawCell::Empty);
        assert_eq!(grid.merged_origin.len(), 2);
        // The merged rows hold no cell of their own: only row 2 is present,
        // and reading it through its handle sees the merge too.
        let present: Vec<u32> = grid.present_rows().map(|(p, _)| p.row()).collect();
        assert_eq!(present, [2]);
    }

    #[test]
    fn a_region_too_large_to_list_is_filled_in_the_rows_that_are_read() {
        // 区分 熟練技能者 merged down 10,001 rows (E2:E10002), each row with a date of its own.
        let mut grid = Grid::new(false);
        grid.insert(1, 4, text("熟練技能者"));
        for r in 1..=10_001 {
            grid.insert(r, 0, Data::Float(45_000.0));
        }
        grid.seal();
        let region = Dimensions::new((1, 4), (10_001, 4));
        assert!(region.len() > MAX_MERGE_FILL_CELLS);
        assert_eq!(grid.merge(&[region]), Ok(()));
        assert!(grid.merged_origin.is_empty(), "not listed cell by cell");
        let filled = grid.present_rows().filter(|(p, _)| grid.row_get(*p, 4) == RawCell::Text("熟練技能者".into()));
        assert_eq!(filled.count(), 10_001);
        assert_eq!(grid.get(10_002, 4), RawCell::Empty, "below the region");
        assert_eq!(grid.get(5, 3), RawCell::Empty, "beside it");
        let texts = grid.present_rows().nth(7).map(|(p, _)| grid.texts(p, 0, 9)).unwrap();
        assert_eq!(texts, [(4, "熟練技能者".to_string())]);
        // More such regions than the limit: the sheet is refused, not read half-filled.
        let column = |c: u32| Dimensions::new((0, c), (1_048_575, c));
        let many: Vec<Dimensions> = (0..=MAX_LARGE_MERGES as u32).map(column).collect();
        assert!(Grid::<Data>::new(false).merge(&many).unwrap_err().contains("結合セル"));
        assert_eq!(Grid::<Data>::new(false).merge(&many[..MAX_LARGE_MERGES]), Ok(()));
    }

    #[test]
    fn a_sheet_with_too_many_merged_regions_or_filled_cells_is_refused() {
        let one_cell = |i: u32| Dimensions::new((i, 0), (i, 0));
        let many: Vec<Dimensions> = (0..=MAX_MERGE_REGIONS as u32).map(one_cell).collect();
        assert!(Grid::<Data>::new(false).merge(&many).is_err());
        assert_eq!(Grid::<Data>::new(false).merge(&many[..MAX_MERGE_REGIONS]), Ok(()));
        // 201 regions of 10,000 cells each: more filled cells than the limit.
        let big: Vec<Dimensions> = (0..=200u32).map(|i| Dimensions::new((i * 100, 0), (i * 100 + 99, 99))).collect();
        let err = Grid::<Data>::new(false).merge(&big).unwrap_err();
        assert!(err.contains("結合セル"), "{err}");
    }

    #[test]
    fn cells_given_out_of_order_are_read_in_row_order_and_a_repeated_cell_keeps_its_last_value() {
        let mut grid = Grid::new(false);
        grid.insert(5, 2, text("c"));
        grid.insert(1, 3, text("b"));
        grid.insert(1, 0, text("a"));
        grid.insert(5, 2, text("c2"));
        grid.insert(3, 1, text("   ")); // blank: not kept
        grid.insert(9, 4, Data::Int(7));
        grid.seal();
        let present: Vec<(u32, RawCell)> =
            grid.present_rows().map(|(p, first)| (p.row(), first.to_raw(false))).collect();
        assert_eq!(present, [(1, RawCell::Text("a".into())), (5, RawCell::Text("c2".into())), (9, RawCell::Int(7))]);
        assert_eq!(grid.get(1, 3), RawCell::Text("b".into()));
        assert_eq!(grid.get(1, 2), RawCell::Empty);
        assert_eq!(grid.get(3, 1), RawCell::Empty);
        assert_eq!(grid.col_span(), Some((0, 4)));
        assert_eq!(grid.last_row(), Some(9));
        let (row5, _) = grid.present_rows().nth(1).expect("row 5");
        assert_eq!(grid.row_get(row5, 2), RawCell::Text("c2".into()));
        assert_eq!(grid.row_get(row5, 3), RawCell::Empty);
    }

    #[test]
    fn a_shared_string_is_copied_only_when_read() {
        let shared = String::from("ものづくりマイスター");
        let mut grid = Grid::new(true);
        grid.insert(0, 0, DataRef::SharedString(&shared));
        grid.insert(0, 1, DataRef::SharedString(" "));
        grid.insert(0, 2, DataRef::Float(45_000.0));
        grid.seal();
        assert_eq!(grid.get(0, 0), RawCell::Text("ものづくりマイスター".into()));
        assert_eq!(grid.get(0, 1), RawCell::Empty);
        assert_eq!(grid.get(0, 2), RawCell::Float(45_000.0));
        assert_eq!(grid.col_span(), Some((0, 2)));
    }

    #[test]
    fn a_rows_texts_skip_numbers_and_blanks_and_see_merged_headers() {
        let mut grid = Grid::new(false);
        grid.insert(0, 0, text("派遣実績"));
        grid.insert(2, 0, text("実施日"));
        grid.insert(2, 1, Data::Int(3));
        grid.insert(2, 3, text("職種"));
        grid.insert(2, 9, text("欄外"));
        grid.seal();
        let (row2, _) = grid.present_rows().nth(1).expect("row 2");
        assert_eq!(grid.texts(row2, 0, 3), [(0, "実施日".to_string()), (3, "職種".to_string())]);
        // A header merged over two columns reads in both.
        grid.merge(&[Dimensions::new((2, 3), (2, 4))]).expect("within the limits");
        assert_eq!(
            grid.texts(row2, 0, 4),
            [(0, "実施日".to_string()), (3, "職種".to_string()), (4, "職種".to_string())]
        );
    }

    proptest::proptest! {
        /// Whatever the order cells come in, the grid reads as a map of
        /// positions to the last value given there, merged cells filled from
        /// their region's top-left cell.
        #[test]
        fn the_grid_reads_like_a_map_of_the_last_value_at_each_position(
            cells in proptest::collection::vec((0u32..25, 0u32..8, -3i64..40), 0..120),
            merge in proptest::option::of((0u32..25, 0u32..8, 0u32..3, 0u32..3)),
        ) {
            use std::collections::BTreeMap;
            let mut grid = Grid::new(false);
            let mut model: BTreeMap<(u32, u32), i64> = BTreeMap::new();
            for &(r, c, v) in &cells {
                // Negative values stand for blank text: not kept, and they
                // leave an earlier value at the position as it was.
                let value = if v < 0 { text(" ") } else { Data::Int(v) };
                grid.insert(r, c, value);
                if v >= 0 {
                    model.insert((r, c), v);
                }
            }
            grid.seal();
            let regions: Vec<Dimensions> =
                merge.map(|(r, c, h, w)| Dimensions::new((r, c), (r + h, c + w))).into_iter().collect();
            grid.merge(&regions).expect("within the limits");
            let origin = |r: u32, c: u32| {
                regions
                    .iter()
                    .find(|m| (m.start.0..=m.end.0).contains(&r) && (m.start.1..=m.end.1).contains(&c))
                    .map_or((r, c), |m| m.start)
            };
            let expect = |r: u32, c: u32| model.get(&origin(r, c)).map_or(RawCell::Empty, |v| RawCell::Int(*v));
            for r in 0..30 {
                for c in 0..12 {
                    proptest::prop_assert_eq!(grid.get(r, c), expect(r, c), "({}, {})", r, c);
                }
            }
            let rows: Vec<u32> = model.keys().map(|(r, _)| *r).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
            let present: Vec<u32> = grid.present_rows().map(|(p, _)| p.row()).collect();
            proptest::prop_assert_eq!(&present, &rows);
            for (p, first) in grid.present_rows() {
                let own_first = model.range((p.row(), 0)..(p.row() + 1, 0)).next().map(|(_, v)| RawCell::Int(*v));
                proptest::prop_assert_eq!(Some(first.to_raw(false)), own_first);
                for c in 0..12 {
                    proptest::prop_assert_eq!(grid.row_get(p, c), expect(p.row(), c));
                }
            }
            proptest::prop_assert_eq!(grid.last_row(), rows.last().copied());
            let span = model.keys().map(|(_, c)| *c).min().zip(model.keys().map(|(_, c)| *c).max());
            proptest::prop_assert_eq!(grid.col_span(), span);
        }
    }
}
