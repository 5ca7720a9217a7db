//! The limits that keep reading one workbook within its memory budget
//! (about 1 GiB): decompressed sizes, cells per sheet, merged regions. The
//! workbook reader and the .ods/.xlsb merge readers share them.

/// Merged regions larger than this are not listed cell by cell but looked
/// up by range (a stray merge over a whole column would otherwise list a
/// million cells); they are filled all the same, in the rows that are read.
pub const MAX_MERGE_FILL_CELLS: u64 = 10_000;

/// Regions larger than [`MAX_MERGE_FILL_CELLS`] in one sheet at most (each
/// is looked up for every cell read); a sheet with more is refused.
pub const MAX_LARGE_MERGES: usize = 64;

/// Merged regions in one sheet at most; a sheet with more is refused (a
/// hand-kept sheet has a few dozen). The .ods and .xlsb readers keep one
/// region more than this, so an over-full sheet shows.
pub const MAX_MERGE_REGIONS: usize = 100_000;

/// Cells filled from merged regions in one sheet at most (the fill map costs
/// memory per cell); a sheet needing more is refused.
pub const MAX_MERGE_FILLED: usize = MAX_CELLS_PER_SHEET;

/// Non-empty cells read from one sheet at most. Cells are kept sparse, so
/// memory follows what a sheet holds, not the range it claims; a sheet with
/// more than this is refused (a hand-kept sheet has a few thousand).
pub const MAX_CELLS_PER_SHEET: usize = 2_000_000;

/// Uncompressed size of one part of a zip-based workbook (.xlsx/.xlsm/.ods)
/// at most, and of all parts together: a decompression bomb is refused
/// before it is parsed.
pub const MAX_PART_BYTES: u64 = 256 << 20;
pub const MAX_TOTAL_BYTES: u64 = 768 << 20;
