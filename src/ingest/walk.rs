//! The drop folder walk: every file under the folder, in a stable order,
//! classified as a workbook to read or a file to list as skipped.

use std::path::{Path, PathBuf};

/// Extensions read as workbooks (lower case).
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// A file found in the folder.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the folder, `/`-separated.
    pub rel: String,
    pub kind: FoundKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundKind {
    /// A workbook, with its lower-case extension.
    Workbook(String),
    /// Listed, not read: the reason (Japanese).
    Skip(String),
}

/// Lists every file under `root` (any depth, sorted by path). Hidden
/// folders are listed once and not entered. Unreadable folder entries are
/// returned as skipped with the reason.
pub fn walk(root: &Path) -> Vec<Found> {
    let mut out = Vec::new();
    let mut walker =
        walkdir::WalkDir::new(root).follow_links(false).sort_by(|a, b| a.file_name().cmp(b.file_name())).into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| rel_path(root, p)).unwrap_or_else(|| "(不明)".into());
                out.push(Found {
                    path: e.path().map(Path::to_path_buf).unwrap_or_default(),
                    rel,
                    // The error's own text holds the absolute path (a home
                    // folder can hold a person's name): only what went wrong.
                    kind: FoundKind::Skip(format!(
                        "フォルダーを読めません（{}）。アクセス権を確かめてください",
                        e.io_error().map_or_else(|| "ループするリンク".to_string(), |io| io.kind().to_string())
                    )),
                });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        if entry.file_type().is_dir() {
            if is_hidden_name(&entry.file_name().to_string_lossy()) {
                // Listed, so its books do not vanish without a word.
                out.push(Found {
                    path: entry.path().to_path_buf(),
                    rel: rel_path(root, entry.path()),
                    kind: FoundKind::Skip(
                        "隠しフォルダーのため中は読みません。集計するブックなら、隠しでないフォルダーに移してください"
                            .into(),
                    ),
                });
                walker.skip_current_dir();
            }
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = rel_path(root, entry.path());
        let kind = classify(&name, entry.file_type().is_symlink());
        out.push(Found { path: entry.path().to_path_buf(), rel, kind });
    }
    out
}

fn is_hidden_name(name: &str) -> bool {
    name.starts_with('.')
}

/// What to do with a file, by its name alone.
pub fn classify(name: &str, symlink: bool) -> FoundKind {
    if name.starts_with("~$") {
        return FoundKind::Skip(
            "Excelのロックファイル（ブックを開いている間だけできる一時ファイル）のため読み飛ばしました".into(),
        );
    }
    if is_hidden_name(name) {
        return FoundKind::Skip("隠しファイルのため読み飛ばしました".into());
    }
    if symlink {
        return FoundKind::Skip(
            "ショートカット（シンボリックリンク）は読み込みません。実体のファイルを置いてください".into(),
        );
    }
    let ext = Path::new(name).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
        FoundKind::Workbook(ext)
    } else if ext.is_empty() {
        FoundKind::Skip("拡張子がないため対象外です（.xlsx/.xlsm/.xls/.xlsb/.ods を読み込みます）".into())
    } else {
        FoundKind::Skip(format!(
            "Excelブックではないため対象外です（.{ext}）。.xlsx/.xlsm/.xls/.xlsb/.ods を読み込みます"
        ))
    }
}

fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_by_name() {
        assert_eq!(classify("派遣実績.xlsx", false), FoundKind::Workbook("xlsx".into()));
        assert_eq!(classify("古い.XLS", false), FoundKind::Workbook("xls".into()));
        assert!(matches!(classify("~$派遣実績.xlsx", false), FoundKind::Skip(r) if r.contains("ロックファイル")));
        assert!(matches!(classify(".DS_Store", false), FoundKind::Skip(r) if r.contains("隠し")));
        assert!(matches!(classify("議事録.pdf", false), FoundKind::Skip(r) if r.contains(".pdf")));
        assert!(matches!(classify("実績.csv", false), FoundKind::Skip(_)));
    }

    #[test]
    fn walks_sub_folders_in_order_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("下期/10月")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("b.xlsx"), b"x").unwrap();
        std::fs::write(dir.path().join("a.pdf"), b"x").unwrap();
        std::fs::write(dir.path().join("下期/10月/c.ods"), b"x").unwrap();
        std::fs::write(dir.path().join(".git/config"), b"x").unwrap();
        let found = walk(dir.path());
        let rels: Vec<_> = found.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, [".git", "a.pdf", "b.xlsx", "下期/10月/c.ods"], "the hidden folder listed, not entered");
        assert!(matches!(&found[0].kind, FoundKind::Skip(r) if r.contains("隠しフォルダー")));
    }
}
