//! Publishing a report set atomically: all files are written into a hidden
//! temporary folder next to the final one (same file system), checked, and
//! only then renamed into place. An existing set for the same as-of date is
//! renamed aside first, replaced, and deleted only after the new one is in
//! place; if the swap fails, the old set is renamed back. Whatever fails, the
//! previous set stays intact and the temporary folder is removed.

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
    fs::create_dir_all(parent).with_context(|| format!("cannot create output folder {}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    for (file, bytes) in files {
        write_file(tmp.path(), file, bytes, fail_at)?;
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

    #[test]
    fn a_failed_check_publishes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let err = publish(root.path(), "2024-03-31", &[("a.txt", b"x".to_vec())], None, |_| bail!("nope")).unwrap_err();
        assert!(err.to_string().contains("nope"));
        assert!(names(root.path()).is_empty());
    }
}
