//! The personal-information guard: the last check before a report set is
//! published. Every produced file is searched for every personal value read
//! this run (names, 概要 texts); for an .xlsx, every zip part is decompressed
//! and searched. A hit is a bug in the reports, so the set is not published
//! and the error names the file and part, never the value.
//!
//! Each value is searched in the forms the writers could have given it: as
//! is, with its spaces as ideographic spaces (text typed into the plan file
//! is not NFKC-normalised like workbook values), XML-escaped (xlsx),
//! HTML-escaped (templates) and JSON-escaped. Which values are searched
//! (none shorter than two characters, none inside the plan's own texts or
//! the record types' fixed words) is the run's policy,
//! [`crate::personal::PersonalValues`], the one masking uses.

use crate::personal::PersonalValues;
use crate::text::clean;
use aho_corasick::AhoCorasick;
use anyhow::{Context, bail};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// The byte patterns to look for, in one Aho-Corasick automaton so one pass
/// over a file checks them all.
#[derive(Debug, Default)]
pub struct Needles {
    automaton: Option<AhoCorasick>,
}

impl Needles {
    /// The patterns for the values the policy looks for.
    pub fn new(personal: &PersonalValues) -> Needles {
        let mut forms: BTreeSet<String> = BTreeSet::new();
        for v in personal.searched() {
            add_forms(&mut forms, v);
        }
        let patterns: Vec<Vec<u8>> = forms.into_iter().map(String::into_bytes).filter(|b| b.len() >= 2).collect();
        // Building fails only past the automaton's size limits; then the
        // guard matches everything (every output refused) rather than let a
        // value through unchecked.
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::new(&patterns).unwrap_or_else(|_| AhoCorasick::new([""]).expect("an empty pattern builds"))
        });
        Needles { automaton }
    }

    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Whether any pattern occurs in `hay`.
    pub fn found_in(&self, hay: &[u8]) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(hay))
    }

    /// Whether any pattern occurs in what `reader` gives, read in pieces
    /// (a large kpis.json is searched without being held in memory).
    pub fn found_in_stream(&self, reader: impl Read) -> std::io::Result<bool> {
        match &self.automaton {
            Some(a) => a.stream_find_iter(reader).next().transpose().map(|m| m.is_some()),
            None => Ok(false),
        }
    }
}

/// `v` in every form the writers could give it: as is, NFKC-cleaned, with
/// its spaces as ideographic spaces (workbook text reaches us NFKC-normalised,
/// 「山田　太郎」 as 「山田 太郎」; text typed elsewhere, such as a plan note, may
/// keep the ideographic space), each also XML-, HTML- and JSON-escaped.
fn add_forms(forms: &mut BTreeSet<String>, v: &str) {
    let cleaned = clean(v).into_owned();
    let wide = v.replace(' ', "\u{3000}");
    for base in [v.to_string(), cleaned, wide] {
        forms.insert(xml_escape(&base));
        forms.insert(html_escape(&base));
        if let Ok(j) = serde_json::to_string(&base) {
            forms.insert(j[1..j.len() - 1].to_string());
        }
        forms.insert(base);
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Searches every file directly inside `dir` (and every part of each .xlsx).
/// Fails naming the first file (and part) holding a personal value.
pub fn check_dir(dir: &Path, needles: &Needles) -> anyhow::Result<()> {
    if needles.is_empty() {
        return Ok(());
    }
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".xlsx") {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            if let Some(part) =
                xlsx_part_with(&bytes, needles).with_context(|| format!("cannot open {name} as a zip"))?
            {
                bail!(
                    "personal information found in {name} (part {part}); the report set was not written. This is a bug in the reports: please report it"
                );
            }
            continue;
        }
        let file = std::fs::File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let found = needles
            .found_in_stream(std::io::BufReader::with_capacity(1 << 16, file))
            .with_context(|| format!("cannot read {}", path.display()))?;
        if found {
            bail!(
                "personal information found in {name}; the report set was not written. This is a bug in the reports: please report it"
            );
        }
    }
    Ok(())
}

/// The name of the first part of an xlsx (zip) holding a pattern.
pub fn xlsx_part_with(bytes: &[u8], needles: &Needles) -> anyhow::Result<Option<String>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i)?;
        let name = part.name()?.into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data)?;
        if needles.found_in(&data) {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn needles(values: &[&str], plan_words: &[&str]) -> Needles {
        let read: BTreeSet<String> = values.iter().map(|s| s.to_string()).collect();
        let words: Vec<String> = plan_words.iter().map(|s| s.to_string()).collect();
        Needles::new(&PersonalValues::new(&read, &words))
    }

    #[test]
    fn a_value_is_found_in_a_stream_even_across_the_reader_s_pieces() {
        let n = needles(&["山田太郎"], &[]);
        // The value straddles the 64 KiB pieces a BufReader hands over.
        let mut hay = vec![b'x'; (1 << 16) - 5];
        hay.extend_from_slice("山田太郎".as_bytes());
        hay.extend(std::iter::repeat_n(b'y', 1000));
        let reader = std::io::BufReader::with_capacity(1 << 16, hay.as_slice());
        assert!(n.found_in_stream(reader).unwrap());
        assert!(!n.found_in_stream(&b"nothing personal here"[..]).unwrap());
        assert!(!needles(&[], &[]).found_in_stream(hay.as_slice()).unwrap());
    }

    #[test]
    fn finds_raw_and_escaped_forms_and_skips_short_or_exempt_values() {
        let n = needles(&["山田 太郎", "A", "O'Neil", "山口"], &["山口県地域技能振興コーナー"]);
        assert!(n.found_in("…指導者 山田 太郎 …".as_bytes()));
        assert!(n.found_in(b"<t>O&apos;Neil</t>"));
        assert!(n.found_in(b"<td>O&#39;Neil</td>"));
        assert!(!n.found_in("山口県地域技能振興コーナー".as_bytes()), "exempt");
        assert!(!n.found_in(b"A single letter is not searched"));
        assert!(!n.found_in("山田".as_bytes()));
        assert!(needles(&["x"], &[]).is_empty());
    }

    #[test]
    fn a_name_with_the_ideographic_space_is_found_too() {
        // Workbook values arrive NFKC-normalised; a plan note typed by hand may not be.
        let n = needles(&["山田 太郎"], &[]);
        assert!(n.found_in("備考：山田\u{3000}太郎さん".as_bytes()));
    }
}
