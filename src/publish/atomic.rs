//! Publishing a report set atomically: all files are written into a hidden
//! temporary folder next to the final one (same file system), checked, and
//! only then renamed into place. An existing set for the same as-of date is
//! renamed aside first, replaced, and deleted only after the new one is in
//! place; if the swap fails, the old set is renamed back. Whatever fails, the
//! previous set stays intact and the temporary folder is removed.
//!
//! [`publish_new_files`] is the other way to publish: it adds files to a
//! folder that holds other files (the blank workbooks of `corner-kpi
//! template`), all of them or none, and never replaces a file.

use anyhow::{Context, anyhow, bail};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Test hook: when this environment variable equals a report file name (for
/// example `center.html`), writing that file fails with "injected failure".
/// Used by the integration tests to prove that a failed run leaves the
/// previous set untouched; it has no other use.
pub const FAIL_AT_ENV: &str = "CORNER_KPI_FAIL_AT";

/// The value of [`FAIL_AT_ENV`], if set.
pub fn fail_at_from_env() -> Option<String> {
    std::env::var(FAIL_AT_ENV).ok().filter(|s| !s.is_empty())
}

/// What a file of a set holds: bytes rendered in memory, or a writer that
/// streams it into the file (kpis.json of 100,000 rows needs no copy in
/// memory).
pub enum Content<'a> {
    Bytes(&'a [u8]),
    Stream(&'a dyn Fn(&mut dyn Write) -> anyhow::Result<()>),
}

/// Writes `files` as the folder `parent/name`, replacing any folder of that
/// name only once the new one is complete and `check` has accepted it.
/// `fail_at` is the fault-injection hook (see [`FAIL_AT_ENV`]).
pub fn publish(
    parent: &Path,
    name: &str,
    files: &[(&str, Vec<u8>)],
    fail_at: Option<&str>,
    check: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<PathBuf> {
    let files: Vec<(&str, Content<'_>)> = files.iter().map(|(f, b)| (*f, Content::Bytes(b))).collect();
    publish_set(parent, name, &files, false, fail_at, check)
}

/// [`publish`] with files that may be streamed into place.
pub fn publish_streamed(
    parent: &Path,
    name: &str,
    files: &[(&str, Content<'_>)],
    fail_at: Option<&str>,
    check: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<PathBuf> {
    publish_set(parent, name, files, false, fail_at, check)
}

/// [`publish`], keeping the files of an existing `parent/name` that `files`
/// does not replace (the national set beside a corner's own reports in the
/// same dated folder). The kept files are copied into the new folder first,
/// so the swap stays whole: the folder has either every old file or every
/// new one.
pub fn publish_beside(
    parent: &Path,
    name: &str,
    files: &[(&str, Vec<u8>)],
    check: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<PathBuf> {
    let files: Vec<(&str, Content<'_>)> = files.iter().map(|(f, b)| (*f, Content::Bytes(b))).collect();
    publish_set(parent, name, &files, true, None, check)
}

fn publish_set(
    parent: &Path,
    name: &str,
    files: &[(&str, Content<'_>)],
    keep_others: bool,
    fail_at: Option<&str>,
    check: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(parent).with_context(|| format!("cannot create output folder {}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    if keep_others && let Ok(entries) = fs::read_dir(parent.join(name)) {
        for e in entries.flatten() {
            let file = e.file_name();
            let replaced = files.iter().any(|(f, _)| std::ffi::OsStr::new(f) == file);
            if replaced {
                continue;
            }
            copy_tree(&e.path(), &tmp.path().join(&file))
                .with_context(|| format!("cannot keep {} beside the new files", e.path().display()))?;
        }
    }
    for (file, content) in files {
        match content {
            Content::Bytes(bytes) => write_file(tmp.path(), file, bytes, fail_at)?,
            Content::Stream(write) => stream_file(tmp.path(), file, *write, fail_at)?,
        }
    }
    check(tmp.path())?;
    sync_dir(tmp.path());

    let target = parent.join(name);
    // From here on the temporary folder is removed by hand (it is renamed on success).
    let tmp_path = tmp.keep();
    match swap_in(&tmp_path, &target, parent, name) {
        Ok(()) => {
            sync_dir(parent);
            Ok(target)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp_path);
            Err(e)
        }
    }
}

/// Why [`publish_new_files`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum NewFilesError {
    /// Files of these names are already in the folder (nothing is replaced).
    #[error("files already there: {}", .0.join(", "))]
    Exist(Vec<String>),
    /// Writing failed; nothing of the set was left in the folder.
    #[error(transparent)]
    Write(#[from] anyhow::Error),
}

/// Prefix of the hidden files [`publish_new_files`] writes before it puts
/// them in place (the reader skips hidden files).
const NEW_FILE_PREFIX: &str = ".corner-kpi-new.";

/// Adds `files` to the folder `dir` (created if missing) beside whatever it
/// holds, never replacing a file: when a file of one of the names is there
/// already, nothing is written ([`NewFilesError::Exist`] names them). Every
/// file is first written in full as a hidden file in `dir` and flushed; only
/// then is each renamed to its name, refusing to replace a file that
/// appeared meanwhile. If any step fails, the files this call put in place
/// are removed again, so the folder holds all of the set or none of it.
/// `fail_at` is the fault-injection hook (see [`FAIL_AT_ENV`]).
pub fn publish_new_files(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    fail_at: Option<&str>,
) -> Result<Vec<PathBuf>, NewFilesError> {
    let there: Vec<String> =
        files.iter().map(|(n, _)| n).filter(|n| fs::symlink_metadata(dir.join(n.as_str())).is_ok()).cloned().collect();
    if !there.is_empty() {
        return Err(NewFilesError::Exist(there));
    }
    let created = !dir.exists();
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))?;
    remove_old_new_files(dir, LEFTOVER_MIN_AGE);
    let result = stage_and_place(dir, files, fail_at);
    if result.is_err() && created {
        // Only if it is empty again: a folder this call made and filled with nothing.
        let _ = fs::remove_dir(dir);
    }
    result
}

fn stage_and_place(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    fail_at: Option<&str>,
) -> Result<Vec<PathBuf>, NewFilesError> {
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        if fail_at == Some(name.as_str()) {
            return Err(anyhow!("cannot write {name}: injected failure ({FAIL_AT_ENV}={name})").into());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(NEW_FILE_PREFIX);
        // Made like any new file (0o666 less the umask), not owner-only as
        // temporary files are: staff share these books.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp =
            builder.tempfile_in(dir).with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        tmp.write_all(bytes).with_context(|| format!("cannot write {}", tmp.path().display()))?;
        tmp.as_file().sync_all().with_context(|| format!("cannot flush {}", tmp.path().display()))?;
        staged.push((dir.join(name), tmp));
    }
    let mut placed: Vec<PathBuf> = Vec::with_capacity(staged.len());
    for (target, tmp) in staged {
        if let Err(e) = tmp.persist_noclobber(&target) {
            for p in &placed {
                let _ = fs::remove_file(p);
            }
            let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Err(if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                NewFilesError::Exist(vec![name])
            } else {
                anyhow!(e.error).context(format!("cannot put {} in place", target.display())).into()
            });
        }
        placed.push(target);
    }
    sync_dir(dir);
    Ok(placed)
}

/// Removes the hidden files of a [`publish_new_files`] killed midway, when
/// older than `min_age` (another run may be writing younger ones).
fn remove_old_new_files(dir: &Path, min_age: std::time::Duration) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(NEW_FILE_PREFIX) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(e.path()) else { continue };
        let old = meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age >= min_age);
        if meta.is_file() && old {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Copies a file, or a folder with everything in it (symbolic links are not followed).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    if meta.is_dir() {
        fs::create_dir(to)?;
        for e in fs::read_dir(from)? {
            let e = e?;
            copy_tree(&e.path(), &to.join(e.file_name()))?;
        }
    } else if meta.is_file() {
        fs::copy(from, to)?;
    }
    Ok(())
}

/// Writes one file (and flushes it to disk), or fails on the injected name.
fn write_file(dir: &Path, file: &str, bytes: &[u8], fail_at: Option<&str>) -> anyhow::Result<()> {
    let path = dir.join(file);
    if fail_at == Some(file) {
        bail!("cannot write {file}: injected failure ({FAIL_AT_ENV}={file})");
    }
    let mut f = fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    f.sync_all().with_context(|| format!("cannot flush {}", path.display()))?;
    Ok(())
}

/// [`write_file`] for a file written by `write` as it goes.
fn stream_file(
    dir: &Path,
    file: &str,
    write: &dyn Fn(&mut dyn Write) -> anyhow::Result<()>,
    fail_at: Option<&str>,
) -> anyhow::Result<()> {
    let path = dir.join(file);
    if fail_at == Some(file) {
        bail!("cannot write {file}: injected failure ({FAIL_AT_ENV}={file})");
    }
    let f = fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
    write(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    let f = w
        .into_inner()
        .map_err(|e| anyhow!(e.into_error()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.sync_all().with_context(|| format!("cannot flush {}", path.display()))?;
    Ok(())
}

/// Renames `new` to `target`, keeping any existing `target` until the new
/// one is in place.
fn swap_in(new: &Path, target: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    if fs::symlink_metadata(target).is_err() {
        return fs::rename(new, target)
            .with_context(|| format!("cannot move the new report set to {}", target.display()));
    }
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let aside = parent.join(format!(".{name}.old-{}-{stamp}", std::process::id()));
    fs::rename(target, &aside)
        .with_context(|| format!("cannot move the previous report set {} aside", target.display()))?;
    if let Err(e) = fs::rename(new, target) {
        return match fs::rename(&aside, target) {
            Ok(()) => Err(anyhow!(e)
                .context(format!("cannot move the new report set to {}; the previous set was kept", target.display()))),
            Err(e2) => Err(anyhow!(e).context(format!(
                "cannot move the new report set to {}, nor the previous one back ({e2}); the previous set is at {}",
                target.display(),
                aside.display()
            ))),
        };
    }
    // The new set is in place; a leftover old copy is only clutter.
    let _ = fs::remove_dir_all(&aside);
    Ok(())
}

/// Temporary folders younger than this are left alone: another run may be
/// writing them right now.
pub const LEFTOVER_MIN_AGE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// What [`remove_leftovers`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Leftovers {
    /// Hidden temporary folders of killed runs, removed.
    pub removed: usize,
    /// Report sets a killed run had moved aside and not replaced, moved back
    /// (their folder names).
    pub restored: Vec<String>,
}

/// Cleans up after runs killed midway in `parent` (a fiscal-year folder):
/// only this program's own hidden folders (`.YYYY-MM-DD.tmp-…` being
/// written, `.YYYY-MM-DD.old-…` moved aside during a swap), only when older
/// than `min_age`. A set moved aside whose place is empty is moved back
/// rather than deleted. Nothing else is touched; errors are ignored (the
/// next run tries again).
pub fn remove_leftovers(parent: &Path, min_age: std::time::Duration) -> Leftovers {
    let mut done = Leftovers::default();
    let Ok(entries) = fs::read_dir(parent) else { return done };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((date, kind)) = leftover_name(&name) else { continue };
        let Ok(meta) = fs::symlink_metadata(e.path()) else { continue };
        let old_enough =
            meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age >= min_age);
        if !meta.is_dir() || !old_enough {
            continue;
        }
        let target = parent.join(date);
        if kind == "old" && fs::symlink_metadata(&target).is_err() {
            if fs::rename(e.path(), &target).is_ok() {
                done.restored.push(date.to_string());
            }
        } else if fs::remove_dir_all(e.path()).is_ok() {
            done.removed += 1;
        }
    }
    done.restored.sort();
    done
}

/// `.2023-10-31.tmp-XXXX` → (`2023-10-31`, `tmp`); `.…old-…` likewise.
fn leftover_name(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix('.')?;
    let (date, tail) = rest.split_once('.')?;
    let ok_date = date.len() == 10 && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    let kind = ["tmp-", "old-"].into_iter().find(|k| tail.starts_with(k))?;
    ok_date.then_some((date, &kind[..3]))
}

/// Flushes a folder's entries where the platform allows it (best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    fn age(path: &Path, secs: u64) {
        let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        fs::File::open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn leftovers_of_killed_runs_go_and_everything_else_stays() {
        let root = tempfile::tempdir().unwrap();
        let p = root.path();
        for d in [
            ".2023-10-31.tmp-aB3x",
            ".2023-09-30.tmp-new",
            "2023-09-30",
            ".2023-08-31.old-77-1",
            ".notes",
            ".2023-13-01.tmp-x",
        ] {
            fs::create_dir(p.join(d)).unwrap();
        }
        fs::write(p.join(".2023-07-31.tmp-file"), b"a file, not ours").unwrap();
        for d in [".2023-10-31.tmp-aB3x", ".2023-08-31.old-77-1", ".notes", ".2023-13-01.tmp-x", ".2023-07-31.tmp-file"]
        {
            age(&p.join(d), 2 * 3600);
        }
        let done = remove_leftovers(p, LEFTOVER_MIN_AGE);
        assert_eq!(done.removed, 1, "the old temporary folder");
        assert_eq!(done.restored, ["2023-08-31"], "a set moved aside with nothing in its place is moved back");
        assert_eq!(
            names(p),
            [".2023-07-31.tmp-file", ".2023-09-30.tmp-new", ".2023-13-01.tmp-x", ".notes", "2023-08-31", "2023-09-30"]
        );
        // An old aside copy whose set is in place is only clutter.
        fs::create_dir(p.join(".2023-09-30.old-5-9")).unwrap();
        age(&p.join(".2023-09-30.old-5-9"), 2 * 3600);
        assert_eq!(remove_leftovers(p, LEFTOVER_MIN_AGE).removed, 1);
        assert!(p.join("2023-09-30").is_dir());
    }

    #[test]
    fn replaces_an_existing_set_whole() {
        let root = tempfile::tempdir().unwrap();
        let ok = |_: &Path| Ok(());
        publish(root.path(), "2023-10-31", &[("a.txt", b"old".to_vec()), ("b.txt", b"old".to_vec())], None, ok)
            .unwrap();
        let dir = publish(root.path(), "2023-10-31", &[("a.txt", b"new".to_vec())], None, ok).unwrap();
        assert_eq!(names(&dir), ["a.txt"]);
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"new");
        assert_eq!(names(root.path()), ["2023-10-31"], "no temporary or old folder left");
    }

    #[test]
    fn injected_failure_keeps_the_old_set_and_removes_the_temp_dir() {
        let root = tempfile::tempdir().unwrap();
        let ok = |_: &Path| Ok(());
        let files =
            |v: &[u8]| vec![("ministry.html", v.to_vec()), ("center.html", v.to_vec()), ("kpis.json", v.to_vec())];
        let dir = publish(root.path(), "2023-10-31", &files(b"old"), None, ok).unwrap();
        let err = publish(root.path(), "2023-10-31", &files(b"new"), Some("center.html"), ok).unwrap_err();
        assert!(format!("{err:#}").contains("injected failure"), "{err:#}");
        assert_eq!(names(&dir), ["center.html", "kpis.json", "ministry.html"]);
        for f in names(&dir) {
            assert_eq!(fs::read(dir.join(&f)).unwrap(), b"old", "{f}");
        }
        assert_eq!(names(root.path()), ["2023-10-31"]);
    }

    fn set(names: &[&str], content: &[u8]) -> Vec<(String, Vec<u8>)> {
        names.iter().map(|n| (n.to_string(), content.to_vec())).collect()
    }

    #[test]
    fn new_files_go_beside_the_others_and_never_replace_one() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("ブック");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("memo.txt"), b"mine").unwrap();
        let placed = publish_new_files(&dir, &set(&["a.xlsx", "b.xlsx"], b"new"), None).unwrap();
        assert_eq!(placed, [dir.join("a.xlsx"), dir.join("b.xlsx")]);
        assert_eq!(names(&dir), ["a.xlsx", "b.xlsx", "memo.txt"]);
        fs::write(dir.join("b.xlsx"), b"filled in").unwrap();
        match publish_new_files(&dir, &set(&["a.xlsx", "b.xlsx", "c.xlsx"], b"newer"), None) {
            Err(NewFilesError::Exist(there)) => assert_eq!(there, ["a.xlsx", "b.xlsx"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(names(&dir), ["a.xlsx", "b.xlsx", "memo.txt"], "c.xlsx is not written either");
        assert_eq!(fs::read(dir.join("b.xlsx")).unwrap(), b"filled in");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("a.xlsx")).unwrap().permissions().mode();
            let plain = fs::File::create(dir.join("plain")).and_then(|f| f.metadata()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, plain & 0o777, "as any new file, not owner-only");
        }
    }

    #[test]
    fn a_failure_midway_leaves_no_new_file() {
        let root = tempfile::tempdir().unwrap();
        let err = publish_new_files(root.path(), &set(&["a.xlsx", "b.xlsx"], b"x"), Some("b.xlsx")).unwrap_err();
        assert!(format!("{err:#}").contains("injected failure"), "{err:#}");
        assert!(names(root.path()).is_empty(), "{:?}", names(root.path()));
        let made = root.path().join("new");
        publish_new_files(&made, &set(&["a.xlsx"], b"x"), Some("a.xlsx")).unwrap_err();
        assert!(!made.exists(), "a folder made for the set goes with it");
        // A leftover of a killed run goes once it is old.
        let left = root.path().join(format!("{NEW_FILE_PREFIX}abc"));
        fs::write(&left, b"half").unwrap();
        age(&left, 2 * 3600);
        publish_new_files(root.path(), &set(&["a.xlsx"], b"x"), None).unwrap();
        assert_eq!(names(root.path()), ["a.xlsx"]);
    }

    #[test]
    fn a_failed_check_publishes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let err = publish(root.path(), "2024-03-31", &[("a.txt", b"x".to_vec())], None, |_| bail!("nope")).unwrap_err();
        assert!(err.to_string().contains("nope"));
        assert!(names(root.path()).is_empty());
    }
}
