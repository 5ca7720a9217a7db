//! The files a report set was made from. `corner-kpi mail` searches the
//! attachments for the personal values of the workbooks the set was made
//! from, so before it does it checks that the folder it reads holds exactly
//! those workbooks: each file's SHA-256 against the set's `kpis.json`
//! `inputs`. Another folder, a workbook edited, added or removed since the
//! set was made: it refuses, naming the first file that differs, rather
//! than check the attachments against other data.

use crate::kpis_json::KpisJson;
use std::collections::BTreeMap;
use std::path::Path;

/// Checks that `read` (each file of the folder read now, relative path as
/// kpis.json writes it, and SHA-256; files without one, which are not
/// workbooks, are left out on both sides) holds the same workbooks as the
/// set whose `kpis.json` is `kpis_json`. `Err`: the first file, in path
/// order, that differs, with what to do (Japanese). Two files whose names
/// are shown masked alike (`訪問記録_＊＊＊.xlsx`) compare by their hashes.
pub fn check_same<'a>(
    set_dir: &Path,
    kpis_json: &str,
    input: &Path,
    read: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<(), String> {
    let json = set_dir.join("kpis.json");
    let doc = KpisJson::parse(kpis_json)
        .map_err(|e| format!("{} を読めません（{e}）。corner-kpi run で報告書を作り直してください", json.display()))?;
    let then = by_file(doc.inputs.iter().map(|i| (i.file.as_ref(), i.sha256.as_deref())));
    let now = by_file(read);
    let mut files: Vec<&str> = then.keys().chain(now.keys()).copied().collect();
    files.sort_unstable();
    files.dedup();
    let set = set_dir.display();
    let input = input.display();
    for file in files {
        let what = match (then.get(file), now.get(file)) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(a), Some(b)) if a.len() != b.len() => {
                format!("{input} の {file} という名前のブックの数が、報告書 {set} を作ったときと違います")
            }
            (Some(_), Some(_)) => format!("{input} の {file} は、報告書 {set} を作ったあとに変わっています"),
            (Some(_), None) => format!("{file} は報告書 {set} を作ったときにありましたが、{input} にはありません"),
            (None, _) => format!("{input} の {file} は、報告書 {set} を作ったときにはなかったブックです"),
        };
        return Err(format!(
            "{what}（{json} の inputs の sha256 と違います）。添付に個人情報がないかは、報告書を作ったときのブックでしか確かめられません。\
             報告書を作ったときのフォルダーを --input で指定するか、corner-kpi run で報告書を作り直してからメールを作ってください",
            json = json.display()
        ));
    }
    Ok(())
}

/// Each file's hashes (one, unless masked names coincide), sorted.
fn by_file<'a>(files: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, hash) in files {
        if let Some(h) = hash {
            out.entry(file).or_default().push(h);
        }
    }
    out.values_mut().for_each(|v| v.sort_unstable());
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SET: &str = r#"{"as_of": "2023-10-31", "fiscal_year": 2023, "kpis": [], "inputs": [
        {"file": "a.xlsx", "sha256": "aa", "size": 1, "status": "read"},
        {"file": "b/c.xlsx", "sha256": "cc", "size": 1, "status": "read"},
        {"file": "memo.txt", "sha256": null, "size": 1, "status": "skipped"}
    ]}"#;

    fn check(read: &[(&str, Option<&str>)]) -> Result<(), String> {
        check_same(Path::new("out/2023/2023-10-31"), SET, Path::new("実績"), read.iter().copied())
    }

    #[test]
    fn the_same_workbooks_pass_whatever_else_lies_beside_them() {
        assert_eq!(check(&[("a.xlsx", Some("aa")), ("b/c.xlsx", Some("cc")), ("~$a.xlsx", None)]), Ok(()));
    }

    #[test]
    fn the_first_workbook_that_differs_is_named() {
        let changed = check(&[("a.xlsx", Some("aa")), ("b/c.xlsx", Some("c2"))]).unwrap_err();
        assert!(
            changed.starts_with("実績 の b/c.xlsx は、報告書 out/2023/2023-10-31 を作ったあとに変わっています"),
            "{changed}"
        );
        assert!(changed.contains("--input") && changed.contains("corner-kpi run"), "says what to do: {changed}");
        let gone = check(&[("b/c.xlsx", Some("cc"))]).unwrap_err();
        assert!(gone.starts_with("a.xlsx は報告書 out/2023/2023-10-31 を作ったときにありましたが"), "{gone}");
        let added = check(&[("a.xlsx", Some("aa")), ("b/c.xlsx", Some("cc")), ("b/d.xlsx", Some("dd"))]).unwrap_err();
        assert!(
            added.starts_with("実績 の b/d.xlsx は、報告書 out/2023/2023-10-31 を作ったときにはなかったブックです"),
            "{added}"
        );
    }

    #[test]
    fn a_kpis_json_that_cannot_be_read_is_refused() {
        let e = check_same(Path::new("s"), "{", Path::new("i"), std::iter::empty()).unwrap_err();
        assert!(e.contains("kpis.json を読めません"), "{e}");
    }
}
