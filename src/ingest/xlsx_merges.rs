//! Merged regions of an `.xlsx`/`.xlsm` sheet without a second XML parse.
//!
//! calamine 0.38's `merge_cells_by_sheet_name` inflates the worksheet part
//! again and runs its XML reader over every cell to reach `<mergeCells>` at
//! the end: the profile of a 47-corner roll-up showed it doubling the cost of
//! reading the cells. Here the part is inflated once more (cheap) and only
//! searched: a sheet without the bytes `mergeCell` has no merges; otherwise
//! just the `<mergeCells>` block is parsed.
//!
//! A sheet's part is found as calamine finds it ([`super::package`]). When
//! that fails for a sheet, the caller falls back to calamine (slower, same
//! answer).

use super::limits::MAX_MERGE_REGIONS;
use super::package::Package;
use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::Read;

/// An `.xlsx` opened for its merges.
pub struct XlsxMerges<'a>(Package<'a>);

impl<'a> XlsxMerges<'a> {
    /// The sheet list of the `.xlsx` in `bytes`; `None` when it is not a zip
    /// with a readable `xl/workbook.xml`.
    pub fn open(bytes: &'a [u8]) -> Option<XlsxMerges<'a>> {
        Package::open(bytes, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", |r| workbook_sheets(r)).map(XlsxMerges)
    }

    /// The merged regions of sheet `name`; `None` when its part cannot be
    /// found or read (ask calamine then).
    pub fn sheet(&mut self, name: &str) -> Option<Vec<Dimensions>> {
        if let Some(xml) = self.0.stored_sheet(name) {
            return Some(merge_cells(xml));
        }
        let mut xml = Vec::new();
        self.0.sheet_part(name)?.read_to_end(&mut xml).ok()?;
        Some(merge_cells(&xml))
    }
}

/// (`r:id`, name) of every `<sheet>` of `workbook.xml`, in order.
fn workbook_sheets<R: std::io::BufRead>(xml: R) -> Vec<(String, String)> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    let mut buf = Vec::with_capacity(256);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                let (mut id, mut name) = (None, None);
                for a in e.attributes().with_checks(false).flatten() {
                    let value = || quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned());
                    match (a.key.prefix().is_some(), a.key.local_name().as_ref()) {
                        (true, "id") => id = value(),
                        (false, "name") => name = value(),
                        _ => {}
                    }
                }
                if let (Some(id), Some(name)) = (id, name) {
                    out.push((id, name));
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// The `<mergeCell ref="A1:C3"/>` regions of a worksheet part (0-based),
/// at most one more than [`MAX_MERGE_REGIONS`]; a part without the bytes
/// `mergeCell` costs one search.
fn merge_cells(xml: &[u8]) -> Vec<Dimensions> {
    let Some(at) = memchr::memmem::find(xml, b"mergeCell") else {
        return Vec::new();
    };
    // From the tag's `<` (a prefix such as `x:` may come before the name).
    let start = xml[..at].iter().rposition(|&b| b == b'<').unwrap_or(at);
    let mut reader = Reader::from_reader(&xml[start..]);
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                let region = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "ref")
                    .and_then(|a| region(&a.value));
                if let Some(r) = region {
                    out.push(r);
                    if out.len() > MAX_MERGE_REGIONS {
                        return out;
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => return out,
            Ok(Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
    }
}

/// `B3:D5` as 0-based ((row, col), (row, col)); `None` for anything else
/// (a single cell merges nothing).
fn region(a1: &str) -> Option<Dimensions> {
    let (from, to) = a1.split_once(':')?;
    let (r0, c0) = cell(from)?;
    let (r1, c1) = cell(to)?;
    (r0 <= r1 && c0 <= c1).then(|| Dimensions::new((r0, c0), (r1, c1)))
}

/// `B3` (or `$B$3`) as 0-based (row, col), within Excel's sheet bounds.
fn cell(a1: &str) -> Option<(u32, u32)> {
    let s = a1.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)) - 1;
    let row: u32 = digits.parse().ok()?;
    ((1..=1_048_576).contains(&row) && col <= 16_383).then_some((row - 1, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_read_as_calamine_gives_them() {
        assert_eq!(region("A1:G1"), Some(Dimensions::new((0, 0), (0, 6))));
        assert_eq!(region("$F$3:$F$5"), Some(Dimensions::new((2, 5), (4, 5))));
        assert_eq!(region("AA10:AB12"), Some(Dimensions::new((9, 26), (11, 27))));
        assert_eq!(region("A1"), None);
        assert_eq!(region("C3:A1"), None);
        assert_eq!(region("A0:B2"), None);
        assert_eq!(region("XFE1:XFE2"), None, "past the last column");
        assert_eq!(region("1:2"), None);
    }

    #[test]
    fn the_merge_block_is_found_with_or_without_a_prefix() {
        let plain = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B3:B5"/></mergeCells></worksheet>"#;
        assert_eq!(merge_cells(plain), [Dimensions::new((0, 0), (0, 2)), Dimensions::new((2, 1), (4, 1))]);
        let prefixed =
            br#"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref="A2:A3"/></x:mergeCells></x:worksheet>"#;
        assert_eq!(merge_cells(prefixed), [Dimensions::new((1, 0), (2, 0))]);
        assert!(merge_cells(b"<worksheet><sheetData/></worksheet>").is_empty());
        assert!(merge_cells(b"<mergeCells><mergeCell ref=\"A1:B").is_empty(), "cut short: nothing");
    }

    #[test]
    fn sheets_are_named_by_their_relationship() {
        let xml = r#"<workbook xmlns:r="r"><sheets><sheet name="A&amp;B" sheetId="1" r:id="rId2"/><sheet name="派遣" sheetId="2" r:id="rId1"/></sheets></workbook>"#;
        assert_eq!(
            workbook_sheets(xml.as_bytes()),
            [("rId2".to_string(), "A&B".to_string()), ("rId1".to_string(), "派遣".to_string())]
        );
    }

    #[test]
    fn not_an_xlsx_gives_nothing() {
        assert!(XlsxMerges::open(b"not a zip").is_none());
    }
}
