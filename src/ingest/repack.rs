//! A zip-based workbook (`.xlsx`/`.xlsm`/`.xlsb`/`.ods`) inflated once.
//!
//! Its merged regions are kept where calamine's cell readers never look (the
//! end of an `.xlsx` sheet part, each `.xlsb` sheet's records, the `.ods`
//! `content.xml`), so the merge readers inflate those parts a second time
//! beside calamine: about a tenth of the cycles of a national roll-up. Here
//! every part is inflated once into a new zip whose parts are *stored*;
//! calamine and the merge readers then read the same bytes without
//! inflating again (a stored part is a copy and a CRC check), and an `.xlsx`
//! sheet's bytes can be searched in place ([`stored_part`]).
//!
//! Anything this cannot repack (not a zip, a damaged or encrypted part, two
//! parts of one name, a workbook larger than [`MAX_REPACK_BYTES`]) is read
//! as it came, so calamine reports what is wrong exactly as before.

use super::limits::{MAX_PART_BYTES, MAX_TOTAL_BYTES};
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Workbooks whose parts inflate to more than this are read as they came
/// (streamed by calamine): the repacked copy is held in memory whole.
pub const MAX_REPACK_BYTES: u64 = 128 << 20;

/// The workbook in `bytes` with every part stored uncompressed, in the same
/// order under the same names; `None` when it cannot be repacked (read the
/// original then). Parts are read at most to the size limits, whatever
/// their headers claim.
pub fn stored(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(b"PK") {
        return None;
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).ok()?;
        if entry.is_dir() {
            continue;
        }
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_REPACK_BYTES.min(MAX_TOTAL_BYTES) {
        return None;
    }
    let capacity = usize::try_from(declared).ok()?.saturating_add(zip.len() * 128);
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(capacity)));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut part = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        if entry.is_dir() {
            out.add_directory(name, options).ok()?;
            continue;
        }
        part.clear();
        // One byte past the limit shows a part that is too large (its header lied).
        entry.by_ref().take(MAX_PART_BYTES + 1).read_to_end(&mut part).ok()?;
        total = total.saturating_add(part.len() as u64);
        if part.len() as u64 > MAX_PART_BYTES || total > MAX_REPACK_BYTES {
            return None;
        }
        out.start_file(name, options).ok()?;
        out.write_all(&part).ok()?;
    }
    out.finish().ok().map(Cursor::into_inner)
}

/// The bytes of part `name` of `zip` (over `bytes`) when it is stored
/// uncompressed: a slice of `bytes`, nothing copied or inflated.
pub fn stored_part<'a>(zip: &mut ZipArchive<Cursor<&'a [u8]>>, bytes: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let entry = zip.by_name_raw(name.as_bytes()).ok()?;
    if entry.compression() != CompressionMethod::Stored {
        return None;
    }
    let start = usize::try_from(entry.data_start()?).ok()?;
    let len = usize::try_from(entry.compressed_size()).ok()?;
    bytes.get(start..start.checked_add(len)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zip::write::SimpleFileOptions;

    fn deflated(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, o).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn every_part_comes_back_stored_in_order_with_its_bytes() {
        let sheet = b"<worksheet><sheetData/>".repeat(200);
        let src = deflated(&[("[Content_Types].xml", b"<Types/>"), ("xl/worksheets/sheet1.xml", &sheet)]);
        let repacked = stored(&src).expect("repacked");
        let mut zip = ZipArchive::new(Cursor::new(&repacked[..])).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
        assert_eq!(names, ["[Content_Types].xml", "xl/worksheets/sheet1.xml"]);
        for i in 0..zip.len() {
            assert_eq!(zip.by_index_raw(i).unwrap().compression(), CompressionMethod::Stored);
        }
        let mut back = Vec::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, sheet);
        let mut zip = ZipArchive::new(Cursor::new(&repacked[..])).unwrap();
        assert_eq!(stored_part(&mut zip, &repacked, "xl/worksheets/sheet1.xml"), Some(&sheet[..]));
        assert_eq!(stored_part(&mut zip, &repacked, "xl/missing.xml"), None);
    }

    #[test]
    fn a_deflated_part_is_not_lent_as_bytes() {
        let src = deflated(&[("a.xml", &b"x".repeat(500))]);
        let mut zip = ZipArchive::new(Cursor::new(&src[..])).unwrap();
        assert_eq!(stored_part(&mut zip, &src, "a.xml"), None);
    }

    /// Damaged workbooks (bytes flipped, cut short) never panic the repack,
    /// and whatever it returns opens as a zip with every part stored.
    #[test]
    fn damaged_bytes_never_panic_and_a_repack_is_always_a_stored_zip() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for r in 0..40u32 {
            ws.write_string(r, 0, format!("派遣先{r}")).unwrap();
            ws.write_number(r, 1, f64::from(r)).unwrap();
        }
        ws.merge_range(41, 0, 43, 0, "熟練技能者", &rust_xlsxwriter::Format::new()).unwrap();
        let good = wb.save_to_buffer().unwrap();
        assert!(stored(&good).is_some());
        // A fixed xorshift: the same cases every run.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut repacked, mut refused) = (0, 0);
        for case in 0..600 {
            let mut bytes = good.clone();
            if case % 5 == 0 {
                bytes.truncate((next() as usize) % good.len());
            } else {
                for _ in 0..1 + next() % 8 {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] = next() as u8;
                }
            }
            match stored(&bytes) {
                Some(out) => {
                    repacked += 1;
                    let mut zip = ZipArchive::new(Cursor::new(&out[..])).expect("a repack is a zip");
                    for i in 0..zip.len() {
                        assert_eq!(zip.by_index_raw(i).unwrap().compression(), CompressionMethod::Stored);
                    }
                }
                None => refused += 1,
            }
        }
        assert!(repacked > 0 && refused > 0, "both outcomes were exercised: {repacked} / {refused}");
    }

    #[test]
    fn what_cannot_be_repacked_is_left_as_it_came() {
        assert_eq!(stored(b"not a zip"), None);
        assert_eq!(stored(b"PK\x03\x04 cut short"), None);
        // A damaged deflate stream: the original goes to calamine, which says so.
        let mut src = deflated(&[("a.xml", &b"<a>".repeat(4000))]);
        let at = src.windows(5).position(|w| w == b"a.xml").unwrap() + 5;
        for b in &mut src[at + 4..at + 40] {
            *b = 0xFF;
        }
        assert_eq!(stored(&src), None);
    }
}
