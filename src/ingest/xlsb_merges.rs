//! Merged regions of an `.xlsb` workbook, read from its BIFF12 records:
//! calamine 0.38 reads the cells of an .xlsb but not its merges.
//!
//! A sheet's part is found as calamine finds it ([`super::package`]:
//! `xl/workbook.bin` names each sheet in a `BrtBundleSh` record with a
//! relationship id). After the cells, the part holds
//! `BrtBeginMergeCells`, one `BrtMergeCell` per region (first row, last row,
//! first column, last column: 0-based, the coordinates calamine gives the
//! cells) and `BrtEndMergeCells`.
//!
//! Records are streamed: a body is skipped without being read into memory
//! (a record claiming 256 MiB costs nothing), a record cut short ends the
//! reading with what was found, and each sheet keeps at most one region more
//! than [`MAX_MERGE_REGIONS`] (so the caller can tell an over-full sheet).
//! Nothing here can fail: a part that cannot be read gives no merges, and
//! calamine reports a workbook it cannot read.

use super::limits::MAX_MERGE_REGIONS;
use super::package::Package;
use calamine::Dimensions;
use std::io::{self, Read};

// Record types (MS-XLSB 2.3.2).
const BRT_BUNDLE_SH: u16 = 0x9C;
const BRT_END_BUNDLE_SHS: u16 = 0x90;
const BRT_END_SHEET: u16 = 0x82;
const BRT_MERGE_CELL: u16 = 0xB0;
const BRT_BEGIN_MERGE_CELLS: u16 = 0xB1;
const BRT_END_MERGE_CELLS: u16 = 0xB2;

/// A `BrtBundleSh` body longer than this is passed over (a sheet name is at
/// most 31 characters; the record is a few dozen bytes).
const MAX_BUNDLE_SH_BYTES: u32 = 64 << 10;

/// Last 0-based row and column of a sheet.
const LAST_ROW: u32 = 1_048_575;
const LAST_COL: u32 = 16_383;

/// An `.xlsb` opened for its merges.
pub struct XlsbMerges<'a>(Package<'a>);

impl<'a> XlsbMerges<'a> {
    /// Reads the sheet list of the `.xlsb` held in `bytes`; `None` when it
    /// is not a zip with a readable `xl/workbook.bin`.
    pub fn open(bytes: &'a [u8]) -> Option<XlsbMerges<'a>> {
        Package::open(bytes, "xl/workbook.bin", "xl/_rels/workbook.bin.rels", |r| bundle_sheets(r)).map(XlsbMerges)
    }

    /// The merged regions of sheet `name` (the first sheet of that name, as
    /// calamine picks it); none when the sheet or its part is missing.
    pub fn sheet(&mut self, name: &str) -> Vec<Dimensions> {
        self.0.sheet_part(name).map(merge_records).unwrap_or_default()
    }
}

/// BIFF12 records from a stream: a 1–2 byte type, a 1–4 byte size, the body.
struct Records<R> {
    r: R,
}

impl<R: Read> Records<R> {
    fn byte(&mut self) -> Option<u8> {
        let mut b = [0u8; 1];
        self.r.read_exact(&mut b).ok()?;
        Some(b[0])
    }

    /// The next record's type and body size; `None` at the end of the
    /// stream or in a header cut short. Decoded as calamine decodes it
    /// (7 bits a byte, the high bit asks for another), so both readers stay
    /// on the same record boundaries.
    fn header(&mut self) -> Option<(u16, u32)> {
        let b = self.byte()?;
        let typ =
            if b & 0x80 != 0 { u16::from(b & 0x7F) | (u16::from(self.byte()? & 0x7F) << 7) } else { u16::from(b) };
        let mut b = self.byte()?;
        let mut len = u32::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            b = self.byte()?;
            len |= u32::from(b & 0x7F) << (7 * i);
        }
        Some((typ, len))
    }

    /// Skips `n` body bytes; `None` when the stream ends first.
    fn skip(&mut self, n: u32) -> Option<()> {
        let n = u64::from(n);
        let skipped = io::copy(&mut (&mut self.r).take(n), &mut io::sink()).ok()?;
        (skipped == n).then_some(())
    }

    /// Reads a body of `len` bytes (the caller bounds `len`).
    fn body(&mut self, len: u32) -> Option<Vec<u8>> {
        let mut body = Vec::new();
        (&mut self.r).take(u64::from(len)).read_to_end(&mut body).ok()?;
        (body.len() == len as usize).then_some(body)
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// An `XLWideString` at `at`: its text and the offset after it. `None` for a
/// null string (length 0xFFFFFFFF) or one running past the record.
fn wide_str(b: &[u8], at: usize) -> Option<(String, usize)> {
    let chars = usize::try_from(u32_at(b, at)?).ok()?;
    let start = at + 4;
    let end = start.checked_add(chars.checked_mul(2)?)?;
    let units: Vec<u16> = b.get(start..end)?.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// (relationship id, sheet name) of each `BrtBundleSh` of `xl/workbook.bin`,
/// up to `BrtEndBundleShs`. A record that is cut short ends the list.
fn bundle_sheets<R: Read>(r: R) -> Vec<(String, String)> {
    let mut records = Records { r };
    let mut out = Vec::new();
    while let Some((typ, len)) = records.header() {
        match typ {
            BRT_BUNDLE_SH if len <= MAX_BUNDLE_SH_BYTES => {
                let Some(body) = records.body(len) else { break };
                // hsState, iTabID, strRelID, strName.
                if let Some((rel, after)) = wide_str(&body, 8)
                    && let Some((name, _)) = wide_str(&body, after)
                {
                    out.push((rel, name));
                }
            }
            BRT_END_BUNDLE_SHS => break,
            _ => {
                if records.skip(len).is_none() {
                    break;
                }
            }
        }
    }
    out
}

/// The `BrtMergeCell` regions of a sheet part (inside `BrtBeginMergeCells` …
/// `BrtEndMergeCells`), in file order. Regions out of the sheet's bounds or
/// with first > last are passed over.
fn merge_records<R: Read>(r: R) -> Vec<Dimensions> {
    let mut records = Records { r };
    let mut regions = Vec::new();
    let mut in_block = false;
    while let Some((typ, len)) = records.header() {
        match typ {
            BRT_BEGIN_MERGE_CELLS => in_block = true,
            BRT_MERGE_CELL if in_block && len >= 16 => {
                // A record cut short is no region, even if its first 16 bytes are there.
                let Some(rfx) = records.body(16) else { break };
                if records.skip(len - 16).is_none() {
                    break;
                }
                let v = |i: usize| u32::from_le_bytes([rfx[i], rfx[i + 1], rfx[i + 2], rfx[i + 3]]);
                let (rw_first, rw_last, col_first, col_last) = (v(0), v(4), v(8), v(12));
                if rw_first <= rw_last
                    && rw_last <= LAST_ROW
                    && col_first <= col_last
                    && col_last <= LAST_COL
                    && regions.len() <= MAX_MERGE_REGIONS
                {
                    regions.push(Dimensions::new((rw_first, col_first), (rw_last, col_last)));
                }
                continue;
            }
            BRT_END_MERGE_CELLS | BRT_END_SHEET => break,
            _ => {}
        }
        if records.skip(len).is_none() {
            break;
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A record as Excel writes it.
    fn rec(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        if typ < 0x80 {
            out.push(typ as u8);
        } else {
            out.extend([(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]);
        }
        let mut len = body.len() as u32;
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
        out.extend(body);
        out
    }

    fn rfx(r0: u32, r1: u32, c0: u32, c1: u32) -> Vec<u8> {
        [r0, r1, c0, c1].iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        out
    }

    /// A sheet part: some cell records, then the merge block.
    fn sheet(merges: &[Vec<u8>]) -> Vec<u8> {
        let mut out = rec(0x81, &[]); // BrtBeginSheet
        out.extend(rec(0x91, &[])); // BrtBeginSheetData
        out.extend(rec(0x00, &[0; 17])); // BrtRowHdr
        let mut real = vec![0u8; 8];
        real.extend(1.5f64.to_le_bytes());
        out.extend(rec(0x05, &real)); // BrtCellReal
        out.extend(rec(0x92, &[])); // BrtEndSheetData
        out.extend(rec(BRT_BEGIN_MERGE_CELLS, &(merges.len() as u32).to_le_bytes()));
        for m in merges {
            out.extend(rec(BRT_MERGE_CELL, m));
        }
        out.extend(rec(BRT_END_MERGE_CELLS, &[]));
        out.extend(rec(BRT_END_SHEET, &[]));
        out
    }

    fn dims(r0: u32, c0: u32, r1: u32, c1: u32) -> Dimensions {
        Dimensions::new((r0, c0), (r1, c1))
    }

    #[test]
    fn merge_records_give_their_regions() {
        let part = sheet(&[rfx(2, 4, 5, 5), rfx(0, 0, 0, 6)]);
        assert_eq!(merge_records(&part[..]), [dims(2, 5, 4, 5), dims(0, 0, 0, 6)]);
    }

    #[test]
    fn record_headers_decode_like_calamine() {
        // Type 176 takes two bytes, a 200-byte body two size bytes.
        assert_eq!(rec(176, &[0; 200])[..4], [0xB0, 0x01, 0xC8, 0x01]);
        let mut bytes = rec(176, &[0; 200]);
        bytes.extend(rec(0x1FF, &[1; 3]));
        let mut r = Records { r: &bytes[..] };
        assert_eq!(r.header(), Some((176, 200)));
        assert_eq!(r.skip(200), Some(()));
        assert_eq!(r.header(), Some((0x1FF, 3)));
        assert_eq!(r.body(3), Some(vec![1; 3]));
        assert_eq!(r.header(), None);
    }

    #[test]
    fn merge_cells_outside_their_block_or_the_sheet_are_passed_over() {
        let mut part = rec(BRT_MERGE_CELL, &rfx(1, 2, 0, 0)); // before the block
        part.extend(sheet(&[
            rfx(3, 1, 0, 0),                        // first row after last
            rfx(0, 1_048_576, 0, 0),                // past the last row
            rfx(0, 1, 0, 16_384),                   // past the last column
            rfx(5, 6, 1, 1),                        // fine
            [rfx(7, 8, 2, 2), vec![9; 4]].concat(), // a longer body: its extra bytes skipped
            vec![1; 15],                            // too short to be a region
        ]));
        assert_eq!(merge_records(&part[..]), [dims(5, 1, 6, 1), dims(7, 2, 8, 2)]);
    }

    #[test]
    fn truncated_and_oversized_records_end_the_reading_without_allocating() {
        let part = sheet(&[rfx(1, 2, 0, 0), rfx(3, 4, 0, 0)]);
        let one = rec(BRT_MERGE_CELL, &rfx(0, 0, 0, 0)).len();
        let second = part.len() - rec(BRT_END_MERGE_CELLS, &[]).len() - rec(BRT_END_SHEET, &[]).len() - one;
        for cut in 0..part.len() {
            let found = merge_records(&part[..cut]);
            let want = if cut >= second + one {
                2
            } else if cut >= second {
                1
            } else {
                0
            };
            assert_eq!(found.len(), want, "cut at {cut}");
        }
        // A record claiming the largest size a header can say (256 MiB),
        // then nothing: one failed skip, no allocation.
        let mut huge = rec(BRT_BEGIN_MERGE_CELLS, &[]);
        huge.extend([0xB0, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]);
        huge.extend(rfx(1, 2, 0, 0));
        assert!(merge_records(&huge[..]).is_empty());
        // A size whose fourth byte still asks for more: decoded as calamine
        // does (the fifth byte starts the body), no panic.
        let mut odd = rec(BRT_BEGIN_MERGE_CELLS, &[]);
        odd.extend([0xB0, 0x01, 0x90, 0x80, 0x80, 0x80]);
        odd.extend(rfx(1, 2, 0, 0));
        assert_eq!(merge_records(&odd[..]), [dims(1, 0, 2, 0)]);
        for garbage in [&[0xFFu8; 64][..], &[0x80], &[0xB0, 0x01], &[], &[0xB1, 0x01, 0x00, 0xB0]] {
            assert!(merge_records(garbage).is_empty());
        }
    }

    #[test]
    fn regions_stop_one_past_the_limit() {
        let many: Vec<Vec<u8>> = (0..MAX_MERGE_REGIONS as u32 + 50).map(|i| rfx(i % 1000, i % 1000, 0, 1)).collect();
        assert_eq!(merge_records(&sheet(&many)[..]).len(), MAX_MERGE_REGIONS + 1);
    }

    #[test]
    fn bundle_sheets_read_names_and_ids_and_survive_garbage() {
        let bundle = |rel: &str, name: &str| [vec![0; 8], wide(rel), wide(name)].concat();
        let mut wb = rec(0x83, &[]); // BrtBeginBook
        wb.extend(rec(0x8F, &[])); // BrtBeginBundleShs
        wb.extend(rec(BRT_BUNDLE_SH, &bundle("rId1", "4月")));
        wb.extend(rec(BRT_BUNDLE_SH, &[vec![0; 8], 0xFFFF_FFFFu32.to_le_bytes().to_vec()].concat())); // null id
        wb.extend(rec(BRT_BUNDLE_SH, &[vec![0; 8], wide("rId9"), 500u32.to_le_bytes().to_vec()].concat())); // name too long
        wb.extend(rec(BRT_BUNDLE_SH, &bundle("rId2", "5月")));
        wb.extend(rec(BRT_END_BUNDLE_SHS, &[]));
        wb.extend(rec(BRT_BUNDLE_SH, &bundle("rId3", "after the list")));
        let want = [("rId1".to_string(), "4月".to_string()), ("rId2".to_string(), "5月".to_string())];
        assert_eq!(bundle_sheets(&wb[..]), want);
        for cut in 0..wb.len() {
            assert!(bundle_sheets(&wb[..cut]).len() <= 2);
        }
        let mut huge = rec(BRT_BUNDLE_SH, &[]);
        huge.truncate(2);
        huge.extend([0xFF, 0xFF, 0xFF, 0x7F]);
        assert!(bundle_sheets(&huge[..]).is_empty());
    }

    #[test]
    fn not_an_xlsb_gives_nothing() {
        assert!(XlsbMerges::open(b"not a zip").is_none());
    }

    proptest! {
        #[test]
        fn no_bytes_make_the_record_readers_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            prop_assert!(merge_records(&bytes[..]).len() <= MAX_MERGE_REGIONS + 1);
            let _ = bundle_sheets(&bytes[..]);
        }

        #[test]
        fn no_damage_to_a_real_part_makes_it_panic(
            at in any::<prop::sample::Index>(),
            with in proptest::collection::vec(any::<u8>(), 1..8),
        ) {
            let mut part = sheet(&[rfx(1, 2, 0, 0), rfx(3, 4, 0, 0)]);
            let i = at.index(part.len());
            for (k, b) in with.iter().enumerate() {
                if let Some(slot) = part.get_mut(i + k) {
                    *slot = *b;
                }
            }
            prop_assert!(merge_records(&part[..]).len() <= 2);
        }
    }
}
