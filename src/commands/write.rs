//! Writing a fixed file back without losing anything the user had: the edit itself, the
//! file's owner, group and mode, its links, and whatever changed since it was read.
//!
//! A regular file is replaced atomically: a temporary file beside the real target (symlinks
//! followed), created exclusively (`O_EXCL|O_NOFOLLOW`, so a planted link or file is never
//! reused) under an unpredictable name with mode 0600, given the original's owner, group and
//! mode before any byte is written, then renamed over the target. A file with several hard
//! links is written in place instead: a rename would leave the other names with the old text.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Someone changed the file between the read and the write.
    #[error(
        "changed since it was read (by an editor or another run?); not written, so the change is kept — run again"
    )]
    Changed,
    /// The user may not write the file (a rename beside it would still replace it).
    #[error("is read-only for you: not written (make it writable to fix it)")]
    ReadOnly,
    /// An I/O error.
    #[error("cannot write the fixed file: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes `text` to the file `path` names (through symlinks), if it still holds `expected`.
pub fn write_fixed(path: &Path, expected: &str, text: &str) -> Result<(), WriteError> {
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file").into());
    }
    // A file the user may not write is left alone, however it would be written: the rename
    // needs only the folder's permission, and would replace a file kept read-only on purpose.
    // (Opening it for writing, without truncating, changes nothing.)
    if let Err(e) = OpenOptions::new().write(true).open(&target) {
        return Err(match e.kind() {
            std::io::ErrorKind::PermissionDenied => WriteError::ReadOnly,
            _ => e.into(),
        });
    }
    if links(&meta) > 1 {
        return write_in_place(&target, expected, text);
    }
    let dir = target
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (mut tmp, tmp_path) = create_temp(dir, &name)?;
    let result = (|| {
        copy_owner_and_mode(&tmp, &meta)?;
        tmp.write_all(text.as_bytes())?;
        tmp.sync_all()?;
        unchanged(&target, expected)?;
        std::fs::rename(&tmp_path, &target)?;
        // The rename is durable only once the folder is.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    result
}

/// Hard-linked: the same inode keeps every name. Not atomic (a crash half-way leaves a partial
/// file), which is why it is only taken when a rename would split the links.
fn write_in_place(target: &Path, expected: &str, text: &str) -> Result<(), WriteError> {
    let mut f = open_nofollow(OpenOptions::new().read(true).write(true), target)?;
    let meta = f.metadata()?;
    let mut current = Vec::new();
    (&f).take(expected.len() as u64 + 1)
        .read_to_end(&mut current)?;
    if current != expected.as_bytes() || meta.len() != expected.len() as u64 {
        return Err(WriteError::Changed);
    }
    use std::io::Seek;
    f.seek(std::io::SeekFrom::Start(0))?;
    f.write_all(text.as_bytes())?;
    f.set_len(text.len() as u64)?;
    f.sync_all()?;
    Ok(())
}

/// The file still holds what was read: same size and the same bytes (an edit of the same size
/// within the same second is still caught).
fn unchanged(target: &Path, expected: &str) -> Result<(), WriteError> {
    let f = open_nofollow(OpenOptions::new().read(true), target)?;
    if f.metadata()?.len() != expected.len() as u64 {
        return Err(WriteError::Changed);
    }
    let mut current = Vec::new();
    f.take(expected.len() as u64 + 1)
        .read_to_end(&mut current)?;
    if current != expected.as_bytes() {
        return Err(WriteError::Changed);
    }
    Ok(())
}

/// A new file in `dir` nobody else can have prepared: a random name, created exclusively.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(File, PathBuf)> {
    for _ in 0..16 {
        let path = dir.join(format!(".{name}.stackstate-lint.{:016x}.tmp", random()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
        }
        match options.open(&path) {
            Ok(f) => return Ok((f, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "no unused temporary file name in 16 tries",
    ))
}

/// 64 unpredictable bits without a dependency: std seeds every `RandomState` from the OS.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

fn open_nofollow(options: &mut OpenOptions, path: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path)
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Owner and group first (a change of owner clears set-id bits), then the mode. Only root may
/// give a file away; a group the user belongs to is still kept.
#[cfg(unix)]
fn copy_owner_and_mode(f: &File, original: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (uid, gid) = (original.uid(), original.gid());
    let mine = f.metadata()?;
    if (mine.uid(), mine.gid()) != (uid, gid)
        && std::os::unix::fs::fchown(f, Some(uid), Some(gid)).is_err()
    {
        let _ = std::os::unix::fs::fchown(f, None, Some(gid));
    }
    f.set_permissions(std::fs::Permissions::from_mode(original.mode() & 0o7777))
}

#[cfg(not(unix))]
fn copy_owner_and_mode(f: &File, original: &std::fs::Metadata) -> std::io::Result<()> {
    f.set_permissions(original.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sl-write-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_change_since_the_read_is_kept_and_refused() {
        let d = scratch("changed");
        let p = d.join("values.yaml");
        std::fs::write(&p, "a: 1\nadded: by the user\n").unwrap();
        let e = write_fixed(&p, "a: 1\n", "a: 2\n").unwrap_err();
        assert!(matches!(e, WriteError::Changed), "{e}");
        // Same size, other bytes: still caught.
        std::fs::write(&p, "a: 3\n").unwrap();
        assert!(matches!(
            write_fixed(&p, "a: 1\n", "a: 2\n"),
            Err(WriteError::Changed)
        ));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a: 3\n");
        std::fs::hard_link(&p, d.join("link.yaml")).unwrap();
        assert!(matches!(
            write_fixed(&p, "a: 1\n", "a: 2\n"),
            Err(WriteError::Changed)
        ));
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            2,
            "no temporary file left"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn temporary_files_are_new_private_and_unpredictable() {
        use std::os::unix::fs::PermissionsExt;
        let d = scratch("temp");
        let (f1, p1) = create_temp(&d, "values.yaml").unwrap();
        let (_, p2) = create_temp(&d, "values.yaml").unwrap();
        assert_ne!(p1, p2);
        assert_eq!(f1.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        // A name planted as a symlink is never opened through.
        let planted = d.join("planted");
        std::os::unix::fs::symlink("/etc/passwd", &planted).unwrap();
        assert!(
            open_nofollow(OpenOptions::new().write(true), &planted).is_err(),
            "O_NOFOLLOW"
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
