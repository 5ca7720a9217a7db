//! The sheets of an Office Open XML package (`.xlsx`/`.xlsm`/`.xlsb`), for
//! the merge readers: the zip, each sheet's part found as calamine finds it
//! (the workbook part names each sheet with a relationship id, the
//! workbook's relationships map the id to the part: relative to `xl/`, or
//! absolute from the package root), parts looked up ignoring case, and every
//! read limited to [`MAX_PART_BYTES`].

use super::limits::MAX_PART_BYTES;
use quick_xml::Reader;
use quick_xml::events::Event;
use quick_xml::name::QName;
use std::collections::HashMap;
use std::io::{self, BufReader, Cursor, Read};
use zip::ZipArchive;

/// A package opened for its sheets' parts.
pub(super) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    bytes: &'a [u8],
    /// (sheet name, part path) in workbook order.
    sheets: Vec<(String, String)>,
    /// Part names by lower-case name with `/` separators, as calamine looks them up.
    names: HashMap<String, String>,
}

impl<'a> Package<'a> {
    /// Opens `bytes` and lists its sheets from `workbook` (read by `sheets`
    /// into (relationship id, sheet name) pairs) and `rels`; `None` when it is
    /// not a zip with a readable workbook part.
    pub(super) fn open(
        bytes: &'a [u8],
        workbook: &str,
        rels: &str,
        sheets: fn(&mut dyn io::BufRead) -> Vec<(String, String)>,
    ) -> Option<Package<'a>> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
        let names: HashMap<String, String> =
            zip.file_names().flatten().map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.into_owned())).collect();
        let rels = {
            let part = zip.by_name(lookup(&names, rels)).ok();
            part.map(|p| relationships(BufReader::new(p.take(MAX_PART_BYTES)))).unwrap_or_default()
        };
        let part = zip.by_name(lookup(&names, workbook)).ok()?;
        let sheets = sheets(&mut BufReader::new(part.take(MAX_PART_BYTES)))
            .into_iter()
            .filter_map(|(rel, name)| {
                rels.get(&rel).map(|t| match t.strip_prefix('/') {
                    Some(absolute) => (name, absolute.to_string()),
                    None => (name, format!("xl/{t}")),
                })
            })
            .collect();
        Some(Package { zip, bytes, sheets, names })
    }

    /// The part of sheet `name` (the first sheet of that name, as calamine
    /// picks it), limited to [`MAX_PART_BYTES`]; `None` when the sheet or its
    /// part is missing.
    pub(super) fn sheet_part(&mut self, name: &str) -> Option<impl io::BufRead + '_> {
        let (_, path) = self.sheets.iter().find(|(n, _)| n == name)?;
        let part = self.zip.by_name(lookup(&self.names, path)).ok()?;
        Some(BufReader::new(part.take(MAX_PART_BYTES)))
    }

    /// The bytes of sheet `name`'s part when the package stores it
    /// uncompressed (a workbook repacked by [`super::repack`]), lent from the
    /// package's bytes; `None` otherwise.
    pub(super) fn stored_sheet(&mut self, name: &str) -> Option<&'a [u8]> {
        let (_, path) = self.sheets.iter().find(|(n, _)| n == name)?;
        let part = lookup(&self.names, path).to_string();
        super::repack::stored_part(&mut self.zip, self.bytes, &part)
    }
}

/// The actual name of a part, found ignoring case (calamine's lookup).
fn lookup<'n>(names: &'n HashMap<String, String>, path: &'n str) -> &'n str {
    names.get(&path.to_ascii_lowercase()).map_or(path, String::as_str)
}

/// `Id` → `Target` of every `Relationship` (the target's entities decoded).
/// Malformed XML ends the reading with what was found.
pub(super) fn relationships<R: io::BufRead>(xml: R) -> HashMap<String, String> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut out = HashMap::new();
    let mut buf = Vec::with_capacity(256);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("Relationship") => {
                let (mut id, mut target) = (None, None);
                for a in e.attributes().with_checks(false).flatten() {
                    match a.key.as_ref() {
                        "Id" => id = Some(a.value.into_owned()),
                        "Target" => target = quick_xml::escape::unescape(&a.value).ok().map(|t| t.into_owned()),
                        _ => {}
                    }
                }
                if let (Some(id), Some(target)) = (id, target) {
                    out.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_map_ids_to_targets() {
        let xml = concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>"#,
            r#"<Relationship Id="rId2" Target="worksheets/a&amp;b.bin"/><Relationship Id="rId3"/>"#,
            r#"</Relationships>"#
        );
        let rels = relationships(xml.as_bytes());
        assert_eq!(rels.len(), 2);
        assert_eq!(rels["rId1"], "worksheets/sheet1.bin");
        assert_eq!(rels["rId2"], "worksheets/a&b.bin");
        assert!(relationships(&b"<Relationships><Relationship Id=\"x"[..]).is_empty());
    }
}
