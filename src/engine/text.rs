//! The values texts of a release, and which file each is: one file named twice (a `-f` layer
//! and a PATH, a link, `./x`) is one text, linted and fixed once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::InputError;
use crate::inputs;
use crate::yaml::Limits;

/// A values text to lint: the name shown, the path it came from (none for stdin), its text.
#[derive(Debug, Clone)]
pub struct Text {
    /// Name as given.
    pub name: String,
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    /// Which file that is: every name of one file (a link, `./x`, a hard link) has the same.
    pub file: Option<FileKey>,
    /// Contents, shared by the release of every PATH (a `-f` file is in each).
    pub text: Arc<str>,
}

/// Reads a PATH (or `-`, shown as `stdin_filename` when given) as a [`Text`].
pub fn read(path: &Path, stdin_filename: Option<&str>) -> Result<Text, InputError> {
    let (name, text) = inputs::read_text(path, stdin_filename, &Limits::default())?;
    let path = (path.as_os_str() != "-").then(|| path.to_path_buf());
    let file = path.as_deref().map(FileKey::of);
    Ok(Text {
        name,
        path,
        file,
        text: text.into(),
    })
}

/// Which file a path names: its device and inode, so that every spelling of the path, a
/// symlink and a hard link are one file; the resolved path where the file cannot be looked at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileKey {
    /// Device and inode.
    Inode(u64, u64),
    /// The path with every symlink resolved (as given when it cannot be resolved).
    Path(PathBuf),
}

impl FileKey {
    /// The key of the file at `path` (symlinks followed).
    pub fn of(path: &Path) -> FileKey {
        #[cfg(unix)]
        if let Ok(meta) = std::fs::metadata(path) {
            use std::os::unix::fs::MetadataExt;
            return FileKey::Inode(meta.dev(), meta.ino());
        }
        FileKey::Path(real_path(path))
    }
}

/// The path with every symlink resolved (as given when it cannot be resolved).
pub fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Makes every later text of a file that appears more than once the same as its first: one
/// file is one text, whatever the layers and names it is given under.
pub fn share_texts(texts: &mut [Text]) {
    for i in 1..texts.len() {
        if let Some(first) =
            (0..i).find(|&j| texts[j].file.is_some() && texts[j].file == texts[i].file)
        {
            texts[i].text = texts[first].text.clone();
        }
    }
}

/// Sets the text of `texts[idx]`, and of every other text of the same file, to `new`.
pub fn set_text(texts: &mut [Text], idx: usize, new: &str) {
    let file = texts[idx].file.clone();
    let new: Arc<str> = new.into();
    for (i, t) in texts.iter_mut().enumerate() {
        if i == idx || (file.is_some() && t.file == file) {
            t.text = new.clone();
        }
    }
}
